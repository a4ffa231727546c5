"""Parsing of user input: coordinates, distances, bearings. Pure: strings in, numbers out."""

from __future__ import annotations

import math
import re

from geo.core.types import LonLat
from geo.errors import BearingError, CoordinateError, DistanceError

# Metres per unit. "nm"/"NM" are nautical miles, as analysts write them (not nanometres).
_UNITS_M: dict[str, float] = {
    "m": 1.0,
    "meter": 1.0,
    "meters": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "km": 1000.0,
    "kilometer": 1000.0,
    "kilometers": 1000.0,
    "kilometre": 1000.0,
    "kilometres": 1000.0,
    "nm": 1852.0,
    "nmi": 1852.0,
    "nautical mile": 1852.0,
    "nautical miles": 1852.0,
    "mi": 1609.344,
    "mile": 1609.344,
    "miles": 1609.344,
}

_DIST_RE = re.compile(r"^\s*([+-]?(?:\d+(?:[.,]\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([a-z ]*?)\s*$", re.I)


def parse_distance_m(text: str, *, default_unit: str | None = None) -> float:
    """'400km', '400 km', '216 NM', '250mi', '1500 m' -> metres.

    A bare number is an error unless ``default_unit`` is given: a missing unit is the most
    common way to be off by a factor of 1000.
    """
    raw = str(text).strip()
    m = _DIST_RE.match(raw)
    if not m:
        raise DistanceError(
            f"cannot read distance {raw!r}: expected a number and a unit, e.g. 400km"
        )
    number = float(m.group(1).replace(",", "."))
    unit = m.group(2).strip().lower()
    if not unit:
        if default_unit is None:
            raise DistanceError(
                f"distance {raw!r} has no unit: add one of m, km, nm (nautical miles), mi"
            )
        unit = default_unit.lower()
    if unit not in _UNITS_M:
        raise DistanceError(
            f"unknown distance unit {m.group(2).strip()!r} in {raw!r}: "
            "use m, km, nm (nautical miles) or mi"
        )
    if not math.isfinite(number):
        raise DistanceError(f"distance {raw!r} is not a finite number")
    if number < 0:
        raise DistanceError(f"distance {raw!r} is negative")
    return number * _UNITS_M[unit]


_COMPASS = [
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
    "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW",
]  # fmt: skip
_WORDS = {"north": "N", "east": "E", "south": "S", "west": "W"}


def _compass_key(text: str) -> str | None:
    t = text.strip().lower().replace("_", "-").replace(" ", "-")
    if not t:
        return None
    if re.fullmatch(r"[nesw]{1,3}", t):
        return t.upper()
    # north-west, north-northwest, northeast, south-south-east...
    parts = [p for p in re.split(r"-", t) if p]
    letters = ""
    for part in parts:
        rest = part
        while rest:
            for word, letter in _WORDS.items():
                if rest.startswith(word):
                    letters += letter
                    rest = rest[len(word) :]
                    break
            else:
                return None
    return letters or None


def parse_bearing_deg(text: str) -> float:
    """'45', '45°', 'NE', 'north-west', 'NNW' -> degrees clockwise from true north in [0, 360)."""
    raw = str(text).strip()
    num = raw.rstrip("°").strip()
    try:
        value = float(num)
    except ValueError:
        key = _compass_key(raw)
        if key in _COMPASS:
            return _COMPASS.index(key) * 22.5
        raise BearingError(
            f"cannot read bearing {raw!r}: give degrees clockwise from north (e.g. 95) "
            "or a compass point (E, ESE, north-west)"
        ) from None
    if not math.isfinite(value):
        raise BearingError(f"bearing {raw!r} is not a finite number")
    deg = value % 360.0
    return 0.0 if deg == 360.0 else deg  # -1e-20 % 360 rounds to 360


def parse_bearing_range(text: str) -> tuple[float, float]:
    """'60..120' or 'NE..SE' -> (from_deg, to_deg), swept clockwise from the first to the second."""
    raw = str(text).strip()
    if ".." not in raw:
        raise BearingError(f"bearing range {raw!r} must be FROM..TO, e.g. 60..120 or NE..SE")
    a, b = raw.split("..", 1)
    return parse_bearing_deg(a), parse_bearing_deg(b)


_NUM = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_DMS_PART = re.compile(
    rf"""^\s*(?P<h1>[NSEW])?\s*
    (?P<d>{_NUM})\s*(?:°|º|d|deg|\s)?\s*
    (?:(?P<m>{_NUM})\s*(?:'|\u2032|m|min|\s)?\s*)?
    (?:(?P<s>{_NUM})\s*(?:"|\u2033|''|s|sec)?\s*)?
    (?P<h2>[NSEW])?\s*$""",
    re.I | re.X,
)


