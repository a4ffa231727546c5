"""Names on the slide: sites, reported impacts, rings and lines, then countries and zones."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.present.basemap import (
    Basemap,
    label_points,
    parts,
)
from geo.present.content import MapContent, MapFeature
from geo.present.image.draw import LABEL_PT, Drawer, halo, visible_part
from geo.present.image.frame import Frame, inside
from geo.present.style import (
    COUNTRY_LABEL_COLOR,
    COUNTRY_LABEL_SHARE,
    LAND_COLOR,
    MAX_COUNTRY_LABELS,
    ZONE_LABEL_SHARE,
    short_name,
    zone_label,
    zone_label_color,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


RING_LABEL_PLACES = 40
"""Places tried along a ring for its name."""


def ring_anchors(frame: Frame, line: BaseGeometry) -> list[tuple[float, float, float, float]]:
    """Places for a ring's name along its visible part, best first: the ring's top, then
    along it either way down to its bottom. Each is (x, y, nx, ny): the point and the unit
    normal of the ring there."""
    segs = [g for g in parts(line) if isinstance(g, LineString) and g.length > 0]
    if not segs:
        return []
    total = sum(g.length for g in segs)
    step = total / RING_LABEL_PLACES
    minx, _, maxx, _ = MultiLineString(segs).bounds
    mid = 0.5 * (minx + maxx)
    scored: list[tuple[float, tuple[float, float, float, float]]] = []
    for g in segs:
        n = max(1, round(g.length / step))
        for i in range(n):
            d = (i + 0.5) * g.length / n
            p = g.interpolate(d)
            x, y = float(p.x), float(p.y)
            if not inside(frame, x, y, 0.04):
                continue
            a = g.interpolate(max(0.0, d - 0.02 * step))
            b = g.interpolate(min(g.length, d + 0.02 * step))
            tx, ty = b.x - a.x, b.y - a.y
            norm = math.hypot(tx, ty) or 1.0
            scored.append((y - 0.6 * abs(x - mid), (x, y, -ty / norm, tx / norm)))
    scored.sort(key=lambda s: -s[0])
    return [a for _, a in scored]


@dataclass
class LabelSpec:
    """A name to put on the map next to a feature, and the places it may take."""

    kind: str
    """site, reported_impact, ring or line: the order in which names get their place."""
    texts: list[str]
    """Longest first: a shorter one is tried when no place is left for the longer."""
    colour: str
    fontsize: float
    anchors: list[tuple[float, float, float, float]]
    """Points (data units) and, for a ring, its unit normal there; best first."""
    key: str = ""
    """The lines this name may cross: its own ring or line."""
    around: tuple[float, float, float, float] | None = None
    """A reported impact's uncertainty area (x0, y0, x1, y1 in data units): its name goes
    past the area's edges, which stay in view."""
    length: float = 0.0
    """A ring's visible length: short rings have few places and choose first."""
    away: tuple[float, float] | None = None
    """A site's direction away from the other sites near it (unit vector, data units): its
    name goes that way first, so that names in a cluster keep their sites' order."""


LABEL_ORDER = ("site", "reported_impact", "line", "ring")


MARKER_CLEAR_IN = 0.078
"""Half the side of the box around a site's or an impact's marker that names keep out of
(the marker's radius and its edge)."""


LABEL_GAP_PT = 2.5
"""The least room between a name and another name or marker (more above and below)."""


LEADER_AFTER = 1.5
"""A name farther from its feature than this many times its height gets a leader line."""


LEADER_GREY = "#444444"


FAR_PT = (44.0, 70.0, 110.0, 160.0)
"""Last resorts for a name with no room near its feature: further off, with a leader."""


def grow_box(bb: Any, px: float, py: float) -> Any:
    from matplotlib.transforms import Bbox

    return Bbox.from_extents(bb.x0 - px, bb.y0 - py, bb.x1 + px, bb.y1 + py)


HAlign = Literal["left", "center", "right"]


