"""``rangezone check``: JSON field by field, text output, the four modes, batches, errors.

Run through ``geo.cli.main`` with an empty per-user data directory, so the default dataset
is the embedded modelled pack; ``--eez`` gives the official Marine Regions v10 test polygons.
Numbers are checked against the independent ``zone_oracle`` (brute-force ``Geod.inv``
distances, ±0.5 km; 20,000-draw Monte Carlo for ``p_inside``, ±0.03) or against the library
call the command wraps (identical after a JSON round trip).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import shapely
from conftest import ZoneOracle
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from geo.access.gazetteer import lookup_place
from geo.access.zones import Zones
from geo.cli import main
from geo.core.types import LonLat
from geo.core.verdicts import point_verdict

DIST_TOL_KM = 0.5
P_TOL = 0.03
JAPAN_EEZ = "Japanese Exclusive Economic Zone"
LIANCOURT_CLAIM = "Overlapping claim Liancourt Rocks: Japan / South Korea"
KOREA_EEZ = "South Korean Exclusive Economic Zone"
BATCH_COLUMNS = [
    "id",
    "line",
    "kind",
    "leg",
    "lat",
    "lon",
    "zone",
    "territory",
    "sovereign",
    "pol_type",
    "all_zones",
    "on_land",
    "country",
    "status",
    "margin_km",
    "coast_km",
    "p_inside",
    "note",
    "area_km2",
    "overlap_km2",
    "nearest_km",
    "dataset",
    "dataset_kind",
    "error",
]
BATCH_COLUMNS_WITHOUT_COUNTRY = BATCH_COLUMNS  # the same columns, country fields empty
GAP_DEG2 = 0.02  # docs/verdicts.md: enclosed gaps smaller than this are the country's side


def fill_holes(geom: BaseGeometry) -> BaseGeometry:
    """``geom`` without its holes smaller than GAP_DEG2 square degrees."""
    parts = [
        Polygon(p.exterior, [r for r in p.interiors if Polygon(r).area >= GAP_DEG2])
        for p in getattr(geom, "geoms", [geom])
    ]
    return shapely.union_all(parts)


def japan_land(land: Zones) -> BaseGeometry:
    [i] = [k for k, z in enumerate(land.zones) if z.name == "Japan"]
    return land.geoms[i]


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RANGEZONE_DATA_DIR", str(tmp_path / "rangezone-data"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def run_ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return out


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    data = json.loads(run_ok(capsys, *args, "--json"))
    assert isinstance(data, dict)
    return data


def one_line_error(capsys: pytest.CaptureFixture[str], *args: str, code: int = 2) -> str:
    got, out, err = run(capsys, *args)
    assert (got, out) == (code, "")
    assert err.endswith("\n") and err.count("\n") == 1, err
    return err.strip()


# ---------------------------------------------------------------------------- points


def test_json_point_with_country_field_by_field(
    capsys: pytest.CaptureFixture[str],
    official_eez_path: Path,
    eez_v10: Zones,
    land_layer: Zones,
    zone_oracle: ZoneOracle,
) -> None:
    d = run_json(capsys, "--at", "38,135.5", "--country", "Japan", "--eez", str(official_eez_path))
    assert (d["lat"], d["lon"]) == (38.0, 135.5)
    ds = d["dataset"]
    assert ds["name"] == "Marine Regions World EEZ v10"
    assert ds["modelled"] is False
    assert ds["citation"].startswith("Flanders Marine Institute (2018)")
    assert "10.14284/312" in ds["citation"]
    assert d["on_land"] is None
    assert d["nearby"] == []
    [zone] = d["containing"]
    assert {k: zone[k] for k in ("name", "territory", "sovereign", "pol_type", "mrgid")} == {
        "name": JAPAN_EEZ,
        "territory": "Japan",
        "sovereign": "Japan",
        "pol_type": "200NM",
        "mrgid": 8487,
    }
    want_km = zone_oracle.boundary_distance_km(135.5, 38.0, zone_oracle.geom(JAPAN_EEZ))
    assert zone["distance_to_boundary_km"] == pytest.approx(want_km, abs=DIST_TOL_KM)
    v = d["verdict"]
    assert (v["country"], v["status"], v["p_inside"]) == ("Japan", "inside", 1.0)
    # The margin is seaward: to the nearest point on neither Japan's zones nor its land (its
    # zones' outer edge), not to the nearest hole the zone file left for Japan's islands.
    side = fill_holes(shapely.union(zone_oracle.country_union("JPN"), japan_land(land_layer)))
    want_margin = zone_oracle.boundary_distance_km(135.5, 38.0, side)
    assert want_margin > want_km + 50.0
    assert v["margin_km"] == pytest.approx(want_margin, abs=DIST_TOL_KM)
    coast = zone_oracle.boundary_distance_km(135.5, 38.0, japan_land(land_layer))
    assert v["coast_km"] == pytest.approx(coast, abs=DIST_TOL_KM)
    assert v["inside_zones"] == [JAPAN_EEZ]
    assert v["counted_zones"].startswith(f"Japan's own zones ({JAPAN_EEZ})")
    assert LIANCOURT_CLAIM in v["counted_zones"]
    # the command adds nothing to, and loses nothing of, the library's verdict
    lib = point_verdict(eez_v10, LonLat(135.5, 38.0), country="Japan", land=land_layer)
    assert d == json.loads(json.dumps(lib.to_dict()))


def test_json_default_dataset_is_the_modelled_pack(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "--at", "38,135.5", "--country", "JPN")
    assert d["dataset"]["modelled"] is True
    assert d["dataset"]["name"] == "rangezone modelled EEZ"
    assert "Natural Earth" in d["dataset"]["citation"]
    assert [z["territory"] for z in d["containing"]] == ["Japan"]
    assert (d["verdict"]["country"], d["verdict"]["status"]) == ("Japan", "inside")


def test_text_output_names_zone_distance_verdict_and_counted_zones(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path
) -> None:
    eez = ("--eez", str(official_eez_path))
    d = run_json(capsys, "--at", "38,135.5", "--country", "Japan", *eez)
    km = d["containing"][0]["distance_to_boundary_km"]
    lines = run_ok(capsys, "--at", "38,135.5", "--country", "Japan", *eez).splitlines()
    assert lines[0] == "point 38.00000, 135.50000 (lat, lon)"
    assert lines[1].startswith("dataset: Marine Regions World EEZ v10")
    assert lines[1].endswith("(official)")
    assert f"in {JAPAN_EEZ} (Japan, 200NM)" in lines  # the margin is the verdict's, below
    assert not any(f"{km:,.1f} km" in ln for ln in lines if ln.startswith("in "))
    v = d["verdict"]
    assert (
        f"Japan: INSIDE — inside by {v['margin_km']:,.1f} km (to the nearest point on neither "
        f"Japan's zones nor its land); {v['coast_km']:,.1f} km from its coast"
    ) in lines
    assert f"counted for Japan: {v['counted_zones']}" in lines
    assert "in no zone of this dataset" not in lines


def test_text_output_names_an_overlapping_claim_with_its_claimants(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path
) -> None:
    out = run_ok(capsys, "--at", "37.2417,131.8667", "--eez", str(official_eez_path))
    inside = [ln for ln in out.splitlines() if ln.startswith("in ")]
    assert len(inside) == 2
    assert inside[0].startswith(
        f"in {LIANCOURT_CLAIM} (Japan, Overlapping claim; claimants: Japan, South Korea): "
    )
    assert inside[1].startswith(f"in {KOREA_EEZ} (South Korea, 200NM): ")
    assert inside[1].endswith(
        " km from its outline, coast included (--country gives the seaward margin)"
    )


def _zone_and_verdict_lines(out: str) -> tuple[list[str], str]:
    lines = out.splitlines()
    zone = [ln for ln in lines if ln.startswith(("in ", "inside ", "within the outline of "))]
    (verdict,) = [ln for ln in lines if ln.startswith("Japan: ")]
    return zone, verdict


@pytest.mark.parametrize(
    "args",
    [
        ("--from", "Oga Peninsula", "--distance", "30km", "--bearing", "W"),
        ("--at", "20.5,136.1"),  # 8 km off Okinotorishima
    ],
    ids=["oga", "okinotorishima"],
)
def test_text_zone_line_never_contradicts_an_inside_verdict(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    """Issue 12 review: "23.2 km from its boundary" above "inside by 304.2 km" (the first is
    the distance to the coast). The zone line names the zone, the verdict gives the margin."""
    d = run_json(capsys, *args, "--country", "Japan")
    assert d["verdict"]["status"] == "inside" and d["verdict"]["margin_km"] > 250
    zone, verdict = _zone_and_verdict_lines(run_ok(capsys, *args, "--country", "Japan"))
    assert zone == ["in Japan (modelled 200 NM zone) (Japan, 200NM)"]
    assert f"inside by {d['verdict']['margin_km']:,.1f} km" in verdict
    assert " km" not in zone[0]


def test_text_zone_line_of_own_land_in_an_uncut_polygon_is_not_in_the_eez(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path
) -> None:
    """Yonaguni in the official polygon: no "inside Japanese EEZ" above "ON OWN LAND … not in
    its EEZ"."""
    args = ("--site", "Yonaguni", "--country", "Japan", "--eez", str(official_eez_path))
    zone, verdict = _zone_and_verdict_lines(run_ok(capsys, *args))
    assert verdict.startswith("Japan: ON OWN LAND — on Japan's own land, not in its EEZ")
    assert zone == [
        f"within the outline of {JAPAN_EEZ} (Japan, 200NM): on land the dataset did not cut "
        "out (land is not part of an EEZ)"
    ]


