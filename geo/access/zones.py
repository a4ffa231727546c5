"""Zone sets: EEZ polygons with attributes, and fast point location.

A :class:`Zones` holds geometries (lon/lat, valid, split at the antimeridian) and one
:class:`Zone` record each, plus the :class:`DatasetInfo` that every verdict quotes.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from geo.access.zonepack import DatasetInfo, read_zonepack_with_areas
from geo.core.geodesy import FloatArray
from geo.core.shapes import geodesic_area_m2

IntArray = npt.NDArray[np.int64]

NO_ZONE = -1
_MIXED = -2
_UNKNOWN = -3
_DIRECT_LIMIT = 256
_CHUNK = 1 << 20  # points per pass: temporaries stay small however many points come in


@dataclass(frozen=True)
class Zone:
    """One zone's attributes (Marine Regions names in brackets)."""

    name: str  # GEONAME
    pol_type: str  # POL_TYPE: 200NM, Overlapping claim, Joint regime...
    territories: tuple[str, ...]  # TERRITORY1..3
    sovereigns: tuple[str, ...]  # SOVEREIGN1..3
    iso_codes: tuple[str, ...]  # ISO_TER1..3
    mrgid: int | None = None

    @property
    def territory(self) -> str:
        return self.territories[0] if self.territories else ""

    @property
    def sovereign(self) -> str:
        return self.sovereigns[0] if self.sovereigns else ""

    @property
    def is_shared(self) -> bool:
        """An overlapping claim or a joint regime: more than one state has a say."""
        kind = self.pol_type.casefold()
        return "overlap" in kind or "joint" in kind or len(set(self.sovereigns)) > 1

    def to_record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "pol_type": self.pol_type,
            "territories": list(self.territories),
            "sovereigns": list(self.sovereigns),
            "iso_codes": list(self.iso_codes),
            "mrgid": self.mrgid,
        }

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Zone:
        mrgid = rec.get("mrgid")
        return cls(
            name=str(rec.get("name") or ""),
            pol_type=str(rec.get("pol_type") or ""),
            territories=tuple(str(t) for t in rec.get("territories") or () if t),
            sovereigns=tuple(str(s) for s in rec.get("sovereigns") or () if s),
            iso_codes=tuple(str(s) for s in rec.get("iso_codes") or () if s),
            mrgid=int(mrgid) if mrgid not in (None, "") and not _is_nan(mrgid) else None,
        )

    def summary(self) -> dict[str, Any]:
        """The fields every verdict reports for a zone."""
        out: dict[str, Any] = {
            "name": self.name,
            "territory": self.territory,
            "sovereign": self.sovereign,
            "pol_type": self.pol_type,
        }
        if self.is_shared:
            out["claimants"] = sorted(set(self.sovereigns) | set(self.territories))
        if self.mrgid is not None:
            out["mrgid"] = self.mrgid
        return out


def _is_nan(v: Any) -> bool:
    return isinstance(v, float) and math.isnan(v)


