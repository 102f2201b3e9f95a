"""Export: a notebook becomes one deterministic, self-contained page with the code hidden."""

from __future__ import annotations

import base64
import copy
import re

import nbformat

from pcp_lib.display.report import TABLE_CSS
from pcp_lib.pack.export import REMOVE_TAG, clean_notebook, export_html, notebook_title

# a 1 x 1 PNG
PIXEL = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")).decode()


def _notebook():
    v4 = nbformat.v4
    nb = v4.new_notebook()
    nb.metadata["papermill"] = {"input_path": "/home/someone/notebooks/x.ipynb"}
    shown = v4.new_code_cell("secret_code = 42", execution_count=1, outputs=[
        v4.new_output("stream", name="stderr", text="/home/someone/.venv/lib/warning"),
        v4.new_output("stream", name="stdout", text="visible words"),
        v4.new_output("display_data", data={"text/html": f'{TABLE_CSS}<table class="pcp-table"><tr><td>cell'
                                                         "</td></tr></table>"}),
        v4.new_output("display_data", data={"image/png": PIXEL}, metadata={"image/png": {"alt": "A chart title"}}),
    ])
    shown.metadata["papermill"] = {"duration": 1.23}
    hidden = v4.new_code_cell("x", execution_count=2, outputs=[
        v4.new_output("stream", name="stdout", text="removed output")])
    hidden.metadata["tags"] = [REMOVE_TAG]
    nb.cells = [v4.new_markdown_cell("Intro without a heading"), v4.new_markdown_cell("# The page title\n\nWhy."),
                shown, hidden]
    return nb


def test_clean_notebook_drops_timings_paths_and_stderr():
    nb = _notebook()
    clean_notebook(nb)
    assert "papermill" not in nb.metadata and "papermill" not in nb.cells[2].metadata
    assert [c["id"] for c in nb.cells] == ["cell-0", "cell-1", "cell-2", "cell-3"]
    assert [o.get("name") for o in nb.cells[2].outputs] == ["stdout", None, None]


def test_notebook_title_is_the_first_heading():
    assert notebook_title(_notebook(), "fallback") == "The page title"
    assert notebook_title(nbformat.v4.new_notebook(), "fallback") == "fallback"


def test_export_hides_code_and_removed_cells_and_stays_offline():
    nb = _notebook()
    clean_notebook(nb)
    page = export_html(copy.deepcopy(nb), "The page title")
    assert "visible words" in page and "<td>cell</td>" in page
    assert "secret_code" not in page, "code is hidden"
    assert "removed output" not in page, "cells tagged remove_cell are dropped"
    assert "/home/someone" not in page
    assert 'alt="A chart title"' in page
    assert "<title>The page title</title>" in page and '<html lang="en">' in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "no outside addresses"
    assert page == export_html(copy.deepcopy(nb), "The page title"), "deterministic"


def test_export_template_leaves_table_style_to_the_tables():
    """The table rules live once, in report.TABLE_CSS, shipped with each table."""
    nb = _notebook()
    page = export_html(nb, "t")
    assert page.count("table.pcp-table td.num") == TABLE_CSS.count("table.pcp-table td.num")
