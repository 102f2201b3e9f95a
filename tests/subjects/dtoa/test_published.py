"""The published DToA figures: transcribed exactly, carrying their provenance, the paper's
Change column reproduced (and its -23% shown to be -23pp), and the closing table holding
only checks that compare two independent things."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.subjects import dtoa
from pcp_lib.subjects.dtoa import cstr, narrative, pathway, published

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data"

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


@pytest.mark.parametrize("load, name", [
    (published.load_comparison, "dtoa_custody_comparison.csv"),
    (published.load_pathway_2025, "dtoa_pathway_2025.csv"),
    (published.load_funding, "dtoa_funding.csv"),
    (published.load_contributions, "dtoa_turning_point_contributions.csv"),
    (published.load_referrals_metric, "dtoa_dashboard_referrals.csv"),
])
def test_every_published_table_carries_its_provenance(load, name):
    prov = provenance_of(load())
    assert prov.kind == "published" and prov.names == (name,) and not prov.synthetic


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


def test_published_funnels():
    ref = published.load_comparison()
    enh = published.published_funnel(ref, "enhanced_funding")
    cur = published.published_funnel(ref, "current_provision")
    # the largest drop-out is among people eligible to go on, not at a screen (issue 22, item 10)
    assert dtoa.largest_dropoff(cur)["stage"] == "Required Assessments attended"
    assert list(cur["step_kind"].iloc[1:]) == ["mixed", "screen", "progression", "progression"]
    assert list(cur["not_eligible"].iloc[2:]) == [12, 0, 0] and list(cur["did_not_go_on"].iloc[3:]) == [3, 4]
    assert cur["dropoff_from_previous"].iloc[1] == 217
    assert round(cur["dropoff_from_previous_pct"].iloc[1], 2) == pytest.approx(90.04)
    assert round(enh["dropoff_from_previous_pct"].iloc[1], 2) == pytest.approx(66.07)


def test_pathway_2025_published():
    p = published.load_pathway_2025()
    assert list(p["count"]) == [2915, 324, 124, 95]
    t = published.pathway_2025_funnel(p)
    assert list(t["dropoff_from_previous"].iloc[1:]) == [2591, 200, 29]
    assert t["not_eligible"].iloc[1] == 2591 and t["did_not_go_on"].iloc[1] == 0  # not viable: not drop-outs
    assert t["did_not_go_on"].iloc[3] == 29
    assert round(t["conversion_from_top_pct"].iloc[-1], 2) == pytest.approx(3.26)


def test_funding_is_decimal_money():
    f = published.load_funding()
    ho = f.loc[f["funder"] == "Home Office"]
    assert list(ho["amount"]) == [Decimal("200000.00"), Decimal("150000.00"), Decimal("25000.00"), Decimal("0.00")]
    assert sum(ho["amount"], Decimal(0)) == Decimal("375000.00")
    pcc = f.loc[f["funder"] != "Home Office"].iloc[0]
    assert pcc["amount"] == Decimal("200000.00") and str(pcc["start_month"]) == "2026-05-01"
    by_year = published.funding_by_year(f)
    assert list(by_year.loc[by_year["assumed"], "amount"]) == [Decimal("100000.00")] * 2
    assert list(by_year.loc[by_year["assumed"], "label"]) == ["£100k*"] * 2
    c = published.load_contributions()
    assert list(c["amount_per_annum"]) == [Decimal("219287.00"), Decimal("111856.00")]


def test_reproduction_table_compares_only_independent_figures():
    rep = published.reproduction_table(published.load_comparison(), cstr.load_monthly(), cstr.load_totals())
    assert int((~rep["agrees"]).sum()) == 1  # only the -23% (a unit error)
    assert len(rep) == 9 + 12  # nine Change rows, twelve CSTR totals
    # no row checks a transcription against itself: no funding amount, no 2025 pathway chain
    assert not rep["figure"].str.startswith("Funding").any()
    assert not rep["figure"].str.contains("2025 pathway").any()
    for produced in rep["produced"]:
        assert "from the two published levels" in produced or "sum of the 12 published months" in produced


def test_reproduction_table_catches_a_wrong_change_and_a_wrong_total():
    ref = published.load_comparison()
    ref.loc[ref["measure"] == "Drug tests carried out", "published_change"] = "-70%"
    totals = cstr.load_totals()
    totals.loc[(totals["area"] == "Rutland") & (totals["measure"] == "Modality Starts"), "total"] = 3
    rep = published.reproduction_table(ref, cstr.load_monthly(), totals)
    bad = rep.loc[~rep["agrees"], "figure"].tolist()
    assert "Change: Drug tests carried out" in bad and "CSTR total: Rutland, Modality Starts" in bad


def test_consistency_notes():
    notes = published.consistency_notes(published.load_comparison(), published.load_pathway_2025(),
                                        published.load_referrals_metric())
    text = " ".join(notes)
    assert "published as 51%, but 5 attended of 9 booked is 56%" in text
    assert "gives 70 (2024/25 baseline) and 30 (Q3 2025/26)" in text and "about 27 a quarter" in text
    assert "95 entries into treatment via custody are 7.9 a month" in text


def test_consistency_notes_name_the_file_when_a_referrals_row_is_missing():
    ref = published.load_referrals_metric()
    with pytest.raises(DataError, match="dtoa_dashboard_referrals.csv.*one baseline row and one latest row"):
        published.consistency_notes(published.load_comparison(), published.load_pathway_2025(),
                                    ref.loc[ref["kind"] == "latest"])


def test_activity_marks_values_from_the_monthly_return():
    ref = published.load_comparison()
    before = published.activity_by_period(ref, pathway.load_pathway("2025-26 Q3"))
    assert set(before["source"]) == {"published"} and set(before["label"]) == {""}
    after = published.activity_by_period(ref, pathway.load_pathway("2026-27 Q3"))
    mine = after.loc[after["source"] == published.FROM_RETURN]
    assert set(mine["first_year"]) == {"2026/27"} and set(mine["label"]) == {published.RETURN_MARK}
    assert after["value"].dtype == "float64"


def test_funding_title():
    title = narrative.funding_title(published.funding_by_year(published.load_funding()))
    assert "fell from £200k to £0k by 2024/25" in title and "adds £200k from 2026/27" in title


def test_project_runs_from_a_copy_of_data(tmp_path):
    """Everything the module reads is in data/ (nothing from /work/shared)."""
    shutil.copytree(DATA, tmp_path / "data")
    cmp = published.comparison_table(published.load_comparison(tmp_path / "data"))
    assert list(cmp["change_label"])[5] == "-23pp"
    assert len(pathway.load_pathway("2025-26 Q3", tmp_path / "data")) == 12
