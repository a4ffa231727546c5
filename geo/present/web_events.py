"""The page's data for event maps (read by ``web/events.js``): the info box, the altitude
profiles and, per ground track, where its arrowhead sits."""

from __future__ import annotations

from typing import Any

from geo.present.content import MapContent
from geo.present.style import feature_style

ARROW_AT = (0.90, 0.93)
"""The arrowhead's tail and head, as shares of the track's length: clear of the impact's
marker at every zoom."""


def event_payload(content: MapContent) -> dict[str, Any]:
    """JSON-ready data: ``info`` (or None), ``profiles``, ``tracks`` (head, tail, colour)
    and ``points`` (sites, impacts, reference points: the panels keep clear of them)."""
    from geo.core.geodesy import WGS84

    tracks: list[dict[str, Any]] = []
    for f in content.of_kind("track"):
        launch, length = f.properties.get("launch"), f.properties.get("length_km")
        az = f.properties.get("azimuth_deg")
        if not launch or not length or az is None:
            continue
        pts = []
        for share in ARROW_AT:
            lon, lat, _ = WGS84.fwd(launch[0], launch[1], az, share * length * 1000.0)
            pts.append([round(float(lon), 5), round(float(lat), 5)])
        tracks.append({"tail": pts[0], "head": pts[1], "color": feature_style(f, content).color})
    points = [
        [round(float(p.x), 5), round(float(p.y), 5)]
        for f in content.of_kind("site", "reported_impact", "reference_point")
        for p in [f.geometry.centroid]
        if not f.geometry.is_empty
    ]
    return {
        "points": points,
        "info": content.info.to_dict() if content.info is not None else None,
        "profiles": [p.to_dict() for p in content.profiles],
        "tracks": tracks,
    }
