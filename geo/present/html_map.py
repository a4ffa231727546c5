"""The interactive briefing map: one self-contained HTML file drawn by Leaflet.

Self-contained means the file makes no network request at all: the page's template, CSS
and scripts (``geo/present/web/``, read by :mod:`geo.present.web_assets`) and Leaflet's
JavaScript and CSS are inlined, Leaflet's icons become data URIs, and the basemap is vector
data from Natural Earth embedded in the page. Only ``online_tiles`` adds a tile layer that
loads from the network, on request.

Safety: every user-supplied string reaches the page either through ``html.escape`` (static
HTML) or as JSON data that the script puts into the DOM with ``textContent``; the JSON is
written so that no ``</script>`` can close its tag.

Styles come from :mod:`geo.present.style`, shared with the slide images and the KML export
so that a briefing's HTML map, slides and Google Earth file look alike.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.access.atomic import write_text_atomic
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
from geo.present.web_assets import leaflet_assets, page_css, page_js, page_template


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
        if not name.startswith("https://"):
            raise InputError(f"tile URL {name!r} must start with https://")
        if not _URL_TEMPLATE.match(name):
            raise InputError(
                f"tile URL {name!r} is not a plain URL: use only URL characters "
                "(percent-encode others)"
            )
        if re.search(r"[;,]", re.split(r"[/?#]", name[len("https://") :], maxsplit=1)[0]):
            # the host goes into the page's Content-Security-Policy, where ; and , separate
            raise InputError(f"tile URL {name!r} has ';' or ',' in its host name")
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
    js, css = leaflet_assets()
    fixed = " rz-fixed" if (w or h) else ""
    sub = f'<p class="rz-subtitle">{html.escape(content.subtitle)}</p>' if content.subtitle else ""
    date = f'<p class="rz-date">{html.escape(content.date)}</p>' if content.date else ""
    # A CSP that forbids every network fetch makes the offline promise enforceable; with
    # online tiles it lets images come from the tile host and nothing else.
    csp = (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        f"img-src data:{html.escape(_tile_csp_source(tiles))}; font-src data:"
    )
    return page_template().substitute(
        csp=csp,
        title=html.escape(content.title),
        leaflet_css=css,
        page_css=page_css(),
        width=w or "100%",
        height=h or "100%",
        body_class=fixed,
        hatch_defs=_hatch_defs(payload.hatch_ids),
        subtitle=sub,
        date=date,
        footer=_footer_html(content, tiles),
        legend=_legend_html(payload, content),
        data=script_json(data),
        leaflet_js=js,
        page_js=page_js(),
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
