"""The wheel holds every package and the typing marker (checked on pyproject.toml, not by
building a wheel: a missing subpackage is only noticed when a user installs it)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _config() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)


def test_every_package_under_geo_is_listed() -> None:
    tool = _config()["tool"]
    assert isinstance(tool, dict)
    listed = set(tool["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "geo").rglob("__init__.py")
    }
    assert found, "no packages found"
    assert found <= listed, f"not in [tool.setuptools] packages: {sorted(found - listed)}"


def test_type_hints_are_shipped() -> None:
    tool = _config()["tool"]
    assert isinstance(tool, dict)
    assert (ROOT / "geo" / "py.typed").is_file()
    assert "py.typed" in tool["setuptools"]["package-data"]["geo"]
    project = _config()["project"]
    assert isinstance(project, dict)
    assert "Typing :: Typed" in project["classifiers"]
