"""The slide's legend: its entries, and the place where it hides least of the map."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry

from geo.present.area_names import legend_entries
from geo.present.basemap import (
    parts,
)
from geo.present.content import MapContent
from geo.present.image.draw import LABEL_PT, Drawer, mpl_dash, rgba
from geo.present.image.frame import Frame, inside, outline_of
from geo.present.layout import line_key, ring_places
from geo.present.style import (
    BORDER_COLOR,
    COAST_COLOR,
    LABEL_TEXT_COLOR,
    LAND_COLOR,
    LEGEND_EDGE_COLOR,
    PAPER_COLOR,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes


LEGEND_WRAP = 44
"""Legend entries longer than this many characters wrap onto more lines."""


LEGEND_PAD_IN = 0.1
"""Between the legend and the map's frame."""


LEGEND_MAX_COST = 12.0
"""A legend spot that costs more (it would hide a site, a label's place, or more than about
a tenth of the map's width of rings and lines) makes room for the legend beside the
content instead."""


SCALE_BAR_BOX = (0.0, 0.0, 0.31, 0.14)
"""The corner the scale bar takes (axes fractions: x0, y0, x1, y1)."""


def legend_handles(content: MapContent, wrap: int) -> list[Any]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = []
    for entry in legend_entries(content):
        style, kind = entry.style, entry.kind
        title = textwrap.fill(entry.title, wrap, subsequent_indent="  ", break_long_words=False)
        if style.radius:
            edge = style.color if style.color.lower() != PAPER_COLOR else LABEL_TEXT_COLOR
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    markersize=8,
                    markerfacecolor=style.fill,
                    markeredgecolor=edge,
                    label=title,
                )
            )
        elif style.fill and kind != "ring":
            if style.hatch:
                handles.append(
                    Patch(
                        facecolor=rgba(style.fill, 0.06),
                        edgecolor=style.color,
                        hatch="////",
                        linestyle=(0, (4, 2)),
                        label=title,
                    )
                )
            else:
                handles.append(
                    Patch(
                        facecolor=rgba(style.fill, max(style.fill_opacity, 0.15)),
                        edgecolor=style.color,
                        linestyle=mpl_dash(style),
                        label=title,
                    )
                )
        else:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=style.color,
                    linewidth=style.weight,
                    linestyle=mpl_dash(style),
                    label=title,
                )
            )
    handles.append(Patch(facecolor=LAND_COLOR, edgecolor=COAST_COLOR, label="Land"))
    handles.append(
        Line2D([], [], color=BORDER_COLOR, linestyle=(0, (3, 2)), label="International border")
    )
    return handles


def draw_legend(
    ax: Axes, content: MapContent, wrap: int, at: tuple[float, float], ncol: int = 1
) -> Any:
    """The legend with its lower left corner at ``at`` (axes fractions), in ``ncol``
    columns."""
    leg = ax.legend(
        ncols=ncol,
        handles=legend_handles(content, wrap),
        loc="lower left",
        bbox_to_anchor=at,
        borderaxespad=0.0,
        fontsize=LABEL_PT,
        framealpha=0.94,
        edgecolor=LEGEND_EDGE_COLOR,
        fancybox=False,
        borderpad=0.7,
        labelspacing=0.45,
        handlelength=2.2,
        title="Legend",
        title_fontsize=LABEL_PT + 0.5,
        alignment="left",
    )
    leg.set_zorder(30)
    leg.get_title().set_fontweight("bold")
    return leg


def legend_size(ax: Axes, content: MapContent, wrap: int, ncol: int = 1) -> tuple[float, float]:
    """The legend's width and height in axes fractions."""
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    leg = draw_legend(ax, content, wrap, (0.0, 0.0), ncol)
    bb = leg.get_window_extent(renderer)
    box = ax.get_window_extent(renderer)
    leg.remove()
    return bb.width / box.width, bb.height / box.height


@dataclass(frozen=True)
class Ink:
    """What the legend must not hide, in projected metres: the sites and reported impacts,
    the preferred places of ring names, and the rings and lines."""

    points: list[tuple[float, float]]
    anchors: list[tuple[float, float]]
    lines: BaseGeometry | None


