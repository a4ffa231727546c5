"""``rangezone ring``, ``impact`` and ``sites``."""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, cast

import click

from geo.cli._common import emit_json, emit_text, message
from geo.cli.options import checked_area, option, resolve_centre
from geo.core.parse import parse_bearing_deg, parse_bearing_range, parse_distance_m
from geo.errors import InputError

if TYPE_CHECKING:
    from geo.access.zones import Zones
    from geo.briefing.compose import RangeRequest
    from geo.core.impact import ReportedImpact
    from geo.core.types import LonLat
    from geo.present.content import MapContent
    from geo.present.image import ImageFormat


FORMAT_NAMES = {
    "geojson": "GeoJSON",
    "html": "HTML",
    "kml": "KML",
    "gpkg": "GeoPackage",
    "png": "PNG",
    "svg": "SVG",
    "pdf": "PDF",
}
SUFFIX_FORMATS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".html": "html",
    ".htm": "html",
    ".kml": "kml",
    ".gpkg": "gpkg",
    ".png": "png",
    ".svg": "svg",
    ".pdf": "pdf",
}


@click.command("ring")
@option("site")
@option("at")
@option("range", dest="ranges", multiple=True, note="Repeatable.")
@option("min-range")
@option("bearings")
@option("missile", dest="missiles", multiple=True, note="Repeatable.")
@option("flown", note="Drawn as the flown range; --with-standard-range adds the other ring.")
@option("apogee", note="With --flown.")
@click.option(
    "--with-standard-range",
    is_flag=True,
    help="With --flown/--apogee: also draw the energy-equivalent standard-range ring.",
)
@click.option(
    "--tolerance",
    default="100m",  # geo.core.shapes.DEFAULT_TOLERANCE_M, not imported to keep start-up light
    show_default=True,
    help="Largest distance of a polygon edge from the true circle.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMAT_NAMES)),
    help="Output format [default: from the -o suffix; geojson on stdout].",
)
@option("title")
@option("eez", note="Its zones are drawn on maps.")
@click.option("--no-eez", is_flag=True, help="Draw no EEZ zones on maps.")
@click.option("--with-rings", is_flag=True, help="GeoJSON: add each circle as a line (kind ring).")
@option("online-tiles")
@option("map-size")
@option("dpi")
@click.option(
    "--extent", metavar="W,S,E,N", help="Map view WEST,SOUTH,EAST,NORTH in degrees (maps)."
)
@option("output", note="Its suffix sets the format (default: GeoJSON on stdout).")
def ring_cmd(
    site: str | None,
    at: str | None,
    ranges: tuple[str, ...],
    min_range: str | None,
    bearing: str | None,
    missiles: tuple[str, ...],
    flown: str | None,
    apogee: str | None,
    with_standard_range: bool,
    tolerance: str,
    fmt: str | None,
    title: str | None,
    eez_path: str | None,
    no_eez: bool,
    with_rings: bool,
    online_tiles: str | None,
    map_size: str | None,
    dpi: int | None,
    extent: str | None,
    output: str | None,
) -> None:
    """Geodesic range areas (and rings) around a launch site, as GeoJSON or a map."""
    from geo.briefing.compose import RangeRequest, flown_request, missile_requests

    fmt = output_format(fmt, output)
    _check_options_apply(
        fmt,
        {
            "--title": title is not None,
            "--eez": eez_path is not None,
            "--no-eez": no_eez,
            "--with-rings": with_rings,
            "--online-tiles": online_tiles is not None,
            "--map-size": map_size is not None,
            "--dpi": dpi is not None,
            "--extent": extent is not None,
        },
    )
    view = None
    if extent is not None:
        from geo.briefing.events import parse_extent

        view = parse_extent(extent)
    centre, site_name = resolve_centre(site, at)
    tol = parse_distance_m(tolerance, default_unit="m")
    requests: list[RangeRequest] = []
    min_m = parse_distance_m(min_range) if min_range else 0.0
    bearings = parse_bearing_range(bearing) if bearing else None
    if (min_range or bearing) and not ranges:
        # Missile and flight areas are full disks; an inner radius or bearings would be lost.
        raise InputError("--min-range and --bearing shape --range areas: add --range")
    for text in ranges:
        requests.append(RangeRequest(*checked_area(parse_distance_m(text), min_m, bearings)))
    requests.extend(missile_requests(missiles))
    if flown or apogee:
        if not (flown and apogee):
            raise InputError("--flown and --apogee go together: give both")
        flown_m = parse_distance_m(flown)
        std = flown_request(flown_m, parse_distance_m(apogee))  # checks the flight
        requests.append(RangeRequest(flown_m, label=f"Flown {flown_m / 1000:,.0f} km (observed)"))
        if with_standard_range:
            requests.append(std)
    elif with_standard_range:
        raise InputError("--with-standard-range needs --flown and --apogee (an observed flight)")
    if not requests:
        raise InputError("give at least one --range, --missile or --flown/--apogee")
    if fmt == "geojson":
        from geo.present.geojson import collection_text

        content = range_map_content(
            centre, site_name, requests, title=title, tolerance_m=tol, outline=with_rings
        )
        areas = [f for f in content.features if f.kind != "site"]
        emit_text(collection_text(areas), output)
        return
    zones = None
    if not no_eez:
        from geo.access.zones import load_zones

        zones = load_zones(eez_path)
    content = range_map_content(
        centre, site_name, requests, title=title, tolerance_m=tol, zones=zones
    )
    content.extent = view
    width, height = parse_map_size(map_size)
    assert output is not None  # output_format demands -o for every map format
    write_map(
        content, fmt, output, online_tiles=online_tiles, width=width, height=height, dpi=dpi or 200
    )


