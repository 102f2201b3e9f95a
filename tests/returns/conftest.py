"""Fixtures shared by the tests of the returns (pcp_lib/returns)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the tests' own data folder (tests/fixtures/data), free to change."""
    d = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "data", d)
    return d
