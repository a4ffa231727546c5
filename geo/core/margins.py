"""Nearest boundary points, fast: geodesic distances from many points to one boundary, or
from one point to the boundaries of many zones, with a few vectorised steps instead of one
``Geod.inv`` call per point or per zone.

Boundaries are cut into short lon/lat segments (at most ``BOUNDARY_STEP_DEG``). Candidates
are ranked by the straight-line (chord) distance between points on the WGS84 ellipsoid
(earth-centred coordinates): the chord orders geodesic distances to within 15 m up to
1,000 km and 0.4 km at 3,000 km, so every candidate whose chord is within that bound of the
best is then measured exactly (GeographicLib through pyproj), all rows at once. For many
points, the candidate segments come from a quadtree of lon/lat cells: a cell keeps only
the segments that can be nearest to some point inside it.

Pure: shapely geometries in, numpy arrays out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo.core.geodesy import WGS84, FloatArray, inverse_many

IntArray = npt.NDArray[np.int64]

BOUNDARY_STEP_DEG = 0.2
"""Boundaries are cut to at most this step before distances are measured (at most 22 km:
the straight chord of such a segment stays within 10 m of the ellipsoid, and of the
lon/lat line it stands for)."""

_A = WGS84.a
_E2 = WGS84.f * (2.0 - WGS84.f)
_LEAF_DEG = 0.125
_TOP_LEVEL = 6  # cells of 8 degrees
_CHUNK = 4_096


def ecef(lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
    """Earth-centred coordinates (m) of points on the WGS84 ellipsoid, one row per point."""
    lo = np.radians(np.asarray(lon, dtype=float))
    la = np.radians(np.asarray(lat, dtype=float))
    sla = np.sin(la)
    n = _A / np.sqrt(1.0 - _E2 * sla * sla)
    cla = np.cos(la)
    return np.stack([n * cla * np.cos(lo), n * cla * np.sin(lo), n * (1.0 - _E2) * sla], axis=-1)


def chord_slack_m(chord_m: FloatArray) -> FloatArray:
    """How far (m) ranking by chord may misjudge which of two points is geodesically nearer:
    measured spread of geodesic minus chord-implied distance over all azimuths (15 m at
    1,000 km, 0.4 km at 3,000 km, 22 km at 10,000 km), with 50 % to spare."""
    c = np.asarray(chord_m, dtype=float)
    return 600.0 * (c / 3.0e6) ** 3 + 2.0


@dataclass(frozen=True)
class SegmentSet:
    """Boundary segments of one or more geometries (``group``: which one, ascending)."""

    lon1: FloatArray
    lat1: FloatArray
    lon2: FloatArray
    lat2: FloatArray
    a: FloatArray  # (n, 3) earth-centred start points
    b: FloatArray  # (n, 3) end points
    group: IntArray
    n_groups: int
    half_length_m: float  # the longest segment's half chord

    @property
    def size(self) -> int:
        return int(self.lon1.size)


@dataclass(frozen=True)
class _Piece:
    """One geometry's boundary segments: lon/lat and earth-centred ends, longest half."""

    a: FloatArray
    b: FloatArray
    xa: FloatArray
    xb: FloatArray
    half: float


def _boundary_segments(geom: BaseGeometry) -> _Piece:
    if geom.is_empty:
        return _EMPTY
    boundary = shapely.segmentize(geom.boundary, BOUNDARY_STEP_DEG)
    return _line_segments(shapely.get_parts(boundary))[0]


def _line_segments(lines: npt.NDArray[np.object_]) -> tuple[_Piece, IntArray]:
    """The segments of lines (already cut to ``BOUNDARY_STEP_DEG``) and the line of each."""
    xy, part = shapely.get_coordinates(lines, return_index=True)
    xyz = ecef(xy[:, 0], xy[:, 1])
    a, b = xy[:-1], xy[1:]
    # Cuts at ±180° and the pole line are artefacts of lon/lat, not edges of the zone.
    cut = ((np.abs(a[:, 0]) == 180.0) & (np.abs(b[:, 0]) == 180.0)) | (
        (np.abs(a[:, 1]) == 90.0) & (np.abs(b[:, 1]) == 90.0)
    )
    keep = (part[:-1] == part[1:]) & ~cut
    xa, xb = xyz[:-1][keep], xyz[1:][keep]
    half = float(np.linalg.norm(xb - xa, axis=1).max()) / 2.0 if len(xa) else 0.0
    return _Piece(a[keep], b[keep], xa, xb, half), part[:-1][keep]


