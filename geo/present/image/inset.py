"""A detail view of reported impacts whose uncertainty areas are too small to see."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from geo.present.basemap import (
    basemap,
)
from geo.present.content import MapContent
from geo.present.image.draw import LABEL_PT, Drawer, draw_features, halo, nice
from geo.present.image.frame import Frame, view_extent
from geo.present.image.labels import Labeller
from geo.present.style import (
    INK_COLOR,
    SEA_COLOR,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


INSET_MIN_PX_AT_200DPI = 110.0
"""A reported impact's uncertainty area narrower than this on the slide (at 200 dpi, about
0.55 in) also gets a detail view: on the map, the impact's marker would hide it."""


INSET_GAP_SHARE = 0.03
"""Between the magnified area and the inset beside it, as a share of the map's width."""
INSET_FAR_COST = 30.0
"""Cost per pixel between the inset's centre and the area: about as much as covering a
name's box of 30 square pixels, so a near place wins unless it hides something."""


def impact_inset(
    fig: Figure,
    ax: Axes,
    content: MapContent,
    main: Drawer,
    labeller: Labeller,
    areas: list[BaseGeometry],
) -> Any:
    """A detail view of the reported impacts' uncertainty areas when they are too small to
    see on the map: a framed inset in a free corner, linked to a box around the area."""
    from matplotlib.patches import ConnectionPatch, Rectangle

    shown = [a for a in areas if not a.is_empty]
    if not shown:
        return None
    x0, y0, x1, y1 = shapely.union_all(shown).bounds
    size = max(x1 - x0, y1 - y0)
    to_px = ax.transData.transform((1.0, 0.0))[0] - ax.transData.transform((0.0, 0.0))[0]
    if size * to_px >= INSET_MIN_PX_AT_200DPI * fig.dpi / 200.0 or size <= 0:
        return None
    box = labeller.box
    inset_h = min(0.36 * box.height, 2.3 * fig.dpi)
    inset_w = inset_h * 1.25
    margin = 0.012 * box.width
    from matplotlib.transforms import Bbox

    cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    tx, ty = ax.transData.transform((cx, cy))
    keep_clear: list[Any] = list(labeller.taken)
    # Candidate places: beside the area in eight directions (nearest first), then the
    # corners; a place farther away costs more, so the inset sits next to what it magnifies.
    gap = INSET_GAP_SHARE * box.width
    corners: list[tuple[float, float]] = []
    for dx, dy in ((1, 1), (-1, 1), (1, -1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)):
        px = tx + dx * gap + (0.0 if dx > 0 else -inset_w if dx < 0 else -0.5 * inset_w)
        py = ty + dy * gap + (0.0 if dy > 0 else -inset_h if dy < 0 else -0.5 * inset_h)
        px = min(max(px, box.x0 + margin), box.x1 - margin - inset_w)
        py = min(max(py, box.y0 + margin), box.y1 - margin - inset_h)
        corners.append((px, py))
    corners += [
        (box.x0 + margin, box.y1 - margin - inset_h),
        (box.x1 - margin - inset_w, box.y1 - margin - inset_h),
        (box.x0 + margin, box.y0 + 0.2 * box.height),
    ]

    def cost(corner: tuple[float, float]) -> float:
        rect = Bbox.from_bounds(corner[0], corner[1], inset_w, inset_h)
        c = sum(
            max(0.0, min(rect.x1, o[2]) - max(rect.x0, o[0]))
            * max(0.0, min(rect.y1, o[3]) - max(rect.y0, o[1]))
            for o in keep_clear
        )
        if rect.expanded(1.3, 1.3).contains(tx, ty):
            c += 1e12
        if labeller.lines is not None:
            # lines in pixels
            inside = labeller.lines.intersection(shapely.box(rect.x0, rect.y0, rect.x1, rect.y1))
            c += float(inside.length) * 40.0
        far = math.hypot(rect.x0 + 0.5 * inset_w - tx, rect.y0 + 0.5 * inset_h - ty)
        return float(c) + INSET_FAR_COST * far

    px, py = min(corners, key=cost)
    where = ("upper" if py + 0.5 * inset_h > ty else "lower") + (
        " left" if px + 0.5 * inset_w < tx else " right"
    )
    fx0, fy0 = fig.transFigure.inverted().transform((px, py))
    fx1, fy1 = fig.transFigure.inverted().transform((px + inset_w, py + inset_h))
    iax = fig.add_axes((fx0, fy0, fx1 - fx0, fy1 - fy0))
    iax.set_zorder(35)
    half_h = 0.5 * max(size * 2.6, 1.0)
    half_w = half_h * inset_w / inset_h
    corner_r = max(
        math.hypot(cx + sx * half_w, cy + sy * half_h) for sx in (-1, 1) for sy in (-1, 1)
    )
    frame = Frame(main.frame.focus, half_w, half_h, cx, cy, corner_r * 1.01, False)
    iax.set_xlim(*frame.xlim)
    iax.set_ylim(*frame.ylim)
    iax.set_aspect("equal")
    iax.set_xticks([])
    iax.set_yticks([])
    iax.set_facecolor(SEA_COLOR)
    for sp in iax.spines.values():
        sp.set_color(INK_COLOR)
        sp.set_linewidth(1.1)
    drawer = Drawer(content, iax, main.proj, frame)
    window = view_extent(main.proj, frame)
    if window is not None:
        drawer.basemap(basemap(window.padded(0.1), tolerance_deg=drawer.tol_deg, labels=False))
        lonlat = shapely.union_all(window.padded(0.1).boxes())
    else:
        lonlat = None
    draw_features(drawer, content, lonlat)
    iax.text(
        0.03,
        0.965,
        "Reported impact: detail",
        transform=iax.transAxes,
        ha="left",
        va="top",
        fontsize=LABEL_PT,
        fontweight="bold",
        color=INK_COLOR,
        zorder=40,
        path_effects=halo(2.5),
    )
    km = nice(2 * half_w * 0.35 / 1000.0)
    bx, by = frame.xlim[0] + 0.06 * half_w, frame.ylim[0] + 0.1 * half_h
    iax.plot([bx, bx + km * 1000.0], [by, by], color=INK_COLOR, linewidth=2.0, zorder=40)
    iax.text(
        bx + km * 1000.0 + 0.03 * half_w,
        by,
        f"{km:,g} km",
        va="center",
        ha="left",
        fontsize=LABEL_PT,
        color=INK_COLOR,
        zorder=40,
        path_effects=halo(2.5),
    )
    # A box around the areas on the map, and a leader from it to the detail.
    pad = 0.15 * size
    bx0, by0, bx1, by1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    ax.add_artist(
        Rectangle(
            (bx0, by0),
            bx1 - bx0,
            by1 - by0,
            fill=False,
            edgecolor=INK_COLOR,
            linewidth=0.9,
            zorder=26,
        )
    )
    ix = 1.0 if where.endswith("left") else 0.0
    iy = 0.0 if where.startswith("upper") else 1.0
    ex = bx0 if where.endswith("left") else bx1
    ey = by1 if where.startswith("upper") else by0
    fig.add_artist(
        ConnectionPatch(
            xyA=(ex, ey),
            coordsA=ax.transData,
            xyB=(ix, iy),
            coordsB=iax.transAxes,
            color=INK_COLOR,
            linewidth=0.8,
            zorder=26,
        )
    )
    labeller.take_box(iax.get_window_extent(labeller.renderer).expanded(1.02, 1.02))
    # names keep off the leader too
    corner = ax.transData.inverted().transform(iax.transAxes.transform((ix, iy)))
    labeller.add_line("inset", LineString([(ex, ey), (float(corner[0]), float(corner[1]))]))
    return iax
