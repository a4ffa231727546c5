"""The shipped zone packs, ``data/land.zip`` and ``data/eez-modelled.zip``.

What every user of the packs relies on: they load, every geometry is a valid lon/lat polygon,
records have the documented keys, modelled zones overlap neither each other nor land, and the
islands added from ``scripts/data/extra_islands.csv`` (missing from Natural Earth 10m) are land
of their sovereign with that sovereign's modelled sea around them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from geo.access.resources import data_file
from geo.access.zonepack import read_zonepack
from geo.access.zones import Zones, load_land, load_zones
from geo.core.shapes import geodesic_area_m2

REPO = Path(__file__).resolve().parent.parent
ISLANDS_CSV = REPO / "scripts" / "data" / "extra_islands.csv"
ISLAND_COLUMNS = ["name", "sovereign", "iso_a3", "lat", "lon", "radius_km", "source", "note"]
PACKS = ["land.zip", "eez-modelled.zip"]
RECORD_KEYS = {"name", "pol_type", "territories", "sovereigns", "iso_codes", "mrgid"}

MAX_PACK_BYTES = 3_000_000
OVERLAP_TOLERANCE_KM2 = 0.01
"""Largest intersection area allowed between two modelled zones, or a zone and land: zones
share edges exactly and land is cut out, so anything bigger is a build error."""
OFFSHORE_KM = 50.0
BEARINGS = 16
MIN_OFFSHORE_IN_ZONE = 4
"""Of the sea points 50 km off an island on 16 bearings, at least this many must lie in its
sovereign's zone. Islands near a neighbour's coast (Matsu and Kinmen lie 15-25 km off China)
share the rest with that neighbour by equidistance."""
REMOTE_ISLANDS = {
    "Okinotorishima",
    "Oki-Daito-jima",
    "Pratas Island",
    "Willis Island",
    "Rocas Atoll",
    "Bounty Islands",
}
"""Islands far from all other land: all 16 points 50 km off are in their sovereign's zone."""
LIANCOURT_ROCKS = (131.8694, 37.2417)
GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Island:
    name: str
    iso_a3: str
    lon: float
    lat: float


def read_islands() -> list[Island]:
    with ISLANDS_CSV.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ISLAND_COLUMNS
        rows = list(reader)
    assert rows, "the island table is empty"
    for row in rows:
        assert row["source"].strip(), f"{row['name']}: no source"
        assert 0 < float(row["radius_km"]) <= 5, row["name"]
    return [Island(r["name"], r["iso_a3"], float(r["lon"]), float(r["lat"])) for r in rows]


ISLANDS = read_islands()


@pytest.fixture(scope="module")
def land() -> Zones:
    return load_land()


@pytest.fixture(scope="module")
def eez() -> Zones:
    return load_zones(data_file("eez-modelled.zip"))


def zone_of(zones: Zones, lons: npt.ArrayLike, lats: npt.ArrayLike) -> list[tuple[str, ...]]:
    """ISO codes of the zone holding each point (empty where none does)."""
    idx = zones.locate(lons, lats)
    return [zones.zones[i].iso_codes if i >= 0 else () for i in idx.tolist()]


def max_pairwise_overlap_km2(a: list[BaseGeometry], b: list[BaseGeometry], same: bool) -> float:
    """Largest geodesic intersection area between a geometry of ``a`` and one of ``b``."""
    left, right = shapely.STRtree(b).query(a, predicate="intersects")
    if same:
        keep = left < right
        left, right = left[keep], right[keep]
    inter = shapely.intersection(
        np.asarray(a, dtype=object)[left], np.asarray(b, dtype=object)[right]
    )
    areas = [geodesic_area_m2(g) / 1e6 for g in inter if shapely.area(g) > 0]
    return max(areas, default=0.0)


@pytest.mark.parametrize("name", PACKS)
def test_pack_size(name: str) -> None:
    assert data_file(name).stat().st_size <= MAX_PACK_BYTES


@pytest.mark.parametrize("name", PACKS)
def test_records_have_exactly_the_documented_keys(name: str) -> None:
    _, records, geoms = read_zonepack(data_file(name))
    assert len(records) == len(geoms) > 0
    for rec in records:
        assert set(rec) == RECORD_KEYS, rec.get("name")


