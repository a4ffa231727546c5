"""Benchmark: wall time of single `rangezone` commands from the shell, start-up included.

Runs each command several times in a fresh process and prints the median and the worst.
Run:  .venv/bin/python benchmarks/bench_cli.py [REPEATS]
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = [
    ["check", "--at", "38.9,134.0", "--country", "Japan"],
    ["check", "--at", "38.9,134.0", "--country", "Japan", "--json"],
    [
        "check",
        "--from",
        "Noto Peninsula",
        "--distance",
        "200km",
        "--bearing",
        "NNW",
        "--country",
        "Japan",
    ],
    ["check", "--site", "Sariwon", "--range", "400km", "--country", "Japan"],
    ["check", "--site", "Sinpo", "--range", "1000km", "--sector", "90..180", "--country", "Japan"],
    ["check", "--site", "Sunan", "--missile", "Hwasong-15", "--country", "Japan"],
    ["ring", "--site", "Sariwon", "--range", "400km"],
    ["trajectory", "--range", "950km", "--apogee", "4475km", "--json"],
]


def main() -> int:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    exe = shutil.which("rangezone") or str(Path(sys.executable).parent / "rangezone")
    env = dict(os.environ, RANGEZONE_DATA_DIR=tempfile.mkdtemp(prefix="rz-bench-"))
    print(f"| command (embedded modelled EEZ, {repeats} runs) | median s | worst s |")
    print("|---|---:|---:|")
    for cmd in COMMANDS:
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            subprocess.run([exe, *cmd], check=True, capture_output=True, env=env)
            times.append(time.perf_counter() - t0)
        shown = " ".join(a if " " not in a else repr(a) for a in cmd)
        print(f"| `rangezone {shown}` | {statistics.median(times):.3f} | {max(times):.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
