"""The Kepler-ellipse trajectory model, checked against an independent numerical integration.

The authority here is a plain fourth-order Runge-Kutta integration of the two-body equations
(``r'' = -mu r / |r|^3``) started from the model's burnout state: it knows nothing of
ellipses, anomalies or the closed forms in geo.core.ballistics.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from geo.core import ballistics as bal
from geo.errors import InputError

R = bal.EARTH_RADIUS_KM
MU = bal.MU_KM3_S2

Vec = tuple[float, float, float, float]


CLOSED_FORM_TOL_KM = 1e-6
"""1 mm: one closed form evaluated two ways (a range and the speed or angle that reaches
it) agrees to rounding, at most 4e-11 km here (19,000 km)."""
MIN_ENERGY_SIM_TOL_KM = 1e-3
"""1 m: the integrator's apogee is its highest 0.25 s step, at most g dt²/8 ≈ 8 cm below
the true apex; the model and the integration agree to 4 cm for these short arcs."""
SIM_RANGE_TOL_KM = 0.1
"""The integrator's ground range, as in test_min_energy_angle_maximises_range."""
NEAR_CIRCULAR_GAP_KM = 120.0
"""At 0.99999 of circular speed (nu = v²/v_c² = 0.99998) the farthest shot's half-angle psi
has sin psi = nu / (2 - nu), so it lands 2R(pi/2 - psi) ≈ 2R sqrt(2(1 - nu)) ≈ 114 km short
of half the circumference; a little over that allows for the approximation."""


def flat_earth_tol_km(range_km: float) -> float:
    """The flat-Earth figure ignores the curvature of the ground, which falls away from the
    launch horizon by (r/2)²/2R = r²/8R at mid-range (2 m at 10 km, 0.79 km at 200 km)."""
    return range_km**2 / (8 * R)


def _deriv(s: Vec) -> Vec:
    x, y, vx, vy = s
    r3 = (x * x + y * y) ** 1.5
    return (vx, vy, -MU * x / r3, -MU * y / r3)


def _axpy(s: Vec, k: Vec, h: float) -> Vec:
    return (s[0] + h * k[0], s[1] + h * k[1], s[2] + h * k[2], s[3] + h * k[3])


def _rk4_step(s: Vec, dt: float) -> Vec:
    k1 = _deriv(s)
    k2 = _deriv(_axpy(s, k1, dt / 2))
    k3 = _deriv(_axpy(s, k2, dt / 2))
    k4 = _deriv(_axpy(s, k3, dt))
    w = (
        (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]),
        (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]),
        (k1[2] + 2 * k2[2] + 2 * k3[2] + k4[2]),
        (k1[3] + 2 * k2[3] + 2 * k3[3] + k4[3]),
    )
    return _axpy(s, w, dt / 6)


def simulate(speed_km_s: float, angle_deg: float, dt: float = 0.25) -> tuple[float, float, float]:
    """Integrate from burnout at the surface until the arc comes back down.

    Returns (ground range km, apogee altitude km, flight time s). The last step is cut by
    bisection so that impact lands on r = R to well under a metre.
    """
    g = math.radians(angle_deg)
    # Launch point on the +y axis; "up" is +y, downrange is +x.
    s: Vec = (0.0, R, speed_km_s * math.cos(g), speed_km_s * math.sin(g))
    t = 0.0
    r_max = R
    while True:
        nxt = _rk4_step(s, dt)
        r_next = math.hypot(nxt[0], nxt[1])
        if r_next < R and t > 0.0:
            lo, hi = 0.0, dt
            for _ in range(60):
                mid = (lo + hi) / 2
                if math.hypot(*_rk4_step(s, mid)[:2]) >= R:
                    lo = mid
                else:
                    hi = mid
            end = _rk4_step(s, lo)
            t += lo
            angle = math.atan2(end[0], end[1]) % (2 * math.pi)
            return R * angle, r_max - R, t
        s, t = nxt, t + dt
        r_max = max(r_max, r_next)


FLIGHTS = [
    # (label, range km, apogee km)
    ("Hwasong-15 2017-11-29", 950.0, 4475.0),
    ("Hwasong-14 2017-07-04", 933.0, 2802.0),
    ("Hwasong-14 2017-07-28", 998.0, 3725.0),
    ("Hwasong-17 2022-11-18", 999.2, 6040.9),
    ("Hwasong-19 2024-10-31", 1001.2, 7687.5),
    ("SRBM salvo 2024-11-05", 400.0, 100.0),
    ("KN-23 2019-07-25 (depressed)", 690.0, 50.0),
]


