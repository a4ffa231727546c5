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

import base64
import dataclasses
import hashlib
import html
import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.access.atomic import write_text_atomic
from geo.present.area_names import legend_entries
from geo.present.basemap import (
    Extent,
    basemap,
    extent_of,
    fit_geometries,
    to_window,
)
from geo.present.content import MapContent, MapFeature
from geo.present.html_basemap import CUT_EPS_DEG, decimals_for, detail_tier, world_tier
from geo.present.layout import PLACER_CONSTANTS, focus_point
from geo.present.page_data import (
    BaseColors,
    Circle,
    PageBasemap,
    PageData,
    PageItem,
    PageLayer,
    PathStyle,
    TileLayer,
    pack_geometry,
    pack_page_data,
    ring_runs,
)
from geo.present.page_labels import country_label_payload, feature_labels, zone_label_payload
from geo.present.style import (
    BORDER_COLOR,
    COAST_COLOR,
    LAND_COLOR,
    Style,
    feature_style,
    is_modelled,
    kind_title,
    ordered_kinds,
    range_label,
    swatch_edge,
)
from geo.present.web_assets import event_css, leaflet_assets, page_css, page_js, page_template
from geo.present.web_events import event_payload


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
ZONE_ZOOM_OUT = 2.8
"""The same for the zones: past what a 1000 x 700 window shows once the legend and the
event panels push the content aside."""
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

    def zone_extent(self) -> Extent:
        """The region whose zones the page embeds: further out than :meth:`data_extent`
        (the land beyond it has a world tier; zones have none), so that a window narrowed by
        the legend shows no zone ending in a straight line (2017-08-29 at 1000 x 700)."""
        out = self._shown(SCREEN_ASPECT, SCREEN_ASPECT, ZONE_ZOOM_OUT)
        return self.data_extent() if out.is_global and not self.extent.is_global else out

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
    return float(focus_point(content).lon_deg)


def content_view(content: MapContent) -> View:
    """Fit the content that the map is about, with room around the end of a nearest-approach
    line; EEZ zones only when nothing else is shown (a zone such as Russia's reaches from the
    Baltic to Alaska)."""
    extent = extent_of(fit_geometries(content))
    if extent is None:
        focus = focus_point(content)
        lon, lat = float(focus.lon_deg), float(focus.lat_deg)
        extent = Extent(lon - 10.0, lat - 8.0, lon + 10.0, lat + 8.0).normalised()
    if extent.is_global:
        extent = extent.recentred(focus_lon(content))
    return View(extent, extent.seam)


# --------------------------------------------------------------------------------------
# Payload: what the page's script draws
# --------------------------------------------------------------------------------------

IMPACT_IN_AREA_RADIUS = 4.5
"""Pixels: a reported impact's marker inside its uncertainty area (else the style's 6.5)."""

CIRCLE_KINDS = ("ring", "range_area", "impact_area")
"""Kinds whose arcs of range circles the page keeps round at every zoom (circles.js)."""


def _circle(props: dict[str, Any]) -> Circle | None:
    """The range circles of a feature whose properties name its centre and range (as
    briefings' do); None for other features."""
    try:
        lat, lon = float(props["centre_lat"]), float(props["centre_lon"])
        radii = [float(props["range_km"]) * 1000.0]
    except (KeyError, TypeError, ValueError):
        return None
    low = props.get("min_range_km")
    if isinstance(low, (int, float)) and low > 0:
        radii.append(float(low) * 1000.0)
    return Circle(lat, lon, tuple(radii))


CONTENT_DECIMALS = 5
"""1e-5° is about a metre: below anything a briefing map can show."""


def _leaflet_style(style: Style, hatch_ids: dict[str, str]) -> PathStyle:
    dash = " ".join(f"{d:g}" for d in style.dash) if style.dash else None
    fill: str | None = None
    opacity: float | None = None
    if style.fill:
        if style.hatch:
            # Leaflet writes fillColor into the path's fill attribute: a local pattern works.
            fill = f"url(#{hatch_ids.setdefault(_hatch_key(style), _hatch_id(hatch_ids))})"
            opacity = 1.0
        else:
            fill, opacity = style.fill, style.fill_opacity
    return PathStyle(style.color, style.weight, dash, fill, opacity, style.radius or None)


