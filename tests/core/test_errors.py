"""Expected mistakes in data are one line naming file, sheet, row, column, expected and got."""

from __future__ import annotations

import os

import pytest

from pcp_lib.core.errors import DataError, Problem, Problems, rel


def test_problem_names_where_what_was_expected_and_what_was_found():
    p = Problem(file="data/x.xlsx", sheet="data", row=4, column="month", expected="a month", got="Octember")
    assert str(p) == "data/x.xlsx, sheet 'data', row 4, column 'month': expected a month; got 'Octember'"
    assert str(Problem(file=None, expected="a quarter")) == "input: expected a quarter"


def test_data_error_is_a_value_error_with_every_problem_one_a_line():
    err = DataError([Problem(file="a.csv", row=2, expected="x"), Problem(file="a.csv", row=3, expected="y",
                                                                         severity="warning")])
    assert isinstance(err, ValueError)
    assert str(err).splitlines() == ["a.csv, row 2: expected x", "a.csv, row 3: expected y"]
    assert [str(p) for p in err.errors] == ["a.csv, row 2: expected x"]
    assert DataError("a data folder").problems[0].expected == "a data folder"
    assert str(DataError("a number", file="b.csv", row=5)) == "b.csv, row 5: expected a number"


def test_problems_raise_only_for_errors():
    found = Problems()
    found.add(Problem(file="a.csv", expected="x", severity="warning"))
    found.raise_if_errors()
    found.add(Problem(file="a.csv", expected="y"))
    with pytest.raises(DataError, match="expected y"):
        found.raise_if_errors()


def test_rel_shows_no_local_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert rel(tmp_path / "data" / "x.csv") == os.path.join("data", "x.csv")
    assert rel("/somewhere/private/user/data/quarters/x.csv") == "data/quarters/x.csv"
    assert rel("data/x.csv") == "data/x.csv"