@pytest.mark.parametrize(("label", "range_km", "apogee_km"), FLIGHTS)
def test_inverse_state_flies_back_to_the_reported_flight(
    label: str, range_km: float, apogee_km: float
) -> None:
    """Simulate the recovered burnout state: range and apogee within 0.05 km, time within 1 s."""
    arc = bal.inverse(range_km, apogee_km)
    sim_range, sim_apogee, sim_time = simulate(arc.burnout_speed_km_s, arc.flight_path_angle_deg)
    assert sim_range == pytest.approx(range_km, abs=0.05), label
    assert sim_apogee == pytest.approx(apogee_km, abs=0.05), label
    assert sim_time == pytest.approx(arc.flight_time_s, abs=1.0), label


@pytest.mark.parametrize(
    ("speed", "angle"),
    [(1.0, 45.0), (3.0, 30.0), (5.5, 60.0), (7.0, 20.0), (7.5, 85.0), (8.5, 40.0), (10.5, 70.0)],
)
def test_forward_model_matches_integration(speed: float, angle: float) -> None:
    arc = bal.forward(speed, angle)
    sim_range, sim_apogee, sim_time = simulate(speed, angle)
    assert arc.range_km == pytest.approx(sim_range, abs=0.05)
    assert arc.apogee_km == pytest.approx(sim_apogee, abs=0.05)
    assert arc.flight_time_s == pytest.approx(sim_time, abs=1.0)


@given(
    speed=st.floats(min_value=0.2, max_value=11.0),
    angle=st.floats(min_value=0.5, max_value=89.5),
)
def test_forward_then_inverse_recovers_the_burnout_state(speed: float, angle: float) -> None:
    arc = bal.forward(speed, angle)
    assume(1e-3 < arc.range_km < bal.HALF_CIRCUMFERENCE_KM - 1.0)
    back = bal.inverse(arc.range_km, arc.apogee_km)
    assert back.burnout_speed_km_s == pytest.approx(speed, rel=1e-9, abs=1e-9)
    assert back.flight_path_angle_deg == pytest.approx(angle, abs=1e-6)
    assert back.flight_time_s == pytest.approx(arc.flight_time_s, rel=1e-8)


@pytest.mark.parametrize("range_km", [10.0, 50.0, 100.0, 200.0])
def test_minimum_energy_apogee_is_a_quarter_of_a_short_range(range_km: float) -> None:
    """Flat-Earth limit: at 45 degrees the apogee is range/4, to the curvature of the ground
    under the arc; the integration of the same burnout state gives the exact figure."""
    arc = bal.min_energy_arc(range_km)
    assert arc.range_km == pytest.approx(range_km, abs=CLOSED_FORM_TOL_KM)
    assert arc.apogee_km == pytest.approx(range_km / 4, abs=flat_earth_tol_km(range_km))
    sim_range, sim_apogee, _ = simulate(arc.burnout_speed_km_s, arc.flight_path_angle_deg)
    assert sim_range == pytest.approx(range_km, abs=SIM_RANGE_TOL_KM)
    assert arc.apogee_km == pytest.approx(sim_apogee, abs=MIN_ENERGY_SIM_TOL_KM)
    assert bal.min_energy_angle_for_range_deg(range_km) == pytest.approx(45.0, abs=0.5)


@pytest.mark.parametrize("speed", [0.5, 2.0, 4.0, 6.0, 7.0, 7.8])
def test_min_energy_angle_maximises_range(speed: float) -> None:
    gamma = bal.min_energy_angle_deg(speed)
    best = bal.forward(speed, gamma).range_km
    standard = bal.standard_range_km(speed)
    assert standard is not None
    assert best == pytest.approx(standard, abs=CLOSED_FORM_TOL_KM)
    for delta in (-2.0, -0.2, 0.2, 2.0):
        assert bal.forward(speed, gamma + delta).range_km < best
    # The integrator agrees with the figure, to 0.1 km.
    assert simulate(speed, gamma)[0] == pytest.approx(standard, abs=SIM_RANGE_TOL_KM)


