"""Event-map polish on the pure style/layout level: reported impacts coloured by their
verdict for the subject country, with legend entries; names drawn once."""

from __future__ import annotations

from shapely.geometry import LineString, Point

from geo.briefing.events import profile_for
from geo.core.track import GroundTrack
from geo.present.area_names import legend_entries
from geo.present.content import MapContent, MapFeature
from geo.present.style import IMPACT_VERDICT_FILLS, KIND_STYLES, feature_style


def _impact(lon: float, verdicts: dict[str, str] | None) -> MapFeature:
    props: dict[str, object] = {"lon": lon, "lat": 40.0}
    if verdicts is not None:
        props["verdicts"] = verdicts
    return MapFeature(Point(lon, 40.0), "reported_impact", f"impact {lon}", props)


def test_impacts_coloured_by_verdict_with_one_legend_entry_each() -> None:
    feats = [
        _impact(135.0, {"Japan": "inside"}),
        _impact(136.0, {"Japan": "inside"}),
        _impact(137.0, {"Japan": "outside"}),
        _impact(138.0, {"Japan": "uncertain"}),
        _impact(139.0, {"Japan": "on_own_land"}),
    ]
    content = MapContent(title="t", features=feats, subjects=("Japan",))
    fills = [feature_style(f, content).fill for f in feats]
    assert fills == [
        IMPACT_VERDICT_FILLS["inside"],
        IMPACT_VERDICT_FILLS["inside"],
        IMPACT_VERDICT_FILLS["outside"],
        IMPACT_VERDICT_FILLS["uncertain"],
        IMPACT_VERDICT_FILLS["on_own_land"],
    ]
    assert len(set(IMPACT_VERDICT_FILLS.values())) == 4
    titles = [e.title for e in legend_entries(content) if e.kind == "reported_impact"]
    assert titles == [
        "Reported impact: inside Japan's EEZ",
        "Reported impact: outside Japan's EEZ",
        "Reported impact: uncertain for Japan's EEZ",
        "Reported impact: on Japan's land",
    ]


def test_gravest_verdict_of_several_subjects_is_shown() -> None:
    f = _impact(135.0, {"Japan": "outside", "Philippines": "inside"})
    content = MapContent(title="t", features=[f], subjects=("Japan", "Philippines"))
    style = feature_style(f, content)
    assert style.fill == IMPACT_VERDICT_FILLS["inside"]
    assert style.title == "Reported impact: inside Philippines' EEZ"


def test_impact_without_verdict_keeps_the_plain_marker() -> None:
    f = _impact(135.0, None)
    content = MapContent(title="t", features=[f])
    assert feature_style(f, content) == KIND_STYLES["reported_impact"]


def _plane() -> object:
    from geo.present.layout import Plane

    return Plane(shown=lambda g: g, inside=lambda x, y, m: True, scale=40.0)


def test_site_shared_by_two_events_and_repeated_track_names_are_named_once() -> None:
    from geo.present.layout import Plane, label_specs

    site = "Fujian coast (approx.)"
    feats = [
        MapFeature(Point(119.8, 25.5), "site", site, {"event": "a"}),
        MapFeature(Point(119.8, 25.5), "site", site, {"event": "b"}),
        MapFeature(Point(121.0, 24.0), "site", "Other site", {}),
        MapFeature(LineString([(119.8, 25.5), (122.0, 23.0)]), "track", "Track, 350 km", {}),
        MapFeature(LineString([(119.8, 25.5), (122.1, 23.1)]), "track", "Track, 350 km", {}),
        MapFeature(LineString([(119.8, 25.5), (124.0, 25.0)]), "track", "Track, 420 km", {}),
    ]
    content = MapContent(title="t", features=feats)
    plane = _plane()
    assert isinstance(plane, Plane)
    specs = label_specs(content, plane)
    sites = sorted(s.texts[0] for s in specs if s.kind == "site")
    assert sites == ["Fujian coast (approx.)", "Other site"]
    tracks = sorted(s.texts[0] for s in specs if s.kind == "line")
    assert tracks == ["Track, 350 km", "Track, 420 km"]


