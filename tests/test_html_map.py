"""The self-contained HTML map: offline, escaped, small, and right across 180° and the poles.

The scenario builders here are shared by the image, export and browser tests.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPolygon,
    Point,
    Polygon,
    box,
    shape,
)
from shapely.geometry.base import BaseGeometry

from geo.access.zonepack import DatasetInfo
from geo.core.impact import reported_impact
from geo.core.shapes import annulus, range_area
from geo.core.types import LonLat
from geo.errors import InputError
from geo.present.basemap import Extent, extent_of, outline, to_window
from geo.present.content import LEGAL_DISCLAIMER, MapContent, MapFeature
from geo.present.html_map import render_html, write_html
from geo.present.page_data import read_page_data, unpack_geometry
from geo.present.web_assets import leaflet_assets

SARIWON = LonLat(125.75444, 38.50778)
ANADYR = LonLat(177.5, 64.7)
LONGYEARBYEN = LonLat(15.6, 78.2)
XSS = "<img src=x onerror=alert(1)>"
SCRIPT_BREAK = "</script><script>alert(2)</script>"
DOI = "https://doi.org/10.14284/312"

PAGE_COORD_TOL_DEG = 1e-5
"""The page writes coordinates to 5 decimals: 1e-5° is 1.1 m of latitude (less of longitude),
so a value computed from them is exact to that."""

STAND_IN_ZONES: tuple[tuple[BaseGeometry, dict[str, Any]], ...] = tuple(
    (
        geom,
        {"name": name, "pol_type": pol, "territories": sov, "sovereigns": sov, "mrgid": 1},
    )
    for geom, pol, name, sov in (
        (box(123.5, 33.0, 127.0, 39.8), "200NM", "Stand-in West Sea zone", ["South Korea"]),
        (box(127.2, 30.5, 129.0, 32.5), "Joint regime", "Stand-in joint regime", ["Japan"]),
        (Point(131.87, 37.24).buffer(0.3), "Overlapping claim", "Stand-in claim", ["Japan"]),
    )
)
"""One made-up zone of each type around Korea, for the tests that need zones on the map but
not the real ones (there is no Japan 200NM zone among them)."""


@functools.lru_cache(maxsize=2)
def _official_zones(path: Path) -> tuple[tuple[BaseGeometry, dict[str, Any]], ...]:
    """The official NE Asia test zones (read only), from the ``official_eez_path`` fixture."""
    out: list[tuple[BaseGeometry, dict[str, Any]]] = []
    data = json.loads(path.read_text(encoding="utf-8"))
    for feat in data["features"]:
        p = feat["properties"]
        terr = [p[k] for k in ("trrtry1", "trrtry2", "trrtry3") if p.get(k)]
        sov = [p[k] for k in ("sovrgn1", "sovrgn2", "sovrgn3") if p.get(k)]
        props = {
            "name": p["geoname"],
            "pol_type": p["pol_typ"],
            "territories": terr,
            "sovereigns": sov,
            "mrgid": int(p["mrgid"]),
        }
        out.append((shapely.make_valid(shape(feat["geometry"])), props))
    return tuple(out)


def eez_features(eez: Path | None = None) -> list[MapFeature]:
    """The zones drawn on a test map: the official file's when ``eez`` is its path (take it
    from the ``official_eez_path`` fixture, which skips when the file is absent), else the
    stand-ins."""
    zones = STAND_IN_ZONES if eez is None else _official_zones(eez)
    return [MapFeature(g, "eez", "", dict(p)) for g, p in zones]


def dataset(modelled: bool = False) -> DatasetInfo:
    if modelled:
        return DatasetInfo(
            name="rangezone modelled EEZ",
            version="2026.1",
            citation="rangezone's 200 NM model from Natural Earth coastlines",
            licence="public domain (derived from Natural Earth)",
            modelled=True,
        )
    return DatasetInfo(
        name="Marine Regions World EEZ",
        version="10",
        citation=f"Flanders Marine Institute (2018). Maritime Boundaries Geodatabase v10. {DOI}",
        licence="CC BY 4.0",
    )


def seed_content(
    title: str = "Hwasong-11 from Sariwon: 400 km",
    modelled: bool = False,
    eez: Path | None = None,
) -> MapContent:
    """The seed scenario: a 400 km range from Sariwon, a reported impact, EEZ zones (the
    official ones when ``eez`` is the official file, else the stand-ins)."""
    area = range_area(SARIWON, 400_000)
    impact = reported_impact(SARIWON, 350_000, 75.0)
    feats = [
        *eez_features(eez),
        MapFeature(area.geometry, "range_area", "400 km", {"range_km": 400.0}),
        MapFeature(area.outline, "ring", "400 km", {"range_km": 400.0}),
        MapFeature(
            impact.area.geometry,
            "impact_uncertainty",
            "Reported impact area",
            {"distance_km": 350.0, "bearing_deg": 75.0, "distance_uncertainty": 0.1},
        ),
        MapFeature(
            Point(impact.point),
            "reported_impact",
            "Reported: 350 km E of Sariwon",
            {"distance_km": 350.0},
        ),
        MapFeature(Point(SARIWON), "site", "Sariwon", {"source": "gazetteer", "rank": 1}),
    ]
    return MapContent(
        title=title,
        subtitle="Reach of a short-range ballistic missile and a reported impact",
        date="2026-11-28",
        features=feats,
        focus=SARIWON,
        dataset=dataset(modelled),
        notes=["Site: rangezone gazetteer"],
    )


def ring_content(
    site: LonLat, range_km: float, title: str, *, zones: bool = False, eez: Path | None = None
) -> MapContent:
    """A range ring, with EEZ zones if ``zones`` (official when ``eez`` is given)."""
    area = range_area(site, range_km * 1000.0)
    feats = [*(eez_features(eez) if zones else [])]
    feats += [
        MapFeature(area.geometry, "range_area", f"{range_km:,.0f} km", {"range_km": range_km}),
        MapFeature(area.outline, "ring", f"{range_km:,.0f} km", {"range_km": range_km}),
        MapFeature(Point(site), "site", "Site", {}),
    ]
    return MapContent(title=title, features=feats, focus=site, dataset=dataset(True))


def wide_content(eez: Path | None = None) -> MapContent:
    """A ring across the antimeridian (Anadyr, 1,500 km) with an annulus impact area."""
    content = ring_content(ANADYR, 1500.0, "Across the antimeridian", zones=True, eez=eez)
    ann = annulus(ANADYR, 800_000, 1_000_000)
    content.features.append(MapFeature(ann.geometry, "impact_area", "800-1,000 km", {}))
    return content


JAPAN_EEZ_END = LonLat(130.45, 33.95)
"""Where the seed's nearest-approach line meets Japan's EEZ (about: the test needs a line
that leaves the 400 km ring, not the exact point)."""


def nearest_content(modelled: bool = False, eez: Path | None = None) -> MapContent:
    """The seed scenario as a briefing draws it: with the line to Japan's EEZ."""
    from geo.briefing.compose import nearest_line_feature
    from geo.core.geodesy import distance_m

    content = seed_content(modelled=modelled, eez=eez)
    km = distance_m(SARIWON, JAPAN_EEZ_END) / 1000.0
    content.features.append(nearest_line_feature(SARIWON, JAPAN_EEZ_END, "Japan", km))
    return content


