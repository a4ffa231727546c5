"""How a reported leg is read, chosen everywhere a reported impact is given: ``--leg`` on
``check`` and ``impact``, ``leg:`` on scenario events and impacts, a ``leg`` column in
check and build CSV files. Points are checked against conftest's rhumb oracle and Geod.fwd
(1 m); the JSON, report.json and report.md say which reading was used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run, run_error, run_json, run_ok
from conftest import GEOD, rhumb_forward

from geo.access.gazetteer import lookup_place
from geo.briefing.csvscenario import scenario_from_csv
from geo.briefing.events import leg_note
from geo.briefing.scenario import load_scenario
from geo.errors import InputError, ScenarioError

ERIMO = lookup_place("Cape Erimo").lonlat
REPORT = ("--from", "Cape Erimo", "--distance", "1180km", "--bearing", "E")


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RANGEZONE_DATA_DIR", str(tmp_path / "rangezone-data"))


def _miss_m(lon: float, lat: float, want: tuple[float, float]) -> float:
    return float(GEOD.inv(lon, lat, *want)[2])


def _rhumb_point() -> tuple[float, float]:
    lon, lat = rhumb_forward(ERIMO.lon_deg, ERIMO.lat_deg, 90.0, 1_180_000.0)
    return float(lon), float(lat)


def _geodesic_point() -> tuple[float, float]:
    lon, lat, _ = GEOD.fwd(ERIMO.lon_deg, ERIMO.lat_deg, 90.0, 1_180_000.0)
    return float(lon), float(lat)


@pytest.mark.parametrize("leg", [None, "rhumb", "geodesic", "GEODESIC"])
def test_check_reads_the_leg_it_is_given(
    capsys: pytest.CaptureFixture[str], leg: str | None
) -> None:
    given = ("--leg", leg) if leg else ()
    d = run_json(capsys, "check", *REPORT, "--country", "Japan", "--json", *given)
    want = _geodesic_point() if leg and leg.lower() == "geodesic" else _rhumb_point()
    assert _miss_m(d["lon"], d["lat"], want) < 1.0
    assert d["impact"]["leg"] == (leg or "rhumb").lower()
    # the two readings are 97.5 km apart: the test tells them apart
    assert _miss_m(*_rhumb_point(), _geodesic_point()) > 90_000.0


def test_leg_is_refused_where_there_is_no_reported_leg(capsys: pytest.CaptureFixture[str]) -> None:
    line = run_error(capsys, "check", "--at", "38,135", "--leg", "rhumb")
    assert line.endswith("--leg applies to a reported impact (--from/--distance/--bearing)")
    line = run_error(capsys, "impact", *REPORT, "--leg", "great-circle")
    assert "'great-circle' is not one of 'rhumb', 'geodesic'" in line


def test_a_rhumb_leg_over_the_pole_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    line = run_error(
        capsys, "impact", "--from", "40,140", "--distance", "12000km", "--bearing", "10"
    )
    want = "a 12,000 km rhumb leg at 10° passes the North Pole; use --leg geodesic"
    assert line == f"rangezone: error: {want}"
    run_ok(
        capsys, "impact", "--from", "40,140", "--distance", "12000km", "--bearing", "10",
        "--leg", "geodesic",
    )  # fmt: skip


SCENARIO = """\
title: Legs
countries: [Japan]
events:
  - name: Day
    site: Sunan
    {event_leg}
    impacts:
      - {{from: Cape Erimo, distance: 1180km, bearing: E{impact_leg}}}
