"""Running ``rangezone`` in-process for the CLI tests: ``geo.cli.main`` with pytest's capsys.

One subprocess costs ~0.5 s of interpreter start-up and imports; ``main`` in-process costs
nothing extra, so only tests of the installed console script itself start a process.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

import pytest

from geo.cli import main


class CliResult(NamedTuple):
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> CliResult:
    """Exit code, stdout and stderr of ``rangezone ARGV``."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return CliResult(code, out, err)


def run_ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Stdout of a run that must succeed silently (exit 0, nothing on stderr)."""
    result = run(capsys, *argv)
    assert (result.code, result.err) == (0, ""), result
    return result.out


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    """Stdout of a silent, successful run, parsed as JSON."""
    return json.loads(run_ok(capsys, *argv))


def run_error(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 2) -> str:
    """The one stderr line of a run that must fail with ``code`` and print nothing else.

    No traceback, nothing on stdout, exactly one line (ending in a newline) on stderr.
    """
    result = run(capsys, *argv)
    assert "Traceback" not in result.err, result.err
    assert (result.code, result.out) == (code, ""), result
    assert len(result.err_lines) == 1 and result.err.endswith("\n"), result.err
    return result.err_lines[0]
