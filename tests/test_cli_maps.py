"""CLI map options: ring lines in GeoJSON, fixed-size and online-tile HTML, missile rings."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cli_helpers import run, run_error, run_json


def test_with_rings_adds_the_circle_as_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    fc = run_json(capsys, "ring", "--site", "Sariwon", "--range", "400km", "--with-rings")
    kinds = [f["properties"]["kind"] for f in fc["features"]]
    assert kinds == ["range_area", "ring"]
    ring = fc["features"][1]
    assert ring["geometry"]["type"] == "LineString"
    assert ring["properties"]["range_km"] == 400.0


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
_Element = tuple[str, frozenset[str], str]
"""(tag, classes, id) of one element."""


class _Page(HTMLParser):
    """The text of every <style> element, and the ``rz-root`` element with its ancestors."""

    def __init__(self) -> None:
        super().__init__()
        self.styles: list[str] = []
        self.roots: list[tuple[list[_Element], str]] = []
        self._open: list[_Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        element = (tag, frozenset((a.get("class") or "").split()), a.get("id") or "")
        if tag == "style":
            self.styles.append("")
        if "rz-root" in element[1]:
            self.roots.append(([*self._open, element], a.get("style") or ""))
        if tag not in _VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1][0] == "style":
            self.styles[-1] += data


def _declarations(block: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for decl in block.split(";"):
        name, colon, value = decl.partition(":")
        if colon:
            out[name.strip().lower()] = value.strip()
    return out


def _compound(text: str, element: _Element) -> tuple[int, int, int] | None:
    """Specificity (ids, classes, tags) of ``tag.class#id`` if it matches ``element``."""
    tag = text.split(".")[0].split("#")[0]
    classes = [c.split("#")[0] for c in text.split(".")[1:]]
    ids = [i.split(".")[0] for i in text.split("#")[1:]]
    if tag not in ("", "*", element[0]) or not set(classes) <= element[1]:
        return None
    if any(i != element[2] for i in ids):
        return None
    return len(ids), len(classes), int(tag not in ("", "*"))


def _specificity(selector: str, chain: list[_Element]) -> tuple[int, int, int] | None:
    """Specificity of a selector of compounds joined by descendant combinators if it
    matches the last element of ``chain``; None if it does not match (or uses other
    combinators, attributes or pseudo-classes, which no size rule here needs)."""
    parts = selector.split()
    if not parts or any(ch in selector for ch in ">+~:[]()"):
        return None
    spec = _compound(parts[-1], chain[-1])
    if spec is None:
        return None
    i = len(chain) - 1
    for part in reversed(parts[:-1]):  # each ancestor compound, nearest first
        while i > 0:
            i -= 1
            found = _compound(part, chain[i])
            if found is not None:
                break
        else:
            return None
        spec = (spec[0] + found[0], spec[1] + found[1], spec[2] + found[2])
    return spec


def root_size(page: str) -> tuple[str | None, str | None]:
    """(width, height) the page's screen CSS gives its ``rz-root`` element: top-level
    rules (not @media) whose selector matches it, by specificity then document order,
    then its inline style. No !important is involved."""
    parser = _Page()
    parser.feed(page)
    assert len(parser.roots) == 1, "one element of class rz-root"
    chain, inline = parser.roots[0]
    sheet = "".join(parser.styles)
    while "/*" in sheet:  # comments out, so the braces below are the rules' own
        start = sheet.index("/*")
        end = sheet.find("*/", start + 2)
        sheet = sheet[:start] + (sheet[end + 2 :] if end >= 0 else "")
    found: list[tuple[tuple[int, int, int], int, dict[str, str]]] = []
    depth, selectors, buf = 0, "", ""
    for ch in sheet:  # one pass; @media blocks are skipped with everything nested
        if ch == "{":
            if depth == 0:
                selectors, buf = buf, ""
            depth += 1
        elif ch == "}":
            depth -= 1
            assert depth >= 0, "unbalanced braces in the page's CSS"
            if depth == 0 and not selectors.strip().startswith("@"):
                specs = [_specificity(sel.strip(), chain) for sel in selectors.split(",")]
                matched = [sp for sp in specs if sp is not None]
                if matched:
                    found.append((max(matched), len(found), _declarations(buf)))
            if depth == 0:
                buf = ""
        elif depth <= 1:
            buf += ch
    size: dict[str, str] = {}
    for _, _, decls in sorted(found, key=lambda f: (f[0], f[1])):
        size.update({k: v for k, v in decls.items() if k in ("width", "height")})
    size.update({k: v for k, v in _declarations(inline).items() if k in ("width", "height")})
    return size.get("width"), size.get("height")


