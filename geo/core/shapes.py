"""Exact geodesic shapes on the WGS84 ellipsoid as lon/lat shapely geometries.

Every shape here is the set of points whose *shortest* geodesic distance (and, for sectors,
initial azimuth) from a centre lies in a range. Its boundary is traced as parametric curves
whose vertices are computed exactly with GeographicLib; straight lon/lat edges are added
between them until no edge strays more than ``tolerance_m`` from the true curve. The closed
boundary is then lifted to the plane with continuous longitude, closed over a pole when it
winds around one, cut into 360° windows and folded back into [-180, 180], so the result is
valid in EPSG:4326 whatever the size or position of the shape.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from geo.core.geodesy import (
    EARTH_AREA_M2,
    HALF_MERIDIAN_M,
    WGS84,
    FloatArray,
    antipode,
    distance_m,
    forward_many,
    inverse_many,
)
from geo.core.types import LonLat
from geo.errors import InputError

DEFAULT_TOLERANCE_M = 100.0
MIN_TOLERANCE_M = 0.01
MIN_RADIUS_M = 1e-3
"""Radii below 1 mm (the vertex precision) are treated as zero."""

# Beyond this radius the geodesic leaving the centre may pass the cut locus near the
# antipode and stop being the shortest path, so large disks are built from their
# complement around the antipode instead (checked: up to 19,950 km forward points are exact
# for every latitude).
ANTIPODAL_RADIUS_M = 19_900_000.0

Polygonal: TypeAlias = Polygon | MultiPolygon
Curve = Callable[[FloatArray], tuple[FloatArray, FloatArray]]
"""A boundary piece: parameter t in [0, 1] -> (lon, lat) arrays in degrees."""

GLOBE = box(-180.0, -90.0, 180.0, 90.0)


def _wrap180(x: FloatArray) -> FloatArray:
    return np.asarray((x + 180.0) % 360.0 - 180.0, dtype=float)


@dataclass(frozen=True)
class _Traced:
    """A closed boundary as vertices with continuous ("unwrapped") longitude."""

    u: FloatArray  # unwrapped longitudes, last vertex == first + winding
    lat: FloatArray
    signed_area_m2: float
    """Area enclosed by the true curve (counter-clockwise positive in lon/lat), without any
    pole closure: lon/lat polygon of the vertices plus a parabolic lens per edge."""

    @property
    def winding_deg(self) -> float:
        return float(round((self.u[-1] - self.u[0]) / 360.0) * 360.0)


# Area on the ellipsoid of a lon/lat region: by Green's theorem the area is -∮ S(φ) dλ,
# where S(φ) is the area of the zone between the equator and φ per radian of longitude.
_E2 = WGS84.es
_E = math.sqrt(_E2)
# 5-point Gauss-Legendre nodes and weights on [-1, 1], as numpy.polynomial.legendre.leggauss(5)
# gives them (written out: importing numpy.polynomial costs every command start; a test
# checks they are the same numbers)
_GL_T = np.array(
    [-0.906179845938664, -0.5384693101056831, 0.0, 0.5384693101056831, 0.906179845938664]
)
_GL_W = np.array(
    [
        0.23692688505618928,
        0.4786286704993663,
        0.5688888888888887,
        0.4786286704993663,
        0.23692688505618928,
    ]
)
_GL_T = 0.5 * (_GL_T + 1.0)
_GL_W = 0.5 * _GL_W


def _zone_area(lat_rad: FloatArray) -> FloatArray:
    s = np.sin(lat_rad)
    b2 = WGS84.b**2
    return np.asarray(0.5 * b2 * (s / (1.0 - _E2 * s * s) + np.arctanh(_E * s) / _E), dtype=float)


def _area_density(lat_rad: FloatArray) -> FloatArray:
    """dS/dφ: square metres per radian² of lon/lat at latitude φ."""
    s = np.sin(lat_rad)
    density = WGS84.a**2 * (1.0 - _E2) * np.cos(lat_rad) / (1.0 - _E2 * s * s) ** 2
    return np.asarray(density, dtype=float)


def _edges_signed_area_m2(u_deg: FloatArray, lat_deg: FloatArray) -> float:
    """-∫ S(φ) dλ along the straight lon/lat edges of an open path (counter-clockwise +)."""
    lam = np.radians(u_deg)
    phi = np.radians(lat_deg)
    dlam = np.diff(lam)
    phi0, dphi = phi[:-1], np.diff(phi)
    total = 0.0
    for t, w in zip(_GL_T, _GL_W, strict=True):
        total += float(np.sum(w * _zone_area(phi0 + t * dphi) * dlam))
    return -total


def _lens_signed_area_m2(
    u_deg: FloatArray, lat_deg: FloatArray, mu_deg: FloatArray, mlat_deg: FloatArray
) -> float:
    """Area between each chord and the curve through its midpoint, as a parabolic segment."""
    ax, ay = np.radians(u_deg[:-1]), np.radians(lat_deg[:-1])
    bx, by = np.radians(u_deg[1:]), np.radians(lat_deg[1:])
    mx, my = np.radians(mu_deg), np.radians(mlat_deg)
    qx, qy = 0.5 * (ax + bx), 0.5 * (ay + by)
    # cross(m - q, b - a): the sign says on which side of the chord the curve bulges
    cross = (mx - qx) * (by - ay) - (my - qy) * (bx - ax)
    return float(np.sum((2.0 / 3.0) * cross * _area_density(my)))


def _densify(
    curve: Curve, tolerance_m: float, n0: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Sample ``curve`` until every lon/lat chord's midpoint is within tolerance of the curve.

    Returns the parameters, vertices and the curve's midpoints of the final edges. Each
    round tests only the edges the previous round split.
    """
    ts = np.linspace(0.0, 1.0, n0 + 1)
    lon, lat = curve(ts)
    tm = 0.5 * (ts[:-1] + ts[1:])
    mlon, mlat = curve(tm)
    todo = np.ones(tm.size, dtype=bool)  # edges whose chord is not yet known to be good
    for _ in range(60):
        i = np.nonzero(todo)[0]
        if i.size == 0:
            break
        dlon = _wrap180(lon[i + 1] - lon[i])
        qlon = _wrap180(lon[i] + 0.5 * dlon)
        qlat = 0.5 * (lat[i] + lat[i + 1])
        err = inverse_many(mlon[i], mlat[i], qlon, qlat)[2]
        bad = (err > tolerance_m) & (ts[i + 1] - ts[i] > 1e-13)
        todo[i[~bad]] = False
        split = i[bad]
        if split.size == 0:
            break
        # The midpoint becomes a vertex; each half gets a new midpoint to test.
        left_t = 0.5 * (ts[split] + tm[split])
        right_t = 0.5 * (tm[split] + ts[split + 1])
        new_t = np.concatenate([left_t, right_t])
        nlon, nlat = curve(new_t)
        k = split.size
        ts = np.insert(ts, split + 1, tm[split])
        lon = np.insert(lon, split + 1, mlon[split])
        lat = np.insert(lat, split + 1, mlat[split])
        # edge `split` becomes its left half, a new edge after it is its right half
        tm[split], mlon[split], mlat[split] = left_t, nlon[:k], nlat[:k]
        tm = np.insert(tm, split + 1, right_t)
        mlon = np.insert(mlon, split + 1, nlon[k:])
        mlat = np.insert(mlat, split + 1, nlat[k:])
        todo = np.insert(todo, split + 1, True)
        todo[split + np.arange(k)] = True  # indices shift by the insertions before them
    return ts, lon, lat, mlon, mlat


