"""Only the pack's own pages are published (issue 21): a scratch notebook an analyst saves in
notebooks/ (the folder `make lab` opens) is named in a warning and left out of both packs,
whatever it loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from pcp_lib.pack.run import NOTEBOOKS_DIR, discover_notebooks, left_out
from pcp_lib.subjects.registry import declared_notebooks, subjects

SCRATCH = "Untitled.ipynb"
MARK = "SCRATCH-RESTRICTED-MARKER"


def _scratch(path: Path) -> None:
    """What an analyst might save: the restricted dashboard, loaded and shown."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# Scratch {MARK}"),
                nbformat.v4.new_code_cell(
                    "from pcp_lib.subjects.dashboard import page\n"
                    "ctx = page.load('2025-26 Q3', None, 'restricted')\n"
                    f"print('{MARK}')\nctx")]
    nb.metadata["kernelspec"] = {"name": "pcp", "display_name": "Python (pcp)", "language": "python"}
    nbformat.write(nb, path)


def test_every_subject_declares_a_notebook_that_exists():
    assert len(declared_notebooks()) == len(subjects())
    assert [p.name for p in discover_notebooks()] == declared_notebooks()
    assert all((NOTEBOOKS_DIR / name).is_file() for name in declared_notebooks())


def test_a_scratch_notebook_is_not_a_page(tmp_path):
    scratch = NOTEBOOKS_DIR / SCRATCH
    assert not scratch.exists(), "a leftover scratch notebook in notebooks/: remove it"
    _scratch(scratch)
    try:
        assert scratch not in discover_notebooks()
        assert left_out() == [scratch]
    finally:
        scratch.unlink()


@pytest.mark.slow
def test_a_scratch_notebook_reaches_neither_pack(pack, tmp_path, capsys):
    """Run over a copy of the shared pack (``pack`` fixture), so the pages it already holds are
    reused rather than rendered again: a scratch notebook taken for a page would be a page not
    in the previous pack, rendered, and found below."""
    from pcp_lib.cli import main

    scratch = NOTEBOOKS_DIR / SCRATCH
    assert not scratch.exists(), "a leftover scratch notebook in notebooks/: remove it"
    out = tmp_path / "out"
    shutil.copytree(pack[0].parent, out)
    _scratch(scratch)
    try:
        code = main(["run", "--quarter", "2025-26 Q3", "--out", str(out), "--quiet", "--no-pdf"])
    finally:
        scratch.unlink()
    err = capsys.readouterr().err
    assert code == 0, err
    assert "warning: notebooks/Untitled.ipynb is not a page of the pack" in err and "left out" in err
    pack = out / "2025-26-Q3"
    for audience in ("public", "restricted"):
        names = sorted(p.name for p in (pack / audience).iterdir())
        assert not [n for n in names if n.startswith("Untitled")], names
        for page in (pack / audience).glob("*.html"):
            text = page.read_text(encoding="utf-8")
            assert MARK not in text and "Untitled" not in text, f"{page} names or shows the scratch notebook"
    assert "Untitled" not in (pack / "manifest.json").read_text(encoding="utf-8")
