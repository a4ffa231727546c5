"""Zone file schemas: column maps, the Marine Regions spellings, records and dataset info.

:mod:`geo.access.zonefile` reads the polygons; this module decides what the attribute columns
mean (the Marine Regions EEZ schema in its three spellings, a user's column map, or a guessed
name column), turns each row into a record with the keys ``name, pol_type, territories,
sovereigns, iso_codes, mrgid``, and describes the data set with the citation it asks for.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from geo.access.zonepack import DatasetInfo
from geo.errors import InputError, ZoneDataError

__all__ = [
    "COLUMN_KEYS",
    "SCHEMA_GUESSED",
    "SCHEMA_MAPPED",
    "SCHEMA_V10",
    "SCHEMA_V11",
    "SCHEMA_WFS",
    "marine_regions_info",
    "parse_column_map",
]

# Our keys, in the order the docs list them.
COLUMN_KEYS: tuple[str, ...] = (
    "name",
    "pol_type",
    "territory1",
    "territory2",
    "territory3",
    "sovereign1",
    "sovereign2",
    "sovereign3",
    "iso1",
    "iso2",
    "iso3",
    "mrgid",
)

# Short forms accepted in a column map.
_KEY_ALIASES = {"territory": "territory1", "sovereign": "sovereign1", "iso": "iso1"}

# Marine Regions field names per key, compared case-insensitively. The full names serve both
# the v11/v12 files (upper case) and the WFS (lower case); the case tells which one it was.
_MR_FULL = {
    "name": "geoname",
    "pol_type": "pol_type",
    **{f"territory{i}": f"territory{i}" for i in (1, 2, 3)},
    **{f"sovereign{i}": f"sovereign{i}" for i in (1, 2, 3)},
    **{f"iso{i}": f"iso_ter{i}" for i in (1, 2, 3)},
    "mrgid": "mrgid",
}
_MR_V10 = {
    "name": "geoname",
    "pol_type": "pol_typ",
    **{f"territory{i}": f"trrtry{i}" for i in (1, 2, 3)},
    **{f"sovereign{i}": f"sovrgn{i}" for i in (1, 2, 3)},
    **{f"iso{i}": f"iso_tr{i}" for i in (1, 2, 3)},
    "mrgid": "mrgid",
}
_MR_REQUIRED = ("name", "territory1", "sovereign1")

SCHEMA_V10 = "marine-regions-v10"
SCHEMA_V11 = "marine-regions-v11+"
SCHEMA_WFS = "marine-regions-wfs"
SCHEMA_MAPPED = "column-map"
SCHEMA_GUESSED = "name-column"

# A file without the Marine Regions schema may still name its zones; these are tried in order.
_NAME_LIKE = ("name", "zone_name", "zone", "eez_name", "eez", "name_en", "title", "label")
_COUNTRY_LIKE = ("territory", "country", "sovereign", "state", "nation", "admin")

# Marine Regions releases: publication year and DOI of the EEZ product.
_MR_RELEASES: dict[int, tuple[int, str]] = {
    10: (2018, "10.14284/312"),
    11: (2019, "10.14284/386"),
    12: (2023, "10.14284/632"),
}
_MR_PRODUCT = (
    "Maritime Boundaries Geodatabase: Maritime Boundaries and Exclusive Economic Zones (200NM)"
)
_MR_NOTE = (
    "Marine Regions states that its maritime boundaries have no legal value; "
    "do not re-host the files for download."
)
# e.g. World_EEZ_v12_20231025, eez_v11.shp, marineregions-v10-ne-asia.geojson
_MR_FILE_RE = re.compile(r"(?:eez|marineregions)[_\- ]?v(\d{1,2})(?:[_\-](\d{8}))?", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# Column maps


def parse_column_map(text: str) -> dict[str, str]:
    """``"name=NAME,territory1=COUNTRY"`` → ``{"name": "NAME", "territory1": "COUNTRY"}``.

    Keys are ours (``name, pol_type, territory1..3, sovereign1..3, iso1..3, mrgid``;
    ``territory``, ``sovereign`` and ``iso`` stand for the first); values are the file's column
    names, kept as written.
    """
    from geo.core.parse import clean_value

    text = clean_value(text, "column map", limit=1000)
    out: dict[str, str] = {}
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        key, sep, column = item.partition("=")
        key, column = key.strip().lower(), column.strip()
        if not sep or not key or not column:
            raise InputError(f"column map: expected KEY=COLUMN, got '{item}'")
        key = _KEY_ALIASES.get(key, key)
        if key not in COLUMN_KEYS:
            raise InputError(
                f"column map: unknown key '{key}' "
                "(use name, pol_type, territory1-3, sovereign1-3, iso1-3, mrgid)"
            )
        if key in out:
            raise InputError(f"column map: key '{key}' given twice")
        out[key] = column
    if not out:
        raise InputError("column map is empty; expected e.g. name=NAME,territory1=COUNTRY")
    return out


def _columns_text(columns: Sequence[str], limit: int = 40) -> str:
    shown = ", ".join(columns[:limit])
    return shown + (f", ... ({len(columns)} in all)" if len(columns) > limit else "")


def _resolve_columns(
    columns: Sequence[str], column_map: Mapping[str, str] | None, where: str
) -> tuple[dict[str, str], str, list[str]]:
    """Our key → the file's column, the schema recognised, and warnings."""
    by_lower: dict[str, str] = {}
    for c in columns:
        by_lower.setdefault(c.lower(), c)

    mapping: dict[str, str] = {}
    schema = ""
    for spelling in (_MR_FULL, _MR_V10):
        if all(spelling[k] in by_lower for k in _MR_REQUIRED):
            mapping = {k: by_lower[v] for k, v in spelling.items() if v in by_lower}
            if spelling is _MR_V10:
                schema = SCHEMA_V10
            else:
                schema = SCHEMA_V11 if mapping["name"].isupper() else SCHEMA_WFS
            break

    warnings: list[str] = []
    if column_map:
        for key, col in column_map.items():
            key = _KEY_ALIASES.get(key, key)
            if key not in COLUMN_KEYS:
                raise InputError(f"column map: unknown key '{key}'")
            actual = col if col in columns else by_lower.get(col.lower())
            if actual is None:
                raise ZoneDataError(
                    f"{where}: the column map names '{col}' for {key}, but there is no such "
                    f"column; columns found: {_columns_text(columns)}"
                )
            mapping[key] = actual
        if not schema:
            schema = SCHEMA_MAPPED
        if "name" not in mapping and "territory1" not in mapping:
            raise ZoneDataError(
                f"{where}: the column map needs at least name= or territory1= "
                f"(columns found: {_columns_text(columns)})"
            )
        return mapping, schema, warnings

    if schema:
        return mapping, schema, warnings

    name_col = next((by_lower[n] for n in _NAME_LIKE if n in by_lower), None)
    if name_col is None:
        raise ZoneDataError(
            f"{where}: unknown zone schema (no Marine Regions columns and no name column); "
            f"columns found: {_columns_text(columns) or 'none'}; map them with "
            "--eez-columns name=COL,territory1=COL,sovereign1=COL (see docs/zone-files.md)"
        )
    mapping = {"name": name_col}
    country_col = next((by_lower[n] for n in _COUNTRY_LIKE if n in by_lower), None)
    if country_col is not None:
        mapping["territory1"] = country_col
        mapping["sovereign1"] = country_col
    used = ", ".join(f"{k}={v}" for k, v in mapping.items())
    warnings.append(
        f"no Marine Regions columns in {where}; guessed {used} "
        "(pass --eez-columns to map territories, sovereigns and ISO codes)"
    )
    return mapping, SCHEMA_GUESSED, warnings


