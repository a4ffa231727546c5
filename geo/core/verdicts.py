"""EEZ verdicts: which zones hold a point, how far it is from their edges, whether an
impact or a range area reaches a country's zones, and how sure that is.

Pure: takes zone sets already in memory (``geo.access.zones.Zones``) and returns one
dataclass per kind of verdict, whose ``to_dict`` is what ``--json`` prints.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.core.datasets import DatasetSummary, dataset_kind, dataset_summary, dataset_title
from geo.core.geodesy import HALF_MERIDIAN_M
from geo.core.impact import ReportedImpact
from geo.core.margins import BOUNDARY_STEP_DEG, nearest_per_group, pruned_segment_set
from geo.core.margins import boundary_distance as _boundary_distance
from geo.core.shapes import geodesic_area_m2
from geo.core.sides import (
    CountrySide,
    CountryZones,
    country_side,
    country_zones,
    side_verdicts,
)
from geo.core.types import LonLat

if TYPE_CHECKING:
    from geo.access.zones import Zone, Zones

__all__ = [
    "BOUNDARY_STEP_DEG",
    "AreaCountryVerdict",
    "AreaExtent",
    "AreaVerdict",
    "CountryVerdict",
    "CountryZones",
    "DatasetSummary",
    "ImpactInfo",
    "LandHit",
    "PointVerdict",
    "ZoneDistance",
    "area_verdict",
    "boundary_distance",
    "country_side",
    "country_zones",
    "dataset_kind",
    "dataset_summary",
    "dataset_title",
    "impact_verdict",
    "point_verdict",
]

P_INSIDE = 0.9
P_OUTSIDE = 0.1
NEARBY_COUNT = 5
AREA_INSIDE_SLACK = 1e-6
"""An area counts as wholly inside when at most this fraction of its polygon lies outside
(an intersection's area differs from the polygon's by rounding)."""

ERROR_MODEL = (
    "distance and bearing independent and uniform over the stated intervals, each pair read "
    "along the leg (a rhumb line by default); p_inside is the share of a 41x41 grid of "
    "equal-weight draws on the country's side (its zones and own land)"
)


# ---------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ZoneDistance:
    """A zone and a distance to it; ``key`` names the distance in JSON."""

    zone: Zone
    distance_km: float | None
    key: str = "distance_km"

    def to_dict(self) -> dict[str, Any]:
        return {**self.zone.summary(), self.key: _round(self.distance_km)}


@dataclass(frozen=True)
class LandHit:
    """The land-layer unit whose land holds a point."""

    country: str
    iso: str
    source: str
    index: int

    def to_dict(self) -> dict[str, Any]:
        return {"country": self.country, "iso": self.iso, "source": self.source}


@dataclass
class CountryVerdict:
    """A point's or reported impact's verdict for one country (statuses in docs/verdicts.md)."""

    country: str
    status: str  # inside | on_own_land | outside | uncertain
    margin_km: float
    p_inside: float
    counted_zones: str
    inside_zones: list[str] = field(default_factory=list)
    note: str = ""
    coast_km: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "country": self.country,
            "status": self.status,
            "margin_km": _round(self.margin_km),
            "coast_km": _round(self.coast_km),
            "p_inside": round(self.p_inside, 4),
            "counted_zones": self.counted_zones,
            "inside_zones": self.inside_zones,
        }
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class ImpactInfo:
    """What a reported impact was: distance, bearing and their uncertainty."""

    origin: LonLat
    distance_km: float
    bearing_deg: float
    distance_uncertainty: float
    bearing_uncertainty_deg: float
    uncertainty_area_km2: float
    error_model: str = ERROR_MODEL
    leg: str = "rhumb"
    """How the distance and bearing were read: "rhumb" (constant bearing) or "geodesic"."""

    @classmethod
    def of(cls, impact: ReportedImpact) -> ImpactInfo:
        return cls(
            impact.origin,
            impact.distance_m / 1000,
            impact.azimuth_deg,
            impact.distance_uncertainty,
            impact.bearing_uncertainty_deg,
            round(impact.area.area_m2 / 1e6, 1),
            leg=impact.leg,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": {"lat": self.origin.lat_deg, "lon": self.origin.lon_deg},
            "distance_km": self.distance_km,
            "bearing_deg": self.bearing_deg,
            "leg": self.leg,
            "distance_uncertainty_fraction": self.distance_uncertainty,
            "distance_uncertainty": self.distance_uncertainty,  # the same: older name, kept
            "bearing_uncertainty_deg": self.bearing_uncertainty_deg,
            "uncertainty_area_km2": self.uncertainty_area_km2,
            "error_model": self.error_model,
        }


@dataclass
class PointVerdict:
    """Zones at and around a point (or reported impact) and one verdict per country asked."""

    point: LonLat
    dataset: DatasetSummary
    containing: list[ZoneDistance]
    nearby: list[ZoneDistance]
    on_land: LandHit | None = None
    verdicts: list[CountryVerdict] = field(default_factory=list)
    impact: ImpactInfo | None = None

    @property
    def verdict(self) -> CountryVerdict | None:
        """The verdict for the first country asked."""
        return self.verdicts[0] if self.verdicts else None

    def _repr_html_(self) -> str:
        """In a notebook: a table of the verdicts and zones (see geo.present.notebook)."""
        from geo.present.notebook import verdict_html  # display only, loaded when asked for

        return verdict_html(self)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "lat": self.point.lat_deg,
            "lon": self.point.lon_deg,
            "dataset": self.dataset.to_dict(),
            "on_land": None if self.on_land is None else self.on_land.to_dict(),
            "containing": [z.to_dict() for z in self.containing],
            "nearby": [z.to_dict() for z in self.nearby],
        }
        if self.impact is not None:
            out["impact"] = self.impact.to_dict()
        if self.verdicts:
            out["verdict"] = self.verdicts[0].to_dict()
        out["verdicts"] = [v.to_dict() for v in self.verdicts]
        return out


# ---------------------------------------------------------------------------- distances


def boundary_distance(point: LonLat, geom: BaseGeometry) -> tuple[float, LonLat]:
    """Geodesic distance (m) from ``point`` to the nearest point of ``geom``'s boundary, and
    that point (``point`` itself when the boundary is empty: the distance is then inf)."""
    d, lon, lat = _boundary_distance(point.lon_deg, point.lat_deg, geom)
    return d, (LonLat(lon, lat) if np.isfinite(d) else point)


def distance_to_zone(point: LonLat, geom: BaseGeometry) -> float:
    """Geodesic distance (m) from a point to a zone: 0 inside, else to its boundary."""
    if geom.contains(Point(point.lon_deg, point.lat_deg)):
        return 0.0
    return boundary_distance(point, geom)[0]


def zone_distances(zones: Zones, point: LonLat, indices: Sequence[int]) -> dict[int, float]:
    """Geodesic distance (m) from ``point`` to the boundary of each zone in ``indices``, in
    one vectorised pass."""
    idx = list(indices)
    if not idx:
        return {}
    lon, lat = point.lon_deg, point.lat_deg
    d, _, _ = nearest_per_group(
        lon, lat, pruned_segment_set(lon, lat, [zones.geoms[i] for i in idx])
    )
    return {i: float(v) for i, v in zip(idx, d, strict=True)}


def _planar_distance_deg(point: LonLat, geoms: list[BaseGeometry]) -> np.ndarray[Any, Any]:
    """Distance in degrees, trying the point shifted by ±360° so the antimeridian is no wall."""
    best = np.full(len(geoms), np.inf)
    for shift in (-360.0, 0.0, 360.0):
        d = shapely.distance(Point(point.lon_deg + shift, point.lat_deg), geoms)
        best = np.minimum(best, np.asarray(d, dtype=float))
    return best


def nearby_zones(
    zones: Zones, point: LonLat, exclude: set[int] | None = None, count: int = NEARBY_COUNT
) -> list[tuple[int, float]]:
    """The ``count`` zones nearest to ``point`` (not containing it) with geodesic distances."""
    exclude = exclude or set()
    deg = _planar_distance_deg(point, zones.geoms)
    order = [i for i in np.argsort(deg).tolist() if i not in exclude][: count + 3]
    found = sorted(zone_distances(zones, point, order).items(), key=lambda t: t[1])
    return found[:count]


# ---------------------------------------------------------------------------- point verdicts


def _countries(country: str | None, countries: Sequence[str]) -> list[str]:
    names = list(countries)
    if country is not None:
        names.insert(0, country)
    return names


def _sides(zones: Zones, names: Sequence[str], land: Zones | None) -> list[CountrySide]:
    """One side per country, in the order asked; a country named twice ("USA" and "United
    States") once. An unknown country fails here, before any work."""
    out: dict[str, CountrySide] = {}
    for name in names:
        s = country_side(zones, name, land)
        out.setdefault(s.country, s)
    return list(out.values())


def _land_at(land: Zones | None, point: LonLat) -> LandHit | None:
    if land is None:
        return None
    hit = int(land.locate(np.array([point.lon_deg]), np.array([point.lat_deg]))[0])
    return None if hit < 0 else land_hit(land, hit)


def land_hit(land: Zones, index: int) -> LandHit:
    z = land.zones[index]
    return LandHit(z.name, z.iso_codes[0] if z.iso_codes else "", land.info.name, index)


def point_verdict(
    zones: Zones,
    point: LonLat,
    *,
    country: str | None = None,
    countries: Sequence[str] = (),
    land: Zones | None = None,
) -> PointVerdict:
    """Every zone holding the point (with the distance to its edge), or the nearest zones;
    for each of ``country`` and ``countries``: the point's status on that country's side
    (its zones and own land) and by how much."""
    sides = _sides(zones, _countries(country, countries), land)
    inside = zones.containing(point.lon_deg, point.lat_deg)
    if inside:
        dist = zone_distances(zones, point, inside)
        containing = [
            ZoneDistance(zones.zones[i], dist[i] / 1000, "distance_to_boundary_km") for i in inside
        ]
        nearby: list[ZoneDistance] = []
    else:
        containing = []
        nearby = [ZoneDistance(zones.zones[i], d / 1000) for i, d in nearby_zones(zones, point)]
    on_land = _land_at(land, point)
    result = PointVerdict(point, DatasetSummary.of(zones), containing, nearby, on_land)
    result.verdicts = [_country_point_verdict(zones, s, point, inside, on_land) for s in sides]
    return result


def _country_point_verdict(
    zones: Zones, side: CountrySide, point: LonLat, inside: list[int], on_land: LandHit | None
) -> CountryVerdict:
    cz = side.zones
    sv = side_verdicts(
        side,
        np.array([point.lon_deg]),
        np.array([point.lat_deg]),
        np.array([-1 if on_land is None else on_land.index], dtype=np.int64),
    )
    status = str(sv.status[0])
    coast = float(sv.coast_km[0])
    in_country = [zones.zones[i].name for i in inside if i in cz.indices]
    return CountryVerdict(
        cz.country,
        status,
        float(sv.margin_km[0]),
        0.0 if status == "outside" else 1.0,
        cz.describe(zones),
        in_country,
        side_note(
            cz.country,
            status,
            on_land.country if on_land is not None else None,
            bool(sv.shared_only[0]),
            bool(sv.gap[0]),
        ),
        None if np.isnan(coast) else coast,
    )


def side_note(country: str, status: str, land_of: str | None, shared_only: bool, gap: bool) -> str:
    """What a point verdict's note says (the same words for one check and for a batch)."""
    if status == "on_own_land":
        return f"on {country}'s own land (its side), not in its EEZ, which is a sea zone"
    if land_of is not None and status == "outside":
        return f"on land of {land_of}, not in {country}'s EEZ"
    if shared_only:
        return "inside only zones that are shared or claimed by more than one state"
    if gap:
        return f"between {country}'s zones and its coast (a gap the zone file left): its side"
    return ""


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
    countries: Sequence[str] = (),
    land: Zones | None = None,
) -> PointVerdict:
    """The point verdict of the reported point, with ``p_inside`` from its error model: the
    share of equal-weight draws on the country's side."""
    names = _countries(country, countries)
    result = point_verdict(zones, impact.point, countries=names, land=land)
    result.impact = ImpactInfo.of(impact)
    if result.verdicts:
        lons, lats = impact.sample()
        for v, side in zip(result.verdicts, _sides(zones, names, land), strict=True):
            p = float(np.mean(shapely.contains_xy(side.side, lons, lats)))
            v.p_inside = p
            status = status_for(p)
            if status == "inside" and v.status == "on_own_land":
                status = "on_own_land"
            if status != v.status and v.status == "outside" and v.note.startswith("on land"):
                v.note = ""  # the reported point is on foreign land; the spread decides
            v.status = status
            if status == "uncertain":
                v.note = (v.note + "; " if v.note else "") + "within the uncertainty of the report"
    return result


