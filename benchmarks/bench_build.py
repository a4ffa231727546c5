"""Benchmark ``rangezone build``: every output against one, and today's code against an old
commit, side by side in one run.

Each build runs as a user runs it: a fresh ``rangezone build`` process (start-up, imports,
zone loading, computing and writing all counted), repeated ``--repeat`` times in turn with
the others so that the machine's load falls on all of them alike. Reported: the median wall
time, and the median CPU time (user + system of the process and the processes it waited
for), which a loaded machine inflates far less than wall time.

1. The Hwasong-15 ICBM scenario (the lofted test of 2017-11-29 as the test suite describes
   it: 5,500 and 13,000 km rings, two missiles, a standard-range area, three countries and a
   reported impact; world-scale areas) with outputs html, png, svg, pdf, geojson, kml, gpkg
   and report, next to the same scenario with png alone. Target: at most 2x.
2. The seed briefing (``maps/2024-11-05-sariwon.yaml``, every output) with this code, next
   to the same build with the code of an old commit (default 03d34ba), checked out in a
   temporary worktree and run with this interpreter and ``PYTHONPATH`` set to it. Target:
   at most half the old time.

Run from the repository root:  .venv/bin/python benchmarks/bench_build.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "maps" / "2024-11-05-sariwon.yaml"
RUN = "import sys; from geo.cli import main; sys.exit(main(sys.argv[1:]))"
ALL_OUTPUTS = "[html, png, svg, pdf, geojson, kml, gpkg, report]"

# The scenario of tests/test_label_layout.py (ICBM): a benchmark input, not a briefing.
HWASONG_15 = """\
title: Hwasong-15 lofted test
subtitle: 950 km flown, 4,475 km apogee
date: 2017-11-29
countries: [Japan, United States, Russia]
events:
  - name: Hwasong-15
    time: "03:17 KST"
    site: Sunan
    ranges: [5500km, 13000km]
    apogee: 4475km
    flown: 950km
    flight_time_min: 53
    missiles: [Hwasong-15, KN-23]
    impacts:
      - from: Cape Tappi
        distance: 250km
        bearing: W
        label: Splashdown
        source: Japan MoD
outputs: {outputs}
"""


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _build(code: Path, scenario: Path, out: Path) -> Callable[[], tuple[float, float]]:
    env = {**os.environ, "PYTHONPATH": str(code), "MPLBACKEND": "Agg"}
    check = subprocess.run(
        [sys.executable, "-c", "import geo; print(geo.__file__)"],
        env=env,
        cwd=out.parent,  # not the repository: '' on sys.path would shadow PYTHONPATH
        capture_output=True,
        text=True,
        check=True,
    )
    assert check.stdout.strip() == str(code / "geo" / "__init__.py"), check.stdout

    def run() -> tuple[float, float]:
        shutil.rmtree(out, ignore_errors=True)
        cpu0 = _cpu_s()
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", RUN, "build", str(scenario), "--out", str(out)],
            env=env,
            cwd=out.parent,
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - t0
        cpu = _cpu_s() - cpu0
        if proc.returncode != 0:
            raise SystemExit(f"build of {scenario} with {code} failed:\n{proc.stderr}")
        return elapsed, cpu

    return run


def _old_worktree(commit: str, where: Path) -> Path:
    path = where / f"rangezone-{commit}"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), commit],
        check=True,
        capture_output=True,
    )
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="builds of each kind (default 3)")
    ap.add_argument("--old", default="03d34ba", help="commit to compare the seed build with")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench_build_") as tmp_text:
        tmp = Path(tmp_text)
        old = _old_worktree(args.old, tmp)
        try:
            every = tmp / "hwasong15-all.yaml"
            every.write_text(HWASONG_15.format(outputs=ALL_OUTPUTS), encoding="utf-8")
            png = tmp / "hwasong15-png.yaml"
            png.write_text(HWASONG_15.format(outputs="[png]"), encoding="utf-8")
            cases = {
                "Hwasong-15, png only": _build(ROOT, png, tmp / "out-png"),
                "Hwasong-15, every output": _build(ROOT, every, tmp / "out-all"),
                f"seed, old code ({args.old})": _build(old, SEED, tmp / "out-seed-old"),
                "seed, this code": _build(ROOT, SEED, tmp / "out-seed-new"),
            }
            wall: dict[str, list[float]] = {name: [] for name in cases}
            cpu: dict[str, list[float]] = {name: [] for name in cases}
            for _ in range(args.repeat):
                for name, run in cases.items():
                    w, c = run()
                    wall[name].append(w)
                    cpu[name].append(c)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                check=False,
                capture_output=True,
            )

    med_wall = {name: statistics.median(t) for name, t in wall.items()}
    med_cpu = {name: statistics.median(t) for name, t in cpu.items()}
    print(f"rangezone build as a fresh process, median of {args.repeat} (load: {_load()})\n")
    print("| build | wall s | CPU s | wall, all runs s |")
    print("|---|---:|---:|---|")
    for name in cases:
        runs = ", ".join(f"{x:.2f}" for x in wall[name])
        print(f"| {name} | {med_wall[name]:.2f} | {med_cpu[name]:.2f} | {runs} |")
    names = list(cases)
    for what, med in (("wall", med_wall), ("CPU", med_cpu)):
        ratio = med[names[1]] / med[names[0]]
        share = med[names[3]] / med[names[2]]
        print(
            f"\n{what}: every output / png only {ratio:.2f}x (target at most 2x); "
            f"seed, this code / old code {share:.2f} (target at most 0.5)"
        )


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


if __name__ == "__main__":
    main()
