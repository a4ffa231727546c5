"""Issue 12: seaward margins, one own-land status, several countries, ``--eez default``,
mixed batches with bad rows, CSV formula cells, and the vectorised nearest-boundary engine.

Distances are checked against the brute-force ``Geod.inv`` oracle of ``conftest`` (the
engine within 0.1 km) or against the single check the batch row must equal.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from conftest import ZoneOracle, seamless_boundary_distance_km
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from geo.access.zones import Zones
from geo.cli import main
from geo.core.margins import nearest_many, segment_set
from geo.core.types import LonLat
from geo.core.verdicts import point_verdict

ENGINE_TOL_KM = 0.1
GAP_DEG2 = 0.02
OKINOTORISHIMA_SEA = LonLat(136.1, 20.5)  # 8 km from the islet, in open ocean
TOKYO = LonLat(139.7671, 35.6812)
YONAGUNI = LonLat(123.0, 24.45)  # on the island, which the official polygon does not cut out


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RANGEZONE_DATA_DIR", str(tmp_path / "rangezone-data"))


@pytest.fixture(params=["modelled", "official"])
def eez_arg(request: pytest.FixtureRequest) -> str:
    if request.param == "modelled":
        return "default"
    path: Path = request.getfixturevalue("official_eez_path")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


# ---------------------------------------------------------------------------- margins, land


def test_oga_impact_margin_is_seaward_with_either_dataset(
    capsys: pytest.CaptureFixture[str], eez_arg: str
) -> None:
    """30 km W of the Oga Peninsula: ~300 km from where Japan's side ends at sea, 23 km from
    its coast (the old margin)."""
    d = run_json(
        capsys, "--from", "Oga Peninsula", "--distance", "30km", "--bearing", "W",
        "--country", "Japan", "--eez", eez_arg,
    )  # fmt: skip
    v = d["verdict"]
    assert v["status"] == "inside"
    assert 250.0 < v["margin_km"] < 400.0
    assert 15.0 < v["coast_km"] < 35.0


def test_okinotorishima_margin_is_seaward_with_either_dataset(
    capsys: pytest.CaptureFixture[str], eez_arg: str
) -> None:
    at = f"{OKINOTORISHIMA_SEA.lat_deg},{OKINOTORISHIMA_SEA.lon_deg}"
    v = run_json(capsys, "--at", at, "--country", "Japan", "--eez", eez_arg)["verdict"]
    assert v["status"] == "inside"
    assert 300.0 < v["margin_km"] < 400.0  # the 200 NM circle around the islet: 370 km - 8
    assert v["coast_km"] < 15.0


@pytest.mark.parametrize("place", [TOKYO, YONAGUNI], ids=["Tokyo", "Yonaguni"])
def test_own_land_is_one_status_whatever_the_dataset(
    capsys: pytest.CaptureFixture[str], eez_arg: str, place: LonLat
) -> None:
    at = f"{place.lat_deg},{place.lon_deg}"
    d = run_json(capsys, "--at", at, "--country", "Japan", "--eez", eez_arg)
    assert d["on_land"]["country"] == "Japan"
    v = d["verdict"]
    assert (v["status"], v["p_inside"]) == ("on_own_land", 1.0)
    assert v["margin_km"] > 40.0  # Japan's side goes on beyond the coast
    assert v["coast_km"] < v["margin_km"]


def test_margins_against_the_oracle_for_the_side(
    eez_v10: Zones, land_layer: Zones, zone_oracle: ZoneOracle
) -> None:
    """Inside: to the nearest point on neither Japan's zones nor its land; outside: to them."""
    [jl] = [k for k, z in enumerate(land_layer.zones) if z.name == "Japan"]
    side = _fill(shapely.union(zone_oracle.country_union("JPN"), land_layer.geoms[jl]))
    for p in (LonLat(135.5, 38.0), TOKYO, LonLat(165.0, 30.0), LonLat(127.5, 37.5)):
        v = point_verdict(eez_v10, p, country="Japan", land=land_layer).verdict
        assert v is not None
        want = zone_oracle.boundary_distance_km(p.lon_deg, p.lat_deg, side)
        assert v.margin_km == pytest.approx(want, abs=0.5)


