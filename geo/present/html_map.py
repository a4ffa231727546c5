"""The interactive briefing map: one self-contained HTML file drawn by Leaflet.

Self-contained means the file makes no network request at all: Leaflet's JavaScript and CSS
(from the ``django-js-lib-leaflet`` package) are inlined, its icons become data URIs, the
basemap is vector data from Natural Earth embedded in the page, and the scale bar, distance
measurement and mouse position are small controls written here rather than CDN plugins.
Only ``online_tiles`` adds a tile layer that loads from the network, on request.

Safety: every user-supplied string reaches the page either through ``html.escape`` (static
HTML) or as JSON data that the script puts into the DOM with ``textContent``; the JSON is
written so that no ``</script>`` can close its tag.

Styles come from :mod:`geo.present.style`, shared with the slide images and the KML export
so that a briefing's HTML map, slides and Google Earth file look alike.
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.access.atomic import write_text_atomic
from geo.errors import RangezoneError
from geo.present.basemap import (
    Basemap,
    Extent,
    basemap,
    extent_of,
    fit_geometries,
    label_points,
    largest_polygon,
    outline,
    parts,
    runs_through,
    to_window,
)
from geo.present.content import MapContent, MapFeature
from geo.present.style import (
    BORDER_COLOR,
    COAST_COLOR,
    COUNTRY_LABEL_SHARE,
    LAND_COLOR,
    MAX_COUNTRY_LABELS,
    ZONE_LABEL_SHARE,
    Style,
    feature_style,
    is_modelled,
    kind_title,
    label_variants,
    ordered_kinds,
    range_label,
    short_name,
    zone_label,
    zone_label_color,
)


def text_value(value: Any) -> str:
    """An attribute value as display text: lists joined, floats trimmed, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.6g}" if math.isfinite(value) else ""
    if isinstance(value, (list, tuple)):
        return ", ".join(text_value(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


# --------------------------------------------------------------------------------------
# The view: which part of the world the map shows and where its longitude window is cut
# --------------------------------------------------------------------------------------

MAX_MERCATOR_LAT = 85.0
SCREEN_ASPECT = 2.4
"""Widest (and, inverted, tallest) screen shape the embedded data is sized for."""
ZOOM_OUT = 1.8
"""How far out from the fitted view the embedded basemap and zones still reach."""
LABEL_ASPECTS = (1.9, 1.5, 1.1, 0.75)
"""Map shapes (width / height) for which zone and country names get a place: a wide
window (1400 x 900 less header and footer is about 1.9), a landscape, a square and a
portrait one."""


def _merc_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4.0 + math.radians(lat) / 2.0))


def _merc_lat(y: float) -> float:
    return math.degrees(2.0 * math.atan(math.exp(y)) - math.pi / 2.0)


@dataclass(frozen=True)
class View:
    extent: Extent
    """What to fit, in continuous longitude (a global extent is centred on the focus)."""
    seam: float
    """Geometries are shown in [seam, seam + 360]: the cut lies opposite the view's centre."""

    def data_extent(self) -> Extent:
        """The region whose data the page embeds: what a screen of any usual shape shows
        when fitted to the content, zoomed out once.

        Web Mercator stretches latitudes, so the region is sized in Mercator units: a wide
        screen fitted to a tall extent shows far more longitude than the content spans.
        """
        return self._shown(SCREEN_ASPECT, SCREEN_ASPECT, ZOOM_OUT)

    def screen_extent(self, aspect: float) -> Extent:
        """What a map of ``aspect`` (width / height) shows when fitted to the content."""
        return self._shown(aspect, aspect, 1.0)

    def label_extents(self) -> list[Extent]:
        """Where names are placed, in the order the page tries them: the region a wide, a
        landscape, a square and a portrait map show, then the content itself. The page keeps
        the first place that its actual map shows."""
        if self.extent.is_global:
            return [self.extent]
        return [*(self.screen_extent(a) for a in LABEL_ASPECTS), self.extent]

    def _shown(self, wide: float, tall: float, zoom: float) -> Extent:
        """The region a map shows when fitted to the content: as wide as a screen of aspect
        ``wide`` and as tall as one of aspect ``tall`` (width / height) would show, times
        ``zoom``."""
        e = self.extent
        if e.is_global:
            return Extent(e.west, -90.0, e.east, 90.0)
        y0, y1 = _merc_y(max(e.south, -MAX_MERCATOR_LAT)), _merc_y(min(e.north, MAX_MERCATOR_LAT))
        width = math.radians(max(e.width, 0.01))
        height = max(y1 - y0, 1e-4)
        shown_w = zoom * max(width, wide * height)
        shown_h = zoom * max(height, width / tall)
        mid = 0.5 * (y0 + y1)
        south = _merc_lat(mid - 0.5 * shown_h)
        north = _merc_lat(mid + 0.5 * shown_h)
        south = -90.0 if south <= -MAX_MERCATOR_LAT else south
        north = 90.0 if north >= MAX_MERCATOR_LAT else north
        half = 0.5 * math.degrees(shown_w)
        if half >= 180.0:
            return Extent(e.west, south, e.west + 360.0, north).recentred(e.centre_lon)
        c = e.centre_lon
        return Extent(c - half, south, c + half, north).normalised()

    def window(self, geom: BaseGeometry) -> BaseGeometry:
        return to_window(geom, self.seam)

    @property
    def seams_x(self) -> list[float]:
        return [self.seam, self.seam + 360.0]


def focus_lon(content: MapContent) -> float:
    if content.focus is not None:
        return float(content.focus.lon_deg)
    sites = content.of_kind("site")
    if sites:
        return float(sites[0].geometry.centroid.x)
    return 0.0


def content_view(content: MapContent) -> View:
    """Fit the content that the map is about, with room around the end of a nearest-approach
    line; EEZ zones only when nothing else is shown (a zone such as Russia's reaches from the
    Baltic to Alaska)."""
    extent = extent_of(fit_geometries(content))
    if extent is None:
        lon = focus_lon(content)
        lat = float(content.focus.lat_deg) if content.focus is not None else 0.0
        extent = Extent(lon - 10.0, lat - 8.0, lon + 10.0, lat + 8.0).normalised()
    if extent.is_global:
        extent = extent.recentred(focus_lon(content))
    return View(extent, extent.seam)


# --------------------------------------------------------------------------------------
# Geometry to JSON
# --------------------------------------------------------------------------------------


def _decimals_for(tolerance_deg: float) -> int:
    """Enough decimals to keep vertices well inside the simplification tolerance."""
    return int(min(5, max(2, math.ceil(-math.log10(max(tolerance_deg, 1e-6))) + 1)))


def _coords(geom: BaseGeometry, nd: int) -> Any:
    def pts(seq: Any) -> list[list[float]]:
        a = np.round(np.asarray(seq, dtype=float)[:, :2], nd)
        out: list[list[float]] = a.tolist()
        return out

    if isinstance(geom, Point):
        return pts([geom.coords[0]])[0]
    if isinstance(geom, LineString):
        return pts(geom.coords)
    if isinstance(geom, Polygon):
        return [pts(r.coords) for r in [geom.exterior, *geom.interiors]]
    raise TypeError(geom.geom_type)


def geometry_json(geom: BaseGeometry, decimals: int) -> dict[str, Any] | None:
    """GeoJSON-like dict of the geometry's parts, grouped as one Multi* type per kind.

    Mixed collections are flattened into their polygonal, linear or point parts: a map
    layer draws each kind of part the same way.
    """
    ps = parts(geom)
    polys = [p for p in ps if isinstance(p, Polygon)]
    lines = [p for p in ps if isinstance(p, LineString)]
    points = [p for p in ps if isinstance(p, Point)]
    if polys:
        return {"type": "MultiPolygon", "coordinates": [_coords(p, decimals) for p in polys]}
    if lines:
        return {"type": "MultiLineString", "coordinates": [_coords(p, decimals) for p in lines]}
    if points:
        return {"type": "MultiPoint", "coordinates": [_coords(p, decimals) for p in points]}
    return None


# --------------------------------------------------------------------------------------
# Payload: what the page's script draws
# --------------------------------------------------------------------------------------

IMPACT_IN_AREA_RADIUS = 4.5
"""Pixels: a reported impact's marker inside its uncertainty area (else the style's 6.5)."""

CONTENT_DECIMALS = 5
"""1e-5° is about a metre: below anything a briefing map can show."""


def _leaflet_style(style: Style, hatch_ids: dict[str, str]) -> dict[str, Any]:
    s: dict[str, Any] = {"color": style.color, "weight": style.weight}
    if style.dash:
        s["dashArray"] = " ".join(f"{d:g}" for d in style.dash)
    if style.fill:
        if style.hatch:
            # Leaflet writes fillColor into the path's fill attribute: a local pattern works.
            s["fillColor"] = (
                f"url(#{hatch_ids.setdefault(_hatch_key(style), _hatch_id(hatch_ids))})"
            )
            s["fillOpacity"] = 1.0
        else:
            s["fillColor"] = style.fill
            s["fillOpacity"] = style.fill_opacity
    if style.radius:
        s["radius"] = style.radius
    return s


