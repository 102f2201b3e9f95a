"""DToA: the published figures reproduced, funnel arithmetic by hand, impossible inputs
rejected, CSTR totals, the synthetic sample and the uplift monitoring."""

from __future__ import annotations

import importlib.util
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.display import report
from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects import dtoa
from pcp_lib.subjects.dtoa import cstr, narrative, pathway, published

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
HEADER = "month,identified,tests,positive_tests,ra_booked,ra_attended,ra_wait_days,naloxone,treatment_entries\n"


# ---- the published comparison table ---------------------------------------------------
PUBLISHED_CHANGES = {
    "People identified as suitable for any form of intervention": "-14%",
    "Drug tests carried out": "-75%",
    "Positive tests": "-77%",
    "Required Assessment booked (Referral into treatment)": "-79%",
    "Required Assessments attended": "-84%",
    "% of Required Assessments attended": "-23pp",
    "Waiting time for Required Assessments": "+2 days",
    "Naloxone issued from custody": "-95%",
    "Entries into treatment": "-68%",
}


def test_published_levels_transcribed():
    ref = published.load_comparison().set_index("measure")
    before = [280, 95, 52, 43, 32, 74, 5, 22, 22]
    after = [241, 24, 12, 9, 5, 51, 7, 1, 7]
    assert [int(v) for v in ref["enhanced_funding"]] == before
    assert [int(v) for v in ref["current_provision"]] == after
    assert list(ref.index) == list(PUBLISHED_CHANGES)


def test_compare_periods_reproduces_every_published_change_with_pp():
    cmp = published.comparison_table(published.load_comparison())
    assert dict(zip(cmp["measure"], cmp["change_label"], strict=True)) == PUBLISHED_CHANGES
    # the published "-23%" is the only disagreement, and it is a unit error
    wrong = cmp.loc[~cmp["as_published"]]
    assert list(wrong["measure"]) == ["% of Required Assessments attended"]
    assert wrong["published_change"].iloc[0] == "-23%"
    assert "-23pp" in wrong["note"].iloc[0] and "-31%" in wrong["note"].iloc[0]
    units = dict(zip(cmp["measure"], cmp["change_unit"], strict=True))
    assert units["% of Required Assessments attended"] == "pp"
    assert units["Waiting time for Required Assessments"] == "days"
    assert units["Drug tests carried out"] == "%"


def test_compare_periods_hand_worked():
    cmp = dtoa.compare_periods({"a": 280, "r": Decimal("74"), "w": 5, "z": 0, "h": 8},
                               {"a": 241, "r": Decimal("51"), "w": 7, "z": 3, "h": 9},
                               {"a": "count", "r": "percent", "w": "days", "z": "count", "h": "count"})
    got = dict(zip(cmp["measure"], cmp["change_label"], strict=True))
    assert got == {"a": "-14%", "r": "-23pp", "w": "+2 days", "z": "n/a (from zero)", "h": "+13%"}
    exact = dict(zip(cmp["measure"], cmp["change"], strict=True))
    assert exact["h"] == Decimal("12.5")  # 12.5 rounds half up to 13, not to even 12
    assert exact["r"] == Decimal("-23")
    assert dtoa.change_label(Decimal("1"), "days") == "+1 day"
    assert dtoa.change_label(Decimal("-3.64"), "percent", 1) == "-3.6pp"


def test_compare_periods_rejects_unknown_unit_and_missing_measure():
    with pytest.raises(ValueError, match="unit must be one of"):
        dtoa.compare_periods({"a": 1}, {"a": 2}, {"a": "ratio"})
    with pytest.raises(DataError, match="'b'"):
        dtoa.compare_periods({"a": 1}, {"a": 2, "b": 3}, {"a": "count", "b": "count"})


