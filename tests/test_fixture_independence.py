"""Tests that stand on their own (issue 23, item 5): only the golden test files may read the
shipped ``data/``; unit tests use fixture data of their own under ``tests/fixtures/``.

The rule is enforced for every test by the plugin ``tests/data_guard.py`` (loaded by
``tests/conftest.py``), which sees what each test opens. These tests check that the plugin sees
the ways a test reads files, that it fails a test file it does not list, that its lists are
kept honest, and they cover what it cannot see: notebooks run in kernels of their own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
from data_guard import DATA, GOLDEN, NOT_YET_ON_FIXTURES, ROOT, may_read_data, reads_of_data
from openpyxl import Workbook, load_workbook

TESTS = ROOT / "tests"
FIXTURES = TESTS / "fixtures"

#: How many test files still read data/ without being golden. The list may only shrink: lower
#: this number when a file moves onto fixtures; raising it is a decision to argue in review.
MOST_NOT_YET = 0


def test_the_lists_name_test_files_that_exist_once_each():
    for f in [*GOLDEN, *NOT_YET_ON_FIXTURES]:
        assert (ROOT / f).is_file(), f"{f} is listed in tests/data_guard.py but does not exist"
        assert f.startswith("tests/") and Path(f).name.startswith("test_"), f
    assert not set(GOLDEN) & NOT_YET_ON_FIXTURES, "a file is either golden or not yet on fixtures"
    assert all(why.strip() for why in GOLDEN.values()), "each golden file says why it reads data/"
    assert len(NOT_YET_ON_FIXTURES) <= MOST_NOT_YET


def test_golden_files_are_marked_golden(request):
    items = request.session.items
    assert items
    for item in items:
        file = Path(str(item.path)).relative_to(ROOT).as_posix()
        assert (item.get_closest_marker("golden") is not None) == (file in GOLDEN), item.nodeid


def test_the_hook_sees_each_way_a_test_reads_data(tmp_path):
    metrics = DATA / "reference" / "metrics.csv"
    with reads_of_data() as seen:
        pd.read_csv(metrics)
    assert seen == {"data/reference/metrics.csv"}
    with reads_of_data() as seen:
        metrics.read_text(encoding="utf-8")
        sorted((DATA / "quarters").iterdir())
        os.listdir(DATA / "published")
    assert seen == {"data/reference/metrics.csv", "data/quarters", "data/published"}
    with reads_of_data() as seen:
        shutil.copytree(DATA / "reference", tmp_path / "reference")
    assert "data/reference/metrics.csv" in seen
    book = tmp_path / "book.xlsx"
    Workbook().save(book)
    with reads_of_data() as seen:
        load_workbook(book)
        pd.read_csv(FIXTURES / "contact" / "calls_small.csv")
        (tmp_path / "reference" / "metrics.csv").read_text(encoding="utf-8")
    assert seen == set(), "files outside data/ (fixtures, copies) are not reads of data/"


def test_a_relative_path_into_data_is_seen(monkeypatch):
    monkeypatch.chdir(ROOT / "notebooks")
    with reads_of_data() as seen:
        Path("../data/reference/rag_bands.csv").read_bytes()
    assert seen == {"data/reference/rag_bands.csv"}


INNER = '''
from pathlib import Path

import pandas as pd

ROOT = Path({root!r})


def test_reads_the_shipped_data():
    pd.read_csv(ROOT / "data" / "reference" / "metrics.csv")


def test_reads_its_own_fixture():
    pd.read_csv(ROOT / "tests" / "fixtures" / "contact" / "calls_small.csv")
'''


def test_a_test_file_not_listed_that_reads_data_fails_naming_what_it_read(tmp_path):
    (tmp_path / "test_inner.py").write_text(INNER.format(root=str(ROOT)), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(TESTS), "PCP_DATA_GUARD": "enforce"}
    r = subprocess.run([sys.executable, "-m", "pytest", "-p", "data_guard", "-p", "no:cacheprovider",
                        "-q", "-o", "addopts=", "test_inner.py"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "2 passed, 1 error" in out, out
    assert "test_reads_the_shipped_data reads the shipped data/ (data/reference/metrics.csv)" in out
    assert "test_reads_its_own_fixture" not in out.split("short test summary")[-1]


def test_may_read_data_is_the_lists():
    assert all(may_read_data(f) for f in GOLDEN)
    assert all(may_read_data(f) for f in NOT_YET_ON_FIXTURES)
    assert not may_read_data("tests/methods/test_units.py")


_RUNS_A_NOTEBOOK = re.compile(r"\b(run_notebook|execute_notebook)\(")


def test_files_that_run_notebooks_are_listed():
    """A notebook run in a kernel of its own reads data/ where the hook cannot see it (its
    ``data_dir`` parameter defaults to the shipped data), so such a file must be listed."""
    unlisted = []
    for f in sorted(TESTS.rglob("test_*.py")):
        rel = f.relative_to(ROOT).as_posix()
        if _RUNS_A_NOTEBOOK.search(f.read_text(encoding="utf-8")) and not may_read_data(rel):
            unlisted.append(rel)
    assert not unlisted, f"run notebooks on the shipped data but are not listed in tests/data_guard.py: {unlisted}"


def test_pcp_lib_reading_the_project_reference_of_its_own_accord_is_not_charged():
    """``pcp run`` fingerprints the project's reference tables whatever the data folder (the CSP
    schemas come from them); a test that passes its own data folder is not charged for that."""
    from pcp_lib.pack.reuse import Basis

    with reads_of_data() as seen:
        Basis.of(FIXTURES / "data")
    assert seen == set()
