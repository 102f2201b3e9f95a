"""The crime statistics as tables an analyst can use: numbers that sort and describe, computed
from the counts (checked here against sums of the counts themselves)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import FIXTURE_DATA

from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.stats import compare_quarter, fdr_adjust
from pcp_lib.reference.csp_areas import csp_lookup
from pcp_lib.reference.population import populations
from pcp_lib.subjects.crime import measures as ms
from pcp_lib.subjects.crime.counts import LLR, LLR_FORCE, MEASURES, area_groups, load_counts, monthly_series

Q = Quarter.parse("2024-25 Q3")
DERBYSHIRE = "Derbyshire Constabulary"


@pytest.fixture(scope="module")
def c():
    return load_counts(FIXTURE_DATA)


@pytest.fixture(scope="module")
def pops():
    return populations(FIXTURE_DATA)


def test_quarter_table_counts_rates_and_change(c, pops):
    by_la, basis = pops
    t = ms.quarter_table(c, Q, by_la, basis=basis, measures=["Shoplifting"])
    row = t.iloc[0]
    s = monthly_series(c, "Shoplifting")
    assert row["count"] == int(s.loc[[pd.Timestamp(m) for m in Q.months]].sum())
    assert row["count_year_earlier"] == int(s["2023-10":"2023-12"].sum())
    assert row["population"] == 1_121_800 == sum(by_la.values())
    assert row["rate_per_1000"] == 1000 * row["count"] / 1_121_800
    assert row["pct_change"] == pytest.approx(100 * (row["count"] - row["count_year_earlier"])
                                              / row["count_year_earlier"])
    assert row["rate_ratio"] == pytest.approx(row["count"] / row["count_year_earlier"])
    assert row["ratio_ci_low"] < row["rate_ratio"] < row["ratio_ci_high"]
    assert "Census 2021" in row["rate_basis"]


def test_quarter_table_is_numeric(c, pops):
    t = ms.quarter_table(c, Q, pops[0], basis=pops[1])
    assert len(t) == len(MEASURES)
    for col in ("rate_per_1000", "rate_per_1000_year_earlier", "pct_change", "rate_ratio", "p_value"):
        assert t[col].dtype == "float64"
    assert str(t["count"].dtype) == "Int64" and str(t["significant"].dtype) == "boolean"
    assert t.sort_values("pct_change")["measure"].iloc[-1] == "Anti-social behaviour"
    assert t["p_value"].describe()["max"] <= 1


def test_each_row_is_compare_quarter_and_the_table_is_its_family(c, pops):
    t = ms.quarter_table(c, Q, pops[0])
    shop = t[t["measure"] == "Shoplifting"].iloc[0]
    cmp = compare_quarter(monthly_series(c, "Shoplifting"), Q)
    assert shop["p_value"] == cmp.p_value and shop["dispersion"] == cmp.dispersion and shop["df"] == cmp.df
    assert (shop["ratio_ci_low"], shop["ratio_ci_high"]) == (cmp.ci_low, cmp.ci_high)
    assert shop["dispersion_method"] == cmp.dispersion_method
    # Benjamini-Hochberg across the table's rows (one family), and the verdict follows the adjusted p
    assert list(t["p_adjusted"]) == pytest.approx(fdr_adjust(list(t["p_value"])))
    assert (t["p_adjusted"] >= t["p_value"]).all()
    assert list(t["evidence"]) == list(t["p_adjusted"] < 0.05)
    assert list(t["significant"]) == list(t["p_value"] < 0.05)


def test_by_area_rows_count_located_crimes(c, pops):
    by = ms.quarter_table(c, Q, pops[0], basis=pops[1], groups=area_groups(csp_lookup(FIXTURE_DATA)), measures=["Shoplifting"])
    assert len(by) == 10  # LLR and nine CSP areas
    llr = by[by["area"] == LLR].iloc[0]
    located = by[by["area"] != LLR]["count"].sum()
    assert located <= llr["count"]
    melton = by[by["area"] == "Melton"].iloc[0]
    assert melton["population"] == pops[0]["Melton"]


def test_missing_quarter_is_missing_not_zero(c, pops):
    t = ms.quarter_table(c, "2023-24 Q3", pops[0], measures=["Robbery"])  # a year earlier is not in the data
    row = t.iloc[0]
    assert pd.isna(row["count_year_earlier"]) and math.isnan(row["pct_change"]) and pd.isna(row["significant"])
    assert not pd.isna(row["count"])


def test_ytd_table(c):
    y = ms.ytd_table(c, Q, ["Burglary"]).iloc[0]
    s = monthly_series(c, "Burglary")
    now = [m for m in s.index if pd.Timestamp(Q.fy_start) <= m <= pd.Timestamp(Q.months[-1])]
    assert len(now) == 9 and y["count"] == int(s.loc[now].sum())
    assert y["year_to_date"] == "April-December 2024"
    incomplete = ms.ytd_table(c, "2023-24 Q3", ["Burglary"]).iloc[0]  # April-December 2022 not in the data
    assert pd.isna(incomplete["count"]) and math.isnan(incomplete["pct_change"])


def test_spc_results_and_summary(c, pops):
    llr = ms.spc_results(c, Q, "Shoplifting")
    areas = ms.spc_results(c, Q, "Shoplifting", {a: las for a, las in area_groups(csp_lookup(FIXTURE_DATA)).items() if a != LLR})
    assert list(llr) == [LLR] and len(areas) == 9
    summary = ms.spc_summary({"Shoplifting": {**llr, **areas}})
    assert list(summary["area"])[:2] == [LLR, "Leicester"]
    row = summary.iloc[0]
    assert row["special_cause_months"] == len(llr[LLR].signals())
    assert row["variation"] == llr[LLR].variation
    assert row["latest_month"] == pd.Timestamp("2024-12-01")
    assert summary["special_cause_months"].dtype == "Int64"


def test_too_few_months_for_limits(c):
    r = ms.spc_results(c, Quarter.parse("2023-24 Q2"), "Burglary")[LLR]  # 9 months of data
    summary = ms.spc_summary({"Burglary": {LLR: r}})
    assert r.variation is None and pd.isna(summary["variation"].iloc[0])


def test_force_comparison(c):
    fc = ms.force_comparison(c, Q, ["Shoplifting"], [LLR_FORCE, DERBYSHIRE])
    derby = fc[fc["force"] == DERBYSHIRE].iloc[0]
    s = monthly_series(c, "Shoplifting", DERBYSHIRE)
    assert derby["count"] == int(s.loc[[pd.Timestamp(m) for m in Q.months]].sum())
    assert str(fc["significant"].dtype) == "boolean" and fc["pct_change"].dtype == "float64"


def test_indexed_comparison_base_is_100(c):
    base = ms.index_base_months(c)
    assert len(base) == 12
    idx = ms.indexed_comparison(c, "Shoplifting", [LLR_FORCE, DERBYSHIRE], base)
    for _, part in idx.groupby("force"):
        assert part[part["month"].isin(base)]["index"].mean() == pytest.approx(100)
    assert idx["index"].dtype == "float64"


def test_each_area_has_its_own_dispersion(c, pops):
    # each CSP area's test uses the variation of its own series; nothing is borrowed from LLR
    groups = area_groups(csp_lookup(FIXTURE_DATA))
    by = ms.quarter_table(c, Q, pops[0], groups=groups, measures=["Shoplifting"])
    row = by[by["area"] == "Melton"].iloc[0]
    s = monthly_series(c, "Shoplifting", LLR_FORCE, groups["Melton"])
    assert row["dispersion"] == compare_quarter(s, Q).dispersion != by[by["area"] == LLR].iloc[0]["dispersion"]
    assert by["not_tested"].isna().all()


def test_not_tested_says_why(c, pops):
    t = ms.quarter_table(c[c["month"] <= Quarter.parse("2024-25 Q1").months[-1]], "2024-25 Q1", pops[0],
                         measures=["Robbery"])
    row = t.iloc[0]
    assert row["not_tested"].startswith("not tested: only 3 other months")
    assert pd.isna(row["p_value"]) and pd.isna(row["evidence"]) and not pd.isna(row["count"])
