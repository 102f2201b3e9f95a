"""The police.uk loader on a small raw fixture cut from the published files (every quirk), and
the committed monthly counts against the raw data's published row counts."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.io.datastore import PROJECT_ROOT
from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects.crime import police_uk as pu

FIX = Path(__file__).resolve().parent / "fixtures" / "police_uk"
LEICS_DEC = FIX / "2024-12-leicestershire-street.csv"
LEICS_JAN = FIX / "2024-01-leicestershire-street.csv"
LEICS_JAN_OLD = FIX / "vintage_2024-06" / "2024-01-leicestershire-street.csv"
DERBY_DEC = FIX / "2024-12-derbyshire-street.csv"
RAW = Path(__file__).resolve().parents[2] / "shared" / "data" / "police_uk"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def counts():
    return pu.monthly_counts([LEICS_JAN_OLD, LEICS_JAN, LEICS_DEC, DERBY_DEC])


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
    llr = {"Leicester", "Blaby", "Charnwood", "Harborough", "Hinckley and Bosworth", "Melton",
           "North West Leicestershire", "Oadby and Wigston", "Rutland"}
    outside = sum(1 for r in raw if r["LSOA name"] and r["LSOA name"].rsplit(" ", 1)[0] not in llr)
    assert outside > 0
    dec = counts[(counts["force"] == "Leicestershire Police") & (counts["month"] == date(2024, 12, 1))]
    assert int(dec.loc[dec["local_authority"] == "", "count"].sum()) == no_loc + outside
    assert set(dec["local_authority"]) - {""} <= llr
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
    plan = pu.plan_files([(p, pu.read_street(p)) for p in (LEICS_JAN_OLD, LEICS_JAN)])
    assert plan.superseded == [LEICS_JAN_OLD]
    assert plan.used[("Leicestershire Police", "2024-01")] == LEICS_JAN
    # order is the download order: listed the other way round, the old file wins
    plan2 = pu.plan_files([(p, pu.read_street(p)) for p in (LEICS_JAN, LEICS_JAN_OLD)])
    assert plan2.superseded == [LEICS_JAN]


def test_any_force_districts_inferred_when_not_in_reference():
    inferred = pu.monthly_counts([DERBY_DEC], districts={})
    ref = pu.monthly_counts([DERBY_DEC])
    assert set(ref["local_authority"]) - {""} <= {
        "Amber Valley", "Bolsover", "Chesterfield", "Derbyshire Dales", "Erewash", "High Peak",
        "North East Derbyshire", "South Derbyshire", "Derby"}
    assert "Derby" in set(inferred["local_authority"])
    assert int(inferred["count"].sum()) == int(ref["count"].sum())


def test_bad_header_names_file_and_row(tmp_path):
    bad = tmp_path / "2024-12-x-street.csv"
    text = LEICS_DEC.read_text(encoding="utf-8").replace("Crime type", "Crime Type", 1)
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as e:
        pu.monthly_counts([bad])
    msg = str(e.value)
    assert "2024-12-x-street.csv" in msg and "row 1" in msg and "Crime Type" in msg


def test_bad_values_reported_with_row_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    lines = LEICS_DEC.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("2024-12", "Dec 2024", 1)
    lines[5] = lines[5].replace(lines[5].split(",")[9], "Jaywalking")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        pu.read_street(bad)
    probs = e.value.problems
    assert any(p.row == 4 and p.column == "Month" and p.got == "Dec 2024" for p in probs)
    assert any(p.row == 6 and p.column == "Crime type" and p.got == "Jaywalking" for p in probs)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="exist"):
        pu.read_street(tmp_path / "nope.csv")


def test_write_and_load_round_trip(tmp_path, counts):
    (tmp_path / "derived").mkdir()
    shutil.copytree(PROJECT_ROOT / "data" / "reference", tmp_path / "reference")
    pu.write_counts(counts, tmp_path / "derived" / pu.DERIVED_COUNTS_FILE)
    back = pu.load_counts(tmp_path)
    assert back.equals(counts)


def test_committed_counts_match_published_row_counts():
    c = pu.load_counts()
    totals = c.groupby("force")["count"].sum()
    assert int(totals["Leicestershire Police"]) == 217_944  # data README: 24 files, 217,944 rows
    months = sorted(set(c["month"]))
    assert months[0] == date(2023, 1, 1) and months[-1] == date(2024, 12, 1) and len(months) == 24
    dec = c[(c["force"] == "Leicestershire Police") & (c["month"] == date(2024, 12, 1))]
    assert int(dec["count"].sum()) == 8216  # rows in 2024-12-leicestershire-street.csv


@pytest.mark.skipif(not RAW.is_dir(), reason="raw police.uk files not available")
def test_committed_counts_rebuild_byte_identical(tmp_path):
    import subprocess
    import sys

    root = PROJECT_ROOT
    subprocess.run([sys.executable, str(root / "scripts" / "build_police_uk_counts.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in (pu.DERIVED_COUNTS_FILE, pu.DERIVED_COUNTS_FILE + ".source.txt"):
        assert (tmp_path / name).read_bytes() == (root / "data" / "derived" / name).read_bytes()


def test_quarters_and_series():
    c = pu.load_counts()
    assert pu.latest_full_quarter(c, "2025-26 Q3") == Quarter.parse("2024-25 Q3")
    assert pu.latest_full_quarter(c, "2023-24 Q2") == Quarter.parse("2023-24 Q2")
    assert pu.latest_full_quarter(c, "2022-23 Q2") is None
    s = pu.monthly_series(c, "Neighbourhood crime")
    parts = sum(pu.monthly_series(c, m) for m in ("Burglary", "Vehicle crime", "Robbery", "Theft from the person"))
    assert (s == parts).all() and len(s) == 24
    t = pu.quarter_table(c, "2024-25 Q3", measures=["Shoplifting"])
    row = t.iloc[0]
    q = Quarter.parse("2024-25 Q3")
    assert row["count"] == int(pu.monthly_series(c, "Shoplifting").loc[q.months].sum())
    assert row["rate_per_1000"] == round(1000 * row["count"] / 1_121_800, 2)
    assert "Census 2021" in row["rate_basis"]
    by = pu.quarter_table(c, "2024-25 Q3", measures=["Shoplifting"], by_area=True)
    assert len(by) == 10  # LLR and nine CSP areas
    located = by[by["area"] != "LLR"]["count"].sum()
    assert located <= row["count"]
