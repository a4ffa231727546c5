"""Benchmark: writing the seed briefing's slide as PNG, SVG and PDF.

Times the three formats written one call each (``render_image`` per format, the figure drawn
every time: what ``build`` did before ``render_images``) against one ``render_images`` call
(the figure drawn once, saved three times), in the same run, on the same map content.
Run:  .venv/bin/python benchmarks/bench_images.py [REPEATS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

SCENARIO = Path(__file__).resolve().parent.parent / "maps" / "2024-11-05-sariwon.yaml"


def main() -> int:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    from geo.briefing.build import build_briefing
    from geo.briefing.scenario import load_scenario, scenario_zones
    from geo.present import image

    scenario = load_scenario(SCENARIO)
    content = build_briefing(scenario, scenario_zones(scenario)).content
    out = Path(tempfile.mkdtemp(prefix="rz-bench-img-"))
    image.render_image(content, out / "warm.png", dpi=scenario.image_dpi)  # imports, caches

    def each() -> None:
        for fmt in ("png", "svg", "pdf"):
            image.render_image(content, out / f"a.{fmt}", dpi=scenario.image_dpi)

    def once() -> None:
        image.render_images(
            content,
            [(out / "b.png", "png"), (out / "b.svg", "svg"), (out / "b.pdf", "pdf")],
            dpi=scenario.image_dpi,
        )

    print(f"| seed slide, png+svg+pdf ({repeats} runs) | median s | worst s |")
    print("|---|---:|---:|")
    for name, fn in (("render_image per format", each), ("render_images once", once)):
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        print(f"| {name} | {statistics.median(times):.2f} | {max(times):.2f} |")
    for fmt in ("png", "svg", "pdf"):
        a, b = (out / f"a.{fmt}").stat().st_size, (out / f"b.{fmt}").stat().st_size
        print(f"{fmt}: {a:,} bytes (per format) / {b:,} bytes (once)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
