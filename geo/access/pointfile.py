"""Batch point files: CSV with columns lat, lon and an optional id."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import NamedTuple

from geo.errors import InputError


class BatchPoint(NamedTuple):
    id: str
    lat_deg: float
    lon_deg: float


def read_points_csv(path: str | Path) -> list[BatchPoint]:
    """Read points; a bad row is an error naming its line, never silently skipped."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    reader = csv.DictReader(text.splitlines())
    cols = {(c or "").strip().lower(): c for c in reader.fieldnames or []}
    lat_col = next((cols[c] for c in ("lat", "latitude", "y") if c in cols), None)
    lon_col = next((cols[c] for c in ("lon", "lng", "long", "longitude", "x") if c in cols), None)
    if lat_col is None or lon_col is None:
        found = ", ".join(reader.fieldnames or []) or "none"
        raise InputError(f"{path}: needs columns lat and lon (found: {found})")
    id_col = cols.get("id")
    out: list[BatchPoint] = []
    for n, row in enumerate(reader, start=2):
        try:
            lat = float(row[lat_col])
            lon = float(row[lon_col])
        except (TypeError, ValueError):
            raise InputError(
                f"{path}, line {n}: lat/lon must be numbers, got {row[lat_col]!r}, {row[lon_col]!r}"
            ) from None
        if not (math.isfinite(lat) and -90 <= lat <= 90):
            raise InputError(f"{path}, line {n}: latitude {lat:g} is outside -90..90")
        if not (math.isfinite(lon) and -180 <= lon <= 180):
            raise InputError(f"{path}, line {n}: longitude {lon:g} is outside -180..180")
        pid = (row.get(id_col) or "").strip() if id_col else str(n - 1)
        out.append(BatchPoint(pid, lat, lon))
    if not out:
        raise InputError(f"{path}: no points")
    return out
