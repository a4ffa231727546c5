"""Ground track and overflight (geo.core.track) on real launches, against a dense oracle.

The oracle walks the track with ``pyproj.Geod.fwd`` every 20 m from the launch point (along the
initial azimuth of ``Geod.inv``) and asks shapely ``contains_xy`` of the same polygons; an
interval of consecutive inside samples is one crossing. Its edges are within 20 m of the true
edge, so the crossing distances must agree within ORACLE_TOL_KM.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import MultiLineString

from geo.access.gazetteer import default_gazetteer, lookup_place
from geo.access.zones import Zones
from geo.core.impact import reported_impact
from geo.core.parse import Leg
from geo.core.track import (
    Crossing,
    GroundTrack,
    NamedPoint,
    crossing_lines,
    ground_track,
    name_land_crossings,
)
from geo.core.types import LonLat

GEOD = Geod(ellps="WGS84")
ORACLE_STEP_KM = 0.02
ORACLE_TOL_KM = 0.1
"""Entry and exit distances agree with the oracle within 0.1 km (its step is 0.02 km)."""
LENGTH_TOL_KM = 0.001
"""The track's length is Geod.inv's distance within 1 m."""

CASES = {
    # (launch site, reference place, reported km, compass bearing, overflew Japan's land)
    "2017-08-29 Hwasong-12": ("Sunan", "Cape Erimo", 1180.0, 90.0, True),
    "2022-10-04 Hwasong-12": ("Mupyong-ni", "Kamaishi", 3200.0, 90.0, True),
    "2023-02-18 Hwasong-15": ("Sunan", "Oshima-Oshima", 200.0, 270.0, False),
}


def _track(name: str, zones: Zones, land: Zones, leg: Leg = "rhumb") -> GroundTrack:
    """The case's ground track, its impact read along ``leg`` (rhumb: the default)."""
    site, ref, km, bearing, _ = CASES[name]
    impact = reported_impact(lookup_place(ref).lonlat, km * 1000.0, bearing, leg=leg)
    return ground_track(lookup_place(site).lonlat, impact.point, zones, land)


def _named(track: GroundTrack) -> GroundTrack:
    places = [NamedPoint(p.name, p.country, p.lonlat, p.kind) for p in default_gazetteer().places]
    return name_land_crossings(track, places)


def _closest_approach_km(track: GroundTrack, place: LonLat) -> float:
    """The least distance from ``place`` to the track, on Geod.fwd samples every 20 m."""
    lon, lat, _ = _samples(track)
    n = lon.size
    _, _, d = GEOD.inv(np.full(n, place.lon_deg), np.full(n, place.lat_deg), lon, lat)
    return float(np.min(d)) / 1000.0


def _samples(track: GroundTrack) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    az, _, dist = GEOD.inv(
        track.launch.lon_deg, track.launch.lat_deg, track.impact.lon_deg, track.impact.lat_deg
    )
    d = np.arange(0.0, dist, ORACLE_STEP_KM * 1000.0)
    d = np.append(d, dist)
    lon, lat, _ = GEOD.fwd(
        np.full(d.size, track.launch.lon_deg), np.full(d.size, track.launch.lat_deg),
        np.full(d.size, az), d,
    )  # fmt: skip
    return np.asarray(lon), np.asarray(lat), d


def _oracle_intervals(
    samples: tuple[np.ndarray, np.ndarray, np.ndarray], geom: shapely.Geometry
) -> list[tuple[float, float]]:
    lon, lat, d = samples
    w, s, e, n = geom.bounds
    if lon.max() < w or lon.min() > e or lat.max() < s or lat.min() > n:
        return []
    shapely.prepare(geom)
    inside = shapely.contains_xy(geom, lon, lat)
    out: list[tuple[float, float]] = []
    start = None
    for i, flag in enumerate(inside):
        if flag and start is None:
            start = i
        if not flag and start is not None:
            out.append((d[start] / 1000.0, d[i - 1] / 1000.0))
            start = None
    if start is not None:
        out.append((d[start] / 1000.0, d[-1] / 1000.0))
    return out


def _check_against_oracle(track: GroundTrack, zones: Zones, kind: str) -> int:
    """Every zone the oracle finds on the track has the same crossings; returns how many."""
    by_zone: dict[str, list[Crossing]] = {}
    for c in track.overflies:
        if c.kind == kind:
            by_zone.setdefault(c.zone, []).append(c)
    checked = 0
    samples = _samples(track)
    for z, geom in zip(zones.zones, zones.geoms, strict=True):
        if kind == "land" and not z.sovereigns:
            continue
        expected = _oracle_intervals(samples, geom)
        got = by_zone.get(z.name, [])
        # a crossing shorter than the oracle's step may be seen by one side only
        got_long = [c for c in got if c.length_km > 2 * ORACLE_STEP_KM]
        expected_long = [e for e in expected if e[1] - e[0] > 2 * ORACLE_STEP_KM]
        assert len(got_long) == len(expected_long), (z.name, got, expected)
        for c, (lo, hi) in zip(got_long, expected_long, strict=True):
            assert abs(c.enter_km - lo) <= ORACLE_TOL_KM, (z.name, c, lo)
            assert abs(c.exit_km - hi) <= ORACLE_TOL_KM, (z.name, c, hi)
            checked += 1
    return checked