def _fill(geom: BaseGeometry) -> BaseGeometry:
    parts = [
        Polygon(p.exterior, [r for r in p.interiors if Polygon(r).area >= GAP_DEG2])
        for p in getattr(geom, "geoms", [geom])
    ]
    return shapely.union_all(parts)


def test_engine_matches_brute_force_geod_inv(zone_oracle: ZoneOracle) -> None:
    """nearest_many on random points of the benchmark's box against a brute-force minimum
    over the boundary cut to 0.001°."""
    geom = zone_oracle.country_union("JPN")
    rng = np.random.default_rng(12)
    lons, lats = rng.uniform(115, 160, 25), rng.uniform(20, 55, 25)
    # plus points right by the boundary, where segments compete, and far ones (up to the
    # antipode's side), where ranking by chord needs its widest allowance
    bx = shapely.get_coordinates(geom.boundary)[::500][:10]
    far_lon = np.array([-60.0, 10.0, -120.0, 30.0, -170.0, 80.0])
    far_lat = np.array([-30.0, 50.0, 35.0, -60.0, -10.0, 75.0])
    lons = np.r_[lons, bx[:, 0] + 0.01, far_lon]
    lats = np.r_[lats, bx[:, 1] - 0.01, far_lat]
    got, _, _ = nearest_many(lons, lats, segment_set([geom]))
    for lon, lat, d in zip(lons, lats, got, strict=True):
        want = zone_oracle.boundary_distance_km(float(lon), float(lat), geom)
        assert d / 1000 == pytest.approx(want, abs=ENGINE_TOL_KM)


# ---------------------------------------------------------------------------- countries


def test_several_countries_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("--at", "24.2,123.2", "--country", "Japan", "--country", "Taiwan")
    d = run_json(capsys, *args)
    assert [v["country"] for v in d["verdicts"]] == ["Japan", "Taiwan"]
    assert d["verdict"] == d["verdicts"][0]
    swapped = run_json(capsys, "--at", "24.2,123.2", "--country", "TW", "--country", "JP")
    assert [v["country"] for v in swapped["verdicts"]] == ["Taiwan", "Japan"]
    assert swapped["verdicts"][1] == d["verdicts"][0]
    code, out, _ = run(capsys, *args)
    assert code == 0
    lines = out.splitlines()
    assert sum(ln.startswith(("Japan: ", "Taiwan: ")) for ln in lines) == 2
    # one verdict per country however it is named
    same = run_json(capsys, "--at", "24.2,123.2", "--country", "Japan", "--country", "JPN")
    assert [v["country"] for v in same["verdicts"]] == ["Japan"]
    # no country: an empty list, no "verdict"
    none = run_json(capsys, "--at", "24.2,123.2")
    assert none["verdicts"] == [] and "verdict" not in none


