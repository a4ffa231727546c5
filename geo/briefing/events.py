"""What an event map adds to a briefing: ground tracks and their overflight, reference
points with the reported leg, subject-country emphasis, an altitude profile, an info box and
the view to frame.

:func:`event_layers` computes all of it from the computed results; the briefing builder
adds the features and sets the content's typed fields. Renderers draw the feature kinds
``track``, ``reference_point`` and ``reported_leg`` and read ``MapContent.info``,
``profiles``, ``subjects`` and ``extent``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point, box
from shapely.geometry.base import BaseGeometry

from geo.core.track import (
    ROTATION_NOTE,
    Crossing,
    GroundTrack,
    NamedPoint,
    altitude_profile,
    crossing_lines,
    ground_track,
    name_land_crossings,
)
from geo.core.types import LonLat, LonLatBbox
from geo.present.content import (
    AltitudeProfile,
    InfoBox,
    InfoLine,
    MapContent,
    MapExtent,
    MapFeature,
    ProfileSpan,
)

if TYPE_CHECKING:
    from geo.access.zones import Zones
    from geo.briefing.results import EventResult
    from geo.briefing.scenario import Scenario
    from geo.core.impact import ReportedImpact
    from geo.core.verdicts import PointVerdict

FRAME_PAD = 0.12
"""Padding around what the view must hold, as a fraction of its span."""
FRAME_MIN_SPAN_DEG = 4.0
NEAREST_COAST_LIMIT_KM = 1500.0
"""The subject's nearest coast joins the view only when at most this far from the event."""


@dataclass
class EventLayers:
    features: list[MapFeature] = field(default_factory=list)
    tracks: dict[int, tuple[GroundTrack, ...]] = field(default_factory=dict)
    """Per event index, one ground track per reported impact (in order)."""
    profiles: list[AltitudeProfile] = field(default_factory=list)
    info: InfoBox | None = None


def _places() -> list[NamedPoint]:
    from geo.access.gazetteer import default_gazetteer

    return [NamedPoint(p.name, p.country, p.lonlat, p.kind) for p in default_gazetteer().places]


def geodesic_line(a: LonLat, b: LonLat, step_km: float = 10.0) -> BaseGeometry:
    """The geodesic from a to b as a line in [-180, 180] (two parts when it crosses 180°)."""
    from geo.core.track import _world_parts, track_points

    lon, lat, _ = track_points(a, b, step_km)
    if lon.size < 2 or (lon[0] == lon[-1] and lat[0] == lat[-1]):
        return LineString()
    parts = _world_parts(LineString(np.column_stack([lon, lat])))
    return parts[0] if len(parts) == 1 else MultiLineString(parts)


def reported_leg_line(impact: ReportedImpact, step_km: float = 10.0) -> BaseGeometry:
    """The reported leg from the reference point to the impact as it was read: along the
    rhumb line (densified: on a slide's azimuthal projection it is a curve) or the
    geodesic; a line in [-180, 180], cut where it crosses 180° (however often)."""
    if impact.leg == "geodesic":
        return geodesic_line(impact.origin, impact.point, step_km)
    from geo.core.rhumb import rhumb_line

    lon, lat = rhumb_line(impact.origin, impact.azimuth_deg, impact.distance_m, step_km * 1000)
    if lon.size < 2:
        return LineString()
    u = lon[0] + np.concatenate([[0.0], np.cumsum((np.diff(lon) + 180.0) % 360.0 - 180.0)])
    line = LineString(np.column_stack([u, lat]))
    parts: list[LineString] = []
    first, last = (math.floor((x + 180.0) / 360.0) for x in (u.min(), u.max()))
    for k in range(first, last + 1):
        window = box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        piece = line.intersection(window)
        for g in getattr(piece, "geoms", [piece]):
            if isinstance(g, LineString) and g.length > 0.0:
                parts.append(shapely.affinity.translate(g, xoff=-360.0 * k))
    if not parts:
        return LineString()
    return parts[0] if len(parts) == 1 else MultiLineString(parts)


