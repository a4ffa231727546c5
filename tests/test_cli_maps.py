"""CLI map options: ring lines in GeoJSON, fixed-size and online-tile HTML, missile rings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_with_rings_adds_the_circle_as_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "ring", "--site", "Sariwon", "--range", "400km", "--with-rings")
    assert rc == 0
    kinds = [f["properties"]["kind"] for f in json.loads(out)["features"]]
    assert kinds == ["range_area", "ring"]
    ring = json.loads(out)["features"][1]
    assert ring["geometry"]["type"] == "LineString"
    assert ring["properties"]["range_km"] == 400.0


def test_fixed_size_html(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "m.html"
    argv = ["ring", "--site", "Sariwon", "--range", "400km", "--format", "html"]
    rc, _, err = run(capsys, *argv, "--map-size", "800x600", "-o", str(path))
    assert rc == 0
    assert err.strip() == f"wrote {path}"
    html = path.read_text(encoding="utf-8")
    assert "800px" in html and "600px" in html


def test_bad_map_size_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ["ring", "--site", "Sariwon", "--range", "400km", "--format", "html"]
    rc, out, err = run(capsys, *argv, "--map-size", "80x", "-o", str(tmp_path / "m.html"))
    assert rc == 2
    assert out == ""
    assert err == (
        "rangezone: error: map size '80x' must be WIDTHxHEIGHT in pixels, e.g. 1200x800\n"
    )
    assert not (tmp_path / "m.html").exists()


def test_online_tiles_only_when_asked(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ["ring", "--site", "Sariwon", "--range", "400km", "--format", "html", "--no-eez"]
    off, on = tmp_path / "off.html", tmp_path / "on.html"
    assert run(capsys, *argv, "-o", str(off))[0] == 0
    assert run(capsys, *argv, "--online-tiles", "OpenStreetMap.Mapnik", "-o", str(on))[0] == 0
    assert "tile.openstreetmap.org" not in off.read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" in on.read_text(encoding="utf-8")


def test_missile_band_is_labelled_with_its_range(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "ring", "--site", "Sunan", "--missile", "Hwasong-15")
    assert rc == 0
    (f,) = json.loads(out)["features"]
    p = f["properties"]
    assert (p["kind"], p["range_km"], p["min_range_km"]) == ("range_area", 13000.0, 8500.0)
    assert p["label"] == "Hwasong-15: 8,500–13,000 km"
    assert p["missile"] == "Hwasong-15" and "CSIS" in p["estimate_by"] and p["source"]


def test_flown_ring_is_the_standard_range(capsys: pytest.CaptureFixture[str]) -> None:
    from geo.core.ballistics import standard_range_km_for_flight

    rc, out, _ = run(capsys, "ring", "--site", "Sunan", "--flown", "950km", "--apogee", "4475km")
    assert rc == 0
    (f,) = json.loads(out)["features"]
    want = standard_range_km_for_flight(950.0, 4475.0)
    assert want is not None
    assert abs(f["properties"]["range_km"] - want) < 1e-9
    assert f["properties"]["label"].startswith(f"Standard range {want:,.0f} km (energy bound")


def test_flown_without_apogee_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = run(capsys, "ring", "--site", "Sunan", "--flown", "950km")
    assert rc == 2
    assert err == "rangezone: error: --flown and --apogee go together: give both\n"
