"""The ``rangezone`` command line: parses, calls the public API, prints.

stdout carries data, stderr carries messages. Each subcommand lives in its own module here,
imported only when the command line names it (or help lists them all); modules import heavy
libraries (geopandas, matplotlib) inside the command so that ``rangezone check`` starts fast.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, MutableMapping

import click

from geo.cli._common import run_main

_COMMANDS: dict[str, tuple[str, str]] = {
    "ring": ("geo.cli.ring", "ring_cmd"),
    "impact": ("geo.cli.ring", "impact_cmd"),
    "sites": ("geo.cli.sites", "sites_cmd"),
    "check": ("geo.cli.check", "check_cmd"),
    "eez": ("geo.cli.eez", "eez_group"),
    "build": ("geo.cli.build", "build_cmd"),
    "trajectory": ("geo.cli.trajectory", "trajectory_cmd"),
}
"""Subcommand name -> (module, attribute)."""


class _LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands by name, each module imported when its command is first looked up:
    ``rangezone check`` does not import what ``build`` or ``trajectory`` need."""

    def __init__(self, specs: dict[str, tuple[str, str]]) -> None:
        self._specs = dict(specs)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        cmd = self._loaded.get(name)
        if cmd is None:
            module, attr = self._specs[name]
            cmd = self._loaded[name] = getattr(importlib.import_module(module), attr)
        return cmd

    def __setitem__(self, name: str, cmd: click.Command) -> None:
        self._loaded[name] = cmd
        self._specs.setdefault(name, ("", ""))

    def __delitem__(self, name: str) -> None:
        del self._specs[name]
        self._loaded.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)


@click.group(
    commands=_LazyCommands(_COMMANDS),
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="rangezone")
def cli() -> None:
    """Geodesic range rings, impact areas and EEZ verdicts for missile launches."""


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code instead of raising for expected errors."""
    return run_main(cli, argv if argv is not None else sys.argv[1:])
