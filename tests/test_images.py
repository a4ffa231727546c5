"""Slide images: pixel size, not blank, valid SVG and PDF, and true geometry in the
azimuthal equidistant projection (rings are circles, polar caps and antimeridian crossings
fill the right side)."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from geo.core.types import LonLat
from geo.errors import InputError
from geo.present.image import render_image, render_images
from geo.present.image.draw import LABEL_PT, poly_path
from geo.present.image.frame import Projector, fit_frame, focus_of
from geo.present.image.render import make_figure

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

RING_TOL_M = 100.0 * 1.01 + 0.01
"""A ring drawn by ``range_area`` at its default 100 m tolerance: vertices lie on the circle
(1 mm) and the points along its straight lon/lat edges within ``tolerance × 1.01 + 1 cm`` of
it (tests/README.md); the azimuthal equidistant radius is the geodesic distance itself."""


def _pixels(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"), dtype=float)


def test_png_has_the_requested_size_and_content(tmp_path: Path) -> None:
    from test_html_map import seed_content

    out = tmp_path / "seed.png"
    render_image(seed_content(), out, dpi=100)
    px = _pixels(out)
    assert px.shape[:2] == (750, 1333)
    assert px.std() > 20.0  # a map, not a blank page
    # several distinct colours: land, sea, zones, the range area, text
    assert len(np.unique(px.reshape(-1, 3)[::97], axis=0)) > 50
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "image-seed.png").write_bytes(out.read_bytes())


@pytest.mark.slow
def test_png_size_follows_dpi_and_size(tmp_path: Path) -> None:
    from test_html_map import seed_content

    out = tmp_path / "small.png"
    render_image(seed_content(), out, dpi=60, size_in=(8.0, 4.5))
    assert _pixels(out).shape[:2] == (270, 480)


def test_one_drawing_saved_as_png_svg_and_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_html_map import XSS, seed_content

    import geo.present.image.render as render

    drawn: list[object] = []
    real = render.make_figure

    def counting(*args: Any, **kw: Any) -> Any:
        drawn.append(args)
        return real(*args, **kw)

    monkeypatch.setattr(render, "make_figure", counting)
    png, svg, pdf = tmp_path / "seed.png", tmp_path / "seed.svg", tmp_path / "slide.pdf"
    written = render_images(
        seed_content(title=XSS), [(png, None), (svg, "svg"), (pdf, "pdf")], dpi=60
    )
    assert written == [png, svg, pdf]
    assert len(drawn) == 1  # the figure is drawn once for the three files
    assert _pixels(png).shape[:2] == (450, 800)
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert XSS in texts  # kept as text, escaped by the XML writer
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(data) > 20_000
    # fonts are embedded subsets, with a Unicode map (text can be searched and copied)
    assert b"/Subtype /Type3" in data and b"/ToUnicode" in data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed.png", "seed.svg", "slide.pdf"]


@pytest.mark.slow
def test_no_file_replaced_when_one_output_fails(tmp_path: Path) -> None:
    from test_html_map import seed_content

    from geo.errors import OutputPathError

    old = tmp_path / "map.png"
    old.write_bytes(b"old slide")
    (tmp_path / "taken.svg").mkdir()  # a folder where the SVG should go
    with pytest.raises(OutputPathError, match=r"taken\.svg"):
        render_images(seed_content(), [(old, "png"), (tmp_path / "taken.svg", "svg")], dpi=40)
    assert old.read_bytes() == b"old slide"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png", "taken.svg"]


def _fork_possible() -> bool:
    import os
    import sys

    return sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) > 1


# Only the platform and CPUs are required here: earlier tests in the same session (a Dask
# cluster, a browser's reader) may leave threads behind, which makes _Job.possible() refuse
# and render_images save serially; the test forces the fork it is about.
@pytest.mark.skipif(not _fork_possible(), reason="needs Linux and two CPUs")
@pytest.mark.parametrize("how", ["saves", "raises"])
def test_beside_saves_the_other_files_in_a_second_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """With ``beside``, the PNG is saved here and the SVG and PDF in the forked process;
    a failure there fails the call and replaces nothing."""
    import os

    from matplotlib.figure import Figure
    from test_html_map import seed_content

    from geo.briefing.write import _Job
    from geo.errors import WriteError

    real = Figure.savefig
    seen = tmp_path / "seen"
    seen.mkdir()

    def recording(self: Figure, fname: Any, *args: Any, **kw: Any) -> None:
        (seen / f"{kw['format']}-{os.getpid()}").touch()
        if how == "raises" and kw["format"] == "pdf":
            raise WriteError("cannot write map.pdf: No space left on device")
        real(self, fname, *args, **kw)

    monkeypatch.setattr(Figure, "savefig", recording)
    monkeypatch.setattr(_Job, "possible", staticmethod(lambda: True))
    out = tmp_path / "out"
    out.mkdir()
    (out / "map.png").write_bytes(b"old slide")
    targets: list[tuple[Path, Any]] = [(out / f"map.{f}", f) for f in ("png", "svg", "pdf")]
    if how == "raises":
        with pytest.raises(WriteError, match="No space left on device"):
            render_images(seed_content(), targets, dpi=40, beside=_Job.start)
        assert [p.name for p in out.iterdir()] == ["map.png"]
        assert (out / "map.png").read_bytes() == b"old slide"
    else:
        written = render_images(seed_content(), targets, dpi=40, beside=_Job.start)
        assert written == [p for p, _ in targets]
        assert _pixels(out / "map.png").shape[:2] == (300, 533)
        assert ET.parse(out / "map.svg").getroot().tag == "{http://www.w3.org/2000/svg}svg"
        assert (out / "map.pdf").read_bytes().rstrip().endswith(b"%%EOF")
        assert sorted(p.name for p in out.iterdir()) == ["map.pdf", "map.png", "map.svg"]
    pid = {f: int(n) for f, n in (p.name.split("-") for p in seen.iterdir())}
    assert pid["png"] == os.getpid()
    assert pid["svg"] == pid["pdf"] != os.getpid()


def test_format_from_suffix_and_bad_format(tmp_path: Path) -> None:
    from test_html_map import seed_content

    with pytest.raises(InputError):
        render_image(seed_content(), tmp_path / "map.gif")
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "site", "range_km"),
    [
        ("antimeridian", LonLat(177.5, 64.7), 1500.0),
        ("polar", LonLat(15.6, 78.2), 2000.0),
        ("huge", LonLat(125.75444, 38.50778), 15000.0),
    ],
)
def test_wide_rings_render(tmp_path: Path, name: str, site: LonLat, range_km: float) -> None:
    """Whole rings across 180°, round the pole and over most of the globe make a slide.
    Stand-in zones only: a slide of the official file's zones is drawn in
    test_zone_labels_are_inside_the_axes_and_legible."""
    from test_html_map import ring_content

    out = tmp_path / f"{name}.png"
    content = ring_content(site, range_km, f"{range_km:,.0f} km", zones=True)
    render_image(content, out, dpi=60)
    px = _pixels(out)
    assert px.shape[:2] == (450, 800) and px.std() > 20.0
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"image-{name}.png").write_bytes(out.read_bytes())


def _projected_area(site: LonLat, range_km: float) -> tuple[Projector, object]:
    from test_html_map import ring_content

    content = ring_content(site, range_km, "t")
    proj = Projector(focus_of(content))
    area = content.of_kind("range_area")[0].geometry
    return proj, poly_path(proj.geom(area))


def test_polar_cap_projects_to_a_disk_not_its_complement() -> None:
    site = LonLat(15.6, 78.2)
    proj, path = _projected_area(site, 2000.0)
    assert path is not None
    x, y = proj.xy([0.0, 120.0, -100.0], [89.9, 85.0, 82.0])  # around the pole: inside
    for xi, yi in zip(x, y, strict=True):
        assert path.contains_point((xi, yi))  # type: ignore[attr-defined]
    x, y = proj.xy([15.6, -170.0], [55.0, 55.0])  # 2,500+ km away: outside
    for xi, yi in zip(x, y, strict=True):
        assert not path.contains_point((xi, yi))  # type: ignore[attr-defined]


def test_ring_across_the_antimeridian_is_a_circle() -> None:
    from test_html_map import ring_content

    site = LonLat(177.5, 64.7)
    content = ring_content(site, 1500.0, "t")
    proj = Projector(site)
    ring = proj.geom(content.of_kind("ring")[0].geometry)
    xy = shapely.get_coordinates(ring)
    r = np.hypot(xy[:, 0], xy[:, 1])
    # azimuthal equidistant: every point of the ring is 1,500 km from the centre
    assert np.abs(r - 1_500_000.0).max() <= RING_TOL_M
    # pieces split at 180° meet: no edge jumps across the map
    for part in getattr(ring, "geoms", [ring]):
        c = np.asarray(part.coords)
        assert np.hypot(*np.diff(c, axis=0).T).max() < 100_000.0


def test_huge_ring_shows_the_whole_disk() -> None:
    from test_html_map import ring_content

    site = LonLat(125.75444, 38.50778)
    content = ring_content(site, 15000.0, "t")
    proj = Projector(site)
    frame = fit_frame(content, proj, site, 16 / 9)
    assert frame.whole_disk
    assert 15_000_000 < frame.clip_radius <= 19_500_000
    _, path = _projected_area(site, 15000.0)
    assert path is not None
    assert path.contains_point((0.0, 0.0))  # type: ignore[attr-defined]
    assert path.contains_point((14_000_000.0, 0.0))  # type: ignore[attr-defined]
    assert not path.contains_point((0.0, -16_000_000.0))  # type: ignore[attr-defined]


def test_seed_frame_is_centred_on_the_site() -> None:
    from test_html_map import seed_content

    content = seed_content()
    site = focus_of(content)
    frame = fit_frame(content, Projector(site), site, 16 / 9)
    assert not frame.whole_disk
    (x0, x1), (y0, y1) = frame.xlim, frame.ylim
    assert x0 < -400_000 and x1 > 400_000 and y0 < -400_000 and y1 > 400_000
    assert (y1 - y0) < 1_200_000
    assert math.isclose((x1 - x0) / (y1 - y0), 16 / 9)
    assert Point(0, 0).within(shapely.box(x0, y0, x1, y1))


@pytest.mark.slow
def test_zone_labels_are_inside_the_axes_and_legible(official_eez_path: Path) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.text import Text
    from test_html_map import nearest_content

    fig = make_figure(nearest_content(eez=official_eez_path), dpi=100, size_in=(13.33, 7.5))
    try:
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        ax = fig.axes[0]
        box = ax.get_window_extent(renderer)
        zones = [t for t in ax.texts if t.get_gid() == "rz-zone-label"]
        names = [t.get_text() for t in zones]
        assert "Japan EEZ" in names, names
        for t in zones:
            bb = t.get_window_extent(renderer)
            assert box.x0 <= bb.x0 and bb.x1 <= box.x1 and box.y0 <= bb.y0 and bb.y1 <= box.y1
        countries = [t.get_text() for t in ax.texts if t.get_gid() == "rz-country-label"]
        assert "JAPAN" in countries, countries
        # no two names overlap, and every text on the map is at least 9 pt
        placed = [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]
        named = [t for t in ax.texts if t.get_gid() in ("rz-zone-label", "rz-country-label")]
        for t in named:
            bb = t.get_window_extent(renderer)
            assert sum(bb.overlaps(o) for o in placed) == 1, t.get_text()
        for t in ax.findobj(Text):
            if t.get_text():
                assert float(t.get_fontsize()) >= LABEL_PT, (t.get_text(), t.get_fontsize())
    finally:
        plt.close(fig)


def test_view_includes_the_nearest_line_with_a_margin() -> None:
    from test_html_map import JAPAN_EEZ_END, nearest_content

    content = nearest_content()
    site = focus_of(content)
    proj = Projector(site)
    frame = fit_frame(content, proj, site, 16 / 9)
    (x0, x1), (y0, y1) = frame.xlim, frame.ylim
    ex, ey = proj.xy([JAPAN_EEZ_END.lon_deg], [JAPAN_EEZ_END.lat_deg])
    margin = min(float(ex[0]) - x0, x1 - float(ex[0]), float(ey[0]) - y0, y1 - float(ey[0]))
    assert margin >= 60_000.0, margin


@pytest.mark.slow
def test_attribution_wraps_inside_the_slide(tmp_path: Path) -> None:
    import matplotlib.pyplot as plt
    from test_html_map import seed_content

    content = seed_content()
    content.notes.append("Source: " + "a very long citation " * 30 + "https://x/" + "y" * 300)
    fig = make_figure(content, dpi=100, size_in=(13.33, 7.5))
    try:
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        width = fig.bbox.width
        for t in fig.texts:
            bb = t.get_window_extent(renderer)
            assert bb.x0 >= 0 and bb.x1 <= width, t.get_text()[:60]
            assert bb.y0 >= 0
        assert len(fig.texts) > len(content.attribution_lines()) + 3  # the long note wrapped
        assert fig.axes[0].get_window_extent(renderer).y0 > max(
            t.get_window_extent(renderer).y1 for t in fig.texts if t.get_position()[1] < 0.5
        )
    finally:
        plt.close(fig)


@pytest.mark.slow
def test_small_uncertainty_area_gets_a_detail_view(tmp_path: Path) -> None:
    import matplotlib.pyplot as plt
    from test_html_map import ring_content, seed_content

    from geo.core.impact import reported_impact
    from geo.present.content import MapFeature

    # Sohae, a 1,000 km ring, an impact reported 200 km NNW of the Noto Peninsula: its
    # uncertainty area is smaller than the impact's marker on the map.
    site = LonLat(124.7057, 39.6596)
    content = ring_content(site, 1000.0, "Sohae")
    imp = reported_impact(LonLat(136.9, 37.4), 200_000, 337.5, distance_uncertainty=0.1)
    content.features += [
        MapFeature(imp.area.geometry, "impact_uncertainty", "area", {}),
        MapFeature(Point(*imp.point), "reported_impact", "200 km NNW of Noto", {}),
    ]
    fig = make_figure(content, dpi=100, size_in=(13.33, 7.5))
    try:
        assert len(fig.axes) == 2
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        main, inset = fig.axes
        mb, ib = main.get_window_extent(renderer), inset.get_window_extent(renderer)
        assert mb.x0 <= ib.x0 and ib.x1 <= mb.x1 and mb.y0 <= ib.y0 and ib.y1 <= mb.y1
        # the inset shows the whole area around the impact
        proj = Projector(site)
        ax_, ay_ = proj.xy(*np.asarray(imp.area.geometry.exterior.coords).T)
        (ix0, ix1), (iy0, iy1) = inset.get_xlim(), inset.get_ylim()
        assert ix0 < ax_.min() and ax_.max() < ix1 and iy0 < ay_.min() and ay_.max() < iy1
        # and is several times bigger there than on the map
        assert (ix1 - ix0) < 0.2 * (main.get_xlim()[1] - main.get_xlim()[0])
    finally:
        plt.close(fig)
    out = tmp_path / "detail.png"
    render_image(content, out, dpi=60)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "image-impact-detail.png").write_bytes(out.read_bytes())
    # the seed's uncertainty area is big enough to read on the map: no detail view
    fig = make_figure(seed_content(), dpi=100, size_in=(13.33, 7.5))
    try:
        assert len(fig.axes) == 1
    finally:
        plt.close(fig)


# --- user text is drawn as it is -------------------------------------------------------

DOLLARS = "Cost $5 and $6"
BAD_MATH = r"Pay $\frac{$ now"
"""Mathtext that does not parse: drawn as math, it raises ValueError while rendering."""


def _dollar_content() -> Any:
    from test_html_map import seed_content

    content = seed_content(title=DOLLARS)
    content.subtitle = "Budget: $x^2$ and _under_"
    content.date = "$1"
    content.notes.append(f"Note: {BAD_MATH}")
    for f in content.features:
        if f.kind == "site":
            f.label = BAD_MATH
        if f.kind in ("ring", "range_area"):
            f.label = "$400 km$"
    return content


@pytest.mark.slow
def test_dollar_signs_are_not_mathtext(tmp_path: Path) -> None:
    content = _dollar_content()
    svg = tmp_path / "dollars.svg"
    render_image(content, svg)  # no ValueError from the mathtext parser
    root = ET.parse(svg).getroot()
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    for want in (DOLLARS, "Budget: $x^2$ and _under_", "$1", f"Note: {BAD_MATH}"):
        assert want in texts
    assert "Range: $400 km$" in texts  # a legend entry
    png = tmp_path / "dollars.png"
    render_image(content, png, dpi=60)
    assert _pixels(png).std() > 20.0
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "image-dollars.png").write_bytes(png.read_bytes())


@pytest.mark.slow
def test_every_text_of_the_figure_is_literal() -> None:
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    fig = make_figure(_dollar_content(), dpi=60, size_in=(13.33, 7.5))
    try:
        texts = [t for t in fig.findobj(Text) if t.get_text()]
        shown = {t.get_text() for t in texts}
        # map labels are drawn as paths (they have a halo), so check the Text objects
        assert {BAD_MATH, "$400 km$", DOLLARS, "Range: $400 km$"} <= shown
        assert [t.get_text() for t in texts if t.get_parse_math()] == []
    finally:
        plt.close(fig)
    import matplotlib

    assert matplotlib.rcParams["text.parse_math"] is True  # the setting was local


def test_north_arrow_points_to_true_north_where_it_stands() -> None:
    """Slides read bearings ("200 km NNW") against a north arrow; on the azimuthal
    projection north is straight up only at the centre and leans toward the pole elsewhere."""
    from geo.core.types import LonLat
    from geo.present.image.draw import north_angle
    from geo.present.image.frame import Projector

    proj = Projector(LonLat(126.0, 40.0))
    assert north_angle(proj, 0.0, 0.0) == pytest.approx(90.0, abs=0.01)
    # 1,000 km east of the centre: the pole (about 5,560 km up the centre's meridian)
    # lies up and to the left
    east = north_angle(proj, 1_000_000.0, 0.0)
    assert east is not None and 91.0 < east < 90.0 + math.degrees(math.atan(1 / 5.56)) + 2.0
    west = north_angle(proj, -1_000_000.0, 0.0)
    assert west is not None and west == pytest.approx(180.0 - east, abs=0.01)
    assert north_angle(proj, 30_000_000.0, 0.0) is None  # off the globe
