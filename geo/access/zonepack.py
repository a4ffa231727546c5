"""The zone pack: rangezone's own compact file for a set of polygons with attributes.

A zone pack is a zip archive holding ``dataset.json`` (what the data is and where it came
from), ``records.json`` (one attribute dict per geometry), ``geoms.wkb`` (the geometries
as WKB, each prefixed by its byte length as a little-endian uint32) and, in packs written
since it was added, ``areas.json`` (each geometry's area on the WGS84 ellipsoid, the method
that measured it and the CRC-32 of the geoms.wkb it was measured from: a check need not
measure every zone again, and areas of other geometries are never trusted). It loads with
shapely alone, which keeps a single ``rangezone check`` fast: no GDAL, no pandas.
"""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
import shapely.errors
from shapely.geometry.base import BaseGeometry

from geo.access.atomic import write_bytes_atomic
from geo.errors import ZoneDataError


@dataclass(frozen=True)
class DatasetInfo:
    """What a zone set is: shown with every verdict and on every map."""

    name: str
    version: str = ""
    citation: str = ""
    licence: str = ""
    modelled: bool = False
    source: str = ""
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """``modelled`` (rangezone's own layer), ``official`` (recognised Marine Regions data,
        which carries its citation) or ``user`` (a file of unknown provenance)."""
        if self.modelled:
            return "modelled"
        return "official" if self.citation else "user"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "citation": self.citation,
            "licence": self.licence,
            "modelled": self.modelled,
            "source": self.source,
            "notes": self.notes,
            **({"extra": self.extra} if self.extra else {}),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DatasetInfo:
        return cls(
            name=str(d.get("name", "")),
            version=str(d.get("version", "")),
            citation=str(d.get("citation", "")),
            licence=str(d.get("licence", "")),
            modelled=bool(d.get("modelled", False)),
            source=str(d.get("source", "")),
            notes=str(d.get("notes", "")),
            extra=dict(d.get("extra", {})),
        )