# ---------------------------------------------------------------------------- area verdicts


@dataclass
class AreaCountryVerdict:
    """Whether a range or impact area reaches one country's zones, and by how much."""

    country: str
    status: str  # inside | partly_inside | outside
    margin_km: float | None
    reaches: bool
    overlap_km2: float
    nearest_km: float | None
    nearest_point: LonLat | None
    nearest_within_bearings: bool
    nearest_sought: str
    counted_zones: str
    summary: str
    reaches_at_low_estimate: bool | None = None

    @property
    def p_inside(self) -> None:
        """An area has no position error to integrate over."""
        return None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "country": self.country,
            "status": self.status,
            "margin_km": self.margin_km,
            "p_inside": None,
            "reaches": self.reaches,
            "overlap_km2": round(self.overlap_km2, 1),
            "nearest_km": None if self.nearest_km is None else round(self.nearest_km, 3),
            "nearest_point": None
            if self.nearest_point is None
            else {"lat": self.nearest_point.lat_deg, "lon": self.nearest_point.lon_deg},
            "nearest_within_bearings": self.nearest_within_bearings,
            "nearest_sought": self.nearest_sought,
            "counted_zones": self.counted_zones,
        }
        if self.reaches_at_low_estimate is not None:
            out["reaches_at_low_estimate"] = self.reaches_at_low_estimate
        out["summary"] = self.summary
        return out


