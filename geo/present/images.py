"""Slide images of a map (PNG, SVG, PDF) drawn with matplotlib.

The projection is azimuthal equidistant centred on the launch site (``content.focus``):
distances and bearings from the site are true, so range rings are true circles. Every
lon/lat geometry is first intersected with a disk around the site (built by the same exact
geodesic code as the ranges, so the disk is exact in any position), then projected vertex by
vertex. A region that does not contain the antipode maps to one region of the plane; the
extra edges that lon/lat polygons carry (cuts at 180°, closures over a pole) come in pairs
that cancel when filling, and are never stroked: outlines are drawn from the real boundary
only. This is why rings across the antimeridian or around a pole draw without streaks or
inverted fills.
"""

from __future__ import annotations

import math
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.access.atomic import write_with
from geo.core.parse import NAUTICAL_MILE_M
from geo.core.types import LonLat
from geo.present.basemap import (
    Basemap,
    basemap,
    extent_of,
    fit_geometries,
    label_points,
    largest_polygon,
    outline,
    parts,
    to_window,
)
from geo.present.content import LEGAL_DISCLAIMER, MapContent, MapFeature
from geo.present.style import (
    BORDER_COLOR,
    COAST_COLOR,
    COUNTRY_LABEL_COLOR,
    COUNTRY_LABEL_SHARE,
    LAND_COLOR,
    MAX_COUNTRY_LABELS,
    SEA_COLOR,
    ZONE_LABEL_SHARE,
    Style,
    feature_style,
    label_variants,
    ordered_kinds,
    range_label,
    short_name,
    zone_label,
    zone_label_color,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ImageFormat = Literal["png", "svg", "pdf"]

MAX_RADIUS_M = 19_500_000.0
"""The widest view: a disk this far around the site. Beyond it lies only the neighbourhood
of the antipode, which azimuthal equidistant smears round the whole rim."""

MIN_RADIUS_M = 50_000.0
LABEL_PT = 9.0
"""The smallest text on the map (country and zone names, legend, scale): legible on a
slide shown at its size (13.33 x 7.5 in)."""
ATTRIBUTION_PT = 8.0
ATTRIBUTION_LINE_IN = 0.165
VIEW_PAD = 0.08
SEGMENT_DEG = 0.5
"""Longest lon/lat edge projected as a straight line: longer edges are cut first so that
meridians, parallels and clip edges bend as they should."""


@dataclass(frozen=True)
class _Frame:
    """What the image shows, in projected metres around the site."""

    focus: LonLat
    half_w: float
    half_h: float
    cx: float
    cy: float
    clip_radius: float
    whole_disk: bool

    @property
    def xlim(self) -> tuple[float, float]:
        return self.cx - self.half_w, self.cx + self.half_w

    @property
    def ylim(self) -> tuple[float, float]:
        return self.cy - self.half_h, self.cy + self.half_h


class _Projector:
    def __init__(self, focus: LonLat) -> None:
        from pyproj import CRS, Transformer

        self.crs = CRS.from_proj4(
            f"+proj=aeqd +lat_0={focus.lat_deg!r} +lon_0={focus.lon_deg!r} "
            "+datum=WGS84 +units=m +no_defs"
        )
        self._tr = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)

    def xy(self, lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._tr.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def lonlat(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        lon, lat = self._tr.transform(
            np.asarray(x, dtype=float), np.asarray(y, dtype=float), direction="INVERSE"
        )
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    def geom(self, g: BaseGeometry) -> BaseGeometry:
        """Project vertex-wise after cutting long edges (the result may hold zero-width
        slits where a polygon was cut at 180°: fine to fill, never to stroke)."""
        if g.is_empty:
            return g
        dense = shapely.segmentize(g, SEGMENT_DEG)

        def fn(c: np.ndarray) -> np.ndarray:
            x, y = self.xy(c[:, 0], c[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(dense, fn)


def _focus(content: MapContent) -> LonLat:
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


def _frame(
    content: MapContent, proj: _Projector, focus: LonLat, aspect: float, reserve: float = 0.0
) -> _Frame:
    """Fit the content (not the EEZ zones: one can span half the globe) with a margin, and
    room around the end of a nearest-approach line.

    ``reserve``: a share of the width, on the right, that the content keeps clear (the
    legend goes there when it would cover the content anywhere else)."""
    xs: list[np.ndarray] = [np.zeros(1)]
    ys: list[np.ndarray] = [np.zeros(1)]
    for geom in fit_geometries(content):
        g = _outline_of(geom)
        if g.is_empty:
            continue
        coords = shapely.get_coordinates(shapely.segmentize(g, SEGMENT_DEG))
        x, y = proj.xy(coords[:, 0], coords[:, 1])
        ok = np.isfinite(x) & np.isfinite(y) & (np.hypot(x, y) <= MAX_RADIUS_M)
        xs.append(x[ok])
        ys.append(y[ok])
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    x0, x1, y0, y1 = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    w = max(x1 - x0, 2 * MIN_RADIUS_M) * (1 + 2 * VIEW_PAD) / (1.0 - reserve)
    h = max(y1 - y0, 2 * MIN_RADIUS_M) * (1 + 2 * VIEW_PAD)
    if w / h > aspect:
        h = w / aspect
    else:
        w = h * aspect
    # the content centred in the part of the width it may use
    cx, cy = 0.5 * (x0 + x1) + 0.5 * reserve * w, 0.5 * (y0 + y1)
    corner = max(math.hypot(cx + sx * w / 2, cy + sy * h / 2) for sx in (-1, 1) for sy in (-1, 1))
    if corner <= MAX_RADIUS_M:
        return _Frame(focus, w / 2, h / 2, cx, cy, corner * 1.01, False)
    # Too big for a rectangle of the plane: show the whole disk, centred on the site.
    radius = min(
        max(math.hypot(x0, y0), math.hypot(x1, y1), math.hypot(x0, y1), math.hypot(x1, y0))
        * (1 + VIEW_PAD),
        MAX_RADIUS_M,
    )
    half_w = max(radius * 1.03 * aspect, radius * 1.03 / (1.0 - reserve))
    return _Frame(focus, half_w, half_w / aspect, reserve * half_w, 0.0, radius, True)


def _poly_path(g: BaseGeometry) -> Any:
    """A matplotlib Path of every ring of every polygon part (filled with nonzero winding:
    the projected rings of a region give winding 1 inside and 0 outside)."""
    from matplotlib.path import Path as MplPath

    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for p in parts(g):
        if not isinstance(p, Polygon):
            continue
        for ring in [p.exterior, *p.interiors]:
            a = np.asarray(ring.coords)[:, :2]
            if len(a) < 4:
                continue
            c = np.full(len(a), MplPath.LINETO, dtype=np.uint8)
            c[0] = MplPath.MOVETO
            c[-1] = MplPath.CLOSEPOLY
            verts.append(a)
            codes.append(c)
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _lines(g: BaseGeometry) -> list[np.ndarray]:
    return [np.asarray(p.coords)[:, :2] for p in parts(g) if isinstance(p, LineString)]


def _mpl_dash(style: Style) -> Any:
    if not style.dash:
        return "solid"
    return (0, tuple(d * 0.6 for d in style.dash))


class _Drawer:
    def __init__(self, content: MapContent, ax: Axes, proj: _Projector, frame: _Frame) -> None:
        from geo.core.shapes import range_area

        self.content = content
        self.ax = ax
        self.proj = proj
        self.frame = frame
        # The clip disk in lon/lat: exact in any position, poles and antimeridian included.
        tol = max(100.0, frame.clip_radius / 20_000.0)
        self.disk = range_area(frame.focus, frame.clip_radius, tolerance_m=tol).geometry
        shapely.prepare(self.disk)
        view_deg = 2.0 * frame.half_h / 111_000.0
        self.tol_deg = max(view_deg / 1500.0, 0.002)

    def clip(self, g: BaseGeometry) -> BaseGeometry:
        if g.is_empty:
            return g
        minx, _, maxx, _ = g.bounds
        if minx < -180.0 or maxx > 180.0:  # continuous longitudes (a line across 180°)
            g = to_window(g, -180.0)
        if self.disk.contains(g):
            return g
        return g.intersection(self.disk)

    def fill(self, g: BaseGeometry, **kw: Any) -> None:
        from matplotlib.patches import PathPatch

        path = _poly_path(self.proj.geom(g))
        if path is not None:
            # add_artist, not add_patch: nothing here should move the fixed view limits, and
            # add_patch's limit update walks every vertex in Python (seconds for a coastline).
            self.ax.add_artist(PathPatch(path, linewidth=0, **kw))

    def stroke(self, g: BaseGeometry, **kw: Any) -> None:
        from matplotlib.collections import LineCollection

        segs = _lines(self.proj.geom(g))
        if segs:
            self.ax.add_collection(LineCollection(segs, **kw))

    def basemap(self, bm: Basemap) -> None:
        self.fill(self.clip(bm.land), facecolor=LAND_COLOR, zorder=1)
        self.stroke(
            self.clip(bm.borders),
            colors=BORDER_COLOR,
            linewidths=0.6,
            linestyles=(0, (3, 2)),
            zorder=2,
        )
        self.stroke(self.clip(bm.coast), colors=COAST_COLOR, linewidths=0.55, zorder=2)

    def graticule(self) -> None:
        step = _graticule_step(2.0 * self.frame.half_h / 111_000.0)
        lines: list[LineString] = []
        for lon in np.arange(-180.0, 180.0, step):
            lines.append(LineString([(lon, -89.9), (lon, 89.9)]))
        for lat in np.arange(-90.0 + step, 90.0, step):
            lines.append(LineString([(-180.0, lat), (180.0, lat)]))
        g = self.clip(MultiLineString(lines))
        self.stroke(g, colors="#8fa9bf", linewidths=0.35, alpha=0.7, zorder=1.5)

    def feature_area(self, f: MapFeature, style: Style, z: float) -> None:
        g = self.clip(f.geometry)
        if g.is_empty:
            return
        if style.fill:
            if style.hatch:
                self.fill(
                    g,
                    facecolor=_rgba(style.fill, 0.06),
                    hatch="////",
                    hatchcolor=_rgba(style.color, 0.4),
                    zorder=z,
                )
            else:
                self.fill(g, facecolor=_rgba(style.fill, style.fill_opacity), zorder=z)
        line = outline(g)
        self.stroke(
            line,
            colors=style.color,
            linewidths=style.weight * 0.75,
            linestyles=_mpl_dash(style),
            zorder=z + 0.1,
        )

    def feature_line(self, f: MapFeature, style: Style, z: float) -> None:
        g = self.clip(f.geometry)
        self.stroke(
            g,
            colors=style.color,
            linewidths=style.weight * 0.8,
            linestyles=_mpl_dash(style),
            zorder=z,
        )

    def feature_points(self, f: MapFeature, style: Style, z: float) -> list[tuple[float, float]]:
        pts = [p for p in parts(f.geometry) if isinstance(p, Point)]
        if not pts:
            return []
        x, y = self.proj.xy([p.x for p in pts], [p.y for p in pts])
        edge = style.color if style.color.lower() != "#ffffff" else "#ffffff"
        self.ax.scatter(
            x,
            y,
            s=(style.radius * 1.5) ** 2,
            c=style.fill,
            edgecolors=edge,
            linewidths=1.3,
            zorder=z,
        )
        return list(zip(x.tolist(), y.tolist(), strict=True))


def _graticule_step(view_deg: float) -> float:
    for step in (1.0, 2.0, 5.0, 10.0, 15.0, 30.0):
        if view_deg / step <= 8:
            return step
    return 30.0


def _rgba(hex_colour: str, alpha: float) -> tuple[float, float, float, float]:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255.0 for i in (0, 2, 4))
    return (r, g, b, alpha)


def _halo(width: float = 3.0, colour: str = "white") -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground=colour)]


def _inside(frame: _Frame, x: float, y: float, margin: float = 0.03) -> bool:
    (x0, x1), (y0, y1) = frame.xlim, frame.ylim
    mx, my = (x1 - x0) * margin, (y1 - y0) * margin
    return x0 + mx <= x <= x1 - mx and y0 + my <= y <= y1 - my


RING_LABEL_PLACES = 40
"""Places tried along a ring for its name."""


def _ring_anchors(frame: _Frame, line: BaseGeometry) -> list[tuple[float, float, float, float]]:
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
            if not _inside(frame, x, y, 0.04):
                continue
            a = g.interpolate(max(0.0, d - 0.02 * step))
            b = g.interpolate(min(g.length, d + 0.02 * step))
            tx, ty = b.x - a.x, b.y - a.y
            norm = math.hypot(tx, ty) or 1.0
            scored.append((y - 0.6 * abs(x - mid), (x, y, -ty / norm, tx / norm)))
    scored.sort(key=lambda s: -s[0])
    return [a for _, a in scored]


def _fmt_latlon(p: LonLat) -> str:
    lat, lon = p.lat_deg, (p.lon_deg + 180.0) % 360.0 - 180.0
    return f"{abs(lat):.4f}°{'N' if lat >= 0 else 'S'} {abs(lon):.4f}°{'E' if lon >= 0 else 'W'}"


def _nice(v: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above ``v``."""
    p = 10.0 ** math.floor(math.log10(v))
    for m in (5.0, 2.0, 1.0):
        if m * p <= v:
            return m * p
    return p


def _scale_bar(ax: Axes, frame: _Frame) -> list[Any]:
    """Kilometres and nautical miles; true at the centre and along lines from it. Returns
    the bar's artists (labels keep clear of them)."""
    (x0, x1), (y0, y1) = frame.xlim, frame.ylim
    width = x1 - x0
    km = _nice(width * 0.18 / 1000.0)
    nm = _nice(width * 0.18 / NAUTICAL_MILE_M)
    bx, by = x0 + width * 0.025, y0 + (y1 - y0) * 0.05
    gap = (y1 - y0) * 0.035
    artists: list[Any] = []
    for length, text, yy in (
        (km * 1000.0, f"{km:,g} km", by + gap),
        (nm * NAUTICAL_MILE_M, f"{nm:,g} NM", by),
    ):
        artists += ax.plot(
            [bx, bx + length],
            [yy, yy],
            color="#1c2530",
            linewidth=2.2,
            zorder=20,
            solid_capstyle="butt",
        )
        for xx in (bx, bx + length):
            artists += ax.plot(
                [xx, xx],
                [yy - gap * 0.18, yy + gap * 0.18],
                color="#1c2530",
                linewidth=1.2,
                zorder=20,
            )
        artists.append(
            ax.text(
                bx + length + width * 0.006,
                yy,
                text,
                va="center",
                ha="left",
                fontsize=LABEL_PT,
                color="#1c2530",
                zorder=20,
                path_effects=_halo(2.5),
            )
        )
    return artists


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


def _legend_handles(content: MapContent, wrap: int) -> list[Any]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = []
    seen: set[str] = set()
    have_rings = bool(content.of_kind("ring"))
    for kind in ordered_kinds(content):
        for f in content.of_kind(kind):
            style = feature_style(f, content)
            if kind == "range_area" and have_rings:
                continue
            if kind in ("ring", "range_area"):
                rl = range_label(f)
                title = f"Range: {rl}" if rl else style.title
            else:
                title = style.title
            if title in seen:
                continue
            seen.add(title)
            title = textwrap.fill(title, wrap, subsequent_indent="  ", break_long_words=False)
            if style.radius:
                edge = style.color if style.color.lower() != "#ffffff" else "#111111"
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
                            facecolor=_rgba(style.fill, 0.06),
                            edgecolor=style.color,
                            hatch="////",
                            linestyle=(0, (4, 2)),
                            label=title,
                        )
                    )
                else:
                    handles.append(
                        Patch(
                            facecolor=_rgba(style.fill, max(style.fill_opacity, 0.15)),
                            edgecolor=style.color,
                            linestyle=_mpl_dash(style),
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
                        linestyle=_mpl_dash(style),
                        label=title,
                    )
                )
    handles.append(Patch(facecolor=LAND_COLOR, edgecolor=COAST_COLOR, label="Land"))
    handles.append(
        Line2D([], [], color=BORDER_COLOR, linestyle=(0, (3, 2)), label="International border")
    )
    return handles