def track_feature(track: GroundTrack, *, event: str = "", label: str = "") -> MapFeature:
    props = {
        "event": event,
        "launch": [track.launch.lon_deg, track.launch.lat_deg],
        "impact": [track.impact.lon_deg, track.impact.lat_deg],
        "length_km": round(track.length_km, 1),
        "azimuth_deg": round(track.azimuth_deg, 2),
        "overflies": [c.to_dict() for c in track.overflies],
        "note": ROTATION_NOTE,
    }
    text = label or f"Ground track (geodesic), {track.length_km:,.0f} km"
    return MapFeature(track.line, "track", text, props)


def reference_features(
    name: str,
    point: LonLat,
    impact: ReportedImpact,
    leg_label: str,
    *,
    event: str = "",
    source: str = "",
) -> list[MapFeature]:
    """The reference point an impact is measured from and the reported leg to it, drawn as
    it was read (:func:`reported_leg_line`)."""
    props = {"name": name, "lon": point.lon_deg, "lat": point.lat_deg, "event": event}
    if source:
        props["source"] = source
    feats = [MapFeature(Point(point.lon_deg, point.lat_deg), "reference_point", name, props)]
    leg = reported_leg_line(impact)
    if not leg.is_empty:
        leg_props = {"event": event, "from": name, "leg": impact.leg}
        feats.append(MapFeature(leg, "reported_leg", leg_label, leg_props))
    return feats


def _leg_label(label: str, origin_name: str) -> str:
    """'1,180 km E of Cape Erimo' -> '1,180 km E' (the leg is drawn from the place)."""
    for sep in (" of ", " from "):
        tail = f"{sep}{origin_name}"
        if label.endswith(tail):
            return label[: -len(tail)]
    return label


def mark_subject_zones(features: Sequence[MapFeature], countries: Sequence[str]) -> None:
    """Set ``subject`` on every ``eez`` feature: True when one of ``countries`` (as verdicts
    name them) is among its sovereigns or territories."""
    keys = {c.casefold() for c in countries}
    for f in features:
        if f.kind != "eez":
            continue
        names = [*f.properties.get("sovereigns", ()), *f.properties.get("territories", ())]
        f.properties["subject"] = any(str(n).casefold() in keys for n in names)


PROFILE_MATCH_SHARE = 0.02
"""A profile whose reported flown distance differs from its ground track by more than this
share is drawn along the track (the flown distance is then named as reported)."""


def impact_statuses(pv: PointVerdict) -> dict[str, str]:
    """An impact's verdict status per country, as its map feature carries it (the renderers
    colour the marker by it: geo.present.style.impact_verdict_style)."""
    return {v.country: v.status for v in pv.verdicts}


def profile_for(
    event_name: str,
    flown_km: float,
    apogee_km: float,
    track: GroundTrack | None,
    countries: Sequence[str],
) -> AltitudeProfile:
    down, alt = altitude_profile(flown_km, apogee_km)
    spans: list[ProfileSpan] = []
    if track is not None:
        for country in countries:
            for c in track.over(country):
                spans.append(ProfileSpan(c.country, c.kind, c.enter_km, c.exit_km))
    note = (
        "ballistic arc of the reported range and apogee (no atmosphere, Earth's rotation ignored)"
    )
    if (
        track is not None
        and track.length_km > 0
        and abs(track.length_km - flown_km) > (PROFILE_MATCH_SHARE * flown_km)
    ):
        # The spans and the impact mark are measured along the track drawn: the arc is
        # stretched to it, so that it lands where the map's impact is.
        k = track.length_km / flown_km
        down = tuple(d * k for d in down)
        note += (
            f"; downrange scaled to the {track.length_km:,.0f} km ground track to the "
            f"reported impact (flown ~{flown_km:,.0f} km, reported)"
        )
    return AltitudeProfile(
        event=event_name,
        downrange_km=down,
        altitude_km=alt,
        apogee_km=apogee_km,
        range_km=flown_km,
        track_km=track.length_km if track is not None else None,
        spans=tuple(spans),
        note=note,
    )


