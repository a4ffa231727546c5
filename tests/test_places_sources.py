"""The shipped gazetteer against its sources and the shipped land layer.

Each row of ``data/places.csv`` cites where its coordinates come from. These tests check what
can be checked offline: coordinates match the degrees-minutes-seconds quoted in the source
column, reference points lie on their country's land (Japan's: the places its Ministry of
Defense measures from), launch sites and impact ranges on the land of their country, and a few
distances agree with figures the sources publish.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point, Polygon

from geo.access.gazetteer import KINDS, Place, shipped_gazetteer
from geo.access.zones import Zones, load_land
from geo.core.sides import country_zones

GEOD = Geod(ellps="WGS84")

REFERENCE_POINT_COAST_KM = 5.0
"""A reference point (a cape, an island's centre) lies on its country's land or this close to
it: the land layer's coast is good to about a kilometre, a cape's tip can be cut off."""
QUOTED_COORD_TOLERANCE_M = 2.0
"""Row coordinates are the quoted DMS rounded to 5 decimals (at most ~0.8 m off)."""
SEA_LAUNCH_AREAS = {"Yonghung Bay": 15.0}
"""Launch areas at sea (a bay used for submarine-launched tests) and how far from their
country's land they may lie (km); every other launch site and impact range is on land."""

SOURCED_SINCE_ISSUE_11 = {
    "Cape Shiretoko",
    "Cape Nosappu",
    "Taiyuan Satellite Launch Center",
    "Ningde",
    "Pingtan Island",
    "Kapustin Yar",
    "Sary Shagan",
    "Kura Missile Test Range",
}
"""Rows whose source column quotes the coordinates it gives (DMS), checked digit by digit."""

# A coordinate pair in DMS as sources print it: 44°20′53″N 145°20′06″E (minutes and seconds
# optional). Bounded repetition only, no nested quantifiers: linear on any input.
_DMS = re.compile(
    r"(\d{1,3})°(?:(\d{1,2})′(?:(\d{1,2}(?:\.\d{1,4})?)″)?)?\s?([NS])\s{0,3}"
    r"(\d{1,3})°(?:(\d{1,2})′(?:(\d{1,2}(?:\.\d{1,4})?)″)?)?\s?([EW])"
)


def _deg(d: str, m: str | None, s: str | None, hemi: str) -> float:
    value = int(d) + int(m or 0) / 60 + float(s or 0) / 3600
    return -value if hemi in "SW" else value


def quoted_coordinates(source: str) -> list[tuple[float, float]]:
    """(lat, lon) pairs quoted in DMS in ``source``."""
    return [(_deg(*g[0:4]), _deg(*g[4:8])) for g in (m.groups() for m in _DMS.finditer(source))]


def geodesic_disk(lon: float, lat: float, radius_km: float, n: int = 90) -> Polygon:
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    ones = np.ones(n)
    x, y, _ = GEOD.fwd(ones * lon, ones * lat, az, ones * radius_km * 1000.0)
    return Polygon(zip(x, y, strict=True))


def distance_km(a: Place, b: Place) -> float:
    return float(GEOD.inv(a.lon_deg, a.lat_deg, b.lon_deg, b.lat_deg)[2]) / 1000.0


@pytest.fixture(scope="module")
def land() -> Zones:
    return load_land()


PLACES = shipped_gazetteer().places
REFERENCE_POINTS = [p for p in PLACES if p.kind == "reference point"]
RANGES = [p for p in PLACES if p.kind in ("launch site", "impact range")]


def test_dms_parser() -> None:
    assert quoted_coordinates("x (44°20′53″N 145°20′06″E); y") == [
        pytest.approx((44 + 20 / 60 + 53 / 3600, 145 + 20 / 60 + 6 / 3600))
    ]
    assert quoted_coordinates("57°20′N 161°50′E") == [pytest.approx((57 + 1 / 3, 161 + 5 / 6))]
    assert quoted_coordinates("12°S 77°30′W") == [pytest.approx((-12.0, -77.5))]
    assert quoted_coordinates("no coordinates, 5700 km") == []


def test_new_rows_are_all_in_the_table() -> None:
    assert SOURCED_SINCE_ISSUE_11.issubset(p.name for p in PLACES)


@pytest.mark.parametrize("name", sorted(SOURCED_SINCE_ISSUE_11))
def test_row_matches_the_coordinates_its_source_quotes(name: str) -> None:
    place = shipped_gazetteer().lookup(name)
    assert place.source.strip() and place.country and place.kind in KINDS
    quoted = quoted_coordinates(place.source)
    assert len(quoted) == 1, f"{name}: source should quote one coordinate pair"
    ((lat, lon),) = quoted
    off_m = GEOD.inv(place.lon_deg, place.lat_deg, lon, lat)[2]
    assert off_m <= QUOTED_COORD_TOLERANCE_M, f"{name} is {off_m:.1f} m off its source"


def test_every_quoted_coordinate_matches_its_row() -> None:
    """Any row (old or new) that quotes DMS coordinates gives the same position."""
    for place in PLACES:
        for lat, lon in quoted_coordinates(place.source):
            off_m = GEOD.inv(place.lon_deg, place.lat_deg, lon, lat)[2]
            assert off_m <= QUOTED_COORD_TOLERANCE_M, place.name


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Shiretoko", "Cape Shiretoko"),
        ("shiretoko-misaki", "Cape Shiretoko"),
        ("NOSAPPU", "Cape Nosappu"),
        ("Wuzhai", "Taiyuan Satellite Launch Center"),
        ("base 25", "Taiyuan Satellite Launch Center"),
        ("ningde", "Ningde"),
        ("Haitan Island", "Pingtan Island"),
        ("pingtan", "Pingtan Island"),
        ("Kap Yar", "Kapustin Yar"),
        ("kapustin jar", "Kapustin Yar"),
        ("Sary-Shagan", "Sary Shagan"),
        ("saryshagan", "Sary Shagan"),
        ("Kura", "Kura Missile Test Range"),
    ],
)
def test_new_places_resolve_by_name_and_alias(query: str, name: str) -> None:
    assert shipped_gazetteer().lookup(query).name == name


