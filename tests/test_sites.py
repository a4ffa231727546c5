"""The user's own gazetteer (``sites add``/``sites remove``), names for coordinates in
scenarios, and the shipped reference points added for Japan's launch statements."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import rhumb_forward
from pyproj import Geod

from geo.access.gazetteer import (
    default_gazetteer,
    lookup_place,
    shipped_gazetteer,
    user_places_path,
)
from geo.briefing.scenario import load_scenario
from geo.cli import main
from geo.errors import InputError, ScenarioError

GEOD = Geod(ellps="WGS84")
POSITION_TOL_KM = 0.001
"""A stored place is where it was given, within 1 m."""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_use_and_remove_a_place(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "sites", "add", "Near Fuzhou", "--at", "25.5,119.8", "--kind", "launch site",
        "--country", "China", "--source", "approximate",
    )  # fmt: skip
    assert code == 0 and "added Near Fuzhou" in err
    assert user_places_path().is_file()
    code, out, _ = run(capsys, "sites", "--json", "fuzhou")
    assert code == 0
    (row,) = json.loads(out)
    assert (row["name"], row["kind"], row["country"], row["user"]) == (
        "Near Fuzhou", "launch site", "China", True,
    )  # fmt: skip
    _, _, d = GEOD.inv(119.8, 25.5, row["lon"], row["lat"])
    assert d / 1000.0 <= POSITION_TOL_KM
    # every command finds it: a reported impact measured from it
    code, out, _ = run(
        capsys, "check", "--from", "near fuzhou", "--distance", "350km", "--bearing", "E", "--json"
    )
    assert code == 0
    got = json.loads(out)
    lon, lat = rhumb_forward(119.8, 25.5, 90.0, 350_000.0)  # due east: a rhumb line
    _, _, miss = GEOD.inv(lon, lat, got["lon"], got["lat"])
    assert miss / 1000.0 <= POSITION_TOL_KM
    # shipped places are listed with it; text marks yours
    code, out, _ = run(capsys, "sites", "fuzhou")
    assert "(your place)" in out
    assert len(default_gazetteer().places) == len(shipped_gazetteer().places) + 1
    code, _, err = run(capsys, "sites", "remove", "NEAR FUZHOU")
    assert code == 0 and "removed Near Fuzhou" in err
    code, _, err = run(capsys, "sites", "fuzhou")
    assert code == 2 and "no place matches" in err


@pytest.mark.parametrize("name", ["Sunan", "sunan", "Pyongyang", "Cape-Erimo", "Hateruma Island"])
def test_shipped_names_and_aliases_cannot_be_taken(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, _, err = run(capsys, "sites", "add", name, "--at", "1,2")
    assert code == 2
    assert "shipped place" in err and "choose another name" in err
    assert not user_places_path().exists()
    assert lookup_place(name).user is False


def test_shipped_places_cannot_be_removed_and_unknown_ones_are_named(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "sites", "remove", "Sunan")
    assert code == 2 and "shipped" in err
    code, _, err = run(capsys, "sites", "remove", "Nowhere")
    assert code == 2 and "'Nowhere' is not one of your places" in err


@pytest.mark.parametrize(
    ("name", "why"),
    [("=HYPERLINK(1)", "may not start"), ("  ", "cannot be empty"), ("25.5, 119.8", "coordinate"),
     ("a;b", "';'"), ("x" * 81, "at most 80")],
)  # fmt: skip
def test_bad_names_are_refused(capsys: pytest.CaptureFixture[str], name: str, why: str) -> None:
    code, _, err = run(capsys, "sites", "add", name, "--at", "1,2")
    assert code == 2 and why in err
    assert err.count("\n") == 1  # one line, no traceback


def test_a_duplicate_user_place_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "sites", "add", "Buoy 7", "--at", "30,130")[0] == 0
    code, _, err = run(capsys, "sites", "add", "buoy 7", "--at", "31,131")
    assert code == 2 and "already one of your places" in err
    assert lookup_place("Buoy 7").lat_deg == 30.0


def test_a_hand_edited_file_that_shadows_a_shipped_name_is_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = user_places_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "name,aliases,country,kind,lat,lon,source\nMy Sunan,Sunan,,place,1,2,\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="shipped place 'Sunan'"):
        lookup_place("Sariwon")
    code, _, err = run(capsys, "ring", "--site", "Sariwon", "--range", "100km")
    assert code == 2 and "takes the name 'Sunan'" in err


SCENARIO = """\
title: Coordinates with names
date: 2022-08-04
countries: [Japan]
events:
  - name: Fujian coast
    site: {name: "Near Fuzhou", at: "25.5,119.8"}
    impacts:
      - from: "24.4667,123.0"
        distance: 80km
        bearing: NNW
      - from: {name: "Buoy", at: "24.0,123.5"}
        distance: 10km
        bearing: N
      - from: My Rock
        distance: 20km
        bearing: S
outputs: [report]
"""


def test_scenario_names_coordinates_and_uses_user_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "sites", "add", "My Rock", "--at", "24.1,123.1")[0] == 0
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    sc = load_scenario(path)
    ev = sc.events[0]
    assert ev.site_name == "Near Fuzhou" and ev.site == (119.8, 25.5)
    first, second, third = ev.impacts
    assert first.origin == (123.0, 24.4667) and first.origin_name == "24.4667, 123.0000"
    assert second.origin_name == "Buoy" and second.origin == (123.5, 24.0)
    assert third.origin_name == "My Rock" and third.origin == (123.1, 24.1)


@pytest.mark.parametrize(
    ("site", "line", "message"),
    [
        ('{name: "X"}', 6, "needs 'at'"),
        ('{name: "X", at: "95,0"}', 6, "events[0].site.at"),
        ('{name: "Sunan", at: "1,2", x: 1}', 6, "unknown field"),
        ("Nowhere Land", 6, "unknown place"),
    ],
)
def test_named_point_errors_name_line_and_field(
    tmp_path: Path, site: str, line: int, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(SCENARIO.replace('{name: "Near Fuzhou", at: "25.5,119.8"}', site), "utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    assert f"line {line}" in str(exc.value) and message in str(exc.value)


REFERENCE_POINTS = {
    # name: (lat, lon) as the cited article gives them, rounded as stored
    "Kamaishi": (39.27581, 141.88569),
    "Hateruma": (24.04028, 123.78778),
    "Yonaguni": (24.45556, 122.98889),
    "Okinotorishima": (20.42250, 136.09000),
    "Minamitorishima": (24.28667, 153.98056),
}


def test_japanese_reference_points_are_shipped_and_lie_on_japans_land(
    land_layer: object,
) -> None:
    from geo.access.zones import Zones

    assert isinstance(land_layer, Zones)
    for name, (lat, lon) in REFERENCE_POINTS.items():
        p = shipped_gazetteer().lookup(name)
        assert (p.kind, p.country) == ("reference point", "Japan")
        assert p.source.startswith("Wikipedia")
        assert (p.lat_deg, p.lon_deg) == (lat, lon)
    # the islands are land of Japan in the land layer (or within 5 km of it: the 1:10m coast)
    for name in ("Hateruma", "Yonaguni", "Okinotorishima", "Minamitorishima"):
        p = shipped_gazetteer().lookup(name)
        idx = land_layer.containing(p.lon_deg, p.lat_deg)
        names = {land_layer.zones[i].name for i in idx}
        if "Japan" not in names:
            from geo.core.verdicts import distance_to_zone

            japan = next(i for i, z in enumerate(land_layer.zones) if z.name == "Japan")
            assert distance_to_zone(p.lonlat, land_layer.geoms[japan]) <= 5_000.0, name
