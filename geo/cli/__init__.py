"""The ``rangezone`` command line: parses, calls the public API, prints.

stdout carries data, stderr carries messages. Each subcommand lives in its own module here;
modules import heavy libraries (geopandas, matplotlib) inside the command so that
``rangezone check`` starts fast.
"""

from __future__ import annotations

import sys

import click

from geo.cli._common import run_main
from geo.cli.build import build_cmd
from geo.cli.check import check_cmd
from geo.cli.eez import eez_group
from geo.cli.ring import impact_cmd, ring_cmd
from geo.cli.sites import sites_cmd
from geo.cli.trajectory import trajectory_cmd


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rangezone")
def cli() -> None:
    """Geodesic range rings, impact areas and EEZ verdicts for missile launches."""


for _cmd in (ring_cmd, impact_cmd, sites_cmd, check_cmd, eez_group, build_cmd, trajectory_cmd):
    cli.add_command(_cmd)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code instead of raising for expected errors."""
    return run_main(cli, argv if argv is not None else sys.argv[1:])
