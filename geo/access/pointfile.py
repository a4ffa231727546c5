"""Batch point files: CSV with columns lat, lon, an optional id and any columns of the user's
own, which are carried through to the verdicts unchanged."""

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
    extra: tuple[tuple[str, str], ...] = ()
    """The row's other columns (not lat, lon or id) as (column name, value), in file order."""


def _utf8_text(data: bytes, path: str | Path) -> str:
    """The file's text; UTF-8 with or without a byte-order mark, or an InputError."""
    hint = "save the file as UTF-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"cannot read {path}: not UTF-8 text (it starts with a UTF-16 byte-order mark); {hint}"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"cannot read {path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}); {hint}"
        ) from None
    if "\x00" in text:  # UTF-16 without a byte-order mark decodes as UTF-8 with NULs
        raise InputError(
            f"cannot read {path}: not UTF-8 text (NUL byte at offset {data.index(0)}); {hint}"
        )
    return text


def read_points_csv(path: str | Path) -> list[BatchPoint]:
    """Read points; a bad row is an error naming its line, never silently skipped.

    Column names are matched case-insensitively: ``lat`` (or latitude, y), ``lon`` (or lng,
    long, longitude, x) and ``id``; without an id column a point's id is its row number
    (1, 2, ...; blank lines are not rows). Every other column is kept in ``extra``; a column
    without a name is kept as ``column_N`` (its position) unless it is empty on every row.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    reader = csv.DictReader(_utf8_text(data, path).splitlines())
    try:
        return _read_rows(reader, path)
    except csv.Error as exc:  # e.g. a field longer than the csv module's limit
        raise InputError(f"{path}, line {reader.reader.line_num}: {exc}") from None


_ROLES = {
    "latitude": ("lat", "latitude", "y"),
    "longitude": ("lon", "lng", "long", "longitude", "x"),
    "id": ("id",),
}


def _read_rows(reader: csv.DictReader[str], path: str | Path) -> list[BatchPoint]:
    header = [(c or "") for c in reader.fieldnames or []]
    for role, aliases in _ROLES.items():
        # "lat" and "Lat" (or "lat" and "latitude"): which one holds the points is a guess.
        matching = [c for c in header if c.strip().lower() in aliases]
        if len(matching) > 1:
            listed = " and ".join(repr(c) for c in matching)
            raise InputError(
                f"{path}: columns {listed} could each be the {role}: keep one, rename the other"
            )
    cols = {c.strip().lower(): c for c in header}
    lat_col = next((cols[c] for c in ("lat", "latitude", "y") if c in cols), None)
    lon_col = next((cols[c] for c in ("lon", "lng", "long", "longitude", "x") if c in cols), None)
    if lat_col is None or lon_col is None:
        found = ", ".join(reader.fieldnames or []) or "none"
        raise InputError(f"{path}: needs columns lat and lon (found: {found})")
    id_col = cols.get("id")
    used = {lat_col, lon_col, id_col}
    names = list(reader.fieldnames or [])
    twice = sorted({c for c in names if c.strip() and names.count(c) > 1})
    if twice:  # csv.DictReader would keep only the last of them
        raise InputError(f"{path}: column {twice[0]!r} appears more than once in the header")
    extra_cols = [(c, c.strip() or f"column_{n}") for n, c in enumerate(names, 1) if c not in used]
    out: list[BatchPoint] = []
    for row in reader:
        n = reader.line_num  # not a row count: blank lines are skipped
        try:
            lat = float(row[lat_col])
            lon = float(row[lon_col])
        except (TypeError, ValueError):
            raise InputError(
                f"{path}, line {n}: lat/lon must be numbers, got {row[lat_col]!r}, {row[lon_col]!r}"
            ) from None
        if not (math.isfinite(lat) and math.isfinite(lon)):
            raise InputError(f"{path}, line {n}: lat/lon must be finite numbers, got {lat}, {lon}")
        if not -90 <= lat <= 90:
            raise InputError(f"{path}, line {n}: latitude {lat:g} is outside -90..90")
        if not -180 <= lon <= 180:
            raise InputError(f"{path}, line {n}: longitude {lon:g} is outside -180..180")
        pid = (row.get(id_col) or "").strip() if id_col else str(len(out) + 1)
        extra = tuple((name, row.get(c) or "") for c, name in extra_cols)
        out.append(BatchPoint(pid, lat, lon, extra))
    if not out:
        raise InputError(f"{path}: no points")
    # Unnamed columns that hold nothing (a trailing comma on the header) are dropped.
    empty = {
        k
        for k, (c, _) in enumerate(extra_cols)
        if not c.strip() and not any(p.extra[k][1] for p in out)
    }
    if empty:
        out = [
            p._replace(extra=tuple(e for k, e in enumerate(p.extra) if k not in empty)) for p in out
        ]
    return out
