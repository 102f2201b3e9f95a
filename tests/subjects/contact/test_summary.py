"""Volumes, rates and changes: exact against the published figures, numeric for analysis."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from pcp_lib.reference.contact_targets import load_targets
from pcp_lib.subjects.contact.returns import load_monthly
from pcp_lib.subjects.contact.summary import (
    CHANGE_PERCENT,
    CHANGE_PP,
    CHANGE_VOLUME,
    annual_summary,
    annual_volumes,
    exact,
    monthly_rates,
    period_totals,
    quarter_summary,
)


@pytest.fixture(scope="module")
def monthly() -> pd.DataFrame:
    return load_monthly("2025-26 Q3")


@pytest.fixture(scope="module")
def summary(monthly) -> pd.DataFrame:
    return annual_summary(monthly, (2024, 2025), load_targets())


def test_sample_totals_exact(summary):
    s = summary.set_index(["channel", "measure"])
    assert s.loc[("999", "offered"), "2024"] == 148957
    assert s.loc[("101", "offered"), CHANGE_VOLUME] == 107905
    assert s.loc[("online", "offered"), "2025"] == 73441
    # rates within half a unit of the last published place, from the unrounded counts
    assert abs(s.loc[("999", "answered_10s"), exact("2024")] - Decimal("95.8")) < Decimal("0.05")
    assert abs(s.loc[("101", "abandoned"), exact("2025")] - Decimal("12.2")) < Decimal("0.05")
    assert abs(s.loc[("999", "answered_10s"), exact(CHANGE_PP)] - Decimal("-3.6")) < Decimal("0.05")
    assert round(s.loc[("999", "offered"), CHANGE_PERCENT]) == 36
    assert pd.isna(s.loc[("999", "answered_10s"), CHANGE_PERCENT])  # rates change in pp only
    assert s.loc[("999", "answered_10s"), exact(CHANGE_PERCENT)] is None
    assert pd.isna(s.loc[("999", "offered"), CHANGE_PP])  # volumes change in % and count only


def test_analysis_columns_are_numeric_and_agree_with_the_exact_ones(summary):
    for col in ("2024", "2025", CHANGE_PERCENT, CHANGE_PP):
        assert summary[col].dtype == "float64", col
    assert str(summary[CHANGE_VOLUME].dtype) == "Int64"
    summary[["2024", "2025", CHANGE_PP]].describe()  # sorts, describes: no strings or Decimals
    for rec in summary.to_dict("records"):
        if rec[exact("2025")] is not None:
            assert rec["2025"] == pytest.approx(float(rec[exact("2025")]))


def test_targets_judged_exactly(monthly, summary):
    s = summary.set_index(["channel", "measure"])
    assert s.loc[("999", "answered_10s"), "status"] == "✔ Met"
    assert s.loc[("101", "abandoned"), "status"] == "✖ Not met"
    assert s.loc[("101", "answered_2min"), "target"] == "no target: the 101 target is within 15 minutes"
    assert s.loc[("101", "answered_2min"), "status"] == ""


def test_rate_exactly_on_the_target_meets_at_least_but_not_under():
    rows = [{"month": date(2025, m, 1), "channel": "101", "offered": 1000, "answered": 900, "answered_10s": 100,
             "answered_2min": 500, "answered_15min": 750, "abandoned": 100, "asa_s": Decimal(1)}
            for m in range(1, 13)]
    monthly = pd.DataFrame(rows).astype({c: "Int64" for c in ("offered", "answered", "answered_10s",
                                                               "answered_2min", "answered_15min", "abandoned")})
    s = annual_summary(monthly, (2024, 2025), load_targets()).set_index(["channel", "measure"])
    assert s.loc[("101", "answered_15min"), "status"] == "✔ Met"  # exactly 75%: at least 75%
    assert s.loc[("101", "abandoned"), "status"] == "✖ Not met"  # exactly 10%: not under 10%
    assert pd.isna(s.loc[("101", "answered_15min"), "2024"])  # no 2024 data: missing, not zero


def test_quarter_summary_labels_and_coverage(monthly):
    q = quarter_summary(monthly, "2025-26 Q3", load_targets())
    assert q.attrs["labels"] == ("Q3 2024/25", "Q3 2025/26") and q.attrs["complete"]
    beyond = quarter_summary(load_monthly("2027-28 Q1"), "2027-28 Q1")
    assert not beyond.attrs["complete"]


def test_period_totals_and_annual_volumes(monthly):
    t = period_totals(monthly, date(2025, 1, 1), date(2025, 12, 1)).set_index("channel")
    assert t.loc["999", "months"] == 12 and t.loc["999", "offered"] == 202344
    assert pd.isna(t.loc["online", "answered_10s"])
    assert annual_volumes(monthly, (2024, 2025))[("101", 2025)] == 323575


def test_sample_shape_follows_the_report(monthly):
    r = monthly_rates(monthly)
    r999 = r[(r["channel"] == "999") & (r["measure"] == "answered_10s")].set_index("month")["rate_pct"]
    assert (r999 > 90).all()  # para 8: consistently over 90%
    since_april = r999[r999.index >= date(2025, 4, 1)]
    assert len(since_april) == 9 and abs(since_april.mean() - 91) < 0.5  # para 9: around 91%
    r101 = r[(r["channel"] == "101") & (r["measure"] == "answered_15min")].set_index("month")["rate_pct"]
    fy2425 = r101[(r101.index >= date(2024, 4, 1)) & (r101.index <= date(2025, 3, 1))]
    assert len(fy2425) == 12 and (fy2425 >= 75).all()  # para 22: targets met throughout 2024/25
