"""Reported impacts: "D km BEARING of PLACE" as a point and an uncertainty area."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from geo.core.geodesy import FloatArray, forward, forward_many
from geo.core.shapes import ANTIPODAL_RADIUS_M, DEFAULT_TOLERANCE_M, Shape, impact_area
from geo.core.types import LonLat
from geo.errors import InputError

DEFAULT_DISTANCE_UNCERTAINTY = 0.10
"""Half-width of the distance interval as a fraction of the reported distance."""

DEFAULT_BEARING_UNCERTAINTY_DEG = 11.25
"""Half-width of the bearing interval: half a point of the 16-point compass."""


@dataclass(frozen=True)
class ReportedImpact:
    """A reported impact and the area it may lie in.

    The error model: the true distance and bearing are uniformly distributed over
    [d(1-u), d(1+u)] and [b-w, b+w], independently. This matches how impacts are reported
    (rounded distances, compass bearings) and is what ``p_inside`` integrates over.
    """

    origin: LonLat
    distance_m: float
    azimuth_deg: float
    point: LonLat
    distance_uncertainty: float
    bearing_uncertainty_deg: float
    area: Shape

    @property
    def min_distance_m(self) -> float:
        return self.distance_m * (1.0 - self.distance_uncertainty)

    @property
    def max_distance_m(self) -> float:
        return self.distance_m * (1.0 + self.distance_uncertainty)

    def sample(self, n_distance: int = 41, n_bearing: int = 41) -> tuple[FloatArray, FloatArray]:
        """Points on a regular (distance, bearing) grid: equal-weight draws of the error model.

        Midpoint rule, so the grid is deterministic and its mean converges to the integral.
        """
        du = (np.arange(n_distance) + 0.5) / n_distance
        bu = (np.arange(n_bearing) + 0.5) / n_bearing
        dist = self.min_distance_m + (self.max_distance_m - self.min_distance_m) * du
        az = (
            self.azimuth_deg
            - self.bearing_uncertainty_deg
            + 2.0 * self.bearing_uncertainty_deg * bu
        )
        dd, aa = np.meshgrid(dist, az)
        n = dd.size
        return forward_many(
            np.full(n, self.origin.lon_deg), np.full(n, self.origin.lat_deg), aa.ravel(), dd.ravel()
        )


def _wrap360(deg: float) -> float:
    out = deg % 360.0
    return 0.0 if out == 360.0 else out


def reported_impact(
    origin: LonLat,
    distance_m: float,
    azimuth_deg: float,
    *,
    distance_uncertainty: float = DEFAULT_DISTANCE_UNCERTAINTY,
    bearing_uncertainty_deg: float = DEFAULT_BEARING_UNCERTAINTY_DEG,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> ReportedImpact:
    """The point ``distance_m`` from ``origin`` at ``azimuth_deg`` and its uncertainty area."""
    if not math.isfinite(distance_m) or distance_m <= 0:
        raise InputError(f"impact distance must be positive, got {distance_m / 1000:g} km")
    if not 0.0 <= distance_uncertainty < 1.0:
        raise InputError(
            f"distance uncertainty {distance_uncertainty:g} must be a fraction in [0, 1), e.g. 0.1"
        )
    if not 0.0 <= bearing_uncertainty_deg < 180.0:
        raise InputError(f"bearing uncertainty {bearing_uncertainty_deg:g}° must be in [0, 180)")
    point = forward(origin, azimuth_deg, distance_m)
    lo = distance_m * (1.0 - distance_uncertainty)
    hi = distance_m * (1.0 + distance_uncertainty)
    if hi > ANTIPODAL_RADIUS_M and bearing_uncertainty_deg > 0.0:
        raise InputError(
            f"the uncertainty area of a {distance_m / 1000:,.0f} km impact reaches "
            f"{hi / 1000:,.0f} km (+{100 * distance_uncertainty:g}%); impact areas are limited "
            f"to {ANTIPODAL_RADIUS_M / 1000:,.0f} km: lower the distance uncertainty"
        )
    if bearing_uncertainty_deg == 0.0 and distance_uncertainty == 0.0:
        from shapely.geometry import MultiLineString, Polygon

        area = Shape(Polygon(), 0.0, MultiLineString())
    else:
        az0 = azimuth_deg - bearing_uncertainty_deg
        az1 = azimuth_deg + bearing_uncertainty_deg
        if bearing_uncertainty_deg == 0.0:
            az1 = az0 + 1e-9  # a degenerate sweep would mean "full circle"
        area = impact_area(origin, lo, hi, az0, az1, tolerance_m=tolerance_m)
    return ReportedImpact(
        origin=origin,
        distance_m=distance_m,
        azimuth_deg=_wrap360(azimuth_deg),
        point=point,
        distance_uncertainty=distance_uncertainty,
        bearing_uncertainty_deg=bearing_uncertainty_deg,
        area=area,
    )
