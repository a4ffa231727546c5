"""The missile catalogue: published maximum-range estimates with their sources.

The data live in ``data/missiles.csv`` (installed as the package ``geo._data``), one row a
missile: ``name,aliases,class,range_min_km,range_max_km,estimate_by,source,notes``, aliases
separated by ``;``. Every figure in it carries who made the estimate and where it was
published; the catalogue records estimates, it does not vouch for them.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from geo.errors import CatalogError, UnknownMissileError

CATALOG_FILE = "missiles.csv"
COLUMNS: tuple[str, ...] = (
    "name",
    "aliases",
    "class",
    "range_min_km",
    "range_max_km",
    "estimate_by",
    "source",
    "notes",
)


@dataclass(frozen=True)
class Missile:
    """One catalogue row. ``range_min_km`` is the lowest published maximum-range estimate."""

    name: str
    aliases: tuple[str, ...]
    missile_class: str
    range_min_km: float | None
    range_max_km: float
    estimate_by: str
    source: str
    notes: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by every alias."""
        return (self.name, *self.aliases)


def _read_catalog_text() -> tuple[str, str]:
    """Return (text, where) of the catalogue CSV, installed or from the source tree."""
    try:
        res = resources.files("geo._data") / CATALOG_FILE
        return res.read_text(encoding="utf-8"), str(res)
    except (ModuleNotFoundError, OSError):
        pass
    # Not installed (or an install without data): the repository's data/ folder.
    path = Path(__file__).resolve().parents[2] / "data" / CATALOG_FILE
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except FileNotFoundError:
        raise CatalogError(
            f"missile catalogue {CATALOG_FILE} not found (looked in {path})"
        ) from None


def _number(text: str, column: str, where: str) -> float | None:
    t = text.strip()
    if not t:
        return None
    try:
        x = float(t)
    except ValueError:
        raise CatalogError(f"{where}: {column} {t!r} is not a number") from None
    if not math.isfinite(x) or x <= 0.0:
        raise CatalogError(f"{where}: {column} {t!r} must be a positive number")
    return x


def parse_catalog(text: str, where: str = CATALOG_FILE) -> tuple[Missile, ...]:
    """Parse catalogue CSV text; raise :class:`CatalogError` naming the line on bad rows."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or tuple(reader.fieldnames) != COLUMNS:
        raise CatalogError(f"{where}: header must be {','.join(COLUMNS)}")
    missiles: list[Missile] = []
    seen: dict[str, str] = {}
    for row in reader:
        at = f"{where} line {reader.line_num}"
        if None in row or any(v is None for v in row.values()):
            raise CatalogError(f"{at}: expected {len(COLUMNS)} columns")
        name = row["name"].strip()
        if not name:
            raise CatalogError(f"{at}: empty name")
        rmin = _number(row["range_min_km"], "range_min_km", at)
        rmax = _number(row["range_max_km"], "range_max_km", at)
        if rmax is None:
            raise CatalogError(f"{at}: range_max_km is required")
        if rmin is not None and rmin > rmax:
            raise CatalogError(f"{at}: range_min_km {rmin:g} exceeds range_max_km {rmax:g}")
        if not row["source"].strip() or not row["estimate_by"].strip():
            raise CatalogError(f"{at}: every figure needs estimate_by and source")
        aliases = tuple(a.strip() for a in row["aliases"].split(";") if a.strip())
        missile = Missile(
            name=name,
            aliases=aliases,
            missile_class=row["class"].strip(),
            range_min_km=rmin,
            range_max_km=rmax,
            estimate_by=row["estimate_by"].strip(),
            source=row["source"].strip(),
            notes=row["notes"].strip(),
        )
        for label in missile.names:
            key = _key(label)
            if key in seen:
                raise CatalogError(f"{at}: name {label!r} already used by {seen[key]}")
            seen[key] = name
        missiles.append(missile)
    if not missiles:
        raise CatalogError(f"{where}: no missiles")
    return tuple(missiles)


@lru_cache(maxsize=1)
def load_catalog() -> tuple[Missile, ...]:
    """All catalogue entries, in file order (cached)."""
    text, where = _read_catalog_text()
    return parse_catalog(text, where)


def _key(label: str) -> str:
    """Case-, space- and dash-insensitive lookup key: 'hwasong 15' == 'Hwasong-15'."""
    return "".join(ch for ch in label.casefold() if ch.isalnum())


def lookup_missile(name: str, catalog: tuple[Missile, ...] | None = None) -> Missile:
    """The catalogue entry whose name or alias matches ``name`` (case-insensitive).

    Raises :class:`UnknownMissileError` with "did you mean" suggestions otherwise.
    """
    entries = load_catalog() if catalog is None else catalog
    wanted = _key(name)
    if wanted:
        for missile in entries:
            if any(_key(label) == wanted for label in missile.names):
                return missile
    labels = [label for m in entries for label in m.names]
    by_key = {_key(label): label for label in labels}
    import difflib  # only for a misspelt name: not at every start

    close = difflib.get_close_matches(wanted, list(by_key), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(by_key[k] for k in close)}?" if close else ""
    raise UnknownMissileError(f"unknown missile {name.strip()!r}{hint}")