def _impact_phrase(status: str, p_inside: float) -> str:
    """An impact's verdict as a clause about the subject's EEZ (the info box's wording); the
    probability only where it adds something (not "OUTSIDE (P 0.00)")."""
    clause = {
        "inside": "impact INSIDE its EEZ",
        "outside": "impact OUTSIDE its EEZ",
        "uncertain": "impact UNCERTAIN: may be inside its EEZ",
        "on_own_land": "impact ON ITS OWN LAND",
    }.get(status, f"impact {status.replace('_', ' ').upper()}")
    certain = (status == "inside" and p_inside >= 0.995) or (
        status == "outside" and p_inside < 0.005
    )
    return clause if certain else f"{clause} (P {p_inside:.2f})"


def _spans_text(spans: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]


def _land_spans_text(over: Sequence[Crossing]) -> str:
    """ "near Cape Tappi, 1,172–1,199 and 1,249–1,261 km": where, then how far; crossings
    near the same place share its name."""
    groups: dict[str, list[str]] = {}
    for c in over:
        groups.setdefault(c.near, []).append(f"{c.enter_km:,.0f}–{c.exit_km:,.0f}")
    return " and ".join(
        (f"near {near}, " if near else "") + _spans_text(spans) + " km"
        for near, spans in groups.items()
    )


def track_phrase(tracks: Sequence[GroundTrack], country: str) -> str:
    """Whether the ground track(s) crossed ``country``'s land, where and how far out."""
    over = [c for t in tracks for c in t.over(country, "land")]
    if not over:
        return "ground track does not cross its land"
    return f"ground track crosses its land {_land_spans_text(over)} from launch"


def verdict_lines(
    event: EventResult, tracks: Sequence[GroundTrack], countries: Sequence[str]
) -> list[str]:
    """One line per subject country: the impact verdict(s) and whether the track overflew
    the country's land."""
    lines: list[str] = []
    for country in countries:
        parts: list[str] = []
        for imp in event.impacts:
            v = next((pv.verdict for pv in imp.verdicts if pv.verdict is not None
                      and pv.verdict.country == country), None)  # fmt: skip
            if v is None:
                continue
            parts.append(_impact_phrase(v.status, v.p_inside))
        if tracks:
            parts.append(track_phrase(tracks, country))
        if not parts and event.ranges:
            reached = [
                r.area
                for r in event.ranges
                for av in r.verdicts
                if av.verdict is not None and av.verdict.country == country and av.verdict.reaches
            ]
            n = len(event.ranges)
            if n == 1:
                parts.append(f"{event.ranges[0].area} {'reaches' if reached else 'does not reach'}"
                             " its EEZ")  # fmt: skip
            else:
                parts.append(f"{len(reached)} of {n} range areas reach its EEZ")
        if parts:
            lines.append(f"{country}: " + "; ".join(dict.fromkeys(parts)))
    return lines


_TALLY = (
    ("inside", "INSIDE"),
    ("uncertain", "UNCERTAIN"),
    ("on_own_land", "ON ITS OWN LAND"),
    ("outside", "OUTSIDE"),
)


def verdict_tally(events: Sequence[EventResult], country: str) -> str:
    """'Japan: 12 of 20 impacts INSIDE its EEZ, 3 UNCERTAIN, 5 OUTSIDE' ('' with none)."""
    counts: dict[str, int] = {}
    for e in events:
        for imp in e.impacts:
            v = next((pv.verdict for pv in imp.verdicts if pv.verdict is not None
                      and pv.verdict.country == country), None)  # fmt: skip
            if v is not None:
                counts[v.status] = counts.get(v.status, 0) + 1
    total = sum(counts.values())
    if not total:
        return ""
    parts = [(counts[k], word) for k, word in _TALLY if counts.get(k)]
    parts += [(c, k.replace("_", " ").upper()) for k, c in counts.items() if k not in dict(_TALLY)]
    (n0, w0), rest = parts[0], parts[1:]
    noun = "impact" if total == 1 else "impacts"
    head = f"{country}: {n0:,} of {total:,} {noun} {w0}"
    head += " its EEZ" if w0 in ("INSIDE", "OUTSIDE") else ""
    return head + "".join(f", {n:,} {w}" for n, w in rest)


