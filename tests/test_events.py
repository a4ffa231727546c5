"""Event maps: what a briefing of a real launch adds to its map content (ground track,
reference point and leg, subject emphasis, altitude profile, info box, framing) and the
opt-in standard-range ring; the altitude profile against the ballistic model."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
import shapely
from conftest import rhumb_forward
from pyproj import Geod

from geo.access.gazetteer import lookup_place
from geo.access.zones import Zones
from geo.briefing.build import build_briefing
from geo.briefing.events import parse_extent
from geo.briefing.scenario import load_scenario
from geo.core.ballistics import inverse
from geo.core.track import altitude_profile
from geo.errors import InputError, ScenarioError

REPO = Path(__file__).resolve().parents[1]
MAPS = REPO / "maps"
GEOD = Geod(ellps="WGS84")


def _hwasong12_2017_track_km() -> float:
    """Sunan to the impact 1,180 km due east of Cape Erimo (the rhumb reading, by the
    conftest oracle): the track's length by Geod.inv."""
    erimo, sunan = lookup_place("Cape Erimo"), lookup_place("Sunan")
    lon, lat = rhumb_forward(erimo.lon_deg, erimo.lat_deg, 90.0, 1_180_000.0)
    return float(GEOD.inv(sunan.lon_deg, sunan.lat_deg, lon, lat)[2]) / 1000.0


APOGEE_TOL_KM = 1e-6
SLOPE_TOL_DEG = 0.5
"""The profile leaves the ground at the model's flight-path angle, within 0.5° (2001 samples)."""


@pytest.mark.parametrize(("range_km", "apogee_km"), [(2700, 550), (900, 5700), (400, 100)])
def test_altitude_profile_matches_the_ballistic_arc(range_km: float, apogee_km: float) -> None:
    s, h = altitude_profile(range_km, apogee_km, samples=2001)
    s_arr, h_arr = np.asarray(s), np.asarray(h)
    assert s_arr[0] == 0.0 and s_arr[-1] == pytest.approx(range_km, abs=1e-9)
    assert h_arr[0] == 0.0 and h_arr[-1] == 0.0
    assert abs(h_arr.max() - apogee_km) <= APOGEE_TOL_KM
    assert int(np.argmax(h_arr)) == 1000  # the apogee is at half range
    assert np.allclose(h_arr, h_arr[::-1], atol=1e-6)  # symmetric arc
    slope = math.degrees(math.atan((h_arr[1] - h_arr[0]) / (s_arr[1] - s_arr[0])))
    assert abs(slope - inverse(range_km, apogee_km).flight_path_angle_deg) <= SLOPE_TOL_DEG


