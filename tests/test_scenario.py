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
from geo.briefing.scenario import OUTPUTS, load_scenario, scenario_zones
from geo.cli import main
from geo.errors import ScenarioError, ZoneDataError
from geo.present.report import report_markdown

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
        (
            edit(
                7,
                "    impacts:\n      - from: Oga Peninsula\n        distance: 250km\n"
                "        bearing: 400",
            ),
            10,
            "events[0].impacts[0].bearing",
            "bearing '400' is outside 0..360",
        ),
        (edit(7, "    sector: 300..370"), 7, "events[0].sector", "bearing '370' is outside 0..360"),
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
        "impact-bearing-beyond-360",
        "sector-beyond-360",
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
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == f"{path}: field 'title' is required"
    path = write(tmp_path, "title: a\ndate: 2024-11-05\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == f"{path}: field 'events' is required and must list at least one event"


@pytest.mark.parametrize("events", ["events: []", "events:", "events: ~"])
def test_an_empty_events_list_names_its_line(tmp_path: Path, events: str) -> None:
    path = write(tmp_path, f"title: a\n{events}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == f"{path}, line 2, field 'events': must list at least one event"


def test_duplicate_field_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, VALID + "title: Again\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == (
        f"{path}, line 9, field 'title': duplicate field; first given on line 1"
    )


EXACT: list[tuple[str, str, str]] = [
    # flown and apogee: one without the other used to be dropped silently
    (
        "flown-without-apogee",
        edit(7, "    ranges: [400km]\n    flown: 400km"),
        "line 8, field 'events[0].flown': flown and apogee go together: give 'apogee' too",
    ),
    (
        "apogee-with-two-ranges",
        edit(7, "    ranges: [400km, 600km]\n    apogee: 100km"),
        "line 8, field 'events[0].apogee': apogee and flown go together: give 'flown' too "
        "(it defaults to the event's range only when there is one, not 2)",
    ),
    (
        "apogee-with-missiles-only",
        edit(7, "    missiles: [KN-23]\n    apogee: 100km"),
        "line 8, field 'events[0].apogee': apogee and flown go together: give 'flown' too "
        "(the event has no range to take it from)",
    ),
    (
        "apogee-alone",
        edit(7, "    apogee: 100km"),
        "line 7, field 'events[0].apogee': apogee and flown go together: give 'flown' too "
        "(the event has no range to take it from)",
    ),
    (
        "flight-time-without-apogee",
        edit(7, "    ranges: [400km]\n    flight_time_min: 5"),
        "line 8, field 'events[0].flight_time_min': flight_time_min goes with apogee and "
        "flown: give 'apogee' too",
    ),
    (
        "flight-time-infinite",
        edit(7, "    ranges: [400km]\n    apogee: 100km\n    flight_time_min: .inf"),
        "line 9, field 'events[0].flight_time_min': must be a positive number of minutes",
    ),
    (
        "zero-apogee",
        edit(7, "    ranges: [400km]\n    apogee: 0km"),
        "line 8, field 'events[0].apogee': must be more than 0, got '0km'",
    ),
    (
        "flown-past-half-the-earth",
        edit(7, "    flown: 30000km\n    apogee: 100km"),
        "line 7, field 'events[0].flown': range 30000 km must be below half the Earth's "
        "circumference (20015 km)",
    ),
    (
        "defaulted-flown-names-the-range",
        edit(7, "    range: 30000km\n    apogee: 100km"),
        "line 7, field 'events[0].range': range 30000 km must be below half the Earth's "
        "circumference (20015 km)",
    ),
    # dates
    (
        "impossible-date",
        edit(2, "date: 2024-13-45"),
        "line 2, field 'date': '2024-13-45' is not a valid date: month must be in 1..12",
    ),
    (
        "impossible-quoted-date",
        edit(2, 'date: "2024-02-30"'),
        "line 2, field 'date': '2024-02-30' is not a valid date: day is out of range for month",
    ),
    (
        "impossible-date-time",
        edit(2, "date: 2024-11-05 25:00:00"),
        "line 2, field 'date': '2024-11-05 25:00:00' is not a valid date: hour must be in 0..23",
    ),
    # names the catalogue, gazetteer or dataset does not know
    (
        "unknown-missile",
        edit(7, "    missiles:\n      - KN-23\n      - Scud-X"),
        "line 9, field 'events[0].missiles': unknown missile 'Scud-X'; "
        "did you mean Scud-C, Scud-B, Scud-ER?",
    ),
    (
        "unknown-place",
        edit(6, "    site: Sariwonn"),
        "line 6, field 'events[0].site': unknown place 'Sariwonn'; did you mean Sariwon?",
    ),
    # ranges and impacts that would draw nothing or fail later without a line
    (
        "zero-range",
        edit(7, "    ranges: [400km, 0km]"),
        "line 7, field 'events[0].ranges': must be more than 0, got '0km'",
    ),
    (
        "negative-range",
        edit(7, "    ranges: [-400km]"),
        "line 7, field 'events[0].ranges': distance '-400km' is negative",
    ),
    (
        "min-range-not-below-range",
        edit(7, "    ranges: [600km, 400km]\n    min_range: 400km"),
        "line 8, field 'events[0].min_range': must be less than every range; "
        "400 km is not less than 400 km",
    ),
    (
        "min-range-without-ranges",
        edit(7, "    missiles: [KN-23]\n    min_range: 100km"),
        "line 8, field 'events[0].min_range': applies to 'ranges': give at least one range",
    ),
    (
        "sector-without-ranges",
        edit(7, "    missiles: [KN-23]\n    sector: 60..120"),
        "line 8, field 'events[0].sector': applies to 'ranges': give at least one range",
    ),
    (
        "zero-impact-distance",
        edit(7, "    impacts:\n      - distance: 0km\n        bearing: E"),
        "line 8, field 'events[0].impacts[0].distance': must be more than 0, got '0km'",
    ),
    (
        "impact-area-past-the-antipode",
        edit(7, "    impacts:\n      - distance: 19000km\n        bearing: E"),
        "line 8, field 'events[0].impacts[0].distance': with 10% uncertainty the impact area "
        "reaches 20,900 km; impact areas are limited to 19,900 km",
    ),
    (
        # regression: with bearing_uncertainty 0 this passed the reader and the build then
        # failed without file, line or field
        "impact-area-past-the-antipode-exact-bearing",
        edit(
            7,
            "    impacts:\n      - distance: 19000km\n        bearing: E\n"
            "        bearing_uncertainty: 0",
        ),
        "line 8, field 'events[0].impacts[0].distance': with 10% uncertainty the impact area "
        "reaches 20,900 km; impact areas are limited to 19,900 km",
    ),
    (
        "bearing-uncertainty-boolean",
        edit(
            7,
            "    impacts:\n      - distance: 100km\n        bearing: E\n"
            "        bearing_uncertainty: true",
        ),
        "line 10, field 'events[0].impacts[0].bearing_uncertainty': must be degrees in [0, 180)",
    ),
    # wrong types
    (
        "list-in-a-list-of-names",
        edit(3, "countries: [[Japan]]"),
        "line 3, field 'countries': must be a single value, not a list",
    ),
    (
        "mapping-as-a-range",
        edit(7, "    ranges: [{a: 1}]"),
        "line 7, field 'events[0].ranges': must be a single value, not a mapping",
    ),
    (
        "list-as-a-coordinate",
        edit(6, "    at: [38.5, 125.7]"),
        "line 6, field 'events[0].at': must be a single value, not a list",
    ),
    (
        "list-as-a-site",
        edit(6, "    site: [Sariwon]"),
        "line 6, field 'events[0].site': must be a single value, not a list",
    ),
    (
        "mapping-as-sources",
        VALID + "sources: {a: b}\n",
        "line 9, field 'sources': must be a single value, not a mapping",
    ),
    (
        "mapping-as-a-missile",
        edit(7, "    missiles: [{name: KN-23}]"),
        "line 7, field 'events[0].missiles': must be a single value, not a mapping",
    ),
    (
        "list-as-an-event",
        "title: a\nevents: [[Sariwon]]\n",
        "line 2, field 'events[0]': must be a mapping of fields, not a list",
    ),
    (
        "number-as-an-event",
        "title: a\nevents: 5\n",
        "line 2, field 'events[0]': must be a mapping of fields, not a single value",
    ),
    (
        "list-as-image",
        VALID + "image: [200]\n",
        "line 9, field 'image': must be a mapping of fields, not a list",
    ),
    (
        "boolean-dpi",
        VALID + "image: {dpi: true}\n",
        "line 9, field 'image.dpi': must be a whole number from 50 to 1200",
    ),
    ("empty-title", edit(1, "title:"), "line 1, field 'title': is empty"),
    ("blank-title", edit(1, 'title: " "'), "line 1, field 'title': is empty"),
    (
        "no-outputs",
        edit(8, "outputs: []"),
        "line 8, field 'outputs': must list at least one output",
    ),
    (
        "output-twice",
        edit(8, "outputs: [report, report]"),
        "line 8, field 'outputs': output 'report' is listed twice",
    ),
    # YAML that composes but does not construct, or does not end
    (
        "duplicate-nested-field",
        edit(6, "    site: Sariwon\n    site: Haeju"),
        "line 7, field 'events[0].site': duplicate field; first given on line 6",
    ),
    (
        "python-tag",
        edit(1, "title: !!python/object/apply:os.system [echo]"),
        "line 1, field 'title': must be a single value, not a list",
    ),
    (
        "unknown-scalar-tag",
        edit(1, "title: !!python/name:os.system x"),
        "line 1, field 'title': cannot read 'x': could not determine a constructor for the "
        "tag 'tag:yaml.org,2002:python/name:os.system'",
    ),
    (
        "bad-int-tag",
        edit(1, "title: !!int abc"),
        "line 1, field 'title': cannot read 'abc' as int",
    ),
    (
        "bad-bool-tag",
        edit(1, "title: !!bool x"),
        "line 1, field 'title': cannot read 'x' as bool",
    ),
    (
        "recursive-alias",
        "title: a\nevents: &e [*e]\n",
        "line 2, field 'events[0]': refers to itself (a recursive YAML alias)",
    ),
    (
        "list-as-a-field-name",
        "title: a\n? [b, c]\n: d\n",
        "line 2, field '(top level)': a field name must be text",
    ),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in EXACT], ids=[c[0] for c in EXACT])
