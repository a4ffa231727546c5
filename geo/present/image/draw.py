"""Drawing map features on a matplotlib axes: clipped to the view's disk, projected vertex
by vertex, filled and stroked (outlines from the real boundary only)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.core.geodesy import HALF_MERIDIAN_M
from geo.core.parse import NAUTICAL_MILE_M
from geo.present.basemap import (
    Basemap,
    outline,
    parts,
    to_window,
)
from geo.present.content import MapContent, MapFeature
from geo.present.image.frame import Frame, Projector
from geo.present.style import (
    BORDER_COLOR,
    COAST_COLOR,
    GRATICULE_COLOR,
    HALO_COLOR,
    INK_COLOR,
    LAND_COLOR,
    Style,
    feature_style,
    ordered_kinds,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes


LABEL_PT = 9.0
"""The smallest text on the map (country and zone names, legend, scale): legible on a
slide shown at its size (13.33 x 7.5 in)."""


def poly_path(g: BaseGeometry) -> Any:
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


def line_coords(g: BaseGeometry) -> list[np.ndarray]:
    return [np.asarray(p.coords)[:, :2] for p in parts(g) if isinstance(p, LineString)]


def mpl_dash(style: Style) -> Any:
    if not style.dash:
        return "solid"
    return (0, tuple(d * 0.6 for d in style.dash))


class Drawer:
    def __init__(self, content: MapContent, ax: Axes, proj: Projector, frame: Frame) -> None:
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

        path = poly_path(self.proj.geom(g))
        if path is not None:
            # add_artist, not add_patch: nothing here should move the fixed view limits, and
            # add_patch's limit update walks every vertex in Python (seconds for a coastline).
            self.ax.add_artist(PathPatch(path, linewidth=0, **kw))

    def stroke(self, g: BaseGeometry, **kw: Any) -> None:
        from matplotlib.collections import LineCollection

        segs = line_coords(self.proj.geom(g))
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
        step = graticule_step(2.0 * self.frame.half_h / 111_000.0)
        lines: list[LineString] = []
        for lon in np.arange(-180.0, 180.0, step):
            lines.append(LineString([(lon, -89.9), (lon, 89.9)]))
        for lat in np.arange(-90.0 + step, 90.0, step):
            lines.append(LineString([(-180.0, lat), (180.0, lat)]))
        g = self.clip(MultiLineString(lines))
        self.stroke(g, colors=GRATICULE_COLOR, linewidths=0.35, alpha=0.7, zorder=1.5)

    def feature_area(self, f: MapFeature, style: Style, z: float) -> None:
        g = self.clip(f.geometry)
        if g.is_empty:
            return
        if style.fill:
            if style.hatch:
                self.fill(
                    g,
                    facecolor=rgba(style.fill, 0.06),
                    hatch="////",
                    hatchcolor=rgba(style.color, 0.4),
                    zorder=z,
                )
            else:
                self.fill(g, facecolor=rgba(style.fill, style.fill_opacity), zorder=z)
        line = outline(g)
        self.stroke(
            line,
            colors=style.color,
            linewidths=style.weight * 0.75,
            linestyles=mpl_dash(style),
            zorder=z + 0.1,
        )

    def feature_line(self, f: MapFeature, style: Style, z: float) -> None:
        g = self.clip(f.geometry)
        self.stroke(
            g,
            colors=style.color,
            linewidths=style.weight * 0.8,
            linestyles=mpl_dash(style),
            zorder=z,
        )

    def feature_points(self, f: MapFeature, style: Style, z: float) -> list[tuple[float, float]]:
        pts = [p for p in parts(f.geometry) if isinstance(p, Point)]
        if not pts:
            return []
        x, y = self.proj.xy([p.x for p in pts], [p.y for p in pts])
        edge = style.color
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


def graticule_step(view_deg: float) -> float:
    for step in (1.0, 2.0, 5.0, 10.0, 15.0, 30.0):
        if view_deg / step <= 8:
            return step
    return 30.0


def rgba(hex_colour: str, alpha: float) -> tuple[float, float, float, float]:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255.0 for i in (0, 2, 4))
    return (r, g, b, alpha)


def halo(width: float = 3.0, colour: str = HALO_COLOR) -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground=colour)]


def nice(v: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above ``v``."""
    p = 10.0 ** math.floor(math.log10(v))
    for m in (5.0, 2.0, 1.0):
        if m * p <= v:
            return m * p
    return p


