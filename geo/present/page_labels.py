"""The label part of the interactive page's data: the layout model's specs, in lon/lat.

The page's ``labels.js`` places the names at run time (the map can be panned, zoomed and
resized) with the same algorithm as :class:`geo.present.layout.Placer`, over the fields of
:func:`label_payload`, with the constants of :data:`geo.present.layout.PLACER_CONSTANTS`
(sent as ``data.placer``). Places are computed here in Web Mercator, the page's plane.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.present.area_names import (
    SUBJECT_COUNTRY_LABEL_SHARE,
    is_subject_country,
    visible_part,
    visible_pieces,
)
from geo.present.basemap import Basemap, Extent, label_points, parts, runs_through
from geo.present.content import MapContent, MapFeature
from geo.present.layout import XY, LabelSpec, Plane, label_specs
from geo.present.style import (
    COUNTRY_LABEL_SHARE,
    MAX_COUNTRY_LABELS,
    ZONE_LABEL_SHARE,
    short_name,
    zone_label,
    zone_label_color,
)

if TYPE_CHECKING:
    from geo.present.html_map import View

MAX_LABEL_LAT = 83.0
"""Names stay where Web Mercator still shows the map (it ends at 85°)."""


def _merc_y(lat: float) -> float:
    lat = max(-89.9, min(89.9, lat))
    return math.log(math.tan(math.pi / 4.0 + math.radians(lat) / 2.0))


def _merc_lat(y: float) -> float:
    return math.degrees(2.0 * math.atan(math.exp(y)) - math.pi / 2.0)


def _to_plane(g: BaseGeometry) -> BaseGeometry:
    import numpy as np
    import shapely

    def fn(c: np.ndarray) -> np.ndarray:
        lat = np.clip(c[:, 1], -89.9, 89.9)
        y = np.log(np.tan(np.pi / 4.0 + np.radians(lat) / 2.0))
        return np.column_stack([np.radians(c[:, 0]), y])

    return shapely.transform(g, fn)


def page_plane(view: View) -> Plane:
    """Web Mercator (x: radians of longitude in the page's window, y: Mercator)."""
    top = _merc_y(MAX_LABEL_LAT)
    return Plane(
        shown=lambda g: _to_plane(view.window(g)),
        inside=lambda x, y, margin: abs(y) <= top,
        scale=math.radians(max(view.extent.width, 0.01)),
    )


def _lat_lon(p: XY) -> list[float]:
    return [round(_merc_lat(p[1]), 5), round(math.degrees(p[0]), 5)]


def label_payload(spec: LabelSpec) -> dict[str, Any]:
    """A name for the page: the spec's fields, places as [lat, lon]."""
    around = None
    if spec.around is not None:
        (s, w), (n, e) = _lat_lon(spec.around[:2]), _lat_lon(spec.around[2:])
        around = [w, s, e, n]
    return {
        "kind": spec.kind,
        "texts": spec.texts,
        "colour": spec.colour,
        "places": [_lat_lon(p) for p in spec.places],
        "normals": [[round(nx, 4), round(ny, 4)] for nx, ny in spec.normals],
        "key": spec.key,
        "side": None if spec.side is None else [round(v, 4) for v in spec.side],
        "around": around,
        "priority": spec.priority,
        "leader": spec.leader,
        **({"attached": True} if spec.attached else {}),
    }


def feature_labels(content: MapContent, view: View) -> dict[int, dict[str, Any]]:
    """The page's name of each feature that has one, by the feature's ``id()``."""
    out: dict[int, dict[str, Any]] = {}
    for spec in label_specs(content, page_plane(view)):
        if spec.source is not None and id(spec.source) not in out:
            out[id(spec.source)] = label_payload(spec)
    return out


def _region_area(region: Extent) -> float:
    return max(region.width * region.height, 1e-9)


def _shown_at(view: View, p: Point) -> float:
    """The longitude shift (whole turns) that puts ``p`` in the page's window."""
    ps = parts(view.window(p))
    return float(ps[0].x - p.x) if ps and isinstance(ps[0], Point) else 0.0


def zone_label_payload(
    f: MapFeature, content: MapContent, geom: BaseGeometry, view: View
) -> dict[str, Any] | None:
    """A zone's name: ``text``, ``colour`` and ``places``, each [lat, lon, south, west,
    north, east]: a point well inside the zone's part that a map of one usual shape shows,
    and how far the part reaches from it along its parallel and meridian (the page names a
    zone only where the name stays inside the zone)."""
    places: list[list[float]] = []
    for region in view.label_extents():
        poly = visible_part(geom, region.boxes())
        if poly is None or poly.area < ZONE_LABEL_SHARE * _region_area(region):
            continue
        for p in label_points(poly, 6):
            w, s, e, n = runs_through(poly, p)
            dx = _shown_at(view, p)
            place = [round(v, 3) for v in (p.y, p.x + dx, s, w + dx, n, e + dx)]
            if place not in places:
                places.append(place)
    if not places:
        return None
    return {
        "text": zone_label(f, content, lines=True),
        "colour": zone_label_color(f),
        "places": places,
    }


BESIDE_PIECES = 4
"""A subject country's biggest pieces in view that the page may name it beside."""


def country_label_payload(
    bm: Basemap, view: View, subjects: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Names (``text``, ``places`` as [lat, lon]) of the countries whose land a map of a
    usual shape shows a fair share of, biggest first; each place lies well inside the part
    that shows. The subject countries come first, named from a smaller share."""
    regions = view.label_extents()
    ranked: list[tuple[float, str, list[list[float]]]] = []
    for name, geom in bm.countries:
        places: list[list[float]] = []
        share = 0.0
        subject = is_subject_country(name, subjects)
        least = SUBJECT_COUNTRY_LABEL_SHARE if subject else COUNTRY_LABEL_SHARE
        for region in regions:
            poly = visible_part(geom, region.boxes())
            if poly is None:
                continue
            s = poly.area / _region_area(region)
            if s < least:
                continue
            share = max(share, s)
            for p in label_points(poly, 8):
                place = [round(p.y, 3), round(p.x + _shown_at(view, p), 3)]
                if place not in places:
                    places.append(place)
        if places:
            ranked.append((share, name, places))
    ranked.sort(key=lambda r: (not is_subject_country(r[1], subjects), -r[0]))
    geoms = dict(bm.countries)
    out: list[dict[str, Any]] = []
    for share, name, places in ranked[:MAX_COUNTRY_LABELS]:
        item: dict[str, Any] = {"text": short_name(name), "places": places}
        if is_subject_country(name, subjects) and share < COUNTRY_LABEL_SHARE:
            # a subject shown only by small islands: where every place on them is taken, its
            # name stands beside one (area_names.name_beside, as on the slide)
            beside: list[list[float]] = []
            for region in regions:
                for x, y in visible_pieces(geoms[name], region.boxes(), BESIDE_PIECES):
                    pt = Point(x, y)
                    place = [round(y, 3), round(x + _shown_at(view, pt), 3)]
                    if place not in beside:
                        beside.append(place)
            item["beside"] = beside
        out.append(item)
    return out
