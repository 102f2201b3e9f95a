"""Fixtures shared by the pack's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pcp_lib.subjects.dashboard.assess import assess_quarter, display_table

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the project's data folder, free to change."""
    d = tmp_path / "data"
    shutil.copytree(ROOT / "data", d)
    return d


@pytest.fixture(scope="session")
def restricted_strings() -> list[str]:
    """Every value, change and reason of the restricted metrics of Q3 2025/26 as the pack
    would show them, less any string a public metric also shows (e.g. "No data: ...")."""
    df = assess_quarter("2025-26 Q3")
    shown = display_table(df[df["restricted"]])
    public = display_table(df[~df["restricted"]])
    out = []
    for col in ("Baseline 2024/25", "Latest", "Change", "Reason"):
        out += [s for s in shown[col] if s and s not in set(public[col])]
    return out
