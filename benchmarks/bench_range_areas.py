"""Benchmark: 10,000 geodesic range areas against the naive fixed-360-vertex polygon.

Not a test. For N random centres (uniform on the sphere, fixed seed) and radii log-uniform in
100-15,000 km it times ``range_area`` at the default tolerance (100 m) and reports vertex
counts, then does the same in the same run for what a user would write by hand: Geod.fwd at
360 azimuths joined by straight lon/lat edges, no antimeridian or pole handling.

Quality, both measured against pyproj.Geod (the authority):

* worst edge error: over a sample of the areas, the largest |Geod.inv(centre, m) - r| for the
  lon/lat midpoint m of every edge (edges along the antimeridian seam or a pole excluded);
* invalid: polygons shapely reports invalid;
* wrong: over the same sample, areas that misclassify a random point (worldwide or near the
  circle) lying more than a band from the circle: 201 m (2 * tolerance + 1 m) for
  range_area, a generous 50 km for the naive polygon, so that only gross errors (antimeridian,
  poles) count against it.

Run:  .venv/bin/python benchmarks/bench_range_areas.py [--n 10000] [--sample 1000] [--seed 7]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo.core.shapes import DEFAULT_TOLERANCE_M, range_area
from geo.core.types import LonLat

GEOD = Geod(ellps="WGS84")
FloatArray = npt.NDArray[np.float64]


@dataclass
class Stats:
    name: str
    seconds: float = 0.0
    vertices: list[int] = field(default_factory=list)
    worst_edge_m: float = 0.0
    worst_edge_plain_m: float = 0.0
    """Worst edge error over areas that reach neither the antimeridian nor a pole."""
    invalid: int = 0
    wrong: int = 0
    sampled: int = 0


def naive_polygon(lon: float, lat: float, r: float) -> Polygon:
    az = np.arange(360.0)
    plon, plat, _ = GEOD.fwd(np.full(360, lon), np.full(360, lat), az, np.full(360, r))
    return Polygon(np.column_stack([plon, plat]))


def rings(geom: BaseGeometry) -> list[FloatArray]:
    parts = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    out: list[FloatArray] = []
    for p in parts:
        if isinstance(p, Polygon) and not p.is_empty:
            out.append(np.asarray(p.exterior.coords))
            out.extend(np.asarray(i.coords) for i in p.interiors)
    return out


def edge_error_m(geom: BaseGeometry, lon: float, lat: float, r: float) -> float:
    worst = 0.0
    for ring in rings(geom):
        a, b = ring[:-1], ring[1:]
        seam = (a[:, 0] == b[:, 0]) & (np.abs(a[:, 0]) == 180.0)
        pole = (np.abs(a[:, 1]) == 90.0) | (np.abs(b[:, 1]) == 90.0)
        keep = ~(seam | pole)
        if not keep.any():
            continue
        m = 0.5 * (a[keep] + b[keep])
        n = len(m)
        _, _, d = GEOD.inv(np.full(n, lon), np.full(n, lat), m[:, 0], m[:, 1])
        worst = max(worst, float(np.abs(np.asarray(d) - r).max()))
    return worst


def contract_wrong(
    geom: BaseGeometry, lon: float, lat: float, r: float, band_m: float, rng: np.random.Generator
) -> bool:
    n = 400
    plon = rng.uniform(-180.0, 180.0, n)
    plat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    az = rng.uniform(0.0, 360.0, n)
    llon, llat, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, r * rng.uniform(0.0, 2.0, n))
    plon = np.concatenate([plon, llon, [0.0, 0.0]])
    plat = np.concatenate([plat, llat, [90.0, -90.0]])
    m = plon.size
    _, _, d = GEOD.inv(np.full(m, lon), np.full(m, lat), plon, plat)
    d = np.asarray(d)
    judged = np.abs(d - r) > band_m
    got = shapely.intersects_xy(geom, plon, plat)
    return bool((judged & (got != (d <= r))).any())


def reaches_seam_or_pole(lon: float, lat: float, r: float) -> bool:
    az = np.linspace(0.0, 360.0, 720, endpoint=False)
    plon, _, _ = GEOD.fwd(np.full(720, lon), np.full(720, lat), az, np.full(720, r))
    jumps = np.abs(np.diff(np.append(plon, plon[0]))) > 180.0
    _, _, dn = GEOD.inv(lon, lat, 0.0, 90.0)
    _, _, ds = GEOD.inv(lon, lat, 0.0, -90.0)
    return bool(jumps.any() or dn <= r or ds <= r)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="number of range areas")
    ap.add_argument("--sample", type=int, default=1_000, help="areas checked for quality")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    rng = np.random.default_rng(args.seed)
    lons = rng.uniform(-180.0, 180.0, args.n)
    lats = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, args.n)))
    radii = np.exp(rng.uniform(math.log(100e3), math.log(15_000e3), args.n))

    ours = Stats(f"range_area (tolerance {DEFAULT_TOLERANCE_M:g} m)")
    naive = Stats("naive 360-vertex Geod.fwd polygon")
    geoms: list[BaseGeometry] = []
    t0 = time.perf_counter()
    for lon, lat, r in zip(lons, lats, radii, strict=True):
        geoms.append(range_area(LonLat(float(lon), float(lat)), float(r)).geometry)
    ours.seconds = time.perf_counter() - t0
    naive_geoms: list[BaseGeometry] = []
    t0 = time.perf_counter()
    for lon, lat, r in zip(lons, lats, radii, strict=True):
        naive_geoms.append(naive_polygon(float(lon), float(lat), float(r)))
    naive.seconds = time.perf_counter() - t0

    for stats, gs in ((ours, geoms), (naive, naive_geoms)):
        stats.vertices = [int(shapely.get_num_coordinates(g)) for g in gs]
        stats.invalid = sum(not g.is_valid for g in gs)

    check = np.random.default_rng(args.seed + 1)
    idx = rng.choice(args.n, size=min(args.sample, args.n), replace=False)
    for i in idx:
        lon, lat, r = float(lons[i]), float(lats[i]), float(radii[i])
        plain = not reaches_seam_or_pole(lon, lat, r)
        for stats, g, band in (
            (ours, geoms[i], 2 * DEFAULT_TOLERANCE_M + 1.0),
            (naive, naive_geoms[i], 50_000.0),
        ):
            e = edge_error_m(g, lon, lat, r)
            stats.worst_edge_m = max(stats.worst_edge_m, e)
            if plain:
                stats.worst_edge_plain_m = max(stats.worst_edge_plain_m, e)
            stats.sampled += 1
            stats.wrong += contract_wrong(g, lon, lat, r, band, check)

    n_plain = sum(
        not reaches_seam_or_pole(float(lons[i]), float(lats[i]), float(radii[i])) for i in idx
    )
    print(
        f"{args.n:,} range areas, centres uniform on the sphere, radii log-uniform "
        f"100-15,000 km (seed {args.seed}); quality over {len(idx):,} sampled areas "
        f"({n_plain:,} reach neither the antimeridian nor a pole)\n"
    )
    print(
        "| polygon | total time | per area | vertices mean / median / max "
        "| worst edge error (all / plain) | invalid | wrong (contract) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for s in (ours, naive):
        v = s.vertices
        print(
            f"| {s.name} | {s.seconds:.2f} s | {1000 * s.seconds / args.n:.3f} ms "
            f"| {statistics.mean(v):,.0f} / {statistics.median(v):,.0f} / {max(v):,} "
            f"| {fmt_m(s.worst_edge_m)} / {fmt_m(s.worst_edge_plain_m)} "
            f"| {s.invalid:,} of {args.n:,} | {s.wrong:,} of {s.sampled:,} |"
        )


def fmt_m(metres: float) -> str:
    return f"{metres / 1000:,.1f} km" if metres >= 1000 else f"{metres:,.1f} m"


if __name__ == "__main__":
    main()
