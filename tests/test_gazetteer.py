"""The gazetteer: data/places.csv integrity, lookup by name or alias, suggestions."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geo.access.gazetteer import Gazetteer, Place, default_gazetteer, lookup_place
from geo.access.resources import data_file
from geo.errors import InputError, UnknownPlaceError


def _key(text: str) -> str:
    """How a user may spell a label: case, hyphens, underscores and spacing do not matter."""
    return " ".join(text.casefold().replace("-", " ").replace("_", " ").split())


@pytest.fixture(scope="module")
def places() -> list[Place]:
    return default_gazetteer().places


def test_csv_columns_and_rows() -> None:
    path = Path(data_file("places.csv"))
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["name", "aliases", "country", "kind", "lat", "lon", "source"]
        rows = list(reader)
    assert len(rows) == len(default_gazetteer().places) > 0


def test_every_place_has_a_source_and_a_valid_position(places: list[Place]) -> None:
    for p in places:
        assert p.name and p.country and p.kind, p
        assert p.source.strip(), f"{p.name} has no source"
        assert -90.0 <= p.lat_deg <= 90.0, p.name
        assert -180.0 <= p.lon_deg <= 180.0, p.name
        assert p.lonlat == (p.lon_deg, p.lat_deg)


def test_names_and_aliases_are_unique_across_places(places: list[Place]) -> None:
    owner: dict[str, str] = {}
    for p in places:
        for label in (p.name, *p.aliases):
            k = _key(label)
            assert owner.setdefault(k, p.name) == p.name, (
                f"{label!r} names both {owner[k]!r} and {p.name!r}"
            )


def test_no_place_lists_an_alias_twice(places: list[Place]) -> None:
    for p in places:
        keys = [_key(a) for a in p.aliases]
        assert len(keys) == len(set(keys)), p.name
        assert _key(p.name) not in keys, p.name


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Sinpo", "Sinpo"),
        ("sinpo", "Sinpo"),
        ("  SINPO ", "Sinpo"),
        ("Pyongyang", "Sunan"),  # alias
        ("pyongyang", "Sunan"),
        ("Tongchang-ri", "Sohae"),
        ("tongchang ri", "Sohae"),
        ("TONGCHANG_RI", "Sohae"),
        ("sunan airport", "Pyongyang International Airport"),
        ("Sunan", "Sunan"),  # a name wins over the alias that contains it
        ("west sunan", "West Sunan"),
        ("Oki Islands", "Dogo"),
        ("nyudozaki", "Cape Nyudo"),
    ],
)
def test_lookup_is_case_insensitive_by_name_and_alias(query: str, name: str) -> None:
    assert lookup_place(query).name == name


def test_every_label_finds_its_place(places: list[Place]) -> None:
    g = default_gazetteer()
    for p in places:
        for label in (p.name, *p.aliases):
            assert g.lookup(label.upper()) is p
            assert g.lookup(label.lower()) is p


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Sariwn", "unknown place 'Sariwn'; did you mean Sariwon?"),
        ("Snpo", "unknown place 'Snpo'; did you mean Sinpo?"),
        (
            "Okushiri isl",
            "unknown place 'Okushiri isl'; did you mean Okushiri Island, Oshima-Oshima?",
        ),
        ("Pyongyng", "unknown place 'Pyongyng'; did you mean Sunan, Pyongsong, Yonghung Bay?"),
        ("zzzz", "unknown place 'zzzz'; see 'rangezone sites'"),
    ],
)
def test_unknown_place_suggestions(query: str, message: str) -> None:
    with pytest.raises(UnknownPlaceError) as info:
        lookup_place(query)
    assert isinstance(info.value, InputError)
    assert str(info.value) == message


def test_search(places: list[Place]) -> None:
    g = default_gazetteer()
    assert g.search(None) == places
    assert g.search("") == places
    assert [p.name for p in g.search("sunan")] == [
        "Sunan",
        "Pyongyang International Airport",
        "West Sunan",
    ]
    japan = g.search("japan")
    assert japan and all(p.country == "Japan" for p in japan)
    assert g.search("reference point") == [p for p in places if p.kind == "reference point"]
    assert g.search("no such thing") == []


def test_gazetteer_from_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "name,aliases,country,kind,lat,lon,source\nAlpha, A1 ; A2 ,X,launch site,1.5,-2.5,test\n",
        encoding="utf-8",
    )
    g = Gazetteer.from_csv(path)
    (p,) = g.places
    assert p.aliases == ("A1", "A2")
    assert g.lookup("a2") is p
    assert p.to_dict() == {
        "name": "Alpha",
        "aliases": ["A1", "A2"],
        "country": "X",
        "kind": "launch site",
        "lat": 1.5,
        "lon": -2.5,
        "source": "test",
    }
