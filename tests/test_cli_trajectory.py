"""``rangezone trajectory``: JSON content, text output and errors.

Numbers printed by the command are checked two ways: against the figures of the closed-form
model with stated absolute tolerances, and against an independent authority -- a plain RK4
integration of the two-body equations started from the burnout state the command prints,
which must fly back to the reported range and apogee.
"""

from __future__ import annotations

import math
from typing import Any

import cli_helpers
import pytest
from cli_helpers import run_error, run_ok

R = 6371.0
MU = 398600.4418

State = tuple[float, float, float, float]


def _f(s: State) -> State:
    x, y, vx, vy = s
    r3 = (x * x + y * y) ** 1.5
    return (vx, vy, -MU * x / r3, -MU * y / r3)


def _step(s: State, h: float) -> State:
    def add(a: State, k: State, c: float) -> State:
        return (a[0] + c * k[0], a[1] + c * k[1], a[2] + c * k[2], a[3] + c * k[3])

    k1 = _f(s)
    k2 = _f(add(s, k1, h / 2))
    k3 = _f(add(s, k2, h / 2))
    k4 = _f(add(s, k3, h))
    total = add(add(add(k1, k2, 2.0), k3, 2.0), k4, 1.0)
    return add(s, total, h / 6)


def fly(speed: float, angle_deg: float, dt: float = 0.25) -> tuple[float, float, float]:
    """(range km, apogee km, flight time min) of an arc from the surface, by RK4."""
    g = math.radians(angle_deg)
    s: State = (0.0, R, speed * math.cos(g), speed * math.sin(g))
    t, top = 0.0, 0.0
    while True:
        nxt = _step(s, dt)
        if math.hypot(nxt[0], nxt[1]) < R and t > 0:
            lo, hi = 0.0, dt
            for _ in range(60):
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if math.hypot(*_step(s, mid)[:2]) >= R else (lo, mid)
            end = _step(s, lo)
            return R * math.atan2(end[0], end[1]) % (2 * math.pi * R), top, (t + lo) / 60
        s, t = nxt, t + dt
        top = max(top, math.hypot(s[0], s[1]) - R)


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    data = cli_helpers.run_json(capsys, "trajectory", *args, "--json")
    assert isinstance(data, dict)
    return data


def test_hwasong15_is_lofted_with_standard_range_and_flight_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    d = run_json(capsys, "--range", "950km", "--apogee", "4475km")
    assert d["trajectory_class"] == "lofted"
    assert d["range_km"] == 950.0
    assert d["apogee_km"] == 4475.0
    # Figures of the closed-form model (tolerances: 0.001 km/s, 0.01 deg, 0.01 min, 1 km).
    assert d["burnout_speed_km_s"] == pytest.approx(7.1953, abs=0.001)
    assert d["flight_path_angle_deg"] == pytest.approx(84.835, abs=0.01)
    assert d["min_energy_angle_deg"] == pytest.approx(22.554, abs=0.01)
    assert d["flight_time_min"] == pytest.approx(50.283, abs=0.01)
    assert d["standard_range_km"] == pytest.approx(9983.3, abs=1.0)
    assert d["standard_flight_time_min"] == pytest.approx(32.15, abs=0.01)
    assert d["global_reach"] is False
    assert d["reported_flight_time_min"] is None
    assert d["flight_time_difference_min"] is None
    assert "energy bound, not a forecast" in d["note"]
    assert "non-rotating" in d["model"]
    # Independent authority: the printed burnout state flies back to 950 km / 4,475 km
    # (within 0.1 km) in the printed flight time (within 0.02 min).
    rng, top, minutes = fly(d["burnout_speed_km_s"], d["flight_path_angle_deg"])
    assert rng == pytest.approx(950.0, abs=0.1)
    assert top == pytest.approx(4475.0, abs=0.1)
    assert minutes == pytest.approx(d["flight_time_min"], abs=0.02)
    # ... and at the printed minimum-energy angle it reaches the printed standard range
    # (within 1 km), farther than one degree either side.
    std, _, std_min = fly(d["burnout_speed_km_s"], d["min_energy_angle_deg"])
    assert std == pytest.approx(d["standard_range_km"], abs=1.0)
    assert std_min == pytest.approx(d["standard_flight_time_min"], abs=0.02)
    for delta in (-1.0, 1.0):
        assert fly(d["burnout_speed_km_s"], d["min_energy_angle_deg"] + delta)[0] < std


