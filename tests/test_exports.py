"""GIS exports read back: same features, kinds and attributes in GeoJSON, KML and GPKG."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from shapely.geometry import Point

from geo.core.shapes import annulus
from geo.present.content import MapContent, MapFeature
from geo.present.exports import layer_name, render_kml, write_geojson, write_gpkg, write_kml

KML = "{http://www.opengis.net/kml/2.2}"
TRICKY = "Site <\"A\"> & 'B' \x01"


def _content(eez: Path | None = None) -> MapContent:
    from test_html_map import ANADYR, SARIWON, seed_content

    content = seed_content(eez=eez)
    # an annulus (one polygon with a hole), one split at the antimeridian (two polygons whose
    # hole is cut open), and awkward text
    holed = annulus(SARIWON, 500_000, 600_000)
    content.features.append(
        MapFeature(holed.geometry, "impact_area", "500-600 km", {"min_km": 500, "max_km": 600})
    )
    ann = annulus(ANADYR, 800_000, 1_000_000)
    content.features.append(
        MapFeature(ann.geometry, "impact_area", "800-1,000 km", {"min_km": 800, "max_km": 1000})
    )
    content.features.append(
        MapFeature(Point(127.0, 37.5), "site", TRICKY, {"note": TRICKY, "ok": True, "n": None})
    )
    return content


@pytest.fixture(scope="module")
def content(map_zones: Path | None) -> MapContent:
    return _content(map_zones)


def test_geojson_round_trip(content: MapContent, tmp_path: Path) -> None:
    out = tmp_path / "map.geojson"
    write_geojson(content, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["features"]) == len(content.features)
    for feat, orig in zip(data["features"], content.features, strict=True):
        assert feat["properties"]["kind"] == orig.kind
        assert feat["properties"]["label"] == orig.label
        for k, v in orig.properties.items():
            assert feat["properties"][k] == v
    assert data["properties"]["title"] == content.title
    assert data["properties"]["attribution"] == content.attribution_lines()
    df = pyogrio.read_dataframe(out)
    assert len(df) == len(content.features)
    assert Counter(df["kind"]) == Counter(f.kind for f in content.features)


def test_kml_structure(content: MapContent, tmp_path: Path) -> None:
    out = tmp_path / "map.kml"
    write_kml(content, out)
    root = ET.parse(out).getroot()
    doc = root.find(f"{KML}Document")
    assert doc is not None
    assert doc.findtext(f"{KML}name") == content.title
    marks = root.findall(f".//{KML}Placemark")
    assert len(marks) == len(content.features)
    folders = [f.findtext(f"{KML}name") for f in doc.findall(f"{KML}Folder")]
    assert folders == [
        "EEZ zones",
        "Range areas",
        "Impact areas",
        "Reported impact uncertainty",
        "Range rings",
        "Reported impacts",
        "Launch sites",
    ]
    # every placemark uses a defined style
    styles = {s.get("id") for s in doc.findall(f"{KML}Style")}
    assert all(m.findtext(f"{KML}styleUrl", "").lstrip("#") in styles for m in marks)

    def data(mark: ET.Element) -> dict[str, str]:
        return {d.get("name", ""): d.findtext(f"{KML}value", "") for d in mark.iter(f"{KML}Data")}

    by_kind = Counter(data(m)["kind"] for m in marks)
    assert by_kind == Counter(f.kind for f in content.features)
    eez = [data(m) for m in marks if data(m)["kind"] == "eez"]
    first = next(f for f in content.features if f.kind == "eez")
    assert eez[0]["name"] == first.properties["name"]
    assert json.loads(eez[0]["territories"]) == first.properties["territories"]
    tricky = next(m for m in marks if data(m).get("note"))
    assert tricky.findtext(f"{KML}name") == TRICKY.replace("\x01", "")
    assert data(tricky)["note"] == TRICKY.replace("\x01", "")
    assert data(tricky)["ok"] == "true" and data(tricky)["n"] == ""
    # the annulus keeps its hole; the parts split at 180° form a MultiGeometry
    impacts = {m.findtext(f"{KML}name"): m for m in marks if data(m)["kind"] == "impact_area"}
    holed = impacts["500-600 km"]
    assert holed.find(f".//{KML}MultiGeometry") is None
    (polygon,) = holed.findall(f".//{KML}Polygon")
    assert len(polygon.findall(f"{KML}outerBoundaryIs")) == 1
    assert len(polygon.findall(f"{KML}innerBoundaryIs")) == 1
    split = impacts["800-1,000 km"].findall(f"{KML}MultiGeometry")
    assert len(split) == 1
    parts = split[0].findall(f"{KML}Polygon")
    assert len(parts) == 2
    lons = []
    for part in parts:
        assert part.find(f"{KML}innerBoundaryIs") is None  # the hole is cut open at 180°
        coords = part.findtext(f"{KML}outerBoundaryIs/{KML}LinearRing/{KML}coordinates", "")
        lons.append([float(xyz.split(",")[0]) for xyz in coords.split()])
    # one part west of the antimeridian, one east, meeting at ±180°
    west, east = sorted(lons, key=min)
    assert min(west) == -180.0 and max(west) < 0
    assert max(east) == 180.0 and min(east) > 0
    area = next(m for m in marks if data(m)["kind"] == "range_area")
    assert area.find(f".//{KML}Polygon") is not None


def test_kml_modelled_zones_say_so() -> None:
    from test_html_map import seed_content

    text = render_kml(seed_content(modelled=True))
    root = ET.fromstring(text)
    names = [
        m.findtext(f"{KML}name", "")
        for m in root.iter(f"{KML}Placemark")
        if any(d.findtext(f"{KML}value") == "eez" for d in m.iter(f"{KML}Data"))
    ]
    assert names and all(n.endswith("(modelled)") for n in names)
    assert "MODELLED" in (root.find(f"{KML}Document/{KML}description").text or "")  # type: ignore[union-attr]


def _expected(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def test_gpkg_round_trip(content: MapContent, tmp_path: Path) -> None:
    out = tmp_path / "map.gpkg"
    write_gpkg(content, out)
    layers = {name: gtype for name, gtype in pyogrio.list_layers(out)}
    kinds = list(dict.fromkeys(f.kind for f in content.features))
    assert set(layers) == {layer_name(k) for k in kinds} | {"map_info"}
    assert layers["map_info"] is None
    for kind in kinds:
        df = pyogrio.read_dataframe(out, layer=layer_name(kind))
        feats = content.of_kind(kind)
        assert len(df) == len(feats)
        assert set(df["kind"]) == {kind}
        assert list(df["label"]) == [f.label for f in feats]
        for i, f in enumerate(feats):
            for k, v in f.properties.items():
                got = df[k].iloc[i]
                if v is None:
                    assert got is None or got != got  # null / NaN
                elif isinstance(v, float):
                    assert got == v, (kind, k)  # a REAL column is a double: exact
                else:
                    assert got == _expected(v), (kind, k)
            # GeoPackage stores doubles: the geometry comes back exactly (as Multi*)
            assert df.geometry.iloc[i].equals(_multi(f.geometry)), (kind, i)
    info = pyogrio.read_dataframe(out, layer="map_info")
    rows = dict(zip(info["key"], info["value"], strict=True))
    assert rows["title"] == content.title
    assert rows["eez_name"] == "Marine Regions World EEZ"
    assert content.attribution_lines()[-1] in rows.values()
    eez = pyogrio.read_dataframe(out, layer="eez")
    assert str(eez["mrgid"].dtype).lower().startswith("int")


def _multi(g: Any) -> Any:
    from shapely.geometry import LineString, MultiLineString, MultiPoint, MultiPolygon, Polygon

    if isinstance(g, Polygon):
        return MultiPolygon([g])
    if isinstance(g, LineString):
        return MultiLineString([g])
    if isinstance(g, Point):
        return MultiPoint([g])
    return g


def test_writes_are_atomic(content: MapContent, tmp_path: Path) -> None:
    for name, writer in (
        ("a.geojson", write_geojson),
        ("a.kml", write_kml),
        ("a.gpkg", write_gpkg),
    ):
        writer(content, tmp_path / name)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.geojson", "a.gpkg", "a.kml"]


# --- failed writes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "writer"), [("a.geojson", write_geojson), ("a.kml", write_kml), ("a.gpkg", write_gpkg)]
)
def test_failed_write_names_the_target(
    content: MapContent, tmp_path: Path, name: str, writer: Any
) -> None:
    from geo.errors import OutputPathError

    (tmp_path / "file").write_text("x", encoding="utf-8")
    target = tmp_path / "file" / name
    with pytest.raises(OutputPathError) as err:
        writer(content, target)
    assert str(err.value) == f"cannot write {target}: Not a directory"
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_writer_failure_leaves_no_temporary_file(tmp_path: Path) -> None:
    import errno

    from geo.access.atomic import write_with
    from geo.errors import InputError, WriteError

    target = tmp_path / "map.png"
    target.write_bytes(b"old")
    seen: list[Path] = []

    def fails(errno_: int | None, message: str) -> Any:
        def writer(tmp: Path) -> None:
            seen.append(tmp)
            tmp.write_bytes(b"partial")
            if errno_ is None:  # a library's OSError: only a message, naming its file
                raise OSError(f"could not save {tmp}: broken pipe")
            raise OSError(errno_, message, str(tmp))

        return writer

    with pytest.raises(WriteError) as err:
        write_with(target, fails(errno.EIO, "Input/output error"))
    assert str(err.value) == f"cannot write {target}: Input/output error"
    assert not isinstance(err.value, InputError)  # not the user's fault: exit code 1
    with pytest.raises(WriteError) as err:
        write_with(target, fails(None, ""))
    assert str(err.value) == f"cannot write {target}: could not save {target}: broken pipe"
    with pytest.raises(InputError) as err2:
        write_with(target, fails(errno.EACCES, "Permission denied"))
    assert str(err2.value) == f"cannot write {target}: Permission denied"
    assert seen[0].name.startswith(".rangezone-tmp-")  # hidden, recognisable, beside the target
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]
    assert target.read_bytes() == b"old"


# --- the Markdown report ------------------------------------------------------------------

MD_NASTY = {
    "pipe": "Zone | with | pipes",
    "lines": "first line\nsecond line\r\nthird\rfourth\u2028fifth",
    "html": "<script>alert(1)</script> <img src=x onerror=alert(1)>",
    "emphasis": "**bold** _it_ `code` [link](https://x.example) ~~gone~~ a\\|b \\",
    "tilde": "~100 km altitude, ~400 km range",
    "entity": "R&amp;D &#60; & co",
}


def _report(text: str) -> Any:  # a ReportRecord as JSON gives it, parts hostile
    zone = {
        "name": text,
        "territory": text,
        "pol_type": "200NM",
        "overlap_km2": 1234.0,
        "fraction_of_area": 0.25,
        "distance_from_launch_km": 10.0,
    }
    verdict = {"country": text, "status": "outside", "margin_km": 5.0, "p_inside": 0.1}
    return {
        "title": text,
        "subtitle": text,
        "date": "2024-11-05",
        "dataset": {"name": text, "version": "1", "modelled": False},
        "events": [
            {
                "name": text,
                "time": text,
                "site": {"name": text, "lat": 38.5, "lon": 125.75},
                "ranges": [{"label": text, "countries": [{"summary": text}], "zones": [zone]}],
                "impacts": [
                    {
                        "label": text,
                        "source": text,
                        "verdicts": [
                            {
                                "lat": 39.0,
                                "lon": 130.0,
                                "verdict": {**verdict, "note": text},
                                "containing": [{**zone, "distance_to_boundary_km": 3.0}],
                            }
                        ],
                    }
                ],
                "sources": [text, text],
            }
        ],
        "attribution": [text],
    }


_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _literal(md: str) -> str:
    """Markdown inline text as a reader sees it, when it holds nothing but text and
    backslash escapes (table pipes already unescaped by :func:`_cells`)."""
    out: list[str] = []
    i = 0
    while i < len(md):
        if md[i] == "\\" and i + 1 < len(md) and md[i + 1] in _PUNCT:
            out.append(md[i + 1])
            i += 2
            continue
        assert md[i] not in "*_`[]<~", f"unescaped {md[i]!r} in {md!r}"
        if md[i] == "&":
            assert not re.match(r"&#?[A-Za-z0-9]+;", md[i:]), f"raw entity in {md!r}"
        out.append(md[i])
        i += 1
    return "".join(out)


def _cells(row: str) -> list[str]:
    """A GFM table row split at its unescaped pipes (a pipe after a backslash is text)."""
    assert row.startswith("| ") and row.endswith(" |")
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", row[1:-1])]


@pytest.mark.parametrize("key", list(MD_NASTY))
def test_report_markdown_keeps_user_text_literal(key: str) -> None:
    from geo.present.report import report_markdown

    raw = MD_NASTY[key]
    shown = " ".join(raw.split())  # one line: line breaks read as spaces
    md = report_markdown(_report(raw))
    lines = md.splitlines()
    assert "\r" not in md and "\u2028" not in md and not re.search(r"(?<!\\)<", md)
    assert _literal(lines[0].removeprefix("# ")) == shown
    assert _literal(lines[2]) == shown  # the subtitle paragraph
    [row] = [ln for ln in lines if ln.startswith("| ") and "1,234" in ln]
    cells = _cells(row)
    assert len(cells) == 6
    assert [_literal(c) for c in cells[:2]] == [shown, shown]
    assert f"- {lines[-1][2:]}" == lines[-1] and _literal(lines[-1][2:]) == shown


def test_report_markdown_lines_keep_their_structure() -> None:
    from geo.present.report import report_markdown

    md = report_markdown(_report("# Not a heading ##")).splitlines()
    assert md[0] == "# \\# Not a heading \\#\\#"
    assert md[2] == "\\# Not a heading \\#\\#"
    for text, line in (
        ("- not a list", "\\- not a list"),
        ("+ nor this", "\\+ nor this"),
        ("1. nor this", "1\\. nor this"),
        ("2024) nor this", "2024\\) nor this"),
        ("> not a quote", "\\> not a quote"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("    not code", "not code"),
    ):
        md = report_markdown(_report(text)).splitlines()
        assert md[2] == line
        assert md[-1] == f"- {line}"


@pytest.mark.parametrize(
    ("dataset", "attribution", "report"),
    [
        (
            {"name": "my zones", "modelled": False, "kind": "user"},
            "EEZ: my zones — user file, provenance unknown",
            "(a user zone file of unknown provenance)",
        ),
        (
            {"name": "Marine Regions World EEZ v12", "modelled": False, "kind": "official",
             "citation": "Flanders Marine Institute (2023)."},
            "EEZ: Marine Regions World EEZ v12",
            "(official zones)",
        ),
        (
            {"name": "rangezone modelled EEZ", "modelled": True, "kind": "modelled",
             "citation": "rangezone modelled 200 NM zones"},
            "EEZ: rangezone modelled EEZ — MODELLED, not official boundaries",
            "(**modelled** zones, not official boundaries)",
        ),
    ],
    ids=["user-file", "official", "modelled"],
)  # fmt: skip
def test_a_zone_file_of_unknown_provenance_is_never_called_official(
    dataset: dict[str, Any], attribution: str, report: str
) -> None:
    from geo.access.zonepack import DatasetInfo
    from geo.present.report import report_markdown

    info = DatasetInfo(
        name=dataset["name"], modelled=dataset["modelled"], citation=dataset.get("citation", "")
    )
    assert info.kind == dataset["kind"]
    assert MapContent("t", dataset=info).attribution_lines()[0] == attribution
    md = report_markdown(_report("x") | {"dataset": {**dataset, "version": ""}})
    [line] = [ln for ln in md.splitlines() if ln.startswith("EEZ dataset: ")]
    assert line.endswith(f"{report}.")


@pytest.mark.parametrize(
    ("name", "version", "line"),
    [
        ("Marine Regions World EEZ v10", "v10", "Marine Regions World EEZ v10"),
        ("Marine Regions World EEZ v12", "v12 (2023-10-25)",
         "Marine Regions World EEZ v12 v12 (2023-10-25)"),
        ("rangezone modelled EEZ", "1 (Natural Earth 10m v5.1.1)",
         "rangezone modelled EEZ 1 (Natural Earth 10m v5.1.1)"),
        ("my zones", "", "my zones"),
        ("my zones", None, "my zones"),
    ],
    ids=["in-name", "not-in-name", "modelled", "empty", "none"],
)  # fmt: skip
def test_report_dataset_line_does_not_repeat_the_version(
    name: str, version: str | None, line: str
) -> None:
    """As check's ``dataset:`` line: a version already in the name is not repeated."""
    from geo.present.report import report_markdown

    ds: dict[str, Any] = {"name": name, "modelled": False, "kind": "official"}
    if version is not None:
        ds["version"] = version
    md = report_markdown(_report("x") | {"dataset": ds}).splitlines()
    assert f"EEZ dataset: {line} (official zones)." in md


