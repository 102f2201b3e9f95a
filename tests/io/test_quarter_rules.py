"""The rules of the gate, one by one: which returns a quarter should have, moving a date on
a quarter, and what move since last quarter is implausible (decided exactly at the edges)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.io.completeness import expected_returns, partial_banner, quarter_gaps
from pcp_lib.io.moves import implausible_move
from pcp_lib.io.stale import moved_on
from pcp_lib.methods.periods import Quarter
from pcp_lib.returns.validation import all_returns


def test_a_quarter_should_have_the_required_returns_and_every_one_last_quarter_had():
    specs = list(all_returns().values())
    q3 = expected_returns(specs, "2025-26 Q3", FIXTURE_DATA)
    assert set(q3) == {"metric_values", "actions", "contact_monthly", "dtoa_pathway", "csp_spend"}
    assert q3["metric_values"] == "a required return" and q3["contact_monthly"] == "Q2 2025/26 had one"
    assert "contact_calls" not in q3, "never sent: not asked for"
    # Q1 2025/26: Q4 2024/25 had contact and drug testing but no CSP spend yet
    assert set(expected_returns(specs, "2025-26 Q1", FIXTURE_DATA)) == {"metric_values", "actions",
                                                                         "contact_monthly", "dtoa_pathway"}


def test_a_whole_quarter_has_no_gap_and_an_empty_one_has_one_per_return():
    specs = list(all_returns().values())
    assert quarter_gaps(specs, "2025-26 Q3", FIXTURE_DATA) == []
    gaps = quarter_gaps(specs, "2026-27 Q4", FIXTURE_DATA)  # no folder at all; Q3 2026/27 had drug testing only
    assert [(Path(g.file or "").name, g.got) for g in gaps] == [
        ("metric_values.xlsx", "no file"), ("actions.xlsx", "no file"), ("dtoa_pathway.xlsx", "no file")]


def test_the_banner_begins_partial_and_says_whose_figures_are_shown():
    specs = list(all_returns().values())
    gaps = quarter_gaps(specs, "2026-27 Q4", FIXTURE_DATA)
    text = partial_banner("2026-27 Q4", gaps, Quarter.parse("2025-26 Q3"))
    assert text is not None and text.startswith("PARTIAL: the data for Q4 2026/27 are incomplete: ")
    assert "metric_values: no return; actions: no return; dtoa_pathway: no return." in text
    assert text.endswith("The figures below are Q3 2025/26's, the latest there are, not Q4 2026/27's.")
    assert partial_banner("2025-26 Q3", [], None) is None


@pytest.mark.parametrize(("day", "moved"), [
    (date(2025, 10, 1), date(2026, 1, 1)), (date(2025, 12, 31), date(2026, 3, 31)),
    (date(2025, 11, 30), date(2026, 2, 28)), (date(2023, 11, 30), date(2024, 2, 29)),
    (datetime(2025, 12, 31, 23, 59), datetime(2026, 3, 31, 23, 59)), ("2025-26 Q3", "2025-26 Q3")])
def test_moved_on_a_quarter(day, moved):
    assert moved_on(day) == moved


@pytest.mark.parametrize(("unit", "before", "after", "said"), [
    ("percent", "72.2", "7.22", "fell by more than half"),
    ("percent", "72.2", "36.1", None),  # exactly half: plausible
    ("percent", "72.2", "36.09", "fell by more than half"),
    ("percent", "30", "60", None),  # exactly double
    ("percent", "30", "60.1", "more than doubled"),
    ("count", "1000", "100", None),  # exactly a tenth
    ("count", "1000", "99", "fell more than tenfold"),
    ("count", "1000", "10001", "rose more than tenfold"),
    ("rate_per_1000", "7.42", "74.2", None),
    ("count", "0", "500", None),  # from zero: cannot be judged
])
def test_implausible_moves_are_decided_exactly(unit, before, after, said):
    assert implausible_move(unit, Decimal(before), Decimal(after)) == said