def test_fixed_size_html(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--map-size 800x600 gives the map's root element exactly that CSS size; without it
    the map fills the window."""
    fixed, fluid = tmp_path / "m.html", tmp_path / "fluid.html"
    argv = ["ring", "--site", "Sariwon", "--range", "400km", "--format", "html"]
    rc, out, err = run(capsys, *argv, "--map-size", "800x600", "-o", str(fixed))
    assert (rc, out, err) == (0, "", f"wrote {fixed}\n")
    assert root_size(fixed.read_text(encoding="utf-8")) == ("800px", "600px")
    assert run(capsys, *argv, "-o", str(fluid)).code == 0
    assert root_size(fluid.read_text(encoding="utf-8")) == ("100%", "100%")


def test_bad_map_size_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ["ring", "--site", "Sariwon", "--range", "400km", "--format", "html"]
    err = run_error(capsys, *argv, "--map-size", "80x", "-o", str(tmp_path / "m.html"))
    assert err == "rangezone: error: map size '80x' must be WIDTHxHEIGHT in pixels, e.g. 1200x800"
    assert not (tmp_path / "m.html").exists()


def test_online_tiles_only_when_asked(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ["ring", "--site", "Sariwon", "--range", "400km", "--format", "html", "--no-eez"]
    off, on = tmp_path / "off.html", tmp_path / "on.html"
    assert run(capsys, *argv, "-o", str(off))[0] == 0
    assert run(capsys, *argv, "--online-tiles", "OpenStreetMap.Mapnik", "-o", str(on))[0] == 0
    assert "tile.openstreetmap.org" not in off.read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" in on.read_text(encoding="utf-8")


def test_missile_band_is_labelled_with_its_range(capsys: pytest.CaptureFixture[str]) -> None:
    (f,) = run_json(capsys, "ring", "--site", "Sunan", "--missile", "Hwasong-15")["features"]
    p = f["properties"]
    # The area reaches the highest estimate; the lowest is a property, not a hole.
    assert (p["kind"], p["range_km"], p["min_range_km"]) == ("range_area", 13000.0, 0.0)
    assert p["range_low_km"] == 8500.0
    assert p["label"] == "Hwasong-15: 8,500–13,000 km"
    assert p["missile"] == "Hwasong-15" and "CSIS" in p["estimate_by"] and p["source"]


def test_flown_ring_and_the_opt_in_standard_range(capsys: pytest.CaptureFixture[str]) -> None:
    from geo.core.ballistics import standard_range_km_for_flight

    flight = ("ring", "--site", "Sunan", "--flown", "950km", "--apogee", "4475km")
    (f,) = run_json(capsys, *flight)["features"]
    assert f["properties"]["range_km"] == 950.0
    assert f["properties"]["label"] == "Flown 950 km (observed)"
    flown, std = run_json(capsys, *flight, "--with-standard-range")["features"]
    assert flown["properties"]["range_km"] == 950.0
    want = standard_range_km_for_flight(950.0, 4475.0)
    assert want is not None
    assert abs(std["properties"]["range_km"] - want) < 1e-9
    assert std["properties"]["label"].startswith(f"Standard range {want:,.0f} km (energy bound")
    err = run_error(capsys, "ring", "--site", "Sunan", "--range", "100km", "--with-standard-range")
    assert err == (
        "rangezone: error: --with-standard-range needs --flown and --apogee (an observed flight)"
    )


def test_flown_without_apogee_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    err = run_error(capsys, "ring", "--site", "Sunan", "--flown", "950km")
    assert err == "rangezone: error: --flown and --apogee go together: give both"


# --- the output format and the -o suffix ------------------------------------------------

RING = ["ring", "--site", "Sariwon", "--range", "400km", "--no-eez"]
MAGIC = {
    "geojson": b'{"type":"FeatureCollection"',
    "html": b"<!DOCTYPE html>",
    "kml": b"<?xml",
    "gpkg": b"SQLite format 3\x00",
    "png": b"\x89PNG\r\n\x1a\n",
    "svg": b"<?xml",
    "pdf": b"%PDF-",
}


def _kind(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(b"<?xml"):
        return "svg" if b"<svg" in data[:2000] else "kml" if b"<kml" in data[:2000] else "xml"
    return next((k for k, m in MAGIC.items() if data.startswith(m)), "unknown")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("ring.geojson", "geojson"),
        ("ring.json", "geojson"),
        ("map.html", "html"),
        ("MAP.HTM", "html"),
        ("layers.kml", "kml"),
        ("layers.gpkg", "gpkg"),
        pytest.param("map.png", "png", marks=pytest.mark.slow),  # a matplotlib render each
        pytest.param("map.svg", "svg", marks=pytest.mark.slow),
        pytest.param("map.pdf", "pdf", marks=pytest.mark.slow),
    ],
)
def test_format_follows_the_output_suffix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, kind: str
) -> None:
    path = tmp_path / name
    rc, out, err = run(capsys, *RING, "-o", str(path))
    assert (rc, out, err) == (0, "", f"wrote {path}\n")
    assert _kind(path) == kind
    assert [p.name for p in tmp_path.iterdir()] == [name]


@pytest.mark.parametrize(
    ("fmt", "name", "message"),
    [
        ("geojson", "map.png", "--format geojson writes GeoJSON but -o {p} names a .png file"),
        ("png", "map.html", "--format png writes PNG but -o {p} names a .html file"),
        ("html", "ring.json", "--format html writes HTML but -o {p} names a .json file"),
        ("gpkg", "a.KML", "--format gpkg writes GeoPackage but -o {p} names a .kml file"),
    ],
)
def test_format_contradicting_the_suffix_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str, name: str, message: str
) -> None:
    path = tmp_path / name
    err = run_error(capsys, *RING, "--format", fmt, "-o", str(path))
    assert err == f"rangezone: error: {message.format(p=path)}"
    assert not list(tmp_path.iterdir())


def test_unknown_suffix_without_format_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "ring.txt"
    assert run_error(capsys, *RING, "-o", str(path)) == (
        f"rangezone: error: cannot tell the format of -o {path}: end it in .geojson, .json, "
        ".html, .htm, .kml, .gpkg, .png, .svg or .pdf, or give --format"
    )
    assert not path.exists()


def test_format_given_writes_any_file_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for fmt, name in (("png", "slide"), ("geojson", "ring.txt"), ("geojson", "ring.geojson")):
        path = tmp_path / name
        assert run(capsys, *RING, "--format", fmt, "-o", str(path))[0] == 0
        assert _kind(path) == fmt


def test_geojson_goes_to_stdout_without_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    for extra in ([], ["-o", "-"], ["--format", "geojson", "-o", "-"]):
        rc, out, err = run(capsys, *RING, *extra)
        assert (rc, err) == (0, "")
        assert json.loads(out)["type"] == "FeatureCollection"
    err = run_error(capsys, *RING, "--format", "svg", "-o", "-")
    assert err == "rangezone: error: --format svg writes a file: give -o PATH"


# --- writes that fail -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["map.html", "map.png", "ring.geojson", "a.gpkg"])
def test_unwritable_output_names_the_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    (tmp_path / "notes").write_text("a file, not a folder", encoding="utf-8")
    for path, reason in (
        (tmp_path / "notes" / name, "Not a directory"),
        (tmp_path / "notes" / "sub" / name, f"folder {tmp_path / 'notes' / 'sub'} does not exist"),
    ):
        err = run_error(capsys, *RING, "-o", str(path))
        assert err == f"rangezone: error: cannot write {path}: {reason}"
    (tmp_path / name).mkdir()
    err = run_error(capsys, *RING, "-o", str(tmp_path / name))
    assert err == f"rangezone: error: cannot write {tmp_path / name}: Is a directory"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "notes"])
    assert list((tmp_path / name).iterdir()) == []


def test_permission_denied_names_the_target_not_the_temporary_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import tempfile

    def denied(*, prefix: str, suffix: str, dir: Path) -> tuple[int, str]:
        hidden = str(Path(dir) / f"{prefix}abc123{suffix}")
        raise PermissionError(errno.EACCES, "Permission denied", hidden)

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    path = tmp_path / "map.html"
    err = run_error(capsys, *RING, "-o", str(path))
    assert err == f"rangezone: error: cannot write {path}: Permission denied"


def test_full_disk_is_one_line_and_leaves_no_temporary_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    real = Path.write_bytes

    def half_then_fail(self: Path, data: bytes) -> int:
        real(self, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", half_then_fail)
    path = tmp_path / "ring.geojson"
    err = run_error(capsys, *RING, "-o", str(path), code=1)
    assert err == f"rangezone: error: cannot write {path}: No space left on device"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ("--title", "T"),
            "--title does not apply to GeoJSON output (only HTML, PNG, SVG, PDF, KML, GeoPackage)",
        ),
        (
            ("--eez", "zones.gpkg"),
            "--eez does not apply to GeoJSON output (only HTML, PNG, SVG, PDF, KML, GeoPackage)",
        ),
        (
            ("--online-tiles", "OpenStreetMap.Mapnik", "-o", "m.png"),
            "--online-tiles does not apply to PNG output (only HTML)",
        ),
        (
            ("--map-size", "800x600", "-o", "m.pdf"),
            "--map-size does not apply to PDF output (only HTML)",
        ),
        (("--dpi", "50", "-o", "m.html"), "--dpi does not apply to HTML output (only PNG)"),
        (
            ("--with-rings", "-o", "m.kml"),
            "--with-rings does not apply to KML output (only GeoJSON)",
        ),
        (
            ("--eez", "zones.gpkg", "-o", "m.html"),
            "--eez and --no-eez contradict each other: give one",
        ),
    ],
    ids=["title", "eez", "tiles", "map-size", "dpi", "with-rings", "eez-and-no-eez"],
)
def test_an_option_the_format_would_ignore_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: tuple[str, ...], message: str
) -> None:
    """Regression: --eez, --dpi, --map-size... were silently ignored by formats that do not
    use them, so a typo in a path went unnoticed."""
    args = [str(tmp_path / a) if a.startswith("m.") else a for a in extra]
    assert run_error(capsys, *RING, *args) == f"rangezone: error: {message}"
    assert list(tmp_path.iterdir()) == []