@dataclass(frozen=True)
class ZoneOverlap:
    """How much of an area lies in one zone."""

    zone: Zone
    overlap_km2: float
    fraction_of_area: float
    fraction_of_zone: float
    distance_from_launch_km: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.zone.summary(),
            "overlap_km2": round(self.overlap_km2, 1),
            "fraction_of_area": round(self.fraction_of_area, 5),
            "fraction_of_zone": round(self.fraction_of_zone, 5),
            "distance_from_launch_km": _round(self.distance_from_launch_km),
        }


@dataclass
class AreaVerdict:
    """Zones an area reaches, zones near it, and one verdict per country asked."""

    launch: LonLat
    area_km2: float
    dataset: DatasetSummary
    overlaps: list[ZoneOverlap]
    nearest: list[ZoneDistance]
    verdicts: list[AreaCountryVerdict] = field(default_factory=list)
    containing: list[ZoneDistance] = field(default_factory=list)
    nearby: list[ZoneDistance] = field(default_factory=list)

    @property
    def verdict(self) -> AreaCountryVerdict | None:
        """The verdict for the first country asked."""
        return self.verdicts[0] if self.verdicts else None

    def _repr_html_(self) -> str:
        """In a notebook: a table of the verdicts and zones (see geo.present.notebook)."""
        from geo.present.notebook import verdict_html  # display only, loaded when asked for

        return verdict_html(self)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "lat": self.launch.lat_deg,
            "lon": self.launch.lon_deg,
            "launch": {"lat": self.launch.lat_deg, "lon": self.launch.lon_deg},
            "area_km2": round(self.area_km2, 1),
            "dataset": self.dataset.to_dict(),
            "containing": [z.to_dict() for z in self.containing],
            "nearby": [z.to_dict() for z in self.nearby],
            "overlaps": [o.to_dict() for o in self.overlaps],
            "nearest": [z.to_dict() for z in self.nearest],
        }
        if self.verdicts:
            out["verdict"] = self.verdicts[0].to_dict()
        out["verdicts"] = [v.to_dict() for v in self.verdicts]
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