_SNAP_DEG = 1e-9
"""Vertices this close to the antimeridian (about 0.1 mm) are put exactly on it."""


def _unwrap(lon: FloatArray, start: float) -> FloatArray:
    steps = _wrap180(np.diff(lon))
    u = np.concatenate([[start], start + np.cumsum(steps)])
    off = (u + 180.0) % 360.0
    near = (off < _SNAP_DEG) | (off > 360.0 - _SNAP_DEG)
    u[near] = np.round((u[near] + 180.0) / 360.0) * 360.0 - 180.0
    return u


def _insert_antimeridian(
    curve: Curve, ts: FloatArray, u: FloatArray, lat: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Add exact vertices where the curve crosses the antimeridian (u = 180 + 360k)."""
    cell = np.floor((u + 180.0) / 360.0)
    cross = np.nonzero(cell[1:] != cell[:-1])[0]
    boundary = 360.0 * np.maximum(cell[cross], cell[cross + 1]) - 180.0
    # An edge that ends on the antimeridian needs no new vertex.
    keep = (u[cross] != boundary) & (u[cross + 1] != boundary)
    cross, boundary = cross[keep], boundary[keep]
    if cross.size == 0:
        return u, lat
    lo = ts[cross].copy()
    hi = ts[cross + 1].copy()
    u0 = u[cross]
    lon0 = _wrap180(u0)
    going_east = u[cross + 1] > u0
    for _ in range(42):  # edges are < 1,000 km: 42 halvings pin the crossing to < 1 mm
        mid = 0.5 * (lo + hi)
        mlon, _ = curve(mid)
        mu = u0 + _wrap180(mlon - lon0)
        past = (mu >= boundary) == going_east
        hi = np.where(past, mid, hi)
        lo = np.where(past, lo, mid)
    _, xlat = curve(0.5 * (lo + hi))
    u_out = np.insert(u, cross + 1, boundary)
    lat_out = np.insert(lat, cross + 1, xlat)
    return u_out, lat_out


def _trace(curves: Sequence[Curve], tolerance_m: float, n0: Sequence[int]) -> _Traced:
    """Densify each curve, join them end to end with continuous longitude, add crossings."""
    us: list[FloatArray] = []
    lats: list[FloatArray] = []
    start: float | None = None
    area = 0.0
    for curve, n in zip(curves, n0, strict=True):
        ts, lon, lat, mlon, mlat = _densify(curve, tolerance_m, n)
        s = (
            float(lon[0])
            if start is None
            else start + float(_wrap180(np.array([lon[0] - start]))[0])
        )
        u = _unwrap(lon, s)
        mu = u[:-1] + _wrap180(mlon - lon[:-1])
        area += _edges_signed_area_m2(u, lat) + _lens_signed_area_m2(u, lat, mu, mlat)
        u, lat = _insert_antimeridian(curve, ts, u, lat)
        if us:  # the first vertex repeats the previous curve's last one
            u, lat = u[1:], lat[1:]
        us.append(u)
        lats.append(lat)
        start = float(u[-1])
    return _Traced(np.concatenate(us), np.concatenate(lats), area)


def _fold(poly: BaseGeometry) -> Polygonal:
    """Cut a polygon in the unwrapped plane into 360° windows and shift each into [-180, 180]."""
    if poly.is_empty:
        return MultiPolygon()
    minx, _, maxx, _ = poly.bounds
    pieces: list[BaseGeometry] = []
    for k in range(math.floor((minx + 180.0) / 360.0), math.floor((maxx + 180.0) / 360.0) + 1):
        window = box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        piece = poly.intersection(window)
        if not piece.is_empty:
            pieces.append(shapely.affinity.translate(piece, xoff=-360.0 * k))
    merged = shapely.union_all(pieces)
    return _polygonal(merged)


def _polygonal(geom: BaseGeometry) -> Polygonal:
    """Keep only the polygonal parts, without zero-area holes (overlay can leave a hole of
    repeated vertices where a boundary touches itself), oriented counter-clockwise."""
    polys: list[Polygon] = []
    for part in getattr(geom, "geoms", [geom]):
        for p in getattr(part, "geoms", [part]):
            if not isinstance(p, Polygon) or p.is_empty or p.area <= 0:
                continue
            holes = [h for h in p.interiors if Polygon(h).area > _MIN_HOLE_DEG2]
            if len(holes) != len(p.interiors):
                p = Polygon(p.exterior, holes)
            polys.append(orient(p, 1.0))
    if len(polys) == 1:
        return polys[0]
    return MultiPolygon(polys)


_MIN_HOLE_DEG2 = 1e-16
"""Holes smaller than this (about 1e-4 m²) are overlay artefacts, not part of a shape."""


def _valid(poly: Polygon) -> BaseGeometry:
    # Traced boundaries are simple by construction; repair only the rare degenerate one.
    return poly if poly.is_valid else shapely.make_valid(poly)


def _region(traced: _Traced, contains_north: bool, contains_south: bool) -> Polygonal:
    """The region bounded by a traced closed curve, given which poles lie inside it."""
    u, lat = traced.u, traced.lat
    winding = traced.winding_deg
    if winding == 0.0:
        inner = _valid(Polygon(np.column_stack([u, lat])))
        folded = _fold(inner)
        if contains_north and contains_south:
            return _polygonal(GLOBE.difference(folded))
        return folded
    if abs(winding) != 360.0:
        raise ArithmeticError(f"boundary winds {winding}° around the pole")
    pole_lat = 90.0 if contains_north else -90.0
    # Start the lift at an antimeridian vertex so the pole edges lie on the window borders.
    # The cut from that vertex to the pole must cross no other part of the boundary: take
    # the crossing nearest the pole.
    on_am = np.nonzero(_on_antimeridian(u[:-1]))[0]
    if on_am.size:
        pick = np.argmax(lat[on_am]) if contains_north else np.argmin(lat[on_am])
        i = int(on_am[pick])
    else:
        i = 0
    ring_u = np.concatenate([u[i:-1], u[:i] + winding, [u[i] + winding]])
    ring_lat = np.concatenate([lat[i:-1], lat[:i], [lat[i]]])
    coords = np.column_stack([ring_u, ring_lat]).tolist()
    coords += [[ring_u[-1], pole_lat], [ring_u[0], pole_lat]]
    lifted = _valid(Polygon(coords))
    return _fold(lifted)


def _pole_flags(centre: LonLat) -> tuple[float, float]:
    return distance_m(centre, LonLat(0.0, 90.0)), distance_m(centre, LonLat(0.0, -90.0))


def _resolve_poles(
    winding: float, north_in: bool, south_in: bool, north_nearer: bool
) -> tuple[bool, bool]:
    """Make pole membership agree with the boundary's topology when a pole sits on it."""
    if winding == 0.0:
        if north_in != south_in:  # one pole on the boundary: the curve says both or neither
            both = north_in if not north_nearer else south_in
            return both, both
        return north_in, south_in
    if north_in == south_in:
        return north_nearer, not north_nearer
    return north_in, south_in


def _check_tolerance(tolerance_m: float) -> None:
    if not (math.isfinite(tolerance_m) and tolerance_m >= MIN_TOLERANCE_M):
        raise InputError(
            f"tolerance {tolerance_m} m is too small: use at least {MIN_TOLERANCE_M} m"
        )


def _check_range(range_m: float, what: str = "range") -> None:
    if not math.isfinite(range_m) or range_m < 0:
        raise InputError(f"{what} {range_m} m must be a finite, non-negative distance")


def _from_centre(centre: LonLat, az0: float, az1: float, r0: float, r1: float) -> Curve:
    """Points at azimuth and distance from ``centre`` both varying linearly with t."""

    def curve(t: FloatArray) -> tuple[FloatArray, FloatArray]:
        t = np.asarray(t, dtype=float)
        n = t.shape
        return forward_many(
            np.full(n, centre.lon_deg),
            np.full(n, centre.lat_deg),
            az0 + (az1 - az0) * t,
            r0 + (r1 - r0) * t,
        )

    return curve


def _arc(centre: LonLat, radius_m: float, az_from: float, sweep: float) -> Curve:
    return _from_centre(centre, az_from, az_from + sweep, radius_m, radius_m)


def _radial(centre: LonLat, azimuth: float, r0: float, r1: float) -> Curve:
    return _from_centre(centre, azimuth, azimuth, r0, r1)


def _far_boundary(centre: LonLat, range_m: float) -> Curve:
    """Boundary of {P: d(centre, P) > range_m}, traced by azimuth around the antipode."""
    anti = antipode(centre)

    def dist_from_centre(lon: FloatArray, lat: FloatArray) -> FloatArray:
        n = lon.shape
        return inverse_many(np.full(n, centre.lon_deg), np.full(n, centre.lat_deg), lon, lat)[2]

    def curve(t: FloatArray) -> tuple[FloatArray, FloatArray]:
        t = np.asarray(t, dtype=float)
        n = t.shape
        az = 360.0 * t
        alon, alat = np.full(n, anti.lon_deg), np.full(n, anti.lat_deg)
        lo = np.zeros(n)
        hi = np.full(n, max(3.0 * (HALF_MERIDIAN_M - range_m), 50_000.0))
        for _ in range(8):  # widen until every ray has left the far set
            lon, lat = forward_many(alon, alat, az, hi)
            inside = dist_from_centre(lon, lat) > range_m
            if not inside.any():
                break
            hi = np.where(inside, hi * 2.0, hi)
        for _ in range(45):
            mid = 0.5 * (lo + hi)
            lon, lat = forward_many(alon, alat, az, mid)
            far = dist_from_centre(lon, lat) > range_m
            lo = np.where(far, mid, lo)
            hi = np.where(far, hi, mid)
        return forward_many(alon, alat, az, 0.5 * (lo + hi))

    return curve


def _region_area_m2(traced: _Traced, contains_north: bool, contains_south: bool) -> float:
    """Area of the region that ``_region`` builds from the same boundary and poles."""
    winding = traced.winding_deg
    if winding == 0.0:
        inner = abs(traced.signed_area_m2)
        return EARTH_AREA_M2 - inner if contains_north and contains_south else inner
    # closed over the pole along its parallel, from the last vertex back to the first
    pole = math.radians(90.0 if contains_north else -90.0)
    closure = float(_zone_area(np.array([pole]))[0]) * math.radians(winding)
    return abs(traced.signed_area_m2 + closure)


@dataclass(frozen=True)
class Shape:
    """A geodesic area: its lon/lat geometry, geodesic area and outline."""

    geometry: Polygonal
    area_m2: float
    outline: LineString | MultiLineString

    def _repr_html_(self) -> str:
        """In a notebook: area, bounds and a drawing (see :mod:`geo.present.notebook`)."""
        from geo.present.notebook import shape_html  # display only, loaded when asked for

        return shape_html(self)

    def to_geodataframe(self, **columns: Any) -> Any:
        """One row: ``area_km2``, ``columns`` and the geometry (a ``geopandas.GeoDataFrame``)."""
        from geo.access.frames import shape_to_geodataframe  # geopandas only when asked for

        return shape_to_geodataframe(self, **columns)


def _on_antimeridian(u: FloatArray) -> FloatArray:
    return np.asarray((u + 180.0) % 360.0 == 0.0)


def _outline(traced: _Traced) -> LineString | MultiLineString:
    """The traced boundary as lines in [-180, 180], cut at its antimeridian vertices."""
    u, lat = traced.u[:-1], traced.lat[:-1]
    winding = traced.winding_deg
    am = np.nonzero(_on_antimeridian(u))[0]
    if am.size == 0:
        shift = 360.0 * math.floor((u[0] + 180.0) / 360.0)
        xy = np.column_stack([np.append(u, u[0]) - shift, np.append(lat, lat[0])])
        return LineString(xy)
    i0 = int(am[0])
    ext_u = np.concatenate([u[i0:], u[:i0] + winding, [u[i0] + winding]])
    ext_lat = np.concatenate([lat[i0:], lat[:i0], [lat[i0]]])
    cuts = np.nonzero(_on_antimeridian(ext_u))[0]
    lines: list[FloatArray] = []
    for a, b in itertools.pairwise(cuts):
        if b - a < 1:
            continue
        mid = 0.5 * (ext_u[a] + ext_u[b]) if b - a == 1 else float(np.mean(ext_u[a + 1 : b]))
        shift = 360.0 * math.floor((mid + 180.0) / 360.0)
        lines.append(np.column_stack([ext_u[a : b + 1] - shift, ext_lat[a : b + 1]]))
    if len(lines) == 1:
        return LineString(lines[0])
    return MultiLineString(lines)


def range_area(
    centre: LonLat, range_m: float, *, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> Shape:
    """All points within geodesic distance ``range_m`` of ``centre``.

    From 1 m up to the whole globe (``range_m`` at or beyond the half meridian, 20,003.93 km,
    the largest distance between two points on the ellipsoid).
    """
    _check_range(range_m)
    _check_tolerance(tolerance_m)
    if range_m >= HALF_MERIDIAN_M:
        return Shape(GLOBE, EARTH_AREA_M2, MultiLineString())
    if range_m == 0.0:
        return Shape(Polygon(), 0.0, MultiLineString())
    d_north, d_south = _pole_flags(centre)
    if range_m <= ANTIPODAL_RADIUS_M:
        traced = _trace([_arc(centre, range_m, 0.0, 360.0)], tolerance_m, [64])
        north, south = _resolve_poles(
            traced.winding_deg, d_north <= range_m, d_south <= range_m, d_north < d_south
        )
        geom = _region(traced, north, south)
        return Shape(geom, _region_area_m2(traced, north, south), _outline(traced))
    # Very large disk: trace the small far set around the antipode and take the complement.
    traced = _trace([_far_boundary(centre, range_m)], tolerance_m, [64])
    north, south = _resolve_poles(
        traced.winding_deg, d_north > range_m, d_south > range_m, d_north > d_south
    )
    far = _region(traced, north, south)
    far_area = _region_area_m2(traced, north, south)
    return Shape(_polygonal(GLOBE.difference(far)), EARTH_AREA_M2 - far_area, _outline(traced))


def annulus(
    centre: LonLat,
    min_range_m: float,
    max_range_m: float,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> Shape:
    """Points whose distance from ``centre`` is between ``min_range_m`` and ``max_range_m``."""
    _check_range(min_range_m, "minimum range")
    _check_range(max_range_m, "maximum range")
    if min_range_m > max_range_m:
        raise InputError(_min_above_max(min_range_m, max_range_m))
    outer = range_area(centre, max_range_m, tolerance_m=tolerance_m)
    if min_range_m == 0.0:
        return outer
    inner = range_area(centre, min_range_m, tolerance_m=tolerance_m)
    geom = _polygonal(outer.geometry.difference(inner.geometry))
    outline = shapely.union_all([outer.outline, inner.outline])
    lines = outline if isinstance(outline, (LineString, MultiLineString)) else MultiLineString()
    return Shape(geom, outer.area_m2 - inner.area_m2, lines)


def _min_above_max(min_range_m: float, max_range_m: float) -> str:
    return (
        f"minimum range {min_range_m / 1000:g} km exceeds maximum range {max_range_m / 1000:g} km"
    )


def _azimuth_from(centre: LonLat, target: LonLat) -> float:
    lon1 = np.array([centre.lon_deg])
    lat1 = np.array([centre.lat_deg])
    az, _, _ = inverse_many(lon1, lat1, np.array([target.lon_deg]), np.array([target.lat_deg]))
    return float(az[0]) % 360.0


_POLE_NUDGE_DEG = 1e-9
"""How far a radial edge that would run through a pole is turned into the sector: under
0.2 mm sideways at any range, inside the 1 mm vertex precision."""


def _off_the_poles(
    centre: LonLat, a0: float, sweep: float, min_range_m: float, max_range_m: float
) -> tuple[float, float]:
    """A radial edge along the meridian through a pole within range would pass through the
    pole, where longitude is undefined and the region's closure becomes ambiguous (a 90..180
    sector from 40° N beyond the South Pole came out as most of the globe). Turn such an
    edge a hair into the sector."""
    if abs(centre.lat_deg) >= 90.0:
        return a0, sweep
    for pole in (LonLat(0.0, 90.0), LonLat(0.0, -90.0)):
        if not min_range_m <= distance_m(centre, pole) <= max_range_m:
            continue
        az = _azimuth_from(centre, pole)
        if abs((az - a0 + 180.0) % 360.0 - 180.0) < _POLE_NUDGE_DEG:
            a0, sweep = a0 + _POLE_NUDGE_DEG, sweep - _POLE_NUDGE_DEG
        if abs((az - (a0 + sweep) + 180.0) % 360.0 - 180.0) < _POLE_NUDGE_DEG:
            sweep -= _POLE_NUDGE_DEG
    return a0 % 360.0, sweep


def impact_area(
    centre: LonLat,
    min_range_m: float,
    max_range_m: float,
    from_azimuth_deg: float,
    to_azimuth_deg: float,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> Shape:
    """Annular sector: distance in [min, max] and initial azimuth swept clockwise from..to.

    ``min_range_m`` = 0 gives a sector (fan). A sweep of 0° or 360° gives the full annulus.
    """
    _check_range(min_range_m, "minimum range")
    _check_range(max_range_m, "maximum range")
    _check_tolerance(tolerance_m)
    if min_range_m > max_range_m:
        raise InputError(_min_above_max(min_range_m, max_range_m))
    for az in (from_azimuth_deg, to_azimuth_deg):
        if not math.isfinite(az):
            raise InputError(f"bearing {az} is not a finite number")
    sweep = (to_azimuth_deg - from_azimuth_deg) % 360.0
    if sweep == 0.0:
        return annulus(centre, min_range_m, max_range_m, tolerance_m=tolerance_m)
    if max_range_m > ANTIPODAL_RADIUS_M:
        raise InputError(
            f"sectors are limited to {ANTIPODAL_RADIUS_M / 1000:,.0f} km, this one reaches "
            f"{max_range_m / 1000:,.0f} km (beyond the limit geodesics from the centre pass "
            "the antipode's cut locus)"
        )
    if max_range_m == 0.0:
        return Shape(Polygon(), 0.0, MultiLineString())
    if min_range_m < MIN_RADIUS_M:
        min_range_m = 0.0  # below the vertex precision an inner circle is the centre itself
    a0 = from_azimuth_deg % 360.0
    a0, sweep = _off_the_poles(centre, a0, sweep, min_range_m, max_range_m)
    curves: list[Curve] = [
        _radial(centre, a0, min_range_m, max_range_m),
        _arc(centre, max_range_m, a0, sweep),
        _radial(centre, a0 + sweep, max_range_m, min_range_m),
    ]
    n0 = [16, max(8, int(64 * sweep / 360.0)), 16]
    if min_range_m > 0.0:
        curves.append(_arc(centre, min_range_m, a0 + sweep, -sweep))
        n0.append(max(8, int(64 * sweep / 360.0)))
    traced = _trace(curves, tolerance_m, n0)

    def pole_inside(pole: LonLat) -> bool:
        d = distance_m(centre, pole)
        if not min_range_m <= d <= max_range_m:
            return False
        return (_azimuth_from(centre, pole) - a0) % 360.0 <= sweep

    d_north, d_south = _pole_flags(centre)
    north, south = _resolve_poles(
        traced.winding_deg,
        pole_inside(LonLat(0.0, 90.0)),
        pole_inside(LonLat(0.0, -90.0)),
        d_north < d_south,
    )
    geom = _region(traced, north, south)
    return Shape(geom, _region_area_m2(traced, north, south), _outline(traced))


def sector(
    centre: LonLat,
    range_m: float,
    from_azimuth_deg: float,
    to_azimuth_deg: float,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> Shape:
    """Fan: points within ``range_m`` whose initial azimuth lies clockwise from..to."""
    return impact_area(
        centre, 0.0, range_m, from_azimuth_deg, to_azimuth_deg, tolerance_m=tolerance_m
    )


def range_ring(
    centre: LonLat, range_m: float, *, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> LineString | MultiLineString:
    """The circle itself as a line, split at the antimeridian."""
    return range_area(centre, range_m, tolerance_m=tolerance_m).outline


GEODESIC_AREA_METHOD = "rangezone geodesic_area_m2 1"
"""Names :func:`geodesic_area_m2`'s method in the areas a zone pack stores: change it with
the method, and packs written before are measured afresh instead of trusted."""


def geodesic_area_m2(geom: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid of a lon/lat polygonal geometry as drawn (edges straight
    in lon/lat, as in GeoJSON and shapely), exact for any size, poles included."""
    parts = shapely.get_parts(geom)
    polys = parts[shapely.get_type_id(parts) == 3]  # polygons; lines and points have no area
    polys = polys[~shapely.is_empty(polys)] if polys.size else polys
    if polys.size == 0:
        return 0.0
    rings = shapely.get_rings(polys)
    # get_rings lists each polygon's exterior first, then its holes
    n_holes = shapely.get_num_interior_rings(polys)
    sign = np.concatenate([[1.0] + [-1.0] * int(k) for k in n_holes])
    xy, ring_of = shapely.get_coordinates(rings, return_index=True)
    same = ring_of[1:] == ring_of[:-1]
    lam = np.radians(xy[:, 0])
    phi = np.radians(xy[:, 1])
    dlam = np.diff(lam)[same]
    phi0 = phi[:-1][same]
    dphi = np.diff(phi)[same]
    contrib = np.zeros(dlam.size)
    for t, w in zip(_GL_T, _GL_W, strict=True):
        contrib += w * _zone_area(phi0 + t * dphi) * dlam
    per_ring = np.bincount(ring_of[:-1][same], weights=contrib, minlength=rings.size)
    return float(np.sum(sign * np.abs(per_ring)))
