"""Killed and concurrent processes: nothing half-written, leftovers recognisable and swept.

These start real processes (signals cannot be tested in-process): a ``build`` is signalled
while its outputs are being written, and ``eez import``/``eez use`` run in parallel on one
data directory.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_helpers import run

from geo.access.atomic import TEMP_PREFIX
from geo.access.userdata import data_dir

pytestmark = pytest.mark.slow  # real processes: ~1-6 s each

MAIN = "import sys; from geo.cli import main; sys.exit(main())"
SCENARIO = (
    "title: T\ncountries: [Japan]\noutputs: [report, pdf]\n"
    "events: [{site: Sariwon, ranges: [400km]}]\n"
)


def _start(*argv: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", MAIN, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _wait_for_temp(out: Path, proc: subprocess.Popen[bytes], limit_s: float = 60) -> None:
    """Until the build has started writing (its temporary folder exists)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if out.is_dir() and any(p.name.startswith(TEMP_PREFIX) for p in out.iterdir()):
            return
        if proc.poll() is not None:
            pytest.fail(f"the build ended before writing: {proc.communicate()}")
        time.sleep(0.01)
    proc.kill()
    pytest.fail("the build never started writing")


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("signum", "code", "line"),
    [
        (signal.SIGTERM, 143, "rangezone: terminated"),
        (signal.SIGINT, 130, "rangezone: interrupted"),
    ],
)  # fmt: skip
def test_a_signalled_build_cleans_up_and_keeps_the_old_outputs(
    tmp_path: Path, scenario: Path, signum: int, code: int, line: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("previous", encoding="utf-8")
    proc = _start("build", str(scenario), "--out", str(out))
    _wait_for_temp(out, proc)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == code, stderr
    assert stderr.decode().splitlines() == [line]
    assert stdout == b""
    assert sorted(p.name for p in out.iterdir()) == ["report.md"]  # no temporary files
    assert (out / "report.md").read_text(encoding="utf-8") == "previous"


def test_a_killed_build_leaves_only_recognisable_temp_files_swept_next_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scenario: Path
) -> None:
    out = tmp_path / "out"
    proc = _start("build", str(scenario), "--out", str(out))
    _wait_for_temp(out, proc)
    proc.kill()
    proc.communicate(timeout=30)
    left = [p.name for p in out.iterdir()]
    assert left and all(name.startswith(f"{TEMP_PREFIX}{proc.pid}-") for name in left), left
    # the next write into the folder removes what the dead process left
    code = run(capsys, "ring", "--at", "39,125", "--range", "400km", "-o", str(out / "r.geojson"))
    assert code.code == 0, code
    assert [p.name for p in out.iterdir()] == ["r.geojson"]


def _zone_file(path: Path, name: str) -> Path:
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": name, "country": "Japan"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [
                                [[130, 30], [140, 30], [140, 40], [130, 40], [130, 30]]
                            ],
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def test_concurrent_import_and_use_keep_the_registry_consistent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert (
        run(
            capsys,
            "eez",
            "import",
            str(_zone_file(tmp_path / "base.geojson", "b")),
            "--name",
            "base",
        ).code
        == 0
    )
    commands = [
        ["eez", "import", str(_zone_file(tmp_path / "a.geojson", "a")), "--name", "alpha"],
        ["eez", "import", str(_zone_file(tmp_path / "c.geojson", "c")), "--name", "gamma"],
        ["eez", "use", "base"],
        ["eez", "use", "default"],
        ["eez", "use", "alpha"],  # may come before alpha exists: then a one-line error
    ]
    procs = [_start(*argv) for argv in commands]
    for argv, proc in zip(commands, procs, strict=True):
        _, stderr = proc.communicate(timeout=120)
        lines = stderr.decode().splitlines()
        assert "Traceback" not in stderr.decode()
        assert proc.returncode in (0, 2), (argv, stderr)
        assert len(lines) >= 1 and (proc.returncode == 0 or len(lines) == 1), (argv, lines)
    folder = data_dir()
    datasets = sorted(p.name for p in (folder / "datasets").iterdir())
    assert datasets == ["alpha.zip", "base.zip", "gamma.zip"]  # complete packs, no temp files
    assert not [p for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]
    active = folder / "active.json"
    if active.exists():  # the last writer wins, and what it wrote is whole
        record = json.loads(active.read_text(encoding="utf-8"))
        assert (folder / record["path"]).is_file()
    listing = run(capsys, "eez", "list")
    assert listing.code == 0 and listing.out.count("*") == 1, listing
    assert run(capsys, "check", "--at", "35,135").code == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
@pytest.mark.parametrize("delay_s", [1.2])
def test_a_signalled_ring_pdf_never_leaves_a_partial_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, signum: int, delay_s: float
) -> None:
    """Whenever the signal lands (before, during or after the write), the folder holds the
    finished PDF or nothing, plus (after SIGKILL only) a recognisable leftover that the next
    write sweeps."""
    target = tmp_path / "x.pdf"
    proc = _start("ring", "--at", "39,125", "--range", "400km", "--no-eez", "-o", str(target))
    time.sleep(delay_s)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    names = sorted(p.name for p in tmp_path.iterdir())
    if target.exists():
        assert target.read_bytes().startswith(b"%PDF") and target.read_bytes().rstrip().endswith(
            b"%%EOF"
        )
    if signum == signal.SIGTERM:
        assert names in ([], ["x.pdf"]), names
        if proc.returncode == -signal.SIGTERM:
            # Landed outside the command, where the default action applies: during start-up
            # (nothing written, nothing said) or at interpreter exit (the whole PDF, said
            # once). Nothing partial either way (checked above).
            said = stderr.decode().splitlines()
            assert said == [] or (said == [f"wrote {target}"] and target.exists()), stderr
        else:
            assert len(stderr.decode().splitlines()) == 1, stderr
            assert proc.returncode in (0, 143), stderr
    else:
        assert all(n == "x.pdf" or n.startswith(f"{TEMP_PREFIX}{proc.pid}-") for n in names)
        result = run(
            capsys, "ring", "--at", "39,125", "--range", "1km", "-o", str(tmp_path / "y.json")
        )
        assert result.code == 0
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]
