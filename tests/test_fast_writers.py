"""The fast paths of the layer writers give what the straightforward code gives.

GeoJSON geometries are written by GEOS from coordinates rounded by numpy, KML coordinates
by one format and one regex, GeoPackages with SQLite directly; each is checked here against
a plain reference (json round trip, per-number formatting, GDAL reading the file back).
"""

from __future__ import annotations

import json
import sqlite3
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from geo.present.content import MapContent, MapFeature
from geo.present.exports import _coords, write_gpkg
from geo.present.geojson import COORD_DECIMALS, collection_text, dumps, feature_collection


def _reference_round(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, COORD_DECIMALS)
    if isinstance(obj, list):
        return [_reference_round(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _reference_round(v) for k, v in obj.items()}
    return obj


def _random_geoms(seed: int) -> list[Any]:
    rng = np.random.default_rng(seed)
    geoms: list[Any] = []
    for _ in range(40):
        pts = rng.uniform([-540, -90], [540, 90], size=(int(rng.integers(2, 60)), 2))
        # values on a decimal grid (GEOS writes some with a binary tail) and tiny ones
        # (exponent notation); exact ties at the 10th decimal, which numpy and Python
        # round to different sides within 0.5e-9, are not made here
        pts[::3] = np.round(pts[::3], int(rng.integers(0, 10)))
        pts[1::7] *= 1.2345678e-7
        geoms.append(LineString(pts))
        geoms.append(Point(*pts[0]))
    ring = [(0.1, 0.2), (120.123456789, 0.2), (120.123456789, 45.5), (0.1, 0.2)]
    geoms.append(MultiPolygon([Polygon(ring)]))
    return geoms


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_geojson_text_is_the_rounded_json(seed: int) -> None:
    features = [MapFeature(g, "x", f"f{i}", {"i": i}) for i, g in enumerate(_random_geoms(seed))]
    text = collection_text(features, title="t")
    data = json.loads(text)
    for got, f in zip(data["features"], features, strict=True):
        want = _reference_round(json.loads(shapely.to_geojson(f.geometry)))
        assert got["geometry"] == want
        # every coordinate within half a unit of the 9th decimal of the true one (0.1 mm)
        a = np.array(shapely.get_coordinates(shapely.from_geojson(json.dumps(got["geometry"]))))
        assert np.abs(a - shapely.get_coordinates(f.geometry)).max() <= 0.5e-9 + 1e-12
    # the text is what json writes for the same collection, character for character
    reference = feature_collection(features, title="t")
    for feat in reference["features"]:
        feat["geometry"] = _reference_round(feat["geometry"])
    assert text == dumps(reference)


def test_kml_coordinates_are_fixed_point_without_trailing_zeros() -> None:
    coords = [(180.0, -0.0), (1e-7, 12.5), (-179.99999996, 0.00000004), (10.0, 100.25)]
    assert _coords(coords) == "180,-0 0.0000001,12.5 -180,0 10,100.25"
    rng = np.random.default_rng(7)
    pts = rng.uniform(-180, 180, size=(500, 2))
    want = " ".join(
        ",".join(f"{round(float(v), 7):.7f}".rstrip("0").rstrip(".") for v in p) for p in pts
    )
    assert _coords(pts) == want


def test_gpkg_is_a_geopackage_gdal_reads(tmp_path: Path) -> None:
    feats = [
        MapFeature(Point(125.75, 38.5), "site", "A", {"n": 1, "ok": True, "f": 0.5}),
        MapFeature(Point(126.0, 39.0), "site", "B", {"n": None, "ok": False, "f": None}),
        MapFeature(LineString([(170, 0), (190, 1)]), "ring", "r", {"Name": "x", "name": "y"}),
    ]
    content = MapContent("T", feats, subtitle="S", date="2024-11-05")
    out = tmp_path / "a.gpkg"
    write_gpkg(content, out)
    db = sqlite3.connect(out)
    try:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        blob = db.execute("SELECT geom FROM site WHERE label = 'A'").fetchone()[0]
        magic, version, flags, srs = struct.unpack("<2sBBi", blob[:8])
        assert (magic, version, flags & 1, srs) == (b"GP", 0, 1, 4326)
        minx, maxx, miny, maxy = struct.unpack("<4d", blob[8:40])
        assert (minx, maxx, miny, maxy) == (125.75, 125.75, 38.5, 38.5)
        assert shapely.from_wkb(blob[40:]).equals(shapely.MultiPoint([(125.75, 38.5)]))
    finally:
        db.close()
    assert [tuple(x) for x in pyogrio.list_layers(out)] == [
        ("ring", "MultiLineString"),
        ("site", "MultiPoint"),
        ("map_info", None),
    ]
    sites = pyogrio.read_dataframe(out, layer="site")
    assert list(sites["label"]) == ["A", "B"]
    assert sites["ok"].tolist() == [True, False]
    assert sites["n"].iloc[0] == 1 and sites["f"].iloc[0] == 0.5
    assert pyogrio.read_info(out, layer="site")["crs"] == "EPSG:4326"
    ring = pyogrio.read_dataframe(out, layer="ring")
    # names that differ only in case are two columns in SQL too
    assert ring["Name"].iloc[0] == "x" and ring["name_"].iloc[0] == "y"
    assert ring.geometry.iloc[0].equals(shapely.MultiLineString([[(170, 0), (190, 1)]]))
    assert list(tmp_path.iterdir()) == [out]  # no journal or temporary file left
