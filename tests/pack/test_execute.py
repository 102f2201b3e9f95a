"""One notebook for one audience: executed, exported, and any failure reported, not raised."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from pcp_lib.pack.execute import run_one
from pcp_lib.pack.front import front_job
from pcp_lib.pack.kernels import ensure_kernel, run_code, shutdown_kernels, warm_kernel

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_NBS = ROOT / "tests" / "fixtures" / "notebooks"

pytestmark = pytest.mark.slow


@pytest.fixture
def notebooks(tmp_path):
    d = tmp_path / "nbs"
    d.mkdir()
    for name in ("10_ok.ipynb", "20_fails.ipynb"):
        shutil.copy(FIXTURE_NBS / name, d / name)
    yield d
    shutdown_kernels()  # this test process is the "worker": leave no kernel running


def test_run_one_exports_and_keeps_the_notebook_only_when_restricted(notebooks, tmp_path):
    work = tmp_path / "work"
    kernel = ensure_kernel()
    public = run_one(str(notebooks / "10_ok.ipynb"), "public", "2025-26-Q3", None, str(work), kernel)
    assert public["ok"] and public["title"] == "Fixture 10_ok.ipynb" and public["html"] == "10_ok.html"
    assert "Pack test notebook for Q3 2025/26" in (work / "public" / "10_ok.html").read_text(encoding="utf-8")
    assert not (work / "public" / "10_ok.ipynb").exists(), "no executed notebook (it holds the data) in public"
    restricted = run_one(str(notebooks / "10_ok.ipynb"), "restricted", "2025-26-Q3", None, str(work), kernel)
    assert restricted["ok"]
    executed = nbformat.read(work / "restricted" / "10_ok.ipynb", as_version=4)
    assert executed.cells[1].source.startswith('quarter = "2025-26 Q3"')
    assert "papermill" not in executed.metadata, "cleaned before it is kept"


def test_run_one_reports_the_failing_cell_and_error(notebooks, tmp_path):
    r = run_one(str(notebooks / "20_fails.ipynb"), "public", "2025-26-Q3", None, str(tmp_path / "w"), ensure_kernel())
    assert r["ok"] is False and r["notebook"] == "20_fails.ipynb" and r["audience"] == "public"
    assert r["error"] == "RuntimeError: deliberate failure for Q3 2025/26"
    assert r["cell"] is not None and r["executed"] and Path(r["executed"]).exists()


def test_run_one_reports_a_broken_notebook_before_any_cell(tmp_path):
    bad = tmp_path / "30_broken.ipynb"
    bad.write_text("{not json", encoding="utf-8")
    r = run_one(str(bad), "public", "2025-26-Q3", None, str(tmp_path / "w"), ensure_kernel())
    shutdown_kernels()
    assert r["ok"] is False and r["cell"] is None and r["error"]


def test_the_front_page_is_built_in_the_audiences_warm_kernel_as_the_worker_would(notebooks, tmp_path):
    """After the audience's notebooks, the front page is built in their warm kernel, where
    the libraries are already imported; page and files read are the ones the worker itself
    builds. With no live kernel for the audience, the worker builds it."""
    kernel = ensure_kernel()
    data = ROOT / "tests" / "fixtures" / "data"
    done = run_one(str(notebooks / "10_ok.ipynb"), "public", "2025-26-Q3", None, str(tmp_path / "w"), kernel)
    assert done["ok"]
    pages = [{"notebook": "10_ok.ipynb", "title": done["title"], "html": done["html"]}]
    km = warm_kernel((kernel, "public", str(notebooks)))
    assert km is not None and warm_kernel((kernel, "restricted", str(notebooks))) is None
    probe = "import sys\nprint('pcp_lib.front.page' in sys.modules)\n"
    assert run_code(km, probe).strip() == "False", "the fixture notebook does not import the front page"

    args = ("2025-26 Q3", "public", pages, str(notebooks), str(data), "2026-01-05")
    here = front_job(*args, str(tmp_path / "here"))
    there = front_job(*args, str(tmp_path / "there"), None, kernel)
    assert here["ok"] and there["ok"], (here, there)
    assert run_code(km, probe).strip() == "True", "built in the warm kernel"
    page = (tmp_path / "here" / "public" / "index.html").read_text(encoding="utf-8")
    assert "Plan" in page and page == (tmp_path / "there" / "public" / "index.html").read_text(encoding="utf-8")
    assert here["reads"] and here["reads"] == there["reads"]

    # the restricted audience has no warm kernel in this process: built here, the same way
    restricted = front_job("2025-26 Q3", "restricted", pages, str(notebooks), str(data), "2026-01-05",
                           str(tmp_path / "r"), None, kernel)
    assert restricted["ok"] and (tmp_path / "r" / "restricted" / "index.html").is_file()