_ALL_ZONES_FROM = 24
"""An area reaching more zones than this is measured against every zone at once."""


def _overlap_m2(zones: Zones, i: int, area: BaseGeometry) -> float:
    # A zone wholly inside the area (most zones of a world-scale area) needs no intersection;
    # an area holding the zone's bounding box holds the zone, without testing every vertex.
    geom = zones.geoms[i]
    if area.contains(shapely.box(*zones._bounds[i])) or area.contains(geom):
        return zones.zone_area_m2(i)
    parts = shapely.get_parts(geom)
    if parts.size > 1:
        # Parts of a zone are disjoint: those the area holds count whole, and only the rest
        # is intersected (a zone's far island, not its whole coast, meets the area's edge).
        held = shapely.contains(area, shapely.box(*shapely.bounds(parts).T))
        if held.any():
            rest = shapely.multipolygons(parts[~held]) if not held.all() else None
            whole = sum(geodesic_area_m2(p) for p in parts[held])
            return whole + (geodesic_area_m2(rest.intersection(area)) if rest is not None else 0.0)
    return geodesic_area_m2(geom.intersection(area))


def area_verdict(
    zones: Zones,
    area: BaseGeometry,
    area_m2: float,
    launch: LonLat,
    *,
    country: str | None = None,
    countries: Sequence[str] = (),
    label: str = "",
    extent: AreaExtent | None = None,
) -> AreaVerdict:
    """Overlap of a range or impact area with each zone, and the distance from the launch
    point to each zone it touches or nearly touches.

    With ``extent`` (what the area is around ``launch``) each country verdict also gives
    ``margin_km``: how far the outer arc falls short of the country's nearest zone point, or
    reaches past it; for an impact area the nearest point is sought within its bearings.
    """
    names = _countries(country, countries)
    cz_list = list({c.country: c for c in (country_zones(zones, n) for n in names)}.values())
    shapely.prepare(area)
    region = extent.search_region(launch) if extent is not None else None
    launch_in = zones.containing(launch.lon_deg, launch.lat_deg)  # smallest first
    at_launch = set(launch_in)

    hits = sorted(int(j) for j in np.atleast_1d(zones.tree.query(area, predicate="intersects")))
    overlaps_m2 = [(i, _overlap_m2(zones, i, area)) for i in hits]
    overlaps_m2 = [(i, ov) for i, ov in overlaps_m2 if ov > 0]
    launch_zones: tuple[list[ZoneDistance], list[ZoneDistance]] | None = None
    if region is None and len(overlaps_m2) > _ALL_ZONES_FROM:
        # A world-scale area reaches most zones: measure to every zone in one pass.
        every = zone_distances(zones, launch, range(len(zones.zones)))
        outside = sorted((i for i in every if i not in at_launch), key=lambda i: every[i])
        wide = [(i, every[i]) for i in outside[:NEARBY_COUNT]]
        dist = {i: every[i] for i, _ in overlaps_m2}
        inside = sorted(at_launch, key=lambda i: int(zones._rank[i]))
        launch_zones = (
            [
                ZoneDistance(zones.zones[i], every[i] / 1000, "distance_to_boundary_km")
                for i in inside
            ],
            [] if inside else [ZoneDistance(zones.zones[i], d / 1000) for i, d in wide],
        )
    if region is None:
        if launch_zones is None:
            wide = nearby_zones(zones, launch, exclude=at_launch, count=NEARBY_COUNT)
            dist = zone_distances(zones, launch, [i for i, _ in overlaps_m2])
        known: dict[int, float | None] = {
            i: 0.0 if i in at_launch else d / 1000 for i, d in dist.items()
        }
        known.update({i: d / 1000 for i, d in wide})
        near_ids = [i for i, _ in wide]
    else:
        known = {}
        for i in [i for i, _ in overlaps_m2] + [
            i for i, _ in nearby_zones(zones, launch, count=NEARBY_COUNT * 4)
        ]:
            if i not in known:
                found = _nearest_in_region(launch, zones.geoms[i], region)
                known[i] = None if found is None else found[0] / 1000
        near_ids = [i for i in known if known[i] is not None]
    overlaps = [
        ZoneOverlap(
            zones.zones[i],
            ov / 1e6,
            ov / area_m2 if area_m2 > 0 else 0.0,
            ov / zones.zone_area_m2(i),
            known.get(i),
        )
        for i, ov in overlaps_m2
    ]
    overlaps.sort(key=lambda o: -o.overlap_km2)
    reached = {o.zone.name for o in overlaps}
    ranked = sorted(
        ((i, known[i]) for i in near_ids if known.get(i) is not None), key=lambda t: t[1] or 0.0
    )[:NEARBY_COUNT]
    nearest = [
        ZoneDistance(zones.zones[i], d, "distance_from_launch_km")
        for i, d in ranked
        if zones.zones[i].name not in reached
    ]
    if launch_zones is None:
        launch_point = point_verdict(zones, launch)
        launch_zones = (launch_point.containing, launch_point.nearby)
    result = AreaVerdict(
        launch,
        area_m2 / 1e6,
        DatasetSummary.of(zones),
        overlaps,
        nearest,
        containing=launch_zones[0],
        nearby=launch_zones[1],
    )
    result.verdicts = [
        _country_area_verdict(zones, area, area_m2, launch, cz, label, extent, region)
        for cz in cz_list
    ]
    return result