# Which output formats each map option affects; anything else would be silently ignored.
_OPTION_FORMATS = {
    "--title": ("html", "png", "svg", "pdf", "kml", "gpkg"),
    "--eez": ("html", "png", "svg", "pdf", "kml", "gpkg"),
    "--no-eez": ("geojson", "html", "png", "svg", "pdf", "kml", "gpkg"),  # GeoJSON: no zones
    "--with-rings": ("geojson",),
    "--online-tiles": ("html",),
    "--map-size": ("html",),
    "--dpi": ("png",),
    "--extent": ("html", "png", "svg", "pdf"),
}


def _check_options_apply(fmt: str, given: dict[str, bool]) -> None:
    for flag, used in given.items():
        if used and fmt not in _OPTION_FORMATS[flag]:
            applies = ", ".join(FORMAT_NAMES[f] for f in _OPTION_FORMATS[flag])
            raise InputError(
                f"{flag} does not apply to {FORMAT_NAMES[fmt]} output (only {applies})"
            )
    if given["--eez"] and given["--no-eez"]:
        raise InputError("--eez and --no-eez contradict each other: give one")


def range_map_content(
    centre: LonLat,
    site_name: str,
    requests: list[RangeRequest],
    *,
    title: str | None = None,
    tolerance_m: float | None = None,
    outline: bool = True,
    zones: Zones | None = None,
) -> MapContent:
    """The map of range areas around a site (``ring``, ``check --range/--missile -o``): the
    site, the areas and, with ``zones``, the zones near them."""
    from geo.briefing.compose import notes_for, range_features, site_feature
    from geo.present.content import MapContent

    features = [site_feature(centre, site_name)]
    given = {} if tolerance_m is None else {"tolerance_m": tolerance_m}
    features += range_features(centre, site_name, requests, outline=outline, **given)
    content = MapContent(title=title or f"Range from {site_name}", features=features, focus=centre)
    content.notes.extend(notes_for(requests))
    if zones is not None:
        from shapely.ops import unary_union

        from geo.briefing.compose import zone_features

        content.dataset = zones.info
        around = unary_union([f.geometry for f in features])
        content.features = zone_features(zones, around) + content.features
    return content


def output_format(fmt: str | None, output: str | None) -> str:
    """The format to write: ``--format``, else the one the -o suffix names, else GeoJSON on
    stdout. A suffix that contradicts --format is an error, so that map.png never holds
    GeoJSON."""
    to_file = bool(output) and output != "-"
    suffix = PurePath(output).suffix.lower() if output and to_file else ""
    named = SUFFIX_FORMATS.get(suffix)
    if fmt is None:
        if not to_file:
            return "geojson"
        if named is None:
            *most, last = SUFFIX_FORMATS
            known = f"{', '.join(most)} or {last}"
            raise InputError(
                f"cannot tell the format of -o {output}: end it in {known}, or give --format"
            )
        return named
    if fmt != "geojson" and not to_file:
        raise InputError(f"--format {fmt} writes a file: give -o PATH")
    if named is not None and named != fmt:
        raise InputError(
            f"--format {fmt} writes {FORMAT_NAMES[fmt]} but -o {output} names a {suffix} file"
        )
    return fmt


def parse_map_size(text: str | None) -> tuple[str | None, str | None]:
    """'800x600' -> ('800px', '600px'); None -> fill the container."""
    if text is None:
        return None, None
    from geo.core.parse import parse_size_px

    width, height = parse_size_px(text)
    return f"{width}px", f"{height}px"


