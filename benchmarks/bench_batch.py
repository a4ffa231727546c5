"""Benchmark: `check --csv` with and without `--country`, and the Hwasong-15 area check, next
to their baselines, in one run.

* Batch: N random points (uniform in lon 115..160, lat 20..55, fixed seed) written to a CSV,
  then `rangezone check --csv F -o out.csv` without a country (the baseline) and with
  `--country Japan`. Wall time and peak memory (max RSS) of each command, in a fresh process.
* Area: `rangezone check --site Sunan --missile Hwasong-15 --country Japan` next to
  `python -c "import numpy, shapely, pyproj"` (the floor of any such command): medians.

Run:  .venv/bin/python benchmarks/bench_batch.py [--n 1000000] [--repeats 5]
Commands run with bytecode caching on (as an installed package), after one warm-up run.
Issue 12's targets: batch with a country at most 3x without; peak memory under 400 MB; the
area check within 2.5x of the import floor.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
    "dt = time.perf_counter() - t\n"
    "if r.returncode:\n"
    "    sys.exit(r.stderr.decode()[-500:])\n"
    "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one command in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *cmd], check=True, capture_output=True, env=env, text=True
    ).stdout.split()
    return float(out[0]), float(out[1]) / 1024.0


def write_points(path: Path, n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("id,lat,lon\n")
        for start in range(0, n, 100_000):
            m = min(100_000, n - start)
            lon = rng.uniform(115.0, 160.0, m)
            lat = rng.uniform(20.0, 55.0, m)
            fh.writelines(
                f"{start + k},{la:.5f},{lo:.5f}\n"
                for k, (la, lo) in enumerate(zip(lat, lon, strict=True))
            )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()
    exe = shutil.which("rangezone") or str(Path(sys.executable).parent / "rangezone")
    tmp = Path(tempfile.mkdtemp(prefix="rz-bench-batch-"))
    env = dict(os.environ, RANGEZONE_DATA_DIR=str(tmp / "data"))
    # As installed: bytecode cached (a warm-up run writes it), not compiled on every start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    area_cmd = [exe, "check", "--site", "Sunan", "--missile", "Hwasong-15", "--country", "Japan"]
    measure(area_cmd, env)
    try:
        src = tmp / "points.csv"
        write_points(src, args.n, args.seed)
        base = measure([exe, "check", "--csv", str(src), "-o", str(tmp / "a.csv")], env)
        japan = measure(
            [exe, "check", "--csv", str(src), "--country", "Japan", "-o", str(tmp / "b.csv")], env
        )
        floor, area = [], []
        for _ in range(args.repeats):
            floor.append(measure([sys.executable, "-c", "import numpy, shapely, pyproj"], env)[0])
            area.append(measure(area_cmd, env)[0])
        rows = sum(1 for _ in (tmp / "b.csv").open(encoding="utf-8")) - 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"| {args.n:,} random points (lon 115..160, lat 20..55) | wall s | µs/row | peak MB |")
    print("|---|---:|---:|---:|")
    for name, (t, mb) in (
        ("`check --csv` (baseline)", base),
        ("`check --csv --country Japan`", japan),
    ):
        print(f"| {name} | {t:.1f} | {1e6 * t / args.n:.1f} | {mb:.0f} |")
    print(f"\nratio with/without --country: {japan[0] / base[0]:.2f}x ({rows:,} rows written)")
    f, a = statistics.median(floor), statistics.median(area)
    print(f"\n| command ({args.repeats} runs) | median s |")
    print("|---|---:|")
    print(f'| `python -c "import numpy, shapely, pyproj"` | {f:.3f} |')
    print(f"| `rangezone check --site Sunan --missile Hwasong-15 --country Japan` | {a:.3f} |")
    print(f"\nratio area check / imports: {a / f:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
