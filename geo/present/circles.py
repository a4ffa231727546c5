"""Range circles dense enough to look round at any zoom of the interactive page.

Range rings are traced with a chord tolerance (100 m by default): fine for a slide, but the
page zooms in to 7 m a pixel, where 100 m chords show as facets. The traced vertices lie
exactly on the geodesic circle, so more exact points are added between neighbours on it
(same distance from the centre, azimuths in between) until each chord is within
``CHORD_TOLERANCE_M`` of the circle.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from pyproj import Geod
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPolygon,
    Polygon,
)
from shapely.geometry.base import BaseGeometry

CHORD_TOLERANCE_M = 8.0
"""A pixel at the page's highest zoom (14) at 30° latitude is about 8 m."""
ON_CIRCLE_M = 1.0
"""Vertices within this of the range (the traced vertices are exact to a millimetre)."""
MAX_STEP_DEG = 5.0
"""Neighbours farther apart in azimuth are joined by a cut (seam, pole), not an arc."""
EARTH_RADIUS_M = 6_371_008.8

_GEOD = Geod(ellps="WGS84")


def densify_circle(geom: BaseGeometry, props: Mapping[str, Any]) -> BaseGeometry:
    """``geom`` with points added along its arcs of the range circles described by
    ``props`` (``centre_lon``, ``centre_lat``, ``range_km``, ``min_range_km``); other
    geometries come back unchanged."""
    try:
        lon0 = float(props["centre_lon"])
        lat0 = float(props["centre_lat"])
        radii = [float(props["range_km"]) * 1000.0]
    except (KeyError, TypeError, ValueError):
        return geom
    low = props.get("min_range_km")
    if isinstance(low, (int, float)) and low > 0:
        radii.append(float(low) * 1000.0)

    def seq(coords: Any) -> np.ndarray:
        return _densify(np.asarray(coords, dtype=float)[:, :2], lon0, lat0, radii)

    def one(g: BaseGeometry) -> BaseGeometry:
        if isinstance(g, Polygon):
            return Polygon(seq(g.exterior.coords), [seq(r.coords) for r in g.interiors])
        if isinstance(g, LineString):
            return LineString(seq(g.coords))
        return g

    if isinstance(geom, (MultiPolygon, MultiLineString, GeometryCollection)):
        return type(geom)([one(g) for g in geom.geoms])
    return one(geom)


def _densify(xy: np.ndarray, lon0: float, lat0: float, radii: list[float]) -> np.ndarray:
    n = len(xy)
    if n < 2:
        return xy
    az, _, dist = _GEOD.inv(np.full(n, lon0), np.full(n, lat0), xy[:, 0], xy[:, 1])
    az = np.asarray(az)
    dist = np.asarray(dist)
    out: list[np.ndarray] = [xy[:1]]
    for i in range(1, n):
        r = next((r for r in radii if abs(dist[i - 1] - r) <= ON_CIRCLE_M), None)
        if r is not None and abs(dist[i] - r) <= ON_CIRCLE_M:
            step = (az[i] - az[i - 1] + 180.0) % 360.0 - 180.0
            k = _pieces(r, step)
            if k > 1 and abs(step) <= MAX_STEP_DEG:
                a = az[i - 1] + step * np.arange(1, k) / k
                m = k - 1
                lon, lat, _ = _GEOD.fwd(np.full(m, lon0), np.full(m, lat0), a, np.full(m, r))
                mid = np.column_stack([lon, lat])
                # keep the segment's side of 180°
                mid[:, 0] += 360.0 * np.round((xy[i - 1, 0] - mid[:, 0]) / 360.0)
                out.append(mid)
        out.append(xy[i : i + 1])
    return np.vstack(out)


def _pieces(radius_m: float, step_deg: float) -> int:
    """How many chords an arc of ``step_deg`` of azimuth needs on a circle of geodesic
    radius ``radius_m`` to stay within CHORD_TOLERANCE_M (sphere estimate: the circle's
    own radius is R sin(r/R))."""
    rc = EARTH_RADIUS_M * abs(math.sin(radius_m / EARTH_RADIUS_M))
    sagitta = rc * (1.0 - math.cos(math.radians(abs(step_deg)) / 2.0))
    return max(1, math.ceil(math.sqrt(sagitta / CHORD_TOLERANCE_M)))
