"""Write tests/data/rhumb_direct.csv: rhumb-line direct problems solved by GeographicLib.

Needs GeographicLib's RhumbSolve on PATH (Debian: apt-get install geographiclib-tools).
The cases are fixed (a seeded generator plus hand-picked hard ones), so rerunning the script
with the same RhumbSolve writes the same file.

    .venv/bin/python scripts/build_rhumb_reference.py
"""

from __future__ import annotations

import csv
import io
import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "rhumb_direct.csv"
QUARTER_MERIDIAN_M = 10_001_965.729  # WGS84, rounded down
SEED = 20261206


def _cases() -> list[tuple[str, float, float, float, float]]:
    """(kind, lat1, lon1, azimuth, distance_m)."""
    rng = np.random.default_rng(SEED)
    out: list[tuple[str, float, float, float, float]] = []

    def add(kind: str, lat: float, lon: float, az: float, s: float) -> None:
        out.append((kind, round(lat, 9), round(lon, 9), round(az, 9), round(s, 3)))

    # general: latitude uniform in sin(latitude), any course, 1 m .. 20,000 km
    for _ in range(160):
        add(
            "general",
            math.degrees(math.asin(rng.uniform(-0.999, 0.999))),
            rng.uniform(-180, 180),
            rng.uniform(0, 360),
            10 ** rng.uniform(0, 7.3),
        )
    # near east-west courses (cos α tiny), at every latitude and length
    for _ in range(60):
        eps = float(rng.choice([0.0, 1e-12, 1e-9, 1e-6, 1e-3, 0.1])) * float(rng.choice([-1, 1]))
        az = float(rng.choice([90.0, 270.0])) + eps
        add(
            "east-west",
            rng.uniform(-85, 85),
            rng.uniform(-180, 180),
            az,
            10 ** rng.uniform(2, 7.3),
        )
    # high latitudes: short and long legs that stay off the pole
    for _ in range(50):
        lat = float(rng.choice([-1, 1])) * rng.uniform(75, 89.9)
        add(
            "high-latitude",
            lat,
            rng.uniform(-180, 180),
            rng.uniform(0, 360),
            10 ** rng.uniform(2, 6.5),
        )
    # long legs (8,000 - 20,000 km)
    for _ in range(40):
        add(
            "long",
            rng.uniform(-60, 60),
            rng.uniform(-180, 180),
            rng.uniform(0, 360),
            rng.uniform(8e6, 2e7),
        )
    # antimeridian crossings: start near ±180 heading across
    for _ in range(40):
        lon = float(rng.choice([179.0, -179.0])) + rng.uniform(-0.9, 0.9)
        az = rng.uniform(20, 160) if lon > 0 else rng.uniform(200, 340)
        add("antimeridian", rng.uniform(-70, 70), lon, az, rng.uniform(2e5, 3e6))
    # negative latitudes heading further south and across the equator
    for _ in range(30):
        add(
            "southern",
            rng.uniform(-80, -1),
            rng.uniform(-180, 180),
            rng.uniform(90, 270),
            10 ** rng.uniform(3, 6.8),
        )
    # exact compass courses, the cases reports give
    for lat, lon in ((41.9283, 143.2467), (42.5, 139.35), (39.2758, 141.8858), (-33.9, 18.4)):
        for az in (0.0, 22.5, 45.0, 90.0, 180.0, 270.0, 292.5, 315.0):
            for s in (30e3, 200e3, 1180e3, 3200e3):
                add("compass", lat, lon, az, s)
    # drop legs that reach or pass a pole: RhumbSolve gives NaN there, rangezone refuses them
    return [c for c in out if _clear_of_poles(c[1], c[3], c[4])]


def _clear_of_poles(lat: float, az: float, s: float) -> bool:
    from geo.core.rhumb import meridian_distance_m

    m1 = float(meridian_distance_m(lat))
    m2 = m1 + s * math.cos(math.radians(az))
    return abs(m2) < QUARTER_MERIDIAN_M - 1.0


def main() -> int:
    exe = shutil.which("RhumbSolve")
    if exe is None:
        print("RhumbSolve is missing: apt-get install geographiclib-tools", file=sys.stderr)
        return 1
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True)
    version_text = version.stdout.split(":", 1)[-1].strip()
    cases = _cases()
    stdin = "".join(f"{lat!r} {lon!r} {az!r} {s!r}\n" for _, lat, lon, az, s in cases)
    res = subprocess.run([exe, "-p", "9"], input=stdin, capture_output=True, text=True, check=True)
    rows = [line.split() for line in res.stdout.splitlines()]
    if len(rows) != len(cases):
        print(f"RhumbSolve answered {len(rows)} of {len(cases)} lines", file=sys.stderr)
        return 1
    buf = io.StringIO()
    buf.write(
        "# Rhumb-line direct problems on WGS84 solved by GeographicLib's RhumbSolve "
        f"({version_text}, Debian geographiclib-tools), run as 'RhumbSolve -p 9'.\n"
        "# Written by scripts/build_rhumb_reference.py (fixed seed); do not edit by hand.\n"
        "# Columns: kind, lat1, lon1, azi12 (deg), s12 (m) -> lat2, lon2 (deg).\n"
    )
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["kind", "lat1", "lon1", "azi12", "s12", "lat2", "lon2"])
    for (kind, lat, lon, az, s), row in zip(cases, rows, strict=True):
        lat2, lon2 = float(row[0]), float(row[1])
        if not (math.isfinite(lat2) and math.isfinite(lon2)):
            print(f"RhumbSolve gave no point for {lat} {lon} {az} {s}", file=sys.stderr)
            return 1
        w.writerow([kind, repr(lat), repr(lon), repr(az), repr(s), row[0], row[1]])
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    tmp.replace(OUT)
    print(f"wrote {len(cases)} cases to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