def _hatch_key(style: Style) -> str:
    return f"{style.fill}|{style.color}"


def _hatch_id(ids: dict[str, str]) -> str:
    return f"rz-hatch-{len(ids)}"


def hatch_defs(ids: dict[str, str]) -> str:
    """SVG ``<pattern>``s for the hatched fills (``ids``: fill|stroke key -> pattern id);
    shared with the folium map."""
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


def _info_rows(feature: MapFeature, content: MapContent) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = [("Layer", kind_title(feature.kind))]
    if feature.label:
        rows.append(("Label", feature.label))
    for k, v in feature.properties.items():
        text = text_value(v)
        if text:
            rows.append((str(k), text))
    if feature.kind == "eez" and is_modelled(feature, content):
        rows.append(("Status", "modelled, not an official boundary"))
    return rows


def _eez_name(feature: MapFeature, content: MapContent) -> str:
    name = str(feature.properties.get("name") or feature.label or "Maritime zone")
    return f"{name} (modelled)" if is_modelled(feature, content) else name


@dataclass
class _Payload:
    layers: list[PageLayer]
    hatch_ids: dict[str, str]
    legend: list[tuple[str, Style]]


def _content_layers(content: MapContent, view: View) -> _Payload:
    hatch_ids: dict[str, str] = {}
    layers: list[PageLayer] = []
    clip = view.zone_extent()
    clip_boxes = clip.boxes()
    eez_tol = max(clip.size_deg() / 1500.0, 0.002)
    clip_xs = [x + 360.0 * k for x in (clip.west, clip.east) for k in (-1, 0, 1)]
    areas = [view.window(f.geometry) for f in content.of_kind("impact_uncertainty")]
    labels = feature_labels(content, view)
    for kind in ordered_kinds(content):
        items: list[PageItem] = []
        for f in content.of_kind(kind):
            style = feature_style(f, content)
            geom = f.geometry
            decimals = CONTENT_DECIMALS
            if kind == "eez":
                # Zones are whole (a zone can span half the globe): keep the map's region.
                geom = shapely.union_all([geom.intersection(b) for b in clip_boxes])
                geom = geom.simplify(eez_tol, preserve_topology=True)
                decimals = decimals_for(eez_tol)
            if geom.is_empty:
                continue
            shown = view.window(geom)
            packed = pack_geometry(shown, decimals)
            if packed is None:
                continue
            path_style = _leaflet_style(style, hatch_ids)
            if kind == "reported_impact" and any(a.distance(shown) < 1e-6 for a in areas):
                # A smaller dot leaves the uncertainty area around it in view.
                path_style = dataclasses.replace(path_style, radius=IMPACT_IN_AREA_RADIUS)
            runs = None
            if packed.kind == "polygons":
                # The outline is the polygon's own rings less the edges made by cutting it.
                cuts_x = [*view.seams_x, *(clip_xs if kind == "eez" else [])]
                cuts_y = [clip.south, clip.north] if kind == "eez" else []
                runs = ring_runs(shown, cuts_x, cuts_y, CUT_EPS_DEG)
            name = _item_name(f, content)
            item = PageItem(packed, path_style, name, _info_rows(f, content), runs)
            item.label = labels.get(id(f))
            if kind in CIRCLE_KINDS:
                item.circle = _circle(f.properties)
            if kind == "eez":
                item.zone_label = zone_label_payload(f, content, geom, view)
            items.append(item)
        if items:
            name = kind_title(kind)
            if kind == "eez" and any(is_modelled(f, content) for f in content.of_kind("eez")):
                name += " (modelled)"
            layers.append(PageLayer(html.escape(name), kind, items))
    # the legend explains what the page shows, with the slide's entries
    shown = {lay.kind for lay in layers}
    legend = [(e.title, e.style) for e in legend_entries(content) if e.kind in shown]
    return _Payload(layers, hatch_ids, legend)


def _item_name(f: MapFeature, content: MapContent) -> str:
    if f.kind == "eez":
        return _eez_name(f, content)
    if f.kind in ("ring", "range_area"):
        rl = range_label(f)
        return f"{kind_title(f.kind)[:-1]}: {rl}" if rl else kind_title(f.kind)[:-1]
    return f.label or kind_title(f.kind)


