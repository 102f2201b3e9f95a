"""Every notebook has the page contract's one shape: a title, the parameters cell, a cell
that loads the page and shows its opening, then for each section a heading and one call.

The headings and calls come from the subject's ``page.SECTIONS``, so a notebook cannot drift
from its page module, and it holds no logic, no typed-in lists and no labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pcp_lib.subjects.registry import subject_of_notebook, subjects

ROOT = Path(__file__).resolve().parent.parent
#: Every notebook the subjects' registry declares (a missing one fails below, not silently).
NOTEBOOKS = [ROOT / "notebooks" / s.notebook for s in subjects()]
PARAMETERS = 'quarter = "2025-26 Q3"\ndata_dir = None\naudience = "public"'


def _cells(path: Path) -> list[tuple[str, str, list[str]]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c["cell_type"], "".join(c["source"]).strip(), c["metadata"].get("tags", [])) for c in nb["cells"]]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_follows_the_page_contract(path):
    assert path.is_file(), f"the registry declares {path.name}, which is missing"
    found = subject_of_notebook(path)
    assert found is not None
    subject, page = found.name, found.page
    cells = _cells(path)
    kind, text, _ = cells[0]
    assert kind == "markdown" and text.startswith("# "), "first cell: the title"
    kind, text, tags = cells[1]
    assert kind == "code" and "parameters" in tags and text == PARAMETERS
    assert cells[2][:2] == ("code", f"from pcp_lib.subjects.{subject} import page\n\n"
                                    "ctx = page.load(quarter, data_dir, audience)\npage.title(ctx)")
    expected = []
    for heading, fn in page.SECTIONS:
        expected.append(("markdown", f"## {heading}"))
        expected.append(("code", f"page.{fn.__name__}(ctx)"))
    got = [(k, t.split("\n", 1)[0] if k == "markdown" else t) for k, t, _ in cells[3:]]
    assert got == expected


def test_every_numbered_notebook_is_a_registered_subjects():
    shipped = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert shipped == sorted(NOTEBOOKS), "a notebook of the pack that no subject declares, or the other way"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_kernel_is_the_project_kernel(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"] == {"name": "pcp", "display_name": "Python (pcp)", "language": "python"}
