"""Geodesics on the WGS84 ellipsoid (GeographicLib through pyproj.Geod)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from pyproj import Geod

from geo.core.types import LonLat

WGS84 = Geod(ellps="WGS84")

FloatArray = npt.NDArray[np.float64]


def _authalic_area_m2(a: float, f: float) -> float:
    e2 = f * (2.0 - f)
    e = math.sqrt(e2)
    return 2.0 * math.pi * a * a * (1.0 + (1.0 - e2) / e * math.atanh(e))


EARTH_AREA_M2: float = _authalic_area_m2(WGS84.a, WGS84.f)
"""Surface area of the WGS84 ellipsoid."""

HALF_MERIDIAN_M: float = WGS84.line_length([0.0, 0.0], [-90.0, 90.0])
"""Pole-to-pole distance: the largest geodesic distance from any point (to its antipode)."""


def forward(origin: LonLat, azimuth_deg: float, distance_m: float) -> LonLat:
    """The point ``distance_m`` from ``origin`` along the geodesic leaving at ``azimuth_deg``."""
    lon, lat, _ = WGS84.fwd(origin.lon_deg, origin.lat_deg, azimuth_deg, distance_m)
    return LonLat(float(lon), float(lat))


def forward_many(
    lons: FloatArray, lats: FloatArray, azimuths_deg: FloatArray, distances_m: FloatArray
) -> tuple[FloatArray, FloatArray]:
    lon, lat, _ = WGS84.fwd(lons, lats, azimuths_deg, distances_m)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def inverse(a: LonLat, b: LonLat) -> tuple[float, float, float]:
    """(azimuth at a in degrees, azimuth at b in degrees, distance in metres) from a to b."""
    az1, az2, dist = WGS84.inv(a.lon_deg, a.lat_deg, b.lon_deg, b.lat_deg)
    return float(az1), float(az2), float(dist)


def distance_m(a: LonLat, b: LonLat) -> float:
    return inverse(a, b)[2]


def distances_m(origin: LonLat, lons: FloatArray, lats: FloatArray) -> FloatArray:
    """Geodesic distances from ``origin`` to many points."""
    lons = np.asarray(lons, dtype=float)
    lats = np.asarray(lats, dtype=float)
    _, _, dist = WGS84.inv(
        np.full(lons.shape, origin.lon_deg), np.full(lats.shape, origin.lat_deg), lons, lats
    )
    return np.asarray(dist, dtype=float)


def inverse_many(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    az1, az2, dist = WGS84.inv(lon1, lat1, lon2, lat2)
    return (
        np.asarray(az1, dtype=float),
        np.asarray(az2, dtype=float),
        np.asarray(dist, dtype=float),
    )


def antipode(p: LonLat) -> LonLat:
    lon = p.lon_deg + 180.0 if p.lon_deg <= 0 else p.lon_deg - 180.0
    return LonLat(lon, -p.lat_deg)
