"""The staffing what-if: complete years, handlers per hour, and what the uplifts buy."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pcp_lib.reference.contact_staffing import load_assumptions
from pcp_lib.reference.contact_targets import load_targets
from pcp_lib.subjects.contact.published import load_uplift
from pcp_lib.subjects.contact.returns import load_monthly
from pcp_lib.subjects.contact.staffing import complete_years, fte, week_profile, what_if
from pcp_lib.subjects.contact.summary import annual_volumes
from pcp_lib.subjects.contact.synthetic import synthetic_calls


def test_complete_years_need_every_month_on_both_voice_channels():
    monthly = load_monthly("2025-26 Q3")
    assert complete_years(monthly) == [2024, 2025]
    assert complete_years(monthly[monthly["month"] != date(2025, 6, 1)]) == [2024]


def test_fte_after_shrinkage():
    a = load_assumptions()
    assert fte(37 * 0.65, a) == pytest.approx(1.0)


@pytest.fixture(scope="module")
def plan():
    monthly = load_monthly("2025-26 Q3")
    profile = week_profile(synthetic_calls(date(2025, 10, 6), days=28, seed=20251006))
    return what_if(annual_volumes(monthly, (2024, 2025)), (2024, 2025), profile, load_assumptions(), load_targets(),
                   load_uplift())


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