def test_reported_flight_time_difference(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "--range", "950km", "--apogee", "4475km", "--flight-time", "53")
    assert d["reported_flight_time_min"] == 53.0
    assert d["flight_time_difference_min"] == pytest.approx(50.283 - 53.0, abs=0.01)


def test_units_are_converted(capsys: pytest.CaptureFixture[str]) -> None:
    km = run_json(capsys, "--range", "926km", "--apogee", "2778km")
    nm = run_json(capsys, "--range", "500nm", "--apogee", "1500 NM")
    assert nm["range_km"] == pytest.approx(926.0, abs=1e-6)
    assert nm["burnout_speed_km_s"] == pytest.approx(km["burnout_speed_km_s"], abs=1e-6)


def test_srbm_salvo_is_near_minimum_energy(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "--range", "400km", "--apogee", "100km")
    assert d["trajectory_class"] == "near minimum-energy"
    assert d["standard_range_km"] == pytest.approx(400.0, abs=1.0)
    rng, top, _ = fly(d["burnout_speed_km_s"], d["flight_path_angle_deg"])
    assert rng == pytest.approx(400.0, abs=0.05)
    assert top == pytest.approx(100.0, abs=0.05)


def test_hwasong19_has_global_reach(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "--range", "1001.2km", "--apogee", "7687.5km", "--flight-time", "86")
    assert d["trajectory_class"] == "lofted"
    assert d["global_reach"] is True
    assert d["standard_range_km"] is None
    assert d["standard_flight_time_min"] is None
    assert d["burnout_speed_km_s"] > 7.9098  # circular-orbit speed at R = 6371 km


