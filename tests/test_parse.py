"""Parsing of coordinates, distances and bearings.

Positions are compared by Geod.inv distance in metres: 1 mm for decimal and DMS input (exact
arithmetic), and for MGRS the parsed point must be the centre of its grid cell (the
convention of GeoTrans/the ``mgrs`` package: at most half a cell diagonal from any point in
the cell) within 1 cm in UTM metres, computed independently with pyproj's UTM projection.
"""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

import mgrs
import pytest
from conftest import GEOD
from pyproj import Transformer

from geo.cli import main
from geo.core.parse import (
    parse_bearing_deg,
    parse_bearing_range,
    parse_coord,
    parse_distance_m,
)
from geo.core.types import LonLat
from geo.errors import BearingError, CoordinateError, DistanceError

MM = 1e-3
MGRS_CENTRE_TOL_M = 0.01
"""An MGRS point is its cell's centre within 1 cm in UTM metres (pyproj's UTM)."""

SARIWON_DMS_LAT = 38 + 30 / 60 + 28 / 3600
SARIWON_DMS_LON = 125 + 45 / 60 + 16 / 3600


def _distance_m(a: LonLat, lon: float, lat: float) -> float:
    return float(GEOD.inv(a.lon_deg, a.lat_deg, lon, lat)[2])


# ---- coordinates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("39.02,125.75", 39.02, 125.75),
        ("39.02, 125.75", 39.02, 125.75),
        ("39.02;125.75", 39.02, 125.75),
        ("39.02 125.75", 39.02, 125.75),
        ("+39.02,+125.75", 39.02, 125.75),
        ("-45.5,170.2", -45.5, 170.2),
        ("-45.5, -170.2", -45.5, -170.2),
        ("0,180", 0.0, 180.0),
        ("0,-180", 0.0, -180.0),
        ("90,0", 90.0, 0.0),
        ("-90,0", -90.0, 0.0),
        # hemisphere letters, latitude first or longitude first
        ("39.02N 125.75E", 39.02, 125.75),
        ("39.02N,125.75E", 39.02, 125.75),
        ("39.02 N 125.75 E", 39.02, 125.75),
        ("39.02n 125.75e", 39.02, 125.75),
        ("125.75E 39.02N", 39.02, 125.75),
        ("125.75E, 39.02N", 39.02, 125.75),
        ("45.5S 170.2E", -45.5, 170.2),
        ("170.2E,45.5S", -45.5, 170.2),
        ("39.02 N, 125.75 W", 39.02, -125.75),
        ("N39.02, E125.75", 39.02, 125.75),
        # degrees, minutes, seconds
        ("38°30'28\"N 125°45'16\"E", SARIWON_DMS_LAT, SARIWON_DMS_LON),
        ("38°30′28″N 125°45′16″E", SARIWON_DMS_LAT, SARIWON_DMS_LON),
        ("38°30'28''N 125°45'16''E", SARIWON_DMS_LAT, SARIWON_DMS_LON),
        ("38°30'28\"N, 125°45'16\"E", SARIWON_DMS_LAT, SARIWON_DMS_LON),
        ("38 30 28 N 125 45 16 E", SARIWON_DMS_LAT, SARIWON_DMS_LON),
        ("38d30m28sN, 125d45m16sE", SARIWON_DMS_LAT, SARIWON_DMS_LON),
        ("125°45'16\"E 38°30'28\"N", SARIWON_DMS_LAT, SARIWON_DMS_LON),
        ("38°30'28\"S 125°45'16\"W", -SARIWON_DMS_LAT, -SARIWON_DMS_LON),
        ("38°30.5'N 125°45.25'E", 38 + 30.5 / 60, 125 + 45.25 / 60),
        ("39°N 125°E", 39.0, 125.0),
        ("38d30m28s 125d45m16s", SARIWON_DMS_LAT, SARIWON_DMS_LON),
        # typographic minus, as pasted from documents
        ("\u221245.5, \u2212170.2", -45.5, -170.2),
    ],
)
def test_coordinate_forms(text: str, lat: float, lon: float) -> None:
    p = parse_coord(text)
    assert isinstance(p, LonLat)
    assert _distance_m(p, lon, lat) < MM


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        pytest.param("N39.02 E125.75", 39.02, 125.75, id="leading-letters"),
        pytest.param("S45.5 E170.2", -45.5, 170.2, id="leading-letters-south"),
        pytest.param("38d30m28sN 125d45m16sE", SARIWON_DMS_LAT, SARIWON_DMS_LON, id="dms-letters"),
    ],
)
def test_coordinate_forms_without_comma(text: str, lat: float, lon: float) -> None:
    """Regression: without a comma the pair used to be split after the first N/S letter,
    which may be a leading hemisphere letter ("N39.02 E125.75" -> "cannot read coordinate
    part 'N'") or the 's' of seconds ("38d30m28sN 125d45m16sE" -> "has two hemisphere
    letters")."""
    assert _distance_m(parse_coord(text), lon, lat) < MM


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        pytest.param("38 30 28 S 125 45 16 E", -SARIWON_DMS_LAT, SARIWON_DMS_LON, id="spaced"),
        pytest.param("38 30 28S, 125 45 16E", -SARIWON_DMS_LAT, SARIWON_DMS_LON, id="attached"),
        pytest.param("38°30'28S 125°45'16E", -SARIWON_DMS_LAT, SARIWON_DMS_LON, id="marks"),
        pytest.param("38d30m28sS 125d45m16sE", -SARIWON_DMS_LAT, SARIWON_DMS_LON, id="s-and-S"),
        pytest.param("38d30m28sN125d45m16sE", SARIWON_DMS_LAT, SARIWON_DMS_LON, id="no-space"),
    ],
)
def test_s_after_seconds_is_south(text: str, lat: float, lon: float) -> None:
    """Regression: an "S" right after the seconds was taken for the seconds mark, so
    "38 30 28 S" was read as north."""
    assert _distance_m(parse_coord(text), lon, lat) < MM


