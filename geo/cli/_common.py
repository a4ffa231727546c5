"""Helpers shared by the subcommands: error reporting, output, common options."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from geo.errors import InputError, RangezoneError

EXIT_INPUT = 2
EXIT_FAILURE = 1


def _command_path(group: click.Group, argv: list[str]) -> str:
    """The subcommand named in argv, for errors click raises without a context (a missing
    option value)."""
    sub = next((a for a in argv if not a.startswith("-")), None)
    return f"rangezone {sub}" if sub in group.commands else "rangezone"


def run_main(group: click.Group, argv: list[str]) -> int:
    """Run the click group; turn every expected failure into one stderr line and an exit code."""
    try:
        _reject_repeated_options(group, argv)
        rv = group.main(args=argv, prog_name="rangezone", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("rangezone: aborted", err=True)
        return EXIT_FAILURE
    except click.UsageError as exc:
        msg = exc.format_message().splitlines()[0] if exc.format_message() else str(exc)
        cmd = exc.ctx.command_path if exc.ctx else _command_path(group, argv)
        click.echo(f"{cmd}: error: {msg} (see '{cmd} --help')", err=True)
        return EXIT_INPUT
    except click.ClickException as exc:
        click.echo(f"rangezone: error: {exc.format_message()}", err=True)
        return exc.exit_code
    except InputError as exc:
        click.echo(f"rangezone: error: {_one_line(exc)}", err=True)
        return EXIT_INPUT
    except RangezoneError as exc:
        click.echo(f"rangezone: error: {_one_line(exc)}", err=True)
        return EXIT_FAILURE
    except OSError as exc:
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        click.echo(f"rangezone: error: {where}{exc.strerror or exc}", err=True)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        click.echo("rangezone: interrupted", err=True)
        return 130
    return int(rv) if isinstance(rv, int) else 0


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
        name = arg.split("=", 1)[0]
        opt = next((p for p in cmd.params if isinstance(p, click.Option) and name in p.opts), None)
        if opt is None:
            continue
        if not opt.is_flag and "=" not in arg:
            next(args, None)
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
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def emit_json(data: Any, output: str | None = None) -> None:
    emit_text(json.dumps(data, indent=2, ensure_ascii=False), output)
