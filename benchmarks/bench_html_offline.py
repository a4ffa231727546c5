"""Benchmark: the seed briefing's HTML map from rangezone next to folium's, in the same run.

The baseline is what a user would otherwise write: a folium map with the same range areas,
reported impacts and EEZ zones as GeoJSON layers, a layer control and folium's measuring
and mouse-position plugins, saved with ``Map.save``. For each page it prints the file size,
the time to build it, and the resources it fetches from the network when opened (every
``src``/``href`` URL of a script, stylesheet or image in the page; tiles are counted as one
resource per tile host). A page that fetches anything is blank or broken offline. A second table gives every
shipped scenario's page size, the size of its packed data and its build time.

Needs folium (``pip install folium``, or ``make bench``, which installs the ``bench``
extra). Run:  .venv/bin/python benchmarks/bench_html_offline.py
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping

from geo.briefing.build import build_briefing
from geo.briefing.scenario import load_scenario
from geo.present.content import MapContent
from geo.present.html_map import write_html

SEED = Path(__file__).resolve().parent.parent / "maps" / "2024-11-05-sariwon.yaml"
_RESOURCE = re.compile(
    r"""<(?:script|link|img)\b[^>]*?(?:src|href)=["'](https?:)?//([^"'/]+)[^"']*["']"""
)


def _external(html: str) -> list[str]:
    """Hosts of the scripts, stylesheets and images a page loads over the network."""
    return [m.group(2) for m in _RESOURCE.finditer(html)]


def _folium_page(content: MapContent, path: Path) -> None:
    import folium
    from folium.plugins import MeasureControl, MousePosition

    m = folium.Map(tiles="OpenStreetMap")
    for f in content.features:
        if f.geometry.is_empty:
            continue
        feature: dict[str, Any] = {
            "type": "Feature",
            "geometry": mapping(f.geometry),
            "properties": {"kind": f.kind, "label": f.label},
        }
        folium.GeoJson(feature, name=f"{f.kind}: {f.label}"[:60], tooltip=f.label or None).add_to(m)
    folium.LayerControl().add_to(m)
    MeasureControl().add_to(m)
    MousePosition().add_to(m)
    areas = [f.geometry for f in content.of_kind("range_area", "impact_area", "site")]
    west, south, east, north = shapely.union_all(areas).bounds
    m.fit_bounds([[south, west], [north, east]])
    m.save(str(path))


def main() -> int:
    briefing = build_briefing(load_scenario(SEED))
    content = briefing.content
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        ours = Path(tmp) / "rangezone.html"
        t0 = time.perf_counter()
        write_html(content, ours)
        t_ours = time.perf_counter() - t0
        theirs = Path(tmp) / "folium.html"
        t0 = time.perf_counter()
        _folium_page(content, theirs)
        t_theirs = time.perf_counter() - t0
        for name, path, seconds, tiles in (
            ("rangezone `write_html` (embedded basemap)", ours, t_ours, 0),
            ("folium `Map.save` + GeoJson + plugins", theirs, t_theirs, 1),
        ):
            html = path.read_text(encoding="utf-8")
            hosts = _external(html)
            rows.append(
                (name, path.stat().st_size, seconds, len(hosts) + tiles, sorted(set(hosts)))
            )
    print(f"seed scenario: {SEED.name}, {len(content.features)} map features\n")
    print("| page | bytes | build s | network resources | hosts |")
    print("|---|---:|---:|---:|---|")
    for name, size, seconds, n, hosts in rows:
        shown = ", ".join(hosts) if hosts else "none"
        print(f"| {name} | {size:,} | {seconds:.2f} | {n} | {shown} |")
    _shipped_pages()
    return 0


def _shipped_pages() -> None:
    """Every shipped scenario's page: bytes, of which packed data, and build time (best of
    three ``render_html`` calls on the computed briefing)."""
    from geo.present.html_map import render_html

    print("\n| scenario | page bytes | data element bytes | render_html s (best of 3) |")
    print("|---|---:|---:|---:|")
    for path in sorted(SEED.parent.glob("*.yaml")):
        content = build_briefing(load_scenario(path)).content
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            page = render_html(content)
            best = min(best, time.perf_counter() - t0)
        data = page.split('id="rz-data"', 1)[1].split(">", 1)[1].split("<", 1)[0]
        print(f"| {path.name} | {len(page.encode()):,} | {len(data):,} | {best:.2f} |")


if __name__ == "__main__":
    raise SystemExit(main())
