"""Where shipped data files live (the repository's ``data/``, installed as ``geo._data``)."""

from __future__ import annotations

import importlib.resources
from pathlib import Path


def data_file(name: str) -> Path:
    """Path of a file shipped in ``data/``."""
    return Path(str(importlib.resources.files("geo._data").joinpath(name)))
