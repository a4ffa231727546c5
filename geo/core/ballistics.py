"""Ballistic-trajectory arithmetic on a vacuum Kepler ellipse. Pure: numbers in, numbers out.

The model (see docs/ballistics.md): a point mass leaves the surface of a spherical,
non-rotating Earth of radius :data:`EARTH_RADIUS_KM` with speed ``v`` at flight-path angle
``gamma`` above the local horizontal, then coasts in vacuum under an inverse-square field of
strength :data:`MU_KM3_S2` until it comes back to the surface. The arc is symmetric about
its apogee. Nothing here models the powered phase, the atmosphere or Earth's rotation,
except the two functions marked *optional estimate* at the end of the module.

Symbols used in the comments:

* ``nu = v**2 * R / mu`` -- burnout kinetic energy in units of the circular-orbit value
  (``nu = 1`` at circular speed, ``nu = 2`` at escape speed);
* ``Phi`` -- the central angle from launch to impact (range = ``R * Phi``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from geo.errors import InputError

EARTH_RADIUS_KM: Final = 6371.0
"""Radius of the spherical Earth of the model (the IUGG mean radius)."""

MU_KM3_S2: Final = 398600.4418
"""Earth's gravitational parameter GM."""

EARTH_ROTATION_RAD_S: Final = 7.2921159e-5
"""Earth's sidereal rotation rate (used only by the optional rotation estimate)."""

HALF_CIRCUMFERENCE_KM: Final = math.pi * EARTH_RADIUS_KM
"""The longest great-circle distance on the model Earth (to the antipode), about 20,015 km."""

CIRCULAR_SPEED_KM_S: Final = math.sqrt(MU_KM3_S2 / EARTH_RADIUS_KM)
"""Speed of a circular orbit at the surface (about 7.91 km/s): from here on, global reach."""

ESCAPE_SPEED_KM_S: Final = math.sqrt(2.0 * MU_KM3_S2 / EARTH_RADIUS_KM)
"""Escape speed at the surface (about 11.19 km/s): no ballistic arc at or above it."""

CLASS_MARGIN_DEG: Final = 10.0
"""Half-width of the "near minimum-energy" band, in degrees of flight-path angle.

A flight is *lofted* when its flight-path angle exceeds the minimum-energy angle for its
burnout speed by more than this margin, *depressed* when it falls short by more than this
margin, and *near minimum-energy* otherwise. Over short ranges (flat Earth) a 10-degree
miss of the optimum angle still yields cos(20 deg) = 94 % of the maximum range at that
speed, so "near" means "within about 6 % of the energy-equivalent standard range".
"""

MAX_APOGEE_KM: Final = 1_500_000.0
"""Highest apogee the model accepts: about the radius of the Earth's Hill sphere, beyond
which the Sun's pull, not the Earth's, governs the flight."""

MAX_BURN_TIME_S: Final = 3600.0
"""Longest boost :func:`powered_phase_estimate` accepts (missile boosts last minutes)."""

DEFAULT_MEAN_GRAVITY_M_S2: Final = 9.5
"""Mean gravitational acceleration during boost assumed by :func:`powered_phase_estimate`."""

TrajectoryClass = Literal["lofted", "near minimum-energy", "depressed"]

_TWO_PI: Final = 2.0 * math.pi


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class BallisticArc:
    """A symmetric ballistic arc from burnout at the surface to impact at the surface."""

    burnout_speed_km_s: float
    flight_path_angle_deg: float
    """Angle of the burnout velocity above the local horizontal."""
    range_km: float
    """Ground distance along the track, ``R * Phi`` (may exceed half the circumference)."""
    apogee_km: float
    """Highest altitude above the surface."""
    flight_time_s: float
    semi_major_axis_km: float
    eccentricity: float

    @property
    def flight_time_min(self) -> float:
        return self.flight_time_s / 60.0