VAlign = Literal["bottom", "center", "top"]


Spot = tuple[float, float, HAlign, VAlign]
"""Where a name goes: a point (data units) and how the name is aligned on it."""


COMPASS: tuple[tuple[HAlign, VAlign, float, float], ...] = (
    ("left", "center", 1.0, 0.0),
    ("right", "center", -1.0, 0.0),
    ("left", "bottom", 0.7, 0.7),
    ("left", "top", 0.7, -0.7),
    ("center", "bottom", 0.0, 1.0),
    ("center", "top", 0.0, -1.0),
    ("right", "bottom", -0.7, 0.7),
    ("right", "top", -0.7, -0.7),
)
"""Directions from a point to its name: east first, then west, the diagonals, north and
south: (ha, va, dx, dy)."""


class Labeller:
    """Places names on the map, each at the first of its candidate points where it lies
    inside the axes and clear of every label already placed (and of the legend, the scale
    bar, the markers and the detail view, which are taken first)."""

    def __init__(self, fig: Figure, ax: Axes) -> None:
        self.renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        self.ax = ax
        self.box = ax.get_window_extent(self.renderer)
        self.taken: list[Any] = []
        self.lines: BaseGeometry | None = None
        """Lines (in data units) that names must not cross: rings, nearest-approach lines."""
        self.keyed: list[tuple[str, BaseGeometry]] = []
        """The same lines, each with the key of its feature."""
        (x0, x1) = ax.get_xlim()
        self.per_px = (x1 - x0) / self.box.width
        """Data units per pixel (the axes have equal aspect)."""
        self.per_pt = self.per_px * fig.dpi / 72.0

    def avoid_lines(self, lines: list[BaseGeometry], keys: list[str] | None = None) -> None:
        segs = [p for g in lines for p in parts(g) if isinstance(p, LineString)]
        if segs:
            self.lines = MultiLineString(segs)
            shapely.prepare(self.lines)
        for i, g in enumerate(lines):
            if not g.is_empty:
                shapely.prepare(g)
                self.keyed.append((keys[i] if keys else "", g))

    def add_line(self, key: str, line: BaseGeometry) -> None:
        shapely.prepare(line)
        self.keyed.append((key, line))
        segs = [p for p in parts(line) if isinstance(p, LineString)]
        if self.lines is not None:
            segs += [p for p in parts(self.lines) if isinstance(p, LineString)]
        self.lines = MultiLineString(segs)
        shapely.prepare(self.lines)

    def avoid_point(self, x: float, y: float, radius_px: float) -> None:
        from matplotlib.transforms import Bbox

        cx, cy = self.ax.transData.transform((x, y))
        r = radius_px
        self.taken.append(Bbox.from_extents(cx - r, cy - r, cx + r, cy + r))

    def _data_box(self, bb: Any) -> BaseGeometry:
        inv = self.ax.transData.inverted()
        (x0, y0), (x1, y1) = inv.transform([(bb.x0, bb.y0), (bb.x1, bb.y1)])
        return shapely.box(x0, y0, x1, y1)

    def _crosses(self, bb: Any, own: str | None = None) -> bool:
        """Does the box meet a line (other than those of key ``own``, when given)?"""
        if own is None:
            return self.lines is not None and bool(self.lines.intersects(self._data_box(bb)))
        b = self._data_box(bb)
        return any(k != own and g.intersects(b) for k, g in self.keyed)

    def _free(self, bb: Any, margin: tuple[float, float] | None = None, pad: float = 3.0) -> bool:
        """Is the box inside the axes and clear of everything taken, by ``margin`` pixels
        (x, y) around it (else by a share of its size)?"""
        grown = bb.expanded(1.08, 1.5) if margin is None else grow_box(bb, *margin)
        return (
            bb.x0 >= self.box.x0 + pad
            and bb.x1 <= self.box.x1 - pad
            and bb.y0 >= self.box.y0 + pad
            and bb.y1 <= self.box.y1 - pad
            and not any(grown.overlaps(o) for o in self.taken)
        )

    def take(self, artist: Any) -> None:
        self.taken.append(artist.get_window_extent(self.renderer))

    def place(
        self,
        points: list[Point],
        text: str,
        *,
        within: BaseGeometry | None = None,
        **kw: Any,
    ) -> Any:
        """``within``: an area (data units) that must hold nearly all of the text's box."""
        if not points:
            return None
        t = self.ax.text(points[0].x, points[0].y, text, **kw)
        for p in points:
            t.set_position((p.x, p.y))
            bb = t.get_window_extent(self.renderer)
            if not self._free(bb) or self._crosses(bb):
                continue
            if within is not None:
                b = self._data_box(bb)
                if within.intersection(b).area < 0.88 * b.area:
                    continue
            self.taken.append(bb)
            return t
        t.remove()
        return None

    def _tiers(self, spec: LabelSpec, w: float, h: float) -> list[list[Spot]]:
        """Where a name of ``w`` x ``h`` pixels may go, (x, y, ha, va), in tiers: nearest
        to its feature first."""
        pt = self.per_pt
        tiers: list[list[Spot]] = []
        if spec.kind == "ring":
            # on the ring (the halo breaks the line), then just inside or outside it
            tiers.append([(x, y, "center", "center") for x, y, _, _ in spec.anchors])
            for gap in (2.0 * pt, 9.0 * pt, 24.0 * pt):
                tier: list[Spot] = []
                for x, y, nx, ny in spec.anchors:
                    off = (abs(nx) * 0.5 * w + abs(ny) * 0.5 * h) * self.per_px + gap
                    tier.append((x + nx * off, y + ny * off, "center", "center"))
                    tier.append((x - nx * off, y - ny * off, "center", "center"))
                tiers.append(tier)
            tiers += self._far(spec, spec.anchors[:: max(1, len(spec.anchors) // 8)])
            return tiers
        if spec.kind == "line":
            # beside the line near its middle, then further along and further off
            for dist, dirs in ((5.0, COMPASS[:2] + COMPASS[4:6]), (14.0, COMPASS)):
                tiers.append(
                    [
                        (x + dist * pt * dx, y + dist * pt * dy, ha, va)
                        for x, y, _, _ in spec.anchors
                        for ha, va, dx, dy in dirs
                    ]
                )
            tiers.append(
                [
                    (x + 28.0 * pt * dx, y + 28.0 * pt * dy, ha, va)
                    for x, y, _, _ in spec.anchors[:3]
                    for ha, va, dx, dy in COMPASS
                ]
            )
            tiers += self._far(spec, spec.anchors[:3])
            return tiers
        # a point: around its marker (or its uncertainty area), then further out; a site
        # in a cluster looks away from the other sites first
        compass = list(COMPASS)
        if spec.away is not None:
            ax_, ay_ = spec.away
            compass.sort(key=lambda c: -(c[2] * ax_ + c[3] * ay_) / math.hypot(c[2], c[3]))
        for dist in (8.5, 16.0, 30.0, *FAR_PT):
            ring: list[Spot] = []
            for x, y, _, _ in spec.anchors:
                x0, y0, x1, y1 = spec.around or (x, y, x, y)
                for ha, va, dx, dy in compass:
                    sx = x + dist * pt * dx
                    sy = y + dist * pt * dy
                    if spec.around is not None:
                        gap = 0.6 * dist * pt
                        sx = max(sx, x1 + gap * dx) if dx > 0 else sx
                        sx = min(sx, x0 + gap * dx) if dx < 0 else sx
                        sy = max(sy, y1 + gap * dy) if dy > 0 else sy
                        sy = min(sy, y0 + gap * dy) if dy < 0 else sy
                    ring.append((sx, sy, ha, va))
            tiers.append(ring)
        return tiers

    def _far(
        self, spec: LabelSpec, anchors: list[tuple[float, float, float, float]]
    ) -> list[list[Spot]]:
        """Places further off the feature, around the given anchors (a leader joins them)."""
        pt = self.per_pt
        return [
            [
                (x + d * pt * dx, y + d * pt * dy, ha, va)
                for x, y, _, _ in anchors
                for ha, va, dx, dy in COMPASS
            ]
            for d in FAR_PT
        ]

    def _free_space(self, spec: LabelSpec, t: Any, margin: tuple[float, float]) -> Any:
        """The free place nearest the feature anywhere in the axes, or None."""
        t.set_horizontalalignment("center")
        t.set_verticalalignment("center")
        t.set_position(spec.anchors[0][:2])
        size = t.get_window_extent(self.renderer)
        inv = self.ax.transData.inverted()
        b = self.box
        xs = np.arange(b.x0 + 0.5 * size.width + 4, b.x1 - 0.5 * size.width - 4, 0.5 * size.height)
        ys = np.arange(b.y0 + 0.5 * size.height + 4, b.y1 - 0.5 * size.height - 4, size.height)
        if not len(xs) or not len(ys):
            return None
        gx, gy = np.meshgrid(xs, ys)
        pts = inv.transform(np.column_stack([gx.ravel(), gy.ravel()]))
        ax0, ay0 = spec.anchors[0][:2]
        order = np.argsort(np.hypot(pts[:, 0] - ax0, pts[:, 1] - ay0))
        for i in order:
            t.set_position((float(pts[i, 0]), float(pts[i, 1])))
            bb = t.get_window_extent(self.renderer)
            if self._free(bb, margin):
                return bb
        return None

    def _leader(self, spec: LabelSpec, t: Any, bb: Any) -> Any:
        """A thin line from the name's nearest edge to its feature, when the name stands
        more than LEADER_AFTER times its height away from it."""
        tr = self.ax.transData
        best: tuple[float, float, float, float, float] | None = None
        for x, y, _, _ in spec.anchors:
            px, py = tr.transform((x, y))
            ex = min(max(px, bb.x0), bb.x1)
            ey = min(max(py, bb.y0), bb.y1)
            d = math.hypot(px - ex, py - ey)
            if best is None or d < best[0]:
                best = (d, px, py, ex, ey)
        if best is None or best[0] <= LEADER_AFTER * bb.height:
            return None
        _, px, py, ex, ey = best
        (dx0, dy0), (dx1, dy1) = tr.inverted().transform([(ex, ey), (px, py)])
        colour = LEADER_GREY if spec.kind in ("site", "reported_impact") else spec.colour
        (line,) = self.ax.plot(
            [dx0, dx1], [dy0, dy1], color=colour, linewidth=0.8, zorder=24, solid_capstyle="round"
        )
        line.set_gid("rz-leader")
        line.set_label(t.get_text())
        self.add_line(f"leader-{t.get_text()}", LineString([(dx0, dy0), (dx1, dy1)]))
        return line

    def place_label(self, spec: LabelSpec) -> Any:
        """Put ``spec``'s name at its first free place: nearest to its feature first; at
        each distance, the full text before a shorter one, and a place that crosses no other
        line before any place. None when no text finds a place."""
        t = self.ax.text(
            0.0,
            0.0,
            "",
            fontsize=spec.fontsize,
            fontweight="bold",
            color=spec.colour,
            zorder=25,
            path_effects=halo(3.0),
        )
        t.set_gid(f"rz-{spec.kind}-label")
        margin = (
            LABEL_GAP_PT * self.per_pt / self.per_px,
            0.3 * spec.fontsize * self.per_pt / self.per_px,
        )
        sized: list[tuple[str, list[list[Spot]]]] = []
        for text in spec.texts:
            t.set_text(text)
            t.set_position(spec.anchors[0][:2])
            size = t.get_window_extent(self.renderer)
            sized.append((text, self._tiers(spec, size.width, size.height)))
        for level in range(max(len(tiers) for _, tiers in sized)):
            for text, tiers in sized:
                if level >= len(tiers):
                    continue
                t.set_text(text)
                for strict in (True, False):
                    for x, y, ha, va in tiers[level]:
                        t.set_position((x, y))
                        t.set_horizontalalignment(ha)
                        t.set_verticalalignment(va)
                        bb = t.get_window_extent(self.renderer)
                        if not self._free(bb, margin):
                            continue
                        if strict and self._crosses(bb, spec.key):
                            continue
                        self.taken.append(bb)
                        self._leader(spec, t, bb)
                        return t
        # no place near the feature: the nearest free room anywhere, with a leader
        for text in reversed(spec.texts):
            t.set_text(text)
            bb = self._free_space(spec, t, margin)
            if bb is not None:
                self.taken.append(bb)
                self._leader(spec, t, bb)
                return t
        t.remove()
        return None


def country_labels(drawer: Drawer, bm: Basemap, labeller: Labeller) -> list[Any]:
    """Names of the countries whose land the image shows a fair share of, biggest first,
    each well inside its visible part."""
    frame = drawer.frame
    frame_area = 4.0 * frame.half_w * frame.half_h
    ranked: list[tuple[float, str, Polygon]] = []
    for name, geom in bm.countries:
        poly = visible_part(drawer, geom)
        if poly is not None and poly.area >= COUNTRY_LABEL_SHARE * frame_area:
            ranked.append((poly.area, name, poly))
    ranked.sort(key=lambda r: -r[0])
    out: list[Any] = []
    for _, name, poly in ranked:
        if len(out) >= MAX_COUNTRY_LABELS:
            break
        t = labeller.place(
            label_points(poly, 5),
            short_name(name).upper(),
            fontsize=LABEL_PT,
            color=COUNTRY_LABEL_COLOR,
            ha="center",
            va="center",
            fontweight="bold",
            zorder=3,
            path_effects=halo(2.0, LAND_COLOR),
        )
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
    frame_area = 4.0 * frame.half_w * frame.half_h
    ranked: list[tuple[float, MapFeature, Polygon]] = []
    for f in zones:
        poly = visible_part(drawer, f.geometry)
        if poly is not None and poly.area >= ZONE_LABEL_SHARE * frame_area:
            ranked.append((poly.area, f, poly))
    ranked.sort(key=lambda r: -r[0])
    out: list[Any] = []
    for _, f, poly in ranked:
        t = labeller.place(
            label_points(poly, 10),
            zone_label(f, content, lines=True),
            within=poly,
            linespacing=1.1,
            fontsize=LABEL_PT,
            fontstyle="italic",
            fontweight="normal",
            color=zone_label_color(f),
            ha="center",
            va="center",
            zorder=24,
            path_effects=halo(2.4),
        )
        if t is not None:
            t.set_gid("rz-zone-label")
            out.append(t)
    return out


def cluster_sides(specs: list[LabelSpec], near: float) -> None:
    """Give each site that has other sites within ``near`` (data units) the direction away
    from their centroid (its length: how clearly the site lies at the cluster's edge, 0..1);
    the sites at the edges choose first."""
    sites = [sp for sp in specs if sp.kind == "site"]
    for sp in sites:
        x, y = sp.anchors[0][:2]
        others = [
            o.anchors[0][:2]
            for o in sites
            if o is not sp and 0 < math.hypot(o.anchors[0][0] - x, o.anchors[0][1] - y) <= near
        ]
        if not others:
            continue
        cx = sum(p[0] for p in others) / len(others)
        cy = sum(p[1] for p in others) / len(others)
        spread = max(math.hypot(p[0] - x, p[1] - y) for p in others)
        d = math.hypot(x - cx, y - cy)
        if d > 0:
            strength = min(1.0, d / spread)
            sp.away = ((x - cx) / d * strength, (y - cy) / d * strength)


LINE_LABEL_AT = (0.5, 0.6, 0.4, 0.7, 0.3, 0.8, 0.2, 0.88, 0.12)
"""Where along a labelled line its name may go, best first (fractions of its length)."""
