"""Reported impacts: "D km BEARING of PLACE" as a point and an uncertainty area."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from geo.core.geodesy import FloatArray, forward, forward_many
from geo.core.parse import (
    DEFAULT_LEG,
    NAUTICAL_MILE_M,
    Leg,
    parse_bearing_deg,
    parse_distance_m,
    parse_leg,
)
from geo.core.rhumb import (
    check_rhumb_area,
    rhumb_direct,
    rhumb_direct_many,
    rhumb_impact_area,
)
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
    (rounded distances, compass bearings) and is what ``p_inside`` integrates over. Each
    (distance, bearing) is read along ``leg``: a rhumb line (constant bearing) or a geodesic.
    """

    origin: LonLat
    distance_m: float
    azimuth_deg: float
    point: LonLat
    distance_uncertainty: float
    bearing_uncertainty_deg: float
    area: Shape
    leg: Leg = DEFAULT_LEG

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
        if self.leg == "rhumb":
            return rhumb_direct_many(
                self.origin.lon_deg, self.origin.lat_deg, aa.ravel(), dd.ravel()
            )
        return forward_many(
            np.full(n, self.origin.lon_deg), np.full(n, self.origin.lat_deg), aa.ravel(), dd.ravel()
        )


def _km_beyond_limit(distance_m: float) -> str:
    """A distance over the limit in km, never shown rounded down to the limit itself."""
    text = f"{distance_m / 1000:,.0f}"
    if text == f"{ANTIPODAL_RADIUS_M / 1000:,.0f}":
        text = f"{distance_m / 1000:,.3f}".rstrip("0").rstrip(".")
    return text


def _plain_number(value: float, decimals: int = 2) -> str:
    """``1,500``, ``108``, ``12.5``: at most ``decimals`` decimals, no trailing zeros."""
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".")


# How a label names each unit parse_distance_m takes (None: shown in km, as metric).
_UNIT_LABELS: dict[str, tuple[str, float] | None] = {
    **dict.fromkeys(("km", "kilometer", "kilometers", "kilometre", "kilometres"), None),
    **dict.fromkeys(("m", "meter", "meters", "metre", "metres"), ("m", 1.0)),
    **dict.fromkeys(("nm", "nmi", "nautical mile", "nautical miles"), ("NM", NAUTICAL_MILE_M)),
    **dict.fromkeys(("mi", "mile", "miles"), ("mi", 1609.344)),
}
_UNIT_RE = re.compile(r"[a-z ]*$", re.I)  # the unit ends the text (parse_distance_m)


def distance_label(text: str) -> str:
    """A reported distance as a label shows it, in the unit it was reported in.

    ``200km`` -> ``200 km``; ``108nm`` -> ``108 NM (200 km)``; ``250 mi`` -> ``250 mi
    (402 km)``; ``1500m`` -> ``1,500 m``. :class:`InputError` if ``text`` is no distance.
    """
    metres = parse_distance_m(text)
    unit = _UNIT_RE.search(str(text).strip())
    shown = _UNIT_LABELS.get(" ".join(unit.group(0).lower().split())) if unit else None
    if shown is None:
        return f"{_plain_number(metres / 1000)} km"
    name, per = shown
    own = f"{_plain_number(metres / per)} {name}"
    return own if name == "m" else f"{own} ({metres / 1000:,.0f} km)"


def is_compass_bearing(text: str) -> bool:
    """True for a bearing written as a compass point (NNW, north-west), not in degrees."""
    raw = " ".join(str(text).split())
    try:
        float(raw.rstrip("°").strip())
    except ValueError:
        return bool(raw)
    return False


def bearing_label(text: str) -> str:
    """A reported bearing as a label shows it: degrees in [0, 360) with a degree sign
    (``270`` -> ``270°``, ``360`` -> ``0°``; ``400`` is refused); a compass point
    as written (``NNW``, ``north-west``). :class:`InputError` if ``text`` is no bearing."""
    raw = " ".join(str(text).split())
    deg = parse_bearing_deg(raw)
    if is_compass_bearing(raw):
        return raw  # the reporter's words
    shown = _plain_number(deg)
    return f"{'0' if shown == '360' else shown}°"


def impact_label(distance_text: str, bearing_text: str, origin_name: str) -> str:
    """The label of a reported impact, "DISTANCE BEARING of PLACE", as it was reported:
    ``108 NM (200 km) 270° of Sariwon``, ``200 km NNW of Sinpo``."""
    return f"{distance_label(distance_text)} {bearing_label(bearing_text)} of {origin_name}"


