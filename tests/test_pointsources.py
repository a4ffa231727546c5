"""Point files of every kind give the verdicts of the same points in CSV; GeoParquet output
carries a point per row and typed verdict columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyarrow.parquet as pq
import pytest
import shapely

from geo.access.pointsources import GeoPointFile, open_points, write_geoparquet_rows
from geo.access.zones import load_land, load_zones
from geo.briefing.checks import BATCH_COLUMNS, BatchTally, CheckContext, batch_rows, output_names
from geo.errors import InputError

LONS = [140.0, 131.0, 139.69, 150.0, 128.25, 124.5]
LATS = [30.0, 38.5, 35.69, 5.0, 33.1, 39.2]


@pytest.fixture(scope="module")
def ctx() -> CheckContext:
    return CheckContext(load_zones(), load_land(), ["Japan"])


def _rows(source: Any, ctx: CheckContext) -> tuple[list[str], list[dict[str, Any]], BatchTally]:
    header = [*BATCH_COLUMNS, *output_names(source.extra_names)]
    tally = BatchTally()
    rows = [dict(zip(header, r, strict=True)) for r in batch_rows(source, ctx, tally)]
    return header, rows, tally


def _points(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {"id": [f"p{k}" for k in range(len(LONS))], "ship": ["=cmd()", *"abcde"]},
        geometry=gpd.points_from_xy(LONS, LATS),
        crs="EPSG:4326",
    )
    return frame.to_crs(crs)


VERDICT = ("id", "zone", "sovereign", "on_land", "country", "status", "error")


@pytest.mark.parametrize(
    ("name", "crs"),
    [
        ("points.parquet", "EPSG:4326"),
        ("points.parquet", "EPSG:3857"),
        ("points.gpkg", "EPSG:4326"),
        ("points.gpkg", "EPSG:32652"),
        ("points.geojson", "EPSG:4326"),
    ],
)
def test_every_format_gives_the_csv_verdicts(
    name: str, crs: str, ctx: CheckContext, tmp_path: Path
) -> None:
    csv = tmp_path / "points.csv"
    csv.write_text(
        "id,lat,lon,ship\n"
        + "".join(
            f"p{k},{la},{lo},{s}\n"
            for k, (la, lo, s) in enumerate(zip(LATS, LONS, ["=cmd()", *"abcde"], strict=True))
        ),
        encoding="utf-8",
    )
    path = tmp_path / name
    frame = _points(crs)
    if name.endswith(".parquet"):
        frame.to_parquet(path)
    else:
        frame.to_file(path)
    source = open_points(path)
    assert isinstance(source, GeoPointFile)
    _, got, tally = _rows(source, ctx)
    _, want, _ = _rows(open_points(csv), ctx)
    assert tally.failed == 0 and len(got) == len(LONS)
    for g, w in zip(got, want, strict=True):
        assert [g[c] for c in VERDICT] == [w[c] for c in VERDICT]
        assert g["ship"] == w["ship"]  # user columns carried through
        # reprojected points land within a millimetre of the CSV's (1e-8 deg)
        assert abs(g["lat"] - w["lat"]) < 1e-8 and abs(g["lon"] - w["lon"]) < 1e-8
        assert abs(float(g["margin_km"]) - float(w["margin_km"])) < 1e-3
    assert {r["status"] for r in got} >= {"inside", "outside"}


def test_rows_without_a_point_fail_alone(ctx: CheckContext, tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {
            "id": ["ok", "poly", "empty", "impact"],
            "from": [None, None, None, "Sariwon"],
            "distance": [None, None, None, "350km"],
            "bearing": [None, None, None, "75"],
        },
        geometry=[shapely.Point(140, 30), shapely.box(0, 0, 1, 1), None, None],
        crs="EPSG:4326",
    )
    path = tmp_path / "mixed.gpkg"
    frame.to_file(path)
    _, rows, tally = _rows(open_points(path), ctx)
    by_id = {r["id"]: r for r in rows}
    assert by_id["ok"]["status"] == "inside" and not by_id["ok"]["error"]
    assert "Polygon, not a point" in by_id["poly"]["error"]
    assert "no geometry" in by_id["empty"]["error"]
    # a row without geometry is checked by its attributes: a reported impact
    assert by_id["impact"]["kind"] == "impact" and by_id["impact"]["status"]
    assert not by_id["impact"]["error"]
    assert tally.failed == 2 and tally.first_line == 2


def test_geoparquet_output_round_trips(ctx: CheckContext, tmp_path: Path) -> None:
    source_path = tmp_path / "in.parquet"
    _points().to_parquet(source_path)
    source = open_points(source_path)
    header = [*BATCH_COLUMNS, *output_names(source.extra_names)]
    out = tmp_path / "out.parquet"
    write_geoparquet_rows(out, header, batch_rows(source, ctx, BatchTally()))
    back = gpd.read_parquet(out)
    assert back.crs is not None and back.crs.equals("OGC:CRS84")  # GeoParquet default
    assert list(back.columns) == [*header, "geometry"]
    assert np.allclose(back.geometry.x, LONS) and np.allclose(back.geometry.y, LATS)
    assert back["margin_km"].dtype == float and back["line"].tolist() == list(range(1, 7))
    assert back["status"].iloc[0] == "inside"
    assert back["ship"].iloc[0] == "=cmd()"  # data, not a spreadsheet: kept verbatim
    geo_meta = pq.ParquetFile(out).metadata.metadata[b"geo"]  # the footer, as the spec says
    assert b'"geometry_types": ["Point"]' in geo_meta
    assert not list(tmp_path.glob(".*"))  # written atomically: no temporary left


def test_unreadable_files_are_one_line_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match=r"cannot read .*bad\.parquet"):
        open_points(bad)
    with pytest.raises(InputError, match="no such file"):
        open_points(tmp_path / "missing.gpkg")
    empty = tmp_path / "empty.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(InputError, match="no points"):
        list(open_points(empty))
