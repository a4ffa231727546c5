"""``rangezone check``: EEZ verdicts for points, reported impacts, areas and CSV batches."""

from __future__ import annotations

import csv
import io
from typing import Any

import click

from geo.cli._common import emit_json, emit_text
from geo.cli.options import BEARING_HALF_WIDTH, FRACTION
from geo.errors import InputError


@click.command("check")
@click.option(
    "--at", "at", help="Point as 'lat,lon', DMS or MGRS (--at=-45.5,170.2 for negatives)."
)
@click.option("--site", help="A place from the gazetteer.")
@click.option("--from", "origin", help="Reported impact: the place or point it is measured from.")
@click.option("--distance", help="Reported impact: distance (e.g. 250km).")
@click.option("--bearing", help="Reported impact: bearing in degrees or compass point (W, NNW).")
@click.option(
    "--distance-uncertainty",
    type=FRACTION,
    help="Reported impact: half-width of the distance interval, 0.1 or 10% [default: 10%].",
)
@click.option(
    "--bearing-uncertainty",
    type=BEARING_HALF_WIDTH,
    help="Reported impact: half-width of the bearing interval in degrees [default: 11.25].",
)
@click.option("--range", "range_", help="Area check: range from --site/--at (e.g. 400km).")
@click.option("--min-range", help="Area check: inner radius.")
@click.option("--sector", help="Area check: bearings FROM..TO of an impact area.")
@click.option(
    "--missile", help="Area check: a catalogued missile's range from --site/--at (Hwasong-15)."
)
@click.option("--flown", help="Area check: an observed flight's range, with --apogee.")
@click.option(
    "--apogee", help="Area check: with --flown, the energy-equivalent standard-range area."
)
@click.option(
    "--country",
    help="Country to give a verdict for: English name, ISO code (JPN or JP) or alias (ROK).",
)
@click.option("--eez", "eez_path", help="EEZ dataset file instead of the active one.")
@click.option("--eez-columns", help="Column mapping for --eez files of another schema.")
@click.option(
    "--csv",
    "csv_path",
    help="Batch: CSV with columns lat, lon, optional id; other columns are carried through.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
@click.option(
    "-o",
    "--output",
    help="Write to this file instead of stdout (.json for JSON; batches: .csv or .json).",
)
def check_cmd(
    at: str | None,
    site: str | None,
    origin: str | None,
    distance: str | None,
    bearing: str | None,
    distance_uncertainty: float | None,
    bearing_uncertainty: float | None,
    range_: str | None,
    min_range: str | None,
    sector: str | None,
    missile: str | None,
    flown: str | None,
    apogee: str | None,
    country: str | None,
    eez_path: str | None,
    eez_columns: str | None,
    csv_path: str | None,
    as_json: bool,
    output: str | None,
) -> None:
    """Is a point, a reported impact or a range area inside a country's EEZ?"""
    from geo.access.zones import load_land, load_zones_with_columns
    from geo.cli.options import resolve_centre
    from geo.core.parse import parse_bearing_deg, parse_distance_m

    modes = sum(bool(x) for x in (at or site, origin, csv_path))
    if modes != 1:
        raise InputError(
            "give one of --at/--site (a point or, with --range/--missile/--flown, an area), "
            "--from/--distance/--bearing (a reported impact) or --csv FILE"
        )
    _check_combination(
        impact=bool(origin),
        area=bool(range_ or min_range or sector or missile or flown or apogee),
        batch=bool(csv_path),
        uncertainty=distance_uncertainty is not None or bearing_uncertainty is not None,
        as_json=as_json,
        output=output,
    )
    zones = load_zones_with_columns(eez_path, eez_columns)
    for warning in zones.warnings:
        click.echo(f"rangezone: note: {warning}", err=True)
    if csv_path:
        _batch(zones, csv_path, country, output, as_json)
        return
    from geo.core import verdicts

    land = load_land()
    if origin:
        if not (distance and bearing):
            raise InputError("a reported impact needs --from, --distance and --bearing")
        from geo.core.impact import reported_impact

        centre, origin_name = resolve_centre(origin, None, place_or_coord=True)
        given: dict[str, float] = {}  # the rest keep reported_impact's defaults
        if distance_uncertainty is not None:
            given["distance_uncertainty"] = distance_uncertainty
        if bearing_uncertainty is not None:
            given["bearing_uncertainty_deg"] = bearing_uncertainty
        impact = reported_impact(
            centre, parse_distance_m(distance), parse_bearing_deg(bearing), **given
        )
        result = verdicts.impact_verdict(zones, impact, country=country, land=land)
        _print_point(result.to_dict(), as_json, output, origin=origin_name, bearing=bearing)
        return
    if distance or bearing:
        raise InputError("--distance and --bearing describe a reported impact: add --from PLACE")
    centre, name = resolve_centre(site, at)
    req = _area_request(range_, min_range, sector, missile, flown, apogee)
    if req is not None:
        from geo.briefing.compose import area_name, request_extent, shape_for

        shape = shape_for(centre, req)
        extent = request_extent(req)
        label = f"the {area_name(req.properties or {}, extent)} from {name}"
        area = verdicts.area_verdict(
            zones,
            shape.geometry,
            shape.area_m2,
            centre,
            country=country,
            label=label,
            extent=extent,
        )
        _print_area(area.to_dict(), as_json, output)
        return
    result = verdicts.point_verdict(zones, centre, country=country, land=land)
    _print_point(result.to_dict(), as_json, output)


def _area_request(
    range_: str | None,
    min_range: str | None,
    sector: str | None,
    missile: str | None,
    flown: str | None,
    apogee: str | None,
) -> Any:
    """The area an area check is about, or None for a point check."""
    from geo.briefing.compose import RangeRequest, flown_request, missile_requests
    from geo.core.parse import parse_bearing_range, parse_distance_m

    options = (("--range", range_), ("--missile", missile), ("--flown", flown))
    given = [opt for opt, value in options if value]
    if len(given) > 1:
        raise InputError(f"give one area: {' and '.join(given)} were both given")
    if bool(flown) != bool(apogee):
        raise InputError("--flown and --apogee go together (an observed flight)")
    if (min_range or sector) and not range_:
        raise InputError("--min-range and --sector describe an area: add --range")
    if range_:
        from geo.cli.options import checked_area

        return RangeRequest(
            *checked_area(
                parse_distance_m(range_),
                parse_distance_m(min_range) if min_range else 0.0,
                parse_bearing_range(sector) if sector else None,
            )
        )
    if missile:
        return missile_requests([missile])[0]
    if flown and apogee:
        return flown_request(parse_distance_m(flown), parse_distance_m(apogee))
    return None


def _dataset_line(ds: dict[str, Any]) -> str:
    from geo.core.verdicts import dataset_kind, dataset_title

    tag = {
        "modelled": "MODELLED zones, not official boundaries",
        "official": "official",
        "user": "user file of unknown provenance",
    }[dataset_kind(ds)]
    return f"dataset: {dataset_title(ds)} ({tag})"


def _zone_text(z: dict[str, Any]) -> str:
    who = z["territory"] or z["sovereign"]
    extra = f"; claimants: {', '.join(z['claimants'])}" if z.get("claimants") else ""
    return f"{z['name']} ({who}, {z['pol_type']}{extra})"


def _print_point(
    d: dict[str, Any],
    as_json: bool,
    output: str | None,
    *,
    origin: str | None = None,
    bearing: str | None = None,
) -> None:
    """``origin`` and ``bearing``: a reported impact's origin name and --bearing as given."""
    if as_json or _json_path(output):
        emit_json(d, output)
        return
    lines = [f"point {d['lat']:.5f}, {d['lon']:.5f} (lat, lon)"]
    if d.get("impact"):
        imp = d["impact"]
        from geo.core.impact import is_compass_bearing

        given = " ".join((bearing or "").split())
        compass = is_compass_bearing(given)
        where = ""
        if origin:
            where = f" of {origin}" if compass else f" from {origin}"
        how = f"{given} ({imp['bearing_deg']:.1f}°)" if compass else f"at {imp['bearing_deg']:.1f}°"
        km = f"{imp['distance_km']:,.1f}".rstrip("0").rstrip(".")
        lines[0] = (
            f"reported impact {km} km {how}{where}: {d['lat']:.5f}, {d['lon']:.5f} (lat, lon)"
        )
    lines.append(_dataset_line(d["dataset"]))
    if d["on_land"]:
        lines.append(f"on land: {d['on_land']['country']}")
    for z in d["containing"]:
        lines.append(
            f"inside {_zone_text(z)}: {z['distance_to_boundary_km']:,.1f} km from its boundary"
        )
    if not d["containing"] and not d["on_land"]:
        lines.append("in no zone of this dataset")
    for z in d["nearby"][:3]:
        lines.append(f"nearby {_zone_text(z)}: {z['distance_km']:,.1f} km")
    v = d.get("verdict")
    if v:
        status = v["status"].upper().replace("_", " ")
        note = v.get("note", "")
        if v["status"] == "on_land":
            # Land is in no sea zone: say plainly that the point is not in the country's EEZ.
            land_of = d["on_land"]["country"] if d.get("on_land") else "a country"
            if note.startswith(f"on land of {land_of} itself"):
                where = f"on land of {land_of} itself, not in its sea zone;"
            else:
                where = f"on land of {land_of},"
            text = (
                f"{v['country']}: OUTSIDE its EEZ — {where} "
                f"{v['margin_km']:,.1f} km from {v['country']}'s zones"
            )
            note = ""
        elif v["status"] in ("inside", "outside"):
            side = "inside" if v["status"] == "inside" else "outside"
            text = f"{v['country']}: {status} — {side} by {v['margin_km']:,.1f} km"
        else:
            text = f"{v['country']}: {status} — {v['margin_km']:,.1f} km from the boundary"
        if d.get("impact"):
            text += f"; P(inside) {v['p_inside']:.2f}"
        if note:
            text += f" ({note})"
        lines.append(text)
        lines.append(f"counted: {v['counted_zones']}")
    emit_text("\n".join(lines), output)


MAX_ZONE_LINES = 15
"""A world-scale area reaches 150 zones: text shows the largest overlaps."""


def _print_area(d: dict[str, Any], as_json: bool, output: str | None) -> None:
    if as_json or _json_path(output):
        emit_json(d, output)
        return
    lines = [
        f"area {d['area_km2']:,.0f} km² from {d['launch']['lat']:.5f}, {d['launch']['lon']:.5f}"
    ]
    lines.append(_dataset_line(d["dataset"]))
    for o in d["overlaps"][:MAX_ZONE_LINES]:
        lines.append(
            f"reaches {_zone_text(o)}: {o['overlap_km2']:,.0f} km² "
            f"({100 * o['fraction_of_area']:.1f}% of the area), "
            f"{o['distance_from_launch_km']:,.0f} km from the launch point"
        )
    if len(d["overlaps"]) > MAX_ZONE_LINES:
        more = len(d["overlaps"]) - MAX_ZONE_LINES
        lines.append(f"reaches {more} more zones with smaller overlaps (--json lists all)")
    for z in d["nearest"][:3]:
        lines.append(f"does not reach {_zone_text(z)}: {z['distance_from_launch_km']:,.0f} km away")
    if d.get("verdict"):
        lines.append(d["verdict"]["summary"])
    emit_text("\n".join(lines), output)


def _check_combination(
    *, impact: bool, area: bool, batch: bool, uncertainty: bool, as_json: bool, output: str | None
) -> None:
    """Options that would be silently ignored in the chosen mode are errors instead."""
    if area and (impact or batch):
        mode = "--from" if impact else "--csv"
        raise InputError(
            "--range, --missile and --flown (and --min-range, --sector, --apogee) describe an "
            f"area around --site/--at, not {mode}"
        )
    if uncertainty and not impact:
        raise InputError(
            "--distance-uncertainty and --bearing-uncertainty apply to a reported impact "
            "(--from/--distance/--bearing)"
        )
    if as_json and output and output.lower().endswith(".csv"):
        raise InputError(f"--json writes JSON but -o {output} names a .csv file")
    if batch and output and output != "-":
        from pathlib import Path

        suffix = Path(output).suffix
        if suffix.lower() not in (".csv", ".json"):
            what = f"not {suffix}" if suffix else "and this name has no suffix"
            raise InputError(f"-o {output}: batch results are written as .csv or .json, {what}")
    if output and not batch and output.lower().endswith(".csv"):
        raise InputError(
            f"-o {output}: one check is written as text or .json; CSV is for --csv batches"
        )


def _batch(
    zones: Any, csv_path: str, country: str | None, output: str | None, as_json: bool
) -> None:
    from geo.access.pointfile import read_points_csv
    from geo.access.zones import load_land
    from geo.core.verdicts import batch_verdicts

    points = read_points_csv(csv_path)
    rows = batch_verdicts(zones, points, country=country, land=load_land())
    if as_json or _json_path(output):
        emit_json(rows, output)
        return
    buf = io.StringIO()
    fields = list(rows[0].keys()) if rows else ["id", "lat", "lon"]
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    emit_text(buf.getvalue(), output)


def _json_path(output: str | None) -> bool:
    return bool(output) and str(output).lower().endswith(".json")
