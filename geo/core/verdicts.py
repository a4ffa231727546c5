"""EEZ verdicts: which zones hold a point, how far it is from their edges, whether an
impact or a range area reaches a country's zones, and how sure that is.

Pure: takes zone sets already in memory (``geo.access.zones.Zones``) and returns dataclasses
whose ``to_dict`` is what ``--json`` prints.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.core.geodesy import HALF_MERIDIAN_M, FloatArray, inverse_many
from geo.core.impact import ReportedImpact
from geo.core.iso3166 import ALPHA2_TO_ALPHA3
from geo.core.shapes import geodesic_area_m2
from geo.core.types import LonLat
from geo.errors import UnknownCountryError

if TYPE_CHECKING:
    from geo.access.zones import Zones

P_INSIDE = 0.9
P_OUTSIDE = 0.1
NEARBY_COUNT = 5
AREA_INSIDE_SLACK = 1e-6
"""An area counts as wholly inside when at most this fraction of its polygon lies outside
(an intersection's area differs from the polygon's by rounding)."""
BOUNDARY_STEP_DEG = 0.05
"""Boundaries are cut to at most this step before distances are measured (about 5 km)."""

_COUNTRY_ALIASES = {
    "rok": "south korea",
    "republic of korea": "south korea",
    "korea, republic of": "south korea",
    "dprk": "north korea",
    "democratic people's republic of korea": "north korea",
    "korea, dem. people's rep.": "north korea",
    "prc": "china",
    "people's republic of china": "china",
    "roc": "taiwan",
    "russian federation": "russia",
    "usa": "united states",
    "us": "united states",
    "united states of america": "united states",
    "uk": "united kingdom",
    "nippon": "japan",
}


# ---------------------------------------------------------------------------- distances


@dataclass(frozen=True)
class _Segments:
    """A boundary as short segments, without the cuts made at the antimeridian and poles."""

    lon1: FloatArray
    lat1: FloatArray
    lon2: FloatArray
    lat2: FloatArray
    xyz: FloatArray  # unit vectors of the segment starts, for a fast first cut


def _segments(geom: BaseGeometry) -> _Segments:
    boundary = shapely.segmentize(geom.boundary, BOUNDARY_STEP_DEG)
    parts = [np.asarray(p.coords) for p in getattr(boundary, "geoms", [boundary]) if not p.is_empty]
    a_list, b_list = [], []
    for xy in parts:
        if len(xy) < 2:
            continue
        a, b = xy[:-1, :2], xy[1:, :2]
        # Cuts at ±180° and the pole line are artefacts of lon/lat, not edges of the zone.
        cut = ((np.abs(a[:, 0]) == 180.0) & (np.abs(b[:, 0]) == 180.0)) | (
            (np.abs(a[:, 1]) == 90.0) & (np.abs(b[:, 1]) == 90.0)
        )
        a_list.append(a[~cut])
        b_list.append(b[~cut])
    a = np.concatenate(a_list) if a_list else np.empty((0, 2))
    b = np.concatenate(b_list) if b_list else np.empty((0, 2))
    return _Segments(a[:, 0], a[:, 1], b[:, 0], b[:, 1], _unit(a[:, 0], a[:, 1]))


def _unit(lon: FloatArray, lat: FloatArray) -> FloatArray:
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


_SEG_CACHE: dict[int, tuple[BaseGeometry, _Segments]] = {}
_SEG_CACHE_SIZE = 1024
"""Enough for every zone of a world dataset plus the country unions of one batch; the
oldest entries go first, so a long-running process does not keep every geometry alive."""


def _cached_segments(geom: BaseGeometry) -> _Segments:
    # Keyed by id(): geometries are not hashable by value cheaply; the stored geometry
    # guards against a reused id.
    hit = _SEG_CACHE.get(id(geom))
    if hit is not None and hit[0] is geom:
        return hit[1]
    segs = _segments(geom)
    if len(_SEG_CACHE) >= _SEG_CACHE_SIZE:
        del _SEG_CACHE[next(iter(_SEG_CACHE))]
    _SEG_CACHE[id(geom)] = (geom, segs)
    return segs


def boundary_distance(point: LonLat, geom: BaseGeometry) -> tuple[float, LonLat]:
    """Geodesic distance (m) from ``point`` to the nearest point of ``geom``'s boundary, and
    that point. Vertices are ranked on the sphere, then refined exactly on the ellipsoid."""
    segs = _cached_segments(geom)
    if segs.lon1.size == 0:
        return math.inf, point
    p = _unit(np.array([point.lon_deg]), np.array([point.lat_deg]))[0]
    approx = 6371.0 * np.arccos(np.clip(segs.xyz @ p, -1.0, 1.0))  # km, within 0.5 %
    best = float(approx.min())
    cand = np.nonzero(approx <= best * 1.006 + 12.0)[0]
    n = cand.size
    _, _, d = inverse_many(
        np.full(n, point.lon_deg), np.full(n, point.lat_deg), segs.lon1[cand], segs.lat1[cand]
    )
    order = np.argsort(d)
    best_d = float(d[order[0]])
    best_pt = LonLat(float(segs.lon1[cand[order[0]]]), float(segs.lat1[cand[order[0]]]))
    # The nearest point may lie inside a segment next to the closest vertices.
    near = cand[order[d[order] <= best_d + 6000.0]][:32]
    prev = np.clip(near - 1, 0, None)
    idx = np.unique(np.concatenate([near, prev]))
    dist, lons, lats = _nearest_on_segments(
        point, segs.lon1[idx], segs.lat1[idx], segs.lon2[idx], segs.lat2[idx]
    )
    k = int(np.argmin(dist))
    if dist[k] < best_d:
        best_d, best_pt = float(dist[k]), LonLat(float(lons[k]), float(lats[k]))
    return best_d, best_pt


def _nearest_on_segments(
    p: LonLat, lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Golden-section search along short lon/lat segments (distance is unimodal on each),
    all segments at once: one vectorised inverse per step instead of one call per point."""
    dlon = ((lon2 - lon1 + 180.0) % 360.0) - 180.0
    dlat = lat2 - lat1
    n = lon1.size
    plon, plat = np.full(n, p.lon_deg), np.full(n, p.lat_deg)

    def dist(t: FloatArray) -> FloatArray:
        return inverse_many(plon, plat, lon1 + t * dlon, lat1 + t * dlat)[2]

    g = (math.sqrt(5.0) - 1.0) / 2.0
    a, b = np.zeros(n), np.ones(n)
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = dist(c), dist(d)
    for _ in range(40):
        left = fc < fd
        # left: the minimum is in [a, d]; else in [c, b]. One new evaluation either way.
        a, b = np.where(left, a, c), np.where(left, d, b)
        c_new = np.where(left, b - g * (b - a), d)
        d_new = np.where(left, c, a + g * (b - a))
        probe = np.where(left, c_new, d_new)
        fprobe = dist(probe)
        fc, fd = np.where(left, fprobe, fd), np.where(left, fc, fprobe)
        c, d = c_new, d_new
    t_mid = 0.5 * (a + b)
    ts = np.stack([np.zeros(n), np.ones(n), t_mid])
    ds = np.stack([dist(np.zeros(n)), dist(np.ones(n)), dist(t_mid)])
    pick = np.argmin(ds, axis=0)
    cols = np.arange(n)
    tb, best = ts[pick, cols], ds[pick, cols]
    lons = ((lon1 + tb * dlon + 180.0) % 360.0) - 180.0
    return best, lons, lat1 + tb * dlat


