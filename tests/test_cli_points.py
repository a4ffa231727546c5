"""``check --points FILE`` (``--csv`` its alias): GeoParquet, GeoPackage, GeoJSON and CSV in,
CSV, JSON or GeoParquet out, the same verdicts whatever the formats."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from cli_helpers import run, run_json

LONS = [140.0, 131.0, 150.0, 128.25]
LATS = [30.0, 38.5, 5.0, 33.1]


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "points.csv"
    rows = "".join(f"p{k},{la},{lo}\n" for k, (la, lo) in enumerate(zip(LATS, LONS, strict=True)))
    path.write_text("id,lat,lon\n" + rows, encoding="utf-8")
    return path


def _frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": [f"p{k}" for k in range(len(LONS))]},
        geometry=gpd.points_from_xy(LONS, LATS),
        crs="EPSG:4326",
    )


def test_points_files_give_the_csv_verdicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    want = run_json(capsys, "check", "--csv", str(_csv(tmp_path)), "--country", "Japan", "--json")
    keys = ("id", "status", "zone", "margin_km")
    for suffix in (".gpkg", ".geojson", ".parquet"):
        path = tmp_path / f"points{suffix}"
        if suffix == ".parquet":
            _frame().to_parquet(path)
        else:
            _frame().to_file(path)
        got = run_json(capsys, "check", "--points", str(path), "--country", "Japan", "--json")
        assert [[r[k] for k in keys] for r in got] == [[r[k] for k in keys] for r in want]
        assert [r["status"] for r in got][:3] == ["inside", "outside", "outside"]


def test_geoparquet_out_with_a_bad_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frame = _frame()
    frame.loc[2, "geometry"] = shapely.box(0, 0, 1, 1)  # not a point: that row's error
    src = tmp_path / "points.gpkg"
    frame.to_file(src)
    out = tmp_path / "verdicts.parquet"
    result = run(capsys, "check", "--points", str(src), "--country", "Japan", "-o", str(out))
    assert result.code == 2 and "Traceback" not in result.err
    assert "1 of 4 rows failed" in result.err and "not a point" in result.err
    back = gpd.read_parquet(out)
    assert back["id"].tolist() == ["p0", "p1", "p2", "p3"]  # every row written
    assert back["status"].tolist()[:2] == ["inside", "outside"]
    assert back.geometry.iloc[2] is None and "Polygon" in back["error"].iloc[2]
    assert shapely.equals(back.geometry.iloc[0], shapely.Point(140.0, 30.0))


def test_csv_in_geoparquet_out_and_refusals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "v.parquet"
    result = run(capsys, "check", "--csv", str(_csv(tmp_path)), "-o", str(out))
    assert result.code == 0, result
    assert len(gpd.read_parquet(out)) == len(LONS)
    # GeoParquet is a file: not to stdout, and not with --json
    bad = run(capsys, "check", "--points", str(_csv(tmp_path)), "--json", "-o", str(out))
    assert bad.code == 2 and len(bad.err_lines) == 1
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    err = run(capsys, "check", "--points", str(broken))
    assert err.code == 2 and err.err_lines[0].startswith("rangezone: ")