def test_numbers_are_not_split_to_fit_the_marks() -> None:
    """Regression: 38°30"N was read as 38° 3' 0" (the digits of 30 split between minutes and
    seconds); it is 38 degrees and 30 seconds."""
    assert _distance_m(parse_coord('38°30"N 1E'), 1.0, 38 + 30 / 3600) < MM


def test_a_split_that_only_one_reading_allows() -> None:
    """Regression: "39 N 125" was split as 39 / N 125 and refused as two latitudes."""
    assert _distance_m(parse_coord("39 N 125"), 125.0, 39.0) < MM


# ---- MGRS ---------------------------------------------------------------------------------------

_COLUMN_SETS = ("ABCDEFGH", "JKLMNPQR", "STUVWXYZ")
_ROW_LETTERS = "ABCDEFGHJKLMNPQRSTUV"
_BANDS = "CDEFGHJKLMNPQRSTUVWX"


def _utm(lon: float, lat: float) -> tuple[int, float, float]:
    zone = int((lon + 180.0) // 6.0) + 1
    epsg = (32600 if lat >= 0 else 32700) + zone
    e, n = Transformer.from_crs(4326, epsg, always_xy=True).transform(lon, lat)
    return zone, float(e), float(n)


def _mgrs_by_hand(lon: float, lat: float, digits: int) -> tuple[str, float, float, int]:
    """(MGRS string, easting and northing of its cell's centre, zone), from pyproj UTM.

    Standard WGS84 lettering (AA scheme); only for points outside the Norway/Svalbard zone
    exceptions and the polar UPS areas.
    """
    zone, e, n = _utm(lon, lat)
    band = _BANDS[int((lat + 80.0) // 8.0)]
    col = _COLUMN_SETS[(zone - 1) % 3][int(e // 100_000) - 1]
    row = _ROW_LETTERS[(int(n // 100_000) + (0 if zone % 2 else 5)) % 20]
    cell = 10 ** (5 - digits)
    ce = int(e % 100_000) // cell
    cn = int(n % 100_000) // cell
    text = f"{zone:02d}{band}{col}{row}{ce:0{digits}d}{cn:0{digits}d}"
    centre_e = (e // 100_000) * 100_000 + (ce + 0.5) * cell
    centre_n = (n // 100_000) * 100_000 + (cn + 0.5) * cell
    return text, centre_e, centre_n, zone


def _mgrs_centre_by_hand(text: str) -> tuple[int, float, float]:
    """(EPSG code of the UTM zone, easting, northing) of the centre of the cell an MGRS
    string names, decoded by hand (AA lettering) with pyproj's UTM for the band.

    The row letters repeat every 2,000 km of northing: the band letter picks the repeat
    whose latitude lies in the band.
    """
    m = re.fullmatch(r"(\d{1,2})([C-HJ-NP-X])([A-HJ-NP-Z])([A-HJ-NP-V])(\d*)", text)
    assert m is not None and len(m[5]) % 2 == 0, text
    zone, band, col, row, digits = int(m[1]), m[2], m[3], m[4], m[5]
    k = len(digits) // 2
    cell = 10.0 ** (5 - k)
    east = (_COLUMN_SETS[(zone - 1) % 3].index(col) + 1) * 100_000.0
    east += int(digits[:k] or 0) * cell + cell / 2
    north = ((_ROW_LETTERS.index(row) - (0 if zone % 2 else 5)) % 20) * 100_000.0
    north += int(digits[k:] or 0) * cell + cell / 2
    epsg = (32600 if band >= "N" else 32700) + zone
    to_lonlat = Transformer.from_crs(epsg, 4326, always_xy=True)
    south_edge = -80.0 + 8.0 * _BANDS.index(band)
    north_edge = 84.0 if band == "X" else south_edge + 8.0
    found = [
        north + cycle
        for cycle in range(0, 10_000_000, 2_000_000)
        if south_edge <= to_lonlat.transform(east, north + cycle)[1] <= north_edge
    ]
    assert len(found) == 1, (text, found)
    return epsg, east, found[0]


MGRS_POINTS = [
    pytest.param(125.75444, 38.50778, id="sariwon"),
    pytest.param(128.18390, 40.03680, id="sinpo"),
    pytest.param(-157.85833, 21.30694, id="honolulu"),
    pytest.param(151.20930, -33.86880, id="sydney"),
    pytest.param(-58.38160, -34.60370, id="buenos-aires"),
    pytest.param(2.35220, 48.85660, id="paris"),
    pytest.param(170.2, -45.5, id="south-island"),
]


@pytest.mark.parametrize(("lon", "lat"), MGRS_POINTS)
@pytest.mark.parametrize("digits", [5, 4, 3])
def test_mgrs_is_the_cell_centre(lon: float, lat: float, digits: int) -> None:
    text, centre_e, centre_n, zone = _mgrs_by_hand(lon, lat, digits)
    p = parse_coord(text)
    z, e, n = _utm(p.lon_deg, p.lat_deg)
    assert z == zone
    assert abs(e - centre_e) < MGRS_CENTRE_TOL_M and abs(n - centre_n) < MGRS_CENTRE_TOL_M
    # ... and so within half the cell diagonal of the point itself.
    assert _distance_m(p, lon, lat) <= math.sqrt(2) / 2 * 10 ** (5 - digits) + 0.01
    # The zone may be written without its leading zero.
    assert _distance_m(parse_coord(text.lstrip("0")), p.lon_deg, p.lat_deg) < MM


@pytest.mark.parametrize(("lon", "lat"), MGRS_POINTS)
def test_mgrs_from_the_mgrs_package(lon: float, lat: float) -> None:
    text = mgrs.MGRS().toMGRS(lat, lon)  # 1 m precision
    assert text == _mgrs_by_hand(lon, lat, 5)[0]
    assert _distance_m(parse_coord(text), lon, lat) <= math.sqrt(2) / 2 + 0.01


def test_mgrs_spacing_and_case() -> None:
    a = parse_coord("52SCG1234567890")
    for text in ("52S CG 12345 67890", "52scg1234567890", " 52SCG 12345 67890 "):
        assert _distance_m(parse_coord(text), a.lon_deg, a.lat_deg) < MM


# ---- bad coordinates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("95,125.75", "latitude 95 in '95,125.75' is outside -90..90"),
        (
            "125.75,39.02",
            "latitude 125.75 in '125.75,39.02' is outside -90..90 "
            "(did you swap them? latitude comes first: 39.02,125.75)",
        ),
        (
            "-91,10",
            "latitude -91 in '-91,10' is outside -90..90 "
            "(did you swap them? latitude comes first: 10,-91)",
        ),
        ("-91,100", "latitude -91 in '-91,100' is outside -90..90"),
        ("39,200", "longitude 200 in '39,200' is outside -180..180"),
        ("39,-180.5", "longitude -180.5 in '39,-180.5' is outside -180..180"),
        ("39N 40N", "coordinate '39N 40N' gives two longitudes or two latitudes"),
        ("125E 40W", "coordinate '125E 40W' gives two longitudes or two latitudes"),
        ("38°60'N 125E", 'minutes out of range in "38°60\'N"'),
        ("38°30'60\"N 125E", "seconds out of range in '38°30\\'60\"N'"),
        (
            "-45S 170E",
            "coordinate part '-45S' has both a sign and the hemisphere letter S: "
            "use one or the other",
        ),
        (
            "-39.02N 125.7E",
            "coordinate part '-39.02N' has both a sign and the hemisphere letter N: "
            "use one or the other",
        ),
        (
            "+39.02N 125.7E",
            "coordinate part '+39.02N' has both a sign and the hemisphere letter N: "
            "use one or the other",
        ),
        (
            "39.02N, -125.7E",
            "coordinate part '-125.7E' has both a sign and the hemisphere letter E: "
            "use one or the other",
        ),
        (
            "N -39.02, E125.7",
            "coordinate part 'N -39.02' has both a sign and the hemisphere letter N: "
            "use one or the other",
        ),
        (
            "-38°30'28\"N 125°45'16\"E",
            "coordinate part '-38°30\\'28\"N' has both a sign and the hemisphere letter N: "
            "use one or the other",
        ),
        ("38°-30'N 125E", 'cannot read coordinate part "38°-30\'N"'),
        (
            "38.5°30'N 125E",
            'coordinate part "38.5°30\'N": only the last of degrees, minutes and seconds '
            "may have decimals",
        ),
        ("38.5.5,1", "cannot read coordinate part '38.5.5'"),  # was 38.5° + 0.5'
        (
            "38 30 45 16",
            "coordinate '38 30 45 16' splits into latitude and longitude in more than one "
            "way: separate them with a comma",
        ),
        (
            "38°30'28s 125E",
            'coordinate part "38°30\'28s" is ambiguous: is the final s seconds or south? '
            'write " for seconds, S for south',
        ),
        (
            "38.5,125.7,3",
            "coordinate '38.5,125.7,3' has 3 parts separated by ',': give only latitude and "
            "longitude, with decimal points (38.5,125.7)",
        ),
        (
            "38,5,125,7",
            "coordinate '38,5,125,7' has 4 parts separated by ',': give only latitude and "
            "longitude, with decimal points (38.5,125.7)",
        ),
        ("38,5;125,7", "cannot read coordinate part '38,5': decimals take a point, not a comma"),
        ("1e400,5", "cannot read coordinate part '1e400'"),
        ("nan,nan", "cannot read coordinate part 'nan'"),
        ("   ", "empty coordinate"),
        (
            "38.5 125.7 3",
            "cannot read coordinate '38.5 125.7 3': use 'lat,lon' (39.02,125.75), hemisphere "
            "letters (39.02N 125.75E), DMS (38°30'28\"N 125°45'16\"E) or MGRS",
        ),
        ("", "empty coordinate"),
        (
            "hello",
            "cannot read coordinate 'hello': use 'lat,lon' (39.02,125.75), hemisphere letters "
            "(39.02N 125.75E), DMS (38°30'28\"N 125°45'16\"E) or MGRS",
        ),
        (
            "39.02",
            "cannot read coordinate '39.02': use 'lat,lon' (39.02,125.75), hemisphere letters "
            "(39.02N 125.75E), DMS (38°30'28\"N 125°45'16\"E) or MGRS",
        ),
        ("39.02,abc", "cannot read coordinate part 'abc'"),
    ],
)
def test_bad_coordinates(text: str, message: str) -> None:
    with pytest.raises(CoordinateError) as info:
        parse_coord(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("52SCG123456789", "odd number of easting/northing digits"),
        ("52SCG12 345", "odd number of easting/northing digits"),
        ("52SCG123456789012", "12 easting/northing digits, at most 10"),
        ("99ZZZ1234567890", "zone 99 is outside 1..60"),
        ("61SCG11", "zone 61 is outside 1..60"),
        ("0SCG11", "zone 0 is outside 1..60"),
        ("52ICG12", "latitude band 'I' must be a letter C to X other than I and O"),
        ("52YCG12", "latitude band 'Y' must be a letter C to X other than I and O"),
        ("60SZZ1234567890", "100 km square 'ZZ' does not exist in zone 60"),
        ("52SJG1234567890", "100 km square 'JG' does not exist in zone 52"),  # column of zone 53
        ("52SCO11", "100 km square 'CO' does not exist in zone 52"),
        # Squares that exist in the zone but not in the band: the mgrs library answered with
        # a RuntimeWarning and a point far outside the band, or a bare "String Error".
        ("52TCG1234567890", "100 km square 'CG' is not in grid zone 52T"),
        ("52CCG1234567890", "100 km square 'CG' is not in grid zone 52C"),
        ("52SCA11", "100 km square 'CA' is not in grid zone 52S"),
        ("52SCV1234567890", "100 km square 'CV' is not in grid zone 52S"),
    ],
)
def test_invalid_mgrs(text: str, problem: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning may leak from the mgrs library
        with pytest.raises(CoordinateError) as info:
            parse_coord(text)
    assert str(info.value) == f"invalid MGRS coordinate {text!r}: {problem}"


@pytest.mark.parametrize(
    "text",
    [
        "52SCG1234567890",
        "52SCG",  # no digits: the centre of the 100 km square
        "52NCG1234567890",  # the northern band next to the equator
        "32VLM11",  # Norway's widened zone 32V, 10 km cells
        "33UXP0000099999",  # the top row of its 100 km square
    ],
)
def test_valid_mgrs_does_not_warn(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = parse_coord(text)
    epsg, centre_e, centre_n = _mgrs_centre_by_hand(text)
    e, n = Transformer.from_crs(4326, epsg, always_xy=True).transform(p.lon_deg, p.lat_deg)
    assert abs(e - centre_e) < MGRS_CENTRE_TOL_M and abs(n - centre_n) < MGRS_CENTRE_TOL_M


# ---- distances ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("400km", 400_000.0),
        ("400 km", 400_000.0),
        ("5 Km", 5_000.0),
        ("400 kilometres", 400_000.0),
        ("1500 m", 1_500.0),
        ("1500m", 1_500.0),
        ("1.5e3m", 1_500.0),
        ("1,5km", 1_500.0),
        (".5km", 500.0),
        ("216nm", 216 * 1852.0),
        ("216 NM", 216 * 1852.0),
        ("216 nmi", 216 * 1852.0),
        ("12 nautical miles", 12 * 1852.0),
        ("250mi", 250 * 1609.344),
        ("250 miles", 250 * 1609.344),
        ("0km", 0.0),
        ("0,500km", 500.0),  # a leading zero makes the comma a decimal comma
        ("1234,567km", 1_234_567.0),  # four digits before it: not a thousands separator
        ("10000000km", 1e10),
    ],
)
def test_distances(text: str, metres: float) -> None:
    assert abs(parse_distance_m(text) - metres) < MM


def test_minus_zero_is_zero() -> None:
    assert math.copysign(1.0, parse_distance_m("-0km")) == 1.0


def test_bare_number_with_default_unit() -> None:
    assert parse_distance_m("100", default_unit="m") == 100.0
    assert parse_distance_m("100m", default_unit="km") == 100.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5km", "distance '-5km' is negative"),
        ("\u22125km", "distance '\u22125km' is negative"),
        ("1e300km", "distance '1e300km' is too large: at most 10,000,000 km"),
        ("1e308m", "distance '1e308m' is too large: at most 10,000,000 km"),
        ("1e308km", "distance '1e308km' is too large: at most 10,000,000 km"),
        ("10000001km", "distance '10000001km' is too large: at most 10,000,000 km"),
        ("1e400km", "distance '1e400km' is not a finite number"),
        ("inf km", "cannot read distance 'inf km': expected a number and a unit, e.g. 400km"),
        (
            "1,000km",
            "distance '1,000km' is ambiguous: write '1000km' (thousands) or '1.000km' (decimals)",
        ),
        (
            "12,500 km",
            "distance '12,500 km' is ambiguous: "
            "write '12500 km' (thousands) or '12.500 km' (decimals)",
        ),
        ("abc", "cannot read distance 'abc': expected a number and a unit, e.g. 400km"),
        ("abckm", "cannot read distance 'abckm': expected a number and a unit, e.g. 400km"),
        ("nan km", "cannot read distance 'nan km': expected a number and a unit, e.g. 400km"),
        ("400", "distance '400' has no unit: add one of m, km, nm (nautical miles), mi"),
        (
            "400 parsecs",
            "unknown distance unit 'parsecs' in '400 parsecs': "
            "use m, km, nm (nautical miles) or mi",
        ),
        (
            "400furlong",
            "unknown distance unit 'furlong' in '400furlong': use m, km, nm (nautical miles) or mi",
        ),
    ],
)
def test_bad_distances(text: str, message: str) -> None:
    with pytest.raises(DistanceError) as info:
        parse_distance_m(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["ring", "--at", "39,125", "--range", "1e300km"], id="ring-range"),
        pytest.param(
            ["ring", "--at", "39,125", "--range", "500km", "--tolerance", "1e300km"],
            id="ring-tolerance",
        ),
        pytest.param(
            ["ring", "--at", "39,125", "--flown", "950km", "--apogee", "1e300km"],
            id="ring-apogee",
        ),
        pytest.param(["check", "--at", "39,125", "--range", "1e300km"], id="check-range"),
        pytest.param(
            ["check", "--from", "39,125", "--distance", "1e300km", "--bearing", "E"],
            id="check-distance",
        ),
    ],
)
def test_absurd_distance_on_the_command_line(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:
    """Regression: --range 1e300km drew the whole globe labelled with a 304-digit number,
    and --apogee 1e300km raised OverflowError."""
    monkeypatch.setenv("RANGEZONE_DATA_DIR", str(tmp_path / "rangezone-data"))
    code = main(args)
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == "rangezone: error: distance '1e300km' is too large: at most 10,000,000 km\n"


# ---- bearings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "degrees"),
    [
        ("95", 95.0),
        ("95°", 95.0),
        ("0", 0.0),
        ("360", 0.0),
        ("359.9", 359.9),
        ("-0", 0.0),
        ("N", 0.0),
        ("E", 90.0),
        ("W", 270.0),
        ("NE", 45.0),
        ("ese", 112.5),
        ("NNW", 337.5),
        ("north", 0.0),
        ("northeast", 45.0),
        ("north-west", 315.0),
        ("North West", 315.0),
        ("south-south-east", 157.5),
        ("north north west", 337.5),
        ("west_south_west", 247.5),
    ],
)
def test_bearings(text: str, degrees: float) -> None:
    assert parse_bearing_deg(text) == degrees


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "up",
            "cannot read bearing 'up': give degrees clockwise from north (e.g. 95) "
            "or a compass point (E, ESE, north-west)",
        ),
        (
            "NNNE",
            "cannot read bearing 'NNNE': give degrees clockwise from north (e.g. 95) "
            "or a compass point (E, ESE, north-west)",
        ),
        ("nan", "bearing 'nan' is not a finite number"),
        ("400", "bearing '400' is outside 0..360: give degrees clockwise from north (e.g. 95)"),
        ("360.5", "bearing '360.5' is outside 0..360: give degrees clockwise from north (e.g. 95)"),
        ("-10", "bearing '-10' is outside 0..360: give degrees clockwise from north (e.g. 95)"),
        (
            "-1e-20",
            "bearing '-1e-20' is outside 0..360: give degrees clockwise from north (e.g. 95)",
        ),
        ("400°", "bearing '400°' is outside 0..360: give degrees clockwise from north (e.g. 95)"),
    ],
)
def test_bad_bearings(text: str, message: str) -> None:
    with pytest.raises(BearingError) as info:
        parse_bearing_deg(text)
    assert str(info.value) == message


