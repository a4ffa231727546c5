"""Shared CLI options are declared once (geo.cli.options) and mean the same everywhere."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.cli.options import OPTIONS, option

NOT_YET: set[str] = set()
"""Commands not switched to the registry yet (none since check was)."""
OWN_MEANING = {("rangezone eez fetch", "--country"), ("rangezone sites add", "--country")}
"""Options that share a flag with the registry but mean something else (Marine Regions
spellings to download, the country a user place belongs to; not a country to judge)."""


def _commands(cmd: click.Command, path: str) -> Iterator[tuple[str, click.Command]]:
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            yield from _commands(sub, f"{path} {name}")


def _shared(path: str) -> Iterator[tuple[click.Option, list[str]]]:
    """Each option of ``path`` whose flag a registry entry declares, with those entries'
    help texts."""
    cmd = dict(_commands(cli, "rangezone"))[path]
    for p in cmd.params:
        if not isinstance(p, click.Option):
            continue
        helps = [s.help for s in OPTIONS.values() if set(s.flags) & set(p.opts)]
        if helps and (path, p.opts[-1]) not in OWN_MEANING:
            yield p, helps


ALL = [path for path, _ in _commands(cli, "rangezone") if path not in NOT_YET]


@pytest.mark.parametrize("path", ALL)
def test_shared_options_carry_the_shared_help(path: str) -> None:
    for opt, helps in _shared(path):
        assert any((opt.help or "").startswith(h) for h in helps), (path, opt.opts, opt.help)


def test_the_common_options_are_used_by_every_map_command() -> None:
    """--eez, --json, --site/--at and the map options come from the registry in each
    command that has them; the test above would pass if nobody had them."""
    seen: dict[str, set[str]] = {}
    for path in ALL:
        for opt, _ in _shared(path):
            seen.setdefault(opt.opts[-1], set()).add(path)
    assert seen["--eez"] >= {
        "rangezone ring",
        "rangezone build",
        "rangezone check",
        "rangezone impact",
        "rangezone eez info",
    }
    assert seen["--json"] >= {
        "rangezone check",
        "rangezone impact",
        "rangezone sites",
        "rangezone trajectory",
        "rangezone eez info",
    }
    assert seen["--output"] >= {"rangezone ring", "rangezone check", "rangezone impact"}
    for flag in ("--online-tiles", "--map-size"):
        assert seen[flag] == {"rangezone ring", "rangezone build"}
    assert seen["--range"] >= {"rangezone ring", "rangezone check", "rangezone trajectory"}
    for flag in ("--site", "--at", "--missile", "--flown", "--apogee", "--min-range"):
        assert {"rangezone ring", "rangezone check"} <= seen[flag], flag


def test_a_note_adds_to_the_help_and_settings_pass_through() -> None:
    @click.command()
    @option("range", dest="ranges", multiple=True, note="Repeatable.")
    @option("dpi")
    def cmd(ranges: tuple[str, ...], dpi: int | None) -> None:
        click.echo(f"{ranges} {dpi}")

    [rng, dpi] = cmd.params
    assert isinstance(rng, click.Option) and rng.multiple and rng.name == "ranges"
    assert rng.help == f"{OPTIONS['range'].help} Repeatable."
    assert dpi.name == "dpi" and dpi.help == OPTIONS["dpi"].help
    result = CliRunner().invoke(cmd, ["--range", "1km", "--range", "2km"])
    assert result.output == "('1km', '2km') None\n"
    result = CliRunner().invoke(cmd, ["--dpi", "20"])
    assert result.exit_code == 2 and "20 is not in the range 50<=x<=1200" in result.output