def test_kinds_are_the_documented_ones() -> None:
    from geo.cli.sites import sites_add

    assert {p.kind for p in PLACES} == set(KINDS) - {"place"}
    kind_option = next(p for p in sites_add.params if p.name == "kind")
    assert list(kind_option.type.choices) == list(KINDS)  # type: ignore[attr-defined]


@pytest.mark.parametrize("place", REFERENCE_POINTS, ids=[p.name for p in REFERENCE_POINTS])
def test_reference_point_is_on_its_countrys_land(place: Place, land: Zones) -> None:
    own = country_zones(land, place.country).union
    near = geodesic_disk(place.lon_deg, place.lat_deg, REFERENCE_POINT_COAST_KM)
    assert shapely.intersects(near, own), (
        f"{place.name} is more than {REFERENCE_POINT_COAST_KM} km from {place.country}'s land"
    )


def test_japans_reference_points_are_listed() -> None:
    """The places Japan's launch statements measure from (data/README.md names a statement
    for each) and the two Hokkaido capes added with them."""
    japan = {p.name for p in REFERENCE_POINTS if p.country == "Japan"}
    assert japan >= {
        "Oga Peninsula",
        "Noto Peninsula",
        "Sado Island",
        "Dogo",
        "Cape Erimo",
        "Hegura Island",
        "Kamaishi",
        "Oshima-Oshima",
        "Okushiri Island",
        "Hateruma",
        "Yonaguni",
        "Cape Shiretoko",
        "Cape Nosappu",
    }


@pytest.mark.parametrize("place", RANGES, ids=[p.name for p in RANGES])
def test_launch_site_or_impact_range_is_on_its_countrys_land(place: Place, land: Zones) -> None:
    own = country_zones(land, place.country).union
    at = Point(place.lon_deg, place.lat_deg)
    if place.name in SEA_LAUNCH_AREAS:
        assert land.containing(place.lon_deg, place.lat_deg) == [], f"{place.name}: not at sea"
        near = geodesic_disk(place.lon_deg, place.lat_deg, SEA_LAUNCH_AREAS[place.name])
        assert shapely.intersects(near, own)
    else:
        assert shapely.contains(own, at), f"{place.name} is not on {place.country}'s land"


def test_plesetsk_to_kura_is_the_published_distance() -> None:
    """German Wikipedia's article on the Kura range gives the Plesetsk-Kura flight path as
    5,700 km (a rounded caption; the range spans some 13,000 km², about +-60 km)."""
    g = shipped_gazetteer()
    d = distance_km(g.lookup("Plesetsk"), g.lookup("Kura"))
    assert abs(d - 5700.0) <= 100.0, d


def test_ningde_fits_japans_account_of_2022_08_04() -> None:
    """Japan's MoD: missiles 6-9 from the Fujian coast flew about 500-550 km and fell
    south-west of Hateruma (https://www.mod.go.jp/j/press/news/2022/08/04d.html). From the
    reported launch area Ningde, Hateruma must lie about that far (within 100 km)."""
    g = shipped_gazetteer()
    d = distance_km(g.lookup("Ningde"), g.lookup("Hateruma"))
    assert 500.0 - 100.0 <= d <= 550.0 + 100.0, d
