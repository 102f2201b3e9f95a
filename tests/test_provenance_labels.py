"""Provenance cannot be dropped: mark one input at a time SYNTHETIC and every page that reads it
labels what it built from it, naming the file, while pages that do not read it stay unlabelled.

The truth of which page reads which input is not what the pages declare but what they read: the
provenance ledger records every file a loader described while the page rendered. The data folder
is a copy of the tests' own (``tests/fixtures/data``) with every SYNTHETIC sidecar neutralised first, so each flip is the
only synthetic input (apart from data the pages make by code, e.g. simulated call records,
which are labelled by their generator's name and never by a file's).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core import provenance
from pcp_lib.display.page import render_html
from pcp_lib.subjects.registry import subject_named, subjects

QUARTER = "2025-26 Q3"
SUBJECTS = tuple(s.name for s in subjects())
LABEL = re.compile(r"SYNTHETIC data \(([^)]*)\)")

pytestmark = pytest.mark.slow


def _render(subject: str, data: Path) -> tuple[str, list[str]]:
    page = subject_named(subject).page
    provenance.reset_ledger()
    html = render_html(page.load, page.title, page.SECTIONS, QUARTER, data, "public", images=False)
    return html, provenance.files_read()


def _labelled(html: str) -> set[str]:
    """Names of inputs some SYNTHETIC label on the page names."""
    return {n.strip() for m in LABEL.finditer(html) for n in m.group(1).split(",")}


def _after_title(html: str) -> str:
    """The page below its opening (headings start the sections): labels here are on tables,
    charts and sentences, not the opening's notes."""
    i = html.find("<h2>")
    return html[i:] if i >= 0 else ""


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("flip") / "data"
    shutil.copytree(FIXTURE_DATA, d)
    for side in d.rglob("*.source.txt"):
        text = side.read_text(encoding="utf-8")
        if text.upper().startswith("SYNTHETIC"):
            side.write_text("TEST COPY (not marked synthetic for this test): " + text, encoding="utf-8")
    return d


def _data_file(shown: str, data: Path) -> Path | None:
    """The file under the test data folder that a ledger entry names (None for generators)."""
    parts = Path(shown).parts
    for i in range(len(parts)):
        cand = data.joinpath(*parts[i:])
        if cand.is_file():
            return cand
    return None


def test_every_page_labels_exactly_the_synthetic_inputs_it_reads(data, capsys):
    baseline = {s: _render(s, data) for s in SUBJECTS}
    read = {s: {f: _data_file(f, data) for f in files} for s, (_, files) in baseline.items()}
    # without any flip, no page names a data file as synthetic
    for s, (html, _) in baseline.items():
        files_named = {n for n in _labelled(html) if any(p and p.name == n for p in read[s].values())}
        assert files_named == set(), (s, files_named)

    inputs: dict[Path, None] = {}
    for s in SUBJECTS:
        for p in read[s].values():
            if p is not None:
                inputs[p] = None
    matrix: dict[str, dict[str, str]] = {}
    for path in inputs:
        side = path.with_name(path.name + ".source.txt")
        before = side.read_text(encoding="utf-8") if side.exists() else None
        side.write_text("SYNTHETIC (test flip): this input is marked synthetic for the test.", encoding="utf-8")
        try:
            row = {}
            for s in SUBJECTS:
                if path in read[s].values():
                    html, _ = _render(s, data)
                    assert path.name in _labelled(html), f"{s} reads {path.name} but never labels it"
                    assert path.name in _labelled(_after_title(html)), (
                        f"{s} names {path.name} only in its opening, on nothing it built from it")
                    row[s] = "labelled"
                else:
                    assert path.name not in _labelled(baseline[s][0])
                    row[s] = "-"
            matrix[str(path.relative_to(data))] = row
        finally:
            if before is None:
                side.unlink()
            else:
                side.write_text(before, encoding="utf-8")
    with capsys.disabled():
        width = max(len(k) for k in matrix)
        print("\n" + "input".ljust(width) + "  " + "  ".join(s.ljust(9) for s in SUBJECTS))
        for k, row in sorted(matrix.items()):
            print(k.ljust(width) + "  " + "  ".join(row[s].ljust(9) for s in SUBJECTS))
    assert len(matrix) >= 10