def test_malformed_scenarios_give_one_exact_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == f"{path}, {message}"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("- title: a\n", "a list"), ("just a title\n", "a single value")],
    ids=["list", "scalar"],
)
def test_a_scenario_must_be_a_mapping(tmp_path: Path, text: str, kind: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == (
        f"{path}, line 1: a scenario must be a mapping of fields (title, date, events, ...), "
        f"not {kind}"
    )


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (edit(5, "  - name: Salvé").encode("latin-1"), "line 5: not UTF-8 text (byte 0xe9)"),
        (VALID.encode("utf-16"), "not UTF-8 text (it starts with a UTF-16 byte-order mark)"),
    ],
    ids=["latin-1", "utf-16"],
)
def test_a_file_that_is_not_utf8_says_so(tmp_path: Path, data: bytes, problem: str) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_bytes(data)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    sep = ", " if problem.startswith("line") else ": "
    assert str(info.value) == f"{path}{sep}{problem}; save the file as UTF-8"


def test_a_utf8_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert load_scenario(path).title == "Test salvo"


@pytest.mark.parametrize("depth", [700, pytest.param(5000, marks=pytest.mark.slow)])
def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path, depth: int) -> None:
    path = write(tmp_path, "title: " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    # the depth limit answers before the YAML library's own recursion does
    assert str(info.value) == (
        f"{path}, line 1: lists or mappings nested more than 30 deep, the limit for a scenario"
    )


def test_a_control_character_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, edit(5, "  - name: Sal\x00vo"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == (
        f"{path}, line 5: not valid YAML: unacceptable character #x0000: "
        "special characters are not allowed"
    )


def test_apogee_goes_with_the_only_range_or_an_explicit_flown(tmp_path: Path) -> None:
    [ev] = load_scenario(write(tmp_path, edit(7, "    range: 400km\n    apogee: 100km"))).events
    assert (ev.ranges_m, ev.flown_m, ev.apogee_m) == ((400_000.0,), 400_000.0, 100_000.0)
    text = "    ranges: [400km, 600km]\n    flown: 450km\n    apogee: 90km\n    flight_time_min: 6"
    [ev] = load_scenario(write(tmp_path, edit(7, text))).events
    assert (ev.ranges_m, ev.flown_m, ev.apogee_m) == ((400_000.0, 600_000.0), 450_000.0, 90_000.0)
    assert ev.flight_time_min == 6.0
    [ev] = load_scenario(write(tmp_path, edit(7, "    flown: 450km\n    apogee: 90km"))).events
    assert (ev.ranges_m, ev.flown_m, ev.apogee_m) == ((), 450_000.0, 90_000.0)


def test_text_is_taken_as_written(tmp_path: Path) -> None:
    """YAML 1.1 reads 7:30 as 450, 045 as octal 37, NO as false and 2024-13-45 as a date
    that crashes; fields that are text get the characters written."""
    text = edit(3, "countries: [NO]").replace("title: Test salvo", "title: 2024-13-45")
    text = text.replace(
        "    ranges: [400km]",
        "    time: 7:30\n    impacts:\n      - from: Oga Peninsula\n"
        "        distance: 250km\n        bearing: 045",
    )
    sc = load_scenario(write(tmp_path, text))
    assert (sc.title, sc.countries) == ("2024-13-45", ("NO",))
    [ev] = sc.events
    assert ev.time == "7:30"
    [imp] = ev.impacts
    assert (imp.bearing_deg, imp.bearing_text, imp.label) == (
        45.0,
        "045",
        "250 km 45° of Oga Peninsula",
    )


@pytest.mark.parametrize(
    ("written", "value"),
    [("0.25", 0.25), ('"0.25"', 0.25), ("25%", 0.25), ("2.5e-1", 0.25), ("1e-1", 0.1)],
)
def test_distance_uncertainty_reads_like_the_command_line(
    tmp_path: Path, written: str, value: float
) -> None:
    text = edit(3, "").replace(
        "    ranges: [400km]",
        "    impacts:\n      - from: Oga Peninsula\n        distance: 250km\n"
        f"        bearing: W\n        distance_uncertainty: {written}",
    )
    [imp] = load_scenario(write(tmp_path, text)).events[0].impacts
    assert imp.distance_uncertainty == value


def test_empty_optional_fields_are_as_if_not_given(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path, edit(3, "countries:\nsubtitle:\neez:")))
    assert (sc.countries, sc.subtitle, sc.eez) == ((), "", None)
    assert sc.events[0].name == "Salvo"


def build_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str | bytes
) -> tuple[Path, str]:
    """Build a bad scenario: exit 2, one stderr line, nothing written; the line's message."""
    path = tmp_path / "scenario.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    code = main(["build", str(path), "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert (code, out) == (2, ""), err
    assert err.startswith("rangezone: error: ") and err.count("\n") == 1, err
    assert not (tmp_path / "out").exists()
    return path, err.removeprefix("rangezone: error: ").rstrip("\n")


