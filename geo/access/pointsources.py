"""Batch point files of every usual kind, read and written in chunks.

``check --points FILE`` takes, by suffix:

- ``.csv``: :class:`geo.access.pointfile.CheckFile` (points, reported impacts, areas);
- ``.parquet``/``.geoparquet`` (GeoParquet), ``.gpkg`` (GeoPackage), ``.geojson``/``.json``:
  :class:`GeoPointFile`. A row's point geometry gives its lat/lon (reprojected to WGS84 from
  the file's CRS); its attributes fill the other roles of a check file (``id``, ``from``,
  ``distance``, ``bearing``, ``site``, ``range``...) by name, as CSV columns do, and the rest
  is carried through. A row with no geometry is checked by its attributes alone (a reported
  impact, an area around a ``site``); a geometry that is not a point is that row's error.
  Attribute columns named like coordinates (lat, lon, x, y...) are carried, not read as the
  point: the geometry is the point.

Output by the suffix of ``-o``: CSV and JSON (written by the CLI), or GeoParquet
(:func:`write_geoparquet_rows`: a WKB point per row from its lat/lon, the batch columns
typed, user columns as text). Everything streams: :data:`CHUNK_ROWS` rows at a time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from geo.access.pointfile import ROLE_COLUMNS, CheckFile, CheckRow
from geo.errors import InputError

CHUNK_ROWS = 20_000
GEO_SUFFIXES = {".parquet": "parquet", ".geoparquet": "parquet", ".gpkg": "gpkg"}
GEO_SUFFIXES |= {".geojson": "geojson", ".json": "geojson"}
_POINT_ROLES = ("lat", "lon")
_TYPE_NAMES = {
    1: "LineString",
    2: "LinearRing",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}
_NUMBER_COLUMNS = frozenset(
    ("lat", "lon", "margin_km", "coast_km", "p_inside", "area_km2", "overlap_km2", "nearest_km")
)
_INT_COLUMNS = frozenset(("line",))


def open_points(path: str | Path) -> CheckFile | GeoPointFile:
    """The point file at ``path``, opened by its suffix (see the module's docstring)."""
    kind = GEO_SUFFIXES.get(Path(path).suffix.lower())
    if kind is None:
        return CheckFile(path)
    return GeoPointFile(path, kind)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


class GeoPointFile:
    """A GeoParquet, GeoPackage or GeoJSON file of points, read a chunk at a time; iterating
    gives :class:`~geo.access.pointfile.CheckRow` (``line`` is the row's number, from 1)."""

    def __init__(self, path: str | Path, kind: str) -> None:
        self.path = Path(path)
        self.kind = kind
        if not self.path.is_file():
            raise InputError(f"cannot read {path}: no such file")
        self._columns, self._geometry, self._crs = self._schema()
        self.roles: dict[str, str] = {}
        for role, aliases in ROLE_COLUMNS.items():
            if role in _POINT_ROLES:
                continue
            matching = [c for c in self._columns if c.strip().lower() in aliases]
            if len(matching) > 1:
                listed = " and ".join(repr(c) for c in matching)
                raise InputError(
                    f"{path}: columns {listed} could each be the {role}: keep one, rename the other"
                )
            if matching:
                self.roles[role] = matching[0]
        used = {self.roles["id"]} if "id" in self.roles else set()
        self.extra_columns = [
            (c, c.strip() or f"column_{k + 1}")
            for k, c in enumerate(self._columns)
            if c not in used
        ]

    @property
    def extra_names(self) -> list[str]:
        return [name for _, name in self.extra_columns]

    # ---- reading

    def _schema(self) -> tuple[list[str], str | None, Any]:
        try:
            if self.kind == "parquet":
                import pyarrow.parquet as pq

                pf = pq.ParquetFile(self.path)
                meta = pf.schema_arrow.metadata or {}
                geo = json.loads(meta.get(b"geo", b"{}") or b"{}")
                geometry = geo.get("primary_column")
                crs = (geo.get("columns", {}).get(geometry, {}) or {}).get("crs")
                if geometry is None and "geometry" in pf.schema_arrow.names:
                    geometry = "geometry"
                names = [n for n in pf.schema_arrow.names if n != geometry]
                names = [n for n in names if not n.startswith("__index_level_")]
                return names, geometry, crs
            import pyogrio

            info = pyogrio.read_info(self.path)
            return [str(f) for f in info["fields"]], "geometry", info.get("crs")
        except InputError:
            raise
        except Exception as exc:  # any library's failure to parse is the user's file
            raise InputError(f"cannot read {self.path}: {_reason(exc)}") from None

    def _batches(self) -> Iterator[Any]:
        """pyarrow record batches, each with the geometry as WKB in ``__geometry__``."""
        try:
            if self.kind == "parquet":
                import pyarrow.parquet as pq

                pf = pq.ParquetFile(self.path)
                cols = [*self._columns, *([self._geometry] if self._geometry else [])]
                for batch in pf.iter_batches(batch_size=CHUNK_ROWS, columns=cols):
                    yield batch, self._geometry
                return
            import pyogrio

            with pyogrio.open_arrow(self.path, batch_size=CHUNK_ROWS, use_pyarrow=True) as (
                meta,
                reader,
            ):
                geometry = meta.get("geometry_name") or "wkb_geometry"
                for batch in reader:
                    yield batch, geometry
        except InputError:
            raise
        except Exception as exc:
            raise InputError(f"cannot read {self.path}: {_reason(exc)}") from None

    def _transformer(self) -> Any:
        if self._crs is None or self.kind == "geojson":
            return None  # GeoJSON is WGS84 (RFC 7946); GeoParquet without crs is OGC:CRS84
        from pyproj import CRS, Transformer

        crs = CRS.from_user_input(self._crs)
        if crs.equals("EPSG:4326") or crs.equals("OGC:CRS84"):
            return None
        return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    def __iter__(self) -> Iterator[CheckRow]:
        import numpy as np
        import shapely

        try:
            transformer = self._transformer()
        except Exception as exc:
            raise InputError(f"{self.path}: unusable CRS: {_reason(exc)}") from None
        number = 0
        for batch, geometry in self._batches():
            table = batch.to_pydict()
            n = batch.num_rows
            wkb = table.pop(geometry, [None] * n) if geometry else [None] * n
            geoms = shapely.from_wkb(np.asarray(wkb, dtype=object), on_invalid="ignore")
            kinds = shapely.get_type_id(geoms)
            x = shapely.get_x(np.where(kinds == 0, geoms, None))
            y = shapely.get_y(np.where(kinds == 0, geoms, None))
            if transformer is not None:
                x, y = transformer.transform(x, y)
            for k in range(n):
                number += 1
                values: dict[str, str] = {}
                for role, column in self.roles.items():
                    text = _text(table[column][k]).strip()
                    if text:
                        values[role] = text
                kind = int(kinds[k])
                if kind == 0 and math.isfinite(x[k]) and math.isfinite(y[k]):
                    values["lon"], values["lat"] = repr(float(x[k])), repr(float(y[k]))
                elif kind > 0:
                    name = _TYPE_NAMES.get(kind, "geometry")
                    values["__error__"] = f"the geometry is a {name}, not a point"
                elif kind == 0:
                    values["__error__"] = "the point geometry is empty or not finite"
                elif not set(values) - {"id"}:
                    values["__error__"] = "the row has no geometry and no other place to check"
                extra = tuple((name, _text(table[c][k])) for c, name in self.extra_columns)
                yield CheckRow(number, number, values, extra)
        if number == 0:
            raise InputError(f"{self.path}: no points")


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


# ---------------------------------------------------------------------------- writing


def write_geoparquet_rows(
    path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Write batch rows as GeoParquet (atomically): a WKB point from each row's ``lat`` and
    ``lon`` (none where a row has no point), the numeric batch columns as float64, the rest
    as text; GeoParquet 1.0 metadata (WGS84 longitude/latitude)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    from geo.access.atomic import atomic_path

    names = list(header)
    if "geometry" in names:
        raise InputError("a column is named 'geometry': rename it before writing GeoParquet")
    ilat, ilon = names.index("lat"), names.index("lon")

    def arrow_type(name: str) -> Any:
        if name in _NUMBER_COLUMNS:
            return pa.float64()
        return pa.int64() if name in _INT_COLUMNS else pa.string()

    fields = [pa.field(n, arrow_type(n)) for n in names]
    schema = pa.schema([*fields, pa.field("geometry", pa.binary())])
    bounds = [math.inf, math.inf, -math.inf, -math.inf]

    def number(v: Any) -> float | None:
        if v in ("", None):
            return None
        try:
            return float(v)
        except (TypeError, ValueError):
            return None

    def table(chunk: list[Sequence[Any]]) -> pa.Table:
        cols: list[Any] = []
        for j, f in enumerate(fields):
            if f.type == pa.float64():
                cols.append(pa.array([number(r[j]) for r in chunk], pa.float64()))
            elif f.type == pa.int64():
                nums = [number(r[j]) for r in chunk]
                cols.append(pa.array([None if v is None else round(v) for v in nums], pa.int64()))
            else:
                text = ["" if r[j] is None else str(r[j]) for r in chunk]
                cols.append(pa.array(text, pa.string()))
        lat = np.array([number(r[ilat]) for r in chunk], dtype=float)  # None: NaN
        lon = np.array([number(r[ilon]) for r in chunk], dtype=float)
        ok = np.isfinite(lat) & np.isfinite(lon)
        wkb = np.full(len(chunk), None, dtype=object)
        if ok.any():
            wkb[ok] = shapely.to_wkb(shapely.points(lon[ok], lat[ok]))
            bounds[0] = min(bounds[0], float(lon[ok].min()))
            bounds[1] = min(bounds[1], float(lat[ok].min()))
            bounds[2] = max(bounds[2], float(lon[ok].max()))
            bounds[3] = max(bounds[3], float(lat[ok].max()))
        cols.append(pa.array(list(wkb), pa.binary()))
        return pa.Table.from_arrays(cols, schema=schema)

    with atomic_path(path) as tmp:
        # the bounding box is known at the end: the metadata goes into the footer then
        writer = pq.ParquetWriter(tmp, schema)
        try:
            chunk: list[Sequence[Any]] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= CHUNK_ROWS:
                    writer.write_table(table(chunk))
                    chunk = []
            if chunk:
                writer.write_table(table(chunk))
            geo = {
                "version": "1.0.0",
                "primary_column": "geometry",
                "columns": {
                    "geometry": {
                        "encoding": "WKB",
                        "geometry_types": ["Point"],
                        **({"bbox": bounds} if math.isfinite(bounds[0]) else {}),
                    }
                },
            }
            writer.add_key_value_metadata({"geo": json.dumps(geo)})
        finally:
            writer.close()