class Zones:
    """A set of zones. ``locate`` answers millions of points per second."""

    CELL_DEG = 0.1

    def __init__(
        self,
        info: DatasetInfo,
        zones: Sequence[Zone],
        geoms: Sequence[BaseGeometry],
        areas_m2: Sequence[float] | None = None,
    ) -> None:
        if len(zones) != len(geoms):
            raise ValueError("zones and geoms differ in length")
        if areas_m2 is not None and len(areas_m2) != len(geoms):
            raise ValueError("areas and geoms differ in length")
        self.info = info
        self.zones = list(zones)
        self.geoms = list(geoms)
        self.warnings: list[str] = []
        """What loading repaired or changed (invalid geometries, reprojection...)."""
        self._areas: dict[int, float] = dict(enumerate(areas_m2)) if areas_m2 is not None else {}
        """Ellipsoidal areas known so far (stored in the zone pack, or measured when asked)."""
        self.grid_pack: Path | None = None
        """The zone pack these zones were read from: its shipped grid (``NAME.grid.bin``,
        see :mod:`geo.access.locategrid`) is used if it was built from that very pack."""

    def __len__(self) -> int:
        return len(self.zones)

    @classmethod
    def from_records(
        cls,
        info: DatasetInfo,
        records: Sequence[dict[str, Any]],
        geoms: Sequence[BaseGeometry],
        areas_m2: Sequence[float] | None = None,
    ) -> Zones:
        return cls(info, [Zone.from_record(r) for r in records], geoms, areas_m2)

    def zone_area_m2(self, index: int) -> float:
        """Ellipsoidal area of one zone: stored in its zone pack, or computed when first
        asked for."""
        area = self._areas.get(index)
        if area is None:
            area = self._areas[index] = geodesic_area_m2(self.geoms[index])
        return area

    @cached_property
    def _planar_area(self) -> FloatArray:
        # Ordering by size needs only a monotone-enough measure; cos(lat)-weighted degrees² is
        # cheap and adequate to tell a claim polygon from the zone that contains it.
        return np.asarray(shapely.area(self.geoms), dtype=float)

    @cached_property
    def _order(self) -> IntArray:
        """Zone indices, smallest first: where zones overlap the smallest is the most specific."""
        return np.argsort(self._planar_area, kind="stable").astype(np.int64)

    @cached_property
    def _rank(self) -> IntArray:
        rank = np.empty(len(self.zones), dtype=np.int64)
        rank[self._order] = np.arange(len(self.zones))
        return rank

    @cached_property
    def tree(self) -> shapely.STRtree:
        for g in self.geoms:
            shapely.prepare(g)
        return shapely.STRtree(self.geoms)

    @cached_property
    def _boundaries(self) -> list[BaseGeometry]:
        out = [g.boundary for g in self.geoms]
        for b in out:
            shapely.prepare(b)
        return out

    @cached_property
    def _bounds(self) -> FloatArray:
        return np.asarray(shapely.bounds(self.geoms), dtype=float).reshape(-1, 4)

    @cached_property
    def _grid(self) -> npt.NDArray[np.int32]:
        """Global cell grid filled on demand: zone index, NO_ZONE, MIXED or UNKNOWN."""
        if self.grid_pack is not None:
            from geo.access import locategrid

            path = locategrid.grid_path(self.grid_pack)
            if path.is_file():
                grid = locategrid.read_grid(path, self, locategrid.file_sha256(self.grid_pack))
                if grid is not None:
                    return grid
        return np.full(self._nrows * self._ncols, _UNKNOWN, dtype=np.int32)

    @property
    def _ncols(self) -> int:
        return round(360.0 / self.CELL_DEG)

    @property
    def _nrows(self) -> int:
        return round(180.0 / self.CELL_DEG)

    def _classify_boxes(self, x0: FloatArray, y0: FloatArray, size: float) -> npt.NDArray[np.int32]:
        """Per closed box: the zone holding all of it, NO_ZONE if none touches it, else MIXED."""
        eps = 1e-9  # boxes include their edges, where points of the cell may lie
        res = np.full(x0.size, NO_ZONE, dtype=np.int32)
        decided = np.zeros(x0.size, dtype=bool)
        for z in self._order.tolist():  # smallest first: the first zone to touch a box decides
            w, s, e, n = self._bounds[z]
            cand = ~decided & (x0 + size + eps >= w) & (x0 - eps <= e)
            cand &= (y0 + size + eps >= s) & (y0 - eps <= n)
            if not cand.any():
                continue
            idx = np.nonzero(cand)[0]
            boxes = shapely.box(
                x0[idx] - eps, y0[idx] - eps, x0[idx] + size + eps, y0[idx] + size + eps
            )
            # A box that the boundary does not cross lies wholly inside or wholly outside, so
            # its centre decides; one boundary test is cheaper than intersects + contains.
            cross = shapely.intersects(self._boundaries[z], boxes)
            half = 0.5 * size
            inside = ~cross
            inside[inside] = shapely.contains_xy(
                self.geoms[z], x0[idx[inside]] + half, y0[idx[inside]] + half
            )
            res[idx[cross]] = _MIXED
            res[idx[inside]] = z
            decided[idx[cross | inside]] = True
        return res

    def _classify_cells(self, keys: IntArray) -> None:
        """Fill the grid for ``keys`` by quadtree: a coarse box with one answer fills all its
        cells at once; only boxes that a boundary crosses are split further."""
        c = self.CELL_DEG
        ncols, nrows = self._ncols, self._nrows
        grid2d = self._grid.reshape(nrows, ncols)
        fy, fx = keys // ncols, keys % ncols
        top = 7

        def width(level: int) -> int:
            # wide enough that a child's column (up to 2 * parent + 1) never wraps a row
            return ((ncols - 1) >> level) + 2

        def level_cells(level: int) -> tuple[IntArray, IntArray]:
            w = width(level)
            cells = _distinct((fy >> level) * w + (fx >> level))
            return cells // w, cells % w

        cy, cx = level_cells(top)
        for level in range(top, -1, -1):
            f = 1 << level
            res = self._classify_boxes(
                (cx * (f * c) - 180.0).astype(float), (cy * (f * c) - 90.0).astype(float), f * c
            )
            done = res != _MIXED
            if done.any():
                # every cell of each decided box, clipped to the grid
                off = np.arange(f)
                rows = np.broadcast_to(
                    (cy[done][:, None] * f + off)[:, :, None], (int(done.sum()), f, f)
                )
                cols = np.broadcast_to((cx[done][:, None] * f + off)[:, None, :], rows.shape)
                vals = np.broadcast_to(res[done][:, None, None], rows.shape)
                inside = (rows < nrows) & (cols < ncols)  # boxes may reach past the grid's edge
                grid2d[rows[inside], cols[inside]] = vals[inside]
            if level == 0:
                grid2d[cy[~done], cx[~done]] = _MIXED
                break
            # split mixed boxes; keep the children that hold requested cells
            my, mx = cy[~done], cx[~done]
            ky = np.concatenate([2 * my, 2 * my, 2 * my + 1, 2 * my + 1])
            kx = np.concatenate([2 * mx, 2 * mx + 1, 2 * mx, 2 * mx + 1])
            w = width(level - 1)
            wanted = np.zeros((((nrows - 1) >> (level - 1)) + 2) * w, dtype=bool)
            wanted[(fy >> (level - 1)) * w + (fx >> (level - 1))] = True
            keep = wanted[ky * w + kx]
            cy, cx = ky[keep], kx[keep]

    def locate(self, lons: npt.ArrayLike, lats: npt.ArrayLike) -> IntArray:
        """Index of the zone containing each point (the smallest where zones overlap), or -1.

        Points on a boundary count as outside, as in ``geopandas.sjoin(predicate="within")``.
        Cells of a 0.1° grid that lie wholly inside one answer are answered outright; only
        points in cells that a boundary crosses are tested against polygons. Points are taken
        in chunks of about a million, so memory beyond the answer stays small.
        """
        x = np.asarray(lons, dtype=float).ravel()
        y = np.asarray(lats, dtype=float).ravel()
        if x.shape != y.shape:
            raise ValueError("lons and lats differ in length")
        if x.size <= _CHUNK:
            return self._locate_chunk(x, y)
        result = np.empty(x.size, dtype=np.int64)
        for start in range(0, x.size, _CHUNK):
            part = slice(start, start + _CHUNK)
            result[part] = self._locate_chunk(x[part], y[part])
        return result

    def _locate_chunk(self, x: FloatArray, y: FloatArray) -> IntArray:
        if x.size and not (x.min() >= -180.0 and x.max() <= 180.0):
            with np.errstate(invalid="ignore"):  # ±inf stays non-finite and is dropped below
                x = np.where(x == 180.0, 180.0, ((x + 180.0) % 360.0) - 180.0)
        result = np.full(x.size, NO_ZONE, dtype=np.int64)
        ok = np.isfinite(x) & np.isfinite(y) & (np.abs(y) <= 90.0)
        if not ok.any() or not self.zones:
            return result
        if x.size <= _DIRECT_LIMIT:
            # A few points: asking the tree directly beats building grid cells.
            sub = np.nonzero(ok)[0]
            p_idx, z_idx = self.tree.query(shapely.points(x[sub], y[sub]), predicate="within")
            order = np.lexsort((self._rank[z_idx], p_idx))
            p_sorted, z_sorted = p_idx[order], z_idx[order]
            first = np.ones(p_sorted.size, dtype=bool)
            first[1:] = p_sorted[1:] != p_sorted[:-1]
            result[sub[p_sorted[first]]] = z_sorted[first]
            return result
        c = self.CELL_DEG
        all_ok = bool(ok.all())
        sub = np.arange(x.size) if all_ok else np.nonzero(ok)[0]
        xs, ys = (x, y) if all_ok else (x[sub], y[sub])
        ix = np.minimum(((xs + 180.0) * (1.0 / c)).astype(np.int64), self._ncols - 1)
        iy = np.minimum(((ys + 90.0) * (1.0 / c)).astype(np.int64), self._nrows - 1)
        keys = iy * self._ncols + ix
        grid = self._grid
        cls = grid[keys]
        unknown = cls == _UNKNOWN
        if unknown.any():
            self._classify_cells(_distinct(keys[unknown]))
            cls = grid[keys]
        result[sub] = np.where(cls == _MIXED, NO_ZONE, cls)
        mixed = sub[cls == _MIXED]
        open_ = np.ones(mixed.size, dtype=bool)
        mx, my = x[mixed], y[mixed]
        for z in self._order.tolist():
            if not open_.any():
                break
            w, s, e, n = self._bounds[z]
            cand = open_ & (mx >= w) & (mx <= e) & (my >= s) & (my <= n)
            if not cand.any():
                continue
            idx = np.nonzero(cand)[0]
            hit = shapely.contains_xy(self.geoms[z], mx[idx], my[idx])
            result[mixed[idx[hit]]] = z
            open_[idx[hit]] = False
        return result

    def containing(self, lon: float, lat: float) -> list[int]:
        """Every zone containing the point, smallest first (overlaps are all named)."""
        idx = self.tree.query(shapely.points(lon, lat), predicate="within")
        return sorted((int(i) for i in np.atleast_1d(idx)), key=lambda i: int(self._rank[i]))

    def attributes(self) -> list[dict[str, Any]]:
        return [z.summary() for z in self.zones]

    def to_geodataframe(self) -> Any:
        """The zones as a ``geopandas.GeoDataFrame`` (see :mod:`geo.access.frames`)."""
        from geo.access.frames import zones_to_geodataframe

        return zones_to_geodataframe(self)


