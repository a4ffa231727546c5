"""Helpers shared by the subcommands: error reporting, output, common options."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

import click

from geo.errors import GEODESIC_LEG_HINT, InputError, RangezoneError

EXIT_INPUT = 2
EXIT_FAILURE = 1

_BAD_PATH_ERRNOS = frozenset(
    {errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG, errno.ELOOP, errno.EINVAL}
)


def _command_path(group: click.Group, argv: list[str]) -> str:
    """The subcommand named in argv, for errors click raises without a context (a missing
    option value)."""
    sub = next((a for a in argv if not a.startswith("-")), None)
    return f"rangezone {sub}" if sub in group.commands else "rangezone"


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived. A BaseException, not KeyboardInterrupt, so that click does
    not turn it into Abort (with a blank line) and no ``except Exception`` swallows it; the
    ``finally`` blocks of the writers remove their temporary files on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, frame: object) -> None:
    # A second signal while the first one's clean-up runs must not cut the clean-up short.
    signal.signal(signum, signal.SIG_IGN)
    raise Interrupted(signum)


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Interrupted` while the command runs (main thread
    only: signal handlers cannot be set elsewhere)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def run_main(group: click.Group, argv: list[str]) -> int:
    """Run the click group; turn every expected failure into one stderr line and an exit code.

    Exit codes: 0 done, 2 bad input (values, paths, files, scenarios), 1 the environment
    (network, disk, permissions), 130 interrupted (SIGINT), 143 terminated (SIGTERM).
    """
    try:
        with _signals_raise():
            return _run(group, argv)
    except Interrupted as exc:
        what = "interrupted" if exc.signum == signal.SIGINT else "terminated"
        message(f"rangezone: {what}")
        return 128 + exc.signum


def message(text: str) -> None:
    """One message line on stderr, whatever the text holds: line breaks become spaces, and control
    characters (a terminal escape in a file name) and undecodable bytes come out escaped."""
    line = " ".join(text.split())
    if not line.isprintable():
        line = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in line)
    try:
        click.echo(line, err=True)
    except UnicodeEncodeError:
        click.echo(line.encode("utf-8", "backslashreplace").decode("ascii", "replace"), err=True)


def _run(group: click.Group, argv: list[str]) -> int:
    try:
        _check_arguments(argv)
        _reject_repeated_options(group, argv)
        rv = group.main(args=argv, prog_name="rangezone", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):
            message("rangezone: interrupted")
            return 130
        message("rangezone: aborted")
        return EXIT_FAILURE
    except click.UsageError as exc:
        msg = exc.format_message().splitlines()[0] if exc.format_message() else str(exc)
        cmd = exc.ctx.command_path if exc.ctx else _command_path(group, argv)
        message(f"{cmd}: error: {msg} (see '{cmd} --help')")
        return EXIT_INPUT
    except click.ClickException as exc:
        message(f"rangezone: error: {exc.format_message()}")
        return exc.exit_code
    except InputError as exc:
        text = _one_line(exc).replace(GEODESIC_LEG_HINT, "use --leg geodesic")
        message(f"rangezone: error: {text}")
        return EXIT_INPUT
    except RangezoneError as exc:
        message(f"rangezone: error: {_one_line(exc)}")
        return EXIT_FAILURE
    except OSError as exc:
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        message(f"rangezone: error: {where}{exc.strerror or exc}")
        # a path that cannot name a file is the user's to fix; a disk or device failure is not
        return EXIT_INPUT if exc.errno in _BAD_PATH_ERRNOS else EXIT_FAILURE
    except KeyboardInterrupt:
        message("rangezone: interrupted")
        return 130
    except MemoryError:
        message("rangezone: error: out of memory")
        return EXIT_FAILURE
    except Exception as exc:
        # A bug: still one line (the contract), but saying so; RANGEZONE_DEBUG=1 shows it all.
        if os.environ.get("RANGEZONE_DEBUG"):
            raise
        message(
            f"rangezone: internal error ({type(exc).__name__}: {_one_line(exc)[:300]}); "
            "please report it (RANGEZONE_DEBUG=1 shows the traceback)"
        )
        return EXIT_FAILURE
    return int(rv) if isinstance(rv, int) else 0


def _check_arguments(argv: list[str]) -> None:
    """Arguments must be text: undecodable bytes (Python hands them on as lone surrogates)
    and NUL would fail later, deep inside a writer, or end up in a report."""
    for arg in argv:
        bad = next((ch for ch in arg if "\ud800" <= ch <= "\udfff" or ch == "\0"), None)
        if bad is not None:
            shown = arg.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
            raise click.UsageError(
                f"argument '{shown[:80]}' is not valid text (undecodable bytes or NUL): "
                "rename the file or retype the value"
            )


def _reject_repeated_options(group: click.Group, argv: list[str]) -> None:
    """click keeps the last of a repeated single-valued option; a user who wrote
    ``--range 400km --range 600km`` meant both, so say it cannot be done instead."""
    args = iter(argv)
    cmd: click.Command = group
    seen: dict[str, str] = {}
    for arg in args:
        if arg == "--":
            return
        if not arg.startswith("-") or arg == "-":
            sub = cmd.commands.get(arg) if isinstance(cmd, click.Group) else None
            if sub is not None:
                cmd, seen = sub, {}
            continue
        name, eq, inline = arg.partition("=")
        opt = next((p for p in cmd.params if isinstance(p, click.Option) and name in p.opts), None)
        if opt is None:
            continue
        if not opt.is_flag:
            value = inline if eq else next(args, None)
            if value == "":
                # --range '' would otherwise read as "not given" and quietly do something else
                raise click.UsageError(f"{name} is empty: give a value")
        if opt.multiple or opt.count:
            continue
        key = str(opt.name)
        if key in seen:
            raise click.UsageError(f"{seen[key]} given more than once; give it once")
        seen[key] = "/".join(opt.opts)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def emit_text(text: str, output: str | None) -> None:
    """Write data to ``output`` atomically, or to stdout when no path is given."""
    from geo.access.atomic import write_text_atomic

    if output and output != "-":
        write_text_atomic(output, text if text.endswith("\n") else text + "\n")
        message(f"wrote {output}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def emit_json(data: Any, output: str | None = None) -> None:
    emit_text(json.dumps(data, indent=2, ensure_ascii=False), output)
