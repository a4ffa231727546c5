"""Scenario files: the seed loads, every validation error names file, line and field, and
building the seed gives a report whose verdict and trajectory are right and whose JSON and
Markdown agree.

The 509 km figure is checked against the ``zone_oracle`` brute force (±2 km).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ZoneOracle

from geo.access.gazetteer import lookup_place
from geo.cli import main
from geo.errors import ScenarioError
from geo.present.report import report_markdown
from geo.present.scenario import OUTPUTS, load_scenario

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "maps" / "2024-11-05-sariwon.yaml"
SOHAE = REPO / "maps" / "2017-03-06-sohae.yaml"
FAST_OUTPUTS = ("report", "geojson")

VALID = """\
title: Test salvo
date: 2024-11-05
countries: [Japan]
events:
  - name: Salvo
    site: Sariwon
    ranges: [400km]
outputs: [report]
"""
"""Line 5 starts the event, 6 is its site, 7 its ranges, 8 the outputs."""


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RANGEZONE_DATA_DIR", str(tmp_path / "rangezone-data"))


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edit(line_no: int, new: str) -> str:
    """VALID with line ``line_no`` (1-based) replaced by ``new`` (which may add lines)."""
    lines = VALID.splitlines()
    lines[line_no - 1] = new
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- loading


def test_the_seed_loads() -> None:
    sc = load_scenario(SEED)
    assert sc.title == "North Korean SRBM salvo from near Sariwon"
    assert sc.date == "2024-11-05"
    assert sc.countries == ("Japan",)
    assert sc.outputs == OUTPUTS
    assert sc.eez is None
    [ev] = sc.events
    assert ev.site_name == "Sariwon"
    assert ev.site == lookup_place("Sariwon").lonlat
    assert ev.ranges_m == (400_000.0,)
    assert ev.apogee_m == 100_000.0
    assert ev.flown_m == 400_000.0  # the only range is the flown one
    assert any("Nakatani" in s for s in ev.sources)
    assert sc.sources


def test_the_sohae_scenario_loads_with_its_reported_impact() -> None:
    sc = load_scenario(SOHAE)
    [ev] = sc.events
    [imp] = ev.impacts
    assert imp.origin_name == "Noto Peninsula"
    assert (imp.distance_m, imp.bearing_deg) == (200_000.0, 337.5)
    assert (imp.distance_uncertainty, imp.bearing_uncertainty_deg) == (0.10, 11.25)
    assert imp.label == "200 km NNW of Noto Peninsula"


def test_the_valid_template_loads(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path, VALID))
    assert sc.outputs == ("report",)
    assert sc.events[0].ranges_m == (400_000.0,)


# ---------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        (edit(7, "    rnage: [400km]"), 7, "events[0].rnage", "unknown field; allowed: "),
        (VALID + "colour: red\n", 9, "colour", "unknown field; allowed: "),
        (edit(7, "    ranges: [400]"), 7, "events[0].ranges", "has no unit"),
        (edit(7, "    ranges: [400km, 600]"), 7, "events[0].ranges", "has no unit"),
        (edit(7, "    min_range: 100"), 7, "events[0].min_range", "has no unit"),
        (edit(6, "    site: Sariwonn"), 6, "events[0].site", "did you mean Sariwon"),
        (edit(8, "outputs: [report, jpeg]"), 8, "outputs", "unknown output 'jpeg'"),
        (
            edit(6, "    site: Sariwon\n    at: 38.5,125.7"),
            5,
            "events[0]",
            "give exactly one of 'site'",
        ),
        (edit(6, "    at: 95,125.7"), 6, "events[0].at", "latitude 95"),
        (edit(7, "    sector: 60..x"), 7, "events[0].sector", "cannot read bearing 'x'"),
        (
            edit(
                7,
                "    impacts:\n      - from: Oga Peninsula\n        distance: 250\n"
                "        bearing: W",
            ),
            9,
            "events[0].impacts[0].distance",
            "has no unit",
        ),
        (
            edit(
                7,
                "    impacts:\n      - from: Oga Peninsula\n        distance: 250km\n"
                "        bearing: WXW",
            ),
            10,
            "events[0].impacts[0].bearing",
            "WXW",
        ),
        (edit(7, "    flight_time_min: -3"), 7, "events[0].flight_time_min", "positive"),
        (edit(8, "image: {dpi: 5}"), 8, "image.dpi", "50 to 1200"),
    ],
    ids=[
        "unknown-event-field",
        "unknown-top-field",
        "range-without-unit",
        "second-range-without-unit",
        "min-range-without-unit",
        "unknown-site",
        "bad-output-name",
        "site-and-at",
        "bad-coordinate",
        "bad-sector",
        "impact-distance-without-unit",
        "impact-bad-bearing",
        "negative-flight-time",
        "bad-dpi",
    ],
)
def test_errors_name_file_line_and_field(
    tmp_path: Path, text: str, line: int, field: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    msg = str(info.value)
    assert msg.startswith(f"{path}, line {line}, field '{field}': "), msg
    assert message in msg
    assert "\n" not in msg


def test_empty_file_names_the_file(tmp_path: Path) -> None:
    """An empty file has no line or field to name: the file and the reason are given."""
    path = write(tmp_path, "")
    with pytest.raises(ScenarioError, match=r"the scenario file is empty") as info:
        load_scenario(path)
    assert str(info.value) == f"{path}: the scenario file is empty"


def test_comment_only_file_is_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "# nothing yet\n\n")
    with pytest.raises(ScenarioError, match=r"the scenario file is empty"):
        load_scenario(path)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("title: a\nevents:\n  - name: x: y\n", 3),
        ("title: a\n\tevents: 1\n", 2),
        ('title: a\nevents:\n  - name: "x\n', 4),
    ],
    ids=["colon-in-value", "tab", "unclosed-quote"],
)
def test_invalid_yaml_names_file_and_line(tmp_path: Path, text: str, line: int) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value).startswith(f"{path}, line {line}: not valid YAML: ")


def test_missing_required_fields(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("title: Test salvo\n", ""))
    with pytest.raises(ScenarioError, match=r"field 'title' is required"):
        load_scenario(path)
    path = write(tmp_path, "title: a\nevents: []\n")
    with pytest.raises(ScenarioError, match=r"field 'events' is required"):
        load_scenario(path)


def test_duplicate_field_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, VALID + "title: Again\n")
    with pytest.raises(ScenarioError, match=r"line 9") as info:
        load_scenario(path)
    assert "duplicate field 'title'" in str(info.value)


def test_build_reports_a_bad_scenario_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, edit(7, "    ranges: [400]"))
    code = main(["build", str(path), "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == (
        f"rangezone: error: {path}, line 7, field 'events[0].ranges': "
        + err.split("field 'events[0].ranges': ", 1)[1]
    )
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------- building the seed


def fast_seed(tmp_path: Path) -> Path:
    """The seed with outputs limited to the report and the GeoJSON layers."""
    text = SEED.read_text(encoding="utf-8")
    lines = [
        "outputs: [report, geojson]" if ln.startswith("outputs:") else ln
        for ln in text.splitlines()
    ]
    assert sum(ln == "outputs: [report, geojson]" for ln in lines) == 1
    sc = load_scenario(write(tmp_path, "\n".join(lines) + "\n", SEED.name))
    assert sc.outputs == FAST_OUTPUTS
    assert dataclasses.replace(sc, outputs=OUTPUTS, path=SEED) == load_scenario(SEED)
    return tmp_path / SEED.name


def build(
    capsys: pytest.CaptureFixture[str], scenario: Path, out_dir: Path, *extra: str
) -> tuple[dict[str, Any], str, str]:
    code = main(["build", str(scenario), "--out", str(out_dir), *extra])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "layers.geojson",
        "report.json",
        "report.md",
    ]
    assert out.splitlines() == [
        str(out_dir / "report.md"),
        str(out_dir / "report.json"),
        str(out_dir / "layers.geojson"),
    ]
    report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    return report, (out_dir / "report.md").read_text(encoding="utf-8"), err


def check_report(report: dict[str, Any], markdown: str) -> dict[str, Any]:
    """The verdict, the trajectory, and JSON and Markdown telling the same story."""
    [ev] = report["events"]
    traj = ev["trajectory"]
    assert traj["trajectory_class"] == "near minimum-energy"
    assert (traj["range_km"], traj["apogee_km"]) == (400.0, 100.0)
    [rng] = ev["ranges"]
    assert rng["range_km"] == 400.0
    [verdict] = rng["countries"]
    assert isinstance(verdict, dict)
    assert verdict["country"] == "Japan"
    assert verdict["reaches"] is False
    assert verdict["overlap_km2"] == 0.0
    assert verdict["summary"] == (
        "the 400 km range area from Sariwon does not reach Japan's EEZ: "
        f"nearest point {verdict['nearest_km']:,.0f} km away"
    )
    # the Markdown is the JSON rendered: regenerate it and compare, then spot-check content
    assert markdown == report_markdown(report)
    md = markdown.splitlines()
    assert f"- **{verdict['summary']}**" in md
    assert any(
        ln.startswith("Trajectory (400 km range, 100 km apogee): near minimum-energy;") for ln in md
    )
    assert f"# {report['title']}" == md[0]
    assert any(ln.startswith(f"EEZ dataset: {report['dataset']['name']}") for ln in md)
    for z in rng["zones"]:
        row = (
            f"| {z['name']} | {z['territory']} | {z['pol_type']} | {z['overlap_km2']:,.0f} | "
            f"{100 * z['fraction_of_area']:.1f}% | {z['distance_from_launch_km']:,.0f} |"
        )
        assert row in md
    assert {z["territory"] for z in rng["zones"]} >= {"South Korea", "North Korea"}
    assert "Japan" not in {z["territory"] for z in rng["zones"]}
    return verdict


def test_building_the_seed_with_the_default_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = fast_seed(tmp_path)
    report, markdown, err = build(capsys, scenario, tmp_path / "out")
    assert report["dataset"]["modelled"] is True
    assert "**modelled** zones, not official boundaries" in markdown
    verdict = check_report(report, markdown)
    assert f"SRBM salvo: {verdict['summary']}" in err.splitlines()
    layers = json.loads((tmp_path / "out" / "layers.geojson").read_text(encoding="utf-8"))
    assert layers["type"] == "FeatureCollection"
    kinds = [f["properties"]["kind"] for f in layers["features"]]
    assert {"site", "range_area", "ring", "eez"} <= set(kinds)


def test_building_the_seed_with_the_official_polygons(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    official_eez_path: Path,
    zone_oracle: ZoneOracle,
) -> None:
    scenario = fast_seed(tmp_path)
    out_dir = tmp_path / "official"
    report, markdown, _ = build(capsys, scenario, out_dir, "--eez", str(official_eez_path))
    assert report["dataset"]["name"] == "Marine Regions World EEZ v10"
    assert report["dataset"]["modelled"] is False
    verdict = check_report(report, markdown)
    site = lookup_place("Sariwon")
    nearest = zone_oracle.distance_km(site.lon_deg, site.lat_deg, zone_oracle.country_union("JPN"))
    assert verdict["nearest_km"] == pytest.approx(nearest, abs=2.0)
    assert verdict["summary"].endswith("nearest point 509 km away")
    zones = {z["name"] for z in report["events"][0]["ranges"][0]["zones"]}
    assert zones == {
        "South Korean Exclusive Economic Zone",
        "Chinese Exclusive Economic Zone",
        "North Korean Exclusive Economic Zone",
    }
