"""Geodesic shapes checked against pyproj.Geod (the authority), never against themselves.

Tolerances, all absolute:

* vertex on the circle: |Geod.inv distance - r| < 1 mm (``VERTEX_TOL_M``);
* contract: a point more than ``2 * tolerance_m + 1 m`` from the boundary is inside the
  polygon exactly when its Geod.inv distance is <= r (and, for sectors, its Geod.inv
  azimuth lies in the sweep);
* edges: points along each straight lon/lat edge lie within ``tolerance_m * 1.01 + 1 cm`` of
  the true circle (distance to the circle = |Geod.inv distance - r|);
* areas: |area - reference| <= perimeter * tolerance_m + 1 km², the reference being Geod's
  polygon area of 20,000 exact circle points (geodesic radial edges for sectors).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import SPHERE_R_M, VERTEX_TOL_M, GeodesicOracle, contract_band_m
from hypothesis import example, given
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box

from geo.core.shapes import (
    DEFAULT_TOLERANCE_M,
    Shape,
    annulus,
    geodesic_area_m2,
    impact_area,
    range_area,
    range_ring,
    sector,
)
from geo.core.types import LonLat
from geo.errors import InputError

KM = 1000.0
KM2 = 1e6
EDGE_SLACK_FRACTION = 0.01
EDGE_SLACK_M = 0.01

SARIWON = (125.75444, 38.50778)
SINPO = (128.18390, 40.03680)
FIJI = (178.0, -18.0)
DONE_CASE = (125.75, 39.02)  # rangezone ring --at=39.02,125.75 --range 13000km


_lat_uniform = st.floats(-1.0, 1.0).map(lambda u: math.degrees(math.asin(u)))
lats = st.one_of(_lat_uniform, _lat_uniform, _lat_uniform, st.sampled_from([90.0, -90.0]))
lons = st.one_of(
    st.floats(-180.0, 180.0), st.floats(-180.0, 180.0), st.sampled_from([-180.0, 180.0, 0.0])
)
centres = st.tuples(lons, lats)
radii = st.floats(0.0, math.log(25_000 * KM)).map(math.exp)  # log-uniform 1 m .. 25,000 km
sector_radii = st.floats(math.log(10.0), math.log(19_900 * KM)).map(math.exp)
tolerances = st.sampled_from([0.5, 10.0, 100.0, 2000.0])

HARD_CASES = [
    pytest.param((0.0, 90.0), 1000 * KM, id="north-pole-centre-1000km"),
    pytest.param((0.0, -90.0), 5000 * KM, id="south-pole-centre-5000km"),
    pytest.param((180.0, 0.0), 2000 * KM, id="antimeridian-centre-2000km"),
    pytest.param((-180.0, 60.0), 300 * KM, id="antimeridian-centre-minus180-300km"),
    pytest.param(FIJI, 3000 * KM, id="ring-crosses-antimeridian-fiji-3000km"),
    pytest.param(SINPO, 6000 * KM, id="one-pole-sinpo-6000km"),
    pytest.param(DONE_CASE, 13000 * KM, id="one-pole-done-case-13000km"),
    pytest.param(SARIWON, 15000 * KM, id="both-poles-sariwon-15000km"),
    pytest.param(SARIWON, 19990 * KM, id="near-antipodal-sariwon-19990km"),
    pytest.param((0.0, 0.0), 20000 * KM, id="near-antipodal-equator-20000km"),
    pytest.param(SARIWON, 20100 * KM, id="whole-globe-20100km"),
    pytest.param((10.0, 10.0), 1.0, id="tiny-1m"),
]


def _seed(*values: float) -> np.random.Generator:
    return np.random.default_rng(abs(hash(tuple(float(v) for v in values))) % (2**32))


def _contract(
    oracle: GeodesicOracle,
    shape: Shape,
    centre: tuple[float, float],
    r: float,
    tolerance_m: float,
    *,
    min_r: float = 0.0,
    bearings: tuple[float, float] | None = None,
) -> None:
    lon, lat = centre
    problems = oracle.check_valid_lonlat(shape.geometry)
    assert problems == [], problems
    pts = oracle.sample_points(lon, lat, [r, min_r], _seed(lon, lat, r, min_r))
    want, judged = oracle.annular_sector_truth(
        pts, min_r, r, contract_band_m(tolerance_m), bearings
    )
    v = oracle.violations(shape.geometry, pts, want, judged)
    assert v.judged > 1000
    assert v.count == 0, f"{v.count}/{v.judged} points misclassified, e.g. {v.examples}"


def _vertex_errors_m(
    oracle: GeodesicOracle, geom: object, centre: tuple[float, float], radii_m: list[float]
) -> float:
    """Largest distance of a boundary vertex from the nearest of the given circles."""
    xy = oracle.boundary_vertices(geom)
    if len(xy) == 0:
        return 0.0
    d = oracle.inverse(centre[0], centre[1], xy[:, 0], xy[:, 1]).dist
    return float(np.min([np.abs(d - r) for r in radii_m], axis=0).max())


# ---- range areas: the contract ------------------------------------------------------------------


@given(centre=centres, r=radii)
@example(centre=(0.0, 90.0), r=1000 * KM)
@example(centre=(0.0, -90.0), r=5000 * KM)
@example(centre=(180.0, 0.0), r=2000 * KM)
@example(centre=(-180.0, 60.0), r=300 * KM)
@example(centre=FIJI, r=3000 * KM)
@example(centre=SINPO, r=6000 * KM)
@example(centre=DONE_CASE, r=13000 * KM)
@example(centre=SARIWON, r=15000 * KM)
@example(centre=SARIWON, r=19990 * KM)
@example(centre=(0.0, 0.0), r=20000 * KM)
@example(centre=SARIWON, r=20100 * KM)
@example(centre=(10.0, 10.0), r=1.0)
def test_range_area_contract(oracle: GeodesicOracle, centre: tuple[float, float], r: float) -> None:
    shape = range_area(LonLat(*centre), r)
    _contract(oracle, shape, centre, r, DEFAULT_TOLERANCE_M)
    if r < oracle.half_meridian_m:
        assert _vertex_errors_m(oracle, shape.geometry, centre, [r]) < VERTEX_TOL_M


@pytest.mark.parametrize(("centre", "r"), HARD_CASES)
def test_hard_cases_structure(
    oracle: GeodesicOracle, centre: tuple[float, float], r: float
) -> None:
    """Pinned: parts, poles and antimeridian split of each hard case."""
    g = range_area(LonLat(*centre), r).geometry
    assert oracle.check_valid_lonlat(g) == []
    poles = oracle.inverse(centre[0], centre[1], np.array([0.0, 0.0]), np.array([90.0, -90.0]))
    covered = oracle.covered(g, poles)
    assert list(covered) == list(poles.dist <= r)
    n_parts = len(g.geoms) if isinstance(g, MultiPolygon) else 1
    w, s, e, n = g.bounds
    if centre == FIJI or abs(centre[0]) == 180.0:
        # Split at the antimeridian into an east and a west part that meet there.
        assert n_parts == 2
        assert (w, e) == (-180.0, 180.0)
    elif poles.dist[0] <= r < poles.dist[1]:
        assert n_parts == 1 and n == 90.0 and (w, e) == (-180.0, 180.0)
    elif poles.dist[1] <= r < poles.dist[0]:
        assert n_parts == 1 and s == -90.0 and (w, e) == (-180.0, 180.0)
    if r >= oracle.half_meridian_m:
        assert g.equals(box(-180.0, -90.0, 180.0, 90.0))
    if centre == SARIWON and r == 15000 * KM:
        # Both poles: the globe with one hole around the antipode.
        assert isinstance(g, Polygon) and len(g.interiors) == 1
    if r == 1.0:
        # 1 m is about 9e-6 degrees: the polygon is tiny and contains its centre.
        assert e - w < 3e-5 and n - s < 3e-5
        here = oracle.inverse(*centre, np.array([centre[0]]), np.array([centre[1]]))
        assert oracle.covered(g, here).all()


def test_tiny_radius_contract_at_fine_tolerance(oracle: GeodesicOracle) -> None:
    """1 m at a 1 cm tolerance: the band is 1.02 m, so points 2.1 m out are judged."""
    lon, lat = 10.0, 10.0
    shape = range_area(LonLat(lon, lat), 1.0, tolerance_m=0.01)
    rng = np.random.default_rng(1)
    az = rng.uniform(0.0, 360.0, 2000)
    d = rng.choice([0.0, 2.1, 3.0, 10.0], 2000)
    plon, plat = oracle.forward(lon, lat, az, d)
    pts = oracle.inverse(lon, lat, plon, plat)
    want, _ = oracle.annular_sector_truth(pts, 0.0, 1.0, contract_band_m(0.01))
    got = oracle.covered(shape.geometry, pts)
    assert (got[d > 2.05] == want[d > 2.05]).all()
    assert got[d == 0.0].all()  # the centre is inside
    assert _vertex_errors_m(oracle, shape.geometry, (lon, lat), [1.0]) < VERTEX_TOL_M
    # pi r^2 = 3.1416 m²: the polygon is within perimeter * tolerance = 0.063 m² of it.
    assert abs(shape.area_m2 - math.pi) < 2 * math.pi * 0.01


@pytest.mark.parametrize(
    ("centre", "r", "tolerance_m"),
    [
        pytest.param(SARIWON, 15000 * KM, 2000.0, id="sariwon-15000km-tol-2km"),
        pytest.param(SARIWON, 16000 * KM, 5000.0, id="sariwon-16000km-tol-5km"),
        pytest.param(
            (-121.07397785953219, 42.57766555193268),
            15190957.467905466,
            1.0,
            id="random-15191km-tol-1m",
        ),
    ],
)
def test_no_zero_area_holes(
    oracle: GeodesicOracle, centre: tuple[float, float], r: float, tolerance_m: float
) -> None:
    """Regression (fixed after 8d3e6d6 by dropping zero-area holes in _polygonal): some
    disks enclosing both poles got a second, zero-area hole: four copies of the far
    boundary's start vertex (e.g. -54.24556, 6.69266 for Sariwon 15,000 km at a 2 km
    tolerance). shapely called it valid (the copies differ by 1e-14°), but rounded for
    GeoJSON the ring had "Too few points" and the polygon was invalid."""
    g = range_area(LonLat(*centre), r, tolerance_m=tolerance_m).geometry
    assert oracle.degenerate_rings(g) == 0
    assert isinstance(g, Polygon) and len(g.interiors) == 1


# ---- tolerance ----------------------------------------------------------------------------------


@given(centre=centres, r=radii.filter(lambda r: r < 19_999 * KM), tolerance_m=tolerances)
@example(centre=(0.0, 89.9999), r=120 * KM, tolerance_m=100.0)
@example(centre=DONE_CASE, r=13000 * KM, tolerance_m=DEFAULT_TOLERANCE_M)
@example(centre=SARIWON, r=19990 * KM, tolerance_m=10.0)
@example(centre=FIJI, r=3000 * KM, tolerance_m=0.5)
def test_edges_stay_within_tolerance(
    oracle: GeodesicOracle, centre: tuple[float, float], r: float, tolerance_m: float
) -> None:
    shape = range_area(LonLat(*centre), r, tolerance_m=tolerance_m)
    xy = oracle.edge_samples(shape.geometry, _seed(*centre, r, tolerance_m))
    if len(xy) == 0:
        return
    d = oracle.inverse(centre[0], centre[1], xy[:, 0], xy[:, 1]).dist
    worst = float(np.abs(d - r).max())
    assert worst <= tolerance_m * (1 + EDGE_SLACK_FRACTION) + EDGE_SLACK_M
    assert _vertex_errors_m(oracle, shape.geometry, centre, [r]) < VERTEX_TOL_M


def test_finer_tolerance_means_more_vertices() -> None:
    counts = [
        len(range_area(LonLat(*SARIWON), 2000 * KM, tolerance_m=t).geometry.exterior.coords)
        for t in (2000.0, 100.0, 1.0)
    ]
    assert counts[0] < counts[1] < counts[2]


# ---- areas --------------------------------------------------------------------------------------


@pytest.mark.slow
@given(centre=centres, r=radii.filter(lambda r: r < 20_003 * KM), tolerance_m=tolerances)
@example(centre=FIJI, r=3000 * KM, tolerance_m=100.0)
@example(centre=(0.0, 90.0), r=1000 * KM, tolerance_m=100.0)
@example(centre=(0.0, -90.0), r=5000 * KM, tolerance_m=100.0)
@example(centre=(0.0, 89.999), r=178 * KM, tolerance_m=100.0)
@example(centre=SINPO, r=6000 * KM, tolerance_m=100.0)  # one pole
@example(centre=(0.0, 0.0), r=10000 * KM, tolerance_m=100.0)  # about a hemisphere
@example(centre=SARIWON, r=15000 * KM, tolerance_m=100.0)  # > hemisphere, both poles
@example(centre=(0.0, 0.0), r=19950 * KM, tolerance_m=100.0)
@example(centre=SARIWON, r=19990 * KM, tolerance_m=100.0)
def test_area_matches_reference(
    oracle: GeodesicOracle, centre: tuple[float, float], r: float, tolerance_m: float
) -> None:
    """Shape.area_m2 (the true disk) and geodesic_area_m2 of the drawn polygon (within
    tolerance of the circle) both match the reference within perimeter * tolerance + 1 km²."""
    shape = range_area(LonLat(*centre), r, tolerance_m=tolerance_m)
    ref, perimeter = oracle.disk_area_m2(centre[0], centre[1], r)
    bound = perimeter * tolerance_m + KM2
    assert abs(shape.area_m2 - ref) <= bound
    assert abs(geodesic_area_m2(shape.geometry) - ref) <= bound


@pytest.mark.parametrize(
    ("centre", "r"),
    [
        pytest.param((0.0, 90.0), 1000 * KM, id="north-pole-centre-1000km"),
        pytest.param((0.0, -90.0), 5000 * KM, id="south-pole-centre-5000km"),
    ],
)
def test_area_of_disk_around_a_pole(
    oracle: GeodesicOracle, centre: tuple[float, float], r: float
) -> None:
    """Regression (fixed in 8d3e6d6): areas used to join vertices densified for straight
    lon/lat edges with geodesic edges, 4,942 km² short at 1000 km around the North Pole
    (bound 627 km²) and 72,650 km² short at 5000 km around the South Pole."""
    shape = range_area(LonLat(*centre), r)
    ref, perimeter = oracle.disk_area_m2(centre[0], centre[1], r)
    assert abs(shape.area_m2 - ref) <= perimeter * DEFAULT_TOLERANCE_M + KM2


def test_small_disk_area_is_pi_r_squared() -> None:
    # 10 km: curvature changes the area by < 0.1 m², the polygon by <= perimeter * 1 m.
    shape = range_area(LonLat(*SARIWON), 10 * KM, tolerance_m=1.0)
    assert abs(shape.area_m2 - math.pi * (10 * KM) ** 2) <= 2 * math.pi * 10 * KM * 1.0


def test_area_grows_past_a_hemisphere(oracle: GeodesicOracle) -> None:
    areas = [range_area(LonLat(*SARIWON), r * KM).area_m2 for r in (9000, 10000, 11000, 19990)]
    assert areas == sorted(areas)
    assert areas[2] > oracle.earth_area_m2 / 2
    # 20,100 km is the whole globe.
    whole = range_area(LonLat(*SARIWON), 20100 * KM).area_m2
    assert abs(whole - oracle.earth_area_m2) < KM2


def test_geodesic_area_of_a_split_polygon(oracle: GeodesicOracle) -> None:
    shape = range_area(LonLat(*FIJI), 3000 * KM)
    ref, perimeter = oracle.disk_area_m2(*FIJI, 3000 * KM)
    assert isinstance(shape.geometry, MultiPolygon)
    assert abs(geodesic_area_m2(shape.geometry) - ref) <= perimeter * DEFAULT_TOLERANCE_M + KM2


def test_geodesic_area_of_the_whole_globe(oracle: GeodesicOracle) -> None:
    """Regression (fixed in 8d3e6d6): geodesic_area_m2 of the whole globe box was 0, so
    every disk enclosing both poles came out negative."""
    assert abs(geodesic_area_m2(box(-180.0, -90.0, 180.0, 90.0)) - oracle.earth_area_m2) < KM2


def test_geodesic_area_beyond_a_hemisphere(oracle: GeodesicOracle) -> None:
    """Regression (fixed in 8d3e6d6): Sariwon 15,000 km (both poles) gave -74,994,609 km²."""
    shape = range_area(LonLat(*SARIWON), 15000 * KM)
    ref, perimeter = oracle.disk_area_m2(*SARIWON, 15000 * KM)
    assert abs(geodesic_area_m2(shape.geometry) - ref) <= perimeter * DEFAULT_TOLERANCE_M + KM2


# ---- ring lines ---------------------------------------------------------------------------------


@given(centre=centres, r=radii.filter(lambda r: r < 20_003 * KM))
@example(centre=FIJI, r=3000 * KM)
@example(centre=SINPO, r=6000 * KM)
@example(centre=SARIWON, r=15000 * KM)
@example(centre=SARIWON, r=19990 * KM)
@example(centre=(0.0, 90.0), r=1000 * KM)
def test_ring_line_on_circle_and_split_at_antimeridian(
    oracle: GeodesicOracle, centre: tuple[float, float], r: float
) -> None:
    line = range_ring(LonLat(*centre), r)
    parts = oracle.line_parts(line)
    assert parts and line.is_valid
    ends: list[float] = []
    for part in parts:
        xy = np.asarray(part.coords)
        assert part.length > 0
        assert (np.abs(xy[:, 0]) <= 180.0).all() and (np.abs(xy[:, 1]) <= 90.0).all()
        # No segment jumps across the antimeridian: the line is split there instead.
        assert (np.abs(np.diff(xy[:, 0])) <= 180.0).all()
        d = oracle.inverse(centre[0], centre[1], xy[:, 0], xy[:, 1]).dist
        assert np.abs(d - r).max() < VERTEX_TOL_M
        if not part.is_closed:
            ends += [xy[0, 0], xy[-1, 0]]
    # Open pieces start and end on the antimeridian.
    assert all(abs(x) == 180.0 for x in ends)


@pytest.mark.parametrize(
    ("centre", "r", "n_parts"),
    [
        pytest.param((0.0, 90.0), 1000 * KM, 1, id="north-pole-centre"),
        pytest.param((0.0, -90.0), 5000 * KM, 1, id="south-pole-centre"),
        pytest.param((180.0, 0.0), 2000 * KM, 2, id="centre-on-antimeridian"),
        pytest.param((-180.0, 7.18), 1000.0, 2, id="centre-on-minus-180"),
    ],
)
def test_ring_line_has_no_degenerate_parts(
    centre: tuple[float, float], r: float, n_parts: int
) -> None:
    """Regression (fixed in 8d3e6d6): a vertex exactly on the antimeridian used to add
    zero-length parts (two equal points), invalid for shapely ("Too few points")."""
    line = range_ring(LonLat(*centre), r)
    assert line.is_valid
    parts = list(getattr(line, "geoms", [line]))
    assert all(p.length > 0 for p in parts)
    assert len(parts) == n_parts


def test_ring_line_longitudes_within_180() -> None:
    """Regression (fixed in 8d3e6d6): a 1.65 m ring centred on the antimeridian had
    vertices at lon -180.00000000000003, just outside [-180, 180]."""
    line = range_ring(LonLat(180.0, 48.590377890729144), math.exp(0.5))
    for part in getattr(line, "geoms", [line]):
        assert all(-180.0 <= x <= 180.0 for x, _ in part.coords)


def test_ring_line_pieces() -> None:
    fiji = range_ring(LonLat(*FIJI), 3000 * KM)
    assert isinstance(fiji, MultiLineString) and len(fiji.geoms) == 2
    assert isinstance(range_ring(LonLat(*SARIWON), 2000 * KM), LineString)
    # Around one pole: one open line from +180 to -180 (or back).
    sinpo = range_ring(LonLat(*SINPO), 6000 * KM)
    assert isinstance(sinpo, LineString) and not sinpo.is_closed
    assert {sinpo.coords[0][0], sinpo.coords[-1][0]} == {180.0, -180.0}
    assert range_ring(LonLat(*SARIWON), 20100 * KM).is_empty


# ---- annulus ------------------------------------------------------------------------------------


@pytest.mark.slow
@given(centre=centres, r=radii.filter(lambda r: r > 2.0), fraction=st.floats(0.05, 0.95))
@example(centre=FIJI, r=3000 * KM, fraction=1 / 3)
@example(centre=SINPO, r=7000 * KM, fraction=5 / 7)  # the ring of the north pole
@example(centre=SARIWON, r=20100 * KM, fraction=0.5)  # globe minus a disk
@example(centre=(0.0, 90.0), r=2000 * KM, fraction=0.5)
def test_annulus_contract(
    oracle: GeodesicOracle, centre: tuple[float, float], r: float, fraction: float
) -> None:
    min_r = r * fraction
    shape = annulus(LonLat(*centre), min_r, r)
    _contract(oracle, shape, centre, r, DEFAULT_TOLERANCE_M, min_r=min_r)
    radii_m = [min_r] if r >= oracle.half_meridian_m else [min_r, r]
    assert _vertex_errors_m(oracle, shape.geometry, centre, radii_m) < VERTEX_TOL_M
    ref_o, per_o = oracle.disk_area_m2(centre[0], centre[1], r)
    ref_i, per_i = oracle.disk_area_m2(centre[0], centre[1], min_r)
    bound = (per_o + per_i) * DEFAULT_TOLERANCE_M + KM2
    assert abs(shape.area_m2 - (ref_o - ref_i)) <= bound


# ---- sectors and impact areas -------------------------------------------------------------------


@given(
    centre=centres,
    r=sector_radii,
    fraction=st.one_of(st.just(0.0), st.floats(0.0, 0.98)),
    a0=st.floats(-720.0, 720.0),
    sweep=st.floats(0.5, 359.5),
)
@example(centre=SARIWON, r=1000 * KM, fraction=0.8, a0=60.0, sweep=60.0)
@example(centre=FIJI, r=3000 * KM, fraction=0.0, a0=45.0, sweep=90.0)  # crosses 180°
@example(centre=SINPO, r=6000 * KM, fraction=0.0, a0=300.0, sweep=120.0)  # fan over the pole
@example(centre=(0.0, 90.0), r=2000 * KM, fraction=0.5, a0=10.0, sweep=30.0)
@example(centre=(0.0, -90.0), r=2000 * KM, fraction=0.0, a0=350.0, sweep=20.0)
@example(centre=(180.0, 0.0), r=19_000 * KM, fraction=0.9, a0=80.0, sweep=20.0)
@example(centre=SINPO, r=6000 * KM, fraction=5 / 6, a0=200.0, sweep=320.0)  # pole, wide
@example(centre=SINPO, r=6000 * KM, fraction=0.0, a0=100.0, sweep=350.0)
# Regression: a radial edge through a pole (Sinpo's 180° meridian reaches the South Pole at
# 14,4xx km) gave most of the globe for 90..180 and 180..270.
@example(centre=SINPO, r=15_000 * KM, fraction=0.0, a0=90.0, sweep=90.0)
@example(centre=SINPO, r=15_000 * KM, fraction=0.5, a0=180.0, sweep=90.0)
@example(centre=(10.0, -60.0), r=15_000 * KM, fraction=0.0, a0=0.0, sweep=90.0)
@example(centre=(10.0, -60.0), r=15_000 * KM, fraction=0.0, a0=270.0, sweep=90.0)
def test_impact_area_contract(
    oracle: GeodesicOracle,
    centre: tuple[float, float],
    r: float,
    fraction: float,
    a0: float,
    sweep: float,
) -> None:
    """Membership by Geod.inv distance and azimuth; vertices on the arcs or radials."""
    min_r = r * fraction
    bearings = (a0, a0 + sweep)
    shape = impact_area(LonLat(*centre), min_r, r, *bearings)
    _contract(oracle, shape, centre, r, DEFAULT_TOLERANCE_M, min_r=min_r, bearings=bearings)
    radii_m = [r] if min_r == 0 else [min_r, r]
    xy = oracle.boundary_vertices(shape.geometry)
    pts = oracle.inverse(centre[0], centre[1], xy[:, 0], xy[:, 1])
    on_arc = np.min([np.abs(pts.dist - x) for x in radii_m], axis=0) < VERTEX_TOL_M
    # On a radial edge: lateral offset (spherical estimate R sin(d/R) |daz|) under 1 mm.
    daz = np.min([np.abs((pts.az - a + 180.0) % 360.0 - 180.0) for a in bearings], axis=0)
    lateral_m = SPHERE_R_M * np.abs(np.sin(pts.dist / SPHERE_R_M)) * np.radians(daz)
    on_radial = lateral_m < VERTEX_TOL_M
    at_centre = pts.dist < VERTEX_TOL_M
    assert (on_arc | on_radial | at_centre).all()
    ref, perimeter = oracle.annular_sector_area_m2(centre[0], centre[1], min_r, r, *bearings)
    assert abs(shape.area_m2 - ref) <= perimeter * DEFAULT_TOLERANCE_M + KM2


@pytest.mark.parametrize(
    ("min_r", "a0", "a1"),
    [
        pytest.param(5000 * KM, 200.0, 160.0, id="annular-sector-5000-6000km-200..160"),
        pytest.param(0.0, 100.0, 90.0, id="fan-6000km-100..90"),
    ],
)
def test_impact_area_around_a_pole_with_wide_sweep(
    oracle: GeodesicOracle, min_r: float, a0: float, a1: float
) -> None:
    """Regression (fixed in 8d3e6d6): an annular sector from Sinpo (North Pole at 5,568 km,
    azimuth 0°) containing the pole and sweeping more than 180° covered points it must not:
    for 5000-6000 km, 200..160 the point 77.457N 178.357W (4,832 km from Sinpo)."""
    shape = impact_area(LonLat(*SINPO), min_r, 6000 * KM, a0, a1)
    _contract(oracle, shape, SINPO, 6000 * KM, DEFAULT_TOLERANCE_M, min_r=min_r, bearings=(a0, a1))


@pytest.mark.parametrize("pole_lat", [90.0, -90.0])
def test_vanishing_inner_radius_at_a_pole(oracle: GeodesicOracle, pole_lat: float) -> None:
    """Regression: from a pole, an inner radius of 1e-40 m (anything up to ~1e-12 m) gave
    126,807,981 km² (North Pole) or 708,424 km² (South Pole) for a 20 m, 1° sector whose
    true area is 3.5 m²; radii under 1 mm are now the centre itself.

    (Near a pole the apex edges of the lon/lat polygon sweep across longitudes within a
    few metres of the pole: harmless, within the tolerance, so not checked here.)"""
    shape = impact_area(LonLat(0.0, pole_lat), 1e-40, 20.0, 0.0, 1.0)
    ref, perimeter = oracle.annular_sector_area_m2(0.0, pole_lat, 0.0, 20.0, 0.0, 1.0)
    assert abs(shape.area_m2 - ref) <= perimeter * DEFAULT_TOLERANCE_M + KM2


def test_sector_is_impact_area_from_zero() -> None:
    a = sector(LonLat(*SARIWON), 800 * KM, 60.0, 120.0)
    b = impact_area(LonLat(*SARIWON), 0.0, 800 * KM, 60.0, 120.0)
    assert a.geometry.equals(b.geometry) and a.area_m2 == b.area_m2


def test_full_sweep_is_the_annulus() -> None:
    a = impact_area(LonLat(*SARIWON), 500 * KM, 800 * KM, 30.0, 30.0)
    b = annulus(LonLat(*SARIWON), 500 * KM, 800 * KM)
    assert a.geometry.equals(b.geometry)


def test_sector_bearings_are_clockwise_from_north(oracle: GeodesicOracle) -> None:
    """60..120 is the east-facing fan, 120..60 everything but it."""
    east = sector(LonLat(*SARIWON), 500 * KM, 60.0, 120.0).geometry
    rest = sector(LonLat(*SARIWON), 500 * KM, 120.0, 60.0).geometry
    lon, lat = oracle.forward(*SARIWON, np.array([90.0, 270.0, 0.0]), np.full(3, 300 * KM))
    pts = oracle.inverse(*SARIWON, lon, lat)
    assert list(oracle.covered(east, pts)) == [True, False, False]
    assert list(oracle.covered(rest, pts)) == [False, True, True]


# ---- bad inputs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: range_area(LonLat(0, 0), -1.0), "range -1.0 m must be a finite, non-negative"),
        (lambda: range_area(LonLat(0, 0), math.nan), "range nan m must be a finite"),
        (lambda: range_area(LonLat(0, 0), math.inf), "range inf m must be a finite"),
        (
            lambda: range_area(LonLat(0, 0), 1000.0, tolerance_m=0.001),
            "tolerance 0.001 m is too small: use at least 0.01 m",
        ),
        (
            lambda: range_area(LonLat(0, 0), 1000.0, tolerance_m=math.nan),
            "tolerance nan m is too small",
        ),
        (
            lambda: annulus(LonLat(0, 0), 500 * KM, 400 * KM),
            "minimum range 500 km exceeds maximum range 400 km",
        ),
        (lambda: annulus(LonLat(0, 0), -5.0, 400 * KM), "minimum range -5.0 m must be"),
        (
            lambda: impact_area(LonLat(0, 0), 0.0, 400 * KM, math.nan, 10.0),
            "bearing nan is not a finite number",
        ),
        (
            lambda: impact_area(LonLat(0, 0), 600 * KM, 400 * KM, 0.0, 10.0),
            "minimum range 600 km exceeds maximum range 400 km",
        ),
        (
            lambda: sector(LonLat(0, 0), 19_950 * KM, 0.0, 10.0),
            "sectors are limited to 19,900 km, this one reaches 19,950 km",
        ),
    ],
)
def test_bad_inputs_raise_input_errors(call: object, message: str) -> None:
    with pytest.raises(InputError) as info:
        call()  # type: ignore[operator]
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_zero_range_is_empty() -> None:
    shape = range_area(LonLat(*SARIWON), 0.0)
    assert shape.geometry.is_empty and shape.area_m2 == 0.0
