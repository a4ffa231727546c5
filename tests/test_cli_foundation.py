"""The foundation commands ``ring``, ``impact`` and ``sites`` through ``geo.cli.main``.

Outputs are parsed and checked for content against pyproj.Geod (absolute tolerances: points
1 mm; polygons by the range contract with band 2 * tolerance + 1 m on random points
worldwide; areas within perimeter * tolerance + 1 km² of the oracle's reference). Bad
inputs: the exact one-line stderr message, exit code 2, nothing on stdout, no traceback.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cli_helpers import run, run_error, run_ok
from conftest import (
    GEOD,
    RHUMB_ORACLE_TOL_M,
    VERTEX_TOL_M,
    GeodesicOracle,
    contract_band_m,
    rhumb_forward,
    rhumb_sector_area_m2,
)
from shapely.geometry import shape

KM = 1000.0
KM2 = 1e6
SINPO = (128.18390, 40.03680)  # lon, lat from data/places.csv
SARIWON = (125.75444, 38.50778)


def features(out: str) -> list[dict[str, Any]]:
    fc = json.loads(out)
    assert fc["type"] == "FeatureCollection"
    return list(fc["features"])


def check_area_feature(
    oracle: GeodesicOracle,
    feature: dict[str, Any],
    *,
    centre: tuple[float, float],
    range_km: float,
    min_range_km: float = 0.0,
    bearings: tuple[float, float] | None = None,
    tolerance_m: float = 100.0,
) -> None:
    """Properties, validity, the contract at random points and the area in km²."""
    props = feature["properties"]
    assert props["kind"] == ("impact_area" if bearings else "range_area")
    assert props["range_km"] == range_km
    assert props["min_range_km"] == min_range_km
    assert props["tolerance_m"] == tolerance_m
    lon, lat = centre
    # The centre is as given: within 1 mm.
    assert float(oracle.geod.inv(props["centre_lon"], props["centre_lat"], lon, lat)[2]) < 1e-3
    if bearings:
        assert (props["from_bearing_deg"], props["to_bearing_deg"]) == bearings
    else:
        assert props["from_bearing_deg"] is None and props["to_bearing_deg"] is None
    geom = shape(feature["geometry"])
    assert oracle.check_valid_lonlat(geom) == []
    r, r0 = range_km * KM, min_range_km * KM
    pts = oracle.sample_points(lon, lat, [r, r0], np.random.default_rng(11))
    # Output degrees have 9 decimals (0.1 mm): no band to add.
    want, judged = oracle.annular_sector_truth(pts, r0, r, contract_band_m(tolerance_m), bearings)
    v = oracle.violations(geom, pts, want, judged)
    assert v.count == 0, v.examples
    if bearings:
        ref, perimeter = oracle.annular_sector_area_m2(lon, lat, r0, r, *bearings)
    else:
        ref_o, per_o = oracle.disk_area_m2(lon, lat, r)
        ref_i, per_i = oracle.disk_area_m2(lon, lat, r0)
        ref, perimeter = ref_o - ref_i, per_o + per_i
    assert abs(props["area_km2"] * KM2 - ref) <= perimeter * tolerance_m + KM2


# ---- ring ---------------------------------------------------------------------------------------


def test_done_case_13000km(capsys: pytest.CaptureFixture[str], oracle: GeodesicOracle) -> None:
    """rangezone ring --at=39.02,125.75 --range 13000km --format geojson"""
    out = run_ok(capsys, "ring", "--at=39.02,125.75", "--range", "13000km", "--format", "geojson")
    (f,) = features(out)
    check_area_feature(oracle, f, centre=(125.75, 39.02), range_km=13000.0)
    assert f["properties"]["site"] == "39.0200, 125.7500"
    assert f["properties"]["label"] == "13,000 km"
    geom = shape(f["geometry"])
    # One polygon closed over the North Pole, reaching the antimeridian on both sides.
    assert geom.geom_type == "Polygon"
    assert geom.bounds[0] == -180.0 and geom.bounds[2] == 180.0 and geom.bounds[3] == 90.0


@pytest.mark.parametrize(
    ("args", "centre", "range_km"),
    [
        pytest.param(["--site", "Sariwon"], SARIWON, 15000.0, id="both-poles-sariwon-15000km"),
        pytest.param(["--site", "Sinpo"], SINPO, 6000.0, id="north-pole-sinpo-6000km"),
        pytest.param(["--at=-18,178"], (178.0, -18.0), 3000.0, id="antimeridian-fiji-3000km"),
        pytest.param(["--at=90,0"], (0.0, 90.0), 1000.0, id="north-pole-centre-1000km"),
        pytest.param(["--at=-90,0"], (0.0, -90.0), 5000.0, id="south-pole-centre-5000km"),
        pytest.param(["--at", "0,180"], (180.0, 0.0), 2000.0, id="centre-on-antimeridian"),
        pytest.param(["--site", "Sariwon"], SARIWON, 19990.0, id="near-antipode-19990km"),
        pytest.param(["--site", "Sariwon"], SARIWON, 20100.0, id="whole-globe-20100km"),
        pytest.param(["--site", "Sariwon"], SARIWON, 0.001, id="tiny-1m"),
    ],
)
def test_ring_hard_cases(
    capsys: pytest.CaptureFixture[str],
    oracle: GeodesicOracle,
    args: list[str],
    centre: tuple[float, float],
    range_km: float,
) -> None:
    out = run_ok(capsys, "ring", *args, "--range", f"{range_km:g}km")
    (f,) = features(out)
    check_area_feature(oracle, f, centre=centre, range_km=range_km)


def test_ring_whole_globe_is_the_globe(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "ring", "--site", "Sariwon", "--range", "20100km")
    assert rc == 0
    (f,) = features(out)
    assert shape(f["geometry"]).bounds == (-180.0, -90.0, 180.0, 90.0)
    assert abs(f["properties"]["area_km2"] - 510_065_621.724) < 1.0  # WGS84 surface


def test_ring_site_and_several_ranges(
    capsys: pytest.CaptureFixture[str], oracle: GeodesicOracle
) -> None:
    out = run_ok(
        capsys, "ring", "--site", "sinpo", "--range", "1000km", "--range", "216nm",
        "--range", "250mi",
    )  # fmt: skip
    fs = features(out)
    assert [f["properties"]["range_km"] for f in fs] == [1000.0, 400.032, 402.336]
    assert [f["properties"]["label"] for f in fs] == ["1,000 km", "400 km", "402 km"]
    assert {f["properties"]["site"] for f in fs} == {"Sinpo"}
    for f in fs:
        check_area_feature(oracle, f, centre=SINPO, range_km=f["properties"]["range_km"])


def test_ring_negative_coordinates_with_equals(
    capsys: pytest.CaptureFixture[str], oracle: GeodesicOracle
) -> None:
    out = run_ok(capsys, "ring", "--at=-45.5,170.2", "--range", "100km")
    (f,) = features(out)
    assert (f["properties"]["centre_lat"], f["properties"]["centre_lon"]) == (-45.5, 170.2)
    check_area_feature(oracle, f, centre=(170.2, -45.5), range_km=100.0)


def test_ring_annulus(capsys: pytest.CaptureFixture[str], oracle: GeodesicOracle) -> None:
    out = run_ok(capsys, "ring", "--site", "Sinpo", "--range", "1000km", "--min-range", "500km")
    (f,) = features(out)
    assert f["properties"]["label"] == "500 km–1,000 km"
    check_area_feature(oracle, f, centre=SINPO, range_km=1000.0, min_range_km=500.0)


@pytest.mark.parametrize(
    ("bearing", "expected"),
    [("60..120", (60.0, 120.0)), ("NE..SE", (45.0, 135.0)), ("300..60", (300.0, 60.0))],
)
def test_ring_sector_is_an_impact_area(
    capsys: pytest.CaptureFixture[str],
    oracle: GeodesicOracle,
    bearing: str,
    expected: tuple[float, float],
) -> None:
    out = run_ok(
        capsys, "ring", "--site", "Sinpo", "--range", "1000km", "--min-range", "500km",
        "--bearing", bearing,
    )  # fmt: skip
    (f,) = features(out)
    check_area_feature(
        oracle, f, centre=SINPO, range_km=1000.0, min_range_km=500.0, bearings=expected
    )


def test_ring_fan_over_the_pole(capsys: pytest.CaptureFixture[str], oracle: GeodesicOracle) -> None:
    rc, out, _ = run(capsys, "ring", "--site", "Sinpo", "--range", "6000km", "--bearing", "300..60")
    assert rc == 0
    (f,) = features(out)
    check_area_feature(oracle, f, centre=SINPO, range_km=6000.0, bearings=(300.0, 60.0))


def test_ring_tolerance(capsys: pytest.CaptureFixture[str], oracle: GeodesicOracle) -> None:
    counts: list[int] = []
    for tol in ("2km", "10m"):
        rc, out, _ = run(
            capsys, "ring", "--site", "Sariwon", "--range", "3000km", "--tolerance", tol
        )
        assert rc == 0
        (f,) = features(out)
        tolerance_m = 2000.0 if tol == "2km" else 10.0
        check_area_feature(oracle, f, centre=SARIWON, range_km=3000.0, tolerance_m=tolerance_m)
        geom = shape(f["geometry"])
        counts.append(len(geom.exterior.coords))
        # Every edge stays within the tolerance of the circle (+1 % + 1 cm).
        xy = oracle.edge_samples(geom, np.random.default_rng(3))
        d = oracle.inverse(*SARIWON, xy[:, 0], xy[:, 1]).dist
        assert np.abs(d - 3000 * KM).max() <= tolerance_m * 1.01 + 0.01
    assert counts[0] < counts[1]


def test_ring_default_tolerance_is_100m(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "ring", "--site", "Sariwon", "--range", "500km")
    assert rc == 0
    (f,) = features(out)
    assert f["properties"]["tolerance_m"] == 100.0


def test_ring_output_geometry_survives_rounding(
    capsys: pytest.CaptureFixture[str], oracle: GeodesicOracle
) -> None:
    """Regression (see test_shapes.py::test_no_zero_area_holes): at a 2 km tolerance
    Sariwon 15,000 km had a zero-area second hole, an invalid ring once rounded to the
    9-decimal GeoJSON."""
    rc, out, _ = run(
        capsys, "ring", "--site", "Sariwon", "--range", "15000km", "--tolerance", "2km"
    )
    assert rc == 0
    (f,) = features(out)
    geom = shape(f["geometry"])
    assert oracle.check_valid_lonlat(geom) == []


# ---- impact -------------------------------------------------------------------------------------


@pytest.mark.parametrize("leg", ["rhumb", "geodesic", None])
def test_impact_text(
    capsys: pytest.CaptureFixture[str], oracle: GeodesicOracle, leg: str | None
) -> None:
    """Read as a rhumb line by default (conftest.rhumb_forward), or as --leg says."""
    given = ("--leg", leg) if leg else ()
    out = run_ok(
        capsys, "impact", "--from", "Sinpo", "--distance", "250km", "--bearing", "ESE", *given
    )
    if leg == "geodesic":
        lon, lat, _ = oracle.geod.fwd(*SINPO, 112.5, 250 * KM)
        ref, perimeter = oracle.annular_sector_area_m2(*SINPO, 225 * KM, 275 * KM, 101.25, 123.75)
    else:
        lon, lat = rhumb_forward(*SINPO, 112.5, 250 * KM)
        ref, perimeter = rhumb_sector_area_m2(*SINPO, 225 * KM, 275 * KM, 101.25, 123.75)
    line1, line2 = out.splitlines()
    read = "geodesic" if leg == "geodesic" else "rhumb line"
    assert line1 == f"250 km ESE of Sinpo ({read}): {lat:.5f}, {lon:.5f} (lat, lon)"
    m = re.fullmatch(
        r"uncertainty: 225–275 km, bearing 101\.25°–123\.75°, area ([\d,]+) km²", line2
    )
    assert m, line2
    area_km2 = float(m.group(1).replace(",", ""))
    # Printed to the nearest km²: +0.5 km² for the rounding.
    assert abs(area_km2 * KM2 - ref) <= perimeter * 100.0 + KM2 + 0.5 * KM2


def test_impact_custom_uncertainty(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(
        capsys, "impact", "--from", "39.0,125.0", "--distance", "100km", "--bearing", "90",
        "--distance-uncertainty", "0.2", "--bearing-uncertainty", "5",
    )  # fmt: skip
    assert rc == 0
    assert out.splitlines()[0].startswith("100 km 90° of 39.0000, 125.0000 (rhumb line): ")
    assert out.splitlines()[1].startswith("uncertainty: 80–120 km, bearing 85.00°–95.00°, area ")


@pytest.mark.parametrize(
    ("distance", "bearing", "label"),
    [
        ("200km", "270", "200 km 270° of Sariwon"),
        ("200km", "360", "200 km 0° of Sariwon"),
        ("200km", "NNW", "200 km NNW of Sariwon"),
        ("200km", "north-west", "200 km north-west of Sariwon"),
        ("108nm", "W", "108 NM (200 km) W of Sariwon"),
        ("124mi", "W", "124 mi (200 km) W of Sariwon"),
    ],
)
def test_impact_label_keeps_the_report(
    capsys: pytest.CaptureFixture[str], distance: str, bearing: str, label: str
) -> None:
    out = run_ok(
        capsys, "impact", "--from", "Sariwon", "--distance", distance, "--bearing", bearing
    )
    assert out.splitlines()[0].startswith(f"{label} (rhumb line): ")
    out = run_ok(
        capsys, "impact", "--from", "Sariwon", "--distance", distance, "--bearing", bearing,
        "--json",
    )  # fmt: skip
    point, area = features(out)
    assert point["properties"]["label"] == label
    assert area["properties"]["label"] == f"{label} (uncertainty)"


@pytest.mark.parametrize(
    ("distance", "message"),
    [
        (
            "25000km",
            "impact distance 25,000 km is too far: impacts are limited to 19,900 km, about "
            "half the Earth's circumference (no point on Earth is farther away); check the "
            "distance and its unit",
        ),
        (
            "19000km",
            "the uncertainty area of a 19,000 km impact reaches 20,900 km (+10%); impact areas "
            "are limited to 19,900 km: lower the distance uncertainty",
        ),
    ],
    ids=["distance-too-far", "uncertainty-too-far"],
)
def test_impact_beyond_the_limit(
    capsys: pytest.CaptureFixture[str], distance: str, message: str
) -> None:
    err = run_error(
        capsys, "impact", "--from", "Sariwon", "--distance", distance, "--bearing", "270"
    )
    assert err == f"rangezone: error: {message}"


def test_impact_json_reads_a_rhumb_line_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_ok(
        capsys, "impact", "--from", "Sinpo", "--distance", "250km", "--bearing", "ESE", "--json"
    )
    point, area = features(out)
    assert point["properties"]["leg"] == "rhumb" and area["properties"]["leg"] == "rhumb"
    lon, lat = rhumb_forward(*SINPO, 112.5, 250 * KM)
    plon, plat = point["geometry"]["coordinates"]
    assert float(GEOD.inv(plon, plat, lon, lat)[2]) < RHUMB_ORACLE_TOL_M
    ref, perimeter = rhumb_sector_area_m2(*SINPO, 225 * KM, 275 * KM, 101.25, 123.75)
    assert abs(area["properties"]["area_km2"] * KM2 - ref) <= perimeter * 100.0 + KM2


def test_impact_json(capsys: pytest.CaptureFixture[str], oracle: GeodesicOracle) -> None:
    out = run_ok(
        capsys, "impact", "--from", "Sinpo", "--distance", "250km", "--bearing", "ESE", "--json",
        "--leg", "geodesic",
    )  # fmt: skip
    point, area = features(out)
    assert point["properties"]["leg"] == "geodesic"
    lon, lat, _ = oracle.geod.fwd(*SINPO, 112.5, 250 * KM)
    assert point["geometry"]["type"] == "Point"
    plon, plat = point["geometry"]["coordinates"]
    assert float(oracle.geod.inv(plon, plat, lon, lat)[2]) < VERTEX_TOL_M
    p = point["properties"]
    assert p["kind"] == "reported_impact"
    assert p["label"] == "250 km ESE of Sinpo"
    assert p["origin"] == "Sinpo"
    assert (p["distance_km"], p["bearing_deg"]) == (250.0, 112.5)
    assert (p["distance_uncertainty"], p["bearing_uncertainty_deg"]) == (0.1, 11.25)
    assert p["distance_uncertainty_fraction"] == 0.1  # the unit in its name
    assert area["properties"]["kind"] == "impact_uncertainty"
    geom = shape(area["geometry"])
    assert oracle.check_valid_lonlat(geom) == []
    pts = oracle.sample_points(*SINPO, [275 * KM, 225 * KM], np.random.default_rng(5))
    want, judged = oracle.annular_sector_truth(
        pts, 225 * KM, 275 * KM, contract_band_m(100.0), (101.25, 123.75)
    )
    assert oracle.violations(geom, pts, want, judged).count == 0
    ref, perimeter = oracle.annular_sector_area_m2(*SINPO, 225 * KM, 275 * KM, 101.25, 123.75)
    assert abs(area["properties"]["area_km2"] * KM2 - ref) <= perimeter * 100.0 + KM2


# ---- sites --------------------------------------------------------------------------------------


def test_sites_query_lines(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_ok(capsys, "sites", "sunan")
    assert out.splitlines() == [
        "Sunan                             39.20299  125.70926  launch site, North Korea "
        "(Pyongyang)  [CNS North Korea Missile Test Database]",
        "Pyongyang International Airport   39.22389  125.67000  launch site, North Korea "
        "(Sunan airport; Sunan International Airport)  [Wikipedia: Pyongyang International "
        "Airport]",
        "West Sunan                        39.39420  125.67730  launch site, North Korea  "
        "[CNS North Korea Missile Test Database]",
    ]


def test_sites_single(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "sites", "oga")
    assert rc == 0
    assert out == (
        "Oga Peninsula   39.93333  139.78333  reference point, Japan (Oga)  "
        "[Wikipedia: Oga Peninsula]\n"
    )


def test_sites_all_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    import csv

    from geo.access.resources import data_file

    with open(data_file("places.csv"), newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rc, out, _ = run(capsys, "sites")
    assert rc == 0 and len(out.splitlines()) == len(rows) > 36
    rc, out, _ = run(capsys, "sites", "--json", "tappi")
    assert json.loads(out) == [
        {
            "name": "Cape Tappi",
            "aliases": ["Tappi"],
            "country": "Japan",
            "kind": "reference point",
            "lat": 41.258,
            "lon": 140.344,
            "source": "Japan Coast Guard lighthouse list (Tappizaki lighthouse)",
        }
    ]


# ---- bad input ----------------------------------------------------------------------------------

BAD = [
    pytest.param(
        ["ring", "--at", "95,125.75", "--range", "100km"],
        "rangezone: error: latitude 95 in '95,125.75' is outside -90..90",
        id="lat-95",
    ),
    pytest.param(
        ["ring", "--at", "125.75,39.02", "--range", "100km"],
        "rangezone: error: latitude 125.75 in '125.75,39.02' is outside -90..90 "
        "(did you swap them? latitude comes first: 39.02,125.75)",
        id="swapped-lat-lon",
    ),
    pytest.param(
        ["ring", "--at", "39,200", "--range", "100km"],
        "rangezone: error: longitude 200 in '39,200' is outside -180..180",
        id="lon-200",
    ),
    pytest.param(
        ["ring", "--site", "Sinpo", "--range", "-5km"],
        "rangezone: error: distance '-5km' is negative",
        id="negative-distance",
    ),
    pytest.param(
        ["ring", "--site", "Sinpo", "--range", "abckm"],
        "rangezone: error: cannot read distance 'abckm': expected a number and a unit, e.g. 400km",
        id="non-numeric-distance",
    ),
    pytest.param(
        ["ring", "--site", "Sinpo", "--range", "100"],
        "rangezone: error: distance '100' has no unit: add one of m, km, nm (nautical miles), mi",
        id="missing-unit",
    ),
    pytest.param(
        ["ring", "--site", "Sinpo", "--range", "5 parsec"],
        "rangezone: error: unknown distance unit 'parsec' in '5 parsec': "
        "use m, km, nm (nautical miles) or mi",
        id="unknown-unit",
    ),
    pytest.param(
        ["ring", "--site", "Sariwn", "--range", "5km"],
        "rangezone: error: unknown place 'Sariwn'; did you mean Sariwon?",
        id="unknown-place",
    ),
    pytest.param(
        ["ring", "--site", "Nowhere at all", "--range", "5km"],
        "rangezone: error: unknown place 'Nowhere at all'; see 'rangezone sites'",
        id="unknown-place-no-suggestion",
    ),
    pytest.param(
        ["ring", "--site", "Sinpo", "--at", "39,125", "--range", "5km"],
        "rangezone: error: give either --site or --at, not both",
        id="site-and-at",
    ),
    pytest.param(
        ["ring", "--range", "5km"],
        "rangezone: error: give --site NAME or --at LAT,LON",
        id="no-centre",
    ),
    pytest.param(
        ["ring", "--site", "Sinpo"],
        "rangezone: error: give at least one --range, --missile or --flown/--apogee",
        id="no-range",
    ),
    pytest.param(
        ["ring", "--site", "Sinpo", "--range", "100km", "--min-range", "200km"],
        "rangezone: error: --min-range 200 km must be less than --range 100 km (the area "
        "between them would be empty)",
        id="min-above-max",
    ),
    pytest.param(
        ["ring", "--site", "Sinpo", "--range", "100km", "--tolerance", "0.001m"],
        "rangezone: error: tolerance 0.001 m is too small: use at least 0.01 m",
        id="tolerance-too-small",
    ),
    pytest.param(
        ["ring", "--site", "Sinpo", "--range", "100km", "--bearing", "60-120"],
        "rangezone: error: bearing range '60-120' must be FROM..TO, e.g. 60..120 or NE..SE",
        id="bad-bearing-range",
    ),
    pytest.param(
        ["ring", "--site", "Sinpo", "--range", "100km", "--format", "html"],
        "rangezone: error: --format html writes a file: give -o PATH",
        id="map-without-output",
    ),
    pytest.param(
        ["ring", "--site", "Sinpo", "--range", "100km", "--format", "xml"],
        "rangezone ring: error: Invalid value for '--format': 'xml' is not one of 'geojson', "
        "'html', 'kml', 'gpkg', 'png', 'svg', 'pdf'. (see 'rangezone ring --help')",
        id="unknown-format",
    ),
    pytest.param(
        ["ring", "--bogus"],
        "rangezone ring: error: No such option '--bogus'. (see 'rangezone ring --help')",
        id="unknown-option",
    ),
    pytest.param(
        ["impact", "--from", "Sariwn", "--distance", "250km", "--bearing", "E"],
        "rangezone: error: unknown place 'Sariwn'; did you mean Sariwon?",
        id="impact-unknown-place",
    ),
    pytest.param(
        ["impact", "--from", "Sinpo", "--distance", "0km", "--bearing", "E"],
        "rangezone: error: impact distance must be positive, got 0 km",
        id="impact-zero-distance",
    ),
    pytest.param(
        ["impact", "--from", "Sinpo", "--distance", "250km", "--bearing", "up"],
        "rangezone: error: cannot read bearing 'up': give degrees clockwise from north "
        "(e.g. 95) or a compass point (E, ESE, north-west)",
        id="impact-bad-bearing",
    ),
    pytest.param(
        ["impact", "--from", "Sinpo"],
        "rangezone impact: error: Missing option '--distance'. (see 'rangezone impact --help')",
        id="impact-missing-option",
    ),
    pytest.param(
        ["sites", "zzz"],
        "rangezone: error: no place matches 'zzz'",
        id="sites-no-match",
    ),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_input(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert run_error(capsys, *args) == message


def test_impact_from_out_of_range_coordinate(capsys: pytest.CaptureFixture[str]) -> None:
    """Regression: --from accepts a place or a coordinate; an out-of-range coordinate's
    CoordinateError used to be swallowed (geo/cli/options.py fell back to the gazetteer) and
    the user was told "unknown place '95,125'; see 'rangezone sites'" instead of what is
    wrong with the latitude."""
    err = run_error(capsys, "impact", "--from", "95,125", "--distance", "250km", "--bearing", "E")
    assert err == "rangezone: error: latitude 95 in '95,125' is outside -90..90"


def test_option_missing_its_value(capsys: pytest.CaptureFixture[str]) -> None:
    err = run_error(capsys, "ring", "--site", "Sinpo", "--range")
    # The message names the subcommand whose help to read, though click gives no context here.
    assert err == (
        "rangezone ring: error: Option '--range' requires an argument. "
        "(see 'rangezone ring --help')"
    )


# ---- the real entry point -----------------------------------------------------------------------


def _console_script() -> str:
    beside = Path(sys.executable).parent / "rangezone"
    found = str(beside) if beside.exists() else shutil.which("rangezone")
    if not found:
        pytest.skip("the rangezone console script is not installed")
    return found


@pytest.mark.slow
def test_console_script_exits_non_zero_without_traceback() -> None:
    exe = _console_script()
    bad = subprocess.run(
        [exe, "ring", "--at", "125.75,39.02", "--range", "100km"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr == (
        "rangezone: error: latitude 125.75 in '125.75,39.02' is outside -90..90 "
        "(did you swap them? latitude comes first: 39.02,125.75)\n"
    )
    good = subprocess.run(
        [exe, "ring", "--at=-45.5,170.2", "--range", "100km"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert good.returncode == 0 and good.stderr == ""
    (f,) = features(good.stdout)
    assert f["properties"]["centre_lat"] == -45.5
    assert f["properties"]["range_km"] == 100.0


@pytest.mark.parametrize(
    "argv",
    [
        ["impact", "--from", "Sariwon", "--distance", "400km", "--bearing", "E"],
        ["ring", "--at", "39,125", "--range", "400km"],
        ["check", "--at", "38,135.5"],
        ["check", "--at", "38,135.5", "--json"],
    ],
    ids=["impact", "ring", "check", "check-json"],
)
@pytest.mark.parametrize("name", ["x.png", "x.json"])
def test_output_in_a_missing_folder_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], name: str
) -> None:
    """Review: ``impact -o /nonexistent/x.png`` created /nonexistent/ and exited 0."""
    if "--json" in argv and name.endswith(".png"):
        name = "x.txt"
    folder = tmp_path / "no" / "such"
    out = folder / name
    msg = run_error(capsys, *argv, "-o", str(out))
    assert msg == f"rangezone: error: cannot write {out}: folder {folder} does not exist"
    assert not (tmp_path / "no").exists()


def test_output_under_a_file_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    afile = tmp_path / "plain.txt"
    afile.write_text("x", encoding="utf-8")
    out = afile / "r.geojson"
    msg = run_error(capsys, "ring", "--at", "39,125", "--range", "400km", "-o", str(out))
    assert msg == f"rangezone: error: cannot write {out}: Not a directory"


def test_output_in_the_current_folder_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "ring", "--at", "39,125", "--range", "400km", "-o", "r.geojson")
    assert (result.code, result.err) == (0, "wrote r.geojson\n")
    assert json.loads((tmp_path / "r.geojson").read_text(encoding="utf-8"))["type"] == (
        "FeatureCollection"
    )


def test_wrote_message_escapes_a_terminal_escape_in_the_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Regression: "wrote PATH" echoed the path raw, so an ESC in a file name reached the
    terminal (click only strips it when stderr is not a terminal, as in this test)."""
    target = tmp_path / "a\x1b[31mb.geojson"
    result = run(capsys, "ring", "--site", "Sunan", "--range", "400km", "-o", str(target))
    assert result.code == 0 and target.exists()
    assert result.err == f"wrote {tmp_path}/a\\x1b[31mb.geojson\n"
