"""``rangezone build``: a scenario file in, a briefing (maps, images, layers, report) out."""

from __future__ import annotations

from pathlib import Path

import click

from geo.cli._common import message
from geo.cli.options import option


@click.command("build")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "--out", "out_dir", metavar="DIR", help="Output folder (default: out/<scenario name>)."
)
@option(
    "title",
    note="Overrides the scenario's (default for a CSV: 'Reported impacts, FIRST to LAST DATE').",
)
@option("country", multiple=True, note="Repeat for several; overrides the scenario's.")
@option("eez", note="Overrides the scenario's.")
@option("online-tiles")
@option("map-size")
@click.option(
    "--extent",
    metavar="W,S,E,N",
    help="Map view WEST,SOUTH,EAST,NORTH in degrees; overrides the scenario's and the framing.",
)
def build_cmd(
    scenario: str,
    out_dir: str | None,
    title: str | None,
    country: tuple[str, ...],
    eez_path: str | None,
    online_tiles: str | None,
    map_size: str | None,
    extent: str | None,
) -> None:
    """Build the briefing a scenario YAML file describes, or the map of a CSV of reported
    impacts (columns date, site, from, distance, bearing; see maps/README.md)."""
    import dataclasses

    from geo.briefing.build import write_briefing
    from geo.briefing.scenario import load_scenario, scenario_zones
    from geo.cli.ring import parse_map_size

    if scenario.lower().endswith(".csv"):
        from geo.briefing.csvscenario import scenario_from_csv

        sc = scenario_from_csv(scenario, title=title, countries=country)
    else:
        sc = load_scenario(scenario)
        if title:
            sc = dataclasses.replace(sc, title=title)
        if country:
            # the file's lines no longer name these countries
            lines = {k: v for k, v in sc.lines.items() if not k.startswith("countries")}
            sc = dataclasses.replace(sc, countries=country, lines=lines)
    zones = scenario_zones(sc, eez_path)
    if eez_path:
        sc = dataclasses.replace(sc, eez=eez_path)
    if extent is not None:
        from geo.briefing.events import parse_extent

        parse_extent(extent)  # InputError names the problem
        sc = dataclasses.replace(sc, extent=extent)
    # "...yaml" has the stem "..": a default folder must stay inside out/
    target = (
        Path(out_dir) if out_dir else Path("out") / (Path(scenario).stem.strip(". ") or "briefing")
    )
    width, height = parse_map_size(map_size)
    b = write_briefing(sc, target, zones, online_tiles=online_tiles, width=width, height=height)
    for path in b.written:
        click.echo(str(path))
    for ev in b.events:
        for rng in ev.ranges:
            for av in rng.verdict.verdicts:
                message(f"{ev.spec.name}: {av.summary}")
        for imp in ev.impacts:
            for vd in imp.verdict.verdicts:
                click.echo(
                    f"{ev.spec.name}: {imp.spec.label}: {vd.country} {vd.status} "
                    f"(P(inside) {vd.p_inside:.2f})",
                    err=True,
                )