def info_box(
    scenario: Scenario,
    events: Sequence[EventResult],
    tracks: dict[int, tuple[GroundTrack, ...]],
    countries: Sequence[str],
) -> InfoBox:
    lines: list[InfoLine] = []
    days = sorted({e.spec.date for e in events if e.spec.date and e.impacts})
    if len(days) > 1:
        # a map of several days (a year of launches): what it holds and the verdicts' tally,
        # not one line per launch nor the header's date again
        n = sum(len(e.impacts) for e in events)
        lines.append(InfoLine("Impacts", f"{n:,} reported, {days[0]} to {days[-1]}"))
        tally = [t for c in countries if (t := verdict_tally(events, c))]
        return InfoBox(scenario.title, tuple(lines), tuple(tally))
    if scenario.date:
        lines.append(InfoLine("Date", scenario.date))
    verdicts: list[str] = []
    many = len(events) > 1
    for i, e in enumerate(events):
        ev = e.spec
        prefix = f"{ev.name}: " if many else ""
        # "Missile 1 — Japan: impact …", not "Missile 1: Japan: impact …: …"
        vprefix = f"{ev.name} — " if many else ""
        when = f"{ev.time}, " if ev.time else ""
        if ev.launch_known:
            lines.append(InfoLine("Launch", f"{prefix}{when}{ev.site_name}"))
        flight: list[str] = []
        ftime = ev.flight_time_min
        if ftime is None and e.trajectory is not None:
            ftime = e.trajectory.flight_time_min
            flight.append(f"about {ftime:,.0f} min (model)")
        elif ftime is not None:
            flight.append(f"{ftime:,.0f} min")
        if ev.apogee_m is not None:
            flight.append(f"apogee {ev.apogee_m / 1000:,.0f} km")
        if ev.flown_m is not None:
            flown = ev.flown_m / 1000
            track_km = [t.length_km for t in tracks.get(i, ())]
            if track_km and abs(track_km[0] - flown) > PROFILE_MATCH_SHARE * flown:
                flight.append(f"flown ~{flown:,.0f} km (reported), track {track_km[0]:,.0f} km")
            else:
                flight.append(f"{flown:,.0f} km flown")
        if flight:
            lines.append(InfoLine("Flight", prefix + ", ".join(flight)))
        for line in verdict_lines(e, tracks.get(i, ()), countries):
            verdicts.append(vprefix + line)
    return InfoBox(scenario.title, tuple(lines), tuple(verdicts))


def event_layers(
    scenario: Scenario,
    events: Sequence[EventResult],
    zones: Zones,
    land: Zones,
    countries: Sequence[str],
) -> EventLayers:
    """Ground tracks (one per reported impact), reference points and legs, altitude
    profiles and the info box of a computed briefing."""
    out = EventLayers()
    places = _places()
    drawn: set[tuple[str, float, float]] = set()
    for i, e in enumerate(events):
        ev = e.spec
        tracks: list[GroundTrack] = []
        for imp in e.impacts:
            if ev.launch_known:  # no launch site, no track
                t = name_land_crossings(
                    ground_track(ev.site, imp.impact.point, zones, land), places
                )
                tracks.append(t)
                out.features.append(track_feature(t, event=ev.name))
            if not ev.launch_known or imp.spec.origin != ev.site:
                ref = reference_features(
                    imp.spec.origin_name,
                    imp.spec.origin,
                    imp.impact,
                    _leg_label(imp.spec.label, imp.spec.origin_name),
                    event=ev.name,
                )
                # a place several impacts are measured from is drawn (and named) once
                key = (imp.spec.origin_name, imp.spec.origin.lon_deg, imp.spec.origin.lat_deg)
                if key in drawn:
                    ref = [f for f in ref if f.kind != "reference_point"]
                drawn.add(key)
                out.features += ref
        out.tracks[i] = tuple(tracks)
        if ev.apogee_m is not None and ev.flown_m is not None:
            out.profiles.append(
                profile_for(
                    ev.name,
                    ev.flown_m / 1000.0,
                    ev.apogee_m / 1000.0,
                    tracks[0] if tracks else None,
                    countries,
                )
            )
    for name, pt in scenario.places:  # named by the statements, without a distance
        if (name, pt.lon_deg, pt.lat_deg) not in drawn:
            drawn.add((name, pt.lon_deg, pt.lat_deg))
            props = {"name": name, "lon": pt.lon_deg, "lat": pt.lat_deg, "mentioned": True}
            out.features.append(
                MapFeature(Point(pt.lon_deg, pt.lat_deg), "reference_point", name, props)
            )
    out.info = info_box(scenario, events, out.tracks, countries)
    return out


