"""The folium map: the offline page's layers, styles, labels and popups as folium objects;
``offline=True`` opens in headless Chromium with every host unresolvable."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import folium
import numpy as np
import pytest
import shapely
from folium import plugins
from PIL import Image

import geo
from geo.access.zones import load_zones
from geo.briefing.compose import (
    RangeRequest,
    impact_features,
    range_features,
    site_feature,
    zone_features,
)
from geo.core.impact import reported_impact
from geo.core.types import LonLat
from geo.present.content import MapContent
from geo.present.folium_map import to_folium
from geo.present.html_map import content_view
from geo.present.style import SEA_COLOR, feature_style, kind_title

SARIWON = LonLat(125.75444, 38.50778)
HOSTILE = "<img src=x onerror=alert(1)>`${alert(2)}`\\"


def content(
    title: str = "Sariwon: 400 km", label: str = "Sariwon", range_km: float = 400.0
) -> MapContent:
    impact = reported_impact(SARIWON, range_km * 875.0, 75.0, distance_uncertainty=0.1)
    feats = [
        site_feature(SARIWON, label),
        *range_features(SARIWON, label, [RangeRequest(range_km * 1000.0)]),
        *impact_features(impact, f"Reported: {range_km * 0.875:,.0f} km E"),
    ]
    around = shapely.union_all([f.geometry for f in feats])
    zones = load_zones()
    return MapContent(
        title=title,
        subtitle="Reach of a short-range missile",
        date="2026-12-06",
        features=zone_features(zones, around) + feats,
        focus=SARIWON,
        dataset=zones.info,
        notes=["Site: rangezone gazetteer"],
    )


def _groups(m: folium.Map) -> dict[str, folium.FeatureGroup]:
    return {
        g.layer_name: g
        for g in m._children.values()
        if isinstance(g, folium.FeatureGroup) and g.control
    }


def test_folium_map_has_the_layers_styles_and_controls_of_the_page() -> None:
    c = content()
    m = geo.to_folium(c)
    assert isinstance(m, folium.Map)
    groups = _groups(m)
    region = content_view(c).data_extent().boxes()
    for kind in {f.kind for f in c.features}:
        name = kind_title(kind) + (" (modelled)" if kind == "eez" else "")
        geojsons = [ch for ch in groups[name]._children.values() if isinstance(ch, folium.GeoJson)]
        # every feature, and every zone reaching into the map's region (as the page)
        feats = [f for f in c.of_kind(kind) if any(f.geometry.intersects(b) for b in region)]
        assert len(geojsons) == len(feats) >= 1, kind
        # each feature drawn with the page's style
        for f, gj in zip(feats, geojsons, strict=True):
            style = feature_style(f, c)
            drawn = gj.style_function({})
            assert drawn["color"] == style.color and drawn["weight"] == style.weight
            if style.dash:
                assert drawn["dashArray"] == " ".join(f"{d:g}" for d in style.dash)
            if kind == "eez":  # hatched (a subject's zone) with the page's pattern, or not
                hatched = drawn["fillColor"].startswith("url(#rz-fl-hatch-")
                assert hatched == style.hatch
    kinds = {type(ch) for ch in m._children.values()}
    assert {folium.LayerControl, plugins.MeasureControl, plugins.MousePosition} <= kinds
    page = m.get_root().render()
    # names as labels, the legend and the attribution lines
    for text in ("Sariwon", "400 km", "Reported: 350 km E", "Legend", "Range: 400 km"):
        assert f">{text}<" in page, text
    assert "MODELLED, not official boundaries" in page
    assert "no legal value" in page
    assert "cdn.jsdelivr.net/npm/leaflet@" in page  # the online page: folium's CDN files


def test_user_text_is_inert_in_tooltips_popups_labels_and_title(tmp_path: Path) -> None:
    m = to_folium(content(title=HOSTILE, label=HOSTILE), offline=True)
    page = m.get_root().render()
    assert "<img src=x" not in page
    assert "${alert" not in page and "`${" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;&#96;&#36;{alert(2)}&#96;&#92;" in page


def test_offline_map_is_self_contained_and_extensible(tmp_path: Path) -> None:
    m = geo.to_folium(content(), offline=True)
    folium.GeoJson(
        shapely.geometry.mapping(shapely.box(128.0, 36.0, 129.0, 37.0)), name="my layer"
    ).add_to(m)
    out = tmp_path / "folium.html"
    m.save(str(out))
    page = out.read_text(encoding="utf-8")
    # nothing the page would load: scripts, style sheets, images, frames, CSS urls
    refs = re.findall(
        r"""<(?:script|link|img|iframe)\b[^>]*?(?:src|href)\s*=\s*["']([^"']+)""", page
    )
    refs += re.findall(r"""url\(\s*["']?([^"')]+)""", page)
    assert [r for r in refs if not r.startswith(("data:", "#"))] == []
    assert "cdn." not in page and "unpkg" not in page
    assert "Leaflet 1.9.4" in page[:300_000]
    assert "jQuery v3.7.1" in page
    assert "[128.0, 36.0]" in page  # the user's own layer is saved too
    kinds = {type(ch) for ch in m._children.values()}
    assert plugins.MeasureControl not in kinds and plugins.MousePosition not in kinds