def _planar_distance_deg(point: LonLat, geoms: list[BaseGeometry]) -> FloatArray:
    """Distance in degrees, trying the point shifted by ±360° so the antimeridian is no wall."""
    best = np.full(len(geoms), np.inf)
    for shift in (-360.0, 0.0, 360.0):
        d = shapely.distance(Point(point.lon_deg + shift, point.lat_deg), geoms)
        best = np.minimum(best, np.asarray(d, dtype=float))
    return best


def distance_to_zone(point: LonLat, geom: BaseGeometry) -> float:
    """Geodesic distance (m) from a point to a zone: 0 inside, else to its boundary."""
    if geom.contains(Point(point.lon_deg, point.lat_deg)):
        return 0.0
    return boundary_distance(point, geom)[0]


# ---------------------------------------------------------------------------- countries


@dataclass(frozen=True)
class CountryZones:
    """The zones that count for a country, and their union."""

    country: str
    own: list[int]
    shared: list[int]
    union: BaseGeometry

    @property
    def indices(self) -> list[int]:
        return self.own + self.shared

    def describe(self, zones: Zones) -> str:
        own = ", ".join(zones.zones[i].name for i in self.own) or "none"
        text = f"{self.country}'s own zones ({own})"
        if self.shared:
            shared = ", ".join(
                f"{zones.zones[i].name} [{zones.zones[i].pol_type}]" for i in self.shared
            )
            text += f" and zones it shares or claims with others ({shared})"
        return text


