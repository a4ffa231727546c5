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


def _frame(content: MapContent, proj: _Projector, focus: LonLat, aspect: float) -> _Frame:
    """Fit the content (not the EEZ zones: one can span half the globe) with a margin, and
    room around the end of a nearest-approach line."""
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
    w = max(x1 - x0, 2 * MIN_RADIUS_M) * (1 + 2 * VIEW_PAD)
    h = max(y1 - y0, 2 * MIN_RADIUS_M) * (1 + 2 * VIEW_PAD)
    if w / h > aspect:
        h = w / aspect
    else:
        w = h * aspect
    cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    corner = max(math.hypot(cx + sx * w / 2, cy + sy * h / 2) for sx in (-1, 1) for sy in (-1, 1))
    if corner <= MAX_RADIUS_M:
        return _Frame(focus, w / 2, h / 2, cx, cy, corner * 1.01, False)
    # Too big for a rectangle of the plane: show the whole disk, centred on the site.
    radius = min(
        max(math.hypot(x0, y0), math.hypot(x1, y1), math.hypot(x0, y1), math.hypot(x1, y0))
        * (1 + VIEW_PAD),
        MAX_RADIUS_M,
    )
    half_h = radius * 1.03
    return _Frame(focus, half_h * aspect, half_h, 0.0, 0.0, radius, True)


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


def _ring_label_at(frame: _Frame, line: BaseGeometry) -> tuple[float, float] | None:
    """Due north of the site if visible, else the ring's highest visible point."""
    best: tuple[float, float] | None = None
    score = -math.inf
    for seg in _lines(line):
        for x, y in seg:
            if not _inside(frame, float(x), float(y), 0.05):
                continue
            s = float(y) - 0.6 * abs(float(x) - frame.cx)
            if s > score:
                score, best = s, (float(x), float(y))
    return best


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


