"""Small display helpers for the notebooks, so every page of the pack reads the same way.

Pages (through :mod:`pcp_lib.display.page`) call these instead of formatting HTML
themselves: a title block naming the question, the quarter and the data; boxed notes;
and plain deterministic HTML tables (no random ids, so re-runs are byte-identical).

A table carries its own style sheet (:data:`TABLE_CSS`, scoped to ``table.pcp-table``), so
it looks the same in JupyterLab as in the exported pack: numbers right-aligned, text left,
a bold caption above. Number formatting lives in :mod:`pcp_lib.methods.units`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

import pandas as pd

from pcp_lib.display.palette import RAG_COLOURS, SYNTHETIC_COLOUR, text_on
from pcp_lib.methods.periods import Quarter

__all__ = ["HTML", "NOTE_STYLES", "TABLE_CSS", "banner", "bullet_list", "note", "numeric_columns", "rag_table", "table",
           "title_block"]

NOTE_STYLES = {
    "info": ("ℹ Note", "#12436D"),
    "synthetic": ("⚠ Synthetic data", SYNTHETIC_COLOUR),
    "warning": ("⚠ Data quality", "#F46A25"),
    "coverage": ("⚠ Data coverage", "#F46A25"),
    "restricted": ("■ Restricted", "#3D3D3D"),
}


class HTML:
    """Minimal rich-display object (what IPython.display.HTML does), kept here so the
    library does not import IPython."""

    def __init__(self, data: str) -> None:
        self.data = data

    def _repr_html_(self) -> str:
        return self.data

    def __repr__(self) -> str:
        # The text/plain fallback stored beside the HTML: fixed, so executed notebooks are
        # byte-identical run to run (the default repr carries a memory address).
        return "<HTML>"

    def __str__(self) -> str:
        return self.data


def title_block(title: str, quarter: Quarter | str, question: str, sources: Iterable[str],
                audience: str = "public") -> HTML:
    """The opening of every notebook: for which quarter, from which data, which version.
    The list of the data (``pcp-data-used``) is moved by the pack's export to a "Data used"
    section at the end of the page (pcp_lib.pack.export): a reader meets the question and
    the findings first, the files behind them last; in JupyterLab it stays here.

    The title and the question are the notebook's own: its ``# Title`` heading and the
    sentence under it say what the page asks, in the words written for a reader. Each is
    printed once, so this block adds neither (no second heading, no "Question:" line
    repeating the intro); ``title`` only names the block for screen readers, and
    ``question`` (the page's ``QUESTION``) is taken so every page calls it the same way but
    is not printed."""
    q = Quarter.parse(quarter)
    items = "".join(f"<li>{html.escape(s)}</li>" for s in sources)
    aud = "Public version: restricted figures are withheld." if audience == "public" else \
        "RESTRICTED version: contains figures not for publication."
    return HTML(
        f'<div class="pcp-title" role="region" aria-label="{html.escape(title)}: {html.escape(q.label)}">'
        f"<p><strong>Quarter:</strong> {html.escape(q.label)} ({html.escape(q.month_names)}).</p>"
        f"<p><em>{html.escape(aud)}</em></p></div>"
        f'<div class="pcp-data-used"><p class="pcp-data-label"><strong>Data used:</strong></p><ul>{items}</ul></div>'
    )


def note(text: str, kind: str = "info") -> HTML:
    """A boxed note. ``kind``: info, synthetic, warning, coverage, restricted."""
    label, colour = NOTE_STYLES[kind]
    return HTML(
        f'<div class="pcp-note pcp-note-{kind}" style="border-left:6px solid {colour};'
        f'padding:0.5em 1em;margin:0.8em 0;background:#F8F8F8">'
        f"<strong>{html.escape(label)}:</strong> {html.escape(text)}</div>"
    )



def banner(text: str) -> HTML:
    """A banner across the top of a page for what a reader must know before anything else
    (a part quarter: "PARTIAL: ..."); its first word in bold, an ARIA alert, never colour alone."""
    first, _, rest = text.partition(" ")
    return HTML(
        '<div class="pcp-note pcp-banner" role="alert" style="border:3px solid #D4351C;'
        'padding:0.5em 1em;margin:0.8em 0;background:#FDF2F0">'
        f"<strong>{html.escape(first)}</strong> {html.escape(rest)}</div>"
    )


# The style of every table, shipped with the table itself: JupyterLab shows a notebook's
# output without the pack's export template, and its theme right-aligns every cell and leaves
# captions plain. Selectors are scoped to ``table.pcp-table`` and made more specific than the
# lab theme's (``.jp-RenderedHTMLCommon td``), which the exported page also carries.
_TABLE_RULES = (
    ".pcp-table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0 1em 0; }",
    ".jp-RenderedHTMLCommon table.pcp-table th, .jp-RenderedHTMLCommon table.pcp-table td, "
    "table.pcp-table th, table.pcp-table td { border-bottom: 1px solid #DDDDDD; padding: 4px 8px; "
    "text-align: left; vertical-align: top; }",
    ".jp-RenderedHTMLCommon table.pcp-table th.num, .jp-RenderedHTMLCommon table.pcp-table td.num, "
    "table.pcp-table th.num, table.pcp-table td.num { text-align: right; white-space: nowrap; }",
    # a header wraps (a numeric column's long heading kept on one line made tables wider than the page)
    ".jp-RenderedHTMLCommon table.pcp-table th.num, table.pcp-table th.num { white-space: normal; }",
    "table.pcp-table caption { caption-side: top; text-align: left; font-weight: bold; padding: 4px 0; }",
    # a table wider than the page scrolls sideways inside its own box, with a scrollbar always
    # shown (not an overlay that appears on hover), and the box takes the keyboard focus so it
    # can be scrolled with the arrow keys (WCAG 2.1.1); in print it is not a scroller at all
    # (templates/static/pcp.css): a printed table never scrolls, so it must fit (it does).
    ".pcp-table-scroll { overflow-x: auto; max-width: 100%; scrollbar-width: auto; scrollbar-color: #505A5F #F3F2F1; }",
    ".pcp-table-scroll::-webkit-scrollbar { height: 12px; background: #F3F2F1; }",
    ".pcp-table-scroll::-webkit-scrollbar-thumb { background: #505A5F; border-radius: 6px; }",
    ".pcp-table-scroll:focus { outline: 3px solid #FFDD00; outline-offset: 0; }",
)
#: The table style sheet, one ``<style>`` block emitted before each table (deterministic).
TABLE_CSS = "<style>" + " ".join(_TABLE_RULES) + "</style>"

# A cell that reads as a number: a count, money, a rate, a change in % or pp ("+36%", "-3.6pp",
# "£1,234.56", "0.004"). Columns of these are right-aligned, text left (GOV.UK table style).
_NUMBER = re.compile(r"^[+\-−]?£?\d[\d,]*(\.\d+)?\s?(%|pp)?$")
_BLANK = {"", "n/a", "n/a (from zero)", "–", "-"}


def numeric_columns(columns: list[list[str]]) -> list[bool]:
    """For each column's cell texts: True when every non-blank cell reads as a number."""
    out = []
    for texts in columns:
        filled = [t.strip() for t in texts if t.strip() not in _BLANK]
        out.append(bool(filled) and all(_NUMBER.match(t) for t in filled))
    return out


def _cell(text: str, numeric: bool, tag: str = "td") -> str:
    return f'<{tag} class="num">{text}</{tag}>' if numeric else f"<{tag}>{text}</{tag}>"


def _html_table(df: pd.DataFrame, caption: str | None, classes: str, escape: bool = True,
                special: dict[str, Callable[[str], str]] | None = None) -> HTML:
    """The one table builder: cells as text (blank for missing), numeric columns marked
    ``num`` (right-aligned), ``special`` columns drawn by their own function of the text."""
    texts = {c: ["" if pd.isna(v) else str(v) for v in df[c]] for c in df.columns}
    numeric = dict(zip(df.columns, numeric_columns(list(texts.values())), strict=True))
    show = html.escape if escape else str
    head = "".join(_cell(html.escape(str(c)), numeric[c], "th") for c in df.columns)
    rows = []
    for i in range(len(df)):
        cells = [special[c](texts[c][i]) if special and c in special else _cell(show(texts[c][i]), numeric[c])
                 for c in df.columns]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    name = html.escape(caption or "Table", quote=True)
    return HTML(f'{TABLE_CSS}<div class="pcp-table-scroll" role="region" tabindex="0" aria-label="{name}">'
                f'<table class="{classes}">{cap}<thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table></div>")


def table(df: pd.DataFrame, caption: str | None = None, *, index: bool = False,
          classes: str = "pcp-table", escape: bool = True,
          special: dict[str, Callable[[str], str]] | None = None) -> HTML:
    """A plain HTML table with a caption, numbers right-aligned and text left, carrying its
    style (:data:`TABLE_CSS`); deterministic output (no random ids). ``special`` columns are
    drawn by their own function of the cell text (e.g. an SPC icon with its words)."""
    return _html_table(df.reset_index() if index else df, caption, classes, escape, special)


def bullet_list(lines: Iterable[str]) -> HTML:
    """A bulleted list of sentences (escaped)."""
    return HTML("<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in lines) + "</ul>")




def rag_table(df: pd.DataFrame, rag_column: str = "RAG", caption: str | None = None) -> HTML:
    """An HTML table whose RAG cells are coloured *and* carry the symbol and word, so the
    status never rests on colour alone. The fills differ in lightness too (``RAG_COLOURS``),
    and print as they show (``print-color-adjust``), so they also read in black and white."""

    def rag_cell(text: str) -> str:
        word = text.split(" ", 1)[-1] if " " in text else text
        colour = RAG_COLOURS.get(word, "#FFFFFF")
        fg = text_on(colour)
        return (f'<td class="pcp-rag" style="background:{colour};color:{fg};font-weight:bold;white-space:nowrap;'
                f'print-color-adjust:exact;-webkit-print-color-adjust:exact">{html.escape(text)}</td>')

    return _html_table(df, caption, "pcp-table pcp-rag-table", special={rag_column: rag_cell})
