"""Display tables: figures formatted by the units module (percent change labelled and signed,
"n/a" for missing, "n/a (from zero)" for a change from zero), the verdict in words."""

from __future__ import annotations

import math

import pandas as pd

from pcp_lib.subjects.crime import tables


def quarter_rows() -> pd.DataFrame:
    return pd.DataFrame({
        "measure": ["Burglary", "Robbery", "Drugs", "Shoplifting"], "area": ["LLR"] * 4,
        "quarter": ["Q3 2024/25"] * 4,
        "count": pd.array([1220, 5, None, 3790], dtype="Int64"),
        "count_year_earlier": pd.array([1430, 0, 10, 3791], dtype="Int64"),
        "rate_per_1000": [1.0875, 0.004, math.nan, 3.3785],
        "rate_per_1000_year_earlier": [1.2747, 0.0, 0.009, 3.3794],
        "pct_change": [-14.685, math.nan, math.nan, -0.026],
        "rate_ratio": [0.8531, math.nan, math.nan, 0.9997],
        "ratio_ci_low": [0.7312, math.nan, math.nan, 0.95],
        "ratio_ci_high": [0.9955, math.nan, math.nan, 1.05],
        "p_value": [0.0491, math.nan, math.nan, 0.0004],
        "p_adjusted": [0.0982, math.nan, math.nan, 0.0008],
        "significant": pd.array([True, None, None, True], dtype="boolean"),
        "evidence": pd.array([False, None, None, True], dtype="boolean"),
        "dispersion": [2.23, math.nan, math.nan, 4.46],
        "not_tested": pd.array([None, "not tested: no events in either quarter", "not tested: the quarter is not "
                                "(wholly) in the monthly series", None], dtype="string"),
    })


def test_quarter_table_display():
    out = tables.display_quarter_table(quarter_rows())
    assert list(out.columns) == ["Measure", "Count Q3 2023/24", "Count Q3 2024/25", "Per 1,000 in Q3 2023/24",
                                 "Per 1,000 in Q3 2024/25", "Change (%)", "Rate ratio (95% CI)", "p (raw)",
                                 "p (adjusted, 2 tests)", "Dispersion used (× Poisson)", "Evidence of a change?"]
    first = out.iloc[0]
    assert first["Count Q3 2023/24"] == "1,430" and first["Per 1,000 in Q3 2024/25"] == "1.09"
    assert first["Change (%)"] == "-14.7%" and first["Rate ratio (95% CI)"] == "0.85 (0.73-1.00)"
    # raw p below 5% but not after the adjustment across the table: no evidence
    assert first["p (raw)"] == "p = 0.049" and first["p (adjusted, 2 tests)"] == "p = 0.098"
    assert first["Evidence of a change?"] == "No"
    assert list(out["Dispersion used (× Poisson)"]) == ["2.2", "n/a", "n/a", "4.5"]
    assert list(out["Change (%)"]) == ["-14.7%", "n/a (from zero)", "n/a", "0.0%"]  # a zero change has no sign
    assert list(out["Evidence of a change?"]) == ["No", "not tested: no events in either quarter",
                                                  "not tested: the quarter is not (wholly) in the monthly series",
                                                  "Yes"]
    assert out.iloc[2]["Count Q3 2024/25"] == "n/a" and out.iloc[3]["p (raw)"] == "p < 0.001"


def test_quarter_table_by_area_shows_raw_and_adjusted_p():
    out = tables.display_quarter_table(quarter_rows(), by_area=True)
    assert "Area" in out.columns and "p (raw)" in out.columns and "p (adjusted, 2 tests)" in out.columns


def test_ytd_display():
    ytd = pd.DataFrame({"measure": ["Burglary"], "year_to_date": ["April-December 2024"],
                        "count": pd.array([10335], dtype="Int64"),
                        "count_year_earlier": pd.array([10374], dtype="Int64"), "pct_change": [-0.376]})
    out = tables.display_ytd_table(ytd)
    assert out.iloc[0].to_dict() == {"Measure": "Burglary", "Months": "April-December 2024",
                                     "Count a year earlier": "10,374", "Count": "10,335", "Change (%)": "-0.4%"}


def test_spc_summary_display():
    summary = pd.DataFrame({
        "measure": ["Shoplifting", "Robbery"], "area": ["LLR", "LLR"],
        "latest_month": pd.to_datetime(["2024-12-01", "2024-12-01"]),
        "variation": pd.array(["concern_high", None], dtype="string"),
        "special_cause_months": pd.array([19, 0], dtype="Int64"), "rules_seen": ["outside limits, shift", ""],
        "latest_special_cause_month": pd.to_datetime(["2024-12-01", None]),
    })
    out = tables.display_spc_summary(summary)
    # the icon code, drawn with its words by display.icons.icon_cell
    assert list(out[tables.SPC_ICON_COLUMN]) == ["concern_high", "too few points for SPC"]
    assert list(out["Rules seen"]) == ["outside limits, shift", "none"]
    assert list(out["Latest special-cause month"]) == ["Dec 2024", ""]
    assert list(out["Latest month"]) == ["Dec 2024", "Dec 2024"]


def test_force_comparison_display():
    fc = pd.DataFrame({"measure": ["Shoplifting"], "force": ["Derbyshire Constabulary"], "quarter": ["Q3 2024/25"],
                       "count": pd.array([1698], dtype="Int64"), "count_year_earlier": pd.array([1608], dtype="Int64"),
                       "pct_change": [5.597], "rate_ratio": [1.056], "ratio_ci_low": [0.9], "ratio_ci_high": [1.24],
                       "p_value": [0.6], "p_adjusted": [0.6], "significant": pd.array([False], dtype="boolean"),
                       "evidence": pd.array([False], dtype="boolean"), "dispersion": [3.1],
                       "not_tested": pd.array([None], dtype="string")})
    out = tables.display_force_comparison(fc)
    assert out.iloc[0].to_dict() == {"Measure": "Shoplifting", "Force": "Derbyshire Constabulary",
                                     "Count Q3 2023/24": "1,608", "Count Q3 2024/25": "1,698",
                                     "Change (%)": "+5.6%", "Rate ratio (95% CI)": "1.06 (0.90-1.24)",
                                     "p (raw)": "p = 0.600", "p (adjusted, 1 test)": "p = 0.600",
                                     "Dispersion used (× Poisson)": "3.1", "Evidence of a change?": "No"}