def _legend(ax: Axes, content: MapContent) -> Any:
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
    leg = ax.legend(
        handles=handles,
        loc="lower right",
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


class _Labeller:
    """Places names on the map, each at the first of its candidate points where it lies
    inside the axes and clear of every label already placed."""

    def __init__(self, fig: Figure, ax: Axes) -> None:
        self.renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        self.ax = ax
        self.box = ax.get_window_extent(self.renderer)
        self.taken: list[Any] = []
        self.lines: BaseGeometry | None = None
        """Lines (in data units) that names must not cross: rings, nearest-approach lines."""

    def avoid_lines(self, lines: list[BaseGeometry]) -> None:
        segs = [p for g in lines for p in parts(g) if isinstance(p, LineString)]
        if segs:
            self.lines = MultiLineString(segs)
            shapely.prepare(self.lines)

    def avoid_point(self, x: float, y: float, radius_px: float) -> None:
        from matplotlib.transforms import Bbox

        cx, cy = self.ax.transData.transform((x, y))
        r = radius_px
        self.taken.append(Bbox.from_extents(cx - r, cy - r, cx + r, cy + r))

    def _crosses(self, bb: Any) -> bool:
        if self.lines is None:
            return False
        inv = self.ax.transData.inverted()
        (x0, y0), (x1, y1) = inv.transform([(bb.x0, bb.y0), (bb.x1, bb.y1)])
        return bool(self.lines.intersects(shapely.box(x0, y0, x1, y1)))

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
        pad = 3.0
        for p in points:
            t.set_position((p.x, p.y))
            bb = t.get_window_extent(self.renderer)
            if not (
                bb.x0 >= self.box.x0 + pad
                and bb.x1 <= self.box.x1 - pad
                and bb.y0 >= self.box.y0 + pad
                and bb.y1 <= self.box.y1 - pad
            ):
                continue
            if any(bb.expanded(1.08, 1.5).overlaps(o) for o in self.taken) or self._crosses(bb):
                continue
            if within is not None:
                inv = self.ax.transData.inverted()
                (x0, y0), (x1, y1) = inv.transform([(bb.x0, bb.y0), (bb.x1, bb.y1)])
                b = shapely.box(x0, y0, x1, y1)
                if within.intersection(b).area < 0.88 * b.area:
                    continue
            self.taken.append(bb)
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

    drawer = _Drawer(content, ax, proj, frame)
    bm = basemap(_disk_extent(drawer.disk), tolerance_deg=drawer.tol_deg, labels=False)
    drawer.graticule()
    drawer.basemap(bm)

    label_specs: list[tuple[float, float, str, str, str]] = []
    zones = _draw_features(drawer, content, label_specs)

    labeller = _Labeller(fig, ax)
    areas = [
        drawer.proj.geom(drawer.clip(f.geometry)) for f in content.of_kind("impact_uncertainty")
    ]
    dx = 0.008 * 2 * frame.half_w
    for x, y, text, kind, colour in label_specs:
        if kind == "ring":
            t = ax.text(
                x,
                y,
                text,
                ha="center",
                va="center",
                fontsize=10,
                fontweight="bold",
                color=colour,
                zorder=25,
                path_effects=_halo(3.0),
            )
        else:
            # A reported impact's name starts past its uncertainty area, which stays in view.
            off = dx
            if kind == "reported_impact":
                off = max(off, _east_of(areas, x, y, dx) - x + 0.6 * dx)
            t = ax.text(
                x + off,
                y,
                text,
                ha="left",
                va="center",
                fontsize=10 if kind == "site" else LABEL_PT,
                fontweight="bold",
                color=colour,
                zorder=25,
                path_effects=_halo(3.0),
            )
        labeller.take(t)
    for artist in _scale_bar(ax, frame):
        labeller.take(artist)
    leg = _legend(ax, content)
    labeller.take(leg)
    for f in content.of_kind("site", "reported_impact"):
        for p in parts(f.geometry):
            if isinstance(p, Point):
                mx, my = proj.xy([p.x], [p.y])
                labeller.avoid_point(float(mx[0]), float(my[0]), 0.09 * dpi)
    labeller.avoid_lines(
        [
            drawer.proj.geom(drawer.clip(_outline_of(f.geometry)))
            for f in content.features
            if f.kind in ("ring", "range_area", "impact_area", "nearest", "trajectory")
        ]
    )
    _impact_inset(fig, ax, content, drawer, labeller, areas)
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


def _draw_features(
    drawer: _Drawer,
    content: MapContent,
    label_specs: list[tuple[float, float, str, str, str]] | None,
    window: BaseGeometry | None = None,
) -> list[MapFeature]:
    """Draw every feature, bottom to top; queue the labels of rings, lines and points into
    ``label_specs`` (when given). Returns the EEZ zones as drawn (simplified; clipped to
    ``window``, a lon/lat polygon, when given)."""
    zones: list[MapFeature] = []
    z = 4.0
    have_rings = bool(content.of_kind("ring"))
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
                    for x, y in pts:
                        label_specs.append((x, y, f.label, kind, "#111111"))
        z += 0.5
    return zones


def _east_of(areas: list[BaseGeometry], x: float, y: float, near: float) -> float:
    """The easternmost x, at height ``y``, of the areas that lie at or near (x, y)."""
    east = x
    p = Point(x, y)
    for a in areas:
        if a.is_empty or a.distance(p) > near:
            continue
        minx, _, maxx, _ = a.bounds
        cut = a.intersection(LineString([(minx - 1.0, y), (maxx + 1.0, y)]))
        east = max(east, float(cut.bounds[2] if not cut.is_empty else maxx))
    return float(east)


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
    return iax


def _queue_ring_label(
    drawer: _Drawer, f: MapFeature, style: Style, out: list[tuple[float, float, str, str, str]]
) -> None:
    text = range_label(f)
    if not text:
        return
    line = drawer.proj.geom(drawer.clip(_outline_of(f.geometry)))
    at = _ring_label_at(drawer.frame, line)
    if at is not None:
        out.append((at[0], at[1], text, "ring", style.color))


def _view_extent(proj: _Projector, frame: _Frame) -> Any:
    """The lon/lat box around the image's rectangle (for placing country labels)."""
    (x0, x1), (y0, y1) = frame.xlim, frame.ylim
    t = np.linspace(0.0, 1.0, 50)
    xs = np.concatenate([x0 + (x1 - x0) * t, np.full(50, x1), x1 - (x1 - x0) * t, np.full(50, x0)])
    ys = np.concatenate([np.full(50, y0), y0 + (y1 - y0) * t, np.full(50, y1), y1 - (y1 - y0) * t])
    lon, lat = proj.lonlat(xs, ys)
    ring = LineString(np.column_stack([lon, lat]))
    return extent_of([ring])


def _queue_line_label(
    drawer: _Drawer, f: MapFeature, style: Style, out: list[tuple[float, float, str, str, str]]
) -> None:
    """A labelled line (nearest approach, trajectory) gets its label at mid-length."""
    lines = [
        p for p in parts(drawer.proj.geom(drawer.clip(f.geometry))) if isinstance(p, LineString)
    ]
    if lines:
        mid = max(lines, key=lambda g: g.length).interpolate(0.5, normalized=True)
        out.append((float(mid.x), float(mid.y), f.label, "line", style.color))


def _disk_extent(disk: BaseGeometry) -> Any:
    ext = extent_of([disk])
    assert ext is not None
    return ext
