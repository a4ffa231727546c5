"""The data the interactive page draws: typed, and written into the page in one place.

:class:`PageData` is everything ``main.js`` reads. :func:`pack_page_data` turns it into the
text of the page's ``<script id="rz-data">`` element: JSON (field names in camelCase) ->
gzip -> base85 (without '<', '>', '&'). The page unpacks it with the browser's
``DecompressionStream('gzip')`` (``base.js``); :func:`read_page_data` does the same in Python
(tests, tools).

Coordinates are packed as integers: every geometry carries its ``decimals`` and each ring
or line is a flat list ``[x0, y0, dx1, dy1, ...]`` of steps in units of ``10**-decimals``
degrees, the first pair relative to the last point of the previous ring (or to 0, 0).
Small integers compress far better than decimal fractions.
"""

from __future__ import annotations

import base64
import dataclasses
import gzip
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from shapely.geometry import LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.present.basemap import parts

GeometryKind = Literal["polygons", "lines", "points"]


@dataclass(frozen=True)
class PackedGeometry:
    """Polygons, lines or points with integer-stepped coordinates (see the module doc)."""

    kind: GeometryKind
    decimals: int
    coords: list[Any]
    """polygons: [[ring, ...], ...]; lines: [line, ...]; points: one flat list."""


@dataclass(frozen=True)
class PathStyle:
    """A Leaflet path style (the JSON keys are Leaflet's option names)."""

    color: str
    weight: float
    dash_array: str | None = None
    fill_color: str | None = None
    fill_opacity: float | None = None
    radius: float | None = None


@dataclass(frozen=True)
class Circle:
    """The geodesic circles an item's arcs lie on: the page adds exact points between
    vertices on them when zoomed in (circles.js)."""

    lat: float
    lon: float
    radii: tuple[float, ...]
    """Metres."""


@dataclass
class PageItem:
    """One feature: its shape, style, tooltip name and popup rows."""

    geometry: PackedGeometry
    style: PathStyle
    name: str
    info: list[tuple[str, str]]
    outline_runs: list[list[int]] | None = None
    """For polygons: which parts of each ring (all rings of all polygons in order) are drawn
    as the outline, as flat [first, last, first, last, ...] vertex indices; edges made by
    cutting (at 180°, the map's seam, the poles or the data's clip box) are left out."""
    label: Any = None
    """The feature's own name and its candidate places (shape owned by the label code)."""
    zone_label: Any = None
    """A zone's name and its candidate places (shape owned by the label code)."""
    circle: Circle | None = None


@dataclass
class PageLayer:
    name: str
    """HTML-escaped: Leaflet's layer control inserts it as markup."""
    kind: str
    items: list[PageItem]


@dataclass
class LandTier:
    """Land (filled, its coast the outline runs), and borders; ``repeat``: also drawn one
    turn east and west, so that panning past the seam still shows land."""

    land: PackedGeometry | None
    coast_runs: list[list[int]]
    borders: PackedGeometry | None
    repeat: bool = False


@dataclass
class PageBasemap:
    tiers: list[LandTier]
    """Coarsest first: the whole world, then the detailed region around the content."""
    labels: Any = None
    """Country names and their candidate places (shape owned by the label code)."""


@dataclass(frozen=True)
class TileLayer:
    url: str
    attribution: str
    max_zoom: int
    name: str
    """HTML-escaped, as layer names are."""
    subdomains: str | None = None


@dataclass(frozen=True)
class BaseColors:
    land: str
    coast: str
    border: str


@dataclass
class PageData:
    bounds: tuple[tuple[float, float], tuple[float, float]]
    """[[south, west], [north, east]]: what the map fits on opening."""
    layers: list[PageLayer]
    basemap: PageBasemap
    colors: BaseColors
    lon_window: tuple[float, float] = (-180.0, 180.0)
    """The longitudes the page's geometries use: [seam, seam + 360]."""
    world_copies: bool = False
    """A world-scale map: areas and lines are drawn again one turn east and west."""
    tiles: TileLayer | None = None
    smooth_factor: float = 0.2
    """Leaflet's polyline simplification in pixels (its default, 1, shows facets on rings)."""
    placer: dict[str, Any] | None = None
    """The label placer's constants (:data:`geo.present.layout.PLACER_CONSTANTS`): labels.js
    has no copies."""
    event: dict[str, Any] | None = None
    """Event maps (``web/events.js``): info box, altitude profiles, track arrowheads
    (:func:`geo.present.web_events.event_payload`; keys as written)."""


# --------------------------------------------------------------------------------------
# Geometry
# --------------------------------------------------------------------------------------


class _Packer:
    """Steps each ring from the previous ring's last point (one running cursor)."""

    def __init__(self, decimals: int) -> None:
        self.scale = 10.0**decimals
        self.last = np.zeros(2, dtype=np.int64)

    def seq(self, coords: Any) -> list[int]:
        q = np.round(np.asarray(coords, dtype=float)[:, :2] * self.scale).astype(np.int64)
        if len(q) == 0:
            return []
        steps = np.diff(q, axis=0, prepend=self.last[None, :])
        self.last = q[-1]
        out: list[int] = steps.ravel().tolist()
        return out


