"""The committed monthly counts: validated, carrying their provenance, and the series, months,
quarters and areas every analysis asks of them."""

from __future__ import annotations

import csv
import shutil
from datetime import date

import pandas as pd
import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.methods.periods import Quarter
from pcp_lib.reference.csp_areas import csp_lookup
from pcp_lib.subjects.crime import counts as cc


@pytest.fixture(scope="module")
def c():
    return cc.load_counts(FIXTURE_DATA)


def test_loaded_counts_are_the_files_rows(c):
    """Every row of the file, its count as written (the shipped file's totals against the raw
    police.uk files are checked in tests/test_shipped_samples.py)."""
    with cc.counts_path(FIXTURE_DATA).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(c) == len(rows)
    for force in ("Leicestershire Police", "Derbyshire Constabulary"):
        written = sum(int(r["count"]) for r in rows if r["force"] == force)
        assert int(c.loc[c["force"] == force, "count"].sum()) == written > 0
    months = sorted(set(c["month"]))
    assert months[0] == date(2023, 1, 1) and months[-1] == date(2024, 12, 1) and len(months) == 24
    dec = c[(c["force"] == "Leicestershire Police") & (c["month"] == date(2024, 12, 1))]
    assert int(dec["count"].sum()) == sum(int(r["count"]) for r in rows
                                          if r["force"] == "Leicestershire Police" and r["month"] == "2024-12")


def test_counts_carry_their_provenance(c):
    prov = provenance_of(c)
    assert prov.kind == "derived" and prov.files == ("derived/police_uk_monthly_counts.csv",)
    assert "police.uk" in prov.note
    assert provenance_of(cc.months_up_to(c, Quarter.parse("2024-25 Q1"))) == prov


def test_bad_row_is_a_clear_error(tmp_path):
    (tmp_path / "derived").mkdir()
    path = tmp_path / "derived" / cc.DERIVED_COUNTS_FILE
    lines = cc.counts_path(FIXTURE_DATA).read_text(encoding="utf-8").splitlines()[:5]
    lines[3] = lines[3].rsplit(",", 1)[0] + ",-4"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        cc.load_counts(tmp_path)
    assert any(p.row == 4 and p.column == "count" for p in e.value.problems)


def test_quarters_and_series(c):
    assert cc.latest_full_quarter(c, "2025-26 Q3") == Quarter.parse("2024-25 Q3")
    assert cc.latest_full_quarter(c, "2023-24 Q2") == Quarter.parse("2023-24 Q2")
    assert cc.latest_full_quarter(c, "2022-23 Q2") is None
    s = cc.monthly_series(c, "Neighbourhood crime")
    parts = sum(cc.monthly_series(c, m) for m in ("Burglary", "Vehicle crime", "Robbery", "Theft from the person"))
    assert (s == parts).all() and len(s) == 24
    assert s.dtype == "int64"
    # a DatetimeIndex of month starts: it plots as dates and slices by date
    assert isinstance(s.index, pd.DatetimeIndex) and s.index.name == "month"
    assert list(s.index) == list(pd.date_range(s.index[0], periods=24, freq="MS"))
    assert s["2023-04":"2023-06"].sum() == cc.quarter_count(s, Quarter.parse("2023-24 Q1"))


def test_series_of_some_districts_count_located_crimes_only(c):
    whole = cc.monthly_series(c, "Shoplifting")
    melton = cc.monthly_series(c, "Shoplifting", local_authorities=["Melton"])
    every = cc.monthly_series(c, "Shoplifting", local_authorities=list(csp_lookup(FIXTURE_DATA)))
    assert (melton <= every).all() and (every <= whole).all() and (every < whole).any()
    raw = c[(c["force"] == cc.LLR_FORCE) & (c["local_authority"] == "Melton") & (c["crime_type"] == "Shoplifting")]
    assert int(melton.sum()) == int(raw["count"].sum())


def test_last_month_and_quarter_count(c):
    assert cc.last_month(c) == date(2024, 12, 1)
    assert cc.last_month(c, "No Such Force") is None
    s = cc.monthly_series(c, "Robbery")
    q = Quarter.parse("2024-25 Q3")
    assert cc.quarter_count(s, q) == int(s.loc[[pd.Timestamp(m) for m in q.months]].sum())
    assert cc.quarter_count(s, Quarter.parse("2025-26 Q1")) is None  # months not in the data


def test_months_up_to(c):
    upto = cc.months_up_to(c, Quarter.parse("2023-24 Q4"))
    assert max(upto["month"]) == date(2024, 3, 1) and min(upto["month"]) == date(2023, 1, 1)


def test_area_groups_from_the_csp_lookup():
    lookup = csp_lookup(FIXTURE_DATA)
    groups = cc.area_groups(lookup)
    assert list(groups)[0] == cc.LLR and sorted(groups[cc.LLR]) == sorted(lookup)
    assert len(groups) == 10  # LLR and nine CSP areas
    assert groups["Safer North West Leicestershire Partnership"] == ["North West Leicestershire"]


def test_csp_lookup_reads_the_data_folder_given(tmp_path):
    shutil.copytree(FIXTURE_DATA / "reference", tmp_path / "reference")
    path = tmp_path / "reference" / "csp_areas.csv"
    text = path.read_text(encoding="utf-8").replace("\nRutland,Rutland,", "\nRutland Safer,Rutland,", 1)
    path.write_text(text, encoding="utf-8")
    assert csp_lookup(tmp_path)["Rutland"] == "Rutland Safer"
    assert csp_lookup(FIXTURE_DATA)["Rutland"] == "Rutland"


def test_typed_counts_shape():
    raw = pd.DataFrame({"month": [date(2024, 2, 1), date(2024, 1, 1)], "force": ["F", "F"],
                        "local_authority": [None, "A"], "crime_type": ["Drugs", "Drugs"], "count": [3, 4]})
    out = cc.typed_counts(raw)
    assert list(out["month"]) == [date(2024, 1, 1), date(2024, 2, 1)]
    assert list(out["local_authority"]) == ["A", ""] and str(out["count"].dtype) == "Int64"