def test_text_output_of_the_modelled_default_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    lines = run_ok(capsys, "--at", "38,135.5").splitlines()
    assert lines[1].startswith("dataset: rangezone modelled EEZ")
    assert lines[1].endswith("(MODELLED zones, not official boundaries)")


def test_site_on_land_is_land_of_its_country(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "--site", "sariwon", "--country", "Japan")
    place = lookup_place("Sariwon")
    assert (d["lat"], d["lon"]) == (place.lat_deg, place.lon_deg)
    assert d["on_land"]["country"] == "North Korea"
    assert d["containing"] == []
    assert d["verdict"]["status"] == "outside"
    assert d["verdict"]["note"] == "on land of North Korea, not in Japan's EEZ"


def test_point_on_land_in_text_is_land_not_outside_every_zone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ("--at", "35.6812,139.7671", "--country", "Japan")
    km = run_json(capsys, *args)["verdict"]["margin_km"]
    lines = run_ok(capsys, *args).splitlines()
    assert "on land: Japan" in lines
    assert "in no zone of this dataset" not in lines
    assert any(
        ln.startswith(
            f"Japan: ON OWN LAND — on Japan's own land, not in its EEZ (a sea zone); its side "
            f"reaches {km:,.1f} km beyond"
        )
        for ln in lines
    ), lines