def test_build_names_an_unknown_country(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, msg = build_error(capsys, tmp_path, edit(3, "countries: [Japan, Japn]"))
    assert msg == (
        f"{path}, line 3, field 'countries': no zone of dataset 'rangezone modelled EEZ' "
        "belongs to 'Japn'; did you mean Japan, Jordan?"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "zone file not found: {eez}"),
        (b"", "zone file {eez} is empty (0 bytes)"),
        (b"not a zone file\n", "cannot read zone file {eez}: not a vector format GDAL recognises"),
    ],
    ids=["missing", "empty", "unreadable"],
)
def test_build_names_a_bad_eez_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, problem: str
) -> None:
    eez = (tmp_path / "zones.gpkg").resolve()
    if content is not None:
        eez.write_bytes(content)
    path, msg = build_error(capsys, tmp_path, VALID + "eez: zones.gpkg\n")
    assert msg == f"{path}, line 9, field 'eez': " + problem.format(eez=eez)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (edit(7, "    missiles: [Scud-X]"), "line 7, field 'events[0].missiles': unknown missile"),
        (edit(6, "    site: Sariwonn"), "line 6, field 'events[0].site': unknown place"),
        (edit(2, "date: 2024-13-45"), "line 2, field 'date': '2024-13-45' is not a valid date"),
        (edit(5, "  - name: Salvé").encode("latin-1"), "line 5: not UTF-8 text (byte 0xe9)"),
        (edit(7, "    ranges: [400km]\n    flown: 400km"), "line 8, field 'events[0].flown'"),
    ],
    ids=["unknown-missile", "unknown-place", "bad-date", "latin1", "flown-without-apogee"],
)
def test_build_exits_2_on_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str | bytes, message: str
) -> None:
    path, msg = build_error(capsys, tmp_path, text)
    assert msg.startswith(f"{path}, {message}"), msg


