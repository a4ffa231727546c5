"""Renderer-neutral map layout: what names a map carries, where they may go, and one placer.

Pure (no matplotlib, no browser, no I/O). Both renderers use it:

- :func:`label_specs` turns a :class:`MapContent` into typed :class:`LabelSpec` s (texts with
  their short forms, candidate places, priority, side, kind) in the renderer's *plane*: the
  slide's projected metres or the page's Web Mercator, given as a :class:`Plane`. Ring and
  line places, cluster sides and priorities are computed here, once, the same way for both.
- :class:`Placer` is the one greedy label placer, over boxes in the renderer's units (slide
  pixels, page CSS pixels; y up): given each name's measured sizes, it tries the candidate
  boxes of :func:`tiers` nearest first and keeps the first free one. The page's ``labels.js``
  implements the same algorithm over the same spec fields; the constants it needs are sent
  to it from :data:`PLACER_CONSTANTS`, never written twice.
Country and zone names and legend entries are in :mod:`geo.present.area_names`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.core.types import LonLat
from geo.present.basemap import extent_of, outline, parts
from geo.present.content import MapContent, MapFeature
from geo.present.style import (
    LABEL_TEXT_COLOR,
    LEADER_COLOR,
    Style,
    feature_style,
    label_variants,
    ordered_kinds,
    range_label,
)

LabelKind = Literal["site", "reported_impact", "reference_point", "line", "ring"]
HAlign = Literal["left", "center", "right"]
VAlign = Literal["bottom", "center", "top"]
Box = tuple[float, float, float, float]
"""x0, y0, x1, y1 (x0 <= x1, y0 <= y1)."""
XY = tuple[float, float]

# --------------------------------------------------------------------------------------
# Constants shared by both renderers (the page gets them from PLACER_CONSTANTS)
# --------------------------------------------------------------------------------------

LABEL_PRIORITY: dict[str, float] = {
    "site": 0.0,
    "reported_impact": 1.0,
    "reference_point": 1.5,
    "line": 2.0,
    "ring": 3.0,
}
"""Which names choose their place first when they compete for room (lower first)."""
RING_LABEL_PLACES = 40
"""Places tried along a ring for its name."""
MANY_DATED_IMPACTS = 8
"""Past this many dated impacts on one map (a year of launches) each is named by its date
alone: the full "2022-03-24 · 150 km W of Oshima Peninsula" twenty times cannot be read."""
LINE_LABEL_AT = (0.5, 0.6, 0.4, 0.7, 0.3, 0.8, 0.2, 0.88, 0.12)
"""Where along a labelled line its name may go, best first (fractions of its length)."""
CLUSTER_SHARE = 0.06
"""Sites closer than this share of the view's width form a cluster whose names keep the
sites' order: each looks away from the others first."""

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
south: (horizontal alignment, vertical alignment, dx, dy), y up."""
POINT_GAPS = (8.5, 16.0, 30.0)
"""A site's or an impact's name: its distances from the marker, nearest first (label units:
points on a slide, CSS pixels on the page)."""
RING_GAPS = (2.0, 9.0, 24.0)
"""A ring's name: on the ring, then this far inside or outside it."""
LINE_GAPS = (5.0, 14.0, 28.0)
"""A line's name: beside the line (four sides), then all around, then further off."""
FAR_GAPS = (44.0, 70.0, 110.0, 160.0)
"""Last resorts for a name with no room near its feature: further off, with a leader."""
LABEL_GAP = 2.5
"""The least room between a name and another name or marker, left and right (label units)."""
LABEL_GAP_EM = 0.3
"""The same above and below, as a share of the name's font size."""
EDGE_PAD = 3.0
"""Names keep this far inside the map's frame (label units)."""
LEADER_AFTER = 1.5
"""A name farther from its feature than this many times its height gets a leader line."""
FIXED_GROW = (1.08, 1.5)
"""Country and zone names keep clear of other names by this share of their own width and
height."""

