"""``rangezone build impacts.csv``: a CSV of reported impacts becomes one briefing.

Rows group into events by date and site; the report gets an impact table, the KML a
``TimeStamp`` per dated placemark, the map every impact. Impact points are checked
against pyproj's geodesic (±1 m); a bad row is one line, exit 2 and no output.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from conftest import rhumb_forward
from pyproj import Geod

from geo.access.gazetteer import lookup_place
from geo.briefing.csvscenario import scenario_from_csv
from geo.cli import main

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "maps" / "2022-launches-sample.csv"
KML = "{http://www.opengis.net/kml/2.2}"

# Two impacts of one day from one site (one event, with tracks) and one without a site.
ROWS = """\
date,site,from,distance,bearing,label,source
2022-11-18,Sunan,Oshima-Oshima,200 km,W,First,test row
2022-11-18,Sunan,Oshima-Oshima,250 km,W,,test row
2022-03-24,,Oshima Peninsula,150 km,W,Third,test row
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "impacts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_group_into_events_by_date_and_site(tmp_path: Path) -> None:
    sc = scenario_from_csv(_write(tmp_path, ROWS), title="Launches", countries=("Japan",))
    assert [(e.date, e.launch_known, len(e.impacts)) for e in sc.events] == [
        ("2022-11-18", True, 2),
        ("2022-03-24", False, 1),
    ]
    assert sc.date == "2022-03-24 to 2022-11-18"
    first, second = sc.events[0].impacts
    assert (first.label, second.label) == ("First", "250 km W of Oshima-Oshima")
    assert sc.events[0].site_name == "Sunan"
    # no site: the event sits at its reference point but draws no launch
    assert sc.events[1].site == lookup_place("Oshima Peninsula").lonlat