def claim_content() -> MapContent:
    """The seed scenario with a large overlapping claim and a joint regime in view, and a
    zone whose territory name is hostile."""
    content = seed_content()
    content.features[:0] = [
        MapFeature(
            box(130.2, 36.6, 132.6, 38.4),
            "eez",
            "",
            {
                "name": "Overlapping claim test area",
                "pol_type": "Overlapping claim",
                "territories": ["Test Rocks"],
                "sovereigns": ["Japan", "South Korea"],
            },
        ),
        MapFeature(
            box(122.2, 39.6, 123.6, 41.2),
            "eez",
            "",
            {"name": "Joint test", "pol_type": "Joint regime", "sovereigns": ["A", "B"]},
        ),
        MapFeature(
            box(128.2, 40.4, 130.2, 41.6),
            "eez",
            "",
            {"name": "Hostile", "pol_type": "200NM", "territories": [XSS], "sovereigns": [XSS]},
        ),
    ]
    return content


def zone_labels(page_data: dict[str, Any]) -> dict[str, list[list[float]]]:
    """Zone label text -> its candidate places, from a page's data."""
    items = layer(page_data, "eez")["items"]
    return {it["zoneLabel"]["text"]: it["zoneLabel"]["places"] for it in items if "zoneLabel" in it}


def payload(page: str) -> dict[str, Any]:
    return read_page_data(page)


