"""The interactive page's basemap: the whole world coarse, the region around the content
in detail.

The detailed tier is the Natural Earth land of the region the page's view can show (the
view fitted on a screen up to 2.4:1, zoomed out 1.8×). Outside it, a coarse outline of the
whole world (``data/world-basemap.json``: 0.3° tolerance, no islands under 0.2 deg²) is
drawn, also one turn east and west, so that zooming out or panning never shows a
hard-edged square of land in an empty sea.

Land is sent once, as polygons (countries merged): the coast is the polygons' outline less
the edges made by cutting them (``outline_runs``), not a second copy of every vertex.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo.present.basemap import Basemap, Extent, parts
from geo.present.page_data import LandTier, pack_geometry, ring_runs, unpack_geometry

WORLD_FILE = "world-basemap.json"
WORLD_DECIMALS = 1
CUT_EPS_DEG = 1e-7
"""Edges within this of a cut line (before rounding) are cuts."""

Window = Callable[[BaseGeometry], BaseGeometry]


def decimals_for(tolerance_deg: float) -> int:
    """Decimals whose rounding (half a unit of the last one) stays within half the
    simplification tolerance: rounding adds less error than simplifying already did."""
    return int(min(5, max(1, math.ceil(-math.log10(max(tolerance_deg, 1e-6))))))


@lru_cache(maxsize=1)
def world_land() -> BaseGeometry:
    """The coarse world: land polygons (countries merged) in [-180, 180], from
    ``data/world-basemap.json`` (built from ``land.zip`` by scripts/build_world_basemap.py)."""
    doc = json.loads(resources.files("geo._data").joinpath(WORLD_FILE).read_text(encoding="utf-8"))
    # rounding to the file's decimals can make a ring touch itself: repair once here
    return shapely.make_valid(unpack_geometry(doc["land"]))


def _merged(land: BaseGeometry) -> BaseGeometry:
    polys = np.asarray([p for p in parts(land) if isinstance(p, Polygon)], dtype=object)
    if len(polys) == 0:
        return MultiPolygon()
    try:
        return shapely.coverage_union_all(polys)
    except shapely.errors.GEOSException:
        return shapely.union_all(polys)


def detail_tier(bm: Basemap, to_window: Window, seams_x: list[float]) -> LandTier:
    """The region's land, merged, with its coast as outline runs (cuts at the region's
    edges, the seam and 180° left out)."""
    nd = decimals_for(bm.tolerance_deg)
    land = to_window(_merged(bm.land))
    borders = to_window(bm.borders)
    e = bm.extent
    xs = [*seams_x, *(x + 360.0 * k for x in (e.west, e.east) for k in (-1, 0, 1))]
    packed = pack_geometry(land, nd)
    runs = ring_runs(land, xs, [e.south, e.north], CUT_EPS_DEG) if packed else []
    # a region as wide as the world is repeated like the coarse world
    return LandTier(packed, runs, pack_geometry(borders, nd), repeat=e.is_global)


def world_tier(region: Extent, to_window: Window, seams_x: list[float]) -> LandTier | None:
    """The coarse world outside ``region`` (None when the region is the whole globe)."""
    if region.is_global and region.south <= -89.0 and region.north >= 89.0:
        return None
    land = world_land()
    boxes = region.boxes()
    hole = shapely.union_all(boxes)
    pieces = shapely.difference(np.asarray(land.geoms, dtype=object), hole)
    outside = MultiPolygon([p for g in pieces for p in parts(g) if isinstance(p, Polygon)])
    nd = WORLD_DECIMALS
    shown = to_window(outside)
    xs = [*seams_x]
    for b in boxes:
        minx, _, maxx, _ = b.bounds
        xs += [x + 360.0 * k for x in (minx, maxx) for k in (-1, 0, 1)]
    packed = pack_geometry(shown, nd)
    runs = ring_runs(shown, xs, [region.south, region.north], CUT_EPS_DEG) if packed else []
    # no borders: the coarse world is context; the region around the content has them
    return LandTier(packed, runs, None, repeat=True)