def ink_of(drawer: Drawer, content: MapContent) -> Ink:
    points: list[tuple[float, float]] = []
    for f in content.of_kind("site", "reported_impact"):
        pts = [p for p in parts(f.geometry) if isinstance(p, Point)]
        if pts:
            x, y = drawer.proj.xy([p.x for p in pts], [p.y for p in pts])
            points += list(zip(x.tolist(), y.tolist(), strict=True))
    segs: list[LineString] = []
    anchors: list[tuple[float, float]] = []
    for _, kind, line in feature_lines(drawer, content):
        segs += [p for p in parts(line) if isinstance(p, LineString)]
        if kind == "ring":
            at = ring_places(line, lambda x, y: inside(drawer.frame, x, y, 0.04))
            if at:
                anchors.append(at[0][0])
    lines = MultiLineString(segs) if segs else None
    return Ink(points, anchors, lines)


def feature_lines(drawer: Drawer, content: MapContent) -> list[tuple[str, str, BaseGeometry]]:
    """(key, kind, projected line) of each ring, area outline and labelled line; the key ties
    a ring to its area's outline (the same range) so that its name may cross them."""
    out: list[tuple[str, str, BaseGeometry]] = []
    for f in content.features:
        if f.kind in ("eez", "site", "reported_impact"):
            continue
        g = drawer.proj.geom(drawer.clip(outline_of(f.geometry)))
        if g.is_empty or not any(isinstance(p, LineString) for p in parts(g)):
            continue
        out.append((line_key(f), f.kind, g))
    return out


def legend_spots(w: float, h: float, px: float, py: float) -> list[tuple[float, float]]:
    """Lower left corners (axes fractions) of the legend's candidate places, best first."""
    right, left = 1.0 - px - w, px
    top, bottom, middle = 1.0 - py - h, py, 0.5 - 0.5 * h
    centre = 0.5 - 0.5 * w
    return [
        (right, bottom),
        (right, top),
        (right, middle),
        (left, top),
        (left, middle),
        (left, bottom),
        (centre, bottom),
        (centre, top),
    ]


def legend_cost(ink: Ink, frame: Frame, rect: tuple[float, float, float, float]) -> float:
    """How much of the map a legend over ``rect`` (axes fractions) would hide."""
    (x0, x1), (y0, y1) = frame.xlim, frame.ylim
    w, h = x1 - x0, y1 - y0
    fx0, fy0, fx1, fy1 = rect
    sx0, sy0, sx1, sy1 = SCALE_BAR_BOX
    if fx0 < sx1 and sx0 < fx1 and fy0 < sy1 and sy0 < fy1:
        return math.inf
    box = shapely.box(x0 + fx0 * w, y0 + fy0 * h, x0 + fx1 * w, y0 + fy1 * h)
    near = box.buffer(0.015 * w)
    cost = 0.0
    cost += 1000.0 * sum(bool(near.contains(Point(p))) for p in ink.points)
    cost += 200.0 * sum(bool(near.contains(Point(p))) for p in ink.anchors)
    if ink.lines is not None:
        cost += 100.0 * float(ink.lines.intersection(box).length) / w
    if frame.whole_disk:
        disk = Point(0.0, 0.0).buffer(frame.clip_radius, 64)
        cost += 40.0 * float(disk.intersection(box).area) / (w * h)
    return cost


def legend_place(
    ink: Ink, frame: Frame, size: tuple[float, float], pad: tuple[float, float]
) -> tuple[tuple[float, float], float]:
    """The legend's least costly place (its lower left corner) and what it costs."""
    w, h = size
    best: tuple[float, float] = (1.0 - pad[0] - w, pad[1])
    best_cost = math.inf
    for i, (fx, fy) in enumerate(legend_spots(w, h, *pad)):
        cost = legend_cost(ink, frame, (fx, fy, fx + w, fy + h)) + 0.01 * i
        if cost < best_cost:
            best, best_cost = (fx, fy), cost
    return best, best_cost