def _norm(text: str) -> str:
    t = " ".join(text.casefold().replace("_", " ").split())
    return _COUNTRY_ALIASES.get(t, t)


def country_zones(zones: Zones, country: str) -> CountryZones:
    """Zones whose territory, sovereign or ISO code is ``country`` (a name, alias, or ISO 3166
    alpha-3 or alpha-2 code)."""
    return _country_zones_cached(zones, _norm(country), country)


@lru_cache(maxsize=64)
def _country_zones_cached(zones: Zones, key: str, original: str) -> CountryZones:
    own: list[int] = []
    shared: list[int] = []
    display = original
    # Zone files carry alpha-3 codes; users also type alpha-2 ("JP").
    keys = {key, ALPHA2_TO_ALPHA3.get(original.strip().upper(), "").casefold()} - {""}
    for i, z in enumerate(zones.zones):
        names = [_norm(n) for n in (*z.territories, *z.sovereigns)]
        codes = [c.casefold() for c in z.iso_codes]
        if key in names or not keys.isdisjoint(codes):
            (shared if z.is_shared else own).append(i)
            if key in names:
                display = next(n for n in (*z.territories, *z.sovereigns) if _norm(n) == key)
            elif display == original and not z.is_shared:
                display = z.territory or z.sovereign  # matched by ISO code: show a name
    if not own and not shared:
        labels = sorted({n for z in zones.zones for n in (*z.territories, *z.sovereigns)})
        close = difflib.get_close_matches(original, labels, n=3, cutoff=0.6)
        close += [lb for lb in labels if original.casefold() in lb.casefold() and lb not in close][
            :3
        ]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownCountryError(
            f"no zone of dataset '{zones.info.name}' belongs to {original!r}{hint}"
        )
    union = shapely.union_all([zones.geoms[i] for i in own + shared])
    shapely.prepare(union)
    return CountryZones(display, own, shared, union)


# ---------------------------------------------------------------------------- point verdicts


@dataclass
class CountryVerdict:
    country: str
    status: str  # inside | outside | uncertain | on_land
    margin_km: float
    p_inside: float
    counted_zones: str
    inside_zones: list[str] = field(default_factory=list)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = {
            "country": self.country,
            "status": self.status,
            "margin_km": round(self.margin_km, 3),
            "p_inside": round(self.p_inside, 4),
            "counted_zones": self.counted_zones,
            "inside_zones": self.inside_zones,
        }
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class PointVerdict:
    point: LonLat
    dataset: dict[str, Any]
    containing: list[dict[str, Any]]
    nearby: list[dict[str, Any]]
    on_land: dict[str, Any] | None = None
    verdict: CountryVerdict | None = None
    impact: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "lat": self.point.lat_deg,
            "lon": self.point.lon_deg,
            "dataset": self.dataset,
            "on_land": self.on_land,
            "containing": self.containing,
            "nearby": self.nearby,
        }
        if self.impact is not None:
            out["impact"] = self.impact
        if self.verdict is not None:
            out["verdict"] = self.verdict.to_dict()
        return out


def dataset_summary(zones: Zones) -> dict[str, Any]:
    i = zones.info
    return {
        "name": i.name,
        "version": i.version,
        "modelled": i.modelled,
        "kind": i.kind,
        "citation": i.citation,
        "licence": i.licence,
    }


def dataset_title(ds: dict[str, Any]) -> str:
    """A :func:`dataset_summary`'s name with its version, the version only when the name
    does not already hold it (``Marine Regions World EEZ v10``, not ``... v10 v10``)."""
    version = str(ds.get("version") or "")
    return f"{ds['name']} {version}" if version and version not in ds["name"] else ds["name"]


def dataset_kind(ds: dict[str, Any]) -> str:
    """``modelled``, ``official`` or ``user`` (summaries written before ``kind`` existed
    say only ``modelled``)."""
    return str(ds.get("kind") or ("modelled" if ds["modelled"] else "official"))


def _land_at(land: Zones | None, point: LonLat) -> dict[str, Any] | None:
    if land is None:
        return None
    hit = land.locate(np.array([point.lon_deg]), np.array([point.lat_deg]))[0]
    if hit < 0:
        return None
    z = land.zones[int(hit)]
    return {
        "country": z.name,
        "iso": z.iso_codes[0] if z.iso_codes else "",
        "source": land.info.name,
    }


