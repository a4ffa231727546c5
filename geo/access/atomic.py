"""Atomic file writes: a temporary file in the target folder, then a rename.

A failed write raises :class:`OutputPathError` (the path cannot be written: missing or
read-only folder, a file where a folder should be...) or :class:`WriteError` (the disk
failed or filled up). Both name the user's target path, never the hidden temporary file,
and leave no temporary file behind.

Temporary files and folders are named ``.rangezone-tmp-PID-...``: a process killed outright
(SIGKILL, power loss) cannot remove its own, so the next write into the same folder removes
those whose process is gone (:func:`sweep_temp`). :func:`staged_folder` makes a set of
outputs all-or-nothing: everything is written into a temporary folder and moved into place
only when every output succeeded.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from geo.errors import OutputPathError, WriteError

TEMP_PREFIX = ".rangezone-tmp-"
"""Every temporary file or folder rangezone makes starts with this, then the writer's PID."""

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


def _temp_prefix(name: str) -> str:
    # the target's name is kept (shortened) so that a leftover says what it was
    return f"{TEMP_PREFIX}{os.getpid()}-{name[:80]}."


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # EPERM: alive, someone else's
        return False
    return False


def sweep_temp(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files and folders in ``folder`` left by rangezone processes that
    no longer run (killed while writing); return what was removed. Never raises."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        pid_text = entry.name[len(TEMP_PREFIX) :].split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        if not _process_gone(int(pid_text)):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def _prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        # mkdir's "File exists" would puzzle: the folder is a file.
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)) from None


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` if the block succeeds.

    For writers (GDAL, matplotlib) that want a file name rather than a handle. Missing
    folders are created. An ``OSError`` while preparing, writing or renaming becomes a
    :class:`WriteError` naming ``path``. The temporary file is removed on any failure,
    including an interrupt (SIGINT, SIGTERM: see ``geo.cli._common``).
    """
    shown = os.fspath(path)
    target = Path(path)
    try:
        _prepare_folder(target.parent)
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        sweep_temp(target.parent)
        fd, tmp = tempfile.mkstemp(
            prefix=_temp_prefix(target.name), suffix=target.suffix, dir=target.parent
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


class StagedFolder:
    """The temporary folder of :func:`staged_folder`: write outputs into :attr:`dir`."""

    def __init__(self, target: Path, work: Path) -> None:
        self.target = target
        self.dir = work

    def path(self, name: str) -> Path:
        """Where to write the output ``name``: a plain file name, never a path that could
        leave the output folder."""
        if not name or name in (".", "..") or "/" in name or os.sep in name or "\0" in name:
            raise OutputPathError(f"output name {name!r} is not a plain file name")
        return self.dir / name

    def final(self, path: Path) -> Path:
        """Where ``path`` (inside :attr:`dir`) ends up once the outputs are moved into place."""
        return self.target / path.relative_to(self.dir)


@contextmanager
def staged_folder(target: str | os.PathLike[str]) -> Iterator[StagedFolder]:
    """All-or-nothing outputs: yield a temporary folder inside ``target``; when the block
    succeeds, move every file written there into ``target`` (replacing older outputs of the
    same names); when it fails, remove it and leave ``target`` as it was.

    ``target`` is created if missing (and removed again if the block fails and it is still
    empty). A ``target`` that is a file, or cannot be created, is an :class:`OutputPathError`.
    """
    shown = os.fspath(target)
    folder = Path(target)
    created = not folder.exists()
    try:
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder")
        _prepare_folder(folder)
        sweep_temp(folder)
        work = Path(tempfile.mkdtemp(prefix=_temp_prefix("outputs"), dir=folder))
    except OSError as exc:
        raise _write_error(shown, exc) from None
    try:
        yield StagedFolder(folder, work)
        names = sorted(p.name for p in work.iterdir() if not p.name.startswith(TEMP_PREFIX))
        for name in names:
            try:
                os.replace(work / name, folder / name)
            except OSError as exc:
                raise _write_error(str(folder / name), exc) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):  # not empty: someone else wrote there meanwhile
                folder.rmdir()
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_with(path: str | os.PathLike[str], writer: Callable[[Path], None]) -> None:
    """Call ``writer(tmp_path)`` and move the result into place only if it succeeds.

    A GDAL or SQLite write failure (pyogrio's errors, ``sqlite3.OperationalError``: a full
    disk, an I/O error) becomes a :class:`WriteError` naming ``path``, as an ``OSError`` does."""
    with atomic_path(path) as tmp:
        try:
            writer(tmp)
        except Exception as exc:
            module = type(exc).__module__
            if not (module.startswith("pyogrio") or module == "sqlite3"):
                raise
            reason = " ".join(str(exc).split()).replace(str(tmp), os.fspath(path))
            raise WriteError(f"cannot write {os.fspath(path)}: {reason[:300]}") from None
