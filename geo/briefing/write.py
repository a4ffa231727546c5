"""Write a computed briefing to every output its scenario lists: each writer gets the same
:class:`~geo.briefing.results.Briefing`, nothing is computed again per output."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from geo.briefing.results import Briefing, report_record
from geo.errors import WriteError

if TYPE_CHECKING:
    from geo.present.image import ImageFormat

STEM = "map"
"""Maps and slides are written as ``map.html``, ``map.png``...; layers as ``layers.*``."""

IMAGE_FORMATS = ("png", "svg", "pdf")


def write_outputs(
    b: Briefing,
    out_dir: Path,
    *,
    online_tiles: str | None = None,
    width: str | None = None,
    height: str | None = None,
    slide_worker: SlideWorker | None = None,
) -> list[Path]:
    """Write every output of ``b.scenario`` into ``out_dir``; the paths written are added to
    ``b.written`` and returned. ``online_tiles``, ``width`` and ``height`` go to the HTML map
    (see ``render_html``); ``slide_worker`` (see :class:`SlideWorker`) draws the slide.

    All or nothing: the outputs are written into a temporary folder and moved into
    ``out_dir`` only when every one succeeded (:func:`geo.access.atomic.staged_folder`)."""
    from geo.access.atomic import staged_folder

    with staged_folder(out_dir) as stage:
        written = _write_all(
            b, stage.dir, online_tiles=online_tiles, width=width, height=height, worker=slide_worker
        )
    written = [stage.final(p) for p in written]
    b.written += written
    return written


def _write_all(
    b: Briefing,
    out_dir: Path,
    *,
    online_tiles: str | None,
    width: str | None,
    height: str | None,
    worker: SlideWorker | None = None,
) -> list[Path]:
    outputs = b.scenario.outputs
    images = [f for f in outputs if f in IMAGE_FORMATS]
    others = [f for f in outputs if f not in IMAGE_FORMATS]
    # The slide (the slowest output) is drawn in a second process while this one writes
    # the page and the layers, when the machine has a core to spare.
    job: _Job | SlideWorker | None = None
    if images and others:
        if worker is not None and worker.submit(b, out_dir, images):
            job = worker
        else:
            job = _Job.start(lambda: _write_images(b, out_dir, images))
    written: list[Path] = []
    try:
        for fmt in outputs:
            if fmt == "report":
                from geo.present.report import write_report

                written += write_report(report_record(b), out_dir / "report")
            elif fmt == "html":
                from geo.present.html_map import write_html

                path = out_dir / f"{STEM}.html"
                write_html(b.content, path, online_tiles=online_tiles, width=width, height=height)
                written.append(path)
            elif fmt in IMAGE_FORMATS:
                if fmt != images[0]:
                    continue  # drawn with the first image format
                if job is None:
                    written += _write_images(b, out_dir, images)
                else:
                    written += _image_paths(out_dir, images)
            else:
                from geo.present import exports

                writer = {
                    "geojson": exports.write_geojson,
                    "kml": exports.write_kml,
                    "gpkg": exports.write_gpkg,
                }[fmt]
                path = out_dir / f"layers.{fmt}"
                writer(b.content, path)
                written.append(path)
        if job is not None:
            job.wait()
    except BaseException:
        if job is not None:
            job.stop()
        raise
    return written


def _image_paths(out_dir: Path, formats: list[str]) -> list[Path]:
    return [out_dir / f"{STEM}.{fmt}" for fmt in formats]


def _write_images(b: Briefing, out_dir: Path, formats: list[str]) -> list[Path]:
    """The slide drawn once and saved in every requested image format."""
    from geo.present.image import render_images

    targets = [(p, cast("ImageFormat", p.suffix[1:])) for p in _image_paths(out_dir, formats)]
    return render_images(b.content, targets, dpi=b.scenario.image_dpi, beside=_Job.start)


class _Job:
    """Work done in a forked child process: its failure is raised again in the parent, and
    the child dies with the parent (a killed build leaves no writer behind)."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd

    @staticmethod
    def possible() -> bool:
        """Fork only where it is safe and useful: Linux, a second CPU, and no other thread
        (a notebook kernel has some; a forked child could inherit a held lock)."""
        return (
            sys.platform.startswith("linux")
            and len(os.sched_getaffinity(0)) > 1
            and threading.active_count() == 1
            and os.environ.get("RANGEZONE_JOBS", "") != "1"
        )

    @classmethod
    def start(cls, work: Callable[[], object]) -> _Job | None:
        if not cls.possible():
            return None
        read, write = os.pipe()
        # No signal handler may run during the fork (it would be lost in the fork hooks) or
        # before the parent holds the child (which would be left running): block them.
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's stack
            code = 1
            try:
                os.close(read)
                _die_with_parent()
                signal.pthread_sigmask(signal.SIG_SETMASK, old)
                payload = b""
                try:
                    work()
                    code = 0
                except BaseException as exc:  # sent to the parent, which raises it
                    payload = _pickled(exc)
                with os.fdopen(write, "wb") as f:
                    f.write(payload)
            finally:
                os._exit(code)
        os.close(write)
        job = cls(pid, read)
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)  # a pending signal raises here
        except BaseException:
            job.stop()
            raise
        return job

    def wait(self) -> None:
        """Wait for the child; raise what it raised."""
        with os.fdopen(self.fd, "rb") as f:
            payload = f.read()
        _, status = os.waitpid(self.pid, 0)
        if payload:
            raise _unpickled(payload)
        if os.waitstatus_to_exitcode(status) != 0:
            raise WriteError("the slide images were not written: their writer process died")

    def stop(self) -> None:
        """Kill the child (the parent failed or was interrupted) before its files are
        cleaned up."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            os.close(self.fd)


def wants_slide_worker(outputs: tuple[str, ...]) -> bool:
    """Whether a build of these outputs draws its slide beside the other outputs."""
    return any(f in IMAGE_FORMATS for f in outputs) and any(f not in IMAGE_FORMATS for f in outputs)


class SlideWorker:
    """A forked child that loads the slide renderer (matplotlib: the slowest import) while
    the parent computes the briefing, then draws the slide it is sent.

    Start it before computing, hand it to :func:`write_outputs`, and always :meth:`stop` it
    (a no-op once it has finished). Same safety rules as the job :func:`write_outputs` would
    fork otherwise: signals blocked across the fork, killed with its parent, its exception
    raised in the parent."""

    def __init__(self, pid: int, to_child: int, from_child: int) -> None:
        self.pid, self.to_child, self.from_child = pid, to_child, from_child
        self.done = False

    @classmethod
    def start(cls) -> SlideWorker | None:
        if not _Job.possible():
            return None
        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's stack
            code = 1
            try:
                os.close(down_w)
                os.close(up_r)
                _die_with_parent()
                signal.pthread_sigmask(signal.SIG_SETMASK, old)
                payload = b""
                try:
                    code = _draw_sent_slide(down_r)
                except BaseException as exc:  # sent to the parent, which raises it
                    payload = _pickled(exc)
                with os.fdopen(up_w, "wb") as f:
                    f.write(payload)
            finally:
                os._exit(code)
        os.close(down_r)
        os.close(up_w)
        worker = cls(pid, down_w, up_r)
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)  # a pending signal raises here
        except BaseException:
            worker.stop()
            raise
        return worker

    def submit(self, b: Briefing, out_dir: Path, formats: list[str]) -> bool:
        """Send the slide to draw (through a file in ``out_dir``, so that the pipe never
        blocks); False when the content cannot be sent (the caller draws it itself)."""
        from geo.access.atomic import TEMP_PREFIX

        targets = [(p, p.suffix[1:]) for p in _image_paths(out_dir, formats)]
        try:
            data = pickle.dumps((b.content, targets, b.scenario.image_dpi))
        except Exception:
            self.stop()
            return False
        parcel = out_dir / f"{TEMP_PREFIX}{os.getpid()}-slide.pickle"
        parcel.write_bytes(data)
        fd, self.to_child = self.to_child, -1
        # A child that already failed has closed its end: wait() raises its error.
        with contextlib.suppress(BrokenPipeError), os.fdopen(fd, "wb") as f:
            f.write(os.fsencode(parcel))
        return True

    def wait(self) -> None:
        """Wait for the slide; raise what the child raised."""
        self.done = True
        with contextlib.suppress(OSError):
            if self.to_child >= 0:
                os.close(self.to_child)
        with os.fdopen(self.from_child, "rb") as f:
            payload = f.read()
        _, status = os.waitpid(self.pid, 0)
        if payload:
            raise _unpickled(payload)
        if os.waitstatus_to_exitcode(status) != 0:
            raise WriteError("the slide images were not written: their writer process died")

    def stop(self) -> None:
        """Kill the child unless it finished (nothing to draw, or the parent failed)."""
        if self.done:
            return
        self.done = True
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)
        for fd in (self.to_child, self.from_child):
            with contextlib.suppress(OSError):
                if fd >= 0:
                    os.close(fd)


def _draw_sent_slide(fd: int) -> int:
    """In the child: load the renderer, then draw what the parent sends (0: done or
    nothing sent)."""
    from geo.present.image import render_images

    with os.fdopen(fd, "rb") as f:
        parcel = os.fsdecode(f.read())
    if not parcel:
        return 0
    path = Path(parcel)
    content, targets, dpi = pickle.loads(path.read_bytes())
    path.unlink()
    render_images(content, targets, dpi=dpi, beside=_Job.start)
    return 0


def _die_with_parent() -> None:
    """PR_SET_PDEATHSIG: the kernel kills this process when its parent dies."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the parent died before the call above
        os._exit(1)


def _pickled(exc: BaseException) -> bytes:
    try:
        return pickle.dumps(exc)
    except Exception:  # an exception that cannot travel: its message does
        return pickle.dumps(WriteError(f"{type(exc).__name__}: {exc}"))


def _unpickled(payload: bytes) -> BaseException:
    try:
        exc = pickle.loads(payload)
    except Exception:
        return WriteError("the slide images were not written")
    return exc if isinstance(exc, BaseException) else WriteError(str(exc))