# ---------------------------------------------------------------------------- impacts and areas


def test_reported_impact_from_distance_and_bearing(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path, zone_oracle: ZoneOracle
) -> None:
    args = ("--from", "Oshima-Oshima", "--distance", "250km", "--bearing", "W")
    d = run_json(capsys, *args, "--country", "Japan", "--eez", str(official_eez_path))
    imp = d["impact"]
    assert (imp["distance_km"], imp["bearing_deg"]) == (250.0, 270.0)
    assert (imp["distance_uncertainty"], imp["bearing_uncertainty_deg"]) == (0.10, 11.25)
    # the unit in the name (review: "distance_uncertainty: 0.1" had none); old name kept
    assert imp["distance_uncertainty_fraction"] == imp["distance_uncertainty"]
    assert "uniform" in imp["error_model"]
    origin = lookup_place("Oshima-Oshima")
    p_mc = zone_oracle.p_inside_monte_carlo(
        origin.lon_deg,
        origin.lat_deg,
        250_000.0,
        270.0,
        0.10,
        11.25,
        zone_oracle.country_union("JPN"),
    )
    v = d["verdict"]
    assert v["status"] == "uncertain"
    assert 0.1 < v["p_inside"] < 0.9
    assert v["p_inside"] == pytest.approx(p_mc, abs=P_TOL)
    # the same impact measured from a coordinate instead of a place name
    d2 = run_json(
        capsys,
        "--from",
        f"{origin.lat_deg},{origin.lon_deg}",
        "--distance",
        "250 km",
        "--bearing",
        "270",
        "--country",
        "Japan",
        "--eez",
        str(official_eez_path),
    )
    assert (d2["lat"], d2["lon"]) == pytest.approx((d["lat"], d["lon"]), abs=1e-9)
    assert d2["verdict"]["p_inside"] == v["p_inside"]


def test_reported_impact_text(capsys: pytest.CaptureFixture[str]) -> None:
    args = (
        "--from",
        "Oshima-Oshima",
        "--distance",
        "250km",
        "--bearing",
        "W",
        "--country",
        "Japan",
    )
    d = run_json(capsys, *args)
    lines = run_ok(capsys, *args).splitlines()
    assert lines[0] == (
        f"reported impact 250 km W (270.0°) of Oshima-Oshima (rhumb line): {d['lat']:.5f}, "
        f"{d['lon']:.5f} (lat, lon)"
    )
    assert d["impact"]["leg"] == "rhumb"
    v = d["verdict"]
    [line] = [ln for ln in lines if ln.startswith("Japan: ")]
    assert line.startswith(f"Japan: {v['status'].upper()}")
    assert f"P(inside) {v['p_inside']:.2f}" in line


