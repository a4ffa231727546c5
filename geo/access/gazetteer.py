"""The gazetteer: launch sites, impact ranges and reference points from ``data/places.csv``,
plus the user's own places (``places.csv`` in the user data directory, written by
``sites add``).

A user place may not take the name or alias of a shipped place: a lookup must never
silently answer with another point than the one the shipped table documents.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from geo.access.resources import data_file
from geo.core.types import LonLat
from geo.errors import InputError, UnknownPlaceError

COLUMNS = ["name", "aliases", "country", "kind", "lat", "lon", "source"]
USER_PLACES_FILE = "places.csv"
KINDS = ("launch site", "reference point", "impact range", "place")
"""Kinds a place may have; the shipped table uses all but ``place``."""
NAME_MAX = 80
# Text made only of numbers, signs, separators, degree marks and hemisphere letters is a
# coordinate, never a place name (the same rule as the CLI's --from).
_COORD_LIKE = re.compile(r"^[\s\d.,;:+\-°º'\"′″NSEWnsewdms]+$")


@dataclass(frozen=True)
class Place:
    name: str
    aliases: tuple[str, ...]
    country: str
    kind: str
    lat_deg: float
    lon_deg: float
    source: str
    user: bool = False
    """From the user's own gazetteer, not the shipped table."""

    @property
    def lonlat(self) -> LonLat:
        return LonLat(self.lon_deg, self.lat_deg)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "name": self.name,
            "aliases": list(self.aliases),
            "country": self.country,
            "kind": self.kind,
            "lat": self.lat_deg,
            "lon": self.lon_deg,
            "source": self.source,
        }
        if self.user:
            out["user"] = True
        return out


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
        return cls(_read_places(path))

    def find(self, name: str) -> Place | None:
        """The place called ``name`` (or with that alias), or None."""
        return self._index.get(_key(name))

    def lookup(self, name: str) -> Place:
        """The place called ``name`` (or with that alias); UnknownPlaceError with suggestions."""
        place = self._index.get(_key(name))
        if place is not None:
            return place
        import difflib  # only for a misspelt name: not at every start

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


def _read_places(path: Path, *, user: bool = False) -> list[Place]:
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except (UnicodeDecodeError, csv.Error) as exc:
        why = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else "not CSV"
        raise InputError(f"{path}: {why}; fix or delete the file") from None
    places = []
    for i, row in enumerate(rows, start=2):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # also NaN
                raise ValueError
            places.append(
                Place(
                    name=(row.get("name") or "").strip(),
                    aliases=tuple(
                        a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()
                    ),
                    country=(row.get("country") or "").strip(),
                    kind=(row.get("kind") or "").strip(),
                    lat_deg=lat,
                    lon_deg=lon,
                    source=(row.get("source") or "").strip(),
                    user=user,
                )
            )
        except (KeyError, TypeError, ValueError):
            raise InputError(
                f"{path}, line {i}: not a place row (columns {', '.join(COLUMNS)}); "
                "fix or delete the file"
            ) from None
    return places


@lru_cache(maxsize=1)
def shipped_gazetteer() -> Gazetteer:
    """The places shipped with rangezone (``data/places.csv``)."""
    return Gazetteer.from_csv(data_file("places.csv"))


def user_places_path() -> Path:
    from geo.access.userdata import data_dir

    return data_dir() / USER_PLACES_FILE


def user_places() -> list[Place]:
    """The user's own places; InputError when one takes a shipped name (a file edited by
    hand: ``sites add`` refuses such names)."""
    path = user_places_path()
    if not path.is_file():
        return []
    places = _read_places(path, user=True)
    shipped = shipped_gazetteer()
    for p in places:
        for label in (p.name, *p.aliases):
            clash = shipped.find(label)
            if clash is not None:
                raise InputError(
                    f"your place {p.name!r} in {path} takes the name {label!r} of the shipped "
                    f"place {clash.name!r}; rename it ('rangezone sites remove {p.name}', "
                    "then add it under another name)"
                )
    return places


