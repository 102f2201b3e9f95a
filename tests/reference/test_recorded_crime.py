"""ONS recorded crime: the golden figures read from the ONS file as published, the derived tables
against it, the quirks and errors of the reader, and the nine partnerships' check."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.io.datastore import PROJECT_ROOT
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.rates import fmt_rate, per_1000
from pcp_lib.reference.ons_tables import force_populations, read_c2, read_p1
from pcp_lib.reference.population import llr_population
from pcp_lib.reference.recorded_crime import (
    Edition,
    edition_for,
    editions,
    load_csp,
    load_force_populations,
    load_pfa,
    partnership_figures,
)

RAW = PROJECT_ROOT.parent / "shared" / "data" / "ons"
P1 = RAW / "ons_pfa_table_p1_ye_jun2025.csv"
C2 = RAW / "ons_csp_table_c2_ye_jun2025.csv"
JUNE_2025 = Edition(2025, 6)
needs_raw = pytest.mark.skipif(not P1.exists(), reason="the ONS files as published (../shared/data/ons) are not here")


def _llr(df):
    return df[df["area_code"] == "E23000021"].iloc[0]


@needs_raw
def test_golden_leicestershire_shoplifting_from_the_ons_file() -> None:
    """The Panel's "8.0": 9,029 shoplifting offences, 8.05 per 1,000 on the project's own basis."""
    p1 = read_p1(P1, JUNE_2025).table
    llr = _llr(p1)
    pop, basis = llr_population()
    assert int(llr["shoplifting"]) == 9029
    assert int(llr["total_recorded_crime"]) == 94194
    assert pop == 1121800 and "Census 2021" in basis
    assert fmt_rate(per_1000(9029, pop)) == "8.05"


@needs_raw
def test_derived_tables_equal_what_the_ons_files_give() -> None:
    """The committed tables are what scripts/derive_ons.py derives from the files as published."""
    p1 = read_p1(P1, JUNE_2025).table
    committed = load_pfa(JUNE_2025)
    assert committed["area_name"].tolist() == p1["area_name"].tolist()
    assert committed["shoplifting"].astype(int).tolist() == p1["shoplifting"].astype(int).tolist()
    c2 = read_c2(C2, JUNE_2025, p1).table
    assert len(load_csp(JUNE_2025)) == len(c2)
    pops = force_populations(RAW / "census2021_la_usual_residents_rounded.csv", RAW / "la2021_to_pfa_lookup.csv",
                             p1).table
    assert pops["population"].astype(int).tolist() == load_force_populations()["population"].astype(int).tolist()


def test_force_population_of_llr_is_the_projects_basis() -> None:
    pops = load_force_populations()
    assert int(_llr(pops)["population"]) == llr_population()[0] == 1121800
    assert (pops["basis"].str.contains("Census 2021 usual residents") & pops["basis"].str.contains("not mid-year")).all()
    assert int(pops.loc[pops["area_code"] == "K04000001", "population"].iloc[0]) == 59597500


@needs_raw
def test_c2_quirks_are_handled_and_said() -> None:
    p1 = read_p1(P1, JUNE_2025).table
    c2 = read_c2(C2, JUNE_2025, p1)
    gwent = c2.table[(c2.table["csp_name"] == "Unassigned Gwent")]
    assert gwent["force_code"].tolist() == ["W15000002"]  # counted in Gwent, the force it names
    assert not (c2.table["csp_name"].fillna("").str.lower() == "unassigned surrey").any()  # no counts: left out
    text = " ".join(c2.notes)
    assert "South Wales's code" in text and "Kent's code" in text and "City of London has no total row" in text


@needs_raw
def test_a_bad_count_is_named_by_file_row_and_column(tmp_path: Path) -> None:
    lines = P1.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if line.startswith("E23000021,"))
    lines[i] = lines[i].replace('"9,029"', '"9,O29"')
    bad = tmp_path / P1.name
    bad.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_p1(bad, JUNE_2025)
    msg = str(err.value)
    record = next(n for n, r in enumerate(csv.reader(io.StringIO(P1.read_text(encoding="utf-8"))), 1)
                  if r and r[0] == "E23000021")  # the spreadsheet row: the header's cells span lines
    assert record == 27 and f"row {record}," in msg and "shoplifting" in msg and "9,O29" in msg and "whole number" in msg


@needs_raw
def test_another_edition_or_table_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="year ending December 2025"):
        read_p1(P1, Edition(2025, 12))
    with pytest.raises(DataError, match="Table P1"):
        read_p1(C2, JUNE_2025)


@needs_raw
def test_a_region_that_does_not_add_up_is_an_error(tmp_path: Path) -> None:
    text = P1.read_text(encoding="utf-8").replace('E12000004,East Midlands,"391,699"', 'E12000004,East Midlands,"391,700"')
    bad = tmp_path / P1.name
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="sum of East Midlands's forces"):
        read_p1(bad, JUNE_2025)


def test_a_new_edition_is_a_file_added(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data)
    for stem in ("pfa", "csp"):
        src = data / "derived" / f"ons_recorded_crime_{stem}_ye_2025-06.csv"
        shutil.copy(src, src.with_name(f"ons_recorded_crime_{stem}_ye_2025-12.csv"))
    assert editions(data) == [JUNE_2025, Edition(2025, 12)]
    assert edition_for(Quarter.parse("2025-26 Q3"), data) == (Edition(2025, 12), None)
    assert edition_for(Quarter.parse("2025-26 Q2"), data) == (JUNE_2025, None)
    shown, note = edition_for(Quarter.parse("2024-25 Q4"), data)
    assert shown == JUNE_2025 and note and "ends after it" in note


def test_the_nine_partnerships_and_unassigned_sum_to_the_force_total() -> None:
    figures = partnership_figures(Quarter.parse("2025-26 Q3"))
    csp = figures.csp[figures.csp["force_code"] == "E23000021"]
    parts = csp[csp["row_type"] != "force"]
    assert (parts["row_type"] == "csp").sum() == 9 and (parts["row_type"] == "unassigned").sum() == 1
    total = csp[csp["row_type"] == "force"].iloc[0]
    assert int(parts["total_recorded_crime"].sum()) == int(total["total_recorded_crime"]) == 94194
    assert int(parts["shoplifting"].sum()) == 9029
    assert figures.adds_up and "✔ adds up" in figures.check
    leicester = figures.table[figures.table["Partnership"] == "Leicester"].iloc[0]
    assert leicester["Shoplifting (per 1,000)"] == "3,999 (10.85)"  # 3,999 / 368,600 x 1,000


def test_a_partnership_table_that_does_not_add_up_says_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data)
    path = data / "derived" / "ons_recorded_crime_csp_ye_2025-06.csv"
    text = path.read_text(encoding="utf-8").replace("E23000021,Leicestershire,csp,E22000169,Melton,E07000133,Melton,3416,",
                                                    "E23000021,Leicestershire,csp,E22000169,Melton,E07000133,Melton,3417,")
    path.write_text(text, encoding="utf-8")
    figures = partnership_figures(Quarter.parse("2025-26 Q3"), data)
    assert not figures.adds_up and "Check FAILED" in figures.check and "Total recorded crime" in figures.check


def test_rate_is_exact_until_shown() -> None:
    assert per_1000(9029, 1121800) == Decimal(9029) * 1000 / Decimal(1121800)


@needs_raw
@pytest.mark.slow  # a process of its own
def test_derived_files_rebuild_byte_identical(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "derive_ons.py"), "--raw", str(RAW),
                    "--data", str(tmp_path)], check=True, capture_output=True)
    for name in ("ons_recorded_crime_pfa_ye_2025-06.csv", "ons_recorded_crime_csp_ye_2025-06.csv",
                 "force_populations_census2021.csv"):
        for file in (name, name + ".source.txt"):
            assert (tmp_path / "derived" / file).read_bytes() == (PROJECT_ROOT / "data" / "derived" / file).read_bytes()
