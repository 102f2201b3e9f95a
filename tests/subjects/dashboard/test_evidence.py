"""The statistical view beside the RAG, on a small dashboard table built here (the Panel's
shoplifting case among them: 7.6 -> 8.0 per 1,000, Decrease target, 004_2d2b44c158357b88.txt ii):
each metric's kind decides whether a test runs; counts and rates are tested only with a variance
of their own (a police.uk monthly series, said where from); p adjusted across the view's tests."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.errors import DataError
from pcp_lib.methods.stats import compare_quarter, fdr_adjust
from pcp_lib.reference.population import llr_population
from pcp_lib.subjects.crime.counts import monthly_series
from pcp_lib.subjects.dashboard.evidence import (
    COLUMNS,
    approx_count,
    load_series,
    series_measure,
    statistical_view,
)

POPULATION = llr_population(FIXTURE_DATA)[0]
ROOT = Path(__file__).resolve().parents[3]


def table() -> pd.DataFrame:
    rows = [
        # serial, metric, unit, target, baseline, latest, pct_change, rag, within, kind, quantity_of
        (52, "Incidences of shoplifting (rate per 1000 pop)", "rate_per_1000", "Decrease", "7.6", "8.0", "5.263", "Red",
         False, "rate", None),
        (3, "No. of places public can engage with staff", "count", "Increase", "13", "11", "-15.38", "Red", False,
         "quantity", "a number of places (buildings)"),
        (41, "VAWG Defined offences (rate per 1000 pop)", "rate_per_1000", "Decrease", "18.96", "18.1", "-4.54",
         "Amber", True, "rate", None),
        (1, "Published Medium Term Financial Strategy", "yes_no", "Completed Y/N", "Y", "Y", None, "Green", None,
         "yes_no", None),
        (2, "Confidence in Police (CSEW)", "percent", "Increase", "65.9", "72.2", "9.56", "Green", False,
         "proportion", None),
        (58, "Number of Collisions", "value", "Reduce", "100.75", "102", "1.24", "Amber", True, "count", None),
        (49, "Positive outcomes for Rural Offences (rate per 1000 pop)", "rate_per_1000", "Increase", None, None, None,
         "No data", None, "rate", None),
        (27, "Number of Neighbourhood Crime offences", "count", "Decrease", "11545", "9603", "-16.82", "Green", False,
         "count", None),
    ]
    df = pd.DataFrame(rows, columns=["serial", "metric", "unit", "target", "baseline", "latest", "pct_change",
                                     "rag", "within_tolerance", "kind", "quantity_of"])
    for c in ("baseline", "latest", "pct_change"):
        df[c] = [None if v is None or v in ("Y", "N") and c == "pct_change" else (v if v in ("Y", "N") else Decimal(v))
                 for v in df[c]]
    df["change"] = [None if b is None or isinstance(b, str) else lt - b for b, lt in zip(df["baseline"], df["latest"], strict=True)]
    df["band"] = [{"percent": "±2pp", "yes_no": ""}.get(u, "±5%") for u in df["unit"]]  # as the shipped bands give
    return df


@pytest.fixture(scope="module")
def view():
    return statistical_view(table(), POPULATION, load_series(FIXTURE_DATA), quarter="2024-25 Q3").set_index("serial")


def test_columns_and_one_row_per_serial(view):
    assert list(view.reset_index().columns) == COLUMNS
    assert sorted(view.index) == [1, 2, 3, 27, 41, 49, 52, 58]


def test_shoplifting_case(view):
    r = view.loc[52]
    assert (r["baseline_count"], r["latest_count"]) == (8526, 8974)  # 7.6 and 8.0 x 1,121,800 / 1,000
    assert r["counts_approximate"]  # derived from a rate and the population
    assert "rate ratio" in r["test"] and "t, 3.3 df" in r["test"]
    assert not r["significant"] and not r["evidence"]  # allowing for how much shoplifting varies a year apart
    assert r["ci_low"] < 1 < r["ci_high"] and r["estimate"] == pytest.approx(8974 / 8526)
    assert r["statistical_note"].startswith(
        "+5.3%, outside the ±5% band, but no evidence of a change at this volume (about 8,526 → 8,974; rate ratio 1.05")
    assert r["spc_variation"] in ("concern_high", "common_cause", "improvement_low", "concern_low",
                                  "improvement_high")
    assert "police.uk monthly shoplifting to December 2024" in r["statistical_note"]


def test_the_variance_is_the_series_own_and_says_where_it_comes_from(view):
    # the factor and df of compare_quarter on police.uk monthly shoplifting, Q3 2024/25 against Q3 2023/24
    cmp = compare_quarter(monthly_series(load_series(FIXTURE_DATA), "Shoplifting"), "2024-25 Q3")
    r = view.loc[52]
    assert r["dispersion"] == pytest.approx(cmp.dispersion) and r["df"] == pytest.approx(cmp.df)
    assert r["dispersion_method"].startswith("police.uk monthly shoplifting (LLR), the nearest series to this metric")
    assert cmp.dispersion_method in r["dispersion_method"]
    assert "variance 4.5× Poisson, from police.uk monthly shoplifting" in r["statistical_note"]


def test_not_tested_says_why(view):
    assert view.loc[3, "statistical_note"] == "Not tested: a number of places (buildings), not a count of events."
    assert pd.isna(view.loc[3, "p_value"]) and view.loc[3, "test"] == "none"
    assert view.loc[1, "statistical_note"] == "Not tested: yes or no (done or not done), not a count of events."
    assert view.loc[2, "statistical_note"] == "Not tested: a proportion without its sample size."
    assert view.loc[58, "statistical_note"] == "Not tested: the values are not whole counts (100.75 is an average)."
    assert "missing" in view.loc[49, "statistical_note"]
    # VAWG is a rate with no series of its own: no factor is borrowed, and no Poisson-only test is made
    assert view.loc[41, "statistical_note"].startswith("Not tested: no monthly series of its own")
    assert (view.loc[41, "baseline_count"], view.loc[41, "latest_count"]) == (21269, 20305)  # counts still shown


def test_adjusted_across_the_views_tests(view):
    tested = view[view["p_value"].notna()]
    assert sorted(tested.index) == [27, 52]
    assert list(tested["p_adjusted"]) == pytest.approx(fdr_adjust(list(tested["p_value"])))
    assert list(tested["evidence"]) == list(tested["p_adjusted"] < 0.05)
    assert "across the dashboard's 2 tests" in view.loc[27, "statistical_note"]
    assert not view.loc[27, "counts_approximate"]  # a count: its counts are exact


def test_survey_percentages_with_sample_sizes():
    df = table()
    df["baseline_sample"] = [None, None, None, None, 900, None, None, None]
    df["latest_sample"] = [None, None, None, None, 850, None, None, None]
    r = statistical_view(df, POPULATION).set_index("serial").loc[2]
    assert r["significant"] and r["evidence"] and "pp" in r["test"]
    assert r["ci_low"] < 6.3 < r["ci_high"]
    assert r["statistical_note"].startswith("+6.3pp, outside the ±2pp band and evidence of a change")


def test_series_matching():
    assert series_measure("Number of Neighbourhood Crime offences", "count") == "Neighbourhood crime"
    assert series_measure("Outcome rate for Neighbourhood offences", "percent") is None
    assert series_measure("Incidences of shopworker assaults (rate per 1000 pop)", "rate_per_1000") is None
    assert series_measure("Volume of Theft from Person offences (rate per 1000 pop)", "rate_per_1000") == \
        "Theft from the person"


def test_approximate_count_behind_a_rate():
    assert approx_count(Decimal("7.60"), POPULATION) == 8526  # 8,525.68 rounded half up
    assert approx_count(None, POPULATION) is None


@pytest.fixture
def data_copy(tmp_path) -> Path:
    dst = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA / "reference", dst / "reference")
    shutil.copytree(FIXTURE_DATA / "derived", dst / "derived")
    return dst


def test_a_bad_row_in_another_forces_counts_fails_loudly(data_copy):
    """One bad row in Derbyshire's counts must not quietly drop the series (and with it every
    test of a count or rate): it is an error naming file, row and column."""
    path = data_copy / "derived" / "police_uk_monthly_counts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("2023-01,Derbyshire Constabulary,")
    lines[1] = lines[1].rsplit(",", 1)[0] + ",fourteen"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_series(data_copy)
    msg = str(exc.value)
    assert "police_uk_monthly_counts.csv" in msg and "row 2" in msg and "'count'" in msg and "fourteen" in msg


def test_without_the_counts_file_no_count_or_rate_is_tested(data_copy, view):
    (data_copy / "derived" / "police_uk_monthly_counts.csv").unlink()
    assert load_series(data_copy) is None  # the one expected absence
    r = statistical_view(table(), POPULATION, None, quarter="2024-25 Q3").set_index("serial").loc[52]
    assert r["test"] == "none" and pd.isna(r["p_value"]) and pd.isna(r["spc_variation"])
    assert r["statistical_note"].startswith("Not tested: no monthly series of its own")


def test_the_reason_a_metric_is_not_tested_is_in_the_verdicts_cell():
    """The statistical table shows why in its "Evidence of a change?" cell, not only in the note."""
    from pcp_lib.subjects.dashboard import assess, page

    ctx = page.load("2025-26 Q3", FIXTURE_DATA, "public")
    view = statistical_view(ctx.assessed, ctx.population, ctx.series, ctx.shown, rules=ctx.preset or "mdc")
    cells = assess.statistical_table(ctx.assessed, view, "public").set_index("No")["Evidence of a change?"]
    assert cells["24"] == "not tested: a number of officers, not a count of events"
    assert cells["31"] == "not tested: no monthly series of its own to measure how much it varies"
    assert cells["27"] == "Yes"