PLACER_CONSTANTS = {
    "COMPASS": [list(c) for c in COMPASS],
    "POINT_GAPS": list(POINT_GAPS),
    "RING_GAPS": list(RING_GAPS),
    "LINE_GAPS": list(LINE_GAPS),
    "FAR_GAPS": list(FAR_GAPS),
    "LABEL_GAP": LABEL_GAP,
    "LABEL_GAP_EM": LABEL_GAP_EM,
    "EDGE_PAD": EDGE_PAD,
    "LEADER_AFTER": LEADER_AFTER,
    "FIXED_GROW": list(FIXED_GROW),
    "LEADER_COLOR": LEADER_COLOR,
}
"""What the page's placer needs, sent in its payload (labels.js has no copies)."""


# --------------------------------------------------------------------------------------
# Label specs
# --------------------------------------------------------------------------------------


@dataclass
class LabelSpec:
    """A name to put on the map next to a feature, and the places it may take."""

    kind: LabelKind
    texts: list[str]
    """Longest first: a shorter one is tried when no place is left for the longer."""
    colour: str
    places: list[XY]
    """Candidate anchors in the renderer's plane, best first."""
    normals: list[XY] = field(default_factory=list)
    """A ring's unit normal at each place (the name may stand off the ring either way)."""
    key: str = ""
    """The lines this name may cross: its own ring's or line's."""
    around: Box | None = None
    """A reported impact's uncertainty area (plane units): its name goes past the area's
    edges, which stay in view."""
    length: float = 0.0
    """A ring's visible length: short rings have few places and choose first."""
    side: XY | None = None
    """A clustered site's direction away from the other sites (length 0..1: how clearly it
    lies at the cluster's edge): its name goes that way first."""
    priority: float = 0.0
    leader: bool = True
    """Whether a name placed away from its feature gets a leader line."""
    attached: bool = False
    """A reported leg's name: only right beside its line, else left out (the impact's name
    says the same): never far off with a leader, which read as drifting from the leg."""
    source: MapFeature | None = field(default=None, repr=False, compare=False)
    """The feature named."""

    @property
    def anchor(self) -> XY:
        return self.places[0]


@dataclass(frozen=True)
class Plane:
    """How a renderer shows lon/lat geometry: ``shown`` clips and projects a geometry into
    its plane (x east, y north), ``inside`` says whether a plane point is well inside the
    view (with a margin given as a share of the view), ``scale`` is the view's width in
    plane units (for cluster distances and ring priorities)."""

    shown: Callable[[BaseGeometry], BaseGeometry]
    inside: Callable[[float, float, float], bool]
    scale: float


def focus_point(content: MapContent) -> LonLat:
    """Where both renderers centre the map: the content's focus, else its first site, else
    the middle of what it shows (EEZ zones only when nothing else is shown)."""
    if content.focus is not None:
        return content.focus
    sites = content.of_kind("site")
    if sites:
        c = sites[0].geometry.centroid
        return LonLat(float(c.x), float(c.y))
    ext = extent_of(f.geometry for f in content.features if f.kind != "eez")
    ext = ext or extent_of(f.geometry for f in content.features)
    if ext is None:
        return LonLat(0.0, 0.0)
    lon = (ext.centre_lon + 180.0) % 360.0 - 180.0
    return LonLat(lon, ext.centre_lat)


def _outline_of(g: BaseGeometry) -> BaseGeometry:
    """The real boundary of an area (no 180° cuts, no pole closures), or a line as it is."""
    if any(isinstance(p, Polygon) for p in parts(g)):
        return outline(g)
    return g


def line_key(f: MapFeature) -> str:
    """The key that ties a ring to its range area's outline (the same range), so that its
    name may cross both."""
    if f.kind in ("ring", "range_area"):
        return f"range:{range_label(f)}"
    return f"{f.kind}:{f.label}"