def test_range_area_says_it_does_not_reach_japan(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path, zone_oracle: ZoneOracle
) -> None:
    eez = ("--eez", str(official_eez_path))
    lines = run_ok(
        capsys, "--site", "Sariwon", "--range", "400km", "--country", "Japan", *eez
    ).splitlines()
    sariwon = lookup_place("Sariwon")
    nearest = zone_oracle.distance_km(
        sariwon.lon_deg, sariwon.lat_deg, zone_oracle.country_union("JPN")
    )
    assert round(nearest) == 509
    assert lines[-1] == (
        "the 400 km range area from Sariwon does not reach Japan's EEZ: nearest point 509 km away"
        " (109 km beyond the 400 km range)"
    )
    reached = [ln.split(" (")[0] for ln in lines if ln.startswith("reaches ")]
    assert reached == [
        f"reaches {KOREA_EEZ}",
        "reaches Chinese Exclusive Economic Zone",
        "reaches North Korean Exclusive Economic Zone",
    ]
    assert f"does not reach {JAPAN_EEZ} (Japan, 200NM): 509 km away" in lines
    d = run_json(capsys, "--site", "Sariwon", "--range", "400km", "--country", "Japan", *eez)
    assert d["verdict"]["reaches"] is False
    assert d["verdict"]["summary"] == lines[-1]
    assert d["verdict"]["nearest_km"] == pytest.approx(nearest, abs=2.0)
    # The fields every check --json carries: the launch point and the zones around it.
    assert (d["lat"], d["lon"]) == (sariwon.lat_deg, sariwon.lon_deg)
    assert d["containing"] == []
    assert d["nearby"][0]["name"] == "North Korean Exclusive Economic Zone"
    assert d["nearby"][0]["distance_km"] == pytest.approx(
        zone_oracle.distance_km(
            sariwon.lon_deg, sariwon.lat_deg, zone_oracle.geom(d["nearby"][0]["name"])
        ),
        abs=DIST_TOL_KM,
    )
    v = d["verdict"]
    assert (v["status"], v["p_inside"]) == ("outside", None)
    assert v["margin_km"] == pytest.approx(nearest - 400.0, abs=DIST_TOL_KM)


def test_range_area_that_reaches_japan_gives_status_and_margin(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path, zone_oracle: ZoneOracle
) -> None:
    eez = ("--eez", str(official_eez_path))
    d = run_json(capsys, "--site", "Sariwon", "--range", "1000km", "--country", "Japan", *eez)
    v = d["verdict"]
    assert (v["status"], v["reaches"], v["p_inside"]) == ("partly_inside", True, None)
    assert v["margin_km"] == pytest.approx(1000.0 - v["nearest_km"], abs=0.001)
    assert v["summary"].endswith(
        f"; the nearest point of Japan's EEZ is {v['nearest_km']:,.0f} km from the launch "
        f"point, {v['margin_km']:,.0f} km inside the area's 1,000 km edge"
    )
    # A sector's margin is measured along its bearings (tests/test_area_verdicts.py).
    d = run_json(
        capsys, "--site", "Sariwon", "--range", "1000km", "--sector", "60..120",
        "--country", "Japan", *eez,
    )  # fmt: skip
    v = d["verdict"]
    assert (v["status"], v["nearest_within_bearings"]) == ("partly_inside", True)
    assert v["margin_km"] == pytest.approx(1000.0 - v["nearest_km"], abs=0.001)
    # A small disk far inside Japan's zone lies wholly in it.
    d = run_json(capsys, "--at", "38,135.5", "--range", "20km", "--country", "Japan", *eez)
    assert d["verdict"]["status"] == "inside"
    assert d["verdict"]["summary"] == (
        f"the 20 km range area from 38.0000, 135.5000 lies wholly inside Japan's EEZ "
        f"({d['verdict']['overlap_km2']:,.0f} km²)"
    )
    assert [z["name"] for z in d["containing"]] == [JAPAN_EEZ]


def test_range_area_with_the_modelled_default(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, "--site", "Sariwon", "--range", "400km", "--country", "Japan")
    assert d["dataset"]["modelled"] is True
    v = d["verdict"]
    assert v["reaches"] is False
    assert v["summary"] == (
        "the 400 km range area from Sariwon does not reach Japan's EEZ: "
        f"nearest point {v['nearest_km']:,.0f} km away "
        f"({v['nearest_km'] - 400:,.0f} km beyond the 400 km range)"
    )


# ---------------------------------------------------------------------------- batches


POINTS = [
    ("sea", 38.0, 135.5),
    ("liancourt", 37.2417, 131.8667),
    ("tokyo", 35.6812, 139.7671),
    ("pacific", 30.0, 165.0),
]


def points_csv(tmp_path: Path) -> Path:
    path = tmp_path / "points.csv"
    path.write_text(
        "id,lat,lon\n" + "".join(f"{i},{la},{lo}\n" for i, la, lo in POINTS), encoding="utf-8"
    )
    return path