def test_hwasong12_2017_event_map(eez_modelled: Zones) -> None:
    b = build_briefing(load_scenario(MAPS / "2017-08-29-hwasong-12.yaml"), eez_modelled)
    c = b.content
    (track,) = c.of_kind("track")
    assert track.properties["length_km"] == pytest.approx(_hwasong12_2017_track_km(), abs=0.05)
    assert "rotation ignored" in track.properties["note"]
    land = [o for o in track.properties["overflies"] if o["kind"] == "land"]
    # over the Oshima Peninsula (test_track checks the crossings against a dense oracle)
    assert [o["country"] for o in land] == ["North Korea", "Japan"]
    # the reference point and the reported leg, from Cape Erimo to the impact
    (ref,) = c.of_kind("reference_point")
    erimo = lookup_place("Cape Erimo")
    assert ref.label == "Cape Erimo" and ref.geometry.coords[0] == (erimo.lon_deg, erimo.lat_deg)
    (leg,) = c.of_kind("reported_leg")
    assert leg.label == "1,180 km E" and leg.properties["leg"] == "rhumb"
    assert GEOD.geometry_length(leg.geometry) / 1000.0 == pytest.approx(1180.0, abs=0.5)
    # drawn along the rhumb line: due east, every vertex on Erimo's parallel, at most 10 km
    # apart (a slide's azimuthal projection would bend a straight lon/lat segment)
    xy = np.asarray(leg.geometry.coords)
    assert (xy[:, 1] == erimo.lat_deg).all() and len(xy) >= 119
    # subject emphasis: Japan's zone strong, Russia's muted
    subject = {f.label: f.properties["subject"] for f in c.of_kind("eez")}
    assert subject["Japan (modelled 200 NM zone)"] is True
    assert subject["Russia (modelled 200 NM zone)"] is False
    assert c.subjects == ("Japan",)
    # info box
    assert c.info is not None
    values = {x.label: x.value for x in c.info.lines}
    assert values["Date"] == "2017-08-29"
    assert values["Launch"] == "about 05:58 JST, Sunan"
    assert values["Flight"] == "14 min, apogee 550 km, 2,700 km flown"
    (verdict,) = c.info.verdicts
    # plain words: no "(P 0.00)" on a certain verdict; the land span reads as a sentence
    # (one crossing, the Oshima Peninsula: test_track checks it against a dense oracle)
    # and names where it crossed (regression: the box gave only "1,239–1,277 km")
    assert re.fullmatch(
        r"Japan: impact OUTSIDE its EEZ; ground track crosses its land near Oshima Peninsula, "
        r"1,2[34]\d–1,2[78]\d km from launch",
        verdict,
    ), verdict
    # altitude profile with Japan's spans on the downrange axis
    (profile,) = c.profiles
    assert max(profile.altitude_km) == pytest.approx(550.0, abs=1e-6)
    assert {s.kind for s in profile.spans} == {"land", "eez"}
    assert all(s.country == "Japan" for s in profile.spans)
    # no standard-range ring unless asked for
    assert not [f for f in c.features if "standard_range_km" in f.properties]
    # the view holds launch, impact area, reference point and track
    assert c.extent is not None and not c.extent.given
    w, s, e, n = c.extent.bbox
    for f in c.of_kind("site", "impact_uncertainty", "reference_point", "track"):
        fw, fs, fe, fn = f.geometry.bounds
        assert w <= fw and fe <= e and s <= fs and fn <= n, f.kind
    # report.json carries the track of the impact
    rec = b.report["events"][0]["impacts"][0]["track"]
    assert rec["overflies"][0]["country"] == "North Korea"


def test_standard_range_is_opt_in(tmp_path: Path, eez_modelled: Zones) -> None:
    text = (MAPS / "2023-02-18-hwasong-15.yaml").read_text(encoding="utf-8")
    plain = build_briefing(load_scenario(MAPS / "2023-02-18-hwasong-15.yaml"), eez_modelled)
    assert not [f for f in plain.content.features if "standard_range_km" in f.properties]
    path = tmp_path / "std.yaml"
    path.write_text(text.replace("    flight_time_min: 66\n", "    flight_time_min: 66\n"
                                 "    standard_range: true\n"), encoding="utf-8")  # fmt: skip
    with_std = build_briefing(load_scenario(path), eez_modelled)
    std = [f for f in with_std.content.features if "standard_range_km" in f.properties]
    assert std and std[0].properties["standard_range_km"] > 10_000
    # the Hwasong-15's track stays off Japan's land
    assert "ground track does not cross its land" in with_std.content.info.verdicts[0]  # type: ignore[union-attr]


def test_framing_reaches_the_subjects_nearest_coast(
    tmp_path: Path, eez_modelled: Zones, land_layer: Zones
) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        "title: t\ncountries: [Japan]\nevents:\n  - site: Sariwon\n    ranges: [300km]\n"
        "outputs: [report]\n",
        encoding="utf-8",
    )
    b = build_briefing(load_scenario(path), eez_modelled)
    assert b.content.extent is not None
    w, s, e, n = b.content.extent.bbox
    # brute force: Japan's land vertex nearest to Sariwon (Geod.inv over every vertex)
    japan = next(g for z, g in zip(land_layer.zones, land_layer.geoms, strict=True)
                 if z.name == "Japan")  # fmt: skip
    xy = shapely.get_coordinates(japan)
    site = lookup_place("Sariwon")
    _, _, d = GEOD.inv(np.full(len(xy), site.lon_deg), np.full(len(xy), site.lat_deg),
                       xy[:, 0], xy[:, 1])  # fmt: skip
    lon, lat = xy[int(np.argmin(d))]
    assert w <= lon <= e and s <= lat <= n
    assert e - w < 40  # a regional view, not the globe