def ring_places(line: BaseGeometry, inside: Callable[[float, float], bool]) -> list[tuple[XY, XY]]:
    """Places for a ring's name along its visible part, best first: the ring's top, then
    along it either way down to its bottom. Each is (point, unit normal of the ring there)."""
    segs = [g for g in parts(line) if isinstance(g, LineString) and g.length > 0]
    if not segs:
        return []
    total = sum(g.length for g in segs)
    step = total / RING_LABEL_PLACES
    minx, _, maxx, _ = MultiLineString(segs).bounds
    mid = 0.5 * (minx + maxx)
    scored: list[tuple[float, tuple[XY, XY]]] = []
    for g in segs:
        n = max(1, round(g.length / step))
        for i in range(n):
            d = (i + 0.5) * g.length / n
            p = g.interpolate(d)
            x, y = float(p.x), float(p.y)
            if not inside(x, y):
                continue
            a = g.interpolate(max(0.0, d - 0.02 * step))
            b = g.interpolate(min(g.length, d + 0.02 * step))
            tx, ty = b.x - a.x, b.y - a.y
            norm = math.hypot(tx, ty) or 1.0
            scored.append((y - 0.6 * abs(x - mid), ((x, y), (-ty / norm, tx / norm))))
    scored.sort(key=lambda s: -s[0])
    return [a for _, a in scored]


def line_places(
    line: BaseGeometry,
    inside: Callable[[float, float], bool],
    at: Sequence[float] = LINE_LABEL_AT,
) -> list[XY]:
    """Places for a labelled line's name (nearest approach, trajectory): along its longest
    visible part at ``at`` (:data:`LINE_LABEL_AT`)."""
    lines = [p for p in parts(line) if isinstance(p, LineString) and p.length > 0]
    if not lines:
        return []
    longest = max(lines, key=lambda g: g.length)
    out: list[XY] = []
    for t in at:
        p = longest.interpolate(t, normalized=True)
        if inside(float(p.x), float(p.y)):
            out.append((float(p.x), float(p.y)))
    return out


TRACK_LAND_MARGIN = 0.06
"""A track's name keeps this share of the track's length away from land it overflies."""


def track_label_at(props: dict[str, Any]) -> list[float]:
    """:data:`LINE_LABEL_AT` with the places over land that a ground track overflies (its
    ``overflies`` spans of kind ``land``, in km of ``length_km``) moved to the end, so that
    the name lies over sea, clear of the overflight and the coast's names."""
    try:
        length = float(props["length_km"])
        spans = [
            (float(c["enter_km"]) / length, float(c["exit_km"]) / length)
            for c in props.get("overflies", ())
            if c.get("kind") == "land"
        ]
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return list(LINE_LABEL_AT)
    m = TRACK_LAND_MARGIN

    def over_land(t: float) -> bool:
        return any(a - m <= t <= b + m for a, b in spans)

    return sorted(LINE_LABEL_AT, key=over_land)


def cluster_sides(points: Sequence[XY], near: float) -> list[XY | None]:
    """For each site, the direction away from the centroid of the other sites within
    ``near`` (its length: how clearly the site lies at the cluster's edge, 0..1), or None
    for a site with no neighbour."""
    out: list[XY | None] = []
    for i, (x, y) in enumerate(points):
        others = [
            (ox, oy)
            for j, (ox, oy) in enumerate(points)
            if j != i and 0 < math.hypot(ox - x, oy - y) <= near
        ]
        if not others:
            out.append(None)
            continue
        cx = sum(p[0] for p in others) / len(others)
        cy = sum(p[1] for p in others) / len(others)
        spread = max(math.hypot(p[0] - x, p[1] - y) for p in others)
        d = math.hypot(x - cx, y - cy)
        if d <= 0:
            out.append(None)
            continue
        strength = min(1.0, d / spread)
        out.append(((x - cx) / d * strength, (y - cy) / d * strength))
    return out


