"""Reading zone files: the three Marine Regions spellings, formats, repair, CRS, antimeridian.

The v11/v12 and WFS variants are written at test time from the shared v10 file by renaming
its columns, so every spelling is checked against the same real polygons.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely
from conftest import GEOD
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from geo.access.zonefile import parse_column_map, read_zone_file
from geo.access.zones import Zones
from geo.core.shapes import geodesic_area_m2
from geo.errors import InputError, ZoneDataError

RECORD_KEYS = {"name", "pol_type", "territories", "sovereigns", "iso_codes", "mrgid"}
REPAIR_AREA_TOL_M2 = 1.0
"""make_valid only adds the crossing point of the bow tie, (131, 31), exact in binary: the
geodesic area of the result is the two triangles' to rounding (2.1e10 m² in all: a lost
triangle would be 10,589 km²)."""
SPLIT_AREA_TOL_M2 = 100.0
"""Splitting at 180° adds vertices on that meridian, a geodesic, so the area changes by
rounding only (0.02 m² of 7.8 million km² here); a lost piece would be at least 1,179 km²
(the smallest part of Russia's zone), a sliver 1 cm wide along 10,000 km of seam 100 m²."""

# v10 shapefile-truncated names -> v11/v12 upper-case names (the WFS uses their lower case)
V10_TO_FULL = {
    "mrgid": "MRGID",
    "geoname": "GEONAME",
    "pol_typ": "POL_TYPE",
    "x_1": "X_1",
    "y_1": "Y_1",
    "mrgid_z": "MRGID_EEZ",
    "are_km2": "AREA_KM2",
    **{f"mrgd_t{i}": f"MRGID_TER{i}" for i in (1, 2, 3)},
    **{f"mrgd_s{i}": f"MRGID_SOV{i}" for i in (1, 2, 3)},
    **{f"trrtry{i}": f"TERRITORY{i}" for i in (1, 2, 3)},
    **{f"sovrgn{i}": f"SOVEREIGN{i}" for i in (1, 2, 3)},
    **{f"iso_tr{i}": f"ISO_TER{i}" for i in (1, 2, 3)},
}

JAPAN: dict[str, Any] = {
    "name": "Japanese Exclusive Economic Zone",
    "pol_type": "200NM",
    "territories": ["Japan"],
    "sovereigns": ["Japan"],
    "iso_codes": ["JPN"],
    "mrgid": 8487,
}


@pytest.fixture(scope="module")
def v10_frame(official_eez_path: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(official_eez_path)


@pytest.fixture(scope="module")
def v10_records(official_eez_path: Path) -> list[dict[str, Any]]:
    _, records, _, warnings = read_zone_file(official_eez_path)
    assert warnings == []
    return records


def _mr_full(frame: gpd.GeoDataFrame, *, lower: bool) -> gpd.GeoDataFrame:
    """The v11/v12 (upper) or WFS (lower) spelling of the v10 frame, Marine Regions columns
    only (the shared copy's four extra columns are not Marine Regions fields)."""
    out = frame[[*V10_TO_FULL, "geometry"]].rename(columns=V10_TO_FULL)
    if lower:
        out = out.rename(columns={c: c.lower() for c in V10_TO_FULL.values()})
    return out


def _by_name(records: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(r for r in records if r["name"] == name)


# --- the three spellings ----------------------------------------------------------------------


def test_v10_truncated_lower_case_geojson(official_eez_path: Path) -> None:
    info, records, geoms, warnings = read_zone_file(official_eez_path)
    assert warnings == []
    assert len(records) == len(geoms) == 12
    assert all(set(r) == RECORD_KEYS for r in records)
    assert _by_name(records, JAPAN["name"]) == JAPAN
    senkaku = _by_name(records, "Overlapping claim Senkaku Islands: Japan / China / Taiwan")
    assert senkaku["territories"] == ["Taiwan", "Japan", "China"]
    assert senkaku["sovereigns"] == ["Taiwan", "Japan", "China"]
    assert senkaku["iso_codes"] == ["TWN", "JPN", "CHN"]
    assert senkaku["pol_type"] == "Overlapping claim"
    mariana = _by_name(records, "Northern Mariana Exclusive Economic Zone")
    assert (mariana["territories"], mariana["sovereigns"]) == (
        ["Northern Mariana Islands"],
        ["United States"],
    )
    assert all(g.is_valid and g.geom_type in ("Polygon", "MultiPolygon") for g in geoms)

    assert info.name == "Marine Regions World EEZ v10"
    assert info.version == "v10"
    assert info.citation == (
        "Flanders Marine Institute (2018). Maritime Boundaries Geodatabase: Maritime Boundaries "
        "and Exclusive Economic Zones (200NM), version 10. Available online at "
        "https://www.marineregions.org/. https://doi.org/10.14284/312"
    )
    assert info.modelled is False
    assert info.source == str(official_eez_path)
    assert info.extra["schema"] == "marine-regions-v10"


def test_v12_upper_case_geopackage(
    tmp_path: Path, v10_frame: gpd.GeoDataFrame, v10_records: list[dict[str, Any]]
) -> None:
    path = tmp_path / "World_EEZ_v12_20231025.gpkg"
    _mr_full(v10_frame, lower=False).to_file(path, layer="eez_v12", driver="GPKG")
    info, records, geoms, warnings = read_zone_file(path)
    assert warnings == []
    assert records == v10_records
    assert len(geoms) == 12
    assert info.name == "Marine Regions World EEZ v12"
    assert info.version == "v12 (2023-10-25)"
    assert info.licence == "CC BY 4.0"
    assert info.citation.startswith("Flanders Marine Institute (2023). Maritime Boundaries")
    assert info.citation.endswith(
        "version 12. Available online at https://www.marineregions.org/. https://doi.org/10.14284/632"
    )
    assert info.extra["schema"] == "marine-regions-v11+"


def test_v11_upper_case_zipped_shapefile_picks_polygon_layer(
    tmp_path: Path, v10_frame: gpd.GeoDataFrame, v10_records: list[dict[str, Any]]
) -> None:
    folder = tmp_path / "World_EEZ_v11_20191118"
    folder.mkdir()
    _mr_full(v10_frame, lower=False).to_file(folder / "eez_v11.shp")
    # the real download also holds the boundary lines; they must not be picked
    lines = gpd.GeoDataFrame(
        {"LINE_ID": [1]}, geometry=[LineString([(130, 35), (131, 36)])], crs="EPSG:4326"
    )
    lines.to_file(folder / "eez_boundaries_v11.shp")
    archive = tmp_path / "World_EEZ_v11_20191118.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f"World_EEZ_v11_20191118/{f.name}")

    info, records, _, warnings = read_zone_file(archive)
    assert warnings == []
    assert records == v10_records
    assert info.version == "v11 (2019-11-18)"
    assert info.citation.endswith("https://doi.org/10.14284/386")
    assert "(2019)" in info.citation
    assert info.licence == "CC BY 4.0"

    # the lines chosen by name: no polygons
    with pytest.raises(ZoneDataError, match=r"has no polygons \(found 1 LineString\)"):
        read_zone_file(f"{archive}::eez_boundaries_v11")


def test_wfs_lower_case_full_names_geojson(
    tmp_path: Path, v10_frame: gpd.GeoDataFrame, v10_records: list[dict[str, Any]]
) -> None:
    path = tmp_path / "eez-download.geojson"
    _mr_full(v10_frame, lower=True).to_file(path, driver="GeoJSON")
    info, records, _, warnings = read_zone_file(path)
    assert warnings == []
    assert records == v10_records
    assert info.extra["schema"] == "marine-regions-wfs"
    assert info.version == "v11 or later (version not in the file name)"
    assert info.licence == "CC BY 4.0"


def test_geoparquet(
    tmp_path: Path, v10_frame: gpd.GeoDataFrame, v10_records: list[dict[str, Any]]
) -> None:
    pytest.importorskip("pyarrow", reason="GeoParquet needs pyarrow")
    path = tmp_path / "eez_v12.parquet"
    _mr_full(v10_frame, lower=True).to_parquet(path)
    info, records, _, warnings = read_zone_file(path)
    assert warnings == []
    assert records == v10_records
    assert info.version.startswith("v12")


def test_geoparquet_without_pyarrow_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "zones.parquet"
    path.write_bytes(b"PAR1 not really")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes `import pyarrow` fail
    with pytest.raises(ZoneDataError) as exc:
        read_zone_file(path)
    assert str(exc.value) == "reading GeoParquet (zones.parquet) needs pyarrow: pip install pyarrow"


def test_geopackage_with_several_layers(
    tmp_path: Path, v10_frame: gpd.GeoDataFrame, v10_records: list[dict[str, Any]]
) -> None:
    path = tmp_path / "mixed.gpkg"
    full = _mr_full(v10_frame, lower=False)
    full.iloc[:2].to_file(path, layer="land_polygons", driver="GPKG")
    full.to_file(path, layer="eez_v12", driver="GPKG")
    lines = gpd.GeoDataFrame(
        {"id": [1]}, geometry=[LineString([(130, 35), (131, 36)])], crs="EPSG:4326"
    )
    lines.to_file(path, layer="eez_boundaries", driver="GPKG")

    _, records, _, warnings = read_zone_file(path)
    assert records == v10_records
    assert warnings == [
        f"{path} has several polygon layers (land_polygons, eez_v12); using 'eez_v12' "
        f"(choose another with {path}::LAYER)"
    ]
    _, records, _, warnings = read_zone_file(f"{path}::land_polygons")
    assert len(records) == 2 and warnings == []
    with pytest.raises(ZoneDataError) as exc:
        read_zone_file(f"{path}::nope")
    assert str(exc.value) == (
        f"{path} has no layer 'nope'; layers: land_polygons, eez_v12, eez_boundaries"
    )


# --- other schemas ----------------------------------------------------------------------------


def _write_geojson(path: Path, features: list[dict[str, Any]], crs: str | None = None) -> Path:
    fc: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs:
        fc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(fc), encoding="utf-8")
    return path


def _feature(props: dict[str, Any], geom: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}


def test_unknown_schema_lists_columns(tmp_path: Path) -> None:
    path = _write_geojson(
        tmp_path / "odd.geojson", [_feature({"foo": 1, "bar": "x"}, box(0, 0, 1, 1))]
    )
    with pytest.raises(ZoneDataError) as exc:
        read_zone_file(path)
    assert str(exc.value) == (
        f"{path}: unknown zone schema (no Marine Regions columns and no name column); "
        "columns found: foo, bar; map them with --eez-columns "
        "name=COL,territory1=COL,sovereign1=COL (see docs/zone-files.md)"
    )


def test_column_map_for_other_files(tmp_path: Path) -> None:
    path = _write_geojson(
        tmp_path / "custom.geojson",
        [
            _feature(
                {"ZONE": "Zone A", "COUNTRY": "Japan", "SOV": "Japan", "CODE": "JPN", "ID": "7"},
                box(130, 30, 131, 31),
            ),
            _feature(
                {"ZONE": "Zone B", "COUNTRY": None, "SOV": "", "CODE": None, "ID": None},
                box(131, 30, 132, 31),
            ),
        ],
    )
    cmap = parse_column_map("name=ZONE, territory1=COUNTRY,sovereign=SOV,iso1=code,mrgid=ID")
    info, records, _, warnings = read_zone_file(path, cmap)
    assert warnings == []
    assert records == [
        {
            "name": "Zone A",
            "pol_type": "",
            "territories": ["Japan"],
            "sovereigns": ["Japan"],
            "iso_codes": ["JPN"],
            "mrgid": 7,
        },
        {
            "name": "Zone B",
            "pol_type": "",
            "territories": [],
            "sovereigns": [],
            "iso_codes": [],
            "mrgid": None,
        },
    ]
    assert info.name == "custom"
    assert info.citation == ""
    assert info.modelled is False

    with pytest.raises(ZoneDataError) as exc:
        read_zone_file(path, {"name": "NOPE"})
    assert str(exc.value) == (
        f"{path}: the column map names 'NOPE' for name, but there is no such column; "
        "columns found: ZONE, COUNTRY, SOV, CODE, ID"
    )


def test_name_column_fallback_warns(tmp_path: Path) -> None:
    path = _write_geojson(
        tmp_path / "named.geojson",
        [_feature({"Name": "Test zone", "Country": "Fiji"}, box(177, -18, 178, -17))],
    )
    _, records, _, warnings = read_zone_file(path)
    assert records[0]["name"] == "Test zone"
    assert records[0]["territories"] == records[0]["sovereigns"] == ["Fiji"]
    assert warnings == [
        f"no Marine Regions columns in {path}; guessed name=Name, territory1=Country, "
        "sovereign1=Country (pass --eez-columns to map territories, sovereigns and ISO codes)"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name", "column map: expected KEY=COLUMN, got 'name'"),
        (
            "colour=RED",
            "column map: unknown key 'colour' "
            "(use name, pol_type, territory1-3, sovereign1-3, iso1-3, mrgid)",
        ),
        ("name=A,name=B", "column map: key 'name' given twice"),
        (" , ", "column map is empty; expected e.g. name=NAME,territory1=COUNTRY"),
    ],
)
def test_parse_column_map_errors(text: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_column_map(text)
    assert str(exc.value) == message


# --- geometry ---------------------------------------------------------------------------------


def test_invalid_geometry_is_repaired_and_reported(tmp_path: Path) -> None:
    bowtie = Polygon([(130, 30), (132, 32), (132, 30), (130, 32), (130, 30)])
    assert not bowtie.is_valid
    path = _write_geojson(
        tmp_path / "bad.geojson",
        [
            _feature({"name": "bow tie", "territory": "Japan"}, bowtie),
            _feature({"name": "square", "territory": "Japan"}, box(133, 30, 134, 31)),
        ],
    )
    _, records, geoms, warnings = read_zone_file(path)
    assert [r["name"] for r in records] == ["bow tie", "square"]
    assert all(g.is_valid for g in geoms)
    # both triangles kept
    triangles = [
        Polygon([(130, 30), (131, 31), (130, 32)]),
        Polygon([(131, 31), (132, 32), (132, 30)]),
    ]
    want_m2 = sum(abs(GEOD.geometry_area_perimeter(t)[0]) for t in triangles)
    parts = getattr(geoms[0], "geoms", [geoms[0]])
    got_m2 = sum(abs(GEOD.geometry_area_perimeter(p)[0]) for p in parts)
    assert got_m2 == pytest.approx(want_m2, abs=REPAIR_AREA_TOL_M2)
    assert "repaired 1 invalid geometry with make_valid (kept the polygonal parts)" in warnings


def test_non_polygons_are_dropped(tmp_path: Path) -> None:
    path = _write_geojson(
        tmp_path / "mixed.geojson",
        [
            _feature({"name": "zone"}, box(130, 30, 131, 31)),
            _feature({"name": "a point"}, Point(130, 30)),
            _feature({"name": "a line"}, LineString([(130, 30), (131, 31)])),
            _feature(
                {"name": "collection"},
                shapely.GeometryCollection([Point(0, 0), box(132, 30, 133, 31)]),
            ),
        ],
    )
    _, records, geoms, warnings = read_zone_file(path)
    assert [r["name"] for r in records] == ["zone", "collection"]
    assert geoms[1].equals(box(132, 30, 133, 31))
    assert "dropped 2 features without polygons (LineString, Point)" in warnings


def test_projected_crs_is_reprojected(tmp_path: Path, v10_frame: gpd.GeoDataFrame) -> None:
    # Web Mercator cannot hold Russia's Arctic (beyond 85.05 N): take the southern zones.
    south = v10_frame[v10_frame.geometry.bounds.maxy < 80].reset_index(drop=True)
    path = tmp_path / "mercator.gpkg"
    south.to_crs("EPSG:3857").to_file(path, driver="GPKG")

    _, records, geoms, warnings = read_zone_file(path)
    assert f"reprojected {path} from EPSG:3857 to EPSG:4326 (WGS 84 lon/lat)" in warnings
    assert [r["name"] for r in records] == list(south["geoname"])
    # every vertex comes back where it was, to 1 cm on the ellipsoid
    before = shapely.get_coordinates(list(south.geometry))
    after = shapely.get_coordinates(geoms)
    assert before.shape == after.shape
    _, _, dist = pyproj.Geod(ellps="WGS84").inv(
        before[:, 0], before[:, 1], after[:, 0], after[:, 1]
    )
    assert float(np.max(dist)) < 0.01


def test_shapefile_without_crs_is_read_as_lonlat(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"name": ["zone"]}, geometry=[box(130, 30, 131, 31)], crs="EPSG:4326")
    frame.to_file(tmp_path / "nocrs.shp")
    (tmp_path / "nocrs.prj").unlink()
    _, records, _, warnings = read_zone_file(tmp_path / "nocrs.shp")
    assert len(records) == 1
    assert f"{tmp_path / 'nocrs.shp'} has no CRS; read as WGS 84 longitude/latitude" in warnings


# --- antimeridian -----------------------------------------------------------------------------


def test_russia_split_at_antimeridian_is_kept(
    official_eez_path: Path, v10_frame: gpd.GeoDataFrame
) -> None:
    info, records, geoms, _ = read_zone_file(official_eez_path)
    i = next(
        k
        for k, r in enumerate(records)
        if r["sovereigns"] == ["Russia"] and len(r["territories"]) == 1
    )
    russia = geoms[i]
    assert russia.bounds[0] == -180.0 and russia.bounds[2] == 180.0  # lon extent ~360
    original = v10_frame.geometry[v10_frame["mrgid"] == 5690].iloc[0]
    assert russia.equals(original)
    # a point in each part that touches the antimeridian is Russia's, on both sides
    zones = Zones.from_records(info, records, geoms)
    edge_parts = [p for p in russia.geoms if abs(p.bounds[0]) == 180 or abs(p.bounds[2]) == 180]
    assert {p.bounds[0] < 0 for p in edge_parts} == {True, False}
    for part in edge_parts:
        pt = part.representative_point()
        assert i in zones.containing(pt.x, pt.y)


def test_unsplit_russia_beyond_180_is_split(tmp_path: Path, v10_frame: gpd.GeoDataFrame) -> None:
    russia = v10_frame.geometry[v10_frame["mrgid"] == 5690].iloc[0]
    # Rewrite the western-hemisphere parts as longitudes 180..190: one zone, unsplit
    parts = [
        shapely.affinity.translate(p, xoff=360) if p.bounds[2] < 0 else p for p in russia.geoms
    ]
    unsplit = shapely.union_all(parts)
    assert unsplit.bounds[2] > 180
    path = _write_geojson(
        tmp_path / "russia-0-360.geojson",
        [
            _feature(
                {"GEONAME": "Russian EEZ", "TERRITORY1": "Russia", "SOVEREIGN1": "Russia"}, unsplit
            )
        ],
    )
    _, _, geoms, warnings = read_zone_file(path)
    assert "split 1 geometry at the antimeridian (longitudes normalised to -180..180)" in warnings
    g = geoms[0]
    assert g.is_valid
    assert g.bounds[0] >= -180.0 and g.bounds[2] <= 180.0
    assert geodesic_area_m2(g) == pytest.approx(geodesic_area_m2(russia), abs=SPLIT_AREA_TOL_M2)
    assert g.symmetric_difference(russia).area < 1e-6


def test_ring_jumping_across_antimeridian_is_split(tmp_path: Path) -> None:
    # Fiji-like: the ring written in -180..180 jumps from 177 E to 178 W
    fiji = Polygon([(177, -20), (177, -16), (-178, -16), (-178, -20), (177, -20)])
    # Alaska-like: written in 0..360 longitudes
    aleutians = box(170, 50, 190, 55)
    path = _write_geojson(
        tmp_path / "crossing.geojson",
        [
            _feature({"name": "Fiji-like"}, fiji),
            _feature({"name": "Aleutian-like"}, aleutians),
        ],
    )
    _, _, geoms, warnings = read_zone_file(path)
    assert "split 2 geometries at the antimeridian (longitudes normalised to -180..180)" in warnings
    f, a = geoms
    assert isinstance(f, MultiPolygon)
    assert sorted(p.bounds for p in f.geoms) == [(-180, -20, -178, -16), (177, -20, 180, -16)]
    assert f.contains(Point(179.5, -18)) and f.contains(Point(-179.5, -18))
    assert not f.contains(Point(0, -18))
    assert sorted(p.bounds for p in a.geoms) == [(-180, 50, -170, 55), (170, 50, 180, 55)]


def test_ring_around_the_pole_is_closed_over_the_pole(tmp_path: Path) -> None:
    lons = list(range(-180, 180, 30))
    cap = Polygon([(lon, 80.0) for lon in lons])  # jumps from 150 back to -180
    path = _write_geojson(tmp_path / "cap.geojson", [_feature({"name": "cap"}, cap)])
    _, _, geoms, _ = read_zone_file(path)
    g = geoms[0]
    assert g.is_valid
    assert g.bounds == (-180.0, 80.0, 180.0, 90.0)
    assert g.contains(Point(0, 85)) and g.contains(Point(179, 85))
    assert not g.contains(Point(0, 70))


# --- bad input --------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.geojson"
    path.write_bytes(b"")
    with pytest.raises(ZoneDataError) as exc:
        read_zone_file(path)
    assert str(exc.value) == f"zone file {path} is empty (0 bytes)"


def test_file_without_features(tmp_path: Path) -> None:
    path = _write_geojson(tmp_path / "none.geojson", [])
    with pytest.raises(ZoneDataError) as exc:
        read_zone_file(path)
    assert str(exc.value) == f"{path} has no features"


def test_file_without_polygons(tmp_path: Path) -> None:
    path = _write_geojson(
        tmp_path / "points.geojson",
        [_feature({"name": "a"}, Point(1, 2)), _feature({"name": "b"}, Point(3, 4))],
    )
    with pytest.raises(ZoneDataError) as exc:
        read_zone_file(path)
    assert str(exc.value) == f"{path} has no polygons (found 2 Point)"


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "junk.geojson"
    path.write_text("this is not a zone file", encoding="utf-8")
    with pytest.raises(ZoneDataError) as exc:
        read_zone_file(path)
    assert str(exc.value) == f"cannot read zone file {path}: not a vector format GDAL recognises"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ZoneDataError) as exc:
        read_zone_file(tmp_path / "nope.shp")
    assert str(exc.value) == f"zone file not found: {tmp_path / 'nope.shp'}"


def test_zip_without_zone_files(tmp_path: Path) -> None:
    path = tmp_path / "readme.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("README.txt", "hello")
    with pytest.raises(ZoneDataError) as exc:
        read_zone_file(path)
    assert str(exc.value) == (
        f"{path}: the zip holds no shapefile, GeoPackage or GeoJSON (it holds: README.txt)"
    )


def test_rounding_beyond_180_is_snapped_not_split(tmp_path: Path) -> None:
    # reprojection noise: a vertex a hair past the antimeridian is not a crossing
    poly = Polygon([(179.0, 60.0), (180.00000001, 60.0), (180.00000001, 61.0), (179.0, 61.0)])
    path = _write_geojson(tmp_path / "edge.geojson", [_feature({"name": "edge"}, poly)])
    _, _, geoms, warnings = read_zone_file(path, {"name": "name"})
    assert warnings == []
    assert geoms[0].bounds == (179.0, 60.0, 180.0, 61.0)