TRACK_NOTE = (
    "Ground tracks: geodesics on WGS84 from the launch site to the reported impact; Earth's "
    "rotation is ignored (the real track of a long flight bends by tens of km)."
)


def leg_note(legs: Sequence[str]) -> str:
    """How the reported impacts' "D km BEARING of PLACE" were read, for the notes under
    the map and in report.md ('' without reported impacts)."""
    kinds = set(legs)
    if not kinds:
        return ""
    if kinds == {"geodesic"}:
        return (
            "Reported impacts (D km BEARING of PLACE): read as geodesics leaving the place at "
            "that bearing."
        )
    return (
        "Reported impacts (D km BEARING of PLACE): read as rhumb lines on WGS84, at constant "
        "bearing as charts plot them"
        + (" (geodesics where the scenario says leg: geodesic)." if "geodesic" in kinds else ".")
    )


def with_tracks(events: Sequence[EventResult], layers: EventLayers) -> tuple[EventResult, ...]:
    """The event results with their ground tracks attached (``EventResult.tracks``)."""
    return tuple(
        dataclasses.replace(e, tracks=layers.tracks.get(i, ())) for i, e in enumerate(events)
    )


# ---------------------------------------------------------------------------- framing


def _unwrap_around(lon: np.ndarray, centre: float) -> np.ndarray:
    return centre + ((lon - centre + 180.0) % 360.0) - 180.0


def _points_of(geom: BaseGeometry) -> np.ndarray:
    import shapely

    xy = shapely.get_coordinates(geom)
    return np.asarray(xy, dtype=float).reshape(-1, 2)


def frame_extent(
    content: MapContent,
    countries: Sequence[str] = (),
    land: Zones | None = None,
    zones: Zones | None = None,
) -> MapExtent | None:
    """The view that holds the launch sites, impacts (with their uncertainty areas),
    reference points, tracks and legs, the subject countries' nearest coast (within
    NEAREST_COAST_LIMIT_KM of an impact or site), padded by FRAME_PAD; longitudes are
    unwrapped around the map's focus, so a view across 180° has west > east."""
    kinds = ("site", "reported_impact", "impact_uncertainty", "reference_point", "track",
             "reported_leg")  # fmt: skip
    feats = content.of_kind(*kinds)
    if not feats:
        return None
    pts = np.concatenate([_points_of(f.geometry) for f in feats if not f.geometry.is_empty])
    anchors = [
        LonLat(float(x), float(y))
        for f in content.of_kind("site", "reported_impact")
        for x, y in _points_of(f.geometry)
    ]
    extra: list[tuple[float, float]] = []
    if countries and anchors:
        for layer in (land, zones):
            if layer is None:
                continue
            for country in countries:
                near = _nearest_of_country(layer, country, anchors)
                if near is not None:
                    extra.append(near)
    if extra:
        pts = np.vstack([pts, np.asarray(extra)])
    centre = content.focus.lon_deg if content.focus is not None else float(pts[0, 0])
    lon = _unwrap_around(pts[:, 0], centre)
    lat = pts[:, 1]
    w, e = float(lon.min()), float(lon.max())
    s, n = float(lat.min()), float(lat.max())
    dx = max(e - w, FRAME_MIN_SPAN_DEG)
    dy = max(n - s, FRAME_MIN_SPAN_DEG)
    cx, cy = 0.5 * (w + e), 0.5 * (s + n)
    half_x, half_y = 0.5 * dx * (1 + 2 * FRAME_PAD), 0.5 * dy * (1 + 2 * FRAME_PAD)
    west, east = cx - half_x, cx + half_x
    south, north = max(-90.0, cy - half_y), min(90.0, cy + half_y)
    if east - west >= 360.0:
        return MapExtent(LonLatBbox(-180.0, south, 180.0, north))

    def wrap(x: float) -> float:
        return ((x + 180.0) % 360.0) - 180.0 if not -180.0 <= x <= 180.0 else x

    return MapExtent(LonLatBbox(wrap(west), south, wrap(east), north))