def test_optional_estimates_appear_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    plain = run_json(capsys, "--range", "950km", "--apogee", "4475km")
    assert "rotation_estimate" not in plain
    assert "powered_phase_estimate" not in plain
    d = run_json(
        capsys,
        *("--range", "950km", "--apogee", "4475km"),
        *("--azimuth", "E", "--lat", "39", "--burn-time", "150"),
    )
    rot = d["rotation_estimate"]
    assert rot["optional_estimate"] is True
    assert rot["azimuth_deg"] == 90.0
    assert rot["range_km"] > d["standard_range_km"]
    pp = d["powered_phase_estimate"]
    assert pp["optional_estimate"] is True
    assert pp["standard_range_km"] > d["standard_range_km"]


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_ok(
        capsys, "trajectory", "--range", "950km", "--apogee", "4475km", "--flight-time", "53"
    )
    assert "lofted" in out
    assert "7.195 km/s" in out
    assert "9,983 km" in out
    assert "reported 53.0 min" in out
    assert "energy bound, not a forecast" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--range", "950km", "--apogee=-4475km"], "--apogee: distance '-4475km' is negative"),
        (["--range", "950km", "--apogee", "0km"], "apogee must be positive"),
        (["--range", "950 furlong", "--apogee", "4475km"], "unknown distance unit 'furlong'"),
        (["--range", "950", "--apogee", "4475km"], "has no unit"),
        (["--range", "25000km", "--apogee", "100km"], "below half the Earth's circumference"),
        (["--range", "950km", "--apogee", "4475km", "--flight-time", "0"], "--flight-time"),
        (["--range", "950km", "--apogee", "4475km", "--lat", "39"], "--azimuth and --lat"),
        (["--range", "950km", "--apogee", "4475km", "--azimuth", "E", "--lat", "99"], "latitude"),
        (["--range", "950km", "--apogee", "4475km", "--burn-time", "-5"], "--burn-time"),
        (["--apogee", "4475km"], "--range"),
    ],
)
def test_bad_input_one_line_on_stderr_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert message in run_error(capsys, "trajectory", *args)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--range", "950km", "--apogee", "1e300km"],
            "--apogee: distance '1e300km' is too large: at most 10,000,000 km",
            id="apogee-1e300km",  # raised OverflowError
        ),
        pytest.param(
            ["--range", "950km", "--apogee", "1e308m"],
            "--apogee: distance '1e308m' is too large: at most 10,000,000 km",
            id="apogee-1e308m",  # raised OverflowError
        ),
        pytest.param(
            ["--range", "1e300km", "--apogee", "100km"],
            "--range: distance '1e300km' is too large: at most 10,000,000 km",
            id="range-1e300km",
        ),
        pytest.param(
            ["--range", "950km", "--apogee", "1e400km"],
            "--apogee: distance '1e400km' is not a finite number",
            id="apogee-overflows",
        ),
        pytest.param(
            ["--range", "950km", "--apogee", "infkm"],
            "--apogee: cannot read distance 'infkm': expected a number and a unit, e.g. 400km",
            id="apogee-inf",
        ),
        pytest.param(
            ["--range", "nankm", "--apogee", "100km"],
            "--range: cannot read distance 'nankm': expected a number and a unit, e.g. 400km",
            id="range-nan",
        ),
        pytest.param(
            ["--range", "950km", "--apogee", "2000000km"],
            "--apogee: apogee 2e+06 km is above 1,500,000 km (the Earth's Hill sphere), "
            "where the Sun, not the Earth, governs the flight",
            id="apogee-beyond-model",
        ),
        pytest.param(
            ["--range", "0km", "--apogee", "100km"],
            "--range: range must be positive, got 0 km",
            id="range-0",
        ),
        pytest.param(
            ["--range", "950km", "--apogee", "0m"],
            "--apogee: apogee must be positive, got 0 km",
            id="apogee-0",
        ),
        pytest.param(
            ["--range", "1e-300km", "--apogee", "1e-300km"],
            "--range: range must be at least 1 mm, got 1e-300 km",
            id="range-tiny",
        ),
        pytest.param(
            ["--range", "1,000km", "--apogee", "100km"],
            "--range: distance '1,000km' is ambiguous: "
            "write '1000km' (thousands) or '1.000km' (decimals)",
            id="range-comma",
        ),
        pytest.param(
            ["--range", "950km", "--apogee", "4475km", "--azimuth", "E", "--lat", "nan"],
            "--lat must be a latitude from -90 to 90 degrees, got nan",
            id="lat-nan",
        ),
        pytest.param(
            ["--range", "950km", "--apogee", "4475km", "--azimuth", "inf", "--lat", "39"],
            "--azimuth: bearing 'inf' is not a finite number",
            id="azimuth-inf",
        ),
        pytest.param(
            ["--range", "950km", "--apogee", "4475km", "--burn-time", "1e308"],
            "--burn-time must be a positive number of seconds up to 3600, got 1e+308",
            id="burn-time-huge",
        ),
        pytest.param(
            ["--range", "950km", "--apogee", "4475km", "--burn-time", "nan"],
            "--burn-time must be a positive number of seconds up to 3600, got nan",
            id="burn-time-nan",
        ),
        pytest.param(
            ["--range", "950km", "--apogee", "4475km", "--flight-time", "inf"],
            "--flight-time must be a positive number of minutes, got inf",
            id="flight-time-inf",
        ),
    ],
)
def test_absurd_values_exact_message(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert run_error(capsys, "trajectory", *args) == f"rangezone: error: {message}"
