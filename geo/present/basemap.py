"""The map's background: land, coastlines and country borders for an extent, and extents.

Every writer draws its own basemap from Natural Earth land (``load_land()``) so that a map
needs no tiles and no network. The data is clipped to the extent and simplified with a
tolerance proportional to the extent's size, which keeps a regional HTML map small (the seed
scenario's basemap is a few hundred kB) while a world map stays legible.

Longitudes: shapes arrive in [-180, 180], split at the antimeridian. An :class:`Extent` uses
*continuous* longitudes (``east`` may exceed 180) so that a view across the antimeridian is
one interval; :func:`to_window` shifts geometries into such a continuous 360° window for
drawers (Leaflet) that would otherwise draw a streak across the world.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
    box,
)
from shapely.geometry.base import BaseGeometry

from geo.access.zones import Zones
from geo.present.content import MapContent

_EPS = 1e-7
"""Degrees: how close a vertex must be to a seam or clip edge to count as lying on it."""

FULL_TURN = 360.0


@dataclass(frozen=True)
class Extent:
    """A lon/lat window with continuous longitude: ``west <= east <= west + 360``.

    ``west`` lies in [-180, 180); ``east`` may exceed 180 when the window crosses the
    antimeridian (170..190 is 170°E to 170°W through 180°).
    """

    west: float
    south: float
    east: float
    north: float

    @property
    def width(self) -> float:
        return self.east - self.west

    @property
    def height(self) -> float:
        return self.north - self.south

    @property
    def is_global(self) -> bool:
        return self.width >= FULL_TURN - 1e-6

    @property
    def centre_lon(self) -> float:
        return 0.5 * (self.west + self.east)

    @property
    def centre_lat(self) -> float:
        return 0.5 * (self.south + self.north)

    def size_deg(self) -> float:
        """A single size in degrees of latitude: the larger side, width scaled by cos(lat)."""
        mid = min(abs(self.centre_lat), 80.0)
        return max(self.width * math.cos(math.radians(mid)), self.height)

    def padded(self, frac: float, min_deg: float = 0.0) -> Extent:
        """Grown by ``frac`` of its size on every side (at least ``min_deg``), capped at the
        globe."""
        pad = max(self.size_deg() * frac, min_deg)
        mid = min(abs(self.centre_lat), 80.0)
        pad_x = pad / max(math.cos(math.radians(mid)), 0.2)
        south = max(self.south - pad, -90.0)
        north = min(self.north + pad, 90.0)
        if self.width + 2.0 * pad_x >= FULL_TURN:
            return Extent(-180.0, south, 180.0, north).recentred(self.centre_lon)
        return Extent(self.west - pad_x, south, self.east + pad_x, north).normalised()

    def normalised(self) -> Extent:
        shift = FULL_TURN * math.floor((self.west + 180.0) / FULL_TURN)
        return Extent(self.west - shift, self.south, self.east - shift, self.north)

    def recentred(self, lon: float) -> Extent:
        """For a global extent: the same globe, with its continuous window centred on ``lon``.

        Keeps ``west`` in [-180, 180) by choosing the window [lon - 180, lon + 180] shifted by
        whole turns.
        """
        west = lon - 180.0
        return Extent(west, self.south, west + FULL_TURN, self.north).normalised()

    @property
    def seam(self) -> float:
        """The longitude opposite the centre: where a continuous window is cut."""
        return self.centre_lon - 180.0

    def boxes(self) -> list[Polygon]:
        """The extent as lon/lat boxes within [-180, 180] (two when it crosses 180°)."""
        if self.is_global:
            return [box(-180.0, self.south, 180.0, self.north)]
        e = self.normalised()
        if e.east <= 180.0:
            return [box(e.west, e.south, e.east, e.north)]
        return [
            box(e.west, e.south, 180.0, e.north),
            box(-180.0, e.south, e.east - FULL_TURN, e.north),
        ]


def parts(geom: BaseGeometry) -> list[BaseGeometry]:
    """The non-empty single parts of a geometry (collections flattened)."""
    if geom.is_empty:
        return []
    if isinstance(geom, (MultiPolygon, MultiLineString, MultiPoint, GeometryCollection)):
        out: list[BaseGeometry] = []
        for g in geom.geoms:
            out.extend(parts(g))
        return out
    return [geom]


def extent_of(geoms: Iterable[BaseGeometry]) -> Extent | None:
    """The smallest continuous-longitude window holding every part of ``geoms``.

    Longitudes are circular, so the window is the complement of the widest gap between the
    parts' longitude intervals: a ring cut at the antimeridian gives 170..190, not -180..180.
    """
    intervals: list[tuple[float, float]] = []
    south, north = math.inf, -math.inf
    for geom in geoms:
        for part in parts(geom):
            minx, miny, maxx, maxy = part.bounds
            intervals.append((minx, maxx))
            south, north = min(south, miny), max(north, maxy)
    if not intervals:
        return None
    if any(e - w >= FULL_TURN - _EPS for w, e in intervals):
        return Extent(-180.0, south, 180.0, north)
    intervals.sort()
    merged: list[list[float]] = []
    for w, e in intervals:
        if merged and w <= merged[-1][1] + _EPS:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([w, e])
    # gap i runs east from the end of interval i to the start of interval i + 1 (wrapping)
    best_gap, best_i = -1.0, 0
    for i, (_, e) in enumerate(merged):
        nxt = merged[(i + 1) % len(merged)][0] + (FULL_TURN if i == len(merged) - 1 else 0.0)
        if nxt - e > best_gap:
            best_gap, best_i = nxt - e, i
    if best_gap <= _EPS:
        return Extent(-180.0, south, 180.0, north)
    west = merged[(best_i + 1) % len(merged)][0]
    east = merged[best_i][1]
    if east < west:
        east += FULL_TURN
    return Extent(west, south, east, north).normalised()


def to_window(geom: BaseGeometry, seam: float) -> BaseGeometry:
    """``geom`` (lon/lat in [-180, 180]) with longitudes moved into [seam, seam + 360].

    Parts are cut at the seam and shifted by whole turns; polygon pieces that meet at the
    antimeridian are merged and line pieces joined, so a ring across 180° draws as one line
    and an area across it as one polygon.
    """
    if geom.is_empty:
        return geom
    window = box(seam, -90.0, seam + FULL_TURN, 90.0)
    pieces: list[BaseGeometry] = []
    for k in (-1, 0, 1):  # the seam lies in [-360, 180): no window needs a larger shift
        moved = shapely.affinity.translate(geom, xoff=FULL_TURN * k)
        minx, _, maxx, _ = moved.bounds
        if maxx < seam or minx > seam + FULL_TURN:
            continue
        inside = seam <= minx and maxx <= seam + FULL_TURN
        pieces.extend(parts(moved if inside else moved.intersection(window)))
    polys = [p for p in pieces if isinstance(p, Polygon) and p.area > 0]
    lines = [p for p in pieces if isinstance(p, LineString) and p.length > 0]
    points = [p for p in pieces if isinstance(p, Point)]
    out: list[BaseGeometry] = []
    if polys:
        out.extend(parts(shapely.union_all(polys)))
    if lines:
        out.extend(parts(shapely.line_merge(shapely.union_all(lines))))
    if points:
        seen: set[tuple[float, float]] = set()
        for p in points:
            if (p.x, p.y) not in seen:
                seen.add((p.x, p.y))
                out.append(p)
    return _collect(out)


def _collect(items: Sequence[BaseGeometry]) -> BaseGeometry:
    if not items:
        return GeometryCollection()
    if len(items) == 1:
        return items[0]
    if all(isinstance(g, Polygon) for g in items):
        return MultiPolygon(list(items))
    if all(isinstance(g, LineString) for g in items):
        return MultiLineString(list(items))
    if all(isinstance(g, Point) for g in items):
        return MultiPoint(list(items))
    return GeometryCollection(list(items))


def outline(
    geom: BaseGeometry,
    *,
    seams_x: Iterable[float] = (),
    clip: Extent | None = None,
) -> MultiLineString:
    """The boundary of a polygonal geometry without its artificial edges.

    Polygons split at the antimeridian, closed over a pole or clipped to a window carry edges
    that are no boundary of the real shape: stroking them draws streaks along 180°, the
    window's seam or the map's edge. Dropped here: edges along any meridian ≡ 180 (mod 360),
    along ``seams_x``, along the poles' parallels and along the edges of ``clip``. Lines in
    ``geom`` are kept as they are.
    """
    xs = list(seams_x)
    ys = [-90.0, 90.0]
    if clip is not None:
        xs += [clip.west, clip.east]
        ys += [clip.south, clip.north]
    xs_arr = np.asarray(xs, dtype=float)
    ys_arr = np.asarray(ys, dtype=float)
    keep: list[LineString] = []
    for part in parts(geom):
        if isinstance(part, LineString):
            keep.append(part)
            continue
        if not isinstance(part, Polygon):
            continue
        for ring in [part.exterior, *part.interiors]:
            keep.extend(_kept_runs(np.asarray(ring.coords), xs_arr, ys_arr))
    if not keep:
        return MultiLineString()
    merged = shapely.line_merge(MultiLineString(keep))
    return MultiLineString([p for p in parts(merged) if isinstance(p, LineString)])


def _on_lines(v: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """For each value of ``v``: does it lie on one of ``lines`` (within _EPS)?"""
    if lines.size == 0:
        return np.zeros(v.shape, dtype=bool)
    return np.asarray(np.abs(v[:, None] - lines[None, :]).min(axis=1) <= _EPS)


def _kept_runs(xy: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> list[LineString]:
    x, y = xy[:, 0], xy[:, 1]
    on_am = np.abs(((x + 180.0) % FULL_TURN + FULL_TURN) % FULL_TURN) <= _EPS
    on_am |= np.abs(((x + 180.0) % FULL_TURN + FULL_TURN) % FULL_TURN - FULL_TURN) <= _EPS
    on_x = on_am | _on_lines(x, xs)
    on_y = _on_lines(y, ys)
    # An edge is artificial when both ends lie on the same kind of line and it runs along it.
    along_x = on_x[:-1] & on_x[1:] & (np.abs(x[:-1] - x[1:]) <= _EPS)
    along_y = on_y[:-1] & on_y[1:] & (np.abs(y[:-1] - y[1:]) <= _EPS)
    drop = along_x | along_y
    runs: list[LineString] = []
    start: int | None = None
    for i, d in enumerate(drop.tolist()):
        if not d and start is None:
            start = i
        elif d and start is not None:
            runs.append(LineString(xy[start : i + 1]))
            start = None
    if start is not None:
        runs.append(LineString(xy[start:]))
    return runs


def simplify_tolerance(extent: Extent) -> float:
    """Degrees: about a pixel of a full-HD view of the extent, so simplification is invisible
    at the initial zoom while a regional map stays small."""
    return max(extent.size_deg() / 1500.0, 0.002)


@dataclass(frozen=True)
class CountryLabel:
    name: str
    lon: float
    lat: float
    area_deg2: float
    """Area of the country's largest part in view: bigger countries get labels first."""


