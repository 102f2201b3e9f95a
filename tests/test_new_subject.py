"""A sixth subject, added as CONTRIBUTING.md says (the template page and notebook in
``docs/templates/subject/``, one line in the registry), is a page of the pack: its notebook
is declared, the import contracts cover it, the front page lists its findings, and the pack
renders it, front page included.

The subject is a package in a temporary folder (``pcp_probe_subject``), added to the registry
for the test only (``registry.SUBJECTS`` replaced); its notebook imports it from there."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.front.page import SubjectLine, build_front
from pcp_lib.pack.front import render_front
from pcp_lib.pack.run import run_pack
from pcp_lib.subjects import registry

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "docs" / "templates" / "subject"
Q3 = "2025-26 Q3"
PACKAGE = "pcp_probe_subject"


@pytest.fixture
def sixth(tmp_path, monkeypatch) -> tuple[registry.Subject, Path]:
    """The template subject as a sixth subject: (its registry entry, a folder holding its
    notebook beside a copy of the dashboard's)."""
    pkg = tmp_path / "lib" / PACKAGE
    pkg.mkdir(parents=True)
    for name in ("__init__.py", "page.py"):
        shutil.copy(TEMPLATE / name, pkg / name)
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    text = (TEMPLATE / "50_example.ipynb").read_text(encoding="utf-8")
    (nbs / "50_example.ipynb").write_text(text.replace("pcp_lib.subjects.example", PACKAGE), encoding="utf-8")
    dashboard = registry.subject_named("dashboard")
    assert dashboard is not None
    shutil.copy(ROOT / "notebooks" / dashboard.notebook, nbs / dashboard.notebook)
    monkeypatch.syspath_prepend(str(pkg.parent))
    # the kernels that run the notebooks import the package too (they inherit the environment)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(pkg.parent), os.environ.get("PYTHONPATH")) if p))
    monkeypatch.delitem(sys.modules, PACKAGE, raising=False)
    monkeypatch.delitem(sys.modules, f"{PACKAGE}.page", raising=False)
    page = __import__(f"{PACKAGE}.page", fromlist=["page"])
    subject = registry.Subject("example", page)
    monkeypatch.setattr(registry, "SUBJECTS", (*registry.SUBJECTS, subject))
    return subject, nbs


def test_the_import_contracts_name_every_subject_by_wildcard():
    """A new package under pcp_lib.subjects is covered without editing the contracts."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    independence = [c for c in contracts if c["type"] == "independence"]
    assert [c["modules"] for c in independence] == [["pcp_lib.subjects.*"]]


def test_the_registry_declares_the_sixth_subject(sixth):
    subject, _ = sixth
    assert registry.subject_named("example") is subject
    assert "50_example.ipynb" in registry.declared_notebooks()
    assert registry.subject_of_notebook("50_example.ipynb") is subject
    assert set(registry.all_returns()) == {r.name for s in registry.SUBJECTS[:-1] for r in s.returns}, (
        "a subject with no returns adds none")


def test_the_front_page_lists_the_sixth_subjects_findings(sixth):
    subject, nbs = sixth
    runs = [{"ok": True, "notebook": nb.name, "audience": "public", "title": nb.stem, "html": f"{nb.stem}.html"}
            for nb in sorted(nbs.glob("*.ipynb"))]
    front = build_front(Q3, "public", runs, nbs, FIXTURE_DATA)
    expected = subject.findings(subject.load(Q3, FIXTURE_DATA))
    assert [p.findings for p in front.pages][-1] == expected
    assert expected[0].text.startswith("The nine LLR local authorities have ")
    assert front.subjects[-1] == SubjectLine("Example subject", "50_example.html"), "its line, from the registry"
    assert '<li><a href="50_example.html">Example subject</a></li>' in render_front(front, "2026-01-02")


def test_a_page_of_no_registered_subject_is_listed_without_findings(tmp_path):
    """No KeyError: a notebook whose subject the registry does not know is listed, no findings."""
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    text = (TEMPLATE / "50_example.ipynb").read_text(encoding="utf-8")
    (nbs / "60_unknown.ipynb").write_text(text.replace("pcp_lib.subjects.example", "pcp_lib.subjects.unknown"),
                                          encoding="utf-8")
    front = build_front(Q3, "public", [{"ok": True, "notebook": "60_unknown.ipynb", "audience": "public",
                                        "title": "Unknown", "html": "60_unknown.html"}], nbs, FIXTURE_DATA)
    assert [(p.html, p.findings) for p in front.pages] == [("60_unknown.html", [])]


@pytest.mark.slow
def test_the_pack_renders_the_sixth_subject_front_page_included(sixth, tmp_path):
    subject, nbs = sixth
    result = run_pack(Q3, "public", data_dir=FIXTURE_DATA, out_dir=tmp_path / "out", jobs=1, progress=False, pdf=False,
                      notebooks=sorted(nbs.glob("*.ipynb")))
    assert result.ok, result.failure_report()
    public = tmp_path / "out" / "2025-26-Q3" / "public"
    page = (public / "50_example.html").read_text(encoding="utf-8")
    assert "1,121,800" in page, "the sixth page shows what its page module computes"
    front = (public / "index.html").read_text(encoding="utf-8")
    assert '<li><a href="50_example.html">Example subject</a></li>' in front, "its line on the front page"
    manifest = json.loads((tmp_path / "out" / "2025-26-Q3" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pages"]["public/50_example.html"]["findings"] is None, (
        "its kernel's registry does not know the test's subject: the front page computed its findings itself")
    assert "The nine LLR local authorities have" not in front, "findings stay on their pages (issue 25)"