@pytest.mark.browser
def test_offline_folium_page_draws_with_the_network_cut(tmp_path: Path) -> None:
    from test_browser import ARTIFACTS, Chromium

    # a real event (Hwasong-15, 2023-02-18): its view once came out half unpainted when
    # the map jumped from folium's world zoom to the fitted one (see _zoom_for)
    from geo.briefing.build import build_briefing
    from geo.briefing.scenario import load_scenario

    scenario = Path(__file__).resolve().parent.parent / "maps" / "2023-02-18-hwasong-15.yaml"
    c = build_briefing(load_scenario(scenario)).content
    m = to_folium(c, offline=True)
    page = tmp_path / "folium.html"
    m.save(str(page))
    url = page.as_uri()
    browser = Chromium()
    try:
        browser.open(url, ready="document.querySelectorAll('path.leaflet-interactive').length")
        name = m.get_name()
        stats: dict[str, Any] = browser.evaluate(
            f"({{paths: document.querySelectorAll('path.leaflet-interactive').length,"
            f" markers: document.querySelectorAll('.rz-fl-label').length,"
            f" layers: document.querySelectorAll('.leaflet-control-layers-overlays label').length,"
            f" zoom: {name}.getZoom(),"
            f" attribution: document.querySelector('.leaflet-control-attribution').textContent,"
            f" legend: !!document.querySelector('.rz-fl-legend')}})"
        )
        # click the site's marker: its popup (built with jQuery) opens with its table
        browser.evaluate(
            "(() => { const p = [...document.querySelectorAll('path.leaflet-interactive')].pop();"
            " p.dispatchEvent(new MouseEvent('click', {bubbles: true})); })()"
        )
        browser.pump(0.3)
        popup = browser.evaluate(
            "(document.querySelector('.leaflet-popup-content') || {}).textContent || ''"
        )
        browser.screenshot(ARTIFACTS / "browser-folium-offline.png")
        shot = Image.open(ARTIFACTS / "browser-folium-offline.png").convert("RGB")
        requests = [u for u in browser.requests() if u != url and not u.startswith("data:")]
        failures = browser.failures()
    finally:
        browser.close()
    assert requests == []
    assert failures == []
    drawn = [f for f in c.features if f.kind != "eez"]
    assert stats["paths"] >= len(drawn) + 2, stats
    assert stats["markers"] >= 4, stats  # site, ring, impact and zone names
    assert stats["layers"] >= 5, stats
    assert stats["zoom"] >= 4, stats
    assert stats["legend"]
    assert "MODELLED" in stats["attribution"]
    assert "Layer" in popup and "Launch sites" in popup, popup
    # painted, not only in the DOM: an unpainted map shows its bare sea colour
    sea = np.array([int(SEA_COLOR[i : i + 2], 16) for i in (1, 3, 5)])
    pixels = np.asarray(shot)
    for band in np.array_split(pixels, 3, axis=0):
        bare = np.all(band == sea, axis=-1).mean()
        assert bare < 0.5, bare
