"""Shared test fixtures."""

from __future__ import annotations

import contextlib
import functools
import html
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

# pytest keeps each test module it rewrites (for its assert messages) as bytecode in
# __pycache__/, unless writing bytecode is off: on a machine that turns it off for every
# process (PYTHONDONTWRITEBYTECODE), each pytest process parsed and rewrote all the test files
# again, 3 s of every run's start. This conftest is read before any test file; the bytecode is
# git-ignored.
sys.dont_write_bytecode = False

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The tests' own small data folder (laid out like ``data/``): what unit tests pass as ``data_dir``.
FIXTURE_DATA = FIXTURES / "data"

# Holds unit tests off the shipped data/ (only the golden files it lists may read it).
pytest_plugins = ["data_guard"]


def execute_notebook(name: str, out_dir: Path, **parameters) -> dict:
    """Execute ``notebooks/<name>`` with papermill and return the executed notebook JSON."""
    import papermill as pm

    from pcp_lib.pack.kernels import ensure_kernel

    src = ROOT / "notebooks" / name
    out = out_dir / f"{Path(name).stem}-{parameters.get('audience', 'x')}.ipynb"
    pm.execute_notebook(str(src), str(out), parameters=parameters, kernel_name=ensure_kernel(),
                        cwd=str(ROOT / "notebooks"), progress_bar=False)
    return json.loads(out.read_text(encoding="utf-8"))


def pcp_cli(*args: str) -> subprocess.CompletedProcess:
    """``pcp ARGS`` run in this process (``pcp_lib.cli.main``), with what it prints captured as a
    subprocess would: the exit status and the text of stdout and stderr. About 2 s cheaper per call
    than a new Python process importing pandas; ``tests/pack/test_run.py`` still runs the real
    command in a process of its own."""
    from pcp_lib.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's own usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return subprocess.CompletedProcess(["pcp", *args], code, out.getvalue(), err.getvalue())


def notebook_text(nb: dict) -> str:
    """Every output of an executed notebook as one string (text, HTML, image data)."""
    parts = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            parts.append(json.dumps(o, ensure_ascii=False))
    return "\n".join(parts)