_EMPTY = _Piece(np.empty((0, 2)), np.empty((0, 2)), np.empty((0, 3)), np.empty((0, 3)), 0.0)


_PIECES: dict[int, tuple[BaseGeometry, _Piece]] = {}
_PIECES_SIZE = 1024
"""Segments of recently used geometries (every zone of a world dataset fits), oldest first
out, so a long-running process does not keep every geometry alive."""


def _cached_segments(geom: BaseGeometry) -> _Piece:
    # Keyed by id(): the stored geometry guards against a reused id.
    hit = _PIECES.get(id(geom))
    if hit is not None and hit[0] is geom:
        return hit[1]
    piece = _boundary_segments(geom)
    if len(_PIECES) >= _PIECES_SIZE:
        del _PIECES[next(iter(_PIECES))]
    _PIECES[id(geom)] = (geom, piece)
    return piece


def segment_set(geoms: Sequence[BaseGeometry]) -> SegmentSet:
    """The boundary segments of ``geoms``, grouped by their index in ``geoms``."""
    pieces = [_cached_segments(g) for g in geoms]
    group = np.repeat(np.arange(len(pieces), dtype=np.int64), [len(p.a) for p in pieces])
    return _as_set(pieces, group, len(geoms))


def _as_set(pieces: Sequence[_Piece], group: IntArray, n_groups: int) -> SegmentSet:
    if not pieces:
        pieces = [_EMPTY]
    a = np.concatenate([p.a for p in pieces])
    b = np.concatenate([p.b for p in pieces])
    xa = np.concatenate([p.xa for p in pieces])
    xb = np.concatenate([p.xb for p in pieces])
    half = max(p.half for p in pieces)
    return SegmentSet(
        a[:, 0], a[:, 1], b[:, 0], b[:, 1], xa, xb, group, n_groups, half * 1.001 + 1.0
    )


def boundary_distance(lon: float, lat: float, geom: BaseGeometry) -> tuple[float, float, float]:
    """Geodesic distance (m) from a point to the nearest point of ``geom``'s boundary, and
    that point (lon, lat); inf when the boundary is empty."""
    d, qlon, qlat = nearest_per_group(lon, lat, segment_set([geom]))
    return float(d[0]), float(qlon[0]), float(qlat[0])


