"""Classify every cell of the locate grid of the shipped packs and write it beside them.

``data/eez-modelled.grid.bin`` and ``data/land.grid.bin`` make the first ``Zones.locate`` on
many points as fast as later ones (see geo/access/locategrid.py). Rerun after rebuilding a
pack: a grid whose pack hash no longer matches is ignored, never wrong.

Run:  .venv/bin/python scripts/build_locate_grids.py
"""

from __future__ import annotations

import time
from pathlib import Path

from geo.access.locategrid import write_grid
from geo.access.zonepack import read_zonepack
from geo.access.zones import Zones

DATA = Path(__file__).resolve().parents[1] / "data"


def main() -> int:
    for name in ("eez-modelled.zip", "land.zip"):
        pack = DATA / name
        info, records, geoms = read_zonepack(pack)
        zones = Zones.from_records(info, records, geoms)
        t0 = time.perf_counter()
        out = write_grid(pack, zones)
        took = time.perf_counter() - t0
        print(f"{out.name}: {out.stat().st_size:,} bytes, {len(zones)} zones, {took:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