def once_per_run(tmp_path_factory, name: str, build):
    """``build(folder)`` once per test run, its result (JSON: paths as strings) shared by every
    process of the run: under pytest-xdist the first worker to ask builds it, holding a file lock
    in the run's temporary folder, and any other worker that asks waits for it and reads what it
    recorded (pytest-xdist's documented way to make a session fixture run once). Without xdist,
    an ordinary session fixture's build. A build that fails records nothing: the next worker to
    ask builds it again, and fails as plainly."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build(tmp_path_factory.mktemp(name))
    root = tmp_path_factory.getbasetemp().parent
    record = root / f"{name}.json"
    with FileLock(str(root / f"{name}.lock")):
        if record.is_file():
            return json.loads(record.read_text(encoding="utf-8"))
        folder = root / name
        shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
        folder.mkdir()
        result = build(folder)
        record.write_text(json.dumps(result), encoding="utf-8")
    return result


@pytest.fixture(scope="session")
def pack(tmp_path_factory):
    """The full pack for Q3 2025/26 from the shipped data, both audiences, HTML and PDF: the one
    render of this configuration in a test run, shared by every test that reads a rendered pack
    (they are slow). Rendered twice, from scratch into two folders, for the byte-identity check.

    The first render runs with ``PCP_CHECK_LAYOUT=1``: a chart that spills outside its figure
    fails its notebook, so ``r1.ok`` is also the check that every chart fits (the check only
    raises; it changes no byte, which the second render, without it, confirms).

    Rendered once per test run, whichever pytest-xdist worker asks first (:func:`once_per_run`).
    The render itself runs two notebooks at a time. Returns the two packs' folders
    (``<out>/2025-26-Q3``); read pages with :func:`page_text`."""
    from pcp_lib.pack.run import run_pack

    def build(folder: Path) -> list[str]:
        out1, out2 = folder / "pack1", folder / "pack2"
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("PCP_CHECK_LAYOUT", "1")
            r1 = run_pack("2025-26 Q3", out_dir=out1, progress=False)
        assert r1.ok, r1.failure_report()
        r2 = run_pack("2025-26 Q3", out_dir=out2, progress=False)
        assert r2.ok, r2.failure_report()
        return [str(out1 / "2025-26-Q3"), str(out2 / "2025-26-Q3")]

    first, second = once_per_run(tmp_path_factory, "pack", build)
    return Path(first), Path(second)


def withheld_copy(dst: Path) -> Path:
    """A copy of the project's data in which Q3 2025/26 withholds serial 7: without
    ``reference/disclosure.csv`` (the Q3 paper's decision to publish it), the register's default
    applies. The shipped Q3 2025/26 withholds nothing (serial 25 has no value at all), so the
    leak tests read this copy: they must be able to fail."""
    shutil.copytree(DATA, dst)
    (dst / "reference" / "disclosure.csv").unlink()
    return dst


@pytest.fixture(scope="session")
def withheld_pack(tmp_path_factory):
    """The Q3 2025/26 pack of the dashboard page alone (and its front page), both audiences,
    with the PDFs when the print engine is there, from a copy of the data in which serial 7 is
    withheld (:func:`withheld_copy`): what the leak tests read, since the
    shipped Q3 2025/26 withholds nothing. Returns (pack folder, data folder)."""
    from pcp_lib.pack.pdf import engine
    from pcp_lib.pack.run import run_pack

    def build(base: Path) -> list[str]:
        data = withheld_copy(base / "data")
        r = run_pack("2025-26 Q3", data_dir=data, out_dir=base / "out", progress=False, pdf=engine() is not None,
                     notebooks=[ROOT / "notebooks" / "00_pcp_dashboard.ipynb"])
        assert r.ok, r.failure_report()
        return [str(base / "out" / "2025-26-Q3"), str(data)]

    pack_dir, data = once_per_run(tmp_path_factory, "withheld_pack", build)
    return Path(pack_dir), Path(data)


def page_text(pack_dir: Path, audience: str, notebook: str) -> str:
    """The page a notebook became in a rendered pack (``pack`` fixture), as text to search:
    its HTML with entities unescaped (charts are ``data:image/png`` images in it)."""
    return html.unescape((pack_dir / audience / f"{Path(notebook).stem}.html").read_text(encoding="utf-8"))


@pytest.fixture
def fixture_data(tmp_path: Path) -> Path:
    """A copy of the tests' own data folder (``tests/fixtures/data``), free to change."""
    d = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, d)
    return d


@pytest.fixture
def run_notebook(tmp_path):
    def _run(name: str, **parameters) -> dict:
        return execute_notebook(name, tmp_path, **parameters)

    return _run


@functools.cache
def missing_system_deps() -> str:
    """The one line ``scripts/system-deps.sh`` says about what to install (chromium,
    poppler-utils), or "" when everything is there: the reason a test that needs them skips."""
    script = ROOT / "scripts" / "system-deps.sh"
    return subprocess.run(["bash", str(script), "--check"], capture_output=True, text=True, check=True).stdout.strip()


def _skip_without_system_deps(present: bool) -> None:
    """Skip with the script's line unless ``present``; in CI (which installs them) fail instead."""
    if present:
        return
    line = missing_system_deps() or ("chromium, poppler-utils or libreoffice-writer-nogui not installed "
                                     "(apt-get install chromium poppler-utils libreoffice-writer-nogui)")
    if os.environ.get("CI"):
        pytest.fail(f"required in CI: {line}")
    pytest.skip(line)


