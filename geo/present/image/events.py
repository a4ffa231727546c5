"""Event slides: the ground track's arrowhead, the info box and the altitude profile inset,
each placed where it hides least (clear of the legend, scale bar, markers and lines)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry import LineString, Point

from geo.present.basemap import parts
from geo.present.content import AltitudeProfile, MapContent
from geo.present.image.draw import LABEL_PT, Drawer, rgba
from geo.present.image.labels import Labeller
from geo.present.style import (
    EEZ_STYLES,
    INK_COLOR,
    KIND_STYLES,
    LEGEND_EDGE_COLOR,
    NEUTRAL_STYLE,
    PAPER_COLOR,
    PROFILE_AXIS_COLOR,
    PROFILE_LAND_COLOR,
    feature_style,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ARROW_BACK_SHARE = 0.035
"""The arrowhead sits this share of the map's width before the impact (clear of its marker)."""
INFO_PT = 8.5
INFO_MAX_ROWS = 5
INFO_MAX_VERDICTS = 4
"""Lines an info box holds on a slide; the report has them all."""
PROFILE_SIZE_IN = (3.6, 1.75)
SPAN_COLOURS = {"land": PROFILE_LAND_COLOR, "eez": EEZ_STYLES["200nm"].color}


def draw_track_arrows(drawer: Drawer, content: MapContent, z: float = 24.0) -> None:
    """An arrowhead on each ground track, pointing along the flight just before the impact."""
    for f in content.of_kind("track"):
        end = f.properties.get("impact")
        if not end:
            continue
        g = drawer.proj.geom(drawer.clip(f.geometry))
        lines = [p for p in parts(g) if isinstance(p, LineString) and len(p.coords) >= 2]
        if not lines:
            continue
        ex, ey = drawer.proj.xy([end[0]], [end[1]])
        tip = Point(float(ex[0]), float(ey[0]))
        line = min(lines, key=lambda ln: ln.distance(tip))
        if line.distance(tip) > 0.02 * drawer.frame.half_w:
            continue  # the impact is off the map: no arrow to point at it
        back = ARROW_BACK_SHARE * 2.0 * drawer.frame.half_w
        s_tip = line.project(tip)
        if s_tip < 1.5 * back:
            continue
        head = line.interpolate(s_tip - back)
        tail = line.interpolate(s_tip - back - 0.25 * back)
        style = feature_style(f, content)
        drawer.ax.annotate(
            "",
            xy=(head.x, head.y),
            xytext=(tail.x, tail.y),
            arrowprops={
                "arrowstyle": "-|>,head_length=0.9,head_width=0.45",
                "color": style.color,
                "lw": style.weight * 0.8,
                "shrinkA": 0,
                "shrinkB": 0,
            },
            zorder=z,
            annotation_clip=False,
        )


def _corners(box: Any, w: float, h: float, margin: float) -> list[tuple[float, float]]:
    """Lower left corners (pixels) of the candidate places of a w × h panel, best first."""
    return [
        (box.x0 + margin, box.y1 - margin - h),
        (box.x1 - margin - w, box.y1 - margin - h),
        (box.x0 + margin, box.y0 + margin),
        (box.x1 - margin - w, box.y0 + margin),
        (box.x0 + margin, 0.5 * (box.y0 + box.y1) - 0.5 * h),
        (box.x1 - margin - w, 0.5 * (box.y0 + box.y1) - 0.5 * h),
    ]