def nearby_zones(
    zones: Zones, point: LonLat, exclude: set[int] | None = None, count: int = NEARBY_COUNT
) -> list[tuple[int, float]]:
    """The ``count`` zones nearest to ``point`` (not containing it) with geodesic distances."""
    exclude = exclude or set()
    deg = _planar_distance_deg(point, zones.geoms)
    order = [i for i in np.argsort(deg).tolist() if i not in exclude][: count + 3]
    found = [(i, boundary_distance(point, zones.geoms[i])[0]) for i in order]
    found.sort(key=lambda t: t[1])
    return found[:count]


def point_verdict(
    zones: Zones,
    point: LonLat,
    *,
    country: str | None = None,
    land: Zones | None = None,
) -> PointVerdict:
    """Every zone holding the point (with the distance to its edge), or the nearest zones;
    with ``country``: inside/outside that country's zones and by how much."""
    inside = zones.containing(point.lon_deg, point.lat_deg)
    containing = []
    for i in inside:
        d, _ = boundary_distance(point, zones.geoms[i])
        containing.append(
            {**zones.zones[i].summary(), "distance_to_boundary_km": round(d / 1000, 3)}
        )
    nearby = [
        {**zones.zones[i].summary(), "distance_km": round(d / 1000, 3)}
        for i, d in (nearby_zones(zones, point, set(inside)) if not inside else [])
    ]
    result = PointVerdict(point, dataset_summary(zones), containing, nearby, _land_at(land, point))
    if country is not None:
        result.verdict = _country_point_verdict(zones, point, country, inside, result.on_land)
    return result


def _country_point_verdict(
    zones: Zones, point: LonLat, country: str, inside: list[int], on_land: dict[str, Any] | None
) -> CountryVerdict:
    cz = country_zones(zones, country)
    counted = cz.describe(zones)
    in_country = [zones.zones[i].name for i in inside if i in cz.indices]
    d, _ = boundary_distance(point, cz.union)
    if in_country:
        note = ""
        if all(i in cz.shared for i in inside if i in cz.indices):
            note = "inside only zones that are shared or claimed by more than one state"
        return CountryVerdict(cz.country, "inside", d / 1000, 1.0, counted, in_country, note)
    if on_land is not None:
        # Status on_land: outside the country's EEZ (a sea zone), on land; the note says whose.
        same = (
            _norm(on_land["country"]) == _norm(cz.country)
            or on_land["iso"].casefold() == country.casefold()
        )
        note = (
            f"on land of {on_land['country']} itself, not in its EEZ, which is a sea zone"
            if same
            else f"on land of {on_land['country']}, not in {cz.country}'s EEZ"
        )
        return CountryVerdict(cz.country, "on_land", d / 1000, 0.0, counted, [], note)
    return CountryVerdict(cz.country, "outside", d / 1000, 0.0, counted, [])


def status_for(p_inside: float) -> str:
    if p_inside >= P_INSIDE:
        return "inside"
    if p_inside <= P_OUTSIDE:
        return "outside"
    return "uncertain"


def impact_verdict(
    zones: Zones,
    impact: ReportedImpact,
    *,
    country: str | None = None,
    land: Zones | None = None,
) -> PointVerdict:
    """The point verdict of the reported point, with ``p_inside`` from its error model."""
    result = point_verdict(zones, impact.point, country=country, land=land)
    result.impact = {
        "distance_km": impact.distance_m / 1000,
        "bearing_deg": impact.azimuth_deg,
        "distance_uncertainty": impact.distance_uncertainty,
        "bearing_uncertainty_deg": impact.bearing_uncertainty_deg,
        "uncertainty_area_km2": round(impact.area.area_m2 / 1e6, 1),
        "error_model": (
            "distance and bearing independent and uniform over the stated intervals; "
            "p_inside is the share of a 41x41 grid of equal-weight draws inside the zones"
        ),
    }
    if country is not None and result.verdict is not None:
        cz = country_zones(zones, country)
        lons, lats = impact.sample()
        p = float(np.mean(shapely.contains_xy(cz.union, lons, lats)))
        v = result.verdict
        v.p_inside = p
        if v.status != "on_land" or p > P_OUTSIDE:
            v.status = status_for(p)
        if v.status == "uncertain":
            v.note = (v.note + "; " if v.note else "") + "within the uncertainty of the report"
    return result


