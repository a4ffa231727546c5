"""Rhumb lines (loxodromes) on the WGS84 ellipsoid: the course of constant bearing.

A reported position "D km BEARING of PLACE" is plotted on a chart at constant bearing, so it
is read as a rhumb line. Along one, the meridian distance grows as s·cos α and the
isometric latitude ψ and longitude are related by Δλ = tan α · Δψ. Every difference below
(Δφ, Δψ, Δm) is computed from difference formulas, never by subtracting two nearly equal
values, so a course close to east–west (where tan α · Δψ is ∞ · 0) keeps full precision and
its limit, Δλ = s·sin α / (N cos φ), needs no special case except for an exact one.

The meridian arc uses the rectifying-latitude series in the third flattening n to n⁶
(truncation below 1e-9 m). Checked against GeographicLib's RhumbSolve: see
tests/test_rhumb.py and tests/data/rhumb_direct.csv.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from geo.core.geodesy import WGS84, FloatArray
from geo.core.shapes import (
    DEFAULT_TOLERANCE_M,
    Curve,
    Shape,
    _check_tolerance,
    _outline,
    _region,
    _region_area_m2,
    _trace,
    geodesic_area_m2,
)
from geo.core.types import LonLat
from geo.errors import GEODESIC_LEG_HINT, InputError

_A = WGS84.a
_F = WGS84.f
_N = _F / (2.0 - _F)
_E2 = _F * (2.0 - _F)
_E = math.sqrt(_E2)

# Rectifying radius: meridian distance m = _RECT * μ, μ the rectifying latitude.
_RECT = _A / (1.0 + _N) * (1.0 + _N**2 / 4.0 + _N**4 / 64.0 + _N**6 / 256.0)
QUARTER_MERIDIAN_M: float = _RECT * math.pi / 2.0
"""Equator-to-pole meridian distance."""

_n = _N
# φ -> μ: μ = φ + Σ _TO_MU[k-1] sin 2kφ
_TO_MU = np.array(
    [
        -3 / 2 * _n + 9 / 16 * _n**3 - 3 / 32 * _n**5,
        15 / 16 * _n**2 - 15 / 32 * _n**4 + 135 / 2048 * _n**6,
        -35 / 48 * _n**3 + 105 / 256 * _n**5,
        315 / 512 * _n**4 - 189 / 512 * _n**6,
        -693 / 1280 * _n**5,
        1001 / 2048 * _n**6,
    ]
)
# μ -> φ: φ = μ + Σ _FROM_MU[k-1] sin 2kμ
_FROM_MU = np.array(
    [
        3 / 2 * _n - 27 / 32 * _n**3 + 269 / 512 * _n**5,
        21 / 16 * _n**2 - 55 / 32 * _n**4 + 6759 / 4096 * _n**6,
        151 / 96 * _n**3 - 417 / 128 * _n**5,
        1097 / 512 * _n**4 - 15543 / 2560 * _n**6,
        8011 / 2560 * _n**5,
        293393 / 61440 * _n**6,
    ]
)
_K = np.arange(1, _TO_MU.size + 1, dtype=float)


def _series(x: FloatArray, coef: FloatArray) -> FloatArray:
    """x + Σ c_k sin 2kx."""
    return np.asarray(x + np.sin(2.0 * np.multiply.outer(x, _K)) @ coef, dtype=float)


def _series_diff(x1: FloatArray, dx: FloatArray, coef: FloatArray) -> FloatArray:
    """(x2 + Σ c_k sin 2kx2) - (x1 + ...) for x2 = x1 + dx, without cancellation when dx
    is small (dx is given, not recomputed as x2 - x1)."""
    ks = np.multiply.outer(2.0 * x1 + dx, _K)
    kd = np.multiply.outer(dx, _K)
    return np.asarray(dx + (2.0 * np.cos(ks) * np.sin(kd)) @ coef, dtype=float)


def rectifying(lat_rad: FloatArray) -> FloatArray:
    """Rectifying latitude μ of geographic latitude φ (radians): meridian distance / _RECT."""
    return _series(np.asarray(lat_rad, dtype=float), _TO_MU)


def from_rectifying(mu_rad: FloatArray) -> FloatArray:
    """Geographic latitude of rectifying latitude μ (radians)."""
    return _series(np.asarray(mu_rad, dtype=float), _FROM_MU)


def meridian_distance_m(lat_deg: ArrayLike) -> FloatArray:
    """Distance along the meridian from the equator to ``lat_deg`` (signed)."""
    return np.asarray(_RECT * rectifying(np.radians(np.asarray(lat_deg, dtype=float))))


def isometric(lat_rad: FloatArray) -> FloatArray:
    """Isometric latitude ψ = gd⁻¹(φ) - e·atanh(e sin φ): the Mercator ordinate / a."""
    phi = np.asarray(lat_rad, dtype=float)
    return np.asarray(np.arcsinh(np.tan(phi)) - _E * np.arctanh(_E * np.sin(phi)), dtype=float)


def _isometric_diff(p1: FloatArray, p2: FloatArray, dphi: FloatArray) -> FloatArray:
    """ψ(p2) - ψ(p1) from the exact difference identities of asinh and atanh."""
    c1, c2 = np.cos(p1), np.cos(p2)
    s1, s2 = np.sin(p1), np.sin(p2)
    dsin = 2.0 * np.cos(0.5 * (p1 + p2)) * np.sin(0.5 * dphi)  # sin p2 - sin p1
    d_gd = np.arcsinh(dsin / (c1 * c2))
    d_e = np.arctanh(_E * dsin / (1.0 - _E2 * s1 * s2))
    return np.asarray(d_gd - _E * d_e, dtype=float)


def _psi_per_metre(lat_rad: FloatArray) -> FloatArray:
    """dψ/dm = 1 / (N cos φ): the east–west limit of Δψ / Δm."""
    s = np.sin(lat_rad)
    nu = _A / np.sqrt(1.0 - _E2 * s * s)
    return np.asarray(1.0 / (nu * np.cos(lat_rad)), dtype=float)


def _sincosd(deg: FloatArray) -> tuple[FloatArray, FloatArray]:
    """sin and cos of degrees, exact at multiples of 90° (a course due east has cos 0)."""
    d = np.asarray(deg, dtype=float) % 360.0
    q = np.round(d / 90.0)
    r = np.radians(d - 90.0 * q)
    s, c = np.sin(r), np.cos(r)
    qi = q.astype(int) % 4
    sin = np.choose(qi, [s, c, -s, -c])
    cos = np.choose(qi, [c, -s, -c, s])
    return np.asarray(sin + 0.0, dtype=float), np.asarray(cos + 0.0, dtype=float)


def _wrap180(x: FloatArray) -> FloatArray:
    return np.asarray((x + 180.0) % 360.0 - 180.0, dtype=float)


GEODESIC_HINT = GEODESIC_LEG_HINT
"""How a refusal says what to do instead (readers of files replace it with their own key)."""


def _pole_message(distance_m: float, azimuth_deg: float, north: bool) -> str:
    return (
        f"a {distance_m / 1000:,.0f} km rhumb leg at {azimuth_deg % 360.0:g}° passes the "
        f"{'North' if north else 'South'} Pole; {GEODESIC_HINT}"
    )


def _legs(
    lat_deg: FloatArray, azimuth_deg: FloatArray, distance_m: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """(unwrapped longitude change, end latitude) in degrees of rhumb legs (broadcast)."""
    for values, what in ((lat_deg, "latitude"), (azimuth_deg, "bearing"), (distance_m, "distance")):
        if not np.isfinite(values).all():
            bad = np.asarray(values, dtype=float)[~np.isfinite(values)].ravel()[0]
            raise InputError(f"rhumb leg {what} {bad} is not a finite number")
    if (np.abs(lat_deg) >= 90.0).any():
        raise InputError("a rhumb leg cannot start at a pole (its bearing is undefined there)")
    sina, cosa = _sincosd(azimuth_deg)
    phi1 = np.radians(lat_deg)
    mu1 = rectifying(phi1)
    dm = distance_m * cosa
    dmu = dm / _RECT
    mu2 = mu1 + dmu
    over = np.abs(mu2) >= 0.5 * math.pi
    if over.any():
        i = int(np.flatnonzero(over.ravel())[0])
        s_i = float(np.broadcast_to(distance_m, over.shape).ravel()[i])
        a_i = float(np.broadcast_to(azimuth_deg, over.shape).ravel()[i])
        raise InputError(_pole_message(s_i, a_i, bool(mu2.ravel()[i] > 0)))
    phi2 = from_rectifying(mu2)
    dphi = _series_diff(mu1, dmu, _FROM_MU)
    dpsi = _isometric_diff(phi1, phi2, dphi)
    moves = dm != 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(moves, dpsi / np.where(moves, dm, 1.0), _psi_per_metre(phi1))
    return np.asarray(np.degrees(distance_m * sina * ratio), dtype=float), np.degrees(phi2)


def rhumb_direct_many(
    lons: ArrayLike, lats: ArrayLike, azimuths_deg: ArrayLike, distances_m: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """End points of rhumb lines: ``distances_m`` from (lon, lat) at constant bearing
    ``azimuths_deg``. Inputs broadcast; longitudes come back in [-180, 180).

    :class:`InputError` (one line) when a leg would reach or pass a pole, or starts at one.
    """
    lon1, lat1, azi, s = np.broadcast_arrays(
        np.asarray(lons, dtype=float),
        np.asarray(lats, dtype=float),
        np.asarray(azimuths_deg, dtype=float),
        np.asarray(distances_m, dtype=float),
    )
    dlam, lat2 = _legs(lat1, azi, s)
    return _wrap180(lon1 + dlam), lat2


def rhumb_direct(origin: LonLat, azimuth_deg: float, distance_m: float) -> LonLat:
    """The point ``distance_m`` from ``origin`` along the rhumb line at ``azimuth_deg``."""
    lon, lat = rhumb_direct_many(origin.lon_deg, origin.lat_deg, azimuth_deg, distance_m)
    return LonLat(float(lon), float(lat))


def rhumb_dlon_deg(lat_deg: float, azimuths_deg: ArrayLike, distances_m: ArrayLike) -> FloatArray:
    """Longitude change in degrees, not wrapped (it may pass ±360°), of rhumb legs leaving
    latitude ``lat_deg``: how far east (+) or west a leg winds."""
    az, s = np.broadcast_arrays(
        np.asarray(azimuths_deg, dtype=float), np.asarray(distances_m, dtype=float)
    )
    return _legs(np.full(az.shape, float(lat_deg)), az, s)[0]


def rhumb_inverse_many(
    lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """(course in degrees [0, 360), distance in metres) of the shorter rhumb line (|Δλ| <=
    180°) from point 1 to point 2."""
    l1, p1, l2, p2 = np.broadcast_arrays(
        np.asarray(lon1, dtype=float),
        np.asarray(lat1, dtype=float),
        np.asarray(lon2, dtype=float),
        np.asarray(lat2, dtype=float),
    )
    phi1, phi2 = np.radians(p1), np.radians(p2)
    dphi = np.radians(p2 - p1)
    dlam = np.radians(_wrap180(l2 - l1))
    dpsi = _isometric_diff(phi1, phi2, dphi)
    dm = _RECT * _series_diff(phi1, dphi, _TO_MU)
    with np.errstate(invalid="ignore", divide="ignore"):
        m_per_psi = np.where(dpsi != 0.0, dm / np.where(dpsi != 0.0, dpsi, 1.0), 0.0)
    m_per_psi = np.where(dpsi != 0.0, m_per_psi, 1.0 / _psi_per_metre(phi1))
    course = np.degrees(np.arctan2(dlam, dpsi)) % 360.0
    dist = np.hypot(dlam, dpsi) * m_per_psi
    return np.asarray(course, dtype=float), np.asarray(dist, dtype=float)


def rhumb_line(
    origin: LonLat, azimuth_deg: float, distance_m: float, step_m: float = 10_000.0
) -> tuple[FloatArray, FloatArray]:
    """Vertices along a rhumb leg, at most ``step_m`` apart (longitudes in [-180, 180))."""
    n = max(1, math.ceil(distance_m / step_m))
    s = np.linspace(0.0, distance_m, n + 1)
    return rhumb_direct_many(origin.lon_deg, origin.lat_deg, azimuth_deg, s)


# ---------------------------------------------------------------------------- the swept area


def _sweep_cos_range(a0: float, sweep: float) -> tuple[float, float]:
    """Smallest and largest cos α for α from a0 clockwise through ``sweep`` degrees."""
    ends = [math.cos(math.radians(a0)), math.cos(math.radians(a0 + sweep))]
    lo, hi = min(ends), max(ends)
    if (0.0 - a0) % 360.0 <= sweep:
        hi = 1.0
    if (180.0 - a0) % 360.0 <= sweep:
        lo = -1.0
    return lo, hi


def check_rhumb_area(
    centre: LonLat, min_m: float, max_m: float, a0: float, sweep: float, what: str
) -> None:
    """InputError when a rhumb leg from ``centre`` with length in [min_m, max_m] and bearing
    swept clockwise from ``a0`` through ``sweep`` degrees reaches a pole."""
    m1 = float(meridian_distance_m(centre.lat_deg))
    cmin, cmax = _sweep_cos_range(a0, sweep)
    north = m1 + max(max_m * cmax, min_m * cmax)
    south = m1 + min(max_m * cmin, min_m * cmin)
    for reach, is_north in ((north, True), (-south, False)):
        if reach >= QUARTER_MERIDIAN_M:
            raise InputError(
                f"{what} reaches the {'North' if is_north else 'South'} Pole "
                f"(rhumb legs at bearings {a0 % 360.0:g}–{(a0 + sweep) % 360.0:g}°, up to "
                f"{max_m / 1000:,.0f} km); {GEODESIC_HINT}"
            )


def _rhumb_curve(centre: LonLat, az0: float, az1: float, s0: float, s1: float) -> Curve:
    """Rhumb end points with bearing and distance both varying linearly in t."""

    def curve(t: FloatArray) -> tuple[FloatArray, FloatArray]:
        t = np.asarray(t, dtype=float)
        return rhumb_direct_many(
            centre.lon_deg, centre.lat_deg, az0 + (az1 - az0) * t, s0 + (s1 - s0) * t
        )

    return curve


def _first_samples(centre: LonLat, az0: float, az1: float, s0: float, s1: float) -> int:
    """Initial vertices of a boundary piece: enough that no first edge spans over ~5° of
    longitude (a high-latitude rhumb winds fast), at least 16."""
    t = np.linspace(0.0, 1.0, 129)
    dl = rhumb_dlon_deg(centre.lat_deg, az0 + (az1 - az0) * t, s0 + (s1 - s0) * t)
    return max(16, min(20_000, math.ceil(float(np.sum(np.abs(np.diff(dl)))) / 5.0)))


def rhumb_impact_area(
    centre: LonLat,
    min_range_m: float,
    max_range_m: float,
    from_azimuth_deg: float,
    to_azimuth_deg: float,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    what: str = "the rhumb area",
) -> Shape:
    """The points reached by rhumb legs from ``centre`` with length in [min, max] and
    bearing swept clockwise from..to (a sweep under 360°).

    The boundary is the two constant-bearing edges and the two constant-length arcs, each
    densified to ``tolerance_m`` as the geodesic shapes are; crossing 180° is handled by the
    same lift-and-fold. :class:`InputError` when any leg of the area reaches a pole.
    """
    _check_tolerance(tolerance_m)
    for az in (from_azimuth_deg, to_azimuth_deg):
        if not math.isfinite(az):
            raise InputError(f"bearing {az} is not a finite number")
    if not (0.0 <= min_range_m <= max_range_m and math.isfinite(max_range_m)):
        raise InputError(
            f"rhumb area ranges {min_range_m / 1000:g}..{max_range_m / 1000:g} km are not an "
            "interval of non-negative distances"
        )
    sweep = (to_azimuth_deg - from_azimuth_deg) % 360.0
    if sweep == 0.0:
        raise InputError("a rhumb impact area needs a bearing interval narrower than 360°")
    a0 = from_azimuth_deg % 360.0
    a1 = a0 + sweep
    check_rhumb_area(centre, min_range_m, max_range_m, a0, sweep, what)
    lo, hi = min_range_m, max_range_m
    pieces = [(a0, a0, lo, hi), (a0, a1, hi, hi), (a1, a1, hi, lo)]
    if lo > 0.0:
        pieces.append((a1, a0, lo, lo))
    curves = [_rhumb_curve(centre, *p) for p in pieces]
    n0 = [_first_samples(centre, *p) for p in pieces]
    traced = _trace(curves, tolerance_m, n0)
    geom = _region(traced, False, False)
    if float(np.ptp(traced.u)) < 360.0:
        area_m2 = _region_area_m2(traced, False, False)
    else:  # the area wraps onto itself around the globe: measure the folded union
        area_m2 = geodesic_area_m2(geom)
    return Shape(geom, area_m2, _outline(traced))