def _parse_angle(part: str) -> tuple[float, str | None]:
    m = _DMS_PART.match(part)
    if not m:
        raise CoordinateError(f"cannot read coordinate part {part.strip()!r}")
    if m.group("h1") and m.group("h2"):
        raise CoordinateError(f"coordinate part {part.strip()!r} has two hemisphere letters")
    hemi = (m.group("h1") or m.group("h2") or "").upper() or None
    deg = float(m.group("d"))
    minutes = float(m.group("m") or 0.0)
    seconds = float(m.group("s") or 0.0)
    if m.group("m") is not None and not 0 <= minutes < 60:
        raise CoordinateError(f"minutes out of range in {part.strip()!r}")
    if m.group("s") is not None and not 0 <= seconds < 60:
        raise CoordinateError(f"seconds out of range in {part.strip()!r}")
    sign = -1.0 if deg < 0 or str(m.group("d")).startswith("-") else 1.0
    value = sign * (abs(deg) + minutes / 60.0 + seconds / 3600.0)
    if hemi in ("S", "W"):
        if value < 0:
            raise CoordinateError(
                f"coordinate part {part.strip()!r} has both a minus sign and {hemi}"
            )
        value = -value
    return value, hemi


def _split_pair(text: str) -> tuple[str, str]:
    t = text.strip()
    for sep in (",", ";"):
        if sep in t:
            a, b = t.split(sep, 1)
            return a, b
    # No separator: the first split at white space where both halves read as angles.
    parts = t.split()
    for k in range(1, len(parts)):
        a, b = " ".join(parts[:k]), " ".join(parts[k:])
        try:
            _parse_angle(a)
            _parse_angle(b)
        except CoordinateError:
            continue
        return a, b
    # Hemisphere letters with no space: 39.02N125.75E
    m = re.match(r"^(.*?\d[^NSns]*[NSns])\s*(.+)$", t)
    if m:
        return m.group(1), m.group(2)
    raise CoordinateError(
        f"cannot read coordinate {text.strip()!r}: use 'lat,lon' (39.02,125.75), "
        "hemisphere letters (39.02N 125.75E), DMS (38°30'28\"N 125°45'16\"E) or MGRS"
    )


_MGRS_RE = re.compile(r"^\s*\d{1,2}[C-HJ-NP-X]\s*[A-HJ-NP-Z]{2}\s*(\d+\s*\d*)?\s*$", re.I)


def _check_ranges(lat: float, lon: float, text: str) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise CoordinateError(f"coordinate {text!r} is not finite")
    if not -90.0 <= lat <= 90.0:
        hint = ""
        if -90.0 <= lon <= 90.0 and -180.0 <= lat <= 180.0:
            hint = f" (did you swap them? latitude comes first: {lon:g},{lat:g})"
        raise CoordinateError(f"latitude {lat:g} in {text!r} is outside -90..90{hint}")
    if not -180.0 <= lon <= 180.0:
        raise CoordinateError(f"longitude {lon:g} in {text!r} is outside -180..180")


def parse_coord(text: str) -> LonLat:
    """Read a coordinate written latitude first; return it as LonLat (longitude first).

    Accepts '39.02,125.75', '39.02N 125.75E', '38°30'28"N 125°45'16"E', '-45.5,170.2' and
    MGRS ('52SCG1234567890').
    """
    raw = str(text).strip()
    if not raw:
        raise CoordinateError("empty coordinate")
    compact = raw.replace(" ", "")
    if _MGRS_RE.match(raw) and not re.search(r"[°'\",]", raw):
        return _parse_mgrs(compact)
    a, b = _split_pair(raw)
    v1, h1 = _parse_angle(a)
    v2, h2 = _parse_angle(b)
    # With hemisphere letters the order may be either way round ("125.7E 38.5N").
    if h1 in ("E", "W") and h2 in ("N", "S"):
        lat, lon = v2, v1
    elif h1 in ("E", "W") or h2 in ("N", "S"):
        raise CoordinateError(f"coordinate {raw!r} gives two longitudes or two latitudes")
    else:
        lat, lon = v1, v2
    _check_ranges(lat, lon, raw)
    return LonLat(lon, lat)


def _parse_mgrs(text: str) -> LonLat:
    import mgrs  # imported lazily: only MGRS input needs it

    digits = re.sub(r"^\d{1,2}[A-Z][A-Z]{2}", "", text.upper())
    if len(digits) % 2:
        raise CoordinateError(f"MGRS {text!r} has an odd number of easting/northing digits")
    try:
        lat, lon = mgrs.MGRS().toLatLon(text.upper())
    except Exception as exc:  # the mgrs library raises bare Exceptions
        raise CoordinateError(f"invalid MGRS coordinate {text!r}: {exc}") from None
    return LonLat(float(lon), float(lat))
