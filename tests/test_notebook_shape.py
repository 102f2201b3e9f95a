"""Every notebook has the page contract's one shape: a title, the parameters cell, a cell
that loads the page and shows its opening, then for each section a heading and one call.

The headings and calls come from the subject's ``page.SECTIONS``, so a notebook cannot drift
from its page module, and it holds no logic, no typed-in lists and no labels."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SUBJECT_OF = {"00": "dashboard", "10": "contact", "20": "dtoa", "30": "csp", "40": "crime"}
PARAMETERS = 'quarter = "2025-26 Q3"\ndata_dir = None\naudience = "public"'


def _cells(path: Path) -> list[tuple[str, str, list[str]]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c["cell_type"], "".join(c["source"]).strip(), c["metadata"].get("tags", [])) for c in nb["cells"]]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_follows_the_page_contract(path):
    subject = SUBJECT_OF[path.name[:2]]
    page = importlib.import_module(f"pcp_lib.subjects.{subject}.page")
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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_kernel_is_the_project_kernel(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"] == {"name": "pcp", "display_name": "Python (pcp)", "language": "python"}