def test_area_check_for_several_countries(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("--site", "Sariwon", "--range", "600km", "--country", "Japan", "--country", "ROK")
    d = run_json(capsys, *args)
    assert [v["country"] for v in d["verdicts"]] == ["Japan", "South Korea"]
    assert d["verdict"] == d["verdicts"][0]
    assert [v["reaches"] for v in d["verdicts"]] == [True, True]


def test_eez_default_names_the_shipped_layer(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path
) -> None:
    assert main(["eez", "import", str(official_eez_path), "--name", "v10"]) == 0
    capsys.readouterr()
    active = run_json(capsys, "--at", "38,135.5")["dataset"]
    shipped = run_json(capsys, "--at", "38,135.5", "--eez", "default")["dataset"]
    assert active["kind"] == "official"
    assert (shipped["kind"], shipped["name"]) == ("modelled", "rangezone modelled EEZ")


# ---------------------------------------------------------------------------- batches

MIXED = (
    "id,lat,lon,from,distance,bearing,distance_uncertainty,site,range,sector,note\n"
    "sea,38.0,135.5,,,,,,,,plain point\n"
    'yonaguni,,,"24.45,123.0",80km,N,,,,,"=HYPERLINK(""http://x"")"\n'
    "bad,,,Oshima-Oshima,250 parsecs,W,,,,,unit\n"
    "area,,,,,,,Sariwon,400km,,range area\n"
    "west,-45.5,-30.25,,,,,,,,-negative\n"
    "sector,,,,,,,Sinpo,1000km,90..180,impact area\n"
    "impact,,,Noto Peninsula,200km,NNW,20%,,,,@user\n"
)


def test_mixed_batch_writes_every_good_row_and_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    src = tmp_path / "mixed.csv"
    src.write_text(MIXED, encoding="utf-8")
    code, out, err = run(capsys, "--csv", str(src), "--country", "Japan")
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("rangezone: error: 1 of 7 rows failed")
    assert "line 4: " in err and "parsecs" in err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["sea", "yonaguni", "bad", "area", "west", "sector", "impact"]
    assert [r["kind"] for r in rows] == [
        "point", "impact", "impact", "area", "point", "area", "impact",
    ]  # fmt: skip
    bad = rows[2]
    assert bad["error"] and bad["status"] == "" and bad["margin_km"] == ""
    assert all(r["error"] == "" and r["status"] for r in rows if r["id"] != "bad")
    # each row equals the single check of the same request
    singles = {
        "sea": ("--at", "38.0,135.5"),
        "yonaguni": ("--from", "24.45,123.0", "--distance", "80km", "--bearing", "N"),
        "impact": (
            "--from", "Noto Peninsula", "--distance", "200km", "--bearing", "NNW",
            "--distance-uncertainty", "20%",
        ),
        "area": ("--site", "Sariwon", "--range", "400km"),
        "sector": ("--site", "Sinpo", "--range", "1000km", "--sector", "90..180"),
    }  # fmt: skip
    by_id = {r["id"]: r for r in rows}
    for rid, args in singles.items():
        v = run_json(capsys, *args, "--country", "Japan")["verdict"]
        row = by_id[rid]
        assert row["status"] == v["status"], rid
        if v["margin_km"] is None:
            assert row["margin_km"] == ""
        else:
            assert float(row["margin_km"]) == pytest.approx(v["margin_km"], abs=1e-3)
        if v["p_inside"] is not None:
            assert float(row["p_inside"]) == pytest.approx(v["p_inside"], abs=1e-4)
    # formula cells neutralised in CSV, numbers left alone
    assert by_id["yonaguni"]["input_note"] == '\'=HYPERLINK("http://x")'
    assert by_id["impact"]["input_note"] == "'@user"
    assert by_id["west"]["input_note"] == "'-negative"
    assert (by_id["west"]["lat"], by_id["west"]["lon"]) == ("-45.5", "-30.25")


def test_batch_json_keeps_cells_verbatim(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    src = tmp_path / "mixed.csv"
    src.write_text(MIXED, encoding="utf-8")
    code, out, _ = run(capsys, "--csv", str(src), "--json")
    assert code == 2
    rows = json.loads(out)
    assert rows[1]["input_note"] == '=HYPERLINK("http://x")'
    assert rows[4]["lon"] == -30.25
    assert rows[2]["margin_km"] is None and rows[2]["error"]


def test_several_countries_in_a_batch_give_one_row_each(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    src = tmp_path / "p.csv"
    src.write_text("id,lat,lon\na,24.2,123.2\nb,38,135.5\n", encoding="utf-8")
    code, out, _ = run(capsys, "--csv", str(src), "--country", "Japan", "--country", "Taiwan")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["country"]) for r in rows] == [
        ("a", "Japan"), ("a", "Taiwan"), ("b", "Japan"), ("b", "Taiwan"),
    ]  # fmt: skip


def test_batch_rows_stream(monkeypatch: pytest.MonkeyPatch, eez_modelled: Zones) -> None:
    """Output comes out a chunk at a time: the first rows before the input is read through."""
    from geo.access.pointfile import CheckRow
    from geo.briefing import checks

    monkeypatch.setattr(checks, "CHUNK_ROWS", 2)
    read = []

    def rows() -> Iterator[CheckRow]:
        for k in range(10):
            read.append(k)
            yield CheckRow(k + 2, k + 1, {"lat": "38", "lon": str(130 + k)}, ())

    out = checks.batch_rows(rows(), checks.CheckContext(eez_modelled, None), checks.BatchTally())
    first = next(out)
    assert first[0] == "1" and len(read) <= 3
    assert len(list(out)) == 9


def test_scenario_eez_default_is_the_shipped_layer(tmp_path: Path) -> None:
    from geo.briefing.scenario import load_scenario, scenario_zones

    src = Path(__file__).resolve().parents[1] / "maps" / "2022-08-04-china-taiwan.yaml"
    text = "\n".join(
        ln for ln in src.read_text(encoding="utf-8").splitlines() if not ln.startswith("eez:")
    )
    path = tmp_path / "s.yaml"
    path.write_text(text + "\neez: default\n", encoding="utf-8")
    (tmp_path / "default").write_text("not a zone file", encoding="utf-8")  # not this file
    sc = load_scenario(path)
    assert sc.eez == "default"
    zones = scenario_zones(sc)
    assert (zones.info.kind, zones.info.name) == ("modelled", "rangezone modelled EEZ")


def test_one_point_to_every_zone_matches_brute_force(
    eez_v10: Zones, zone_oracle: ZoneOracle
) -> None:
    """nearest_per_group (area checks measure the launch point to every zone this way)
    against the brute-force oracle, zone by zone."""
    from geo.core.margins import nearest_per_group
    from geo.core.verdicts import zone_distances

    names = [z.name for z in eez_v10.zones]
    for lon, lat in ((125.75, 39.0), (150.0, 30.0)):
        got, _, _ = nearest_per_group(lon, lat, segment_set(eez_v10.geoms))
        pruned = zone_distances(eez_v10, LonLat(lon, lat), range(len(names)))  # pruned first
        for i, (name, d) in enumerate(zip(names, got, strict=True)):
            want = zone_oracle.boundary_distance_km(lon, lat, zone_oracle.geom(name))
            assert d / 1000 == pytest.approx(want, abs=ENGINE_TOL_KM), name
            assert pruned[i] / 1000 == pytest.approx(want, abs=ENGINE_TOL_KM), name


def test_pruning_keeps_the_nearest_point(eez_modelled: Zones) -> None:
    """pruned_segment_set (one point: only boundary runs that can hold the nearest point are
    cut into segments) gives the very distances and points of the full segment set, for
    points near and far, by the antimeridian and the poles, and for subsets of zones."""
    from geo.core.margins import nearest_per_group, pruned_segment_set

    geoms = eez_modelled.geoms
    rng = np.random.default_rng(7)
    edge = shapely.get_coordinates(shapely.boundary(geoms[50]))[::97][:5]
    points = [
        (125.70926, 39.20299), (139.7, 35.7), (122.9, 24.4), (179.95, 52.0), (-179.95, -15.0),
        (0.0, 89.99), (0.0, -89.99), (-30.0, 0.0), *((x + 0.01, y - 0.01) for x, y in edge),
        *zip(rng.uniform(-180, 180, 16), rng.uniform(-90, 90, 16), strict=True),
    ]  # fmt: skip
    full = segment_set(geoms)
    for lon, lat in points:
        want = nearest_per_group(lon, lat, full)
        pruned = pruned_segment_set(lon, lat, geoms)
        assert pruned.size < full.size / 3, (lon, lat)  # it prunes
        got = nearest_per_group(lon, lat, pruned)
        for w, g in zip(want, got, strict=True):
            np.testing.assert_array_equal(g, w)
        subset = [geoms[i] for i in rng.choice(len(geoms), 12, replace=False)]
        want = nearest_per_group(lon, lat, segment_set(subset))
        got = nearest_per_group(lon, lat, pruned_segment_set(lon, lat, subset))
        for w, g in zip(want, got, strict=True):
            np.testing.assert_array_equal(g, w)


def test_pruning_boxes_hold_zones_written_past_180() -> None:
    """Regression: the earth-centred box of a lon/lat box took cos/sin turning points only in
    [-180, 180], so a ring written past 180° (270° for 90° W) had its vertex at 270° outside
    its own box; the one-point pruning then dropped the zone and its distance came out inf."""
    from geo.core.margins import nearest_per_group, pruned_segment_set

    zone = Polygon([(270.0, 0.0), (280.0, 5.0), (200.0, 5.0), (270.0, 0.0)])
    for lon, lat in ((-90.0, -0.1), (270.0, -0.1), (-150.0, -2.0)):
        want = nearest_per_group(lon, lat, segment_set([zone]))
        got = nearest_per_group(lon, lat, pruned_segment_set(lon, lat, [zone]))
        assert np.isfinite(want[0][0])
        for w, g in zip(want, got, strict=True):
            np.testing.assert_array_equal(g, w)


def test_pruned_distances_match_brute_force_on_awkward_zones() -> None:
    """The one-point path (pruned_segment_set, then the chord and Andoyer-Lambert ranking)
    against Geod.inv to every vertex, 0.1 km: zones on both sides of 180°, polar caps, a zone
    larger than a hemisphere, a sliver at the South Pole; points near the poles, on 180° and
    near the antipodes of the zones."""
    from shapely.geometry import box

    from geo.core.margins import nearest_per_group, pruned_segment_set

    zones = [
        box(170, -20, 180, -10),
        box(-180, -20, -170, -10),
        Polygon([(-180, -90), (180, -90), (180, -60), (-180, -60)]),
        Polygon([(-180, 70), (180, 70), (180, 90), (-180, 90)]),
        box(-180, -50, 180, 60),
        Polygon([(10, -89), (100, -89.5), (-150, -88), (10, -89)]),
        box(-62, -42, -58, -38),
    ]
    points = [
        (179.99, -40.98), (-180.0, -16.99), (-174.05, -89.07), (103.36, 86.2), (0.0, 89.999),
        (-178.37, 0.64), (-142.02, 14.96), (120.0, 40.0), (118.0, 39.0), (-0.04, -88.1),
    ]  # fmt: skip
    for lon, lat in points:
        got = nearest_per_group(lon, lat, pruned_segment_set(lon, lat, zones))[0]
        for i, zone in enumerate(zones):
            want = seamless_boundary_distance_km(lon, lat, zone) * 1000.0
            assert abs(got[i] - want) <= 100.0, (lon, lat, i, got[i], want)


def test_nearest_of_far_small_islands_is_measured() -> None:
    """Regression: the midpoint filter kept only segments within 2 h (h: the longest segment's
    half chord) of the nearest midpoint, tighter than the chord slack the exact step allows:
    for a zone of small islands (short segments) thousands of km away only the chord-nearest
    island was measured, and the distance came out up to 4 km long. One point (pruned, as
    zone_distances) and many points (nearest_many) against Geod.inv to every vertex, 0.1 km."""
    from pyproj import Geod
    from shapely.geometry import MultiPolygon

    from geo.core.margins import nearest_per_group, pruned_segment_set

    geod = Geod(ellps="WGS84")
    rng = np.random.default_rng(12)
    az = np.linspace(0.0, 360.0, 400, endpoint=False)
    for _ in range(12):
        lon, lat = rng.uniform(-180, 180), rng.uniform(-70, 70)
        # 25 islands of 5 km radius, 4,000 to 12,000 km away in all directions, within 8 km
        # of one another's distance: chord and geodesic rank them differently
        far = rng.uniform(4e6, 12e6) + rng.uniform(0, 8000, 25)
        cx, cy, _ = geod.fwd(np.full(25, lon), np.full(25, lat), rng.uniform(0, 360, 25), far)
        islands = []
        for x, y in zip(cx, cy, strict=True):
            if abs(x) < 175 and abs(y) < 85:
                ix, iy, _ = geod.fwd(np.full(400, x), np.full(400, y), az, np.full(400, 5e3))
                islands.append(Polygon(zip(ix, iy, strict=True)))
        zone = MultiPolygon(islands)
        xy = shapely.get_coordinates(zone.boundary)
        n = len(xy)
        want = float(np.min(geod.inv(np.full(n, lon), np.full(n, lat), xy[:, 0], xy[:, 1])[2]))
        one = nearest_per_group(lon, lat, pruned_segment_set(lon, lat, [zone]))[0][0]
        many = nearest_many([lon], [lat], segment_set([zone]))[0][0]
        assert abs(one - want) <= 100.0, (lon, lat, one, want)
        assert abs(many - want) <= 100.0, (lon, lat, many, want)


def test_andoyer_lambert_spread_is_within_its_slack() -> None:
    """_exact_best measures exactly only the candidates within _andoyer_slack_m of the best
    Andoyer-Lambert distance; that is sound if, at every distance, the formula's error
    against GeographicLib spreads less than the slack. Fresh random pairs (other seeds than
    the measurement's): uniform, near the equator, and within 25° of antipodal, where the
    error is largest."""
    from pyproj import Geod

    from geo.core.margins import _AL_MAX_M, _andoyer_lambert, _andoyer_slack_m

    geod = Geod(ellps="WGS84")
    rng = np.random.default_rng(2026)
    n = 150_000
    lat1 = np.r_[np.degrees(np.arcsin(rng.uniform(-1, 1, 2 * n))), rng.uniform(-3, 3, n)]
    lon1 = rng.uniform(-180, 180, 3 * n)
    lat2 = np.r_[
        np.degrees(np.arcsin(rng.uniform(-1, 1, n))),
        np.clip(-lat1[n : 2 * n] + rng.uniform(-25, 25, n), -90, 90),
        rng.uniform(-3, 3, n),
    ]
    lon2 = np.r_[rng.uniform(-180, 180, n), lon1[n:] + 180 + rng.uniform(-25, 25, 2 * n)]
    lon2 = (lon2 + 180.0) % 360.0 - 180.0
    _, _, exact = geod.inv(lon1, lat1, lon2, lat2)
    approx = _andoyer_lambert(lon1, lat1, lon2, lat2)
    err = approx - exact
    usable = np.isfinite(approx)
    # what is left out (arcs over 170°) is never nearer than the best the formula may judge
    assert usable.mean() > 0.7 and (exact[~usable] > _AL_MAX_M + 1_000_000.0).all()
    for lo in np.arange(0.0, _AL_MAX_M + 1_000_000.0, 500_000.0):
        band = usable & (exact >= lo) & (exact < lo + 500_000.0)
        assert band.sum() > 100, lo
        spread = err[band].max() - err[band].min()
        # the slack is applied from a best at most 1,000 km nearer
        assert spread <= _andoyer_slack_m(np.array([max(lo - 1_000_000.0, 0.0)]))[0], lo


def test_andoyer_ranking_measures_the_same_nearest_points(
    eez_modelled: Zones, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ranking chord candidates by Andoyer-Lambert before measuring them exactly gives the
    very distances and points of measuring every chord candidate, for points near and far
    from Japan's side (far ones, towards its antipode, are where it saves most)."""
    from geo.core import margins
    from geo.core.sides import country_side

    side = country_side(eez_modelled, "Japan", None)
    rng = np.random.default_rng(3)
    lons = np.r_[rng.uniform(120, 160, 300), rng.uniform(-60, 20, 300), rng.uniform(-180, 180, 300)]
    lats = np.r_[rng.uniform(20, 50, 300), rng.uniform(-50, 40, 300), rng.uniform(-80, 80, 300)]
    got = margins.nearest_many(lons, lats, side.edge)
    one = [
        margins.nearest_per_group(x, y, side.edge)
        for x, y in zip(lons[::30], lats[::30], strict=True)
    ]
    monkeypatch.setattr(margins, "_andoyer_slack_m", lambda best: np.full(best.shape, np.inf))
    want = margins.nearest_many(lons, lats, side.edge)
    for g_many, w_many in zip(got, want, strict=True):
        np.testing.assert_array_equal(g_many, w_many)
    for (x, y), g_one in zip(zip(lons[::30], lats[::30], strict=True), one, strict=True):
        for a, b in zip(g_one, margins.nearest_per_group(x, y, side.edge), strict=True):
            np.testing.assert_array_equal(a, b)
