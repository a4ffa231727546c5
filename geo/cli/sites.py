"""``rangezone sites``: list and search the gazetteer; ``sites add`` / ``sites remove`` keep
the user's own places (stored in the user data directory, used by every command)."""

from __future__ import annotations

import click

from geo.cli._common import emit_json, message
from geo.cli.options import option
from geo.errors import InputError


class _SitesGroup(click.Group):
    """``sites [QUERY]`` lists; ``sites add``/``sites remove`` are subcommands. A first word
    that names no subcommand is the query."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        for i, arg in enumerate(args):
            if arg == "--":
                break
            if arg.startswith("-"):
                continue
            if arg not in self.commands:
                ctx.meta["sites_query"] = arg
                args = [*args[:i], *args[i + 1 :]]
            break
        return super().parse_args(ctx, args)


@click.group("sites", cls=_SitesGroup, invoke_without_command=True)
@option("json")
@click.pass_context
def sites_cmd(ctx: click.Context, as_json: bool) -> None:
    """List or search the gazetteer (sites [QUERY]); add or remove your own places."""
    if ctx.invoked_subcommand is not None:
        if as_json:
            raise InputError("--json lists places: give it without 'add' or 'remove'")
        return
    from geo.access.gazetteer import default_gazetteer

    query: str | None = ctx.meta.get("sites_query")
    places = default_gazetteer().search(query)
    if as_json:
        emit_json([p.to_dict() for p in places])
        return
    if not places:
        raise InputError(f"no place matches {query!r}")
    width = max(len(p.name) for p in places)
    for p in places:
        aliases = f" ({'; '.join(p.aliases)})" if p.aliases else ""
        mine = "  (your place)" if p.user else ""
        country = f", {p.country}" if p.country else ""
        source = f"  [{p.source}]" if p.source else ""
        click.echo(
            f"{p.name:<{width}}  {p.lat_deg:9.5f} {p.lon_deg:10.5f}  "
            f"{p.kind}{country}{aliases}{source}{mine}"
        )


@sites_cmd.command("add")
@click.argument("name")
@option("at", required=True, note="Where the place is.")
@click.option(
    "--kind",
    type=click.Choice(["launch site", "reference point", "impact range", "place"]),
    default="place",
    show_default=True,
    help="What the place is.",
)
@click.option("--country", default="", help="Country the place belongs to.")
@click.option("--source", default="", help="Where the coordinates come from.")
def sites_add(name: str, at: str, kind: str, country: str, source: str) -> None:
    """Add NAME at --at to your own places (names of shipped places are refused)."""
    from geo.access.gazetteer import add_user_place, user_places_path
    from geo.core.parse import parse_coord

    place = add_user_place(name, parse_coord(at), kind=kind, country=country, source=source)
    click.echo(
        f"added {place.name} ({place.lat_deg:.5f}, {place.lon_deg:.5f}, {place.kind}) "
        f"to {user_places_path()}",
        err=True,
    )


@sites_cmd.command("remove")
@click.argument("name")
def sites_remove(name: str) -> None:
    """Remove NAME from your own places."""
    from geo.access.gazetteer import remove_user_place, user_places_path

    place = remove_user_place(name)
    message(f"removed {place.name} from {user_places_path()}")
