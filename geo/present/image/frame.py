"""What a slide shows: the azimuthal equidistant projection around the launch site and
the frame (in projected metres) fitted to the content."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from geo.core.types import LonLat
from geo.present.basemap import (
    extent_of,
    fit_geometries,
    outline,
    parts,
)
from geo.present.content import MapContent
from geo.present.layout import focus_point

MAX_RADIUS_M = 19_500_000.0
"""The widest view: a disk this far around the site. Beyond it lies only the neighbourhood
of the antipode, which azimuthal equidistant smears round the whole rim."""


MIN_RADIUS_M = 50_000.0


VIEW_PAD = 0.08


SEGMENT_DEG = 0.5
"""Longest lon/lat edge projected as a straight line: longer edges are cut first so that
meridians, parallels and clip edges bend as they should."""


@dataclass(frozen=True)
class Frame:
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


class Projector:
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


def focus_of(content: MapContent) -> LonLat:
    """The projection's centre: :func:`geo.present.layout.focus_point`."""
    return focus_point(content)


def outline_of(g: BaseGeometry) -> BaseGeometry:
    """The real boundary of an area (no 180° cuts, no pole closures), or a line as it is."""
    if any(isinstance(p, Polygon) for p in parts(g)):
        return outline(g)
    return g


def fit_frame(
    content: MapContent, proj: Projector, focus: LonLat, aspect: float, reserve: float = 0.0
) -> Frame:
    """Fit the content (not the EEZ zones: one can span half the globe) with a margin, and
    room around the end of a nearest-approach line.

    ``reserve``: a share of the width, on the right, that the content keeps clear (the
    legend goes there when it would cover the content anywhere else)."""
    xs: list[np.ndarray] = [np.zeros(1)]
    ys: list[np.ndarray] = [np.zeros(1)]
    for geom in fit_geometries(content):
        g = outline_of(geom)
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
        return Frame(focus, w / 2, h / 2, cx, cy, corner * 1.01, False)
    # Too big for a rectangle of the plane: show the whole disk, centred on the site.
    radius = min(
        max(math.hypot(x0, y0), math.hypot(x1, y1), math.hypot(x0, y1), math.hypot(x1, y0))
        * (1 + VIEW_PAD),
        MAX_RADIUS_M,
    )
    half_w = max(radius * 1.03 * aspect, radius * 1.03 / (1.0 - reserve))
    return Frame(focus, half_w, half_w / aspect, reserve * half_w, 0.0, radius, True)


def inside(frame: Frame, x: float, y: float, margin: float = 0.03) -> bool:
    (x0, x1), (y0, y1) = frame.xlim, frame.ylim
    mx, my = (x1 - x0) * margin, (y1 - y0) * margin
    return x0 + mx <= x <= x1 - mx and y0 + my <= y <= y1 - my


def fmt_latlon(p: LonLat) -> str:
    lat, lon = p.lat_deg, (p.lon_deg + 180.0) % 360.0 - 180.0
    return f"{abs(lat):.4f}°{'N' if lat >= 0 else 'S'} {abs(lon):.4f}°{'E' if lon >= 0 else 'W'}"


def view_extent(proj: Projector, frame: Frame) -> Any:
    """The lon/lat box around the image's rectangle (for placing country labels)."""
    (x0, x1), (y0, y1) = frame.xlim, frame.ylim
    t = np.linspace(0.0, 1.0, 50)
    xs = np.concatenate([x0 + (x1 - x0) * t, np.full(50, x1), x1 - (x1 - x0) * t, np.full(50, x0)])
    ys = np.concatenate([np.full(50, y0), y0 + (y1 - y0) * t, np.full(50, y1), y1 - (y1 - y0) * t])
    lon, lat = proj.lonlat(xs, ys)
    ring = LineString(np.column_stack([lon, lat]))
    return extent_of([ring])


def disk_extent(disk: BaseGeometry) -> Any:
    ext = extent_of([disk])
    assert ext is not None
    return ext
