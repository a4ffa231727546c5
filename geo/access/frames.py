"""GeoDataFrames in and out: zone sets and shapes as frames, and locating a frame's points.

geopandas and pandas are imported only when a frame is asked for, so the CLI stays quick.
Every frame is in WGS84 longitude/latitude (``EPSG:4326``).

:func:`locate_frame` takes a pandas or geopandas frame of points (longitude/latitude columns
or a point geometry) and returns a copy with the zone of each point; given a Dask frame it
returns a lazy one (:mod:`geo.access.daskframes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.errors import InputError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo.access.zones import Zones
    from geo.core.shapes import Shape

CRS = "EPSG:4326"

ZONE_COLUMNS = ("zone", "territory", "sovereign", "pol_type")
"""Columns :func:`locate_frame` adds: the most specific zone holding each point (the smallest
where zones overlap, as ``Zones.locate``), its first territory and sovereign, and its type
(Marine Regions ``POL_TYPE``: 200NM, Overlapping claim, Joint regime...). Categoricals whose
categories are every value of the zone set (the same in every partition); missing where no
zone holds the point."""

_LON_NAMES = ("lon", "lng", "long", "longitude", "lon_deg", "x")
_LAT_NAMES = ("lat", "latitude", "lat_deg", "y")


def zones_to_geodataframe(zones: Zones) -> gpd.GeoDataFrame:
    """One row per zone, indexed by zone index (as ``Zones.locate`` answers).

    Columns: ``name``, ``pol_type``, ``territory``, ``sovereign`` (first of each),
    ``territories``, ``sovereigns``, ``iso_codes`` (all, joined by "; "), ``mrgid``
    (nullable integer), ``shared`` (an overlapping claim or joint regime), ``dataset`` and
    ``geometry``.
    """
    import geopandas as gpd
    import pandas as pd

    zs = zones.zones
    data = {
        "name": pd.array([z.name for z in zs], dtype="string"),
        "pol_type": pd.array([z.pol_type for z in zs], dtype="string"),
        "territory": pd.array([z.territory for z in zs], dtype="string"),
        "sovereign": pd.array([z.sovereign for z in zs], dtype="string"),
        "territories": pd.array(["; ".join(z.territories) for z in zs], dtype="string"),
        "sovereigns": pd.array(["; ".join(z.sovereigns) for z in zs], dtype="string"),
        "iso_codes": pd.array(["; ".join(z.iso_codes) for z in zs], dtype="string"),
        "mrgid": pd.array([z.mrgid for z in zs], dtype="Int64"),
        "shared": np.array([z.is_shared for z in zs], dtype=bool),
        "dataset": pd.array([zones.info.name] * len(zs), dtype="string"),
    }
    index = pd.RangeIndex(len(zs), name="zone_index")
    return gpd.GeoDataFrame(data, geometry=list(zones.geoms), crs=CRS, index=index)


def shape_to_geodataframe(shape: Shape, **columns: Any) -> gpd.GeoDataFrame:
    """One row: the shape's area (``area_km2``, ellipsoidal), extra ``columns`` and geometry."""
    import geopandas as gpd

    data: dict[str, list[Any]] = {"area_km2": [shape.area_m2 / 1e6]}
    for key, value in columns.items():
        if key in ("area_km2", "geometry"):
            raise ValueError(f"column {key!r} is set by the shape")
        data[key] = [value]
    return gpd.GeoDataFrame(data, geometry=[shape.geometry], crs=CRS)


def _pick(columns: Sequence[str], names: tuple[str, ...], given: str | None) -> str | None:
    if given is not None:
        if given not in columns:
            raise InputError(f"the frame has no column {given!r}")
        return given
    folded = {str(c).casefold(): str(c) for c in columns}
    for name in names:
        if name in folded:
            return folded[name]
    return None