# ---------------------------------------------------------------------------- area verdicts


@dataclass
class AreaVerdict:
    launch: LonLat
    area_km2: float
    dataset: dict[str, Any]
    overlaps: list[dict[str, Any]]
    nearest: list[dict[str, Any]]
    country: dict[str, Any] | None = None
    containing: list[dict[str, Any]] = field(default_factory=list)
    nearby: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "lat": self.launch.lat_deg,
            "lon": self.launch.lon_deg,
            "launch": {"lat": self.launch.lat_deg, "lon": self.launch.lon_deg},
            "area_km2": round(self.area_km2, 1),
            "dataset": self.dataset,
            "containing": self.containing,
            "nearby": self.nearby,
            "overlaps": self.overlaps,
            "nearest": self.nearest,
        }
        if self.country is not None:
            out["verdict"] = self.country
        return out


@dataclass(frozen=True)
class AreaExtent:
    """What an area is, around its launch point: the annular sector between two ranges and,
    for an impact area, two bearings (clockwise from true north). ``low_estimate_m`` is the
    lowest published figure when ``max_range_m`` is the highest of several."""

    min_range_m: float
    max_range_m: float
    bearings_deg: tuple[float, float] | None = None
    low_estimate_m: float | None = None

    def __post_init__(self) -> None:
        b = self.bearings_deg
        if b is not None and b[0] % 360.0 == b[1] % 360.0:
            object.__setattr__(self, "bearings_deg", None)  # 0..360, a whole turn: no limit

    def describe(self) -> str:
        """'400 km range area', '100–600 km range area' (an annulus) or
        '100–600 km impact area (bearings 60°–120°)'."""
        hi = f"{self.max_range_m / 1000:,.0f} km"
        text = f"{self.min_range_m / 1000:,.0f}–{hi}" if self.min_range_m > 0 else hi
        if self.bearings_deg is None:
            return f"{text} range area"
        a, b = self.bearings_deg
        return f"{text} impact area (bearings {a % 360:g}°–{b % 360:g}°)"

    def search_region(self, launch: LonLat) -> BaseGeometry | None:
        """Where the area's nearest zone point is sought: beyond the inner radius and
        within the bearings (None: everywhere). The area lies inside this region, so a zone
        point outside it says nothing about how near the area comes."""
        from geo.core.shapes import ANTIPODAL_RADIUS_M, annulus, impact_area

        if self.bearings_deg is not None:
            inner = self.min_range_m
            return impact_area(launch, inner, ANTIPODAL_RADIUS_M, *self.bearings_deg).geometry
        if self.min_range_m > 0:
            return annulus(launch, self.min_range_m, _BEYOND_ANTIPODE_M).geometry
        return None

    def within_text(self) -> str:
        """How a verdict says where the nearest point was sought."""
        parts = []
        if self.min_range_m > 0:
            parts.append(f"beyond {self.min_range_m / 1000:,.0f} km")
        if self.bearings_deg is not None:
            parts.append("within its bearings")
        return " " + " and ".join(parts) if parts else ""


_BEYOND_ANTIPODE_M = 20_100_000.0
"""A radius past the farthest point of the ellipsoid: an annulus to it is 'everything beyond
the inner radius'."""


def _nearest_in_region(
    launch: LonLat, geom: BaseGeometry, region: BaseGeometry | None
) -> tuple[float, LonLat] | None:
    """Nearest point of ``geom`` (within ``region`` when given) to ``launch``; None when no
    part of it lies in the region."""
    piece = geom if region is None else geom.intersection(region)
    if piece.is_empty or geodesic_area_m2(piece) <= 0:
        return None
    if piece.contains(Point(launch.lon_deg, launch.lat_deg)):
        return 0.0, launch
    return boundary_distance(launch, piece)


