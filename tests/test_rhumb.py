"""Rhumb lines (geo.core.rhumb) and reported impacts read along them.

The authority is GeographicLib's RhumbSolve: ``tests/data/rhumb_direct.csv`` holds its
answers to 478 direct problems (written by scripts/build_rhumb_reference.py; provenance in
the file's header and tests/data/README.md), and one test asks RhumbSolve live when it is on
PATH (CI installs it). Wider checks (areas, p_inside) use ``conftest.rhumb_forward``, an
independent construction on pyproj (Geod along the meridian, ellipsoidal Mercator), itself
checked against the reference file here.

Tolerances (absolute):

| quantity | tolerance | measured |
|---|---|---|
| end point vs RhumbSolve (reference file and live) | 1 µm | 8.5e-9 m |
| conftest.rhumb_forward vs RhumbSolve | 1 cm | 5.6 mm |
| course between consecutive points of a densified leg | 1e-7° (+ 2e-8 m / step) | |
| distance additivity: s1 then s2 vs s1 + s2 | 1 µm | |
| uncertainty area vs the oracle's dense boundary | perimeter × tolerance + 1 km² | |
"""

from __future__ import annotations

import csv
import math
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import shapely
from conftest import (
    GEOD,
    RHUMB_ORACLE_TOL_M,
    GeodesicOracle,
    contract_band_m,
    rhumb_forward,
    rhumb_sector_area_m2,
)
from hypothesis import assume, example, given
from hypothesis import strategies as st

from geo.access.gazetteer import lookup_place
from geo.core.impact import reported_impact
from geo.core.rhumb import (
    QUARTER_MERIDIAN_M,
    meridian_distance_m,
    rhumb_direct,
    rhumb_direct_many,
    rhumb_dlon_deg,
    rhumb_impact_area,
    rhumb_inverse_many,
    rhumb_line,
)
from geo.core.shapes import DEFAULT_TOLERANCE_M
from geo.core.types import LonLat
from geo.errors import InputError

REFERENCE = Path(__file__).parent / "data" / "rhumb_direct.csv"
POINT_TOL_M = 1e-6
"""End points agree with RhumbSolve within 1 µm (measured: 8.5e-9 m)."""
KM = 1000.0
ERIMO = lookup_place("Cape Erimo").lonlat
OSHIMA_OSHIMA = lookup_place("Oshima-Oshima").lonlat


def _reference() -> tuple[list[str], np.ndarray]:
    with REFERENCE.open(encoding="utf-8") as fh:
        rows = list(csv.reader(line for line in fh if not line.startswith("#")))
    assert rows[0] == ["kind", "lat1", "lon1", "azi12", "s12", "lat2", "lon2"]
    kinds = [r[0] for r in rows[1:]]
    return kinds, np.array([[float(x) for x in r[1:]] for r in rows[1:]])


def _miss_m(
    lon: np.ndarray, lat: np.ndarray, want_lon: np.ndarray, want_lat: np.ndarray
) -> np.ndarray:
    _, _, d = GEOD.inv(lon, lat, want_lon, want_lat)
    return np.asarray(d, dtype=float)


def test_reference_file_covers_the_hard_cases() -> None:
    kinds, data = _reference()
    counts = {k: kinds.count(k) for k in set(kinds)}
    assert len(kinds) >= 300
    for kind in ("general", "east-west", "high-latitude", "long", "antimeridian", "southern"):
        assert counts.get(kind, 0) >= 20, kind
    assert (data[:, 0] < 0).sum() >= 100  # negative latitudes
    assert (np.abs(data[:, 0]) > 75).sum() >= 30  # high latitudes
    assert (data[:, 3] > 8e6).sum() >= 20  # long legs
    crosses = np.abs(data[:, 5] - data[:, 1]) > 180.0  # end longitude wrapped past ±180
    assert crosses.sum() >= 20


def test_direct_agrees_with_rhumbsolve_reference() -> None:
    kinds, data = _reference()
    lon, lat = rhumb_direct_many(data[:, 1], data[:, 0], data[:, 2], data[:, 3])
    miss = _miss_m(lon, lat, data[:, 5], data[:, 4])
    worst = int(np.argmax(miss))
    assert miss[worst] < POINT_TOL_M, (kinds[worst], data[worst], miss[worst])
    assert (lon >= -180.0).all() and (lon < 180.0).all()


