"""Excel read as Excel means it: number formats, float residue, formulas without saved
values, hidden and extra sheets, and files that are not workbooks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from pcp_lib.core.errors import DataError
from pcp_lib.io.excel import not_a_workbook, read_sheet, sheet_size


def _book(tmp_path, rows, name="data"):
    wb = Workbook()
    ws = wb.active
    ws.title = name
    for r in rows:
        ws.append(r)
    return wb, tmp_path / "x.xlsx"


def test_percent_format_and_float_residue(tmp_path):
    wb, p = _book(tmp_path, [["a", "b"], [0.659, 12345.670000000002]])
    wb["data"]["A2"].number_format = "0.0%"
    wb.save(p)
    t = read_sheet(p, "data")
    assert t.rows == [["65.9%", Decimal("12345.67")]]


def test_formula_without_saved_value_is_refused_with_its_cells(tmp_path):
    wb, p = _book(tmp_path, [["a", "b"], [1, "=A2*2"]])
    wb.save(p)
    with pytest.raises(DataError) as exc:
        read_sheet(p, "data")
    assert exc.value.problems[0].got == "B2" and "open the workbook in excel" in str(exc.value).lower()


def test_hidden_data_sheet_is_refused_and_extra_sheet_warned(tmp_path):
    wb, p = _book(tmp_path, [["a"], [1]])
    wb["data"].sheet_state = "hidden"
    wb.create_sheet("mine").append(["a"])
    wb.save(p)
    with pytest.raises(DataError, match="it is hidden"):
        read_sheet(p, "data")
    wb["data"].sheet_state = "visible"
    wb.save(p)
    t = read_sheet(p, "data")
    assert [w.sheet for w in t.warnings] == ["mine"]


def test_sheet_size_without_reading_cells(tmp_path):
    wb, p = _book(tmp_path, [["a"], *([i] for i in range(30))])
    wb.save(p)
    assert sheet_size(p, "data") == 31 and sheet_size(p, "other") is None


@pytest.mark.parametrize("data,said", [
    (b"", "an empty file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "password-protected"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"a,b\n1,2\n", "a CSV text file named .xlsx"),
    (b"PK\x03\x04" + b"\x00" * 50, "a damaged or incomplete workbook"),
])
def test_not_a_workbook_says_what_it_is(tmp_path, data, said):
    p = tmp_path / "x.xlsx"
    p.write_bytes(data)
    problem = not_a_workbook(p)
    assert problem is not None and said in problem.got