def _nearest_of_country(
    layer: Zones, country: str, anchors: Sequence[LonLat]
) -> tuple[float, float] | None:
    """The point of ``country``'s land or zones nearest to any anchor, if close enough."""
    import shapely

    from geo.core.verdicts import boundary_distance

    key = country.casefold()
    idx = [
        i
        for i, z in enumerate(layer.zones)
        if any(str(n).casefold() == key for n in (*z.sovereigns, *z.territories))
    ]
    if not idx:
        return None
    best: tuple[float, tuple[float, float]] | None = None
    for a in anchors:
        # candidate parts: those whose bounding box is within ~15° of the anchor
        for i in idx:
            geom = layer.geoms[i]
            if geom.contains(Point(a.lon_deg, a.lat_deg)):
                return (a.lon_deg, a.lat_deg)
            window = shapely.box(a.lon_deg - 15, a.lat_deg - 15, a.lon_deg + 15, a.lat_deg + 15)
            part = geom.intersection(window)
            if part.is_empty:
                continue
            d, p = boundary_distance(a, part)
            if best is None or d < best[0]:
                best = (d, (p.lon_deg, p.lat_deg))
    if best is None or best[0] / 1000.0 > NEAREST_COAST_LIMIT_KM:
        return None
    return best[1]


def parse_extent(text: str) -> MapExtent:
    """``--extent`` / scenario ``extent:`` as 'WEST,SOUTH,EAST,NORTH' in degrees (west >
    east crosses 180°)."""
    from geo.core.parse import clean_value, parse_number
    from geo.errors import InputError

    text = clean_value(text, "extent")  # bounded; tabs and line breaks are errors
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    if len(parts) != 4:
        raise InputError(f"extent {text!r}: give WEST,SOUTH,EAST,NORTH in degrees")
    try:
        w, s, e, n = (parse_number(p, "extent value") for p in parts)
    except InputError as exc:
        if "finite" in str(exc):
            raise InputError(f"extent {text!r}: numbers must be finite") from None
        raise InputError(f"extent {text!r}: give four numbers WEST,SOUTH,EAST,NORTH") from None
    if not all(math.isfinite(v) for v in (w, s, e, n)):
        raise InputError(f"extent {text!r}: numbers must be finite")
    if not (-180.0 <= w <= 180.0 and -180.0 <= e <= 180.0):
        raise InputError(f"extent {text!r}: longitudes must be within -180..180")
    if not (-90.0 <= s < n <= 90.0):
        raise InputError(f"extent {text!r}: need -90 <= SOUTH < NORTH <= 90")
    if w == e:
        raise InputError(f"extent {text!r}: WEST and EAST must differ")
    return MapExtent(LonLatBbox(w, s, e, n), given=True)


# ---------------------------------------------------------------------------- one impact