def test_scenario_extent_overrides_the_framing(eez_modelled: Zones) -> None:
    sc = load_scenario(MAPS / "2022-08-04-china-taiwan.yaml")
    b = build_briefing(sc, eez_modelled)
    assert b.content.extent is not None and b.content.extent.given
    assert tuple(b.content.extent.bbox) == (115.5, 20.5, 129.0, 28.5)
    names = {f.label for f in b.content.of_kind("reference_point")}
    assert names == {"Yonaguni", "Hateruma"}  # Hateruma: the scenario's places
    assert b.content.of_kind("site")[0].label == "Fujian coast (approx.)"


@pytest.mark.parametrize(
    ("text", "message"),
    [("1,2,3", "WEST,SOUTH,EAST,NORTH"), ("a,b,c,d", "four numbers"),
     ("0,10,5,5", "SOUTH < NORTH"), ("190,0,10,10", "within -180..180"),
     ("5,0,5,10", "must differ")],
)  # fmt: skip
def test_bad_extents(text: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=message):
        parse_extent(text)
    path = tmp_path / "x.yaml"
    path.write_text(
        f"title: t\nextent: '{text}'\nevents:\n  - site: Sariwon\n    ranges: [300km]\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match="line 2, field 'extent'"):
        load_scenario(path)


def test_an_extent_across_180_keeps_west_above_east() -> None:
    ext = parse_extent("170,40,-170,60")
    assert ext.bbox.west_deg > ext.bbox.east_deg and ext.given


def test_build_extent_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from geo.cli import main

    path = tmp_path / "r.yaml"
    path.write_text(
        "title: t\nevents:\n  - site: Sariwon\n    ranges: [300km]\noutputs: [report]\n",
        encoding="utf-8",
    )
    code = main(["build", str(path), "--out", str(tmp_path / "o"), "--extent", "120,30,100,40x"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("rangezone: error: extent '120,30,100,40x'")
    assert (
        main(["build", str(path), "--out", str(tmp_path / "o"), "--extent", "120,30,140,45"]) == 0
    )


def test_impact_writes_a_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from geo.cli import main

    args = ["impact", "--from", "Cape Erimo", "--distance", "1180km", "--bearing", "E"]
    out = tmp_path / "imp.geojson"
    assert main([*args, "--site", "Sunan", "--country", "JP", "-o", str(out)]) == 0
    fc = json.loads(out.read_text(encoding="utf-8"))
    kinds = [f["properties"]["kind"] for f in fc["features"]]
    assert kinds == ["site", "track", "reference_point", "reported_leg", "reported_impact",
                     "impact_uncertainty"]  # fmt: skip
    track = fc["features"][1]["properties"]
    assert any(o["country"] == "Japan" and o["kind"] == "land" for o in track["overflies"])
    png = tmp_path / "imp.png"
    assert main([*args, "-o", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    capsys.readouterr()
    assert main([*args, "--site", "Sunan"]) == 2
    assert "--site applies to maps" in capsys.readouterr().err
    assert main([*args, "--json", "-o", str(tmp_path / "x.html")]) == 2


def test_check_with_a_launch_site_reports_the_track(capsys: pytest.CaptureFixture[str]) -> None:
    """check --site S --from P --distance D --bearing B --country C: JSON "track" with the
    length and every crossing in order; text lines say what the track overflies."""
    import json

    from geo.cli import main

    args = ["check", "--site", "Sunan", "--from", "Cape Erimo", "--distance", "1180km",
            "--bearing", "E", "--country", "JP"]  # fmt: skip
    assert main([*args, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    track = d["track"]
    assert track["from"] == "Sunan"
    assert track["length_km"] == pytest.approx(_hwasong12_2017_track_km(), abs=0.05)
    kinds = {(c["country"], c["kind"]) for c in track["overflies"]}
    assert ("Japan", "land") in kinds and ("Japan", "eez") in kinds
    enters = [c["enter_km"] for c in track["overflies"]]
    assert enters == sorted(enters)
    assert main(args) == 0
    text = capsys.readouterr().out.splitlines()
    first_land = next(c for c in track["overflies"] if c["country"] == "Japan"
                      and c["kind"] == "land")  # fmt: skip
    want = (
        f"track overflies Japan's land (near {first_land['near']}) from "
        f"{first_land['enter_km']:,.0f} to {first_land['exit_km']:,.0f} km"
    )
    assert want in text
    # the Hwasong-15 of 2023 did not overfly Japan
    assert main(["check", "--site", "Pyongyang International Airport", "--from",
                 "Oshima-Oshima", "--distance", "200km", "--bearing", "W", "--country",
                 "Japan"]) == 0  # fmt: skip
    assert "track does not overfly Japan's land" in capsys.readouterr().out
    # without a site there is no track; --at with --from is still two modes
    assert main(["check", "--from", "Cape Erimo", "--distance", "1180km", "--bearing", "E",
                 "--json"]) == 0  # fmt: skip
    assert "track" not in json.loads(capsys.readouterr().out)
    assert main(["check", "--at", "40,130", "--from", "Cape Erimo", "--distance", "1180km",
                 "--bearing", "E"]) == 2  # fmt: skip


def test_slide_draws_the_event(eez_modelled: Zones) -> None:
    """One slide of a real event: the info box's texts, the profile inset, the track's
    arrowhead, the reference point's name and the subject zones in the legend."""
    import matplotlib.pyplot as plt
    from matplotlib.text import Annotation

    from geo.present.image.render import make_figure

    b = build_briefing(load_scenario(MAPS / "2017-08-29-hwasong-12.yaml"), eez_modelled)
    fig = make_figure(b.content, dpi=60, size_in=(13.33, 7.5))
    try:
        ax = fig.axes[0]
        texts = [t.get_text() for t in ax.texts]
        assert any(t.startswith("Japan: impact OUTSIDE its EEZ") for t in texts)
        assert any("Launch: about 05:58 JST, Sunan" in t for t in texts)
        assert "Cape Erimo" in texts and "1,180 km E" in texts
        arrows = [a for a in ax.texts if isinstance(a, Annotation) and a.arrow_patch is not None]
        assert arrows, "the ground track has no arrowhead"
        titles = [a.get_title(loc="left") for a in fig.axes[1:]]
        assert any(t.startswith("Altitude profile (ballistic model)") for t in titles)
        # the profile's texts are legible at slide size, its title inside its panel
        iax = fig.axes[1]
        sizes = [t.get_fontsize() for t in iax.get_xticklabels() + iax.get_yticklabels()]
        assert sizes and min(float(s) for s in sizes) >= 7.5
        r0 = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        title = iax.title if iax.title.get_text() else iax._left_title  # type: ignore[attr-defined]
        assert title.get_window_extent(r0).width <= 3.6 * fig.dpi
        box = ax.get_legend()
        assert box is not None
        legend = [t.get_text() for t in box.get_texts()]
        assert "EEZ (200 NM) (modelled) — Japan" in legend
        assert "EEZ (200 NM) (modelled) — other countries" in legend
        # the info box, the profile and the legend do not overlap
        r = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        boxes = [box.get_window_extent(r)]
        boxes += [a.get_window_extent(r) for a in fig.axes[1:]]
        boxes += [p.get_window_extent(r) for p in ax.patches if p.get_zorder() == 35]
        assert len(boxes) == 3
        for i, a in enumerate(boxes):
            for c in boxes[i + 1 :]:
                assert not a.overlaps(c)
    finally:
        plt.close(fig)


def test_page_carries_the_event(eez_modelled: Zones) -> None:
    """The page's data holds the info box, the profile laid out in its SVG box (the arc
    from the ground at 0 km to the ground at the flown range, the apogee at the top) and each
    track's arrowhead (a head on the track, past its tail); events.js runs before main.js."""
    from geo.present.html_map import render_html
    from geo.present.page_data import read_page_data
    from geo.present.web_assets import PAGE_SCRIPTS
    from geo.present.web_events import PROFILE_BOX

    b = build_briefing(load_scenario(MAPS / "2017-08-29-hwasong-12.yaml"), eez_modelled)
    page = render_html(b.content)
    ev = read_page_data(page)["event"]
    assert ev["info"]["verdicts"][0].startswith("Japan: impact OUTSIDE its EEZ")
    assert ev["info"]["lines"][0] == ["Date", "2017-08-29"]
    prof = ev["profile"]
    width, height, left, right, top, bottom = PROFILE_BOX
    plot_w, plot_h = width - left - right, height - top - bottom
    length = _hwasong12_2017_track_km()
    x_max = max(2700.0, length) * 1.02
    steps = [s for s in re.split(r"[ML]", prof["path"]) if s]
    (x0, y0), (x1, y1) = (map(float, steps[0].split())), (map(float, steps[-1].split()))
    assert (x0, y0) == (left, top + plot_h)  # launch: on the ground, at 0 km
    assert abs(x1 - (left + 2700.0 / x_max * plot_w)) <= 0.1 and y1 == top + plot_h
    assert prof["apogee"][2] == "apogee 550 km"
    assert abs(prof["apogee"][1] - (top + plot_h - plot_h / 1.22)) <= 0.1  # 550 km / (1.22 x)
    assert {s[0] for s in prof["spans"]} == {"land", "eez"}
    (tail, head, colour) = ev["tracks"][0]
    launch = lookup_place("Sunan")
    d_tail = GEOD.inv(launch.lon_deg, launch.lat_deg, *tail)[2] / 1000.0
    d_head = GEOD.inv(launch.lon_deg, launch.lat_deg, *head)[2] / 1000.0
    assert d_tail == pytest.approx(0.90 * length, abs=1.0)
    assert d_head == pytest.approx(0.93 * length, abs=1.0)
    assert colour.startswith("#")
    # the panels keep clear of the whole track, not only its ends (regression: the
    # 2022-10-04 info box hid the track's first 800 km)
    pts = ev["trackPoints"]
    on_track = [p for p in pts if GEOD.inv(launch.lon_deg, launch.lat_deg, *p)[2] > 1000]
    far = [GEOD.inv(launch.lon_deg, launch.lat_deg, *p)[2] / 1000.0 for p in on_track]
    assert len(pts) >= 20 and any(300 < d < 1000 for d in far)
    step = max(np.diff(sorted(far)))
    assert step < length / 10
    assert PAGE_SCRIPTS.index("events.js") < PAGE_SCRIPTS.index("main.js")
    assert "RZ.events" in page


def test_ring_extent_sets_the_slide_view(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ring --extent: the slide is written and fits the given box alone (not the ring);
    GeoJSON refuses it, a bad box is an error."""
    from geo.briefing.events import parse_extent
    from geo.cli import main
    from geo.present.basemap import fit_geometries
    from geo.present.content import MapContent

    content = MapContent("t", extent=parse_extent("120,30,140,45"))
    (view,) = fit_geometries(content)
    assert view.bounds == (120.0, 30.0, 140.0, 45.0)

    png = tmp_path / "r.png"
    args = ["ring", "--site", "Sariwon", "--range", "400km", "--no-eez"]
    assert main([*args, "--extent", "120,30,140,45", "-o", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    capsys.readouterr()
    assert main([*args, "--extent", "120,30,140,45"]) == 2
    assert "--extent does not apply to GeoJSON" in capsys.readouterr().err
    assert main([*args, "--extent", "1,2,3", "-o", str(png)]) == 2


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("inside", "impact INSIDE its EEZ (P 0.97)"),
        ("outside", "impact OUTSIDE its EEZ (P 0.97)"),
        # a certain verdict needs no probability: "OUTSIDE its EEZ (P 0.00)" read as noise
        ("outside@0.0", "impact OUTSIDE its EEZ"),
        ("inside@1.0", "impact INSIDE its EEZ"),
        # Regression: read "impact UNCERTAIN its EEZ" on the 2022-08-04 slide.
        ("uncertain", "impact UNCERTAIN: may be inside its EEZ (P 0.97)"),
        # Regression: the new own-land status came out as "ON_OWN_LAND its EEZ".
        ("on_own_land", "impact ON ITS OWN LAND (P 0.97)"),
    ],
)
def test_info_box_impact_clause_reads_as_a_sentence(status: str, expected: str) -> None:
    from geo.briefing.events import _impact_phrase

    status, _, p = status.partition("@")
    assert _impact_phrase(status, float(p or 0.97)) == expected


def test_taiwan_slide_names_japan_beside_its_islands(eez_modelled: Zones) -> None:
    """2022-08-04: every place on Japan's islands by Yonaguni was taken by other names, and
    the slide did not name Japan at all. The subject is named, near its land."""
    import matplotlib.pyplot as plt

    from geo.present.image.render import make_figure

    b = build_briefing(load_scenario(MAPS / "2022-08-04-china-taiwan.yaml"), eez_modelled)
    fig = make_figure(b.content, dpi=100, size_in=(13.33, 7.5))
    try:
        ax = fig.axes[0]
        named = {t.get_text(): t for t in ax.texts if t.get_gid() == "rz-country-label"}
        assert "JAPAN" in named, sorted(named)
        # near Japan's land in view: within 100 km of one of its islands there
        from geo.present.image.frame import Projector, focus_of

        jx, jy = named["JAPAN"].get_position()
        (lon,), (lat,) = Projector(focus_of(b.content)).lonlat([jx], [jy])
        near = min(
            GEOD.inv(p.lon_deg, p.lat_deg, float(lon), float(lat))[2]
            for p in map(lookup_place, ("Yonaguni", "Hateruma", "Miyako Island"))
        )
        assert near < 100_000  # metres
    finally:
        plt.close(fig)


def test_taiwan_page_can_name_japan_beside_its_islands(eez_modelled: Zones) -> None:
    """The page's country names carry, for a subject country, the pieces of its land in
    view that its name may stand beside when its own places are taken (labels.js, as
    area_names.name_beside on the slide): for 2022-08-04, Japan's islands by Yonaguni."""
    from geo.present.html_map import render_html
    from geo.present.page_data import read_page_data

    b = build_briefing(load_scenario(MAPS / "2022-08-04-china-taiwan.yaml"), eez_modelled)
    labels = read_page_data(render_html(b.content))["basemap"]["labels"]
    japan = next(c for c in labels if c["text"] == "Japan")
    yonaguni = lookup_place("Yonaguni")
    near = [
        GEOD.inv(yonaguni.lon_deg, yonaguni.lat_deg, lon, lat)[2] for lat, lon in japan["beside"]
    ]
    assert japan["beside"] and min(near) < 100_000  # metres: Iriomote, by Yonaguni
    assert all("beside" not in c for c in labels if c["text"] != "Japan")


def test_slide_names_the_country_launched_from(eez_modelled: Zones) -> None:
    """2017-08-29: the info box took North Korea's places and the slide did not say where
    Sunan is; the country of a launch site is named beside it, as a subject is."""
    import matplotlib.pyplot as plt

    from geo.present.image.render import make_figure

    b = build_briefing(load_scenario(MAPS / "2017-08-29-hwasong-12.yaml"), eez_modelled)
    fig = make_figure(b.content, dpi=100, size_in=(13.33, 7.5))
    try:
        ax = fig.axes[0]
        named = {t.get_text(): t for t in ax.texts if t.get_gid() == "rz-country-label"}
        assert "NORTH KOREA" in named, sorted(named)
        (sunan,) = [t for t in ax.texts if t.get_text() == "Sunan"]
        (nx, ny), (sx, sy) = named["NORTH KOREA"].get_position(), sunan.get_position()
        assert math.hypot(nx - sx, ny - sy) < 400_000  # the slide's metres
    finally:
        plt.close(fig)


def test_page_zones_reach_past_a_window_narrowed_by_the_legend(eez_modelled: Zones) -> None:
    """2017-08-29 at 1000 x 700: the legend pushes the content into the left 700 px, the
    map shows more to the north and south than the embedded zones reached, and every zone
    ended in a straight line across the map. Zones are embedded further out than land."""
    from geo.present.html_map import content_view

    b = build_briefing(load_scenario(MAPS / "2017-08-29-hwasong-12.yaml"), eez_modelled)
    view = content_view(b.content)
    data, zones = view.data_extent(), view.zone_extent()
    assert zones.south < data.south and zones.north > data.north
    assert zones.west < data.west and zones.east > data.east
    # what a 1000 x 534 map shows with the content fitted into 700 x 534 of it
    shown = view._shown(700 / 534, 700 / 534, 1000 / 700)
    assert zones.south <= shown.south and zones.north >= shown.north


def test_places_named_without_a_distance_are_drawn(tmp_path: Path, eez_modelled: Zones) -> None:
    """2022-08-04: five missiles fell "south-west of Hateruma", with no distance; the slide
    did not show Hateruma at all. A scenario's `places` are drawn and named, once."""
    from geo.errors import ScenarioError

    sc = load_scenario(MAPS / "2022-08-04-china-taiwan.yaml")
    assert [n for n, _ in sc.places] == ["Hateruma"]
    c = build_briefing(sc, eez_modelled).content
    refs = {f.label: f for f in c.of_kind("reference_point")}
    hateruma = lookup_place("Hateruma")
    assert refs["Hateruma"].geometry.equals(shapely.Point(hateruma.lon_deg, hateruma.lat_deg))
    assert "Yonaguni" in refs and len(c.of_kind("reference_point")) == 2
    # a coordinate with a name, and errors naming the field
    path = tmp_path / "p.yaml"
    base = "title: T\nevents:\n  - name: E\n    site: Sunan\n    ranges: [100km]\n"
    path.write_text(base + 'places: [{name: "Spot A", at: "24.0,123.5"}]\n', encoding="utf-8")
    ((name, pt),) = load_scenario(path).places
    assert (name, pt.lat_deg, pt.lon_deg) == ("Spot A", 24.0, 123.5)
    path.write_text(base + "places: [Atlantisville]\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"field 'places\[0\]'"):
        load_scenario(path)
    path.write_text(base + "places: [" + ", ".join(["Sunan"] * 21) + "]\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="21 places; at most 20"):
        load_scenario(path)


def test_info_box_land_spans_share_the_place_they_are_near() -> None:
    """Regression: the 2022-10-04 box said "near Cape Tappi, 1,172–1,199 km and near Cape
    Tappi, 1,249–1,261 km"; crossings near one place share its name, in track order."""
    from geo.briefing.events import _land_spans_text
    from geo.core.track import Crossing

    tappi = [Crossing("Japan", "land", 1172.0, 1198.5, near="Cape Tappi"),
             Crossing("Japan", "land", 1248.9, 1261.4, near="Cape Tappi")]  # fmt: skip
    assert _land_spans_text(tappi) == "near Cape Tappi, 1,172–1,198 and 1,249–1,261 km"
    mixed = [Crossing("Japan", "land", 10.0, 20.0, near="A"),
             Crossing("Japan", "land", 30.0, 40.0),
             Crossing("Japan", "land", 50.0, 60.0, near="B")]  # fmt: skip
    assert _land_spans_text(mixed) == "near A, 10–20 km and 30–40 km and near B, 50–60 km"


def test_impact_map_info_box_says_what_the_scenario_box_says() -> None:
    """Regression: `impact -o` boxes said "track over its land 1,239–1,277 km" while the
    scenario's said "ground track crosses its land …": one phrase, with the place."""
    from geo.access.zones import load_land, load_zones
    from geo.briefing.events import impact_map_content
    from geo.core.impact import reported_impact
    from geo.core.types import LonLat

    erimo, sunan = lookup_place("Cape Erimo"), lookup_place("Sunan")
    imp = reported_impact(LonLat(erimo.lon_deg, erimo.lat_deg), 1_180_000.0, 90.0)
    site = (LonLat(sunan.lon_deg, sunan.lat_deg), "Sunan")
    zones, land = load_zones(None), load_land()
    content, _ = impact_map_content(
        imp, "1,180 km E of Cape Erimo", "Cape Erimo", zones, land, site=site,
        countries=("Japan",),
    )  # fmt: skip
    assert content.info is not None
    (line,) = content.info.verdicts
    assert re.fullmatch(
        r"Japan: impact OUTSIDE its EEZ; ground track crosses its land near Oshima Peninsula, "
        r"1,2[34]\d–1,2[78]\d km from launch",
        line,
    ), line
