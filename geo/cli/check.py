"""``rangezone check``: EEZ verdicts for points, reported impacts, areas and CSV batches.

One command, four modes, each a code path of its own: the options are gathered into
:class:`CheckOptions`, :meth:`CheckOptions.mode` picks the mode, and the mode's function in
:data:`MODES` builds a typed request (``geo.briefing.checks``), runs it and prints it.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

import click

from geo.cli._common import emit_json, emit_text, message
from geo.cli.options import option
from geo.errors import InputError

if TYPE_CHECKING:
    from geo.briefing.checks import CheckContext, ImpactCheck
    from geo.briefing.compose import RangeRequest
    from geo.core.types import LonLat
    from geo.present.content import MapContent, MapExtent, MapFeature


@dataclass(frozen=True)
class CheckOptions:
    """``check``'s options as given (None: not given)."""

    at: str | None
    site: str | None
    origin: str | None
    distance: str | None
    bearing: str | None
    leg: str | None
    distance_uncertainty: float | None
    bearing_uncertainty: float | None
    range_: str | None
    min_range: str | None
    sector: str | None
    missile: str | None
    flown: str | None
    apogee: str | None
    countries: tuple[str, ...]
    eez_path: str | None
    eez_columns: str | None
    csv_path: str | None
    as_json: bool
    output: str | None

    @property
    def area_given(self) -> bool:
        return any(
            (self.range_, self.min_range, self.sector, self.missile, self.flown, self.apogee)
        )

    def mode(self) -> str:
        """``point``, ``impact``, ``area`` or ``batch``; options another mode would ignore are
        errors."""
        # with --from, --site is the launch site (the impact's ground track starts there)
        point = self.at or (self.site if not self.origin else None)
        modes = sum(bool(x) for x in (point, self.origin, self.csv_path))
        if modes != 1:
            raise InputError(
                "give one of --at/--site (a point or, with --range/--missile/--flown, an area), "
                "--from/--distance/--bearing (a reported impact) or --csv FILE"
            )
        mode = (
            "batch"
            if self.csv_path
            else "impact"
            if self.origin
            else "area"
            if self.area_given
            else "point"
        )
        self._check_combination(mode)
        return mode

    def _check_combination(self, mode: str) -> None:
        if self.area_given and mode in ("impact", "batch"):
            what = "--from" if mode == "impact" else "--csv"
            raise InputError(
                "--range, --missile and --flown (and --min-range, --sector, --apogee) describe an "
                f"area around --site/--at, not {what}"
            )
        uncertainty = self.distance_uncertainty is not None or self.bearing_uncertainty is not None
        if uncertainty and mode != "impact":
            raise InputError(
                "--distance-uncertainty and --bearing-uncertainty apply to a reported impact "
                "(--from/--distance/--bearing)"
            )
        if self.leg and mode in ("point", "area"):
            raise InputError("--leg applies to a reported impact (--from/--distance/--bearing)")
        if mode in ("point", "area") and (self.distance or self.bearing):
            raise InputError(
                "--distance and --bearing describe a reported impact: add --from PLACE"
            )
        out = self.output
        if self.as_json and out and out.lower().endswith((".csv", ".parquet")):
            kind = "a .csv" if out.lower().endswith(".csv") else "a GeoParquet"
            raise InputError(f"--json writes JSON but -o {out} names {kind} file")
        fmt = map_format(out)
        if mode == "batch" and fmt is not None:
            raise InputError(
                f"-o {out}: a batch has no map (one per row would be); write its results "
                "as .csv, .json or .parquet"
            )
        if self.as_json and fmt is not None:
            raise InputError(f"--json prints JSON; -o {out} writes a map: give one of them")
        if mode == "batch" and out and out != "-":
            from pathlib import Path

            suffix = Path(out).suffix
            if suffix.lower() not in (".csv", ".json", ".parquet"):
                what = f"not {suffix}" if suffix else "and this name has no suffix"
                raise InputError(
                    f"-o {out}: batch results are written as .csv, .json or .parquet, {what}"
                )
        if out and mode != "batch" and out.lower().endswith((".csv", ".parquet")):
            what = "CSV" if out.lower().endswith(".csv") else "GeoParquet"
            raise InputError(
                f"-o {out}: one check is written as text, .json or a map; {what} is for "
                "--csv/--points batches"
            )