def _panel_place(
    ax: Axes, labeller: Labeller, drawer: Drawer, content: MapContent, w: float, h: float
) -> tuple[float, float] | None:
    """The corner (pixels) where a w × h panel covers least: taken boxes (legend, scale
    bar, insets, markers) weigh most, then sites and impacts, then lines."""
    from matplotlib.transforms import Bbox

    box = labeller.box
    margin = 0.012 * box.width
    pts: list[tuple[float, float]] = []
    for f in content.of_kind("site", "reported_impact", "reference_point"):
        for p in parts(f.geometry):
            if isinstance(p, Point):
                x, y = drawer.proj.xy([p.x], [p.y])
                pts.append(tuple(ax.transData.transform((float(x[0]), float(y[0])))))

    def cost(c: tuple[float, float]) -> float:
        r = Bbox.from_bounds(c[0], c[1], w, h)
        total = 0.0
        for o in labeller.taken:  # (x0, y0, x1, y1) in pixels
            total += (
                50.0
                * max(0.0, min(r.x1, o[2]) - max(r.x0, o[0]))
                * max(0.0, min(r.y1, o[3]) - max(r.y0, o[1]))
            )
        grown = r.expanded(1.15, 1.15)
        total += 1e6 * sum(grown.contains(px, py) for px, py in pts)
        lines = labeller.lines  # in pixels
        if lines is not None:
            total += 40.0 * float(lines.intersection(shapely.box(r.x0, r.y0, r.x1, r.y1)).length)
        return total

    def overlap(c: tuple[float, float]) -> float:
        return sum(
            max(0.0, min(c[0] + w, o[2]) - max(c[0], o[0]))
            * max(0.0, min(c[1] + h, o[3]) - max(c[1], o[1]))
            for o in labeller.taken
        )

    best = min(_corners(box, w, h, margin), key=cost)
    # a panel that would cover the legend, the scale bar or another panel is left out
    # (its content is in the report); one that would hide a marker too
    if overlap(best) > 0.02 * w * h or cost(best) >= 1e6:
        return None
    return best


def draw_info_box(fig: Figure, ax: Axes, content: MapContent, drawer: Drawer,
                  labeller: Labeller) -> Any:  # fmt: skip
    """Date, launch, flight and one verdict line per subject country (bold), framed."""
    info = content.info
    if info is None or not (info.lines or info.verdicts):
        return None
    import textwrap

    from matplotlib.patches import Rectangle

    rows = "\n".join(textwrap.fill(f"{x.label}: {x.value}", 54, subsequent_indent="   ")
                      for x in info.lines[:INFO_MAX_ROWS])  # fmt: skip
    shown = list(info.verdicts[:INFO_MAX_VERDICTS])
    if len(info.verdicts) > len(shown) or len(info.lines) > INFO_MAX_ROWS:
        shown.append("… more in the report")
    verdicts = "\n".join(textwrap.fill(v, 54, subsequent_indent="   ") for v in shown)
    kw: dict[str, Any] = {"transform": None, "fontsize": INFO_PT, "va": "bottom", "ha": "left",
                          "color": INK_COLOR, "linespacing": 1.35, "zorder": 36}  # fmt: skip
    texts = []
    if rows:
        texts.append(ax.text(0.0, 0.0, rows, **kw))
    if verdicts:
        texts.append(ax.text(0.0, 0.0, verdicts, fontweight="bold", **kw))
    boxes = [t.get_window_extent(labeller.renderer) for t in texts]
    pad = 0.6 * INFO_PT * fig.dpi / 72.0
    gap = 0.35 * INFO_PT * fig.dpi / 72.0
    w = max(b.width for b in boxes) + 2 * pad
    h = sum(b.height for b in boxes) + gap * (len(boxes) - 1) + 2 * pad
    at = _panel_place(ax, labeller, drawer, content, w, h)
    if at is None:
        for t in texts:
            t.remove()
        return None
    x, y = at
    top = y + h - pad
    for t, b in zip(texts, boxes, strict=True):
        top -= b.height
        t.set_position((x + pad, top))
        top -= gap
    # in the map's axes, in pixels: drawn with the map, under the texts (zorder)
    frame = Rectangle((x, y), w, h, transform=None, facecolor=PAPER_COLOR,
                      edgecolor=LEGEND_EDGE_COLOR, linewidth=0.8, alpha=0.95,
                      zorder=35)  # fmt: skip
    ax.add_artist(frame)
    for t in texts:
        t.set_zorder(36)
    from matplotlib.transforms import Bbox

    labeller.take_box(Bbox.from_bounds(x, y, w, h).expanded(1.03, 1.06))
    return frame


