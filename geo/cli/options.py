"""Option handling shared by subcommands: where a command's centre point comes from."""

from __future__ import annotations

import re

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
        text = str(value).strip().rstrip("°")
        if self.percent:
            from geo.core.parse import parse_fraction

            try:
                return parse_fraction(text)
            except InputError as exc:
                self.fail(str(exc), param, ctx)
        try:
            v = float(text)
        except ValueError:
            self.fail(f"{value!r} is not {self.what}", param, ctx)
        if not 0.0 <= v < self.upper:
            self.fail(f"{value!r} is outside [0, {self.upper:g}) degrees", param, ctx)
        return v


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
