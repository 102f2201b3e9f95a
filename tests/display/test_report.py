"""Report helpers: tables align numbers right and text left (GOV.UK style), deterministically,
and look the same in JupyterLab as in the exported pack (each table carries its style)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from jupyter_core.paths import jupyter_path

from pcp_lib.display.report import HTML, TABLE_CSS, note, numeric_columns, rag_table, table, title_block
from pcp_lib.pack.export import export_html


def test_numeric_columns_read_counts_money_rates_and_changes():
    assert numeric_columns([["38,707", "60,406"], ["+37%", "n/a"], ["-3.6pp", "+0.2pp"], ["£1,234.56", "Nil"],
                            ["999", "101 (non-emergency)"], ["", "–"], ["0.004", "7.60"]]) == [
        True, True, True, False, False, False, True]


def test_table_marks_numeric_cells_and_headers():
    df = pd.DataFrame({"Measure": ["Volume", "Answered within 10 seconds"], "Q3 2025/26": ["52,898", "91.1%"],
                       "Change (pp)": ["", "-4.9pp"], "Target": ["", "at least 90% (national)"]})
    page = table(df, caption="Caption").data
    assert '<th class="num">Q3 2025/26</th>' in page and "<th>Measure</th>" in page
    assert '<td class="num">52,898</td>' in page and "<td>Volume</td>" in page
    assert "<td>at least 90% (national)</td>" in page and '<td class="num">-4.9pp</td>' in page
    assert page.count("<tr>") == 3 and "<caption>Caption</caption>" in page  # header and two rows


def test_rag_table_keeps_word_and_symbol_and_aligns_numbers():
    page = rag_table(pd.DataFrame({"Metric": ["Victim satisfaction"], "Latest": ["72.1%"], "RAG": ["✖ Red"]})).data
    assert '<td class="num">72.1%</td>' in page and "✖ Red</td>" in page and "<td>Victim satisfaction</td>" in page


def test_every_table_carries_its_scoped_style_once():
    df = pd.DataFrame({"Measure": ["Volume"], "Q3": ["52,898"]})
    for page in (table(df, "C").data, rag_table(df.assign(RAG=["✔ Green"])).data):
        assert page.startswith(TABLE_CSS) and page.count("<style>") == 1
    rules = re.findall(r"([^{}]+)\{[^}]*\}", TABLE_CSS.removeprefix("<style>").removesuffix("</style>"))
    selectors = [s.strip() for rule in rules for s in rule.split(",")]
    assert selectors and all(".pcp-table" in s for s in selectors), "scoped: nothing outside a pcp table"
    assert table(df, "C").data == table(df, "C").data, "deterministic"


def test_note_and_title_block_escape_their_text():
    assert "&lt;b&gt;" in note("<b>", "warning").data and "Data quality" in note("x", "warning").data
    block = title_block("T & U", "2025-26 Q3", "Why?", ["a <file>"], audience="restricted").data
    assert "T &amp; U: Q3 2025/26" in block and "a &lt;file&gt;" in block and "RESTRICTED version" in block
    assert not re.search(r"<h[1-6]", block), "the title is the notebook's own heading: printed once"
    assert "Why?" not in block and "Question" not in block, "the question is the notebook's own intro: printed once"
    assert repr(HTML("<p>x</p>")) == "<HTML>", "a fixed text fallback keeps executed notebooks identical"


# ---- the same look in JupyterLab as in the pack (headless Chromium) -----------------------

def _lab_css() -> str:
    """JupyterLab's own style sheets (as nbconvert's lab template ships them)."""
    for base in jupyter_path("nbconvert", "templates", "lab", "static"):
        index, theme = Path(base) / "index.css", Path(base) / "theme-light.css"
        if index.exists():
            return index.read_text(encoding="utf-8") + theme.read_text(encoding="utf-8")
    pytest.skip("nbconvert's lab template style sheets not found")


def _in_lab(fragment: str) -> str:
    """A table as JupyterLab shows an output: its theme, the output area's classes, no pack template."""
    return (f"<!DOCTYPE html><html><head><style>{_lab_css()}</style></head><body class='jp-Notebook'>"
            f"<div class='jp-RenderedHTMLCommon jp-RenderedHTML jp-OutputArea-output' "
            f"data-mime-type='text/html'>{fragment}</div></body></html>")


def _in_pack(fragment: str) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("t", outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": fragment})])]
    return export_html(nb, "t")


_LOOK = """() => Array.from(document.querySelectorAll(
    'table.pcp-table caption, table.pcp-table th, table.pcp-table td')).map(e => { const s = getComputedStyle(e);
    return [e.textContent, s.textAlign, s.fontWeight, s.whiteSpace, s.paddingLeft, s.borderBottomWidth]; })"""


def _look(browser, page_html: str, tmp_path: Path, name: str) -> list:
    path = tmp_path / f"{name}.html"
    path.write_text(page_html, encoding="utf-8")
    page = browser.new_page()
    page.goto(path.as_uri(), wait_until="load")
    look = page.evaluate(_LOOK)
    page.close()
    return look


@pytest.mark.slow
def test_tables_look_the_same_in_jupyterlab_as_in_the_pack(chromium, tmp_path):
    df = pd.DataFrame({"Measure": ["Volume", "Answered within 10 seconds"], "Q3 2025/26": ["52,898", "91.1%"],
                       "Change": ["+4%", "-4.9pp"]})
    fragment = table(df, "Table 1: 999 calls").data
    lab = _look(chromium, _in_lab(fragment), tmp_path, "lab")
    pack = _look(chromium, _in_pack(fragment), tmp_path, "pack")
    assert lab == pack
    align = {text: a for text, a, *_ in lab}
    assert align["Volume"] == "left" and align["Measure"] == "left", "text left, not the lab's right"
    assert align["52,898"] == "right" and align["-4.9pp"] == "right"
    caption = lab[0]
    assert caption[0] == "Table 1: 999 calls" and caption[1] == "left" and int(caption[2]) >= 700
    # the test could fail: without its style, JupyterLab right-aligns every cell
    bare = _look(chromium, _in_lab(fragment.removeprefix(TABLE_CSS)), tmp_path, "bare")
    assert {text: a for text, a, *_ in bare}["Volume"] == "right"
