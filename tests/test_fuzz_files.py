"""Fuzzing the files rangezone reads: scenarios, zone packs, the registry, zone files.

Every broken file is one line on stderr naming the problem, exit 2 (a file the user gave) or
1 (the user data directory's registry), no traceback, no "internal error", nothing written,
and an answer within seconds. The CLI runs in-process (tests/cli_helpers.py); example counts
come from the hypothesis profile (tests/conftest.py).
"""

from __future__ import annotations

import io
import json
import sqlite3
import struct
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import shapely
import yaml
from cli_helpers import CliResult, run
from hypothesis import example, given
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from geo.access.userdata import data_dir
from geo.access.zonepack import DatasetInfo, read_zonepack, write_zonepack
from geo.briefing.scenario import load_scenario
from geo.briefing.scenario_yaml import (
    MAX_ALIASES,
    MAX_AREAS,
    MAX_EVENTS,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_RANGES,
    MAX_TEXT_CHARS,
)
from geo.errors import InputError, ScenarioError, ZoneDataError

SLOW_S = 5.0
"""The issue's bound: every broken input answered within 5 s (in-process, so generous)."""


def contract(result: CliResult, *codes: int) -> str:
    """The failure contract: an allowed exit code and, for a failure, exactly one stderr line
    that is an error, not a crash."""
    assert "Traceback" not in result.err, result.err
    assert "internal error" not in result.err, result.err
    assert result.code in codes, result
    if result.code != 0:
        assert len(result.err_lines) == 1 and result.err.endswith("\n"), result.err
        return result.err_lines[0]
    return ""


def timed_run(capsys: Any, *argv: str) -> CliResult:
    start = time.perf_counter()
    result = run(capsys, *argv)
    assert time.perf_counter() - start < SLOW_S, argv
    return result


# --- scenarios -------------------------------------------------------------------------------

FIELDS = ["title", "subtitle", "date", "countries", "events", "outputs", "eez", "sources"]
EVENT_FIELDS = ["name", "site", "at", "ranges", "range", "min_range", "sector", "apogee",
                "flown", "missiles", "impacts", "notes"]  # fmt: skip
VALUES = ["Sariwon", "39.02,125.75", "400km", "60..120", "Japan", "html", "report", "", "~",
          "1e999", "-1km", "\t", "&a", "*a", "!!binary x", "2024-13-45", "Hwasong-15"]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(VALUES),
)
yaml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(FIELDS + EVENT_FIELDS), st.text(max_size=8)),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=25,
)
scenario_docs = st.fixed_dictionaries(
    {},
    optional={
        "title": scalars,
        "countries": yaml_values,
        "outputs": yaml_values,
        "events": st.lists(
            st.dictionaries(st.sampled_from(EVENT_FIELDS), yaml_values, max_size=5), max_size=3
        ),
        "eez": scalars,
    },
)


def _load(path: Path) -> None:
    start = time.perf_counter()
    try:
        load_scenario(path)
    except InputError as exc:  # ScenarioError, or a value error naming its field
        assert "\n" not in str(exc), str(exc)
    assert time.perf_counter() - start < SLOW_S


@given(doc=scenario_docs)
def test_random_yaml_scenarios_load_or_fail_in_one_line(tmp_path: Path, doc: Any) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    _load(path)


