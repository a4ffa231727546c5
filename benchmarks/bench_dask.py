"""Benchmark: geo.locate_frame in one process against the same on a Dask LocalCluster.

For each size (default 1, 10 and 50 million worldwide points, uniform on the sphere) the
points are written as Parquet files of 1,000,000 rows (lon, lat). Then, on the shipped
modelled layer, after one warm-up run of each on 10,000 points (imports, zone sets built):

- one process: ``pandas.read_parquet`` of the folder, ``geo.locate_frame``, and the count of
  points per sovereign;
- the cluster: ``dask.dataframe.read_parquet`` of the same folder, ``geo.locate_frame``
  (lazy), the same count computed on a ``distributed.LocalCluster`` of 2 worker processes
  with 1 thread each (started once, before the runs; its start-up time is reported apart).

Both counts must agree. Peak memory of the one-process run is the process's maximum resident
set size so far (``ru_maxrss``), so it only grows from size to size.

Run:  .venv/bin/python benchmarks/bench_dask.py [SIZES_IN_MILLIONS ...]   (needs the dask extra)
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROWS_PER_FILE = 1_000_000


def write_points(folder: Path, n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    for k, start in enumerate(range(0, n, ROWS_PER_FILE)):
        m = min(ROWS_PER_FILE, n - start)
        frame = pd.DataFrame(
            {
                "lon": rng.uniform(-180.0, 180.0, m),
                "lat": np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, m))),
            }
        )
        frame.to_parquet(folder / f"part-{k:04d}.parquet", index=False)


def main() -> int:
    import dask.dataframe as dd
    import distributed

    import geo
    from geo.access.zones import load_zones

    sizes = [int(float(a) * 1_000_000) for a in sys.argv[1:]] or [
        1_000_000,
        10_000_000,
        50_000_000,
    ]
    zones = load_zones()
    t0 = time.perf_counter()
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    start = time.perf_counter() - t0
    rows = []
    work = Path(tempfile.mkdtemp(prefix="rz-bench-dask-"))
    try:
        # warm up both ways (imports, the workers' zone sets) before anything is timed
        write_points(work / "warm", 10_000, seed=1)
        geo.locate_frame(pd.read_parquet(work / "warm"), zones)["sovereign"].value_counts()
        lazy = geo.locate_frame(dd.read_parquet(work / "warm"), zones)
        lazy["sovereign"].value_counts().compute()
        for n in sizes:
            folder = work / f"points-{n}"
            write_points(folder, n, seed=n)
            t0 = time.perf_counter()
            frame = pd.read_parquet(folder)
            located = geo.locate_frame(frame, zones)
            one = located["sovereign"].value_counts()
            t_one = time.perf_counter() - t0
            rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            del frame, located
            t0 = time.perf_counter()
            lazy = geo.locate_frame(dd.read_parquet(folder), zones)
            many = lazy["sovereign"].value_counts().compute()
            t_many = time.perf_counter() - t0
            agree = one.sort_index().equals(many.sort_index().astype(one.dtype))
            rows.append((n, t_one, rss_mb, t_many, agree))
            shutil.rmtree(folder)
    finally:
        client.close()
        cluster.close()
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"| points (worldwide, Parquet files of {ROWS_PER_FILE:,}) | one process s | "
        "one process peak RSS so far MB | LocalCluster 2x1 s | one / cluster | counts agree |"
    )
    print("|---:|---:|---:|---:|---:|---|")
    for n, t_one, rss, t_many, agree in rows:
        print(
            f"| {n:,} | {t_one:.2f} | {rss:,.0f} | {t_many:.2f} | {t_one / t_many:.2f}x | {agree} |"
        )
    print(f"| LocalCluster start (2 worker processes) | | | {start:.2f} | | |")
    return 0 if all(r[4] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
