"""Golden regression fixtures: one small GeoJSON per hard case, in tests/golden/.

Each fixture stores its input (centre, radius, tolerance) in its properties. The test
regenerates the range area from those inputs and compares:

* the number of polygons and of holes, and which poles are covered: equal;
* the geometry: geodesic area of the symmetric difference (``geodesic_area_m2``) at most
  ``perimeter * 2 * rounding`` + 1 m², where rounding is the metres of half a unit in the
  last stored decimal of a degree (111,320 m * 0.5 * 10**-decimals) - the geometry may move
  by rounding only, far below the tolerance the shape was built with;
* the geodesic area: within 1 km² of the stored ``area_km2``.

Independently of the code, each stored fixture must also pass the range contract against
Geod.inv distances (band 2 * tolerance + 1 m plus the rounding) and its stored area must be
within perimeter * tolerance + 1 km² of the oracle's reference area.

Regenerate after an intended change: ``RANGEZONE_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
(see tests/README.md).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from conftest import GeodesicOracle, contract_band_m
from shapely.geometry import MultiPolygon, Polygon, shape

from geo.core.shapes import geodesic_area_m2, range_area
from geo.core.types import LonLat

GOLDEN_DIR = Path(__file__).parent / "golden"
UPDATE = os.environ.get("RANGEZONE_UPDATE_GOLDEN") == "1"
M_PER_DEG = 111_320.0
KM2 = 1e6


@dataclass(frozen=True)
class Case:
    name: str
    lon: float
    lat: float
    range_m: float
    tolerance_m: float = 2000.0
    decimals: int = 5
    """Stored degrees are rounded to this many decimals (5: 1.1 m)."""

    @property
    def rounding_m(self) -> float:
        return M_PER_DEG * 0.5 * 10.0**-self.decimals


CASES = [
    Case("antimeridian-fiji-3000km", 178.0, -18.0, 3_000_000.0),
    Case("north-pole-enclosed-sinpo-6000km", 128.1839, 40.0368, 6_000_000.0),
    Case("north-pole-enclosed-pyongyang-13000km", 125.75, 39.02, 13_000_000.0),
    Case("both-poles-sariwon-15000km", 125.75444, 38.50778, 15_000_000.0),
    Case("near-antipode-19990km", 125.75444, 38.50778, 19_990_000.0),
    Case("whole-globe-20100km", 125.75444, 38.50778, 20_100_000.0),
    Case("tiny-radius-1m", 10.0, 10.0, 1.0, tolerance_m=0.01, decimals=10),
]


def _poles(geom: Any) -> dict[str, bool]:
    return {
        "north": bool(shapely.intersects_xy(geom, 0.0, 90.0)),
        "south": bool(shapely.intersects_xy(geom, 0.0, -90.0)),
    }


def _counts(geom: Any) -> tuple[int, int]:
    polys = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    return len(polys), sum(len(p.interiors) for p in polys)


def _perimeter_m(oracle: GeodesicOracle, geom: Any) -> float:
    """Geodesic length of the rings, without the antimeridian and pole closure edges."""
    total = 0.0
    for ring in oracle.rings(geom):
        a, b = ring[:-1], ring[1:]
        keep = ~oracle.is_artificial(a, b)
        if keep.any():
            _, _, d = oracle.geod.inv(a[keep, 0], a[keep, 1], b[keep, 0], b[keep, 1])
            total += float(np.sum(d))
    return total


def _round(obj: Any, decimals: int) -> Any:
    if isinstance(obj, float):
        return round(obj, decimals)
    if isinstance(obj, (list, tuple)):
        return [_round(v, decimals) for v in obj]
    if isinstance(obj, dict):
        return {k: _round(v, decimals) for k, v in obj.items()}
    return obj


def _build(case: Case, oracle: GeodesicOracle) -> dict[str, Any]:
    s = range_area(LonLat(case.lon, case.lat), case.range_m, tolerance_m=case.tolerance_m)
    geometry = _round(json.loads(shapely.to_geojson(s.geometry)), case.decimals)
    parts, holes = _counts(s.geometry)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "case": case.name,
                    "centre_lon": case.lon,
                    "centre_lat": case.lat,
                    "range_m": case.range_m,
                    "tolerance_m": case.tolerance_m,
                    "decimals": case.decimals,
                    "area_km2": round(s.area_m2 / KM2, 6),
                    "perimeter_km": round(_perimeter_m(oracle, s.geometry) / 1000.0, 3),
                    "parts": parts,
                    "holes": holes,
                    "poles": _poles(s.geometry),
                },
                "geometry": geometry,
            }
        ],
    }


def _load(case: Case) -> tuple[dict[str, Any], Polygon | MultiPolygon]:
    path = GOLDEN_DIR / f"{case.name}.geojson"
    if not path.exists():
        pytest.fail(f"missing {path.name}: run RANGEZONE_UPDATE_GOLDEN=1 pytest {__file__}")
    fc = json.loads(path.read_text(encoding="utf-8"))
    feature = fc["features"][0]
    geom = shape(feature["geometry"])
    assert isinstance(geom, (Polygon, MultiPolygon))
    return feature["properties"], geom


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Case, oracle: GeodesicOracle) -> None:
    if UPDATE:
        GOLDEN_DIR.mkdir(exist_ok=True)
        text = json.dumps(_build(case, oracle), separators=(",", ":")) + "\n"
        (GOLDEN_DIR / f"{case.name}.geojson").write_text(text, encoding="utf-8")
    props, stored = _load(case)
    # The fixture records the input it pins.
    assert props["case"] == case.name
    assert (props["centre_lon"], props["centre_lat"]) == (case.lon, case.lat)
    assert (props["range_m"], props["tolerance_m"]) == (case.range_m, case.tolerance_m)

    fresh = range_area(
        LonLat(props["centre_lon"], props["centre_lat"]),
        props["range_m"],
        tolerance_m=props["tolerance_m"],
    )
    assert _counts(fresh.geometry) == _counts(stored) == (props["parts"], props["holes"])
    assert _poles(fresh.geometry) == _poles(stored) == props["poles"]
    limit_m2 = props["perimeter_km"] * 1000.0 * 2.0 * case.rounding_m + 1.0
    diff_m2 = geodesic_area_m2(fresh.geometry.symmetric_difference(stored))
    assert 0.0 <= diff_m2 <= limit_m2, f"geometry moved: {diff_m2 / KM2:.6f} km²"
    assert abs(fresh.area_m2 / KM2 - props["area_km2"]) < 1.0


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_fixture_is_right(case: Case, oracle: GeodesicOracle) -> None:
    """The stored geometry itself passes the contract and its area the reference check."""
    props, stored = _load(case)
    lon, lat, r = props["centre_lon"], props["centre_lat"], props["range_m"]
    assert oracle.check_valid_lonlat(stored) == []
    assert oracle.degenerate_rings(stored) == 0
    pts = oracle.sample_points(lon, lat, [r], np.random.default_rng(2024))
    band = contract_band_m(props["tolerance_m"]) + 2.0 * case.rounding_m
    want, judged = oracle.annular_sector_truth(pts, 0.0, r, band)
    v = oracle.violations(stored, pts, want, judged)
    assert v.count == 0, v.examples
    ref_m2, perimeter_m = oracle.disk_area_m2(lon, lat, r)
    assert abs(props["area_km2"] * KM2 - ref_m2) <= perimeter_m * props["tolerance_m"] + KM2


def test_no_orphan_fixtures() -> None:
    names = {p.stem for p in GOLDEN_DIR.glob("*.geojson")}
    assert names == {c.name for c in CASES}


def test_fixtures_are_small() -> None:
    for path in GOLDEN_DIR.glob("*.geojson"):
        assert path.stat().st_size < 20_000, path.name
