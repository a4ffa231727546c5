"""locate_frame on Dask frames, on a distributed.LocalCluster of 2 worker processes: the same
answers as Zones.locate on the gathered points, the zone set built once per worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import dask_geopandas
import distributed
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import geo
from geo.access.zones import Zones, load_zones

pytestmark = [
    pytest.mark.slow,
    # dask-geopandas 0.5 calls reset_index(inplace=True), which pandas 3.1 deprecates
    pytest.mark.filterwarnings("ignore:The inplace keyword:pandas.errors.Pandas4Warning"),
]


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def _names(zones: Zones, idx: np.ndarray) -> list[str | None]:
    return [zones.zones[i].name if i >= 0 else None for i in idx.tolist()]


def _col(series: pd.Series) -> list[str | None]:
    return [None if pd.isna(v) else str(v) for v in series.tolist()]


def test_geoparquet_partitions_on_a_local_cluster(client: Any, tmp_path: Path) -> None:
    from geo.access import daskframes

    zones = load_zones()
    rng = np.random.default_rng(6)
    n = 30_000
    lon = np.concatenate([rng.uniform(115, 160, n // 2), rng.uniform(-180, 180, n // 2)])
    lat = np.concatenate([rng.uniform(20, 55, n // 2), rng.uniform(-80, 80, n // 2)])
    points = gpd.GeoDataFrame(
        {"i": np.arange(n)}, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326"
    )
    dask_geopandas.from_geopandas(points, npartitions=4).to_parquet(tmp_path / "points")
    frame = dask_geopandas.read_parquet(tmp_path / "points")
    assert frame.npartitions == 4
    before = client.run(lambda: daskframes.BUILDS)

    lazy = geo.locate_frame(frame, zones)
    assert isinstance(lazy, dask_geopandas.GeoDataFrame)  # nothing computed yet
    result = lazy.compute().sort_values("i")

    gathered = frame.compute().sort_values("i")  # the same points, gathered
    want = zones.locate(gathered.geometry.x.to_numpy(), gathered.geometry.y.to_numpy())
    assert _col(result["zone"]) == _names(zones, want)
    assert (want >= 0).sum() > 5_000
    sovereigns = [zones.zones[i].sovereign if i >= 0 else None for i in want.tolist()]
    assert _col(result["sovereign"]) == sovereigns
    # four partitions, two workers: each worker built the zone set at most once
    after = client.run(lambda: daskframes.BUILDS)
    assert sorted(after) == sorted(before)
    assert all(after[w] - before[w] <= 1 for w in after)
    assert sum(after.values()) >= 1


def test_plain_dask_frame_with_country(client: Any) -> None:
    zones = load_zones()
    pts = pd.DataFrame(
        {"lon": [140.0, 131.0, 139.69, 150.0, 128.0, 135.0], "lat": [30, 38.5, 35.69, 5, 33, 40]}
    )
    frame = dd.from_pandas(pts, npartitions=3)
    lazy = geo.locate_frame(frame, zones, country="Japan")
    got = lazy.compute()
    want = geo.locate_frame(pts, zones, country="Japan")
    assert list(got.columns) == list(want.columns)
    assert _col(got["status"]) == _col(want["status"])
    assert np.allclose(got["margin_km"].to_numpy(float), want["margin_km"].to_numpy(float))
    assert got["status"].iloc[0] == "inside"
