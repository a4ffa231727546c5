"""Every feature of the content, drawn bottom to top, with its name queued for the labeller."""

from __future__ import annotations

from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.present.basemap import (
    parts,
)
from geo.present.content import MapContent, MapFeature
from geo.present.image.draw import LABEL_PT, Drawer
from geo.present.image.frame import inside, outline_of
from geo.present.image.labels import LINE_LABEL_AT, LabelSpec, ring_anchors
from geo.present.image.legend import line_key
from geo.present.style import (
    Style,
    feature_style,
    label_variants,
    ordered_kinds,
)


def draw_features(
    drawer: Drawer,
    content: MapContent,
    label_specs: list[LabelSpec] | None,
    window: BaseGeometry | None = None,
) -> list[MapFeature]:
    """Draw every feature, bottom to top; queue the names of rings, lines and points into
    ``label_specs`` (when given). Returns the EEZ zones as drawn (simplified; clipped to
    ``window``, a lon/lat polygon, when given)."""
    zones: list[MapFeature] = []
    z = 4.0
    have_rings = bool(content.of_kind("ring"))
    areas = (
        [drawer.proj.geom(drawer.clip(f.geometry)) for f in content.of_kind("impact_uncertainty")]
        if label_specs is not None
        else []
    )
    for kind in ordered_kinds(content):
        for f in content.of_kind(kind):
            style = feature_style(f, content)
            if kind == "eez":
                g = f.geometry if window is None else f.geometry.intersection(window)
                if g.is_empty:
                    continue
                g = g.simplify(drawer.tol_deg, preserve_topology=True)
                f = MapFeature(g, f.kind, f.label, f.properties)
                zones.append(f)
            ps = parts(f.geometry)
            if any(isinstance(p, Polygon) for p in ps):
                drawer.feature_area(f, style, z)
                if kind == "range_area" and not have_rings and label_specs is not None:
                    queue_ring_label(drawer, f, style, label_specs)
            elif any(isinstance(p, LineString) for p in ps):
                drawer.feature_line(f, style, z)
                if label_specs is None:
                    pass
                elif kind == "ring":
                    queue_ring_label(drawer, f, style, label_specs)
                elif f.label and kind != "eez":
                    queue_line_label(drawer, f, style, label_specs)
            else:
                pts = drawer.feature_points(f, style, z + 10)
                if f.label and kind in ("site", "reported_impact") and label_specs is not None:
                    near = 0.008 * 2 * drawer.frame.half_w
                    for x, y in pts:
                        around = area_at(areas, x, y, near) if kind == "reported_impact" else None
                        label_specs.append(
                            LabelSpec(
                                kind,
                                [f.label],
                                "#111111",
                                10.0 if kind == "site" else LABEL_PT,
                                [(x, y, 0.0, 0.0)],
                                around=around,
                            )
                        )
        z += 0.5
    return zones


def area_at(
    areas: list[BaseGeometry], x: float, y: float, near: float
) -> tuple[float, float, float, float] | None:
    """The box (x0, y0, x1, y1) of the areas that lie at or near (x, y), if any."""
    p = Point(x, y)
    boxes = [a.bounds for a in areas if not a.is_empty and a.distance(p) <= near]
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def queue_ring_label(drawer: Drawer, f: MapFeature, style: Style, out: list[LabelSpec]) -> None:
    texts = label_variants(f)
    if not texts:
        return
    line = drawer.proj.geom(drawer.clip(outline_of(f.geometry)))
    anchors = ring_anchors(drawer.frame, line)
    if anchors:
        length = float(line.length)
        out.append(LabelSpec("ring", texts, style.color, 10.0, anchors, line_key(f), length=length))


def queue_line_label(drawer: Drawer, f: MapFeature, style: Style, out: list[LabelSpec]) -> None:
    """A labelled line (nearest approach, trajectory) gets its name near mid-length."""
    lines = [
        p for p in parts(drawer.proj.geom(drawer.clip(f.geometry))) if isinstance(p, LineString)
    ]
    if not lines:
        return
    longest = max(lines, key=lambda g: g.length)
    anchors: list[tuple[float, float, float, float]] = []
    for t in LINE_LABEL_AT:
        p = longest.interpolate(t, normalized=True)
        if inside(drawer.frame, float(p.x), float(p.y), 0.02):
            anchors.append((float(p.x), float(p.y), 0.0, 0.0))
    if anchors:
        texts = label_variants(f) or [f.label]
        out.append(LabelSpec("line", texts, style.color, LABEL_PT, anchors, line_key(f)))
