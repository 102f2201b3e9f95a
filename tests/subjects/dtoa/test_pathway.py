"""The monthly custody-pathway return: read through ``load_quarterly`` with its provenance,
impossible data rejected, the synthetic sample agreeing with what it was built from, the
quarter table and the uplift monitoring."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.io.datastore import last_period
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.units import round_half_up
from pcp_lib.subjects import dtoa
from pcp_lib.subjects.dtoa import pathway, published

HEADER = "month,identified,tests,positive_tests,ra_booked,ra_attended,ra_wait_days,naloxone,treatment_entries\n"


def _data_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    d = tmp_path / "data"
    (d / "reference").mkdir(parents=True)
    for slug, body in files.items():
        (d / "quarters" / slug).mkdir(parents=True, exist_ok=True)
        (d / "quarters" / slug / "dtoa_pathway.csv").write_text(HEADER + body, encoding="utf-8")
    return d


# ---- the return: impossible data rejected -------------------------------------------------
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


def test_series_carries_provenance_and_a_numeric_rate(tmp_path):
    series = pathway.load_pathway("2025-26 Q3", FIXTURE_DATA)
    prov = provenance_of(series)
    assert prov.synthetic and prov.synthetic_names == ("dtoa_pathway.csv",)
    assert len(prov.files) == 4 and prov.files[-1].endswith("2025-26-Q3/dtoa_pathway.csv")
    assert series[pathway.RATE[0]].dtype == "float64"
    d = _data_dir(tmp_path, {"2025-26-Q3": "2025-10,241,24,12,0,0,,1,7\n2025-11,241,24,12,9,5,7,1,7\n"})
    real = pathway.load_pathway("2025-26 Q3", d)
    assert not provenance_of(real).synthetic  # no sidecar: a return, not a sample
    assert math.isnan(real[pathway.RATE[0]].iloc[0])  # none booked: no rate, not 0%
    assert real[pathway.RATE[0]].iloc[1] == pytest.approx(5 / 9 * 100)


def test_no_files_is_an_empty_series_with_provenance(tmp_path):
    d = _data_dir(tmp_path, {})
    series = pathway.load_pathway("2025-26 Q3", d)
    assert series.empty and pathway.RATE[0] in series.columns
    assert provenance_of(series).files == () and last_period(series) is None


# ---- the synthetic sample -------------------------------------------------------------------
def test_sample_q3_2025_matches_published_current_provision():
    series = pathway.load_pathway("2025-26 Q3", FIXTURE_DATA)
    assert series["month"].max() == date(2025, 12, 1)  # nothing beyond the quarter asked for
    q = Quarter.parse("2025-26 Q3")
    avg = pathway.monthly_averages(pathway.months_between(series, q.start, q.end))
    ref = published.load_comparison(FIXTURE_DATA).set_index("measure")
    for name, value in avg.items():
        assert round_half_up(value) == ref.loc[name, "current_provision"], name
    year = pathway.months_between(series, date(2025, 1, 1), date(2025, 12, 1))
    assert (int(year["identified"].sum()), int(year["ra_booked"].sum()), int(year["treatment_entries"].sum())) == \
        (2915, 124, 95)


# ---- the quarter ------------------------------------------------------------------------------
def test_quarter_table_is_numeric_with_changes_in_their_units(tmp_path):
    d = _data_dir(tmp_path, {"2024-25-Q3": "2024-10,200,20,10,8,4,6,1,5\n",
                             "2025-26-Q3": "2025-10,241,24,12,9,5,7,1,7\n"})
    series = pathway.load_pathway("2025-26 Q3", d)
    t = pathway.quarter_table(series, "2025-26 Q3").set_index("measure")
    assert t["Q3 2025/26"].dtype == "float64" and t["Q3 2024/25"].dtype == "float64"
    change = t["change on a year earlier"]
    assert change["Drug tests carried out"] == "+20%"
    assert change["% of Required Assessments attended"] == "+6pp"  # 50% -> 55.6%: points, not percent
    assert change["Waiting time for Required Assessments"] == "+1 day"
    assert change["Naloxone issued from custody"] == "0%"
    assert pathway.months_in(series, "2025-26 Q3") == {"quarter": 1, "year_earlier": 1, "year_to_date": 1}


def test_quarter_table_without_a_year_earlier():
    series = pathway.load_pathway("2025-26 Q3", FIXTURE_DATA)
    t = pathway.quarter_table(series, "2025-26 Q3")
    assert set(t["change on a year earlier"]) == {"n/a"}
    assert t["Q3 2024/25"].isna().all()
    assert round(t.set_index("measure").loc["Drug tests carried out", "Q3 2025/26"], 1) == 24.0


# ---- monitoring the uplift ----------------------------------------------------------------------
def test_poisson_interval_known_values():
    lo, hi = pathway.poisson_interval(0, 1)
    assert lo == 0 and abs(hi - 3.6889) < 1e-3
    lo, hi = pathway.poisson_interval(5, 1)
    assert abs(lo - 1.6235) < 1e-3 and abs(hi - 11.6683) < 1e-3
    lo, hi = pathway.poisson_interval(27, 3)
    assert lo < 9 < hi


def test_uplift_monitor_before_it_starts():
    mon = pathway.uplift_monitor(pathway.load_pathway("2025-26 Q3", FIXTURE_DATA), published.load_comparison(FIXTURE_DATA))
    assert (mon["after_months"] == 0).all() and (mon["before_months"] == 12).all()
    assert mon["after_mean"].isna().all() and mon["after_mean"].dtype == "float64"


def test_uplift_monitor_after_it_starts():
    mon = pathway.uplift_monitor(pathway.load_pathway("2026-27 Q3", FIXTURE_DATA), published.load_comparison(FIXTURE_DATA)).set_index("column")
    assert mon.loc["tests", "after_months"] == 8 and mon.loc["tests", "before_months"] == 12
    assert mon.loc["tests", "ratio_lo"] > 1  # the (synthetic) scenario raises testing
    assert mon.loc["tests", "enhanced"] == 95.0 and mon.loc["tests", "current"] == 24.0


def test_coverage_beyond_and_before_the_data():
    beyond = pathway.load_pathway("2027-28 Q1", FIXTURE_DATA)
    assert last_period(beyond) == date(2026, 12, 1)
    before = pathway.load_pathway("2024-25 Q1", FIXTURE_DATA)
    assert before.empty and last_period(before) is None
    assert pathway.months_in(before, "2024-25 Q1")["quarter"] == 0