def _hatch_key(style: Style) -> str:
    return f"{style.fill}|{style.color}"


def _hatch_id(ids: dict[str, str]) -> str:
    return f"rz-hatch-{len(ids)}"


def _hatch_defs(ids: dict[str, str]) -> str:
    out = []
    for key, pid in ids.items():
        fill, stroke = key.split("|")
        out.append(
            f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="7" height="7" '
            f'patternTransform="rotate(45)"><rect width="7" height="7" fill="{fill}" '
            f'fill-opacity="0.07"/><line x1="0" y1="0" x2="0" y2="7" stroke="{stroke}" '
            f'stroke-width="1.4" stroke-opacity="0.38"/></pattern>'
        )
    return "".join(out)


def _label_point(geom: BaseGeometry, prefer: str = "north") -> tuple[float, float] | None:
    """Where a ring's label goes: its northernmost vertex that Web Mercator still shows."""
    best: tuple[float, float] | None = None
    for part in parts(geom):
        coords: Any
        if isinstance(part, Polygon):
            coords = part.exterior.coords
        elif isinstance(part, LineString):
            coords = part.coords
        else:
            coords = part.coords
        a = np.asarray(coords, dtype=float)
        ok = a[np.abs(a[:, 1]) <= MAX_MERCATOR_LAT - 2.0]
        if ok.size == 0:
            continue
        i = int(np.argmax(ok[:, 1])) if prefer == "north" else int(np.argmin(ok[:, 1]))
        cand = (float(ok[i, 0]), float(ok[i, 1]))
        if best is None or (cand[1] > best[1] if prefer == "north" else cand[1] < best[1]):
            best = cand
    return best


def _info_rows(feature: MapFeature, content: MapContent) -> list[list[str]]:
    rows: list[list[str]] = [["Layer", kind_title(feature.kind)]]
    if feature.label:
        rows.append(["Label", feature.label])
    for k, v in feature.properties.items():
        text = text_value(v)
        if text:
            rows.append([str(k), text])
    if feature.kind == "eez" and is_modelled(feature, content):
        rows.append(["Status", "modelled, not an official boundary"])
    return rows


def _eez_name(feature: MapFeature, content: MapContent) -> str:
    name = str(feature.properties.get("name") or feature.label or "Maritime zone")
    return f"{name} (modelled)" if is_modelled(feature, content) else name


@dataclass
class _Payload:
    layers: list[dict[str, Any]]
    hatch_ids: dict[str, str]
    legend: list[tuple[str, Style]]


def _content_layers(content: MapContent, view: View) -> _Payload:
    hatch_ids: dict[str, str] = {}
    legend: dict[str, Style] = {}
    layers: list[dict[str, Any]] = []
    clip = view.data_extent()
    clip_boxes = clip.boxes()
    eez_tol = max(clip.size_deg() / 1500.0, 0.002)
    clip_xs = [x + 360.0 * k for x in (clip.west, clip.east) for k in (-1, 0, 1)]
    have_rings = bool(content.of_kind("ring"))
    regions = view.label_extents()
    areas = [view.window(f.geometry) for f in content.of_kind("impact_uncertainty")]
    for kind in ordered_kinds(content):
        items: list[dict[str, Any]] = []
        for f in content.of_kind(kind):
            style = feature_style(f, content)
            geom = f.geometry
            decimals = CONTENT_DECIMALS
            if kind == "eez":
                # Zones are whole (a zone can span half the globe): keep the map's region.
                geom = shapely.union_all([geom.intersection(b) for b in clip_boxes])
                geom = geom.simplify(eez_tol, preserve_topology=True)
                decimals = _decimals_for(eez_tol)
            if geom.is_empty:
                continue
            shown = view.window(geom)
            gj = geometry_json(shown, decimals)
            if gj is None:
                continue
            legend_key = style.title if kind not in ("ring", "range_area") else ""
            item: dict[str, Any] = {"g": gj, "s": _leaflet_style(style, hatch_ids)}
            if kind == "reported_impact" and any(a.distance(shown) < 1e-6 for a in areas):
                # A smaller dot leaves the uncertainty area around it in view.
                item["s"]["radius"] = IMPACT_IN_AREA_RADIUS
            if gj["type"] == "MultiPolygon":
                line = outline(shown, seams_x=view.seams_x, clip=None)
                if kind == "eez":
                    line = _drop_clip_edges(line, clip_xs, clip)
                if not line.is_empty:
                    # Nothing cut away: the client strokes the polygon's own rings (1) rather
                    # than receiving every vertex twice.
                    whole = abs(line.length - shown.boundary.length) <= 1e-9 * line.length
                    item["o"] = 1 if whole else geometry_json(line, decimals)
            name = _item_name(f, content)
            item["t"] = name
            item["p"] = [name, _info_rows(f, content)]
            label = _item_label(f, shown, have_rings, style, areas)
            if label is not None:
                item["l"] = label
            if kind == "eez":
                zl = _zone_label(f, content, geom, view, regions)
                if zl is not None:
                    item["z"] = zl
            items.append(item)
            if kind in ("ring", "range_area"):
                rl = range_label(f)
                title = f"{'Range' if kind == 'ring' else 'Range area'}{': ' + rl if rl else ''}"
                if kind == "range_area" and have_rings:
                    continue
                legend.setdefault(title, style)
            else:
                legend.setdefault(legend_key, style)
        if items:
            name = kind_title(kind)
            if kind == "eez" and any(is_modelled(f, content) for f in content.of_kind("eez")):
                name += " (modelled)"
            layers.append({"name": html.escape(name), "kind": kind, "items": items})
    legend_items = [(k, s) for k, s in legend.items() if k]
    _cluster_sides(layers)
    return _Payload(layers, hatch_ids, legend_items)


SITE_CLUSTER_DEG = 10.0
"""Sites closer than this (degrees of arc, about 1,100 km) form a cluster whose names keep
the sites' order: each looks away from the others first."""


def _cluster_sides(layers: list[dict[str, Any]]) -> None:
    """A site's label in a cluster gets the direction away from the other sites ([east,
    north], length 0..1: how clearly the site lies at the cluster's edge) as its ninth
    field, and the sites at the edges choose first."""
    sites = [it for lay in layers if lay["kind"] == "site" for it in lay["items"] if "l" in it]

    def at(it: dict[str, Any]) -> tuple[float, float]:
        return float(it["l"][1]), float(it["l"][0])

    for it in sites:
        x, y = at(it)
        k = math.cos(math.radians(y))
        near = []
        for o in sites:
            ox, oy = at(o)
            d = math.hypot((ox - x) * k, oy - y)
            if o is not it and 0 < d <= SITE_CLUSTER_DEG:
                near.append(((ox - x) * k, oy - y))
        if not near:
            continue
        cx = sum(p[0] for p in near) / len(near)
        cy = sum(p[1] for p in near) / len(near)
        spread = max(math.hypot(*p) for p in near)
        d = math.hypot(cx, cy)
        if d > 0:
            strength = min(1.0, d / spread)
            lab = it["l"]
            lab[7] = round(LABEL_PRIORITY["site"] + 0.5 * (1.0 - strength), 4)
            lab.append([round(-cx / d * strength, 3), round(-cy / d * strength, 3)])


def _drop_clip_edges(lines: MultiLineString, xs: list[float], clip: Extent) -> MultiLineString:
    """Zone outlines without the edges made by clipping the zone to the map's region."""
    from geo.present.basemap import _kept_runs

    keep: list[LineString] = []
    ys = np.asarray([clip.south, clip.north])
    for line in lines.geoms:
        keep.extend(_kept_runs(np.asarray(line.coords), np.asarray(xs), ys))
    merged = shapely.line_merge(MultiLineString(keep)) if keep else MultiLineString()
    return MultiLineString([p for p in parts(merged) if isinstance(p, LineString)])


def _item_name(f: MapFeature, content: MapContent) -> str:
    if f.kind == "eez":
        return _eez_name(f, content)
    if f.kind in ("ring", "range_area"):
        rl = range_label(f)
        return f"{kind_title(f.kind)[:-1]}: {rl}" if rl else kind_title(f.kind)[:-1]
    return f.label or kind_title(f.kind)