def label_priority(kind: str, *, side: XY | None = None, length: float = 0.0) -> float:
    """Lower chooses first: sites, reported impacts, lines, rings; a clustered site at the
    cluster's edge before one inside it; a short ring (few places) before a long one."""
    p = LABEL_PRIORITY[kind]
    if kind == "site" and side is not None:
        p += 0.5 * (1.0 - math.hypot(*side))
    if kind == "ring":
        p += length / (1.0 + length)
    return round(p, 6)


def _around(areas: Sequence[BaseGeometry], x: float, y: float, near: float) -> Box | None:
    """The box of the areas that lie at or near (x, y), if any."""
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


DUPLICATE_SHARE = 0.002
"""Points with one name closer than this share of the view are named once."""


def label_specs(content: MapContent, plane: Plane) -> list[LabelSpec]:
    """The names of sites, reported impacts, rings (range areas when there are no rings)
    and labelled lines, with their places in ``plane``, sorted by priority."""
    specs: list[LabelSpec] = []
    have_rings = bool(content.of_kind("ring"))
    areas = [plane.shown(f.geometry) for f in content.of_kind("impact_uncertainty")]

    def inside(margin: float) -> Callable[[float, float], bool]:
        return lambda x, y: plane.inside(x, y, margin)

    # Two events from one site, or several tracks of one length, are named once.
    seen: set[tuple[object, ...]] = set()
    near = DUPLICATE_SHARE * plane.scale

    def repeated(*key: object) -> bool:
        if key in seen:
            return True
        seen.add(key)
        return False

    many_dated = sum(1 for f in content.of_kind("reported_impact") if f.properties.get("date")) > (
        MANY_DATED_IMPACTS
    )
    for kind in ordered_kinds(content):
        for f in content.of_kind(kind):
            if kind == "eez":
                continue
            style: Style = feature_style(f, content)
            if kind == "ring" or (kind == "range_area" and not have_rings):
                texts = label_variants(f)
                line = plane.shown(_outline_of(f.geometry))
                at = ring_places(line, inside(0.04)) if texts else []
                if at:
                    length = float(line.length) / plane.scale
                    specs.append(
                        LabelSpec(
                            "ring",
                            texts,
                            style.color,
                            [p for p, _ in at],
                            [n for _, n in at],
                            key=line_key(f),
                            length=length,
                            priority=label_priority("ring", length=length),
                            source=f,
                        )
                    )
            elif kind in ("site", "reported_impact", "reference_point"):
                if not f.label:
                    continue
                for p in parts(plane.shown(f.geometry)):
                    if not isinstance(p, Point):
                        continue
                    x, y = float(p.x), float(p.y)
                    if repeated(kind, f.label, round(x / near), round(y / near)):
                        continue
                    around = (
                        _around(areas, x, y, 0.008 * plane.scale)
                        if kind == "reported_impact"
                        else None
                    )
                    point_kind: LabelKind = (
                        "site"
                        if kind == "site"
                        else "reported_impact"
                        if kind == "reported_impact"
                        else "reference_point"
                    )
                    # a dated impact's name may shrink to its date where it is crowded, and
                    # is only its date among many (its leg says how far from where)
                    date = str(f.properties.get("date") or "")
                    texts = [f.label]
                    if date and f.label.startswith(date) and f.label != date:
                        texts = [date] if many_dated else [f.label, date]
                    specs.append(
                        LabelSpec(
                            point_kind,
                            texts,
                            LABEL_TEXT_COLOR if kind != "reference_point" else style.color,
                            [(x, y)],
                            around=around,
                            priority=label_priority(kind),
                            source=f,
                        )
                    )
            elif f.label and kind != "range_area":
                if kind == "track" and repeated(kind, f.label):
                    continue
                if kind == "reported_leg" and many_dated:
                    continue  # twenty "300 km W" cannot be told apart: the report has them
                shown = plane.shown(f.geometry)
                if not any(isinstance(p, LineString) for p in parts(shown)):
                    continue
                along: Sequence[float] = (
                    track_label_at(f.properties) if kind == "track" else LINE_LABEL_AT
                )
                places = line_places(shown, inside(0.02), along)
                if places:
                    specs.append(
                        LabelSpec(
                            "line",
                            label_variants(f) or [f.label],
                            style.color,
                            places,
                            key=line_key(f),
                            priority=label_priority("line"),
                            attached=kind == "reported_leg",
                            source=f,
                        )
                    )
    # launch sites look away from each other; a reference point keeps its own place
    sites = [s for s in specs if s.kind == "site" and getattr(s.source, "kind", "") == "site"]
    sides = cluster_sides([s.anchor for s in sites], CLUSTER_SHARE * plane.scale)
    for s, side in zip(sites, sides, strict=True):
        s.side = side
        s.priority = label_priority("site", side=side)
    specs.sort(key=lambda s: s.priority)
    return specs


