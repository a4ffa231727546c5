"""Turn core results (shapes, impacts, zones) into labelled map features."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from geo.core.impact import ReportedImpact
from geo.core.shapes import (
    DEFAULT_TOLERANCE_M,
    Shape,
    annulus,
    impact_area,
    range_area,
    range_ring,
)
from geo.core.types import LonLat
from geo.core.verdicts import AreaExtent

if TYPE_CHECKING:
    from geo.access.zones import Zones
    from geo.present.content import MapFeature


def fmt_km(metres: float) -> str:
    km = metres / 1000.0
    return f"{km:,.0f} km" if km >= 10 else f"{km:,.3g} km"


@dataclass(frozen=True)
class RangeRequest:
    """One area to draw around a centre: a disk, annulus, sector or annular sector."""

    range_m: float
    min_range_m: float = 0.0
    bearing_deg: tuple[float, float] | None = None
    label: str = ""
    properties: Mapping[str, object] | None = None
    """Carried to the map features (missile, who estimated it, source...)."""
    low_estimate_m: float | None = None
    """A missile's lowest published range, when estimates differ: a ring inside the area
    and a clause in verdicts (also ``range_low_km`` in ``properties``)."""


def site_feature(centre: LonLat, name: str, **properties: object) -> MapFeature:
    from geo.present.content import MapFeature

    props = {"name": name, "lon": centre.lon_deg, "lat": centre.lat_deg, **properties}
    return MapFeature(Point(centre.lon_deg, centre.lat_deg), "site", name, props)


def shape_for(centre: LonLat, req: RangeRequest, tolerance_m: float = DEFAULT_TOLERANCE_M) -> Shape:
    if req.bearing_deg is not None:
        return impact_area(
            centre, req.min_range_m, req.range_m, *req.bearing_deg, tolerance_m=tolerance_m
        )
    if req.min_range_m > 0:
        return annulus(centre, req.min_range_m, req.range_m, tolerance_m=tolerance_m)
    return range_area(centre, req.range_m, tolerance_m=tolerance_m)


@dataclass(frozen=True)
class DrawnRange:
    """One requested area drawn around its centre: the shape computed once, its area
    feature (kind range_area or impact_area) and its ring lines."""

    request: RangeRequest
    shape: Shape
    area: MapFeature
    lines: tuple[MapFeature, ...] = ()

    @property
    def extent(self) -> AreaExtent:
        return request_extent(self.request)

    @property
    def features(self) -> list[MapFeature]:
        return [self.area, *self.lines]


def draw_range(
    centre: LonLat,
    site: str,
    req: RangeRequest,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    outline: bool = True,
    **properties: object,
) -> DrawnRange:
    """The area a request describes, as a map feature with its ring lines; ``properties``
    are added to each feature (e.g. the event's name)."""
    from geo.present.content import MapFeature

    shape = shape_for(centre, req, tolerance_m)
    kind = "impact_area" if req.bearing_deg is not None else "range_area"
    label = req.label or (
        f"{fmt_km(req.min_range_m)}–{fmt_km(req.range_m)}"
        if req.min_range_m > 0
        else fmt_km(req.range_m)
    )
    props: dict[str, object] = {
        "site": site,
        "centre_lon": centre.lon_deg,
        "centre_lat": centre.lat_deg,
        "range_km": req.range_m / 1000.0,
        "min_range_km": req.min_range_m / 1000.0,
        "from_bearing_deg": req.bearing_deg[0] if req.bearing_deg else None,
        "to_bearing_deg": req.bearing_deg[1] if req.bearing_deg else None,
        "area_km2": shape.area_m2 / 1e6,
        "tolerance_m": tolerance_m,
        **(req.properties or {}),
    }
    area = MapFeature(shape.geometry, kind, label, props)
    lines: list[MapFeature] = []
    ring_props = {k: v for k, v in props.items() if k != "area_km2"}
    if outline and not shape.outline.is_empty:
        lines.append(MapFeature(shape.outline, "ring", label, ring_props))
    low_m = req.low_estimate_m
    if outline and low_m is not None and low_m < req.range_m:
        # The lowest published estimate: a ring inside the area, not a hole in it.
        low_km = low_m / 1000.0
        low = range_ring(centre, low_m, tolerance_m=tolerance_m)
        low_props = {**ring_props, "range_km": low_km, "estimate": "lowest published"}
        name = props.get("missile", label)
        lines.append(MapFeature(low, "ring", f"{name}: {low_km:,.0f} km (lowest)", low_props))
    for f in (area, *lines):
        f.properties.update(properties)
    return DrawnRange(req, shape, area, tuple(lines))


def range_features(
    centre: LonLat,
    site: str,
    requests: list[RangeRequest],
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    outline: bool = True,
) -> list[MapFeature]:
    """An area feature per request (kind range_area or impact_area) and its ring line."""
    return [
        f
        for req in requests
        for f in draw_range(centre, site, req, tolerance_m=tolerance_m, outline=outline).features
    ]


def impact_features(impact: ReportedImpact, label: str, **properties: object) -> list[MapFeature]:
    from geo.present.content import MapFeature

    props: dict[str, object] = {
        "lon": impact.point.lon_deg,
        "lat": impact.point.lat_deg,
        "distance_km": impact.distance_m / 1000.0,
        "bearing_deg": impact.azimuth_deg,
        "leg": impact.leg,
        "distance_uncertainty_fraction": impact.distance_uncertainty,
        "distance_uncertainty": impact.distance_uncertainty,  # the same: older name, kept
        "bearing_uncertainty_deg": impact.bearing_uncertainty_deg,
        **properties,
    }
    feats = [MapFeature(Point(*impact.point), "reported_impact", label, props)]
    if not impact.area.geometry.is_empty:
        area_props = {**props, "area_km2": impact.area.area_m2 / 1e6}
        feats.append(
            MapFeature(
                impact.area.geometry, "impact_uncertainty", f"{label} (uncertainty)", area_props
            )
        )
    return feats


def zone_features(
    zones: Zones, around: BaseGeometry | None = None, margin_deg: float = 8.0
) -> list[MapFeature]:
    """EEZ zones as features; with ``around``, only those near it (by bounding box)."""
    from geo.present.content import MapFeature

    window: BaseGeometry | None = None
    if around is not None and not around.is_empty:
        w, s, e, n = around.bounds
        window = box(
            max(w - margin_deg, -180),
            max(s - margin_deg, -90),
            min(e + margin_deg, 180),
            min(n + margin_deg, 90),
        )
    feats: list[MapFeature] = []
    for zone, geom in zip(zones.zones, zones.geoms, strict=True):
        if window is not None and not geom.intersects(window):
            continue
        props = {
            **zone.to_record(),
            "modelled": zones.info.modelled,
            "dataset": zones.info.name,
        }
        feats.append(MapFeature(geom, "eez", zone.name, props))
    return feats


def missile_requests(names: tuple[str, ...] | list[str]) -> list[RangeRequest]:
    """A range (or a band, when estimates differ) per catalogued missile, labelled with
    the missile and who published the figure."""
    if not names:
        return []
    from geo.access.catalog import lookup_missile

    out = []
    for name in names:
        m = lookup_missile(name)
        hi = m.range_max_km * 1000.0
        lo = (m.range_min_km if m.range_min_km is not None else m.range_max_km) * 1000.0
        span = f"{lo / 1000:,.0f}–{hi / 1000:,.0f} km" if lo < hi else f"{hi / 1000:,.0f} km"
        label = f"{m.name}: {span}"  # who published it goes in the attribution
        props: dict[str, object] = {
            "missile": m.name,
            "estimate_by": m.estimate_by,
            "source": m.source,
        }
        if lo < hi:
            # Estimates of the maximum range differ: the area reaches the highest one;
            # the lowest is drawn as a ring inside it and named in verdicts.
            props["range_low_km"] = lo / 1000.0
        out.append(RangeRequest(hi, 0.0, None, label, props, lo if lo < hi else None))
    return out


def flown_request(flown_m: float, apogee_m: float) -> RangeRequest:
    """The energy-equivalent standard-range ring of an observed flight."""
    from geo.core.ballistics import standard_range_km_for_flight
    from geo.core.geodesy import HALF_MERIDIAN_M

    flown_km, apogee_km = flown_m / 1000.0, apogee_m / 1000.0
    std_km = standard_range_km_for_flight(flown_km, apogee_km)
    props: dict[str, object] = {
        "flown_km": flown_km,
        "apogee_km": apogee_km,
        "model": "vacuum Kepler ellipse, spherical non-rotating Earth: an energy bound",
    }
    if std_km is None:
        label = f"Global reach (energy bound, {flown_km:,.0f} km / {apogee_km:,.0f} km flight)"
        return RangeRequest(HALF_MERIDIAN_M, 0.0, None, label, {**props, "global_reach": True})
    flight = f"{flown_km:,.0f} km / {apogee_km:,.0f} km flight"
    label = f"Standard range {std_km:,.0f} km (energy bound, {flight})"
    return RangeRequest(std_km * 1000.0, 0.0, None, label, {**props, "standard_range_km": std_km})


def notes_for(requests: list[RangeRequest]) -> list[str]:
    """Attribution lines for missile figures and standard-range rings."""
    notes: list[str] = []
    for req in requests:
        props = req.properties or {}
        if "missile" in props:
            notes.append(
                f"{props['missile']} range: {props['estimate_by']}. Source: {props['source']}"
            )
        if "flown_km" in props:
            notes.append(
                "Standard range: energy-equivalent bound from a vacuum Kepler model (no powered "
                "phase, no Earth rotation); not a forecast."
            )
    return list(dict.fromkeys(notes))


def nearest_line_feature(
    launch: LonLat, target: LonLat, country: str, distance_km: float, **properties: object
) -> MapFeature:
    """The geodesic from a launch point to the nearest point of a country's EEZ."""
    from shapely.geometry import LineString

    from geo.core.geodesy import WGS84
    from geo.present.content import MapFeature

    pts = WGS84.npts(launch.lon_deg, launch.lat_deg, target.lon_deg, target.lat_deg, 64)
    coords = [(launch.lon_deg, launch.lat_deg), *pts, (target.lon_deg, target.lat_deg)]
    # continuous longitudes: a map draws this short line without a jump at 180°
    fixed = [coords[0]]
    for x, y in coords[1:]:
        px = fixed[-1][0]
        x += 360.0 * round((px - x) / 360.0)
        fixed.append((x, y))
    label = f"{distance_km:,.0f} km to {country}'s EEZ"
    props = {"country": country, "distance_km": round(distance_km, 3), **properties}
    return MapFeature(LineString(fixed), "nearest", label, props)


def area_name(props: Mapping[str, object], extent: AreaExtent) -> str:
    """How a verdict names an area: 'KN-23 range area (600 km)', 'standard-range area
    (9,983 km, energy bound of the 950 km / 4,475 km flight)', '100–600 km impact area
    (bearings 60°–120°)'."""
    if "missile" in props:
        hi = f"{extent.max_range_m / 1000:,.0f} km"
        low = extent.low_estimate_m
        span = f"{low / 1000:,.0f}–{hi}" if low is not None else hi
        return f"{props['missile']} range area ({span})"
    if props.get("global_reach"):
        return "energy-equivalent area (global reach)"
    if "standard_range_km" in props:
        return (
            f"standard-range area ({props['standard_range_km']:,.0f} km, energy bound of the "
            f"{props['flown_km']:,.0f} km / {props['apogee_km']:,.0f} km flight)"
        )
    return extent.describe()


def request_extent(req: RangeRequest) -> AreaExtent:
    """What a requested area is around its centre, for verdicts."""
    return AreaExtent(req.min_range_m, req.range_m, req.bearing_deg, req.low_estimate_m)
