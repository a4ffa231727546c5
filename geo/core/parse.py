"""Parsing of user input: coordinates, distances, bearings. Pure: strings in, numbers out."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Literal

from geo.core.types import LonLat
from geo.errors import BearingError, CoordinateError, DistanceError, InputError

MAX_VALUE_CHARS = 200
"""The longest value a parser reads (coordinates, distances, bearings, fractions, sizes).

Longer text is refused before any matching, so every parser's work is bounded; the parsers
themselves are linear (no regular expression here backtracks on runs of spaces)."""

# A plain decimal number: what float() reads minus its extras ("nan", "inf", "1_000", spaces).
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_SPACES = re.compile(r" +")
_NON_FINITE = ("nan", "inf", "infinity")


def clean_value(
    text: object, what: str, error: type[InputError] = InputError, *, limit: int = MAX_VALUE_CHARS
) -> str:
    """``text`` ready for a parser: at most :data:`MAX_VALUE_CHARS` characters, Unicode spaces
    (no-break, thin...) read as one ASCII space, runs of spaces as one, ends stripped.

    Tabs, newlines and other control or invisible characters (and undecodable bytes, which
    Python passes on as lone surrogates) are ``error``, never silently dropped: a value with
    a line break in it was pasted wrong.
    """
    raw = str(text)
    if len(raw) > limit:
        raise error(
            f"{what} {raw[:40]!r}... is {len(raw):,} characters long; at most {limit} are read"
        )
    chars = []
    for ch in raw:
        cat = unicodedata.category(ch)
        if cat == "Zs":
            chars.append(" ")
        elif cat[0] == "C" or cat in ("Zl", "Zp"):
            name = "a tab" if ch == "\t" else "a line break" if ch in "\n\r" else None
            shown = name or f"the invisible or control character U+{ord(ch):04X}"
            raise error(f"{what} {raw!r} contains {shown}; give it on one line, as text")
        else:
            chars.append(ch)
    return _SPACES.sub(" ", "".join(chars)).strip()


MAX_TITLE_CHARS = 300
"""A map title or subtitle: one or two lines on a slide. Longer text is refused, not drawn:
laying out 100,000 characters on a slide takes minutes."""


def check_title(text: str, what: str = "title") -> str:
    """``text`` if it is at most :data:`MAX_TITLE_CHARS` characters long."""
    if len(text) > MAX_TITLE_CHARS:
        raise InputError(
            f"{what} {text[:40]!r}... is {len(text):,} characters long; a title may have at "
            f"most {MAX_TITLE_CHARS}"
        )
    return text


def parse_number(text: str, what: str, error: type[InputError] = InputError) -> float:
    """A finite decimal number ('12', '-0.5', '1e3'); not 'nan', 'inf', '1_000' or '0x10'."""
    raw = clean_value(text, what, error)
    if raw.lower().lstrip("+-") in _NON_FINITE:
        raise error(f"{what} {raw!r} is not a finite number")
    if not _NUMBER.fullmatch(raw):
        raise error(f"{what} {raw!r} is not a number")
    value = float(raw)
    if not math.isfinite(value):
        raise error(f"{what} {raw!r} is not a finite number")
    return value


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

_DIST_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_UNIT_TEXT = re.compile(r"[A-Za-z ]*")

# About 26 times the Moon's distance: beyond any use here, but far short of overflow.
_MAX_DISTANCE_M = 1e10


def parse_distance_m(text: str, *, default_unit: str | None = None) -> float:
    """'400km', '400 km', '216 NM', '250mi', '1500 m' -> metres.

    A bare number is an error unless ``default_unit`` is given: a missing unit is the most
    common way to be off by a factor of 1000.
    """
    raw = clean_value(text, "distance", DistanceError)
    t = raw.replace("\u2212", "-")  # typographic minus, as pasted
    m = _DIST_NUMBER.match(t)
    unit_text = t[m.end() :].strip() if m else ""
    if not m or not _UNIT_TEXT.fullmatch(unit_text):
        raise DistanceError(
            f"cannot read distance {raw!r}: expected a number and a unit, e.g. 400km"
        )
    if re.fullmatch(r"[+-]?[1-9]\d{0,2},\d{3}", m.group(0)):
        # "1,000km" is 1000 km to some readers and 1 km to others.
        raise DistanceError(
            f"distance {raw!r} is ambiguous: write {raw.replace(',', '', 1)!r} (thousands) "
            f"or {raw.replace(',', '.', 1)!r} (decimals)"
        )
    number = float(m.group(0).replace(",", "."))
    unit = unit_text.lower()
    if not unit:
        if default_unit is None:
            raise DistanceError(
                f"distance {raw!r} has no unit: add one of m, km, nm (nautical miles), mi"
            )
        unit = default_unit.lower()
    if unit not in _UNITS_M:
        raise DistanceError(
            f"unknown distance unit {unit_text!r} in {raw!r}: use m, km, nm (nautical miles) or mi"
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


def _degrees_text(raw: str) -> str:
    """The number of '45°' or '45 °': one degree sign at most ('45°°' stays unreadable)."""
    return raw[:-1].rstrip() if raw.endswith(("°", "º")) else raw


def parse_bearing_deg(text: str) -> float:
    """'45', '45°', 'NE', 'north-west', 'NNW' -> degrees clockwise from true north in [0, 360).

    Numbers outside 0..360 are refused (360 is north, 0)."""
    raw = clean_value(text, "bearing", BearingError)
    num = _degrees_text(raw)
    if num.lower().lstrip("+-") in _NON_FINITE:
        raise BearingError(f"bearing {raw!r} is not a finite number")
    if _NUMBER.fullmatch(num):
        value = float(num)
    else:
        key = _compass_key(raw)
        if key in _COMPASS:
            return _COMPASS.index(key) * 22.5
        raise BearingError(
            f"cannot read bearing {raw!r}: give degrees clockwise from north (e.g. 95) "
            "or a compass point (E, ESE, north-west)"
        )
    if not math.isfinite(value):
        raise BearingError(f"bearing {raw!r} is not a finite number")
    if not 0.0 <= value <= 360.0:
        # 400 is more likely a typo (for 40? 040?) than a turn and 40°: refuse to guess.
        raise BearingError(
            f"bearing {raw!r} is outside 0..360: give degrees clockwise from north (e.g. 95)"
        )
    return 0.0 if value == 360.0 else value + 0.0  # + 0.0: -0 reads as 0


def parse_bearing_range(text: str) -> tuple[float, float]:
    """'60..120' or 'NE..SE' -> (from_deg, to_deg), swept clockwise from the first to the second."""
    raw = clean_value(text, "bearing range", BearingError)
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
    x, y = (_degrees_text(t.strip()) for t in (a, b))
    if not (_NUMBER.fullmatch(x) and _NUMBER.fullmatch(y)):
        return False
    return float(x) != float(y)


# The lookahead keeps "30" whole: without it 38°30"N read as 38° 3' 0".
_UNUM = r"(?:\d+(?:\.\d*)?|\.\d+)(?![\d.])"
# Only the degrees carry a sign. A lowercase "s" after the seconds is the seconds mark,
# an uppercase "S" the hemisphere: "38 30 28S" is south.
# Input reaches it with single spaces (clean_value), so each "[ ]?" takes at most one space
# and the match is linear in the length.
_DMS_PART = re.compile(
    rf"""^[ ]?(?P<h1>[NSEW])?[ ]?
    (?P<d>[+-]?{_UNUM})[ ]?(?:°|º|deg|d)?[ ]?
    (?:(?P<m>{_UNUM})[ ]?(?P<mmark>'|\u2032|min|m)?[ ]?)?
    (?:(?P<s>{_UNUM})[ ]?(?P<smark>"|\u2033|''|sec|(?-i:s))?[ ]?)?
    (?P<h2>[NSEW])?[ ]?$""",
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
    raw = clean_value(text, "coordinate", CoordinateError)
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
    r"^(?P<zone>\d{1,2})(?P<band>[A-Z]) ?(?P<square>[A-Z]{2}) ?(?P<digits>\d+(?: \d+)?)?$",
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
    digits = (match["digits"] or "").replace(" ", "")

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
    if failed or not _cell_meets_grid_zone(mgrs.MGRS(), zone, band, square, digits):
        raise bad(f"100 km square {square!r} is not in grid zone {zone}{band}")
    return LonLat(float(lon), float(lat))


# Grid zones that are not 6° wide (Norway and Svalbard): (zone, band) -> (west, east).
_ODD_GRID_ZONES = {
    (31, "V"): (0.0, 3.0),
    (32, "V"): (3.0, 12.0),
    (31, "X"): (0.0, 9.0),
    (32, "X"): (0.0, 0.0),
    (33, "X"): (9.0, 21.0),
    (34, "X"): (0.0, 0.0),
    (35, "X"): (21.0, 33.0),
    (36, "X"): (0.0, 0.0),
    (37, "X"): (33.0, 42.0),
}
_GRID_SLACK_DEG = 0.01


def _cell_meets_grid_zone(
    converter: object, zone: int, band: str, square: str, digits: str
) -> bool:
    """True when a corner of the MGRS cell lies in its grid zone (band and zone column).

    The ``mgrs`` library warns only about some squares outside their band; a square of the
    wrong band at high latitude (52XCG) converts silently to a point in another zone.
    """
    import warnings

    k = len(digits) // 2
    cell = 10 ** (5 - k)
    east0 = int(digits[:k] or 0) * cell
    north0 = int(digits[k:] or 0) * cell
    south = -80.0 + 8.0 * _MGRS_BANDS.index(band)
    north = 84.0 if band == "X" else south + 8.0
    west, east = _ODD_GRID_ZONES.get(
        (zone, band), (-180.0 + 6.0 * (zone - 1), -174.0 + 6.0 * (zone - 1))
    )
    if west == east:
        return False
    for de in (0, cell - 1):
        for dn in (0, cell - 1):
            text = f"{zone}{band}{square}{east0 + de:05d}{north0 + dn:05d}"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    lat, lon = converter.toLatLon(text)  # type: ignore[attr-defined]
                except Exception:  # the mgrs library raises bare Exceptions
                    continue
            if (
                south - _GRID_SLACK_DEG <= lat <= north + _GRID_SLACK_DEG
                and west - _GRID_SLACK_DEG <= lon <= east + _GRID_SLACK_DEG
            ):
                return True
    return False


def parse_fraction(text: str) -> float:
    """'0.1', '10%' or '10 %' -> 0.1: a relative uncertainty, in [0, 1)."""
    raw = clean_value(text, "fraction")
    pct = raw.endswith("%")
    num = raw[:-1].rstrip() if pct else raw
    if not _NUMBER.fullmatch(num):
        raise InputError(f"{raw!r} is not a fraction (0.1) or a percentage (10%)")
    value = float(num) / 100.0 if pct else float(num)
    if not 0.0 <= value < 1.0:
        raise InputError(f"{raw!r} is outside [0, 1) (0–100%)")
    return value


def parse_size_px(text: str, what: str = "map size") -> tuple[int, int]:
    """'1200x800' (or '1200 x 800') -> (1200, 800): whole pixels from 1 to 20,000."""
    raw = clean_value(text, what)
    parts = raw.lower().replace(" ", "").split("x")
    if len(parts) != 2 or not all(
        p.isascii() and p.isdigit() and 0 < int(p) <= 20000 for p in parts
    ):
        raise InputError(f"{what} {raw!r} must be WIDTHxHEIGHT in pixels, e.g. 1200x800")
    return int(parts[0]), int(parts[1])


Leg = Literal["rhumb", "geodesic"]
"""How a reported "D km BEARING of PLACE" is read: a rhumb line (constant bearing, as
plotted on a chart: the default) or a geodesic leaving PLACE at that azimuth."""
LEGS: tuple[Leg, ...] = ("rhumb", "geodesic")
DEFAULT_LEG: Leg = "rhumb"
LEG_NAMES: dict[Leg, str] = {"rhumb": "rhumb line", "geodesic": "geodesic"}
"""How text output names each reading: "1,180 km E of Cape Erimo (rhumb line)"."""


def parse_leg(text: object) -> Leg:
    """``rhumb`` or ``geodesic`` (any case, surrounding blanks ignored); else InputError."""
    raw = clean_value(text, "leg", limit=40).casefold()
    for leg in LEGS:
        if raw == leg:
            return leg
    shown = str(text)[:40]
    raise InputError(f"leg must be 'rhumb' or 'geodesic', got {shown!r}")
