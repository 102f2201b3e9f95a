"""Reading a table as its publisher lays it out: title and note rows above the header, headings
over several lines with note markers, names with notes and trailing spaces, numbers as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.io.published import PublishedLayout, clean_heading, clean_name, read_published_csv
from pcp_lib.io.schema import Column, Schema, read_table

LAYOUT = PublishedLayout(("Table P1", "year ending June 2025"), "Area Code",
                         {"Area Code": "area_code", "Area Name": "area_name",
                          "Total recorded crime (excluding fraud)": "total", "Shoplifting": "shoplifting"},
                         names=("area_name",))
SCHEMA = Schema(name="t", title="test table", columns=(Column("area_code", "text", required=False),
                                                        Column("area_name", "text"), Column("total", "int"),
                                                        Column("shoplifting", "int")))
GOOD = ('"Table P1: Police recorded crime, year ending June 2025 [note 1]",,,\n'
        "Link to Notes page,,,\n"
        'Area Code,Area Name,"Total recorded crime\n (excluding fraud) \n[note 2]",Shoplifting\n'
        'E23000012,Humberside [note 4],"92,817 ","9,193"\n'
        'E23000039,Dorset ,"50,079",902\n')


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p1.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_cleaning() -> None:
    assert clean_heading("Total recorded crime\n (excluding fraud) \n[note 2]") == "total recorded crime (excluding fraud)"
    assert clean_name("Humberside [note 4]") == "Humberside" and clean_name("Dorset ") == "Dorset"


def test_reads_the_quirks(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    df = read_table(path, SCHEMA, raw=read_published_csv(path, LAYOUT))
    assert df["area_name"].tolist() == ["Humberside", "Dorset"]
    assert df["total"].tolist() == [92817, 50079] and df["shoplifting"].tolist() == [9193, 902]
    assert df["_row"].tolist() == [4, 5]  # spreadsheet rows: the header's cells span three lines


def test_an_unknown_heading_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("Shoplifting", "Shop theft"))
    with pytest.raises(DataError, match="Shop theft"):
        read_table(path, SCHEMA, raw=read_published_csv(path, LAYOUT))


def test_another_edition_and_no_header_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="year ending June 2025"):
        read_published_csv(write(tmp_path, GOOD.replace("June 2025", "March 2025")), LAYOUT)
    with pytest.raises(DataError, match="header row beginning 'Area Code'"):
        read_published_csv(write(tmp_path, GOOD.replace("Area Code", "Code")), LAYOUT)