@click.command("check")
@option("at")
@option("site")
@option("from", note="A reported impact.")
@option("distance", note="A reported impact.")
@option("bearing", note="A reported impact.")
@option("leg", note="A reported impact (a batch: its 'leg' column, else this).")
@option("distance-uncertainty")
@option("bearing-uncertainty")
@option("range", note="Area check: around --site/--at.")
@option("min-range", note="Area check.")
@option("sector", note="Area check: an impact area.")
@option("missile", note="Area check: its range around --site/--at.")
@option("flown", note="Area check, with --apogee.")
@option("apogee", note="Area check, with --flown.")
@option(
    "country",
    dest="countries",
    multiple=True,
    note="Repeat for several: one verdict each, in the order given.",
)
@option("eez")
@option("eez-columns")
@click.option(
    "--points",
    "--csv",
    "csv_path",
    metavar="PATH",
    help="Batch: a file of points (lat, lon), reported impacts (from, distance, bearing) or "
    "areas (site or lat/lon, range): CSV, or by suffix GeoParquet (.parquet), GeoPackage "
    "(.gpkg) or GeoJSON (.geojson), whose point geometry gives lat/lon; other columns are "
    "carried through. --csv is an alias.",
)
@option("json")
@option(
    "output",
    note="A .json name writes JSON, a map suffix (.html, .png, .svg, .pdf, .kml, .gpkg, "
    ".geojson) the map of the result, any other name the text; batches: .csv, .json or "
    ".parquet (GeoParquet).",
)
def check_cmd(**given: Any) -> None:
    """Is a point, a reported impact or a range area inside a country's EEZ?"""
    opts = CheckOptions(**given)
    MODES[opts.mode()](opts)


# ---------------------------------------------------------------------------- modes


def _context(opts: CheckOptions, *, land: bool = True) -> CheckContext:
    from geo.access.zones import load_land, load_zones_with_columns
    from geo.briefing.checks import CheckContext

    zones = load_zones_with_columns(opts.eez_path, opts.eez_columns)
    for warning in zones.warnings:
        message(f"rangezone: note: {warning}")
    ctx = CheckContext(zones, load_land() if land else None, list(opts.countries))
    if land:
        ctx.sides()  # an unknown country fails before any work
    else:
        from geo.core.sides import country_zones

        for c in ctx.countries:  # areas are judged on zones only: no side to build
            country_zones(zones, c)
    return ctx


def _point_mode(opts: CheckOptions) -> None:
    from geo.briefing.checks import PointCheck, run_check
    from geo.cli.options import resolve_centre

    centre, name = resolve_centre(opts.site, opts.at)
    ctx = _context(opts)
    result = run_check(PointCheck(centre, name), ctx)
    data = result.to_dict()
    fmt = map_format(opts.output)
    if fmt is not None:
        launch_site = False
        if opts.site:  # a launch site is drawn as one; any other place as a reference point
            from geo.access.gazetteer import lookup_place

            launch_site = lookup_place(opts.site).kind == "launch site"
        _write_map(_point_map(centre, name, launch_site, data, ctx), fmt, str(opts.output))
        return
    _print_point(data, opts)