def _wrap360(deg: float) -> float:
    out = deg % 360.0
    return 0.0 if out == 360.0 else out


def _rhumb_area_what(distance_m: float, azimuth_deg: float) -> str:
    return (
        f"the uncertainty area of a {distance_m / 1000:,.0f} km rhumb leg at "
        f"{_wrap360(azimuth_deg):g}°"
    )


def check_leg(
    origin: LonLat,
    distance_m: float,
    azimuth_deg: float,
    distance_uncertainty: float = DEFAULT_DISTANCE_UNCERTAINTY,
    bearing_uncertainty_deg: float = DEFAULT_BEARING_UNCERTAINTY_DEG,
    leg: Leg = DEFAULT_LEG,
) -> None:
    """InputError (one line) when the impact cannot be read along ``leg``: a rhumb leg, or
    its uncertainty area, reaching a pole. Cheap: for readers that check before computing."""
    if parse_leg(leg) != "rhumb":
        return
    rhumb_direct(origin, azimuth_deg, distance_m)
    if bearing_uncertainty_deg > 0.0 or distance_uncertainty > 0.0:
        check_rhumb_area(
            origin,
            distance_m * (1.0 - distance_uncertainty),
            distance_m * (1.0 + distance_uncertainty),
            azimuth_deg - bearing_uncertainty_deg,
            2.0 * bearing_uncertainty_deg,
            _rhumb_area_what(distance_m, azimuth_deg),
        )


def reported_impact(
    origin: LonLat,
    distance_m: float,
    azimuth_deg: float,
    *,
    distance_uncertainty: float = DEFAULT_DISTANCE_UNCERTAINTY,
    bearing_uncertainty_deg: float = DEFAULT_BEARING_UNCERTAINTY_DEG,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    leg: Leg = DEFAULT_LEG,
) -> ReportedImpact:
    """The point ``distance_m`` from ``origin`` at ``azimuth_deg`` and its uncertainty area.

    ``leg="rhumb"`` (the default) reads the report as a course of constant bearing, as
    positions are plotted on charts; ``leg="geodesic"`` as the geodesic leaving ``origin``
    at that azimuth. A rhumb leg (or its uncertainty area) reaching a pole is refused.
    """
    leg = parse_leg(leg)
    if not math.isfinite(distance_m) or distance_m <= 0:
        raise InputError(f"impact distance must be positive, got {distance_m / 1000:g} km")
    if not 0.0 <= distance_uncertainty < 1.0:
        raise InputError(
            f"distance uncertainty {distance_uncertainty:g} must be a fraction in [0, 1), e.g. 0.1"
        )
    if not 0.0 <= bearing_uncertainty_deg < 180.0:
        raise InputError(f"bearing uncertainty {bearing_uncertainty_deg:g}° must be in [0, 180)")
    if distance_m > ANTIPODAL_RADIUS_M:
        raise InputError(
            f"impact distance {_km_beyond_limit(distance_m)} km is too far: impacts are "
            f"limited to {ANTIPODAL_RADIUS_M / 1000:,.0f} km, about half the Earth's "
            "circumference (no point on Earth is farther away); check the distance and its unit"
        )
    if leg == "rhumb":
        point = rhumb_direct(origin, azimuth_deg, distance_m)
    else:
        point = forward(origin, azimuth_deg, distance_m)
    lo = distance_m * (1.0 - distance_uncertainty)
    hi = distance_m * (1.0 + distance_uncertainty)
    if hi > ANTIPODAL_RADIUS_M:  # the distance itself is within the limit: du > 0
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
        if leg == "rhumb":
            what = _rhumb_area_what(distance_m, azimuth_deg)
            area = rhumb_impact_area(origin, lo, hi, az0, az1, tolerance_m=tolerance_m, what=what)
        else:
            area = impact_area(origin, lo, hi, az0, az1, tolerance_m=tolerance_m)
    return ReportedImpact(
        origin=origin,
        distance_m=distance_m,
        azimuth_deg=_wrap360(azimuth_deg),
        point=point,
        distance_uncertainty=distance_uncertainty,
        bearing_uncertainty_deg=bearing_uncertainty_deg,
        area=area,
        leg=leg,
    )