def _area_around(areas: list[BaseGeometry], p: Point) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the areas that hold ``p`` along its parallel and its
    meridian: a reported impact's name starts past them so that it leaves the uncertainty
    area in view."""
    w, s, e, n = p.x, p.y, p.x, p.y
    for a in areas:
        if a.is_empty or a.distance(p) > 1e-6:
            continue
        minx, miny, maxx, maxy = a.bounds
        across = a.intersection(LineString([(minx - 1.0, p.y), (maxx + 1.0, p.y)]))
        along = a.intersection(LineString([(p.x, miny - 1.0), (p.x, maxy + 1.0)]))
        if not across.is_empty:
            w, e = min(w, float(across.bounds[0])), max(e, float(across.bounds[2]))
        if not along.is_empty:
            s, n = min(s, float(along.bounds[1])), max(n, float(along.bounds[3]))
    return w, s, e, n


LABEL_PRIORITY = {"site": 0, "reported_impact": 1, "line": 2, "ring": 3}
"""Which names the page places first when they compete for room (lower first)."""
RING_LABEL_PLACES = 36
LINE_LABEL_AT = (0.5, 0.6, 0.4, 0.7, 0.3, 0.8, 0.2, 0.88, 0.12)


def _item_label(
    f: MapFeature,
    shown: BaseGeometry,
    have_rings: bool,
    style: Style,
    areas: list[BaseGeometry] | None = None,
) -> list[Any] | None:
    """[lat, lon, text, css class, colour, places, texts, priority] of a permanent label,
    if the feature gets one. ``places`` ([lat, lon], best first; the first is the label's
    own lat and lon; a reported impact's four are the east, west, north and south edges of
    its uncertainty area) and ``texts`` (shorter forms of the text) let the page move or
    shorten the name when it would cover another; ``priority`` says which names choose
    first."""
    if f.kind == "ring" or (f.kind == "range_area" and not have_rings):
        texts = label_variants(f)
        at = _label_point(shown)
        if texts and at is not None:
            places = _ring_places(shown, at)
            return _label(places, texts, "rz-lbl-ring", style.color, "ring", shown.length)
        return None
    if f.kind in ("site", "reported_impact") and f.label:
        p = parts(shown)
        if p and isinstance(p[0], Point):
            pt = p[0]
            places = [(pt.x, pt.y)]
            if f.kind == "reported_impact":
                # The name goes beside the uncertainty area, which stays in view: places
                # on its east, west, north and south edges.
                w, s, e, n = _area_around(areas or [], pt)
                if (w, s, e, n) != (pt.x, pt.y, pt.x, pt.y):
                    places = [(e, pt.y), (w, pt.y), (pt.x, n), (pt.x, s)]
            return _label(places, [f.label], f"rz-lbl-{f.kind}", "#111", f.kind)
    if f.label and f.kind != "eez":
        # Other labelled lines (nearest approach, trajectory): the label near mid-length.
        lines = [p for p in parts(shown) if isinstance(p, LineString)]
        if lines:
            longest = max(lines, key=lambda g: g.length)
            places = []
            for t in LINE_LABEL_AT:
                mid = longest.interpolate(t, normalized=True)
                places.append((float(mid.x), float(mid.y)))
            texts = label_variants(f) or [f.label]
            return _label(places, texts, "rz-lbl-line", style.color, "line")
    return None


def _label(
    places: list[tuple[float, float]],
    texts: list[str],
    cls: str,
    colour: str,
    kind: str,
    size: float = 0.0,
) -> list[Any]:
    ll = [[round(y, 5), round(x, 5)] for x, y in places]
    # rings: the shorter the ring (the less room along it), the earlier it chooses
    priority = LABEL_PRIORITY[kind] + (1.0 - 1.0 / (1.0 + size) if kind == "ring" else 0.0)
    return [ll[0][0], ll[0][1], texts[0], cls, colour, ll, texts[1:], round(priority, 4)]


def _ring_places(shown: BaseGeometry, first: tuple[float, float]) -> list[tuple[float, float]]:
    """Places along a ring for its name: its northernmost point, then points along it,
    the highest and most central first (in Web Mercator, as the page shows them)."""
    segs = [p for p in parts(shown) if isinstance(p, LineString) and p.length > 0]
    if not segs:
        return [first]
    total = sum(g.length for g in segs)
    minx, _, maxx, _ = MultiLineString(segs).bounds
    mid = 0.5 * (minx + maxx)
    scored: list[tuple[float, tuple[float, float]]] = []
    for g in segs:
        n = max(1, round(RING_LABEL_PLACES * g.length / total))
        for i in range(n):
            p = g.interpolate((i + 0.5) / n, normalized=True)
            if abs(p.y) > MAX_MERCATOR_LAT - 2.0:
                continue
            score = _merc_y(p.y) - 0.6 * math.radians(abs(p.x - mid))
            scored.append((score, (float(p.x), float(p.y))))
    scored.sort(key=lambda s: -s[0])
    return [first, *(pt for _, pt in scored)]


def _region_area(region: Extent) -> float:
    return max(region.width * region.height, 1e-9)


def _visible_part(geom: BaseGeometry, region: Extent) -> Polygon | None:
    """The biggest piece of ``geom`` (lon/lat in [-180, 180]) inside ``region`` (a piece cut
    at the antimeridian counts as two)."""
    pieces = []
    for b in region.boxes():
        if b.contains(geom):
            pieces.append(geom)
        elif b.intersects(geom):
            pieces.append(geom.intersection(b))
    polys = [p for piece in pieces for p in [largest_polygon(piece)] if p is not None]
    return max(polys, key=lambda p: p.area) if polys else None


def _shown_at(view: View, p: Point) -> float:
    """The longitude shift (whole turns) that puts ``p`` in the page's window."""
    ps = parts(view.window(p))
    return float(ps[0].x - p.x) if ps and isinstance(ps[0], Point) else 0.0


def _zone_label(
    f: MapFeature, content: MapContent, geom: BaseGeometry, view: View, regions: list[Extent]
) -> list[Any] | None:
    """[text, colour, places] of a zone's name; each place is [lat, lon, south, west, north,
    east]: a point well inside the zone's part that a map of one usual shape shows, and how
    far the part reaches from it along its parallel and meridian (the page names a zone
    only where the name stays inside the zone)."""
    places: list[list[float]] = []
    for region in regions:
        poly = _visible_part(geom, region)
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
    return [zone_label(f, content, lines=True), zone_label_color(f), places]


def _country_labels(bm: Basemap, view: View) -> list[list[Any]]:
    """[name, places] of the countries whose land a map of a usual shape shows a fair share
    of, biggest first; each place ([lat, lon]) lies well inside the part that shows."""
    regions = view.label_extents()
    ranked: list[tuple[float, str, list[list[float]]]] = []
    for name, geom in bm.countries:
        places: list[list[float]] = []
        share = 0.0
        for region in regions:
            poly = _visible_part(geom, region)
            if poly is None:
                continue
            s = poly.area / _region_area(region)
            if s < COUNTRY_LABEL_SHARE:
                continue
            share = max(share, s)
            for p in label_points(poly, 8):
                place = [round(p.y, 3), round(p.x + _shown_at(view, p), 3)]
                if place not in places:
                    places.append(place)
        if places:
            ranked.append((share, name, places))
    ranked.sort(key=lambda r: -r[0])
    return [[short_name(name), places] for _, name, places in ranked[:MAX_COUNTRY_LABELS]]


def _basemap_payload(view: View) -> tuple[dict[str, Any], Basemap]:
    area = view.data_extent()
    bm = basemap(area, labels=False)
    nd = _decimals_for(bm.tolerance_deg)
    land = view.window(bm.land)
    coast = view.window(bm.coast)
    borders = view.window(bm.borders)
    return {
        "land": geometry_json(land, nd),
        "coast": geometry_json(coast, nd),
        "borders": geometry_json(borders, nd),
        "labels": _country_labels(bm, view),
    }, bm


# --------------------------------------------------------------------------------------
# Assets
# --------------------------------------------------------------------------------------

_LEAFLET_DIR = ("js_lib_leaflet", "static", "js_lib_leaflet")


@lru_cache(maxsize=1)
def _leaflet_assets() -> tuple[str, str]:
    """Leaflet 1.9.4's JS and CSS, with its images inlined and its source map dropped."""
    spec = find_spec(_LEAFLET_DIR[0])
    if spec is None or spec.origin is None:
        raise RangezoneError(
            "django-js-lib-leaflet is not installed: it ships Leaflet's files; reinstall rangezone"
        )
    root = Path(spec.origin).parent.joinpath(*_LEAFLET_DIR[1:])
    js = (root / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+\s*$", "", js)
    css = (root / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(m: re.Match[str]) -> str:
        name = m.group(1)
        raw = (root / "images" / name).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(raw).decode('ascii')})"

    css = re.sub(r"url\(images/([A-Za-z0-9_.-]+\.png)\)", data_uri, css)
    if "</script" in js.lower() or "</style" in css.lower():
        raise RangezoneError("Leaflet's files contain a closing tag and cannot be inlined")
    return js, css


def script_json(obj: Any) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' appear literally,
    so no '</script>' or '<!--' in any string can end or confuse the element."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_CSS_LENGTH = re.compile(r"^\d+(\.\d+)?(px|%|em|rem|vh|vw|cm|mm|in|pt)$")


