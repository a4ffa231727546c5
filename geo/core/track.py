"""Ground track of a flight and what it overflies.

The ground track is the geodesic on WGS84 from the launch point to the impact point (Earth's
rotation ignored: the real track of a ballistic flight bends westward by up to a few tens of
km). Overflight is measured by intersecting the densified track with each zone and land
polygon; entry and exit distances are geodesic distances from the launch point (every point of
a shortest geodesic is at that distance along it).

Pure: takes zone sets already in memory (``geo.access.zones.Zones``) and returns dataclasses
whose ``to_dict`` is what ``--json`` prints.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, box
from shapely.geometry.base import BaseGeometry

from geo.core.geodesy import WGS84, FloatArray
from geo.core.types import LonLat

if TYPE_CHECKING:
    from geo.access.zones import Zones

CrossingKind = Literal["land", "eez"]

TRACK_STEP_KM = 2.0
"""Densification step: a lon/lat chord of 2 km strays well under a metre from the geodesic."""
MERGE_GAP_KM = 0.01
"""Pieces of one country's land or zone closer than this along the track are one crossing
(they meet where a polygon is cut at the antimeridian or between parts)."""
_SNAP_KM = 1e-6
ROTATION_NOTE = "geodesic ground track; Earth's rotation ignored"

_WORLD = box(-180.0, -90.0, 180.0, 90.0)


@dataclass(frozen=True)
class Crossing:
    """One passage of the track over a country's land or through one of its zones."""

    country: str
    """The sovereign (for a shared zone, its claimants joined with ' / ')."""
    kind: CrossingKind
    enter_km: float
    exit_km: float
    zone: str = ""
    """The land unit's or zone's name as stored (e.g. 'Japan (modelled 200 NM zone)')."""
    near: str = ""
    """A named place near the passage (land only), when the caller has a gazetteer."""

    @property
    def length_km(self) -> float:
        return self.exit_km - self.enter_km

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "country": self.country,
            "kind": self.kind,
            "enter_km": round(self.enter_km, 1),
            "exit_km": round(self.exit_km, 1),
            "zone": self.zone,
        }
        if self.near:
            out["near"] = self.near
        return out


@dataclass(frozen=True)
class GroundTrack:
    launch: LonLat
    impact: LonLat
    length_km: float
    azimuth_deg: float
    """Initial azimuth at the launch point."""
    line: BaseGeometry
    """The track as a LineString, or a MultiLineString split at the antimeridian."""
    overflies: tuple[Crossing, ...] = ()
    dataset: str = ""
    """Name of the zone set the EEZ crossings were measured with."""
    note: str = ROTATION_NOTE

    def over(self, country: str | None = None, kind: str | None = None) -> list[Crossing]:
        """The crossings of ``country`` (sovereign, case-insensitive) and/or ``kind``."""
        key = country.casefold() if country else None
        return [
            c
            for c in self.overflies
            if (key is None or key in (p.strip().casefold() for p in c.country.split("/")))
            and (kind is None or c.kind == kind)
        ]

    def overflies_land_of(self, country: str) -> bool:
        return bool(self.over(country, "land"))

    def to_dict(self) -> dict[str, object]:
        return {
            "length_km": round(self.length_km, 1),
            "azimuth_deg": round(self.azimuth_deg, 2),
            "launch": {"lat": self.launch.lat_deg, "lon": self.launch.lon_deg},
            "impact": {"lat": self.impact.lat_deg, "lon": self.impact.lon_deg},
            "overflies": [c.to_dict() for c in self.overflies],
            "dataset": self.dataset,
            "note": self.note,
        }


# ---------------------------------------------------------------------------- geometry


