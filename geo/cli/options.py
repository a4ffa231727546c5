"""Option handling shared by subcommands: where a command's centre point comes from."""

from __future__ import annotations

import re

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