def _impact_mode(opts: CheckOptions) -> None:
    from geo.briefing.checks import ImpactCheck, run_check
    from geo.cli.options import resolve_centre
    from geo.core.parse import DEFAULT_LEG, parse_bearing_deg, parse_distance_m, parse_leg

    if not (opts.distance and opts.bearing):
        raise InputError("a reported impact needs --from, --distance and --bearing")
    origin, origin_name = resolve_centre(opts.origin, None, place_or_coord=True)
    site, site_name = resolve_centre(opts.site, None) if opts.site else (None, None)
    req = ImpactCheck(
        origin,
        origin_name,
        parse_distance_m(opts.distance),
        parse_bearing_deg(opts.bearing),
        opts.bearing,
        opts.distance_uncertainty,
        opts.bearing_uncertainty,
        site,
        site_name,
        parse_leg(opts.leg or DEFAULT_LEG),
    )
    ctx = _context(opts)
    result = run_check(req, ctx)
    data = result.to_dict()
    data.update(_impact_blocks(req, opts, ctx))
    fmt = map_format(opts.output)
    if fmt is not None:
        from geo.briefing.events import impact_map_content
        from geo.core.impact import impact_label

        assert ctx.land is not None  # impact checks load land
        label = impact_label(opts.distance, opts.bearing, origin_name)
        where = (req.site, req.site_name or "") if req.site is not None else None
        content, _ = impact_map_content(
            req.impact(), label, origin_name, ctx.zones, ctx.land, site=where,
            countries=ctx.countries,
        )  # fmt: skip
        _write_map(content, fmt, str(opts.output))
        return
    _print_point(data, opts, origin=origin_name, bearing=opts.bearing)


def _impact_blocks(req: ImpactCheck, opts: CheckOptions, ctx: CheckContext) -> dict[str, Any]:
    """Further blocks of an impact check's JSON, each computed from the request (its
    ``site`` is the launch site when given): the ground track from the site and what it
    overflies (geo.briefing.events)."""
    del opts
    if req.site is None or ctx.land is None:
        return {}
    from geo.briefing.events import track_for, track_record

    track = track_for(req.site, req.impact().point, ctx.zones, ctx.land)
    return {"track": {"from": req.site_name, **track_record(track)}}


def _area_mode(opts: CheckOptions) -> None:
    from geo.briefing.checks import AreaCheck, run_check
    from geo.cli.options import resolve_centre

    centre, name = resolve_centre(opts.site, opts.at)
    req = AreaCheck(centre, name, _area_request(opts))
    ctx = _context(opts, land=False)
    result = run_check(req, ctx)
    data = result.to_dict()
    fmt = map_format(opts.output)
    if fmt is not None:
        from geo.cli.ring import range_map_content

        content = range_map_content(centre, name, [req.request], zones=ctx.zones)
        _add_verdicts(content, [v["summary"] for v in data["verdicts"]], data["verdicts"])
        _write_map(content, fmt, str(opts.output))
        return
    _print_area(data, opts)


def _batch_mode(opts: CheckOptions) -> None:
    from geo.access.pointsources import open_points
    from geo.briefing.checks import BATCH_COLUMNS, BatchTally, batch_rows, output_names

    ctx = _context(opts)
    source = open_points(opts.csv_path or "")
    header = [*BATCH_COLUMNS, *output_names(source.extra_names)]
    tally = BatchTally()
    from geo.core.parse import DEFAULT_LEG, parse_leg

    rows = batch_rows(source, ctx, tally, parse_leg(opts.leg or DEFAULT_LEG))
    as_json = opts.as_json or _json_path(opts.output)
    if opts.output and opts.output.lower().endswith(".parquet"):
        from geo.access.pointsources import write_geoparquet_rows

        write_geoparquet_rows(opts.output, header, rows)
        message(f"wrote {opts.output}")
    else:
        with _output(opts.output) as fh:
            if as_json:
                _write_json_rows(fh, header, rows)
            else:
                _write_csv_rows(fh, header, rows)
    if tally.failed:
        raise InputError(
            f"{tally.failed:,} of {tally.rows:,} rows failed (written with an error column and "
            f"no verdict); the first, line {tally.first_line}: {tally.first_error}"
        )


MODES: dict[str, Callable[[CheckOptions], None]] = {
    "point": _point_mode,
    "impact": _impact_mode,
    "area": _area_mode,
    "batch": _batch_mode,
}


# ---------------------------------------------------------------------------- maps