def write_map(
    content: MapContent,
    fmt: str,
    output: str,
    *,
    online_tiles: str | None = None,
    width: str | None = None,
    height: str | None = None,
    dpi: int = 200,
) -> None:
    """Write map content in one of the map formats (html, kml, gpkg, png, svg, pdf)."""
    if fmt == "html":
        from geo.present.html_map import write_html

        write_html(content, output, online_tiles=online_tiles, width=width, height=height)
    elif fmt == "kml":
        from geo.present.exports import write_kml

        write_kml(content, output)
    elif fmt == "gpkg":
        from geo.present.exports import write_gpkg

        write_gpkg(content, output)
    else:
        from geo.present.image import render_image

        render_image(content, output, fmt=cast("ImageFormat", fmt), dpi=dpi)
    message(f"wrote {output}")


@click.command("impact")
@option("from", required=True)
@option("distance", required=True)
@option("bearing", required=True)
@option("leg")
@option("distance-uncertainty")
@option("bearing-uncertainty")
@option("json", note="(GeoJSON: the point and its uncertainty area)")
@option("site", note="Maps: the launch site, drawn with the ground track to the impact.")
@option("country", note="Maps: its zones emphasised and its verdict in the info box.")
@option("title")
@option("eez", note="Its zones are drawn on maps.")
@option("output", note="A map: .html, .png, .svg, .pdf, .kml, .gpkg (.geojson: the features).")
def impact_cmd(
    origin: str,
    distance: str,
    bearing: str,
    leg: str | None,
    distance_uncertainty: float | None,
    bearing_uncertainty: float | None,
    as_json: bool,
    site: str | None,
    country: str | None,
    title: str | None,
    eez_path: str | None,
    output: str | None,
) -> None:
    """A reported impact "DISTANCE BEARING of PLACE": the point and its uncertainty area;
    with -o, a map of it."""
    from geo.briefing.compose import impact_features
    from geo.core.impact import impact_label, reported_impact
    from geo.core.parse import DEFAULT_LEG, LEG_NAMES, parse_leg
    from geo.present.geojson import feature_collection

    centre, name = resolve_centre(origin, None, place_or_coord=True)
    dist_m = parse_distance_m(distance)
    az = parse_bearing_deg(bearing)
    given: dict[str, float] = {}  # the rest keep reported_impact's defaults
    if distance_uncertainty is not None:
        given["distance_uncertainty"] = distance_uncertainty
    if bearing_uncertainty is not None:
        given["bearing_uncertainty_deg"] = bearing_uncertainty
    imp = reported_impact(centre, dist_m, az, leg=parse_leg(leg or DEFAULT_LEG), **given)
    label = impact_label(distance, bearing, name)
    fmt = output_format(None, output) if output and output != "-" else None
    if fmt is None:
        for flag, value in (("--site", site), ("--country", country), ("--title", title),
                            ("--eez", eez_path)):  # fmt: skip
            if value:
                raise InputError(f"{flag} applies to maps: add -o map.html (or .png, .svg...)")
    if fmt is not None:
        if as_json:
            raise InputError("--json prints GeoJSON; -o writes a file: give one of them")
        _impact_map(imp, label, name, fmt, str(output), site, country, title, eez_path)
        return
    if as_json:
        emit_json(feature_collection(impact_features(imp, label, origin=name)))
        return
    p = imp.point
    click.echo(f"{label} ({LEG_NAMES[imp.leg]}): {p.lat_deg:.5f}, {p.lon_deg:.5f} (lat, lon)")
    click.echo(
        f"uncertainty: {imp.min_distance_m / 1000:,.0f}–{imp.max_distance_m / 1000:,.0f} km, "
        f"bearing {(imp.azimuth_deg - imp.bearing_uncertainty_deg) % 360:.2f}°"
        f"–{(imp.azimuth_deg + imp.bearing_uncertainty_deg) % 360:.2f}°, "
        f"area {imp.area.area_m2 / 1e6:,.0f} km²"
    )


def _impact_map(
    imp: ReportedImpact,
    label: str,
    origin_name: str,
    fmt: str,
    output: str,
    site: str | None,
    country: str | None,
    title: str | None,
    eez_path: str | None,
) -> None:
    """``impact -o``: the map of one reported impact, written like ``ring``'s."""
    from geo.access.zones import load_land, load_zones
    from geo.briefing.events import impact_map_content

    zones = load_zones(eez_path)
    launch = resolve_centre(site, None) if site else None
    content, _ = impact_map_content(
        imp,
        label,
        origin_name,
        zones,
        load_land(),
        site=launch,
        countries=(country,) if country else (),
        title=title,
    )
    if fmt == "geojson":
        from geo.present.geojson import dumps, feature_collection

        emit_text(dumps(feature_collection(content.of_kind(*_IMPACT_LAYERS))), output)
        return
    write_map(content, fmt, output)


_IMPACT_LAYERS = ("site", "track", "reference_point", "reported_leg", "reported_impact",
                  "impact_uncertainty")  # fmt: skip