def _legend(ax: Axes, content: MapContent, wrap: int, at: tuple[float, float]) -> Any:
    """The legend with its lower left corner at ``at`` (axes fractions)."""
    leg = ax.legend(
        handles=_legend_handles(content, wrap),
        loc="lower left",
        bbox_to_anchor=at,
        borderaxespad=0.0,
        fontsize=LABEL_PT,
        framealpha=0.94,
        edgecolor="#9aa5b1",
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


def _legend_size(ax: Axes, content: MapContent, wrap: int) -> tuple[float, float]:
    """The legend's width and height in axes fractions."""
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    leg = _legend(ax, content, wrap, (0.0, 0.0))
    bb = leg.get_window_extent(renderer)
    box = ax.get_window_extent(renderer)
    leg.remove()
    return bb.width / box.width, bb.height / box.height


@dataclass(frozen=True)
class _Ink:
    """What the legend must not hide, in projected metres: the sites and reported impacts,
    the preferred places of ring names, and the rings and lines."""

    points: list[tuple[float, float]]
    anchors: list[tuple[float, float]]
    lines: BaseGeometry | None


def _ink(drawer: _Drawer, content: MapContent) -> _Ink:
    points: list[tuple[float, float]] = []
    for f in content.of_kind("site", "reported_impact"):
        pts = [p for p in parts(f.geometry) if isinstance(p, Point)]
        if pts:
            x, y = drawer.proj.xy([p.x for p in pts], [p.y for p in pts])
            points += list(zip(x.tolist(), y.tolist(), strict=True))
    segs: list[LineString] = []
    anchors: list[tuple[float, float]] = []
    for _, kind, line in _feature_lines(drawer, content):
        segs += [p for p in parts(line) if isinstance(p, LineString)]
        if kind == "ring":
            at = _ring_anchors(drawer.frame, line)
            if at:
                anchors.append((at[0][0], at[0][1]))
    lines = MultiLineString(segs) if segs else None
    return _Ink(points, anchors, lines)


def _feature_lines(drawer: _Drawer, content: MapContent) -> list[tuple[str, str, BaseGeometry]]:
    """(key, kind, projected line) of each ring, area outline and labelled line; the key ties
    a ring to its area's outline (the same range) so that its name may cross them."""
    out: list[tuple[str, str, BaseGeometry]] = []
    for f in content.features:
        if f.kind in ("eez", "site", "reported_impact"):
            continue
        g = drawer.proj.geom(drawer.clip(_outline_of(f.geometry)))
        if g.is_empty or not any(isinstance(p, LineString) for p in parts(g)):
            continue
        out.append((_line_key(f), f.kind, g))
    return out


def _line_key(f: MapFeature) -> str:
    if f.kind in ("ring", "range_area"):
        return f"range:{range_label(f)}"
    return f"{f.kind}:{f.label}"


def _legend_spots(w: float, h: float, px: float, py: float) -> list[tuple[float, float]]:
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


def _legend_cost(ink: _Ink, frame: _Frame, rect: tuple[float, float, float, float]) -> float:
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


def _legend_place(
    ink: _Ink, frame: _Frame, size: tuple[float, float], pad: tuple[float, float]
) -> tuple[tuple[float, float], float]:
    """The legend's least costly place (its lower left corner) and what it costs."""
    w, h = size
    best: tuple[float, float] = (1.0 - pad[0] - w, pad[1])
    best_cost = math.inf
    for i, (fx, fy) in enumerate(_legend_spots(w, h, *pad)):
        cost = _legend_cost(ink, frame, (fx, fy, fx + w, fy + h)) + 0.01 * i
        if cost < best_cost:
            best, best_cost = (fx, fy), cost
    return best, best_cost


def _visible_part(drawer: _Drawer, geom: BaseGeometry) -> Polygon | None:
    """The biggest piece of a lon/lat area that the image shows (projected, inside the
    frame less a small margin)."""
    g = drawer.clip(geom)
    if g.is_empty:
        return None
    projected = shapely.make_valid(drawer.proj.geom(g))
    (x0, x1), (y0, y1) = drawer.frame.xlim, drawer.frame.ylim
    mx, my = 0.015 * (x1 - x0), 0.015 * (y1 - y0)
    inner = shapely.box(x0 + mx, y0 + my, x1 - mx, y1 - my)
    if drawer.frame.whole_disk:
        inner = inner.intersection(Point(0.0, 0.0).buffer(drawer.frame.clip_radius, 64))
    return largest_polygon(projected.intersection(inner))


@dataclass
class _LabelSpec:
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


def _pad(bb: Any, px: float, py: float) -> Any:
    from matplotlib.transforms import Bbox

    return Bbox.from_extents(bb.x0 - px, bb.y0 - py, bb.x1 + px, bb.y1 + py)


HAlign = Literal["left", "center", "right"]
VAlign = Literal["bottom", "center", "top"]
_Spot = tuple[float, float, HAlign, VAlign]
"""Where a name goes: a point (data units) and how the name is aligned on it."""

_COMPASS: tuple[tuple[HAlign, VAlign, float, float], ...] = (
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


class _Labeller:
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
        grown = bb.expanded(1.08, 1.5) if margin is None else _pad(bb, *margin)
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

    def _tiers(self, spec: _LabelSpec, w: float, h: float) -> list[list[_Spot]]:
        """Where a name of ``w`` x ``h`` pixels may go, (x, y, ha, va), in tiers: nearest
        to its feature first."""
        pt = self.per_pt
        tiers: list[list[_Spot]] = []
        if spec.kind == "ring":
            # on the ring (the halo breaks the line), then just inside or outside it
            tiers.append([(x, y, "center", "center") for x, y, _, _ in spec.anchors])
            for gap in (2.0 * pt, 9.0 * pt, 24.0 * pt):
                tier: list[_Spot] = []
                for x, y, nx, ny in spec.anchors:
                    off = (abs(nx) * 0.5 * w + abs(ny) * 0.5 * h) * self.per_px + gap
                    tier.append((x + nx * off, y + ny * off, "center", "center"))
                    tier.append((x - nx * off, y - ny * off, "center", "center"))
                tiers.append(tier)
            tiers += self._far(spec, spec.anchors[:: max(1, len(spec.anchors) // 8)])
            return tiers
        if spec.kind == "line":
            # beside the line near its middle, then further along and further off
            for dist, dirs in ((5.0, _COMPASS[:2] + _COMPASS[4:6]), (14.0, _COMPASS)):
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
                    for ha, va, dx, dy in _COMPASS
                ]
            )
            tiers += self._far(spec, spec.anchors[:3])
            return tiers
        # a point: around its marker (or its uncertainty area), then further out; a site
        # in a cluster looks away from the other sites first
        compass = list(_COMPASS)
        if spec.away is not None:
            ax_, ay_ = spec.away
            compass.sort(key=lambda c: -(c[2] * ax_ + c[3] * ay_) / math.hypot(c[2], c[3]))
        for dist in (8.5, 16.0, 30.0, *FAR_PT):
            ring: list[_Spot] = []
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
        self, spec: _LabelSpec, anchors: list[tuple[float, float, float, float]]
    ) -> list[list[_Spot]]:
        """Places further off the feature, around the given anchors (a leader joins them)."""
        pt = self.per_pt
        return [
            [
                (x + d * pt * dx, y + d * pt * dy, ha, va)
                for x, y, _, _ in anchors
                for ha, va, dx, dy in _COMPASS
            ]
            for d in FAR_PT
        ]

    def _free_space(self, spec: _LabelSpec, t: Any, margin: tuple[float, float]) -> Any:
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

    def _leader(self, spec: _LabelSpec, t: Any, bb: Any) -> Any:
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

    def place_label(self, spec: _LabelSpec) -> Any:
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
            path_effects=_halo(3.0),
        )
        t.set_gid(f"rz-{spec.kind}-label")
        margin = (
            LABEL_GAP_PT * self.per_pt / self.per_px,
            0.3 * spec.fontsize * self.per_pt / self.per_px,
        )
        sized: list[tuple[str, list[list[_Spot]]]] = []
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


def _country_labels(drawer: _Drawer, bm: Basemap, labeller: _Labeller) -> list[Any]:
    """Names of the countries whose land the image shows a fair share of, biggest first,
    each well inside its visible part."""
    frame = drawer.frame
    frame_area = 4.0 * frame.half_w * frame.half_h
    ranked: list[tuple[float, str, Polygon]] = []
    for name, geom in bm.countries:
        poly = _visible_part(drawer, geom)
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
            path_effects=_halo(2.0, LAND_COLOR),
        )
        if t is not None:
            t.set_gid("rz-country-label")
            out.append(t)
    return out