def map_format(output: str | None) -> str | None:
    """The map format ``-o`` names by its suffix (``ring``'s formats), or None: ``.json`` is
    the check's JSON, any other name its text (a batch's CSV)."""
    if not output or output == "-":
        return None
    from pathlib import PurePath

    from geo.cli.ring import SUFFIX_FORMATS

    suffix = PurePath(output).suffix.lower()
    return None if suffix == ".json" else SUFFIX_FORMATS.get(suffix)


def _write_map(content: MapContent, fmt: str, output: str) -> None:
    """With ``ring``'s writers; ``.geojson``: the features of the result, without the zones."""
    if fmt == "geojson":
        from geo.present.geojson import collection_text

        emit_text(collection_text([f for f in content.features if f.kind != "eez"]), output)
        return
    from geo.cli.ring import write_map

    write_map(content, fmt, output)


def _point_map(
    centre: LonLat, name: str, is_site: bool, data: dict[str, Any], ctx: CheckContext
) -> MapContent:
    """The map of a point check: the point, the zones near it, the verdicts in the info box."""
    from shapely.geometry import Point

    from geo.briefing.compose import site_feature, zone_features
    from geo.present.content import InfoBox, InfoLine, MapContent, MapFeature

    if is_site:
        feature = site_feature(centre, name)
    else:
        props = {"name": name, "lon": centre.lon_deg, "lat": centre.lat_deg}
        feature = MapFeature(Point(*centre), "reference_point", name, props)
    content = MapContent(
        title=name,
        features=[
            *zone_features(ctx.zones, feature.geometry),
            *_margin_lines(centre, ctx, data),
            feature,
        ],
        focus=centre,
        dataset=ctx.zones.info,
        info=InfoBox(
            name, (InfoLine("Point", f"{centre.lat_deg:.5f}, {centre.lon_deg:.5f} (lat, lon)"),)
        ),
    )
    _add_verdicts(content, [verdict_line(v) for v in data["verdicts"]], data["verdicts"])
    content.extent = _view_around(centre)
    return content


def _margin_lines(centre: LonLat, ctx: CheckContext, data: dict[str, Any]) -> list[MapFeature]:
    """Per verdict, the geodesic to where the country's side ends (``inside``, on own land:
    the seaward margin) or begins (``outside``), labelled with the verdict's margin."""
    from shapely.geometry import Point

    from geo.briefing.compose import nearest_line_feature
    from geo.core.verdicts import boundary_distance

    margins = {v["country"]: v["margin_km"] for v in data["verdicts"]}
    out = []
    for side in ctx.sides():
        km = margins.get(side.country)
        if km is None:
            continue
        _, target = boundary_distance(centre, side.side)
        if target == centre:
            continue
        line = nearest_line_feature(centre, target, side.country, km)
        inside = side.side.contains(Point(*centre))
        line.label = (
            f"{km:,.0f} km to the edge of {side.country}'s zones and land"
            if inside
            else f"{km:,.0f} km to {side.country}'s zones or land"
        )
        out.append(line)
    return out


POINT_VIEW_HALF_DEG = 3.0
"""A point map shows about 3° of latitude either side (some 650 km across): the coasts and
zone edges its verdict speaks of, not a featureless square of one zone."""


def _view_around(centre: LonLat) -> MapExtent:
    import math

    from geo.core.types import LonLatBbox
    from geo.present.content import MapExtent

    half_lat = POINT_VIEW_HALF_DEG
    south = max(-90.0, centre.lat_deg - half_lat)
    north = min(90.0, centre.lat_deg + half_lat)
    half_lon = min(179.9, half_lat / max(math.cos(math.radians(abs(centre.lat_deg))), 0.05))

    def wrap(x: float) -> float:
        return ((x + 180.0) % 360.0) - 180.0

    west, east = centre.lon_deg - half_lon, centre.lon_deg + half_lon
    return MapExtent(LonLatBbox(wrap(west), south, wrap(east), north))


