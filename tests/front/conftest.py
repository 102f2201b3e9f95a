"""Fixtures of the front page's tests (golden: they check the shipped Q3 2025/26 front page)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the project's data folder, free to change."""
    d = tmp_path / "data"
    shutil.copytree(ROOT / "data", d)
    return d
