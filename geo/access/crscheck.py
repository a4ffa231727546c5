"""A GeoJSON file's ``crs`` member, checked before GDAL reads the file.

GDAL reads a GeoJSON whose ``crs`` it does not understand as WGS 84 without a word (checked
with pyogrio 0.13 / GDAL 3.x): a garbage CRS must be an error, not a silently wrong map.
Only the first MiB before ``"features"`` is looked at, with one linear scan.
"""

from __future__ import annotations

import json
from pathlib import Path

from geo.errors import ZoneDataError


def check_geojson_crs(path: Path) -> None:
    """GDAL reads a GeoJSON whose 'crs' member it does not understand as WGS 84 without a
    word; a garbage CRS must be an error, not a silently wrong map."""
    if path.suffix.lower() not in (".geojson", ".json"):
        return
    try:
        if not path.is_file():
            return
        with path.open("rb") as fh:
            head = fh.read(1 << 20).decode("utf-8", "replace")
    except OSError:
        return  # reading fails again, with its message, in _read_frame
    head = head.split('"features"', 1)[0]  # the top-level members GDAL writes first
    at = head.find('"crs"')
    if at < 0:
        return
    rest = head[at + 5 :].lstrip()
    if not rest.startswith(":"):
        return
    rest = rest[1:].lstrip()
    if rest.startswith("null"):
        return
    member = _json_object_prefix(rest)
    try:
        crs = json.loads(member) if member else None
    except ValueError:
        crs = None
    props = crs.get("properties") if isinstance(crs, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    if isinstance(crs, dict) and crs.get("type") == "name" and isinstance(name, str):
        import pyproj

        try:
            pyproj.CRS.from_user_input(name)
            return
        except pyproj.exceptions.CRSError:
            pass
    shown = f"{name!r}" if isinstance(name, str) else "that GDAL cannot read"
    raise ZoneDataError(
        f"{path}: unknown CRS {shown[:80]} in its 'crs' member; fix it or remove it "
        "(GeoJSON is WGS 84 longitude/latitude without one)"
    )


def _json_object_prefix(text: str) -> str:
    """The JSON object at the start of ``text`` (braces matched, strings skipped), or ''."""
    if not text.startswith("{"):
        return ""
    depth = 0
    in_string = escaped = False
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[: i + 1]
    return ""
