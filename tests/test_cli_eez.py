"""``rangezone eez import|fetch|use|list|info``: registering official data, bad input.

Every test runs with its own empty RANGEZONE_DATA_DIR (autouse fixture in conftest.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from cli_helpers import run, run_error

from geo.access import wfs
from geo.access.zones import load_zones

FIXTURES = Path(__file__).parent / "fixtures" / "wfs"

V10_TO_V12 = {
    "mrgid": "MRGID",
    "geoname": "GEONAME",
    "pol_typ": "POL_TYPE",
    **{f"trrtry{i}": f"TERRITORY{i}" for i in (1, 2, 3)},
    **{f"sovrgn{i}": f"SOVEREIGN{i}" for i in (1, 2, 3)},
    **{f"iso_tr{i}": f"ISO_TER{i}" for i in (1, 2, 3)},
}

V12_CITATION = (
    "Flanders Marine Institute (2023). Maritime Boundaries Geodatabase: Maritime Boundaries and "
    "Exclusive Economic Zones (200NM), version 12. Available online at "
    "https://www.marineregions.org/. https://doi.org/10.14284/632"
)


def data_dir() -> Path:
    return Path(os.environ["RANGEZONE_DATA_DIR"])


@pytest.fixture
def v12_gpkg(official_eez_path: Path, tmp_path: Path) -> Path:
    """The shared zones as a Marine Regions v12 GeoPackage (upper-case schema)."""
    frame = gpd.read_file(official_eez_path)
    path = tmp_path / "World_EEZ_v12_20231025.gpkg"
    frame[[*V10_TO_V12, "geometry"]].rename(columns=V10_TO_V12).to_file(
        path, layer="eez_v12", driver="GPKG"
    )
    return path


def _info_lines(out: str) -> dict[str, str]:
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines())}


# --- import, then info ------------------------------------------------------------------------


def test_import_then_info(capsys: pytest.CaptureFixture[str], v12_gpkg: Path) -> None:
    code, out, err = run(capsys, "eez", "import", str(v12_gpkg), "--name", "mr-v12")
    assert code == 0
    assert out == ""
    pack = data_dir() / "datasets" / "mr-v12.zip"
    assert err == (
        f"imported 12 zones (Marine Regions World EEZ v12) from {v12_gpkg}; "
        f"active zone set is now 'mr-v12' ({pack})\n"
    )
    assert pack.is_file()

    code, out, err = run(capsys, "eez", "info")
    assert code == 0 and err == ""
    fields = _info_lines(out)
    assert fields["Name"] == "Marine Regions World EEZ v12"
    assert fields["Version"] == "v12 (2023-10-25)"
    assert fields["Citation"] == V12_CITATION
    assert fields["Licence"] == "CC BY 4.0"
    assert fields["Features"] == "12"
    assert (
        fields["Kind"]
        == "official (Marine Regions data, recognised by its marine-regions-v11+ columns)"
    )
    assert fields["Source"] == str(v12_gpkg)
    assert fields["Path"] == str(pack)
    assert fields["Registered as"] == "mr-v12"

    # every other command now loads the imported zones
    zones = load_zones()
    assert len(zones) == 12 and zones.info.name == "Marine Regions World EEZ v12"


def test_imported_pack_stores_zone_areas(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path
) -> None:
    """A pack written by `eez import` (as by `eez fetch`) stores each zone's area, so a check
    against it does not measure them again; the stored areas are the measured ones."""
    from geo.access.userdata import active_dataset_path
    from geo.access.zonepack import read_zonepack_with_areas
    from geo.core.shapes import geodesic_area_m2

    assert run(capsys, "eez", "import", str(official_eez_path))[0] == 0
    pack = active_dataset_path()
    assert pack is not None
    _, _, geoms, areas = read_zonepack_with_areas(pack)
    assert areas is not None and areas == [geodesic_area_m2(g) for g in geoms]


def test_info_json(capsys: pytest.CaptureFixture[str], official_eez_path: Path) -> None:
    assert run(capsys, "eez", "import", str(official_eez_path))[0] == 0
    code, out, err = run(capsys, "eez", "info", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["name"] == "Marine Regions World EEZ v10"
    assert data["version"] == "v10"
    assert data["citation"].endswith("https://doi.org/10.14284/312")
    assert data["modelled"] is False
    assert data["kind"] == "official"
    assert data["feature_count"] == 12
    assert data["source"] == str(official_eez_path)
    assert data["path"] == str(data_dir() / "datasets" / "Marine-Regions-World-EEZ-v10.zip")


def test_info_of_the_default_is_modelled(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "eez", "info", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "modelled" and data["modelled"] is True
    assert data["path"] == "embedded default"
    assert data["feature_count"] > 0


def test_info_of_a_file_given_with_eez(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path
) -> None:
    code, out, _ = run(capsys, "eez", "info", "--eez", str(official_eez_path))
    assert code == 0
    fields = _info_lines(out)
    assert fields["Kind"] == (
        "official (Marine Regions data, recognised by its marine-regions-v10 columns)"
    )
    assert fields["Features"] == "12"
    assert fields["Path"] == str(official_eez_path)
    assert not (data_dir() / "active.json").exists()  # describing registers nothing


def test_import_with_column_map(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "zones.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"ZONE": "Test zone", "COUNTRY": "Japan"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[130, 30], [131, 30], [131, 31], [130, 30]]],
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    code, _, err = run(
        capsys, "eez", "import", str(path), "--eez-columns", "name=ZONE,territory1=COUNTRY"
    )
    assert code == 0, err
    code, out, _ = run(capsys, "eez", "info", "--json")
    data = json.loads(out)
    assert data["name"] == "zones"
    assert data["feature_count"] == 1
    # Not recognised as Marine Regions data: nothing vouches for it being official.
    assert (data["kind"], data["modelled"], data["citation"]) == ("user", False, "")
    assert load_zones().zones[0].territory == "Japan"
    code, out, _ = run(capsys, "eez", "info")
    assert _info_lines(out)["Kind"] == (
        "user (not recognised as Marine Regions data; provenance unknown)"
    )
    code, out, _ = run(capsys, "check", "--at", "30.2,130.5")
    assert "dataset: zones (user file of unknown provenance)" in out.splitlines()


# --- fetch ------------------------------------------------------------------------------------


def test_fetch_registers_wfs_zones(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, float]] = []

    def replay(url: str, timeout: float) -> bytes:
        calls.append((url, timeout))
        return (FIXTURES / "eez-japan.json").read_bytes()

    monkeypatch.setattr(wfs, "urlopen_bytes", replay)
    code, out, err = run(capsys, "eez", "fetch", "--country", "Japan", "--timeout", "5")
    assert code == 0 and out == ""
    assert calls == [(wfs.build_url(["Japan"], None), 5.0)]
    pack = data_dir() / "datasets" / "marineregions-wfs.zip"
    assert err == (
        "fetched 3 zones from the Marine Regions WFS; active zone set is now "
        f"'marineregions-wfs' ({pack})\n"
    )
    code, out, _ = run(capsys, "eez", "info", "--json")
    data: dict[str, Any] = json.loads(out)
    assert data["name"] == "Marine Regions World EEZ (WFS)"
    assert data["licence"] == "CC BY 4.0"
    assert data["feature_count"] == 3
    assert data["kind"] == "official"
    # the second fetch is served from the cache
    assert run(capsys, "eez", "fetch", "--country", "Japan")[0] == 0
    assert len(calls) == 1


def test_fetch_offline(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def offline(url: str, timeout: float) -> bytes:
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(wfs, "urlopen_bytes", offline)
    err = run_error(capsys, "eez", "fetch", "--country", "Japan", code=1)
    assert err == (
        "rangezone: error: cannot reach Marine Regions WFS (offline?): "
        "[Errno 101] Network is unreachable"
    )
    assert not (data_dir() / "active.json").exists()


def test_fetch_service_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (FIXTURES / "exception-report.xml").read_bytes()
    monkeypatch.setattr(wfs, "urlopen_bytes", lambda url, timeout: body)
    err = run_error(capsys, "eez", "fetch", "--country", "Japan", code=1)
    assert err == (
        "rangezone: error: WFS returned an error: Illegal property name: territory9 for "
        "feature type MarineRegions:eez"
    )


def test_fetch_timeout(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(url: str, timeout: float) -> bytes:
        raise TimeoutError("timed out")

    monkeypatch.setattr(wfs, "urlopen_bytes", slow)
    err = run_error(capsys, "eez", "fetch", "--bbox", "120,20,150,50", "--timeout", "2.5", code=1)
    assert err == (
        "rangezone: error: Marine Regions WFS did not answer within 2.5 s (timeout); "
        "try again later or pass a longer --timeout"
    )


def test_fetch_unknown_country(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (FIXTURES / "empty.json").read_bytes()
    monkeypatch.setattr(wfs, "urlopen_bytes", lambda url, timeout: body)
    code, _, err = run(capsys, "eez", "fetch", "--country", "Atlantis")
    assert code == 2
    assert err.startswith("rangezone: error: the Marine Regions WFS has no zones for Atlantis;")
    assert err.count("\n") == 1


def test_fetch_bad_bbox(capsys: pytest.CaptureFixture[str]) -> None:
    err = run_error(capsys, "eez", "fetch", "--bbox", "1,2,3")
    assert err == "rangezone: error: --bbox: expected W,S,E,N in degrees, got '1,2,3'"


# --- bad files --------------------------------------------------------------------------------


def _file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _geojson(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.shp", "zone file not found: {p}"),
        (lambda d: _file(d / "empty.gpkg", ""), "zone file {p} is empty (0 bytes)"),
        (
            lambda d: _file(d / "junk.geojson", "no zones here"),
            "cannot read zone file {p}: not a vector format GDAL recognises",
        ),
        (lambda d: _geojson(d / "none.geojson", []), "{p} has no features"),
        (
            lambda d: _geojson(
                d / "points.geojson",
                [
                    {
                        "type": "Feature",
                        "properties": {"name": "a"},
                        "geometry": {"type": "Point", "coordinates": [130, 30]},
                    }
                ],
            ),
            "{p} has no polygons (found 1 Point)",
        ),
        (
            lambda d: _geojson(
                d / "odd.geojson",
                [
                    {
                        "type": "Feature",
                        "properties": {"AREA": 1.5, "CODE": "X"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[130, 30], [131, 30], [131, 31], [130, 30]]],
                        },
                    }
                ],
            ),
            "{p}: unknown zone schema (no Marine Regions columns and no name column); "
            "columns found: AREA, CODE; map them with --eez-columns "
            "name=COL,territory1=COL,sovereign1=COL (see docs/zone-files.md)",
        ),
    ],
    ids=["missing", "empty", "unreadable", "no-features", "no-polygons", "unknown-schema"],
)
def test_bad_files_give_one_line_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, make: Any, message: str
) -> None:
    path = make(tmp_path)
    err = run_error(capsys, "eez", "import", str(path))
    assert err == f"rangezone: error: {message.format(p=path)}"
    assert not (data_dir() / "active.json").exists()
    # the same file through --eez fails the same way
    err = run_error(capsys, "eez", "info", "--eez", str(path))
    assert err == f"rangezone: error: {message.format(p=path)}"


def test_bad_column_map(capsys: pytest.CaptureFixture[str], official_eez_path: Path) -> None:
    err = run_error(capsys, "eez", "import", str(official_eez_path), "--eez-columns", "colour=RED")
    assert err == (
        "rangezone: error: column map: unknown key 'colour' "
        "(use name, pol_type, territory1-3, sovereign1-3, iso1-3, mrgid)"
    )


def test_eez_columns_need_eez_for_info(capsys: pytest.CaptureFixture[str]) -> None:
    err = run_error(capsys, "eez", "info", "--eez-columns", "name=A")
    assert err == (
        "rangezone eez info: error: --eez-columns needs --eez PATH "
        "(see 'rangezone eez info --help')"
    )


def test_missing_active_pack_is_an_error(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path
) -> None:
    assert run(capsys, "eez", "import", str(official_eez_path), "--name", "mr")[0] == 0
    (data_dir() / "datasets" / "mr.zip").unlink()
    err = run_error(capsys, "eez", "info", code=1)
    assert err == (
        f"rangezone: error: the active zone set {data_dir() / 'datasets' / 'mr.zip'} is "
        "missing; run 'rangezone eez import' or 'rangezone eez fetch' again, or "
        "'rangezone eez use default' for the modelled default"
    )
    # The way out the message names works.
    code, _, err = run(capsys, "eez", "use", "default")
    assert (code, err) == (0, "active zone set is now the embedded modelled default\n")
    assert json.loads(run(capsys, "eez", "info", "--json")[1])["kind"] == "modelled"


def test_use_switches_between_registered_sets_and_default(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path, v12_gpkg: Path
) -> None:
    assert run(capsys, "eez", "import", str(official_eez_path), "--name", "mr-v10")[0] == 0
    assert run(capsys, "eez", "import", str(v12_gpkg), "--name", "mr-v12")[0] == 0
    assert run(capsys, "eez", "list")[1] == (
        "  default (embedded modelled zones)\n  mr-v10\n* mr-v12\n"
    )
    code, _, err = run(capsys, "eez", "use", "mr-v10")
    pack = data_dir() / "datasets" / "mr-v10.zip"
    assert (code, err) == (0, f"active zone set is now 'mr-v10' ({pack})\n")
    assert json.loads(run(capsys, "eez", "info", "--json")[1])["version"] == "v10"
    assert run(capsys, "eez", "use", "default")[0] == 0
    assert run(capsys, "eez", "list")[1] == (
        "* default (embedded modelled zones)\n  mr-v10\n  mr-v12\n"
    )
    assert json.loads(run(capsys, "eez", "info", "--json")[1])["kind"] == "modelled"
    code, _, err = run(capsys, "eez", "use", "mr-v11")
    assert (code, err) == (
        2,
        "rangezone: error: no registered zone set 'mr-v11' (registered: mr-v10, mr-v12; "
        "or 'default')\n",
    )


# --- the per-user data directory --------------------------------------------------------------


def test_data_dir_locations(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from geo.access.userdata import data_dir as where

    monkeypatch.setenv("RANGEZONE_DATA_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert where() == tmp_path / "explicit"
    monkeypatch.delenv("RANGEZONE_DATA_DIR")
    assert where() == tmp_path / "xdg" / "rangezone"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert where() == tmp_path / "home" / ".local" / "share" / "rangezone"


def test_corrupt_active_record(capsys: pytest.CaptureFixture[str]) -> None:
    data_dir().mkdir(parents=True, exist_ok=True)
    (data_dir() / "active.json").write_text("{not json", encoding="utf-8")
    err = run_error(capsys, "eez", "info", code=1)
    assert err == (
        f"rangezone: error: {data_dir() / 'active.json'} is corrupt (not valid JSON); "
        "run 'rangezone eez use "
        "default' (back to the modelled default) or 'rangezone eez import' again"
    )
    assert run(capsys, "eez", "use", "default")[0] == 0
    assert not (data_dir() / "active.json").exists()


# --- zone set names: reserved, stored as listed, missing active set ---------------------------


@pytest.mark.parametrize("name", ["default", "DEFAULT", "Default", "./default"])
def test_default_is_a_reserved_name(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    official_eez_path: Path,
    name: str,
) -> None:
    err = run_error(capsys, "eez", "import", str(official_eez_path), "--name", name)
    assert err == (
        f"rangezone: error: zone set name {name!r} is reserved: 'rangezone eez use default' "
        "selects the embedded modelled zones; choose another name with --name"
    )
    assert not (data_dir() / "datasets").exists()
    assert not (data_dir() / "active.json").exists()

    def no_download(url: str, timeout: float) -> bytes:
        raise AssertionError("the name is checked before downloading")

    monkeypatch.setattr(wfs, "urlopen_bytes", no_download)
    assert run_error(capsys, "eez", "fetch", "--country", "Japan", "--name", name) == err
    assert run(capsys, "eez", "list")[1] == "* default (embedded modelled zones)\n"


def test_a_file_named_default_needs_another_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    feature = {
        "type": "Feature",
        "properties": {"name": "Test zone", "country": "Japan"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[130, 30], [131, 30], [131, 31], [130, 30]]],
        },
    }
    path = _geojson(tmp_path / "default.geojson", [feature])
    code, _, err = run(capsys, "eez", "import", str(path))
    assert code == 2
    assert err.endswith(
        "rangezone: error: zone set name 'default' is reserved: 'rangezone eez use default' "
        "selects the embedded modelled zones; choose another name with --name\n"
    )
    assert not (data_dir() / "active.json").exists()
    code, _, err = run(capsys, "eez", "import", str(path), "--name", "mine")
    assert code == 0, err
    assert run(capsys, "eez", "list")[1] == "  default (embedded modelled zones)\n* mine\n"


def test_names_are_reported_as_stored(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, official_eez_path: Path
) -> None:
    code, _, err = run(capsys, "eez", "import", str(official_eez_path), "--name", "../evil")
    pack = data_dir() / "datasets" / "evil.zip"
    assert code == 0 and pack.is_file()
    assert err == (
        f"imported 12 zones (Marine Regions World EEZ v10) from {official_eez_path}; "
        f"active zone set is now 'evil' ({pack})\n"
    )
    assert _info_lines(run(capsys, "eez", "info")[1])["Registered as"] == "evil"
    assert run(capsys, "eez", "list")[1] == "  default (embedded modelled zones)\n* evil\n"
    # an automatic name is reported as stored too
    code, _, err = run(capsys, "eez", "import", str(official_eez_path))
    auto = data_dir() / "datasets" / "Marine-Regions-World-EEZ-v10.zip"
    assert (code, err.splitlines()[-1]) == (
        0,
        f"imported 12 zones (Marine Regions World EEZ v10) from {official_eez_path}; "
        f"active zone set is now 'Marine-Regions-World-EEZ-v10' ({auto})",
    )
    assert run(capsys, "eez", "list")[1] == (
        "  default (embedded modelled zones)\n* Marine-Regions-World-EEZ-v10\n  evil\n"
    )
    # 'use' takes the name as given or as stored, and says the stored one
    code, _, err = run(capsys, "eez", "use", "../evil")
    assert (code, err) == (0, f"active zone set is now 'evil' ({pack})\n")
    monkeypatch.setattr(
        wfs, "urlopen_bytes", lambda url, timeout: (FIXTURES / "eez-japan.json").read_bytes()
    )
    code, _, err = run(capsys, "eez", "fetch", "--country", "Japan", "--name", "wfs/japan")
    assert (code, err) == (
        0,
        "fetched 3 zones from the Marine Regions WFS; active zone set is now 'wfs-japan' "
        f"({data_dir() / 'datasets' / 'wfs-japan.zip'})\n",
    )


@pytest.mark.parametrize("name", ["../", "///", "..", " "])
def test_a_name_without_letters_or_digits_is_refused(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path, name: str
) -> None:
    err = run_error(capsys, "eez", "import", str(official_eez_path), "--name", name)
    assert err == (
        f"rangezone: error: zone set name {name!r} has no letters or digits; use letters, "
        "digits, '.', '_' and '-'"
    )
    assert not (data_dir() / "active.json").exists()


def test_list_marks_a_missing_active_set(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path
) -> None:
    assert run(capsys, "eez", "import", str(official_eez_path), "--name", "mr")[0] == 0
    assert run(capsys, "eez", "import", str(official_eez_path), "--name", "other")[0] == 0
    assert run(capsys, "eez", "use", "mr")[0] == 0
    (data_dir() / "datasets" / "mr.zip").unlink()
    code, out, err = run(capsys, "eez", "list")
    assert (code, err) == (0, "")
    assert out == (
        "  default (embedded modelled zones)\n"
        "* mr (missing: re-import or 'eez use default')\n"
        "  other\n"
    )
    # loading zones still fails loudly (see test_missing_active_pack_is_an_error)
    assert run(capsys, "eez", "info")[0] == 1


def test_list_with_a_corrupt_active_record(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path
) -> None:
    assert run(capsys, "eez", "import", str(official_eez_path), "--name", "mr")[0] == 0
    (data_dir() / "active.json").write_text("{not json", encoding="utf-8")
    code, out, err = run(capsys, "eez", "list")
    assert code == 0
    assert out == "  default (embedded modelled zones)\n  mr\n"
    assert err == (
        f"rangezone: warning: {data_dir() / 'active.json'} is corrupt (not valid JSON); "
        "run 'rangezone eez use "
        "default' (back to the modelled default) or 'rangezone eez import' again\n"
    )


def _notes(err: str) -> list[str]:
    return [ln for ln in err.splitlines() if ln.startswith("rangezone: note: ")]


def test_info_of_a_file_shows_the_notes_check_shows(
    capsys: pytest.CaptureFixture[str], official_eez_path: Path, tmp_path: Path
) -> None:
    frame = gpd.read_file(official_eez_path)
    # Web Mercator cannot hold the Arctic: the southern zones only
    merc = tmp_path / "merc.gpkg"
    frame[frame.geometry.bounds.maxy < 80].to_crs("EPSG:3857").to_file(merc, driver="GPKG")
    dateline = _geojson(
        tmp_path / "dateline.geojson",
        [
            {
                "type": "Feature",
                "properties": {"name": "Fiji-like", "country": "Fiji"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[177, -20], [177, -16], [-178, -16], [-178, -20], [177, -20]]],
                },
            }
        ],
    )
    for path, expected in (
        (merc, f"rangezone: note: reprojected {merc} from EPSG:3857 to EPSG:4326 (WGS 84 lon/lat)"),
        (
            dateline,
            "rangezone: note: split 1 geometry at the antimeridian "
            "(longitudes normalised to -180..180)",
        ),
    ):
        code, out, err = run(capsys, "eez", "info", "--eez", str(path))
        assert code == 0 and out
        assert expected in _notes(err)
        code, _, check_err = run(capsys, "check", "--eez", str(path), "--at", "38,135")
        assert code == 0
        assert _notes(err) == _notes(check_err)
        # --json prints the notes to stderr too, and keeps stdout JSON
        code, out, err = run(capsys, "eez", "info", "--eez", str(path), "--json")
        assert code == 0 and json.loads(out)["path"] == str(path)
        assert expected in _notes(err)
    # with a column map as well
    columns = "name=name,territory1=country"
    code, _, err = run(capsys, "eez", "info", "--eez", str(dateline), "--eez-columns", columns)
    assert code == 0
    assert _notes(err) == [
        "rangezone: note: split 1 geometry at the antimeridian (longitudes normalised to -180..180)"
    ]