def test_a_csv_builds_one_briefing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(
        ["build", str(_write(tmp_path, ROWS)), "--country", "Japan", "--title", "T", "--out",
         str(out)]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [e.get("date") for e in report["events"]] == ["2022-11-18", "2022-03-24"]
    assert [e.get("launch_known", True) for e in report["events"]] == [True, False]
    geod = Geod(ellps="WGS84")
    reported = [
        (imp, spec)
        for ev_rec, ev in zip(report["events"], scenario_from_csv(tmp_path / "impacts.csv").events,
                              strict=True)
        for imp, spec in zip(ev_rec["impacts"], ev.impacts, strict=True)
    ]  # fmt: skip
    assert len(reported) == 3
    for imp, spec in reported:  # read as rhumb lines, the default
        assert imp["leg"] == spec.leg == "rhumb"
        lon, lat = rhumb_forward(spec.origin.lon_deg, spec.origin.lat_deg, spec.bearing_deg,
                                 spec.distance_m)  # fmt: skip
        _, _, miss = geod.inv(lon, lat, imp["verdicts"][0]["lon"], imp["verdicts"][0]["lat"])
        assert miss < 1.0  # metres
    # tracks only where the launch site is known
    assert [("track" in i) for e in report["events"] for i in e["impacts"]] == [True, True, False]

    md = (out / "report.md").read_text(encoding="utf-8")
    table = [ln for ln in md.splitlines() if ln.startswith("| 2022-")]
    assert len(table) == 3  # one row per impact and country
    statuses = {v["verdicts"][0]["verdict"]["status"] for e in report["events"]
                for v in e["impacts"]}  # fmt: skip
    for ln, (imp, _) in zip(table, reported, strict=True):
        cells = [c.strip() for c in ln.strip("|").split("|")]
        verdict = imp["verdicts"][0]["verdict"]
        assert cells[2] == imp["label"].replace("_", "\\_") + " (rhumb line)"
        assert cells[3:5] == ["Japan", verdict["status"]]
        assert float(cells[5].replace(",", "")) == pytest.approx(verdict["margin_km"], abs=0.05)
    assert statuses <= {"inside", "outside", "uncertain"}
    assert "Launch from Oshima Peninsula" not in md  # no launch was given for that row

    # KML: every placemark of a dated event has <TimeStamp><when>date</when></TimeStamp>
    root = ET.parse(out / "layers.kml").getroot()
    dated = 0
    for pm in root.iter(f"{KML}Placemark"):
        data = {d.get("name"): d.findtext(f"{KML}value") for d in pm.iter(f"{KML}Data")}
        when = pm.findtext(f"{KML}TimeStamp/{KML}when")
        if data.get("kind") == "eez":
            assert when is None
            continue
        assert data.get("date") == when and when in ("2022-11-18", "2022-03-24"), data
        children = [c.tag for c in pm]  # KML 2.2 order: name, TimeStamp, styleUrl
        assert children.index(f"{KML}TimeStamp") == children.index(f"{KML}name") + 1
        dated += 1
    assert dated >= 3 + 2  # impacts and tracks at least

    # one map with all impacts
    geo = json.loads((out / "layers.geojson").read_text(encoding="utf-8"))
    impacts = [f for f in geo["features"] if f["properties"].get("kind") == "reported_impact"]
    assert sorted(f["properties"]["date"] for f in impacts) == ["2022-03-24", *["2022-11-18"] * 2]
    # impacts of several days are named with their dates
    assert sorted(f["properties"]["label"] for f in impacts) == sorted(
        ["2022-11-18 · First", "2022-11-18 · 250 km W of Oshima-Oshima", "2022-03-24 · Third"]
    )
    assert (out / "map.html").stat().st_size > 0 and (out / "map.png").stat().st_size > 0


@pytest.mark.parametrize(
    ("row", "where"),
    [
        ("2022-13-01,,Oshima-Oshima,200 km,W,,s", "line 3, column date: '2022-13-01' is not"),
        ("2022-11-18,,Atlantis,200 km,W,,s", "line 3, column from: "),
        ("2022-11-18,,Oshima-Oshima,200,W,,s", "line 3, column distance: "),
        ("2022-11-18,,Oshima-Oshima,200 km,WNWW,,s", "line 3, column bearing: "),
        ("2022-11-18,,Oshima-Oshima,,W,,s", "line 3: a reported impact needs from, distance"),
    ],
)
def test_a_bad_row_is_one_line_exit_2_and_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, where: str
) -> None:
    head, first = ROWS.splitlines()[:2]
    path = _write(tmp_path, f"{head}\n{first}\n{row}\n")
    out = tmp_path / "out"
    code = main(["build", str(path), "--country", "Japan", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{path}, {where}" in err
    assert not out.exists()


def test_too_many_impacts_are_refused_naming_the_line(tmp_path: Path) -> None:
    from geo.briefing.scenario_yaml import MAX_AREAS
    from geo.errors import InputError

    head = ROWS.splitlines()[0]
    rows = [f"2022-01-{1 + k % 28:02d},,Oshima-Oshima,{100 + k} km,W,,s" for k in range(101)]
    path = _write(tmp_path, "\n".join([head, *rows]) + "\n")
    with pytest.raises(InputError, match=f"line {MAX_AREAS + 2}: more than {MAX_AREAS} impacts"):
        scenario_from_csv(path)


def test_the_sample_has_sourced_dated_rows() -> None:
    sc = scenario_from_csv(SAMPLE)
    assert sc.events and all(e.date.startswith("2022-") for e in sc.events)
    assert all(i.source.count("http") >= 1 for e in sc.events for i in e.impacts)
    # its country column: the ministry's statements are about Japan's EEZ
    assert sc.countries == ("Japan",)


def test_the_country_column_names_the_verdicts_unless_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = (
        "date,from,distance,bearing,country\n"
        "2022-03-24,Oshima Peninsula,150 km,W,Japan\n"
        "2022-11-18,Oshima-Oshima,200 km,W,Japan\n"
        "2022-12-01,Oshima-Oshima,250 km,W,Russia\n"
    )
    path = _write(tmp_path, rows)
    assert scenario_from_csv(path).countries == ("Japan", "Russia")
    assert scenario_from_csv(path, countries=("KOR",)).countries == ("KOR",)
    assert main(["build", str(SAMPLE), "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().err  # the verdicts: messages, the files written: data
    assert "2022-03-24: 150 km W of Oshima Peninsula: Japan inside" in out
    assert "2022-11-18: 200 km W of Oshima-Oshima: Japan inside" in out


YEAR = """\
title: A year
countries: [Japan]
events:
  - name: March
    date: 2022-03-24
    site: Sunan
    impacts:
      - {from: Oshima Peninsula, distance: 150 km, bearing: W}
  - name: November
    date: "2022-11-18"
    site: Sunan
    impacts:
      - {from: Oshima-Oshima, distance: 200 km, bearing: W}
outputs: [kml, report]
"""


def test_scenario_events_carry_their_dates_to_kml_and_report(tmp_path: Path) -> None:
    from geo.briefing.build import write_briefing
    from geo.briefing.scenario import load_scenario

    path = tmp_path / "year.yaml"
    path.write_text(YEAR, encoding="utf-8")
    sc = load_scenario(path)
    assert [e.date for e in sc.events] == ["2022-03-24", "2022-11-18"]
    write_briefing(sc, tmp_path / "out")
    root = ET.parse(tmp_path / "out" / "layers.kml").getroot()
    whens = {
        pm.findtext(f"{KML}name"): pm.findtext(f"{KML}TimeStamp/{KML}when")
        for pm in root.iter(f"{KML}Placemark")
    }
    assert whens["2022-03-24 · 150 km W of Oshima Peninsula"] == "2022-03-24"
    assert whens["2022-11-18 · 200 km W of Oshima-Oshima"] == "2022-11-18"
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "| 2022-03-24 | March | 150 km W of Oshima Peninsula (rhumb line) | Japan |" in md
    assert "| 2022-11-18 | November | 200 km W of Oshima-Oshima (rhumb line) | Japan |" in md


@pytest.mark.parametrize("bad", ["2022-02-30", "March 2022", "2022-3-4"])
def test_a_bad_event_date_names_line_and_field(tmp_path: Path, bad: str) -> None:
    from geo.briefing.scenario import load_scenario
    from geo.errors import ScenarioError

    path = tmp_path / "year.yaml"
    path.write_text(YEAR.replace("2022-03-24", bad), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"line 5, field 'events\[0\]\.date': .* is not a date"):
        load_scenario(path)


def test_the_year_map_reads_as_a_briefing(tmp_path: Path, eez_modelled: Any) -> None:
    """The review of the 2022 year map: its title was the file's name, its info box only
    repeated the header's date, its impacts had no dates, a place several rows are measured
    from was drawn once per row, and with no subject every zone was hatched."""
    import dataclasses

    from geo.briefing.build import build_briefing
    from geo.present.layout import Plane, label_specs
    from geo.present.style import feature_style

    rows = ROWS + "2022-05-04,,Oshima Peninsula,300 km,W,,test row\n"
    sc = scenario_from_csv(_write(tmp_path, rows), countries=("Japan",))
    assert sc.title == "Reported impacts, 2022-03-24 to 2022-11-18"
    assert scenario_from_csv(_write(tmp_path, rows), title="T").title == "T"
    c = build_briefing(sc, eez_modelled).content
    assert c.info is not None
    assert [(x.label, x.value) for x in c.info.lines] == [
        ("Impacts", "4 reported, 2022-03-24 to 2022-11-18")
    ]
    statuses = [v.verdict.status for imp in build_briefing(sc, eez_modelled).events
                for i in [imp] for x in i.impacts for v in x.verdicts if v.verdict]  # fmt: skip
    inside = statuses.count("inside")
    assert c.info.verdicts == (
        f"Japan: {inside} of 4 impacts INSIDE its EEZ"
        + "".join(f", {statuses.count(k)} {w}" for k, w in
                  (("uncertain", "UNCERTAIN"), ("outside", "OUTSIDE")) if statuses.count(k)),
    )  # fmt: skip
    # the Oshima Peninsula is drawn once for its two rows; each row keeps its leg
    refs = [f.label for f in c.of_kind("reference_point")]
    assert sorted(refs) == ["Oshima Peninsula", "Oshima-Oshima"]
    assert len(c.of_kind("reported_leg")) == 2 + 2  # Oshima-Oshima's two and the Peninsula's
    # names: dated, shrinking to the date where crowded
    plane = Plane(lambda g: g, lambda x, y, m: True, 10.0)
    texts = [s.texts for s in label_specs(c, plane) if s.kind == "reported_impact"]
    assert ["2022-05-04 · 300 km W of Oshima Peninsula", "2022-05-04"] in texts
    # no subject: no zone in the subject's (hatched) style
    plain = dataclasses.replace(c, subjects=())
    assert not any(feature_style(f, plain).hatch for f in plain.of_kind("eez"))
    assert any(feature_style(f, c).hatch for f in c.of_kind("eez"))


def test_many_dated_impacts_are_named_by_date_alone(tmp_path: Path, eez_modelled: Any) -> None:
    """Twenty "2022-03-24 · 300 km W of Oshima Peninsula" cannot be read on one slide: past
    MANY_DATED_IMPACTS each impact is named by its date, and the legs go unnamed."""
    from geo.briefing.build import build_briefing
    from geo.present.layout import MANY_DATED_IMPACTS, Plane, label_specs

    n = MANY_DATED_IMPACTS + 1
    rows = "date,from,distance,bearing\n" + "".join(
        f"2022-{1 + i:02d}-10,Oshima Peninsula,{150 + 10 * i} km,W\n" for i in range(n)
    )
    c = build_briefing(scenario_from_csv(_write(tmp_path, rows)), eez_modelled).content
    specs = label_specs(c, Plane(lambda g: g, lambda x, y, m: True, 10.0))
    texts = sorted(s.texts[0] for s in specs if s.kind == "reported_impact")
    assert texts == [f"2022-{1 + i:02d}-10" for i in range(n)]
    assert not [s for s in specs if getattr(s.source, "kind", "") == "reported_leg"]
    assert len(c.of_kind("reference_point")) == 1
