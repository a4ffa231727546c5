"""The gazetteer: launch sites and reference points from ``data/places.csv``."""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.access.resources import data_file
from geo.core.types import LonLat
from geo.errors import UnknownPlaceError


@dataclass(frozen=True)
class Place:
    name: str
    aliases: tuple[str, ...]
    country: str
    kind: str
    lat_deg: float
    lon_deg: float
    source: str

    @property
    def lonlat(self) -> LonLat:
        return LonLat(self.lon_deg, self.lat_deg)

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "country": self.country,
            "kind": self.kind,
            "lat": self.lat_deg,
            "lon": self.lon_deg,
            "source": self.source,
        }


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").replace("_", " ").split())


class Gazetteer:
    """Case-insensitive lookup of places by name or alias."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self._index: dict[str, Place] = {}
        for place in places:
            for label in (place.name, *place.aliases):
                self._index.setdefault(_key(label), place)

    @classmethod
    def from_csv(cls, path: Path) -> Gazetteer:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        places = [
            Place(
                name=row["name"].strip(),
                aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
                country=row["country"].strip(),
                kind=row["kind"].strip(),
                lat_deg=float(row["lat"]),
                lon_deg=float(row["lon"]),
                source=row["source"].strip(),
            )
            for row in rows
        ]
        return cls(places)

    def lookup(self, name: str) -> Place:
        """The place called ``name`` (or with that alias); UnknownPlaceError with suggestions."""
        place = self._index.get(_key(name))
        if place is not None:
            return place
        matches = difflib.get_close_matches(_key(name), list(self._index), n=3, cutoff=0.6)
        names = list(dict.fromkeys(self._index[m].name for m in matches))
        hint = f"; did you mean {', '.join(names)}?" if names else "; see 'rangezone sites'"
        raise UnknownPlaceError(f"unknown place {name!r}{hint}")

    def search(self, query: str | None = None) -> list[Place]:
        """Places whose name, alias, country or kind contains ``query`` (all when None)."""
        if not query:
            return list(self.places)
        q = _key(query)
        return [
            p
            for p in self.places
            if any(q in _key(s) for s in (p.name, *p.aliases, p.country, p.kind))
        ]


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer.from_csv(data_file("places.csv"))


def lookup_place(name: str) -> Place:
    return default_gazetteer().lookup(name)