@dataclass(frozen=True)
class Basemap:
    """Background layers in lon/lat [-180, 180], clipped to ``extent`` and simplified."""

    extent: Extent
    tolerance_deg: float
    land: BaseGeometry
    """Land as polygons (for a fill without stroke: its edges include clip and 180° edges)."""
    coast: MultiLineString
    borders: MultiLineString
    labels: list[CountryLabel]
    countries: tuple[tuple[str, BaseGeometry], ...] = ()
    """Each named country's simplified land within ``extent`` (for placing its name on the
    part that a view shows)."""


def basemap(
    extent: Extent,
    *,
    tolerance_deg: float | None = None,
    land: Zones | None = None,
    label_extent: Extent | None = None,
    labels: bool = True,
) -> Basemap:
    """Land, coastlines and borders within ``extent`` (use a padded view extent).

    Country labels sit inside ``label_extent`` (default: ``extent``), where the viewer
    looks first; ``labels=False`` skips them (writers that place names on the visible part
    of each country use ``countries``).
    """
    tol = simplify_tolerance(extent) if tolerance_deg is None else tolerance_deg
    zones = land if land is not None else land_zones()
    boxes = extent.boxes()
    tree = zones.tree
    hits = sorted({int(i) for b in boxes for i in np.atleast_1d(tree.query(b))})
    clipped: list[BaseGeometry] = []
    names: list[str] = []
    for i in hits:
        geom = zones.geoms[i]
        for b in boxes:
            piece = _polygonal(geom.intersection(b)) if not b.contains(geom) else geom
            if not piece.is_empty:
                clipped.append(piece)
                names.append(zones.zones[i].name)
    if not clipped:
        empty = MultiLineString()
        return Basemap(extent, tol, MultiPolygon(), empty, empty, [])
    # Simplify the countries as a coverage so that neighbours keep one shared border: a
    # per-country simplification would open slivers that show up as false coastlines.
    arr = np.asarray(clipped, dtype=object)
    try:
        simple = shapely.coverage_simplify(arr, tol)
    except shapely.errors.GEOSException:
        simple = shapely.simplify(arr, tol, preserve_topology=True)
    simple = np.asarray([_polygonal(shapely.make_valid(g)) for g in simple], dtype=object)
    clip_xs = sorted({x for b in boxes for x in (b.bounds[0], b.bounds[2])})
    coast, borders = _edges(list(simple), clip_xs, [extent.south, extent.north])
    label_list = _labels(list(simple), names, label_extent) if labels else []
    land_parts = [p for g in simple for p in parts(g) if isinstance(p, Polygon)]
    by_name: dict[str, list[BaseGeometry]] = {}
    for g, name in zip(simple, names, strict=True):
        if name and not g.is_empty:
            by_name.setdefault(name, []).append(g)
    countries = tuple(
        (name, gs[0] if len(gs) == 1 else shapely.union_all(gs)) for name, gs in by_name.items()
    )
    return Basemap(extent, tol, MultiPolygon(land_parts), coast, borders, label_list, countries)