@pytest.mark.parametrize("range_km", [100.0, 1000.0, 5000.0, 12000.0, 19000.0])
def test_min_energy_speed_and_angle_reach_exactly_the_range(range_km: float) -> None:
    v = bal.min_energy_speed_km_s(range_km)
    assert bal.standard_range_km(v) == pytest.approx(range_km, abs=CLOSED_FORM_TOL_KM)
    assert bal.min_energy_angle_deg(v) == pytest.approx(
        bal.min_energy_angle_for_range_deg(range_km), abs=1e-7
    )


def test_flight_time_grows_with_apogee() -> None:
    times = [bal.inverse(1000.0, h).flight_time_s for h in (50, 200, 500, 1000, 3000, 6000, 9000)]
    assert times == sorted(times)
    assert len(set(times)) == len(times)


def test_standard_range_global_reach_at_circular_speed() -> None:
    assert bal.standard_range_km(bal.CIRCULAR_SPEED_KM_S) is None
    assert bal.standard_range_km(8.5) is None
    v = bal.CIRCULAR_SPEED_KM_S * 0.99999
    just_below = bal.standard_range_km(v)
    assert just_below is not None
    assert 0.0 < bal.HALF_CIRCUMFERENCE_KM - just_below <= NEAR_CIRCULAR_GAP_KM
    sim_range = simulate(v, bal.min_energy_angle_deg(v))[0]
    assert sim_range == pytest.approx(just_below, abs=SIM_RANGE_TOL_KM)
    assert bal.min_energy_angle_deg(bal.CIRCULAR_SPEED_KM_S) == pytest.approx(0.0, abs=1e-6)
    assert bal.standard_range_km_for_flight(1001.2, 7687.5) is None


@pytest.mark.parametrize(
    ("range_km", "apogee_km", "expected"),
    [
        (400.0, 100.0, "near minimum-energy"),  # 2024-11-05 SRBM salvo (Japan MoD)
        (950.0, 4475.0, "lofted"),  # Hwasong-15, 2017-11-29
        (933.0, 2802.0, "lofted"),  # Hwasong-14, 2017-07-04
        (1001.2, 7687.5, "lofted"),  # Hwasong-19, 2024-10-31
        (690.0, 50.0, "depressed"),  # KN-23, 2019-07-25 (ROK JCS)
    ],
)
def test_known_flights_get_plausible_classes(
    range_km: float, apogee_km: float, expected: str
) -> None:
    assert bal.analyse_flight(range_km, apogee_km).trajectory_class == expected


def test_hwasong15_figures() -> None:
    a = bal.analyse_flight(950.0, 4475.0, 53.0)
    assert a.burnout_speed_km_s == pytest.approx(7.1953, abs=0.001)
    assert a.flight_path_angle_deg == pytest.approx(84.83, abs=0.01)
    assert a.min_energy_angle_deg == pytest.approx(22.55, abs=0.01)
    assert a.flight_time_min == pytest.approx(50.28, abs=0.01)
    assert a.flight_time_difference_min == pytest.approx(50.28 - 53.0, abs=0.01)
    assert a.standard_range_km == pytest.approx(9983.3, abs=0.5)
    assert not a.global_reach
    # Energy check without the closed forms: vis-viva at burnout equals vis-viva at apogee.
    arc = bal.inverse(950.0, 4475.0)
    r_a = R + 4475.0
    h = R * arc.burnout_speed_km_s * math.cos(math.radians(arc.flight_path_angle_deg))
    v_apogee = h / r_a
    assert arc.burnout_speed_km_s**2 / 2 - MU / R == pytest.approx(
        v_apogee**2 / 2 - MU / r_a, abs=1e-9
    )


