"""The crime page's words: sentences and chart titles say what the tables and charts show."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.spc import xmr
from pcp_lib.subjects.crime import narrative as nv
from pcp_lib.subjects.crime.counts import LLR_FORCE


def table() -> pd.DataFrame:
    return pd.DataFrame({
        "measure": ["Burglary", "Shoplifting", "Robbery", "Drugs"], "area": ["LLR"] * 4,
        "quarter": ["Q3 2024/25"] * 4,
        "count": pd.array([1220, 2241, 193, None], dtype="Int64"),
        "count_year_earlier": pd.array([1430, 1563, 241, 5], dtype="Int64"),
        "pct_change": [-14.685, 43.378, -19.917, math.nan],
        "rate_ratio": [0.853, 1.434, 0.801, math.nan],
        "ratio_ci_low": [0.78, 1.16, 0.64, math.nan],
        "ratio_ci_high": [0.93, 1.77, 1.01, math.nan],
        "p_value": [0.0004, 0.011, 0.056, math.nan],
        "p_adjusted": [0.0012, 0.0165, 0.056, math.nan],
        "significant": pd.array([True, True, False, None], dtype="boolean"),
        "evidence": pd.array([True, True, False, None], dtype="boolean"),
        "dispersion_method": pd.array(["measured on 9 other months", "measured on 9 other months",
                                       "measured on 9 other months", None], dtype="string"),
        "not_tested": pd.array([None, None, None, "not tested: the quarter is not (wholly) in the monthly series"],
                               dtype="string"),
    })


def ytd() -> pd.DataFrame:
    return pd.DataFrame({"measure": ["Burglary", "Robbery"], "year_to_date": ["April-December 2024"] * 2,
                         "count": pd.array([3790, None], dtype="Int64"),
                         "count_year_earlier": pd.array([3791, None], dtype="Int64"), "pct_change": [-0.026, math.nan]})


def summary() -> pd.DataFrame:
    return pd.DataFrame({"measure": ["Shoplifting", "Burglary", "Robbery"], "area": ["LLR"] * 3,
                         "variation": pd.array(["concern_high", "common_cause", None], dtype="string")})


def test_quarter_sentences():
    lines = nv.quarter_sentences(table(), ytd(), summary())
    assert lines == [
        "Evidence of a change, lower in Q3 2024/25 than in Q3 2023/24 (adjusted across the 3 crime measures "
        "tested): burglary (-14.7%, 1,430 → 1,220; rate ratio 0.85, 95% CI 0.78 to 0.93; p < 0.001, adjusted "
        "p = 0.001).",
        "Evidence of a change, higher in Q3 2024/25 than in Q3 2023/24 (adjusted across the 3 crime measures "
        "tested): shoplifting (+43.4%, 1,563 → 2,241; rate ratio 1.43, 95% CI 1.16 to 1.77; p = 0.011, adjusted "
        "p = 0.017).",
        "No evidence of a change (adjusted across the 3 crime measures tested; this is not evidence of no change, "
        "see the intervals): robbery. Not tested: drugs (the quarter is not (wholly) in the monthly series).",
        "Year to date (April-December 2024) against the same months a year earlier: burglary 0.0%.",
        "SPC, latest month, LLR: shoplifting: ▲ special cause: concern (higher).",
        "SPC, latest month, LLR, common cause only: burglary.",
    ]


def test_a_raw_p_below_5_percent_is_not_evidence_unless_it_survives_the_adjustment():
    t = table()
    t["p_adjusted"] = [0.0012, 0.09, 0.09, math.nan]
    t["evidence"] = pd.array([True, False, False, None], dtype="boolean")
    lines = nv.evidence_sentences(t)
    assert len(lines) == 1 and "shoplifting" not in lines[0] and "burglary" in lines[0]
    assert "shoplifting, robbery" in str(nv.unchanged_sentence(t))


def test_dispersion_note_names_the_estimator():
    note = nv.dispersion_note(table())
    assert "measured on 9 other months" in note and "t with those degrees of freedom" in note
    assert "36" not in note and "cannot hide" not in note


def test_no_sentences_without_a_quarter():
    empty = table().iloc[0:0]
    assert nv.quarter_sentences(empty, ytd(), summary()) == []


def test_lead_sentence():
    asked = Quarter.parse("2025-26 Q3")
    shown = Quarter.parse("2024-25 Q3")
    assert nv.lead_sentence(asked, asked, date(2023, 1, 1)) is None
    assert "leads with Q3 2024/25 (October-December 2024)" in str(nv.lead_sentence(asked, shown, date(2023, 1, 1)))
    before = nv.lead_sentence(Quarter.parse("2022-23 Q1"), None, date(2023, 1, 1))
    assert before == ("The police.uk data start in January 2023: there is no full quarter of data up to "
                      "Q1 2022/23, so nothing is shown.")


def test_rate_basis_note_names_population_and_basis():
    note = nv.rate_basis_note({"A": 1_000_000, "B": 121_800}, "Census 2021")
    assert "1,121,800 (Census 2021; reference/population.csv)" in note


def _series(values) -> pd.Series:
    return pd.Series(values, index=pd.date_range("2023-01-01", periods=len(values), freq="MS"), dtype=float)


def test_spc_titles_state_the_finding():
    steady = xmr(_series([100, 102, 98, 101, 99, 100, 103, 97, 100, 101, 99, 100, 102, 98, 100]), "decrease")
    assert nv.spc_title("Robbery", "LLR", steady) == "Robbery, LLR: only common cause variation up to March 2024"
    jump = xmr(_series([100, 102, 98, 101, 99, 100, 103, 97, 100, 101, 99, 100, 102, 98, 160]), "decrease")
    assert nv.spc_title("Robbery", "LLR", jump) == "Robbery, LLR: special cause concern in March 2024 (higher)"
    few = xmr(_series([1, 2, 3]), "decrease")
    assert nv.spc_title("Robbery", "LLR", few) == "Robbery, LLR: too few months for SPC limits"
    assert nv.grid_title("Robbery", {"A": steady, "B": jump}) == (
        "Robbery by CSP area: special cause in the latest month in 1 of 2 areas (B)")
    assert nv.grid_title("Robbery", {"A": steady}) == (
        "Robbery by CSP area: common cause variation only in the latest month in all 1 areas")


def test_index_title():
    months = [date(2024, 11, 1), date(2024, 12, 1)]
    idx = pd.DataFrame({"month": months * 2, "force": [LLR_FORCE] * 2 + ["Derbyshire Constabulary"] * 2,
                        "count": [1, 2, 3, 4], "index": [80.0, 141.5, 95.0, np.float64(89.49)]})
    assert nv.index_title(idx, "Shoplifting") == (
        "Shoplifting, indexed (first 12 months = 100): LLR 142 vs Derbyshire 89 in December 2024")
