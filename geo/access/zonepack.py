"""The zone pack: rangezone's own compact file for a set of polygons with attributes.

A zone pack is a zip archive holding ``dataset.json`` (what the data is and where it came
from), ``records.json`` (one attribute dict per geometry) and ``geoms.wkb`` (the geometries
as WKB, each prefixed by its byte length as a little-endian uint32). It loads with shapely
alone, which keeps a single ``rangezone check`` fast: no GDAL, no pandas.
"""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
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
    buf = io.BytesIO()
    for blob in shapely.to_wkb(list(geoms)):
        buf.write(struct.pack("<I", len(blob)))
        buf.write(blob)
    members = {
        "dataset.json": json.dumps(info.to_dict(), indent=1, ensure_ascii=False).encode(),
        "records.json": json.dumps(list(records), ensure_ascii=False).encode(),
        "geoms.wkb": buf.getvalue(),
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


def read_zonepack(
    path: str | os.PathLike[str],
) -> tuple[DatasetInfo, list[dict[str, Any]], list[BaseGeometry]]:
    """Read a zone pack written by :func:`write_zonepack`."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = DatasetInfo.from_dict(json.loads(zf.read("dataset.json")))
            records = json.loads(zf.read("records.json"))
            raw = zf.read("geoms.wkb")
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise ZoneDataError(f"cannot read zone pack {path}: {exc}") from None
    blobs = []
    pos = 0
    while pos < len(raw):
        (n,) = struct.unpack_from("<I", raw, pos)
        blobs.append(raw[pos + 4 : pos + 4 + n])
        pos += 4 + n
    geoms = list(shapely.from_wkb(blobs)) if blobs else []
    if len(geoms) != len(records):
        raise ZoneDataError(
            f"zone pack {path} is corrupt: {len(geoms)} geometries, {len(records)} records"
        )
    return info, records, geoms
