"""``rangezone eez``: bring official EEZ data to the user's machine and say which set is active.

``import`` registers a downloaded Marine Regions file, ``fetch`` downloads zones from the
Marine Regions WFS, ``info`` describes the active zone set (or the one ``--eez`` names).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geo.cli._common import message
from geo.cli.options import option

if TYPE_CHECKING:
    from geo.access.zonepack import DatasetInfo


def _warn(messages: list[str]) -> None:
    for text in messages:
        message(f"rangezone: warning: {text}")


def _registered_name(name: str | None, info: DatasetInfo, path: str) -> str:
    if name:
        return name
    if info.citation:  # recognised data: name it after the release
        return str(info.name)
    from geo.access.zonefile import split_layer

    return Path(split_layer(path)[0]).stem


@click.group("eez")
def eez_group() -> None:
    """Official EEZ data: import a Marine Regions file, fetch from its WFS, show what is active.

    Without official data every command uses the embedded modelled zones.
    """


@eez_group.command("import")
@click.argument("path", metavar="PATH")
@click.option("--name", help="Name to register the zone set under (default: from the file).")
@option("eez-columns", dest="columns")
def import_cmd(path: str, name: str | None, columns: str | None) -> None:
    """Register a downloaded Marine Regions file as the active zone set.

    PATH is World_EEZ v11/v12 (shapefile, zipped shapefile, GeoPackage) or any polygon file
    GDAL reads, or GeoParquet; add ::LAYER to choose a layer or a file inside a zip.
    """
    from dataclasses import replace

    from geo.access.userdata import dataset_name, register_dataset
    from geo.access.zonefile import parse_column_map, read_zone_file

    if name is not None:
        dataset_name(name)  # a reserved or empty name fails before the file is read
    column_map = parse_column_map(columns) if columns else None
    info, records, geoms, warnings = read_zone_file(path, column_map)
    _warn(warnings)
    label = _registered_name(name, info, path)
    if name and not info.citation:
        info = replace(info, name=name)
    target = register_dataset(info, records, geoms, label)
    click.echo(
        f"imported {len(records)} zones ({info.name}) from {path}; active zone set is now "
        f"'{target.stem}' ({target})",
        err=True,
    )


@eez_group.command("fetch")
@click.option(
    "--country",
    "countries",
    multiple=True,
    metavar="NAME",
    help="Territory, sovereign or ISO code as Marine Regions spells it (repeatable).",
)
@click.option("--bbox", "bbox_text", metavar="W,S,E,N", help="Only zones meeting this box.")
@click.option(
    "--timeout",
    "timeout_s",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    metavar="S",
    help="Seconds to wait for the WFS.",
)
@click.option("--no-cache", is_flag=True, help="Download again even if a cached copy exists.")
@click.option("--name", help="Name to register the zone set under.")
def fetch_cmd(
    countries: tuple[str, ...],
    bbox_text: str | None,
    timeout_s: float,
    no_cache: bool,
    name: str | None,
) -> None:
    """Download zones from the Marine Regions WFS and make them the active zone set."""
    from geo.access.userdata import dataset_name, register_dataset
    from geo.access.wfs import check_timeout, fetch_zones, parse_bbox
    from geo.errors import InputError

    check_timeout(timeout_s)
    if name is not None:
        dataset_name(name)  # a reserved or empty name fails before the download
    bbox = None
    if bbox_text is not None:
        try:
            bbox = parse_bbox(bbox_text)
        except InputError as exc:
            raise InputError(f"--bbox: {exc}") from None
    if not countries and bbox is None:
        click.echo(
            "rangezone: downloading every zone of the world; this may take minutes", err=True
        )
    info, records, geoms = fetch_zones(
        list(countries) or None, bbox, timeout_s=timeout_s, cache=not no_cache
    )
    _warn(list(info.extra.get("warnings", [])))
    target = register_dataset(info, records, geoms, name or "marineregions-wfs")
    click.echo(
        f"fetched {len(records)} zones from the Marine Regions WFS; active zone set is now "
        f"'{target.stem}' ({target})",
        err=True,
    )


def _info_data(path: str | None, columns: str | None) -> dict[str, Any]:
    from geo.access.userdata import active_dataset_name, active_dataset_path

    if path is not None:
        from geo.access.zones import load_zones_with_columns

        where = path
        registered = None
        zones = load_zones_with_columns(path, columns)
        # what was reprojected, split or repaired: as 'rangezone check --eez' reports it
        for warning in zones.warnings:
            message(f"rangezone: note: {warning}")
        info, count = zones.info, len(zones)
    else:
        from geo.access.zones import load_zones

        active = active_dataset_path()
        registered = active_dataset_name() if active is not None else None
        where = str(active) if active is not None else "embedded default"
        zones = load_zones(None)
        info, count = zones.info, len(zones)
    data = info.to_dict()
    data["feature_count"] = count
    data["kind"] = info.kind
    data["path"] = where
    if registered:
        data["registered_as"] = registered
    return data


def _info_text(d: dict[str, Any]) -> str:
    schema = d.get("extra", {}).get("schema", "")
    kind = d["kind"] + {
        "modelled": " (an approximation, not Marine Regions data)",
        "official": f" (Marine Regions data, recognised by its {schema} columns)" if schema else "",
        "user": " (not recognised as Marine Regions data; provenance unknown)",
    }.get(d["kind"], "")
    rows = [
        ("Name", d["name"]),
        ("Version", d["version"] or "-"),
        ("Citation", d["citation"] or "-"),
        ("Licence", d["licence"] or "-"),
        ("Features", str(d["feature_count"])),
        ("Kind", kind),
        ("Source", d["source"] or "-"),
        ("Path", d["path"]),
    ]
    if d.get("registered_as"):
        rows.append(("Registered as", d["registered_as"]))
    if d.get("notes"):
        rows.append(("Notes", d["notes"]))
    return "\n".join(f"{k + ':':<15}{v}" for k, v in rows)


@eez_group.command("use")
@click.argument("name", metavar="NAME|default")
def use_cmd(name: str) -> None:
    """Make an imported or fetched zone set active again, or go back to the modelled
    default with 'default'. Without NAME known, the error lists the registered sets."""
    from geo.access.userdata import use_dataset

    target = use_dataset(name)
    if target is None:
        message("active zone set is now the embedded modelled default")
    else:
        message(f"active zone set is now '{target.stem}' ({target})")


@eez_group.command("list")
def list_cmd() -> None:
    """The zone sets registered by 'eez import' and 'eez fetch'; * marks the active one."""
    from geo.access.userdata import active_dataset_record_path, registered_datasets
    from geo.cli._common import emit_text
    from geo.errors import ActiveDatasetError

    try:
        active = active_dataset_record_path()
    except ActiveDatasetError as exc:  # a corrupt active.json: still list what is there
        message(f"rangezone: warning: {exc}")
        active = None
        marked = False
    else:
        marked = True
    names = registered_datasets()
    missing = active is not None and not active.is_file()
    if active is not None and missing:
        names = sorted({*names, active.stem})
    lines = [f"{'*' if marked and active is None else ' '} default (embedded modelled zones)"]
    for n in names:
        mark = "*" if active is not None and active.stem == n else " "
        gone = " (missing: re-import or 'eez use default')" if missing and mark == "*" else ""
        lines.append(f"{mark} {n}{gone}")
    emit_text("\n".join(lines), None)


@eez_group.command("info")
@option("eez")
@option("eez-columns", dest="columns", note="With --eez.")
@option("json")
def info_cmd(eez_path: str | None, columns: str | None, as_json: bool) -> None:
    """Describe the active zone set: name, version, citation, licence, feature count and
    whether it is modelled or official."""
    from geo.cli._common import emit_json, emit_text

    if columns and eez_path is None:
        raise click.UsageError("--eez-columns needs --eez PATH", ctx=click.get_current_context())
    data = _info_data(eez_path, columns)
    if as_json:
        emit_json(data)
    else:
        emit_text(_info_text(data), None)