def test_direct_agrees_with_rhumbsolve_live() -> None:
    exe = shutil.which("RhumbSolve")
    if exe is None:
        pytest.skip("RhumbSolve is not on PATH (Debian: apt-get install geographiclib-tools)")
    rng = np.random.default_rng(11)
    n = 300
    lat = np.degrees(np.arcsin(rng.uniform(-0.99, 0.99, n)))
    lon = rng.uniform(-180.0, 180.0, n)
    az = rng.uniform(0.0, 360.0, n)
    az[:40] = rng.choice([90.0, 270.0], 40) + rng.choice([0.0, 1e-9, -1e-6], 40)
    s = 10 ** rng.uniform(0.0, 7.3, n)
    m1 = meridian_distance_m(lat)
    keep = np.abs(m1 + s * np.cos(np.radians(az))) < QUARTER_MERIDIAN_M - 1.0
    lat, lon, az, s = lat[keep], lon[keep], az[keep], s[keep]
    rows = zip(lat.tolist(), lon.tolist(), az.tolist(), s.tolist(), strict=True)
    text = "".join(f"{a!r} {b!r} {c!r} {d!r}\n" for a, b, c, d in rows)
    out = subprocess.run(
        [exe, "-p", "9"], input=text, capture_output=True, text=True, check=True, timeout=60
    )
    got = np.array([[float(x) for x in line.split()[:2]] for line in out.stdout.splitlines()])
    mlon, mlat = rhumb_direct_many(lon, lat, az, s)
    miss = _miss_m(mlon, mlat, got[:, 1], got[:, 0])
    assert miss.max() < POINT_TOL_M


def test_oracle_agrees_with_rhumbsolve_reference() -> None:
    """conftest.rhumb_forward, used for areas and p_inside, is itself checked here."""
    _, data = _reference()
    lon, lat = rhumb_forward(data[:, 1], data[:, 0], data[:, 2], data[:, 3])
    assert _miss_m(lon, lat, data[:, 5], data[:, 4]).max() < RHUMB_ORACLE_TOL_M


def test_due_east_stays_on_the_parallel() -> None:
    p = rhumb_direct(ERIMO, 90.0, 1180 * KM)
    assert p.lat_deg == ERIMO.lat_deg
    _, _, d = GEOD.inv(p.lon_deg, p.lat_deg, 157.47398935274526, ERIMO.lat_deg)
    assert d < POINT_TOL_M  # RhumbSolve -p 9: 41.92444 143.24833 90 1180000 -> 157.47398935274526


USE_GEODESIC = "; read it as a geodesic (leg='geodesic')"  # the API's words; the CLI's: --leg


@pytest.mark.parametrize(
    ("lat", "az", "dist_km", "message"),
    [
        (40.0, 10.0, 12_000, "a 12,000 km rhumb leg at 10° passes the North Pole" + USE_GEODESIC),
        (-40.0, 200.0, 9_000, "a 9,000 km rhumb leg at 200° passes the South Pole" + USE_GEODESIC),
        (0.0, 0.0, 10_001.966, "a 10,002 km rhumb leg at 0° passes the North Pole" + USE_GEODESIC),
    ],
)  # fmt: skip
def test_a_leg_over_a_pole_is_refused(lat: float, az: float, dist_km: float, message: str) -> None:
    with pytest.raises(InputError) as info:
        rhumb_direct(LonLat(20.0, lat), az, dist_km * KM)
    assert str(info.value) == message
    with pytest.raises(InputError) as info:
        reported_impact(LonLat(20.0, lat), dist_km * KM, az)
    assert str(info.value) == message


def test_a_leg_from_a_pole_is_refused() -> None:
    with pytest.raises(InputError, match="cannot start at a pole"):
        rhumb_direct(LonLat(0.0, 90.0), 180.0, 1000 * KM)


def test_an_uncertainty_area_over_a_pole_is_refused() -> None:
    # the point itself is 60 km short of the pole, the +10% distance is past it
    to_pole = QUARTER_MERIDIAN_M - float(meridian_distance_m(80.0))
    with pytest.raises(InputError) as info:
        reported_impact(LonLat(0.0, 80.0), to_pole - 60 * KM, 0.0)
    msg = str(info.value)
    assert msg.startswith("the uncertainty area of a 1,057 km rhumb leg at 0° reaches the North")
    assert msg.endswith(USE_GEODESIC) and "\n" not in msg
    # the geodesic reading goes over the pole: nothing to refuse
    reported_impact(LonLat(0.0, 80.0), to_pole - 60 * KM, 0.0, leg="geodesic")