def test_an_eez_option_replaces_the_scenario_file(tmp_path: Path) -> None:
    """With --eez the scenario's own eez is not read, and the option's errors are its own."""
    sc = load_scenario(write(tmp_path, VALID + "eez: missing.gpkg\n"))
    with pytest.raises(ZoneDataError) as info:
        scenario_zones(sc, str(tmp_path / "other.gpkg"))
    assert str(info.value) == f"zone file not found: {tmp_path / 'other.gpkg'}"


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
) -> tuple[Any, str, str]:
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


def check_report(report: Any, markdown: str) -> dict[str, Any]:
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
    assert verdict["status"] == "outside"
    assert verdict["margin_km"] == pytest.approx(verdict["nearest_km"] - 400.0, abs=1e-3)
    assert verdict["summary"] == (
        "the 400 km range area from Sariwon does not reach Japan's EEZ: "
        f"nearest point {verdict['nearest_km']:,.0f} km away "
        f"({verdict['margin_km']:,.0f} km beyond the 400 km range)"
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


@pytest.mark.slow
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


@pytest.mark.slow
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
    assert verdict["summary"].endswith("nearest point 509 km away (109 km beyond the 400 km range)")
    zones = {z["name"] for z in report["events"][0]["ranges"][0]["zones"]}
    assert zones == {
        "South Korean Exclusive Economic Zone",
        "Chinese Exclusive Economic Zone",
        "North Korean Exclusive Economic Zone",
    }


# ---------------------------------------------------------------------------- report.md details


def _seed_with(tmp_path: Path, after_apogee: str) -> Path:
    """The fast seed with ``after_apogee`` inserted after the event's apogee line."""
    path = fast_seed(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert text.count("    apogee: 100km\n") == 1
    path.write_text(text.replace("    apogee: 100km\n", f"    apogee: 100km\n{after_apogee}"))
    return path


def test_report_shows_predicted_and_reported_flight_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = _seed_with(tmp_path, "    flight_time_min: 53\n")
    report, markdown, _ = build(capsys, scenario, tmp_path / "out")
    traj = report["events"][0]["trajectory"]
    assert traj["reported_flight_time_min"] == 53.0
    predicted = traj["flight_time_min"]
    assert traj["flight_time_difference_min"] == pytest.approx(predicted - 53.0)
    assert markdown == report_markdown(report)
    md = markdown.splitlines()
    [i] = [k for k, ln in enumerate(md) if ln.startswith("Trajectory (400 km range")]
    assert md[i + 2] == (
        f"Flight time: {predicted:.1f} min predicted; reported 53.0 min "
        f"(difference {predicted - 53.0:+.1f} min)."
    )
    assert markdown.endswith("have no legal value.\n")


def test_report_names_the_dataset_version_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], official_eez_path: Path
) -> None:
    report, markdown, _ = build(
        capsys, fast_seed(tmp_path), tmp_path / "out", "--eez", str(official_eez_path)
    )
    assert report["dataset"]["version"] == "v10"
    assert "EEZ dataset: Marine Regions World EEZ v10 (official zones)." in markdown.splitlines()