@pytest.mark.parametrize("name", list(CASES))
def test_real_cases_overflight_verdict(name: str, eez_modelled: Zones, land_layer: Zones) -> None:
    track = _track(name, eez_modelled, land_layer)
    overflew = CASES[name][4]
    assert track.overflies_land_of("Japan") is overflew
    assert track.overflies_land_of("japan") is overflew  # case does not matter
    # the launch is on North Korea's land, and the first crossing starts at 0 km
    first = track.overflies[0]
    assert (first.country, first.kind, first.enter_km) == ("North Korea", "land", 0.0)
    # in order along the track; no two crossings of one zone overlap
    enters = [c.enter_km for c in track.overflies]
    assert enters == sorted(enters)
    for c in track.overflies:
        assert 0.0 <= c.enter_km < c.exit_km <= track.length_km + 1e-9
    _, _, dist = GEOD.inv(
        track.launch.lon_deg, track.launch.lat_deg, track.impact.lon_deg, track.impact.lat_deg
    )
    assert abs(track.length_km - dist / 1000.0) <= LENGTH_TOL_KM


@pytest.mark.parametrize("leg", ["rhumb", "geodesic"])
@pytest.mark.parametrize("name", list(CASES))
def test_crossings_agree_with_dense_oracle(
    name: str, leg: Leg, eez_modelled: Zones, land_layer: Zones
) -> None:
    """Under either reading of the report (docs/verdicts.md lists both tracks' crossings)."""
    track = _track(name, eez_modelled, land_layer, leg)
    n_land = _check_against_oracle(track, land_layer, "land")
    n_eez = _check_against_oracle(track, eez_modelled, "eez")
    assert n_land >= 1 and n_eez >= 2  # the oracle saw something to compare
    assert n_land + n_eez == len([c for c in track.overflies if c.length_km > 0.04])


def test_hwasong15_2023_ends_in_japans_zone_without_crossing_land(
    eez_modelled: Zones, land_layer: Zones
) -> None:
    track = _track("2023-02-18 Hwasong-15", eez_modelled, land_layer)
    japan = track.over("Japan")
    assert [c.kind for c in japan] == ["eez"]
    # Japan said inside its EEZ: the track enters the zone and is still in it at the impact
    assert abs(japan[0].exit_km - track.length_km) <= ORACLE_TOL_KM
    lines = crossing_lines([c.to_dict() for c in track.overflies], track.length_km, ["Japan"])
    assert lines[-1] == "track does not overfly Japan's land"


def test_hwasong12_2017_passes_over_oshima_and_by_cape_erimo(
    eez_modelled: Zones, land_layer: Zones
) -> None:
    """Japan's Ministry of Defense: the missile passed over the Oshima Peninsula and Cape
    Erimo and fell about 1,180 km east of Cape Erimo. Read as a rhumb line (due east, on
    Erimo's parallel) the track crosses Hokkaido's land once, at the Oshima Peninsula, and
    passes Cape Erimo 10.7 km off its tip (over the sea: the cape is the island's southern
    point). Read as a geodesic leaving Erimo at 90°, the impact drifts 0.87° south and the
    track crosses Aomori (the Tsugaru Peninsula, Cape Tappi) instead, 67 km from Erimo."""
    erimo = lookup_place("Cape Erimo").lonlat
    rhumb = _named(_track("2017-08-29 Hwasong-12", eez_modelled, land_layer))
    assert abs(rhumb.impact.lat_deg - erimo.lat_deg) < 1e-9  # due east: the same parallel
    land = rhumb.over("Japan", "land")
    assert [c.near for c in land] == ["Oshima Peninsula"]
    assert abs(land[0].enter_km - 1238.7) < 0.1 and abs(land[0].exit_km - 1276.7) < 0.1
    assert _closest_approach_km(rhumb, erimo) < 11.0
    geodesic = _named(_track("2017-08-29 Hwasong-12", eez_modelled, land_layer, "geodesic"))
    assert {c.near for c in geodesic.over("Japan", "land")} == {"Cape Tappi"}
    assert _closest_approach_km(geodesic, erimo) > 60.0  # 66.7 km


