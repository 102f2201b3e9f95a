"""CSTR tables: the published totals equal the sum of their months, a wrong total is
caught, and the completion rates are worked by hand."""

from __future__ import annotations

import math
from datetime import date

import pytest

from pcp_lib.core.provenance import provenance_of
from pcp_lib.subjects.dtoa import cstr, narrative


def test_cstr_published_totals_equal_sum_of_months():
    monthly = cstr.load_monthly()
    assert len(monthly) == 3 * 4 * 12
    check = cstr.totals_check(monthly, cstr.load_totals())
    assert len(check) == 12 and check["matches"].all()
    t = check.set_index(["area", "measure"])["published_total"]
    assert t[("Leicester", "Modality Starts")] == 143
    assert t[("Leicestershire", "Modality Ends (all)")] == 103
    assert t[("Rutland", "Modality Starts")] == 2


def test_cstr_tables_carry_provenance():
    assert provenance_of(cstr.load_monthly()).names == ("dtoa_cstr_monthly.csv",)
    assert provenance_of(cstr.load_totals()).kind == "published"


def test_cstr_totals_check_catches_a_wrong_total():
    monthly = cstr.load_monthly()
    totals = cstr.load_totals()
    totals.loc[(totals["area"] == "Leicester") & (totals["measure"] == "Successful Mod End"), "total"] = 22
    check = cstr.totals_check(monthly, totals)
    bad = check.loc[~check["matches"]]
    assert list(bad["published_total"]) == [22] and list(bad["sum_of_months"]) == [21]
    assert any("published total 22" in s for s in narrative.cstr_sentences(cstr.summary(monthly), check))


def test_cstr_summary_and_rolling():
    s = cstr.summary(cstr.load_monthly()).set_index("area")
    rate = cstr.RATE
    assert s.loc["Leicester", rate] == pytest.approx(21 / 123 * 100)
    assert s.loc["Leicestershire", rate] == pytest.approx(23 / 103 * 100)
    assert s.loc["Rutland", rate] == 0
    assert s.loc[cstr.LLR, cstr.STARTS] == 275 and s.loc[cstr.LLR, cstr.SUCCESS] == 44
    assert round(s.loc[cstr.LLR, rate], 1) == pytest.approx(19.3)
    assert s[rate].dtype == "float64" and s[cstr.PER_100].dtype == "float64"
    roll = cstr.rolling_12(cstr.load_monthly())
    assert len(roll) == 3 and set(roll["12 months to"]) == {date(2025, 12, 1)}
    assert list(roll[cstr.STARTS]) == [143, 130, 2]
    assert roll[rate].dtype == "float64"
    wide = cstr.area_table(cstr.load_monthly(), "Leicester")
    assert list(wide.columns[1:4]) == ["Jan-25", "Feb-25", "Mar-25"] and list(wide["Total"]) == [143, 123, 21, 6]


def test_no_ends_means_no_rate():
    monthly = cstr.load_monthly()
    rutland_no_ends = monthly.loc[~((monthly["area"] == "Rutland") & (monthly["measure"] == cstr.ENDS))]
    s = cstr.summary(rutland_no_ends).set_index("area")
    assert math.isnan(s.loc["Rutland", cstr.RATE])
    text = narrative.cstr_sentences(s.reset_index(), cstr.totals_check(monthly, cstr.load_totals()))
    assert "Rutland: 2 starts; no ends, so no completion rate." in text


def test_cstr_sentences_and_title():
    monthly = cstr.load_monthly()
    summary = cstr.summary(monthly)
    text = narrative.cstr_sentences(summary, cstr.totals_check(monthly, cstr.load_totals()))
    assert text[0] == ("Across LLR in 2025 there were 275 CSTR modality starts and 228 ends, 44 of them "
                       "successful (19.3% of ends).")
    assert "Leicester: 143 starts; 17.1% of 123 ends successful." in text
    assert "All 12 published totals equal the sum of their months." in text
    assert narrative.cstr_title(summary) == ("Leicester had the most CSTR starts in 2025 (143); 19% of LLR ends "
                                             "were successful")