def _chord_to_segments(
    p: FloatArray, a: FloatArray, b: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Chord distance from each ``p`` row to the straight segment ``a``-``b`` (same row), and
    where along it (0..1) the nearest point lies. Segments are short, so the straight chord
    between their ends stays within 10 m of the ellipsoid."""
    d = b - a
    dd = np.einsum("ij,ij->i", d, d)
    t = np.einsum("ij,ij->i", p - a, d) / np.where(dd > 0, dd, 1.0)
    np.clip(t, 0.0, 1.0, out=t)
    q = a + t[:, None] * d
    diff = p - q
    return np.sqrt(np.einsum("ij,ij->i", diff, diff)), t


def _point_on(segs: SegmentSet, idx: IntArray, t: FloatArray) -> tuple[FloatArray, FloatArray]:
    dlon = ((segs.lon2[idx] - segs.lon1[idx] + 180.0) % 360.0) - 180.0
    lon = segs.lon1[idx] + t * dlon
    lon = ((lon + 180.0) % 360.0) - 180.0
    return lon, segs.lat1[idx] + t * (segs.lat2[idx] - segs.lat1[idx])


def _exact_best(
    segs: SegmentSet,
    owner: IntArray,
    seg: IntArray,
    chord: FloatArray,
    t: FloatArray,
    n_owners: int,
    plon: FloatArray,
    plat: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per owner (a point, or a group for one point), the geodesic minimum over its
    candidates whose chord is within ``chord_slack_m`` of its best chord.

    ``owner`` must be sorted ascending. Owners without candidates get inf."""
    dist = np.full(n_owners, np.inf)
    qlon = np.full(n_owners, np.nan)
    qlat = np.full(n_owners, np.nan)
    if owner.size == 0:
        return dist, qlon, qlat
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    best = np.minimum.reduceat(chord, starts)
    lim = np.repeat(best + chord_slack_m(best), np.diff(np.r_[starts, owner.size]))
    keep = chord <= lim
    o, s, tt = owner[keep], seg[keep], t[keep]
    lon, lat = _point_on(segs, s, tt)
    # Far from the boundary the chord allows tens of km (dozens of candidates per owner):
    # rank them by Andoyer-Lambert, whose error is known, and measure only those that can
    # be nearest.
    al = _andoyer_lambert(plon[o], plat[o], lon, lat)
    first = np.flatnonzero(np.r_[True, o[1:] != o[:-1]])
    best_al = np.minimum.reduceat(al, first)
    keep = al <= np.repeat(best_al + _andoyer_slack_m(best_al), np.diff(np.r_[first, o.size]))
    o, lon, lat = o[keep], lon[keep], lat[keep]
    _, _, d = inverse_many(plon[o], plat[o], lon, lat)
    order = np.lexsort((d, o))
    first = np.r_[True, o[order][1:] != o[order][:-1]]
    pick = order[first]
    dist[o[pick]] = d[pick]
    qlon[o[pick]] = lon[pick]
    qlat[o[pick]] = lat[pick]
    return dist, qlon, qlat


_AL_SPREAD_M = np.array(
    [
        0.7, 1.4, 2.1, 2.9, 3.6, 4.4, 5.2, 6.1, 7.0, 7.9, 8.9, 10.0, 11.1, 12.4, 13.7, 15.2,
        16.8, 18.5, 20.5, 22.6, 25.0, 27.7, 30.8, 34.3, 38.3, 42.8, 48.2, 54.5, 62.4, 71.7,
        83.3, 97.8, 117.1, 142.7, 179.0, 233.8, 325.6, 461.9,
    ]
)  # fmt: skip
"""Spread (largest minus smallest error, m) of :func:`_andoyer_lambert` against
GeographicLib per 500 km of distance, 0 to 19,000 km: measured on 26 million random pairs
(uniform over the ellipsoid, near the equator, near the poles, mirrored latitudes, and
within 25° of antipodal), arcs of at most 170° on the auxiliary sphere."""
_AL_MAX_M = 17_500_000.0
"""Past this (nearer antipodal) the first-order formula fails: the chord rule alone."""
_AL_MAX_SIGMA = math.radians(170.0)
"""A longer arc is at least b x 170° = 18,860 km: never nearer than a best under _AL_MAX_M."""


def _andoyer_lambert(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> FloatArray:
    """Andoyer-Lambert distance (m): the auxiliary sphere's arc with a first-order flattening
    correction; inf where the points are too near antipodal for it (arc over 170°)."""
    f = WGS84.f
    b1 = np.arctan((1.0 - f) * np.tan(np.radians(lat1)))
    b2 = np.arctan((1.0 - f) * np.tan(np.radians(lat2)))
    h = (
        np.sin((b2 - b1) / 2.0) ** 2
        + np.cos(b1) * np.cos(b2) * np.sin(np.radians(lon2 - lon1) / 2.0) ** 2
    )
    sig = 2.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    p, q = (b1 + b2) / 2.0, (b2 - b1) / 2.0
    with np.errstate(all="ignore"):
        x = (sig - np.sin(sig)) * np.sin(p) ** 2 * np.cos(q) ** 2 / np.cos(sig / 2.0) ** 2
        y = (sig + np.sin(sig)) * np.cos(p) ** 2 * np.sin(q) ** 2 / np.sin(sig / 2.0) ** 2
        d = _A * (sig - f / 2.0 * (x + np.where(sig > 0.0, y, 0.0)))
    return np.asarray(np.where(sig <= _AL_MAX_SIGMA, d, np.inf), dtype=float)


def _andoyer_slack_m(best_m: FloatArray) -> FloatArray:
    """How far past the best Andoyer-Lambert distance a candidate may still be nearest:
    twice the measured spread 1,000 km farther out, plus 5 m; inf (measure every chord
    candidate) past ``_AL_MAX_M``."""
    near = best_m <= _AL_MAX_M
    band = np.clip((np.where(near, best_m, 0.0) + 1.0e6) // 5.0e5, 0, _AL_SPREAD_M.size - 1)
    return np.where(near, 2.0 * _AL_SPREAD_M[band.astype(np.int64)] + 5.0, np.inf)


def _midpoint_limit(best_mid: FloatArray, half_length_m: float) -> FloatArray:
    """How far a segment's midpoint may be from the point, given the nearest midpoint, and
    the segment still be measured: its chord can then be within ``chord_slack_m`` of the best
    chord (which is at most ``best_mid``). Without the slack, the nearest of small islands
    thousands of km away was missed by kilometres (only the chord-nearest was measured)."""
    return best_mid + 2.0 * half_length_m + chord_slack_m(best_mid)


def nearest_per_group(
    lon: float, lat: float, segs: SegmentSet
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Geodesic distance (m) from one point to the nearest point of each group's boundary,
    and that point (lon, lat); inf and NaN for a group without segments."""
    if segs.size == 0:
        n = segs.n_groups
        return np.full(n, np.inf), np.full(n, np.nan), np.full(n, np.nan)
    p = ecef([lon], [lat])[0]
    n = segs.n_groups
    # Midpoints first: a segment can be nearest only if its midpoint is within its group's
    # nearest midpoint + 2 h (its ends lie within h of its midpoint) + the chord slack that
    # _exact_best allows past the best chord.
    diff = (segs.a + segs.b) * 0.5 - p
    dm = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    starts = np.flatnonzero(np.r_[True, segs.group[1:] != segs.group[:-1]])
    best = np.minimum.reduceat(dm, starts)
    lim = np.repeat(_midpoint_limit(best, segs.half_length_m), np.diff(np.r_[starts, segs.size]))
    idx = np.flatnonzero(dm <= lim)
    chord, t = _chord_to_segments(np.broadcast_to(p, (idx.size, 3)), segs.a[idx], segs.b[idx])
    return _exact_best(segs, segs.group[idx], idx, chord, t, n, np.full(n, lon), np.full(n, lat))


# ---------------------------------------------------------------------------- one point, pruned

_PRUNE_RUN = 32
"""Boundaries are judged in runs of this many vertices before any is cut into segments."""


def _box_ecef(w: FloatArray, s: FloatArray, e: FloatArray, n: FloatArray) -> FloatArray:
    """Earth-centred axis-aligned boxes (rows: xmin, ymin, zmin, xmax, ymax, zmax) holding
    every point of the ellipsoid within lon/lat boxes (``w <= e``): the horizontal radius
    ``N cos(lat)`` and the factors ``cos(lon)``, ``sin(lon)`` each take their extremes at the
    box's edges or at the turning points inside it; ``z`` grows with latitude."""
    ws, es = np.radians(w), np.radians(e)
    sr, nr = np.radians(s), np.radians(n)

    def radius(lat: FloatArray) -> FloatArray:
        sl = np.sin(lat)
        return np.asarray(_A / np.sqrt(1.0 - _E2 * sl * sl) * np.cos(lat), dtype=float)

    r_s, r_n = radius(sr), radius(nr)
    rmin = np.minimum(r_s, r_n)
    rmax = np.where((s <= 0.0) & (n >= 0.0), _A, np.maximum(r_s, r_n))
    cw, ce, sw, se = np.cos(ws), np.cos(es), np.sin(ws), np.sin(es)

    def holds(t: float) -> npt.NDArray[np.bool_]:
        """Whether [w, e] holds longitude t or t ± k·360° (boxes may lie past ±180°)."""
        return np.asarray((t - w) % 360.0 <= e - w)

    cmin = np.where(holds(180.0), -1.0, np.minimum(cw, ce))
    cmax = np.where(holds(0.0), 1.0, np.maximum(cw, ce))
    smin = np.where(holds(-90.0), -1.0, np.minimum(sw, se))
    smax = np.where(holds(90.0), 1.0, np.maximum(sw, se))
    zs = ecef(np.zeros_like(s), s)[:, 2]
    zn = ecef(np.zeros_like(n), n)[:, 2]
    lo = np.stack(
        [np.minimum(rmin * cmin, rmax * cmin), np.minimum(rmin * smin, rmax * smin), zs], axis=1
    )
    hi = np.stack(
        [np.maximum(rmin * cmax, rmax * cmax), np.maximum(rmin * smax, rmax * smax), zn], axis=1
    )
    return np.concatenate([lo - 1.0, hi + 1.0], axis=1)  # a metre for rounding


def _chord_to_boxes(p: FloatArray, boxes: FloatArray) -> FloatArray:
    """Straight-line distance from ``p`` to each box: no point of the box is nearer."""
    gap = np.maximum(np.maximum(boxes[:, :3] - p, p - boxes[:, 3:]), 0.0)
    return np.asarray(np.sqrt(np.einsum("ij,ij->i", gap, gap)), dtype=float)


def _nearest_vertex_chord(
    p: FloatArray, vx: FloatArray, vy: FloatArray, owner: IntArray, n: int
) -> FloatArray:
    """Per group, the chord to its nearest vertex among (vx, vy): its boundary comes at least
    this near (inf for a group without vertices)."""
    out = np.full(n, np.inf)
    if owner.size:
        diff = ecef(vx, vy) - p
        np.minimum.at(out, owner, np.sqrt(np.einsum("ij,ij->i", diff, diff)))
    return out


_KEEP_EXTRA_M = 25_000.0
"""Beyond the chord slack, twice the longest segment's half chord (0.2° of arc: at most
22.4 km) and a margin: whatever the nearest-point search could consider is kept."""


def _keep_limit(upper: FloatArray) -> FloatArray:
    """The chord within which a group's boundary is still cut into segments, given the chord
    to one of its vertices: the search never picks a segment farther than that plus the
    chord slack (which it allows itself)."""
    finite = np.where(np.isfinite(upper), upper, 0.0)
    return np.where(np.isfinite(upper), finite + chord_slack_m(finite) + _KEEP_EXTRA_M, np.inf)


def pruned_segment_set(lon: float, lat: float, geoms: Sequence[BaseGeometry]) -> SegmentSet:
    """The boundary segments of ``geoms`` (grouped by index, as :func:`segment_set`) that
    can hold the point nearest to (lon, lat) of their group.

    Boundary lines, then runs of their vertices, are dropped when a cheap lower bound (the
    chord to an earth-centred box around their lon/lat bounds) exceeds the chord to one of
    their group's vertices by more than :func:`nearest_per_group` could ever look past its
    best chord; only what is left is cut into segments, exactly as :func:`segment_set` cuts
    it, so the nearest point and its distance are the same."""
    n = len(geoms)
    none = np.zeros(0, dtype=np.int64)
    arr = np.empty(n, dtype=object)
    arr[:] = list(geoms)
    parts, part_group = shapely.get_parts(arr, return_index=True)
    if not (shapely.get_type_id(parts) == 3).all():  # not polygons: no pruning
        return segment_set(geoms)
    # a polygon's rings in the order of its boundary's lines: exterior, then holes
    lines, line_part = shapely.get_rings(parts, return_index=True)
    line_group = part_group[line_part]
    if lines.size == 0:
        return _as_set([], none, n)
    p = ecef([lon], [lat])[0]
    # Lines: lower bound from their bounds, upper bound from their first vertices.
    bounds = shapely.bounds(lines)
    lower = _chord_to_boxes(p, _box_ecef(*bounds.T))
    first = shapely.get_coordinates(shapely.get_point(lines, 0))
    upper = _nearest_vertex_chord(p, first[:, 0], first[:, 1], line_group, n)
    keep = lower <= _keep_limit(upper)[line_group]
    lines, line_group = lines[keep], line_group[keep]
    xy, line_of = shapely.get_coordinates(lines, return_index=True)
    # Runs of _PRUNE_RUN edges; a run's lon/lat box holds its edges (straight in lon/lat).
    starts = np.flatnonzero(np.r_[True, line_of[1:] != line_of[:-1]])
    last = np.r_[starts[1:], line_of.size] - 1  # each line's last vertex
    pos = np.arange(line_of.size) - np.repeat(starts, last - starts + 1)
    run_start = np.flatnonzero(
        (pos % _PRUNE_RUN == 0) & (pos < np.repeat(last - starts, last - starts + 1))
    )
    if run_start.size == 0:
        return _as_set([], none, n)
    run_end = np.minimum(run_start + _PRUNE_RUN, last[line_of[run_start]])
    run_group = line_group[line_of[run_start]]
    # reduceat stops before the next run's start; a run's last vertex may be that start
    lo = np.minimum(np.minimum.reduceat(xy, run_start, axis=0), xy[run_end])
    hi = np.maximum(np.maximum.reduceat(xy, run_start, axis=0), xy[run_end])
    lower = _chord_to_boxes(p, _box_ecef(lo[:, 0], lo[:, 1], hi[:, 0], hi[:, 1]))
    upper = np.minimum(
        upper, _nearest_vertex_chord(p, xy[run_start, 0], xy[run_start, 1], run_group, n)
    )
    keep = lower <= _keep_limit(upper)[run_group]
    rs, rg = run_start[keep], run_group[keep]
    counts = run_end[keep] - rs + 1
    offs = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    runs = shapely.linestrings(
        xy[np.repeat(rs, counts) + offs], indices=np.repeat(np.arange(rs.size), counts)
    )
    piece, run_of = _line_segments(shapely.segmentize(runs, BOUNDARY_STEP_DEG))
    return _as_set([piece], rg[run_of], n)


# ---------------------------------------------------------------------------- many points


@dataclass
class _Cells:
    """Candidate segments per lon/lat cell of one level (CSR: ``start``/``count`` per cell)."""

    keys: IntArray  # iy * width + ix, sorted
    start: IntArray
    count: IntArray
    flat: IntArray  # segment indices


def _cell_geometry(iy: IntArray, ix: IntArray, size: float) -> tuple[FloatArray, FloatArray]:
    """Centre (earth-centred) and a radius (m) that every point of each cell lies within."""
    w = ix * size - 180.0
    s = iy * size - 90.0
    e = np.minimum(w + size, 180.0)
    n = np.minimum(s + size, 90.0)
    clon, clat = (w + e) / 2.0, (s + n) / 2.0
    centre = ecef(clon, clat)
    r = np.zeros(iy.size)
    for lon, lat in ((w, s), (w, n), (e, s), (e, n), (clon, s), (clon, n), (w, clat), (e, clat)):
        r = np.maximum(r, np.linalg.norm(ecef(lon, lat) - centre, axis=1))
    return centre, r * 1.05 + 10.0


@dataclass(frozen=True)
class _Nodes:
    """What the cells of a level choose among: segments, or runs of consecutive segments
    (coarse levels), each a centre with radii: no point of a node is nearer than
    ``|p - centre| - lower`` nor is the node's nearest point farther than
    ``|p - centre| + upper``."""

    centre: FloatArray
    lower: FloatArray
    upper: FloatArray


def _refine(
    nodes: _Nodes,
    iy: IntArray,
    ix: IntArray,
    size: float,
    parent_start: IntArray,
    parent_count: IntArray,
    parent_flat: IntArray,
    expand: _CellCache | None = None,
) -> tuple[IntArray, IntArray, IntArray]:
    """Keep, per cell, the parent's candidates that can hold the nearest point for some point
    of the cell (centre c, radius r): ``|c - n| - lower <= b + 2 r + slack(b + r)``, ``b =
    min(|c - n'| + upper')``, the slack being what :func:`_exact_best` looks past the best.
    With ``expand`` the parent's lists hold runs, taken as their segments. Cells are taken a
    few at a time so that memory stays bounded."""
    counts, flats = [], []
    weight = parent_count
    if expand is not None:  # how many segments each cell's runs hold
        offs = np.arange(int(parent_count.sum())) - np.repeat(
            np.cumsum(parent_count) - parent_count, parent_count
        )
        runs = parent_flat[np.repeat(parent_start, parent_count) + offs]
        cell_of = np.repeat(np.arange(parent_count.size), parent_count)
        weight = np.bincount(
            cell_of, weights=expand.run_len[runs], minlength=parent_count.size
        ).astype(np.int64)
    csum = np.cumsum(weight)
    lo = 0
    while lo < iy.size:
        # as many cells as keep the candidate pairs under _PAIRS
        base = csum[lo - 1] if lo else 0
        hi = max(lo + 1, int(np.searchsorted(csum, base + _PAIRS, side="right")))
        start, count, flat = parent_start[lo:hi], parent_count[lo:hi], parent_flat
        if expand is not None:
            start, count, flat = expand.expand(start, count, flat)
        c, f = _refine_some(nodes, iy[lo:hi], ix[lo:hi], size, start, count, flat)
        counts.append(c)
        flats.append(f)
        lo = hi
    count = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
    flat = np.concatenate(flats) if flats else np.zeros(0, dtype=np.int64)
    return np.cumsum(count) - count, count, flat


_PAIRS = 1 << 18
_CACHE_ENTRIES = 12_000_000
"""Candidate entries (8 bytes each) the cell cache of one segment set may hold."""
_RUN = 32
"""Coarse levels choose among runs of this many consecutive segments."""
_EXPAND_LEVEL = 2
"""From this level (0.5° cells) down, cells choose among single segments."""


def _refine_some(
    nodes: _Nodes,
    iy: IntArray,
    ix: IntArray,
    size: float,
    parent_start: IntArray,
    parent_count: IntArray,
    parent_flat: IntArray,
) -> tuple[IntArray, IntArray]:
    centre, r = _cell_geometry(iy, ix, size)
    cnt = parent_count
    total = int(cnt.sum())
    cell_of = np.repeat(np.arange(iy.size), cnt)
    offs = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    cand = parent_flat[np.repeat(parent_start, cnt) + offs]
    diff = nodes.centre[cand] - centre[cell_of]
    d = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    starts = np.cumsum(cnt) - cnt
    nonempty = cnt > 0
    best = np.full(iy.size, np.inf)
    best[nonempty] = np.minimum.reduceat(d + nodes.upper[cand], starts[nonempty])
    # the best chord of a point of the cell is at most best + r; the search measures what
    # comes within chord_slack_m of it
    keep = d - nodes.lower[cand] <= (best + 2.0 * r + chord_slack_m(best + r))[cell_of]
    new_count = np.bincount(cell_of[keep], minlength=iy.size).astype(np.int64)
    return new_count, cand[keep]


class _CellCache:
    """The refined cells of one segment set, per level, kept across calls: a batch asks for
    the same cells chunk after chunk, and the coarse levels are the costly ones."""

    def __init__(self, segs: SegmentSet) -> None:
        self.segs = segs
        self.mid = (segs.a + segs.b) / 2.0
        n = segs.size
        self.segments = _Nodes(self.mid, np.full(n, segs.half_length_m), np.zeros(n))
        self.run_lo = np.arange(0, n, _RUN, dtype=np.int64)
        self.run_len = np.minimum(self.run_lo + _RUN, n) - self.run_lo
        if n:
            lo = np.minimum.reduceat(np.minimum(segs.a, segs.b), self.run_lo)
            hi = np.maximum.reduceat(np.maximum(segs.a, segs.b), self.run_lo)
            centre = (lo + hi) / 2.0
            own = np.repeat(centre, self.run_len, axis=0)
            far = np.maximum(
                np.linalg.norm(segs.a - own, axis=1), np.linalg.norm(segs.b - own, axis=1)
            )
            radius = np.maximum.reduceat(far, self.run_lo) + 1.0
        else:
            centre, radius = np.empty((0, 3)), np.empty(0)
        self.runs = _Nodes(centre, radius, radius)
        self.levels: dict[int, _Cells] = {}

    def expand(
        self, start: IntArray, count: IntArray, flat: IntArray
    ) -> tuple[IntArray, IntArray, IntArray]:
        """Cells' lists of runs as lists of their segments."""
        total = int(count.sum())
        offs = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
        runs = flat[np.repeat(start, count) + offs]
        seg_n = self.run_len[runs]
        cell_of = np.repeat(np.arange(count.size), count)
        new_count = np.bincount(cell_of, weights=seg_n, minlength=count.size).astype(np.int64)
        m = int(seg_n.sum())
        segs = np.repeat(self.run_lo[runs], seg_n) + (
            np.arange(m) - np.repeat(np.cumsum(seg_n) - seg_n, seg_n)
        )
        return np.cumsum(new_count) - new_count, new_count, segs

    def add(
        self, level: int, keys: IntArray, start: IntArray, count: IntArray, flat: IntArray
    ) -> None:
        old = self.levels.get(level)
        if old is not None:
            keys = np.concatenate([old.keys, keys])
            start = np.concatenate([old.start, start + old.flat.size])
            count = np.concatenate([old.count, count])
            flat = np.concatenate([old.flat, flat])
        order = np.argsort(keys, kind="stable")
        self.levels[level] = _Cells(keys[order], start[order], count[order], flat)


_CELL_CACHES: dict[int, _CellCache] = {}


def _cell_cache(segs: SegmentSet) -> _CellCache:
    hit = _CELL_CACHES.get(id(segs))
    if hit is None or hit.segs is not segs:
        if len(_CELL_CACHES) >= 8:
            del _CELL_CACHES[next(iter(_CELL_CACHES))]
        hit = _CELL_CACHES[id(segs)] = _CellCache(segs)
    return hit


def _leaf_candidates(cache: _CellCache, leaf_keys: IntArray, width: int) -> _Cells:
    """Candidate segments of each leaf cell holding points, refined down from 8° cells (the
    cells already refined for earlier points are reused)."""
    fy, fx = leaf_keys // width, leaf_keys % width
    for level in range(_TOP_LEVEL, -1, -1):
        w = (width >> level) + 2
        keys = np.unique((fy >> level) * w + (fx >> level))
        have = cache.levels.get(level)
        missing = keys if have is None else keys[~np.isin(keys, have.keys)]
        if missing.size == 0:
            continue
        ky, kx = missing // w, missing % w
        if level == _TOP_LEVEL:
            # Every top cell starts from every run: one shared list.
            n_runs = cache.run_lo.size
            start = np.zeros(missing.size, dtype=np.int64)
            count = np.full(missing.size, n_runs, dtype=np.int64)
            flat = np.arange(n_runs, dtype=np.int64)
        else:
            parent = cache.levels[level + 1]
            pw = (width >> (level + 1)) + 2
            pos = np.searchsorted(parent.keys, (ky >> 1) * pw + (kx >> 1))
            start, count, flat = parent.start[pos], parent.count[pos], parent.flat
        nodes = cache.segments if level <= _EXPAND_LEVEL else cache.runs
        size = _LEAF_DEG * (1 << level)
        expand = cache if level == _EXPAND_LEVEL else None
        cache.add(level, missing, *_refine(nodes, ky, kx, size, start, count, flat, expand))
    cells = cache.levels[0]
    if sum(c.flat.size for c in cache.levels.values()) > _CACHE_ENTRIES:
        # Points spread over the globe, far from the boundary, need many cells with long
        # candidate lists: start afresh next time rather than let memory grow.
        cache.levels.clear()
    return cells


def nearest_many(
    lons: npt.ArrayLike, lats: npt.ArrayLike, segs: SegmentSet
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Geodesic distance (m) from each point to the nearest point of the segments, and that
    point (lon, lat). All points at once; inf and NaN when there are no segments."""
    x = np.asarray(lons, dtype=float).ravel()
    y = np.asarray(lats, dtype=float).ravel()
    n = x.size
    dist = np.full(n, np.inf)
    qlon = np.full(n, np.nan)
    qlat = np.full(n, np.nan)
    if n == 0 or segs.size == 0:
        return dist, qlon, qlat
    width = round(360.0 / _LEAF_DEG)
    ix = np.clip(((x + 180.0) / _LEAF_DEG).astype(np.int64), 0, width - 1)
    iy = np.clip(((y + 90.0) / _LEAF_DEG).astype(np.int64), 0, round(180.0 / _LEAF_DEG) - 1)
    keys = iy * width + ix
    cache = _cell_cache(segs)
    mid = cache.mid
    cells = _leaf_candidates(cache, np.unique(keys), width)
    pos = np.searchsorted(cells.keys, iy * (width + 2) + ix)  # the leaf level's own keys
    order = np.argsort(pos, kind="stable")  # points of one cell together: better locality
    # Chunks of at most _CHUNK points and about _PAIRS * 4 candidate pairs: far from the
    # boundary a cell keeps hundreds of candidates, and memory must not follow.
    pairs = np.cumsum(cells.count[pos[order]])
    c0 = 0
    while c0 < n:
        base = pairs[c0 - 1] if c0 else 0
        c1 = int(np.searchsorted(pairs, base + 4 * _PAIRS, side="right"))
        c1 = min(max(c1, c0 + 1), c0 + _CHUNK)
        pts = order[c0:c1]
        d, lo, la = _nearest_chunk(segs, mid, cells, pos[pts], x[pts], y[pts])
        dist[pts], qlon[pts], qlat[pts] = d, lo, la
        c0 = c1
    return dist, qlon, qlat


def _nearest_chunk(
    segs: SegmentSet,
    mid: FloatArray,
    cells: _Cells,
    cell: IntArray,
    x: FloatArray,
    y: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    m = x.size
    p = ecef(x, y)
    cnt = cells.count[cell]
    total = int(cnt.sum())
    owner = np.repeat(np.arange(m, dtype=np.int64), cnt)
    offs = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    cand = cells.flat[np.repeat(cells.start[cell], cnt) + offs]
    diff = mid[cand] - p[owner]
    dm = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    starts = np.cumsum(cnt) - cnt
    best = np.minimum.reduceat(dm, starts)  # every cell with points has candidates
    # A segment can be nearest only if its midpoint is within min + 2 h (its ends within h)
    # + the chord slack.
    keep = dm <= _midpoint_limit(best, segs.half_length_m)[owner]
    owner, cand = owner[keep], cand[keep]
    chord, t = _chord_to_segments(p[owner], segs.a[cand], segs.b[cand])
    return _exact_best(segs, owner, cand, chord, t, m, x, y)


def fill_small_holes(geom: BaseGeometry, max_area_deg2: float) -> BaseGeometry:
    """``geom`` without the holes smaller than ``max_area_deg2`` (in lon/lat square degrees)."""
    polys = list(getattr(geom, "geoms", [geom]))
    out = []
    for poly in polys:
        if not isinstance(poly, Polygon) or poly.is_empty:
            continue
        kept = [r for r in poly.interiors if Polygon(r).area >= max_area_deg2]
        out.append(Polygon(poly.exterior, kept))
    if not out:
        return geom
    return out[0] if len(out) == 1 else MultiPolygon(out)