@given(data=st.binary(max_size=300))
@example(data=b"title: [\n")
@example(data=b"\xff\xfe t\x00i\x00")
@example(data=b"a: &a [*a]\n")
def test_random_bytes_as_a_scenario(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(data)
    _load(path)


@given(data=st.binary(max_size=200))
def test_build_of_random_bytes_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(data)
    out = tmp_path / "out"
    line = contract(timed_run(capsys, "build", str(path), "--out", str(out)), 2)
    assert line.startswith("rangezone: error: ")
    assert not out.exists()


def _bomb(width: int, depth: int) -> str:
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, depth + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@given(width=st.integers(2, 12), depth=st.integers(3, 9), field=st.sampled_from(FIELDS))
def test_alias_bombs_stop_at_a_limit(tmp_path: Path, width: int, depth: int, field: str) -> None:
    expanded = sum(width**k for k in range(1, depth + 2))
    text = _bomb(width, depth).replace(f"a{depth}: &a{depth}", f"{field}: &a{depth}")
    path = tmp_path / "s.yaml"
    path.write_text(text + "events: [{site: Sariwon, ranges: [400km]}]\n", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert time.perf_counter() - start < SLOW_S
    if expanded > MAX_NODES and depth * width <= MAX_ALIASES:
        assert f"more than {MAX_NODES:,} values" in str(info.value)


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        (f"title: '{'A' * (MAX_FILE_BYTES + 10)}'\n", f"larger than {MAX_FILE_BYTES:,} bytes"),
        (f"title: '{'A' * (MAX_TEXT_CHARS + 1)}'\n", f"at most {MAX_TEXT_CHARS:,}"),
        ("events:\n" + "  - {site: Sariwon, ranges: [400km]}\n" * (MAX_EVENTS + 1),
         f"at most {MAX_EVENTS}"),
        ("events:\n  - site: Sariwon\n    ranges: ["
         + ", ".join(f"{i + 1}km" for i in range(MAX_RANGES + 1)) + "]\n",
         f"at most {MAX_RANGES}"),
        ("events:\n" + "  - {site: Sariwon, ranges: [100km, 200km, 300km]}\n" * 34,
         f"102 range, missile and impact areas in all; a scenario may have at most {MAX_AREAS}"),
        (f"title: '{'T' * 301}'\n", "field 'title': 301 characters; at most 300"),
        ("events:\n  - {site: Sariwon, ranges: [400km], name: '" + "N" * 400 + "'}\n",
         "field 'events[0].name': 400 characters; at most 300"),
        ("events:\n  - site: Sariwon\n    impacts: [{distance: 250km, bearing: W, label: '"
         + "L" * 301 + "'}]\n", "field 'events[0].impacts[0].label': 301 characters"),
        ("x: &x 1\nsources: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n",
         f"more than {MAX_ALIASES} YAML aliases"),
        ("title: " + "[" * 40 + "]" * 40 + "\n", "nested more than"),
        ("events:\n" + "  - {site: Sariwon, ranges: [400km]}\n" * 3500, "more than 20,000 values"),
    ],
    ids=["file-size", "text-length", "events", "ranges", "areas", "title", "event-name",
         "impact-label", "aliases", "depth", "nodes"],
)  # fmt: skip
def test_each_limit_is_named(tmp_path: Path, text: str, limit: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("title: T\n" * ("title:" not in text) + text, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert time.perf_counter() - start < SLOW_S
    assert limit in str(info.value)
    assert "\n" not in str(info.value)


def test_build_of_dev_zero_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    line = contract(timed_run(capsys, "build", "/dev/zero", "--out", str(tmp_path / "o")), 2)
    assert line == (
        f"rangezone: error: /dev/zero: larger than {MAX_FILE_BYTES:,} bytes, "
        "the limit for a scenario file"
    )
    assert not (tmp_path / "o").exists()


def test_a_scenario_named_dots_stays_inside_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "...yaml").write_text(
        "title: T\noutputs: [report]\nevents: [{site: Sariwon, ranges: [400km]}]\n",
        encoding="utf-8",
    )
    result = timed_run(capsys, "build", "...yaml")
    contract(result, 0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["...yaml", "out"]
    assert sorted(p.name for p in (tmp_path / "out" / "briefing").iterdir()) == [
        "report.json",
        "report.md",
    ]


# --- zone packs ------------------------------------------------------------------------------

SQUARE = Polygon([(130, 30), (140, 30), (140, 40), (130, 40)])
RECORD = {"name": "Japan", "pol_type": "200NM", "territories": ["Japan"],
          "sovereigns": ["Japan"], "iso_codes": ["JPN"], "mrgid": 8487}  # fmt: skip


def _members(pack: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(pack) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _repack(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.fixture
def good_pack(tmp_path: Path) -> Path:
    path = tmp_path / "good.zip"
    write_zonepack(path, DatasetInfo(name="test zones"), [RECORD], [SQUARE])
    return path


def _wkb(*geoms: Any) -> bytes:
    out = io.BytesIO()
    for blob in shapely.to_wkb(list(geoms)):
        out.write(struct.pack("<I", len(blob)) + blob)
    return out.getvalue()


def _raw_polygon_wkb(ring: list[tuple[float, float]]) -> bytes:
    """A one-ring polygon's WKB written by hand: shapely will not build one with NaN."""
    body = struct.pack("<BIII", 1, 3, 1, len(ring))
    body += b"".join(struct.pack("<dd", x, y) for x, y in ring)
    return struct.pack("<I", len(body)) + body


BROKEN_PACKS: dict[str, tuple[str, Any]] = {
    "dataset-list": ("dataset.json", [1, 2]),
    "dataset-null": ("dataset.json", None),
    "dataset-name-int": ("dataset.json", {"name": 5}),
    "dataset-modelled-text": ("dataset.json", {"name": "x", "modelled": "yes"}),
    "records-dict": ("records.json", {"a": 1}),
    "records-strings": ("records.json", ["Japan"]),
    "mrgid-abc": ("records.json", [{**RECORD, "mrgid": "abc"}]),
    "mrgid-float": ("records.json", [{**RECORD, "mrgid": 1.5}]),
    "territory-int": ("records.json", [{**RECORD, "territories": 5}]),
    "territory-list-of-int": ("records.json", [{**RECORD, "territories": [5]}]),
    "name-list": ("records.json", [{**RECORD, "name": ["x"]}]),
    "mrgid-infinity": ("records.json", b'[{"name": "x", "mrgid": Infinity}]'),
    "records-binary": ("records.json", b"\xff\xfe\x00"),
    "records-deep": ("records.json", b"[" * 100_000),
    "wkb-short": ("geoms.wkb", b"\x01\x00"),
    "wkb-truncated": ("geoms.wkb", _wkb(SQUARE)[:30]),
    "wkb-huge-length": ("geoms.wkb", struct.pack("<I", 10**9) + b"\x00" * 8),
    "wkb-garbage": ("geoms.wkb", struct.pack("<I", 30) + bytes(range(30))),
    "wkb-point": ("geoms.wkb", _wkb(Point(135, 35))),
    "wkb-empty-polygon": ("geoms.wkb", _wkb(Polygon())),
    "wkb-huge-longitudes": ("geoms.wkb", _wkb(Polygon([(0, 0), (1e300, 0), (1e300, 1)]))),
    "wkb-nan": ("geoms.wkb", _raw_polygon_wkb([(0, 0), (float("nan"), 0), (1, 1), (0, 0)])),
    "wkb-two-for-one-record": ("geoms.wkb", _wkb(SQUARE, SQUARE)),
    "missing-member": ("records.json", KeyError),
    "areas-list": ("areas.json", [1.0]),
    "areas-no-method": ("areas.json", {"areas_m2": [1.0]}),
    "areas-text": ("areas.json", {"method": "m", "areas_m2": ["1"]}),
    "areas-negative": ("areas.json", {"method": "m", "areas_m2": [-1.0]}),
    "areas-bool": ("areas.json", {"method": "m", "areas_m2": [True]}),
    "areas-huge": ("areas.json", {"method": "m", "areas_m2": [1e20]}),
    "areas-two-for-one": ("areas.json", {"method": "m", "areas_m2": [1.0, 2.0]}),
    "areas-infinity": ("areas.json", b'{"method": "m", "areas_m2": [Infinity]}'),
}


@pytest.mark.parametrize("case", sorted(BROKEN_PACKS))
def test_broken_zone_packs_are_one_line_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, good_pack: Path, case: str
) -> None:
    member, value = BROKEN_PACKS[case]
    members = _members(good_pack)
    if value is KeyError:
        del members[member]
    else:
        members[member] = value if isinstance(value, bytes) else json.dumps(value).encode()
    pack = _repack(tmp_path / f"{case}.zip", members)
    if case != "missing-member":  # without geoms.wkb it is not a zone pack but a zip
        with pytest.raises(ZoneDataError) as info:
            read_zonepack(pack)
        assert str(info.value).startswith(f"zone pack {pack}") or "corrupt" in str(info.value)
    line = contract(timed_run(capsys, "check", "--at", "35,135", "--eez", str(pack)), 2)
    assert str(pack) in line


def test_a_scenario_eez_pack_names_the_scenario(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, good_pack: Path
) -> None:
    members = _members(good_pack)
    members["geoms.wkb"] = b"\x01\x00"
    _repack(tmp_path / "bad.zip", members)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "title: T\neez: bad.zip\ncountries: [Japan]\noutputs: [report]\n"
        "events: [{site: Sariwon, ranges: [400km]}]\n",
        encoding="utf-8",
    )
    line = contract(timed_run(capsys, "build", str(scenario), "--out", str(tmp_path / "o")), 2)
    assert line.startswith(f"rangezone: error: {scenario}, line 2, field 'eez': zone pack ")
    assert not (tmp_path / "o").exists()


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=12,
)  # fmt: skip


@given(
    member=st.sampled_from(["dataset.json", "records.json", "geoms.wkb", "areas.json"]),
    value=st.one_of(st.binary(max_size=120), json_values.map(lambda v: json.dumps(v).encode())),
)
def test_random_zone_pack_members(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, member: str, value: bytes
) -> None:
    path = tmp_path / "good.zip"
    write_zonepack(path, DatasetInfo(name="test zones"), [RECORD], [SQUARE])
    members = _members(path)
    members[member] = value
    pack = _repack(tmp_path / "fuzzed.zip", members)
    contract(timed_run(capsys, "check", "--at", "35,135", "--eez", str(pack)), 0, 2)


# --- the registry (active.json) --------------------------------------------------------------


@given(data=st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode())))
@example(data=b"\xa2\xff\xfe binary")
@example(data=b'{"path": 5}')
@example(data=b'{"path": "datasets/x.zip", "name": 7}')
@example(data=b'{"path": "a\\u0000b"}')
def test_a_damaged_registry_never_blocks_list_or_use_default(
    capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "active.json").write_bytes(data)
    contract(timed_run(capsys, "eez", "list"), 0)
    # loading zones from a damaged or dangling registry is an environment failure: exit 1
    contract(timed_run(capsys, "eez", "info"), 0, 1)
    result = timed_run(capsys, "eez", "use", "default")
    contract(result, 0)
    assert not (folder / "active.json").exists()


