"""Reported impacts "D km BEARING of PLACE": the point and its uncertainty area.

The tests here read the report as a geodesic (``leg="geodesic"``), checked against Geod; the
default rhumb reading is tested against GeographicLib's RhumbSolve in test_rhumb.py.

Tolerances (absolute): the impact point is the Geod.fwd point within 1 mm; distances of the
uncertainty interval within 1 mm; the area follows the contract of test_shapes (band
2 * tolerance + 1 m) by Geod.inv distance and azimuth; its area is within
perimeter * tolerance + 1 km² of Geod's polygon area of the dense exact boundary.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from conftest import VERTEX_TOL_M, GeodesicOracle, contract_band_m
from hypothesis import example, given
from hypothesis import strategies as st

from geo.core.impact import (
    DEFAULT_BEARING_UNCERTAINTY_DEG,
    DEFAULT_DISTANCE_UNCERTAINTY,
    bearing_label,
    distance_label,
    impact_label,
    reported_impact,
)
from geo.core.shapes import DEFAULT_TOLERANCE_M, impact_area
from geo.core.types import LonLat
from geo.errors import InputError

KM = 1000.0
KM2 = 1e6
SINPO = (128.18390, 40.03680)

_lat_uniform = st.floats(-1.0, 1.0).map(lambda u: math.degrees(math.asin(u)))
origins = st.tuples(
    st.one_of(st.floats(-180.0, 180.0), st.sampled_from([-180.0, 180.0])),
    st.one_of(_lat_uniform, _lat_uniform, st.sampled_from([90.0, -90.0])),
)
distances = st.floats(math.log(1 * KM), math.log(18_000 * KM)).map(math.exp)
bearings = st.floats(-360.0, 720.0)


def test_defaults_are_ten_percent_and_half_a_compass_point() -> None:
    assert DEFAULT_DISTANCE_UNCERTAINTY == 0.10
    assert DEFAULT_BEARING_UNCERTAINTY_DEG == 11.25
    imp = reported_impact(LonLat(*SINPO), 250 * KM, 112.5)
    assert imp.distance_uncertainty == 0.10
    assert imp.bearing_uncertainty_deg == 11.25
    assert abs(imp.min_distance_m - 225 * KM) < VERTEX_TOL_M
    assert abs(imp.max_distance_m - 275 * KM) < VERTEX_TOL_M


@given(origin=origins, distance=distances, bearing=bearings)
@example(origin=SINPO, distance=250 * KM, bearing=112.5)
@example(origin=(179.9, -17.0), distance=400 * KM, bearing=90.0)  # across the antimeridian
@example(origin=SINPO, distance=5568 * KM, bearing=0.0)  # over the North Pole
@example(origin=(0.0, -90.0), distance=1000 * KM, bearing=45.0)  # from the South Pole
@example(origin=SINPO, distance=18_000 * KM, bearing=200.0)
def test_reported_impact(
    oracle: GeodesicOracle, origin: tuple[float, float], distance: float, bearing: float
) -> None:
    imp = reported_impact(LonLat(*origin), distance, bearing, leg="geodesic")
    # The point is Geod.fwd's.
    lon, lat, _ = oracle.geod.fwd(origin[0], origin[1], bearing, distance)
    assert float(oracle.geod.inv(lon, lat, *imp.point)[2]) < VERTEX_TOL_M
    assert 0.0 <= imp.azimuth_deg < 360.0
    assert abs((imp.azimuth_deg - bearing + 180.0) % 360.0 - 180.0) < 1e-9

    # Every point of the error model's grid lies in the uncertainty area...
    slon, slat = imp.sample()
    assert slon.shape == (41 * 41,)
    pts = oracle.inverse(origin[0], origin[1], slon, slat)
    assert oracle.covered(imp.area.geometry, pts).all()
    # ... and is where the model says: distance in [0.9 d, 1.1 d], bearing within 11.25°.
    assert (pts.dist >= 0.9 * distance - VERTEX_TOL_M).all()
    assert (pts.dist <= 1.1 * distance + VERTEX_TOL_M).all()
    off = np.abs((pts.az - bearing + 180.0) % 360.0 - 180.0)
    if 0.0 < abs(origin[1]) < 90.0:  # azimuths from a pole are longitudes
        assert (off <= 11.25 + 1e-6).all()

    # The area is the annular sector of distance 0.9-1.1 d and bearing +-11.25°.
    assert oracle.check_valid_lonlat(imp.area.geometry) == []
    bounds = (bearing - 11.25, bearing + 11.25)
    sample = oracle.sample_points(
        origin[0], origin[1], [1.1 * distance, 0.9 * distance], np.random.default_rng(7)
    )
    want, judged = oracle.annular_sector_truth(
        sample, 0.9 * distance, 1.1 * distance, contract_band_m(DEFAULT_TOLERANCE_M), bounds
    )
    v = oracle.violations(imp.area.geometry, sample, want, judged)
    assert v.count == 0, v.examples


def test_azimuth_below_360() -> None:
    """Regression: ``azimuth_deg % 360.0`` of a tiny negative bearing is 360.0, which
    ReportedImpact.azimuth_deg (documented as normalised to [0, 360)) used to be."""
    imp = reported_impact(LonLat(*SINPO), 250 * KM, -1e-20)
    assert 0.0 <= imp.azimuth_deg < 360.0


@pytest.mark.parametrize(
    ("origin", "distance", "bearing"),
    [
        (SINPO, 250 * KM, 112.5),
        ((179.9, -17.0), 400 * KM, 90.0),
        ((-70.0, 10.0), 12_000 * KM, 300.0),  # larger than a hemisphere's radius
    ],
)
def test_uncertainty_area_km2(
    oracle: GeodesicOracle, origin: tuple[float, float], distance: float, bearing: float
) -> None:
    imp = reported_impact(LonLat(*origin), distance, bearing, leg="geodesic")
    ref, perimeter = oracle.annular_sector_area_m2(
        origin[0], origin[1], 0.9 * distance, 1.1 * distance, bearing - 11.25, bearing + 11.25
    )
    assert abs(imp.area.area_m2 - ref) <= perimeter * DEFAULT_TOLERANCE_M + KM2


def test_area_is_the_impact_area() -> None:
    imp = reported_impact(
        LonLat(*SINPO),
        300 * KM,
        80.0,
        distance_uncertainty=0.2,
        bearing_uncertainty_deg=5.0,
        leg="geodesic",
    )
    same = impact_area(LonLat(*SINPO), 240 * KM, 360 * KM, 75.0, 85.0)
    assert imp.area.geometry.equals(same.geometry)
    assert imp.area.area_m2 == same.area_m2


def test_sample_is_a_midpoint_grid(oracle: GeodesicOracle) -> None:
    imp = reported_impact(LonLat(*SINPO), 100 * KM, 0.0, leg="geodesic")
    lon, lat = imp.sample(n_distance=2, n_bearing=3)
    pts = oracle.inverse(*SINPO, lon, lat)
    assert sorted({round(d, 3) for d in pts.dist}) == [95_000.0, 105_000.0]
    az = sorted({round((a + 180.0) % 360.0 - 180.0, 9) for a in pts.az})
    assert az == [-7.5, 0.0, 7.5]


def test_no_uncertainty_gives_an_empty_area() -> None:
    imp = reported_impact(
        LonLat(*SINPO), 100 * KM, 90.0, distance_uncertainty=0.0, bearing_uncertainty_deg=0.0
    )
    assert imp.area.geometry.is_empty and imp.area.area_m2 == 0.0


def test_distance_uncertainty_only_is_a_thin_sliver(oracle: GeodesicOracle) -> None:
    imp = reported_impact(LonLat(*SINPO), 100 * KM, 90.0, bearing_uncertainty_deg=0.0)
    # 20 km long, essentially no width: under 1 m² (1e-9° of bearing at 110 km is 2 mm).
    assert imp.area.area_m2 < 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"distance_m": 0.0}, "impact distance must be positive, got 0 km"),
        ({"distance_m": -5000.0}, "impact distance must be positive, got -5 km"),
        ({"distance_m": math.nan}, "impact distance must be positive, got nan km"),
        (
            {"distance_uncertainty": 1.0},
            "distance uncertainty 1 must be a fraction in [0, 1), e.g. 0.1",
        ),
        (
            {"distance_uncertainty": -0.1},
            "distance uncertainty -0.1 must be a fraction in [0, 1), e.g. 0.1",
        ),
        ({"bearing_uncertainty_deg": 180.0}, "bearing uncertainty 180° must be in [0, 180)"),
        ({"bearing_uncertainty_deg": -1.0}, "bearing uncertainty -1° must be in [0, 180)"),
        (
            {"distance_m": 18_500 * KM},
            "the uncertainty area of a 18,500 km impact reaches 20,350 km (+10%); impact areas"
            " are limited to 19,900 km: lower the distance uncertainty",
        ),
    ],
)
def test_bad_inputs(kwargs: dict[str, float], message: str) -> None:
    args: dict[str, Any] = {"distance_m": 250 * KM, **kwargs}
    distance = args.pop("distance_m")
    with pytest.raises(InputError) as info:
        reported_impact(LonLat(*SINPO), distance, 90.0, **args)
    assert str(info.value).startswith(message)


TOO_FAR = (
    "impact distance {} km is too far: impacts are limited to 19,900 km, about half the "
    "Earth's circumference (no point on Earth is farther away); check the distance and its unit"
)


@pytest.mark.parametrize(
    ("distance_km", "kwargs", "message"),
    [
        (25_000, {}, TOO_FAR.format("25,000")),
        # the distance alone is impossible: whatever the uncertainties
        (25_000, {"distance_uncertainty": 0.0}, TOO_FAR.format("25,000")),
        (25_000, {"bearing_uncertainty_deg": 0.0}, TOO_FAR.format("25,000")),
        (
            25_000,
            {"distance_uncertainty": 0.0, "bearing_uncertainty_deg": 0.0},
            TOO_FAR.format("25,000"),
        ),
        # never "19,900 km is too far: ... limited to 19,900 km"
        (19_900.4, {}, TOO_FAR.format("19,900.4")),
        # only the uncertainty reaches past the limit: lower it
        (
            19_000,
            {},
            "the uncertainty area of a 19,000 km impact reaches 20,900 km (+10%); impact areas"
            " are limited to 19,900 km: lower the distance uncertainty",
        ),
        (
            19_000,
            {"bearing_uncertainty_deg": 0.0},
            "the uncertainty area of a 19,000 km impact reaches 20,900 km (+10%); impact areas"
            " are limited to 19,900 km: lower the distance uncertainty",
        ),
    ],
    ids=[
        "too-far", "too-far-no-du", "too-far-no-bu", "too-far-exact", "just-past",
        "uncertainty", "uncertainty-line",
    ],
)  # fmt: skip
def test_distance_beyond_the_limit(
    distance_km: float, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(InputError) as info:
        reported_impact(LonLat(*SINPO), distance_km * KM, 270.0, **kwargs)
    assert str(info.value) == message


def test_distance_within_the_limit_without_uncertainty_is_a_point() -> None:
    imp = reported_impact(
        LonLat(*SINPO), 19_900 * KM, 90.0, distance_uncertainty=0.0, bearing_uncertainty_deg=0.0
    )
    assert imp.area.geometry.is_empty and imp.distance_m == 19_900 * KM


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("270", "270°"),
        ("360", "0°"),
        ("22.5", "22.5°"),
        ("45°", "45°"),
        (" 095 ", "95°"),
        ("NNW", "NNW"),
        ("nnw", "nnw"),
        ("north-west", "north-west"),
        ("W", "W"),
    ],
)
def test_bearing_label(text: str, label: str) -> None:
    assert bearing_label(text) == label


@pytest.mark.parametrize("text", ["400", "-90"])
def test_bearing_label_refuses_a_bearing_outside_0_to_360(text: str) -> None:
    with pytest.raises(InputError, match=f"bearing '{text}' is outside 0..360"):
        bearing_label(text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("200km", "200 km"),
        ("200 km", "200 km"),
        ("250.5km", "250.5 km"),
        ("200 kilometres", "200 km"),
        ("108nm", "108 NM (200 km)"),
        ("108 NM", "108 NM (200 km)"),
        ("216 nautical miles", "216 NM (400 km)"),
        ("250mi", "250 mi (402 km)"),
        ("1500m", "1,500 m"),
    ],
)
def test_distance_label(text: str, label: str) -> None:
    assert distance_label(text) == label


def test_impact_label() -> None:
    assert impact_label("200km", "270", "Sariwon") == "200 km 270° of Sariwon"
    assert impact_label("200km", "360", "Sariwon") == "200 km 0° of Sariwon"
    assert impact_label("200km", "NNW", "Sariwon") == "200 km NNW of Sariwon"
    assert impact_label("108nm", "W", "Sariwon") == "108 NM (200 km) W of Sariwon"
    with pytest.raises(InputError):
        impact_label("200", "W", "Sariwon")
    with pytest.raises(InputError):
        impact_label("200km", "up", "Sariwon")
