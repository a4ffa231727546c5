"""Point verdicts for many points at once: the same fields as one check, column by column.

Zones come from ``Zones.locate`` (a grid), land from the land layer's grid, and each
country's status, margin and coast distance from :func:`geo.core.sides.side_verdicts`:
no per-point geometry call except for the few points where zones overlap.

Pure: zone sets in memory and coordinate arrays in, rows (lists of plain values) out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from geo.core.sides import CountrySide, side_verdicts
from geo.core.verdicts import side_note

if TYPE_CHECKING:
    from geo.access.zones import Zones

FloatArray = npt.NDArray[np.float64]

VERDICT_COLUMNS = (
    "zone",
    "territory",
    "sovereign",
    "pol_type",
    "all_zones",
    "on_land",
    "country",
    "status",
    "margin_km",
    "coast_km",
    "p_inside",
    "note",
)
"""What :func:`point_cells` gives per point and country, in this order."""


@dataclass
class _Overlaps:
    """Per zone: where larger zones overlap it (points there are in more than one zone)."""

    regions: dict[int, BaseGeometry | None]


_OVERLAPS: dict[int, tuple[Zones, _Overlaps]] = {}


def _overlap_region(zones: Zones, z: int) -> BaseGeometry | None:
    hit = _OVERLAPS.get(id(zones))
    if hit is None or hit[0] is not zones:
        if len(_OVERLAPS) > 8:
            _OVERLAPS.clear()
        hit = (zones, _Overlaps({}))
        _OVERLAPS[id(zones)] = hit
    regions = hit[1].regions
    if z not in regions:
        geom = zones.geoms[z]
        others = [int(j) for j in np.atleast_1d(zones.tree.query(geom)) if int(j) != z]
        # Only zones whose interiors meet this one's can overlap it: a relate test is several
        # times cheaper than an intersection, and most neighbours merely share an edge.
        if others:
            near = np.empty(len(others), dtype=object)
            near[:] = [zones.geoms[j] for j in others]
            was_prepared = shapely.is_prepared(geom)
            meets = shapely.relate_pattern(geom, near, "T********")
            if was_prepared:  # drop the relate index GEOS keeps in it (tens of MB in all)
                shapely.destroy_prepared(geom)
                shapely.prepare(geom)
            others = [j for j, m in zip(others, meets.tolist(), strict=True) if m]
        parts = []
        for j in others:
            inter = geom.intersection(zones.geoms[j])
            if not inter.is_empty and inter.area > 0:
                parts.append(inter)
        region = shapely.union_all(parts) if parts else None
        if region is not None:
            shapely.prepare(region)
        regions[z] = region
    return regions[z]


def all_zones(
    zones: Zones, lons: FloatArray, lats: FloatArray, first: npt.NDArray[np.int64]
) -> list[str]:
    """Every zone holding each point, smallest first, joined by "; " (``first``: the
    smallest, from ``Zones.locate``)."""
    names = np.array([z.name for z in zones.zones] + [""], dtype=object)
    out: list[str] = names[np.where(first >= 0, first, len(zones.zones))].tolist()
    for z in np.unique(first[first >= 0]).tolist():
        region = _overlap_region(zones, int(z))
        if region is None:
            continue
        idx = np.flatnonzero(first == z)
        many = idx[shapely.contains_xy(region, lons[idx], lats[idx])]
        for k in many.tolist():
            out[k] = "; ".join(zones.zones[i].name for i in zones.containing(lons[k], lats[k]))
    return out


def point_cells(
    zones: Zones,
    land: Zones | None,
    sides: Sequence[CountrySide],
    lons: FloatArray,
    lats: FloatArray,
) -> list[list[list[Any]]]:
    """Per point, one list of :data:`VERDICT_COLUMNS` values per country (one list with empty
    country fields when no country is asked)."""
    n = lons.size
    first = zones.locate(lons, lats)
    pad = len(zones.zones)
    pick = np.where(first >= 0, first, pad)

    def column(values: list[str]) -> list[str]:
        arr = np.array([*values, ""], dtype=object)
        out: list[str] = arr[pick].tolist()
        return out

    zone = column([z.name for z in zones.zones])
    territory = column([z.territory for z in zones.zones])
    sovereign = column([z.sovereign for z in zones.zones])
    pol_type = column([z.pol_type for z in zones.zones])
    every = all_zones(zones, lons, lats, first)
    if land is not None:
        land_idx = land.locate(lons, lats)
        land_names = np.array([z.name for z in land.zones] + [""], dtype=object)
        on_land: list[str] = land_names[np.where(land_idx >= 0, land_idx, len(land.zones))].tolist()
    else:
        land_idx = np.full(n, -1, dtype=np.int64)
        on_land = [""] * n
    base = [
        [zone[k], territory[k], sovereign[k], pol_type[k], every[k], on_land[k]] for k in range(n)
    ]
    if not sides:
        return [[[*b, "", "", "", "", "", ""]] for b in base]
    per_side = []
    for side in sides:
        sv = side_verdicts(side, lons, lats, land_idx)
        status = sv.status.tolist()
        finite = np.isfinite(sv.margin_km)
        margin = np.where(finite, np.round(sv.margin_km, 3), np.nan).tolist()
        coast = np.round(sv.coast_km, 3).tolist()
        p = np.where(sv.status == "outside", 0.0, 1.0).tolist()
        shared = sv.shared_only.tolist()
        gap = sv.gap.tolist()
        name = side.country
        cells = []
        for k in range(n):
            note = side_note(name, status[k], on_land[k] or None, shared[k], gap[k])
            c = coast[k]
            m = margin[k]
            cells.append([name, status[k], "" if m != m else m, "" if c != c else c, p[k], note])
        per_side.append(cells)
    return [[[*base[k], *per_side[s][k]] for s in range(len(sides))] for k in range(n)]


def batch_verdicts(
    zones: Zones,
    points: Sequence[Any],
    *,
    country: str | None = None,
    countries: Sequence[str] = (),
    land: Zones | None = None,
) -> list[dict[str, Any]]:
    """One flat row per point and country (points: ``id``, ``lat_deg``, ``lon_deg``
    attributes, and optionally ``extra``: the user's own (column, value) pairs).

    Columns: ``id``, ``lat``, ``lon``, then :data:`VERDICT_COLUMNS` (``country`` ...
    ``note`` empty without a country), ``dataset`` and ``dataset_kind``, then the user's
    columns, named ``input_NAME`` where ``NAME`` is taken (case-insensitively).
    """
    from geo.core.sides import country_side

    names = ([country] if country else []) + list(countries)
    found: dict[str, CountrySide] = {}
    for name in names:  # an unknown country fails before any work
        s = country_side(zones, name, land)
        found.setdefault(s.country, s)
    lons = np.array([p.lon_deg for p in points], dtype=float)
    lats = np.array([p.lat_deg for p in points], dtype=float)
    cells = point_cells(zones, land, list(found.values()), lons, lats)
    reserved = {"id", "lat", "lon", *VERDICT_COLUMNS, "dataset", "dataset_kind"}
    renamed: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    for p, per_country in zip(points, cells, strict=True):
        for c in per_country:
            row: dict[str, Any] = {"id": p.id, "lat": p.lat_deg, "lon": p.lon_deg}
            row.update(zip(VERDICT_COLUMNS, c, strict=True))
            row["dataset"] = zones.info.name
            row["dataset_kind"] = zones.info.kind
            for name, value in getattr(p, "extra", ()):
                if name not in renamed:
                    taken = reserved | {n.casefold() for n in renamed.values()}
                    out = name
                    while out.casefold() in taken:
                        out = f"input_{out}"
                    renamed[name] = out
                row[renamed[name]] = value
            rows.append(row)
    return rows
