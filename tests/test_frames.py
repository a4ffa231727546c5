"""GeoDataFrames in and out, checked against geopandas.sjoin on the same zones, and the
shipped locate grids checked against the lazily built ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import geo
from geo.access import locategrid
from geo.access.frames import locate_frame
from geo.access.zones import Zones, load_land, load_zones
from geo.briefing.compose import RangeRequest, range_features, site_feature, zone_features
from geo.core.shapes import range_area
from geo.core.types import LonLat
from geo.errors import InputError
from geo.present.content import MapContent


@pytest.fixture(scope="module")
def modelled() -> Zones:
    return load_zones()


def _sjoin_names(zones: Zones, lon: np.ndarray, lat: np.ndarray) -> list[set[str]]:
    """Names of every zone holding each point, by geopandas.sjoin (the baseline)."""
    polys = zones.to_geodataframe()[["name", "geometry"]]
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    joined = gpd.sjoin(pts, polys, predicate="within", how="left")
    out: list[set[str]] = [set() for _ in range(lon.size)]
    for i, name in zip(joined.index, joined["name"], strict=True):
        if isinstance(name, str):
            out[i].add(name)
    return out


def _agree(located: pd.DataFrame, truth: list[set[str]]) -> int:
    bad = 0
    for got, want in zip(located["zone"].tolist(), truth, strict=True):
        if got is pd.NA or (isinstance(got, float) and np.isnan(got)):
            bad += bool(want)
        else:
            bad += got not in want
    return bad


def test_zones_frame_has_one_typed_row_per_zone(modelled: Zones) -> None:
    frame = geo.to_geodataframe(modelled)
    assert len(frame) == len(modelled)
    assert list(frame.index) == list(range(len(modelled)))
    assert frame.crs.to_epsg() == 4326
    assert str(frame["name"].dtype) == "string" and str(frame["mrgid"].dtype) == "Int64"
    assert frame["shared"].dtype == bool
    assert frame["shared"].tolist() == [z.is_shared for z in modelled.zones]
    k = next(i for i, z in enumerate(modelled.zones) if z.sovereign != z.territory)
    assert frame["sovereign"].iloc[k] == modelled.zones[k].sovereign
    assert frame["territory"].iloc[k] == modelled.zones[k].territory
    assert all(shapely.equals(frame.geometry.values, np.asarray(modelled.geoms, dtype=object)))


@pytest.mark.parametrize("which", ["modelled", "official"])
def test_locate_frame_matches_sjoin(
    which: str, modelled: Zones, request: pytest.FixtureRequest
) -> None:
    zones = (
        modelled
        if which == "modelled"
        else load_zones(request.getfixturevalue("official_eez_path"))
    )
    rng = np.random.default_rng(14)
    n = 6000
    lon = np.concatenate([rng.uniform(115, 160, n), rng.uniform(-180, 180, n)])
    lat = np.concatenate([rng.uniform(20, 55, n), np.degrees(np.arcsin(rng.uniform(-1, 1, n)))])
    frame = pd.DataFrame({"name": [f"p{i}" for i in range(lon.size)], "Longitude": lon, "LAT": lat})
    located = locate_frame(frame, zones)
    assert list(located.columns[:3]) == ["name", "Longitude", "LAT"]  # input kept, zone added
    assert "zone" not in frame.columns
    truth = _sjoin_names(zones, lon, lat)
    assert sum(bool(t) for t in truth) > 1000  # the sample reaches into many zones
    assert _agree(located, truth) == 0
    # territory, sovereign and type are those of the zone named
    by_name = {z.name: z for z in zones.zones}
    for row in located.dropna(subset=["zone"]).head(300).itertuples():
        z = by_name[row.zone]
        assert (row.territory, row.sovereign, row.pol_type) == (
            z.territory,
            z.sovereign,
            z.pol_type,
        )


def test_locate_frame_reads_point_geometry_in_any_crs(modelled: Zones) -> None:
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(120, 150, 3000), rng.uniform(25, 45, 3000)
    pts = gpd.GeoDataFrame(
        {"v": np.arange(3000)}, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326"
    )
    in_metres = pts.to_crs("EPSG:3857")
    a = locate_frame(pts, modelled)
    b = locate_frame(in_metres, modelled)
    assert isinstance(b, gpd.GeoDataFrame) and b.crs == in_metres.crs
    assert _agree(a, _sjoin_names(modelled, lon, lat)) == 0
    # Web Mercator round trips move points by nanometres: compare away from boundaries
    same = a["zone"].astype("str").fillna("") == b["zone"].astype("str").fillna("")
    assert same.mean() > 0.999
    assert a["zone"].dtype == "category"
    assert set(a["sovereign"].cat.categories) == {z.sovereign for z in modelled.zones}


def test_locate_frame_refuses_what_it_cannot_read(modelled: Zones) -> None:
    with pytest.raises(InputError, match="longitude and latitude"):
        locate_frame(pd.DataFrame({"a": [1.0], "b": [2.0]}), modelled)
    polys = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:4326")
    with pytest.raises(InputError, match="needs points"):
        locate_frame(polys, modelled)
    with pytest.raises(InputError, match="already has column"):
        locate_frame(pd.DataFrame({"lon": [140.0], "lat": [30.0], "zone": ["x"]}), modelled)
    with pytest.raises(InputError, match="no column 'east'"):
        locate_frame(pd.DataFrame({"lon": [140.0], "lat": [30.0]}), modelled, lon="east")
    # unreadable coordinates are located nowhere, not an error
    odd = locate_frame(pd.DataFrame({"lon": ["x", None, "140"], "lat": [30, 30, "30"]}), modelled)
    assert odd["zone"].isna().tolist() == [True, True, False]


def test_locate_frame_with_country_adds_verdicts(modelled: Zones) -> None:
    frame = pd.DataFrame(
        {
            "lon": [140.0, 131.0, 139.69, 150.0],
            "lat": [30.0, 38.5, 35.69, 5.0],
        }
    )  # off the Izu islands, in Korea's zone, Tokyo, far from Japan
    out = locate_frame(frame, modelled, country="Japan")
    assert out["country"].tolist() == ["Japan"] * 4
    assert out["status"].iloc[0] == "inside"
    assert out["status"].iloc[1] == "outside"
    assert out["status"].iloc[3] == "outside"
    assert out["on_land"].iloc[2] == "Japan"
    assert out["margin_km"].iloc[3] > 500  # ~1,500 km from Japan's zone: at least 500
    assert out["margin_km"].dtype == float


def test_shape_and_content_frames(oracle: Any) -> None:
    centre = LonLat(125.0, 39.0)
    shape = range_area(centre, 1_000_000.0)
    one = shape.to_geodataframe(label="1,000 km")
    exact_m2, _ = oracle.disk_area_m2(125.0, 39.0, 1_000_000.0)
    assert abs(one["area_km2"].iloc[0] - exact_m2 / 1e6) < 1.0  # km², against pyproj's disk
    assert shapely.equals(one.geometry.iloc[0], shape.geometry)
    assert one["label"].iloc[0] == "1,000 km"

    reqs = [RangeRequest(1_000_000.0), RangeRequest(800_000.0, 300_000.0, (30, 90))]
    feats = [site_feature(centre, "Sunan"), *range_features(centre, "Sunan", reqs)]
    content = MapContent("Test", zone_features(load_zones(), shapely.box(120, 30, 130, 45)) + feats)
    frame = content.to_geodataframe()
    assert len(frame) == len(content.features)
    assert frame["kind"].tolist() == [f.kind for f in content.features]
    assert frame.attrs["attribution"][-1].startswith("Boundaries are shown")
    assert str(frame["range_km"].dtype) == "float64"
    assert str(frame["label"].dtype) == "string"
    assert str(frame["modelled"].dtype) == "boolean"
    area_rows = frame[frame["kind"] == "range_area"]
    assert sorted(area_rows["range_km"].tolist()) == [1000.0]
    sector = frame[frame["kind"] == "impact_area"].iloc[0]
    assert (sector["min_range_km"], sector["from_bearing_deg"]) == (300.0, 30)
    assert frame[frame["kind"] == "eez"]["range_km"].isna().all()
    assert frame.loc[frame["kind"] == "eez", "layer"].iloc[0] == "EEZ zones"


def test_shipped_grids_match_the_lazily_built_ones() -> None:
    for zones in (load_zones(), load_land()):
        assert zones.grid_pack is not None
        shipped = zones._grid  # read from NAME.grid.bin
        assert not (shipped == -3).any(), "the shipped grid must cover every cell"
        fresh = Zones(zones.info, zones.zones, zones.geoms)
        # a band of cells across Japan, Korea and the Kuril islands, built lazily
        rows = np.arange(1100, 1380)
        cols = np.arange(3000, 3300)
        keys = (rows[:, None] * fresh._ncols + cols[None, :]).ravel().astype(np.int64)
        fresh._classify_cells(keys)
        assert np.array_equal(fresh._grid[keys], shipped[keys])


def test_stale_or_damaged_grid_is_ignored(tmp_path: Path) -> None:
    from geo.access.resources import data_file

    pack = tmp_path / "eez-modelled.zip"
    pack.write_bytes(data_file("eez-modelled.zip").read_bytes())
    good = data_file("eez-modelled.grid.bin").read_bytes()
    zones = load_zones(pack)
    grid = locategrid.grid_path(pack)
    for damaged in (good[:-10], good[:20], b"RZGRID1\n{}\n", good.replace(b"pack_sha256", b"x", 1)):
        grid.write_bytes(damaged)
        assert locategrid.read_grid(grid, zones, locategrid.file_sha256(pack)) is None
    grid.write_bytes(good)
    assert locategrid.read_grid(grid, zones, locategrid.file_sha256(pack)) is not None
    pack.write_bytes(pack.read_bytes() + b"\0")  # another pack: the grid is stale
    assert locategrid.read_grid(grid, zones, locategrid.file_sha256(pack)) is None
    stale = Zones(zones.info, zones.zones, zones.geoms)
    stale.grid_pack = pack
    assert (stale._grid == -3).all()  # built lazily instead
    lon, lat = np.array([140.0] * 300), np.array([30.0] * 300)
    assert (stale.locate(lon, lat) == zones.locate(lon, lat)).all()


def test_locate_in_chunks_gives_the_answers_of_one_pass(
    modelled: Zones, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.access.zones as zmod

    rng = np.random.default_rng(5)
    lon = rng.uniform(-200, 200, 5000)
    lat = rng.uniform(-95, 95, 5000)
    lon[::97] = np.nan
    one = modelled._locate_chunk(lon, lat)
    monkeypatch.setattr(zmod, "_CHUNK", 700)
    assert np.array_equal(modelled.locate(lon, lat), one)
    assert (one >= 0).sum() > 500