def test_non_finite_rhumb_input_is_an_input_error() -> None:
    """Regression: a NaN bearing or latitude reached the rhumb solver through the Python API
    (geo.reported_impact, geo.rhumb_impact_area) and died in numpy with "cannot convert
    float NaN to integer"; the geodesic reading said "bearing nan is not a finite number"."""
    nan, inf = float("nan"), float("inf")
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: reported_impact(ERIMO, 100 * KM, nan), "bearing nan is not a finite number"),
        (lambda: rhumb_direct(ERIMO, inf, 100 * KM), "bearing inf is not a finite number"),
        (lambda: rhumb_direct(ERIMO, 90.0, nan), "distance nan is not a finite number"),
        (lambda: rhumb_direct(LonLat(0.0, nan), 90.0, KM), "latitude nan is not a finite"),
        (lambda: rhumb_impact_area(ERIMO, 0.0, 100 * KM, nan, 10.0), "bearing nan is not"),
        (lambda: rhumb_impact_area(ERIMO, 0.0, 100 * KM, 0.0, inf), "bearing inf is not"),
    ]
    for call, message in cases:
        with pytest.raises(InputError) as info:
            call()
        assert message in str(info.value) and "\n" not in str(info.value)


def test_leg_names_are_checked() -> None:
    with pytest.raises(InputError, match="leg must be 'rhumb' or 'geodesic', got 'loxodrome'"):
        reported_impact(ERIMO, 100 * KM, 90.0, leg="loxodrome")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- properties

_lat = st.floats(-0.999, 0.999).map(lambda u: math.degrees(math.asin(u)))
_lon = st.floats(-180.0, 180.0)
_az = st.floats(0.0, 360.0, exclude_max=True)
_dist = st.floats(math.log(10.0), math.log(15_000 * KM)).map(math.exp)


def _clear_of_pole(lat: float, az: float, s: float, margin_m: float = 1.0) -> bool:
    m1 = float(meridian_distance_m(lat))
    return abs(m1 + s * math.cos(math.radians(az))) < QUARTER_MERIDIAN_M - margin_m


@given(lon=_lon, lat=_lat, az=_az, s=_dist)
@example(lon=179.9, lat=-17.0, az=90.0, s=2000 * KM)
@example(lon=10.0, lat=85.0, az=89.999, s=3000 * KM)
@example(lon=0.0, lat=0.0, az=270.0, s=15_000 * KM)
def test_constant_course_along_a_densified_leg(lon: float, lat: float, az: float, s: float) -> None:
    """The rhumb course between consecutive points of a densified leg is the leg's bearing
    (within 1e-7°), and every point is RhumbSolve-grade: the oracle within 1 cm."""
    assume(_clear_of_pole(lat, az, s, 1000.0))
    lons, lats = rhumb_line(LonLat(lon, lat), az, s, step_m=max(s / 50.0, 1.0))
    course, dist = rhumb_inverse_many(lons[:-1], lats[:-1], lons[1:], lats[1:])
    step = s / (lons.size - 1)
    # the course is good to 1e-7°, or on very short steps to the angle that the rounding of
    # the coordinates (about 10 nm) subtends
    off = np.abs((course - az + 180.0) % 360.0 - 180.0)
    allowed = 1e-7 + np.degrees(2e-8 / np.maximum(dist, 1e-3))
    assert (off < allowed).all(), off.max()
    assert np.abs(dist - step).max() < 1e-6
    olon, olat = rhumb_forward(lon, lat, az, np.linspace(0.0, s, lons.size))
    assert _miss_m(lons, lats, olon, olat).max() < RHUMB_ORACLE_TOL_M


@given(lon=_lon, lat=_lat, az=_az, s1=_dist, s2=_dist)
@example(lon=-179.5, lat=60.0, az=80.0, s1=500 * KM, s2=700 * KM)
def test_distances_add_along_a_rhumb(
    lon: float, lat: float, az: float, s1: float, s2: float
) -> None:
    assume(_clear_of_pole(lat, az, s1 + s2, 1000.0))
    a = rhumb_direct(LonLat(lon, lat), az, s1)
    b = rhumb_direct(a, az, s2)
    c = rhumb_direct(LonLat(lon, lat), az, s1 + s2)
    assert (
        _miss_m(np.array(b.lon_deg), np.array(b.lat_deg), np.array(c.lon_deg), np.array(c.lat_deg))
        < 1e-6
    )


@given(lon=_lon, lat=_lat, az=_az, s=st.floats(math.log(10.0), math.log(2000 * KM)).map(math.exp))
def test_inverse_undoes_direct(lon: float, lat: float, az: float, s: float) -> None:
    assume(_clear_of_pole(lat, az, s, 1000.0))
    p = rhumb_direct(LonLat(lon, lat), az, s)
    dlon = rhumb_inverse_many(lon, lat, p.lon_deg, p.lat_deg)
    course, dist = float(dlon[0]), float(dlon[1])
    assume(abs(math.degrees(s * math.sin(math.radians(az)) / 6.3e6)) < 170.0)  # the shorter one
    assert abs(dist - s) < 1e-6
    assert abs((course - az + 180.0) % 360.0 - 180.0) < 1e-7


