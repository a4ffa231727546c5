"""Fuzzing the value parsers: any text either reads or fails with an InputError, quickly.

The contract (docs/limits.md): a value is at most MAX_VALUE_CHARS characters, parsing is
linear (no backtracking regular expression), tabs, line breaks and other control characters
are errors, never silently dropped, and nothing but an InputError escapes. Example counts
come from the hypothesis profile (tests/conftest.py): `make fuzz` runs the long one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from geo.access.wfs import parse_bbox
from geo.access.zonefile import parse_column_map
from geo.briefing.events import parse_extent
from geo.core.parse import (
    MAX_VALUE_CHARS,
    clean_value,
    parse_bearing_deg,
    parse_bearing_range,
    parse_coord,
    parse_distance_m,
    parse_fraction,
    parse_number,
    parse_size_px,
)
from geo.errors import InputError

PARSERS: dict[str, Callable[[str], Any]] = {
    "coord": parse_coord,
    "distance": parse_distance_m,
    "bearing": parse_bearing_deg,
    "bearing_range": parse_bearing_range,
    "fraction": parse_fraction,
    "number": lambda t: parse_number(t, "value"),
    "size": parse_size_px,
    "bbox": parse_bbox,
    "columns": parse_column_map,
    "extent": parse_extent,
}

# Pieces that real input is made of, so that random text often comes close to valid values.
PIECES = [
    "39.02", "125.75", "-45.5", "N", "S", "E", "W", "°", "'", '"', "′", "″", ",", ";", " ",
    "..", "km", "nm", "mi", "m", "%", "x", "1e3", "52S", "CG", "12345", "NE", "north-west",
    "\t", "\n", "\x00", "\u00a0", "\u200b", "\udcff", "nan", "inf", "1_0", "٤", "²", "=",
]  # fmt: skip
pieces_text = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
any_text = st.one_of(st.text(max_size=60), pieces_text)
SLOW_S = 0.5
"""No single parse may take this long (a linear parse of 200 characters takes microseconds)."""


def _check(parse: Callable[[str], Any], text: str) -> Any:
    start = time.perf_counter()
    try:
        result = parse(text)
    except InputError as exc:
        message = str(exc)
        assert message and "\n" not in message and "\r" not in message, message
        result = exc
    assert time.perf_counter() - start < SLOW_S, text
    return result


@pytest.mark.parametrize("name", sorted(PARSERS))
@given(text=any_text)
@example(text="39.0" + " " * 150 + "125.0!")
@example(text="1" + " " * 150 + "!")
@example(text="45°°")
def test_any_text_reads_or_fails_with_input_error(name: str, text: str) -> None:
    _check(PARSERS[name], text)


@pytest.mark.parametrize("name", sorted(PARSERS))
@pytest.mark.parametrize(
    "text",
    [
        "39.0" + " " * 5000 + "125.0",
        "1" + " " * 5000 + "!",
        " ".join(["1"] * 60000),
        "9" * 100_000,
        "N" * 10_000 + "1",
        "°" * 10_000,
    ],
    ids=["spaces", "range-spaces", "words", "digits", "letters", "marks"],
)
def test_long_values_are_refused_at_once(name: str, text: str) -> None:
    result = _check(PARSERS[name], text)
    assert isinstance(result, InputError)
    limit = 1000 if name == "columns" else MAX_VALUE_CHARS  # a column map names 12 columns
    assert f"at most {limit} are read" in str(result)


@pytest.mark.parametrize("name", ["coord", "distance", "bearing", "fraction", "size", "extent"])
@pytest.mark.parametrize("bad", ["\t", "\n", "\r", "\x00", "\x1b", "\u2028", "\u200b", "\udcff"])
def test_control_characters_inside_a_value_are_errors(name: str, bad: str) -> None:
    valid = {
        "coord": "39.02,125.75",
        "distance": "400km",
        "bearing": "45",
        "fraction": "10%",
        "size": "800x600",
        "extent": "120,30,150,45",
    }[name]
    PARSERS[name](valid)  # the value reads without the character
    result = _check(PARSERS[name], valid[:2] + bad + valid[2:])
    assert isinstance(result, InputError)


@given(text=st.text(max_size=MAX_VALUE_CHARS))
def test_clean_value_is_one_line_of_text(text: str) -> None:
    try:
        cleaned = clean_value(text, "value")
    except InputError:
        return
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert all(ch == " " or not ch.isspace() for ch in cleaned)


@given(text=any_text)
def test_parsed_numbers_are_finite(text: str) -> None:
    for name in ("distance", "bearing", "fraction", "number"):
        result = _check(PARSERS[name], text)
        if not isinstance(result, InputError):
            assert math.isfinite(result), (name, text, result)
    coord = _check(parse_coord, text)
    if not isinstance(coord, InputError):
        assert -180 <= coord.lon_deg <= 180 and -90 <= coord.lat_deg <= 90


@given(
    lat=st.floats(-90, 90, allow_nan=False),
    lon=st.floats(-180, 180, allow_nan=False),
    spaces=st.integers(0, 3),
)
def test_valid_coordinates_still_read(lat: float, lon: float, spaces: int) -> None:
    a, b = f"{lat:.7f}", f"{lon:.7f}"  # decimals as analysts write them (no exponent)
    c = parse_coord(f"{a},{' ' * spaces}{b}")
    assert (c.lat_deg, c.lon_deg) == (float(a), float(b))
