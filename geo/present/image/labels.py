"""Names on the slide: the specs and the placer of :mod:`geo.present.layout`, measured and
drawn with matplotlib.

Everything that does not move is taken first (scale bar, legend, markers, the detail view);
then the map's own names in order of priority (sites, reported impacts, lines, rings), each
at its first free place; then countries and zones in what room is left.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from geo.present.area_names import (
    SUBJECT_COUNTRY_LABEL_SHARE,
    area_candidates,
    country_names_first,
    is_subject_country,
    name_beside,
    visible_pieces,
)
from geo.present.basemap import Basemap, parts
from geo.present.content import MapContent, MapFeature
from geo.present.image.draw import LABEL_PT, Drawer, halo
from geo.present.image.frame import inside
from geo.present.layout import (
    LABEL_GAP,
    LABEL_GAP_EM,
    XY,
    Box,
    LabelSpec,
    Placer,
    Plane,
    Request,
    label_specs,
)
from geo.present.style import (
    COUNTRY_LABEL_COLOR,
    COUNTRY_LABEL_SHARE,
    LAND_COLOR,
    LEADER_COLOR,
    MAX_COUNTRY_LABELS,
    ZONE_LABEL_SHARE,
    short_name,
    zone_label,
    zone_label_color,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MARKER_CLEAR_IN = 0.078
"""Half the side of the box around a site's or an impact's marker that names keep out of
(the marker's radius and its edge)."""
LABEL_SIZES = {"site": 10.0, "ring": 10.0}
"""Font sizes of names (points) where not LABEL_PT."""


def plane_of(drawer: Drawer) -> Plane:
    """The slide's plane for :func:`geo.present.layout.label_specs`: projected metres."""
    frame = drawer.frame
    return Plane(
        shown=lambda g: drawer.proj.geom(drawer.clip(g)),
        inside=lambda x, y, margin: inside(frame, x, y, margin),
        scale=2.0 * frame.half_w,
    )


class Labeller:
    """Places names with :class:`geo.present.layout.Placer` over the axes' pixels."""

    def __init__(self, fig: Figure, ax: Axes) -> None:
        self.renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        self.ax = ax
        self.box = ax.get_window_extent(self.renderer)
        self.unit = fig.dpi / 72.0
        """Pixels per point: the placer's label units are points on a slide."""
        b = self.box
        self.placer = Placer((b.x0, b.y0, b.x1, b.y1), pad=3.0)
        self._probe: Any = None

    # what names keep clear of ------------------------------------------------------

    def take(self, artist: Any) -> None:
        bb = artist.get_window_extent(self.renderer)
        self.placer.take((bb.x0, bb.y0, bb.x1, bb.y1))

    def take_box(self, bb: Any) -> None:
        self.placer.take((bb.x0, bb.y0, bb.x1, bb.y1))

    def avoid_point(self, x: float, y: float, radius_px: float) -> None:
        cx, cy = self.px((x, y))
        r = radius_px
        self.placer.take((cx - r, cy - r, cx + r, cy + r))

    def add_line(self, key: str, line: BaseGeometry) -> None:
        """A line in data units that names must not cross (but those of ``key``)."""
        coords = [self.px_many(p.coords) for p in parts(line) if isinstance(p, LineString)]
        self.placer.add_line(key, coords)

    def avoid_lines(self, lines: Sequence[BaseGeometry], keys: Sequence[str]) -> None:
        for key, g in zip(keys, lines, strict=True):
            if not g.is_empty:
                self.add_line(key, g)

    @property
    def taken(self) -> list[Box]:
        return self.placer.taken

    @property
    def lines(self) -> BaseGeometry | None:
        """Every line names avoid, in pixels."""
        return self.placer.lines

    # units ---------------------------------------------------------------------------

    def px(self, p: XY) -> XY:
        x, y = self.ax.transData.transform(p)
        return float(x), float(y)

    def px_many(self, pts: Any) -> list[XY]:
        a = self.ax.transData.transform([(float(c[0]), float(c[1])) for c in pts])
        return [(float(x), float(y)) for x, y in a]

    def data(self, p: XY) -> XY:
        x, y = self.ax.transData.inverted().transform(p)
        return float(x), float(y)

    def measure(self, text: str, **kw: Any) -> XY:
        """A name's size in pixels as it will be drawn."""
        t = self.ax.text(0.0, 0.0, text, ha="center", va="center", **kw)
        bb = t.get_window_extent(self.renderer)
        t.remove()
        return float(bb.width), float(bb.height)

    def _draw(self, text: str, b: Box, **kw: Any) -> Any:
        x, y = self.data((0.5 * (b[0] + b[2]), 0.5 * (b[1] + b[3])))
        return self.ax.text(x, y, text, ha="center", va="center", **kw)

    # names -------------------------------------------------------------------------------

    def place_label(self, spec: LabelSpec) -> Any:
        """Put ``spec``'s name at its first free place (see :meth:`Placer.place`), with a
        leader when it stands away from its feature. None when no text finds a place."""
        size = LABEL_SIZES.get(spec.kind, LABEL_PT)
        style: dict[str, Any] = {
            "fontsize": size,
            "fontweight": "bold",
            "color": spec.colour,
            "zorder": 25,
            "path_effects": halo(3.0),
        }
        anchors = self.px_many(spec.places)
        # the slide's axes have equal aspect: data directions are pixel directions
        around = None
        if spec.around is not None:
            (x0, y0), (x1, y1) = self.px_many([spec.around[:2], spec.around[2:]])
            around = (x0, y0, x1, y1)
        request = Request(
            spec.kind,
            [self.measure(t, **style) for t in spec.texts],
            anchors,
            normals=spec.normals,
            around=around,
            side=spec.side,
            key=spec.key,
            unit=self.unit,
            margin=(LABEL_GAP * self.unit, LABEL_GAP_EM * size * self.unit),
            leader=spec.leader,
            attached=spec.attached,
        )
        placed = self.placer.place(request)
        if placed is None:
            return None
        t = self._draw(spec.texts[placed.text], placed.box, **style)
        src = getattr(spec, "source", None)
        kind = "reference_point" if getattr(src, "kind", "") == "reference_point" else spec.kind
        t.set_gid(f"rz-{kind}-label")
        if placed.leader is not None:
            (ex, ey), (ax_, ay_) = placed.leader
            (dx0, dy0), (dx1, dy1) = self.data((ex, ey)), self.data((ax_, ay_))
            colour = LEADER_COLOR if spec.kind in ("site", "reported_impact") else spec.colour
            (line,) = self.ax.plot(
                [dx0, dx1],
                [dy0, dy1],
                color=colour,
                linewidth=0.8,
                zorder=24,
                solid_capstyle="round",
            )
            line.set_gid("rz-leader")
            line.set_label(t.get_text())
        return t

    def place_fixed(
        self, points: Sequence[XY], text: str, *, within: BaseGeometry | None = None, **kw: Any
    ) -> Any:
        """A country's or zone's name at the first of ``points`` (data units) where it is
        free; ``within``: an area (data units) that must hold nearly all of its box."""
        if not points:
            return None
        size = self.measure(text, **kw)

        def fits(b: Box) -> bool:
            if within is None:
                return True
            (x0, y0), (x1, y1) = self.data(b[:2]), self.data(b[2:])
            box = shapely.box(x0, y0, x1, y1)
            return bool(within.intersection(box).area >= 0.88 * box.area)

        b = self.placer.place_fixed(size, self.px_many(points), fits)
        return None if b is None else self._draw(text, b, **kw)

    def place_beside(self, points: Sequence[XY], text: str, **kw: Any) -> Any:
        """A subject country's name beside one of its pieces (data units), with a leader
        when it stands away (:func:`geo.present.area_names.name_beside`)."""
        size = self.measure(text, **kw)
        gap = (
            LABEL_GAP * self.unit,
            LABEL_GAP_EM * float(kw.get("fontsize", LABEL_PT)) * self.unit,
        )
        placed = name_beside(self.placer, size, self.px_many(points), gap, self.unit)
        if placed is None:
            return None
        t = self._draw(text, placed.box, **kw)
        if placed.leader is not None:
            (ex, ey), (ax_, ay_) = placed.leader
            (dx0, dy0), (dx1, dy1) = self.data((ex, ey)), self.data((ax_, ay_))
            (line,) = self.ax.plot(
                [dx0, dx1], [dy0, dy1], color=kw.get("color", LEADER_COLOR), linewidth=0.8,
                zorder=kw.get("zorder", 3),
            )  # fmt: skip
            line.set_gid("rz-leader")
        return t


def place_feature_labels(
    labeller: Labeller, drawer: Drawer, content: MapContent
) -> list[LabelSpec]:
    """The names of sites, impacts, lines and rings, in order of priority."""
    specs = label_specs(content, plane_of(drawer))
    for spec in specs:
        labeller.place_label(spec)
    return specs


def avoid_markers(labeller: Labeller, drawer: Drawer, content: MapContent, dpi: float) -> None:
    for f in content.of_kind("site", "reported_impact", "reference_point"):
        for p in parts(f.geometry):
            if isinstance(p, Point):
                mx, my = drawer.proj.xy([p.x], [p.y])
                labeller.avoid_point(float(mx[0]), float(my[0]), MARKER_CLEAR_IN * dpi)


def _windows(drawer: Drawer) -> list[BaseGeometry]:
    """What names of areas may use: the frame less a small margin (and, on a world map,
    the disk)."""
    (x0, x1), (y0, y1) = drawer.frame.xlim, drawer.frame.ylim
    mx, my = 0.015 * (x1 - x0), 0.015 * (y1 - y0)
    inner = shapely.box(x0 + mx, y0 + my, x1 - mx, y1 - my)
    if drawer.frame.whole_disk:
        inner = inner.intersection(Point(0.0, 0.0).buffer(drawer.frame.clip_radius, 64))
    return [inner]


def _shown(drawer: Drawer, geom: BaseGeometry) -> BaseGeometry:
    g = drawer.clip(geom)
    return g if g.is_empty else shapely.make_valid(drawer.proj.geom(g))


def country_labels(drawer: Drawer, bm: Basemap, labeller: Labeller) -> list[Any]:
    """Names of the countries whose land the image shows a fair share of, biggest first,
    each well inside its visible part."""
    frame = drawer.frame
    names = [name for name, _ in bm.countries]
    shown = [_shown(drawer, g) for _, g in bm.countries]
    subjects = drawer.content.subjects
    view_area = 4.0 * frame.half_w * frame.half_h
    least = SUBJECT_COUNTRY_LABEL_SHARE if subjects else COUNTRY_LABEL_SHARE
    ranked = country_names_first(
        area_candidates(shown, _windows(drawer), view_area, least, 5),
        names,
        subjects,
        COUNTRY_LABEL_SHARE,
    )
    # the countries launched from are named too, as the subjects are (2017-08-29: the info
    # box took North Korea's places and the slide did not say where Sunan is)
    sites = [
        Point(float(x[0]), float(y[0]))
        for f in drawer.content.of_kind("site")
        for p in parts(f.geometry)
        if isinstance(p, Point)
        for x, y in [drawer.proj.xy([p.x], [p.y])]
    ]
    launched = {i for i, g in enumerate(shown) if any(g.contains(pt) for pt in sites)}
    out: list[Any] = []
    for a in ranked:
        if len(out) >= MAX_COUNTRY_LABELS:
            break
        style: dict[str, Any] = {
            "fontsize": LABEL_PT,
            "color": COUNTRY_LABEL_COLOR,
            "fontweight": "bold",
            "zorder": 3,
            "path_effects": halo(2.0, LAND_COLOR),
        }
        text = short_name(names[a.key]).upper()
        t = labeller.place_fixed(a.places, text, **style)
        if t is None and (is_subject_country(names[a.key], subjects) or a.key in launched):
            # the country the map is about is named: beside its land, if not on it
            pieces = visible_pieces(shown[a.key], _windows(drawer))
            t = labeller.place_beside(pieces, text, **style)
        if t is not None:
            t.set_gid("rz-country-label")
            out.append(t)
    return out


def zone_labels(
    drawer: Drawer, content: MapContent, zones: list[MapFeature], labeller: Labeller
) -> list[Any]:
    """Whose zone each EEZ zone is, in italics, well inside the zone's part that the image
    shows, where the name fits in that part."""
    frame = drawer.frame
    shown = [_shown(drawer, f.geometry) for f in zones]
    ranked = area_candidates(
        shown, _windows(drawer), 4.0 * frame.half_w * frame.half_h, ZONE_LABEL_SHARE, 10
    )
    out: list[Any] = []
    for a in ranked:
        f = zones[a.key]
        t = labeller.place_fixed(
            a.places,
            zone_label(f, content, lines=True),
            within=a.part,
            linespacing=1.1,
            fontsize=LABEL_PT,
            fontstyle="italic",
            fontweight="normal",
            color=zone_label_color(f),
            zorder=24,
            path_effects=halo(2.4),
        )
        if t is not None:
            t.set_gid("rz-zone-label")
            out.append(t)
    return out