# --------------------------------------------------------------------------------------------
# Records


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    try:  # numpy NaN is not equal to itself; pandas.NA refuses bool()
        return bool(v != v)
    except TypeError:
        return True
    except ValueError:  # an array value: present
        return False


def _text(v: Any) -> str:
    if _is_missing(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)  # a numeric column read as float, e.g. 5690.0
    return str(v).strip()


def _int_or_none(v: Any) -> int | None:
    if _is_missing(v) or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return int(f) if math.isfinite(f) and f.is_integer() else None


def _record(row: Mapping[str, Any], mapping: Mapping[str, str], index: int) -> dict[str, Any]:
    def get(key: str) -> Any:
        col = mapping.get(key)
        return row.get(col) if col is not None else None

    def listed(prefix: str) -> list[str]:
        return [t for t in (_text(get(f"{prefix}{i}")) for i in (1, 2, 3)) if t]

    territories = listed("territory")
    name = _text(get("name")) or (territories[0] if territories else f"zone {index + 1}")
    return {
        "name": name,
        "pol_type": _text(get("pol_type")),
        "territories": territories,
        "sovereigns": listed("sovereign"),
        "iso_codes": listed("iso"),
        "mrgid": _int_or_none(get("mrgid")),
    }


# --------------------------------------------------------------------------------------------
# Dataset description


