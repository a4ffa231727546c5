"""The per-user data directory: imported or fetched zone sets, the active one, the WFS cache.

Where it is: ``$RANGEZONE_DATA_DIR`` if set, else ``$XDG_DATA_HOME/rangezone``, else
``~/.local/share/rangezone``. Inside:

- ``datasets/NAME.zip`` — zone packs written by :func:`register_dataset`;
- ``active.json`` — which pack every command uses when no ``--eez`` is given;
- ``cache/`` — downloaded WFS responses.

Official data stays on the user's side: nothing here is shipped with rangezone.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.access.zonepack import DatasetInfo, write_zonepack
from geo.errors import ActiveDatasetError, InputError

ENV_DATA_DIR = "RANGEZONE_DATA_DIR"
ACTIVE_FILE = "active.json"


def data_dir() -> Path:
    """The per-user data directory (not created here)."""
    explicit = os.environ.get(ENV_DATA_DIR, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    # the XDG spec says relative values are invalid and must be ignored
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "rangezone"
    return Path.home() / ".local" / "share" / "rangezone"


def datasets_dir() -> Path:
    return data_dir() / "datasets"


def cache_dir() -> Path:
    """Where downloaded WFS responses are kept (created on demand)."""
    path = data_dir() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


_MAX_ACTIVE_BYTES = 64 * 1024
_FIX = (
    "run 'rangezone eez use default' (back to the modelled default) or 'rangezone eez import' again"
)


def _active_record() -> dict[str, Any] | None:
    """The parsed ``active.json``, each field checked; :class:`ActiveDatasetError` names the
    file, the field and the way out when it is damaged."""
    path = data_dir() / ACTIVE_FILE
    try:
        with path.open("rb") as fh:
            data = fh.read(_MAX_ACTIVE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ActiveDatasetError(f"cannot read {path}: {exc.strerror or exc}") from None

    def corrupt(problem: str) -> ActiveDatasetError:
        return ActiveDatasetError(f"{path} is corrupt ({problem}); {_FIX}")

    if len(data) > _MAX_ACTIVE_BYTES:
        raise corrupt(f"larger than {_MAX_ACTIVE_BYTES // 1024} KiB")
    try:
        record = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise corrupt("not UTF-8 text") from None
    except (ValueError, RecursionError):
        raise corrupt("not valid JSON") from None
    if not isinstance(record, dict):
        raise corrupt("not a JSON object")
    where = record.get("path")
    if not isinstance(where, str) or not where.strip():
        raise corrupt("field 'path' must be the path of a zone pack")
    if "\0" in where or len(where) > 4096:
        raise corrupt("field 'path' is not a usable path")
    for key in ("name", "dataset", "registered"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise corrupt(f"field '{key}' must be text")
    return record


@contextlib.contextmanager
def _registry_lock() -> Iterator[None]:
    """Serialise changes to the registry (pack + active.json) between processes: two
    concurrent 'eez import' runs each leave a complete pack, and active.json names one."""
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # not POSIX: each write is still atomic on its own
            yield
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def active_dataset_path() -> Path | None:
    """The zone pack registered as active, or None: the caller then uses the embedded default.

    A registered pack that has gone missing is an error, not a silent fall-back to modelled
    data: the user asked for official zones.
    """
    path = active_dataset_record_path()
    if path is None:
        return None
    if not path.is_file():
        raise ActiveDatasetError(
            f"the active zone set {path} is missing; run 'rangezone eez import' or "
            "'rangezone eez fetch' again, or 'rangezone eez use default' for the modelled "
            "default"
        )
    return path


def active_dataset_record_path() -> Path | None:
    """Where the registered active zone set should be, present or not (None: the default).

    For listings, which must work when the pack has gone missing; everything that loads
    zones goes through :func:`active_dataset_path`, which fails then.
    """
    record = _active_record()
    if record is None:
        return None
    path = Path(record["path"])
    return path if path.is_absolute() else data_dir() / path


def active_dataset_name() -> str | None:
    """The name the active zone set was registered under, if any."""
    record = _active_record()
    if record is None:
        return None
    return str(record.get("name") or "") or None


def slugify(name: str) -> str:
    """A file-name-safe form of a dataset name."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name.strip()).strip("-._")
    return slug[:80] or "zones"


RESERVED_NAME = "default"
"""``eez use default`` goes back to the embedded modelled zones: no zone set may take it."""

NAME_CHARACTERS = "letters, digits, '.', '_' and '-'"


def dataset_name(name: str) -> str:
    """The name a zone set is stored and listed under: :func:`slugify` of ``name``.

    :class:`InputError` for a name that is reserved (``default``, any case) or that has
    nothing to keep (``/``, ``..``).
    """
    if not re.search(r"[A-Za-z0-9]", name):
        raise InputError(f"zone set name {name!r} has no letters or digits; use {NAME_CHARACTERS}")
    slug = slugify(name)
    if slug.casefold() == RESERVED_NAME:
        raise InputError(
            f"zone set name {name!r} is reserved: 'rangezone eez use default' selects the "
            "embedded modelled zones; choose another name with --name"
        )
    return slug


def registered_datasets() -> list[str]:
    """Names of the zone packs under the data directory, as ``eez use`` takes them."""
    folder = datasets_dir()
    if not folder.is_dir():
        return []
    # hidden names are temporary files of a write in progress (geo.access.atomic)
    return sorted(p.stem for p in folder.glob("*.zip") if not p.name.startswith("."))


def use_dataset(name: str) -> Path | None:
    """Make the registered pack ``name`` the active zone set, or with ``default`` go back to
    the embedded modelled layer. Returns the pack's path (None for the default)."""
    from geo.access.atomic import write_text_atomic

    active = data_dir() / ACTIVE_FILE
    if name.strip().casefold() == RESERVED_NAME:
        # works whatever state active.json is in: the way out of a damaged registry
        active.unlink(missing_ok=True)
        return None
    with _registry_lock():
        known = registered_datasets()
        stem = slugify(name)
        if stem not in known:
            have = ", ".join(known) if known else "none; use 'rangezone eez import' first"
            raise InputError(f"no registered zone set {name!r} (registered: {have}; or 'default')")
        target = datasets_dir() / f"{stem}.zip"
        record = {
            "path": str(target.relative_to(data_dir())),
            "name": stem,
            "registered": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        write_text_atomic(active, json.dumps(record, indent=1) + "\n")
    return target


def register_dataset(
    info: DatasetInfo,
    records: Sequence[dict[str, Any]],
    geoms: Sequence[BaseGeometry],
    name: str,
) -> Path:
    """Write a zone pack under the data directory and make it the active zone set.

    It is stored as ``datasets/STEM.zip`` with STEM = :func:`dataset_name` of ``name``, the
    name ``eez list`` shows and ``eez use`` takes.
    """
    from geo.access.atomic import write_text_atomic

    stem = dataset_name(name)
    target = datasets_dir() / f"{stem}.zip"
    with _registry_lock():
        write_zonepack(target, info, records, geoms)
        record = {
            "path": str(target.relative_to(data_dir())),
            "name": stem,
            "dataset": info.name,
            "features": len(records),
            "registered": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        write_text_atomic(data_dir() / ACTIVE_FILE, json.dumps(record, indent=1) + "\n")
    return target
