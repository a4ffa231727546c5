"""Build data/world-basemap.json: the coarse whole-world land that interactive
pages draw outside the detailed region around their content.

Run from the repository root:  python scripts/build_world_basemap.py
Derived from data/land.zip only (no download, no extra dependency); about 3 s.
"""

from __future__ import annotations

import json
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon

from geo.present.basemap import Extent, basemap, parts
from geo.present.page_data import pack_geometry, to_json_value

TOLERANCE_DEG = 0.3
"""About a pixel and a half of a whole-world view 1,800 px wide."""
MIN_AREA_DEG2 = 0.2
"""Land parts smaller than this (about 2,500 km² at the equator, a few pixels at world scale)
are left out; pages keep them in their detailed region."""
DECIMALS = 1

OUT = Path(__file__).resolve().parent.parent / "data" / "world-basemap.json"


def main() -> None:
    bm = basemap(Extent(-180.0, -90.0, 180.0, 90.0), tolerance_deg=TOLERANCE_DEG, labels=False)
    polys = [p for p in parts(bm.land) if isinstance(p, Polygon)]
    try:
        merged = shapely.coverage_union_all(polys)
    except shapely.errors.GEOSException:
        merged = shapely.union_all(polys)
    big = [p for p in parts(merged) if isinstance(p, Polygon) and p.area >= MIN_AREA_DEG2]
    land = shapely.make_valid(MultiPolygon(big))
    doc = {
        "source": "data/land.zip (Natural Earth admin-0, public domain), merged and coverage-"
        f"simplified to {TOLERANCE_DEG} deg, land parts under {MIN_AREA_DEG2} deg² dropped; "
        "built by scripts/build_world_basemap.py",
        "tolerance_deg": TOLERANCE_DEG,
        "land": to_json_value(pack_geometry(land, DECIMALS)),
    }
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes, {len(big)} land parts)")


if __name__ == "__main__":
    main()
