"""Zone sets from polygon files: any format GDAL reads, plus GeoParquet.

The Marine Regions EEZ schema is recognised in its three spellings (v10 shapefile-truncated
lower case, v11/v12 upper case, the WFS's lower-case full names); other files need a column
map (``--eez-columns name=NAME,territory1=COUNTRY``, see ``docs/zone-files.md``). What the
columns mean is decided in :mod:`geo.access.zoneschema`; this module reads and cleans.

Every zone set leaves here in one shape: WGS 84 longitude/latitude in [-180, 180], valid
polygons only, split at the antimeridian, and one record per geometry with exactly the keys
``name, pol_type, territories, sovereigns, iso_codes, mrgid``. The WFS client feeds its
GeoJSON through the same :func:`normalise_zones`.

GDAL, pandas and pyproj are imported inside the functions: ``rangezone check`` never needs them
when it reads a zone pack.
"""

from __future__ import annotations

import math
import warnings as pywarnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
import shapely.errors
from shapely import affinity
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo.access.crscheck import check_geojson_crs
from geo.access.zonepack import DatasetInfo
from geo.access.zoneschema import (
    COLUMN_KEYS,
    _columns_text,
    _dataset_info,
    _record,
    _resolve_columns,
    marine_regions_info,
    parse_column_map,
)
from geo.errors import ZoneDataError

__all__ = [
    "COLUMN_KEYS",
    "NormalisedZones",
    "marine_regions_info",
    "normalise_zones",
    "parse_column_map",
    "read_zone_file",
    "split_layer",
]

# Reading: what a zip may hold, and which suffixes are GeoParquet.
_ZIP_MEMBERS = (".shp", ".gpkg", ".geojson", ".json", ".fgb", ".gml", ".kml", ".sqlite")
_PARQUET = (".parquet", ".geoparquet")

# Vertices this close beyond ±180° are rounding noise from reprojection, not a crossing.
_LON_SNAP_DEG = 1e-7


# --------------------------------------------------------------------------------------------
# Geometry


