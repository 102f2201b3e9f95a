"""Staffing assumptions: one loader, checked, carrying the file's (SYNTHETIC) provenance."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.errors import DataError
from pcp_lib.reference.contact_staffing import load_assumptions

FILE = "contact_staffing_assumptions.csv"


def test_assumptions_read_and_labelled_synthetic_by_their_sidecar():
    a = load_assumptions(FIXTURE_DATA)
    assert a.aht_s == {"999": 330.0, "101": 420.0} and a.patience_s == {"999": 600.0, "101": 300.0}
    assert a.shrinkage == 0.35 and a.fte_hours == 37.0
    assert a.provenance.synthetic and a.provenance.synthetic_names == (FILE,)


def _write(tmp_path: Path, text: str, sidecar: str | None = None) -> Path:
    (tmp_path / "reference").mkdir(exist_ok=True)
    (tmp_path / "reference" / FILE).write_text(text, encoding="utf-8")
    if sidecar is not None:
        (tmp_path / "reference" / f"{FILE}.source.txt").write_text(sidecar, encoding="utf-8")
    return tmp_path


def test_real_assumptions_are_not_labelled_synthetic(tmp_path):
    text = (FIXTURE_DATA / "reference" / FILE).read_text(encoding="utf-8")
    a = load_assumptions(_write(tmp_path, text, "Force planning assumptions, 2026."))
    assert not a.provenance.synthetic and a.provenance.kind == "reference"


def test_missing_or_impossible_assumptions_are_clear_errors(tmp_path):
    lines = (FIXTURE_DATA / "reference" / FILE).read_text(encoding="utf-8").splitlines()
    without = "\n".join(line for line in lines if not line.startswith("patience_s,101")) + "\n"
    with pytest.raises(DataError, match="no row for patience_s for 101"):
        load_assumptions(_write(tmp_path, without))
    bad = "\n".join(line.replace("shrinkage,all,0.35", "shrinkage,all,1.2") for line in lines) + "\n"
    with pytest.raises(DataError, match=r"row 6, column 'value': expected a shrinkage below 1"):
        load_assumptions(_write(tmp_path, bad))
    zero = "\n".join(line.replace("aht_s,999,330", "aht_s,999,0") for line in lines) + "\n"
    with pytest.raises(DataError, match=r"row 2, column 'value': expected aht_s above 0"):
        load_assumptions(_write(tmp_path, zero))
