"""Download EEZ polygons from the Marine Regions WFS (GeoServer at VLIZ).

One GetFeature request, WFS 1.0.0 with GeoJSON output so that coordinates come as lon/lat
(WFS 1.1/2.0 with EPSG:4326 would swap them), filtered with GeoServer's ``CQL_FILTER``.
Responses are cached on disk by URL. The transport is injectable: tests replay recorded
responses and never touch the network.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import math
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.access.zonepack import DatasetInfo
from geo.core.iso3166 import ALPHA2_TO_ALPHA3
from geo.errors import FetchError, InputError, UnknownCountryError, ZoneDataError

WFS_URL = "https://geo.vliz.be/geoserver/MarineRegions/wfs"
TYPE_NAME = "MarineRegions:eez"
# The layer's geometry attribute, needed to name it in a CQL BBOX(). Other clients' CQL on
# this layer uses the same name (INTERSECTS(the_geom, ...)); not checked live from here.
GEOMETRY_FIELD = "the_geom"
CACHE_MAX_AGE_S = 30 * 86400.0

# (url, timeout in seconds) -> response body; raises urllib/socket errors like urlopen does.
Opener = Callable[[str, float], bytes]

BBox = tuple[float, float, float, float]


def parse_bbox(text: str) -> BBox:
    """``"W,S,E,N"`` in degrees → a tuple; W > E means the box crosses the antimeridian."""
    from geo.core.parse import clean_value, parse_number

    text = clean_value(text, "bounding box")
    parts = [p.strip() for p in text.split(",")]
    try:
        if len(parts) != 4:
            raise InputError
        w, s, e, n = (parse_number(p, "bounding box value") for p in parts)
    except InputError:
        raise InputError(f"expected W,S,E,N in degrees, got '{text}'") from None
    if not all(-180.0 <= v <= 180.0 for v in (w, e)):
        raise InputError(f"longitudes must be within -180..180, got '{text}'")
    if not (-90.0 <= s < n <= 90.0):
        raise InputError(f"need -90 <= S < N <= 90, got '{text}'")
    if w == e:
        raise InputError(f"W and E are equal in '{text}'")
    return (w, s, e, n)


def _num(v: float) -> str:
    return f"{v:.10g}"


def _quote_cql(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _country_filter(country: str) -> str:
    name = _quote_cql(country.strip())
    code = country.strip().upper()
    iso = _quote_cql(ALPHA2_TO_ALPHA3.get(code, code))  # iso_ter1 holds alpha-3 codes
    return f"territory1={name} OR sovereign1={name} OR iso_ter1={iso}"


def _bbox_filter(bbox: BBox) -> str:
    w, s, e, n = bbox
    if w <= e:
        return f"BBOX({GEOMETRY_FIELD},{_num(w)},{_num(s)},{_num(e)},{_num(n)})"
    # across the antimeridian: the two halves on either side
    east = f"BBOX({GEOMETRY_FIELD},{_num(w)},{_num(s)},180,{_num(n)})"
    west = f"BBOX({GEOMETRY_FIELD},-180,{_num(s)},{_num(e)},{_num(n)})"
    return f"({east} OR {west})"


def build_cql(countries: Sequence[str] | None, bbox: BBox | None) -> str | None:
    """The CQL_FILTER, or None when the plain ``bbox`` parameter (or nothing) is enough."""
    names = [c for c in (countries or []) if c.strip()]
    by_country = " OR ".join(f"({_country_filter(c)})" for c in names)
    if bbox is None:
        return by_country or None
    if not names:
        # a plain bbox parameter cannot cross the antimeridian; CQL can
        return _bbox_filter(bbox) if bbox[0] > bbox[2] else None
    # GeoServer refuses CQL_FILTER together with BBOX, so the box joins the filter
    if len(names) > 1:
        by_country = f"({by_country})"
    return f"{by_country} AND {_bbox_filter(bbox)}"


def build_url(countries: Sequence[str] | None, bbox: BBox | None) -> str:
    """The GetFeature URL for zones of ``countries`` (any of them) within ``bbox``."""
    params = [
        ("service", "WFS"),
        ("version", "1.0.0"),
        ("request", "GetFeature"),
        ("typeName", TYPE_NAME),
        ("outputFormat", "application/json"),
    ]
    cql = build_cql(countries, bbox)
    if cql is not None:
        params.append(("CQL_FILTER", cql))
    elif bbox is not None:
        params.append(("bbox", ",".join(_num(v) for v in bbox)))
    query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe=":/,")
    return f"{WFS_URL}?{query}"


def _user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"rangezone/{version('rangezone')}"
    except PackageNotFoundError:
        return "rangezone"


def urlopen_bytes(url: str, timeout: float) -> bytes:
    """The default transport: a plain GET with urllib."""
    request = urllib.request.Request(
        url, headers={"User-Agent": _user_agent(), "Accept": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body: bytes = response.read()
    return body


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def exception_text(body: bytes) -> str | None:
    """The message of an OGC exception report (WFS 1.0 ServiceExceptionReport or OWS
    ExceptionReport), or None if ``body`` is not one."""
    head = body.lstrip()[:512].lower()
    if not head.startswith(b"<") or b"exception" not in head:
        return None
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        # every scan stops at the next '<': linear however broken the body
        found = re.findall(
            rb"<(?:\w+:)?(?:ServiceException|ExceptionText)[^<>]*>([^<]*)<", body[: 1 << 20]
        )
        texts = [t.decode("utf-8", "replace") for t in found]
    else:
        texts = [
            el.text or ""
            for el in root.iter()
            if el.tag.rsplit("}", 1)[-1] in ("ServiceException", "ExceptionText")
        ]
    message = _one_line(" ".join(t.strip() for t in texts if t.strip()))
    return message or "(no message)"


def _timeout_error(timeout_s: float) -> FetchError:
    return FetchError(
        f"Marine Regions WFS did not answer within {timeout_s:g} s (timeout); "
        "try again later or pass a longer --timeout"
    )


def _download(url: str, timeout_s: float, opener: Opener) -> bytes:
    try:
        return opener(url, timeout_s)
    except urllib.error.HTTPError as exc:
        try:
            body = exc.read() or b""
        except (OSError, http.client.HTTPException):
            body = b""
        text = exception_text(body)
        if text:
            raise FetchError(f"WFS returned an error: {text}") from None
        raise FetchError(f"Marine Regions WFS answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _timeout_error(timeout_s) from None
        raise FetchError(f"cannot reach Marine Regions WFS (offline?): {exc.reason}") from None
    except TimeoutError:
        raise _timeout_error(timeout_s) from None
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"cannot reach Marine Regions WFS (offline?): {exc}") from None


def _parse_collection(body: bytes) -> dict[str, Any]:
    text = exception_text(body)
    if text is not None:
        raise FetchError(f"WFS returned an error: {text}")
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        preview = _one_line(body[:80].decode("utf-8", "replace"), 80)
        raise FetchError(f"Marine Regions WFS returned something other than GeoJSON: {preview!r}")
    return data


def _collection_crs(data: dict[str, Any]) -> str:
    crs = data.get("crs")
    if isinstance(crs, dict):
        name = (crs.get("properties") or {}).get("name")
        if isinstance(name, str) and name:
            return name
    return "EPSG:4326"  # GeoJSON's default, and what WFS 1.0.0 sends


def _features(data: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]], list[Any]]:
    from shapely.geometry import shape

    columns: list[str] = []
    seen: set[str] = set()
    rows: list[dict[str, Any]] = []
    geoms: list[BaseGeometry | None] = []
    for feature in data.get("features") or []:
        if not isinstance(feature, dict):
            continue
        props = feature.get("properties") or {}
        for key in props:
            if key not in seen:
                seen.add(key)
                columns.append(key)
        rows.append(dict(props))
        try:
            geom = shape(feature["geometry"]) if feature.get("geometry") else None
        except (KeyError, TypeError, ValueError, AttributeError):
            geom = None  # malformed: dropped and reported as a feature without polygons
        geoms.append(geom)
    return columns, rows, geoms


def _describe(countries: Sequence[str] | None, bbox: BBox | None) -> str:
    bits = []
    if countries:
        bits.append(", ".join(countries))
    if bbox is not None:
        bits.append("bbox " + ",".join(_num(v) for v in bbox))
    return " within ".join(bits) if bits else "the whole world"


def cache_path(url: str) -> Path:
    from geo.access.userdata import cache_dir

    key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
    return cache_dir() / "wfs" / f"{key}.json"


MAX_TIMEOUT_S = 3600.0


def check_timeout(timeout_s: float) -> float:
    """A timeout in seconds: finite, more than 0 and at most an hour (nan never times out)."""
    if not (math.isfinite(timeout_s) and 0 < timeout_s <= MAX_TIMEOUT_S):
        raise InputError(
            f"--timeout {timeout_s:g} must be a number of seconds more than 0 and at most "
            f"{MAX_TIMEOUT_S:g}"
        )
    return timeout_s


def fetch_zones(
    countries: list[str] | None,
    bbox: tuple[float, float, float, float] | None,
    *,
    timeout_s: float = 60,
    cache: bool = True,
    opener: Opener | None = None,
    cache_max_age_s: float = CACHE_MAX_AGE_S,
) -> tuple[DatasetInfo, list[dict[str, Any]], list[BaseGeometry]]:
    """Zones from the Marine Regions WFS whose territory, sovereign or ISO code matches any of
    ``countries``, within ``bbox`` (W, S, E, N); both optional.

    Raises :class:`FetchError` (offline, timeout, service error), :class:`UnknownCountryError`
    (nothing matched the countries) or :class:`ZoneDataError`. Repair and split notes are kept
    in ``info.extra["warnings"]``.
    """
    from geo.access.zonefile import marine_regions_info, normalise_zones

    check_timeout(timeout_s)
    url = build_url(countries, bbox)
    body: bytes | None = None
    retrieved = time.time()
    path = cache_path(url) if cache else None
    if path is not None and path.is_file():
        age = time.time() - path.stat().st_mtime
        if age <= cache_max_age_s:
            body = path.read_bytes()
            retrieved = path.stat().st_mtime
    fresh = body is None
    if body is None:
        body = _download(url, timeout_s, opener or urlopen_bytes)
    data = _parse_collection(body)
    columns, rows, geoms = _features(data)
    if not rows:
        what = _describe(countries, bbox)
        if countries:
            raise UnknownCountryError(
                f"the Marine Regions WFS has no zones for {what}; names are matched exactly "
                "against territory1/sovereign1 (e.g. 'Japan') and ISO codes against iso_ter1 "
                "(e.g. 'JPN')"
            )
        raise ZoneDataError(f"the Marine Regions WFS returned no zones for {what}")
    if fresh and path is not None:
        from geo.access.atomic import write_bytes_atomic

        write_bytes_atomic(path, body)

    norm = normalise_zones(
        columns, rows, geoms, crs=_collection_crs(data), where="the Marine Regions WFS response"
    )
    day = datetime.fromtimestamp(retrieved, UTC).strftime("%Y-%m-%d")
    info = marine_regions_info(None, source=url, schema=norm.schema, via_wfs=True, retrieved=day)
    extra = dict(info.extra)
    extra["query"] = {"countries": list(countries or []), "bbox": list(bbox) if bbox else None}
    if norm.warnings:
        extra["warnings"] = norm.warnings
    return replace(info, extra=extra), norm.records, norm.geoms