# --------------------------------------------------------------------------------------
# Candidate boxes
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One name to place, in the renderer's units (y up): its anchors, the measured size of
    each of its texts, and what shapes its candidates."""

    kind: LabelKind
    sizes: list[XY]
    """(width, height) of each text, in the spec's order."""
    anchors: list[XY]
    normals: list[XY] = field(default_factory=list)
    around: Box | None = None
    side: XY | None = None
    key: str = ""
    unit: float = 1.0
    """Renderer units per label unit (slide pixels per point; 1 on the page)."""
    margin: XY = (0.0, 0.0)
    """Room kept clear around the name (x, y)."""
    leader: bool = True
    attached: bool = False
    """Only the places beside the line (the first two tiers), no far places, no free room."""


def box_at(x: float, y: float, w: float, h: float, ha: HAlign, va: VAlign) -> Box:
    """The box of a w x h name aligned on (x, y)."""
    x0 = x if ha == "left" else x - w if ha == "right" else x - 0.5 * w
    y0 = y if va == "bottom" else y - h if va == "top" else y - 0.5 * h
    return (x0, y0, x0 + w, y0 + h)


def _compass_boxes(anchors: Sequence[XY], gap: float, w: float, h: float) -> list[Box]:
    return [
        box_at(x + gap * dx, y + gap * dy, w, h, ha, va)
        for x, y in anchors
        for ha, va, dx, dy in COMPASS
    ]


def _far(anchors: Sequence[XY], w: float, h: float, unit: float) -> list[list[Box]]:
    return [_compass_boxes(anchors, g * unit, w, h) for g in FAR_GAPS]


