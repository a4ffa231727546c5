"""Small value types. Axis order is always longitude first, angles in degrees."""

from __future__ import annotations

from typing import NamedTuple


class LonLat(NamedTuple):
    """A point on the WGS84 ellipsoid: longitude then latitude, both in degrees."""

    lon_deg: float
    lat_deg: float


class LonLatBbox(NamedTuple):
    """West, south, east, north in degrees; west > east when the box crosses 180°."""

    west_deg: float
    south_deg: float
    east_deg: float
    north_deg: float
