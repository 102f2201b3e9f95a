"""Where data live: quarter folders, return files, and the one loader of quarterly series."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.io.datastore import (
    folder_problems,
    last_period,
    latest_with,
    load_quarterly,
    quarter_dirs,
    resolve_data_dir,
    return_file,
    return_files,
)
from pcp_lib.io.schema import Column, Schema
from pcp_lib.methods.periods import Quarter

TINY = Schema(name="tiny", title="A tiny return", columns=(Column("month", "month"), Column("calls", "int")))


def _return(data, slug: str, rows: str, name: str = "tiny.csv", note: str | None = None):
    folder = data / "quarters" / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("month,calls\n" + rows, encoding="utf-8")
    if note:
        (folder / f"{name}.source.txt").write_text(note, encoding="utf-8")
    return folder / name


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    _return(d, "2025-26-Q2", "2025-07,10\n2025-08,11\n2025-09,12\n")
    _return(d, "2025-26-Q3", "2025-10,20\n2025-11,21\n", note="SYNTHETIC sample, seed 3")
    (d / "quarters" / "notes").mkdir()
    return d


def test_quarter_dirs_in_time_order_ignoring_other_folders(data):
    assert [q.label for q in quarter_dirs(data)] == ["Q2 2025/26", "Q3 2025/26"]


def test_return_file_prefers_csv(data):
    folder = data / "quarters" / "2025-26-Q3"
    (folder / "tiny.xlsx").write_bytes(b"")
    assert return_file(folder, "tiny") == folder / "tiny.csv"
    assert return_file(folder, "other") is None


def test_return_files_and_latest_with_stop_at_the_quarter(data):
    assert list(return_files("tiny", "2025-26 Q2", data)) == [Quarter(2025, 2)]
    assert latest_with("tiny", "2026-27 Q1", data) == Quarter(2025, 3)
    assert latest_with("tiny", "2025-26 Q1", data) is None


def test_load_quarterly_concatenates_and_combines_provenance(data):
    df = load_quarterly(TINY, "2025-26 Q3", data, period_column="month")
    assert df["calls"].tolist() == [10, 11, 12, 20, 21]
    assert df["quarter"].tolist() == ["Q2 2025/26"] * 3 + ["Q3 2025/26"] * 2
    prov = provenance_of(df)
    assert [f.split("/")[-2] for f in prov.files] == ["2025-26-Q2", "2025-26-Q3"]
    assert prov.synthetic and prov.synthetic_names == ("tiny.csv",) and prov.as_at == date(2025, 12, 31)
    assert last_period(df) == date(2025, 11, 1)
    assert not provenance_of(load_quarterly(TINY, "2025-26 Q2", data, period_column="month")).synthetic


def test_an_empty_series_is_typed_and_carries_an_empty_provenance(data):
    df = load_quarterly(TINY, "2024-25 Q1", data, period_column="month")
    assert df.empty and "quarter" in df and provenance_of(df).files == ()
    assert last_period(df) is None


def test_a_row_outside_its_folders_quarter_names_file_row_and_column(data):
    _return(data, "2025-26-Q4", "2026-01,5\n2025-12,6\n")
    with pytest.raises(DataError) as err:
        load_quarterly(TINY, "2025-26 Q4", data, period_column="month")
    [problem] = err.value.problems
    assert (problem.row, problem.column, problem.got) == (3, "month", "2025-12")
    assert "2025-26-Q4/tiny.csv" in problem.file and "Q4 2025/26" in problem.expected


def test_a_month_sent_twice_is_an_error(data):
    _return(data, "2025-26-Q3", "2025-10,20\n2025-10,21\n")
    with pytest.raises(DataError, match="each month once"):
        load_quarterly(TINY, "2025-26 Q3", data, period_column="month")


def test_a_missing_data_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="a data folder"):
        resolve_data_dir(tmp_path / "nowhere")


def test_only_folders_named_as_their_quarter_are_read(data):
    """Issue 21: "2025-26 Q3" beside "2025-26-Q3" used to shadow it (whichever came last)."""
    _return(data, "2025-26 Q3", "2025-10,99\n")
    _return(data, "2025-26-q2", "2025-07,99\n")
    assert quarter_dirs(data) == {Quarter(2025, 2): data / "quarters" / "2025-26-Q2",
                                  Quarter(2025, 3): data / "quarters" / "2025-26-Q3"}
    said = {Path(p.file or "").name: p.expected for p in folder_problems(data / "quarters")}
    assert said["2025-26 Q3"].startswith("one folder per quarter: 2025-26-Q3 is the folder of Q3 2025/26")
    assert said["2025-26-q2"].startswith("one folder per quarter: 2025-26-Q2")
    assert said["notes"].startswith("only quarter folders")
    assert all(p.severity == "error" for p in folder_problems(data / "quarters"))


def test_return_file_matches_the_extension_in_any_case(tmp_path):
    (tmp_path / "tiny.XLSX").write_bytes(b"")
    assert return_file(tmp_path, "tiny") == tmp_path / "tiny.XLSX"
    (tmp_path / "tiny.Csv").write_text("month,calls\n", encoding="utf-8")
    assert return_file(tmp_path, "tiny") == tmp_path / "tiny.Csv", "CSV preferred, whatever the case"
    assert return_file(tmp_path, "tiny", (".xlsx",)) == tmp_path / "tiny.XLSX"
    assert return_file(tmp_path / "missing", "tiny") is None