def _track(length_km: float) -> GroundTrack:
    from geo.core.types import LonLat

    return GroundTrack(
        LonLat(125.67, 39.22), LonLat(137.6, 41.5), length_km, 75.0, LineString([(0, 0), (1, 1)])
    )


def test_profile_lands_where_the_track_ends() -> None:
    """2023-02-18 Hwasong-15: reported flight about 900 km, the track to the reported impact
    991 km: the arc is drawn along the track, its apogee unchanged."""
    prof = profile_for("Hwasong-15", 900.0, 5700.0, _track(991.0), ["Japan"])
    assert abs(prof.downrange_km[-1] - 991.0) < 1e-6  # km
    assert abs(max(prof.altitude_km) - 5700.0) < 5.0  # km, the sampled arc's top
    assert prof.range_km == 900.0 and prof.track_km == 991.0
    assert "flown ~900 km, reported" in prof.note


def test_profile_close_to_its_track_keeps_the_reported_range() -> None:
    prof = profile_for("x", 900.0, 5700.0, _track(905.0), ["Japan"])
    assert abs(prof.downrange_km[-1] - 900.0) < 1e-6  # km
    assert "scaled" not in prof.note


def test_track_name_goes_over_sea_not_over_the_land_it_overflies() -> None:
    """2022-10-04 Hwasong-12: 4,509 km, over Japan's land 1,172-1,261 km: the name's
    preferred places (fractions of the track) skip 0.2-0.34 of it."""
    from geo.present.layout import LINE_LABEL_AT, track_label_at

    props = {
        "length_km": 4509.0,
        "overflies": [
            {"country": "Japan", "kind": "eez", "enter_km": 800.0, "exit_km": 1900.0},
            {"country": "Japan", "kind": "land", "enter_km": 1172.0, "exit_km": 1261.0},
        ],
    }
    at = track_label_at(props)
    assert sorted(at) == sorted(LINE_LABEL_AT)
    land = [t for t in at if 0.26 - 0.06 <= t <= 0.28 + 0.06]
    assert land and at[-len(land) :] == land
    assert at[0] == 0.5
    # over land the whole way: the usual order
    assert track_label_at({"length_km": 100.0, "overflies": []}) == list(LINE_LABEL_AT)
    assert track_label_at({}) == list(LINE_LABEL_AT)


def test_subject_country_is_named_first_even_when_small() -> None:
    """2022-08-04: Japan's Sakishima islands cover 0.05 % of the view, below the share that
    names other countries; Japan, the subject, is still a candidate, and first."""
    from shapely.geometry import Polygon

    from geo.present.area_names import AreaName, country_names_first, is_subject_country

    names = ["People's Republic of China", "Japan", "Taiwan", "Philippines"]
    sq = Polygon([(0, 0), (1, 0), (1, 1)])
    ranked = [
        AreaName(0, 0.26, sq, [(0.0, 0.0)]),
        AreaName(2, 0.013, sq, [(0.0, 0.0)]),
        AreaName(1, 0.0005, sq, [(0.0, 0.0)]),
        AreaName(3, 0.0004, sq, [(0.0, 0.0)]),
    ]
    out = country_names_first(ranked, names, ("Japan",), 0.002)
    assert [names[a.key] for a in out] == ["Japan", "People's Republic of China", "Taiwan"]
    assert [names[a.key] for a in country_names_first(ranked, names, (), 0.002)] == [
        "People's Republic of China",
        "Taiwan",
    ]
    assert is_subject_country("United States of America", ("United States of America",))
    assert not is_subject_country("Japan", ("China",))


def test_reported_leg_names_are_attached_to_their_leg() -> None:
    from geo.present.layout import Plane, label_specs

    leg = MapFeature(LineString([(123.0, 24.5), (122.9, 25.2)]), "reported_leg", "80 km NNW", {})
    track = MapFeature(LineString([(119.8, 25.5), (122.9, 25.2)]), "track", "Ground track", {})
    content = MapContent("t", features=[leg, track])
    plane = Plane(lambda g: g, lambda x, y, m: True, 10.0)
    kinds = {s.texts[0]: s.attached for s in label_specs(content, plane)}
    assert kinds["80 km NNW"] is True
    assert kinds.get("Ground track", False) is False
