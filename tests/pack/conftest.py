"""Fixtures shared by the pack's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import withheld_copy

from pcp_lib.subjects.dashboard.assess import assess_quarter, display_table

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the project's data folder, free to change."""
    d = tmp_path / "data"
    shutil.copytree(ROOT / "data", d)
    return d


@pytest.fixture(scope="session")
def withheld_data(tmp_path_factory) -> Path:
    """:func:`withheld_copy`, once per session (not to be changed)."""
    return withheld_copy(tmp_path_factory.mktemp("withheld") / "data")


def strings_withheld(data_dir: Path | None = None) -> list[str]:
    """Every value, change and reason of the metrics Q3 2025/26 withholds from the public as the
    pack would show them (by the disclosure of that quarter), less any string a public metric
    also shows (e.g. "No data: ...")."""
    df = assess_quarter("2025-26 Q3", data_dir)
    shown = display_table(df[df["restricted"]])
    public = display_table(df[~df["restricted"]])
    out = []
    for col in ("Baseline 2024/25", "Latest", "Change", "Reason"):
        out += [s for s in shown[col] if s and s not in set(public[col])]
    return out


@pytest.fixture(scope="session")
def restricted_strings(withheld_data) -> list[str]:
    """:func:`strings_withheld` of the copy in which serial 7 is withheld."""
    return strings_withheld(withheld_data)