def pack_geometry(geom: BaseGeometry, decimals: int) -> PackedGeometry | None:
    """The polygonal parts of ``geom`` if it has any, else its lines, else its points."""
    ps = parts(geom)
    polys = [p for p in ps if isinstance(p, Polygon) and not p.is_empty]
    lines = [p for p in ps if isinstance(p, LineString) and not p.is_empty]
    points = [p for p in ps if isinstance(p, Point) and not p.is_empty]
    pk = _Packer(decimals)
    if polys:
        coords: list[Any] = [[pk.seq(r.coords) for r in [p.exterior, *p.interiors]] for p in polys]
        return PackedGeometry("polygons", decimals, coords)
    if lines:
        return PackedGeometry("lines", decimals, [pk.seq(g.coords) for g in lines])
    if points:
        return PackedGeometry("points", decimals, pk.seq([p.coords[0] for p in points]))
    return None


def unpack_geometry(g: dict[str, Any]) -> BaseGeometry:
    """The shapely geometry of a packed geometry as the page's JSON holds it."""
    scale = 10.0 ** -int(g["decimals"])
    last = np.zeros(2, dtype=np.int64)

    def seq(flat: list[int]) -> np.ndarray:
        nonlocal last
        steps = np.asarray(flat, dtype=np.int64).reshape(-1, 2)
        q = np.cumsum(steps, axis=0) + last
        if len(q):
            last = q[-1]
        return q * scale

    if g["kind"] == "polygons":
        polys = []
        for poly in g["coords"]:
            rings = [seq(r) for r in poly]
            polys.append(Polygon(rings[0], rings[1:]))
        return MultiPolygon(polys)
    if g["kind"] == "lines":
        return MultiLineString([seq(line) for line in g["coords"]])
    return MultiPoint(seq(g["coords"]))


def ring_runs(geom: BaseGeometry, xs: list[float], ys: list[float], eps: float) -> list[list[int]]:
    """For each ring of the polygons of ``geom`` (in :func:`pack_geometry`'s order): the runs
    of vertices to stroke, leaving out edges that run along a meridian ≡ 180° (mod 360),
    along one of ``xs`` or along one of ``ys`` (parallels): they are cuts, not boundaries."""
    xs_arr = np.asarray(xs, dtype=float)
    ys_arr = np.asarray([*ys, -90.0, 90.0], dtype=float)
    out: list[list[int]] = []
    for p in parts(geom):
        if not isinstance(p, Polygon) or p.is_empty:
            continue
        for ring in [p.exterior, *p.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            out.append(_runs(xy, xs_arr, ys_arr, eps))
    return out


def _on(v: np.ndarray, lines: np.ndarray, eps: float) -> np.ndarray:
    if lines.size == 0:
        return np.zeros(v.shape, dtype=bool)
    return np.asarray(np.abs(v[:, None] - lines[None, :]).min(axis=1) <= eps)


def _runs(xy: np.ndarray, xs: np.ndarray, ys: np.ndarray, eps: float) -> list[int]:
    x, y = xy[:, 0], xy[:, 1]
    turn = np.abs(((x + 180.0) % 360.0 + 360.0) % 360.0)
    on_x = (turn <= eps) | (np.abs(turn - 360.0) <= eps) | _on(x, xs, eps)
    on_y = _on(y, ys, eps)
    along = (on_x[:-1] & on_x[1:] & (np.abs(x[:-1] - x[1:]) <= eps)) | (
        on_y[:-1] & on_y[1:] & (np.abs(y[:-1] - y[1:]) <= eps)
    )
    runs: list[int] = []
    start: int | None = None
    for i, cut in enumerate(along.tolist()):
        if not cut and start is None:
            start = i
        elif cut and start is not None:
            runs += [start, i]
            start = None
    if start is not None:
        runs += [start, len(xy) - 1]
    return runs


# --------------------------------------------------------------------------------------
# The page's data element
# --------------------------------------------------------------------------------------


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.title() for w in rest)


def to_json_value(obj: Any) -> Any:
    """Dataclasses as objects with camelCase keys (None fields left out); tuples as lists."""
    if isinstance(obj, PackedGeometry):  # plain ints already (numpy's tolist): no walk
        return {"kind": obj.kind, "decimals": obj.decimals, "coords": obj.coords}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            v = getattr(obj, f.name)
            if v is None:
                continue
            out[_camel(f.name)] = to_json_value(v)
        return out
    if isinstance(obj, dict):
        return {str(k): to_json_value(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_json_value(v) for v in obj]
    if isinstance(obj, float) and obj.is_integer() and abs(obj) < 1e15:
        return int(obj)
    return obj


DATA_ENCODING = "gzip+base85"
_B85_SAFE = str.maketrans("<>&", ".:,")
"""Base85 (RFC 1924's alphabet, as Python's b85encode) with '<', '>' and '&' replaced by
'.', ':' and ',' (not in the alphabet): the text has no character that HTML treats
specially inside a script element. A quarter of the bytes of base64's overhead."""
_B85_BACK = str.maketrans(".:,", "<>&")


def pack_page_data(data: PageData) -> str:
    """The text of the page's data element: JSON, gzip (mtime 0: the same map gives the
    same page), base85 without '<', '>' or '&' (see ``_B85_SAFE``): nothing in it can
    close the element or start markup."""
    text = json.dumps(
        to_json_value(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    raw = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
    return base64.b85encode(raw).decode("ascii").translate(_B85_SAFE)


_DATA_ELEMENT = re.compile(r'<script type="application/octet-stream" id="rz-data"[^>]*>([^<]*)<')


def read_page_data(page: str) -> dict[str, Any]:
    """The data of a page written by :func:`geo.present.html_map.render_html`, as JSON."""
    m = _DATA_ELEMENT.search(page)
    if m is None:
        raise ValueError("no rangezone data element in the page")
    raw = base64.b85decode(m.group(1).translate(_B85_BACK))
    out: dict[str, Any] = json.loads(gzip.decompress(raw))
    return out