def _distinct(keys: IntArray) -> IntArray:
    """Sorted distinct non-negative integers; a mark array beats hashing for dense keys."""
    mark = np.zeros(int(keys.max()) + 1, dtype=bool)
    mark[keys] = True
    return np.flatnonzero(mark).astype(np.int64)


def _default_pack() -> Path:
    from geo.access.resources import data_file

    return data_file("eez-modelled.zip")


DEFAULT_EEZ = "default"
"""What ``--eez`` (and a scenario's ``eez:``) calls the shipped modelled layer, as in
``eez use default``; a file of that name is ``./default``."""


def resolve_eez(path: str | os.PathLike[str] | None) -> Path | None:
    """The file an ``--eez`` value names: ``default`` is the shipped modelled layer, None the
    active dataset (resolved when loading), anything else a path."""
    if path is None:
        return None
    if os.fspath(path) == DEFAULT_EEZ:
        return _default_pack()
    return Path(path)


def load_zones(path: str | os.PathLike[str] | None = None) -> Zones:
    """Load a zone set: ``None`` is the active dataset (the embedded modelled one unless the
    user imported or fetched official data); ``default`` the shipped modelled layer; a path
    is a zone pack or any polygon file."""
    path = resolve_eez(path)
    if path is None:
        from geo.access.userdata import active_dataset_path

        active = active_dataset_path()
        path = active if active is not None else _default_pack()
    p = Path(path)
    if _is_zonepack(p):
        info, records, geoms, areas = read_zonepack_with_areas(p)
        zones = Zones.from_records(info, records, geoms, areas)
        zones.grid_pack = p
        return zones
    from geo.access.zonefile import read_zone_file

    info, records, geoms, warnings = read_zone_file(p)
    zones = Zones.from_records(info, records, geoms)
    zones.warnings = list(warnings)
    return zones


def load_zones_with_columns(path: str | None, columns: str | None = None) -> Zones:
    """``load_zones`` for the CLI: ``columns`` is a NAME=COLUMN,... mapping for other schemas."""
    if columns:
        if not path or path == DEFAULT_EEZ:
            from geo.errors import InputError

            raise InputError("--eez-columns applies to an --eez file: give --eez PATH")
        from geo.access.zonefile import parse_column_map, read_zone_file

        info, records, geoms, warnings = read_zone_file(Path(path), parse_column_map(columns))
        zones = Zones.from_records(info, records, geoms)
        zones.warnings = list(warnings)
        return zones
    return load_zones(path)


def _is_zonepack(path: Path) -> bool:
    import zipfile

    if path.suffix.lower() != ".zip" or not path.is_file():
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            return "dataset.json" in zf.namelist() and "geoms.wkb" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def load_land() -> Zones:
    """Natural Earth land by country (shipped), to say a point is on land and whose."""
    from geo.access.resources import data_file

    pack = data_file("land.zip")
    info, records, geoms, areas = read_zonepack_with_areas(pack)
    land = Zones.from_records(info, records, geoms, areas)
    land.grid_pack = pack
    return land
