"""Which test files may read the shipped ``data/``, and the pytest plugin that holds them to it.

Why: a unit test that reads the shipped data breaks when a metric or a data row is added (one
new metric broke 15 tests in 7 files). Unit tests use small fixture data of their own under
``tests/fixtures/``; only the golden tests read ``data/``: those that check figures transcribed
from published papers (``data/published``, the seeds) or the pack rendered from the shipped
quarter, which is what the project publishes.

How: a ``sys.addaudithook`` hook sees every file opened and every folder listed in the test
process (pandas, openpyxl, ``Path.read_text``, ``shutil.copytree`` ...). Reads under ``data/``
are charged to the test that made them, or to the fixture whose setup made them (then to every
test that uses that fixture, so the charge does not depend on test order). A test in a file
not listed in :data:`GOLDEN` (or, for now, :data:`NOT_YET_ON_FIXTURES`) that reads ``data/``
errors at teardown, naming the files it read. Tests in :data:`GOLDEN` files get the ``golden``
marker (``pytest -m golden`` runs them alone).

Not seen: reads in other processes (notebook kernels, ``pcp`` run as a subprocess).
``tests/test_fixture_independence.py`` checks those files by what they call.

``PCP_DATA_GUARD=report`` records without failing and writes, at the end of the session, one
JSON file per process into ``$PCP_DATA_GUARD_DIR`` (default: the system temp folder): the test
files that read ``data/`` and what they read. That is how the counts in the CHANGELOG were made.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
_DATA_PREFIX = str(DATA) + os.sep

#: Test files that may read the shipped ``data/``, and why. Golden tests check figures
#: transcribed from published papers (``data/published``, the seeds), or the pack rendered from
#: the shipped quarter (what the project publishes); either way they must see the real data.
GOLDEN: dict[str, str] = {
    "tests/front/test_front.py":
        "the shipped quarter's front page: its RAG counts and Red metrics as published",
    "tests/pack/test_accessibility.py":
        "the shipped pack (the shared `pack` fixture): every published page",
    "tests/pack/test_pdf.py":
        "the shipped pack's PDFs, as published",
    "tests/pack/test_run.py":
        "the shipped pack (the shared `pack` fixture): layout, byte identity, no restricted figure",
    "tests/pack/test_scratch_notebooks.py":
        "the shipped pack (the shared `pack` fixture) holds no scratch notebook",
    "tests/pack/test_stress.py":
        "renders the shipped pack under load",
    "tests/subjects/contact/test_notebook.py":
        "the contact page of the shipped pack reproduces the published tables",
    "tests/subjects/contact/test_published.py":
        "checks figures transcribed from the published papers (data/published) to the penny",
    "tests/subjects/contact/test_summary.py":
        "reproduces the published contact volumes and rates exactly",
    "tests/subjects/contact/test_tables.py":
        "the published contact tables, in their published layout",
    "tests/subjects/crime/test_notebook.py":
        "the crime page of the shipped pack",
    "tests/subjects/csp/test_notebook.py":
        "the CSP page of the shipped pack reproduces the published table",
    "tests/subjects/csp/test_position.py":
        "the published CSP position's totals, statuses and projection to the penny",
    "tests/subjects/csp/test_projects.py":
        "the published Appendix One project list",
    "tests/subjects/csp/test_spend.py":
        "the published CSP spend table to the penny",
    "tests/subjects/dashboard/test_actions.py":
        "the action totals the Q3 2025/26 paper publishes",
    "tests/subjects/dashboard/test_assess.py":
        "the published dashboard of Q3 2025/26: its 40 metrics, digits and RAG",
    "tests/subjects/dashboard/test_notebook.py":
        "the dashboard page of the shipped pack",
    "tests/subjects/dashboard/test_words.py":
        "names the OPCC paper as the source of the shipped Q3 values",
    "tests/subjects/dtoa/test_cstr.py":
        "the published CSTR totals against their months",
    "tests/subjects/dtoa/test_notebook.py":
        "the DToA page of the shipped pack",
    "tests/subjects/dtoa/test_published.py":
        "checks figures transcribed from the published papers (data/published) to the penny",
    "tests/test_analyst_guide.py":
        "runs the analyst guide's own lines, on the shipped data as the analyst does",
    "tests/test_analyst_guide_facts.py":
        "what the analyst guide says about the shipped data (its Q4 folder, its figures)",
    "tests/test_shipped_samples.py":
        "the synthetic samples and derived counts shipped in data/ are what their scripts make",
    "tests/display/charts/test_print_size.py":
        "every chart the shipped pack draws, at its printed size",
    "tests/pack/test_print_layout.py":
        "the shipped pack (the shared `pack` fixture): every table and page in print and at 1280 px",
    "tests/paper/test_paper.py":
        "the Q3 2025/26 Word paper: its Appendix 1 equals the published dashboard's 40 metrics",
    "tests/paper/test_pack_paper.py":
        "the shipped pack's Word paper, as the pack writes it",
    "tests/reference/test_glossary.py":
        "the shipped glossary spells out what the published front page uses",
    "tests/reference/test_panel_papers.py":
        "the Q3 2025/26 meeting, date and author as its paper gives them",
    "tests/reference/test_recorded_crime.py":
        "ONS Tables P1 and C2 as published: LLR shoplifting 9,029 and 8.05 per 1,000",
    "tests/subjects/compare/test_page.py":
        "the comparison page on the published ONS figures (count, rate, rank among 43 forces)",
    "tests/subjects/dashboard/test_history.py":
        "the Panel minutes' shoplifting figure, transcribed, on the shipped Q3 page",
}

#: Unit tests that still read ``data/`` and should move onto ``tests/fixtures/`` (issue 23,
#: item 5). The list may only shrink: a file leaves it when it stops reading ``data/``.
NOT_YET_ON_FIXTURES: frozenset[str] = frozenset()  # all moved; kept so a step back has a place to be argued

_AUDITED = {"open", "os.listdir", "os.scandir"}


class _Recorder:
    """Reads of ``data/`` seen by the audit hook, charged to whatever ``current`` names."""

    def __init__(self) -> None:
        self.current: tuple[str, str] | None = None  # ("file", "tests/x.py") or ("fixture", key)
        self.by_file: dict[str, set[str]] = defaultdict(set)
        self.by_fixture: dict[str, set[str]] = defaultdict(set)
        self.by_test: dict[str, set[str]] = defaultdict(set)
        self.current_test: str | None = None
        self.captures: list[set[str]] = []

    def saw(self, path: str) -> None:
        rel = os.path.relpath(path, ROOT)
        for c in self.captures:
            c.add(rel)
        if self.captures or self.current is None:  # a capture is a test of the hook itself
            return
        kind, key = self.current
        (self.by_fixture if kind == "fixture" else self.by_file)[key].add(rel)
        if kind == "file" and self.current_test is not None:
            self.by_test[self.current_test].add(rel)


RECORDER = _Recorder()


def _data_path(arg: object) -> str | None:
    """``arg`` (an audited path) as an absolute path if it is under ``data/``, else None."""
    if isinstance(arg, int):  # a file descriptor: not a path
        return None
    try:
        p = os.path.abspath(os.fsdecode(arg))  # type: ignore[arg-type]
    except TypeError:
        return None
    return p if p.startswith(_DATA_PREFIX) or p == str(DATA) else None


_PCP_LIB = str(ROOT / "pcp_lib") + os.sep

#: Functions of pcp_lib that read the project's own ``data/`` whatever data folder they are
#: given, by design: ``pcp run`` fingerprints the project's reference tables because the CSP
#: schemas are built from them when pcp_lib is imported (``reference/csp_areas.py``).
_PCP_LIB_OWN_READS = {(str(ROOT / "pcp_lib" / "pack" / "reuse.py"), "of")}


def _pcp_lib_own_read() -> bool:
    """Whether pcp_lib reads ``data/`` of its own accord, whatever the test asked: while one of
    its modules is imported (module constants: the CSP schemas list the shipped CSP areas), or
    in :data:`_PCP_LIB_OWN_READS`. Such a read is pcp_lib's doing, not the test's, and would
    otherwise be charged to whichever test imported the module first."""
    f = sys._getframe(2)
    while f is not None:
        code = f.f_code
        if code.co_filename.startswith(_PCP_LIB) and (
                code.co_name == "<module>" or (code.co_filename, code.co_name) in _PCP_LIB_OWN_READS):
            return True
        f = f.f_back
    return False


def _hook(event: str, args: tuple) -> None:
    if event in _AUDITED and args:
        p = _data_path(args[0])
        if p is not None and not _pcp_lib_own_read():
            RECORDER.saw(p)


_installed = False


def install() -> None:
    """Install the audit hook once per process (audit hooks cannot be removed)."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


