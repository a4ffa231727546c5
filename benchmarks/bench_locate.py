"""Benchmark: Zones.locate against geopandas.sjoin(predicate="within").

1,000,000 random points over North-East Asia (lon 115..160 E, lat 20..55 N) against the
official Marine Regions v10 test polygons in ../shared/data/eez/. Both run in the same
process on the same points; answers are compared point by point (for points inside two
zones, sjoin gives two rows and locate the smaller zone, which must be one of them).

Each timing is repeated (``REPEATS``; the first call on a freshly loaded zone set each time,
so its grid is built anew) and the median is reported, with the fastest and slowest run:
this machine is a shared VM whose single runs vary by a factor of about three.

Run:  .venv/bin/python benchmarks/bench_locate.py [N] [REPEATS]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ROOT.parent / "shared" / "data" / "eez" / "marineregions-v10-ne-asia.geojson"


def main() -> int:
    import geopandas as gpd

    from geo.access.zones import load_zones

    if not OFFICIAL.exists():
        print(f"needs the official test polygons at {OFFICIAL}", file=sys.stderr)
        return 1
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rng = np.random.default_rng(20241105)
    lon = rng.uniform(115.0, 160.0, n)
    lat = rng.uniform(20.0, 55.0, n)

    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    loads, colds, warms, sjoins = [], [], [], []
    frame = gpd.read_file(OFFICIAL)
    for _ in range(repeats):
        t0 = time.perf_counter()
        zones = load_zones(OFFICIAL)
        loads.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        first = zones.locate(lon, lat)
        colds.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        again = zones.locate(lon, lat)
        warms.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=frame.crs)
        joined = gpd.sjoin(pts, frame[["geometry"]], predicate="within", how="left")
        sjoins.append(time.perf_counter() - t0)
    t_load, t_cold, t_warm, t_sjoin = (float(np.median(v)) for v in (loads, colds, warms, sjoins))

    hits: dict[int, set[int]] = {}
    right = joined["index_right"].to_numpy()
    left = joined.index.to_numpy()
    ok = ~np.isnan(right.astype(float))
    for i, j in zip(left[ok].tolist(), right[ok].astype(int).tolist(), strict=True):
        hits.setdefault(i, set()).add(j)
    mismatches = 0
    for i in range(n):
        got = int(first[i])
        want = hits.get(i)
        if (got == -1) != (want is None) or (want is not None and got not in want):
            mismatches += 1
    assert np.array_equal(first, again)

    def span(v: list[float]) -> str:
        return f"{min(v):.3f}–{max(v):.3f}"

    print(
        f"| {n:,} points, lon 115..160, lat 20..55, {len(zones)} zones, {repeats} runs "
        "| median s | fastest–slowest s | points/s (median) |"
    )
    print("|---|---:|---:|---:|")
    print(f"| load official test polygons (rangezone) | {t_load:.3f} | {span(loads)} | |")
    print(
        f"| Zones.locate, first call (grid built for these cells) | {t_cold:.3f} | {span(colds)} | {n / t_cold:,.0f} |"
    )
    print(
        f"| Zones.locate, second call (grid cached) | {t_warm:.3f} | {span(warms)} | {n / t_warm:,.0f} |"
    )
    print(
        f"| geopandas.sjoin(predicate='within') incl. points | {t_sjoin:.3f} | {span(sjoins)} | {n / t_sjoin:,.0f} |"
    )
    print(
        f"| speed-up (medians) first call / second call | {t_sjoin / t_cold:.1f}x / {t_sjoin / t_warm:.1f}x | | |"
    )
    print(f"| points answered differently from sjoin | {mismatches} | | |")
    print(f"| points inside some zone | {int((first >= 0).sum()):,} | | |")
    return 0 if mismatches == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
