"""Golden: the synthetic samples and the derived counts shipped in ``data/`` are exactly what
their scripts make, byte for byte (so a sample is never edited by hand, and a script change that
would change a shipped file is seen). These tests are about ``data/`` itself, so they read it;
the loaders' own tests read the tests' data folder (``tests/fixtures/data``).

Moved here from the contact return's, the DToA pathway's and the police.uk counts' tests."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from pcp_lib.core.provenance import is_synthetic
from pcp_lib.io.datastore import PROJECT_ROOT, return_files
from pcp_lib.subjects.crime.counts import DERIVED_COUNTS_FILE

ROOT = PROJECT_ROOT
DATA = ROOT / "data"
#: the raw police.uk files sit beside the project (../shared/data/police_uk) in a full checkout
RAW = PROJECT_ROOT.parent / "shared" / "data" / "police_uk"


def test_contact_sample_is_labelled_synthetic_and_rebuilds_identically(tmp_path):
    files = return_files("contact_monthly", "2025-26 Q3")
    assert len(files) == 8 and all(is_synthetic(p) for p in files.values())
    spec = importlib.util.spec_from_file_location("make_sample_contact", ROOT / "scripts" / "make_sample_contact.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for p in mod.write(tmp_path):
        committed = DATA / p.relative_to(tmp_path)
        assert p.read_bytes() == committed.read_bytes()


def test_dtoa_sample_script_rewrites_byte_identically(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_sample_dtoa", ROOT / "scripts" / "make_sample_dtoa.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod, "QUARTERS", tmp_path)
    monkeypatch.setattr(mod, "ROOT", tmp_path)
    mod.main()
    made = sorted(tmp_path.glob("*/dtoa_pathway.csv*"))
    assert len(made) == 16
    for f in made:
        assert f.read_bytes() == (DATA / "quarters" / f.parent.name / f.name).read_bytes(), f


@pytest.mark.slow  # the build script in a process of its own, over every raw police.uk file
@pytest.mark.skipif(not RAW.is_dir(), reason="raw police.uk files not available")
def test_committed_counts_rebuild_byte_identical(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_police_uk_counts.py"), "--raw", str(RAW),
                    "--out", str(tmp_path)], check=True, capture_output=True)
    for name in (DERIVED_COUNTS_FILE, DERIVED_COUNTS_FILE + ".source.txt"):
        assert (tmp_path / name).read_bytes() == (DATA / "derived" / name).read_bytes()


def test_committed_counts_match_published_row_counts():
    """The shipped counts hold every row of the raw files (moved here from the counts' tests,
    which read the tests' own cut of this file)."""
    from datetime import date

    from pcp_lib.subjects.crime.counts import load_counts

    c = load_counts()
    totals = c.groupby("force")["count"].sum()
    assert int(totals["Leicestershire Police"]) == 217_944  # data README: 24 files, 217,944 rows
    months = sorted(set(c["month"]))
    assert months[0] == date(2023, 1, 1) and months[-1] == date(2024, 12, 1) and len(months) == 24
    dec = c[(c["force"] == "Leicestershire Police") & (c["month"] == date(2024, 12, 1))]
    assert int(dec["count"].sum()) == 8216  # rows in 2024-12-leicestershire-street.csv
