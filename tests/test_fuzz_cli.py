"""Fuzzing the command line in-process: random argument strings against the contract.

Whatever the arguments: exit 0, 1 or 2 (2 for anything the user gave), exactly one stderr
line for a failure, no traceback and no "internal error", and an answer within seconds.
The subcommands drawn are the fast ones (no image rendering: -o is kept to stdout or
GeoJSON); the examples issue 13 lists are pinned below with their exact exit codes.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from cli_helpers import CliResult, run
from hypothesis import given
from hypothesis import strategies as st

SLOW_S = 5.0

# option -> plausible values; random text is mixed in by the strategy
OPTIONS: dict[str, dict[str, list[str]]] = {
    "check": {
        "--at": ["39.02,125.75", "35,135", "52SCG1234567890", "38°30'28\"N 125°45'16\"E"],
        "--site": ["Sariwon", "Tokyo", "nowhere"],
        "--range": ["400km", "216nm", "0km"],
        "--min-range": ["100km"],
        "--sector": ["60..120", "NE..SE", "60..60"],
        "--country": ["Japan", "JP", "ROK", "Atlantis"],
        "--from": ["Sariwon", "39,125"],
        "--distance": ["250km"],
        "--bearing": ["90", "E", "45°°"],
        "--distance-uncertainty": ["10%", "0.1", "nan"],
        "--bearing-uncertainty": ["10", "inf"],
        "--json": [],
    },
    "ring": {
        "--at": ["39.02,125.75", "-45.5,170.2"],
        "--site": ["Sariwon"],
        "--range": ["400km", "1km", "30000km"],
        "--min-range": ["100km"],
        "--bearing": ["60..120"],
        "--missile": ["Hwasong-15", "nope"],
        "--tolerance": ["100m", "1km"],
        "--with-rings": [],
    },
    "impact": {
        "--from": ["Sariwon", "39,125"],
        "--distance": ["250km", "1e9km"],
        "--bearing": ["W", "NNW", "45°"],
        "--json": [],
    },
    "sites": {},
    "trajectory": {
        "--range": ["1000km", "0km"],
        "--apogee": ["6000km", "1mm"],
        "--flight-time": ["30", "nan", "-1", "1e400"],
        "--azimuth": ["90", "NE", "nan"],
        "--lat": ["40", "inf", "-91"],
        "--burn-time": ["60", "nan"],
        "--json": [],
    },
}
NASTY = ["", " ", "\t", "\n", "\x00", "\x1b[31m", "\u2028", "-", "--", "=", "'", '"', "..",
         "1" + " " * 300 + "!", "9" * 500, "nan", "-inf", "1e309", "%", "°°", "/dev/zero",
         "../..", "=HYPERLINK(\"x\")", "<script>", "٤٠٠km", "x" * 300 + ".zip"]  # fmt: skip
text_values = st.one_of(st.text(max_size=30), st.sampled_from(NASTY))


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    cmd = draw(st.sampled_from(sorted(OPTIONS)))
    argv = [cmd]
    options = OPTIONS[cmd]
    for _ in range(draw(st.integers(0, 4))):
        if not options or draw(st.integers(0, 5)) == 0:
            argv.append(draw(text_values))  # a stray argument or a made-up option
            continue
        name = draw(st.sampled_from(sorted(options)))
        argv.append(name)
        if options[name]:
            value = draw(st.one_of(st.sampled_from(options[name]), text_values))
            if draw(st.booleans()):
                argv[-1] = f"{name}={value}"
            else:
                argv.append(value)
    return argv


def contract(result: CliResult) -> None:
    assert "Traceback" not in result.err, result.err
    assert "internal error" not in result.err, result.err
    assert result.code in (0, 1, 2), result
    if result.code != 0:
        assert len(result.err_lines) == 1 and result.err.endswith("\n"), result.err
        # no raw control characters: a terminal escape in a value must not reach the terminal
        assert result.err_lines[0].isprintable(), result.err


@given(argv=command_lines())
def test_random_command_lines_keep_the_contract(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    start = time.perf_counter()
    result = run(capsys, *argv)
    assert time.perf_counter() - start < SLOW_S, argv
    contract(result)
    if result.code == 1:
        # 1 is for the environment; with no network and no registry, only input can fail
        pytest.fail(f"exit 1 for {argv!r}: {result.err}")


@given(args=st.lists(text_values, max_size=5))
def test_random_words_after_rangezone(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    contract(run(capsys, *args))


# The examples of issue 13 that are command lines: (argv, exit code).
ISSUE_EXAMPLES: list[tuple[list[str], int]] = [
    (["check", "--at", "39.0" + " " * 5000 + "125.0"], 2),
    (["check", "--at", " ".join(["1"] * 60000)], 2),
    (["ring", "--at", "39,125", "--range", "1" + " " * 5000 + "!"], 2),
    (["check", "--at", "39.0\n,125.0"], 2),
    (["check", "--at", "39.0,\t125.0"], 2),
    (["check", "--at", "52XCG1234567890"], 2),
    (["ring", "--at", "39,125", "--range", ""], 2),
    (["check", "--at", "39,125", "--range", ""], 2),
    (["ring", "--at", "39,125", "--range", "400km", "--bearing", ""], 2),
    (["ring", "--at", "39,125", "--range", "400km", "-o", "m.html", "--map-size", ""], 2),
    (["ring", "--at", "39,125", "--range", "400km", "-o", "m.html", "--online-tiles", ""], 2),
    (["impact", "--from", "Sariwon", "--distance", "400km", "--bearing", "45°°"], 2),
    (["ring", "--at", "39,125", "--range", "400km", "-o", "m.png", "--title", "A " * 60000], 2),
    (["eez", "fetch", "--timeout", "nan"], 2),
    (["eez", "fetch", "--timeout", "inf"], 2),
    (["eez", "import", "zones.geojson", "--name", "ab\udcff\udcfe"], 2),
    (["ring", "--at", "39,125", "--range", "400km", "-o", "o_\udcff.geojson"], 2),
    (
        ["ring", "--at", "39,125", "--range", "400km", "-o", "m.html", "--online-tiles",
         "https://x;script-src/{z}/{x}/{y}.png"],
        2,
    ),
    (
        ["ring", "--at", "39,125", "--range", "400km", "-o", "m.html", "--online-tiles",
         "http://x.org/{z}/{x}/{y}.png"],
        2,
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "code"), ISSUE_EXAMPLES, ids=[f"example{i}" for i in range(len(ISSUE_EXAMPLES))]
)
def test_issue_examples(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    code: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"name": "a"}, "geometry": {"type": "Polygon", "coordinates": '
        "[[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}",
        encoding="utf-8",
    )
    start = time.perf_counter()
    result = run(capsys, *argv)
    assert time.perf_counter() - start < SLOW_S
    contract(result)
    assert result.code == code, result
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zones.geojson"]  # nothing written


def test_a_build_into_a_file_is_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "title: T\noutputs: [report]\nevents: [{site: Sariwon, ranges: [400km]}]\n",
        encoding="utf-8",
    )
    (tmp_path / "afile").write_text("keep", encoding="utf-8")
    result = run(capsys, "build", str(scenario), "--out", str(tmp_path / "afile"))
    contract(result)
    assert result.code == 2
    assert (
        result.err
        == f"rangezone: error: cannot write {tmp_path / 'afile'}: it is a file, not a folder\n"
    )
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "keep"


def test_a_failed_build_leaves_the_previous_outputs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "title: T\noutputs: [report, html]\nevents: [{site: Sariwon, ranges: [400km]}]\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("previous", encoding="utf-8")
    result = run(capsys, "build", str(scenario), "--out", str(out), "--online-tiles", "nope.nope")
    contract(result)
    assert result.code == 2
    assert sorted(p.name for p in out.iterdir()) == ["report.md"]
    assert (out / "report.md").read_text(encoding="utf-8") == "previous"
    # a new folder for a failed build is not left behind either
    result = run(
        capsys, "build", str(scenario), "--out", str(tmp_path / "new"), "--online-tiles", "x"
    )
    assert result.code == 2
    assert not (tmp_path / "new").exists()


def test_a_full_disk_while_writing_a_gpkg_is_one_line_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from geo.present import exports

    def full(content: object, path: Path) -> None:
        path.write_bytes(b"partial")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(exports, "_write_gpkg_file", full)
    target = tmp_path / "x.gpkg"
    result = run(
        capsys, "ring", "--at", "39,125", "--range", "400km", "--no-eez", "-o", str(target)
    )
    contract(result)
    assert result.code == 1  # the environment, not the user's input
    assert result.err == f"rangezone: error: cannot write {target}: database or disk is full\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", NASTY)
def test_eez_commands_with_nasty_values(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    value: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    for argv in (["eez", "use", value], ["eez", "info", "--eez", value]):
        result = run(capsys, *argv)
        contract(result)
        assert result.code == 2, (argv, result)


# --- CSV output: formula cells neutralised, JSON verbatim (OWASP CSV injection) -------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
cell_text = st.text(
    alphabet=st.sampled_from(list("=+-@\t\r\n,;\"' aZ0(")) | st.characters(codec="utf-8",
                             exclude_categories=["Cs"], exclude_characters="\x00"),
    max_size=12,
)  # fmt: skip


def _batch(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    import csv

    path = tmp_path / "points.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "lat", "lon", "note"])
        writer.writerows([[pid, "-45.5", "170.2", note] for pid, note in rows])
    return path


def _csv_rows(text: str) -> list[dict[str, str]]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text, newline="")))


@given(
    ids=st.lists(cell_text.filter(lambda t: t.strip()), min_size=1, max_size=3),
    notes=st.lists(cell_text, min_size=3, max_size=3),
)
def test_check_csv_neutralises_formula_cells_and_json_keeps_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, ids: list[str], notes: list[str]
) -> None:
    import json

    rows = [(pid, notes[i]) for i, pid in enumerate(ids)]
    path = _batch(tmp_path, rows)
    result = run(capsys, "check", "--csv", str(path))
    contract(result)
    assert result.code == 0, result
    out = _csv_rows(result.out)
    assert len(out) == len(rows)
    for got, (pid, note) in zip(out, rows, strict=True):
        for cell in got.values():
            if cell.startswith(FORMULA_START):  # only numbers may start so: -45.5
                float(cell)
        for given_text, shown in ((pid.strip(), got["id"]), (note, got["input_note"])):
            want = "'" + given_text if given_text.startswith(FORMULA_START) else given_text
            assert shown == want, (given_text, shown)
    result = run(capsys, "check", "--csv", str(path), "--json")
    assert result.code == 0, result
    records = json.loads(result.out)
    # verbatim, formula characters and all (an empty cell is null)
    assert [(r["id"], r["input_note"] or "") for r in records] == [(p.strip(), n) for p, n in rows]


def test_a_carriage_return_inside_a_cell_cannot_start_a_formula(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    note = "x\r=1+2"  # no comma or quote, so nothing else makes the writer quote it
    result = run(capsys, "check", "--csv", str(_batch(tmp_path, [("p1", note)])))
    assert result.code == 0, result
    # a reader that ends rows at a bare CR (as spreadsheets do) must not see a formula cell
    import csv
    import io

    rows = list(csv.reader(io.StringIO(result.out.replace("\r", "\n"), newline="")))
    assert all(not cell.startswith("=") for row in rows for cell in row), rows