# ---- funnel arithmetic ------------------------------------------------------------------
def test_funnel_hand_worked():
    t = dtoa.funnel({"A": 200, "B": 50, "C": 10})
    assert list(t["count"]) == [200, 50, 10]
    assert t["conversion_from_previous_pct"].iloc[0] is None
    assert list(t["conversion_from_previous_pct"].iloc[1:]) == [Decimal(25), Decimal(20)]
    assert list(t["dropoff_from_previous"].iloc[1:]) == [150, 40]
    assert list(t["dropoff_from_previous_pct"].iloc[1:]) == [Decimal(75), Decimal(80)]
    assert list(t["conversion_from_top_pct"]) == [Decimal(100), Decimal(25), Decimal(5)]
    worst = dtoa.largest_dropoff(t)
    assert worst["stage"] == "C"  # 80% lost at C beats 75% at B
    assert dtoa.largest_dropoff(t, "dropoff_from_previous")["stage"] == "B"  # 150 people


def test_funnel_zero_top_and_equal_stages():
    t = dtoa.funnel({"A": 0, "B": 0})
    assert t["conversion_from_top_pct"].iloc[1] is None
    assert t["dropoff_from_previous_pct"].iloc[1] is None
    t = dtoa.funnel({"A": 10, "B": 10})
    assert t["dropoff_from_previous"].iloc[1] == 0


def test_funnel_rejects_impossible():
    with pytest.raises(DataError) as exc:
        dtoa.funnel({"tested": 10, "positive": 12, "booked": -1})
    msg = str(exc.value)
    assert "'positive'" in msg and "at most 10" in msg and "got '12'" in msg
    assert "'booked'" in msg and "at least 0" in msg
    with pytest.raises(DataError):
        dtoa.funnel({})


def test_published_funnels():
    ref = published.load_comparison()
    enh = published.published_funnel(ref, "enhanced_funding")
    cur = published.published_funnel(ref, "current_provision")
    assert dtoa.largest_dropoff(cur)["stage"] == "Drug tests carried out"
    assert cur["dropoff_from_previous"].iloc[1] == 217
    assert round(cur["dropoff_from_previous_pct"].iloc[1], 2) == Decimal("90.04")
    assert round(enh["dropoff_from_previous_pct"].iloc[1], 2) == Decimal("66.07")
    title = narrative.funnel_title(enh, cur)
    assert "90% now" in title and "66% with enhanced" in title


def test_pathway_2025_published():
    p = published.load_pathway_2025()
    assert list(p["count"]) == [2915, 324, 124, 95]
    t = published.pathway_2025_funnel(p)
    assert list(t["dropoff_from_previous"].iloc[1:]) == [2591, 200, 29]
    assert round(t["conversion_from_top_pct"].iloc[-1], 2) == Decimal("3.26")
    text = " ".join(narrative.pathway_2025_sentences(t))
    assert "2,915" in text and "3.3%" in text and "76.6%" in text


# ---- CSTR -------------------------------------------------------------------------------
def test_cstr_published_totals_equal_sum_of_months():
    monthly = cstr.load_monthly()
    assert len(monthly) == 3 * 4 * 12
    check = cstr.totals_check(monthly, cstr.load_totals())
    assert len(check) == 12 and check["matches"].all()
    t = check.set_index(["area", "measure"])["published_total"]
    assert t[("Leicester", "Modality Starts")] == 143
    assert t[("Leicestershire", "Modality Ends (all)")] == 103
    assert t[("Rutland", "Modality Starts")] == 2


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
    rate = "successful completion rate (%)"
    assert s.loc["Leicester", rate] == Decimal(21) / Decimal(123) * 100
    assert s.loc["Leicestershire", rate] == Decimal(23) / Decimal(103) * 100
    assert s.loc["Rutland", rate] == 0
    assert s.loc[cstr.LLR, cstr.STARTS] == 275 and s.loc[cstr.LLR, cstr.SUCCESS] == 44
    assert round(s.loc[cstr.LLR, rate], 1) == Decimal("19.3")
    roll = cstr.rolling_12(cstr.load_monthly())
    assert len(roll) == 3 and set(roll["12 months to"]) == {date(2025, 12, 1)}
    assert list(roll[cstr.STARTS]) == [143, 130, 2]
    wide = cstr.area_table(cstr.load_monthly(), "Leicester")
    assert list(wide.columns[1:4]) == ["Jan-25", "Feb-25", "Mar-25"] and list(wide["Total"]) == [143, 123, 21, 6]


