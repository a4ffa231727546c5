"""Map content as a ``folium.Map``: the offline page's layers, styles, labels, popups, legend
and attribution, built with folium's own classes and plugins so that a folium user can add
layers and ``save()`` it.

Built from the same :class:`~geo.present.content.MapContent` and the same style table
(:mod:`geo.present.style`) as the offline page: the same fitted view and longitude window
(a ring across the antimeridian stays whole), the Natural Earth land, coast and borders, one
``GeoJson`` per feature styled by a ``style_function``, points as circle markers, tooltips and
escaped popup tables, names as ``DivIcon`` markers in a "Labels" layer, modelled zones dashed
and hatched, a legend, a ``LayerControl``, a ``MeasureControl`` (km) and a ``MousePosition``.
The attribution lines (dataset, citation, licence, sources, disclaimer) are the map's
attribution.

``offline=False`` (default): folium's usual page, loading Leaflet and the plugins' files from
their CDNs when opened. ``offline=True``: the saved page makes no network request. Inlined
from pinned PyPI packages: Leaflet 1.9.4's JavaScript and CSS (icons as data URIs) from
``django-js-lib-leaflet`` (as the offline page), and jQuery 3.7.1 (folium's popups use it)
from ``xstatic-jquery``. What no pinned registry package ships is **left out**: the
``MeasureControl`` (leaflet-measure 2.1.7) and ``MousePosition`` (Leaflet.MousePosition)
plugins, which folium loads from jsDelivr; so are folium's default Bootstrap, Font Awesome
and Leaflet.awesome-markers, which this map does not use.
Elements a user adds later bring their own CDN links (e.g. ``folium.Icon`` markers or tile
layers), which an offline page cannot load. The offline writer
(:func:`geo.present.html_map.write_html`) stays the default for ``build`` and ``ring``.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry

from geo.present.basemap import Extent, basemap, parts
from geo.present.content import MapContent, MapFeature
from geo.present.style import (
    BORDER_COLOR,
    COAST_COLOR,
    COUNTRY_LABEL_COLOR,
    LABEL_TEXT_COLOR,
    LAND_COLOR,
    MAX_COUNTRY_LABELS,
    SEA_COLOR,
    ZONE_LABEL_SHARE,
    Style,
    feature_style,
    is_modelled,
    kind_title,
    label_variants,
    ordered_kinds,
    range_label,
    short_name,
    swatch_edge,
    zone_label,
    zone_label_color,
)

if TYPE_CHECKING:
    import folium

DECIMALS = 5
"""1e-5° is about a metre: below anything a briefing map can show."""
UNLABELLED = ("eez", "range_area", "impact_area", "impact_uncertainty", "reported_leg")
"""Kinds whose label is not written on the map (zones get their own names; a range area is
named by its ring, when there is one; a reported leg repeats its impact's name)."""
POINT_RADIUS = 5.0
"""Pixels: points of kinds without a marker size of their own."""


def _esc(text: str) -> str:
    """HTML-escaped text that is also inert inside the JavaScript template literals
    (backquotes) in which folium places tooltips and popups."""
    return html.escape(text).replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def _css() -> str:
    from geo.present.style import css_color_rule
    from geo.present.web_assets import asset

    return css_color_rule() + "\n" + asset("folium.css")


def _rounded(geom: BaseGeometry, decimals: int) -> dict[str, Any]:
    geom = shapely.transform(geom, lambda xy: np.round(xy, decimals))
    return dict(mapping(geom))


def _path_style(style: Style, hatch: str | None) -> dict[str, Any]:
    s: dict[str, Any] = {"color": style.color, "weight": style.weight, "opacity": 1.0}
    if style.dash:
        s["dashArray"] = " ".join(f"{d:g}" for d in style.dash)
    if style.fill:
        s["fill"] = True
        # Leaflet writes fillColor into the SVG path's fill: a pattern in the page works.
        s["fillColor"] = f"url(#{hatch})" if hatch else style.fill
        s["fillOpacity"] = 1.0 if hatch else style.fill_opacity
    else:
        s["fill"] = False
    return s


def _hatch_svg(ids: dict[str, str]) -> str:
    from geo.present.html_map import hatch_defs

    return f'<svg class="rz-fl-defs" aria-hidden="true"><defs>{hatch_defs(ids)}</defs></svg>'


def _popup_html(name: str, feature: MapFeature, content: MapContent) -> str:
    rows = [("Layer", kind_title(feature.kind))]
    if feature.label:
        rows.append(("Label", feature.label))
    from geo.present.html_map import text_value

    rows += [(str(k), text_value(v)) for k, v in feature.properties.items() if text_value(v)]
    if feature.kind == "eez" and is_modelled(feature, content):
        rows.append(("Status", "modelled, not an official boundary"))
    body = "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in rows)
    return f'<div class="rz-fl-popup"><b>{_esc(name)}</b><table>{body}</table></div>'


def _item_name(f: MapFeature, content: MapContent) -> str:
    if f.kind == "eez":
        name = str(f.properties.get("name") or f.label or "Maritime zone")
        return f"{name} (modelled)" if is_modelled(f, content) else name
    if f.kind in ("ring", "range_area"):
        rl = range_label(f)
        return f"{kind_title(f.kind)[:-1]}: {rl}" if rl else kind_title(f.kind)[:-1]
    return f.label or kind_title(f.kind)


def _label_at(f: MapFeature, shown: BaseGeometry) -> tuple[float, float] | None:
    """(lon, lat) of a feature's name: a point's own place, a ring's northernmost vertex that
    Web Mercator shows, a line's middle."""
    ps = parts(shown)
    if not ps:
        return None
    if isinstance(ps[0], Point):
        return ps[0].x, ps[0].y
    if f.kind == "ring" or f.kind == "range_area":
        best: tuple[float, float] | None = None
        for p in ps:
            ring = p.exterior if isinstance(p, Polygon) else p
            a = np.asarray(ring.coords, dtype=float)
            a = a[np.abs(a[:, 1]) <= 83.0]
            if a.size and (best is None or a[:, 1].max() > best[1]):
                i = int(np.argmax(a[:, 1]))
                best = (float(a[i, 0]), float(a[i, 1]))
        return best
    lines = [p for p in ps if isinstance(p, LineString)]
    if not lines:
        return None
    mid = max(lines, key=lambda g: g.length).interpolate(0.5, normalized=True)
    return mid.x, mid.y


def _div_label(folium_mod: Any, lon: float, lat: float, text: str, cls: str, color: str) -> Any:
    icon = folium_mod.DivIcon(
        html=f'<div class="rz-fl-label {cls}" style="color:{color}">{_esc(text)}</div>',
        icon_size=(0, 0),
        icon_anchor=(0, 0),
        class_name="rz-fl-label-icon",
    )
    return folium_mod.Marker([lat, lon], icon=icon, interactive=False, keyboard=False)


def _swatch(style: Style, hatch: str | None, line: bool) -> str:
    dash = (
        f' stroke-dasharray="{" ".join(f"{d * 0.7:g}" for d in style.dash)}"' if style.dash else ""
    )
    if style.radius:
        stroke = swatch_edge(style)
        return (
            f'<svg width="26" height="16"><circle cx="13" cy="8" r="5.5" fill="{style.fill}" '
            f'stroke="{stroke}" stroke-width="1.5"/></svg>'
        )
    if style.fill is None or line:
        return (
            f'<svg width="26" height="16"><line x1="2" y1="8" x2="24" y2="8" '
            f'stroke="{style.color}" stroke-width="{min(style.weight, 3):g}"{dash}/></svg>'
        )
    fill = f"url(#{hatch})" if hatch else style.fill
    opacity = "1" if hatch else f"{max(style.fill_opacity, 0.12):g}"
    return (
        f'<svg width="26" height="16"><rect x="1.5" y="2.5" width="23" height="11" '
        f'fill="{fill}" fill-opacity="{opacity}" stroke="{style.color}" '
        f'stroke-width="1.4"{dash}/></svg>'
    )


def _legend_html(entries: list[tuple[str, Style, str | None, bool]]) -> str:
    rows = [
        f'<div class="rz-fl-legend-row">{_swatch(s, h, line)}<span>{_esc(t)}</span></div>'
        for t, s, h, line in entries
    ]
    land = Style("Land", COAST_COLOR, 1.0, LAND_COLOR, 1.0)
    border = Style("Border", BORDER_COLOR, 1.2, dash=(4.0, 3.0))
    rows.append(
        f'<div class="rz-fl-legend-row">{_swatch(land, None, False)}'
        "<span>Land (Natural Earth)</span></div>"
    )
    rows.append(
        f'<div class="rz-fl-legend-row">{_swatch(border, None, True)}'
        "<span>International border</span></div>"
    )
    return (
        '<details class="rz-fl-legend" open><summary>Legend</summary>'
        + "".join(rows)
        + "</details>"
    )


def _header_html(content: MapContent) -> str:
    out = f'<div class="rz-fl-header"><h1>{_esc(content.title)}</h1>'
    if content.subtitle:
        out += f'<p class="rz-fl-sub">{_esc(content.subtitle)}</p>'
    if content.date:
        out += f'<p class="rz-fl-date">{_esc(content.date)}</p>'
    return out + "</div>"


def _zone_label_place(geom: BaseGeometry, region: Extent) -> tuple[float, float] | None:
    """Where a zone is named: inside its part within the view, if that part is big enough."""
    boxes = region.boxes()
    part = shapely.union_all([geom.intersection(b) for b in boxes])
    area = sum(b.area for b in boxes)
    if part.is_empty or area <= 0 or part.area / area < ZONE_LABEL_SHARE:
        return None
    polys = [p for p in parts(part) if isinstance(p, Polygon)]
    if not polys:
        return None
    p = max(polys, key=lambda g: g.area).point_on_surface()
    return p.x, p.y


def _merc(lat: float) -> float:
    lat = max(-85.0, min(85.0, lat))
    return math.log(math.tan(math.pi / 4.0 + math.radians(lat) / 2.0))


def _zoom_for(e: Extent, width_px: float = 1400.0, height_px: float = 800.0) -> int:
    """The zoom at which ``e`` fits a usual window. The map starts there: Chromium leaves
    SVG paths unpainted when Leaflet then jumps more than its animation threshold (4 levels)
    to fit the bounds, as it would from a fixed world-scale start."""
    wide = max(e.width, 1e-3) / 360.0
    tall = max(_merc(e.north) - _merc(e.south), 1e-4) / (2.0 * math.pi)
    zoom = math.log2(min(width_px / 256.0 / wide, height_px / 256.0 / tall))
    return int(max(1, min(18, math.floor(zoom))))


def to_folium(content: MapContent, offline: bool = False) -> folium.Map:
    """The map as a ``folium.Map`` (see the module's docstring for what ``offline`` does)."""
    import folium
    from folium import plugins

    from geo.present.html_map import content_view

    view = content_view(content)
    region = view.data_extent()
    e = view.extent
    m = folium.Map(
        location=[e.centre_lat, e.centre_lon],
        zoom_start=_zoom_for(e),
        tiles=None,
        control_scale=True,
        world_copy_jump=False,
    )
    root: Any = m.get_root()
    root.title = _esc(content.title)  # branca writes the title unescaped
    hatch_ids: dict[str, str] = {}

    bm = basemap(region, labels=True)
    attribution = "<br>".join(_esc(line) for line in content.attribution_lines())
    base = folium.FeatureGroup(name="Basemap (Natural Earth)", control=False)
    land_style = {"stroke": False, "fillColor": LAND_COLOR, "fillOpacity": 1.0}
    coast_style = {"color": COAST_COLOR, "weight": 1.0, "fill": False}
    border_style = {"color": BORDER_COLOR, "weight": 1.2, "dashArray": "4 3", "fill": False}
    nd = int(min(DECIMALS, max(2, math.ceil(-math.log10(max(bm.tolerance_deg, 1e-6))) + 1)))
    credit = f"{attribution}<br>Basemap: Natural Earth (public domain)"
    layers = ((bm.land, land_style), (bm.coast, coast_style), (bm.borders, border_style))
    for geom, look in layers:
        if not geom.is_empty:
            folium.GeoJson(
                _rounded(view.window(geom), nd),
                style_function=lambda _f, s=look: s,
                interactive=False,
                control=False,
                # Leaflet's attribution control shows a layer's attribution (as HTML)
                attribution=credit if look is land_style else None,
            ).add_to(base)
    base.add_to(m)

    labels = folium.FeatureGroup(name="Labels")
    for lab in bm.labels[:MAX_COUNTRY_LABELS]:
        lon = float(view.window(Point(lab.lon, lab.lat)).x)
        text = short_name(lab.name)
        _div_label(folium, lon, lab.lat, text, "rz-fl-country", COUNTRY_LABEL_COLOR).add_to(labels)

    legend: dict[str, tuple[Style, str | None, bool]] = {}
    have_rings = bool(content.of_kind("ring"))
    eez_tol = max(region.size_deg() / 1500.0, 0.002)
    for kind in ordered_kinds(content):
        name = kind_title(kind)
        if kind == "eez" and any(is_modelled(f, content) for f in content.of_kind("eez")):
            name += " (modelled)"
        group = folium.FeatureGroup(name=_esc(name))
        drawn = 0
        for f in content.of_kind(kind):
            style = feature_style(f, content)
            geom = f.geometry
            if kind == "eez":
                geom = shapely.union_all([geom.intersection(b) for b in region.boxes()])
                geom = geom.simplify(eez_tol, preserve_topology=True)
            if geom.is_empty:
                continue
            shown = view.window(geom)
            hatch = None
            if style.fill and style.hatch:
                key = f"{style.fill}|{style.color}"
                hatch = hatch_ids.setdefault(key, f"rz-fl-hatch-{len(hatch_ids)}")
            item = _item_name(f, content)
            path = _path_style(style, hatch)
            marker = None
            if style.radius or any(isinstance(p, Point) for p in parts(shown)):
                # every point is a circle: Leaflet's default marker loads icon images
                marker = folium.CircleMarker(
                    radius=style.radius or POINT_RADIUS,
                    color=style.color,
                    weight=style.weight,
                    fill=True,
                    fill_color=style.fill or style.color,
                    fill_opacity=style.fill_opacity if style.fill else 1.0,
                )
            gj = folium.GeoJson(
                _rounded(shown, DECIMALS),
                name=_esc(item),
                style_function=lambda _f, s=path: s,
                marker=marker,
            )
            folium.Tooltip(_esc(item)).add_to(gj)
            folium.Popup(_popup_html(item, f, content), max_width=420).add_to(gj)
            gj.add_to(group)
            drawn += 1
            if kind not in UNLABELLED or (kind == "range_area" and not have_rings):
                texts = label_variants(f) if kind in ("ring", "range_area") else [f.label]
                at = _label_at(f, shown)
                if texts and texts[0] and at is not None:
                    color = style.color if kind in ("ring", "range_area") else LABEL_TEXT_COLOR
                    lab_div = _div_label(folium, at[0], at[1], texts[0], f"rz-fl-{kind}", color)
                    lab_div.add_to(labels)
            if kind == "eez":
                place = _zone_label_place(shown, view.screen_extent(1.5))
                if place is not None:
                    text = zone_label(f, content)
                    zl = _div_label(folium, *place, text, "rz-fl-zone", zone_label_color(f))
                    zl.add_to(labels)
            line = kind == "ring" or style.title == "Trajectory" or style.fill is None
            if kind in ("ring", "range_area"):
                if kind == "range_area" and have_rings:
                    continue
                rl = range_label(f)
                title = f"{'Range' if kind == 'ring' else 'Range area'}{': ' + rl if rl else ''}"
                legend.setdefault(title, (style, hatch, line))
            else:
                legend.setdefault(style.title, (style, hatch, line))
        if drawn:
            group.add_to(m)
    labels.add_to(m)

    root.header.add_child(folium.Element(f"<style>{_css()}</style>"))
    root.header.add_child(folium.Element(f"<style>.folium-map{{background:{SEA_COLOR}}}</style>"))
    root.html.add_child(folium.Element(_hatch_svg(hatch_ids)))
    root.html.add_child(folium.Element(_header_html(content)))
    entries = [(t, s, h, line) for t, (s, h, line) in legend.items()]
    root.html.add_child(folium.Element(_legend_html(entries)))

    folium.LayerControl(collapsed=False).add_to(m)
    if not offline:
        plugins.MeasureControl(  # type: ignore[no-untyped-call]
            position="topleft",
            primary_length_unit="kilometers",
            secondary_length_unit="miles",
            primary_area_unit="sqkilometers",
            secondary_area_unit="hectares",
        ).add_to(m)
        plugins.MousePosition(  # type: ignore[no-untyped-call]
            position="bottomleft", separator=" · ", num_digits=4
        ).add_to(m)
    south, north = max(e.south, -85.0), min(e.north, 85.0)
    m.fit_bounds([[south, e.west], [north, e.east]])
    if offline:
        _inline_leaflet(m)
    return m


def _inline_leaflet(m: folium.Map) -> None:
    """Leaflet's files inlined from django-js-lib-leaflet; folium's CDN links dropped."""
    import folium

    from geo.present.web_assets import leaflet_assets

    js, css = leaflet_assets()
    m.default_js = []
    m.default_css = []
    root: Any = m.get_root()
    # before everything else in the head, so that every later script finds L and $
    scripts = f"<style>{css}</style><script>{js}</script><script>{_jquery()}</script>"
    root.header.add_child(folium.Element(scripts), name="rz_offline_assets", index=0)


JQUERY_PACKAGE = "xstatic-jquery"
JQUERY_VERSION = "3.7.1"


def _jquery() -> str:
    """jQuery 3.7.1 from the pinned PyPI package xstatic-jquery (folium's popups use ``$``)."""
    from pathlib import Path

    from geo.errors import RangezoneError

    try:
        import xstatic.pkg.jquery as xj
    except ImportError:
        raise RangezoneError(
            f"{JQUERY_PACKAGE} is not installed: it ships jQuery {JQUERY_VERSION} for "
            "offline folium maps; reinstall rangezone"
        ) from None
    path = Path(xj.BASE_DIR) / "jquery.min.js"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if f"jQuery v{JQUERY_VERSION}" not in text[:200] or "</script" in text.lower():
        raise RangezoneError(f"{path} is not jQuery {JQUERY_VERSION}: reinstall {JQUERY_PACKAGE}")
    return text
