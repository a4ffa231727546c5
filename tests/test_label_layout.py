"""Names and the legend keep clear of each other and of the data, on slides and on the page.

A briefing with many rings around one site (an ICBM test: 600 km to 13,000 km, two rings on
the same circle, a reported splashdown, a nearest-approach line) once printed its names on
top of each other and put the legend over half the globe. These tests build such briefings
from scenario files, as ``rangezone build`` does, and check the layout: no two names
overlap, none lies under the legend, the legend hides no site and no ring's name, every ring
is named and distinct ranges have distinct colours.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from matplotlib.colors import to_hex

from geo.present.content import MapContent, MapFeature
from geo.present.style import RANGE_PALETTE, feature_style, label_variants, range_colours

ICBM = """\
title: Hwasong-15 lofted test
subtitle: 950 km flown, 4,475 km apogee
date: 2017-11-29
countries: [Japan, United States, Russia]
events:
  - name: Hwasong-15
    time: "03:17 KST"
    site: Sunan
    ranges: [5500km, 13000km]
    apogee: 4475km
    flown: 950km
    flight_time_min: 53
    missiles: [Hwasong-15, KN-23]
    impacts:
      - from: Cape Tappi
        distance: 250km
        bearing: W
        label: Splashdown
        source: Japan MoD
outputs: [html, png]
"""

BANDS = """\
title: Missile bands
countries: [Japan]
events:
  - name: Musudan
    site: Wonsan Kalma airport
    missiles: [Hwasong-10, KN-25, Hwasong-6]