def write_zonepack(
    path: str | os.PathLike[str],
    info: DatasetInfo,
    records: Sequence[dict[str, Any]],
    geoms: Sequence[BaseGeometry],
) -> None:
    """Write a zone pack atomically (temporary file in the same folder, then rename)."""
    if len(records) != len(geoms):
        raise ValueError("records and geoms differ in length")
    from geo.core.shapes import GEODESIC_AREA_METHOD, geodesic_area_m2

    buf = io.BytesIO()
    for blob in shapely.to_wkb(list(geoms)):
        buf.write(struct.pack("<I", len(blob)))
        buf.write(blob)
    areas = {
        "method": GEODESIC_AREA_METHOD,
        "geoms_crc32": zlib.crc32(buf.getvalue()),
        "areas_m2": [geodesic_area_m2(g) for g in geoms],
    }
    members = {
        "dataset.json": json.dumps(info.to_dict(), indent=1, ensure_ascii=False).encode(),
        "records.json": json.dumps(list(records), ensure_ascii=False).encode(),
        "geoms.wkb": buf.getvalue(),
        "areas.json": json.dumps(areas).encode(),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            # A fixed timestamp: the same data gives the same bytes, build after build.
            member = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            zf.writestr(member, data)
    write_bytes_atomic(path, out.getvalue())


_MAX_MEMBER_BYTES = 2 << 30
"""A member of a pack larger than 2 GiB once unpacked is refused (a zip bomb, not zones)."""
_MEMBERS = ("dataset.json", "records.json", "geoms.wkb")
_OPTIONAL_MEMBERS = ("areas.json",)
_INFO_TEXT = ("name", "version", "citation", "licence", "source", "notes")
_RECORD_TEXT = ("name", "pol_type")
_RECORD_LISTS = ("territories", "sovereigns", "iso_codes")
_LON_LAT_SLACK = 1e-6


_Bad = Callable[[str, str], ZoneDataError]


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def read_zonepack(
    path: str | os.PathLike[str],
) -> tuple[DatasetInfo, list[dict[str, Any]], list[BaseGeometry]]:
    """Read a zone pack written by :func:`write_zonepack`.

    Every member and field is checked: a damaged or crafted pack is a :class:`ZoneDataError`
    naming the file, the member and the field, never a crash deep inside a verdict.
    """
    info, records, geoms, _ = read_zonepack_with_areas(path)
    return info, records, geoms


def read_zonepack_with_areas(
    path: str | os.PathLike[str],
) -> tuple[DatasetInfo, list[dict[str, Any]], list[BaseGeometry], list[float] | None]:
    """:func:`read_zonepack`, and the geometries' stored areas (m²): None when the pack has
    none (written before they were stored), measured them by another method than
    :func:`geo.core.shapes.geodesic_area_m2` uses now, or from other geometries."""

    def bad(where: str, problem: str) -> ZoneDataError:
        return ZoneDataError(f"zone pack {os.fspath(path)}: {where} {problem}")

    try:
        with zipfile.ZipFile(path) as zf:
            raw_members: dict[str, bytes] = {}
            names = set(zf.namelist())
            for name in _MEMBERS + _OPTIONAL_MEMBERS:
                if name in _OPTIONAL_MEMBERS and name not in names:
                    continue
                size = zf.getinfo(name).file_size
                if size > _MAX_MEMBER_BYTES:
                    raise bad(name, f"is {size:,} bytes unpacked; the limit is 2 GiB")
                raw_members[name] = zf.read(name)  # checks the member's CRC-32
            geoms_crc = zf.getinfo("geoms.wkb").CRC
    except KeyError as exc:
        raise bad("", f"has no member {exc}; it is not a rangezone zone pack") from None
    except (
        OSError,
        zipfile.BadZipFile,
        EOFError,
        RuntimeError,
        ValueError,
        NotImplementedError,
    ) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise ZoneDataError(f"cannot read zone pack {os.fspath(path)}: {reason}") from None
    info_data = _json_member(raw_members["dataset.json"], "dataset.json", bad)
    info = _checked_info(info_data, bad)
    records = _checked_records(_json_member(raw_members["records.json"], "records.json", bad), bad)
    geoms = _checked_geoms(raw_members["geoms.wkb"], bad)
    if len(geoms) != len(records):
        raise ZoneDataError(
            f"zone pack {os.fspath(path)} is corrupt: {len(geoms)} geometries, "
            f"{len(records)} records"
        )
    areas = None
    if "areas.json" in raw_members:
        areas = _checked_areas(
            _json_member(raw_members["areas.json"], "areas.json", bad), geoms, geoms_crc, bad
        )
    return info, records, geoms, areas


def _json_member(data: bytes, name: str, bad: _Bad) -> Any:
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise bad(name, "is not UTF-8 text") from None
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        raise bad(name, f"is not valid JSON ({' '.join(str(exc).split())[:120]})") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _checked_info(data: Any, bad: _Bad) -> DatasetInfo:
    if not isinstance(data, dict):
        raise bad("dataset.json", f"must be an object of fields, not {_kind(data)}")
    for key in _INFO_TEXT:
        if key in data and not isinstance(data[key], str):
            raise bad(f"dataset.json field '{key}'", f"must be text, not {_kind(data[key])}")
    if "modelled" in data and not isinstance(data["modelled"], bool):
        raise bad(
            "dataset.json field 'modelled'", f"must be true or false, not {_kind(data['modelled'])}"
        )
    if "extra" in data and not isinstance(data["extra"], dict):
        raise bad("dataset.json field 'extra'", f"must be an object, not {_kind(data['extra'])}")
    return DatasetInfo.from_dict(data)


def _checked_records(data: Any, bad: _Bad) -> list[dict[str, Any]]:
    if not isinstance(data, list):
        raise bad("records.json", f"must be a list of records, not {_kind(data)}")
    for i, rec in enumerate(data):
        where = f"records.json[{i}]"
        if not isinstance(rec, dict):
            raise bad(where, f"must be an object of fields, not {_kind(rec)}")
        for key in _RECORD_TEXT:
            if rec.get(key) is not None and not isinstance(rec[key], str):
                raise bad(f"{where} field '{key}'", f"must be text, not {_kind(rec[key])}")
        for key in _RECORD_LISTS:
            value = rec.get(key)
            if value is None:
                continue
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise bad(f"{where} field '{key}'", "must be a list of text")
        mrgid = rec.get("mrgid")
        if mrgid is not None and (isinstance(mrgid, bool) or not isinstance(mrgid, int)):
            raise bad(
                f"{where} field 'mrgid'", f"must be a whole number or null, not {mrgid!r:.40}"
            )
    return data


def _checked_areas(
    data: Any, geoms: Sequence[BaseGeometry], geoms_crc: int, bad: _Bad
) -> list[float] | None:
    """The stored areas, checked; None when another method measured them, or when they were
    not measured from these very geometries (``geoms_crc``: geoms.wkb's CRC-32)."""
    if not isinstance(data, dict):
        raise bad("areas.json", f"must be an object of fields, not {_kind(data)}")
    method = data.get("method")
    if not isinstance(method, str):
        raise bad("areas.json field 'method'", f"must be text, not {_kind(method)}")
    areas = data.get("areas_m2")
    if not isinstance(areas, list):
        raise bad("areas.json field 'areas_m2'", f"must be a list of numbers, not {_kind(areas)}")
    if len(areas) != len(geoms):
        raise bad(
            "areas.json field 'areas_m2'", f"holds {len(areas)} areas for {len(geoms)} geometries"
        )
    for i, a in enumerate(areas):
        if isinstance(a, bool) or not isinstance(a, int | float) or not 0.0 <= a < _MAX_AREA_M2:
            raise bad(
                f"areas.json field 'areas_m2'[{i}]",
                f"must be an area in square metres (0 up to the ellipsoid's), not {a!r:.40}",
            )
    from geo.core.shapes import GEODESIC_AREA_METHOD

    if method != GEODESIC_AREA_METHOD or data.get("geoms_crc32") != geoms_crc:
        return None  # measured again when asked: slower, never wrong
    return [float(a) for a in areas]


_MAX_AREA_M2 = 5.2e14
"""A little over the WGS84 ellipsoid's surface (5.1007e14 m²): no zone can be larger."""


def _checked_geoms(raw: bytes, bad: _Bad) -> list[BaseGeometry]:
    blobs: list[bytes] = []
    pos = 0
    while pos < len(raw):
        if len(raw) - pos < 4:
            raise bad("geoms.wkb", f"is truncated at byte {pos:,} (a length prefix is cut off)")
        (n,) = struct.unpack_from("<I", raw, pos)
        if n > len(raw) - pos - 4:
            raise bad("geoms.wkb", f"is truncated: geometry {len(blobs)} needs {n:,} bytes")
        blobs.append(raw[pos + 4 : pos + 4 + n])
        pos += 4 + n
    if not blobs:
        return []
    try:
        with np.errstate(all="ignore"):  # NaN coordinates: refused below, not warned about
            geoms = shapely.from_wkb(blobs)
    except (shapely.errors.GEOSException, ValueError, TypeError):
        for i, blob in enumerate(blobs):
            try:
                with np.errstate(all="ignore"):
                    shapely.from_wkb(blob)
            except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
                reason = " ".join(str(exc).split())[:120]
                raise bad("geoms.wkb", f"geometry {i} is not valid WKB ({reason})") from None
        raise bad("geoms.wkb", "holds invalid WKB") from None
    types = shapely.get_type_id(geoms)
    for i in np.flatnonzero((types != 3) & (types != 6)).tolist()[:1]:
        g = geoms[i]
        kind = "missing" if g is None else g.geom_type
        raise bad("geoms.wkb", f"geometry {i} is a {kind}; a zone pack holds polygons")
    empty = np.flatnonzero(shapely.is_empty(geoms)).tolist()
    if empty:
        raise bad("geoms.wkb", f"geometry {empty[0]} is empty")
    with np.errstate(all="ignore"):
        bounds = shapely.bounds(geoms)
    finite = np.isfinite(bounds).all(axis=1)
    lim = np.array([-180.0, -90.0, 180.0, 90.0])
    inside = (bounds[:, :2] >= lim[:2] - _LON_LAT_SLACK).all(axis=1) & (
        bounds[:, 2:] <= lim[2:] + _LON_LAT_SLACK
    ).all(axis=1)
    # GEOS leaves NaN vertices out of the bounds: a perimeter is NaN or inf if any vertex is
    # (or, harmlessly, if it overflows), and only such geometries have their vertices looked at
    with np.errstate(all="ignore"):
        suspect = np.flatnonzero(~np.isfinite(shapely.length(geoms)))
    for i in suspect.tolist():
        finite[i] &= bool(np.isfinite(shapely.get_coordinates(geoms[i])).all())
    off = np.flatnonzero(~(finite & inside)).tolist()
    if off:
        raise bad(
            "geoms.wkb",
            f"geometry {off[0]} is not longitude/latitude within -180..180, -90..90 "
            f"(bounds {', '.join(f'{v:g}' for v in bounds[off[0]])})",
        )
    return list(geoms)