def _basemap_payload(view: View, subjects: Sequence[str] = ()) -> PageBasemap:
    area = view.data_extent()
    bm = basemap(area, labels=False)
    tiers = [detail_tier(bm, view.window, view.seams_x)]
    world = world_tier(area, view.window, view.seams_x)
    if world is not None:
        tiers.insert(0, world)
    return PageBasemap(tiers, country_label_payload(bm, view, subjects))


# --------------------------------------------------------------------------------------
# Assets
# --------------------------------------------------------------------------------------


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


def _tiles(name: str) -> TileLayer:
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
        return TileLayer(name, f"Tiles: {host}", 19, html.escape(host))
    import xyzservices

    try:
        provider = xyzservices.providers.query_name(name)
    except ValueError:
        raise InputError(
            f"unknown tile provider {name!r} (xyzservices name, e.g. OpenStreetMap.Mapnik)"
        ) from None
    if provider.requires_token():
        raise InputError(f"tile provider {name!r} needs an API key: pass its URL template")
    return TileLayer(
        url=provider.build_url(fill_subdomain=False),
        attribution=str(provider.get("attribution", name)),
        max_zoom=int(provider.get("max_zoom", 19)),
        name=html.escape(str(provider.get("name", name))),
        subdomains=str(provider.get("subdomains", "abc")),
    )


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
            f'fill="{style.fill}" stroke="{swatch_edge(style)}" '
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


def _tile_csp_source(tiles: TileLayer | None) -> str:
    """' scheme://host' for the CSP's img-src, with a {s} subdomain as the '*.' wildcard."""
    if tiles is None:
        return ""
    m = re.match(r"^(https?)://([^/?#]+)", tiles.url)
    if not m:
        return " https:"
    scheme, host = m.groups()
    host = re.sub(r"^\{[a-z]+\}\.", "*.", host)
    # A placeholder anywhere else in the host has no CSP form: allow the scheme.
    return f" {scheme}:" if "{" in host else f" {scheme}://{host}"


def _footer_html(content: MapContent, tiles: TileLayer | None) -> str:
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
        base += f" · Online tiles: {html.escape(tiles.attribution)}"
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
    e = view.extent
    data = PageData(
        bounds=(
            (max(e.south, -MAX_MERCATOR_LAT), e.west),
            (min(e.north, MAX_MERCATOR_LAT), e.east),
        ),
        layers=payload.layers,
        basemap=_basemap_payload(view, content.subjects),
        colors=BaseColors(LAND_COLOR, COAST_COLOR, BORDER_COLOR),
        lon_window=(view.seam, view.seam + 360.0),
        world_copies=view.data_extent().is_global,
        tiles=tiles,
        placer=PLACER_CONSTANTS,
        event=event_payload(content),
    )
    js, css = leaflet_assets(markers=False)
    fixed = " rz-fixed" if (w or h) else ""
    sub = f'<p class="rz-subtitle">{html.escape(content.subtitle)}</p>' if content.subtitle else ""
    date = f'<p class="rz-date">{html.escape(content.date)}</p>' if content.date else ""
    page = page_template().substitute(
        csp="$csp",
        title=html.escape(content.title),
        leaflet_css=css,
        page_css=page_css() + (event_css() if data.event is not None else ""),
        width=w or "100%",
        height=h or "100%",
        body_class=fixed,
        hatch_defs=hatch_defs(payload.hatch_ids),
        subtitle=sub,
        date=date,
        footer=_footer_html(content, tiles),
        legend=_legend_html(payload, content),
        data=pack_page_data(data),
        leaflet_js=js,
        page_js=page_js(events=data.event is not None),
    )
    # The CSP sits in the head before any user text: the first "$csp" is its placeholder.
    return page.replace("$csp", _csp(page, tiles), 1)


_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.S)


def _csp(page: str, tiles: TileLayer | None) -> str:
    """A Content-Security-Policy that forbids every network fetch (the offline promise,
    enforced) and runs only the page's own scripts and styles, named by their SHA-256; with
    online tiles, images may also come from the tile host."""
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for kind, text in _INLINE.findall(page):
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        hashes[kind].append(f"'sha256-{digest}'")
    return (
        f"default-src 'none'; script-src {' '.join(hashes['script'])}; "
        f"style-src {' '.join(hashes['style'])}; "
        f"img-src data:{html.escape(_tile_csp_source(tiles))}; font-src data:"
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
