"""Setting up a quarter: which required returns are present, the checklist, template names."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.methods.periods import Quarter
from pcp_lib.returns.quarters import completeness, new_quarter, write_template

ROOT = Path(__file__).resolve().parents[2]


def test_completeness_counts_the_returns_the_gate_expects(data):
    """Required returns, and any the previous quarter had (a series that stops is a gap); never
    one that was never sent (the call-level extract)."""
    done = completeness(data)
    assert done[Quarter(2025, 3)] == {"metric_values": True, "actions": True, "contact_monthly": True,
                                      "dtoa_pathway": True, "csp_spend": True}
    assert done[Quarter(2025, 2)] == {"metric_values": False, "actions": False, "contact_monthly": True,
                                      "dtoa_pathway": True, "csp_spend": True}
    assert done[Quarter(2025, 4)]["contact_monthly"] is False, "Q3 2025/26 had one: Q4 2025/26 should too"
    assert "contact_calls" not in done[Quarter(2025, 4)]
    checklist_line = "- [ ] `contact_monthly`"
    folder, _ = new_quarter("2025-26 Q4", data_dir=data)
    text = (folder / "CHECKLIST.md").read_text(encoding="utf-8")
    assert f"{checklist_line}: " in text and "needed: Q3 2025/26 had one" in text


def test_new_quarter_writes_templates_and_a_checklist(data):
    folder, missing = new_quarter("2026-27 Q4", data_dir=data)
    assert folder == data / "quarters" / "2026-27-Q4"
    assert missing == ["metric_values", "actions", "dtoa_pathway"], "required, and what Q3 2026/27 had"
    assert {p.stem for p in (folder / "templates").glob("*.xlsx")} >= {"metric_values", "actions", "contact_monthly"}
    checklist = (folder / "CHECKLIST.md").read_text(encoding="utf-8")
    assert checklist.startswith("# Data checklist: Q4 2026/27 (January-March 2027)")
    assert "- [ ] `metric_values`" in checklist


def test_an_unknown_return_is_named_in_the_error(tmp_path):
    with pytest.raises(DataError, match="a return named one of .*got 'calls'"):
        write_template("calls", "2025-26 Q4", out=tmp_path / "x.xlsx")