def _zone_labels(
    drawer: _Drawer, content: MapContent, zones: list[MapFeature], labeller: _Labeller
) -> list[Any]:
    """Whose zone each EEZ zone is, in italics, well inside the zone's part that the image
    shows, where the name fits in that part."""
    frame = drawer.frame
    frame_area = 4.0 * frame.half_w * frame.half_h
    ranked: list[tuple[float, MapFeature, Polygon]] = []
    for f in zones:
        poly = _visible_part(drawer, f.geometry)
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
            path_effects=_halo(2.4),
        )
        if t is not None:
            t.set_gid("rz-zone-label")
            out.append(t)
    return out


def _wrap(renderer: Any, text: str, width_px: float, size: float, weight: str) -> list[str]:
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


def _infer_format(path: Path, fmt: str | None) -> ImageFormat:
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
    size_in: tuple[float, float] = (13.33, 7.5),
) -> None:
    """Draw the map as a slide image (16:9 by default) and write it atomically.

    ``fmt`` defaults to the file's suffix; ``dpi`` sets a PNG's resolution: the image is
    ``round(size_in * dpi)`` pixels (a 13.33 × 7.5 inch slide at 200 dpi is 2666 × 1500).
    """
    target = Path(path)
    f = _infer_format(target, fmt)
    if dpi <= 0 or min(size_in) <= 0:
        from geo.errors import InputError

        raise InputError(f"image size {size_in} in at {dpi} dpi is not a positive size")
    # Whole pixels: matplotlib truncates, so 13.33 in at 60 dpi would give 799 px, not 800.
    exact = (round(size_in[0] * dpi) / dpi, round(size_in[1] * dpi) / dpi)
    fig = _figure(content, dpi=dpi, size_in=exact)
    try:

        def save(tmp: Path) -> None:
            import matplotlib

            # SVG text stays text so that slides can be edited and searched.
            with matplotlib.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
                fig.savefig(
                    tmp, format=f, dpi=dpi, facecolor="white", metadata=_metadata(content, f)
                )

        write_with(target, save)
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)


