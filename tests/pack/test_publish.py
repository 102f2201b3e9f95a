"""Publishing: a finished pack replaces the old one folder by folder; a failed run keeps its
notebooks in _failed/ and touches nothing else."""

from __future__ import annotations

from pcp_lib.pack.publish import keep_failed, swap_in


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_swap_in_replaces_the_audiences_built_and_clears_failures(tmp_path):
    pack, work = tmp_path / "out" / "2025-26-Q3", tmp_path / "out" / ".work"
    _write(pack / "public" / "old.html", "old public")
    _write(pack / "restricted" / "r.html", "old restricted")
    _write(pack / "_failed" / "x-public.ipynb", "{}")
    _write(work / "public" / "new.html", "new public")
    swap_in(work, pack, ["public"])
    assert sorted(p.name for p in (pack / "public").iterdir()) == ["new.html"]
    assert (pack / "restricted" / "r.html").read_text(encoding="utf-8") == "old restricted", "not rebuilt: kept"
    assert not (pack / "_failed").exists()
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".") and p != work] == [], \
        "no temporary folder left behind"


def test_keep_failed_copies_only_this_runs_failures(tmp_path):
    pack = tmp_path / "2025-26-Q3"
    _write(pack / "_failed" / "old-public.ipynb", "{}")
    _write(pack / "public" / "page.html", "kept")
    executed = tmp_path / "work" / "20_x.ipynb"
    _write(executed, '{"cells": []}')
    failures = [{"ok": False, "notebook": "20_x.ipynb", "audience": "public", "cell": 3, "error": "E",
                 "executed": str(executed)},
                {"ok": False, "notebook": "30_y.ipynb", "audience": "restricted", "cell": None, "error": "E",
                 "executed": None}]
    failures[1]["stderr"] = "Traceback ...\nOSError: no space left"
    folder = keep_failed(pack, failures)
    assert sorted(p.name for p in folder.iterdir()) == ["20_x-public.ipynb", "20_x-public.txt", "30_y-restricted.txt"]
    why = (folder / "30_y-restricted.txt").read_text(encoding="utf-8")
    assert "before any cell ran" in why and "OSError: no space left" in why, "the kernel's stderr is kept"
    assert (pack / "public" / "page.html").read_text(encoding="utf-8") == "kept"
