"""Batch point files: CSV with columns lat, lon, an optional id and any columns of the user's
own, which are carried through to the verdicts unchanged."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
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


# ---------------------------------------------------------------------------- mixed check rows

ROLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "lat": ("lat", "latitude", "y"),
    "lon": ("lon", "lng", "long", "longitude", "x"),
    "id": ("id",),
    "from": ("from",),
    "distance": ("distance",),
    "bearing": ("bearing",),
    "distance_uncertainty": ("distance_uncertainty",),
    "bearing_uncertainty": ("bearing_uncertainty",),
    "leg": ("leg",),
    "site": ("site",),
    "range": ("range",),
    "min_range": ("min_range",),
    "sector": ("sector",),
}
"""What each column of a check file means (names matched case-insensitively): a row is a
point (lat, lon), a reported impact (from, distance, bearing, optional uncertainties, leg
and a site) or an area (site or lat/lon, range, optional min_range and sector), by which of these
it fills."""

MAX_FIELD_CHARS = 10_000
"""A cell longer than this is refused (the csv module's own limit is 131,072)."""

_CARRIED_ROLES = ("lat", "lon", "id")


@dataclass(frozen=True)
class CheckRow:
    """One row of a check file: the text of each role column it fills, and the user's other
    columns (role columns other than lat, lon and id included) as (name, value)."""

    line: int
    number: int
    values: dict[str, str]
    extra: tuple[tuple[str, str], ...]

    @property
    def id(self) -> str:
        return self.values.get("id", str(self.number))


class CheckFile:
    """A check CSV opened for streaming: the header is read and checked at once, rows are
    read one by one as they are iterated (memory does not grow with the file)."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        _check_utf8_stream(path)
        try:
            self._fh = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
        self._reader = csv.reader(self._fh)
        try:
            header = next(self._reader, None)
        except csv.Error as exc:
            self._fh.close()
            raise InputError(f"{path}, line 1: {exc}") from None
        if header is None:
            self._fh.close()
            raise InputError(f"{path}: no points")
        self.header = header
        self.roles: dict[str, int] = {}
        for role, aliases in ROLE_COLUMNS.items():
            matching = [k for k, c in enumerate(header) if c.strip().lower() in aliases]
            if len(matching) > 1:
                listed = " and ".join(repr(header[k]) for k in matching)
                self._fh.close()
                raise InputError(
                    f"{path}: columns {listed} could each be the {role}: keep one, rename the other"
                )
            if matching:
                self.roles[role] = matching[0]
        twice = sorted({c for c in header if c.strip() and header.count(c) > 1})
        if twice:
            self._fh.close()
            raise InputError(f"{path}: column {twice[0]!r} appears more than once in the header")
        kinds = (("lat", "lon"), ("from", "distance", "bearing"), ("range",))
        if not any(all(r in self.roles for r in kind) for kind in kinds):
            found = ", ".join(header) or "none"
            self._fh.close()
            raise InputError(
                f"{path}: needs columns lat and lon (points), from, distance and bearing "
                f"(reported impacts) or range with site or lat/lon (areas) (found: {found})"
            )
        used = {self.roles[r] for r in _CARRIED_ROLES if r in self.roles}
        self.extra_columns = [
            (k, c.strip() or f"column_{k + 1}") for k, c in enumerate(header) if k not in used
        ]

    @property
    def extra_names(self) -> list[str]:
        return [name for _, name in self.extra_columns]

    def __iter__(self) -> Iterator[CheckRow]:
        number = 0
        try:
            for cells in self._reader:
                if not any(c.strip() for c in cells):
                    continue  # blank lines are not rows
                number += 1
                line = self._reader.line_num
                if any(len(c) > MAX_FIELD_CHARS for c in cells):
                    cells = [c[:MAX_FIELD_CHARS] for c in cells]
                    values = {"__error__": f"a cell is longer than {MAX_FIELD_CHARS:,} characters"}
                else:
                    values = {}
                for role, k in self.roles.items():
                    if k < len(cells) and cells[k].strip():
                        values[role] = cells[k].strip()
                if len(cells) > len(self.header):
                    values.setdefault(
                        "__error__",
                        f"{len(cells)} cells but the header names {len(self.header)} columns",
                    )
                extra = tuple(
                    (name, cells[k] if k < len(cells) else "") for k, name in self.extra_columns
                )
                yield CheckRow(line, number, values, extra)
        except csv.Error as exc:
            raise InputError(f"{self.path}, line {self._reader.line_num}: {exc}") from None
        finally:
            self._fh.close()
        if number == 0:
            raise InputError(f"{self.path}: no points")


def _check_utf8_stream(path: str | Path) -> None:
    """Refuse a file that is not UTF-8 before any row is read, in fixed-size pieces."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    hint = "save the file as UTF-8"
    offset = 0
    try:
        with open(path, "rb") as fh:
            while True:
                data = fh.read(1 << 20)
                if offset == 0 and data.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise InputError(
                        f"cannot read {path}: not UTF-8 text (it starts with a UTF-16 "
                        f"byte-order mark); {hint}"
                    )
                if b"\x00" in data:
                    raise InputError(
                        f"cannot read {path}: not UTF-8 text (NUL byte at offset "
                        f"{offset + data.index(0)}); {hint}"
                    )
                try:
                    decoder.decode(data, final=not data)
                except UnicodeDecodeError as exc:
                    raise InputError(
                        f"cannot read {path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} "
                        f"near offset {offset + exc.start}); {hint}"
                    ) from None
                if not data:
                    return
                offset += len(data)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