@pytest.mark.parametrize("attribution", [["a", "b"], []])
def test_report_markdown_ends_with_one_newline(attribution: list[str], tmp_path: Path) -> None:
    from geo.present.report import report_markdown, write_report

    report: Any = {**_report("x"), "attribution": attribution}
    md = report_markdown(report)
    assert md.endswith("\n") and not md.endswith("\n\n")
    written = write_report(report, tmp_path / "report")
    assert written[0].read_text(encoding="utf-8") == md


def _event_report(**event: Any) -> Any:
    report = _report("x")
    report["events"] = [{**report["events"][0], **event}]
    return report


def test_report_markdown_shows_event_notes() -> None:
    from geo.present.report import report_markdown

    notes = "Japan placed every impact outside its EEZ;\nthe *range* area must not reach it."
    md = report_markdown(_event_report(name="SRBM salvo", notes=notes)).splitlines()
    i = md.index("## SRBM salvo")
    assert md[i + 1 : i + 6] == [
        "",
        "Launch from x (38.5000, 125.7500) at x.",
        "",
        "Notes: Japan placed every impact outside its EEZ; the \\*range\\* area must not reach it.",
        "",
    ]
    # no notes, no line
    assert not any(ln.startswith("Notes:") for ln in report_markdown(_report("x")).splitlines())


TRAJECTORY = {
    "range_km": 1000.0,
    "apogee_km": 6000.0,
    "trajectory_class": "lofted",
    "burnout_speed_km_s": 7.8,
    "flight_path_angle_deg": 85.4,
    "min_energy_angle_deg": 9.6,
    "standard_range_km": 15767.0,
    "global_reach": False,
    "flight_time_min": 65.43,
    "reported_flight_time_min": None,
    "flight_time_difference_min": None,
}


def test_report_markdown_shows_the_flight_time() -> None:
    from geo.present.report import report_markdown

    md = report_markdown(_event_report(trajectory=TRAJECTORY)).splitlines()
    [i] = [k for k, ln in enumerate(md) if ln.startswith("Trajectory (1,000 km range")]
    assert md[i + 1 : i + 4] == ["", "Flight time: 65.4 min predicted.", ""]
    reported = {**TRAJECTORY, "reported_flight_time_min": 53.0, "flight_time_difference_min": 12.43}
    md = report_markdown(_event_report(trajectory=reported)).splitlines()
    assert md[i + 1 : i + 4] == [
        "",
        "Flight time: 65.4 min predicted; reported 53.0 min (difference +12.4 min).",
        "",
    ]