def test_a_binary_registry_is_one_line_for_check_then_use_default_repairs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "active.json").write_bytes(b"\xa2\xff\xfe binary")
    line = contract(timed_run(capsys, "check", "--at", "35,135"), 1)
    assert line == (
        f"rangezone: error: {folder / 'active.json'} is corrupt (not UTF-8 text); run "
        "'rangezone eez use default' (back to the modelled default) or 'rangezone eez import' "
        "again"
    )
    contract(timed_run(capsys, "eez", "use", "default"), 0)
    assert run(capsys, "check", "--at", "35,135").code == 0


def test_a_damaged_active_pack_is_one_line(
    capsys: pytest.CaptureFixture[str], good_pack: Path
) -> None:
    datasets = data_dir() / "datasets"
    datasets.mkdir(parents=True)
    members = _members(good_pack)
    members["records.json"] = b'["x"]'
    _repack(datasets / "mine.zip", members)
    (data_dir() / "active.json").write_text('{"path": "datasets/mine.zip", "name": "mine"}')
    assert "records.json[0]" in contract(timed_run(capsys, "check", "--at", "35,135"), 2)
    assert contract(timed_run(capsys, "eez", "list"), 0) == ""
    contract(timed_run(capsys, "eez", "use", "default"), 0)


# --- zone files read through GDAL --------------------------------------------------------------