def _metadata(content: MapContent, fmt: ImageFormat) -> dict[str, Any]:
    title = content.title
    if fmt == "png":
        return {"Title": title, "Software": "rangezone"}
    if fmt == "pdf":
        return {"Title": title, "Creator": "rangezone"}
    return {"Title": title, "Creator": "rangezone", "Date": None}


def _fit_font(
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


def _figure(content: MapContent, *, dpi: int, size_in: tuple[float, float]) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    # Titles, labels, names and attributions are user or dataset text: a "$" in them is a
    # dollar sign, not mathtext (which would garble or fail). Every Text made while
    # drawing, the legend's included, takes its parse_math from this setting.
    with matplotlib.rc_context({"text.parse_math": False}):
        return _draw_figure(content, dpi=dpi, size_in=size_in)


def _draw_figure(content: MapContent, *, dpi: int, size_in: tuple[float, float]) -> Figure:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle

    width_in, height_in = size_in
    fig = plt.figure(figsize=(width_in, height_in), dpi=dpi)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    left_in = right_in = 0.22
    focus = _focus(content)
    raw = content.attribution_lines()
    raw.append(
        "Basemap: Natural Earth (public domain). Projection: azimuthal equidistant centred on "
        f"{_fmt_latlon(focus)} — distances and bearings from the centre are true."
    )
    # Attribution lines wrapped to the slide's width: a long citation or URL never runs off.
    modelled = content.dataset is not None and content.dataset.modelled
    text_w = (width_in - left_in - right_in) * dpi
    lines: list[tuple[str, str, str]] = []
    for i, line in enumerate(raw):
        weight = "bold" if (i == 0 and modelled) or line == LEGAL_DISCLAIMER else "normal"
        colour = "#8a1c1c" if i == 0 and modelled else "#34404c"
        for piece in _wrap(renderer, line, text_w, ATTRIBUTION_PT, weight):
            lines.append((piece, weight, colour))
    top_in = 0.62 + (0.22 if content.subtitle else 0.0)
    bottom_in = 0.14 + ATTRIBUTION_LINE_IN * len(lines)
    ax_w = (width_in - left_in - right_in) / width_in
    ax_h = (height_in - top_in - bottom_in) / height_in
    ax = fig.add_axes((left_in / width_in, bottom_in / height_in, ax_w, ax_h))
    aspect = (ax_w * width_in) / (ax_h * height_in)

    proj = _Projector(focus)
    frame = _frame(content, proj, focus, aspect)
    ax.set_xlim(*frame.xlim)
    ax.set_ylim(*frame.ylim)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_color("#1c2530")
        s.set_linewidth(0.9)

    # The legend goes where it hides least of the content: a free corner or side, beside
    # the globe on a world map, else in room made for it on the right of the content.
    box = ax.get_window_extent(renderer)
    pad = (LEGEND_PAD_IN * dpi / box.width, LEGEND_PAD_IN * dpi / box.height)
    wrap = LEGEND_WRAP
    size = _legend_size(ax, content, wrap)
    if frame.whole_disk:
        side = (frame.half_w - frame.clip_radius * 1.01) / (2.0 * frame.half_w) - 2.0 * pad[0]
        while size[0] > side and wrap > 24:
            wrap -= 4
            size = _legend_size(ax, content, wrap)
    drawer = _Drawer(content, ax, proj, frame)
    at, cost = _legend_place(_ink(drawer, content), frame, size, pad)
    if cost > LEGEND_MAX_COST:
        roomy = _frame(content, proj, focus, aspect, reserve=size[0] + 2.5 * pad[0])
        roomy_drawer = _Drawer(content, ax, proj, roomy)
        at2, cost2 = _legend_place(_ink(roomy_drawer, content), roomy, size, pad)
        if cost2 < cost:
            frame, drawer, at = roomy, roomy_drawer, at2
            ax.set_xlim(*frame.xlim)
            ax.set_ylim(*frame.ylim)

    if frame.whole_disk:
        ax.set_facecolor("white")
        ax.add_patch(
            Circle(
                (0, 0),
                frame.clip_radius,
                facecolor=SEA_COLOR,
                edgecolor="#5d6d7e",
                linewidth=0.8,
                zorder=0,
            )
        )
    else:
        ax.set_facecolor(SEA_COLOR)

    bm = basemap(_disk_extent(drawer.disk), tolerance_deg=drawer.tol_deg, labels=False)
    drawer.graticule()
    drawer.basemap(bm)

    label_specs: list[_LabelSpec] = []
    zones = _draw_features(drawer, content, label_specs)

    # Everything that does not move comes first (scale bar, legend, markers, the detail
    # view); then names in order of importance, each at its first free place: sites,
    # reported impacts, rings (the shortest first: they have the fewest places), lines;
    # then countries and zones in what room is left.
    labeller = _Labeller(fig, ax)
    for artist in _scale_bar(ax, frame):
        labeller.take(artist)
    leg = _legend(ax, content, wrap, at)
    labeller.take(leg)
    for f in content.of_kind("site", "reported_impact"):
        for p in parts(f.geometry):
            if isinstance(p, Point):
                mx, my = proj.xy([p.x], [p.y])
                labeller.avoid_point(float(mx[0]), float(my[0]), MARKER_CLEAR_IN * dpi)
    keyed = _feature_lines(drawer, content)
    labeller.avoid_lines([g for _, _, g in keyed], [k for k, _, _ in keyed])
    areas = [
        drawer.proj.geom(drawer.clip(f.geometry)) for f in content.of_kind("impact_uncertainty")
    ]
    _impact_inset(fig, ax, content, drawer, labeller, areas)
    _cluster_sides(label_specs, 0.12 * drawer.frame.half_w)
    label_specs.sort(
        key=lambda sp: (
            LABEL_ORDER.index(sp.kind),
            -math.hypot(*sp.away) if sp.away else 0.0,
            sp.length,
        )
    )
    for spec in label_specs:
        labeller.place_label(spec)
    _country_labels(drawer, bm, labeller)
    _zone_labels(drawer, content, zones, labeller)

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
            color="#44505c",
        )
        date_w = d.get_window_extent(renderer).width + 0.3 * dpi
    title_w = text_w - date_w
    fig.text(
        left_in / width_in,
        1 - 0.2 / height_in,
        content.title,
        fontsize=_fit_font(renderer, content.title, title_w, 17.0, 11.0),
        fontweight="bold",
        va="top",
        ha="left",
        color="#1c2530",
    )
    if content.subtitle:
        fig.text(
            left_in / width_in,
            1 - 0.55 / height_in,
            content.subtitle,
            fontsize=_fit_font(renderer, content.subtitle, text_w, 11.0, 8.0, "normal"),
            va="top",
            ha="left",
            color="#44505c",
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


def _cluster_sides(specs: list[_LabelSpec], near: float) -> None:
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


def _draw_features(
    drawer: _Drawer,
    content: MapContent,
    label_specs: list[_LabelSpec] | None,
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
                    _queue_ring_label(drawer, f, style, label_specs)
            elif any(isinstance(p, LineString) for p in ps):
                drawer.feature_line(f, style, z)
                if label_specs is None:
                    pass
                elif kind == "ring":
                    _queue_ring_label(drawer, f, style, label_specs)
                elif f.label and kind != "eez":
                    _queue_line_label(drawer, f, style, label_specs)
            else:
                pts = drawer.feature_points(f, style, z + 10)
                if f.label and kind in ("site", "reported_impact") and label_specs is not None:
                    near = 0.008 * 2 * drawer.frame.half_w
                    for x, y in pts:
                        around = _area_at(areas, x, y, near) if kind == "reported_impact" else None
                        label_specs.append(
                            _LabelSpec(
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


def _area_at(
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


INSET_MIN_PX_AT_200DPI = 110.0
"""A reported impact's uncertainty area narrower than this on the slide (at 200 dpi, about
0.55 in) also gets a detail view: on the map, the impact's marker would hide it."""


def _impact_inset(
    fig: Figure,
    ax: Axes,
    content: MapContent,
    main: _Drawer,
    labeller: _Labeller,
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
    corners = {
        "upper left": (box.x0 + margin, box.y1 - margin - inset_h),
        "upper right": (box.x1 - margin - inset_w, box.y1 - margin - inset_h),
        "lower left": (box.x0 + margin, box.y0 + 0.2 * box.height),
    }
    from matplotlib.transforms import Bbox

    cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    tx, ty = ax.transData.transform((cx, cy))
    keep_clear: list[Any] = list(labeller.taken)

    def cost(corner: tuple[float, float]) -> float:
        rect = Bbox.from_bounds(corner[0], corner[1], inset_w, inset_h)
        c = sum(
            max(0.0, min(rect.x1, o.x1) - max(rect.x0, o.x0))
            * max(0.0, min(rect.y1, o.y1) - max(rect.y0, o.y0))
            for o in keep_clear
        )
        if rect.expanded(1.3, 1.3).contains(tx, ty):
            c += 1e12
        if labeller.lines is not None:
            inv = ax.transData.inverted()
            (a0, b0), (a1, b1) = inv.transform([(rect.x0, rect.y0), (rect.x1, rect.y1)])
            inside = labeller.lines.intersection(shapely.box(a0, b0, a1, b1))
            c += float(inside.length) * to_px * 40.0
        return float(c)

    where = min(corners, key=lambda k: cost(corners[k]))
    px, py = corners[where]
    fx0, fy0 = fig.transFigure.inverted().transform((px, py))
    fx1, fy1 = fig.transFigure.inverted().transform((px + inset_w, py + inset_h))
    iax = fig.add_axes((fx0, fy0, fx1 - fx0, fy1 - fy0))
    iax.set_zorder(35)
    half_h = 0.5 * max(size * 2.6, 1.0)
    half_w = half_h * inset_w / inset_h
    corner_r = max(
        math.hypot(cx + sx * half_w, cy + sy * half_h) for sx in (-1, 1) for sy in (-1, 1)
    )
    frame = _Frame(main.frame.focus, half_w, half_h, cx, cy, corner_r * 1.01, False)
    iax.set_xlim(*frame.xlim)
    iax.set_ylim(*frame.ylim)
    iax.set_aspect("equal")
    iax.set_xticks([])
    iax.set_yticks([])
    iax.set_facecolor(SEA_COLOR)
    for sp in iax.spines.values():
        sp.set_color("#1c2530")
        sp.set_linewidth(1.1)
    drawer = _Drawer(content, iax, main.proj, frame)
    window = _view_extent(main.proj, frame)
    if window is not None:
        drawer.basemap(basemap(window.padded(0.1), tolerance_deg=drawer.tol_deg, labels=False))
        lonlat = shapely.union_all(window.padded(0.1).boxes())
    else:
        lonlat = None
    _draw_features(drawer, content, None, lonlat)
    iax.text(
        0.03,
        0.965,
        "Reported impact: detail",
        transform=iax.transAxes,
        ha="left",
        va="top",
        fontsize=LABEL_PT,
        fontweight="bold",
        color="#1c2530",
        zorder=40,
        path_effects=_halo(2.5),
    )
    km = _nice(2 * half_w * 0.35 / 1000.0)
    bx, by = frame.xlim[0] + 0.06 * half_w, frame.ylim[0] + 0.1 * half_h
    iax.plot([bx, bx + km * 1000.0], [by, by], color="#1c2530", linewidth=2.0, zorder=40)
    iax.text(
        bx + km * 1000.0 + 0.03 * half_w,
        by,
        f"{km:,g} km",
        va="center",
        ha="left",
        fontsize=LABEL_PT,
        color="#1c2530",
        zorder=40,
        path_effects=_halo(2.5),
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
            edgecolor="#1c2530",
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
            color="#1c2530",
            linewidth=0.8,
            zorder=26,
        )
    )
    labeller.taken.append(iax.get_window_extent(labeller.renderer).expanded(1.02, 1.02))
    # names keep off the leader too
    corner = ax.transData.inverted().transform(iax.transAxes.transform((ix, iy)))
    labeller.add_line("inset", LineString([(ex, ey), (float(corner[0]), float(corner[1]))]))
    return iax


def _queue_ring_label(drawer: _Drawer, f: MapFeature, style: Style, out: list[_LabelSpec]) -> None:
    texts = label_variants(f)
    if not texts:
        return
    line = drawer.proj.geom(drawer.clip(_outline_of(f.geometry)))
    anchors = _ring_anchors(drawer.frame, line)
    if anchors:
        length = float(line.length)
        out.append(
            _LabelSpec("ring", texts, style.color, 10.0, anchors, _line_key(f), length=length)
        )


def _view_extent(proj: _Projector, frame: _Frame) -> Any:
    """The lon/lat box around the image's rectangle (for placing country labels)."""
    (x0, x1), (y0, y1) = frame.xlim, frame.ylim
    t = np.linspace(0.0, 1.0, 50)
    xs = np.concatenate([x0 + (x1 - x0) * t, np.full(50, x1), x1 - (x1 - x0) * t, np.full(50, x0)])
    ys = np.concatenate([np.full(50, y0), y0 + (y1 - y0) * t, np.full(50, y1), y1 - (y1 - y0) * t])
    lon, lat = proj.lonlat(xs, ys)
    ring = LineString(np.column_stack([lon, lat]))
    return extent_of([ring])


LINE_LABEL_AT = (0.5, 0.6, 0.4, 0.7, 0.3, 0.8, 0.2, 0.88, 0.12)
"""Where along a labelled line its name may go, best first (fractions of its length)."""


def _queue_line_label(drawer: _Drawer, f: MapFeature, style: Style, out: list[_LabelSpec]) -> None:
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
        if _inside(drawer.frame, float(p.x), float(p.y), 0.02):
            anchors.append((float(p.x), float(p.y), 0.0, 0.0))
    if anchors:
        texts = label_variants(f) or [f.label]
        out.append(_LabelSpec("line", texts, style.color, LABEL_PT, anchors, _line_key(f)))


def _disk_extent(disk: BaseGeometry) -> Any:
    ext = extent_of([disk])
    assert ext is not None
    return ext