def test_batch_csv_to_stdout(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    official_eez_path: Path,
    zone_oracle: ZoneOracle,
    land_layer: Zones,
) -> None:
    out = run_ok(
        capsys,
        "--csv",
        str(points_csv(tmp_path)),
        "--country",
        "Japan",
        "--eez",
        str(official_eez_path),
    )
    reader = csv.DictReader(io.StringIO(out))
    assert reader.fieldnames == BATCH_COLUMNS
    rows = {r["id"]: r for r in reader}
    assert list(rows) == [p[0] for p in POINTS]
    assert (rows["sea"]["zone"], rows["sea"]["status"]) == (JAPAN_EEZ, "inside")
    assert (rows["liancourt"]["zone"], rows["liancourt"]["status"]) == (LIANCOURT_CLAIM, "inside")
    assert rows["liancourt"]["pol_type"] == "Overlapping claim"
    assert (rows["tokyo"]["zone"], rows["tokyo"]["on_land"]) == ("", "Japan")
    assert rows["tokyo"]["status"] == "on_own_land"
    assert (rows["pacific"]["zone"], rows["pacific"]["status"]) == ("", "outside")
    side = fill_holes(shapely.union(zone_oracle.country_union("JPN"), japan_land(land_layer)))
    for pid, lat, lon in POINTS:
        assert rows[pid]["country"] == "Japan"
        assert (float(rows[pid]["lat"]), float(rows[pid]["lon"])) == (lat, lon)
        want = zone_oracle.boundary_distance_km(lon, lat, side)
        assert float(rows[pid]["margin_km"]) == pytest.approx(want, abs=DIST_TOL_KM)


def test_batch_to_json_and_csv_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = points_csv(tmp_path)
    out_json = tmp_path / "out.json"
    code, out, err = run(capsys, "--csv", str(src), "--country", "Japan", "-o", str(out_json))
    assert (code, out) == (0, "")
    assert str(out_json) in err
    rows = json.loads(out_json.read_text(encoding="utf-8"))
    assert [r["id"] for r in rows] == [p[0] for p in POINTS]
    assert list(rows[0]) == BATCH_COLUMNS
    assert [r["status"] for r in rows] == ["inside", "outside", "on_own_land", "outside"]
    # Liancourt Rocks are missing from Natural Earth: the modelled layer has no claim there
    assert rows[1]["territory"] == "South Korea"

    out_csv = tmp_path / "out.csv"
    code, out, _ = run(capsys, "--csv", str(src), "--country", "Japan", "-o", str(out_csv))
    assert (code, out) == (0, "")
    from_file = list(csv.DictReader(out_csv.read_text(encoding="utf-8").splitlines()))
    assert [r["status"] for r in from_file] == [r["status"] for r in rows]
    assert [float(r["margin_km"]) for r in from_file] == [r["margin_km"] for r in rows]


def test_batch_json_flag_prints_json_rows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    src = points_csv(tmp_path)
    rows = json.loads(run_ok(capsys, "--csv", str(src), "--country", "Japan", "--json"))
    assert [r["id"] for r in rows] == [p[0] for p in POINTS]
    assert [r["status"] for r in rows] == ["inside", "outside", "on_own_land", "outside"]


def test_single_check_to_a_json_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "verdict.json"
    code, stdout, err = run(capsys, "--at", "38,135.5", "--country", "Japan", "-o", str(out))
    assert (code, stdout, err) == (0, "", f"wrote {out}\n")
    assert json.loads(out.read_text(encoding="utf-8")) == run_json(
        capsys, "--at", "38,135.5", "--country", "Japan"
    )