def _edges(
    countries: list[BaseGeometry], xs: list[float], ys: list[float]
) -> tuple[MultiLineString, MultiLineString]:
    """Coastlines and borders of a simplified coverage of countries, by counting edges.

    After ``coverage_simplify`` neighbours share their border edge for edge, so an edge used
    by one country is coast and one used by two is a border. Counting is exact and far
    faster than overlaying the land's union with every boundary. Edges along the clip
    boxes, the antimeridian and the poles are dropped: they are no real line.
    """
    segs: list[np.ndarray] = []
    for g in countries:
        for poly in parts(g):
            if not isinstance(poly, Polygon):
                continue
            for ring in [poly.exterior, *poly.interiors]:
                xy = np.asarray(ring.coords)
                if len(xy) >= 2:
                    segs.append(np.hstack([xy[:-1], xy[1:]]))
    if not segs:
        return MultiLineString(), MultiLineString()
    seg = np.vstack(segs)
    swap = (seg[:, 0] > seg[:, 2]) | ((seg[:, 0] == seg[:, 2]) & (seg[:, 1] > seg[:, 3]))
    canon = seg.copy()
    canon[swap] = seg[swap][:, [2, 3, 0, 1]]
    uniq, inverse, counts = np.unique(canon, axis=0, return_inverse=True, return_counts=True)
    used = counts[np.asarray(inverse).ravel()]
    xs_arr, ys_arr = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    coast = seg[(used == 1) & ~_artificial(seg, xs_arr, ys_arr)]
    border = uniq[(counts >= 2) & ~_artificial(uniq, xs_arr, ys_arr)]
    return _join(coast), _join(border)


