"""CSV as people save it: UTF-8 with or without a BOM, Windows-1252 with a warning, and the
files that are not CSV text refused with what they are."""

from __future__ import annotations

import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.io.csvfile import read_csv


def _write(tmp_path, data: bytes):
    p = tmp_path / "x.csv"
    p.write_bytes(data)
    return p


def test_utf8_with_bom_and_crlf(tmp_path):
    t = read_csv(_write(tmp_path, "\ufeffa,b\r\n£1,2\r\n".encode()))
    assert t.header == ["a", "b"] and t.rows == [["£1", "2"]] and t.warnings == []


def test_windows_1252_is_read_with_a_warning(tmp_path):
    t = read_csv(_write(tmp_path, "a,b\nx,y\n£1,2\n".encode("cp1252")))
    assert t.rows[1] == ["£1", "2"]
    assert t.warnings[0].severity == "warning" and t.warnings[0].row == 3 and "CSV UTF-8" in t.warnings[0].expected


@pytest.mark.parametrize("data,said", [
    (b"", "an empty file"),
    (b"PK\x03\x04rest", "an Excel workbook named .csv"),
    ("a,b\n".encode("utf-16"), "UTF-16"),
    (b"a;b\n1;2\n", "fields separated by semicolons"),
    (b"a\tb\n1\t2\n", "fields separated by tabs"),
])
def test_what_is_not_csv_text_says_what_it_is(tmp_path, data, said):
    with pytest.raises(DataError) as exc:
        read_csv(_write(tmp_path, data))
    assert said in str(exc.value)


def test_title_above_the_header_is_refused_at_row_1(tmp_path):
    with pytest.raises(DataError) as exc:
        read_csv(_write(tmp_path, b"Return Q4\n\nmonth,count\n2026-01,1\n"), ["month", "count"])
    p = exc.value.problems[0]
    assert p.row == 1 and "they are in row 3" in p.expected and p.got == "Return Q4"