def track_points(
    launch: LonLat, impact: LonLat, step_km: float = TRACK_STEP_KM
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(lons, lats, distance from launch in km) at most ``step_km`` apart, ends included;
    longitudes unwrapped (continuous, may pass ±180)."""
    if not (math.isfinite(step_km) and step_km > 0):
        raise ValueError("step_km must be a positive number")
    az, _, dist_m = WGS84.inv(launch.lon_deg, launch.lat_deg, impact.lon_deg, impact.lat_deg)
    n = max(1, math.ceil(dist_m / (step_km * 1000.0)))
    d = np.linspace(0.0, float(dist_m), n + 1)
    lon, lat, _ = WGS84.fwd(
        np.full(d.size, launch.lon_deg), np.full(d.size, launch.lat_deg), np.full(d.size, az), d
    )
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    lon[-1], lat[-1] = impact.lon_deg, impact.lat_deg  # exact end, not fwd's rounding
    step = np.diff(lon)
    lon = lon[0] + np.concatenate([[0.0], np.cumsum((step + 180.0) % 360.0 - 180.0)])
    return lon, lat, d / 1000.0


def _world_parts(unwrapped: LineString) -> list[LineString]:
    """The unwrapped line cut into pieces inside [-180, 180]."""
    parts: list[LineString] = []
    for shift in (-360.0, 0.0, 360.0):
        moved = shapely.transform(unwrapped, lambda xy, s=shift: xy + np.array([s, 0.0]))
        piece = moved.intersection(_WORLD)
        parts.extend(
            p
            for p in _lines(piece)
            if p.length > 0.0  # drop touches at the frame
        )
    return parts


def _lines(geom: BaseGeometry) -> Iterable[LineString]:
    if geom.is_empty:
        return
    if isinstance(geom, LineString):
        yield geom
        return
    for g in getattr(geom, "geoms", ()):
        yield from _lines(g)


def _along_km(launch: LonLat, xy: FloatArray) -> FloatArray:
    _, _, d = WGS84.inv(
        np.full(len(xy), launch.lon_deg), np.full(len(xy), launch.lat_deg), xy[:, 0], xy[:, 1]
    )
    return np.asarray(d, dtype=float) / 1000.0


def _country(zone_sovereigns: Sequence[str], fallback: str) -> str:
    names = list(dict.fromkeys(s for s in zone_sovereigns if s))
    return " / ".join(names) if names else fallback


def _crossings(
    launch: LonLat,
    parts: Sequence[LineString],
    zones: Zones,
    kind: CrossingKind,
    length_km: float,
) -> list[Crossing]:
    spans: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for part in parts:
        for zi in np.atleast_1d(zones.tree.query(part, predicate="intersects")).tolist():
            z = zones.zones[int(zi)]
            if kind == "land" and not z.sovereigns:
                continue  # a land hole (Golan Heights...) belongs to no country
            inside = zones.geoms[int(zi)].intersection(part)
            key = (_country(z.sovereigns, z.name), z.name)
            for piece in _lines(inside):
                xy = np.asarray(piece.coords)[:, :2]
                along = _along_km(launch, xy)
                lo, hi = float(along.min()), float(along.max())
                lo = 0.0 if lo < _SNAP_KM else lo  # the launch point itself, not 1e-12 km
                hi = length_km if length_km - hi < _SNAP_KM else hi
                if hi - lo > 0.0:
                    spans.setdefault(key, []).append((lo, hi))
    out: list[Crossing] = []
    for (country, name), raw in spans.items():
        merged: list[list[float]] = []
        for lo, hi in sorted(raw):
            if merged and lo - merged[-1][1] <= MERGE_GAP_KM:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        out.extend(Crossing(country, kind, lo, hi, name) for lo, hi in merged)
    return out


def ground_track(
    launch: LonLat,
    impact: LonLat,
    zones: Zones | None = None,
    land: Zones | None = None,
    *,
    step_km: float = TRACK_STEP_KM,
) -> GroundTrack:
    """The geodesic from ``launch`` to ``impact`` and, in order along it, each passage over
    a country's land (``land``) and through a zone of ``zones``."""
    az, _, dist_m = WGS84.inv(launch.lon_deg, launch.lat_deg, impact.lon_deg, impact.lat_deg)
    length_km = float(dist_m) / 1000.0
    lon, lat, _ = track_points(launch, impact, step_km)
    unwrapped = LineString(np.column_stack([lon, lat]))
    parts = _world_parts(unwrapped) if length_km > 0 else []
    crossings: list[Crossing] = []
    if land is not None:
        crossings += _crossings(launch, parts, land, "land", length_km)
    if zones is not None:
        crossings += _crossings(launch, parts, zones, "eez", length_km)
    crossings.sort(key=lambda c: (c.enter_km, c.kind != "land", c.exit_km, c.country))
    line: BaseGeometry = (
        parts[0]
        if len(parts) == 1
        else MultiLineString(parts)
        if parts
        else LineString([launch, launch])
    )
    return GroundTrack(
        launch=launch,
        impact=impact,
        length_km=length_km,
        azimuth_deg=float(az) % 360.0,
        line=line,
        overflies=tuple(crossings),
        dataset=zones.info.name if zones is not None else "",
    )


# ---------------------------------------------------------------------------- naming


@dataclass(frozen=True)
class NamedPoint:
    """A named place for describing where a land crossing is (from the gazetteer)."""

    name: str
    country: str
    point: LonLat
    kind: str = ""


NEAR_LIMIT_KM = 150.0
"""A land crossing is named after a place of the same country at most this far from it."""


def name_land_crossings(
    track: GroundTrack, places: Sequence[NamedPoint], limit_km: float = NEAR_LIMIT_KM
) -> GroundTrack:
    """The track with each land crossing's ``near`` set to the closest place of that country
    (measured from the crossing's midpoint), if one lies within ``limit_km``."""
    if not places:
        return track
    out: list[Crossing] = []
    for c in track.overflies:
        if c.kind != "land":
            out.append(c)
            continue
        mid = 0.5 * (c.enter_km + c.exit_km) * 1000.0
        mlon, mlat, _ = WGS84.fwd(
            track.launch.lon_deg, track.launch.lat_deg, track.azimuth_deg, mid
        )
        own = [p for p in places if p.country.casefold() in c.country.casefold()]
        if not own:
            out.append(c)
            continue
        _, _, d = WGS84.inv(
            np.full(len(own), mlon),
            np.full(len(own), mlat),
            np.array([p.point.lon_deg for p in own]),
            np.array([p.point.lat_deg for p in own]),
        )
        best = int(np.argmin(d))
        near = own[best].name if float(d[best]) / 1000.0 <= limit_km else ""
        out.append(Crossing(c.country, c.kind, c.enter_km, c.exit_km, c.zone, near))
    return GroundTrack(
        track.launch,
        track.impact,
        track.length_km,
        track.azimuth_deg,
        track.line,
        tuple(out),
        track.dataset,
        track.note,
    )


CROSSING_MIN_KM = 0.5
"""Crossings shorter than this are not reported in text (a track that starts on a border
grazes the neighbour for metres: "from 0 to 0 km")."""


def crossing_span(enter_km: float, exit_km: float, length_km: float) -> str | None:
    """How text says where a crossing lies along the track: "from 1,262 to 1,288 km",
    "from launch to 12 km", "from 1,262 km to the impact"; None for a crossing shorter than
    :data:`CROSSING_MIN_KM`."""
    if exit_km - enter_km < CROSSING_MIN_KM:
        return None
    at_launch = enter_km < CROSSING_MIN_KM
    at_impact = length_km - exit_km < CROSSING_MIN_KM
    if at_launch and at_impact:
        return "from launch to impact"
    if at_launch:
        return f"from launch to {exit_km:,.0f} km"
    if at_impact:
        return f"from {enter_km:,.0f} km to the impact"
    return f"from {enter_km:,.0f} to {exit_km:,.0f} km"


def crossing_lines(
    overflies: Sequence[Mapping[str, Any]],
    length_km: float,
    countries: Sequence[str],
    *,
    every_zone: bool = False,
    name: Callable[[str], str] = str,
) -> list[str]:
    """Text of a track record's crossings (:meth:`Crossing.to_dict` form), in order: every
    land crossed and the zones of ``countries`` (every zone with ``every_zone``), e.g.
    "track overflies Japan's land (near Cape Erimo) from 1,260 to 1,420 km"; then each of
    ``countries`` whose land the track misses. ``name`` renders place names (an escape)."""
    keys = {c.casefold() for c in countries}
    lines: list[str] = []
    shown: list[Mapping[str, Any]] = []
    for c in overflies:
        span = crossing_span(c["enter_km"], c["exit_km"], length_km)
        if span is None:
            continue
        shown.append(c)
        if c["kind"] != "land" and not every_zone and c["country"].casefold() not in keys:
            continue
        what = "land" if c["kind"] == "land" else "EEZ"
        near = f" (near {name(c['near'])})" if c.get("near") else ""
        lines.append(f"track overflies {name(c['country'])}'s {what}{near} {span}")
    for country in countries:
        if not any(
            c["kind"] == "land" and c["country"].casefold() == country.casefold() for c in shown
        ):
            lines.append(f"track does not overfly {name(country)}'s land")
    return lines


# ---------------------------------------------------------------------------- side view


def altitude_profile(
    range_km: float, apogee_km: float, samples: int = 121
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(downrange km, altitude km) of the symmetric ballistic arc of ``range_km`` and
    ``apogee_km`` (:func:`geo.core.ballistics.inverse`: non-rotating spherical Earth, no
    atmosphere). The arc's conic ``r = p / (1 + e cos f)`` has its apogee at ``f = pi`` and
    the launch at ``f = pi - Phi/2``; downrange ``s`` is ``R psi``."""
    from geo.core.ballistics import EARTH_RADIUS_KM, inverse

    if samples < 3:
        raise ValueError("samples must be at least 3")
    arc = inverse(range_km, apogee_km)
    e, a = arc.eccentricity, arc.semi_major_axis_km
    p = a * (1.0 - e * e)
    half_phi = range_km / EARTH_RADIUS_KM / 2.0
    s = np.linspace(0.0, range_km, samples)
    f = math.pi - half_phi + s / EARTH_RADIUS_KM
    alt = p / (1.0 + e * np.cos(f)) - EARTH_RADIUS_KM
    alt[0] = alt[-1] = 0.0  # the ends are on the surface (not -1e-12 km)
    return tuple(float(x) for x in s), tuple(float(max(0.0, x)) for x in alt)