# ---------------------------------------------------------------------------- reported impacts


def _pole_margin_m(lat: float, az: float, lo: float, hi: float, w: float) -> float:
    """How far (meridian metres) the legs of lengths lo..hi, bearings az ± w stay from the
    nearer pole; negative when some leg reaches it."""
    m1 = float(meridian_distance_m(lat))
    ends = [math.cos(math.radians(az - w)), math.cos(math.radians(az + w))]
    cmax = 1.0 if abs((az + 180.0) % 360.0 - 180.0) <= w else max(ends)
    cmin = -1.0 if abs(az % 360.0 - 180.0) <= w else min(ends)
    north = m1 + max(hi * cmax, lo * cmax)
    south = m1 + min(hi * cmin, lo * cmin)
    return min(QUARTER_MERIDIAN_M - north, QUARTER_MERIDIAN_M + south)


@given(
    lon=_lon, lat=_lat, az=_az, s=st.floats(math.log(1 * KM), math.log(12_000 * KM)).map(math.exp)
)
@example(lon=ERIMO.lon_deg, lat=ERIMO.lat_deg, az=90.0, s=1180 * KM)
@example(lon=179.9, lat=-17.0, az=90.0, s=400 * KM)  # across the antimeridian
@example(lon=139.35833, lat=41.51111, az=270.0, s=200 * KM)
@example(lon=170.0, lat=-75.0, az=90.0, s=8000 * KM)  # winds most of the way round
def test_reported_impact_read_as_a_rhumb(
    oracle: GeodesicOracle, lon: float, lat: float, az: float, s: float
) -> None:
    """The point, the grid p_inside averages over and the uncertainty area all follow the
    rhumb reading: distance in [0.9, 1.1] d and bearing within 11.25°, each pair mapped
    through the rhumb direct problem (the oracle's)."""
    lo, hi = 0.9 * s, 1.1 * s
    margin = _pole_margin_m(lat, az, lo, hi, 11.25)
    assume(abs(margin) > 10.0)
    origin = LonLat(lon, lat)
    if margin < 0:
        with pytest.raises(InputError, match="Pole"):
            reported_impact(origin, s, az)
        return
    imp = reported_impact(origin, s, az)
    assert imp.leg == "rhumb"
    plon, plat = rhumb_forward(lon, lat, az, s)
    assert (
        _miss_m(np.array(imp.point.lon_deg), np.array(imp.point.lat_deg), plon, plat)
        < RHUMB_ORACLE_TOL_M
    )

    # the grid of the error model: the same (distance, bearing) pairs through the oracle
    glon, glat = imp.sample(n_distance=7, n_bearing=5)
    du = (np.arange(7) + 0.5) / 7
    bu = (np.arange(5) + 0.5) / 5
    dd, bb = np.meshgrid(lo + (hi - lo) * du, az - 11.25 + 22.5 * bu)
    olon, olat = rhumb_forward(lon, lat, bb.ravel(), dd.ravel())
    assert _miss_m(glon, glat, olon, olat).max() < RHUMB_ORACLE_TOL_M
    assert oracle.check_valid_lonlat(imp.area.geometry) == []

    # contract: points clearly inside the swept region are in the area, points clearly
    # outside it are not (a margin of twice the tolerance plus 1 m, as for geodesic shapes)
    band = contract_band_m(DEFAULT_TOLERANCE_M)
    rng = np.random.default_rng(5)
    k = 400
    eps = math.degrees(2.0 * band / lo)  # sideways, at least the band at the nearest range
    if hi - lo > 4.0 * band and 4.0 * eps < 22.5:
        inner_d = rng.uniform(lo + band, hi - band, k)
        inner_b = rng.uniform(az - 11.25 + eps, az + 11.25 - eps, k)
        ilon, ilat = rhumb_forward(lon, lat, inner_b, inner_d)
        assert shapely.intersects_xy(imp.area.geometry, ilon, ilat).all()
    outer_d = np.concatenate(
        [
            rng.uniform(hi + band, hi * 1.05 + 2 * band, k),
            rng.uniform(lo * 0.95 - band, lo - band, k),
        ]
    )
    outer_b = rng.uniform(az - 11.25, az + 11.25, 2 * k)
    side_d = rng.uniform(lo, hi, k)
    side_b = az + rng.choice([-1.0, 1.0], k) * (11.25 + eps + rng.uniform(0, 5, k))
    xd = np.concatenate([outer_d, side_d])
    xb = np.concatenate([outer_b, side_b])
    keep = (xd > 0) & np.array(
        [_clear_of_pole(lat, b, d, 10.0) for b, d in zip(xb, xd, strict=True)]
    )
    xlon, xlat = rhumb_forward(lon, lat, xb[keep], xd[keep])
    # a region spanning all longitudes (winding round near a pole) may cover its own outside
    gd, gb = np.meshgrid(np.linspace(lo, hi, 9), np.linspace(az - 11.25, az + 11.25, 9))
    span = np.ptp(rhumb_dlon_deg(lat, gb.ravel(), gd.ravel()))
    if span < 350.0:
        assert not shapely.intersects_xy(imp.area.geometry, xlon, xlat).any()