def test_classification_thresholds() -> None:
    m = bal.CLASS_MARGIN_DEG
    assert bal.classify(30.0 + m + 0.01, 30.0) == "lofted"
    assert bal.classify(30.0 + m, 30.0) == "near minimum-energy"
    assert bal.classify(30.0 - m, 30.0) == "near minimum-energy"
    assert bal.classify(30.0 - m - 0.01, 30.0) == "depressed"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bal.inverse(950.0, -4475.0), "apogee must be positive"),
        (lambda: bal.inverse(950.0, 0.0), "apogee must be positive"),
        (lambda: bal.inverse(0.0, 100.0), "range must be positive"),
        (lambda: bal.inverse(-5.0, 100.0), "range must be positive"),
        (lambda: bal.inverse(20100.0, 100.0), "below half the Earth's circumference"),
        (lambda: bal.inverse(float("nan"), 100.0), "range must be a finite number"),
        (lambda: bal.inverse(1000.0, float("inf")), "apogee must be a finite number"),
        (lambda: bal.forward(12.0, 45.0), "escape speed"),
        (lambda: bal.forward(-1.0, 45.0), "burnout speed must be positive"),
        (lambda: bal.forward(5.0, 0.0), "flight-path angle must be above 0"),
        (lambda: bal.forward(5.0, 95.0), "flight-path angle must be above 0"),
        (lambda: bal.analyse_flight(950.0, 4475.0, -3.0), "flight time must be positive"),
        (
            lambda: bal.rotation_adjusted_range_km(7.0, azimuth_deg=90.0, lat_deg=95.0),
            "latitude must be between",
        ),
        (lambda: bal.powered_phase_estimate(950.0, 4475.0, burn_time_s=0.0), "burn time"),
    ],
)
def test_bad_inputs_raise_input_error(call: object, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        call()  # type: ignore[operator]
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(
            lambda: bal.inverse(950.0, 1e300),
            "apogee 1e+300 km is above 1,500,000 km (the Earth's Hill sphere), "
            "where the Sun, not the Earth, governs the flight",
            id="huge-apogee",  # raised OverflowError in a**3
        ),
        pytest.param(
            lambda: bal.analyse_flight(950.0, 1_500_001.0),
            "apogee 1.5e+06 km is above 1,500,000 km (the Earth's Hill sphere), "
            "where the Sun, not the Earth, governs the flight",
            id="apogee-just-above",
        ),
        pytest.param(
            lambda: bal.inverse(1e-300, 1e-300),
            "range must be at least 1 mm, got 1e-300 km",
            id="tiny-range",  # the burnout speed cancelled to 0
        ),
        pytest.param(
            lambda: bal.inverse(950.0, 1e-300),
            "apogee must be at least 1 mm, got 1e-300 km",
            id="tiny-apogee",
        ),
        pytest.param(
            lambda: bal.inverse(10**400, 100.0),
            "range must be a finite number, got a too large integer",
            id="huge-int",  # float() raised OverflowError
        ),
        pytest.param(
            lambda: bal.powered_phase_estimate(950.0, 4475.0, burn_time_s=1e308),
            "burn time must be at most 3600 s, got 1e+308 s",
            id="huge-burn-time",  # was "burnout speed must be a finite number, got nan"
        ),
    ],
)
def test_absurd_inputs_exact_messages(call: object, message: str) -> None:
    with pytest.raises(InputError) as info:
        call()  # type: ignore[operator]
    assert str(info.value) == message


def test_largest_accepted_inputs_give_finite_results() -> None:
    a = bal.analyse_flight(950.0, bal.MAX_APOGEE_KM)
    assert math.isfinite(a.flight_time_min)
    assert a.burnout_speed_km_s < bal.ESCAPE_SPEED_KM_S
    b = bal.analyse_flight(1e-6, 1e-6)
    assert b.burnout_speed_km_s > 0.0
    pp = bal.powered_phase_estimate(950.0, 4475.0, burn_time_s=bal.MAX_BURN_TIME_S)
    assert pp.standard_burnout_speed_km_s < bal.ESCAPE_SPEED_KM_S


# ----------------------------------------------------------------- optional estimates


def test_rotation_eastward_gains_westward_loses() -> None:
    v = bal.inverse(950.0, 4475.0).burnout_speed_km_s
    base = bal.standard_range_km(v)
    assert base is not None
    east = bal.rotation_adjusted_range_km(v, azimuth_deg=90.0, lat_deg=39.0).range_km
    west = bal.rotation_adjusted_range_km(v, azimuth_deg=270.0, lat_deg=39.0).range_km
    assert east is not None and west is not None
    assert west < base < east


def test_rotation_has_no_effect_from_the_pole() -> None:
    """From a pole the launch site does not move and range is colatitude: rotation drops out."""
    for v in (3.0, 6.0, 7.2):
        est = bal.rotation_adjusted_range_km(v, azimuth_deg=180.0, lat_deg=90.0)
        assert est.range_km == pytest.approx(bal.standard_range_km(v), abs=0.01)