@dataclass(frozen=True)
class TrajectoryAnalysis:
    """What a reported flight (range and apogee) says under the model."""

    range_km: float
    apogee_km: float
    burnout_speed_km_s: float
    flight_path_angle_deg: float
    min_energy_angle_deg: float
    """The flight-path angle that maximises range at this burnout speed."""
    min_energy_angle_for_range_deg: float
    """The flight-path angle of the minimum-energy trajectory to the flown range."""
    min_energy_apogee_km: float
    """Apogee of the minimum-energy trajectory to the flown range."""
    trajectory_class: TrajectoryClass
    flight_time_min: float
    reported_flight_time_min: float | None
    flight_time_difference_min: float | None
    """Predicted minus reported flight time; ``None`` when no flight time was reported."""
    standard_range_km: float | None
    """Minimum-energy range at this burnout speed; ``None`` when :attr:`global_reach`."""
    global_reach: bool
    standard_flight_time_min: float | None
    """Flight time of that minimum-energy trajectory; ``None`` when :attr:`global_reach`."""
    circular_speed_fraction: float
    """Burnout speed divided by circular-orbit speed at the surface."""

    @property
    def angle_above_min_energy_deg(self) -> float:
        return self.flight_path_angle_deg - self.min_energy_angle_deg


@dataclass(frozen=True)
class RotationEstimate:
    """Optional estimate: the standard range on a rotating Earth for one launch azimuth."""

    burnout_speed_km_s: float
    """Burnout speed relative to the rotating Earth (the non-rotating model's figure)."""
    azimuth_deg: float
    latitude_deg: float
    range_km: float | None
    """Longest Earth-fixed ground range over flight-path angles; ``None`` when global reach."""
    global_reach: bool
    flight_path_angle_deg: float | None
    """Earth-relative flight-path angle that gives :attr:`range_km`."""
    non_rotating_range_km: float | None
    """The same burnout speed's standard range without rotation, for comparison."""


@dataclass(frozen=True)
class PoweredPhaseEstimate:
    """Optional estimate: burnout speed and range if the boost had followed a standard path."""

    burn_time_s: float
    mean_gravity_m_s2: float
    observed_burnout_speed_km_s: float
    gravity_loss_saving_km_s: float
    """Gravity loss avoided by pitching over towards the minimum-energy angle."""
    standard_burnout_speed_km_s: float
    standard_flight_path_angle_deg: float
    standard_range_km: float | None
    global_reach: bool


# --------------------------------------------------------------------------- validation


