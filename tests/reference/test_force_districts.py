"""The force districts reference: each force's local authorities, read by one loader."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.errors import DataError
from pcp_lib.reference.force_districts import FORCE_DISTRICTS_FILE, load_force_districts


def test_each_force_has_its_districts():
    d = load_force_districts(FIXTURE_DATA)
    assert d["Leicestershire Police"] == {
        "Leicester", "Blaby", "Charnwood", "Harborough", "Hinckley and Bosworth", "Melton",
        "North West Leicestershire", "Oadby and Wigston", "Rutland"}
    assert "Derby" in d["Derbyshire Constabulary"]
    assert not d["Leicestershire Police"] & d["Derbyshire Constabulary"]


def test_missing_file_names_it(tmp_path):
    (tmp_path / "reference").mkdir()
    with pytest.raises(DataError, match=FORCE_DISTRICTS_FILE):
        load_force_districts(tmp_path)


def test_bad_row_names_file_row_and_column(tmp_path):
    shutil.copytree(FIXTURE_DATA / "reference", tmp_path / "reference")
    path = tmp_path / "reference" / FORCE_DISTRICTS_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = "," + lines[2].split(",", 1)[1]  # blank force on row 3
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_force_districts(tmp_path)
    assert any(p.row == 3 and p.column == "force" for p in e.value.problems)
