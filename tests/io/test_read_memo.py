"""``read_table`` keeps the tables it has read in the process: a table read again is the same
table, never a stale one, with the same problems and its provenance recorded again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pcp_lib.core import provenance
from pcp_lib.core.errors import DataError, Problem
from pcp_lib.io import schema as schema_module
from pcp_lib.io.schema import Column, Schema, read_table

SCHEMA = Schema(name="counts", title="counts", columns=(Column("area"), Column("n", "int")), key=("area",))


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """The files ``read_table`` really parsed (not taken from what it kept)."""
    parsed: list[Path] = []
    real = schema_module._read_table
    monkeypatch.setattr(schema_module, "_read_table", lambda path, *a: parsed.append(path) or real(path, *a))
    monkeypatch.setattr(schema_module, "_MEMO", type(schema_module._MEMO)())
    return parsed


def test_a_file_read_again_is_not_parsed_again_and_is_a_copy(tmp_path, reads):
    f = tmp_path / "counts.csv"
    f.write_text("area,n\nNorth,1\nSouth,2\n", encoding="utf-8")
    first = read_table(f, SCHEMA)
    first.loc[0, "n"] = 99  # the caller's copy: never what the next reader gets
    second = read_table(f, SCHEMA)
    assert reads == [f] and second["n"].tolist() == [1, 2]
    assert provenance.provenance_of(second).files == provenance.provenance_of(first).files


def test_changed_bytes_are_read_again_even_of_the_same_size_and_time(tmp_path, reads):
    f = tmp_path / "counts.csv"
    f.write_text("area,n\nNorth,1\n", encoding="utf-8")
    stat = f.stat()
    assert read_table(f, SCHEMA)["n"].tolist() == [1]
    f.write_text("area,n\nNorth,7\n", encoding="utf-8")
    os.utime(f, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time: only the bytes differ
    assert read_table(f, SCHEMA)["n"].tolist() == [7] and len(reads) == 2


def test_problems_are_reported_again_on_every_read(tmp_path, reads):
    f = tmp_path / "counts.csv"
    f.write_text("area,n\nNorth,one\nSouth,2\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataError, match="a whole number"):
            read_table(f, SCHEMA)
        sink: list[Problem] = []
        assert read_table(f, SCHEMA, problems=sink)["area"].tolist() == ["South"]
        assert [p.row for p in sink] == [2]
    assert reads == [f]


def test_a_hit_records_the_file_in_the_ledger_and_reads_its_note_afresh(tmp_path, reads):
    f = tmp_path / "counts.csv"
    f.write_text("area,n\nNorth,1\n", encoding="utf-8")
    assert not provenance.provenance_of(read_table(f, SCHEMA)).synthetic
    f.with_name("counts.csv.source.txt").write_text("SYNTHETIC sample", encoding="utf-8")
    provenance.reset_ledger()
    again = read_table(f, SCHEMA)
    assert provenance.provenance_of(again).synthetic and provenance.files_read() and reads == [f]
