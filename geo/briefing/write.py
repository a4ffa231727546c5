"""Write a computed briefing to every output its scenario lists: each writer gets the same
:class:`~geo.briefing.results.Briefing`, nothing is computed again per output."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from geo.briefing.results import Briefing, report_record

if TYPE_CHECKING:
    from geo.present.image import ImageFormat

STEM = "map"
"""Maps and slides are written as ``map.html``, ``map.png``...; layers as ``layers.*``."""

IMAGE_FORMATS = ("png", "svg", "pdf")


def write_outputs(
    b: Briefing,
    out_dir: Path,
    *,
    online_tiles: str | None = None,
    width: str | None = None,
    height: str | None = None,
) -> list[Path]:
    """Write every output of ``b.scenario`` into ``out_dir``; the paths written are added to
    ``b.written`` and returned. ``online_tiles``, ``width`` and ``height`` go to the HTML map
    (see ``render_html``).

    All or nothing: the outputs are written into a temporary folder and moved into
    ``out_dir`` only when every one succeeded (:func:`geo.access.atomic.staged_folder`)."""
    from geo.access.atomic import staged_folder

    with staged_folder(out_dir) as stage:
        written = _write_all(b, stage.dir, online_tiles=online_tiles, width=width, height=height)
    written = [stage.final(p) for p in written]
    b.written += written
    return written


def _write_all(
    b: Briefing,
    out_dir: Path,
    *,
    online_tiles: str | None,
    width: str | None,
    height: str | None,
) -> list[Path]:
    outputs = b.scenario.outputs
    written: list[Path] = []
    images = [f for f in outputs if f in IMAGE_FORMATS]
    for fmt in outputs:
        if fmt == "report":
            from geo.present.report import write_report

            written += write_report(report_record(b), out_dir / "report")
        elif fmt == "html":
            from geo.present.html_map import write_html

            path = out_dir / f"{STEM}.html"
            write_html(b.content, path, online_tiles=online_tiles, width=width, height=height)
            written.append(path)
        elif fmt in IMAGE_FORMATS:
            if fmt != images[0]:
                continue  # drawn with the first image format
            written += _write_images(b, out_dir, images)
        else:
            from geo.present import exports

            writer = {
                "geojson": exports.write_geojson,
                "kml": exports.write_kml,
                "gpkg": exports.write_gpkg,
            }[fmt]
            path = out_dir / f"layers.{fmt}"
            writer(b.content, path)
            written.append(path)
    return written


def _write_images(b: Briefing, out_dir: Path, formats: list[str]) -> list[Path]:
    """The slide drawn once and saved in every requested image format."""
    from geo.present.image import render_images

    targets = [(out_dir / f"{STEM}.{fmt}", cast("ImageFormat", fmt)) for fmt in formats]
    return render_images(b.content, targets, dpi=b.scenario.image_dpi)