def point_coordinates(
    frame: pd.DataFrame, lon: str | None = None, lat: str | None = None
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Longitudes and latitudes (degrees) of a frame's points.

    From ``lon``/``lat`` columns when given or found (lon, lng, longitude, x / lat,
    latitude, y; any case), else from a point geometry, reprojected to WGS84 if the frame has
    another CRS. Missing coordinates and empty points come out as NaN (located nowhere).
    """
    import geopandas as gpd
    import shapely

    columns = [str(c) for c in frame.columns]
    lon_col = _pick(columns, _LON_NAMES, lon)
    lat_col = _pick(columns, _LAT_NAMES, lat)
    geometry_first = isinstance(frame, gpd.GeoDataFrame) and lon is None and lat is None
    if geometry_first and frame._geometry_column_name in frame.columns:
        geoms = frame.geometry
        if geoms.crs is not None and not geoms.crs.equals(CRS):
            geoms = geoms.to_crs(CRS)
        arr = np.asarray(geoms.values, dtype=object)
        kinds = shapely.get_type_id(arr)
        bad = (kinds != 0) & (kinds != -1) & ~shapely.is_empty(arr)
        if bad.any():
            raise InputError(
                f"locate_frame needs points; row {int(np.argmax(bad))} holds a "
                f"{shapely.get_type_id(arr[np.argmax(bad)])!r}-type geometry (not a point)"
            )
        return shapely.get_x(arr).astype(float), shapely.get_y(arr).astype(float)
    if lon_col is None or lat_col is None:
        raise InputError(
            "the frame needs longitude and latitude columns (e.g. lon and lat; name them "
            "with lon=/lat=) or a point geometry"
        )
    import pandas as pd

    def numbers(column: str) -> np.ndarray[Any, Any]:
        values = frame[column]
        if values.dtype == np.float64:
            return np.asarray(values.to_numpy())  # no copy
        numeric = pd.to_numeric(values, errors="coerce")
        return np.asarray(numeric.to_numpy(dtype=float, na_value=np.nan))

    return numbers(lon_col), numbers(lat_col)


def zone_columns(zones: Zones, idx: np.ndarray[Any, Any]) -> dict[str, Any]:
    """The :data:`ZONE_COLUMNS` for zone indices from ``Zones.locate`` (-1: no zone), as
    categoricals: a few bytes a row however many millions of points come in."""
    import pandas as pd

    table = {
        "zone": [z.name for z in zones.zones],
        "territory": [z.territory for z in zones.zones],
        "sovereign": [z.sovereign for z in zones.zones],
        "pol_type": [z.pol_type for z in zones.zones],
    }
    out: dict[str, Any] = {}
    # index -1 (no zone) takes the trailing -1 code: missing
    safe = np.where(idx < 0, len(zones.zones), idx).astype(np.int32)
    for key, values in table.items():
        categories, code_of_zone = np.unique(np.asarray(values, dtype=object), return_inverse=True)
        lookup = np.append(code_of_zone.astype(np.int16), np.int16(-1))
        codes = lookup[safe]
        out[key] = pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype="str"))
    return out


def verdict_columns(
    zones: Zones, lons: np.ndarray[Any, Any], lats: np.ndarray[Any, Any], country: str
) -> dict[str, list[Any]]:
    """The country verdict of every point, from :func:`geo.core.batch.batch_verdicts`:
    ``all_zones``, ``on_land``, ``country``, ``status``, ``margin_km`` and ``note``."""
    from dataclasses import dataclass

    from geo.access.zones import load_land
    from geo.core.batch import batch_verdicts

    @dataclass
    class _Row:
        id: int
        lat_deg: float
        lon_deg: float

    skip = {"id", "lat", "lon", "dataset", "dataset_kind", *ZONE_COLUMNS}
    ok = np.isfinite(lons) & np.isfinite(lats) & (np.abs(lats) <= 90.0)
    points = [_Row(i, float(lats[i]), float(lons[i])) for i in np.flatnonzero(ok).tolist()]
    rows = batch_verdicts(zones, points, country=country, land=load_land())
    names = [k for k in (rows[0] if rows else {}) if k not in skip]
    out: dict[str, list[Any]] = {k: [None] * lons.size for k in names}
    for p, row in zip(points, rows, strict=True):
        for k in names:
            out[k][p.id] = row.get(k)
    return out


def locate_frame(
    frame: Any,
    zones: Zones | None = None,
    country: str | None = None,
    *,
    lon: str | None = None,
    lat: str | None = None,
) -> Any:
    """The frame with the zone of each point added (a copy; the input is not changed).

    ``frame``: a pandas or geopandas frame with longitude/latitude columns or a point
    geometry (reprojected to WGS84 when it has another CRS); or a Dask (or dask-geopandas)
    frame, for which a lazy Dask frame comes back, located partition by partition with the
    zone set sent once to each worker (:mod:`geo.access.daskframes`).
    ``zones``: a zone set (default: the active dataset). Adds :data:`ZONE_COLUMNS`; with
    ``country`` also the verdict columns of ``check --csv --country`` (``all_zones``,
    ``on_land``, ``country``, ``status``, ``margin_km``, ``note``). Points on a boundary are
    outside, as in ``geopandas.sjoin(predicate="within")``.
    """
    if type(frame).__module__.split(".")[0] in ("dask", "dask_geopandas", "dask_expr"):
        from geo.access.daskframes import locate_dask_frame

        return locate_dask_frame(frame, zones, country, lon=lon, lat=lat)
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"locate_frame takes a pandas, geopandas or Dask frame, not {type(frame).__name__}"
        )
    if zones is None:
        from geo.access.zones import load_zones

        zones = load_zones()
    x, y = point_coordinates(frame, lon, lat)
    added = dict(zone_columns(zones, zones.locate(x, y)))
    if country is not None:
        added.update(verdict_columns(zones, x, y, country))
    clash = [c for c in added if c in frame.columns]
    if clash:
        raise InputError(
            f"the frame already has column(s) {', '.join(clash)}: rename them before locating"
        )
    out = frame.copy()
    for key, values in added.items():
        out[key] = pd.Series(values, index=frame.index) if isinstance(values, list) else values
    return out