@given(
    data=st.binary(max_size=300),
    suffix=st.sampled_from([".geojson", ".json", ".gpkg", ".shp", ".zip", ".kml", ".fgb"]),
)
def test_random_bytes_as_a_zone_file(
    capfd: pytest.CaptureFixture[str], tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"zones{suffix}"
    path.write_bytes(data)
    # capfd: GDAL writing to the process's stderr directly would show here too
    contract(timed_run(capfd, "check", "--at", "35,135", "--eez", str(path)), 0, 2)


def _geojson(coords: Any, crs: Any = None) -> str:
    doc: dict[str, Any] = {"type": "FeatureCollection"}
    if crs is not None:
        doc["crs"] = crs
    doc["features"] = [
        {"type": "Feature", "properties": {"name": "a"},
         "geometry": {"type": "MultiPolygon", "coordinates": coords}}
    ]  # fmt: skip
    return json.dumps(doc)


ZONE_FILES = {
    "nan": _geojson([[[[0, 0], [float("nan"), 0], [1, 1], [0, 0]]]]),
    "huge-longitudes": _geojson([[[[-1e300, 0], [1e300, 0], [1e300, 10], [-1e300, 0]]]]),
    "far-longitudes": _geojson([[[[0, 0], [1e7, 0], [1e7, 10], [0, 0]]]]),
    "garbage-crs": _geojson(
        [[[[0, 0], [1, 0], [1, 1], [0, 0]]]],
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::99999999"}},
    ),
    "garbage-crs-link": _geojson([[[[0, 0], [1, 0], [1, 1], [0, 0]]]], {"type": "link"}),
}


@pytest.mark.parametrize("case", sorted(ZONE_FILES))
def test_broken_zone_files_are_one_line_errors(
    capfd: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    path = tmp_path / "zones.geojson"
    path.write_text(ZONE_FILES[case], encoding="utf-8")
    line = contract(timed_run(capfd, "check", "--at", "0.5,0.5", "--eez", str(path)), 2)
    assert "zones.geojson" in line


def test_a_plain_sqlite_gpkg_prints_one_line_without_gdal_noise(
    capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "plain.gpkg"
    con = sqlite3.connect(path)
    con.execute("create table t(a)")
    con.commit()
    con.close()
    line = contract(timed_run(capfd, "check", "--at", "35,135", "--eez", str(path)), 2)
    assert line.startswith(f"rangezone: error: cannot read zone file {path}: ")
    assert "site-packages" not in line


def test_a_valid_crs_member_still_reads(capfd: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "zones.geojson"
    path.write_text(
        _geojson(
            [[[[130, 30], [140, 30], [140, 40], [130, 40], [130, 30]]]],
            {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        ),
        encoding="utf-8",
    )
    result = timed_run(capfd, "check", "--at", "35,135", "--eez", str(path))
    contract(result, 0)
    assert "zone a" in result.out or " a " in result.out, result.out


# --- the user's own places (places.csv in the data directory) -------------------------------

PLACES_HEADER = "name,aliases,country,kind,lat,lon,source\n"


@given(
    data=st.one_of(
        st.binary(max_size=200),
        st.lists(
            st.sampled_from(["Mine", "", "nan", "inf", "95", "-181", "1e999", "40", "125",
                             '"', "a;b", "\x00", "KP", "site"]),
            min_size=7, max_size=7,
        ).map(lambda row: (PLACES_HEADER + ",".join(row) + "\n").encode("utf-8", "surrogatepass")),
    )
)  # fmt: skip
@example(data=(PLACES_HEADER + "Mine,,KP,site,nan,inf,me\n").encode())
@example(data=b"\xff\xfe\x00binary")
def test_a_damaged_places_file_is_one_line(capsys: pytest.CaptureFixture[str], data: bytes) -> None:
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "places.csv").write_bytes(data)
    contract(timed_run(capsys, "sites"), 0, 2)
    contract(timed_run(capsys, "ring", "--site", "Mine", "--range", "100km"), 0, 2)