def _finite(value: float, what: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a number, got {value!r}") from None
    except OverflowError:  # float() of a huge int
        raise InputError(f"{what} must be a finite number, got a too large integer") from None
    if not math.isfinite(x):
        raise InputError(f"{what} must be a finite number, got {value!r}")
    return x


def _check_speed(burnout_speed_km_s: float) -> float:
    v = _finite(burnout_speed_km_s, "burnout speed")
    if v <= 0.0:
        raise InputError(f"burnout speed must be positive, got {v:g} km/s")
    if v >= ESCAPE_SPEED_KM_S:
        raise InputError(
            f"burnout speed {v:g} km/s is at or above escape speed "
            f"({ESCAPE_SPEED_KM_S:.2f} km/s): no ballistic arc"
        )
    return v


# Below this, 2/R - 1/a in :func:`inverse` cancels to nothing and the burnout speed to 0.
_MIN_DISTANCE_KM: Final = 1e-6


def check_range_km(range_km: float) -> float:
    """``range_km`` as a float; :class:`InputError` unless 1 mm <= range < half circumference."""
    d = _finite(range_km, "range")
    if d <= 0.0:
        raise InputError(f"range must be positive, got {d:g} km")
    if d < _MIN_DISTANCE_KM:
        raise InputError(f"range must be at least 1 mm, got {d:g} km")
    if d >= HALF_CIRCUMFERENCE_KM:
        raise InputError(
            f"range {d:g} km must be below half the Earth's circumference "
            f"({HALF_CIRCUMFERENCE_KM:.0f} km)"
        )
    return d


def check_apogee_km(apogee_km: float) -> float:
    """``apogee_km`` as a float; :class:`InputError` unless 1 mm <= apogee <= MAX_APOGEE_KM."""
    h = _finite(apogee_km, "apogee")
    if h <= 0.0:
        raise InputError(f"apogee must be positive, got {h:g} km")
    if h < _MIN_DISTANCE_KM:
        raise InputError(f"apogee must be at least 1 mm, got {h:g} km")
    if h > MAX_APOGEE_KM:
        raise InputError(
            f"apogee {h:g} km is above {MAX_APOGEE_KM:,.0f} km (the Earth's Hill sphere), "
            "where the Sun, not the Earth, governs the flight"
        )
    return h


def _nu(speed_km_s: float) -> float:
    return speed_km_s * speed_km_s * EARTH_RADIUS_KM / MU_KM3_S2


def _speed_from_nu(nu: float) -> float:
    return math.sqrt(nu * MU_KM3_S2 / EARTH_RADIUS_KM)


# --------------------------------------------------------------------------- forward model


def _time_to_apogee_s(a_km: float, e: float, speed_km_s: float, gamma: float) -> float:
    """Time from burnout at the surface (ascending) to apogee, by Kepler's equation.

    With ``r = a (1 - e cos E)`` and ``r r' = e sqrt(mu a) sin E``, the burnout point has
    ``cos E0 = (1 - R/a) / e`` and ``sin E0 = R v sin(gamma) / (e sqrt(mu a))``; the time to
    apogee (``E = pi``) is ``sqrt(a^3/mu) ((pi - E0) + e sin E0)``.
    """
    cos_e0 = (1.0 - EARTH_RADIUS_KM / a_km) / e
    sin_e0 = EARTH_RADIUS_KM * speed_km_s * math.sin(gamma) / (e * math.sqrt(MU_KM3_S2 * a_km))
    pi_minus_e0 = math.atan2(sin_e0, -cos_e0)
    return math.sqrt(a_km**3 / MU_KM3_S2) * (pi_minus_e0 + e * math.sin(pi_minus_e0))


def forward(burnout_speed_km_s: float, flight_path_angle_deg: float) -> BallisticArc:
    """Burnout speed and flight-path angle at the surface -> range, apogee and flight time."""
    v = _check_speed(burnout_speed_km_s)
    gamma_deg = _finite(flight_path_angle_deg, "flight-path angle")
    if not 0.0 < gamma_deg <= 90.0:
        raise InputError(
            f"flight-path angle must be above 0 and at most 90 degrees, got {gamma_deg:g}"
        )
    gamma = math.radians(gamma_deg)
    nu = _nu(v)
    cos_g, sin_g = math.cos(gamma), math.sin(gamma)
    # Half the range angle: tan(Phi/2) = nu sin(g) cos(g) / (1 - nu cos^2(g)).
    half_phi = math.atan2(nu * sin_g * cos_g, 1.0 - nu * cos_g * cos_g)
    a = EARTH_RADIUS_KM / (2.0 - nu)  # vis-viva at r = R
    # e^2 = 1 - (p / a) with p = R nu cos^2(g): the orbit's semi-latus rectum.
    e = math.sqrt(max(0.0, 1.0 - nu * (2.0 - nu) * cos_g * cos_g))
    if e <= 0.0:  # only at nu = 1 and gamma = 0, which the checks exclude
        raise InputError("a circular orbit has no impact point")
    apogee_radius = a * (1.0 + e)
    return BallisticArc(
        burnout_speed_km_s=v,
        flight_path_angle_deg=gamma_deg,
        range_km=EARTH_RADIUS_KM * 2.0 * half_phi,
        apogee_km=apogee_radius - EARTH_RADIUS_KM,
        flight_time_s=2.0 * _time_to_apogee_s(a, e, v, gamma),
        semi_major_axis_km=a,
        eccentricity=e,
    )


# --------------------------------------------------------------------------- inverse model


def inverse(range_km: float, apogee_km: float) -> BallisticArc:
    """Range and apogee of a symmetric arc -> burnout speed, flight-path angle, flight time.

    Closed form: the apogee lies on the ellipse's major axis, the burnout point at true
    anomaly ``pi - Phi/2`` from perigee, both on the same conic ``r = p / (1 + e cos f)``:
    ``p = r_a (1 - e) = R (1 - e cos(Phi/2))`` gives ``e = (r_a - R) / (r_a - R cos(Phi/2))``.
    """
    d = check_range_km(range_km)
    h = check_apogee_km(apogee_km)
    half_phi = d / EARTH_RADIUS_KM / 2.0
    r_a = EARTH_RADIUS_KM + h
    # R (1 - cos(Phi/2)) written without cancellation for short ranges.
    drop = 2.0 * EARTH_RADIUS_KM * math.sin(half_phi / 2.0) ** 2
    e = h / (h + drop)
    one_minus_e = drop / (h + drop)
    a = r_a / (1.0 + e)
    v = math.sqrt(MU_KM3_S2 * (2.0 / EARTH_RADIUS_KM - 1.0 / a))
    # Flight-path angle at true anomaly f = pi - Phi/2: tan(gamma) = e sin f / (1 + e cos f).
    gamma = math.atan2(e * math.sin(half_phi), one_minus_e + e * (1.0 - math.cos(half_phi)))
    return BallisticArc(
        burnout_speed_km_s=v,
        flight_path_angle_deg=math.degrees(gamma),
        range_km=d,
        apogee_km=h,
        flight_time_s=2.0 * _time_to_apogee_s(a, e, v, gamma),
        semi_major_axis_km=a,
        eccentricity=e,
    )


# --------------------------------------------------------------------------- minimum energy


def min_energy_angle_deg(burnout_speed_km_s: float) -> float:
    """The flight-path angle that carries a given burnout speed farthest.

    Below circular speed it is ``(pi - Phi_max) / 4`` with ``sin(Phi_max / 2) = nu / (2 - nu)``.
    At and above circular speed every range is reachable; the angle returned is then the one
    that reaches the antipode, ``acos(1 / sqrt(nu))``, which joins the first formula
    continuously at circular speed (both give 0).
    """
    v = _check_speed(burnout_speed_km_s)
    nu = _nu(v)
    if v >= CIRCULAR_SPEED_KM_S or nu >= 1.0:
        return math.degrees(math.acos(min(1.0, 1.0 / math.sqrt(nu))))
    phi_max = 2.0 * math.asin(nu / (2.0 - nu))
    return math.degrees((math.pi - phi_max) / 4.0)


def min_energy_angle_for_range_deg(range_km: float) -> float:
    """Flight-path angle of the minimum-energy trajectory to ``range_km``: 45 deg - Phi/4."""
    phi = check_range_km(range_km) / EARTH_RADIUS_KM
    return math.degrees((math.pi - phi) / 4.0)


def min_energy_speed_km_s(range_km: float) -> float:
    """The least burnout speed that reaches ``range_km``: nu = 2 s / (1 + s), s = sin(Phi/2)."""
    s = math.sin(check_range_km(range_km) / EARTH_RADIUS_KM / 2.0)
    return _speed_from_nu(2.0 * s / (1.0 + s))


def min_energy_arc(range_km: float) -> BallisticArc:
    """The minimum-energy trajectory to ``range_km``."""
    return forward(min_energy_speed_km_s(range_km), min_energy_angle_for_range_deg(range_km))


def standard_range_km(burnout_speed_km_s: float) -> float | None:
    """Energy-equivalent standard range: the longest range at this burnout speed.

    ``None`` means global reach: at or above circular-orbit speed the arc can be stretched to
    the antipode, so every point on Earth is within reach.
    """
    v = _check_speed(burnout_speed_km_s)
    nu = _nu(v)
    if v >= CIRCULAR_SPEED_KM_S or nu >= 1.0:
        return None
    return EARTH_RADIUS_KM * 2.0 * math.asin(nu / (2.0 - nu))


def classify(flight_path_angle_deg: float, min_energy_angle_deg: float) -> TrajectoryClass:
    """Lofted / near minimum-energy / depressed, with the :data:`CLASS_MARGIN_DEG` band."""
    diff = flight_path_angle_deg - min_energy_angle_deg
    if diff > CLASS_MARGIN_DEG:
        return "lofted"
    if diff < -CLASS_MARGIN_DEG:
        return "depressed"
    return "near minimum-energy"


# --------------------------------------------------------------------------- a reported flight


def analyse_flight(
    range_km: float, apogee_km: float, flight_time_min: float | None = None
) -> TrajectoryAnalysis:
    """Everything the model says about a flight reported by its range and apogee."""
    arc = inverse(range_km, apogee_km)
    reported: float | None = None
    if flight_time_min is not None:
        reported = _finite(flight_time_min, "flight time")
        if reported <= 0.0:
            raise InputError(f"flight time must be positive, got {reported:g} min")
    v = arc.burnout_speed_km_s
    gamma_star = min_energy_angle_deg(v)
    std = standard_range_km(v)
    std_time: float | None = None
    if std is not None:
        std_time = forward(v, gamma_star).flight_time_min
    me = min_energy_arc(arc.range_km)
    return TrajectoryAnalysis(
        range_km=arc.range_km,
        apogee_km=arc.apogee_km,
        burnout_speed_km_s=v,
        flight_path_angle_deg=arc.flight_path_angle_deg,
        min_energy_angle_deg=gamma_star,
        min_energy_angle_for_range_deg=min_energy_angle_for_range_deg(arc.range_km),
        min_energy_apogee_km=me.apogee_km,
        trajectory_class=classify(arc.flight_path_angle_deg, gamma_star),
        flight_time_min=arc.flight_time_min,
        reported_flight_time_min=reported,
        flight_time_difference_min=None if reported is None else arc.flight_time_min - reported,
        standard_range_km=std,
        global_reach=std is None,
        standard_flight_time_min=std_time,
        circular_speed_fraction=v / CIRCULAR_SPEED_KM_S,
    )


def standard_range_km_for_flight(range_km: float, apogee_km: float) -> float | None:
    """Energy-equivalent standard range of a flown (range, apogee); ``None`` = global reach."""
    return standard_range_km(inverse(range_km, apogee_km).burnout_speed_km_s)


# --------------------------------------------------------------------------- optional: rotation


def _destination(lat: float, lon: float, azimuth: float, angle: float) -> tuple[float, float]:
    """Great-circle destination on the unit sphere (all angles in radians)."""
    sin_lat2 = math.sin(lat) * math.cos(angle) + math.cos(lat) * math.sin(angle) * math.cos(azimuth)
    lat2 = math.asin(max(-1.0, min(1.0, sin_lat2)))
    lon2 = lon + math.atan2(
        math.sin(azimuth) * math.sin(angle) * math.cos(lat),
        math.cos(angle) - math.sin(lat) * sin_lat2,
    )
    return lat2, lon2


def _central_angle(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle angle between two points (radians), by the haversine formula."""
    h = (
        math.sin((lat2 - lat1) / 2.0) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2.0) ** 2
    )
    return 2.0 * math.asin(min(1.0, math.sqrt(h)))


def _earth_fixed_range_km(v: float, gamma: float, azimuth: float, lat: float) -> float:
    """Earth-fixed ground range of one arc launched from a rotating Earth (radians in)."""
    u = EARTH_ROTATION_RAD_S * EARTH_RADIUS_KM * math.cos(lat)  # launch site's eastward speed
    v_east = v * math.cos(gamma) * math.sin(azimuth) + u
    v_north = v * math.cos(gamma) * math.cos(azimuth)
    v_up = v * math.sin(gamma)
    v_in = math.sqrt(v_east**2 + v_north**2 + v_up**2)
    gamma_in = math.degrees(math.asin(v_up / v_in))
    arc = forward(v_in, gamma_in)
    phi = arc.range_km / EARTH_RADIUS_KM
    lat2, lon2 = _destination(lat, 0.0, math.atan2(v_east, v_north), phi)
    # The Earth turns east under the warhead while it flies.
    lon2_fixed = lon2 - EARTH_ROTATION_RAD_S * arc.flight_time_s
    return EARTH_RADIUS_KM * _central_angle(lat, 0.0, lat2, lon2_fixed)


def _golden_max(
    f: Callable[[float], float], lo: float, hi: float, tol: float
) -> tuple[float, float]:
    inv_phi = (math.sqrt(5.0) - 1.0) / 2.0
    c, d = hi - inv_phi * (hi - lo), lo + inv_phi * (hi - lo)
    fc, fd = f(c), f(d)
    while hi - lo > tol:
        if fc >= fd:
            hi, d, fd = d, c, fc
            c = hi - inv_phi * (hi - lo)
            fc = f(c)
        else:
            lo, c, fc = c, d, fd
            d = lo + inv_phi * (hi - lo)
            fd = f(d)
    x = (lo + hi) / 2.0
    return x, f(x)


def rotation_adjusted_range_km(
    burnout_speed_km_s: float, *, azimuth_deg: float, lat_deg: float
) -> RotationEstimate:
    """*Optional estimate*: longest range of a burnout speed launched from a rotating Earth.

    Assumptions: the burnout speed is relative to the ground at the launch site (what the
    rocket adds); the launch site's eastward speed ``omega R cos(lat)`` is added to get the
    inertial velocity; the arc is the inertial Kepler ellipse of the main model; the range is
    the great-circle distance from the launch site to the impact point after the Earth has
    turned under the flight. The flight-path angle is chosen to maximise that range. Global
    reach when the inertial speed can reach circular-orbit speed.
    """
    v = _check_speed(burnout_speed_km_s)
    az_in = _finite(azimuth_deg, "azimuth")
    lat_in = _finite(lat_deg, "latitude")
    if not -90.0 <= lat_in <= 90.0:
        raise InputError(f"latitude must be between -90 and 90 degrees, got {lat_in:g}")
    azimuth = math.radians(az_in % 360.0)
    lat = math.radians(lat_in)
    u = EARTH_ROTATION_RAD_S * EARTH_RADIUS_KM * math.cos(lat)
    non_rotating = standard_range_km(v)
    # Largest inertial speed over flight-path angles in [0, 90] degrees.
    v_in_max_sq = v * v + u * u + 2.0 * v * u * max(0.0, math.sin(azimuth))
    if v_in_max_sq >= CIRCULAR_SPEED_KM_S**2:
        return RotationEstimate(v, az_in % 360.0, lat_in, None, True, None, non_rotating)

    def f(gamma_deg: float) -> float:
        return _earth_fixed_range_km(v, math.radians(gamma_deg), azimuth, lat)

    # Coarse scan, then a golden-section refinement around the best sample.
    grid = [0.25 + i * 0.5 for i in range(180)]
    best = max(grid, key=f)
    g_best, r_best = _golden_max(f, max(0.01, best - 0.5), min(89.99, best + 0.5), 1e-6)
    return RotationEstimate(
        burnout_speed_km_s=v,
        azimuth_deg=az_in % 360.0,
        latitude_deg=lat_in,
        range_km=r_best,
        global_reach=False,
        flight_path_angle_deg=g_best,
        non_rotating_range_km=non_rotating,
    )


# --------------------------------------------------------------------------- optional: boost


def _mean_sin_pitch(gamma_burnout: float) -> float:
    """Mean of sin(gamma) while gamma falls linearly in time from 90 deg to ``gamma_burnout``."""
    span = math.pi / 2.0 - gamma_burnout
    if span < 1e-9:
        return 1.0
    return math.cos(gamma_burnout) / span


def powered_phase_estimate(
    range_km: float,
    apogee_km: float,
    *,
    burn_time_s: float,
    mean_gravity_m_s2: float = DEFAULT_MEAN_GRAVITY_M_S2,
) -> PoweredPhaseEstimate:
    """*Optional estimate*: the standard range if the boost had been flown for range.

    A lofted boost climbs nearly vertically and pays gravity loss ``g t_b`` almost in full;
    a standard boost pitches over and pays less. Assumptions:

    * the same thrust and mass history on both trajectories, so burnout speeds differ only by
      the gravity loss ``integral of g sin(gamma) dt``;
    * constant ``g`` (``mean_gravity_m_s2``) during the burn of ``burn_time_s`` seconds;
    * the flight-path angle falls linearly in time from 90 deg to its burnout value, so the
      loss is ``g t_b cos(gb) / (pi/2 - gb)``;
    * the standard boost ends at the minimum-energy angle of its own (higher) burnout speed
      (solved by fixed-point iteration); burnout still at the surface (the ground covered
      during boost is ignored, which understates the range by up to a few hundred km).
    """
    t_b = _finite(burn_time_s, "burn time")
    if t_b <= 0.0:
        raise InputError(f"burn time must be positive, got {t_b:g} s")
    if t_b > MAX_BURN_TIME_S:
        raise InputError(f"burn time must be at most {MAX_BURN_TIME_S:g} s, got {t_b:g} s")
    g = _finite(mean_gravity_m_s2, "mean gravity")
    if g <= 0.0:
        raise InputError(f"mean gravity must be positive, got {g:g} m/s^2")
    arc = inverse(range_km, apogee_km)
    v_obs = arc.burnout_speed_km_s
    loss_obs = g * t_b * _mean_sin_pitch(math.radians(arc.flight_path_angle_deg)) / 1000.0
    v_std = v_obs
    for _ in range(200):
        v_std_clamped = min(v_std, 0.999 * ESCAPE_SPEED_KM_S)
        gamma_std = math.radians(min_energy_angle_deg(v_std_clamped))
        loss_std = g * t_b * _mean_sin_pitch(gamma_std) / 1000.0
        v_next = v_obs + loss_obs - loss_std
        if abs(v_next - v_std) < 1e-12:
            v_std = v_next
            break
        v_std = v_next
    v_std = min(v_std, 0.999 * ESCAPE_SPEED_KM_S)
    std = standard_range_km(v_std)
    return PoweredPhaseEstimate(
        burn_time_s=t_b,
        mean_gravity_m_s2=g,
        observed_burnout_speed_km_s=v_obs,
        gravity_loss_saving_km_s=v_std - v_obs,
        standard_burnout_speed_km_s=v_std,
        standard_flight_path_angle_deg=min_energy_angle_deg(v_std),
        standard_range_km=std,
        global_reach=std is None,
    )