@contextmanager
def reads_of_data() -> Iterator[set[str]]:
    """Every path under ``data/`` (relative to the project) opened or listed inside the block;
    for the tests of this plugin, so they are not charged to the test that runs them."""
    install()
    seen: set[str] = set()
    RECORDER.captures.append(seen)
    try:
        yield seen
    finally:
        RECORDER.captures.remove(seen)


def test_file(nodeid_or_path: str) -> str:
    """``tests/x/test_y.py`` from a node id or a path (relative to the project)."""
    return nodeid_or_path.split("::")[0].replace(os.sep, "/")


def may_read_data(file: str) -> bool:
    """Whether the test file ``file`` (``tests/...py``) may read the shipped ``data/``."""
    return file in GOLDEN or file in NOT_YET_ON_FIXTURES


def _mode() -> str:
    return os.environ.get("PCP_DATA_GUARD", "enforce")


def _fixture_key(fixturedef: pytest.FixtureDef) -> str:
    return f"{fixturedef.baseid}::{fixturedef.argname}"


def _item_reads(item: pytest.Item) -> set[str]:
    """What ``item`` read of ``data/``: itself, and through any fixture it uses."""
    out = set(RECORDER.by_test.get(item.nodeid, ()))
    names = set(item.fixturenames)  # type: ignore[attr-defined]
    for key, paths in RECORDER.by_fixture.items():
        baseid, _, argname = key.rpartition("::")
        if argname in names and (not baseid or item.nodeid.startswith(baseid)):
            out |= paths
    return out