def area_verdict(
    zones: Zones,
    area: BaseGeometry,
    area_m2: float,
    launch: LonLat,
    *,
    country: str | None = None,
    label: str = "",
    extent: AreaExtent | None = None,
) -> AreaVerdict:
    """Overlap of a range or impact area with each zone, and the distance from the launch
    point to each zone it touches or nearly touches.

    With ``extent`` (what the area is around ``launch``) the country verdict also gives
    ``margin_km``: how far the outer arc falls short of the country's nearest zone point, or
    reaches past it; for an impact area the nearest point is sought within its bearings.
    """
    shapely.prepare(area)
    region = extent.search_region(launch) if extent is not None else None

    def zone_distance_km(i: int) -> float | None:
        if region is None:
            return distance_to_zone(launch, zones.geoms[i]) / 1000
        found = _nearest_in_region(launch, zones.geoms[i], region)
        return None if found is None else found[0] / 1000

    hits = zones.tree.query(area, predicate="intersects")
    overlaps = []
    for i in sorted(int(j) for j in np.atleast_1d(hits)):
        inter = zones.geoms[i].intersection(area)
        ov = geodesic_area_m2(inter)
        if ov <= 0:
            continue
        overlaps.append(
            {
                **zones.zones[i].summary(),
                "overlap_km2": round(ov / 1e6, 1),
                "fraction_of_area": round(ov / area_m2, 5) if area_m2 > 0 else 0.0,
                "fraction_of_zone": round(ov / zones.zone_area_m2(i), 5),
                "distance_from_launch_km": _round(zone_distance_km(i)),
            }
        )
    overlaps.sort(key=lambda o: -o["overlap_km2"])
    reached = {o["name"] for o in overlaps}
    if region is None:
        near = [(i, d / 1000) for i, d in nearby_zones(zones, launch, count=NEARBY_COUNT)]
    else:
        # The zones nearest in every direction may have no part in the region: look wider.
        wide = nearby_zones(zones, launch, count=NEARBY_COUNT * 4)
        measured = [(i, zone_distance_km(i)) for i, _ in wide]
        near = sorted(((i, d) for i, d in measured if d is not None), key=lambda t: t[1])
        near = near[:NEARBY_COUNT]
    nearest = [
        {**zones.zones[i].summary(), "distance_from_launch_km": _round(d)}
        for i, d in near
        if zones.zones[i].name not in reached
    ]
    at_launch = point_verdict(zones, launch)
    result = AreaVerdict(
        launch,
        area_m2 / 1e6,
        dataset_summary(zones),
        overlaps,
        nearest,
        containing=at_launch.containing,
        nearby=at_launch.nearby,
    )
    if country is not None:
        result.country = _country_area_verdict(zones, area, launch, country, label, extent, region)
    return result


def _round(km: float | None) -> float | None:
    return None if km is None else round(km, 3)


def _country_area_verdict(
    zones: Zones,
    area: BaseGeometry,
    launch: LonLat,
    country: str,
    label: str,
    extent: AreaExtent | None,
    region: BaseGeometry | None,
) -> dict[str, Any]:
    cz = country_zones(zones, country)
    ov_km2 = geodesic_area_m2(cz.union.intersection(area)) / 1e6
    reaches = ov_km2 > 0
    bearings = extent.bearings_deg if extent is not None else None
    found = _nearest_in_region(launch, cz.union, region)
    what = label or "the area"
    within = extent.within_text() if extent is not None else ""
    nearest_km: float | None = None
    nearest_pt: LonLat | None = None
    if found is not None:
        nearest_km, nearest_pt = found[0] / 1000, found[1]
    if not reaches:
        status = "outside"
    elif ov_km2 * 1e6 >= geodesic_area_m2(area) * (1 - AREA_INSIDE_SLACK):
        status = "inside"
    else:
        status = "partly_inside"
    margin_km: float | None = None
    # Past the farthest point of the ellipsoid a range covers the globe: measure to that.
    outer_km = min(extent.max_range_m, HALF_MERIDIAN_M) / 1000 if extent is not None else None
    if outer_km is not None and nearest_km is not None and (reaches or nearest_km >= outer_km):
        margin_km = round(abs(nearest_km - outer_km), 3)
    if status == "inside":
        sentence = f"{what} lies wholly inside {cz.country}'s EEZ ({ov_km2:,.0f} km²)"
    elif reaches:
        sentence = f"{what} reaches {cz.country}'s EEZ: {ov_km2:,.0f} km² overlap"
        if nearest_km is not None:
            sentence += f"; nearest point{within} {nearest_km:,.0f} km from the launch point"
        if margin_km is not None:
            sentence += f" (the area reaches {margin_km:,.0f} km past it)"
    elif nearest_km is None:
        sentence = f"{what} does not reach {cz.country}'s EEZ: no part of it lies{within}"
    else:
        sentence = (
            f"{what} does not reach {cz.country}'s EEZ: nearest point{within} "
            f"{nearest_km:,.0f} km away"
        )
        if margin_km is not None and outer_km is not None:
            sentence += f" ({margin_km:,.0f} km beyond the {outer_km:,.0f} km range)"
    out: dict[str, Any] = {
        "country": cz.country,
        "status": status,
        "margin_km": margin_km,
        "p_inside": None,
        "reaches": reaches,
        "overlap_km2": round(ov_km2, 1),
        "nearest_km": None if nearest_km is None else round(nearest_km, 3),
        "nearest_point": None
        if nearest_pt is None
        else {"lat": nearest_pt.lat_deg, "lon": nearest_pt.lon_deg},
        "nearest_within_bearings": bearings is not None,
        "nearest_sought": within.strip() or "everywhere",
        "counted_zones": cz.describe(zones),
    }
    low = extent.low_estimate_m if extent is not None else None
    if low is not None and bearings is None and extent is not None and extent.min_range_m == 0:
        # A disk reaches a zone exactly when the zone's nearest point is within its radius.
        reaches_low = nearest_km is not None and nearest_km * 1000 < low
        out["reaches_at_low_estimate"] = reaches_low
        sentence += f"; at the lowest published estimate ({low / 1000:,.0f} km) it " + (
            "reaches it too" if reaches_low else "does not"
        )
    out["summary"] = sentence
    return out


