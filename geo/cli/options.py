"""Options shared by subcommands, declared once (as rasterio's ``rio/options.py``), and the
handling they share: where a command's centre point comes from, uncertainty half-widths.

A command takes a shared option with ``@option("eez")``; ``note`` adds what the option
means for that command to the one shared help text, and the keywords ``dest``,
``multiple``, ``required``, ``metavar`` adapt it without changing its meaning::

    @option("range", dest="ranges", multiple=True, note="Repeatable.")
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import click

from geo.core.parse import parse_coord
from geo.core.types import LonLat
from geo.errors import InputError

# Text made only of numbers, signs, separators, degree marks and hemisphere letters is a
# coordinate, never a place name: its errors are reported as coordinate errors.
_COORD_LIKE = re.compile(r"^[\s\d.,;:+\-°º'\"′″NSEWnsewdms]+$")


def resolve_centre(
    site: str | None, at: str | None, *, place_or_coord: bool = False
) -> tuple[LonLat, str]:
    """(centre, display name) from --site NAME or --at COORD (exactly one)."""
    from geo.access.gazetteer import lookup_place

    if site and at:
        raise InputError("give either --site or --at, not both")
    if not site and not at:
        raise InputError("give --site NAME or --at LAT,LON")
    if at:
        c = parse_coord(at)
        return c, f"{c.lat_deg:.4f}, {c.lon_deg:.4f}"
    name = str(site)
    if place_or_coord and _COORD_LIKE.match(name):
        c = parse_coord(name)
        return c, f"{c.lat_deg:.4f}, {c.lon_deg:.4f}"
    place = lookup_place(name)
    return place.lonlat, place.name


class HalfOpenFloat(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2
    """A number in [0, upper): an uncertainty half-width. ``percent`` also takes ``10%``."""

    def __init__(self, name: str, upper: float, what: str, *, percent: bool = False) -> None:
        self.name, self.upper, self.what, self.percent = name, upper, what, percent

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        from geo.core.parse import parse_fraction, parse_number

        text = str(value).strip()
        if self.percent:
            try:
                return parse_fraction(text)
            except InputError as exc:
                self.fail(str(exc), param, ctx)
        try:
            v = parse_number(text[:-1] if text.endswith("°") else text, self.name)
        except InputError:
            self.fail(f"{value!r} is not {self.what}", param, ctx)
        if not 0.0 <= v < self.upper:
            self.fail(f"{value!r} is outside [0, {self.upper:g}) degrees", param, ctx)
        return v


class BoundedTitle(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2
    """A map title, at most ``geo.core.parse.MAX_TITLE_CHARS`` characters."""

    name = "text"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        from geo.core.parse import check_title

        try:
            return check_title(str(value), "--title")
        except InputError as exc:
            self.fail(str(exc), param, ctx)


TITLE = BoundedTitle()
FRACTION = HalfOpenFloat("fraction", 1.0, "a fraction (0.1) or a percentage (10%)", percent=True)
BEARING_HALF_WIDTH = HalfOpenFloat("degrees", 180.0, "a number of degrees")


def checked_area(
    range_m: float, min_range_m: float, bearings: tuple[float, float] | None
) -> tuple[float, float, tuple[float, float] | None]:
    """--range, --min-range and the bearings of an area, refused when the area would be
    empty."""
    if range_m <= 0:
        raise InputError("--range must be more than 0 km")
    if min_range_m >= range_m:
        raise InputError(
            f"--min-range {min_range_m / 1000:,.6g} km must be less than --range "
            f"{range_m / 1000:,.6g} km (the area between them would be empty)"
        )
    return range_m, min_range_m, bearings


# ---------------------------------------------------------------------------- the registry

FC = TypeVar("FC", bound="Callable[..., Any] | click.Command")

EEZ_COLUMNS_HELP = (
    "Column map for zone files without the Marine Regions schema, e.g. "
    "name=NAME,territory1=COUNTRY,sovereign1=SOV (keys: name, pol_type, territory1-3, "
    "sovereign1-3, iso1-3, mrgid)."
)
BEARINGS_HELP = "Bearings FROM..TO clockwise from true north (60..120, NE..SE)."


@dataclass(frozen=True)
class OptionSpec:
    """One shared option: its flags, default parameter name, help text and click settings."""

    flags: tuple[str, ...]
    dest: str
    help: str
    attrs: dict[str, object] = field(default_factory=dict)


OPTIONS: dict[str, OptionSpec] = {}
"""Every shared option by name; :func:`option` turns one into a click decorator."""


def _declare(name: str, *flags: str, dest: str, help: str, **attrs: object) -> None:
    OPTIONS[name] = OptionSpec(flags, dest, help, attrs)


# where: a point, a place, a reported impact
_declare(
    "site",
    "--site",
    dest="site",
    help="Launch site or place name from the gazetteer (see 'rangezone sites').",
    metavar="NAME",
)
_declare(
    "at",
    "--at",
    dest="at",
    help="Point as 'lat,lon', DMS or MGRS; write --at=-45.5,170.2 for negatives.",
    metavar="COORD",
)
_declare(
    "from",
    "--from",
    dest="origin",
    help="Place or coordinate a reported impact is measured from.",
    metavar="PLACE",
)
_declare(
    "distance",
    "--distance",
    dest="distance",
    help="Reported distance with unit (250km, 135nm).",
    metavar="DIST",
)
_declare(
    "bearing",
    "--bearing",
    dest="bearing",
    help="Reported bearing: degrees clockwise from true north or a compass point (W, NNW).",
    metavar="BEARING",
)
_declare(
    "leg",
    "--leg",
    dest="leg",
    help="How the reported distance and bearing are read: 'rhumb' (constant bearing, as "
    "plotted on charts) or 'geodesic' (the geodesic leaving the place at that azimuth) "
    "[default: rhumb].",
    type=click.Choice(["rhumb", "geodesic"], case_sensitive=False),
)
_declare(
    "distance-uncertainty",
    "--distance-uncertainty",
    dest="distance_uncertainty",
    help="Half-width of the reported distance interval: 0.1 or 10% [default: 10%].",
    type=FRACTION,
)
_declare(
    "bearing-uncertainty",
    "--bearing-uncertainty",
    dest="bearing_uncertainty",
    help="Half-width of the reported bearing interval in degrees [default: 11.25].",
    type=BEARING_HALF_WIDTH,
)
# what: areas around a centre
_declare("range", "--range", dest="range_", help="Range with unit (400km, 216nm).", metavar="DIST")
_declare(
    "min-range",
    "--min-range",
    dest="min_range",
    help="Inner radius with unit: an annulus, or with bearings an impact area.",
    metavar="DIST",
)
_declare("bearings", "--bearing", dest="bearing", help=BEARINGS_HELP, metavar="FROM..TO")
_declare("sector", "--sector", dest="sector", help=BEARINGS_HELP, metavar="FROM..TO")
_declare(
    "missile",
    "--missile",
    dest="missile",
    help="Catalogued missile whose published range to use (Hwasong-15, KN-23).",
    metavar="NAME",
)
_declare(
    "flown",
    "--flown",
    dest="flown",
    help="Observed flight's ground range with unit; with --apogee, its energy-equivalent "
    "standard range.",
    metavar="DIST",
)
_declare(
    "apogee", "--apogee", dest="apogee", help="Observed apogee with unit (4475km).", metavar="DIST"
)
_declare(
    "country",
    "--country",
    dest="country",
    help="Country to give a verdict for: English name, ISO code (JPN or JP) or alias (ROK).",
    metavar="COUNTRY",
)
# data
_declare(
    "eez",
    "--eez",
    dest="eez_path",
    help="EEZ zone file to use instead of the active zone set; 'default' is the shipped "
    "modelled layer (see 'rangezone eez').",
    metavar="PATH",
)
_declare("eez-columns", "--eez-columns", dest="eez_columns", help=EEZ_COLUMNS_HELP, metavar="MAP")
# output
_declare("json", "--json", dest="as_json", help="Print JSON instead of text.", is_flag=True)


def _output_in_existing_folder(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> str | None:
    """-o names a file in a folder that exists: a typo in the folder is an error, not a new
    folder tree holding the output where nobody looks (``build --out DIR`` creates its
    folder: that is its job)."""
    del ctx, param
    if not value or value == "-":
        return value
    from pathlib import Path

    from geo.errors import OutputPathError

    folder = Path(value).parent
    if not folder.exists():  # a file in its place: the write says "Not a directory"
        raise OutputPathError(f"cannot write {value}: folder {folder} does not exist")
    return value


_declare(
    "output",
    "-o",
    "--output",
    dest="output",
    help="Write to this file instead of stdout (in a folder that exists).",
    metavar="PATH",
    callback=_output_in_existing_folder,
)
_declare("title", "--title", dest="title", help="Map title (HTML and images).", type=TITLE)
_declare(
    "map-size",
    "--map-size",
    dest="map_size",
    help="HTML: fixed size WIDTHxHEIGHT in pixels (default: fill the window).",
    metavar="WxH",
)
_declare(
    "online-tiles",
    "--online-tiles",
    dest="online_tiles",
    help="HTML: add an online tile layer (xyzservices name or URL).",
    metavar="NAME|URL",
)
_declare(
    "dpi",
    "--dpi",
    dest="dpi",
    help="PNG resolution in dots per inch [default: 200].",
    type=click.IntRange(50, 1200),
)


def option(
    name: str,
    *,
    note: str = "",
    dest: str | None = None,
    **attrs: object,
) -> Callable[[FC], FC]:
    """The click option ``name`` of :data:`OPTIONS` with its shared help text; ``note``
    (appended to the help) says what it means for this command, ``dest`` renames the
    function parameter, ``attrs`` (``multiple``, ``required``, ``metavar``, ``default``...)
    go to click unchanged."""
    spec = OPTIONS[name]
    help_text = f"{spec.help} {note}".strip() if note else spec.help
    settings: dict[str, Any] = {**spec.attrs, **attrs}  # click's **attrs are untyped
    return click.option(*spec.flags, dest or spec.dest, help=help_text, **settings)
