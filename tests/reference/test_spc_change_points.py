"""Known SPC change points: reference data with date, series, reason and source (issue 22, item 5)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.reference.spc_change_points import CHANGE_POINTS_FILE, change_points, load_change_points


def _with(tmp_path: Path, text: str) -> Path:
    shutil.copytree(FIXTURE_DATA / "reference", tmp_path / "reference")
    (tmp_path / "reference" / CHANGE_POINTS_FILE).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_april_2025_cut_is_read_with_its_provenance():
    table = load_change_points(FIXTURE_DATA)
    assert provenance_of(table) is not None
    (cp,) = change_points(table, "contact 101 answered_15min")
    assert cp.month == date(2025, 4, 1) and "funded" in cp.reason
    assert change_points(table, "crime Shoplifting") == []


def test_change_points_come_in_time_order(tmp_path):
    d = _with(tmp_path, "date,series,reason,source\n2025-09,s x,later,a\n2024-02,s x,earlier,b\n")
    assert [cp.reason for cp in change_points(load_change_points(d), "s x")] == ["earlier", "later"]


def test_a_bad_month_is_a_data_error(tmp_path):
    d = _with(tmp_path, "date,series,reason,source\nApril-ish,contact 999 abandoned,cut,a\n")
    with pytest.raises(DataError, match="date"):
        load_change_points(d)