def test_bearing_is_below_360() -> None:
    """The documented range is [0, 360): 360 itself is north."""
    assert parse_bearing_deg("360") == 0.0
    assert str(parse_bearing_deg("-0")) == "0.0"


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--from", "Oga Peninsula", "--distance", "30km", "--bearing", "400"],
        ["impact", "--from", "Sariwon", "--distance", "400km", "--bearing", "400"],
        ["ring", "--at", "39,125", "--range", "400km", "--bearing", "30..400"],
    ],
    ids=["check", "impact", "ring-sector"],
)
def test_cli_refuses_a_bearing_beyond_360(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """Review: ``check --bearing 400`` was read as 40° and exited 0."""
    code = main(argv)
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.endswith(
        "error: bearing '400' is outside 0..360: give degrees clockwise from north (e.g. 95)\n"
    )
    assert err.count("\n") == 1


def test_bearing_ranges() -> None:
    assert parse_bearing_range("60..120") == (60.0, 120.0)
    assert parse_bearing_range("NE..SE") == (45.0, 135.0)
    assert parse_bearing_range("350..10") == (350.0, 10.0)
    assert parse_bearing_range("0..360") == (0.0, 0.0)  # the full circle, said explicitly
    for empty in ("60..60", "N..0", "E..90.0"):
        with pytest.raises(BearingError) as info:
            parse_bearing_range(empty)
        assert str(info.value) == (
            f"bearing range {empty!r} is empty: give two different bearings, or 0..360 "
            "(or no bearings) for the full circle"
        )
    with pytest.raises(BearingError) as info:
        parse_bearing_range("60-120")
    assert str(info.value) == "bearing range '60-120' must be FROM..TO, e.g. 60..120 or NE..SE"
