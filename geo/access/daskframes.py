"""``locate_frame`` on Dask frames: a lazy frame located partition by partition.

The zone set goes into the task graph once, as one ``dask.delayed`` object that every
partition task depends on: the distributed scheduler sends it to each worker once (a worker
keeps a task's inputs while tasks need them), not once per partition, and each worker process
builds its zone set (polygons, search tree, locate grid) once, on the first partition it
gets. What travels is small: the zones' attributes, their polygons as WKB and, when the zone
set has a shipped locate grid (:mod:`geo.access.locategrid`), its ~150 KB compressed form.

Dask is an optional extra (``pip install rangezone[dask]``): ``dask[dataframe]`` and
``distributed``; ``dask-geopandas`` for frames with a point geometry.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

if TYPE_CHECKING:
    from geo.access.zonepack import DatasetInfo
    from geo.access.zones import Zone, Zones

_UNKNOWN = -3


@dataclass(frozen=True)
class ZonePayload:
    """A zone set as it travels to the workers."""

    token: str
    info: DatasetInfo
    zones: tuple[Zone, ...]
    wkb: tuple[bytes, ...]
    grid: bytes | None
    """The whole locate grid, int16 zlib-compressed, when every cell was classified."""


_BUILT: dict[str, Zones] = {}
_LOCK = threading.Lock()
BUILDS = 0
"""Zone sets this process built from payloads (the Dask test reads it on each worker)."""


def payload(zones: Zones) -> ZonePayload:
    wkb = tuple(bytes(b) for b in shapely.to_wkb(zones.geoms))
    grid = None
    g = zones._grid
    if not (g == _UNKNOWN).any():
        grid = zlib.compress(g.astype("<i2").tobytes(), 6)
    h = hashlib.sha256()
    for b in wkb:
        h.update(b)
    h.update(repr(zones.zones).encode())
    return ZonePayload(h.hexdigest(), zones.info, tuple(zones.zones), wkb, grid)


def zones_from(p: ZonePayload) -> Zones:
    """The zone set of a payload, built once per process."""
    global BUILDS
    from geo.access.zones import Zones

    with _LOCK:
        z = _BUILT.get(p.token)
        if z is None:
            z = Zones(p.info, list(p.zones), list(shapely.from_wkb(list(p.wkb))))
            if p.grid is not None:
                raw = np.frombuffer(zlib.decompress(p.grid), dtype="<i2").astype(np.int32)
                z.__dict__["_grid"] = raw  # the cached grid, classified on the driver
            _BUILT[p.token] = z
            BUILDS += 1
        return z


def _locate_partition(
    part: Any, p: ZonePayload, country: str | None, lon: str | None, lat: str | None
) -> Any:
    from geo.access.frames import locate_frame

    return locate_frame(part, zones_from(p), country, lon=lon, lat=lat)


def locate_dask_frame(
    frame: Any,
    zones: Zones | None,
    country: str | None,
    *,
    lon: str | None = None,
    lat: str | None = None,
) -> Any:
    """``frame`` with the zone columns added, lazily (``map_partitions``)."""
    from dask.delayed import delayed

    from geo.access.frames import ZONE_COLUMNS, locate_frame

    if zones is None:
        from geo.access.zones import load_zones

        zones = load_zones()
    meta = locate_frame(frame._meta, zones, lon=lon, lat=lat)  # no rows: the zone columns
    if country is not None:
        import pandas as pd

        # the verdict columns and their types, from one real point
        probe = locate_frame(pd.DataFrame({"lon": [0.0], "lat": [0.0]}), zones, country)
        for column in probe.columns[2 + len(ZONE_COLUMNS) :]:
            meta[column] = probe[column].iloc[:0]
    shipped = delayed(payload(zones), pure=True)
    return frame.map_partitions(_locate_partition, shipped, country, lon, lat, meta=meta)
