"""Benchmark: Zones.locate against geopandas.sjoin(predicate="within").

1,000,000 random points over North-East Asia (lon 115..160 E, lat 20..55 N) against the
official Marine Regions v10 test polygons in ../shared/data/eez/. Both run in the same
process on the same points; answers are compared point by point (for points inside two
zones, sjoin gives two rows and locate the smaller zone, which must be one of them).

Each timing is repeated (``REPEATS``; the first call on a freshly loaded zone set each time,
so its grid is built anew) and the median is reported, with the fastest and slowest run:
this machine is a shared VM whose single runs vary by a factor of about three.

A second table takes N worldwide points (uniform on the sphere) against the shipped modelled
layer: the first call with the shipped grid (``data/eez-modelled.grid.bin``), the first call
building the grid lazily (as for a user's own zone file), a warm call, ``geopandas.sjoin`` and
a plain ``shapely.contains_xy`` loop over the zones, all on the same points. A third measures
the peak memory that ``locate`` allocates (tracemalloc, NumPy's buffers) on 10,000,000 points
in chunks, next to the same points in one pass (the code path before chunking).

Run:  .venv/bin/python benchmarks/bench_locate.py [N] [REPEATS] [N_MEMORY]
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
    bad = mismatches
    bad += worldwide(n, repeats)
    memory(int(sys.argv[3]) if len(sys.argv) > 3 else 10_000_000)
    return 0 if bad == 0 else 1


def _mismatches(got: np.ndarray, joined: object, n: int) -> int:
    right = joined["index_right"].to_numpy()  # type: ignore[index]
    left = joined.index.to_numpy()  # type: ignore[attr-defined]
    ok = ~np.isnan(right.astype(float))
    hits: dict[int, set[int]] = {}
    for i, j in zip(left[ok].tolist(), right[ok].astype(int).tolist(), strict=True):
        hits.setdefault(i, set()).add(j)
    bad = 0
    for i in range(n):
        want = hits.get(i)
        g = int(got[i])
        if (g == -1) != (want is None) or (want is not None and g not in want):
            bad += 1
    return bad


def worldwide(n: int, repeats: int) -> int:
    import geopandas as gpd
    import shapely

    from geo.access.zones import load_zones

    rng = np.random.default_rng(20261206)
    lon = rng.uniform(-180.0, 180.0, n)
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    shipped, lazy, warm, sjoin, loop = [], [], [], [], []
    frame = load_zones(None).to_geodataframe()[["geometry"]].reset_index(drop=True)
    for _ in range(repeats):
        zones = load_zones(None)  # the shipped modelled layer and its grid
        t0 = time.perf_counter()
        first = zones.locate(lon, lat)
        shipped.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        again = zones.locate(lon, lat)
        warm.append(time.perf_counter() - t0)
        zones = load_zones(None)
        zones.grid_pack = None  # as a zone file without a shipped grid
        t0 = time.perf_counter()
        built = zones.locate(lon, lat)
        lazy.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=frame.crs)
        joined = gpd.sjoin(pts, frame, predicate="within", how="left")
        sjoin.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        res = np.full(n, -1, dtype=np.int64)
        for z in np.argsort(shapely.area(zones.geoms), kind="stable").tolist():
            w, s, e, nn = zones.geoms[z].bounds
            idx = np.nonzero((res < 0) & (lon >= w) & (lon <= e) & (lat >= s) & (lat <= nn))[0]
            if idx.size:
                res[idx[shapely.contains_xy(zones.geoms[z], lon[idx], lat[idx])]] = z
        loop.append(time.perf_counter() - t0)
    assert np.array_equal(first, again) and np.array_equal(first, built)
    bad = _mismatches(first, joined, n)
    med = {k: float(np.median(v)) for k, v in
           {"shipped": shipped, "lazy": lazy, "warm": warm, "sjoin": sjoin, "loop": loop}.items()}  # fmt: skip
    print()
    print(
        f"| {n:,} points worldwide, shipped modelled layer ({len(zones)} zones), {repeats} runs | median s | fastest–slowest s | sjoin / this |"
    )
    print("|---|---:|---:|---:|")
    for key, name, v in (
        ("shipped", "Zones.locate, first call, shipped grid", shipped),
        ("lazy", "Zones.locate, first call, grid built lazily", lazy),
        ("warm", "Zones.locate, second call", warm),
        ("sjoin", "geopandas.sjoin(predicate='within') incl. points", sjoin),
        ("loop", "shapely.contains_xy loop over zones, smallest first", loop),
    ):
        print(
            f"| {name} | {med[key]:.3f} | {min(v):.3f}–{max(v):.3f} | {med['sjoin'] / med[key]:.1f}x |"
        )
    print(f"| first call (shipped grid) / second call | {med['shipped'] / med['warm']:.1f}x | | |")
    print(f"| points answered differently from sjoin | {bad} | | |")
    return bad


def memory(n: int) -> None:
    import tracemalloc

    from geo.access.zones import load_zones

    rng = np.random.default_rng(7)
    lon = rng.uniform(-180.0, 180.0, n)
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    zones = load_zones(None)
    zones.locate(lon[:1000], lat[:1000])  # grid loaded before measuring
    _ = zones._grid
    input_mb = (lon.nbytes + lat.nbytes) / 1e6
    rows = []
    for name, fn in (
        ("in chunks (Zones.locate)", zones.locate),
        ("in one pass (before chunking)", zones._locate_chunk),
    ):
        tracemalloc.start()
        t0 = time.perf_counter()
        out = fn(lon, lat)
        took = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        rows.append((name, peak, took))
        del out
    print()
    print(
        f"| {n:,} worldwide points, input {input_mb:,.0f} MB (lon + lat) | peak allocated MB (incl. {n * 8 / 1e6:,.0f} MB answer) | peak / input | s |"
    )
    print("|---|---:|---:|---:|")
    for name, peak, took in rows:
        print(f"| {name} | {peak:,.0f} | {peak / input_mb:.2f}x | {took:.2f} |")


if __name__ == "__main__":
    raise SystemExit(main())