def scale_bar(ax: Axes, frame: Frame) -> list[Any]:
    """Kilometres and nautical miles; true at the centre and along lines from it. Returns
    the bar's artists (labels keep clear of them)."""
    (x0, x1), (y0, y1) = frame.xlim, frame.ylim
    width = x1 - x0
    km = nice(width * 0.18 / 1000.0)
    nm = nice(width * 0.18 / NAUTICAL_MILE_M)
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
            color=INK_COLOR,
            linewidth=2.2,
            zorder=20,
            solid_capstyle="butt",
        )
        for xx in (bx, bx + length):
            artists += ax.plot(
                [xx, xx],
                [yy - gap * 0.18, yy + gap * 0.18],
                color=INK_COLOR,
                linewidth=1.2,
                zorder=20,
            )
        artists.append(
            ax.text(
                bx + length + width * 0.011,  # clear of the end tick, halo included
                yy,
                text,
                va="center",
                ha="left",
                fontsize=LABEL_PT,
                color=INK_COLOR,
                zorder=20,
                path_effects=halo(2.5),
            )
        )
    return artists


def north_angle(proj: Projector, x: float, y: float) -> float | None:
    """The screen angle (degrees, counter-clockwise from east) of true north at the plane
    point (x, y): 90 at the projection's centre, tilted away from it elsewhere; None where
    the point is off the globe."""
    if math.hypot(x, y) >= HALF_MERIDIAN_M:
        return None  # past the antipode the projection wraps round
    lon, lat = proj.lonlat([x], [y])
    lo, la = float(lon[0]), float(lat[0])
    if not (math.isfinite(lo) and math.isfinite(la)):
        return None
    step = 0.05 if la < 89.9 else -0.05
    nx, ny = proj.xy([lo], [la + step])
    dx, dy = float(nx[0]) - x, float(ny[0]) - y
    if not (math.isfinite(dx) and math.isfinite(dy)) or dx == dy == 0.0:
        return None
    angle = math.degrees(math.atan2(dy, dx))
    return angle if step > 0 else angle + 180.0


def north_arrow(ax: Axes, proj: Projector, frame: Frame) -> list[Any]:
    """An arrow to true north where it stands (above the scale bar): bearings such as
    "200 km NNW" are read against it. Returns its artists (names keep clear of them)."""
    (x0, x1), (y0, y1) = frame.xlim, frame.ylim
    x, y = x0 + (x1 - x0) * 0.035, y0 + (y1 - y0) * 0.17
    angle = north_angle(proj, x, y)
    if angle is None:
        return []
    r = (y1 - y0) * 0.06
    tip = (x + r * math.cos(math.radians(angle)), y + r * math.sin(math.radians(angle)))
    arrow = ax.annotate(
        "",
        xy=tip,
        xytext=(x, y),
        arrowprops={"arrowstyle": "-|>", "color": INK_COLOR, "lw": 1.6, "mutation_scale": 14},
        zorder=20,
    )
    label = ax.text(
        tip[0] + r * 0.25 * math.cos(math.radians(angle)),
        tip[1] + r * 0.25 * math.sin(math.radians(angle)),
        "N",
        ha="center",
        va="center",
        fontsize=LABEL_PT,
        fontweight="bold",
        color=INK_COLOR,
        zorder=20,
        path_effects=halo(2.5),
    )
    return [arrow, label]


def draw_features(
    drawer: Drawer, content: MapContent, window: BaseGeometry | None = None
) -> list[MapFeature]:
    """Draw every feature, bottom to top. Returns the EEZ zones as drawn (simplified; clipped
    to ``window``, a lon/lat polygon, when given)."""
    zones: list[MapFeature] = []
    z = 4.0
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
            elif any(isinstance(p, LineString) for p in ps):
                drawer.feature_line(f, style, z)
            else:
                drawer.feature_points(f, style, z + 10)
        z += 0.5
    return zones