def test_hwasong12_2022_depends_on_the_reading(eez_modelled: Zones, land_layer: Zones) -> None:
    """Japan's Ministry of Defense: the missile passed over Aomori Prefecture and fell about
    3,200 km east of *Japan* (Iwate Nippo: of Kamaishi). Both readings of "3,200 km E of
    Kamaishi" overfly Japan's land, but not the same land: the rhumb line (the default)
    keeps the impact on Kamaishi's parallel and the track crosses Hokkaido (entering near
    the Shakotan Peninsula); the geodesic reading puts the impact 5.6° further south and the
    track over Aomori, as the Ministry said. "East of Japan" is no point to read from, so
    this case does not tell the readings apart; it pins what each gives."""
    rhumb = _named(_track("2022-10-04 Hwasong-12", eez_modelled, land_layer))
    land = rhumb.over("Japan", "land")
    assert land[0].near == "Shakotan Peninsula"
    assert abs(land[0].enter_km - 1140.8) < 0.1 and abs(land[0].exit_km - 1488.1) < 0.1
    geodesic = _named(_track("2022-10-04 Hwasong-12", eez_modelled, land_layer, "geodesic"))
    assert {c.near for c in geodesic.over("Japan", "land")} == {"Cape Tappi"}
    assert rhumb.impact.lat_deg - geodesic.impact.lat_deg > 5.5


def test_text_and_json_of_an_overflight(eez_modelled: Zones, land_layer: Zones) -> None:
    track = _track("2017-08-29 Hwasong-12", eez_modelled, land_layer)
    places = [NamedPoint(p.name, p.country, p.lonlat, p.kind) for p in default_gazetteer().places]
    named = name_land_crossings(track, places)
    land = named.over("Japan", "land")
    assert land and all(c.near for c in land)
    # the named place is the closest Japanese place to the crossing's midpoint
    c = land[0]
    mlon, mlat, _ = GEOD.fwd(
        track.launch.lon_deg, track.launch.lat_deg, track.azimuth_deg,
        500.0 * (c.enter_km + c.exit_km),
    )  # fmt: skip
    japanese = [p for p in places if p.country == "Japan"]
    dists = [GEOD.inv(mlon, mlat, p.point.lon_deg, p.point.lat_deg)[2] for p in japanese]
    assert c.near == japanese[int(np.argmin(dists))].name
    text = crossing_lines([c.to_dict() for c in named.overflies], named.length_km, ["Japan"])
    expected = (
        f"track overflies Japan's land (near {c.near}) from {c.enter_km:,.0f} to "
        f"{c.exit_km:,.0f} km"
    )
    assert expected in text
    d = named.to_dict()
    assert d["length_km"] == round(track.length_km, 1)
    entries = d["overflies"]
    assert isinstance(entries, list)
    assert {e["kind"] for e in entries} == {"land", "eez"}
    assert [e["enter_km"] for e in entries] == sorted(e["enter_km"] for e in entries)
    assert any(e["country"] == "Japan" and e["kind"] == "land" for e in entries)


def test_track_across_the_antimeridian(eez_modelled: Zones, land_layer: Zones) -> None:
    # Chukotka to Alaska: crosses 180° and Russia's and the United States' zones
    launch, impact = LonLat(177.5, 64.7), LonLat(-165.4, 64.5)
    track = ground_track(launch, impact, eez_modelled, land_layer)
    assert isinstance(track.line, MultiLineString)
    for part in track.line.geoms:
        xs = np.asarray(part.coords)[:, 0]
        assert xs.min() >= -180.0 and xs.max() <= 180.0
    # the two halves meet at ±180 and their geodesic lengths add up to the track's
    total = sum(GEOD.geometry_length(p) for p in track.line.geoms) / 1000.0
    assert abs(total - track.length_km) <= LENGTH_TOL_KM
    # zones straddling 180° are not cut into two crossings there: the oracle, which walks
    # the track without cutting it, finds the same number of crossings
    assert _check_against_oracle(track, eez_modelled, "eez") >= 2
    assert _check_against_oracle(track, land_layer, "land") >= 2
    assert track.over("Russia", "eez")
    assert track.over("United States of America", "eez")


def test_zero_length_and_bad_step() -> None:
    p = LonLat(125.0, 39.0)
    track = ground_track(p, p)
    assert track.length_km == 0.0 and track.overflies == ()
    with pytest.raises(ValueError):
        ground_track(p, LonLat(126.0, 39.0), step_km=0.0)
    assert math.isfinite(track.azimuth_deg)


def test_crossings_agree_with_the_oracle_on_official_zones(
    eez_v10: Zones, land_layer: Zones
) -> None:
    """The official Marine Regions v10 polygons (overlapping claims and joint regimes
    included): the 2017 track crosses Japan's EEZ, and every crossing agrees with the dense
    oracle within ORACLE_TOL_KM."""
    track = _track("2017-08-29 Hwasong-12", eez_v10, land_layer)
    assert track.over("Japan", "eez")
    assert track.overflies_land_of("Japan")
    assert _check_against_oracle(track, eez_v10, "eez") >= 2