@pytest.fixture(scope="session")
def system_deps() -> None:
    """Skips a test (with the line saying what to install) unless Debian's chromium and
    poppler-utils are both here: what the PDF pack needs to be printed and read back."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    _skip_without_system_deps(bool(browser) and all(shutil.which(t) for t in ("pdftotext", "pdfinfo", "pdfimages")))


@pytest.fixture(scope="session")
def libreoffice() -> str:
    """LibreOffice's ``soffice`` (Debian's libreoffice-writer-nogui), which converts the Word
    paper to PDF; skips a test (with the line saying what to install) without it, except in CI."""
    exe = shutil.which("soffice")
    # Writer's own library beside soffice: LibreOffice without Writer cannot read a .docx
    _skip_without_system_deps(exe is not None and (Path(exe).resolve().parent / "libswlo.so").exists())
    assert exe is not None
    return exe


@pytest.fixture(scope="session")
def poppler() -> None:
    """Skips a test (with the line saying what to install) unless poppler-utils is here."""
    _skip_without_system_deps(all(shutil.which(t) for t in ("pdftotext", "pdfinfo", "pdfimages")))


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium (through playwright), offline; skipped, with the line saying
    what to install, when it is not installed, except in CI, where it is required."""
    exe = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
    _skip_without_system_deps(exe is not None)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def findings_shown():
    """A check for a page's ``findings(ctx)``: each finding links to one of the page's section
    headings, its sentence is shown word for word in that section (so it is computed by the
    same functions, never typed), and it names its basis and period. Returns the findings."""
    import html

    from pcp_lib.display.page import anchor

    def _check(page, ctx) -> list:
        found = page.findings(ctx)
        assert found, "every page gives at least one finding"
        sections = dict(page.SECTIONS)
        for f in found:
            assert f.section in sections, f.section
            assert f.anchor == anchor(f.section)
            shown = html.unescape(sections[f.section](ctx).html(images=False))
            assert f.text.rstrip(".") in shown, (f.text, f.section)
            assert f.basis and f.period
            assert ("SYNTHETIC" in f.basis) == f.synthetic
        return found

    return _check


@pytest.fixture(scope="session")
def withheld_data(tmp_path_factory) -> Path:
    """:func:`withheld_copy`, once per session (not to be changed)."""
    return withheld_copy(tmp_path_factory.mktemp("withheld") / "data")


def strings_withheld(data_dir: Path | None = None) -> list[str]:
    """Every value, change and reason of the metrics Q3 2025/26 withholds from the public as the
    pack would show them (by the disclosure of that quarter), less any string a public metric
    also shows (e.g. "No data: ...")."""
    from pcp_lib.subjects.dashboard.assess import assess_quarter, display_table

    df = assess_quarter("2025-26 Q3", data_dir)
    shown = display_table(df[df["restricted"]])
    public = display_table(df[~df["restricted"]])
    out = []
    for col in ("Baseline 2024/25", "Latest", "Change", "Reason"):
        out += [s for s in shown[col] if s and s not in set(public[col])]
    return out


@pytest.fixture(scope="session")
def restricted_strings(withheld_data) -> list[str]:
    """:func:`strings_withheld` of the copy of the shipped data in which serial 7 is withheld
    (the shipped Q3 2025/26 withholds nothing: the leak tests read this copy, so they can fail)."""
    return strings_withheld(withheld_data)


@pytest.fixture(scope="session", autouse=True)
def chart_cache(tmp_path_factory) -> Path:
    """Pages in these tests draw their charts as the pack run does: each chart once, kept by
    its inputs (``pcp_lib.display.charts.imagecache``), in one folder for the test run, shared
    by pytest-xdist's workers (each entry is written under a temporary name and renamed). Many
    tests render the same page with one input changed; the charts that input does not touch
    come back as they were drawn. A test of drawing without the cache (as an analyst in
    JupyterLab draws) removes the variable itself."""
    from pcp_lib.display.charts.imagecache import CACHE_ENV

    if os.environ.get("PYTEST_XDIST_WORKER"):  # the run's folder, above each worker's own
        folder = tmp_path_factory.getbasetemp().parent / "charts"
        folder.mkdir(exist_ok=True)
    else:
        folder = tmp_path_factory.mktemp("charts")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CACHE_ENV, str(folder))
        yield folder