# ---------------------------------------------------------------------------- batches


def batch_verdicts(
    zones: Zones,
    points: list[Any],
    *,
    country: str | None = None,
    land: Zones | None = None,
) -> list[dict[str, Any]]:
    """One flat row per point (``id``, ``lat_deg``, ``lon_deg`` attributes, and optionally
    ``extra``: the user's own (column, value) pairs).

    Columns: ``id``, ``lat``, ``lon``; ``zone``, ``territory``, ``sovereign``, ``pol_type`` of
    the most specific zone holding the point and ``all_zones``, every zone holding it
    (smallest first, joined by "; "); ``on_land``; with ``country`` the ``country``,
    ``status`` (``inside``, ``outside`` or ``on_land``: on land, so not in the country's EEZ),
    ``margin_km`` and ``note`` of :func:`point_verdict`; ``dataset`` and ``dataset_kind``
    (modelled, official or user); then the user's columns, named ``input_NAME`` where
    ``NAME`` is taken (case-insensitively) by one of the columns above.
    """
    reserved = {
        "id", "lat", "lon", "zone", "territory", "sovereign", "pol_type", "all_zones",
        "on_land", "country", "status", "margin_km", "note", "dataset", "dataset_kind",
    }  # fmt: skip
    lons = np.array([p.lon_deg for p in points], dtype=float)
    lats = np.array([p.lat_deg for p in points], dtype=float)
    land_idx = land.locate(lons, lats) if land is not None else np.full(len(points), -1)
    if country:
        country_zones(zones, country)  # an unknown country fails before any work
    renamed: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    for k, p in enumerate(points):
        pt = LonLat(p.lon_deg, p.lat_deg)
        inside = zones.containing(pt.lon_deg, pt.lat_deg)
        z = zones.zones[inside[0]] if inside else None
        land_hit = None
        if land is not None and land_idx[k] >= 0:
            lz = land.zones[int(land_idx[k])]
            land_hit = {"country": lz.name, "iso": lz.iso_codes[0] if lz.iso_codes else ""}
        row: dict[str, Any] = {
            "id": p.id,
            "lat": p.lat_deg,
            "lon": p.lon_deg,
            "zone": z.name if z else "",
            "territory": z.territory if z else "",
            "sovereign": z.sovereign if z else "",
            "pol_type": z.pol_type if z else "",
            "all_zones": "; ".join(zones.zones[i].name for i in inside),
            "on_land": land_hit["country"] if land_hit else "",
        }
        if country:
            v = _country_point_verdict(zones, pt, country, inside, land_hit)
            row["country"] = v.country
            row["status"] = v.status
            row["margin_km"] = round(v.margin_km, 3)
            row["note"] = v.note
        row["dataset"] = zones.info.name
        row["dataset_kind"] = zones.info.kind
        for name, value in getattr(p, "extra", ()):
            if name not in renamed:
                taken = reserved | {n.casefold() for n in renamed.values()}
                out = name
                while out.casefold() in taken:
                    out = f"input_{out}"
                renamed[name] = out
            row[renamed[name]] = value
        rows.append(row)
    return rows
