"""A briefing is computed once into typed results and written from them, computing nothing
again per output."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

import pytest
from conftest import rhumb_forward
from pyproj import Geod

from geo.briefing.build import build_briefing
from geo.briefing.results import Briefing, report_record
from geo.briefing.scenario import load_scenario
from geo.briefing.write import _Job, write_outputs
from geo.core.verdicts import AreaVerdict, PointVerdict

SEED = Path(__file__).resolve().parent.parent / "maps" / "2024-11-05-sariwon.yaml"
GEOD = Geod(ellps="WGS84")


def _fail(*_args: object, **_kw: object) -> NoReturn:
    raise AssertionError("a writer computed again")


def test_results_are_typed_and_writers_only_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sc = load_scenario(SEED)
    assert sc.events[0].impacts == ()
    b = build_briefing(sc)
    [ev] = b.events
    assert ev.spec.name == "SRBM salvo"
    [rng] = ev.ranges
    assert rng.area == "400 km range area"
    assert rng.extent.max_range_m == 400_000.0 and rng.extent.min_range_m == 0.0
    # the area is the one the shape was computed with, in m² (not km² scaled back)
    feature_km2 = rng.drawn.area.properties["area_km2"]
    assert rng.drawn.shape.area_m2 == pytest.approx(feature_km2 * 1e6, abs=1.0)
    av = rng.verdict
    assert rng.verdicts == (av,)  # one country: the verdict itself
    assert av.area_km2 == pytest.approx(rng.drawn.shape.area_m2 / 1e6, abs=1e-6)
    assert isinstance(av, AreaVerdict) and av.verdict is not None
    assert av.verdict.country == "Japan" and av.verdict.reaches is False
    assert ev.trajectory is not None and ev.trajectory.range_km == 400.0

    # writing computes nothing: verdicts and shapes would raise
    for name in ("area_verdict", "impact_verdict", "point_verdict"):
        monkeypatch.setattr(f"geo.core.verdicts.{name}", _fail)
    monkeypatch.setattr("geo.briefing.compose.shape_for", _fail)
    b.scenario = dataclasses.replace(sc, outputs=("report", "geojson"))
    written = write_outputs(b, tmp_path)
    assert [p.name for p in written] == ["report.md", "report.json", "layers.geojson"]
    assert b.written == written
    on_disk = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(report_record(b), default=str))
    assert on_disk["events"][0]["ranges"][0]["countries"][0]["summary"] == av.verdict.summary


def test_impacts_carry_point_verdict_objects(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace(
        "    apogee: 100km\n",
        "    apogee: 100km\n    impacts:\n"
        "      - {from: Cape Tappi, distance: 250km, bearing: W, label: Splash}\n",
    )
    path = tmp_path / "seed.yaml"
    path.write_text(text, encoding="utf-8")
    b = build_briefing(load_scenario(path))
    [imp] = b.events[0].impacts
    [pv] = imp.verdicts
    assert isinstance(pv, PointVerdict) and pv.verdict is not None
    assert pv.verdict.country == "Japan"
    # the reported point is 250 km due west of Cape Tappi along its parallel (a rhumb line,
    # the default reading; conftest.rhumb_forward within 1 m)
    o, p = imp.impact.origin, imp.impact.point
    lon, lat = rhumb_forward(o.lon_deg, o.lat_deg, 270.0, 250_000.0)
    assert GEOD.inv(lon, lat, p.lon_deg, p.lat_deg)[2] < 1.0
    assert p.lat_deg == o.lat_deg
    [rec] = report_record(b)["events"][0]["impacts"]
    assert rec["label"] == "Splash" and rec["verdicts"] == [pv.to_dict()]
    assert rec["leg"] == "rhumb" and pv.to_dict()["impact"]["leg"] == "rhumb"


def test_several_countries_are_judged_in_one_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Overlaps and distances are computed once per area, not once per country; each
    country's view holds its own verdict and the shared zones."""
    import geo.core.verdicts as verdicts

    calls: list[tuple[str, ...]] = []
    real = verdicts.area_verdict

    def counting(*args: object, **kw: object) -> AreaVerdict:
        calls.append(tuple(kw.get("countries", ())))  # type: ignore[arg-type]
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(verdicts, "area_verdict", counting)
    text = SEED.read_text(encoding="utf-8").replace(
        "countries: [Japan]", "countries: [Japan, China, South Korea]"
    )
    path = tmp_path / "seed.yaml"
    path.write_text(text, encoding="utf-8")
    b = build_briefing(load_scenario(path))
    [rng] = b.events[0].ranges
    names = ["Japan", "People's Republic of China", "South Korea"]
    assert calls == [tuple(names)]
    views = rng.verdicts
    assert [v.verdict.country for v in views if v.verdict] == [
        "Japan",
        "People's Republic of China",
        "South Korea",
    ]
    assert all(v.overlaps == rng.verdict.overlaps for v in views)
    # Sariwon's 400 km disk reaches China's and South Korea's zones, not Japan's
    assert [v.verdict.reaches for v in views if v.verdict] == [False, True, True]
    [rec] = report_record(b)["events"][0]["ranges"]
    assert [c["country"] for c in rec["countries"]] == [
        "Japan",
        "People's Republic of China",
        "South Korea",
    ]


