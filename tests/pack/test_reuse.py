"""Re-render only what changed: a changed input re-renders exactly the pages that read it, a
changed ``pcp_lib`` file re-renders everything, ``--only`` renders one notebook into the current
pack, and the pack is byte-identical whether its pages were reused or rendered afresh.

The runs here use two of the pack's notebooks (DToA and CSP) and no PDF, to stay quick; the whole
pack's rerun is checked in test_run.py."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.fingerprint import sha256
from pcp_lib.pack import reuse
from pcp_lib.pack.publish import prune_charts
from pcp_lib.pack.reads import start, stop
from pcp_lib.pack.run import run_pack

ROOT = Path(__file__).resolve().parents[2]
QUARTER = "2025-26 Q3"
NOTEBOOKS = ("20_dtoa_dropoffs.ipynb", "30_csp_spend.ipynb")

pytestmark = pytest.mark.slow


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A copy of the tests' own data, a notebooks folder of two notebooks, and an output folder."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    for name in NOTEBOOKS:
        shutil.copy(ROOT / "notebooks" / name, nbs / name)
    return data, nbs, tmp_path / "out"


def _run(data: Path, nbs: Path, out: Path, **kw):
    r = run_pack(QUARTER, data_dir=data, out_dir=out, notebooks_dir=nbs, progress=False, pdf=False, **kw)
    assert r.ok, r.failure_report()
    return r


def _rendered(r) -> set[str]:
    return {f"{x['audience']}/{x['html']}" for x in r.rendered}


def _files(pack: Path) -> dict[str, bytes]:
    """Every file of a pack but its manifest (which says what was reused, so differs by design)."""
    return {str(p.relative_to(pack)): p.read_bytes() for p in sorted(pack.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}


def _change_csp_return(data: Path) -> None:
    path = data / "quarters" / "2025-26-Q3" / "csp_spend.csv"
    text = path.read_text(encoding="utf-8")
    changed = text.replace("271818.47,236492.47,35326.00", "271818.47,236492.00,35326.47")
    assert changed != text
    path.write_text(changed, encoding="utf-8")


def test_a_changed_return_rerenders_exactly_its_readers_and_matches_a_fresh_pack(setup, tmp_path):
    data, nbs, out = setup
    first = _run(data, nbs, out)
    assert len(first.rendered) == 6 and not first.reused  # 2 notebooks + the front page, x 2 audiences
    first_run = json.loads((out / "2025-26-Q3" / "manifest.json").read_text())["run"]["id"]

    again = _run(data, nbs, out)
    assert not again.rendered and len(again.reused) == 6, "nothing changed: every page reused"

    _change_csp_return(data)
    changed = _run(data, nbs, out)
    assert _rendered(changed) == {"public/30_csp_spend.html", "restricted/30_csp_spend.html",
                                  "public/index.html", "restricted/index.html"}
    manifest = json.loads((out / "2025-26-Q3" / "manifest.json").read_text())
    assert manifest["pages"]["public/20_dtoa_dropoffs.html"]["reused"] is True
    assert manifest["pages"]["public/20_dtoa_dropoffs.html"]["rendered_in"] == first_run
    assert manifest["pages"]["public/30_csp_spend.html"]["rendered_in"] == manifest["run"]["id"]
    assert "data:quarters/2025-26-Q3/csp_spend.csv" in manifest["pages"]["public/30_csp_spend.html"]["reads"]
    assert "data:quarters/2025-26-Q3/csp_spend.csv" not in manifest["pages"]["public/20_dtoa_dropoffs.html"]["reads"]
    # the front page is built from its pages' findings (each page's run keeps its own), so it
    # reads what they read: a change to any of their inputs renders it again
    csp_page = manifest["pages"]["public/30_csp_spend.html"]
    assert csp_page["findings"] and all(f["section"] and f["text"] for f in csp_page["findings"])
    assert manifest["pages"]["public/20_dtoa_dropoffs.html"]["findings"], "a reused page keeps its findings"
    front_reads = manifest["pages"]["public/index.html"]["reads"]
    assert set(csp_page["reads"]) | set(manifest["pages"]["public/20_dtoa_dropoffs.html"]["reads"]) <= set(front_reads)
    assert all(f["synthetic"] for f in csp_page["findings"])  # so the front page's line says so
    assert ('<a href="30_csp_spend.html">Community Safety Partnership spend</a>: SYNTHETIC samples</li>'
            in (out / "2025-26-Q3" / "public" / "index.html").read_text())

    fresh = _run(data, nbs, tmp_path / "fresh", force=True)
    assert len(fresh.rendered) == 6
    assert _files(out / "2025-26-Q3") == _files(tmp_path / "fresh" / "2025-26-Q3")


def test_a_changed_pcp_lib_file_rerenders_everything(setup, tmp_path, monkeypatch):
    data, nbs, out = setup
    _run(data, nbs, out)
    code = tmp_path / "pcp_lib"
    shutil.copytree(reuse.PACKAGE_DIR, code, ignore=shutil.ignore_patterns("__pycache__"))
    before = reuse.code_fingerprint()
    monkeypatch.setattr(reuse, "PACKAGE_DIR", code)
    assert reuse.code_fingerprint() == before, "the fingerprint is of the files, not of where they are"
    (code / "methods" / "units.py").write_text((code / "methods" / "units.py").read_text() + "\n# changed\n")
    assert reuse.code_fingerprint() != before
    again = _run(data, nbs, out)
    assert len(again.rendered) == 6 and not again.reused


def test_only_renders_one_notebook_into_the_current_pack(setup):
    data, nbs, out = setup
    with pytest.raises(ValueError, match="render the whole pack first"):
        _run(data, nbs, out, only=["30_csp_spend"])
    _run(data, nbs, out)
    before = _files(out / "2025-26-Q3")
    with pytest.raises(ValueError, match="not a notebook of the pack"):
        _run(data, nbs, out, only=["99_nothing"])
    only = _run(data, nbs, out, only=["30_csp_spend"])
    assert _rendered(only) == {"public/30_csp_spend.html", "restricted/30_csp_spend.html"}
    assert _files(out / "2025-26-Q3") == before, "rendered afresh, the same bytes"
    manifest = json.loads((out / "2025-26-Q3" / "manifest.json").read_text())
    assert manifest["run"]["only"] == ["30_csp_spend.ipynb"]

    # a page --only does not render, whose data changed, is kept as it was and said to be out of date
    (data / "quarters" / "2025-26-Q3" / "dtoa_pathway.csv").write_text(
        (data / "quarters" / "2025-26-Q3" / "dtoa_pathway.csv").read_text() + "\n")
    only = _run(data, nbs, out, only=["30_csp_spend"], audience="public")
    assert _rendered(only) == {"public/30_csp_spend.html", "public/index.html"}, "the front page reads it too"
    assert only.kept_stale == ["public/20_dtoa_dropoffs.html"]
    full = _run(data, nbs, out)
    assert "public/20_dtoa_dropoffs.html" in _rendered(full), "the next full run brings it up to date"


def test_reads_records_the_files_opened_under_its_roots(tmp_path):
    inside, outside = tmp_path / "data", tmp_path / "other"
    inside.mkdir()
    outside.mkdir()
    (inside / "a.csv").write_text("x\n1\n")
    (outside / "b.csv").write_text("x\n2\n")
    start([inside])
    (inside / "a.csv").read_text()
    (outside / "b.csv").read_text()
    found = stop()
    assert list(found) == [str((inside / "a.csv").resolve())]
    assert found[str((inside / "a.csv").resolve())] == sha256(inside / "a.csv")
    (inside / "a.csv").read_text()
    assert stop() == {}, "nothing recorded once stopped"


def test_cached_charts_unused_for_30_days_are_pruned(tmp_path):
    old, new = time.time() - 31 * 86400, time.time() - 29 * 86400
    for name, when in (("a.png", old), ("b.json", old), ("c.png", new), ("d.json", new), ("e.txt", old)):
        (tmp_path / name).write_text("x")
        os.utime(tmp_path / name, (when, when))
    prune_charts(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.png", "d.json", "e.txt"]