def _css_length(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    v = value.strip()
    if v.isdigit():
        v += "px"
    if not _CSS_LENGTH.match(v):
        from geo.errors import InputError

        raise InputError(f"map {what} {value!r} is not a CSS length such as 800px or 100%")
    return v


_URL_TEMPLATE = re.compile(r"^https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%{}]+$")
"""A URL template: URL characters (RFC 3986) and Leaflet's {s}/{z}/{x}/{y} placeholders;
no space, double quote, backslash or angle bracket."""


def _tiles(name: str) -> dict[str, Any]:
    """An online tile layer from an xyzservices provider name or a URL template.

    ``name`` is HTML-escaped here, as content layer names are: Leaflet's layer control puts
    it into the page as HTML. The URL stays raw (Leaflet sets it as an image source, never
    as markup) but must be a plain URL.
    """
    from geo.errors import InputError

    if "{z}" in name:
        if not name.startswith(("https://", "http://")):
            raise InputError(f"tile URL {name!r} must start with https://")
        if not _URL_TEMPLATE.match(name):
            raise InputError(
                f"tile URL {name!r} is not a plain URL: use only URL characters "
                "(percent-encode others)"
            )
        host = re.sub(r"^https?://([^/?#]+).*$", r"\1", name)
        return {
            "url": name,
            "attribution": f"Tiles: {host}",
            "maxZoom": 19,
            "name": html.escape(host),
        }
    import xyzservices

    try:
        provider = xyzservices.providers.query_name(name)
    except ValueError:
        raise InputError(
            f"unknown tile provider {name!r} (xyzservices name, e.g. OpenStreetMap.Mapnik)"
        ) from None
    if provider.requires_token():
        raise InputError(f"tile provider {name!r} needs an API key: pass its URL template")
    return {
        "url": provider.build_url(fill_subdomain=False),
        "attribution": str(provider.get("attribution", name)),
        "maxZoom": int(provider.get("max_zoom", 19)),
        "subdomains": str(provider.get("subdomains", "abc")),
        "name": html.escape(str(provider.get("name", name))),
    }


# --------------------------------------------------------------------------------------
# Page
# --------------------------------------------------------------------------------------


def _swatch(style: Style, hatch_ids: dict[str, str], kind_hint: str) -> str:
    """A small inline SVG sample of a style for the legend."""
    dash = (
        f' stroke-dasharray="{" ".join(f"{d * 0.7:g}" for d in style.dash)}"' if style.dash else ""
    )
    if style.radius:
        return (
            f'<svg width="26" height="16" aria-hidden="true"><circle cx="13" cy="8" r="5.5" '
            f'fill="{style.fill}" stroke="{style.color if style.color != "#ffffff" else "#111"}" '
            f'stroke-width="1.5"/></svg>'
        )
    if style.fill is None or kind_hint == "line":
        return (
            f'<svg width="26" height="16" aria-hidden="true"><line x1="2" y1="8" x2="24" y2="8" '
            f'stroke="{style.color}" stroke-width="{min(style.weight, 3):g}"{dash}/></svg>'
        )
    if style.hatch:
        fill = f"url(#{hatch_ids.get(_hatch_key(style), '')})"
        opacity = "1"
    else:
        fill, opacity = style.fill, f"{max(style.fill_opacity, 0.12):g}"
    return (
        f'<svg width="26" height="16" aria-hidden="true"><rect x="1.5" y="2.5" width="23" '
        f'height="11" fill="{fill}" fill-opacity="{opacity}" stroke="{style.color}" '
        f'stroke-width="1.4"{dash}/></svg>'
    )


def _legend_html(payload: _Payload, content: MapContent) -> str:
    rows = []
    for title, style in payload.legend:
        hint = "line" if title.startswith("Range:") or style.title == "Trajectory" else ""
        rows.append(
            f'<div class="rz-legend-row">{_swatch(style, payload.hatch_ids, hint)}'
            f"<span>{html.escape(title)}</span></div>"
        )
    base = Style("Land", COAST_COLOR, 1.0, LAND_COLOR, 1.0)
    rows.append(
        f'<div class="rz-legend-row">{_swatch(base, {}, "")}<span>Land (Natural Earth)</span></div>'
    )
    border = Style("Border", BORDER_COLOR, 1.2, dash=(4.0, 3.0))
    rows.append(
        f'<div class="rz-legend-row">{_swatch(border, {}, "line")}'
        f"<span>International border</span></div>"
    )
    return (
        '<details class="rz-legend" id="rz-legend" open><summary>Legend</summary>'
        + "".join(rows)
        + "</details>"
    )


def _tile_csp_source(tiles: dict[str, Any] | None) -> str:
    """' scheme://host' for the CSP's img-src, with a {s} subdomain as the '*.' wildcard."""
    if tiles is None:
        return ""
    m = re.match(r"^(https?)://([^/?#]+)", str(tiles["url"]))
    if not m:
        return " https:"
    scheme, host = m.groups()
    host = re.sub(r"^\{[a-z]+\}\.", "*.", host)
    # A placeholder anywhere else in the host has no CSP form: allow the scheme.
    return f" {scheme}:" if "{" in host else f" {scheme}://{host}"


def _footer_html(content: MapContent, tiles: dict[str, Any] | None) -> str:
    lines = content.attribution_lines()
    out = []
    for i, line in enumerate(lines):
        cls = "rz-attr"
        if i == 0 and content.dataset is not None and content.dataset.modelled:
            cls += " rz-attr-modelled"
        if i == len(lines) - 1:
            cls += " rz-attr-legal"
        out.append(f'<div class="{cls}">{html.escape(line)}</div>')
    base = "Basemap: Natural Earth (public domain)"
    if tiles is not None:
        base += f" · Online tiles: {html.escape(str(tiles['attribution']))}"
    out.append(f'<div class="rz-attr rz-attr-tech">{base} · Map drawn with Leaflet 1.9.4</div>')
    return "".join(out)


def render_html(
    content: MapContent,
    *,
    online_tiles: str | None = None,
    width: str | None = None,
    height: str | None = None,
) -> str:
    """The map as one HTML document.

    ``online_tiles``: an xyzservices provider name (``OpenStreetMap.Mapnik``) or an
    ``https://…/{z}/{x}/{y}.png`` template; adds a tile base layer that needs the network.
    Without it the page makes no network request. ``width``/``height``: CSS lengths for a
    fixed-size map; by default the map fills its window or iframe.
    """
    w = _css_length(width, "width")
    h = _css_length(height, "height")
    tiles = _tiles(online_tiles) if online_tiles else None
    view = content_view(content)
    payload = _content_layers(content, view)
    base, _bm = _basemap_payload(view)
    e = view.extent
    data = {
        "bounds": [
            [max(e.south, -MAX_MERCATOR_LAT), e.west],
            [min(e.north, MAX_MERCATOR_LAT), e.east],
        ],
        "layers": payload.layers,
        "basemap": base,
        "tiles": tiles,
        "colors": {
            "land": LAND_COLOR,
            "coast": COAST_COLOR,
            "border": BORDER_COLOR,
        },
    }
    js, css = _leaflet_assets()
    size_css = ""
    if w or h:
        size_css = ".rz-root{" + (f"width:{w};" if w else "") + (f"height:{h};" if h else "") + "}"
    title = html.escape(content.title)
    sub = f'<p class="rz-subtitle">{html.escape(content.subtitle)}</p>' if content.subtitle else ""
    date = f'<p class="rz-date">{html.escape(content.date)}</p>' if content.date else ""
    fixed = " rz-fixed" if (w or h) else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="rangezone">'
        # A CSP that forbids every network fetch makes the offline promise enforceable;
        # with online tiles it lets images come from the tile host and nothing else.
        + '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        f"img-src data:{html.escape(_tile_csp_source(tiles))}; "
        'font-src data:">' + f"<title>{title}</title>"
        f"<style>{css}</style><style>{_PAGE_CSS}{size_css}</style></head>"
        f'<body class="rz-body{fixed}">'
        '<svg class="rz-defs" width="0" height="0" aria-hidden="true" focusable="false">'
        f"<defs>{_hatch_defs(payload.hatch_ids)}</defs></svg>"
        '<div class="rz-root" id="rz-root">'
        f'<header class="rz-header"><div class="rz-titles"><h1 class="rz-title">{title}</h1>'
        f"{sub}</div>{date}</header>"
        '<main class="rz-map" id="rz-map" aria-label="Map"></main>'
        f'<footer class="rz-footer">{_footer_html(content, tiles)}</footer>'
        f"</div>{_legend_html(payload, content)}"
        f'<script type="application/json" id="rz-data">{script_json(data)}</script>'
        f"<script>{js}</script><script>{_PAGE_JS}</script>"
        "</body></html>\n"
    )


def write_html(
    content: MapContent,
    path: str | os.PathLike[str],
    *,
    online_tiles: str | None = None,
    width: str | None = None,
    height: str | None = None,
) -> None:
    """Write :func:`render_html` to ``path`` atomically."""
    text = render_html(content, online_tiles=online_tiles, width=width, height=height)
    write_text_atomic(path, text)


