"""Colours have one source, geo/present/style.py (issue 10): the page CSS reads them as
``var(--rz-NAME)`` from the ``:root`` rule that style.py writes, Python modules import them."""

from __future__ import annotations

import re
from pathlib import Path

from geo.present.style import CSS_COLORS, css_color_rule
from geo.present.web_assets import page_css

PRESENT = Path(__file__).resolve().parents[1] / "geo" / "present"
# A hex colour: #rgb, #rgba, #rrggbb or #rrggbbaa; not an HTML entity such as &#96;.
HEX = re.compile(r"(?<![&\w])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})\b")
VAR = re.compile(r"var\(--rz-([a-z0-9-]+)")
JS_VAR = re.compile(r"getPropertyValue\('--rz-([a-z0-9-]+)'\)")
SET_BY_SCRIPT = {"turn"}  # --rz-turn: an arrowhead's angle, set inline by events.js


def _sources() -> list[Path]:
    files = [
        *sorted((PRESENT / "web").glob("*.css")),
        *sorted((PRESENT / "web").glob("*.js")),
        *sorted(PRESENT.glob("*.py")),
        *sorted((PRESENT / "image").glob("*.py")),
    ]
    return [p for p in files if p.name != "style.py"]


def test_the_pattern_finds_colours_and_skips_entities() -> None:
    found = HEX.findall('color:#1c2530;x="#111" y=#FFF z=#11223344 &#96; #rz-map #12')
    assert found == ["#1c2530", "#111", "#FFF", "#11223344"]


def test_no_hex_colour_outside_style_py() -> None:
    files = _sources()
    names = {p.name for p in files}
    assert names >= {"page.css", "folium.css", "html_map.py", "measure.js", "events.py"}
    hits = [
        f"{p.relative_to(PRESENT)}:{n}: {m}"
        for p in files
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        for m in HEX.findall(line)
    ]
    assert hits == []


def test_every_css_colour_variable_is_defined_by_style_py() -> None:
    used = {
        name
        for p in (PRESENT / "web").glob("*.css")
        for name in VAR.findall(p.read_text(encoding="utf-8"))
    } | {  # scripts read a few (Leaflet's SVG attributes cannot take var())
        name
        for p in (PRESENT / "web").glob("*.js")
        for name in JS_VAR.findall(p.read_text(encoding="utf-8"))
    }
    assert used - SET_BY_SCRIPT == set(CSS_COLORS)
    rule = css_color_rule()
    assert rule.startswith(":root{") and rule.endswith("}")
    for name, colour in CSS_COLORS.items():
        assert f"--rz-{name}:{colour};" in rule
    # the page's one <style> block of its own CSS starts with the rule, so its CSP hash covers it
    assert page_css().startswith(rule)
