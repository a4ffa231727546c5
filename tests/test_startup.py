"""What ``rangezone check`` imports: only what a check needs, so a single check starts fast
(issue 12's target: the Hwasong-15 area check within 2.5x of importing numpy, shapely and
pyproj, measured in ``benchmarks/bench_batch.py``). No timing here: the modules a check
loads are listed in a fresh interpreter and the heavy ones must be absent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

NOT_FOR_CHECK = (
    "matplotlib",
    "geopandas",
    "folium",
    "pandas",
    "jinja2",
    "pyogrio",
    "fiona",
    "pyarrow",
    "numpy.polynomial",
    "geo.present",
    "geo.cli.build",
    "geo.cli.trajectory",
    "geo.cli.ring",
    "geo.cli.eez",
    "geo.cli.sites",
)
"""Libraries and modules a text or JSON check never uses (maps, frames, other commands)."""

_LIST_MODULES = (
    "import json, sys\n"
    "from geo.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps({'code': code, 'modules': sorted(sys.modules)}))\n"
)


def _modules_of(tmp_path: Path, *argv: str) -> list[str]:
    env = dict(os.environ, RANGEZONE_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run(
        [sys.executable, "-c", _LIST_MODULES, *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    last = json.loads(done.stdout.splitlines()[-1])
    assert last["code"] == 0
    return list(last["modules"])


@pytest.mark.parametrize(
    "argv",
    [
        ("check", "--site", "Sunan", "--missile", "Hwasong-15", "--country", "Japan"),
        ("check", "--site", "Sunan", "--range", "1000km", "--country", "Japan", "--json"),
        ("check", "--at", "35,135", "--country", "Japan", "--country", "Taiwan"),
        ("check", "--from", "Oga Peninsula", "--distance", "30km", "--bearing", "W"),
    ],
    ids=["missile-area", "range-area-json", "point", "impact"],
)
def test_a_check_imports_no_map_frame_or_other_command_module(
    tmp_path: Path, argv: tuple[str, ...]
) -> None:
    modules = _modules_of(tmp_path, *argv)
    assert "geo.cli.check" in modules and "shapely" in modules  # it did run the check
    loaded = [m for m in modules if any(m == n or m.startswith(n + ".") for n in NOT_FOR_CHECK)]
    assert loaded == []


def test_gauss_legendre_constants_are_numpys() -> None:
    """geo.core.shapes writes out leggauss(5) so that numpy.polynomial is not imported."""
    from geo.core import shapes

    t, w = np.polynomial.legendre.leggauss(5)
    np.testing.assert_array_equal(shapes._GL_T, 0.5 * (t + 1.0))
    np.testing.assert_array_equal(shapes._GL_W, 0.5 * w)
