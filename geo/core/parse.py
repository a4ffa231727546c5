"""Parsing of user input: coordinates, distances, bearings. Pure: strings in, numbers out."""

from __future__ import annotations

import math
import re

from geo.core.types import LonLat
from geo.errors import BearingError, CoordinateError, DistanceError, InputError

NAUTICAL_MILE_M = 1852.0
"""The international nautical mile (1929), the unit of the 200 NM limit."""

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
    "nm": NAUTICAL_MILE_M,
    "nmi": NAUTICAL_MILE_M,
    "nautical mile": NAUTICAL_MILE_M,
    "nautical miles": NAUTICAL_MILE_M,
    "mi": 1609.344,
    "mile": 1609.344,
    "miles": 1609.344,
}

_DIST_RE = re.compile(r"^\s*([+-]?(?:\d+(?:[.,]\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([a-z ]*?)\s*$", re.I)

# About 26 times the Moon's distance: beyond any use here, but far short of overflow.
_MAX_DISTANCE_M = 1e10


def parse_distance_m(text: str, *, default_unit: str | None = None) -> float:
    """'400km', '400 km', '216 NM', '250mi', '1500 m' -> metres.

    A bare number is an error unless ``default_unit`` is given: a missing unit is the most
    common way to be off by a factor of 1000.
    """
    raw = str(text).strip()
    m = _DIST_RE.match(raw.replace("\u2212", "-"))  # typographic minus, as pasted
    if not m:
        raise DistanceError(
            f"cannot read distance {raw!r}: expected a number and a unit, e.g. 400km"
        )
    if re.fullmatch(r"[+-]?[1-9]\d{0,2},\d{3}", m.group(1)):
        # "1,000km" is 1000 km to some readers and 1 km to others.
        raise DistanceError(
            f"distance {raw!r} is ambiguous: write {raw.replace(',', '', 1)!r} (thousands) "
            f"or {raw.replace(',', '.', 1)!r} (decimals)"
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
    metres = number * _UNITS_M[unit]
    if metres > _MAX_DISTANCE_M:
        raise DistanceError(
            f"distance {raw!r} is too large: at most {_MAX_DISTANCE_M / 1000:,.0f} km"
        )
    return metres + 0.0  # "-0km" -> 0.0, not -0.0


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
    start, end = parse_bearing_deg(a), parse_bearing_deg(b)
    # The shapes read a zero sweep as the full circle; 0..360 says that, 60..60 does not.
    if start == end and not _whole_turn(a, b):
        raise BearingError(
            f"bearing range {raw!r} is empty: give two different bearings, or 0..360 "
            "(or no bearings) for the full circle"
        )
    return start, end


def _whole_turn(a: str, b: str) -> bool:
    """True for FROM..TO written as numbers a non-zero multiple of 360° apart (0..360)."""
    try:
        x, y = (float(t.strip().rstrip("°")) for t in (a, b))
    except ValueError:
        return False
    return x != y


# The lookahead keeps "30" whole: without it 38°30"N read as 38° 3' 0".
_UNUM = r"(?:\d+(?:\.\d*)?|\.\d+)(?![\d.])"
# Only the degrees carry a sign. A lowercase "s" after the seconds is the seconds mark,
# an uppercase "S" the hemisphere: "38 30 28S" is south.
_DMS_PART = re.compile(
    rf"""^\s*(?P<h1>[NSEW])?\s*
    (?P<d>[+-]?{_UNUM})\s*(?:°|º|deg|d|\s)?\s*
    (?:(?P<m>{_UNUM})\s*(?P<mmark>'|\u2032|min|m)?\s*)?
    (?:(?P<s>{_UNUM})\s*(?P<smark>"|\u2033|''|sec|(?-i:s))?\s*)?
    (?P<h2>[NSEW])?\s*$""",
    re.I | re.X,
)


def _parse_angle(part: str) -> tuple[float, str | None]:
    p = part.strip()
    m = _DMS_PART.match(p)
    if not m:
        if "," in p:
            raise CoordinateError(
                f"cannot read coordinate part {p!r}: decimals take a point, not a comma"
            )
        raise CoordinateError(f"cannot read coordinate part {p!r}")
    if m.group("h1") and m.group("h2"):
        raise CoordinateError(f"coordinate part {p!r} has two hemisphere letters")
    hemi = (m.group("h1") or m.group("h2") or "").upper() or None
    d_text, m_text, s_text = m.group("d"), m.group("m"), m.group("s")
    if hemi and d_text[0] in "+-":
        # "-39.02N": is it north or south? Refuse to guess.
        raise CoordinateError(
            f"coordinate part {p!r} has both a sign and the hemisphere letter {hemi}: "
            "use one or the other"
        )
    given = [x for x in (d_text, m_text, s_text) if x is not None]
    if any("." in x for x in given[:-1]):
        raise CoordinateError(
            f"coordinate part {p!r}: only the last of degrees, minutes and seconds "
            "may have decimals"
        )
    if m.group("smark") == "s" and not hemi and m.group("mmark") not in ("m", "min"):
        raise CoordinateError(
            f"coordinate part {p!r} is ambiguous: is the final s seconds or south? "
            'write " for seconds, S for south'
        )
    minutes = float(m_text or 0.0)
    seconds = float(s_text or 0.0)
    if not minutes < 60:
        raise CoordinateError(f"minutes out of range in {p!r}")
    if not seconds < 60:
        raise CoordinateError(f"seconds out of range in {p!r}")
    value = abs(float(d_text)) + minutes / 60.0 + seconds / 3600.0
    if d_text.startswith("-") or hemi in ("S", "W"):
        value = -value
    return value, hemi


def _candidate_pairs(t: str, raw: str) -> list[tuple[str, str]]:
    """The ways ``t`` may split into two angles, for :func:`parse_coord` to try in turn."""
    for sep in (";", ","):
        if sep in t:
            parts = t.split(sep)
            if len(parts) != 2:
                raise CoordinateError(
                    f"coordinate {raw!r} has {len(parts)} parts separated by {sep!r}: give "
                    "only latitude and longitude, with decimal points (38.5,125.7)"
                )
            return [(parts[0], parts[1])]
    # No separator: every split at white space where both halves read as angles.
    words = t.split()
    pairs: list[tuple[str, str]] = []
    for k in range(1, len(words)):
        a, b = " ".join(words[:k]), " ".join(words[k:])
        try:
            _parse_angle(a)
            _parse_angle(b)
        except CoordinateError:
            continue
        pairs.append((a, b))
    if pairs:
        return pairs
    # Hemisphere letters with no space (39.02N125.75E): split after each N or S; the
    # splits that do not read fail later with a message naming the faulty part.
    pairs = [
        (t[: i + 1], t[i + 1 :])
        for i, ch in enumerate(t)
        if ch in "NSns" and re.search(r"\d", t[:i]) and t[i + 1 :].strip()
    ]
    if pairs:
        return pairs
    raise CoordinateError(
        f"cannot read coordinate {raw!r}: use 'lat,lon' (39.02,125.75), "
        "hemisphere letters (39.02N 125.75E), DMS (38°30'28\"N 125°45'16\"E) or MGRS"
    )


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


def _read_pair(a: str, b: str, raw: str) -> LonLat:
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


def parse_coord(text: str) -> LonLat:
    """Read a coordinate written latitude first; return it as LonLat (longitude first).

    Accepts '39.02,125.75', '39.02N 125.75E', '38°30'28"N 125°45'16"E', '-45.5,170.2' and
    MGRS ('52SCG1234567890').
    """
    raw = str(text).strip()
    if not raw:
        raise CoordinateError("empty coordinate")
    t = raw.replace("\u2212", "-")  # typographic minus, as pasted from documents
    mg = _MGRS_RE.match(t)
    if mg:
        return _parse_mgrs(raw, mg)
    found: dict[LonLat, None] = {}
    first_error: CoordinateError | None = None
    for a, b in _candidate_pairs(t, raw):
        try:
            found[_read_pair(a, b, raw)] = None
        except CoordinateError as exc:
            first_error = first_error or exc
    if len(found) > 1:
        # "38 30 45 16" is 38°30' 45°16' or 38° 30°45'16": refuse to guess.
        raise CoordinateError(
            f"coordinate {raw!r} splits into latitude and longitude in more than one way: "
            "separate them with a comma"
        )
    if found:
        return next(iter(found))
    assert first_error is not None  # _candidate_pairs never returns an empty list
    raise first_error


# Loose on purpose: anything shaped like MGRS gets an MGRS message, not a lat/lon one.
_MGRS_RE = re.compile(
    r"^(?P<zone>\d{1,2})(?P<band>[A-Z])\s*(?P<square>[A-Z]{2})\s*(?P<digits>\d+(?:\s+\d+)?)?$",
    re.I | re.A,
)
_MGRS_BANDS = "CDEFGHJKLMNPQRSTUVWX"
_MGRS_COLUMNS = ("ABCDEFGH", "JKLMNPQR", "STUVWXYZ")  # by (zone - 1) % 3
_MGRS_ROWS = "ABCDEFGHJKLMNPQRSTUV"


def _parse_mgrs(raw: str, match: re.Match[str]) -> LonLat:
    import warnings

    import mgrs  # imported lazily: only MGRS input needs it

    zone = int(match["zone"])
    band = match["band"].upper()
    square = match["square"].upper()
    digits = re.sub(r"\s", "", match["digits"] or "")

    def bad(problem: str) -> CoordinateError:
        return CoordinateError(f"invalid MGRS coordinate {raw!r}: {problem}")

    if not 1 <= zone <= 60:
        raise bad(f"zone {zone} is outside 1..60")
    if band not in _MGRS_BANDS:
        raise bad(f"latitude band {band!r} must be a letter C to X other than I and O")
    if square[0] not in _MGRS_COLUMNS[(zone - 1) % 3] or square[1] not in _MGRS_ROWS:
        raise bad(f"100 km square {square!r} does not exist in zone {zone}")
    if len(digits) % 2:
        raise bad("odd number of easting/northing digits")
    if len(digits) > 10:
        raise bad(f"{len(digits)} easting/northing digits, at most 10")
    # The library flags a square outside the band only with a RuntimeWarning.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            lat, lon = mgrs.MGRS().toLatLon(f"{zone}{band}{square}{digits}")
            failed = bool(caught)
        except Exception:  # the mgrs library raises bare Exceptions
            failed = True
    if failed:
        raise bad(f"100 km square {square!r} is not in grid zone {zone}{band}")
    return LonLat(float(lon), float(lat))


def parse_fraction(text: str) -> float:
    """'0.1', '10%' or '10 %' -> 0.1: a relative uncertainty, in [0, 1)."""
    raw = str(text).strip()
    pct = raw.endswith("%")
    try:
        value = float(raw[:-1]) / 100.0 if pct else float(raw)
    except ValueError:
        raise InputError(f"{raw!r} is not a fraction (0.1) or a percentage (10%)") from None
    if not 0.0 <= value < 1.0:
        raise InputError(f"{raw!r} is outside [0, 1) (0–100%)")
    return value