def track_for(launch: LonLat, impact: LonLat, zones: Zones, land: Zones) -> GroundTrack:
    """The ground track from ``launch`` to ``impact`` with its overflight, land crossings
    named after the nearest gazetteer place (for ``check --site --from``)."""
    return name_land_crossings(ground_track(launch, impact, zones, land), _places())


def track_record(track: GroundTrack) -> dict[str, object]:
    """What ``check --json`` adds as ``"track"``: length and overflight in order."""
    d = track.to_dict()
    return {"length_km": d["length_km"], "overflies": d["overflies"], "note": d["note"]}


def track_text(track: dict[str, Any], countries: Sequence[str]) -> list[str]:
    """Text lines of a ``track_record`` (``check`` without --json): its length, every land
    it overflies, the zones of ``countries`` it crosses, and each of ``countries`` whose land
    it misses, e.g. "track overflies Japan's land (near Cape Tappi) from 1,262 to 1,288 km"."""
    where = f" from {track['from']}" if track.get("from") else ""
    length = f"{track['length_km']:,.0f} km"
    out = [f"ground track{where} (geodesic; Earth's rotation ignored): {length}"]
    return out + crossing_lines(track["overflies"], track["length_km"], countries)


def impact_map_content(
    impact: ReportedImpact,
    label: str,
    origin_name: str,
    zones: Zones,
    land: Zones,
    *,
    site: tuple[LonLat, str] | None = None,
    countries: Sequence[str] = (),
    title: str | None = None,
) -> tuple[MapContent, GroundTrack | None]:
    """The map of one reported impact (``impact -o``, ``check -o``): the reference point
    and reported leg, the impact and its uncertainty area and, with a launch ``site``, the
    site and the ground track; zones near it, the countries' zones marked, an info box and
    the framed view."""
    from shapely.ops import unary_union

    from geo.briefing.compose import impact_features, site_feature, zone_features
    from geo.core import verdicts

    feats: list[MapFeature] = []
    track: GroundTrack | None = None
    if site is not None:
        feats.append(site_feature(site[0], site[1]))
        track = track_for(site[0], impact.point, zones, land)
        feats.append(track_feature(track))
    if site is None or impact.origin != site[0]:
        feats += reference_features(
            origin_name, impact.origin, impact, _leg_label(label, origin_name)
        )
    names = tuple(dict.fromkeys(verdicts.country_zones(zones, c).country for c in countries))
    judged = verdicts.impact_verdict(zones, impact, countries=names, land=land) if names else None
    statuses = impact_statuses(judged) if judged is not None else {}
    feats += impact_features(impact, label, origin=origin_name, verdicts=statuses)
    lines: list[InfoLine] = [InfoLine("Reported", label)]
    if site is not None:
        lines.insert(0, InfoLine("Launch", site[1]))
    verdict_text: list[str] = []
    for country in names:
        pv = verdicts.impact_verdict(zones, impact, country=country, land=land)
        v = pv.verdict
        parts: list[str] = []
        if v is not None:
            parts.append(_impact_phrase(v.status, v.p_inside))
        if track is not None:
            parts.append(track_phrase([track], country))
        verdict_text.append(f"{country}: " + "; ".join(parts))
    around = unary_union([f.geometry for f in feats])
    content = MapContent(
        title=title or label,
        features=zone_features(zones, around) + feats,
        focus=site[0] if site is not None else impact.origin,
        dataset=zones.info,
        subjects=names,
        info=InfoBox(title or label, tuple(lines), tuple(verdict_text)),
        notes=[leg_note([impact.leg]), *([TRACK_NOTE] if track is not None else [])],
    )
    mark_subject_zones(content.features, names)
    content.extent = frame_extent(content, names, land, zones)
    return content, track


__all__ = [
    "EventLayers",
    "event_layers",
    "frame_extent",
    "impact_map_content",
    "info_box",
    "leg_note",
    "mark_subject_zones",
    "parse_extent",
    "profile_for",
    "reference_features",
    "reported_leg_line",
    "track_feature",
    "track_for",
    "track_record",
    "verdict_lines",
    "with_tracks",
]
