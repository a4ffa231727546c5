"""Classified locate grids shipped beside a zone pack, so the first ``locate`` is warm.

``Zones.locate`` answers points from a 0.1° grid whose cells hold a zone index, "no zone" or
"mixed" (a boundary crosses the cell). Built lazily, the cells that 1,000,000 worldwide points
touch take seconds; the whole grid of the shipped packs compresses to ~150 KB. A grid file
(``NAME.grid.bin`` beside ``NAME.zip``) holds:

- the line ``RZGRID1``;
- one JSON line: ``cell_deg``, ``nrows``, ``ncols``, ``zones`` (count) and ``pack_sha256``
  (the SHA-256 of the pack file's bytes: a grid is used only with the exact pack it was built
  from);
- the cells, row-major from (-180°, -90°), as little-endian int16 compressed with zlib.

A missing, stale or damaged grid file is ignored (the grid is then built lazily as before):
it only makes the first call faster and never changes an answer.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from geo.access.atomic import write_bytes_atomic

if TYPE_CHECKING:
    from geo.access.zones import Zones

MAGIC = b"RZGRID1\n"
_MAX_HEADER = 4096
_UNKNOWN = -3


def grid_path(pack: Path) -> Path:
    """Where the grid of a pack lives: ``NAME.grid.bin`` beside ``NAME.zip``."""
    return pack.with_name(pack.stem + ".grid.bin")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def encode_grid(grid: npt.NDArray[np.int32], zones: Zones, pack_sha256: str) -> bytes:
    """The bytes of a grid file for ``zones`` (loaded from the pack with that hash)."""
    if grid.size != zones._nrows * zones._ncols:
        raise ValueError("grid size does not match the zone set's cell grid")
    if np.any(grid == _UNKNOWN):
        raise ValueError("grid has unclassified cells: classify every cell first")
    header = {
        "cell_deg": zones.CELL_DEG,
        "nrows": zones._nrows,
        "ncols": zones._ncols,
        "zones": len(zones),
        "pack_sha256": pack_sha256,
    }
    body = zlib.compress(grid.astype("<i2").tobytes(), 9)
    return MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + body


def build_grid(zones: Zones) -> npt.NDArray[np.int32]:
    """Classify every cell of ``zones``' grid (seconds to tens of seconds)."""
    zones._classify_cells(np.arange(zones._nrows * zones._ncols, dtype=np.int64))
    return zones._grid


def write_grid(pack: Path, zones: Zones) -> Path:
    """Build the whole grid of ``zones`` (loaded from ``pack``) and write it beside the pack."""
    grid = build_grid(zones)
    out = grid_path(pack)
    write_bytes_atomic(out, encode_grid(grid, zones, file_sha256(pack)))
    return out


def read_grid(path: Path, zones: Zones, pack_sha256: str) -> npt.NDArray[np.int32] | None:
    """The grid stored at ``path`` if it was built for this pack and zone set, else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(MAGIC):
        return None
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + _MAX_HEADER)
    if end < 0:
        return None
    try:
        header = json.loads(data[len(MAGIC) : end])
    except (ValueError, UnicodeDecodeError):
        return None
    expected = {
        "cell_deg": zones.CELL_DEG,
        "nrows": zones._nrows,
        "ncols": zones._ncols,
        "zones": len(zones),
        "pack_sha256": pack_sha256,
    }
    if not isinstance(header, dict) or any(header.get(k) != v for k, v in expected.items()):
        return None
    size = zones._nrows * zones._ncols * 2
    try:
        d = zlib.decompressobj()
        raw = d.decompress(data[end + 1 :], size + 1)  # bounded: a bomb stops at size + 1
    except zlib.error:
        return None
    if len(raw) != size or not d.eof:
        return None
    grid = np.frombuffer(raw, dtype="<i2").astype(np.int32)
    if grid.min() < _UNKNOWN or grid.max() >= len(zones):
        return None
    return grid
