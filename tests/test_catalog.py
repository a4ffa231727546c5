"""The missile catalogue: loading, lookup by name or alias, and its validation."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from geo.access.catalog import (
    COLUMNS,
    load_catalog,
    lookup_missile,
    parse_catalog,
)
from geo.errors import CatalogError, InputError, UnknownMissileError

HEADER = ",".join(COLUMNS)


def test_catalogue_loads_and_every_figure_has_a_source() -> None:
    """The loaded catalogue is the shipped CSV read independently with ``csv``: one missile
    per row, in order, with its figures; every row names who estimated and links a source."""
    text = (Path(__file__).resolve().parents[1] / "data" / "missiles.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    missiles = load_catalog()
    assert len(rows) >= 15
    assert [m.name for m in missiles] == [r["name"] for r in rows]
    for m, row in zip(missiles, rows, strict=True):
        want_min = float(row["range_min_km"]) if row["range_min_km"] else None
        assert (m.range_min_km, m.range_max_km) == (want_min, float(row["range_max_km"]))
        assert m.range_max_km > 0
        assert m.range_min_km is None or 0 < m.range_min_km <= m.range_max_km
        assert m.estimate_by.strip() and m.estimate_by == row["estimate_by"], m.name
        assert re.search(r"https?://\S+", m.source), f"{m.name}: no link in {m.source!r}"
        assert lookup_missile(m.name) == m
    # Lookups ignore case, spaces and dashes: no two names may meet that way.
    names = [re.sub(r"[\s_-]", "", n).casefold() for m in missiles for n in m.names]
    assert len(names) == len(set(names)), "a name or alias names two missiles"


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Hwasong-15", "Hwasong-15"),
        ("hwasong 15", "Hwasong-15"),
        ("HWASONG15", "Hwasong-15"),
        ("kn-22", "Hwasong-15"),
        ("  Musudan ", "Hwasong-10"),
        ("scud-b", "Hwasong-5"),
        ("Hwasong-11A", "KN-23"),
        ("rodong", "Nodong"),
    ],
)
def test_lookup_by_name_or_alias_ignores_case_spaces_and_dashes(query: str, name: str) -> None:
    assert lookup_missile(query).name == name


@pytest.mark.parametrize(
    ("name", "rmin", "rmax"),
    [
        ("KN-23", None, 600.0),
        ("KN-24", None, 500.0),
        ("KN-25", 380.0, 380.0),
        ("Hwasong-12", 4000.0, 4500.0),
        ("Hwasong-14", 10000.0, 11000.0),
        ("Hwasong-15", 8500.0, 13000.0),
        ("Hwasong-17", 15000.0, 15000.0),
        ("Hwasong-18", 15000.0, 15000.0),
        ("Hwasong-19", 15000.0, 15000.0),
        ("Pukguksong-3", 1500.0, 2500.0),
    ],
)
def test_published_figures(name: str, rmin: float | None, rmax: float) -> None:
    m = lookup_missile(name)
    assert m.range_min_km == rmin
    assert m.range_max_km == rmax


def test_unknown_missile_suggests_close_names() -> None:
    with pytest.raises(
        UnknownMissileError, match=r"unknown missile 'Hwasong-51'; did you mean"
    ) as e:
        lookup_missile("Hwasong-51")
    assert "Hwasong-5" in str(e.value)
    assert isinstance(e.value, InputError)


def test_unknown_missile_without_suggestion() -> None:
    with pytest.raises(UnknownMissileError, match=r"^unknown missile 'zzzz'$"):
        lookup_missile("zzzz")
    with pytest.raises(UnknownMissileError):
        lookup_missile("   ")


def _csv(*rows: str) -> str:
    return "\n".join((HEADER, *rows)) + "\n"


def test_parse_catalog_reads_aliases_and_blank_minimum() -> None:
    (m,) = parse_catalog(_csv("X-1,Y-1; Z 1 ;,SRBM,,300,someone,somewhere,"))
    assert m.aliases == ("Y-1", "Z 1")
    assert m.range_min_km is None
    assert m.range_max_km == 300.0
    assert lookup_missile("z1", (m,)) is m


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,aliases\nX,Y\n", "header must be"),
        (_csv("X,,SRBM,400,300,a,b,"), "range_min_km 400 exceeds range_max_km 300"),
        (_csv("X,,SRBM,,,a,b,"), "range_max_km is required"),
        (_csv("X,,SRBM,,abc,a,b,"), "range_max_km 'abc' is not a number"),
        (_csv("X,,SRBM,,-5,a,b,"), "must be a positive number"),
        (_csv("X,,SRBM,,300,a,,"), "needs estimate_by and source"),
        (_csv("X,,SRBM,,300,a,b,", "Y,x,SRBM,,300,a,b,"), "already used by X"),
        (_csv("X,,SRBM,,300,a,b"), "expected 8 columns"),
        (_csv(), "no missiles"),
    ],
)
def test_parse_catalog_rejects_bad_rows(text: str, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        parse_catalog(text, "test.csv")