@pytest.mark.parametrize(
    ("origin", "s", "az"),
    [
        (ERIMO, 1180 * KM, 90.0),
        (OSHIMA_OSHIMA, 200 * KM, 270.0),
        (LonLat(179.9, -17.0), 400 * KM, 90.0),
        (LonLat(-70.0, 10.0), 9_000 * KM, 300.0),
    ],
)
def test_uncertainty_area_km2(origin: LonLat, s: float, az: float) -> None:
    imp = reported_impact(origin, s, az)
    ref, perimeter = rhumb_sector_area_m2(
        origin.lon_deg, origin.lat_deg, 0.9 * s, 1.1 * s, az - 11.25, az + 11.25
    )
    assert abs(imp.area.area_m2 - ref) <= perimeter * DEFAULT_TOLERANCE_M + 1e6


def test_area_across_the_antimeridian_is_two_parts() -> None:
    shape = rhumb_impact_area(LonLat(179.0, 50.0), 50 * KM, 200 * KM, 60.0, 120.0)
    parts = list(getattr(shape.geometry, "geoms", [shape.geometry]))
    assert len(parts) == 2
    xs = sorted(p.bounds[0] for p in parts)
    assert xs[0] == -180.0 and max(p.bounds[2] for p in parts) == 180.0


def test_the_readings_differ_as_documented() -> None:
    """docs/verdicts.md, "How a reported bearing is read": how far apart the two readings
    put three reports (Geod.inv between the two points)."""

    def apart_km(origin: LonLat, s: float, az: float) -> float:
        r = reported_impact(origin, s, az).point
        g = reported_impact(origin, s, az, leg="geodesic").point
        return float(GEOD.inv(r.lon_deg, r.lat_deg, g.lon_deg, g.lat_deg)[2]) / KM

    assert abs(apart_km(ERIMO, 1180 * KM, 90.0) - 97.5) < 0.1
    assert abs(apart_km(OSHIMA_OSHIMA, 200 * KM, 270.0) - 2.8) < 0.1
    assert abs(apart_km(OSHIMA_OSHIMA, 30 * KM, 270.0) - 0.062) < 0.001


def test_drawn_leg_follows_the_rhumb_across_180() -> None:
    """The reported leg drawn on maps: vertices on the rhumb line (the oracle's, 1 cm) at most
    10 km apart, cut at ±180° into parts inside [-180, 180]."""
    from shapely.geometry import MultiLineString

    from geo.briefing.events import reported_leg_line

    imp = reported_impact(LonLat(175.0, 45.0), 1500 * KM, 80.0)
    line = reported_leg_line(imp)
    assert isinstance(line, MultiLineString) and len(line.geoms) == 2
    xy = np.concatenate([np.asarray(p.coords) for p in line.geoms])
    assert xy[:, 0].min() >= -180.0 and xy[:, 0].max() <= 180.0
    inner = xy[np.abs(xy[:, 0]) < 180.0]  # the two cut points lie on 180° itself
    az, dist = rhumb_inverse_many(175.0, 45.0, inner[:, 0], inner[:, 1])
    on = np.abs((az[dist > 0] - 80.0 + 180.0) % 360.0 - 180.0)
    assert on.max() < 1e-7
    _, step = rhumb_inverse_many(inner[:-1, 0], inner[:-1, 1], inner[1:, 0], inner[1:, 1])
    assert step.max() <= 10 * KM + 1e-3
    end = np.asarray(line.geoms[-1].coords)[-1]
    assert (
        _miss_m(end[0], end[1], *rhumb_forward(175.0, 45.0, 80.0, 1500 * KM)) < RHUMB_ORACLE_TOL_M
    )