def test_report_shows_event_notes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = "Japan placed every impact outside its EEZ; the 400 km range area must not reach it."
    assert load_scenario(SEED).events[0].notes == notes
    report, markdown, _ = build(capsys, fast_seed(tmp_path), tmp_path / "out")
    assert report["events"][0]["notes"] == notes
    md = markdown.splitlines()
    i = md.index("## SRBM salvo")
    assert md[i + 4] == f"Notes: {notes}"


def test_an_impact_beyond_the_antipode_says_the_distance_is_too_far(tmp_path: Path) -> None:
    """Regression: 25,000 km was answered with advice to lower the distance uncertainty."""
    text = edit(3, "").replace(
        "    ranges: [400km]",
        "    impacts:\n      - from: Oga Peninsula\n        distance: 25000km\n        bearing: W",
    )
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    line = text.splitlines().index("        distance: 25000km") + 1
    assert str(info.value) == (
        f"{path}, line {line}, field 'events[0].impacts[0].distance': 25,000 km is too far: "
        "impacts are limited to 19,900 km, about half the Earth's circumference"
    )


@pytest.mark.parametrize(
    ("use", "line", "field"),
    [
        ("sources: [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]", 5, "sources["),
        ("sources: *a3", 5, "sources["),
        ("events:\n  - site: Sariwon\n    notes: *a3", 7, "events[0].notes["),
    ],
    ids=["sequence-of-aliases", "alias-value", "nested-alias-value"],
)
def test_an_alias_bomb_names_the_line_that_sets_it_off(
    tmp_path: Path, use: str, line: int, field: str
) -> None:
    """Review: the error pointed at line 1 (where the first anchor was defined), not at
    line 5 where the field that expanded past the limit is."""
    # 13 + 157 + 1,885 + 11,311 values on lines 1-4: under the limit; line 5 passes it
    text = (
        f"a0: &a0 [{', '.join(['lol'] * 12)}]\n"
        f"a1: &a1 [{', '.join(['*a0'] * 12)}]\n"
        f"a2: &a2 [{', '.join(['*a1'] * 12)}]\n"
        f"a3: &a3 [{', '.join(['*a2'] * 6)}]\n"
        f"{use}\n"
    )
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    msg = str(info.value)
    assert msg.startswith(f"{path}, line {line}, field '{field}"), msg
    assert "more than 20,000 values" in msg