def _artificial(seg: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Segments running along the antimeridian, a clip edge or a pole's parallel."""
    x0, y0, x1, y1 = seg[:, 0], seg[:, 1], seg[:, 2], seg[:, 3]
    am = np.abs(np.abs(x0) - 180.0) <= _EPS
    vertical = (np.abs(x0 - x1) <= _EPS) & (am | _on_lines(x0, xs))
    horizontal = (np.abs(y0 - y1) <= _EPS) & _on_lines(y0, np.append(ys, [-90.0, 90.0]))
    return np.asarray(vertical | horizontal)


def _join(seg: np.ndarray) -> MultiLineString:
    if len(seg) == 0:
        return MultiLineString()
    lines = shapely.linestrings(seg.reshape(-1, 2, 2))
    merged = shapely.line_merge(shapely.multilinestrings(lines))
    return MultiLineString([p for p in parts(merged) if isinstance(p, LineString)])


def _labels(
    countries: list[BaseGeometry], names: list[str], within: Extent | None
) -> list[CountryLabel]:
    best: dict[str, CountryLabel] = {}
    boxes = within.boxes() if within is not None else None
    for geom, name in zip(countries, names, strict=True):
        if not name:
            continue
        if boxes is not None:
            geom = shapely.union_all([geom.intersection(b) for b in boxes])
        for part in parts(geom):
            if not isinstance(part, Polygon):
                continue
            area = float(part.area)
            if name in best and best[name].area_deg2 >= area:
                continue
            p = part.representative_point() if not part.is_empty else None
            if p is not None:
                best[name] = CountryLabel(name, float(p.x), float(p.y), area)
    return sorted(best.values(), key=lambda c: -c.area_deg2)


def largest_polygon(geom: BaseGeometry) -> Polygon | None:
    """The biggest polygon part of a geometry, if it has any."""
    polys = [p for p in parts(geom) if isinstance(p, Polygon) and p.area > 0]
    return max(polys, key=lambda p: p.area) if polys else None


def label_points(poly: Polygon, count: int = 5) -> list[Point]:
    """Where a name can sit inside ``poly``, best first: the pole of inaccessibility (the
    interior point farthest from the edges), then other well-inside points spread over the
    polygon, for when the best spot is taken by another label."""
    from shapely.ops import polylabel

    if poly.is_empty or poly.area <= 0:
        return []
    size = math.sqrt(poly.area)
    try:
        best = polylabel(poly, tolerance=max(size / 60.0, 1e-9))
    except (shapely.errors.ShapelyError, ValueError):
        best = poly.representative_point()  # a degenerate ring: a point surely inside
    out = [best]
    if count <= 1:
        return out
    minx, miny, maxx, maxy = poly.bounds
    n = 14
    gx, gy = np.meshgrid(np.linspace(minx, maxx, n + 2)[1:-1], np.linspace(miny, maxy, n + 2)[1:-1])
    pts = shapely.points(gx.ravel(), gy.ravel())
    inside = shapely.contains_xy(poly, gx.ravel(), gy.ravel())
    pts = pts[inside]
    if len(pts) == 0:
        return out
    depth = shapely.distance(pts, poly.exterior)
    for interior in poly.interiors:
        depth = np.minimum(depth, shapely.distance(pts, interior))
    spacing = size / 3.0
    for i in np.argsort(-depth):
        p = pts[int(i)]
        if all(p.distance(q) >= spacing for q in out):
            out.append(p)
            if len(out) >= count:
                break
    return out


def runs_through(poly: Polygon, p: Point) -> tuple[float, float, float, float]:
    """(west, south, east, north): how far ``poly`` reaches from ``p`` (inside it) along the
    parallel and the meridian through ``p``, up to the first edge each way. A name centred
    on ``p`` fits in the polygon when it is no wider or taller than these runs allow."""
    minx, miny, maxx, maxy = poly.bounds

    def run(line: LineString, axis: int) -> tuple[float, float]:
        cut = poly.intersection(line)
        for seg in parts(cut):
            if seg.distance(p) < 1e-9:
                b = seg.bounds
                return (b[axis], b[axis + 2])
        v = (p.x, p.y)[axis]
        return (v, v)

    w, e = run(LineString([(minx - 1.0, p.y), (maxx + 1.0, p.y)]), 0)
    s, n = run(LineString([(p.x, miny - 1.0), (p.x, maxy + 1.0)]), 1)
    return (w, s, e, n)


NEAREST_MARGIN_MIN_M = 60_000.0
NEAREST_MARGIN_SHARE = 0.15
"""Room around a nearest-approach line's ends: a share of its length, at least 60 km, so
that the zone it reaches shows beyond its end."""


def extent_geometry(content: MapContent) -> BaseGeometry | None:
    """The content's view (:class:`~geo.present.content.MapExtent`) as a lon/lat outline
    (east past 180 when it crosses the antimeridian), or None."""
    if content.extent is None:
        return None
    w, s, e, n = content.extent.bbox
    if e < w:
        e += FULL_TURN
    return shapely.segmentize(Polygon([(w, s), (e, s), (e, n), (w, n)]).exterior, 0.5)


def fit_geometries(content: MapContent) -> list[BaseGeometry]:
    """What a view of ``content`` must show: every feature but the EEZ zones (one zone can
    reach from the Baltic to Alaska) and, around each nearest-approach line's ends, a margin
    that shows the zone the line reaches. Only zones when there is nothing else."""
    from geo.core.geodesy import WGS84

    view = extent_geometry(content)
    if view is not None and content.extent is not None and content.extent.given:
        return [view]  # the user's view, whatever the features
    out: list[BaseGeometry] = [view] if view is not None else []
    for f in content.features:
        if f.kind == "eez" or f.geometry.is_empty:
            continue
        out.append(f.geometry)
        if f.kind != "nearest":
            continue
        for line in parts(f.geometry):
            if not isinstance(line, LineString) or len(line.coords) < 2:
                continue
            xy = np.asarray(line.coords)[:, :2]
            xy[:, 0] = (xy[:, 0] + 180.0) % FULL_TURN - 180.0
            length = float(WGS84.line_length(xy[:, 0], xy[:, 1]))
            margin = max(NEAREST_MARGIN_MIN_M, NEAREST_MARGIN_SHARE * length)
            az = np.arange(0.0, 360.0, 22.5)
            for lon, lat in (xy[0], xy[-1]):
                lons, lats, _ = WGS84.fwd(
                    np.full(az.shape, lon), np.full(az.shape, lat), az, np.full(az.shape, margin)
                )
                out.append(MultiPoint(np.column_stack([lons, lats])))
    if not out:
        out = [f.geometry for f in content.features if not f.geometry.is_empty]
    return out


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    polys = [p for p in parts(geom) if isinstance(p, Polygon) and p.area > 0]
    if not polys:
        return MultiPolygon()
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


@functools.lru_cache(maxsize=1)
def land_zones() -> Zones:
    """Natural Earth land by country: the shipped ``land.zip`` via ``load_land()``."""
    from geo.access.zones import load_land

    return load_land()