def draw_profile_inset(fig: Figure, ax: Axes, content: MapContent, drawer: Drawer,
                       labeller: Labeller) -> Any:  # fmt: skip
    """A side view of the first flight with an apogee: altitude against downrange, the
    subject countries' land and EEZ spans shaded along the axis."""
    if not content.profiles:
        return None
    prof = content.profiles[0]
    w = PROFILE_SIZE_IN[0] * fig.dpi
    h = PROFILE_SIZE_IN[1] * fig.dpi
    at = _panel_place(ax, labeller, drawer, content, w, h)
    if at is None:
        return None
    x, y = at
    inv = fig.transFigure.inverted()
    # room inside the panel for the tick labels: the plotting area is inset
    lo = (x + 0.42 * fig.dpi, y + 0.32 * fig.dpi)
    hi = (x + w - 0.08 * fig.dpi, y + h - 0.40 * fig.dpi)
    (fx0, fy0), (fx1, fy1) = inv.transform([lo, hi])
    from matplotlib.patches import Rectangle

    (bx0, by0), (bx1, by1) = inv.transform([(x, y), (x + w, y + h)])
    fig.add_artist(
        Rectangle((bx0, by0), bx1 - bx0, by1 - by0, transform=fig.transFigure,
                  facecolor=PAPER_COLOR, edgecolor=LEGEND_EDGE_COLOR, linewidth=0.8,
                  alpha=0.95, zorder=34)
    )  # fmt: skip
    iax = fig.add_axes((fx0, fy0, fx1 - fx0, fy1 - fy0))
    iax.set_zorder(35)
    _plot_profile(iax, prof)
    from matplotlib.transforms import Bbox

    labeller.take_box(Bbox.from_bounds(x, y, w, h).expanded(1.03, 1.06))
    return iax


def _plot_profile(iax: Axes, prof: AltitudeProfile) -> None:
    top = max(prof.altitude_km) * 1.22
    right = max(prof.range_km, prof.track_km or 0.0)
    for s in prof.spans:
        colour = SPAN_COLOURS.get(s.kind, NEUTRAL_STYLE.fill or NEUTRAL_STYLE.color)
        alpha = 0.55 if s.kind == "land" else 0.16
        iax.axvspan(s.start_km, s.end_km, ymax=1.0 if s.kind == "eez" else 0.09,
                    color=rgba(colour, alpha), linewidth=0, zorder=1)  # fmt: skip
    track_colour = KIND_STYLES["track"].color
    iax.plot(prof.downrange_km, prof.altitude_km, color=track_colour, linewidth=1.4, zorder=3)
    i = max(range(len(prof.altitude_km)), key=lambda k: prof.altitude_km[k])
    iax.annotate(
        f"apogee {prof.apogee_km:,.0f} km",
        (prof.downrange_km[i], prof.altitude_km[i]),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=LABEL_PT - 1.5,
        color=INK_COLOR,
        zorder=4,
    )
    if prof.track_km is not None:
        iax.plot([prof.track_km], [0.0], marker="v", color=KIND_STYLES["reported_impact"].color,
                 markersize=4, zorder=4, clip_on=False)  # fmt: skip
    iax.set_xlim(0.0, right * 1.02)
    iax.set_ylim(0.0, top)
    # readable on a projected slide: 7.5 pt (6.5 was too small to read across a room)
    iax.tick_params(labelsize=LABEL_PT - 1.5, length=2, pad=1.5)
    iax.xaxis.set_major_formatter(_km_formatter())
    iax.yaxis.set_major_formatter(_km_formatter())
    iax.set_xlabel("downrange (km)", fontsize=LABEL_PT - 1.5, labelpad=1.0)
    iax.set_ylabel("altitude (km)", fontsize=LABEL_PT - 1.5, labelpad=1.0)
    names = sorted({s.country for s in prof.spans})
    shaded = f"\nshaded: {', '.join(names)}'s EEZ (blue), land (brown)" if names else ""
    iax.set_title(
        f"Altitude profile (ballistic model){shaded}", fontsize=LABEL_PT - 1.0,
        fontweight="bold", loc="left", pad=2.0, color=INK_COLOR,
    )  # fmt: skip
    for sp in iax.spines.values():
        sp.set_color(PROFILE_AXIS_COLOR)
        sp.set_linewidth(0.6)
    iax.set_facecolor("white")


def _km_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: f"{v:,.0f}")
