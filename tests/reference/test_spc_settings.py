"""The SPC setting: the preset comes from reference data, checked like any input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.reference.spc_settings import SETTINGS_FILE, load_settings, spc_preset


def test_the_pack_uses_the_making_data_count_preset():
    settings = load_settings(FIXTURE_DATA)
    assert spc_preset(settings) == "mdc"
    assert provenance_of(settings) is not None


def _with(tmp_path: Path, text: str) -> Path:
    shutil.copytree(FIXTURE_DATA / "reference", tmp_path / "reference")
    (tmp_path / "reference" / SETTINGS_FILE).write_text(text, encoding="utf-8")
    return tmp_path


def test_another_preset_is_read(tmp_path):
    d = _with(tmp_path, "setting,value,description,source\npreset,nhsr,NHSRplotthedots rules,a test\n")
    assert spc_preset(load_settings(d)) == "nhsr"


def test_an_unknown_preset_is_a_data_error(tmp_path):
    d = _with(tmp_path, "setting,value,description,source\npreset,excel,Excel rules,a test\n")
    with pytest.raises(DataError):
        load_settings(d)


def test_no_preset_row_is_a_data_error(tmp_path):
    d = _with(tmp_path, "setting,value,description,source\n")
    with pytest.raises(DataError):
        spc_preset(load_settings(d))