def _add_verdicts(content: MapContent, lines: list[str], verdicts: list[dict[str, Any]]) -> None:
    """The countries' verdicts in the map's info box, their zones marked."""
    from dataclasses import replace

    from geo.briefing.events import mark_subject_zones
    from geo.present.content import InfoBox

    names = tuple(dict.fromkeys(v["country"] for v in verdicts))
    box = content.info or InfoBox(content.title)
    content.info = replace(box, verdicts=tuple(lines))
    content.subjects = names
    mark_subject_zones(content.features, names)


def _area_request(opts: CheckOptions) -> RangeRequest:
    """The RangeRequest an area check is about."""
    from geo.briefing.compose import RangeRequest, flown_request, missile_requests
    from geo.core.parse import parse_bearing_range, parse_distance_m

    options = (("--range", opts.range_), ("--missile", opts.missile), ("--flown", opts.flown))
    given = [opt for opt, value in options if value]
    if len(given) > 1:
        raise InputError(f"give one area: {' and '.join(given)} were both given")
    if bool(opts.flown) != bool(opts.apogee):
        raise InputError("--flown and --apogee go together (an observed flight)")
    if (opts.min_range or opts.sector) and not opts.range_:
        raise InputError("--min-range and --sector describe an area: add --range")
    if opts.range_:
        from geo.cli.options import checked_area

        return RangeRequest(
            *checked_area(
                parse_distance_m(opts.range_),
                parse_distance_m(opts.min_range) if opts.min_range else 0.0,
                parse_bearing_range(opts.sector) if opts.sector else None,
            )
        )
    if opts.missile:
        return missile_requests([opts.missile])[0]
    assert opts.flown and opts.apogee  # area_given and not range/missile
    return flown_request(parse_distance_m(opts.flown), parse_distance_m(opts.apogee))


# ---------------------------------------------------------------------------- batch output

_FORMULA_START = frozenset("=+-@\t\r")


def neutralise(value: Any) -> Any:
    """A CSV cell that a spreadsheet would run as a formula, made text (OWASP: a leading
    apostrophe). Only text cells: numbers the batch computed are written as numbers."""
    if type(value) is str and value and value[0] in _FORMULA_START:
        return "'" + value
    return value


@contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    """Stdout, or a temporary file renamed to ``path`` once everything is written."""
    if not path or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    from geo.access.atomic import atomic_path

    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        yield fh
    message(f"wrote {path}")


def _write_csv_rows(fh: IO[str], header: list[str], rows: Iterator[list[Any]]) -> None:
    # RFC 4180 line ends: csv then quotes every cell holding a CR or LF, so a bare CR (a row
    # end to a spreadsheet) cannot put a neutralised cell's tail at the start of a new row.
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    buf: list[list[Any]] = []
    start = _FORMULA_START
    for row in rows:
        # neutralise(), inlined: this runs for every cell of a million rows
        buf.append([("'" + v) if type(v) is str and v and v[0] in start else v for v in row])
        if len(buf) >= 4096:
            writer.writerows(buf)
            buf.clear()
    writer.writerows(buf)


def _write_json_rows(fh: IO[str], header: list[str], rows: Iterator[list[Any]]) -> None:
    fh.write("[")
    sep = "\n"
    for row in rows:
        obj = {
            k: (None if v == "" and k not in _TEXT_KEYS else v)
            for k, v in zip(header, row, strict=True)
        }
        fh.write(sep + "  " + json.dumps(obj, ensure_ascii=False))
        sep = ",\n"
    fh.write("\n]\n")


_TEXT_KEYS = frozenset(
    (
        "id", "kind", "leg", "zone", "territory", "sovereign", "pol_type", "all_zones", "on_land",
        "country", "status", "note", "dataset", "dataset_kind", "error",
    )
)  # fmt: skip
"""Batch columns that are text: empty stays "" in JSON; empty numbers are null."""


# ---------------------------------------------------------------------------- text output


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


