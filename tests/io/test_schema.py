"""The schema reader's rules, each on a small table: a misspelled column named with its closest
expected name, the period rule, placeholders, a column blank on every row said once, the
report bounded per file, and what a refused row leaves for later checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pcp_lib.core.errors import DataError, Problem
from pcp_lib.io.schema import MAX_PROBLEMS, Column, Schema, bounded, read_table
from pcp_lib.methods.periods import Quarter

SCHEMA = Schema(name="t", title="test return", columns=(
    Column("month", "month", period="within"),
    Column("count", "int", min_value=0),
    Column("share", "percent", required=False),
    Column("done", "quarter", required=False, period="not_after"),
    Column("note", "text"),
), key=("month",), max_rows=3, size="one row per month")


def _read(tmp_path, text: str, **kw):
    folder = tmp_path / "2025-26-Q3"
    folder.mkdir(exist_ok=True)
    p = folder / "t.csv"
    p.write_text(text, encoding="utf-8")
    found: list[Problem] = []
    df = read_table(p, SCHEMA, problems=found, **kw)
    return df, found


HEAD = "month,count,share,done,note\n"


def test_good_rows_parse_with_their_types(tmp_path):
    df, found = _read(tmp_path, HEAD + "2025-10,5,65.9%,2025-26 Q2,ok\n2025-11,0,,,ok\n")
    assert found == []
    assert list(df["count"]) == [5, 0] and df.loc[0, "share"] == Decimal("65.9")


def test_misspelled_column_is_named_with_its_closest_expected_name(tmp_path):
    _, found = _read(tmp_path, "month,cuont,share,done,note\n2025-10,5,,,ok\n")
    assert [(p.row, p.column, p.expected) for p in found] == [
        (1, "cuont", "the column name 'count' (the closest expected name)")]


def test_column_names_ignore_case_and_spaces(tmp_path):
    _, found = _read(tmp_path, "Month,COUNT,Share, Done ,note\n2025-10,5,,,ok\n")
    assert found == []


def test_period_rules(tmp_path):
    _, found = _read(tmp_path, HEAD + "2025-07,5,,,ok\n2025-10,5,,2026-27 Q1,ok\n")
    assert [(p.row, p.column) for p in found] == [(2, "month"), (3, "done")]
    assert "a month in Q3 2025/26" in found[0].expected and "no later than Q3 2025/26" in found[1].expected


def test_period_follows_the_quarter_given(tmp_path):
    _, found = _read(tmp_path, HEAD + "2026-01,5,,,ok\n", quarter=Quarter(2025, 4))
    assert found == []


def test_percent_is_on_the_percent_scale(tmp_path):
    _, found = _read(tmp_path, HEAD + "2025-10,5,165.9%,,ok\n2025-11,5,-1,,ok\n")
    assert [p.row for p in found] == [2, 3] and "between 0 and 100" in found[0].expected


def test_placeholder_is_not_a_value(tmp_path):
    _, found = _read(tmp_path, HEAD + "2025-10,5,,,TBC\n")
    assert found[0].column == "note" and "placeholder" in found[0].expected


def test_column_blank_on_every_row_is_one_message(tmp_path):
    _, found = _read(tmp_path, HEAD + "2025-10,5,,,\n2025-11,5,,,\n2025-12,5,,,\n")
    assert len(found) == 1 and "blank on every row (rows 2-4)" in found[0].expected


def test_a_refused_row_is_kept_for_later_checks_and_not_checked_again(tmp_path):
    df, found = _read(tmp_path, HEAD + "2025-10,x,,,ok\n2025-10,5,,,ok\n")
    assert [p.column for p in found] == ["count"]  # the second row is not "a repeat" of a refused one
    assert df.attrs["rejected"][0]["month"].month == 10


def test_wrong_field_count_is_one_message_with_the_row(tmp_path):
    _, found = _read(tmp_path, HEAD + "2025-10,5,,,ok,extra\n")
    assert len(found) == 1 and found[0].row == 2 and found[0].column is None
    assert "5 fields like the header line" in found[0].expected


def test_far_too_large_is_refused_before_parsing(tmp_path):
    rows = "".join(f"x{i},y,,,\n" for i in range(10))
    _, found = _read(tmp_path, HEAD + rows)
    assert len(found) == 1 and "at most 3 rows for a test return (one row per month)" in found[0].expected


def test_report_is_bounded_with_a_count_of_the_rest():
    many = [Problem(file="f", expected="x", row=i) for i in range(120)] + [Problem(file="f", expected="w",
                                                                                  severity="warning")]
    out = bounded(many)
    assert len(out) == MAX_PROBLEMS + 1 and "71 more not shown (70 errors, 1 warnings)" in out[-1].expected


def test_raising_mode_raises_the_bounded_report(tmp_path):
    folder = tmp_path / "2025-26-Q3"
    folder.mkdir()
    p = folder / "t.csv"
    p.write_text(HEAD + "2025-10,x,,,ok\n", encoding="utf-8")
    with pytest.raises(DataError, match="column 'count'"):
        read_table(p, SCHEMA)