def layer(page_data: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(lay for lay in page_data["layers"] if lay["kind"] == kind)


def to_shape(g: dict[str, Any]) -> Any:
    return unpack_geometry(g)


def outline_of(item: dict[str, Any]) -> Any:
    """The drawn outline of a polygon item: the runs of its rings that the page strokes."""
    rings = [r for p in to_shape(item["geometry"]).geoms for r in [p.exterior, *p.interiors]]
    lines = []
    for ring, runs in zip(rings, item["outlineRuns"], strict=True):
        xy = shapely.get_coordinates(ring)
        lines += [LineString(xy[a : b + 1]) for a, b in zip(runs[::2], runs[1::2], strict=True)]
    return MultiLineString(lines)


@pytest.fixture(scope="module")
def seed_page(map_zones: Path | None) -> str:
    return render_html(seed_content(eez=map_zones))


# --- offline -------------------------------------------------------------------------

RESOURCE_PATTERNS = [
    r"<script\b[^>]*\bsrc\s*=",
    r"<link\b",
    r"<img\b",
    r"<iframe\b",
    r"<(?:video|audio|source|embed|object)\b",
    r"@import",
    r"\bsrcset\s*=",
]


URL = r"https?://[^\s\"'<>)\\]+"
LEAFLET_URLS = {
    "http://www.w3.org/2000/svg",
    "https://leafletjs.com",
    "https://bugzilla.mozilla.org/show_bug.cgi?id=888319",
    "https://bugs.chromium.org/p/chromium/issues/detail?id=600120",
}


def test_page_references_no_network_resource(seed_page: str) -> None:
    for pattern in RESOURCE_PATTERNS:
        assert not re.search(pattern, seed_page, re.I), pattern
    for target in re.findall(r"url\(\s*['\"]?([^'\")]*)", seed_page):
        assert target.startswith(("data:", "#")), target
    # Every absolute URL left is text. Leaflet's own files name their home page and two
    # browser bugs (a credit string and CSS comments); the page adds only the SVG namespace
    # and the dataset citation shown in the attribution.
    js, css = leaflet_assets(markers=False)
    in_leaflet = set(re.findall(URL, js + css))
    assert in_leaflet <= LEAFLET_URLS, in_leaflet
    ours = set(re.findall(URL, seed_page.replace(js, "").replace(css, "")))
    assert ours <= {"http://www.w3.org/2000/svg", DOI}, ours
    assert "Content-Security-Policy" in seed_page
    assert "default-src 'none'" in seed_page
    assert "sourceMappingURL" not in seed_page
    assert "leaflet-src" not in seed_page


def test_policy_runs_only_the_pages_own_scripts_and_styles(seed_page: str) -> None:
    """No 'unsafe-inline': the CSP names each inline script and style by its SHA-256, so a
    script that got into the page some other way would not run."""
    import base64
    import hashlib

    [csp] = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', seed_page)
    assert "unsafe" not in csp
    policy = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    for kind in ("script", "style"):
        texts = re.findall(rf"<{kind}>(.*?)</{kind}>", seed_page, re.S)
        digests = {
            "'sha256-" + base64.b64encode(hashlib.sha256(t.encode()).digest()).decode() + "'"
            for t in texts
        }
        assert texts and set(policy[f"{kind}-src"].split()) == digests, kind


def test_seed_page_fits_the_budget(official_eez_path: Path) -> None:
    """The budget is for the seed with the real zones (docs/maps.md): stand-ins prove nothing."""
    page = render_html(seed_content(eez=official_eez_path))
    size = len(page.encode("utf-8"))
    assert size <= 2_000_000, size


def test_shipped_seed_briefing_page_is_under_250_kb() -> None:
    """The page ``make demo`` writes (maps/2024-11-05-sariwon.yaml, the shipped modelled
    zones): 456,286 bytes before the data was packed and the land sent once (issue 10)."""
    from geo.briefing.build import build_briefing
    from geo.briefing.scenario import load_scenario

    seed = Path(__file__).resolve().parent.parent / "maps" / "2024-11-05-sariwon.yaml"
    page = render_html(build_briefing(load_scenario(seed)).content)
    assert len(page.encode("utf-8")) <= 250_000


def test_leaflet_is_inlined(seed_page: str) -> None:
    assert 't.version="1.9.4"' in seed_page
    assert ".leaflet-container" in seed_page
    assert "url(data:image/png;base64," in seed_page
    # Leaflet's copyright notice (BSD 2-Clause) stays with its code
    assert "Leaflet 1.9.4, a JS library for interactive maps" in seed_page
    assert "(c) 2010-2023 Vladimir Agafonkin, (c) 2010-2011 CloudMade" in seed_page


def test_missing_leaflet_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.errors import RangezoneError
    from geo.present import web_assets

    monkeypatch.setattr(web_assets, "find_spec", lambda name: None)
    with pytest.raises(RangezoneError, match=r"django-js-lib-leaflet is not installed"):
        web_assets.leaflet_dir()


# --- escaping ------------------------------------------------------------------------


def test_user_strings_are_escaped() -> None:
    content = seed_content(title=XSS)
    content.subtitle = SCRIPT_BREAK
    content.date = "<b>today</b>"
    content.notes.append(f"note {XSS}")
    content.features[-1].label = SCRIPT_BREAK
    content.features[-1].properties["evil"] = XSS
    content.features.append(MapFeature(Point(126.0, 38.0), f"odd<kind>{XSS}", XSS, {}))
    page = render_html(content)
    assert XSS not in page
    assert "<b>today" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<title>&lt;img src=x onerror=alert(1)&gt;</title>" in page
    # only the page's own three scripts close: nothing in the data ends a script early
    assert page.count("</script>") == 3
    data = payload(page)
    site = layer(data, "site")["items"][0]
    assert site["label"]["texts"][0] == SCRIPT_BREAK
    assert ["evil", XSS] in site["info"]
    odd = next(lay for lay in data["layers"] if lay["kind"].startswith("odd"))
    assert "<" not in odd["name"]  # Leaflet's layer control puts names in as HTML


def test_page_data_cannot_close_its_element() -> None:
    """The data element holds base85 without '<', '>' and '&': nothing in any string can end
    it or start markup."""
    page = render_html(seed_content(title=SCRIPT_BREAK))
    text = page.split('id="rz-data" data-encoding="gzip+base85">', 1)[1].split("</script>")[0]
    assert re.fullmatch(r"[0-9A-Za-z!#$%()*+\-;=?@^_`{|}~.:,]+", text), text[:80]
    assert payload(page)["layers"]


def test_packed_geometry_round_trips_to_its_decimals() -> None:
    """Integer steps reproduce every vertex to half a unit of the last decimal, across
    rings, holes, parts and negative coordinates."""
    from geo.present.page_data import pack_geometry, to_json_value

    donut = Polygon(
        [(-179.123456, -60.5), (179.9, -60.5), (179.9, 10.25), (-179.123456, 10.25)],
        [[(0.1, 0.1), (1.7, 0.1), (1.7, 1.9)]],
    )
    geom = MultiPolygon([donut, box(125.75444, 38.50778, 126.0, 39.0)])
    for decimals in (1, 3, 5):
        packed = pack_geometry(geom, decimals)
        assert packed is not None and packed.kind == "polygons"
        back = unpack_geometry(json.loads(json.dumps(to_json_value(packed))))
        a, b = shapely.get_coordinates(geom), shapely.get_coordinates(back)
        assert a.shape == b.shape
        assert abs(a - b).max() <= 0.5 * 10.0**-decimals + 1e-12


# --- content -------------------------------------------------------------------------


def test_attribution_block_names_the_dataset(seed_page: str) -> None:
    footer = seed_page.split('<footer class="rz-footer">', 1)[1].split("</footer>", 1)[0]
    assert "Marine Regions World EEZ (version 10)" in footer
    assert "Citation: Flanders Marine Institute" in footer
    assert "Licence: CC BY 4.0" in footer
    assert LEGAL_DISCLAIMER in footer
    assert "Natural Earth" in footer


def test_layers_labels_and_legend(seed_page: str) -> None:
    data = payload(seed_page)
    kinds = [lay["kind"] for lay in data["layers"]]
    assert kinds == ["eez", "range_area", "impact_uncertainty", "ring", "reported_impact", "site"]
    ring = layer(data, "ring")["items"][0]
    assert ring["label"]["texts"][0] == "400 km"
    # the label sits on the ring's northern side
    assert ring["label"]["places"][0][0] > SARIWON.lat_deg + 3.0
    eez = layer(data, "eez")["items"]
    assert len(eez) >= 3
    assert all("dashArray" not in it["style"] for it in eez)
    legend = seed_page.split('id="rz-legend"', 1)[1].split("</details>", 1)[0]
    for entry in (
        "EEZ (200 NM)",
        "Joint regime",
        "Overlapping claim",
        "Range: 400 km",
        "Launch site",
        "Reported impact",
    ):
        assert entry in legend
    for control in ("L.Control.Scale.extend", "rz-mouse", "Measure distance", "L.control.layers"):
        assert control in seed_page
    assert "(modelled)" not in legend


def test_modelled_zones_are_dashed_hatched_and_labelled() -> None:
    """Modelled zones are dashed and say so; the hatch marks the subject's zones. With no
    subject country no zone is hatched (the 2022 year map had every zone hatched)."""
    import dataclasses

    from geo.briefing.events import mark_subject_zones

    page = render_html(seed_content(modelled=True))
    data = payload(page)
    for it in layer(data, "eez")["items"]:
        assert it["style"]["dashArray"]
        assert not str(it["style"]["fillColor"]).startswith("url(#rz-hatch-")
        assert it["name"].endswith("(modelled)")
    assert layer(data, "eez")["name"] == "EEZ zones (modelled)"
    assert "EEZ (200 NM) (modelled)" in page
    assert "MODELLED, not official boundaries" in page
    content = seed_content(modelled=True)
    mark_subject_zones(content.features, ["Japan"])
    page = render_html(dataclasses.replace(content, subjects=("Japan",)))
    styles = {it["name"]: it["style"] for it in layer(payload(page), "eez")["items"]}
    hatched = [n for n, st in styles.items() if str(st["fillColor"]).startswith("url(#rz-hatch-")]
    subject = [f for f in content.of_kind("eez") if f.properties.get("subject")]
    assert len(styles) == 3 and len(hatched) == len(subject) == 2, hatched  # not South Korea's
    assert '<pattern id="rz-hatch-0"' in page


def test_view_fits_the_content_not_the_zones(seed_page: str) -> None:
    (south, west), (north, east) = payload(seed_page)["bounds"]
    assert 120.5 < west < 121.5 and 130 < east < 131
    assert 34.5 < south < 35.5 and 41.8 < north < 42.5


def test_view_includes_the_nearest_line_with_a_margin() -> None:
    content = nearest_content()
    line = content.of_kind("nearest")[0].geometry
    (south, west), (north, east) = payload(render_html(content))["bounds"]
    minx, miny, maxx, maxy = line.bounds
    # the line ends ~0.5° beyond the 400 km ring (south 34.9°): the view holds all of it,
    # with at least 60 km (0.54° of latitude) to spare beyond its end
    assert south <= miny - 0.5 and east >= maxx + 0.5
    assert west <= minx and north >= maxy
    # without the line the view stops at the ring
    (south0, _), (_, east0) = payload(render_html(seed_content()))["bounds"]
    assert south0 > miny and east0 < maxx + 0.5


def test_zones_are_labelled_with_their_territory(official_eez_path: Path) -> None:
    page = render_html(nearest_content(eez=official_eez_path))
    data = payload(page)
    labels = zone_labels(data)
    assert "Japan EEZ" in labels, labels.keys()
    assert "South Korea EEZ" in labels and "North Korea EEZ" in labels
    # the places lie in Japan's zone and in the region the page shows, not at the zone's
    # centroid far off-screen
    japan = next(
        to_shape(it["geometry"])
        for it in layer(data, "eez")["items"]
        if it.get("zoneLabel", {}).get("text") == "Japan EEZ"
    )
    (south, west), (north, east) = data["bounds"]
    for lat, lon, s, w, n, e in labels["Japan EEZ"]:
        assert japan.buffer(1e-3).contains(Point(lon, lat))
        assert west - 8 < lon < east + 8 and south - 4 < lat < north + 4
        assert w <= lon <= e and s <= lat <= n
    assert "rz-lbl-zone" in page and "rz-zone-labels" in page


def test_modelled_zone_labels_say_so(official_eez_path: Path) -> None:
    labels = zone_labels(
        payload(render_html(nearest_content(modelled=True, eez=official_eez_path)))
    )
    assert "Japan EEZ\n(modelled)" in labels, labels.keys()


def test_claims_are_labelled_with_their_claimants_and_escaped() -> None:
    page = render_html(claim_content())
    labels = zone_labels(payload(page))
    assert "Overlapping claim:\nJapan / South Korea" in labels, labels.keys()
    assert "Joint regime:\nA / B" in labels
    assert f"{XSS} EEZ" in labels
    assert XSS not in page  # the data is packed: no user string is in the page as text


def test_zone_label_texts() -> None:
    from geo.present.style import zone_label

    content = seed_content()

    def lbl(**p: Any) -> str:
        return zone_label(MapFeature(Point(0, 0), "eez", "", p), content)

    assert lbl(pol_type="200NM", territories=["Japan"], sovereigns=["Japan"]) == "Japan EEZ"
    assert (
        lbl(pol_type="200NM", territories=["Guam"], sovereigns=["United States"])
        == "Guam EEZ (United States)"
    )
    assert lbl(pol_type="200NM", territories=["People's Republic of China", "Macau"]) == "China EEZ"
    assert (
        lbl(pol_type="Overlapping claim", territories=["X"], sovereigns=["Japan", "Russia"])
        == "Overlapping claim: Japan / Russia"
    )
    assert lbl(pol_type="Joint regime", sovereigns=["South Korea", "Japan"]) == (
        "Joint regime: South Korea / Japan"
    )
    assert lbl(pol_type="200NM", territories=["Japan"], modelled=True) == "Japan EEZ (modelled)"


def test_countries_in_view_are_named() -> None:
    data = payload(render_html(nearest_content(modelled=True)))
    names = [c["text"] for c in data["basemap"]["labels"]]
    for country in ("Japan", "North Korea", "South Korea", "China"):
        assert country in names, names
    assert len(names) <= 8
    (_, _), (north, east) = data["bounds"]
    japan = next(c for c in data["basemap"]["labels"] if c["text"] == "Japan")
    # Japan's places lie on the part of Japan near the view, not on Honshu's far end
    assert all(lon < east + 6 and lat < north for lat, lon in japan["places"])


def test_antimeridian_ring_draws_as_one_piece(map_zones: Path | None) -> None:
    data = payload(render_html(wide_content(map_zones)))
    (_, west), (_, east) = data["bounds"]
    assert east - west < 90, "a ring across 180° must not fit the whole world"
    assert west < 180.0 < east
    ring = to_shape(layer(data, "ring")["items"][0]["geometry"])
    assert len(ring.geoms) == 1  # joined across 180°: no gap, no streak
    xs = shapely.get_coordinates(ring)[:, 0]
    assert xs.min() >= west - 1 and xs.max() <= east + 1
    area = to_shape(layer(data, "range_area")["items"][0]["geometry"])
    assert len(area.geoms) == 1
    assert area.contains(Point(ANADYR.lon_deg, ANADYR.lat_deg))
    # the outline is the ring itself: no edge along 180°
    out = outline_of(layer(data, "range_area")["items"][0])
    for line in out.geoms:
        xs = shapely.get_coordinates(line)[:, 0]
        on_180 = abs(xs - 180.0) < 1e-9
        assert not (on_180[:-1] & on_180[1:]).any()
    ann = to_shape(layer(data, "impact_area")["items"][0]["geometry"])
    assert len(ann.geoms) == 1 and len(ann.geoms[0].interiors) == 1  # one annulus with a hole


def test_polar_cap_is_not_inverted() -> None:
    data = payload(render_html(ring_content(LONGYEARBYEN, 2000.0, "Around the pole")))
    area = to_shape(layer(data, "range_area")["items"][0]["geometry"])
    xs = shapely.get_coordinates(area)[:, 0]
    west = xs.min()
    assert xs.max() - west == pytest.approx(360.0, abs=PAGE_COORD_TOL_DEG)
    for lon in (west + 1.0, west + 180.0, west + 359.0):
        assert area.contains(Point(lon, 89.0))  # the pole's surroundings are inside
    assert area.contains(Point(LONGYEARBYEN.lon_deg, LONGYEARBYEN.lat_deg))
    assert not area.contains(Point(LONGYEARBYEN.lon_deg, 55.0))
    assert not area.contains(Point(LONGYEARBYEN.lon_deg + 180.0, 60.0))
    # the fill reaches the pole, the drawn outline does not run along it or the seam
    out = shapely.get_coordinates(outline_of(layer(data, "range_area")["items"][0]))
    assert out[:, 1].max() < 85.0


def test_huge_ring_centres_the_world_on_the_site() -> None:
    data = payload(render_html(ring_content(SARIWON, 15000.0, "15,000 km")))
    (_, west), (_, east) = data["bounds"]
    assert east - west == pytest.approx(360.0, abs=PAGE_COORD_TOL_DEG)
    assert 0.5 * (west + east) == pytest.approx(SARIWON.lon_deg, abs=PAGE_COORD_TOL_DEG)
    area = to_shape(layer(data, "range_area")["items"][0]["geometry"])
    antipode = Point(SARIWON.lon_deg - 180.0, -SARIWON.lat_deg)
    assert not area.contains(antipode)
    assert area.contains(Point(SARIWON.lon_deg, SARIWON.lat_deg))


# --- options -------------------------------------------------------------------------


def test_fills_its_container_by_default(seed_page: str) -> None:
    assert "html,body{height:100%" in seed_page
    assert ".rz-root{display:flex;flex-direction:column;width:100%;height:100%" in seed_page
    assert "@media print" in seed_page and "@page" in seed_page


def test_fixed_size() -> None:
    page = render_html(seed_content(), width="800px", height="600")
    assert ".rz-fixed .rz-root{width:800px;height:600px}" in page
    assert 'class="rz-body rz-fixed"' in page
    with pytest.raises(InputError):
        render_html(seed_content(), width="100px;background:url(https://x)")


def test_online_tiles_are_opt_in() -> None:
    page = render_html(seed_content(), online_tiles="OpenStreetMap.Mapnik")
    tiles = payload(page)["tiles"]
    assert tiles["url"].startswith("https://") and "{z}" in tiles["url"]
    assert "OpenStreetMap" in page.split('<footer class="rz-footer">', 1)[1]
    # The policy still forbids every fetch except images from the tile servers.
    [csp] = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert re.fullmatch(
        r"default-src 'none'; script-src ('sha256-[A-Za-z0-9+/=]+' ?){2}; "
        r"style-src ('sha256-[A-Za-z0-9+/=]+' ?){3}; "
        r"img-src data: https://tile\.openstreetmap\.org; font-src data:",
        csp,
    ), csp
    # A {s} subdomain placeholder becomes the policy's wildcard.
    page = render_html(seed_content(), online_tiles="https://{s}.tiles.example/{z}/{x}/{y}.png")
    assert "img-src data: https://*.tiles.example; " in page
    with pytest.raises(InputError):
        render_html(seed_content(), online_tiles="No.Such.Provider")


def test_tile_names_and_attributions_are_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    import xyzservices

    evil = xyzservices.TileProvider(
        name=f"Evil{XSS}",
        url="https://tiles.example/{z}/{x}/{y}.png",
        attribution=f"(C) {SCRIPT_BREAK} {XSS}",
    )
    monkeypatch.setattr(xyzservices.providers, "query_name", lambda name: evil)
    page = render_html(seed_content(), online_tiles="Evil.Provider")
    assert XSS not in page and SCRIPT_BREAK not in page
    assert page.count("</script>") == 3
    tiles = payload(page)["tiles"]
    # Leaflet's layer control puts the base layer's name into the page as HTML
    assert tiles["name"] == "Evil&lt;img src=x onerror=alert(1)&gt;"
    footer = page.split('<footer class="rz-footer">', 1)[1].split("</footer>", 1)[0]
    assert "Online tiles: (C) &lt;/script&gt;&lt;script&gt;alert(2)" in footer


def test_tile_url_host_is_escaped_and_must_be_a_url() -> None:
    page = render_html(seed_content(), online_tiles="https://a'b&c.example/{z}/{x}/{y}.png")
    tiles = payload(page)["tiles"]
    assert tiles["url"] == "https://a'b&c.example/{z}/{x}/{y}.png"
    assert tiles["name"] == "a&#x27;b&amp;c.example"
    assert "Online tiles: Tiles: a&#x27;b&amp;c.example" in page
    assert "img-src data: https://a&#x27;b&amp;c.example; " in page
    for url in (
        f"https://x{XSS}/{{z}}/{{x}}/{{y}}.png",
        f"https://x.example/{{z}}/{{x}}/{{y}}.png?{SCRIPT_BREAK}",
        'https://x.example/{z}/{x}/{y}.png" onload="alert(1)',
    ):
        with pytest.raises(InputError) as err:
            render_html(seed_content(), online_tiles=url)
        assert str(err.value) == (
            f"tile URL {url!r} is not a plain URL: use only URL characters (percent-encode others)"
        )


def test_write_html_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "out" / "map.html"
    write_html(seed_content(), target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["map.html"]


# --- basemap and extents ---------------------------------------------------------------


def test_extent_across_the_antimeridian() -> None:
    ring = range_area(ANADYR, 1_500_000).outline
    e = extent_of([ring])
    assert e is not None
    assert e.west < 180.0 < e.east and e.width < 90.0
    assert not e.is_global
    assert len(e.boxes()) == 2
    shown = to_window(ring, e.seam)
    assert shown.geom_type == "LineString"


def test_extent_of_a_polar_cap_is_global() -> None:
    e = extent_of([range_area(LONGYEARBYEN, 2_000_000).geometry])
    assert e is not None and e.is_global and e.north == 90.0


def test_outline_drops_cuts_and_pole_edges() -> None:
    cap = range_area(LONGYEARBYEN, 2_000_000).geometry
    line = outline(cap)
    coords = shapely.get_coordinates(line)
    assert coords[:, 1].max() < 89.0
    assert len(line.geoms) == 1
    # a plain square keeps all four sides
    sq = outline(Polygon([(0, 0), (1, 0), (1, 1), (0, 1)]))
    assert sq.length == 4.0  # whole-degree sides: the sums are exact
    clipped = outline(MultiPolygon([box(170, 0, 180, 5), box(-180, 0, -170, 5)]))
    assert clipped.length == 50.0  # 2 x (10 + 10 + 5): the 180° sides dropped


def test_basemap_for_the_seed_region() -> None:
    from geo.present.basemap import basemap

    e = Extent(118.0, 32.0, 134.0, 45.0)
    bm = basemap(e)
    assert not bm.land.is_empty and not bm.coast.is_empty and not bm.borders.is_empty
    names = {c.name for c in bm.labels}
    assert "North Korea" in names and "South Korea" in names
    minx, _, maxx, _ = bm.land.bounds
    assert minx >= 118.0 - 1e-9 and maxx <= 134.0 + 1e-9
    # the border between the Koreas is a border, not a coastline
    assert bm.borders.distance(Point(126.7, 37.95)) < 0.3


def test_outlines_are_runs_of_the_polygons_own_rings() -> None:
    """No outline is sent as a second copy of its vertices: a polygon nothing was cut from
    is stroked whole (one run from its first to its last vertex); a polar cap's run leaves
    out its edges along the seam and the pole."""
    data = payload(render_html(ring_content(SARIWON, 400.0, "400 km")))
    [item] = layer(data, "range_area")["items"]
    [ring] = to_shape(item["geometry"]).geoms
    assert item["outlineRuns"] == [[0, len(ring.exterior.coords) - 1]]
    polar = payload(render_html(ring_content(LONGYEARBYEN, 2000.0, "Around the pole")))
    [cut] = layer(polar, "range_area")["items"]
    line = outline_of(cut)
    cap = to_shape(cut["geometry"])
    assert 0 < line.length < cap.boundary.length - 300.0  # 360° of seam-free pole edge less
    assert shapely.get_coordinates(line)[:, 1].max() < 85.0


def test_land_is_sent_once_with_its_coast_as_runs(seed_page: str) -> None:
    """The basemap's land polygons carry the coast: no separate coastline geometry, and
    the coast runs leave out the detailed region's clip edges."""
    tiers = payload(seed_page)["basemap"]["tiers"]
    assert [t.get("repeat", False) for t in tiers] == [True, False]  # world, then detail
    detail = tiers[1]
    assert set(detail) <= {"land", "coastRuns", "borders", "repeat"}
    coast = outline_of({"geometry": detail["land"], "outlineRuns": detail["coastRuns"]})
    land = to_shape(detail["land"])
    assert 0 < coast.length < land.boundary.length
    minx, miny, maxx, maxy = land.bounds

    # the land's edges along the region's sides are cuts, not coast: the coast has almost
    # none of them (a real coast vertex may round onto a side at the page's decimals)
    def along_sides(line: Any) -> float:
        xy = shapely.get_coordinates(line)
        seg = np.hypot(*np.diff(xy, axis=0).T)
        on = [abs(xy[:, 0] - v) < 1e-9 for v in (minx, maxx)]
        on += [abs(xy[:, 1] - v) < 1e-9 for v in (miny, maxy)]
        return float(sum(seg[o[:-1] & o[1:]].sum() for o in on))

    cut = sum(along_sides(r) for p in land.geoms for r in [p.exterior, *p.interiors])
    assert cut > 10.0  # degrees of land cut at the region's sides
    assert sum(along_sides(line) for line in coast.geoms) < 0.01 * cut
    # the world tier is Natural Earth land outside the detailed region, whole-world wide
    world = to_shape(tiers[0]["land"])
    wx = shapely.get_coordinates(world)[:, 0]
    assert wx.max() - wx.min() > 350.0


def test_page_files_are_package_data() -> None:
    """Every file of the page ships in a non-editable install: pyproject's package-data
    globs for geo.present cover each file in geo/present/web."""
    import fnmatch
    import tomllib

    root = Path(__file__).resolve().parent.parent
    conf = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    globs = conf["tool"]["setuptools"]["package-data"]["geo.present"]
    web = root / "geo" / "present" / "web"
    files = [f"web/{p.name}" for p in web.iterdir() if p.is_file()]
    assert {"web/page.html", "web/page.css", "web/main.js", "web/labels.js"} <= set(files)
    for f in files:
        assert any(fnmatch.fnmatch(f, g) for g in globs), f


def test_range_items_name_their_circle() -> None:
    """The page keeps range circles round from their centre and radii (circles.js), taken
    from the properties briefings give their ranges; features without them have none."""
    content = ring_content(SARIWON, 400.0, "400 km")
    data = payload(render_html(content))
    assert "circle" not in layer(data, "ring")["items"][0]
    for f in content.features:
        f.properties.update(centre_lon=SARIWON.lon_deg, centre_lat=SARIWON.lat_deg)
        if f.kind == "range_area":
            f.properties["min_range_km"] = 0.0
    data = payload(render_html(content))
    for kind in ("ring", "range_area"):
        c = layer(data, kind)["items"][0]["circle"]
        assert c == {"lat": SARIWON.lat_deg, "lon": SARIWON.lon_deg, "radii": [400_000]}
    assert data["smoothFactor"] <= 0.25
