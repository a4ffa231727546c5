"""Measure data/eez-modelled.zip against the official Marine Regions v10 test polygons.

Run from the repository root:  python scripts/measure_modelled_eez.py
Prints a Markdown report (docs/eez-modelled-agreement.md holds a copy). Reads the test file in
place from ../shared/data/eez/ and never copies it.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pyogrio
import shapely
from pyproj import Geod
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from geo.access.zonepack import read_zonepack

REPO = Path(__file__).resolve().parent.parent
OFFICIAL = REPO.parent / "shared" / "data" / "eez" / "marineregions-v10-ne-asia.geojson"
MODELLED = REPO / "data" / "eez-modelled.zip"
LAND = REPO / "data" / "land.zip"

WINDOW = (115.0, 20.0, 160.0, 55.0)  # lon/lat box of the official test file
COUNTRIES = [  # (ISO, name, whole zone compared too?)
    ("JPN", "Japan", True),
    ("CHN", "China", True),
    ("KOR", "South Korea", True),
    ("PRK", "North Korea", True),
    ("RUS", "Russia", False),  # the official file holds Russia's Arctic/Baltic/Black Sea too
    ("TWN", "Taiwan", True),
]
MARGIN_KM = 20.0
N_POINTS = 10_000
SEED = 20240601
GEOD = Geod(ellps="WGS84")
WGS84_A, WGS84_F = 6378.137, 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)


def area_km2(geom: BaseGeometry) -> float:
    """Geodesic area on WGS84 (edges densified to 0.05 deg first so that long straight
    lon/lat edges, such as the window's, are followed as drawn)."""
    total = 0.0
    for poly in shapely.get_parts(shapely.segmentize(geom, 0.05)):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        total += abs(GEOD.polygon_area_perimeter(*poly.exterior.xy)[0])
        total -= sum(abs(GEOD.polygon_area_perimeter(*r.xy)[0]) for r in poly.interiors)
    return total / 1e6


def ecef(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lo, la = np.radians(lon), np.radians(lat)
    n = WGS84_A / np.sqrt(1 - WGS84_E2 * np.sin(la) ** 2)
    return np.stack(
        [n * np.cos(la) * np.cos(lo), n * np.cos(la) * np.sin(lo), n * (1 - WGS84_E2) * np.sin(la)],
        axis=-1,
    )


def load_official(path: Path) -> tuple[dict[str, BaseGeometry], list[tuple[str, BaseGeometry]]]:
    """200NM zones by ISO code, and the joint-regime / overlapping-claim areas."""
    df = pyogrio.read_dataframe(path)
    cols = {c.lower(): c for c in df.columns}
    # v10 shapefile names (iso_tr1, pol_typ, geoname), v11+ (ISO_TER1, POL_TYPE) or WFS names
    iso_col = next(cols[c] for c in ("iso_tr1", "iso_ter1") if c in cols)
    type_col = next(cols[c] for c in ("pol_typ", "pol_type") if c in cols)
    name_col = next(cols[c] for c in ("geoname",) if c in cols)
    zones: dict[str, BaseGeometry] = {}
    special = []
    for iso, ptype, name, geom in zip(
        df[iso_col], df[type_col], df[name_col], df.geometry, strict=True
    ):
        if ptype == "200NM":
            zones[iso] = shapely.union_all([zones[iso], geom]) if iso in zones else geom
        else:
            special.append((str(name), geom))
    return zones, special


def load_modelled(path: Path) -> dict[str, BaseGeometry]:
    _, records, geoms = read_zonepack(path)
    return {r["iso_codes"][0]: g for r, g in zip(records, geoms, strict=True)}


def iou_table(
    official: dict[str, BaseGeometry],
    modelled: dict[str, BaseGeometry],
    special: BaseGeometry,
    land: BaseGeometry,
) -> list[str]:
    window = shapely.segmentize(shapely.box(*WINDOW), 0.1)
    lines = [
        "| Country | Scope | Official km² | Modelled km² | Intersection km² | IoU | "
        "IoU, overlap/joint areas left out |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for iso, name, whole in COUNTRIES:
        # The simplified official copy fills in islands (Jeju, Tsushima...): compare sea only.
        off_all = official[iso].difference(land)
        mod_all = modelled.get(iso, shapely.Polygon())
        scopes = [("whole zone", None)] if whole else []
        for scope, clip in [*scopes, ("window", window)]:
            off = off_all if clip is None else off_all.intersection(clip)
            mod = mod_all if clip is None else mod_all.intersection(clip)
            lines.append(iou_row(f"{name} ({iso})", scope, off, mod, special))
    return lines


def iou_row(
    name: str, scope: str, off: BaseGeometry, mod: BaseGeometry, special: BaseGeometry
) -> str:
    a_off, a_mod = area_km2(off), area_km2(mod)
    a_int = area_km2(off.intersection(mod))
    iou = a_int / (a_off + a_mod - a_int)
    off_x, mod_x = off.difference(special), mod.difference(special)
    b_off, b_mod = area_km2(off_x), area_km2(mod_x)
    b_int = area_km2(off_x.intersection(mod_x))
    iou_x = b_int / (b_off + b_mod - b_int)
    return (
        f"| {name} | {scope} | {a_off:,.0f} | {a_mod:,.0f} | {a_int:,.0f} | "
        f"{iou:.3f} | {iou_x:.3f} |"
    )


def random_sea_points(
    official: dict[str, BaseGeometry],
    special: list[tuple[str, BaseGeometry]],
    land: BaseGeometry,
    n: int,
) -> tuple[np.ndarray, np.ndarray, int]:
    """n points uniform on the ellipsoid's sphere-equivalent within the window, at sea and
    farther than MARGIN_KM from every official boundary. Returns lon, lat and how many
    candidates were drawn."""
    boundaries = [g.boundary for g in official.values()] + [g.boundary for _, g in special]
    # Boundary vertices every <= 0.005 deg (< 0.6 km): the chord to the nearest one is the
    # geodesic distance to the boundary to within a few metres at 20 km.
    pts = shapely.get_coordinates(shapely.segmentize(shapely.union_all(boundaries), 0.005))
    tree = cKDTree(ecef(pts[:, 0], pts[:, 1]))
    shapely.prepare(land)
    rng = np.random.default_rng(SEED)
    lon0, lat0, lon1, lat1 = WINDOW
    s0, s1 = np.sin(np.radians(lat0)), np.sin(np.radians(lat1))
    out_lon: list[np.ndarray] = []
    out_lat: list[np.ndarray] = []
    kept = drawn = 0
    while kept < n:  # n points outside the overlap/joint areas
        m = 20_000
        lon = rng.uniform(lon0, lon1, m)
        lat = np.degrees(np.arcsin(rng.uniform(s0, s1, m)))  # equal-area in latitude
        drawn += m
        ok = ~shapely.contains_xy(land, lon, lat)
        dist, _ = tree.query(ecef(lon[ok], lat[ok]))
        far = dist > MARGIN_KM  # chord < arc, so this never keeps a point that is too close
        lon, lat = lon[ok][far], lat[ok][far]
        out_lon.append(lon)
        out_lat.append(lat)
        kept += int(np.count_nonzero(~in_any(special, lon, lat)))
    lon, lat = np.concatenate(out_lon), np.concatenate(out_lat)
    # cut after the n-th plain point so that the sample is a prefix of the random stream
    plain = np.cumsum(~in_any(special, lon, lat))
    stop = int(np.searchsorted(plain, n)) + 1
    return lon[:stop], lat[:stop], drawn


def in_any(geoms: list[tuple[str, BaseGeometry]], lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    out = np.zeros(len(lon), dtype=bool)
    for _, g in geoms:
        out |= shapely.contains_xy(g, lon, lat)
    return out


def answer(zones: dict[str, BaseGeometry], lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    out = np.full(len(lon), "none", dtype=object)
    for iso, geom in zones.items():
        shapely.prepare(geom)
        out[shapely.contains_xy(geom, lon, lat)] = iso
    return out


def verdict_table(
    official: dict[str, BaseGeometry],
    special: list[tuple[str, BaseGeometry]],
    modelled: dict[str, BaseGeometry],
    land: BaseGeometry,
) -> list[str]:
    lon, lat, drawn = random_sea_points(official, special, land, N_POINTS)
    off = answer(official, lon, lat)
    mod = answer(modelled, lon, lat)
    in_special = in_any(special, lon, lat)
    lines = [
        "| Official answer | Points | Modelled agrees | Agreement | Modelled says instead |",
        "|---|---:|---:|---:|---|",
    ]
    plain = ~in_special
    for iso in sorted(set(off[plain]), key=lambda k: -np.count_nonzero(off[plain] == k)):
        sel = plain & (off == iso)
        agree = int(np.count_nonzero(mod[sel] == iso))
        other = Counter(mod[sel & (mod != iso)]).most_common(3)
        others = ", ".join(f"{k} {v}" for k, v in other) or "-"
        n = int(np.count_nonzero(sel))
        lines.append(f"| {iso} | {n:,} | {agree:,} | {agree / n:.1%} | {others} |")
    n_plain = int(np.count_nonzero(plain))
    agree_all = int(np.count_nonzero(off[plain] == mod[plain]))
    lines.append(
        f"| **all** | **{n_plain:,}** | **{agree_all:,}** | **{agree_all / n_plain:.1%}** | |"
    )
    n_sp = int(np.count_nonzero(in_special))
    sp = Counter(mod[in_special]).most_common()
    lines += [
        "",
        f"{n_points_text(len(lon), drawn)} {n_sp} of them fall in an official joint-regime or "
        "overlapping-claim area, where the official answer is several states; they are left out "
        "of the table above. Modelled answers there: "
        + (", ".join(f"{k} {v}" for k, v in sp) or "none")
        + ".",
    ]
    return lines


def n_points_text(n: int, drawn: int) -> str:
    return (
        f"{n:,} random sea points were kept (seed {SEED}; candidates were drawn in batches of "
        f"20,000, {drawn:,} in all) after dropping land and points within {MARGIN_KM:g} km of "
        "an official boundary."
    )


def difference_table(
    official: dict[str, BaseGeometry],
    special: list[tuple[str, BaseGeometry]],
    modelled: dict[str, BaseGeometry],
    land: BaseGeometry,
    top: int = 12,
) -> list[str]:
    window = shapely.segmentize(shapely.box(*WINDOW), 0.1)
    off_zones = {**official, **{name: g for name, g in special}}
    patches = []
    for o_name, o_geom in [*off_zones.items(), ("none", None)]:
        o_part = (
            window.difference(shapely.union_all(list(off_zones.values())))
            if o_geom is None
            else o_geom.intersection(window)
        ).difference(land)
        for m_name, m_geom in [*modelled.items(), ("none", None)]:
            if m_name == o_name:
                continue
            if m_geom is None:
                both = o_part.difference(shapely.union_all(list(modelled.values())))
            elif not m_geom.intersects(o_part):
                continue
            else:
                both = o_part.intersection(m_geom)
            for p in shapely.get_parts(both):
                if p.geom_type == "Polygon" and p.area > 0.01:
                    patches.append((area_km2(p), o_name, m_name, p.representative_point()))
    patches.sort(key=lambda t: -t[0])
    lines = ["| Area km² | Near (lon, lat) | Official | Modelled |", "|---:|---|---|---|"]
    for a, o_name, m_name, pt in patches[:top]:
        lines.append(f"| {a:,.0f} | {pt.x:.1f}, {pt.y:.1f} | {o_name} | {m_name} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--official", type=Path, default=OFFICIAL)
    parser.add_argument("--modelled", type=Path, default=MODELLED)
    args = parser.parse_args()
    if not args.official.exists():
        sys.exit(f"official test polygons not found: {args.official}")
    official, special = load_official(args.official)
    modelled = load_modelled(args.modelled)
    _, _, land_geoms = read_zonepack(LAND)
    land = shapely.union_all(land_geoms)
    special_union = shapely.union_all([g for _, g in special])
    today = datetime.date.today().isoformat()
    out = [
        "# Modelled EEZ: agreement with official zones (North-East Asia)",
        "",
        f"Measured {today} with `python scripts/measure_modelled_eez.py` (from the repository "
        f"root) on `data/eez-modelled.zip` against the Marine Regions World EEZ v10 test "
        f"polygons in `../shared/data/eez/marineregions-v10-ne-asia.geojson` (not shipped).",
        "",
        "## Area overlap (IoU)",
        "",
        "Intersection over union of each country's official 200NM zone and its modelled zone, "
        "sea only (land of `data/land.zip` is cut from the official polygons too, whose "
        "simplified copy fills in islands). Areas are geodesic on WGS84 (pyproj `Geod`, edges "
        "densified to 0.05 deg), computed after overlay in lon/lat. Each zone is compared whole "
        "and clipped to the test window "
        f"(lon {WINDOW[0]:g}..{WINDOW[2]:g} E, lat {WINDOW[1]:g}..{WINDOW[3]:g} N); Russia "
        "only in the window, for fairness, because the official file holds its Arctic, Baltic "
        "and Black Sea zones too and the window is all the test data covers. The last column "
        "leaves out the official joint-regime and overlapping-claim areas (Kuril Islands, "
        "Senkaku Islands, Liancourt Rocks, Japan/Korea joint regime) from both sides, since "
        "the official 200NM zones exclude them while the model gives each to one state.",
        "",
        *iou_table(official, modelled, special_union, land),
        "",
        "## Where they differ",
        "",
        "The largest single patches (in the window) where the official and modelled answers "
        "differ, overlap/joint areas included; `none` is high seas. Use them to tell method "
        "limits from missing source features.",
        "",
        *difference_table(official, special, modelled, land),
        "",
        "## Which-country verdicts",
        "",
        "Random points, uniform by area, in the window that are at sea (not on the rangezone "
        f"land layer) and more than {MARGIN_KM:g} km from every official boundary, coastline "
        "sides included. Distances are geodesic (3-D chords on WGS84 to boundary vertices "
        "spaced <= 0.005 deg, within metres of the geodesic distance at 20 km). The answer is "
        "the ISO code of the 200NM zone that holds the point, or `none` (high seas).",
        "",
        *verdict_table(official, special, modelled, land),
    ]
    print("\n".join(out))


if __name__ == "__main__":
    main()
