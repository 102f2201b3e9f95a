"""Setting up a quarter: which required returns are present, the checklist, template names."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.methods.periods import Quarter
from pcp_lib.returns.quarters import completeness, new_quarter, write_template

ROOT = Path(__file__).resolve().parents[2]


def test_completeness_counts_required_returns_only(data):
    done = completeness(data)
    assert done[Quarter(2025, 3)] == {"metric_values": True, "actions": True}
    assert done[Quarter(2025, 2)] == {"metric_values": False, "actions": False}, "contact_monthly is optional"


def test_new_quarter_writes_templates_and_a_checklist(data):
    folder, missing = new_quarter("2026-27 Q4", data_dir=data)
    assert folder == data / "quarters" / "2026-27-Q4"
    assert missing == ["metric_values", "actions"]
    assert {p.stem for p in (folder / "templates").glob("*.xlsx")} >= {"metric_values", "actions", "contact_monthly"}
    checklist = (folder / "CHECKLIST.md").read_text(encoding="utf-8")
    assert checklist.startswith("# Data checklist: Q4 2026/27 (January-March 2027)")
    assert "- [ ] `metric_values`" in checklist


def test_an_unknown_return_is_named_in_the_error(tmp_path):
    with pytest.raises(DataError, match="a return named one of .*got 'calls'"):
        write_template("calls", "2025-26 Q4", out=tmp_path / "x.xlsx")
