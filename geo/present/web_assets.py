"""The files the interactive page is made of: its template, CSS and JavaScript (in
``geo/present/web/``, shipped as package data) and Leaflet's own files.

Leaflet 1.9.4 comes from the PyPI package ``django-js-lib-leaflet==1.9.4.1`` (pinned in
pyproject.toml), which ships Leaflet's release files unchanged; :func:`leaflet_dir` is the one
place that knows where inside that package they sit (see ``geo/present/web/README.md``).
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from string import Template

from geo.errors import RangezoneError

PAGE_SCRIPTS = (
    "base.js",
    "labels.js",
    "geodesy.js",
    "measure.js",
    "circles.js",
    "controls.js",
    "events.js",
    "main.js",
)
"""The page's own scripts, in the order they run (each adds to the ``RZ`` namespace)."""

LEAFLET_PACKAGE = "django-js-lib-leaflet"
LEAFLET_VERSION = "1.9.4"
MARKER_IMAGES = ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")
"""Leaflet's default marker icon: left out of rangezone's own page (its markers are SVG
circles), kept for pages that may add default markers (folium)."""
_LEAFLET_MODULE = "js_lib_leaflet"
_LEAFLET_SUBDIR = ("static", "js_lib_leaflet")


def asset(name: str) -> str:
    """The text of one of the page's files in ``geo/present/web/``."""
    return resources.files("geo.present").joinpath("web", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def page_template() -> Template:
    return Template(asset("page.html"))


@lru_cache(maxsize=1)
def page_css() -> str:
    """The page's styles, led by the colours they read from :mod:`geo.present.style`."""
    from geo.present.style import css_color_rule

    return css_color_rule() + compact_css(asset("page.css"))


EVENT_SCRIPT = "events.js"
"""Sent only with event data (a map with a ground track): other pages stay small."""


@lru_cache(maxsize=2)
def page_js(events: bool = True) -> str:
    """The page's scripts joined in their running order, without their comments and
    indentation (a third of their size; the files in the package stay readable).
    ``events``: with :data:`EVENT_SCRIPT`."""
    names = [n for n in PAGE_SCRIPTS if events or n != EVENT_SCRIPT]
    return "\n".join(compact_js(asset(name)) for name in names)


@lru_cache(maxsize=1)
def event_css() -> str:
    """The styles of :data:`EVENT_SCRIPT`'s panels and arrowheads."""
    return compact_css(asset("events.css"))


def compact_css(source: str) -> str:
    """``source`` less its comments and the white space around braces and semicolons."""
    text = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([{};])\s*", r"\1", text).strip()


_BLOCK_COMMENT = re.compile(r"^/\*.*?\*/\n", re.S)


def compact_js(source: str) -> str:
    """``source`` less its leading ``/* ... */`` comment, ``//`` comments (whole lines, and
    ends of lines outside a '…' string), indentation and blank lines. Line breaks stay (no
    change to where statements end)."""
    out = []
    for line in _BLOCK_COMMENT.sub("", source, count=1).splitlines():
        text = line.strip()
        cut = text.find(" // ")
        if cut >= 0 and text[:cut].count("'") % 2 == 0 and '"' not in text[:cut]:
            text = text[:cut].rstrip()
        if text and not text.startswith("//"):
            out.append(text)
    return "\n".join(out)


def leaflet_dir() -> Path:
    """The folder holding ``leaflet.js``, ``leaflet.css`` and ``images/`` of Leaflet 1.9.4.

    Raises :class:`RangezoneError` naming the package to install when it is missing.
    """
    spec = find_spec(_LEAFLET_MODULE)
    if spec is None or spec.origin is None:
        raise RangezoneError(
            f"{LEAFLET_PACKAGE} is not installed: it ships Leaflet {LEAFLET_VERSION}'s files; "
            "reinstall rangezone"
        )
    root = Path(spec.origin).parent.joinpath(*_LEAFLET_SUBDIR)
    if not (root / "leaflet.js").is_file() or not (root / "leaflet.css").is_file():
        raise RangezoneError(
            f"{LEAFLET_PACKAGE} at {root} has no leaflet.js/leaflet.css: "
            f"reinstall {LEAFLET_PACKAGE}=={LEAFLET_VERSION}.1"
        )
    return root


@lru_cache(maxsize=2)
def leaflet_assets(*, markers: bool = True) -> tuple[str, str]:
    """Leaflet's JS and CSS, with its images inlined (``markers=False``: not the default
    marker icon) and its source map dropped."""
    root = leaflet_dir()
    js = (root / "leaflet.js").read_text(encoding="utf-8")
    if f'version="{LEAFLET_VERSION}"' not in js:
        raise RangezoneError(
            f"{root / 'leaflet.js'} is not Leaflet {LEAFLET_VERSION}: "
            f"reinstall {LEAFLET_PACKAGE}=={LEAFLET_VERSION}.1"
        )
    js = re.sub(r"//# sourceMappingURL=\S+\s*$", "", js)
    css = (root / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(m: re.Match[str]) -> str:
        if not markers and m.group(1) in MARKER_IMAGES:
            return "none"
        raw = (root / "images" / m.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(raw).decode('ascii')})"

    css = compact_css(re.sub(r"url\(images/([A-Za-z0-9_.-]+\.png)\)", data_uri, css))
    if "</script" in js.lower() or "</style" in css.lower():
        raise RangezoneError("Leaflet's files contain a closing tag and cannot be inlined")
    return js, css