def test_rotation_global_reach_when_inertial_speed_is_orbital() -> None:
    est = bal.rotation_adjusted_range_km(7.7, azimuth_deg=90.0, lat_deg=0.0)
    assert est.global_reach and est.range_km is None


def test_rotation_range_matches_3d_integration() -> None:
    """Integrate in 3-D inertial space, rotate the impact point back: same Earth-fixed range."""
    v, az, lat_deg = 6.5, 60.0, 39.0
    est = bal.rotation_adjusted_range_km(v, azimuth_deg=az, lat_deg=lat_deg)
    assert est.range_km is not None and est.flight_path_angle_deg is not None
    g, a, lat = (math.radians(x) for x in (est.flight_path_angle_deg, az, lat_deg))
    up = (math.cos(lat), 0.0, math.sin(lat))
    east = (0.0, 1.0, 0.0)
    north = (-math.sin(lat), 0.0, math.cos(lat))
    u = bal.EARTH_ROTATION_RAD_S * R * math.cos(lat)
    vel = [
        v * math.cos(g) * math.sin(a) * east[i]
        + v * math.cos(g) * math.cos(a) * north[i]
        + v * math.sin(g) * up[i]
        + u * east[i]
        for i in range(3)
    ]
    pos = [R * c for c in up]
    dt, t = 0.25, 0.0

    def acc(p: list[float]) -> list[float]:
        r3 = math.dist(p, (0.0, 0.0, 0.0)) ** 3
        return [-MU * c / r3 for c in p]

    def step(p: list[float], w: list[float], h: float) -> tuple[list[float], list[float]]:
        k1p, k1v = w, acc(p)
        p2 = [p[i] + h / 2 * k1p[i] for i in range(3)]
        w2 = [w[i] + h / 2 * k1v[i] for i in range(3)]
        k2p, k2v = w2, acc(p2)
        p3 = [p[i] + h / 2 * k2p[i] for i in range(3)]
        w3 = [w[i] + h / 2 * k2v[i] for i in range(3)]
        k3p, k3v = w3, acc(p3)
        p4 = [p[i] + h * k3p[i] for i in range(3)]
        w4 = [w[i] + h * k3v[i] for i in range(3)]
        k4p, k4v = w4, acc(p4)
        return (
            [p[i] + h / 6 * (k1p[i] + 2 * k2p[i] + 2 * k3p[i] + k4p[i]) for i in range(3)],
            [w[i] + h / 6 * (k1v[i] + 2 * k2v[i] + 2 * k3v[i] + k4v[i]) for i in range(3)],
        )

    while True:
        p_next, v_next = step(pos, vel, dt)
        if math.dist(p_next, (0, 0, 0)) < R and t > 0:
            lo, hi = 0.0, dt
            for _ in range(60):
                mid = (lo + hi) / 2
                if math.dist(step(pos, vel, mid)[0], (0, 0, 0)) >= R:
                    lo = mid
                else:
                    hi = mid
            pos, t = step(pos, vel, lo)[0], t + lo
            break
        pos, vel, t = p_next, v_next, t + dt
    # Undo the Earth's turn (about +z) during the flight to get the Earth-fixed impact point.
    turn = -bal.EARTH_ROTATION_RAD_S * t
    x, y, z = pos
    fixed = (x * math.cos(turn) - y * math.sin(turn), x * math.sin(turn) + y * math.cos(turn), z)
    launch = [R * c for c in up]
    cos_c = sum(fixed[i] * launch[i] for i in range(3)) / (R * R)
    assert R * math.acos(cos_c) == pytest.approx(est.range_km, abs=0.2)


def test_powered_phase_estimate_helps_lofted_not_minimum_energy() -> None:
    lofted = bal.powered_phase_estimate(950.0, 4475.0, burn_time_s=150.0)
    assert lofted.gravity_loss_saving_km_s > 0.2
    assert lofted.standard_range_km is not None
    base = bal.standard_range_km_for_flight(950.0, 4475.0)
    assert base is not None and lofted.standard_range_km > base
    near = bal.powered_phase_estimate(400.0, 100.0, burn_time_s=150.0)
    assert abs(near.gravity_loss_saving_km_s) < 0.01
    longer = bal.powered_phase_estimate(950.0, 4475.0, burn_time_s=200.0)
    assert longer.gravity_loss_saving_km_s > lofted.gravity_loss_saving_km_s