def marine_regions_info(
    version: int | None,
    *,
    source: str,
    release_date: str = "",
    schema: str = "",
    via_wfs: bool = False,
    retrieved: str = "",
) -> DatasetInfo:
    """DatasetInfo for Marine Regions data, with the citation Marine Regions asks for."""
    extra: dict[str, Any] = {"schema": schema} if schema else {}
    if release_date:
        extra["release_date"] = release_date
    if via_wfs:
        return DatasetInfo(
            name="Marine Regions World EEZ (WFS)",
            version=f"current release, layer MarineRegions:eez, retrieved {retrieved}",
            citation=(
                f"Flanders Marine Institute. {_MR_PRODUCT}, current version, as served by the "
                f"Marine Regions WFS (layer MarineRegions:eez), retrieved {retrieved}. "
                "Available online at https://www.marineregions.org/."
            ),
            licence="CC BY 4.0",
            modelled=False,
            source=source,
            notes=_MR_NOTE,
            extra=extra,
        )
    if version is None:
        return DatasetInfo(
            name="Marine Regions World EEZ",
            version="v11 or later (version not in the file name)",
            citation=(
                f"Flanders Marine Institute. {_MR_PRODUCT}, version 11 or later. "
                "Available online at https://www.marineregions.org/."
            ),
            licence="CC BY 4.0",
            modelled=False,
            source=source,
            notes=_MR_NOTE,
            extra=extra,
        )
    year, doi = _MR_RELEASES.get(version, (None, None))
    citation = f"Flanders Marine Institute{f' ({year})' if year else ''}. {_MR_PRODUCT}, "
    citation += f"version {version}. Available online at https://www.marineregions.org/."
    if doi:
        citation += f" https://doi.org/{doi}"
    # Marine Regions put its releases under CC BY 4.0 from v11 on; older terms differ.
    licence = (
        "CC BY 4.0"
        if version >= 11
        else "see https://www.marineregions.org/ (CC BY 4.0 applies from v11 on)"
    )
    return DatasetInfo(
        name=f"Marine Regions World EEZ v{version}",
        version=f"v{version}" + (f" ({release_date})" if release_date else ""),
        citation=citation,
        licence=licence,
        modelled=False,
        source=source,
        notes=_MR_NOTE,
        extra=extra,
    )


def _version_from_name(text: str) -> tuple[int | None, str]:
    m = _MR_FILE_RE.search(text)
    if not m:
        return None, ""
    date = m.group(2) or ""
    if date:
        date = f"{date[:4]}-{date[4:6]}-{date[6:]}"
    return int(m.group(1)), date


def _dataset_info(
    source_text: str, stem: str, schema: str, mapping: Mapping[str, str]
) -> DatasetInfo:
    version, date = _version_from_name(source_text)
    if schema == SCHEMA_V10 and version is None:
        version = 10
    if schema in (SCHEMA_V10, SCHEMA_V11, SCHEMA_WFS):
        return marine_regions_info(version, source=source_text, release_date=date, schema=schema)
    used = ", ".join(f"{k}={v}" for k, v in mapping.items())
    return DatasetInfo(
        name=stem,
        modelled=False,
        source=source_text,
        notes=f"user zone file; columns used: {used}" if used else "user zone file",
        extra={"schema": schema},
    )