def _rel_nodeid_file(item: pytest.Item) -> str:
    return os.path.relpath(str(item.path), ROOT).replace(os.sep, "/")


# --- the plugin ---------------------------------------------------------------------------

def pytest_configure(config: pytest.Config) -> None:
    install()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _rel_nodeid_file(item) in GOLDEN:
            item.add_marker(pytest.mark.golden)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    if isinstance(collector, pytest.Module):
        key = f"collect:{_rel_nodeid_file(collector)}"  # type: ignore[arg-type]
        prev, RECORDER.current = RECORDER.current, ("file", key)
        try:
            return (yield)
        finally:
            RECORDER.current = prev
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest):
    prev, RECORDER.current = RECORDER.current, ("fixture", _fixture_key(fixturedef))
    try:
        return (yield)
    finally:
        RECORDER.current = prev


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    file = _rel_nodeid_file(item)
    prev = RECORDER.current
    RECORDER.current, RECORDER.current_test = ("file", file), item.nodeid
    try:
        return (yield)
    finally:
        RECORDER.current, RECORDER.current_test = prev, None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    result = yield
    file = _rel_nodeid_file(item)
    reads = _item_reads(item)
    # reads made while the module was imported (collection) count for each of its tests
    reads |= RECORDER.by_file.get(f"collect:{file}", set())
    if reads:
        RECORDER.by_file[file] |= reads
    if reads and _mode() == "enforce" and not may_read_data(file):
        shown = ", ".join(sorted(reads)[:5]) + (" ..." if len(reads) > 5 else "")
        pytest.fail(f"{item.nodeid} reads the shipped data/ ({shown}), but only the golden test files "
                    "listed in tests/data_guard.py may: give it fixture data of its own under "
                    "tests/fixtures/ (pass data_dir=...)", pytrace=False)
    return result


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _mode() != "report":
        return
    out = Path(os.environ.get("PCP_DATA_GUARD_DIR", tempfile.gettempdir()))
    out.mkdir(parents=True, exist_ok=True)
    files = {f: sorted(p) for f, p in sorted(RECORDER.by_file.items()) if p and f.startswith("tests/")}
    (out / f"data_reads_{os.getpid()}.json").write_text(json.dumps(files, indent=1), encoding="utf-8")
