"""Names and the legend keep clear of each other and of the data, on slides and on the page.

A briefing with many rings around one site (an ICBM test: 600 km to 13,000 km, two rings on
the same circle, a reported splashdown, a nearest-approach line) once printed its names on
top of each other and put the legend over half the globe.

Most checks run on the pure layout model (:mod:`geo.present.layout`): its label specs for
map contents built from the same shapes as briefings, laid out by its placer with text sizes
that a renderer would measure. One slide (matplotlib) and one page (Chromium) per case check
that the renderers follow it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.core.shapes import range_area
from geo.core.types import LonLat
from geo.present import area_names, layout
from geo.present.content import MapContent, MapFeature
from geo.present.layout import (
    LINE_LABEL_AT,
    RING_LABEL_PLACES,
    Box,
    Placer,
    Plane,
    Request,
)
from geo.present.style import RANGE_PALETTE, feature_style, label_variants, range_colours

ICBM = """\
title: Hwasong-15 lofted test
subtitle: 950 km flown, 4,475 km apogee
date: 2017-11-29
countries: [Japan, United States]
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

MULTI = """\
title: Multi-site test briefing
subtitle: Hwasong-15, KN-23 and Hwasong-12 from Sunan, Sinpo and Sohae
date: 2025-01-15
countries: [Japan, United States]
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

SEED = Path(__file__).resolve().parent.parent / "maps" / "2024-11-05-sariwon.yaml"
CASES = ["icbm", "bands", "seed", "multi"]

SLIDE_DPI = 200
SLIDE_IN = (13.33, 7.5)
"""The slide as ``rangezone build`` writes it: 2666 x 1500 pixels."""

SUNAN = LonLat(125.70926, 39.20299)
SINPO = LonLat(128.18390, 40.03680)
SOHAE = LonLat(124.70570, 39.65960)
"""data/places.csv (CNS North Korea Missile Test Database)."""


# --------------------------------------------------------------------------------------
# The pure model: a plane, contents, and a renderer's text sizes without a renderer
# --------------------------------------------------------------------------------------


def _aeqd(focus: LonLat) -> Callable[[BaseGeometry], BaseGeometry]:
    from pyproj import CRS, Transformer

    crs = CRS.from_proj4(
        f"+proj=aeqd +lat_0={focus.lat_deg} +lon_0={focus.lon_deg} +datum=WGS84 +units=m"
    )
    tr = Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    def fn(c: np.ndarray) -> np.ndarray:
        x, y = tr.transform(c[:, 0], c[:, 1])
        return np.column_stack([x, y])

    return lambda g: shapely.transform(shapely.segmentize(g, 0.5), fn)


def _plane(focus: LonLat, half_w: float, half_h: float) -> Plane:
    """An azimuthal equidistant view ``2 half_w`` x ``2 half_h`` metres around ``focus``."""

    def inside(x: float, y: float, margin: float) -> bool:
        return abs(x) <= half_w * (1 - 2 * margin) and abs(y) <= half_h * (1 - 2 * margin)

    return Plane(_aeqd(focus), inside, 2.0 * half_w)


def _ring(site: LonLat, km: float, label: str = "") -> MapFeature:
    shape = range_area(site, km * 1000.0, tolerance_m=1000.0)
    return MapFeature(shape.outline, "ring", label, {"range_km": km})


def _site(p: LonLat, name: str) -> MapFeature:
    return MapFeature(Point(p.lon_deg, p.lat_deg), "site", name, {})


def icbm_like() -> MapContent:
    """The ICBM briefing's map features (its rings, two on one circle, an impact and a
    nearest-approach line) without computing its verdicts."""
    feats = [
        _site(SUNAN, "Sunan"),
        _ring(SUNAN, 5500, "5,500 km"),
        _ring(SUNAN, 13000, "13,000 km"),
        _ring(SUNAN, 13000, "Hwasong-15: 8,500–13,000 km"),
        _ring(SUNAN, 8500, "Hwasong-15: 8,500 km (lowest)"),
        _ring(SUNAN, 600, "KN-23: 600 km"),
        _ring(SUNAN, 9983, "Standard range 9,983 km (energy bound, 950 km / 4,475 km flight)"),
        MapFeature(
            LineString([(SUNAN.lon_deg, SUNAN.lat_deg), (160.0, 48.0)]),
            "nearest",
            "2,490 km to United States of America's EEZ",
            {"country": "United States of America", "distance_km": 2490.3},
        ),
        MapFeature(Point(138.6, 41.2), "reported_impact", "Splashdown", {}),
    ]
    return MapContent(title="ICBM", features=feats, focus=SUNAN)


def cluster_like() -> MapContent:
    """Three sites a few hundred km apart, each with rings, on a regional map."""
    feats = [
        _site(SUNAN, "Sunan"),
        _site(SINPO, "Sinpo"),
        _site(SOHAE, "Sohae"),
        _ring(SUNAN, 1000, "1,000 km"),
        _ring(SINPO, 600, "KN-23: 600 km"),
        _ring(SOHAE, 1000, "1,000 km"),
    ]
    return MapContent(title="Cluster", features=feats, focus=SUNAN)


class Layout:
    """A renderer without a renderer: the plane mapped onto ``px`` pixels (y up), texts of
    0.6 em per character and 1.25 em high, a legend in the lower right corner."""

    def __init__(self, content: MapContent, plane: Plane, half_w: float, half_h: float) -> None:
        self.W, self.H = 2666.0, 2666.0 * half_h / half_w
        self.k = self.W / (2 * half_w)
        self.half_w, self.half_h = half_w, half_h
        self.unit = SLIDE_DPI / 72.0
        self.specs = layout.label_specs(content, plane)
        self.placer = Placer((0.0, 0.0, self.W, self.H), pad=3.0)
        self.legend: Box = (self.W - 700, 20, self.W - 20, 420)
        self.placer.take(self.legend)
        for f in content.features:
            if f.kind in ("ring", "nearest"):
                g = plane.shown(f.geometry)
                coords = [[self.px(c) for c in p.coords] for p in _lines(g)]
                self.placer.add_line(layout.line_key(f), coords)
        self.placed: list[tuple[layout.LabelSpec, layout.Placement | None]] = []
        for spec in self.specs:
            size = 10.0
            sizes = [(0.6 * size * len(t) * self.unit, 1.25 * size * self.unit) for t in spec.texts]
            around = None
            if spec.around is not None:
                (x0, y0), (x1, y1) = self.px(spec.around[:2]), self.px(spec.around[2:])
                around = (x0, y0, x1, y1)
            req = Request(
                spec.kind,
                sizes,
                [self.px(p) for p in spec.places],
                normals=spec.normals,
                around=around,
                side=spec.side,
                key=spec.key,
                unit=self.unit,
                margin=(layout.LABEL_GAP * self.unit, layout.LABEL_GAP_EM * size * self.unit),
            )
            self.placed.append((spec, self.placer.place(req)))

    def px(self, p: Any) -> tuple[float, float]:
        return ((p[0] + self.half_w) * self.k, (p[1] + self.half_h) * self.k)

    def boxes(self) -> list[tuple[str, Box]]:
        return [(s.texts[p.text], p.box) for s, p in self.placed if p is not None]


def _lines(g: BaseGeometry) -> list[LineString]:
    from geo.present.basemap import parts

    return [p for p in parts(g) if isinstance(p, LineString)]


def _apart_box(a: Box, b: Box) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


WORLD = (13_500_000.0, 13_500_000.0 * 0.53)
REGION = (4_000_000.0, 4_000_000.0 * 0.53)


@pytest.fixture(scope="module")
def world() -> Layout:
    c = icbm_like()
    return Layout(c, _plane(SUNAN, *WORLD), *WORLD)


@pytest.fixture(scope="module")
def cluster() -> Layout:
    c = cluster_like()
    return Layout(c, _plane(SUNAN, *REGION), *REGION)


# --- places along rings and lines ---------------------------------------------------------


def test_ring_places_start_at_the_top_and_carry_normals() -> None:
    circle = Point(0.0, 0.0).buffer(100.0, 256).exterior
    at = layout.ring_places(circle, lambda x, y: True)
    assert abs(len(at) - RING_LABEL_PLACES) <= 1
    (x, y), _ = at[0]
    assert y > 99.0 and abs(x) < 10.0  # the top of the ring first
    # along it either way down: every place on the upper half before any on the lower
    ys = [p[1] for p, _ in at]
    assert max(i for i, y in enumerate(ys) if y > 0) < min(i for i, y in enumerate(ys) if y < 0)
    for (px, py), (nx, ny) in at:
        assert math.hypot(nx, ny) == pytest.approx(1.0, abs=1e-9)
        # on a circle the normal is radial
        assert abs(nx * px + ny * py) / math.hypot(px, py) > 0.99


def test_ring_places_are_only_where_the_view_shows_the_ring() -> None:
    circle = Point(0.0, 0.0).buffer(100.0, 256).exterior
    at = layout.ring_places(circle, lambda x, y: x > 0)
    assert at and all(p[0] > 0 for p, _ in at)
    assert len(at) <= RING_LABEL_PLACES // 2 + 1


def test_line_places_follow_line_label_at() -> None:
    line = LineString([(0.0, 0.0), (10.0, 0.0)])
    places = layout.line_places(line, lambda x, y: True)
    assert [round(x, 9) for x, _ in places] == [round(10 * t, 9) for t in LINE_LABEL_AT]
    assert layout.line_places(line, lambda x, y: x < 5.0) == [
        (10 * t, 0.0) for t in LINE_LABEL_AT if 10 * t < 5.0
    ]


def test_cluster_sides_point_away_from_the_others() -> None:
    sides = layout.cluster_sides([(0.0, 0.0), (10.0, 0.0), (20.0, 0.0), (500.0, 0.0)], 30.0)
    west, middle, east, alone = sides
    assert west is not None and east is not None
    # away from the others' centroid (15 units off), as strong as 15 / 20 (the farthest)
    assert west == pytest.approx((-0.75, 0.0)) and east == pytest.approx((0.75, 0.0))
    assert middle is None  # the others' centroid is the site itself: no side
    assert alone is None


def test_priorities_order_kinds_edges_and_ring_lengths() -> None:
    p = layout.label_priority
    assert p("site") < p("reported_impact") < p("reference_point") < p("line") < p("ring")
    assert p("site", side=(1.0, 0.0)) < p("site", side=(0.3, 0.0)) < p("reported_impact")
    assert p("ring", length=0.2) < p("ring", length=3.0) < p("ring") + 1.0


# --- the placer ------------------------------------------------------------------------------


def _req(kind: str = "site", sizes: list[tuple[float, float]] | None = None, **kw: Any) -> Request:
    return Request(kind, sizes or [(40.0, 10.0)], kw.pop("anchors", [(100.0, 100.0)]), **kw)  # type: ignore[arg-type]


def test_placer_takes_the_first_free_candidate() -> None:
    placer = Placer((0.0, 0.0, 400.0, 400.0))
    first = placer.place(_req())
    assert first is not None and first.text == 0
    # east of the point, vertically centred on it, 8.5 units away
    assert first.box == pytest.approx((108.5, 95.0, 148.5, 105.0))
    assert first.leader is None
    # the same name again: east is taken, it goes west
    second = placer.place(_req())
    assert second is not None
    assert second.box[2] == pytest.approx(91.5)


def test_placer_takes_a_shorter_text_before_going_further() -> None:
    placer = Placer((0.0, 0.0, 400.0, 400.0))
    # everything near the point is taken but a narrow slot east of it
    placer.take((0.0, 0.0, 400.0, 94.0))
    placer.take((0.0, 106.0, 400.0, 400.0))
    placer.take((0.0, 94.0, 105.0, 106.0))
    placer.take((140.0, 94.0, 400.0, 106.0))
    got = placer.place(_req(sizes=[(80.0, 10.0), (25.0, 10.0)], margin=(0.0, 0.0)))
    assert got is not None and got.text == 1
    assert got.box == pytest.approx((108.5, 95.0, 133.5, 105.0))


def test_placer_keeps_off_other_lines_before_its_own() -> None:
    square = [[(90.0, 90.0), (110.0, 90.0), (110.0, 110.0), (90.0, 110.0), (90.0, 90.0)]]
    # every near place crosses the small square around the point
    placer = Placer((0.0, 0.0, 400.0, 400.0))
    placer.add_line("mine", square)
    placer.add_line("other", [[(128.0, 0.0), (128.0, 400.0)]])
    got = placer.place(_req(key="mine"))
    assert got is not None
    # east crosses another ring: west, across its own line only
    assert got.box == pytest.approx((51.5, 95.0, 91.5, 105.0))
    # the square someone else's: no place near crosses nothing, so the first one is taken
    # (crossing beats going further off)
    other = Placer((0.0, 0.0, 400.0, 400.0))
    other.add_line("other", square)
    got = other.place(_req(key="mine"))
    assert got is not None
    assert got.box == pytest.approx((108.5, 95.0, 148.5, 105.0))
    assert other.crosses(got.box) and not other.crosses((200.0, 200.0, 240.0, 210.0))


def test_a_name_placed_far_gets_a_leader_to_its_feature() -> None:
    placer = Placer((0.0, 0.0, 1000.0, 1000.0))
    placer.take((40.0, 40.0, 300.0, 160.0))  # all near places are taken
    got = placer.place(_req())
    assert got is not None and got.leader is not None
    (ex, ey), anchor = got.leader
    assert anchor == (100.0, 100.0)
    b = got.box
    assert b[0] <= ex <= b[2] and b[1] <= ey <= b[3]  # it starts on the name's edge
    assert math.hypot(ex - 100.0, ey - 100.0) > layout.LEADER_AFTER * (b[3] - b[1])
    # the leader is a line later names keep off
    assert placer.crosses((ex - 1, ey - 1, ex + 1, ey + 1), own="")


def test_no_place_near_the_feature_takes_the_nearest_free_room() -> None:
    placer = Placer((0.0, 0.0, 1000.0, 300.0))
    placer.take((0.0, 0.0, 600.0, 300.0))  # the whole left part
    got = placer.place(_req(anchors=[(100.0, 150.0)]))
    assert got is not None
    assert got.box[0] >= 600.0
    assert got.box[0] < 620.0  # the nearest free room, not any
    assert got.leader is not None


def test_fixed_names_take_the_first_place_that_fits() -> None:
    placer = Placer((0.0, 0.0, 400.0, 400.0))
    placer.take((80.0, 80.0, 120.0, 120.0))
    box = placer.place_fixed((30.0, 10.0), [(100.0, 100.0), (200.0, 200.0), (300.0, 300.0)])
    assert box == pytest.approx((185.0, 195.0, 215.0, 205.0))
    # a zone's name only where the zone holds it
    got = placer.place_fixed((30.0, 10.0), [(100.0, 300.0), (300.0, 300.0)], lambda b: b[0] > 250)
    assert got == pytest.approx((285.0, 295.0, 315.0, 305.0))
    assert placer.place_fixed((30.0, 10.0), [(390.0, 390.0)]) is None  # off the frame


def test_page_placer_cases_are_current() -> None:
    """tests/js/labels.test.js replays these cases with the page's placer: they must be
    what the Python placer does now (regenerate: python tests/placer_cases.py)."""
    from placer_cases import FIXTURE, cases

    assert json.loads(FIXTURE.read_text(encoding="utf-8")) == cases()


def test_placer_constants_are_the_models() -> None:
    c = layout.PLACER_CONSTANTS
    assert c["FAR_GAPS"] == list(layout.FAR_GAPS) and c["POINT_GAPS"] == list(layout.POINT_GAPS)
    assert c["COMPASS"] == [list(x) for x in layout.COMPASS]
    assert json.loads(json.dumps(c)) == c  # sent to the page as JSON


# --- whole maps --------------------------------------------------------------------------------


def test_world_map_names_every_ring_once_and_nothing_overlaps(world: Layout) -> None:
    content = icbm_like()
    rings = [s for s, _ in world.placed if s.kind == "ring"]
    # one name per distinct range, the longest text that finds room
    assert len(rings) == len({label_variants(f)[0] for f in content.of_kind("ring")})
    for spec, placed in world.placed:
        assert placed is not None, spec.texts
    boxes = world.boxes()
    for i, (text, b) in enumerate(boxes):
        assert b[0] >= 0.0 and b[2] <= world.W and b[1] >= 0.0 and b[3] <= world.H, text
        assert _apart_box(b, world.legend), text
        for other, ob in boxes[i + 1 :]:
            assert _apart_box(b, ob), (text, other)
    # sites, then the impact, then the line, then rings
    kinds = [s.kind for s, _ in world.placed]
    assert kinds == sorted(kinds, key=lambda k: layout.LABEL_PRIORITY[k])
    # the nearest line's name carries the country's short name, with a shorter fallback
    (line,) = [s for s, _ in world.placed if s.kind == "line"]
    assert line.texts == ["2,490 km to United States' EEZ", "2,490 km"]
    assert len(line.places) > 3


def test_ring_names_sit_on_or_beside_their_ring(world: Layout) -> None:
    for spec, placed in world.placed:
        if spec.kind != "ring" or placed is None:
            continue
        b = placed.box
        centre = np.array([0.5 * (b[0] + b[2]), 0.5 * (b[1] + b[3])])
        anchors = np.array([world.px(p) for p in spec.places])
        near = float(np.min(np.hypot(*(anchors - centre).T)))
        # near one of its places, or joined to one by a leader
        assert near < 12 * (b[3] - b[1]) or placed.leader is not None, spec.texts


def test_cluster_names_keep_the_sites_order(cluster: Layout) -> None:
    sites = {s.texts[0]: (s, p) for s, p in cluster.placed if s.kind == "site"}
    assert set(sites) == {"Sunan", "Sinpo", "Sohae"}
    sinpo, sohae = sites["Sinpo"], sites["Sohae"]
    assert sinpo[0].side is not None and sinpo[0].side[0] > 0  # Sinpo looks east
    assert sohae[0].side is not None and sohae[0].side[0] < 0  # Sohae west
    assert sinpo[1] is not None and sohae[1] is not None
    assert sinpo[1].box[0] > cluster.px(sinpo[0].anchor)[0]
    # the names keep the sites' order
    assert sohae[1].box[0] + sohae[1].box[2] < sinpo[1].box[0] + sinpo[1].box[2]
    boxes = cluster.boxes()
    for i, (text, b) in enumerate(boxes):
        for other, ob in boxes[i + 1 :]:
            assert _apart_box(b, ob), (text, other)


def test_reported_impact_name_goes_past_its_area() -> None:
    site = LonLat(136.0, 39.0)
    area = range_area(site, 30_000.0, tolerance_m=100.0).geometry
    content = MapContent(
        "Impact",
        [
            MapFeature(area, "impact_uncertainty", "", {}),
            MapFeature(Point(136.0, 39.0), "reported_impact", "Here", {}),
        ],
        focus=site,
    )
    lay = Layout(content, _plane(site, 400_000.0, 225_000.0), 400_000.0, 225_000.0)
    ((spec, placed),) = lay.placed
    assert spec.around is not None
    assert spec.around[2] == pytest.approx(30_000.0, abs=500.0)  # the area's east edge, m
    assert placed is not None
    east_edge = lay.px((spec.around[2], 0.0))[0]
    assert placed.box[0] > east_edge


def test_reference_points_are_named_after_impacts() -> None:
    noto = LonLat(136.9, 37.3)
    ref = MapFeature(Point(noto.lon_deg, noto.lat_deg), "reference_point", "Noto Peninsula", {})
    content = MapContent(
        "Reference",
        [
            ref,
            MapFeature(Point(136.2, 39.0), "reported_impact", "200 km NNW", {}),
            _site(SOHAE, "Sohae"),
        ],
        focus=SOHAE,
    )
    specs = layout.label_specs(content, _plane(SOHAE, 1_200_000.0, 640_000.0))
    assert [(s.kind, s.texts) for s in specs] == [
        ("site", ["Sohae"]),
        ("reported_impact", ["200 km NNW"]),
        ("reference_point", ["Noto Peninsula"]),
    ]
    assert specs[2].colour == feature_style(ref, content).color


def test_both_renderers_centre_on_the_same_point() -> None:
    ring = _ring(SUNAN, 1000, "1,000 km")
    assert layout.focus_point(MapContent("f", [ring], focus=SOHAE)) == SOHAE
    site = _site(SINPO, "Sinpo")
    got = layout.focus_point(MapContent("s", [ring, site]))
    assert (got.lon_deg, got.lat_deg) == (SINPO.lon_deg, SINPO.lat_deg)
    # no focus, no site: the middle of what the map shows (the ring's centre, within 0.5°)
    mid = layout.focus_point(MapContent("r", [ring]))
    assert abs(mid.lon_deg - SUNAN.lon_deg) < 0.5 and abs(mid.lat_deg - SUNAN.lat_deg) < 0.5
    from geo.present.html_map import focus_lon
    from geo.present.image.frame import focus_of

    for c in (MapContent("r", [ring]), MapContent("s", [ring, site])):
        assert focus_lon(c) == focus_of(c).lon_deg == layout.focus_point(c).lon_deg


def test_legend_entries_name_each_range_once() -> None:
    content = icbm_like()
    titles = [e.title for e in area_names.legend_entries(content)]
    assert titles.count("Range: 13,000 km") == 1
    assert "Range: KN-23: 600 km" in titles and "Launch site" in titles
    assert titles.index("Range: 5,500 km") < titles.index("Reported impact")
    area = MapFeature(range_area(SUNAN, 400_000.0).geometry, "range_area", "400 km", {})
    alone = MapContent("Area", [area], focus=SUNAN)
    assert [e.title for e in area_names.legend_entries(alone)] == ["Range area: 400 km"]
    with_ring = MapContent("Both", [area, _ring(SUNAN, 400, "400 km")], focus=SUNAN)
    assert [e.title for e in area_names.legend_entries(with_ring)] == ["Range: 400 km"]


def test_area_names_go_where_most_of_the_area_shows() -> None:
    big = Polygon([(0, 0), (100, 0), (100, 50), (0, 50)])
    small = Polygon([(0, 60), (4, 60), (4, 64), (0, 64)])
    cut = Polygon([(-30, 70), (30, 70), (30, 90), (-30, 90)])
    windows = [shapely.box(0, 0, 100, 100), shapely.box(-100, 0, -1, 100)]
    got = area_names.area_candidates([small, big, cut], windows, 100 * 100 + 99 * 100, 0.01, 3)
    assert [a.key for a in got] == [1, 2]  # biggest first; the small one is under the share
    assert got[1].part.bounds == pytest.approx((0.0, 70.0, 30.0, 90.0))  # its larger piece
    assert all(got[1].part.contains(Point(p)) for p in got[1].places)


# --- colours and texts -------------------------------------------------------------------------


def test_distinct_ranges_get_distinct_colours() -> None:
    from test_html_map import SARIWON

    feats = []
    for km in range(100, 100 * (len(RANGE_PALETTE) + 6), 100):
        shape = range_area(SARIWON, km * 1000.0)
        feats.append(MapFeature(shape.outline, "ring", f"{km:,} km", {"range_km": float(km)}))
    content = MapContent(title="Many ranges", features=feats, focus=SARIWON)
    colours = range_colours(content)
    assert len(colours) == len(feats)
    assert len(set(colours.values())) == len(feats)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours.values())


def test_a_ring_on_another_ranges_ring_is_dashed() -> None:
    """13,000 km and the Hwasong-15's 8,500–13,000 km band share a circle: the later is
    dashed so that both colours show."""
    content = icbm_like()
    rings = content.of_kind("ring")
    dashed = [f for f in rings if feature_style(f, content).dash]
    assert [f.label for f in dashed] == ["Hwasong-15: 8,500–13,000 km"]
    assert not feature_style(rings[1], content).dash


def test_map_names_are_short_forms() -> None:
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


# --------------------------------------------------------------------------------------
# Briefings as `rangezone build` makes them: one slide and one page per case
# --------------------------------------------------------------------------------------


def _content(path: Path) -> MapContent:
    from geo.briefing.build import build_briefing
    from geo.briefing.scenario import load_scenario

    return build_briefing(load_scenario(path)).content


@pytest.fixture(scope="module")
def briefings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, MapContent]]:
    """The map contents of the ICBM, bands, seed and multi-site briefings, built once (with
    a private data directory: module fixtures run before the per-test one)."""
    root = tmp_path_factory.mktemp("label-layout")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RANGEZONE_DATA_DIR", str(root / "data"))
        for name, text in (("icbm", ICBM), ("bands", BANDS), ("multi", MULTI)):
            (root / f"{name}.yaml").write_text(text, encoding="utf-8")
        yield {
            "icbm": _content(root / "icbm.yaml"),
            "bands": _content(root / "bands.yaml"),
            "seed": _content(SEED),
            "multi": _content(root / "multi.yaml"),
        }


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

    def leaders(self) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for line in self.ax.lines:
            if line.get_gid() == "rz-leader":
                out.setdefault(str(line.get_label()), []).append(line)
        return out

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
    return bool(a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0)


def _rings(content: MapContent) -> list[MapFeature]:
    return [f for f in content.of_kind("ring") if not f.geometry.is_empty]


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_slide_names_are_apart_named_in_colour_and_clear_of_the_legend(
    slides: dict[str, Slide], name: str
) -> None:
    from matplotlib.colors import to_hex

    s = slides[name]
    boxes = [(t.get_text(), s.extent(t)) for t in s.texts]
    leg = s.legend
    assert s.box.x0 <= leg.x0 and leg.x1 <= s.box.x1 and s.box.y0 <= leg.y0
    assert leg.y1 <= s.box.y1
    for i, (text, bb) in enumerate(boxes):
        assert s.box.x0 <= bb.x0 and bb.x1 <= s.box.x1, text
        assert s.box.y0 <= bb.y0 and bb.y1 <= s.box.y1, text
        assert _apart(bb, leg), text
        for other, ob in boxes[i + 1 :]:
            assert _apart(bb, ob), (text, other)
    # the legend hides no site, no reported impact, no point a ring's name sits on
    r = 0.05 * SLIDE_DPI
    for f in s.content.of_kind("site", "reported_impact"):
        x, y = s.at(f.geometry.x, f.geometry.y)
        assert not (leg.x0 - r < x < leg.x1 + r and leg.y0 - r < y < leg.y1 + r), f.label
    names = s.named("ring")
    for t in names:
        x, y = s.ax.transData.transform(t.get_position())
        assert not (leg.x0 < x < leg.x1 and leg.y0 < y < leg.y1), t.get_text()
    # every ring named (two rings of one range from two sites: twice), in its range's
    # colour; distinct ranges in distinct colours
    rings = _rings(s.content)
    assert len(names) == len(rings), [t.get_text() for t in names]
    for f in rings:
        colour = feature_style(f, s.content).color
        mine = [t for t in names if t.get_text() in label_variants(f)]
        assert mine, (f.label, [t.get_text() for t in names])
        assert any(to_hex(t.get_color()) == colour.lower() for t in mine), f.label
    by_range = {label_variants(f)[0]: feature_style(f, s.content).color for f in rings}
    assert len(set(by_range.values())) == len(by_range)
    # a ring's leader takes its colour
    leaders = s.leaders()
    for t in names:
        for line in leaders.get(t.get_text(), []):
            assert to_hex(line.get_color()) == to_hex(t.get_color())


@pytest.mark.slow
def test_world_map_legend_sits_beside_the_globe(slides: dict[str, Slide]) -> None:
    from matplotlib.patches import Circle

    s = slides["icbm"]
    globe = next(p for p in s.ax.patches if isinstance(p, Circle))  # a whole-globe view
    _, cy = s.ax.transData.transform((0.0, 0.0))
    rx, _ = s.ax.transData.transform((globe.get_radius(), 0.0))
    assert s.legend.x0 > rx, (s.legend.x0, rx)
    assert abs(cy - 0.5 * (s.box.y0 + s.box.y1)) < 2.0  # the globe keeps its place
    # entries wrap: the legend is no wider than the room beside the globe
    assert s.legend.width < s.box.x1 - rx
    assert [t.get_text() for t in s.named("site")] == ["Sunan"]
    assert [t.get_text() for t in s.named("reference_point")] == ["Cape Tappi"]
    assert [t.get_text() for t in s.named("reported_impact")] == ["Splashdown"]
    assert "2,490 km to United States' EEZ" in [t.get_text() for t in s.named("line")]


@pytest.mark.slow
def test_seed_legend_stays_in_its_corner(slides: dict[str, Slide]) -> None:
    s = slides["seed"]
    assert s.legend.x1 > s.box.x1 - 0.2 * SLIDE_DPI
    assert s.legend.y0 < s.box.y0 + 0.2 * SLIDE_DPI


@pytest.mark.slow
def test_nearest_line_name_clears_the_site_name(slides: dict[str, Slide]) -> None:
    """The bands briefing: "470 km to Japan's EEZ" once hid under "Wonsan Kalma airport"."""
    s = slides["bands"]
    (site,) = s.named("site")
    lines = s.named("line")
    assert [t.get_text() for t in lines] == [label_variants(s.content.of_kind("nearest")[0])[0]]
    assert _apart(s.extent(site), s.extent(lines[0]))


def _box_distance(bb: Any, x: float, y: float) -> float:
    ex = min(max(x, bb.x0), bb.x1)
    ey = min(max(y, bb.y0), bb.y1)
    return float(np.hypot(x - ex, y - ey))


@pytest.mark.slow
def test_multi_site_slide_keeps_order_and_leads_far_names(slides: dict[str, Slide]) -> None:
    from geo.present.image.frame import Projector, focus_of, outline_of

    s = slides["multi"]
    content = s.content
    sites = {t.get_text(): s.extent(t) for t in s.named("site")}
    assert {"Sunan", "Sinpo", "Sohae"} <= set(sites)
    sinpo, sohae = sites["Sinpo"], sites["Sohae"]
    assert 0.5 * (sinpo.x0 + sinpo.x1) > 0.5 * (sohae.x0 + sohae.x1)
    proj = Projector(focus_of(content))
    leaders = s.leaders()
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
            if gap <= layout.LEADER_AFTER * bb.height:
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


@pytest.mark.slow
def test_legend_makes_room_when_every_corner_is_busy() -> None:
    """Sites in every corner and along every side of the view: the legend goes beside the
    content, in room the frame makes for it, and hides none of them."""
    import matplotlib.pyplot as plt

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


# --- the HTML map ---------------------------------------------------------------------------


def _payload(page: str) -> dict[str, Any]:
    from geo.present.page_data import read_page_data

    return read_page_data(page)


def _items(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [it for lay in data["layers"] if lay["kind"] == kind for it in lay["items"]]


class _Pages(dict[str, str]):
    """Pages rendered when first asked for (a page takes seconds)."""

    def __init__(self, briefings: dict[str, MapContent]) -> None:
        super().__init__()
        self.briefings = briefings

    def __missing__(self, name: str) -> str:
        from geo.present.html_map import render_html

        page = self[name] = render_html(self.briefings[name])
        return page


@pytest.fixture(scope="module")
def pages(briefings: dict[str, MapContent]) -> dict[str, str]:
    return _Pages(briefings)


@pytest.mark.slow
def test_multi_site_page_names_look_away_from_each_other(pages: dict[str, str]) -> None:
    data = _payload(pages["multi"])
    for it in _items(data, "ring"):
        assert it.get("label"), it["t"]
    # sites in a cluster look away from one another: Sinpo east, Sohae west
    side = {it["label"]["texts"][0]: it["label"]["side"] for it in _items(data, "site")}
    assert side["Sinpo"][0] > 0 > side["Sohae"][0]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["icbm", "multi"])
def test_page_rings_have_distinct_colours_and_names(
    pages: dict[str, str], briefings: dict[str, MapContent], name: str
) -> None:
    data = _payload(pages[name])
    assert data["placer"] == layout.PLACER_CONSTANTS  # the page's placer gets its constants
    rings = _items(data, "ring")
    assert len(rings) == len(_rings(briefings[name]))
    assert all("label" in it for it in rings)
    by_range: dict[str, str] = {}
    for it in rings:
        text, colour = it["label"]["texts"][0], it["label"]["colour"]
        assert colour == it["style"]["color"]
        by_range.setdefault(text, colour)
        assert by_range[text] == colour
    assert len(set(by_range.values())) == len(by_range)
    legend = pages[name].split('id="rz-legend"', 1)[1].split("</details>", 1)[0]
    for f in _rings(briefings[name]):
        assert f"Range: {f.label}" in legend.replace("&#x27;", "'")


@pytest.mark.slow
def test_page_names_carry_their_places_and_priority(pages: dict[str, str]) -> None:
    data = _payload(pages["icbm"])
    site = _items(data, "site")[0]["label"]
    impact = _items(data, "reported_impact")[0]["label"]
    line = _items(data, "nearest")[0]["label"]
    rings = [it["label"] for it in _items(data, "ring")]
    fields = {"kind", "texts", "colour", "places", "normals", "key", "side", "around"}
    for lab in [site, impact, line, *rings]:
        assert fields | {"priority", "leader"} == set(lab) - {"attached"}, lab
        assert all(len(p) == 2 and -90 <= p[0] <= 90 for p in lab["places"])
    assert site["kind"] == "site" and site["texts"] == ["Sunan"]
    assert site["places"][0] == pytest.approx([39.20299, 125.70926], abs=1e-5)
    assert site["priority"] < impact["priority"] < line["priority"]
    assert line["priority"] < min(r["priority"] for r in rings)
    for r in rings:
        assert len(r["places"]) > 10 and len(r["normals"]) == len(r["places"])  # along it
        assert r["key"].startswith("range:")
    assert len(line["places"]) > 3
    assert line["texts"] == ["2,490 km to United States' EEZ", "2,490 km"]
    assert line["key"] == "nearest:2,490 km to United States of America's EEZ"


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
            _items(_payload(pages["icbm"]), "ring")
        ), shown

        def apart(a: dict[str, float], b: dict[str, float]) -> bool:
            return a["r"] <= b["l"] or b["r"] <= a["l"] or a["b"] <= b["t"] or b["b"] <= a["t"]

        for i, a in enumerate(labels):
            assert apart(a, res["legend"]), a["text"]
            for b in labels[i + 1 :]:
                assert apart(a, b), (a["text"], b["text"], width)


def test_subject_name_stands_beside_its_land_when_its_places_are_taken() -> None:
    """2022-08-04: names covered every place on Japan's islands; the name goes beside the
    nearest free side of a visible piece instead (pure layout, renderer units)."""
    from shapely.geometry import MultiPolygon, Polygon, box

    from geo.present.area_names import name_beside, visible_pieces
    from geo.present.layout import Placer

    big = Polygon([(500, 300), (520, 300), (520, 312), (500, 312)])
    small = Polygon([(540, 300), (546, 300), (546, 306), (540, 306)])
    far = Polygon([(2000, 300), (2100, 300), (2100, 400), (2000, 400)])  # out of view
    pieces = visible_pieces(MultiPolygon([small, big, far]), [box(0, 0, 1000, 600)])
    assert len(pieces) == 2
    assert big.contains(Point(pieces[0])) and small.contains(Point(pieces[1]))
    placer = Placer((0.0, 0.0, 1000.0, 600.0))
    placer.take((480.0, 290.0, 560.0, 322.0))  # other names over both islands
    assert placer.place_fixed((60.0, 14.0), pieces) is None
    placed = name_beside(placer, (60.0, 14.0), pieces, (2.0, 2.0), 1.0)
    assert placed is not None
    x0, y0, x1, y1 = placed.box
    assert not (x0 < 560 and x1 > 480 and y0 < 322 and y1 > 290)  # clear of the taken box
    cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    assert math.hypot(cx - 510, cy - 306) < 80  # beside the islands, not anywhere


def test_a_leg_name_stays_beside_its_leg_or_is_left_out() -> None:
    """2022-08-04 page at 1000 px: "80 km NNW" found no room beside its short leg and went
    to a far place, where it read as drifting away. A leg's name is attached: beside the leg
    or not at all (the impact's name says the same)."""
    from geo.present.layout import Placer, Request

    def crowded() -> Placer:
        p = Placer((0.0, 0.0, 900.0, 600.0))
        p.take((300.0, 240.0, 500.0, 360.0))  # names all around the short leg
        return p

    leg = [(400.0, 300.0), (396.0, 306.0)]
    free = Request("line", [(60.0, 13.0)], leg, margin=(2.5, 3.4))
    assert crowded().place(free) is not None  # a plain line's name goes further off
    tied = Request("line", [(60.0, 13.0)], leg, margin=(2.5, 3.4), attached=True)
    assert crowded().place(tied) is None
    got = Placer((0.0, 0.0, 900.0, 600.0)).place(tied)
    assert got is not None
    x0, y0, x1, y1 = got.box
    gap = max(x0 - 400.0, 396.0 - x1, y0 - 306.0, 300.0 - y1, 0.0)
    assert gap <= 14.0 + 1e-9  # within the second line gap of its leg


def test_a_track_name_keeps_off_its_own_line_where_it_can() -> None:
    """The 2017-08-29 slide wrote "Ground track (geodesic), 2,691 km" across its own track:
    every place at the nearest gap crossed the diagonal line, and crossing its own line was
    allowed there. A place clear of every line beside it now comes first."""
    from geo.present.layout import Placer, Request

    p = Placer((0.0, 0.0, 900.0, 600.0))
    p.add_line("track:t", [[(60.0, 60.0), (240.0, 240.0)]])
    r = Request("line", [(120.0, 13.0)], [(150.0, 150.0), (160.0, 160.0)], key="track:t",
                margin=(2.5, 3.4))  # fmt: skip
    got = p.place(r)
    assert got is not None
    assert not shapely.box(*got.box).intersects(LineString([(60, 60), (240, 240)]))
    x0, y0, x1, y1 = got.box
    gap = max(x0 - 160.0, 150.0 - x1, y0 - 160.0, 150.0 - y1, 0.0)
    assert gap <= 14.0 + 1e-9  # still beside its line