FORKS = sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) > 1
"""Whether the slide's second process can run here. _Job.possible() also wants no other
thread, which depends on what earlier tests left running, so the tests below force it."""


@pytest.fixture
def forced_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_Job, "possible", staticmethod(lambda: True))


def _seed_briefing(tmp_path: Path, outputs: tuple[str, ...]) -> Briefing:
    b = build_briefing(load_scenario(SEED))
    b.scenario = dataclasses.replace(b.scenario, outputs=outputs)
    return b


@pytest.mark.skipif(not FORKS, reason="needs Linux and two CPUs")
@pytest.mark.usefixtures("forced_fork")
def test_the_slide_is_drawn_in_a_second_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    import geo.present.image as image

    def fake_render(content: object, targets: list[tuple[Path, str]], **_: object) -> list[Path]:
        for path, _fmt in targets:
            path.write_text(f"{os.getpid()}", encoding="utf-8")
        return [p for p, _ in targets]

    monkeypatch.setattr(image, "render_images", fake_render)
    b = _seed_briefing(tmp_path, ("png", "geojson", "svg"))
    written = write_outputs(b, tmp_path / "out")
    assert [p.name for p in written] == ["map.png", "map.svg", "layers.geojson"]
    pids = {int((tmp_path / "out" / n).read_text(encoding="utf-8")) for n in ("map.png", "map.svg")}
    assert len(pids) == 1 and pids != {os.getpid()}


@pytest.mark.parametrize("how", ["raises", "dies"])
def test_a_failed_slide_fails_the_build_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    import os

    import geo.present.image as image
    from geo.errors import WriteError

    def failing(*_: object, **__: object) -> list[Path]:
        if how == "dies":
            os._exit(3)  # in the child process; in-process the test would end here
        raise WriteError("cannot write map.png: No space left on device")

    if how == "dies":
        if not FORKS:
            pytest.skip("needs Linux and two CPUs")
        monkeypatch.setattr(_Job, "possible", staticmethod(lambda: True))
    monkeypatch.setattr(image, "render_images", failing)
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("old", encoding="utf-8")
    b = _seed_briefing(tmp_path, ("report", "png", "geojson"))
    with pytest.raises(WriteError) as err:
        write_outputs(b, out)
    want = {
        "raises": "cannot write map.png: No space left on device",
        "dies": "the slide images were not written: their writer process died",
    }[how]
    assert str(err.value) == want
    # all or nothing: the old report is kept, nothing new or temporary is left
    assert [p.name for p in out.iterdir()] == ["report.md"]
    assert (out / "report.md").read_text(encoding="utf-8") == "old"


@pytest.mark.skipif(not FORKS, reason="needs Linux and two CPUs")
@pytest.mark.usefixtures("forced_fork")
@pytest.mark.parametrize("how", ["draws", "raises", "dies"])
def test_the_slide_worker_loads_while_the_briefing_is_computed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """write_briefing starts the slide's process before computing; it draws in its own
    process, and its failure fails the build with the old outputs kept."""
    import os

    import geo.present.image as image
    from geo.briefing.build import write_briefing
    from geo.errors import WriteError

    def fake_render(content: object, targets: list[tuple[Path, str]], **_: object) -> list[Path]:
        if how == "dies":
            os._exit(3)
        if how == "raises":
            raise WriteError("cannot write map.png: No space left on device")
        for path, _fmt in targets:
            path.write_text(f"{os.getpid()}", encoding="utf-8")
        return [p for p, _ in targets]

    monkeypatch.setattr(image, "render_images", fake_render)
    sc = dataclasses.replace(load_scenario(SEED), outputs=("png", "report", "pdf"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("old", encoding="utf-8")
    if how != "draws":
        with pytest.raises(WriteError):
            write_briefing(sc, out)
        assert [p.name for p in out.iterdir()] == ["report.md"]
        return
    b = write_briefing(sc, out)
    assert [p.name for p in b.written] == ["map.png", "map.pdf", "report.md", "report.json"]
    pids = {int((out / n).read_text(encoding="utf-8")) for n in ("map.png", "map.pdf")}
    assert len(pids) == 1 and pids != {os.getpid()}
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in b.written)
