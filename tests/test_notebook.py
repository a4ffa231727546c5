"""docs/example.ipynb runs top to bottom in a fresh kernel (nbclient), and the rich displays
it shows are the ones the objects promise."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from geo.core.shapes import range_area
from geo.core.types import LonLat
from geo.present.notebook import shape_html, table_html

NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "example.ipynb"


def _html(cell: Any) -> str:
    return "".join(str(o.get("data", {}).get("text/html", "")) for o in cell.get("outputs", []))


def _starting(cells: list[Any], prefix: str) -> Any:
    return next(c for c in cells if c.source.splitlines()[-1].startswith(prefix))


def _text(cell: Any) -> str:
    return "".join(str(o.get("data", {}).get("text/plain", "")) for o in cell.get("outputs", []))


def test_committed_notebook_has_no_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


@pytest.mark.slow
def test_example_notebook_runs(tmp_path: Path) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError naming the cell that failed
    cells = [c for c in nb.cells if c.cell_type == "code"]
    by_source = {c.source.splitlines()[-1]: c for c in cells}
    shape = _html(by_source["shape"])
    assert "area (km², ellipsoidal)" in shape and "<svg" in shape
    # the area shown is the shape's: pyproj-checked elsewhere, here the display must carry it
    area = re.search(r"ellipsoidal\)</th><td[^>]*>([\d,.]+)<", shape)
    assert area is not None and 3.0e6 < float(area.group(1).replace(",", "")) < 3.3e6
    located = _text(by_source['located["sovereign"].value_counts()'])
    assert "Japan" in located
    verdicts = _html(by_source['geo.locate_frame(few, zones, country="Japan")'])
    assert "inside" in verdicts and "outside" in verdicts
    verdict = _html(_starting(cells, "geo.point_verdict("))
    assert "<th>status</th>" in verdict and "<td>Japan</td><td>inside</td>" in verdict
    overlap = _html(_starting(cells, "geo.area_verdict("))
    assert "<th>overlap_km2</th>" in overlap and "<td>Japan</td><td>partly_inside</td>" in overlap
    page = _html(by_source["briefing"])
    assert page.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in page
    inner = html.unescape(page.split('srcdoc="', 1)[1].split('" sandbox=', 1)[0])
    assert inner.lstrip().lower().startswith("<!doctype html>") and "Sariwon" in inner
    last = cells[-1]["outputs"][0]["data"]["text/plain"]
    assert last.startswith("('Map',")


def test_shape_and_table_displays_escape_and_measure() -> None:
    shape = range_area(LonLat(125.75444, 38.50778), 400_000.0)
    out = shape_html(shape)
    assert f"{shape.area_m2 / 1e6:,.1f}" in out.replace("\u202f", "")
    assert table_html([("<b>", "<script>x</script>")]) == (
        "<table class='rz-table'><tr><th style='text-align:left'>&lt;b&gt;</th>"
        "<td style='text-align:left'>&lt;script&gt;x&lt;/script&gt;</td></tr></table>"
    )