outputs: [report]
"""


def _scenario(
    tmp_path: Path,
    event_leg: str = "",
    impact_leg: str = "",
    impact: str = "{from: Cape Erimo, distance: 1180km, bearing: E}",
) -> Path:
    """SCENARIO written to a file, with the event's and the impact's leg keys (if any)."""
    path = tmp_path / "s.yaml"
    text = SCENARIO.format(event_leg=event_leg or "time: 06:00", impact_leg=impact_leg)
    path.write_text(
        text.replace("{from: Cape Erimo, distance: 1180km, bearing: E}", impact), encoding="utf-8"
    )
    return path


@pytest.mark.parametrize(
    ("event_leg", "impact_leg", "want"),
    [
        ("", "", "rhumb"),
        ("leg: geodesic", "", "geodesic"),
        ("leg: geodesic", ", leg: rhumb", "rhumb"),
        ("", ", leg: geodesic", "geodesic"),
    ],
)
def test_scenario_leg_on_events_and_impacts(
    tmp_path: Path, event_leg: str, impact_leg: str, want: str
) -> None:
    path = _scenario(tmp_path, event_leg, impact_leg)
    [imp] = load_scenario(path).events[0].impacts
    assert imp.leg == want


def test_scenario_build_states_the_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _scenario(tmp_path)
    assert run(capsys, "build", str(path), "--out", str(tmp_path / "out")).code == 0
    rec = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    [imp] = rec["events"][0]["impacts"]
    assert imp["leg"] == "rhumb"
    v = imp["verdicts"][0]
    assert _miss_m(v["lon"], v["lat"], _rhumb_point()) < 1.0
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "### Reported impact: 1,180 km E of Cape Erimo (rhumb line)" in md
    # the notes under the map and in the report say how reported impacts were read
    assert "- Reported impacts (D km BEARING of PLACE): read as rhumb lines on WGS84" in md


def test_leg_note_names_each_reading() -> None:
    assert leg_note([]) == ""
    assert "read as rhumb lines" in leg_note(["rhumb"]) and "geodesic" not in leg_note(["rhumb"])
    assert "read as geodesics" in leg_note(["geodesic", "geodesic"])
    mixed = leg_note(["rhumb", "geodesic"])
    assert "rhumb lines" in mixed and "leg: geodesic" in mixed


@pytest.mark.parametrize(
    ("event_leg", "impact_leg", "message"),
    [
        ("leg: loxodrome", "", "line 6, field 'events[0].leg': leg must be 'rhumb' or 'geodesic'"),
        ("", ", leg: [rhumb]", "field 'events[0].impacts[0].leg': must be a single value"),
    ],
)
def test_scenario_leg_errors_name_the_field(
    tmp_path: Path, event_leg: str, impact_leg: str, message: str
) -> None:
    path = _scenario(tmp_path, event_leg, impact_leg)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_scenario_rhumb_leg_over_the_pole_names_the_bearing(tmp_path: Path) -> None:
    path = _scenario(tmp_path, impact="{from: Cape Erimo, distance: 9000km, bearing: N}")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    msg = str(info.value)
    assert "field 'events[0].impacts[0].bearing'" in msg
    # a scenario is told its own key, not the CLI option (regression: it said --leg)
    assert msg.endswith("passes the North Pole; set leg: geodesic")


def test_check_csv_reads_each_rows_leg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text(
        "id,from,distance,bearing,leg\n"
        "a,Cape Erimo,1180km,E,\n"
        "b,Cape Erimo,1180km,E,geodesic\n"
        "c,Cape Erimo,1180km,E,rhumb\n"
        "d,Cape Erimo,1180km,E,sideways\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    assert run(capsys, "check", "--csv", str(csv_path), "-o", str(out)).code == 2  # row d
    rows = {r["id"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert _miss_m(rows["a"]["lon"], rows["a"]["lat"], _rhumb_point()) < 1.0
    assert _miss_m(rows["b"]["lon"], rows["b"]["lat"], _geodesic_point()) < 1.0
    assert _miss_m(rows["c"]["lon"], rows["c"]["lat"], _rhumb_point()) < 1.0
    assert "leg must be 'rhumb' or 'geodesic'" in rows["d"]["error"]
    # the batch's own leg column says how each row was read; the file's is kept as input_leg
    assert [rows[k]["leg"] for k in "abc"] == ["rhumb", "geodesic", "rhumb"]
    assert [rows[k]["input_leg"] for k in "abcd"] == [None, "geodesic", "rhumb", "sideways"]
    # --leg is the reading of rows that leave the column empty
    assert (
        run(capsys, "check", "--csv", str(csv_path), "-o", str(out), "--leg", "geodesic").code == 2
    )
    rows = {r["id"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert _miss_m(rows["a"]["lon"], rows["a"]["lat"], _geodesic_point()) < 1.0
    assert _miss_m(rows["c"]["lon"], rows["c"]["lat"], _rhumb_point()) < 1.0


def test_a_point_rows_leg_is_refused_as_a_leg(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: a point or area row of a mixed batch with its leg cell filled was taken for
    a reported impact and failed with "a reported impact needs from, distance and bearing:
    no from". It is a point row whose leg has nothing to read: said so, as --leg is."""
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text(
        "id,lat,lon,site,range,from,distance,bearing,leg\n"
        "p,40,140,,,,,,rhumb\n"
        "q,40,140,,,,,,\n"
        "r,,,Sunan,500km,,,,geodesic\n"
        "s,,,,,Cape Erimo,1180km,E,geodesic\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    assert run(capsys, "check", "--csv", str(csv_path), "-o", str(out)).code == 2
    rows = {r["id"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert [rows[k]["kind"] for k in "pqrs"] == ["point", "point", "area", "impact"]
    for k in "pr":
        assert rows[k]["error"] == (
            "leg applies to a reported impact (from, distance, bearing): leave it empty on "
            "point and area rows"
        )
    assert not rows["q"]["error"] and rows["q"]["on_land"] == "Japan"  # a point verdict
    assert _miss_m(rows["s"]["lon"], rows["s"]["lat"], _geodesic_point()) < 1.0


def test_build_csv_reads_the_leg_column(tmp_path: Path) -> None:
    csv_path = tmp_path / "impacts.csv"
    csv_path.write_text(
        "date,site,from,distance,bearing,leg\n"
        "2017-08-29,Sunan,Cape Erimo,1180km,E,\n"
        "2017-08-29,Sunan,Cape Erimo,1180km,E,geodesic\n",
        encoding="utf-8",
    )
    [ev] = scenario_from_csv(csv_path).events
    assert [i.leg for i in ev.impacts] == ["rhumb", "geodesic"]
    csv_path.write_text(
        "date,site,from,distance,bearing,leg\n2017-08-29,Sunan,Cape Erimo,9000km,N,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        scenario_from_csv(csv_path)
    assert str(info.value).startswith(f"{csv_path}, line 2, column bearing: a 9,000 km rhumb")
    # build has no --leg option (regression: the message told to use it)
    assert str(info.value).endswith("North Pole; write geodesic in its leg column")


def test_a_batch_rows_pole_refusal_names_its_leg_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The core's refusal ends in the API's words (leg='geodesic'); a batch row says where its
    own switch is, the command line says --leg."""
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text('id,from,distance,bearing\np,"40,140",12000km,10\n', encoding="utf-8")
    out = tmp_path / "out.json"
    assert run(capsys, "check", "--csv", str(csv_path), "-o", str(out)).code == 2
    (row,) = json.loads(out.read_text(encoding="utf-8"))
    assert row["error"] == (
        "a 12,000 km rhumb leg at 10° passes the North Pole; write geodesic in its leg column"
    )