def _polygon_parts(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [] if geom.is_empty else [geom]
    out: list[Polygon] = []
    for part in shapely.get_parts(geom).tolist():
        if isinstance(part, Polygon):
            out.extend([] if part.is_empty else [part])
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            out.extend(_polygon_parts(part))  # collections may nest
    return out


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The polygon parts of any geometry, as one Polygon or MultiPolygon (maybe empty)."""
    if isinstance(geom, Polygon | MultiPolygon):
        return geom if not geom.is_empty else Polygon()
    parts = _polygon_parts(geom)
    if not parts:
        return Polygon()
    if len(parts) == 1:
        return parts[0]
    # parts of a collection (e.g. make_valid output) may share edges: union keeps them valid
    return _polygonal(shapely.union_all(parts))


def _unwrap_ring(coords: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], bool]:
    """Make longitudes continuous where consecutive vertices jump by more than 180°.

    Such a jump is the antimeridian crossed by the short way round, written in [-180, 180]
    (the ``antimeridian`` package's reading). An edge between two polar vertices is a seam that
    a polygon around a pole draws on purpose and is kept.
    """
    x, y = coords[:, 0], coords[:, 1]
    d = np.diff(x)
    jump = np.abs(d) > 180.0
    jump &= ~((np.abs(y[:-1]) >= 89.999) & (np.abs(y[1:]) >= 89.999))
    if not jump.any():
        return coords, False
    shift = np.concatenate([[0.0], np.cumsum(np.where(jump, -360.0 * np.round(d / 360.0), 0.0))])
    out = coords.copy()
    out[:, 0] = x + shift
    return out, True


def _unwrap_polygon(poly: Polygon) -> tuple[Polygon, bool]:
    ext, crossed = _unwrap_ring(np.asarray(poly.exterior.coords, dtype=float)[:, :2])
    net = ext[-1, 0] - ext[0, 0]
    if crossed and abs(net) > 180.0:
        # The ring goes once around the globe: it encloses a pole. Close it over that pole.
        pole = 90.0 if float(np.mean(ext[:, 1])) > 0 else -90.0
        ext = np.vstack([ext, [[ext[-1, 0], pole], [ext[0, 0], pole]], ext[:1]])
    holes = []
    ext_mid = 0.5 * (float(ext[:, 0].min()) + float(ext[:, 0].max()))
    for ring in poly.interiors:
        h, hole_crossed = _unwrap_ring(np.asarray(ring.coords, dtype=float)[:, :2])
        crossed |= hole_crossed
        # bring the hole next to its exterior when one of them was unwrapped
        k = round((ext_mid - float(h[:, 0].mean())) / 360.0)
        if k:
            h = h.copy()
            h[:, 0] += 360.0 * k
            crossed = True
        holes.append(h)
    if not crossed:
        return poly, False
    return Polygon(ext, holes), True


def _wrap_longitudes(geom: BaseGeometry) -> BaseGeometry:
    """Cut a geometry reaching beyond ±180° into 360°-wide windows and shift each home."""
    minx, _, maxx, _ = geom.bounds
    pieces: list[BaseGeometry] = []
    for k in range(math.floor((minx + 180.0) / 360.0), math.ceil((maxx - 180.0) / 360.0) + 1):
        window = shapely.box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        part = _polygonal(shapely.intersection(geom, window))
        if not part.is_empty:
            pieces.append(affinity.translate(part, xoff=-360.0 * k) if k else part)
    polys: list[Polygon] = []
    for p in pieces:
        polys.extend(p.geoms if isinstance(p, MultiPolygon) else [p])
    if not polys:
        return Polygon()
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


_MAX_ABS_LON_DEG = 720.0
"""Longitudes written past ±180° wrap (a zone crossing the antimeridian as 170..190°); past
two turns they are not longitudes, and cutting them into 360° windows would never end."""


def _plausible_lon_lat(xy: npt.NDArray[np.float64]) -> bool:
    if not len(xy):
        return True
    return bool(
        np.abs(xy[:, 0]).max() <= _MAX_ABS_LON_DEG and np.abs(xy[:, 1]).max() <= 90.0 + 1e-6
    )


def _snap_longitudes(geom: BaseGeometry) -> BaseGeometry:
    def snap(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        out = xy.copy()
        out[:, 0] = np.clip(out[:, 0], -180.0, 180.0)
        out[:, 1] = np.clip(out[:, 1], -90.0, 90.0)
        return out

    return shapely.transform(geom, snap)


def _fix_geometry(geom: BaseGeometry) -> tuple[BaseGeometry, bool, bool]:
    """(geometry, repaired, split): valid lon/lat polygons within [-180, 180]."""
    parts: list[Polygon] = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    crossed = False
    unwrapped = []
    for p in parts:
        q, c = _unwrap_polygon(p)
        unwrapped.append(q)
        crossed |= c
    out: BaseGeometry = geom
    if crossed:
        out = unwrapped[0] if len(unwrapped) == 1 else MultiPolygon(unwrapped)
    repaired = False
    if not out.is_valid:
        out = _polygonal(shapely.make_valid(out))
        repaired = True
    split = False
    minx, miny, maxx, maxy = out.bounds
    if minx < -180.0 or maxx > 180.0 or miny < -90.0 or maxy > 90.0:
        slack = _LON_SNAP_DEG
        if max(-minx, maxx) <= 180.0 + slack and max(-miny, maxy) <= 90.0 + slack:
            out = _snap_longitudes(out)
        else:
            out = _wrap_longitudes(out)
            split = True
        if not out.is_valid:
            out = _polygonal(shapely.make_valid(out))
    return out, repaired, split or crossed


def _crs_is_lonlat_wgs84(crs: Any) -> bool:
    if crs.to_epsg() == 4326:
        return True
    return bool(crs.to_string() in ("OGC:CRS84", "EPSG:4326"))


def _to_wgs84(
    geoms: list[BaseGeometry], crs_in: Any, where: str
) -> tuple[list[BaseGeometry], list[str]]:
    """Reproject to EPSG:4326 lon/lat; a file without a CRS must already look like lon/lat."""
    if crs_in is None:
        xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
        if xmin >= -180.5 and xmax <= 360.5 and ymin >= -90.5 and ymax <= 90.5:
            return geoms, [f"{where} has no CRS; read as WGS 84 longitude/latitude"]
        raise ZoneDataError(
            f"{where} has no CRS and its coordinates are not longitude/latitude; "
            "save it with a CRS (e.g. EPSG:4326)"
        )
    import pyproj

    try:
        crs = pyproj.CRS.from_user_input(crs_in)
    except pyproj.exceptions.CRSError as exc:
        raise ZoneDataError(f"{where}: unknown CRS {crs_in!s}: {exc}") from None
    if _crs_is_lonlat_wgs84(crs):
        return geoms, []
    transformer = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    def project(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        lon, lat = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    out = list(shapely.transform(np.asarray(geoms, dtype=object), project))
    label = crs.to_string() if crs.to_epsg() is None else f"EPSG:{crs.to_epsg()}"
    return out, [f"reprojected {where} from {label} to EPSG:4326 (WGS 84 lon/lat)"]


# --------------------------------------------------------------------------------------------
# Normalisation shared by files and the WFS


@dataclass
class NormalisedZones:
    records: list[dict[str, Any]]
    geoms: list[BaseGeometry]
    warnings: list[str] = field(default_factory=list)
    schema: str = ""
    columns_used: dict[str, str] = field(default_factory=dict)


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def normalise_zones(
    columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    geoms: Sequence[BaseGeometry | None],
    *,
    crs: Any,
    where: str,
    column_map: Mapping[str, str] | None = None,
) -> NormalisedZones:
    """Attribute rows and geometries (in ``crs``) → records and clean lon/lat polygons.

    ``crs`` is anything pyproj reads, or None for "unknown". ``where`` names the source in
    messages. Raises :class:`ZoneDataError` for no features, no polygons or an unknown schema.
    """
    if len(rows) != len(geoms):
        raise ValueError("rows and geoms differ in length")
    if not rows:
        raise ZoneDataError(f"{where} has no features")
    kept: list[int] = []
    polys: list[BaseGeometry] = []
    other_types: dict[str, int] = {}
    for i, g in enumerate(geoms):
        p = _polygonal(shapely.force_2d(g)) if g is not None else Polygon()
        if p.is_empty:
            kind = "no geometry" if g is None or g.is_empty else g.geom_type
            other_types[kind] = other_types.get(kind, 0) + 1
            continue
        kept.append(i)
        polys.append(p)
    if not polys:
        found = ", ".join(f"{n} {k}" for k, n in sorted(other_types.items()))
        raise ZoneDataError(f"{where} has no polygons (found {found})")
    # geometry first: a file of points has a worse problem than its column names
    mapping, schema, warnings = _resolve_columns(list(columns), column_map, where)
    if other_types:
        dropped = sum(other_types.values())
        kinds = ", ".join(sorted(other_types))
        warnings.append(f"dropped {_plural(dropped, 'feature')} without polygons ({kinds})")

    polys, crs_warnings = _to_wgs84(polys, crs, where)
    warnings.extend(crs_warnings)

    records: list[dict[str, Any]] = []
    out_geoms: list[BaseGeometry] = []
    repaired = split = lost = 0
    for i, g in zip(kept, polys, strict=True):
        xy = shapely.get_coordinates(g)
        if not np.isfinite(xy).all() or not _plausible_lon_lat(xy):
            lost += 1
            continue
        try:
            fixed, was_repaired, was_split = _fix_geometry(g)
        except shapely.errors.GEOSException:  # beyond repair
            lost += 1
            continue
        repaired += was_repaired
        split += was_split
        if fixed.is_empty:
            lost += 1
            continue
        records.append(_record(rows[i], mapping, i))
        out_geoms.append(fixed)
    if repaired:
        warnings.append(
            f"repaired {_plural(repaired, 'invalid geometry', 'invalid geometries')} "
            "with make_valid (kept the polygonal parts)"
        )
    if split:
        warnings.append(
            f"split {_plural(split, 'geometry', 'geometries')} at the antimeridian "
            "(longitudes normalised to -180..180)"
        )
    if lost:
        warnings.append(
            f"dropped {_plural(lost, 'feature')} whose geometry was empty or could not be "
            "converted to longitude/latitude"
        )
    if not out_geoms:
        raise ZoneDataError(f"{where} has no usable polygons")
    return NormalisedZones(records, out_geoms, warnings, schema, mapping)


# --------------------------------------------------------------------------------------------
# Reading files


def split_layer(text: str) -> tuple[str, str | None]:
    """``"file.gpkg::eez"`` → ``("file.gpkg", "eez")``; a path alone has no layer."""
    if "::" in text:
        base, layer = text.rsplit("::", 1)
        if base and layer:
            return base, layer
    return text, None


def _first_line(exc: object, limit: int = 200) -> str:
    text = " ".join(str(exc).split())
    if "not recognized as being in a supported file format" in text:
        return "not a vector format GDAL recognises"  # GDAL's own text repeats the path
    text = text.split("; It might help", 1)[0]
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _pick_layer(src: str, layer: str | None, where: str, warnings: list[str]) -> str | None:
    import pyogrio
    import pyogrio.errors

    try:
        layers = [(str(n), str(t) if t is not None else "") for n, t in pyogrio.list_layers(src)]
    except (pyogrio.errors.DataSourceError, OSError, ValueError) as exc:
        raise ZoneDataError(f"cannot read zone file {where}: {_first_line(exc)}") from None
    names = [n for n, _ in layers]
    if layer is not None:
        if layer not in names:
            raise ZoneDataError(f"{where} has no layer '{layer}'; layers: {', '.join(names)}")
        return layer
    if len(layers) <= 1:
        return None
    polygonal = [n for n, t in layers if "polygon" in t.lower()] or names
    if len(polygonal) == 1:
        return polygonal[0]
    preferred = [n for n in polygonal if "eez" in n.lower() and "bound" not in n.lower()]
    chosen = sorted(preferred or polygonal)[0]
    warnings.append(
        f"{where} has several polygon layers ({', '.join(polygonal)}); using '{chosen}' "
        f"(choose another with {where}::LAYER)"
    )
    return chosen


def _zip_member(path: Path, layer: str | None, warnings: list[str]) -> tuple[str, str | None]:
    """The GDAL path of the data file inside a zip, and the layer still to pick."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.namelist() if m.lower().endswith(_ZIP_MEMBERS)]
    except (zipfile.BadZipFile, OSError) as exc:
        raise ZoneDataError(f"cannot read zone file {path}: {_first_line(exc)}") from None
    members = [m for m in members if not Path(m).name.startswith(("._", "."))]
    if layer is not None:
        exact = [m for m in members if m == layer or Path(m).stem == layer or Path(m).name == layer]
        if exact:
            return f"/vsizip/{path.resolve()}/{exact[0]}", None
    if not members:
        raise ZoneDataError(
            f"{path}: the zip holds no shapefile, GeoPackage or GeoJSON "
            f"(it holds: {_columns_text(_zip_names(path), 12) or 'nothing'})"
        )
    if len(members) == 1:
        return f"/vsizip/{path.resolve()}/{members[0]}", layer

    import pyogrio
    import pyogrio.errors

    polygonal = []
    for m in members:
        try:
            info = pyogrio.read_info(f"/vsizip/{path.resolve()}/{m}")
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError):
            continue
        if "polygon" in str(info.get("geometry_type") or "").lower():
            polygonal.append(m)
    candidates = polygonal or members
    preferred = [m for m in candidates if "eez" in m.lower() and "bound" not in m.lower()]
    pool = preferred or candidates
    chosen = sorted(pool, key=lambda m: ("lowres" in m.lower(), m))[0]
    if len(candidates) > 1:
        warnings.append(
            f"{path} holds several polygon files ({', '.join(candidates)}); using '{chosen}' "
            f"(choose another with {path}::NAME)"
        )
    return f"/vsizip/{path.resolve()}/{chosen}", layer


def _zip_names(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return []


def _read_parquet(path: Path) -> Any:
    try:
        import pyarrow  # noqa: F401  (geopandas needs it; check first for a clear message)
    except ImportError:
        raise ZoneDataError(
            f"reading GeoParquet ({path.name}) needs pyarrow: pip install pyarrow"
        ) from None
    import geopandas

    try:
        return geopandas.read_parquet(path)
    except (OSError, ValueError, shapely.errors.GEOSException) as exc:
        raise ZoneDataError(f"cannot read zone file {path}: {_first_line(exc)}") from None


def _read_frame(path_text: str, warnings: list[str]) -> tuple[Any, str]:
    """(GeoDataFrame, text used to recognise the Marine Regions version)."""
    base, layer = split_layer(path_text)
    path = Path(base)
    try:
        if not path.exists():
            raise ZoneDataError(f"zone file not found: {path}")
        if path.is_file() and path.stat().st_size == 0:
            raise ZoneDataError(f"zone file {path} is empty (0 bytes)")
    except OSError as exc:  # a name too long, a loop of links: the path given is bad
        raise ZoneDataError(f"cannot read zone file {path}: {exc.strerror or exc}") from None
    if path.suffix.lower() in _PARQUET:
        return _read_parquet(path), str(path)

    import pyogrio
    import pyogrio.errors

    src = str(path)
    version_text = str(path)
    if path.is_file() and path.suffix.lower() == ".zip":
        src, layer = _zip_member(path, layer, warnings)
        version_text = src
    layer = _pick_layer(src, layer, str(path), warnings)
    try:
        frame = pyogrio.read_dataframe(src, layer=layer)
    except (
        pyogrio.errors.DataSourceError,
        pyogrio.errors.DataLayerError,
        pyogrio.errors.FieldError,
        pyogrio.errors.GeometryError,
        pyogrio.errors.CRSError,
        shapely.errors.GEOSException,  # a ring that cannot close (NaN coordinates)
        OSError,
        ValueError,
    ) as exc:
        raise ZoneDataError(f"cannot read zone file {path}: {_first_line(exc)}") from None
    if layer is not None:
        version_text += f"::{layer}"
    return frame, version_text


def _frame_parts(frame: Any) -> tuple[list[str], list[dict[str, Any]], list[BaseGeometry | None]]:
    geometry_name = frame.geometry.name if hasattr(frame, "geometry") else None
    if geometry_name is None:
        raise ZoneDataError("the file has no geometry column")
    attrs = frame.drop(columns=[geometry_name])
    columns = [str(c) for c in attrs.columns]
    attrs = attrs.astype(object)
    attrs = attrs.where(attrs.notna(), None)
    attrs.columns = columns
    rows: list[dict[str, Any]] = attrs.to_dict("records")
    geoms: list[BaseGeometry | None] = list(frame.geometry.array)
    return columns, rows, geoms


def read_zone_file(
    path: str | Path, column_map: dict[str, str] | None = None
) -> tuple[DatasetInfo, list[dict[str, Any]], list[BaseGeometry], list[str]]:
    """Read a polygon file into (info, records, geoms, warnings).

    ``path`` may end in ``::LAYER`` to choose a layer of a GeoPackage or a file inside a zip.
    ``column_map`` maps our keys (``name, pol_type, territory1..3, sovereign1..3, iso1..3,
    mrgid``) to the file's columns, on top of (or instead of) the Marine Regions spelling
    recognised automatically. Warnings say what was repaired, reprojected, split or guessed.
    """
    path_text = str(path)
    warnings: list[str] = []
    where = split_layer(path_text)[0]
    # GDAL reports through Python warnings (pyogrio's error handler); they become notes here,
    # never raw lines with a site-packages path on the user's terminal.
    with pywarnings.catch_warnings(record=True) as caught:
        pywarnings.simplefilter("always")
        check_geojson_crs(Path(split_layer(path_text)[0]))
        frame, version_text = _read_frame(path_text, warnings)
        columns, rows, geoms = _frame_parts(frame)
        norm = normalise_zones(
            columns, rows, geoms, crs=frame.crs, where=where, column_map=column_map
        )
    gdal = dict.fromkeys(
        f"GDAL: {_first_line(w.message)}" for w in caught if issubclass(w.category, RuntimeWarning)
    )
    warnings += list(gdal)[:3]
    info = _dataset_info(version_text, Path(where).stem, norm.schema, norm.columns_used)
    info = DatasetInfo.from_dict({**info.to_dict(), "source": path_text})
    return info, norm.records, norm.geoms, warnings + norm.warnings
