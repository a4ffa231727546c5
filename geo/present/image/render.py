"""The slide figure (title, map, legend, names, attribution) and writing it to files."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from geo.access.atomic import atomic_path
from geo.present.basemap import (
    basemap,
)
from geo.present.content import LEGAL_DISCLAIMER, MapContent
from geo.present.image.draw import Drawer, draw_features, north_arrow, scale_bar
from geo.present.image.events import draw_info_box, draw_profile_inset, draw_track_arrows
from geo.present.image.frame import Projector, disk_extent, fit_frame, fmt_latlon, focus_of
from geo.present.image.inset import impact_inset
from geo.present.image.labels import (
    Labeller,
    avoid_markers,
    country_labels,
    place_feature_labels,
    zone_labels,
)
from geo.present.image.legend import (
    LEGEND_MAX_COST,
    LEGEND_PAD_IN,
    LEGEND_WRAP,
    draw_legend,
    feature_lines,
    ink_of,
    legend_place,
    legend_size,
)
from geo.present.style import (
    ATTRIBUTION_COLOR,
    GLOBE_EDGE_COLOR,
    INK_COLOR,
    MODELLED_WARNING_COLOR,
    PAPER_COLOR,
    SEA_COLOR,
    SECONDARY_TEXT_COLOR,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


ImageFormat = Literal["png", "svg", "pdf"]

SLIDE_IN = (13.33, 7.5)
"""A 16:9 slide, in inches."""

SVG_FONTTYPE = "none"
"""SVG text stays text: editable, searchable, and no glyph outlines to write."""
PDF_FONTTYPE = 3
"""PDF fonts as Type 3 subsets (glyph outlines, with a Unicode map: text is found and
copied). Type 42 (TrueType subsets) looks the same but made the seed slide's PDF take 2.56 s
to write against 0.86 s, almost all in subsetting the DejaVu fonts."""


ATTRIBUTION_PT = 8.0


ATTRIBUTION_LINE_IN = 0.165


def wrap_text(renderer: Any, text: str, width_px: float, size: float, weight: str) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width_px`` (a word longer than
    the width, such as a long URL, is cut)."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=size, weight=weight)

    def wide(t: str) -> float:
        w, _, _ = renderer.get_text_width_height_descent(t, prop, ismath=False)
        return float(w)

    if wide(text) <= width_px:
        return [text]
    out: list[str] = []
    line = ""
    for word in text.split(" "):
        trial = f"{line} {word}" if line else word
        if wide(trial) <= width_px:
            line = trial
            continue
        if line:
            out.append(line)
        line = word
        while wide(line) > width_px and len(line) > 1:
            cut = len(line)
            while cut > 1 and wide(line[:cut]) > width_px:
                cut = max(1, int(cut * 0.9))
            out.append(line[:cut])
            line = line[cut:]
    if line:
        out.append(line)
    return out


def infer_format(path: Path, fmt: str | None) -> ImageFormat:
    f = (fmt or path.suffix.lstrip(".")).lower()
    if f not in ("png", "svg", "pdf"):
        from geo.errors import InputError

        raise InputError(f"image format {f!r} is not png, svg or pdf")
    out: ImageFormat = f  # type: ignore[assignment]
    return out


def render_image(
    content: MapContent,
    path: str | os.PathLike[str],
    *,
    fmt: ImageFormat | None = None,
    dpi: int = 200,
    size_in: tuple[float, float] = SLIDE_IN,
) -> None:
    """Draw the map as a slide image (16:9 by default) and write it atomically.

    ``fmt`` defaults to the file's suffix; ``dpi`` sets a PNG's resolution: the image is
    ``round(size_in * dpi)`` pixels (a 13.33 × 7.5 inch slide at 200 dpi is 2666 × 1500).
    """
    target = Path(path)
    render_images(content, [(target, infer_format(target, fmt))], dpi=dpi, size_in=size_in)


class Running(Protocol):
    """Work started in another process (see ``render_images``'s ``beside``)."""

    def wait(self) -> None: ...

    def stop(self) -> None: ...


def render_images(
    content: MapContent,
    outputs: Sequence[tuple[str | os.PathLike[str], ImageFormat | None]],
    *,
    dpi: int = 200,
    size_in: tuple[float, float] = SLIDE_IN,
    beside: Callable[[Callable[[], object]], Running | None] | None = None,
) -> list[Path]:
    """Draw the slide once and save it to every ``(path, format)`` of ``outputs``.

    A format of None is taken from the path's suffix. Each file is written atomically, and
    none is replaced unless every one was saved. Returns the paths written, in order.
    ``beside``, when given, starts work in another process (a fork: the drawn figure is
    shared) or returns None; the first file is then saved here while the others are saved
    there, side by side.
    """
    targets = [(Path(p), infer_format(Path(p), f)) for p, f in outputs]
    if dpi <= 0 or min(size_in) <= 0:
        from geo.errors import InputError

        raise InputError(f"image size {size_in} in at {dpi} dpi is not a positive size")
    if not targets:
        return []
    # Whole pixels: matplotlib truncates, so 13.33 in at 60 dpi would give 799 px, not 800.
    exact = (round(size_in[0] * dpi) / dpi, round(size_in[1] * dpi) / dpi)
    fig = make_figure(content, dpi=dpi, size_in=exact)
    try:
        import matplotlib

        with (
            matplotlib.rc_context({"svg.fonttype": SVG_FONTTYPE, "pdf.fonttype": PDF_FONTTYPE}),
            ExitStack() as stack,
        ):
            # Temporary files for all first: the renames happen only when all were saved.
            saves = [(stack.enter_context(atomic_path(t)), f) for t, f in targets]

            def save(part: list[tuple[Path, ImageFormat]]) -> None:
                for tmp, f in part:
                    fig.savefig(
                        tmp, format=f, dpi=dpi, facecolor=PAPER_COLOR, metadata=metadata(content, f)
                    )

            rest = saves[1:]
            there = beside(lambda: save(rest)) if beside is not None and rest else None
            try:
                save(saves if there is None else saves[:1])
            except BaseException:
                if there is not None:
                    there.stop()
                raise
            if there is not None:
                there.wait()
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return [t for t, _ in targets]


def metadata(content: MapContent, fmt: ImageFormat) -> dict[str, Any]:
    title = content.title
    if fmt == "png":
        return {"Title": title, "Software": "rangezone"}
    if fmt == "pdf":
        return {"Title": title, "Creator": "rangezone"}
    return {"Title": title, "Creator": "rangezone", "Date": None}


def fit_font(
    renderer: Any, text: str, width_px: float, size: float, least: float, weight: str = "bold"
) -> float:
    """The largest font size from ``size`` down to ``least`` at which ``text`` fits."""
    from matplotlib.font_manager import FontProperties

    while size > least:
        prop = FontProperties(size=size, weight=weight)
        w, _, _ = renderer.get_text_width_height_descent(text, prop, ismath=False)
        if w <= width_px:
            break
        size -= 0.5
    return max(size, least)


def make_figure(content: MapContent, *, dpi: int, size_in: tuple[float, float]) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    # Titles, labels, names and attributions are user or dataset text: a "$" in them is a
    # dollar sign, not mathtext (which would garble or fail). Every Text made while
    # drawing, the legend's included, takes its parse_math from this setting.
    with matplotlib.rc_context({"text.parse_math": False}):
        return draw_figure(content, dpi=dpi, size_in=size_in)


def draw_figure(content: MapContent, *, dpi: int, size_in: tuple[float, float]) -> Figure:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle

    width_in, height_in = size_in
    fig = plt.figure(figsize=(width_in, height_in), dpi=dpi)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    left_in = right_in = 0.22
    focus = focus_of(content)
    raw = content.attribution_lines()
    raw.append(
        "Basemap: Natural Earth (public domain). Projection: azimuthal equidistant centred on "
        f"{fmt_latlon(focus)} — distances and bearings from the centre are true."
    )
    # Attribution lines wrapped to the slide's width: a long citation or URL never runs off.
    modelled = content.dataset is not None and content.dataset.modelled
    text_w = (width_in - left_in - right_in) * dpi
    lines: list[tuple[str, str, str]] = []
    for i, line in enumerate(raw):
        weight = "bold" if (i == 0 and modelled) or line == LEGAL_DISCLAIMER else "normal"
        colour = MODELLED_WARNING_COLOR if i == 0 and modelled else ATTRIBUTION_COLOR
        for piece in wrap_text(renderer, line, text_w, ATTRIBUTION_PT, weight):
            lines.append((piece, weight, colour))
    top_in = 0.62 + (0.22 if content.subtitle else 0.0)
    bottom_in = 0.14 + ATTRIBUTION_LINE_IN * len(lines)
    ax_w = (width_in - left_in - right_in) / width_in
    ax_h = (height_in - top_in - bottom_in) / height_in
    ax = fig.add_axes((left_in / width_in, bottom_in / height_in, ax_w, ax_h))
    aspect = (ax_w * width_in) / (ax_h * height_in)

    proj = Projector(focus)
    frame = fit_frame(content, proj, focus, aspect)
    ax.set_xlim(*frame.xlim)
    ax.set_ylim(*frame.ylim)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_color(INK_COLOR)
        s.set_linewidth(0.9)

    # The legend goes where it hides least of the content: a free corner or side, beside
    # the globe on a world map, else in room made for it on the right of the content.
    box = ax.get_window_extent(renderer)
    pad = (LEGEND_PAD_IN * dpi / box.width, LEGEND_PAD_IN * dpi / box.height)
    wrap = LEGEND_WRAP
    size = legend_size(ax, content, wrap)
    ncol = 1
    if size[1] > 1.0 - 2.0 * pad[1]:
        # taller than the map (many impact verdicts, zone types): two columns
        ncol = 2
        size = legend_size(ax, content, wrap, ncol)
    if frame.whole_disk:
        side = (frame.half_w - frame.clip_radius * 1.01) / (2.0 * frame.half_w) - 2.0 * pad[0]
        while size[0] > side and wrap > 24:
            wrap -= 4
            size = legend_size(ax, content, wrap, ncol)
    drawer = Drawer(content, ax, proj, frame)
    at, cost = legend_place(ink_of(drawer, content), frame, size, pad)
    if cost > LEGEND_MAX_COST:
        roomy = fit_frame(content, proj, focus, aspect, reserve=size[0] + 2.5 * pad[0])
        roomy_drawer = Drawer(content, ax, proj, roomy)
        at2, cost2 = legend_place(ink_of(roomy_drawer, content), roomy, size, pad)
        if cost2 < cost:
            frame, drawer, at = roomy, roomy_drawer, at2
            ax.set_xlim(*frame.xlim)
            ax.set_ylim(*frame.ylim)

    if frame.whole_disk:
        ax.set_facecolor(PAPER_COLOR)
        ax.add_patch(
            Circle(
                (0, 0),
                frame.clip_radius,
                facecolor=SEA_COLOR,
                edgecolor=GLOBE_EDGE_COLOR,
                linewidth=0.8,
                zorder=0,
            )
        )
    else:
        ax.set_facecolor(SEA_COLOR)

    bm = basemap(disk_extent(drawer.disk), tolerance_deg=drawer.tol_deg, labels=False)
    drawer.graticule()
    drawer.basemap(bm)

    zones = draw_features(drawer, content)
    draw_track_arrows(drawer, content)

    # Everything that does not move comes first (scale bar, legend, markers, the detail
    # view); then names in order of priority, each at its first free place: sites,
    # reported impacts, lines, rings (the shortest first: they have the fewest places);
    # then countries and zones in what room is left.
    labeller = Labeller(fig, ax)
    for artist in scale_bar(ax, frame):
        labeller.take(artist)
    arrow = north_arrow(ax, proj, frame)
    if arrow:  # with room around it: a name beside the arrow read as "N ↑CHINA"
        from matplotlib.transforms import Bbox

        bb = Bbox.union([a.get_window_extent(labeller.renderer) for a in arrow])
        labeller.take_box(bb.expanded(2.4, 1.3))
    leg = draw_legend(ax, content, wrap, at, ncol)
    labeller.take(leg)
    avoid_markers(labeller, drawer, content, dpi)
    keyed = feature_lines(drawer, content)
    labeller.avoid_lines([g for _, _, g in keyed], [k for k, _, _ in keyed])
    areas = [
        drawer.proj.geom(drawer.clip(f.geometry)) for f in content.of_kind("impact_uncertainty")
    ]
    draw_profile_inset(fig, ax, content, drawer, labeller)
    draw_info_box(fig, ax, content, drawer, labeller)
    impact_inset(fig, ax, content, drawer, labeller, areas)
    place_feature_labels(labeller, drawer, content)
    country_labels(drawer, bm, labeller)
    zone_labels(drawer, content, zones, labeller)

    # Title block and attribution: same texts as the HTML map's header and footer.
    date_w = 0.0
    if content.date:
        d = fig.text(
            1 - right_in / width_in,
            1 - 0.22 / height_in,
            content.date,
            fontsize=11,
            va="top",
            ha="right",
            color=SECONDARY_TEXT_COLOR,
        )
        date_w = d.get_window_extent(renderer).width + 0.3 * dpi
    title_w = text_w - date_w
    fig.text(
        left_in / width_in,
        1 - 0.2 / height_in,
        content.title,
        fontsize=fit_font(renderer, content.title, title_w, 17.0, 11.0),
        fontweight="bold",
        va="top",
        ha="left",
        color=INK_COLOR,
    )
    if content.subtitle:
        fig.text(
            left_in / width_in,
            1 - 0.55 / height_in,
            content.subtitle,
            fontsize=fit_font(renderer, content.subtitle, text_w, 11.0, 8.0, "normal"),
            va="top",
            ha="left",
            color=SECONDARY_TEXT_COLOR,
        )
    y = (bottom_in - 0.2) / height_in
    for line, weight, colour in lines:
        fig.text(
            left_in / width_in,
            y,
            line,
            fontsize=ATTRIBUTION_PT,
            va="bottom",
            ha="left",
            color=colour,
            fontweight=weight,
        )
        y -= ATTRIBUTION_LINE_IN / height_in
    return fig
