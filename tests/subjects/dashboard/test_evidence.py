"""The statistical view beside the RAG, on a small dashboard table built here (the Panel's
shoplifting case among them: 7.6 -> 8.0 per 1,000, Decrease target, 004_2d2b44c158357b88.txt ii)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.reference.population import llr_population
from pcp_lib.subjects.dashboard.evidence import (
    COLUMNS,
    approx_count,
    load_series,
    series_measure,
    statistical_view,
)

POPULATION = llr_population()[0]
ROOT = Path(__file__).resolve().parents[3]


def table() -> pd.DataFrame:
    rows = [
        # serial, metric, unit, target, baseline, latest, pct_change, rag, within
        (52, "Incidences of shoplifting (rate per 1000 pop)", "rate_per_1000", "Decrease", "7.6", "8.0", "5.263", "Red", False),
        (3, "No. of places public can engage with staff", "count", "Increase", "13", "11", "-15.38", "Red", False),
        (41, "VAWG Defined offences (rate per 1000 pop)", "rate_per_1000", "Decrease", "18.96", "18.1", "-4.54", "Amber", True),
        (1, "Published Medium Term Financial Strategy", "yes_no", "Completed Y/N", "Y", "Y", None, "Green", None),
        (2, "Confidence in Police (CSEW)", "percent", "Increase", "65.9", "72.2", "9.56", "Green", False),
        (58, "Number of Collisions", "value", "Reduce", "100.75", "102", "1.24", "Amber", True),
        (49, "Positive outcomes for Rural Offences (rate per 1000 pop)", "rate_per_1000", "Increase", None, None, None, "No data", None),
    ]
    df = pd.DataFrame(rows, columns=["serial", "metric", "unit", "target", "baseline", "latest", "pct_change",
                                     "rag", "within_tolerance"])
    for c in ("baseline", "latest", "pct_change"):
        df[c] = [None if v is None or v in ("Y", "N") and c == "pct_change" else (v if v in ("Y", "N") else Decimal(v))
                 for v in df[c]]
    df["change"] = [None if b is None or isinstance(b, str) else lt - b for b, lt in zip(df["baseline"], df["latest"], strict=True)]
    df["band"] = [{"percent": "±2pp", "yes_no": ""}.get(u, "±5%") for u in df["unit"]]  # as the shipped bands give
    return df


@pytest.fixture(scope="module")
def view():
    return statistical_view(table(), POPULATION, load_series(), quarter="2024-25 Q3").set_index("serial")


def test_columns_and_one_row_per_serial(view):
    assert list(view.reset_index().columns) == COLUMNS
    assert sorted(view.index) == [1, 2, 3, 41, 49, 52, 58]


def test_shoplifting_case(view):
    r = view.loc[52]
    assert (r["baseline_count"], r["latest_count"]) == (8526, 8974)  # 7.6 and 8.0 x 1,121,800 / 1,000
    assert "over-dispersion" in r["test"] and "rate ratio" in r["test"]
    assert not r["significant"]  # allowing for how much monthly shoplifting counts vary
    assert r["ci_low"] < 1 < r["ci_high"]
    assert r["statistical_note"].startswith(
        "+5.3%, outside the ±5% band, but not statistically significant at this volume")
    assert r["spc_variation"] in ("concern_high", "common_cause", "improvement_low", "concern_low",
                                  "improvement_high")
    assert "police.uk monthly shoplifting to December 2024" in r["statistical_note"]


def test_shoplifting_dispersion_is_the_noise_not_the_change(view):
    # issue 16: the month-to-month noise of shoplifting to December 2024 (moving range: about 4.5x Poisson), not
    # its variance around the mean (23.9, which includes the rise being tested); the view says which it used
    r = view.loc[52]
    assert round(r["dispersion"], 1) == 4.5 and r["dispersion_method"] == "moving range of the monthly counts"
    assert 0.05 < r["p_value"] < 0.2  # still not significant, but far nearer than p = 0.49 with 23.9
    assert "4.5× chance" in r["statistical_note"]


def test_small_counts_outside_band_not_significant(view):
    r = view.loc[3]
    assert (r["baseline_count"], r["latest_count"]) == (13, 11)
    assert not r["significant"] and pd.isna(r["spc_variation"])
    assert "-15.4%, outside the ±5% band, but not statistically significant" in r["statistical_note"]
    assert "13 → 11" in r["statistical_note"]


def test_inside_band_but_significant(view):
    r = view.loc[41]
    assert r["significant"]
    assert "inside the ±5% band, but statistically significant" in r["statistical_note"]
    assert "assumes Poisson variation" in r["test"]


def test_no_test_where_not_meaningful(view):
    assert pd.isna(view.loc[1, "p_value"]) and "yes/no" in view.loc[1, "statistical_note"]
    assert pd.isna(view.loc[2, "significant"]) and "sample size" in view.loc[2, "statistical_note"]
    assert pd.isna(view.loc[58, "latest_count"]) and "No test" in view.loc[58, "statistical_note"]
    assert "missing" in view.loc[49, "statistical_note"]


def test_survey_percentages_with_sample_sizes():
    df = table()
    df["baseline_sample"] = [None, None, None, None, 900, None, None]
    df["latest_sample"] = [None, None, None, None, 850, None, None]
    r = statistical_view(df, POPULATION).set_index("serial").loc[2]
    assert r["significant"] and "pp" in r["test"]
    assert r["ci_low"] < 6.3 < r["ci_high"]
    assert r["statistical_note"].startswith("+6.3pp, outside the ±2pp band and statistically significant")


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
    shutil.copytree(ROOT / "data" / "reference", dst / "reference")
    shutil.copytree(ROOT / "data" / "derived", dst / "derived")
    return dst


def test_a_bad_row_in_another_forces_counts_fails_loudly(data_copy):
    """One bad row in Derbyshire's counts must not quietly drop the over-dispersion allowance
    (which would flip the shoplifting case from p = 0.11 to p < 0.001): it is an error naming
    file, row and column."""
    path = data_copy / "derived" / "police_uk_monthly_counts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("2023-01,Derbyshire Constabulary,")
    lines[1] = lines[1].rsplit(",", 1)[0] + ",fourteen"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_series(data_copy)
    msg = str(exc.value)
    assert "police_uk_monthly_counts.csv" in msg and "row 2" in msg and "'count'" in msg and "fourteen" in msg


def test_without_the_counts_file_the_tests_assume_poisson(data_copy, view):
    (data_copy / "derived" / "police_uk_monthly_counts.csv").unlink()
    assert load_series(data_copy) is None  # the one expected absence
    r = statistical_view(table(), POPULATION, None, quarter="2024-25 Q3").set_index("serial").loc[52]
    assert "assumes Poisson variation" in r["test"] and pd.isna(r["spc_variation"])
    # what the absence changes (the page says so in a note): the Panel's case reads as significant
    assert r["p_value"] < 0.001 < 0.05 < view.loc[52, "p_value"] < 0.2