@pytest.mark.parametrize("name", PACKS)
def test_geometries_valid_polygonal_lonlat(name: str) -> None:
    zones = load_zones(data_file(name))
    geoms = np.asarray(zones.geoms, dtype=object)
    assert shapely.is_valid(geoms).all()
    assert not shapely.is_empty(geoms).any()
    assert {g.geom_type for g in geoms} <= {"Polygon", "MultiPolygon"}
    bounds = shapely.bounds(geoms)
    assert bounds[:, 0].min() >= -180 and bounds[:, 2].max() <= 180
    assert bounds[:, 1].min() >= -90 and bounds[:, 3].max() <= 90


def test_dataset_info(land: Zones, eez: Zones) -> None:
    assert eez.info.modelled is True
    assert land.info.modelled is False
    for zones in (land, eez):
        assert zones.info.extra.get("extra_islands") == len(ISLANDS)
    assert {z.pol_type for z in eez.zones} == {"200NM"}
    assert {z.pol_type for z in land.zones} == {"land"}


def test_modelled_zones_do_not_overlap_each_other(eez: Zones) -> None:
    assert max_pairwise_overlap_km2(eez.geoms, eez.geoms, same=True) <= OVERLAP_TOLERANCE_KM2


@pytest.mark.slow
def test_modelled_zones_do_not_overlap_land(eez: Zones, land: Zones) -> None:
    assert max_pairwise_overlap_km2(eez.geoms, land.geoms, same=False) <= OVERLAP_TOLERANCE_KM2


def test_each_state_has_one_modelled_zone(eez: Zones) -> None:
    main_codes = [z.iso_codes[0] for z in eez.zones]
    assert len(main_codes) == len(set(main_codes))


@pytest.mark.parametrize("island", ISLANDS, ids=[i.name for i in ISLANDS])
def test_extra_island_is_land_of_its_sovereign(island: Island, land: Zones) -> None:
    (codes,) = zone_of(land, [island.lon], [island.lat])
    assert island.iso_a3 in codes


@pytest.mark.parametrize("island", ISLANDS, ids=[i.name for i in ISLANDS])
def test_sea_around_extra_island_is_its_sovereigns_zone(
    island: Island, land: Zones, eez: Zones
) -> None:
    az = np.linspace(0.0, 360.0, BEARINGS, endpoint=False)
    n = np.full(BEARINGS, 1.0)
    lons, lats, _ = GEOD.fwd(n * island.lon, n * island.lat, az, n * OFFSHORE_KM * 1000.0)
    at_sea = [not codes for codes in zone_of(land, lons, lats)]
    in_zone = [island.iso_a3 in codes for codes in zone_of(eez, lons, lats)]
    hits = sum(z for z, s in zip(in_zone, at_sea, strict=True) if s)
    if island.name in REMOTE_ISLANDS:
        assert all(at_sea) and hits == BEARINGS
    else:
        assert hits >= MIN_OFFSHORE_IN_ZONE


def test_remote_islands_are_in_the_table() -> None:
    assert REMOTE_ISLANDS.issubset(i.name for i in ISLANDS)


def test_liancourt_rocks_are_no_states_land(land: Zones) -> None:
    """Natural Earth's German view leaves Liancourt Rocks/Dokdo to no state and the island
    table does not add them (see data/README.md)."""
    assert zone_of(land, [LIANCOURT_ROCKS[0]], [LIANCOURT_ROCKS[1]]) == [()]
    assert not any("Liancourt" in i.name or "Dokdo" in i.name for i in ISLANDS)


def test_installed_package_finds_its_data_from_any_directory(tmp_path: Path) -> None:
    """Regression: ``geo._data`` maps to the repository's ``data/``; an install that lost
    the mapping imports ``geo`` as a namespace package and finds no data outside the repo."""
    import subprocess
    import sys

    code = (
        "import geo; from geo import LonLat, load_zones, range_area;"
        "z = load_zones(None); print(geo.__file__ is not None, len(z), z.info.kind)"
    )
    env = {"PATH": "/usr/bin:/bin", "RANGEZONE_DATA_DIR": str(tmp_path / "data-dir")}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", str(len(load_zones(None))), "modelled"]


def test_zone_records_round_trip(eez: Zones) -> None:
    from geo.access.zones import Zone

    assert [Zone.from_record(z.to_record()) for z in eez.zones] == list(eez.zones)


