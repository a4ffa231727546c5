"""Parsing of coordinates, distances and bearings.

Positions are compared by Geod.inv distance in metres: 1 mm for decimal and DMS input (exact
arithmetic), and for MGRS the parsed point must be the centre of its grid cell (the
convention of GeoTrans/the ``mgrs`` package: at most half a cell diagonal from any point in
the cell) within 1 cm in UTM metres, computed independently with pyproj's UTM projection.
"""

from __future__ import annotations

import math

import mgrs
import pytest
from conftest import GEOD
from pyproj import Transformer

from geo.core.parse import (
    parse_bearing_deg,
    parse_bearing_range,
    parse_coord,
    parse_distance_m,
)
from geo.core.types import LonLat
from geo.errors import BearingError, CoordinateError, DistanceError

MM = 1e-3

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
    assert abs(e - centre_e) < 0.01 and abs(n - centre_n) < 0.01  # metres
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
        ("-45S 170E", "coordinate part '-45S' has both a minus sign and S"),
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
        ("52SCG123456789", "MGRS '52SCG123456789' has an odd number of easting/northing digits"),
    ],
)
def test_bad_coordinates(text: str, message: str) -> None:
    with pytest.raises(CoordinateError) as info:
        parse_coord(text)
    assert str(info.value) == message


def test_invalid_mgrs_square() -> None:
    with pytest.raises(CoordinateError) as info:
        parse_coord("60SZZ1234567890")
    assert str(info.value).startswith("invalid MGRS coordinate '60SZZ1234567890': ")
    assert "\n" not in str(info.value)


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
    ],
)
def test_distances(text: str, metres: float) -> None:
    assert abs(parse_distance_m(text) - metres) < MM


def test_bare_number_with_default_unit() -> None:
    assert parse_distance_m("100", default_unit="m") == 100.0
    assert parse_distance_m("100m", default_unit="km") == 100.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5km", "distance '-5km' is negative"),
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


# ---- bearings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "degrees"),
    [
        ("95", 95.0),
        ("95°", 95.0),
        ("-10", 350.0),
        ("370", 10.0),
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
    ],
)
def test_bad_bearings(text: str, message: str) -> None:
    with pytest.raises(BearingError) as info:
        parse_bearing_deg(text)
    assert str(info.value) == message


def test_bearing_is_below_360() -> None:
    """Regression: the documented range is [0, 360), but ``value % 360.0`` used to map a
    tiny negative bearing to 360.0."""
    assert 0.0 <= parse_bearing_deg("-1e-20") < 360.0


def test_bearing_ranges() -> None:
    assert parse_bearing_range("60..120") == (60.0, 120.0)
    assert parse_bearing_range("NE..SE") == (45.0, 135.0)
    assert parse_bearing_range("350..10") == (350.0, 10.0)
    with pytest.raises(BearingError) as info:
        parse_bearing_range("60-120")
    assert str(info.value) == "bearing range '60-120' must be FROM..TO, e.g. 60..120 or NE..SE"