def verdict_line(v: dict[str, Any], *, impact: bool = False) -> str:
    """One country's verdict as one line of text."""
    c, m = v["country"], v["margin_km"]
    if m is None:  # a zone set without boundaries: no distance to give
        return f"{c}: {v['status'].upper().replace('_', ' ')} (no zone boundary to measure to)"
    coast = f"; {v['coast_km']:,.1f} km from its coast" if v.get("coast_km") is not None else ""
    status = v["status"]
    if status == "on_own_land":
        text = (
            f"{c}: ON OWN LAND — on {c}'s own land, not in its EEZ (a sea zone); its side "
            f"reaches {m:,.1f} km beyond (to the nearest point on neither its zones nor its "
            f"land){coast}"
        )
    elif status == "inside":
        text = (
            f"{c}: INSIDE — inside by {m:,.1f} km (to the nearest point on neither {c}'s "
            f"zones nor its land){coast}"
        )
    elif status == "outside":
        text = f"{c}: OUTSIDE — outside by {m:,.1f} km (to {c}'s zones or land)"
    else:
        text = f"{c}: {status.upper()} — {m:,.1f} km from the edge of {c}'s zones and land"
    if impact:
        text += f"; P(inside) {v['p_inside']:.2f}"
    if v.get("note") and status != "on_own_land":
        text += f" ({v['note']})"
    return text


def _print_point(
    d: dict[str, Any],
    opts: CheckOptions,
    *,
    origin: str | None = None,
    bearing: str | None = None,
) -> None:
    """``origin`` and ``bearing``: a reported impact's origin name and --bearing as given."""
    if opts.as_json or _json_path(opts.output):
        emit_json(d, opts.output)
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
        read = {"rhumb": " (rhumb line)", "geodesic": " (geodesic)"}.get(imp.get("leg", ""), "")
        lines[0] = (
            f"reported impact {km} km {how}{where}{read}: {d['lat']:.5f}, {d['lon']:.5f} (lat, lon)"
        )
    lines.append(_dataset_line(d["dataset"]))
    if d["on_land"]:
        lines.append(f"on land: {d['on_land']['country']}")
    lines.extend(_containing_lines(d))
    if not d["containing"] and not d["on_land"]:
        lines.append("in no zone of this dataset")
    for z in d["nearby"][:3]:
        lines.append(f"nearby {_zone_text(z)}: {z['distance_km']:,.1f} km")
    for v in d["verdicts"]:
        lines.append(verdict_line(v, impact=bool(d.get("impact"))))
    if d.get("track"):
        from geo.briefing.events import track_text

        lines += track_text(d["track"], [v["country"] for v in d["verdicts"]])
    for v in d["verdicts"]:
        lines.append(f"counted for {v['country']}: {v['counted_zones']}")
    emit_text("\n".join(lines), opts.output)


def _containing_lines(d: dict[str, Any]) -> list[str]:
    """Which zones hold the point, worded so that no line contradicts a verdict: the distance
    to a zone's boundary counts its coast as boundary, so it is not a margin (``verdict_line``
    gives the seaward margin and the coast distance); it is shown only without ``--country``,
    named for what it is. A point on land inside a zone's outline (an official polygon that
    did not cut the island out) is within the outline, not in the sea zone."""
    lines = []
    for z in d["containing"]:
        if d["on_land"]:
            lines.append(
                f"within the outline of {_zone_text(z)}: on land the dataset did not cut out "
                "(land is not part of an EEZ)"
            )
        elif d["verdicts"]:
            lines.append(f"in {_zone_text(z)}")
        else:
            km = z["distance_to_boundary_km"]
            lines.append(
                f"in {_zone_text(z)}: {km:,.1f} km from its outline, coast included "
                "(--country gives the seaward margin)"
            )
    return lines


MAX_ZONE_LINES = 15
"""A world-scale area reaches 150 zones: text shows the largest overlaps."""


def _print_area(d: dict[str, Any], opts: CheckOptions) -> None:
    if opts.as_json or _json_path(opts.output):
        emit_json(d, opts.output)
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
    for v in d["verdicts"]:
        lines.append(v["summary"])
    emit_text("\n".join(lines), opts.output)


def _json_path(output: str | None) -> bool:
    return bool(output) and str(output).lower().endswith(".json")


__all__ = ["MODES", "CheckOptions", "check_cmd", "map_format", "neutralise", "verdict_line"]