@pytest.mark.parametrize("name", PACKS)
def test_rewriting_a_pack_gives_the_same_bytes(name: str, tmp_path: Path) -> None:
    """Regression: zip entries were stamped with the build time, so rebuilding the shipped
    data never reproduced the committed bytes."""
    from geo.access.zonepack import write_zonepack

    shipped = data_file(name)
    info, records, geoms = read_zonepack(shipped)
    write_zonepack(tmp_path / name, info, records, geoms)
    assert (tmp_path / name).read_bytes() == shipped.read_bytes()


def test_public_api_resolves_every_name() -> None:
    """Every name in ``geo.__all__`` is importable from ``geo``, and nothing is exported
    twice; the lazy table and ``__all__`` list the same names."""
    import geo

    assert len(set(geo.__all__)) == len(geo.__all__)
    assert sorted(geo.__all__) == sorted(geo._EXPORTS)
    for name in geo.__all__:
        value = getattr(geo, name)
        assert getattr(value, "__name__", name) == name, name  # not an alias of another


@pytest.mark.parametrize("name", PACKS)
def test_stored_areas_are_the_measured_ones(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each shipped pack stores every zone's ellipsoidal area (so a check does not measure
    them all again); the stored value is what geodesic_area_m2 gives, and loading trusts it."""
    from geo.access import zones as zones_module
    from geo.access.zonepack import read_zonepack_with_areas

    _, _, geoms, areas = read_zonepack_with_areas(data_file(name))
    assert areas is not None and len(areas) == len(geoms)
    # bit for bit what the checks would measure (geodesic_area_m2 is tested in test_shapes)
    assert areas == [geodesic_area_m2(g) for g in geoms]
    zones = load_zones(data_file(name)) if name != "land.zip" else load_land()

    def measured(_: BaseGeometry) -> float:
        raise AssertionError("a stored area was measured again")

    monkeypatch.setattr(zones_module, "geodesic_area_m2", measured)
    assert [zones.zone_area_m2(i) for i in range(len(zones))] == areas


def test_a_pack_without_stored_areas_measures_them(tmp_path: Path) -> None:
    """Packs written before areas were stored, or by another area method, still load; their
    areas are measured when asked for."""
    import json
    import zipfile

    from geo.access.zonepack import read_zonepack_with_areas

    shipped = data_file("eez-modelled.zip")
    with zipfile.ZipFile(shipped) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    assert "areas.json" in members
    stored = json.loads(members["areas.json"])
    variants = {
        "old.zip": {k: v for k, v in members.items() if k != "areas.json"},
        "other-method.zip": {
            **members,
            "areas.json": json.dumps(
                {**stored, "method": "another", "areas_m2": [1.0] * len(stored["areas_m2"])}
            ).encode(),
        },
    }
    for file_name, content in variants.items():
        path = tmp_path / file_name
        with zipfile.ZipFile(path, "w") as zf:
            for member, data in content.items():
                zf.writestr(member, data)
        assert read_zonepack_with_areas(path)[3] is None
        zones = load_zones(path)
        for i in (0, 57, 195):
            assert zones.zone_area_m2(i) == stored["areas_m2"][i]


def test_areas_json_of_other_geometries_is_not_trusted(tmp_path: Path) -> None:
    """Regression: an areas.json that is well formed but belongs to other geometries (copied
    from another pack with as many zones, or left over when geoms.wkb was replaced) gave
    those zones wrong areas silently. Stored areas are bound to the geometries they were
    measured from; a mismatch falls back to measuring."""
    import json
    import zipfile

    from geo.access.zonepack import read_zonepack_with_areas

    shipped = data_file("eez-modelled.zip")
    with zipfile.ZipFile(shipped) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    stored = json.loads(members["areas.json"])
    # the same method and count, every area off by a factor of two
    swapped = {**stored, "areas_m2": [2.0 * a for a in stored["areas_m2"]]}
    if "geoms_crc32" in stored:  # as if copied from a pack of other geometries
        swapped["geoms_crc32"] = (stored["geoms_crc32"] + 1) % (1 << 32)
    path = tmp_path / "swapped.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for member, data in {**members, "areas.json": json.dumps(swapped).encode()}.items():
            zf.writestr(member, data)
    assert read_zonepack_with_areas(path)[3] is None
    zones = load_zones(path)
    for i in (0, 57, 195):
        assert zones.zone_area_m2(i) == stored["areas_m2"][i]
