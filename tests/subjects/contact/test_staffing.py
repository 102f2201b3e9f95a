"""The staffing what-if: complete years, handlers per hour, and what the uplifts buy."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from conftest import FIXTURE_DATA

from pcp_lib.reference.contact_staffing import load_assumptions
from pcp_lib.reference.contact_targets import load_targets
from pcp_lib.subjects.contact.published import load_uplift
from pcp_lib.subjects.contact.returns import load_monthly
from pcp_lib.subjects.contact.staffing import complete_years, fte, week_profile, what_if
from pcp_lib.subjects.contact.summary import annual_volumes
from pcp_lib.subjects.contact.synthetic import synthetic_calls


def test_complete_years_need_every_month_on_both_voice_channels():
    monthly = load_monthly("2025-26 Q3", FIXTURE_DATA)
    assert complete_years(monthly) == [2024, 2025]
    assert complete_years(monthly[monthly["month"] != date(2025, 6, 1)]) == [2024]


def test_fte_after_shrinkage():
    a = load_assumptions(FIXTURE_DATA)
    assert fte(37 * 0.65, a) == pytest.approx(1.0)


@pytest.fixture(scope="module")
def plan():
    monthly = load_monthly("2025-26 Q3", FIXTURE_DATA)
    profile = week_profile(synthetic_calls(date(2025, 10, 6), days=28, seed=20251006, data_dir=FIXTURE_DATA))
    return what_if(annual_volumes(monthly, (2024, 2025)), (2024, 2025), profile, load_assumptions(FIXTURE_DATA), load_targets(FIXTURE_DATA),
                   load_uplift(FIXTURE_DATA))


def test_more_demand_needs_more_handlers(plan):
    s = plan.summary.set_index(["demand", "channel"])
    for ch in ("999", "101"):
        assert s.loc[("2025", ch), "fte"] > s.loc[("2024", ch), "fte"]
        assert s.loc[("2025", ch), "peak_handlers"] >= s.loc[("2024", ch), "peak_handlers"]
    assert len(plan.needs["2025"]) == 2 * 168


def test_uplift_scenarios_are_numeric_and_ordered(plan):
    sc = plan.scenarios
    assert sc["scenario"].tolist() == ["Core + 26 extra FTE (2024/25)", "Core + 20 extra FTE (2025/26)",
                                       "Needed for every target"]
    assert sc["fte"].iloc[0] - sc["fte"].iloc[1] == pytest.approx(6)
    assert all(pd.api.types.is_float_dtype(sc[c]) for c in sc.columns[1:])
    # the full need meets the 999 target; six fewer FTE answer fewer calls in 10 seconds
    assert sc["999_within_10s"].iloc[2] >= 90 and sc["999_within_10s"].iloc[1] < sc["999_within_10s"].iloc[0]


def test_back_test_sets_the_model_beside_the_published_years(plan):
    # issue 22, item 9: with the published staffing the model must first reproduce the published year;
    # the Force's published 2025 figure for 999 within 10 s is 92.2% (Police Contact Demand report, para 8)
    from pcp_lib.subjects.contact.narrative import backtest_sentences
    from pcp_lib.subjects.contact.published import load_published
    from pcp_lib.subjects.contact.staffing import REPRODUCED_PP, back_test, core_fte

    uplift = load_uplift(FIXTURE_DATA)
    bt = back_test(plan, load_published(FIXTURE_DATA), load_assumptions(FIXTURE_DATA), uplift)
    assert len(bt) == 8 and set(bt["year"]) == {2024, 2025}
    row = bt[(bt["year"] == 2025) & (bt["channel"] == "999") & (bt["measure"] == "answered_10s")].iloc[0]
    assert row["published"] == 92.2
    # 2025 staffing: core + 26 for January-March, core + 20 from April, months weighted equally
    sc = plan.scenarios
    assert row["modelled"] == pytest.approx(0.25 * sc["999_within_10s"].iloc[0] + 0.75 * sc["999_within_10s"].iloc[1])
    assert row["difference_pp"] == pytest.approx(row["modelled"] - 92.2)
    assert list(bt["within"]) == [abs(d) <= REPRODUCED_PP for d in bt["difference_pp"]]
    assert core_fte(plan.needs["2024"], load_assumptions(FIXTURE_DATA), uplift) == pytest.approx(sc["fte"].iloc[0] - 26)
    words = " ".join(backtest_sentences(bt, REPRODUCED_PP, uplift))
    if bt["within"].all():
        assert "reproduces every published rate" in words
    else:
        assert "does not reproduce what happened" in words and "Why it misses" in words
        assert f"2025 999 calls answered within 10 seconds {row['modelled']:.1f}% against the published 92.2%" in words


def test_back_test_sentences_say_when_the_model_reproduces():
    from pcp_lib.subjects.contact.narrative import backtest_sentences

    bt = pd.DataFrame({"year": [2025], "channel": ["999"], "measure": ["answered_10s"], "staffing": ["x"],
                       "modelled": [91.5], "published": [92.2], "difference_pp": [-0.7], "within": [True]})
    assert backtest_sentences(bt, 2.0, load_uplift(FIXTURE_DATA))[0].startswith(
        "Back-test: with the published staffing the model reproduces every published rate of 2025 within ±2.0pp")