def test_batch_without_country_has_no_status(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = run_ok(capsys, "--csv", str(points_csv(tmp_path)))
    reader = csv.DictReader(io.StringIO(out))
    assert reader.fieldnames == BATCH_COLUMNS_WITHOUT_COUNTRY


# ---------------------------------------------------------------------------- bad input


def test_unknown_country_suggests_names(capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(capsys, "--at", "38,135.5", "--country", "Japn")
    assert err.startswith("rangezone: error: ")
    assert "'Japn'" in err
    assert "did you mean Japan" in err


def test_batch_file_missing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    err = one_line_error(capsys, "--csv", str(missing))
    assert err == f"rangezone: error: cannot read {missing}: No such file or directory"


def test_batch_without_lat_lon_columns_lists_the_columns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("name,x_coord,y_coord\na,1,2\n", encoding="utf-8")
    err = one_line_error(capsys, "--csv", str(path))
    assert err == (
        f"rangezone: error: {path}: needs columns lat and lon (points), from, distance and "
        "bearing (reported impacts) or range with site or lat/lon (areas) "
        "(found: name, x_coord, y_coord)"
    )


@pytest.mark.parametrize(
    ("body", "line", "what"),
    [
        ("id,lat,lon\na,38,135.5\nb,abc,135\n", 3, "must be numbers"),
        ("id,lat,lon\na,38,135.5\nb,38,135\nc,95,135\n", 4, "latitude 95 is outside"),
        ("id,lat,lon\na,38,200\n", 2, "longitude 200 is outside"),
        ("id,lat,lon\na,38\n", 2, "lat and lon are both needed"),
    ],
    ids=["not-a-number", "latitude", "longitude", "short-row"],
)
def test_batch_bad_row_names_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str, line: int, what: str
) -> None:
    """A bad row is written with its error and no verdict, every other row with its verdict;
    the command exits 2 with one stderr line: how many rows failed and the first line."""
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    code, out, err = run(capsys, "--csv", str(path))
    assert code == 2
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == body.count("\n") - 1
    bad = [r for r in rows if r["error"]]
    assert [int(r["line"]) for r in bad] == [line]
    assert what in bad[0]["error"]
    assert (bad[0]["zone"], bad[0]["lat"]) == ("", "")
    good = [r for r in rows if not r["error"]]
    assert all(r["zone"] for r in good)  # every good point is in a zone
    assert err.count("\n") == 1
    assert err.startswith(f"rangezone: error: 1 of {len(rows)} rows failed")
    assert f"line {line}: " in err and what in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--at", "38,135.5", "--site", "Sariwon"), "give either --site or --at, not both"),
        (
            ("--at", "38,135.5", "--distance", "250km"),
            "--distance and --bearing describe a reported impact: add --from PLACE",
        ),
        (("--from", "Oga", "--distance", "250km"), "needs --from, --distance and --bearing"),
        (("--distance", "250km", "--bearing", "W"), "give one of --at/--site"),
        ((), "give one of --at/--site"),
        (("--at", "38,135.5", "--csv", "x.csv"), "give one of --at/--site"),
        (("--site", "Sariwonn"), "did you mean Sariwon"),
        (("--at", "95,10"), "latitude 95"),
        (("--at", "38,135.5", "--sector", "10..20"), "add --range"),
        (("--from", "Oga", "--distance", "250", "--bearing", "W"), "250"),
        (("--from", "Oga", "--distance", "250km", "--bearing", "WNX"), "WNX"),
        (("--at", "38,135.5", "--bogus"), "No such option"),
        (
            ("--at", "38,135.5", "--range", "400km", "--range", "600km"),
            "rangezone check: error: --range given more than once; give it once",
        ),
        (
            ("--from", "Oga", "--distance", "250km", "--bearing", "W", "--range", "400km"),
            "rangezone: error: --range, --missile and --flown (and --min-range, --sector, "
            "--apogee) describe an area around "
            "--site/--at, not --from",
        ),
        (
            ("--at", "38,135.5", "--distance-uncertainty", "20%"),
            "rangezone: error: --distance-uncertainty and --bearing-uncertainty apply to a "
            "reported impact (--from/--distance/--bearing)",
        ),
        (
            (
                "--from",
                "Oga",
                "--distance",
                "250km",
                "--bearing",
                "W",
                "--distance-uncertainty",
                "120%",
            ),
            "Invalid value for '--distance-uncertainty': '120%' is outside [0, 1) (0–100%)",
        ),
        (
            (
                "--from",
                "Oga",
                "--distance",
                "250km",
                "--bearing",
                "W",
                "--bearing-uncertainty",
                "200",
            ),
            "Invalid value for '--bearing-uncertainty': '200' is outside [0, 180) degrees",
        ),
        (
            ("--at", "38,135.5", "--json", "-o", "out.csv"),
            "rangezone: error: --json writes JSON but -o out.csv names a .csv file",
        ),
        (
            ("--from", "Sinpo", "--distance", "18500km", "--bearing", "E"),
            "rangezone: error: the uncertainty area of a 18,500 km impact reaches 20,350 km "
            "(+10%); impact areas are limited to 19,900 km: lower the distance uncertainty",
        ),
    ],
    ids=[
        "at-and-site",
        "distance-without-from",
        "from-without-bearing",
        "impact-without-from",
        "nothing",
        "at-and-csv",
        "unknown-site",
        "bad-latitude",
        "sector-without-range",
        "distance-without-unit",
        "bad-bearing",
        "unknown-option",
        "range-twice",
        "range-with-impact",
        "uncertainty-without-impact",
        "distance-uncertainty-out-of-range",
        "bearing-uncertainty-out-of-range",
        "json-into-csv",
        "impact-area-past-the-antipode",
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    err = one_line_error(capsys, *args)
    assert message in err


def test_missing_eez_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "zones.gpkg"
    err = one_line_error(capsys, "--at", "38,135.5", "--eez", str(missing), code=2)
    assert err == f"rangezone: error: zone file not found: {missing}"


def test_impact_uncertainty_as_percentage_equals_fraction(
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ("--from", "Oga", "--distance", "250km", "--bearing", "W", "--country", "Japan")
    pct = run_json(capsys, *base, "--distance-uncertainty", "25%")
    frac = run_json(capsys, *base, "--distance-uncertainty", "0.25")
    assert pct == frac
    assert pct["impact"]["distance_uncertainty"] == 0.25
    assert pct["impact"]["distance_uncertainty_fraction"] == 0.25


# ---------------------------------------------------------------------------- review fixes


def test_batch_rows_name_every_zone_the_dataset_the_note_and_the_users_columns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, official_eez_path: Path
) -> None:
    """Review: the batch CSV lost the dataset, the note, every zone but the first and the
    user's own columns."""
    src = tmp_path / "points.csv"
    src.write_text("ID,lat,lon,note,seen by\nDokdo,37.3,131.8,reported,ship\n", encoding="utf-8")
    args = ("--csv", str(src), "--country", "Japan", "--eez", str(official_eez_path))
    v = run_json(capsys, "--at", "37.3,131.8", *args[2:])["verdict"]
    margin, coast = v["margin_km"], v["coast_km"]
    lines = run_ok(capsys, *args).splitlines()
    assert lines == [
        ",".join(BATCH_COLUMNS) + ",input_note,seen by",
        f"Dokdo,2,point,,37.3,131.8,{LIANCOURT_CLAIM},Japan,Japan,Overlapping claim,"
        f"{LIANCOURT_CLAIM}; {KOREA_EEZ},,Japan,inside,{margin},{coast},1.0,"
        "inside only zones that are shared or claimed by more than one state,,,,"
        "Marine Regions World EEZ v10,official,,reported,ship",
    ]


def test_batch_from_the_modelled_default_says_so_on_every_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = run_ok(capsys, "--csv", str(points_csv(tmp_path)), "--country", "Japan")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len(POINTS)
    assert {(r["dataset"], r["dataset_kind"]) for r in rows} == {
        ("rangezone modelled EEZ", "modelled")
    }
    tokyo = next(r for r in rows if r["id"] == "tokyo")
    assert (tokyo["status"], tokyo["note"]) == (
        "on_own_land",
        "on Japan's own land (its side), not in its EEZ, which is a sea zone",
    )


@pytest.mark.parametrize("header", ["id", "ID", "Id"])
def test_batch_keeps_the_users_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, header: str
) -> None:
    src = tmp_path / "points.csv"
    src.write_text(f"{header},lat,lon\nDokdo,37.3,131.8\nsea,38,135.5\n", encoding="utf-8")
    rows = json.loads(run_ok(capsys, "--csv", str(src), "--json"))
    assert [r["id"] for r in rows] == ["Dokdo", "sea"]
    assert header not in rows[0] or header == "id"