# ---- funding ----------------------------------------------------------------------------
def test_funding_is_decimal_money():
    f = published.load_funding()
    ho = f.loc[f["funder"] == "Home Office"]
    assert list(ho["amount"]) == [Decimal("200000.00"), Decimal("150000.00"), Decimal("25000.00"), Decimal("0.00")]
    assert sum(ho["amount"], Decimal(0)) == Decimal("375000.00")
    pcc = f.loc[f["funder"] != "Home Office"].iloc[0]
    assert pcc["amount"] == Decimal("200000.00") and pcc["start_month"] == date(2026, 5, 1)
    by_year = published.funding_by_year(f)
    assert list(by_year.loc[by_year["assumed"], "amount"]) == [Decimal("100000.00")] * 2
    c = published.load_contributions()
    assert list(c["amount_per_annum"]) == [Decimal("219287.00"), Decimal("111856.00")]
    rep = published.reproduction_table(published.load_comparison(), published.load_pathway_2025(),
                                       cstr.load_monthly(), cstr.load_totals(), f)
    assert int((~rep["agrees"]).sum()) == 1  # only the -23% (a unit error)


# ---- the monthly return: impossible data rejected ----------------------------------------
def _data_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    d = tmp_path / "data"
    (d / "reference").mkdir(parents=True)
    for slug, body in files.items():
        (d / "quarters" / slug).mkdir(parents=True, exist_ok=True)
        (d / "quarters" / slug / "dtoa_pathway.csv").write_text(HEADER + body, encoding="utf-8")
    return d


def test_schema_rejects_later_stage_larger_and_negative(tmp_path):
    d = _data_dir(tmp_path, {"2025-26-Q3": "2025-10,241,24,12,9,5,7,1,7\n"
                                           "2025-11,241,24,30,9,5,7,1,7\n"
                                           "2025-12,241,-3,0,0,0,,0,0\n"})
    with pytest.raises(DataError) as exc:
        pathway.load_pathway("2025-26 Q3", d)
    msg = str(exc.value)
    assert "dtoa_pathway.csv, row 3, column 'positive_tests'" in msg and "at most 24" in msg
    assert "row 4, column 'tests'" in msg and "at least 0" in msg and "'-3'" in msg
    assert len(exc.value.problems) == 2  # every problem at once


def test_schema_rejects_month_twice_in_a_file_and_across_folders(tmp_path):
    d = _data_dir(tmp_path, {"2025-26-Q3": "2025-10,241,24,12,9,5,7,1,7\n2025-10,241,24,12,9,5,7,1,7\n"})
    with pytest.raises(DataError, match=r"row 3, column 'month'.*one row per month"):
        pathway.load_pathway("2025-26 Q3", d)
    d2 = _data_dir(tmp_path / "b", {"2025-26-Q2": "2025-10,241,24,12,9,5,7,1,7\n",
                                    "2025-26-Q3": "2025-10,241,24,12,9,5,7,1,7\n"})
    with pytest.raises(DataError) as exc:
        pathway.load_pathway("2025-26 Q3", d2)
    msg = str(exc.value)
    assert "2025-26-Q2" in msg and "a month in Q2 2025/26" in msg


def test_schema_requires_wait_when_attended(tmp_path):
    d = _data_dir(tmp_path, {"2025-26-Q3": "2025-10,241,24,12,9,5,,1,7\n"})
    with pytest.raises(DataError, match="column 'ra_wait_days'.*average wait"):
        pathway.load_pathway("2025-26 Q3", d)


def test_schema_constant_exported():
    assert dtoa.DTOA_PATHWAY.name == "dtoa_pathway"
    assert dtoa.DTOA_PATHWAY.key == ("month",)
    assert {s.name for s in (dtoa.COMPARISON, dtoa.PATHWAY_2025, dtoa.FUNDING, dtoa.CSTR_MONTHLY,
                             dtoa.CSTR_TOTALS)} == {"dtoa_custody_comparison", "dtoa_pathway_2025", "dtoa_funding",
                                                    "dtoa_cstr_monthly", "dtoa_cstr_totals"}