_PAGE_CSS = """
html,body{height:100%;margin:0;padding:0}
body.rz-fixed{height:auto}
.rz-root{display:flex;flex-direction:column;width:100%;height:100%;box-sizing:border-box;
 font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
 color:#1c2530;background:#fff;overflow:hidden}
.rz-defs{position:absolute;width:0;height:0;overflow:hidden}
.rz-header{flex:0 0 auto;display:flex;align-items:flex-end;gap:12px;padding:8px 14px 7px;
 border-bottom:3px solid #1c2530}
.rz-titles{flex:1 1 auto;min-width:0}
.rz-title{margin:0;font-size:19px;line-height:1.2;font-weight:700;letter-spacing:.01em;
 overflow-wrap:anywhere}
.rz-subtitle{margin:2px 0 0;font-size:13px;color:#44505c;overflow-wrap:anywhere}
.rz-date{margin:0;flex:0 0 auto;font-size:12.5px;color:#44505c;white-space:nowrap;
 font-variant-numeric:tabular-nums}
.rz-map{flex:1 1 auto;min-height:80px;position:relative;background:#d4e4f0}
.rz-footer{flex:0 0 auto;max-height:32%;overflow:auto;padding:4px 14px 5px;font-size:10.5px;
 line-height:1.35;color:#34404c;border-top:1px solid #c9d1d9;background:#fafbfc}
.rz-attr-modelled{font-weight:700;color:#8a1c1c}
.rz-attr-legal{font-weight:600}
.rz-attr-tech{color:#6b7783}
.rz-legend{background:rgba(255,255,255,.94);padding:6px 9px;border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.3);font-size:12px;line-height:1.25;max-width:260px;
 max-height:60vh;overflow:auto;color:#1c2530}
.rz-legend summary{font-weight:700;cursor:pointer;margin-bottom:3px}
.rz-legend-row{display:flex;align-items:center;gap:6px;margin:2px 0}
.rz-legend-row svg{flex:0 0 auto}
.rz-anchor{width:0;height:0}
.rz-lbl{position:absolute;left:0;top:0;white-space:nowrap;pointer-events:none;
 font-weight:700;font-size:12px;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,0 0 4px #fff}
.rz-lbl-ring{transform:translate(-50%,-50%)}
.rz-lbl-line{transform:translate(6px,-50%);font-size:11.5px;font-weight:600}
.rz-lbl-site,.rz-lbl-reported_impact{transform:translate(9px,-50%);font-size:12.5px}
.rz-lbl-reported_impact{font-weight:600;font-size:11.5px}
.rz-lbl-country{transform:translate(-50%,-50%);font-weight:600;font-size:10.5px;
 letter-spacing:.08em;text-transform:uppercase;color:#7d7567;text-shadow:0 0 2px #efebe3,
 0 0 3px #efebe3}
.rz-lbl-zone{transform:translate(-50%,-50%);font-style:italic;font-weight:600;
 font-size:10.5px;line-height:1.15;letter-spacing:.02em;white-space:pre;text-align:center;
 text-shadow:0 0 2px #fff,0 0 3px #fff,0 0 4px #fff}
.rz-mouse{background:rgba(255,255,255,.85);padding:1px 6px;font:11px/1.6 ui-monospace,
 "SFMono-Regular",Menlo,Consolas,monospace;color:#1c2530;border-radius:3px;min-width:16em}
.rz-tools a{display:flex;align-items:center;justify-content:center;color:#1c2530}
.rz-tools a.rz-on{background:#1c2530;color:#fff}
.rz-measure-out{background:rgba(255,255,255,.94);padding:3px 7px;border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.3);font-size:12px;white-space:nowrap;
 font-variant-numeric:tabular-nums}
.rz-measure-out:empty{display:none}
.rz-popup table{border-collapse:collapse;font-size:12px}
.rz-popup th{text-align:left;padding:1px 8px 1px 0;color:#5a6570;font-weight:600;
 vertical-align:top;white-space:nowrap}
.rz-popup td{padding:1px 0;overflow-wrap:anywhere}
.rz-popup h3{margin:0 0 4px;font-size:13px}
.leaflet-container{font-family:inherit;background:#d4e4f0}
.leaflet-control-scale-line{font-size:10.5px;background:rgba(255,255,255,.8)}
@media (max-height:420px){.rz-header{padding:3px 8px 3px;border-bottom-width:2px}
 .rz-title{font-size:14px}.rz-subtitle{font-size:11px}.rz-date{font-size:11px}
 .rz-footer{font-size:9px;line-height:1.25;padding:2px 8px;max-height:24%}
 .rz-attr{display:inline}.rz-attr:not(:last-child)::after{content:" · "}
 .rz-legend{font-size:10.5px;max-height:45vh}}
@media (max-width:560px){.rz-mouse{display:none}.rz-legend{max-width:170px;font-size:10.5px}}
@media print{
 @page{size:A4 landscape;margin:9mm}
 html,body{height:auto}
 .rz-root{width:279mm;height:190mm;overflow:visible}
 .rz-footer{max-height:none;overflow:visible;background:#fff}
 .leaflet-control-zoom,.leaflet-control-layers,.rz-tools,.rz-mouse,.rz-measure-out{
  display:none!important}
 .rz-legend{box-shadow:none;border:1px solid #999;max-height:none}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""

_PAGE_JS = r"""
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('rz-data').textContent);
  var map = L.map('rz-map', {
    zoomSnap: 0.25, zoomDelta: 0.5, attributionControl: false, worldCopyJump: false,
    minZoom: 1, maxZoom: 14
  });
  // Panes fix the drawing order whatever the order of toggling in the layer control.
  [['rz-land', 210], ['rz-land-labels', 215], ['rz-eez', 380], ['rz-base-lines', 390],
   ['rz-zone-labels', 400], ['rz-areas', 405],
   ['rz-rings', 420], ['rz-points', 610], ['rz-labels', 650], ['rz-measure', 660]]
    .forEach(function (p) { map.createPane(p[0]).style.zIndex = p[1]; });
  map.getPane('rz-labels').style.pointerEvents = 'none';
  map.getPane('rz-land-labels').style.pointerEvents = 'none';
  map.getPane('rz-zone-labels').style.pointerEvents = 'none';
  map.getPane('rz-points').classList.add('rz-pts');
  map.getPane('rz-measure').style.pointerEvents = 'none';
  var PANES = { eez: 'rz-eez', range_area: 'rz-areas', impact_area: 'rz-areas',
    impact_uncertainty: 'rz-areas', ring: 'rz-rings', reported_impact: 'rz-points',
    site: 'rz-points' };

  function ll(c) { return [c[1], c[0]]; }
  function latlngs(g) {
    var c = g.coordinates;
    if (g.type === 'MultiPolygon') {
      return c.map(function (poly) { return poly.map(function (r) { return r.map(ll); }); });
    }
    if (g.type === 'MultiLineString') { return c.map(function (l) { return l.map(ll); }); }
    return c.map(ll);
  }
  // Every user string goes in with textContent: nothing from the data becomes markup.
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function popup(p) {
    return function () {
      var box = el('div', 'rz-popup');
      box.appendChild(el('h3', '', p[0]));
      var table = el('table');
      p[1].forEach(function (row) {
        var tr = el('tr');
        tr.appendChild(el('th', '', row[0]));
        tr.appendChild(el('td', '', row[1]));
        table.appendChild(tr);
      });
      box.appendChild(table);
      return box;
    };
  }
  function label(l, pane, extraCls) {
    var inner = el('div', 'rz-lbl ' + l[3] + (extraCls || ''), l[2]);
    if (l[4]) { inner.style.color = l[4]; }
    return L.marker([l[0], l[1]], {
      icon: L.divIcon({ className: 'rz-anchor', html: inner, iconSize: [0, 0] }),
      pane: pane, interactive: false, keyboard: false
    });
  }

  // Names of zones and countries can go to one of several places (computed for maps of
  // usual shapes); declutter() keeps the first that the map shows, clear of other labels.
  var movables = [];
  function movable(text, cls, colour, places, pane) {
    var p = places[0];
    var m = label([p[0], p[1], text, cls, colour], pane);
    movables.push({ m: m, places: places });
    return m;
  }
  // The map's own names (sites, reported impacts, lines, rings) choose before them, in
  // order of priority, among their places and sides; one with no free place at the current
  // zoom takes a shorter text, then hides.
  var owns = [];
  function ownLabel(l, it) {
    var m = label(l, 'rz-labels');
    owns.push({ m: m, it: it, kind: l[3], texts: [l[2]].concat(l[6] || []),
      places: l[5] || [[l[0], l[1]]], pri: l[7] || 0, away: l[8] || null,
      colour: l[4] || '#111' });
    return m;
  }

  var counts = { paths: 0, markers: 0, labels: 0, zoneLabels: 0, countryLabels: 0 };
  var groups = {};
  var overlays = {};
  data.layers.forEach(function (layer) {
    var group = L.featureGroup();
    var pane = PANES[layer.kind] || 'rz-rings';
    layer.items.forEach(function (it) {
      var g = it.g, s = it.s, shape;
      if (g.type === 'MultiPoint') {
        g.coordinates.forEach(function (c) {
          shape = L.circleMarker(ll(c), L.extend({ pane: 'rz-points', fillOpacity: 1 }, s));
          shape.bindTooltip(el('span', '', it.t), { direction: 'top', offset: [0, -6] });
          shape.bindPopup(popup(it.p));
          group.addLayer(shape);
          counts.markers += 1;
        });
      } else if (g.type === 'MultiPolygon') {
        // Fill only: the polygon's own edges include cuts at 180° and at the clip window;
        // the real outline comes separately as lines.
        shape = L.polygon(latlngs(g), L.extend({ pane: pane, stroke: false }, s));
        shape.bindTooltip(el('span', '', it.t), { sticky: true });
        shape.bindPopup(popup(it.p));
        group.addLayer(shape);
        counts.paths += 1;
        if (it.o) {
          var rings = it.o === 1
            ? { type: 'MultiLineString', coordinates: [].concat.apply([], g.coordinates) }
            : it.o;
          group.addLayer(L.polyline(latlngs(rings), L.extend({}, s, {
            pane: pane, interactive: false, fill: false })));
        }
      } else {
        shape = L.polyline(latlngs(g), L.extend({ pane: pane, fill: false }, s));
        shape.bindTooltip(el('span', '', it.t), { sticky: true });
        shape.bindPopup(popup(it.p));
        group.addLayer(shape);
        counts.paths += 1;
      }
      if (it.l) { group.addLayer(ownLabel(it.l, it)); counts.labels += 1; }
      if (it.z) {
        group.addLayer(movable(it.z[0], 'rz-lbl-zone', it.z[1], it.z[2], 'rz-zone-labels'));
        counts.zoneLabels += 1;
      }
    });
    group.addTo(map);
    groups[layer.kind] = group;
    overlays[layer.name] = group;
  });

  // Offline basemap: land fill, coastlines, borders and country names from the page itself.
  var bm = data.basemap, col = data.colors;
  var base = L.layerGroup();
  if (bm.land) {
    base.addLayer(L.polygon(latlngs(bm.land), { pane: 'rz-land', stroke: false,
      fillColor: col.land, fillOpacity: 1, interactive: false }));
  }
  var lines = L.layerGroup();
  if (bm.coast) {
    lines.addLayer(L.polyline(latlngs(bm.coast), { pane: 'rz-base-lines', color: col.coast,
      weight: 0.9, interactive: false }));
  }
  if (bm.borders) {
    lines.addLayer(L.polyline(latlngs(bm.borders), { pane: 'rz-base-lines', color: col.border,
      weight: 1, dashArray: '4 3', interactive: false }));
  }
  bm.labels.forEach(function (c) {
    lines.addLayer(movable(c[0], 'rz-lbl-country', null, c[1], 'rz-land-labels'));
    counts.countryLabels += 1;
  });
  var bases = { 'Offline basemap (Natural Earth)': base };
  if (data.tiles) {
    var t = data.tiles;
    var tiles = L.tileLayer(t.url, { maxZoom: t.maxZoom, subdomains: t.subdomains || 'abc',
      attribution: '' });
    bases[t.name] = tiles;
    tiles.addTo(map);
  } else {
    base.addTo(map);
  }
  lines.addTo(map);
  overlays['Coastlines, borders, countries'] = lines;
  L.control.layers(bases, overlays, { collapsed: true, position: 'topright' }).addTo(map);

  // Legend: static HTML from the page, moved into a map control.
  var Legend = L.Control.extend({
    options: { position: 'bottomright' },
    onAdd: function () {
      var box = document.getElementById('rz-legend');
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });
  var legend = new Legend().addTo(map);

  // Scale bar in kilometres and nautical miles (EEZ limits are stated in NM).
  var Scale = L.Control.Scale.extend({
    _updateImperial: function (maxMeters) {
      var maxNm = maxMeters / 1852, nm = this._getRoundNum(maxNm);
      this._updateScale(this._iScale, nm + ' NM', nm / maxNm);
    }
  });
  new Scale({ position: 'bottomleft', maxWidth: 150 }).addTo(map);

  function wrapLon(lon) { return ((lon + 180) % 360 + 360) % 360 - 180; }
  function fmtLatLng(p) {
    var lat = p.lat, lon = wrapLon(p.lng);
    return Math.abs(lat).toFixed(4) + '\u00b0' + (lat >= 0 ? 'N' : 'S') + '  ' +
      Math.abs(lon).toFixed(4) + '\u00b0' + (lon >= 0 ? 'E' : 'W');
  }
  var Mouse = L.Control.extend({
    options: { position: 'bottomleft' },
    onAdd: function (m) {
      var box = el('div', 'rz-mouse', 'Move the pointer over the map');
      m.on('mousemove', function (e) { box.textContent = fmtLatLng(e.latlng); });
      return box;
    }
  });
  new Mouse().addTo(map);

  // Distance on the WGS84 ellipsoid (Vincenty's inverse formula); nearly antipodal points,
  // where it does not converge, fall back to the sphere.
  function rad(d) { return d * Math.PI / 180; }
  function geodesic(a, b) {
    var A = 6378137, F = 1 / 298.257223563, B = A * (1 - F);
    var U1 = Math.atan((1 - F) * Math.tan(rad(a.lat)));
    var U2 = Math.atan((1 - F) * Math.tan(rad(b.lat)));
    var Lon = rad(b.lng - a.lng), lam = Lon, sinU1 = Math.sin(U1), cosU1 = Math.cos(U1);
    var sinU2 = Math.sin(U2), cosU2 = Math.cos(U2);
    var sinS, cosS, sig, sinAl, cos2Al, cos2Sm, prev, i;
    for (i = 0; i < 200; i++) {
      var sinL = Math.sin(lam), cosL = Math.cos(lam);
      sinS = Math.sqrt(Math.pow(cosU2 * sinL, 2) +
        Math.pow(cosU1 * sinU2 - sinU1 * cosU2 * cosL, 2));
      if (sinS === 0) { return 0; }
      cosS = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
      sig = Math.atan2(sinS, cosS);
      sinAl = cosU1 * cosU2 * sinL / sinS;
      cos2Al = 1 - sinAl * sinAl;
      cos2Sm = cos2Al !== 0 ? cosS - 2 * sinU1 * sinU2 / cos2Al : 0;
      var C = F / 16 * cos2Al * (4 + F * (4 - 3 * cos2Al));
      prev = lam;
      lam = Lon + (1 - C) * F * sinAl * (sig + C * sinS * (cos2Sm + C * cosS *
        (-1 + 2 * cos2Sm * cos2Sm)));
      if (Math.abs(lam - prev) < 1e-12) { break; }
    }
    if (i >= 200) { return map.distance(a, b); }
    var u2 = cos2Al * (A * A - B * B) / (B * B);
    var kA = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
    var kB = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
    var dSig = kB * sinS * (cos2Sm + kB / 4 * (cosS * (-1 + 2 * cos2Sm * cos2Sm) -
      kB / 6 * cos2Sm * (-3 + 4 * sinS * sinS) * (-3 + 4 * cos2Sm * cos2Sm)));
    return B * kA * (sig - dSig);
  }
  // Points along the great circle a..b, so the drawn line follows the measured path.
  function arc(a, b) {
    function vec(p) {
      var la = rad(p.lat), lo = rad(p.lng);
      return [Math.cos(la) * Math.cos(lo), Math.cos(la) * Math.sin(lo), Math.sin(la)];
    }
    var p = vec(a), q = vec(b);
    var dot = Math.max(-1, Math.min(1, p[0] * q[0] + p[1] * q[1] + p[2] * q[2]));
    var om = Math.acos(dot), n = Math.max(1, Math.ceil(om / rad(1))), out = [a], lastLng = a.lng;
    if (om < 1e-9 || Math.abs(om - Math.PI) < 1e-6) { return [a, b]; }
    for (var k = 1; k < n; k++) {
      var t = k / n, so = Math.sin(om);
      var s0 = Math.sin((1 - t) * om) / so, s1 = Math.sin(t * om) / so;
      var x = s0 * p[0] + s1 * q[0], y = s0 * p[1] + s1 * q[1], z = s0 * p[2] + s1 * q[2];
      var lng = Math.atan2(y, x) * 180 / Math.PI;
      lng += 360 * Math.round((lastLng - lng) / 360);  // stay continuous with the display
      lastLng = lng;
      out.push(L.latLng(Math.atan2(z, Math.sqrt(x * x + y * y)) * 180 / Math.PI, lng));
    }
    out.push(b);
    return out;
  }
  function fmtDist(m) {
    var km = m / 1000, nm = m / 1852;
    var f = function (v) {
      return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
    };
    return f(km) + ' km \u00b7 ' + f(nm) + ' NM';
  }

  var measure = { active: false, pts: [], total: 0 };
  var mLine = L.polyline([], { pane: 'rz-measure', color: '#111', weight: 2.2,
    dashArray: '6 4', interactive: false });
  var mRubber = L.polyline([], { pane: 'rz-measure', color: '#111', weight: 1.5,
    dashArray: '2 4', interactive: false });
  var mDots = L.layerGroup();
  var out = el('div', 'rz-measure-out');
  function redraw() {
    var path = [];
    for (var i = 1; i < measure.pts.length; i++) {
      path = path.concat(arc(measure.pts[i - 1], measure.pts[i]));
    }
    mLine.setLatLngs(path.length ? path : measure.pts);
  }
  function startMeasure(btn) {
    measure.active = true; measure.pts = []; measure.total = 0;
    btn.classList.add('rz-on');
    map.doubleClickZoom.disable();
    map.getContainer().style.cursor = 'crosshair';
    mLine.addTo(map); mRubber.addTo(map); mDots.addTo(map);
    out.textContent = 'Click points; double-click or Esc to finish';
  }
  function stopMeasure(btn, clear) {
    measure.active = false;
    btn.classList.remove('rz-on');
    map.doubleClickZoom.enable();
    map.getContainer().style.cursor = '';
    mRubber.setLatLngs([]);
    if (clear) {
      mLine.setLatLngs([]); mDots.clearLayers(); measure.pts = []; out.textContent = '';
    }
  }
  var Tools = L.Control.extend({
    options: { position: 'topleft' },
    onAdd: function (m) {
      var box = el('div', 'leaflet-bar rz-tools');
      var fit = el('a', '', '\u2302');
      fit.href = '#'; fit.title = 'Fit the map to its content'; fit.setAttribute('role', 'button');
      var btn = el('a', '', '\u27f7');
      btn.href = '#'; btn.title = 'Measure distance (WGS84 geodesic)';
      btn.setAttribute('role', 'button');
      box.appendChild(fit); box.appendChild(btn);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.on(fit, 'click', function (e) { L.DomEvent.preventDefault(e); fitContent(); });
      L.DomEvent.on(btn, 'click', function (e) {
        L.DomEvent.preventDefault(e);
        var wasOn = measure.active;
        stopMeasure(btn, true);
        if (!wasOn) { startMeasure(btn); }
      });
      m.on('click', function (e) {
        if (!measure.active) { return; }
        var last = measure.pts[measure.pts.length - 1];
        if (last && m.latLngToContainerPoint(last).distanceTo(e.containerPoint) < 4) { return; }
        if (last) { measure.total += geodesic(last, e.latlng); }
        measure.pts.push(e.latlng);
        mDots.addLayer(L.circleMarker(e.latlng, { pane: 'rz-measure', radius: 3, color: '#111',
          weight: 1, fillColor: '#fff', fillOpacity: 1, interactive: false }));
        redraw();
        out.textContent = 'Distance: ' + fmtDist(measure.total);
      });
      m.on('mousemove', function (e) {
        if (!measure.active || !measure.pts.length) { return; }
        var last = measure.pts[measure.pts.length - 1];
        mRubber.setLatLngs(arc(last, e.latlng));
        out.textContent = 'Distance: ' + fmtDist(measure.total + geodesic(last, e.latlng));
      });
      m.on('dblclick', function () { if (measure.active) { stopMeasure(btn, false); } });
      document.addEventListener('keydown', function (e) {
        if (e.key === 'Escape' && measure.active) { stopMeasure(btn, false); }
      });
      return box;
    }
  });
  new Tools().addTo(map);
  var Out = L.Control.extend({ options: { position: 'topleft' },
    onAdd: function () { return out; } });
  new Out().addTo(map);

  var bounds = L.latLngBounds(data.bounds);
  function fitContent() {
    var s = map.getSize(), pad = Math.max(4, Math.min(28, 0.05 * Math.min(s.x, s.y)));
    map.fitBounds(bounds, { padding: [pad, pad], animate: false });
    // Where the legend would cover the content, the content moves over to make room for
    // it (when the map is wide enough to spare the legend's width).
    var box = document.getElementById('rz-legend');
    if (!box || !box.open || s.x < 520 || s.y < 340) { return; }
    var lr = box.getBoundingClientRect(), fr = map.getContainer().getBoundingClientRect();
    var sw = map.latLngToContainerPoint(bounds.getSouthWest());
    var ne = map.latLngToContainerPoint(bounds.getNorthEast());
    var hit = !(fr.left + ne.x < lr.left || fr.left + sw.x > lr.right ||
      fr.top + sw.y < lr.top || fr.top + ne.y > lr.bottom);
    if (hit && lr.width < 0.4 * s.x) {
      map.fitBounds(bounds, { paddingTopLeft: [pad, pad],
        paddingBottomRight: [pad + lr.width + 10, pad], animate: false });
    }
  }
  var avoid = [];
  data.layers.forEach(function (layer) {
    if (layer.kind === 'eez') { return; }
    layer.items.forEach(function (it) {
      if (it.g.type === 'MultiLineString') {
        avoid.push({ kind: layer.kind, it: it, lines: latlngs(it.g) });
      }
    });
  });
  // Where a name of w x h pixels may go around its places, in tiers (nearest first): each
  // candidate is a place and the offset of the name's top left corner from it.
  function tiers(o, w, h) {
    var out = [];
    function at(p, tx, ty) { return { ll: p, tx: tx, ty: ty }; }
    if (o.kind === 'rz-lbl-ring') {
      // on the ring, then just above or below it, then further off (a small ring's name
      // may have to stand beside it)
      out.push(o.places.map(function (p) { return at(p, -w / 2, -h / 2); }));
      [[4, 0], [14, 0], [28, 8], [44, 24]].forEach(function (g) {
        var t = [];
        o.places.forEach(function (p) {
          t.push(at(p, -w / 2, -h - g[0]), at(p, -w / 2, g[0]));
          if (g[1]) { t.push(at(p, g[1], -h / 2), at(p, -g[1] - w, -h / 2)); }
        });
        out.push(t);
      });
      far(o.places.filter(function (p, i) {
        return i % Math.max(1, Math.floor(o.places.length / 8)) === 0;
      }));
      return out;
    }
    // last resorts, further off (a leader joins the name to its feature)
    function far(ps) {
      [64, 100, 150, 220].forEach(function (g) {
        var t = [], d = 0.7 * g;
        ps.forEach(function (p) {
          t.push(at(p, g, -h / 2), at(p, -g - w, -h / 2), at(p, -w / 2, -g - h),
            at(p, -w / 2, g), at(p, d, -d - h), at(p, d, d), at(p, -d - w, -d - h),
            at(p, -d - w, d));
        });
        out.push(t);
      });
    }
    function around(p, g, all) {
      var d = 0.7 * g, t = [at(p, g, -h / 2), at(p, -g - w, -h / 2)];
      if (all) {
        t.push(at(p, d, -d - h), at(p, d, d), at(p, -w / 2, -g - h), at(p, -w / 2, g),
          at(p, -d - w, -d - h), at(p, -d - w, d));
      } else {
        t.push(at(p, -w / 2, -g - h), at(p, -w / 2, g));
      }
      return t;
    }
    if (o.kind === 'rz-lbl-line') {
      [[6, false], [16, true]].forEach(function (m) {
        var t = [];
        o.places.forEach(function (p) { t = t.concat(around(p, m[0], m[1])); });
        out.push(t);
      });
      far(o.places.slice(0, 3));
      return out;
    }
    // a point: its name on either side, above, below or on a diagonal; a reported impact's
    // places are the east, west, north and south edges of its uncertainty area
    var ps = o.places, E = ps[0], W = ps[1] || E, N = ps[2] || E, S = ps[3] || E;
    var ne = [N[0], E[1]], se = [S[0], E[1]], nw = [N[0], W[1]], sw = [S[0], W[1]];
    // directions (east, north) of the candidates below, for a site in a cluster
    var dirs = [[1, 0], [-1, 0], [0.7, 0.7], [0.7, -0.7], [0, 1], [0, -1], [-0.7, 0.7],
      [-0.7, -0.7]];
    [9, 20, 36, 64, 100, 150].forEach(function (g) {
      var d = 0.7 * g;
      var t = [at(E, g, -h / 2), at(W, -g - w, -h / 2), at(ne, d, -d - h), at(se, d, d),
        at(N, -w / 2, -g - h), at(S, -w / 2, g), at(nw, -d - w, -d - h), at(sw, -d - w, d)];
      if (o.away) {
        var order = t.map(function (c, i) { return i; }).sort(function (a, b) {
          var da = dirs[a][0] * o.away[0] + dirs[a][1] * o.away[1];
          var db = dirs[b][0] * o.away[0] + dirs[b][1] * o.away[1];
          return db - da || a - b;
        });
        t = order.map(function (i) { return t[i]; });
      }
      out.push(t);
    });
    return out;
  }
  // Does the segment a-b meet the rectangle [x0, x1] x [y0, y1]? (Liang-Barsky clipping)
  function segHits(a, b, x0, y0, x1, y1) {
    if (Math.max(a.x, b.x) < x0 || Math.min(a.x, b.x) > x1 ||
      Math.max(a.y, b.y) < y0 || Math.min(a.y, b.y) > y1) { return false; }
    var t0 = 0, t1 = 1, dx = b.x - a.x, dy = b.y - a.y;
    var p = [-dx, dx, -dy, dy], q = [a.x - x0, x1 - a.x, a.y - y0, y1 - a.y];
    for (var i = 0; i < 4; i++) {
      if (p[i] === 0) {
        if (q[i] < 0) { return false; }
      } else {
        var t = q[i] / p[i];
        if (p[i] < 0) { if (t > t1) { return false; } if (t > t0) { t0 = t; } }
        else { if (t < t0) { return false; } if (t < t1) { t1 = t; } }
      }
    }
    return true;
  }
  // Country and zone names give way to the map's own labels, to the controls and to
  // bigger countries (listed first); each takes the first of its places that the map shows,
  // and a zone's name only where it fits in the zone's part.
  // A name placed farther from its feature than 1.5 times its height gets a thin line from
  // its nearest edge to the nearest of its places on the feature.
  var leaders = L.layerGroup().addTo(map);
  function leader(o, r) {
    var frame = map.getContainer().getBoundingClientRect(), best = null;
    o.places.forEach(function (p) {
      var c = map.latLngToContainerPoint(p);
      var ex = Math.min(Math.max(c.x, r.left - frame.left), r.right - frame.left);
      var ey = Math.min(Math.max(c.y, r.top - frame.top), r.bottom - frame.top);
      var d = Math.hypot(c.x - ex, c.y - ey);
      if (!best || d < best.d) { best = { d: d, a: p, e: L.point(ex, ey) }; }
    });
    if (!best || best.d <= 1.5 * r.height) { return; }
    var site = o.kind === 'rz-lbl-site' || o.kind === 'rz-lbl-reported_impact';
    leaders.addLayer(L.polyline([map.containerPointToLatLng(best.e), best.a], {
      pane: 'rz-labels', color: site ? '#444' : o.colour, weight: 1.1, opacity: 0.9,
      interactive: false, className: 'rz-leader' }));
  }
  function declutter() {
    var frame = map.getContainer().getBoundingClientRect(), placed = [];
    leaders.clearLayers();
    function overlaps(r) {
      return placed.some(function (p) {
        return !(r.right + 3 < p.left || r.left - 3 > p.right || r.bottom + 2 < p.top ||
          r.top - 2 > p.bottom);
      });
    }
    function inside(r) {
      return r.left >= frame.left + 2 && r.right <= frame.right - 2 &&
        r.top >= frame.top + 2 && r.bottom <= frame.bottom - 2;
    }
    // A zone's name stays inside the zone: within the runs of the zone along the parallel
    // and the meridian through its centre.
    function fits(r, p) {
      if (p.length < 6) { return true; }
      var c = map.latLngToContainerPoint([p[0], p[1]]);
      var w = map.latLngToContainerPoint([p[0], p[3]]);
      var e = map.latLngToContainerPoint([p[0], p[5]]);
      var s = map.latLngToContainerPoint([p[2], p[1]]);
      var n = map.latLngToContainerPoint([p[4], p[1]]);
      var half = 0.45 * r.width, halfH = 0.45 * r.height;
      return c.x - w.x >= half && e.x - c.x >= half && s.y - c.y >= halfH && c.y - n.y >= halfH;
    }
    document.querySelectorAll('.leaflet-control').forEach(function (e) {
      var r = e.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) { placed.push(r); }
    });
    // Markers are round: their boxes less the margin kept around names, so that a name
    // can sit right beside its marker.
    document.querySelectorAll('.rz-pts path').forEach(function (e) {
      var r = e.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        placed.push({ left: r.left + 3, right: r.right - 3, top: r.top + 2, bottom: r.bottom - 2 });
      }
    });
    // Names do not cross the rings and lines that the map is about (a ring's or a line's
    // own name may cross it).
    var segs = [];
    avoid.forEach(function (a) {
      if (!map.hasLayer(groups[a.kind])) { return; }
      a.lines.forEach(function (line) {
        var prev = null;
        line.forEach(function (p) {
          var c = map.latLngToContainerPoint(p);
          if (prev) { segs.push([prev, c, a.it]); }
          prev = c;
        });
      });
    });
    function crosses(r, own) {
      // the box less the leading above and below the letters
      var x0 = r.left - frame.left - 1, x1 = r.right - frame.left + 1;
      var y0 = r.top - frame.top + 2, y1 = r.bottom - frame.top - 2;
      return segs.some(function (sg) {
        return sg[2] !== own && segHits(sg[0], sg[1], x0, y0, x1, y1);
      });
    }
    owns.filter(function (o) { return map.hasLayer(o.m) && o.m.getElement(); })
      .sort(function (a, b) { return a.pri - b.pri; })
      .forEach(function (o) {
        var e = o.m.getElement().firstChild, sized = [], best = null;
        e.style.visibility = 'visible';
        o.texts.forEach(function (text) {
          e.textContent = text;
          e.style.transform = 'none';
          var b = e.getBoundingClientRect();
          sized.push({ text: text, tiers: tiers(o, b.width, b.height), w: b.width,
            h: b.height });
        });
        var levels = Math.max.apply(null, sized.map(function (s) { return s.tiers.length; }));
        for (var lv = 0; lv < levels && !best; lv++) {
          for (var ti = 0; ti < sized.length && !best; ti++) {
            var sz = sized[ti], cands = sz.tiers[lv] || [];
            for (var pass = 0; pass < 2 && !best; pass++) {
              for (var ci = 0; ci < cands.length; ci++) {
                var c = cands[ci], cp = map.latLngToContainerPoint(c.ll);
                var left = frame.left + cp.x + c.tx, top = frame.top + cp.y + c.ty;
                var r = { left: left, top: top, right: left + sz.w, bottom: top + sz.h,
                  width: sz.w, height: sz.h };
                if (!inside(r) || overlaps(r) || (pass === 0 && crosses(r, o.it))) {
                  continue;
                }
                best = { c: c, r: r, text: sz.text };
                break;
              }
            }
          }
        }
        if (!best) {
          // no place near the feature: the nearest free room anywhere in the map
          var sz0 = sized[sized.length - 1], a0 = map.latLngToContainerPoint(o.places[0]);
          var cands2 = [];
          for (var gy = 4; gy + sz0.h < frame.height - 4; gy += sz0.h) {
            for (var gx = 4; gx + sz0.w < frame.width - 4; gx += 0.5 * sz0.h) {
              cands2.push([gx, gy, Math.hypot(gx + sz0.w / 2 - a0.x, gy + sz0.h / 2 - a0.y)]);
            }
          }
          cands2.sort(function (a, b) { return a[2] - b[2]; });
          for (var k = 0; k < cands2.length; k++) {
            var l2 = frame.left + cands2[k][0], t2 = frame.top + cands2[k][1];
            var r2 = { left: l2, top: t2, right: l2 + sz0.w, bottom: t2 + sz0.h,
              width: sz0.w, height: sz0.h };
            if (!overlaps(r2)) {
              best = { c: { ll: o.places[0], tx: cands2[k][0] - a0.x, ty: cands2[k][1] - a0.y },
                r: r2, text: sz0.text };
              break;
            }
          }
        }
        if (best) {
          e.textContent = best.text;
          o.m.setLatLng(best.c.ll);
          e.style.transform = 'translate(' + best.c.tx + 'px,' + best.c.ty + 'px)';
          placed.push(best.r);
          leader(o, best.r);
        } else {
          e.textContent = o.texts[0];
          e.style.transform = '';
          e.style.visibility = 'hidden';
          o.m.setLatLng(o.places[0]);
        }
      });
    movables.forEach(function (it) {
      var icon = it.m.getElement();
      if (!icon || !map.hasLayer(it.m)) { return; }
      var e = icon.firstChild, r = null, ok = false;
      e.style.visibility = 'visible';
      for (var i = 0; i < it.places.length && !ok; i++) {
        var p = it.places[i];
        it.m.setLatLng([p[0], p[1]]);
        r = e.getBoundingClientRect();
        ok = inside(r) && !overlaps(r) && fits(r, p) && !crosses(r);
      }
      if (ok) {
        placed.push(r);
      } else {
        e.style.visibility = 'hidden';
        it.m.setLatLng([it.places[0][0], it.places[0][1]]);
      }
    });
  }
  // The legend stays within the map, below the layer control: it scrolls inside when it
  // is taller than the room, and starts folded when even a few rows would not fit.
  function fitLegend() {
    var box = document.getElementById('rz-legend');
    if (!box) { return; }
    var fr = map.getContainer().getBoundingClientRect(), top = fr.top + 10;
    var lc = document.querySelector('.leaflet-control-layers');
    if (lc) { top = Math.max(top, lc.getBoundingClientRect().bottom + 10); }
    var room = Math.floor(fr.bottom - 10 - top - 20);
    box.style.maxHeight = Math.max(0, room) + 'px';
    return room;
  }
  map.on('resize', fitLegend);
  if (fitLegend() < 90) { document.getElementById('rz-legend').open = false; }
  map.on('zoomend moveend overlayadd overlayremove resize', declutter);
  fitContent();
  declutter();
  // Small maps (an iframe in a document) start with the legend folded.
  var sizeNow = map.getSize();
  if (sizeNow.x < 520 || sizeNow.y < 340) { document.getElementById('rz-legend').open = false; }
  if (window.ResizeObserver) {
    var lastSize = sizeNow;
    new ResizeObserver(function () {
      var s = map.getSize();
      map.invalidateSize({ pan: false });
      if (Math.abs(s.x - lastSize.x) + Math.abs(s.y - lastSize.y) > 2) { lastSize = s; }
    }).observe(document.getElementById('rz-map'));
  }
  // Printing changes the page size: redraw for the paper, then back for the screen.
  var screenView = null;
  window.addEventListener('beforeprint', function () {
    screenView = [map.getCenter(), map.getZoom()];
    map.invalidateSize({ pan: false }); fitContent();
  });
  window.addEventListener('afterprint', function () {
    map.invalidateSize({ pan: false });
    if (screenView) { map.setView(screenView[0], screenView[1], { animate: false }); }
  });

  window.rangezoneMap = { map: map, layers: groups, counts: counts, legend: legend,
    fit: fitContent, ready: true };
})();
"""