outputs: [html, png]
"""

SEED = Path(__file__).resolve().parent.parent / "maps" / "2024-11-05-sariwon.yaml"

SLIDE_DPI = 200
SLIDE_IN = (13.33, 7.5)
"""The slide as ``rangezone build`` writes it: 2666 x 1500 pixels."""


def _content(path: Path) -> MapContent:
    from geo.briefing.build import build_briefing
    from geo.briefing.scenario import load_scenario

    return build_briefing(load_scenario(path)).content


@pytest.fixture(scope="module")
def briefings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, MapContent]]:
    """The map contents of the ICBM, bands and seed briefings, built once (with a private
    data directory: module fixtures run before the per-test one)."""
    root = tmp_path_factory.mktemp("label-layout")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RANGEZONE_DATA_DIR", str(root / "data"))
        (root / "icbm.yaml").write_text(ICBM, encoding="utf-8")
        (root / "bands.yaml").write_text(BANDS, encoding="utf-8")
        yield {
            "icbm": _content(root / "icbm.yaml"),
            "bands": _content(root / "bands.yaml"),
            "seed": _content(SEED),
        }


# --- slides -----------------------------------------------------------------------------


class Slide:
    """A slide's figure and what the checks need of it, in display pixels."""

    def __init__(self, content: MapContent) -> None:
        from geo.present.image.render import make_figure

        self.content = content
        self.fig = make_figure(content, dpi=SLIDE_DPI, size_in=SLIDE_IN)
        self.renderer = self.fig.canvas.get_renderer()  # type: ignore[attr-defined]
        self.ax = self.fig.axes[0]
        self.box = self.ax.get_window_extent(self.renderer)
        legend = self.ax.get_legend()
        assert legend is not None
        self.legend = legend.get_window_extent(self.renderer)
        self.texts = [t for t in self.ax.texts if t.get_text() and t.get_visible()]

    def extent(self, t: Any) -> Any:
        return t.get_window_extent(self.renderer)

    def named(self, kind: str) -> list[Any]:
        return [t for t in self.texts if t.get_gid() == f"rz-{kind}-label"]

    def at(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a lon/lat point is on the slide (display pixels)."""
        from geo.present.image.frame import Projector, focus_of

        x, y = Projector(focus_of(self.content)).xy([lon], [lat])
        px, py = self.ax.transData.transform((float(x[0]), float(y[0])))
        return float(px), float(py)

    def close(self) -> None:
        import matplotlib.pyplot as plt

        plt.close(self.fig)


@pytest.fixture(scope="module")
def slides(briefings: dict[str, MapContent]) -> Iterator[dict[str, Slide]]:
    out = {name: Slide(content) for name, content in briefings.items()}
    yield out
    for s in out.values():
        s.close()


def _apart(a: Any, b: Any) -> bool:
    return a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0


def _rings(content: MapContent) -> list[MapFeature]:
    return [f for f in content.of_kind("ring") if not f.geometry.is_empty]


@pytest.mark.parametrize("name", ["icbm", "bands", "seed"])
def test_no_two_names_overlap_on_the_slide(slides: dict[str, Slide], name: str) -> None:
    s = slides[name]
    boxes = [(t.get_text(), s.extent(t)) for t in s.texts]
    for i, (text, bb) in enumerate(boxes):
        assert s.box.x0 <= bb.x0 and bb.x1 <= s.box.x1, text
        assert s.box.y0 <= bb.y0 and bb.y1 <= s.box.y1, text
        for other, ob in boxes[i + 1 :]:
            assert _apart(bb, ob), (text, other)


@pytest.mark.parametrize("name", ["icbm", "bands", "seed"])
def test_legend_covers_no_name_and_no_site(slides: dict[str, Slide], name: str) -> None:
    s = slides[name]
    leg = s.legend
    assert s.box.x0 <= leg.x0 and leg.x1 <= s.box.x1 and s.box.y0 <= leg.y0
    assert leg.y1 <= s.box.y1
    for t in s.texts:
        assert _apart(s.extent(t), leg), t.get_text()
    # nor the launch site, nor the reported impacts, nor the point a ring's name sits on
    r = 0.05 * SLIDE_DPI
    for f in s.content.of_kind("site", "reported_impact"):
        x, y = s.at(f.geometry.x, f.geometry.y)
        assert not (leg.x0 - r < x < leg.x1 + r and leg.y0 - r < y < leg.y1 + r), f.label
    for t in s.named("ring"):
        x, y = s.ax.transData.transform(t.get_position())
        assert not (leg.x0 < x < leg.x1 and leg.y0 < y < leg.y1), t.get_text()


def test_world_map_legend_sits_beside_the_globe(slides: dict[str, Slide]) -> None:
    from matplotlib.patches import Circle

    from geo.present.image.frame import Projector, fit_frame, focus_of

    s = slides["icbm"]
    focus = focus_of(s.content)
    aspect = s.box.width / s.box.height
    frame = fit_frame(s.content, Projector(focus), focus, aspect)
    assert frame.whole_disk  # a 13,000 km ring: the whole globe
    # the globe's disk on the slide, and the legend right of it
    globe = next(p for p in s.ax.patches if isinstance(p, Circle))
    _, cy = s.ax.transData.transform((0.0, 0.0))
    rx, _ = s.ax.transData.transform((globe.get_radius(), 0.0))
    assert s.legend.x0 > rx, (s.legend.x0, rx)
    assert abs(cy - 0.5 * (s.box.y0 + s.box.y1)) < 2.0  # the globe keeps its place
    # entries wrap: the legend is no wider than the room beside the globe
    assert s.legend.width < s.box.x1 - rx


def test_seed_legend_stays_in_its_corner(slides: dict[str, Slide]) -> None:
    s = slides["seed"]
    assert s.legend.x1 > s.box.x1 - 0.2 * SLIDE_DPI
    assert s.legend.y0 < s.box.y0 + 0.2 * SLIDE_DPI


@pytest.mark.parametrize("name", ["icbm", "bands", "seed"])
def test_every_ring_is_named_in_its_colour(slides: dict[str, Slide], name: str) -> None:
    from matplotlib.colors import to_hex

    s = slides[name]
    names = s.named("ring")
    rings = _rings(s.content)
    ranges = {label_variants(f)[0] for f in rings}
    assert len(names) == len(ranges), ([t.get_text() for t in names], ranges)
    for f in rings:
        colour = feature_style(f, s.content).color
        mine = [t for t in names if t.get_text() in label_variants(f)]
        assert mine, (f.label, [t.get_text() for t in names])
        assert any(to_hex(t.get_color()) == colour.lower() for t in mine), f.label
    colours = {to_hex(t.get_color()) for t in names}
    assert len(colours) == len(names)


def test_icbm_names_sites_impacts_and_the_nearest_line(slides: dict[str, Slide]) -> None:
    s = slides["icbm"]
    assert [t.get_text() for t in s.named("site")] == ["Sunan"]
    assert [t.get_text() for t in s.named("reported_impact")] == ["Splashdown"]
    lines = [t.get_text() for t in s.named("line")]
    nearest = [f for f in s.content.of_kind("nearest")]
    assert len(lines) == len(nearest)
    assert all(" km" in t for t in lines)


def test_nearest_line_name_clears_the_site_name(slides: dict[str, Slide]) -> None:
    """The bands briefing: "470 km to Japan's EEZ" once hid under "Wonsan Kalma airport"."""
    s = slides["bands"]
    (site,) = s.named("site")
    lines = s.named("line")
    assert [t.get_text() for t in lines] == [label_variants(s.content.of_kind("nearest")[0])[0]]
    assert _apart(s.extent(site), s.extent(lines[0]))


def test_legend_makes_room_when_every_corner_is_busy() -> None:
    """Sites in every corner and along every side of the view: the legend goes beside the
    content, in room the frame makes for it, and hides none of them."""
    import matplotlib.pyplot as plt
    from shapely.geometry import Point

    from geo.core.types import LonLat
    from geo.present.image.frame import Projector
    from geo.present.image.render import make_figure

    centre = LonLat(130.0, 35.0)
    proj = Projector(centre)
    offsets = [(sx * 1_500_000.0, sy * 800_000.0) for sx in (-1, 0, 1) for sy in (-1, 0, 1)]
    feats = []
    for i, (dx, dy) in enumerate(offsets):
        lon, lat = proj.lonlat([dx], [dy])
        feats.append(MapFeature(Point(float(lon[0]), float(lat[0])), "site", f"S{i}", {}))
    content = MapContent(title="Busy corners", features=feats, focus=centre)
    fig = make_figure(content, dpi=100, size_in=SLIDE_IN)
    try:
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        ax = fig.axes[0]
        legend = ax.get_legend()
        assert legend is not None
        leg = legend.get_window_extent(renderer)
        for x, y in offsets:
            px, py = ax.transData.transform((x, y))
            assert not (leg.x0 - 5 < px < leg.x1 + 5 and leg.y0 - 5 < py < leg.y1 + 5)
        names = [t for t in ax.texts if t.get_gid() == "rz-site-label"]
        assert len(names) == len(offsets)
        for t in names:
            assert _apart(t.get_window_extent(renderer), leg), t.get_text()
    finally:
        plt.close(fig)


# --- colours ----------------------------------------------------------------------------


def test_distinct_ranges_get_distinct_colours() -> None:
    from test_html_map import SARIWON

    from geo.core.shapes import range_area

    feats = []
    for km in range(100, 100 * (len(RANGE_PALETTE) + 6), 100):
        shape = range_area(SARIWON, km * 1000.0)
        feats.append(MapFeature(shape.outline, "ring", f"{km:,} km", {"range_km": float(km)}))
    content = MapContent(title="Many ranges", features=feats, focus=SARIWON)
    colours = range_colours(content)
    assert len(colours) == len(feats)
    assert len(set(colours.values())) == len(feats)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours.values())


def test_a_ring_on_another_ranges_ring_is_dashed(briefings: dict[str, MapContent]) -> None:
    """13,000 km and the Hwasong-15's 8,500–13,000 km band share a circle: the later is
    dashed so that both colours show."""
    content = briefings["icbm"]
    rings = _rings(content)
    dashed = [f for f in rings if feature_style(f, content).dash]
    assert dashed, [f.label for f in rings]
    for f in dashed:
        earlier = rings[: rings.index(f)]
        same = [g for g in earlier if g.geometry.equals_exact(f.geometry, 1e-6)]
        assert same and not feature_style(same[0], content).dash, f.label


def test_map_names_are_short_forms() -> None:
    from shapely.geometry import LineString

    ring = MapFeature(
        LineString([(0, 0), (1, 1)]),
        "ring",
        "Standard range 9,983 km (energy bound, 950 km / 4,475 km flight)",
        {"range_km": 9983.0},
    )
    assert label_variants(ring) == ["Standard range 9,983 km", "9,983 km"]
    low = MapFeature(LineString([(0, 0), (1, 1)]), "ring", "KN-23: 600 km (lowest)", {})
    assert label_variants(low) == ["KN-23: 600 km (lowest)", "600 km (lowest)"]
    line = MapFeature(
        LineString([(0, 0), (1, 1)]),
        "nearest",
        "2,490 km to United States of America's EEZ",
        {"country": "United States of America", "distance_km": 2490.3},
    )
    assert label_variants(line) == ["2,490 km to United States' EEZ", "2,490 km"]


# --- the HTML map ---------------------------------------------------------------------------


def _payload(page: str) -> dict[str, Any]:
    from geo.present.page_data import read_page_data

    return read_page_data(page)


def _items(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [it for lay in data["layers"] if lay["kind"] == kind for it in lay["items"]]


@pytest.fixture(scope="module")
def pages(briefings: dict[str, MapContent]) -> dict[str, str]:
    from geo.present.html_map import render_html

    return {name: render_html(content) for name, content in briefings.items()}


@pytest.mark.parametrize("name", ["icbm", "bands", "seed"])
def test_page_rings_have_distinct_colours_and_names(
    pages: dict[str, str], briefings: dict[str, MapContent], name: str
) -> None:
    data = _payload(pages[name])
    rings = _items(data, "ring")
    assert len(rings) == len(_rings(briefings[name]))
    assert all("label" in it for it in rings)
    by_range: dict[str, str] = {}
    for it in rings:
        text, colour = it["label"][2], it["label"][4]
        assert colour == it["style"]["color"]
        by_range.setdefault(text, colour)
        assert by_range[text] == colour
    assert len(set(by_range.values())) == len(by_range)
    legend = pages[name].split('id="rz-legend"', 1)[1].split("</details>", 1)[0]
    for f in _rings(briefings[name]):
        assert f"Range: {f.label}" in legend.replace("&#x27;", "'")


def test_page_names_carry_their_places_and_priority(pages: dict[str, str]) -> None:
    data = _payload(pages["icbm"])
    site = _items(data, "site")[0]["label"]
    impact = _items(data, "reported_impact")[0]["label"]
    line = _items(data, "nearest")[0]["label"]
    rings = [it["label"] for it in _items(data, "ring")]
    # [lat, lon, text, class, colour, places, shorter texts, priority]
    for lab in [site, impact, line, *rings]:
        assert len(lab) == 8
        assert lab[5][0] == [lab[0], lab[1]]
    assert site[7] < impact[7] < line[7] < min(r[7] for r in rings)
    assert all(len(r[5]) > 10 for r in rings)  # places along each ring
    assert len(line[5]) > 3
    assert line[2] == "2,490 km to United States' EEZ" or "km to" in line[2]
    assert line[6]  # a shorter form to fall back on


@pytest.mark.browser
def test_page_names_do_not_overlap_in_the_browser(pages: dict[str, str], tmp_path: Path) -> None:
    from test_browser import ARTIFACTS, Chromium

    page = tmp_path / "icbm.html"
    page.write_text(pages["icbm"], encoding="utf-8")
    for width, height in ((1600, 900), (1000, 800)):
        browser = Chromium(width, height)
        try:
            browser.open(page.as_uri())
            res = browser.evaluate(
                "(() => { const box = e => { const r = e.getBoundingClientRect();"
                " return {l: r.left, r: r.right, t: r.top, b: r.bottom}; };"
                " const shown = [...document.querySelectorAll('.rz-lbl')]"
                "   .filter(e => getComputedStyle(e).visibility !== 'hidden');"
                " return {labels: shown.map(e => Object.assign(box(e),"
                "   {text: e.textContent, cls: e.className})),"
                " legend: box(document.getElementById('rz-legend')),"
                " frame: box(document.getElementById('rz-map'))}; })()"
            )
            browser.screenshot(ARTIFACTS / f"browser-icbm-labels-{width}.png")
            assert browser.failures() == []
        finally:
            browser.close()
        labels = res["labels"]
        own = [b for b in labels if "rz-lbl-country" not in b["cls"] and "zone" not in b["cls"]]
        # every name of the map's own content shows: sites, impact, line, each ring
        shown = {b["text"] for b in own}
        assert "Sunan" in shown and "Splashdown" in shown, shown
        assert sum("rz-lbl-ring" in b["cls"] for b in own) == len(
            {it["label"][2] for it in _items(_payload(pages["icbm"]), "ring")}
        ), shown

        def apart(a: dict[str, float], b: dict[str, float]) -> bool:
            return a["r"] <= b["l"] or b["r"] <= a["l"] or a["b"] <= b["t"] or b["b"] <= a["t"]

        for i, a in enumerate(labels):
            assert apart(a, res["legend"]), a["text"]
            for b in labels[i + 1 :]:
                assert apart(a, b), (a["text"], b["text"], width)


# --- several sites close together on a world map ------------------------------------------

MULTI = """\
title: Multi-site test briefing
subtitle: Hwasong-15, KN-23 and Hwasong-12 from Sunan, Sinpo and Sohae
date: 2025-01-15
countries: [Japan, USA, United States, South Korea]
events:
  - name: ICBM lofted
    time: "08:00 KST"
    site: Sunan
    ranges: [1000km, 3000km]
    missiles: [Hwasong-15, Hwasong-12]
    flown: 950km
    apogee: 4475km
    flight_time_min: 53
    notes: Lofted into the Sea of Japan.
  - name: SRBM salvo
    site: Sinpo
    ranges: [600km]
    missiles: [KN-23]
    min_range: 100km
    sector: 60..120
    impacts:
      - distance: 350km
        bearing: E
        source: JCS
  - name: Sohae launch
    site: Sohae
    ranges: [1000km]
    impacts:
      - from: Noto Peninsula
        distance: 200km
        bearing: NNW
        label: "Impact near Noto"
sources: ["test"]
"""


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[MapContent, Slide]]:
    root = tmp_path_factory.mktemp("multi-site")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RANGEZONE_DATA_DIR", str(root / "data"))
        (root / "multi.yaml").write_text(MULTI, encoding="utf-8")
        content = _content(root / "multi.yaml")
    slide = Slide(content)
    yield content, slide
    slide.close()


def _leaders(s: Slide) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for line in s.ax.lines:
        if line.get_gid() == "rz-leader":
            out.setdefault(line.get_label(), []).append(line)
    return out


def _box_distance(bb: Any, x: float, y: float) -> float:
    ex = min(max(x, bb.x0), bb.x1)
    ey = min(max(y, bb.y0), bb.y1)
    return float(np.hypot(x - ex, y - ey))


def test_multi_site_every_ring_is_named(multi: tuple[MapContent, Slide]) -> None:
    content, s = multi
    names = s.named("ring")
    texts = [t.get_text() for t in names]
    for f in _rings(content):
        assert any(t in label_variants(f) for t in texts), (f.label, texts)
    # every name of a ring lies near one of its rings, or has a leader to it
    leaders = _leaders(s)
    for t in names:
        if t.get_text() not in leaders:
            continue
        for line in leaders[t.get_text()]:
            assert to_hex(line.get_color()) == to_hex(t.get_color())


def test_multi_site_far_names_have_leaders(multi: tuple[MapContent, Slide]) -> None:
    from shapely.geometry import Point

    from geo.present.image.frame import Projector, focus_of, outline_of
    from geo.present.image.labels import LEADER_AFTER

    content, s = multi
    proj = Projector(focus_of(content))
    leaders = _leaders(s)
    tr = s.ax.transData
    checked = 0
    for kind in ("site", "ring"):
        feats = [f for f in content.of_kind(kind) if not f.geometry.is_empty]
        for t in s.named(kind):
            bb = s.extent(t)
            # the features this name may belong to, as display-pixel geometries
            mine = [f for f in feats if t.get_text() in [f.label, *label_variants(f)]]
            assert mine, t.get_text()
            shapes = []
            for f in mine:
                g = proj.geom(f.geometry if kind == "site" else outline_of(f.geometry))
                shapes.append(shapely.transform(g, lambda c: tr.transform(c)))
            gap = min(shapely.box(bb.x0, bb.y0, bb.x1, bb.y1).distance(g) for g in shapes)
            if gap <= LEADER_AFTER * bb.height:
                continue
            checked += 1
            lines = leaders.get(t.get_text())
            assert lines, (t.get_text(), gap)
            ends_ok = False
            for line in lines:
                xs, ys = line.get_data()
                (x0, y0), (x1, y1) = tr.transform([(xs[0], ys[0]), (xs[1], ys[1])])
                at_label = _box_distance(bb, x0, y0) < 2.0
                at_anchor = min(Point(x1, y1).distance(g) for g in shapes) < 3.0
                ends_ok = ends_ok or (at_label and at_anchor)
            assert ends_ok, t.get_text()
    assert checked  # the cluster is too small for every name to sit on its feature


def test_multi_site_names_keep_the_sites_order(multi: tuple[MapContent, Slide]) -> None:
    _, s = multi
    sites = {t.get_text(): s.extent(t) for t in s.named("site")}
    assert {"Sunan", "Sinpo", "Sohae"} <= set(sites)
    sinpo, sohae = sites["Sinpo"], sites["Sohae"]
    assert 0.5 * (sinpo.x0 + sinpo.x1) > 0.5 * (sohae.x0 + sohae.x1)


def test_multi_site_names_do_not_overlap(multi: tuple[MapContent, Slide]) -> None:
    _, s = multi
    boxes = [(t.get_text(), s.extent(t)) for t in s.texts]
    for i, (text, bb) in enumerate(boxes):
        for other, ob in boxes[i + 1 :]:
            assert _apart(bb, ob), (text, other)


def test_multi_site_page_names_every_ring(multi: tuple[MapContent, Slide]) -> None:
    from geo.present.html_map import render_html

    content, _ = multi
    data = _payload(render_html(content))
    rings = _items(data, "ring")
    assert rings
    for it in rings:
        assert it.get("label"), it["name"]
    # sites in a cluster look away from one another: Sinpo east, Sohae west
    away = {it["label"][2]: it["label"][8] for it in _items(data, "site") if len(it["label"]) > 8}
    assert away["Sinpo"][0] > 0 > away["Sohae"][0]