# ---- the synthetic sample ------------------------------------------------------------------
def test_sample_q3_2025_matches_published_current_provision():
    series = pathway.load_pathway("2025-26 Q3")
    assert series.attrs["synthetic"]
    assert series["month"].max() == date(2025, 12, 1)  # nothing beyond the quarter asked for
    q = Quarter.parse("2025-26 Q3")
    avg = pathway.monthly_averages(pathway.months_between(series, q.start, q.end))
    ref = published.load_comparison().set_index("measure")
    for name, value in avg.items():
        assert dtoa.arithmetic.round_half_up(value) == ref.loc[name, "current_provision"], name
    year = pathway.months_between(series, date(2025, 1, 1), date(2025, 12, 1))
    assert (int(year["identified"].sum()), int(year["ra_booked"].sum()), int(year["treatment_entries"].sum())) == \
        (2915, 124, 95)


def test_sample_script_rewrites_byte_identically(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_sample_dtoa", ROOT / "scripts" / "make_sample_dtoa.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod, "QUARTERS", tmp_path)
    monkeypatch.setattr(mod, "ROOT", tmp_path)
    mod.main()
    made = sorted(tmp_path.glob("*/dtoa_pathway.csv*"))
    assert len(made) == 16
    for f in made:
        assert f.read_bytes() == (DATA / "quarters" / f.parent.name / f.name).read_bytes(), f


# ---- monitoring the uplift ---------------------------------------------------------------------
def test_poisson_interval_known_values():
    lo, hi = pathway.poisson_interval(0, 1)
    assert lo == 0 and abs(hi - 3.6889) < 1e-3
    lo, hi = pathway.poisson_interval(5, 1)
    assert abs(lo - 1.6235) < 1e-3 and abs(hi - 11.6683) < 1e-3
    lo, hi = pathway.poisson_interval(27, 3)
    assert lo < 9 < hi


def test_uplift_before_it_starts_says_nothing_can_be_said():
    mon = pathway.uplift_monitor(pathway.load_pathway("2025-26 Q3"), published.load_comparison())
    assert (mon["after_months"] == 0).all() and (mon["before_months"] == 12).all()
    text = narrative.uplift_sentences(mon, Quarter.parse("2025-26 Q3"))
    assert len(text) == 1 and "nothing can yet be said" in text[0]


def test_uplift_after_it_starts():
    mon = pathway.uplift_monitor(pathway.load_pathway("2026-27 Q3"), published.load_comparison()).set_index("column")
    assert mon.loc["tests", "after_months"] == 8 and mon.loc["tests", "before_months"] == 12
    assert mon.loc["tests", "ratio_lo"] > 1  # the (synthetic) scenario raises testing
    assert mon.loc["tests", "enhanced"] == 95.0 and mon.loc["tests", "current"] == 24.0
    text = " ".join(narrative.uplift_sentences(mon.reset_index(), Quarter.parse("2026-27 Q3")))
    assert "8 months of data since the uplift" in text and "not by itself that the uplift caused it" in text


# ---- coverage ----------------------------------------------------------------------------------
def test_coverage_beyond_and_before_the_data():
    beyond = pathway.load_pathway("2027-28 Q1")
    assert pathway.last_month(beyond) == date(2026, 12, 1)
    assert report.coverage_note("2027-28 Q1", pathway.last_month(beyond), "DToA") is not None
    before = pathway.load_pathway("2024-25 Q1")
    assert before.empty and pathway.last_month(before) is None
    view = pathway.quarter_view(before, "2024-25 Q1")
    assert view.months_in_quarter == 0
    assert narrative.quarter_sentences(view) == ["There are no monthly pathway data for Q1 2024/25."]


def test_project_runs_from_a_copy_of_data(tmp_path):
    """Everything the module reads is in data/ (nothing from /work/shared)."""
    shutil.copytree(DATA, tmp_path / "data")
    cmp = published.comparison_table(published.load_comparison(tmp_path / "data"))
    assert list(cmp["change_label"])[5] == "-23pp"
    assert len(pathway.load_pathway("2025-26 Q3", tmp_path / "data")) == 12
