"""Atomic file writes: a temporary file in the target folder, then a rename.

A failed write raises :class:`OutputPathError` (the path cannot be written: missing or
read-only folder, a file where a folder should be...) or :class:`WriteError` (the disk
failed or filled up). Both name the user's target path, never the hidden temporary file,
and leave no temporary file behind.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from geo.errors import OutputPathError, WriteError

# Failures that the user fixes by choosing another path.
_PATH_ERRNOS = frozenset(
    {
        errno.ENOENT,
        errno.ENOTDIR,
        errno.EISDIR,
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
        errno.EEXIST,
        errno.ENAMETOOLONG,
        errno.ELOOP,
        errno.EINVAL,
    }
)


def _write_error(target: str, exc: OSError, tmp: Path | None = None) -> WriteError:
    """One line naming ``target`` and the OS reason."""
    reason = exc.strerror
    if not reason:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if tmp is not None:
            reason = reason.replace(str(tmp), target)
    cls = OutputPathError if exc.errno in _PATH_ERRNOS else WriteError
    return cls(f"cannot write {target}: {reason}")


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` if the block succeeds.

    For writers (GDAL, matplotlib) that want a file name rather than a handle. Missing
    folders are created. An ``OSError`` while preparing, writing or renaming becomes a
    :class:`WriteError` naming ``path``.
    """
    shown = os.fspath(path)
    target = Path(path)
    try:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            # mkdir's "File exists" would puzzle: the parent is a file, not a folder.
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)) from None
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent
        )
        os.close(fd)
    except OSError as exc:
        raise _write_error(shown, exc) from None
    tmp_path = Path(tmp)
    try:
        tmp_path.unlink()  # some writers refuse to overwrite an existing file
        yield tmp_path
        os.replace(tmp_path, target)
    except OSError as exc:
        raise _write_error(shown, exc, tmp_path) from None
    finally:
        tmp_path.unlink(missing_ok=True)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_with(path: str | os.PathLike[str], writer: Callable[[Path], None]) -> None:
    """Call ``writer(tmp_path)`` and move the result into place only if it succeeds."""
    with atomic_path(path) as tmp:
        writer(tmp)