_AT_EDGE_KM = 0.5
"""A zone whose nearest point is this close to an area's inner arc lies on that arc."""


def _round(km: float | None) -> float | None:
    """km to the metre; None when unknown or unbounded (a zone set with no boundary)."""
    return None if km is None or not math.isfinite(km) else round(km, 3)


def _country_area_verdict(
    zones: Zones,
    area: BaseGeometry,
    area_m2: float,
    launch: LonLat,
    cz: CountryZones,
    label: str,
    extent: AreaExtent | None,
    region: BaseGeometry | None,
) -> AreaCountryVerdict:
    if len(cz.indices) == 1:  # one zone: its overlap is already known, no union needed
        ov_km2 = _overlap_m2(zones, cz.indices[0], area) / 1e6
    else:
        ov_km2 = geodesic_area_m2(cz.union.intersection(area)) / 1e6
    reaches = ov_km2 > 0
    bearings = extent.bearings_deg if extent is not None else None
    found = _nearest_in_region(launch, cz.union, region)
    what = label or "the area"
    within = extent.within_text() if extent is not None else ""
    # "nearest point beyond 500 km is 500 km from…", not "beyond 500 km 500 km from…"
    is_ = " is" if within else ""
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
        inner_km = extent.min_range_m / 1000 if extent is not None else 0.0
        if nearest_km is not None and inner_km > 0 and nearest_km - inner_km < _AT_EDGE_KM:
            # not "nearest point beyond 500 km is 500 km from the launch point (the area
            # reaches 50 km past it)": the zone already lies on the inner arc
            sentence += (
                f"; {cz.country}'s EEZ already lies on the area's inner edge, "
                f"{inner_km:,.0f} km from the launch point"
            )
        elif nearest_km is not None:
            sentence += (
                f"; the nearest point of {cz.country}'s EEZ{within} is {nearest_km:,.0f} km "
                "from the launch point"
            )
            if margin_km is not None and outer_km is not None:
                sentence += f", {margin_km:,.0f} km inside the area's {outer_km:,.0f} km edge"
    elif nearest_km is None:
        # not "no part of it lies beyond 500 km", which reads as if the area were empty
        region = within.replace("its bearings", "the area's bearings")
        sentence = f"{what} does not reach {cz.country}'s EEZ: {cz.country} has no zone{region}"
    else:
        sentence = (
            f"{what} does not reach {cz.country}'s EEZ: nearest point{within}{is_} "
            f"{nearest_km:,.0f} km away"
        )
        if margin_km is not None and outer_km is not None:
            sentence += f" ({margin_km:,.0f} km beyond the {outer_km:,.0f} km range)"
    low = extent.low_estimate_m if extent is not None else None
    reaches_low: bool | None = None
    if low is not None and bearings is None and extent is not None and extent.min_range_m == 0:
        # A disk reaches a zone exactly when the zone's nearest point is within its radius.
        reaches_low = nearest_km is not None and nearest_km * 1000 < low
        sentence += f"; at the lowest published estimate ({low / 1000:,.0f} km) it " + (
            "reaches it too" if reaches_low else "does not"
        )
    return AreaCountryVerdict(
        cz.country,
        status,
        margin_km,
        reaches,
        ov_km2,
        nearest_km,
        nearest_pt,
        bearings is not None,
        within.strip() or "everywhere",
        cz.describe(zones),
        sentence,
        reaches_low,
    )
