"""The page's data for event maps (read by ``web/events.js``): the info box, the altitude
profile already laid out as SVG shapes, where each track's arrowhead sits, and the points
the panels keep clear of."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from geo.present.content import AltitudeProfile, MapContent
from geo.present.style import feature_style

ARROW_AT = (0.90, 0.93)
"""The arrowhead's tail and head, as shares of the track's length: clear of the impact's
marker at every zoom."""
PROFILE_BOX = (300, 120, 40, 8, 18, 22)
"""The profile's SVG: width, height and the plot's left, right, top and bottom margins."""
PROFILE_POINTS = 41


def _step(span: float, n: int) -> float:
    raw = span / max(1, n)
    mag = 10.0 ** math.floor(math.log10(raw))
    f = raw / mag
    return (1 if f <= 1 else 2 if f <= 2 else 5 if f <= 5 else 10) * mag


def profile_shapes(p: AltitudeProfile) -> dict[str, Any]:
    """The profile in its SVG box (pixels, y down): the arc's path, the spans' rectangles,
    the ticks with their texts, the apogee's note and the impact's mark."""
    width, height, left, right, top, bottom = PROFILE_BOX
    w, h = width - left - right, height - top - bottom
    x_max = max(p.range_km, p.track_km or 0.0) * 1.02
    y_max = max(p.altitude_km) * 1.22

    def x(km: float) -> float:
        return round(left + km / x_max * w, 1)

    def y(km: float) -> float:
        return round(top + h - km / y_max * h, 1)

    idx = np.unique(np.linspace(0, len(p.downrange_km) - 1, PROFILE_POINTS).round().astype(int))
    path = "".join(
        f"{'L' if k else 'M'}{x(p.downrange_km[i])} {y(p.altitude_km[i])}"
        for k, i in enumerate(idx.tolist())
    )
    spans = []
    for s in p.spans:
        tall = h if s.kind == "eez" else 0.09 * h
        spans.append([s.kind, x(s.start_km), round(top + h - tall, 1),
                      max(0.5, round(x(s.end_km) - x(s.start_km), 1)), round(tall, 1)])  # fmt: skip
    sx, sy = _step(x_max, 5), _step(y_max, 4)
    xt = [[x(v), f"{v:,.0f}"] for v in np.arange(0.0, x_max, sx)]
    yt = [[y(v), f"{v:,.0f}"] for v in np.arange(0.0, y_max, sy)]
    apex = int(np.argmax(p.altitude_km))
    names = sorted({s.country for s in p.spans})
    shaded = f"; shaded: {', '.join(names)}'s EEZ (blue), land (brown)" if names else ""
    return {
        "box": [width, height, left, top, w, h],
        "title": f"Altitude profile (ballistic model){shaded}",
        "path": path,
        "spans": spans,
        "x_ticks": xt,
        "y_ticks": yt,
        "apogee": [
            x(p.downrange_km[apex]),
            y(p.altitude_km[apex]),
            f"apogee {p.apogee_km:,.0f} km",
        ],
        "impact_x": x(p.track_km) if p.track_km is not None else None,
    }


TRACK_POINTS = 24
"""Points along each ground track the panels keep clear of (as well as its ends)."""


def track_points(content: MapContent) -> list[list[float]]:
    """Evenly spaced points along each ground track drawn: a panel must not hide the track."""
    import shapely

    out: list[list[float]] = []
    for f in content.of_kind("track"):
        xy = shapely.get_coordinates(f.geometry)
        if len(xy) == 0:
            continue
        idx = np.unique(np.linspace(0, len(xy) - 1, TRACK_POINTS).round().astype(int))
        out += [[round(float(xy[i, 0]), 4), round(float(xy[i, 1]), 4)] for i in idx]
    return out


def event_payload(content: MapContent) -> dict[str, Any] | None:
    """JSON-ready data, or None for a map without a ground track or reported impact (range
    maps keep their page small: the info box and profile are on their slides and in the
    report)."""
    from geo.core.geodesy import WGS84

    tracks: list[list[Any]] = []
    for f in content.of_kind("track"):
        launch, length = f.properties.get("launch"), f.properties.get("length_km")
        az = f.properties.get("azimuth_deg")
        if not launch or not length or az is None:
            continue
        pts = []
        for share in ARROW_AT:
            lon, lat, _ = WGS84.fwd(launch[0], launch[1], az, share * length * 1000.0)
            pts.append([round(float(lon), 4), round(float(lat), 4)])
        tracks.append([pts[0], pts[1], feature_style(f, content).color])
    info = content.info.to_dict() if content.info is not None else None
    if info is not None:
        info = {"lines": [[x["label"], x["value"]] for x in info["lines"]],
                "verdicts": info["verdicts"]}  # fmt: skip
    if not tracks and not content.of_kind("reported_impact"):
        return None  # panels and their script only on event maps (a track or an impact)
    profile = profile_shapes(content.profiles[0]) if content.profiles else None
    points = [
        [round(float(c.x), 4), round(float(c.y), 4)]
        for f in content.of_kind("site", "reported_impact", "reference_point")
        for c in [f.geometry.centroid]
        if not f.geometry.is_empty
    ]
    return {
        "points": points,
        "trackPoints": track_points(content),
        "info": info,
        "profile": profile,
        "tracks": tracks,
    }