def test_batch_without_an_id_column_numbers_rows_and_keeps_a_name_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    src = tmp_path / "points.csv"
    src.write_text("Name,lat,lon\nDokdo,37.3,131.8\nsea,38,135.5\n", encoding="utf-8")
    out = run_ok(capsys, "--csv", str(src))
    assert out.splitlines()[0] == ",".join([*BATCH_COLUMNS_WITHOUT_COUNTRY, "Name"])
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["Name"]) for r in rows] == [("1", "Dokdo"), ("2", "sea")]


@pytest.mark.parametrize(
    ("name", "what"),
    [("out.xlsx", "not .xlsx"), ("out.txt", "not .txt"), ("out", "and this name has no suffix")],
)
def test_batch_output_must_be_csv_or_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, what: str
) -> None:
    target = tmp_path / name
    err = one_line_error(capsys, "--csv", str(points_csv(tmp_path)), "-o", str(target))
    assert err == (
        f"rangezone: error: -o {target}: batch results are written as .csv, .json or .parquet, "
        f"{what}"
    )
    assert not target.exists()


def test_batch_output_suffix_is_case_insensitive(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    src = points_csv(tmp_path)
    for name in ("OUT.CSV", "Out.Json"):
        code, out, _ = run(capsys, "--csv", str(src), "-o", str(tmp_path / name))
        assert (code, out) == (0, "")
    assert (
        (tmp_path / "OUT.CSV")
        .read_text(encoding="utf-8")
        .startswith("id,line,kind,leg,lat,lon,zone,")
    )
    rows = json.loads((tmp_path / "Out.Json").read_text(encoding="utf-8"))
    assert [r["id"] for r in rows] == [p[0] for p in POINTS]


def test_on_land_of_another_country_says_outside_its_eez(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Review: "Japan: ON LAND — 506.0 km from the boundary" read as if in Japan."""
    args = ("--site", "Sariwon", "--country", "Japan")
    v = run_json(capsys, *args)["verdict"]
    assert (v["status"], round(v["margin_km"], 1)) == ("outside", 506.0)
    lines = run_ok(capsys, *args).splitlines()
    assert lines[-2] == (
        "Japan: OUTSIDE — outside by 506.0 km (to Japan's zones or land) "
        "(on land of North Korea, not in Japan's EEZ)"
    )


def test_reported_impact_text_names_the_origin_and_the_bearing_as_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Review: "reported impact 200 km at 337.5°" left out where it was measured from."""
    base = ("--distance", "200km", "--country", "Japan")
    d = run_json(capsys, "--from", "Noto Peninsula", "--bearing", "NNW", *base)
    at = f"{d['lat']:.5f}, {d['lon']:.5f} (lat, lon)"
    first = run_ok(capsys, "--from", "noto peninsula", "--bearing", "NNW", *base).splitlines()[0]
    assert first == f"reported impact 200 km NNW (337.5°) of Noto Peninsula (rhumb line): {at}"
    first = run_ok(capsys, "--from", "Noto Peninsula", "--bearing", "337.5", *base).splitlines()[0]
    assert first == f"reported impact 200 km at 337.5° from Noto Peninsula (rhumb line): {at}"
    first = run_ok(
        capsys, "--from", "37.5,137.2", "--distance", "108nm", "--bearing", "north-west"
    ).splitlines()[0]
    assert first.startswith(
        "reported impact 200 km north-west (315.0°) of 37.5000, 137.2000 (rhumb line): "
    )


# ---------------------------------------------------------------------------- -o map suffixes


def test_point_check_to_geojson_is_the_map_of_the_result(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Review: ``check -o x.geojson`` wrote the text verdict under that name."""
    v = run_json(capsys, "--at", "38,135.5", "--country", "Japan")["verdict"]
    out = tmp_path / "p.geojson"
    code, stdout, err = run(capsys, "--at", "38,135.5", "--country", "Japan", "-o", str(out))
    assert (code, stdout, err) == (0, "", f"wrote {out}\n")
    fc = json.loads(out.read_text(encoding="utf-8"))
    kinds = {f["properties"]["kind"]: f for f in fc["features"]}
    assert set(kinds) == {"reference_point", "nearest"}  # zones are the map's, not the result's
    assert kinds["reference_point"]["geometry"]["coordinates"] == [135.5, 38.0]
    line = kinds["nearest"]
    assert line["properties"]["distance_km"] == pytest.approx(v["margin_km"], abs=0.001)
    assert line["properties"]["label"] == (
        f"{v['margin_km']:,.0f} km to the edge of Japan's zones and land"
    )
    # the line ends where the margin is measured: its length is the margin (±0.5 km)
    start, end = line["geometry"]["coordinates"][0], line["geometry"]["coordinates"][-1]
    from conftest import GEOD

    _, _, metres = GEOD.inv(start[0], start[1], end[0], end[1])
    assert metres / 1000 == pytest.approx(v["margin_km"], abs=DIST_TOL_KM)


def test_point_check_to_png_writes_an_image_not_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "p.png"
    code, stdout, err = run(capsys, "--at", "38,135.5", "--country", "Japan", "-o", str(out))
    assert (code, stdout, err) == (0, "", f"wrote {out}\n")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_impact_check_to_kml_is_the_impact_map(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "i.kml"
    args = ("--from", "Oga Peninsula", "--distance", "30km", "--bearing", "W")
    code, _, err = run(capsys, *args, "--country", "Japan", "-o", str(out))
    assert (code, err) == (0, f"wrote {out}\n")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<kml" in text
    assert "30 km W of Oga Peninsula" in text
    assert "INSIDE" not in text.split("<Document>")[0]  # not the text verdict under a .kml name


def test_area_check_to_html_is_the_range_map(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "a.html"
    args = ("--site", "Sunan", "--range", "500km", "--country", "Japan", "-o", str(out))
    code, _, err = run(capsys, *args)
    assert (code, err) == (0, f"wrote {out}\n")
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html")
    assert "Sunan" in text and "Range from Sunan" in text


@pytest.mark.parametrize("suffix", [".png", ".html", ".geojson", ".kml"])
def test_batch_to_a_map_suffix_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    src = tmp_path / "p.csv"
    src.write_text("lat,lon\n38,135.5\n", encoding="utf-8")
    out = tmp_path / f"x{suffix}"
    msg = one_line_error(capsys, "--csv", str(src), "-o", str(out))
    assert msg == (
        f"rangezone: error: -o {out}: a batch has no map (one per row would be); write its "
        "results as .csv, .json or .parquet"
    )
    assert not out.exists()


def test_json_with_a_map_suffix_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "x.png"
    msg = one_line_error(capsys, "--at", "38,135.5", "--json", "-o", str(out))
    assert msg == f"rangezone: error: --json prints JSON; -o {out} writes a map: give one of them"


def test_txt_output_keeps_the_text_verdict(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "v.txt"
    text = run_ok(capsys, "--at", "38,135.5", "--country", "Japan")
    run_ok(capsys, "--at", "38,135.5", "--country", "Japan", "-o", str(out))
    assert out.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(("site", "kind"), [("Yonaguni", "reference_point"), ("Sunan", "site")])
def test_point_map_draws_a_launch_site_only_for_a_launch_site(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, site: str, kind: str
) -> None:
    out = tmp_path / "p.geojson"
    run_ok(capsys, "--site", site, "-o", str(out))
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert [f["properties"]["kind"] for f in fc["features"]] == [kind]
    assert fc["features"][0]["properties"]["name"] == site