def default_gazetteer() -> Gazetteer:
    """Shipped places, then the user's own (read on every call: ``sites add`` may have
    changed them)."""
    shipped = shipped_gazetteer()
    mine = user_places()
    return Gazetteer([*shipped.places, *mine]) if mine else shipped


def lookup_place(name: str) -> Place:
    return default_gazetteer().lookup(name)


def looks_like_coordinate(text: str) -> bool:
    return bool(_COORD_LIKE.match(text))


def place_or_coordinate(text: str) -> tuple[LonLat, str]:
    """(point, display name) for a gazetteer name or a coordinate ('24.4667,123.0')."""
    from geo.core.parse import parse_coord

    if looks_like_coordinate(text):
        c = parse_coord(text)
        return c, coordinate_name(c)
    place = lookup_place(text)
    return place.lonlat, place.name


def coordinate_name(c: LonLat) -> str:
    return f"{c.lat_deg:.4f}, {c.lon_deg:.4f}"


def check_place_name(name: str) -> str:
    """A user place name, stripped; InputError when it cannot be one."""
    text = " ".join(name.split())
    if not text:
        raise InputError("a place name cannot be empty")
    if len(text) > NAME_MAX:
        raise InputError(f"a place name has at most {NAME_MAX} characters, not {len(text)}")
    if text[0] in "=+-@" or any(ord(ch) < 32 for ch in name):
        raise InputError(
            f"place name {name!r} may not start with =, +, - or @ or hold control characters"
        )
    if ";" in text:
        raise InputError(f"place name {name!r} may not contain ';' (it separates aliases)")
    if looks_like_coordinate(text):
        raise InputError(f"place name {name!r} reads as a coordinate; give it a name")
    return text


def _write_user_places(places: list[Place]) -> Path:
    from geo.access.atomic import write_text_atomic

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for p in places:
        writer.writerow(
            [p.name, ";".join(p.aliases), p.country, p.kind, repr(p.lat_deg), repr(p.lon_deg),
             p.source]
        )  # fmt: skip
    path = user_places_path()
    write_text_atomic(path, buf.getvalue())
    return path


def add_user_place(
    name: str, at: LonLat, *, kind: str = "place", country: str = "", source: str = ""
) -> Place:
    """Add a place to the user's gazetteer (stored atomically); InputError when the name is
    taken by a shipped or an existing user place."""
    text = check_place_name(name)
    if kind not in KINDS:
        raise InputError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    for label, value in (("--country", country), ("--source", source)):
        if any(ord(ch) < 32 for ch in value) or value[:1] in ("=", "+", "-", "@"):
            raise InputError(f"{label} {value!r} may not start with =, +, - or @ or hold "
                             "control characters")  # fmt: skip
    clash = shipped_gazetteer().find(text)
    if clash is not None:
        raise InputError(
            f"{text!r} is the shipped place {clash.name!r} "
            f"({clash.lat_deg:.4f}, {clash.lon_deg:.4f}); choose another name"
        )
    mine = user_places()
    own = Gazetteer(mine).find(text)
    if own is not None:
        raise InputError(
            f"{text!r} is already one of your places ({own.lat_deg:.4f}, {own.lon_deg:.4f}); "
            f"'rangezone sites remove {own.name}' first to move it"
        )
    place = Place(text, (), country.strip(), kind, at.lat_deg, at.lon_deg, source.strip(), True)
    _write_user_places([*mine, place])
    return place


def remove_user_place(name: str) -> Place:
    """Remove one of the user's places; InputError for a shipped or unknown name."""
    mine = user_places()
    own = Gazetteer(mine).find(name)
    if own is None:
        clash = shipped_gazetteer().find(name)
        if clash is not None:
            raise InputError(f"{clash.name!r} is shipped with rangezone and cannot be removed")
        have = ", ".join(p.name for p in mine) or "none"
        raise InputError(f"{name!r} is not one of your places (yours: {have})")
    _write_user_places([p for p in mine if p is not own])
    return replace(own)