def tiers(r: Request, w: float, h: float) -> list[list[Box]]:
    """Where a name of ``w`` x ``h`` may go, as boxes in tiers: nearest its feature first."""
    u = r.unit
    out: list[list[Box]] = []
    if r.kind == "ring":
        # on the ring (the halo breaks the line), then just inside or outside it
        out.append([box_at(x, y, w, h, "center", "center") for x, y in r.anchors])
        normals = r.normals or [(0.0, 1.0)] * len(r.anchors)
        for gap in RING_GAPS:
            tier: list[Box] = []
            for (x, y), (nx, ny) in zip(r.anchors, normals, strict=True):
                off = abs(nx) * 0.5 * w + abs(ny) * 0.5 * h + gap * u
                tier.append(box_at(x + nx * off, y + ny * off, w, h, "center", "center"))
                tier.append(box_at(x - nx * off, y - ny * off, w, h, "center", "center"))
            out.append(tier)
        return out + _far(r.anchors[:: max(1, len(r.anchors) // 8)], w, h, u)
    if r.kind == "line":
        near_gap, all_gap, off_gap = LINE_GAPS
        four = COMPASS[:2] + COMPASS[4:6]
        # beside the line: its four sides, then all round a little further, as one tier, so
        # that a place clear of every line (its own too) comes before one over its own line
        out.append(
            [
                box_at(x + near_gap * u * dx, y + near_gap * u * dy, w, h, ha, va)
                for x, y in r.anchors
                for ha, va, dx, dy in four
            ]
            + _compass_boxes(r.anchors, all_gap * u, w, h)
        )
        if r.attached:
            return out
        out.append(_compass_boxes(r.anchors[:3], off_gap * u, w, h))
        return out + _far(r.anchors[:3], w, h, u)
    # a point: around its marker (or its uncertainty area), then further out; a site in a
    # cluster looks away from the other sites first
    compass = list(COMPASS)
    if r.side is not None:
        sx, sy = r.side
        compass.sort(key=lambda c: -(c[2] * sx + c[3] * sy) / math.hypot(c[2], c[3]))
    for gap in (*POINT_GAPS, *FAR_GAPS):
        ring: list[Box] = []
        d = gap * u
        for x, y in r.anchors:
            x0, y0, x1, y1 = r.around or (x, y, x, y)
            for ha, va, dx, dy in compass:
                px, py = x + d * dx, y + d * dy
                if r.around is not None:
                    g = 0.6 * d
                    px = max(px, x1 + g * dx) if dx > 0 else min(px, x0 + g * dx) if dx < 0 else px
                    py = max(py, y1 + g * dy) if dy > 0 else min(py, y0 + g * dy) if dy < 0 else py
                ring.append(box_at(px, py, w, h, ha, va))
        out.append(ring)
    return out


# --------------------------------------------------------------------------------------
# The placer
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    text: int
    """Which of the spec's texts was placed."""
    box: Box
    leader: tuple[XY, XY] | None = None
    """From the name's nearest edge to the nearest anchor, when the name stands away."""


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _grow(b: Box, mx: float, my: float) -> Box:
    return (b[0] - mx, b[1] - my, b[2] + mx, b[3] + my)


class Placer:
    """Greedy placement over boxes: each name takes the first of its candidates that lies
    inside the frame, clear (by its margin) of every box already taken, and (first pass)
    crossing no line but its own; failing that, the free room nearest its feature."""

    def __init__(self, frame: Box, pad: float = EDGE_PAD) -> None:
        self.frame = frame
        self.pad = pad
        self.taken: list[Box] = []
        self._lines: list[tuple[str, BaseGeometry]] = []
        self._all: BaseGeometry | None = None

    def take(self, box: Box) -> None:
        self.taken.append(box)

    def add_line(self, key: str, coords: Iterable[Sequence[XY]]) -> None:
        """Lines (in the renderer's units) that names must not cross, but for those of
        ``key``."""
        segs = [LineString(c) for c in coords if len(c) >= 2]
        if not segs:
            return
        g = MultiLineString(segs)
        shapely.prepare(g)
        self._lines.append((key, g))
        self._all = None

    @property
    def lines(self) -> BaseGeometry | None:
        """Every line, as one geometry."""
        if self._all is None and self._lines:
            segs = [p for _, g in self._lines for p in parts(g) if isinstance(p, LineString)]
            self._all = MultiLineString(segs)
            shapely.prepare(self._all)
        return self._all

    def inside(self, b: Box) -> bool:
        f, p = self.frame, self.pad
        return b[0] >= f[0] + p and b[2] <= f[2] - p and b[1] >= f[1] + p and b[3] <= f[3] - p

    def free(self, b: Box, margin: XY) -> bool:
        grown = _grow(b, *margin)
        return self.inside(b) and not any(_overlaps(grown, o) for o in self.taken)

    def crosses(self, b: Box, own: str | None = None) -> bool:
        """Does the box meet a line (other than those of key ``own``, when given)?"""
        box = shapely.box(*b)
        if own is None:
            lines = self.lines
            return lines is not None and bool(lines.intersects(box))
        return any(k != own and g.intersects(box) for k, g in self._lines)

    def place(self, r: Request) -> Placement | None:
        """Nearest the feature first; at each distance, the full text before a shorter one,
        and a place that crosses no other line before any place. A line's name keeps off its
        own line too where it can (a track's name over the track read as struck through; a
        track's takes a shorter form first); a ring's sits on its ring."""
        if not r.anchors or not r.sizes:
            return None
        sized = [(i, tiers(r, w, h)) for i, (w, h) in enumerate(r.sizes)]
        levels = max(len(t) for _, t in sized)
        texts = range(len(sized))
        passes = ("all", "others", "any") if r.kind == "line" else ("others", "any")
        if r.key.startswith("track:"):  # "294 km" off the track before the full name on it
            order = [(p, i) for p in passes for i in texts]
        else:
            order = [(p, i) for i in texts for p in passes]
        for level in range(levels):
            for strict, i in order:
                ts = sized[i][1]
                if level >= len(ts):
                    continue
                for b in ts[level]:
                    if not self.free(b, r.margin):
                        continue
                    if strict == "all" and self.crosses(b):
                        continue
                    if strict == "others" and self.crosses(b, r.key):
                        continue
                    return self._taken(r, i, b)
        if r.attached:
            return None
        # no place near the feature: the nearest free room anywhere, with a leader
        for i in reversed(range(len(r.sizes))):
            room = self._free_room(r, *r.sizes[i])
            if room is not None:
                return self._taken(r, i, room)
        return None

    def _free_room(self, r: Request, w: float, h: float) -> Box | None:
        f, p = self.frame, self.pad + 1.0
        ax, ay = r.anchors[0]
        cands: list[tuple[float, Box]] = []
        y = f[1] + p
        while y + h <= f[3] - p:
            x = f[0] + p
            while x + w <= f[2] - p:
                cands.append((math.hypot(x + 0.5 * w - ax, y + 0.5 * h - ay), (x, y, x + w, y + h)))
                x += 0.5 * h
            y += h
        cands.sort(key=lambda c: c[0])
        for _, b in cands:
            if self.free(b, r.margin):
                return b
        return None

    def _taken(self, r: Request, text: int, b: Box) -> Placement:
        self.taken.append(b)
        lead = leader_for(r.anchors, b) if r.leader else None
        if lead is not None:
            self.add_line(f"leader:{len(self.taken)}", [lead])
        return Placement(text, b, lead)

    def place_fixed(
        self, size: XY, points: Sequence[XY], fits: Callable[[Box], bool] | None = None
    ) -> Box | None:
        """A country's or zone's name, centred on the first of ``points`` where it lies
        inside the frame, clear of other names (by :data:`FIXED_GROW`), crossing no line,
        and (``fits``) inside its area."""
        w, h = size
        gx, gy = 0.5 * (FIXED_GROW[0] - 1.0) * w, 0.5 * (FIXED_GROW[1] - 1.0) * h
        for x, y in points:
            b = box_at(x, y, w, h, "center", "center")
            if not self.free(b, (gx, gy)) or self.crosses(b):
                continue
            if fits is not None and not fits(b):
                continue
            self.taken.append(b)
            return b
        return None


def leader_for(anchors: Sequence[XY], b: Box) -> tuple[XY, XY] | None:
    """A line from the box's nearest edge to the nearest anchor, when the name stands more
    than :data:`LEADER_AFTER` times its height away from it."""
    best: tuple[float, XY, XY] | None = None
    for x, y in anchors:
        ex, ey = min(max(x, b[0]), b[2]), min(max(y, b[1]), b[3])
        d = math.hypot(x - ex, y - ey)
        if best is None or d < best[0]:
            best = (d, (ex, ey), (x, y))
    if best is None or best[0] <= LEADER_AFTER * (b[3] - b[1]):
        return None
    return best[1], best[2]
