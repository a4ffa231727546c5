"""Rich display in Jupyter: the HTML behind ``_repr_html_`` of briefings, shapes and verdicts.

A briefing shows its offline page (:func:`geo.present.html_map.render_html`) in an iframe
``srcdoc``: the page stays self-contained, runs sandboxed (scripts only, no same-origin
access to the notebook) and needs no server. Shapes and verdicts show a small table. Every
value is HTML-escaped.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

from geo.present.style import FRAME_EDGE_COLOR

if TYPE_CHECKING:
    from geo.core.shapes import Shape
    from geo.present.content import MapContent

FRAME_HEIGHT_PX = 560


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return f"{value:,.1f}" if abs(value) >= 1e5 else f"{value:,.6g}"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return str(value)


def table_html(rows: list[tuple[str, Any]], caption: str = "") -> str:
    """A two-column table of names and values, escaped."""
    head = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
        f"<td style='text-align:left'>{html.escape(_cell(v))}</td></tr>"
        for k, v in rows
    )
    return f"<table class='rz-table'>{head}{body}</table>"


def map_html(content: MapContent, height_px: int = FRAME_HEIGHT_PX) -> str:
    """The offline page of ``content`` in a sandboxed iframe ``srcdoc``."""
    from geo.present.html_map import render_html

    page = render_html(content)
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts" '
        f'title="{html.escape(content.title, quote=True)}" '
        f'style="width:100%;height:{int(height_px)}px;'
        f'border:1px solid {FRAME_EDGE_COLOR}"></iframe>'
    )


def shape_html(shape: Shape) -> str:
    """Area, bounds and vertex count of a range area, with shapely's own SVG drawing."""
    import shapely

    w, s, e, n = shape.geometry.bounds if not shape.geometry.is_empty else (math.nan,) * 4
    rows: list[tuple[str, Any]] = [
        ("area (km², ellipsoidal)", f"{shape.area_m2 / 1e6:,.1f}"),
        ("geometry", shape.geometry.geom_type),
        ("vertices", int(shapely.get_num_coordinates(shape.geometry))),
        ("west, south, east, north (°)", [round(v, 4) for v in (w, s, e, n)]),
    ]
    svg = shape.geometry._repr_svg_() if not shape.geometry.is_empty else ""
    box = "<div style='display:flex;gap:1em;align-items:flex-start'>"
    return f"{box}{table_html(rows, 'Shape')}{svg}</div>"


def verdict_html(verdict: Any) -> str:
    """One row per country judged (status, margin, P(inside), note), then the zones holding
    the point or area and the dataset, from the verdict's ``to_dict()``."""
    d: dict[str, Any] = verdict.to_dict()
    judged = d.get("verdicts") or ([d["verdict"]] if isinstance(d.get("verdict"), dict) else [])
    parts: list[str] = []
    if judged:
        area = any(isinstance(v, dict) and "reaches" in v for v in judged)
        cols = (
            ["country", "status", "margin_km", "overlap_km2", "nearest_km", "summary"]
            if area
            else ["country", "status", "margin_km", "coast_km", "p_inside", "note"]
        )
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(v.get(c)))}</td>" for c in cols) + "</tr>"
            for v in judged
            if isinstance(v, dict)
        )
        parts.append(f"<table class='rz-table'><tr>{head}</tr>{body}</table>")
    rows: list[tuple[str, Any]] = []
    if "lat" in d and "lon" in d:
        rows.append(("lat, lon", [d["lat"], d["lon"]]))
    if "area_km2" in d:
        rows.append(("area (km²)", d["area_km2"]))
    containing = d.get("containing") or []
    names = [z.get("name", "") if isinstance(z, dict) else str(z) for z in containing]
    rows.append(("in zones", names or "none"))
    if d.get("on_land"):
        rows.append(("on land", d["on_land"]))
    ds = d.get("dataset")
    if isinstance(ds, dict):
        rows.append(("dataset", f"{ds.get('name', '')} ({ds.get('kind', '')})"))
    parts.append(table_html(rows))
    return "<div>" + "".join(parts) + "</div>"
