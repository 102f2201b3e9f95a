"""Reading and counting police.uk street-level files, on a small raw fixture cut from the
published files (every quirk: no location, rows outside the force, anti-social behaviour with no
Crime ID, a later download superseding an earlier one)."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.io.datastore import PROJECT_ROOT
from pcp_lib.subjects.crime import street
from pcp_lib.subjects.crime.counts import DERIVED_COUNTS_FILE, load_counts

FIX = PROJECT_ROOT / "tests" / "fixtures" / "police_uk"
LEICS_DEC = FIX / "2024-12-leicestershire-street.csv"
LEICS_JAN = FIX / "2024-01-leicestershire-street.csv"
LEICS_JAN_OLD = FIX / "vintage_2024-06" / "2024-01-leicestershire-street.csv"
DERBY_DEC = FIX / "2024-12-derbyshire-street.csv"
LLR_DISTRICTS = {"Leicester", "Blaby", "Charnwood", "Harborough", "Hinckley and Bosworth", "Melton",
                 "North West Leicestershire", "Oadby and Wigston", "Rutland"}


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def counts():
    return street.monthly_counts([LEICS_JAN_OLD, LEICS_JAN, LEICS_DEC, DERBY_DEC], data_dir=FIXTURE_DATA)


def test_columns_and_types(counts):
    assert list(counts.columns) == ["month", "force", "local_authority", "crime_type", "count"]
    assert str(counts["count"].dtype) == "Int64"
    assert set(counts["month"]) == {date(2024, 1, 1), date(2024, 12, 1)}
    assert set(counts["force"]) == {"Leicestershire Police", "Derbyshire Constabulary"}


def test_force_totals_stay_whole(counts):
    dec = counts[(counts["force"] == "Leicestershire Police") & (counts["month"] == date(2024, 12, 1))]
    assert int(dec["count"].sum()) == len(rows(LEICS_DEC))
    derby = counts[counts["force"] == "Derbyshire Constabulary"]
    assert int(derby["count"].sum()) == len(rows(DERBY_DEC))


def test_no_location_and_outside_rows_have_blank_district(counts):
    raw = rows(LEICS_DEC)
    no_loc = sum(1 for r in raw if not r["LSOA code"])
    assert no_loc > 0 and all(r["Location"] == "No Location" for r in raw if not r["LSOA code"])
    outside = sum(1 for r in raw if r["LSOA name"] and r["LSOA name"].rsplit(" ", 1)[0] not in LLR_DISTRICTS)
    assert outside > 0
    dec = counts[(counts["force"] == "Leicestershire Police") & (counts["month"] == date(2024, 12, 1))]
    assert int(dec.loc[dec["local_authority"] == "", "count"].sum()) == no_loc + outside
    assert set(dec["local_authority"]) - {""} <= LLR_DISTRICTS
    assert "Coventry" not in set(dec["local_authority"]) and "Rugby" not in set(dec["local_authority"])
    melton = sum(1 for r in raw if r["LSOA name"].startswith("Melton "))
    assert int(dec.loc[dec["local_authority"] == "Melton", "count"].sum()) == melton


def test_anti_social_behaviour_rows_counted_despite_blank_id(counts):
    raw = rows(LEICS_DEC)
    asb = [r for r in raw if r["Crime type"] == "Anti-social behaviour"]
    assert asb and all(r["Crime ID"] == "" and r["Last outcome category"] == "" for r in asb)
    dec = counts[(counts["force"] == "Leicestershire Police") & (counts["month"] == date(2024, 12, 1))]
    assert int(dec.loc[dec["crime_type"] == "Anti-social behaviour", "count"].sum()) == len(asb)


def test_later_download_supersedes_earlier(counts):
    old, new = rows(LEICS_JAN_OLD), rows(LEICS_JAN)
    assert {r["Crime ID"] for r in old} == {r["Crime ID"] for r in new}
    assert any(a["Last outcome category"] != b["Last outcome category"] for a, b in zip(old, new, strict=True))
    jan = counts[counts["month"] == date(2024, 1, 1)]
    assert int(jan["count"].sum()) == len(new)  # not doubled
    plan = street.plan_files([(p, street.read_street(p)) for p in (LEICS_JAN_OLD, LEICS_JAN)])
    assert plan.superseded == [LEICS_JAN_OLD]
    assert plan.used[("Leicestershire Police", "2024-01")] == LEICS_JAN
    # order is the download order: listed the other way round, the old file wins
    plan2 = street.plan_files([(p, street.read_street(p)) for p in (LEICS_JAN, LEICS_JAN_OLD)])
    assert plan2.superseded == [LEICS_JAN]


def test_any_force_districts_inferred_when_not_in_reference():
    inferred = street.monthly_counts([DERBY_DEC], districts={}, data_dir=FIXTURE_DATA)
    ref = street.monthly_counts([DERBY_DEC], data_dir=FIXTURE_DATA)
    assert set(ref["local_authority"]) - {""} <= {
        "Amber Valley", "Bolsover", "Chesterfield", "Derbyshire Dales", "Erewash", "High Peak",
        "North East Derbyshire", "South Derbyshire", "Derby"}
    assert "Derby" in set(inferred["local_authority"])
    assert int(inferred["count"].sum()) == int(ref["count"].sum())


def test_missing_district_reference_fails_loudly(tmp_path):
    """No silent fallback: without the reference list the counts would place crimes in other
    forces' districts differently, so a missing list is an error naming the file."""
    (tmp_path / "reference").mkdir()
    with pytest.raises(DataError, match="police_force_districts.csv"):
        street.monthly_counts([DERBY_DEC], data_dir=tmp_path)
    # asked for explicitly, inference needs no reference list
    assert len(street.monthly_counts([DERBY_DEC], districts={}, data_dir=tmp_path))


def test_district_of():
    got = street.district_of(pd.Series(["Melton 004B", "Hinckley and Bosworth 012A", ""], dtype="string"))
    assert list(got) == ["Melton", "Hinckley and Bosworth", ""]


def test_bad_header_names_file_and_row(tmp_path):
    bad = tmp_path / "2024-12-x-street.csv"
    text = LEICS_DEC.read_text(encoding="utf-8").replace("Crime type", "Crime Type", 1)
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as e:
        street.monthly_counts([bad])
    msg = str(e.value)
    assert "2024-12-x-street.csv" in msg and "row 1" in msg and "Crime Type" in msg


def test_bad_values_reported_with_row_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    lines = LEICS_DEC.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("2024-12", "Dec 2024", 1)
    lines[5] = lines[5].replace(lines[5].split(",")[9], "Jaywalking")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        street.read_street(bad)
    probs = e.value.problems
    assert any(p.row == 4 and p.column == "Month" and p.got == "Dec 2024" for p in probs)
    assert any(p.row == 6 and p.column == "Crime type" and p.got == "Jaywalking" for p in probs)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="exist"):
        street.read_street(tmp_path / "nope.csv")


def test_no_files():
    with pytest.raises(DataError, match="at least one"):
        street.monthly_counts([])


def test_write_and_load_round_trip(tmp_path, counts):
    (tmp_path / "derived").mkdir()
    shutil.copytree(FIXTURE_DATA / "reference", tmp_path / "reference")
    street.write_counts(counts, tmp_path / "derived" / DERIVED_COUNTS_FILE)
    back = load_counts(tmp_path)
    assert back.equals(counts)
    assert provenance_of(back).files[-1].endswith(DERIVED_COUNTS_FILE)
