"""The paper laid out as a Word document (python-docx), in the OPCC's layout, on a template
whose named styles the OPCC can restyle in Word (``pcp_lib/pack/templates/paper/``, written by
``scripts/make_paper_template.py``).

Layout, as in ``000_…``: the security marking at top and foot (the template's header and
footer, its words set here); the masthead and the meeting; the metadata table; unnumbered
bold section headings with paragraphs numbered 1, 2, 3 ... through the paper (Word's own list
numbering, one list, so an officer who adds a paragraph sees the rest renumbered; a, b, c
under a paragraph); "End of Report"; then a section break to landscape pages for Appendix 1
(grouped by delivery strategy: the strategy cell spans its rows) and Appendix 2.

Deterministic: the same paper gives the same bytes. The document's properties carry the
quarter's end as their date and no revision counter that grows; the zip is written again with
its entries in the same order and a fixed time (:func:`normalise_zip`).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm
from docx.table import Table
from lxml import etree

from pcp_lib.paper.content import APPENDIX_COLUMNS, EXTENDED_COLUMNS, Paper

__all__ = ["NUM_ID", "PAPER_NAME", "docx_text", "normalise_zip", "paper_bytes", "write_paper"]

#: The file each audience's pack holds.
PAPER_NAME = "paper.docx"
#: The Word list the numbered paragraphs share (defined by the template).
NUM_ID = 90
_STYLE = {"numbered": "Numbered Paragraph", "sub": "Numbered Sub-paragraph", "placeholder": "Officer Placeholder",
          "plain": "Normal"}
#: Fills beside the RAG's symbol and word (never the only cue): light, mid and dark, distinct in grey too.
_RAG_FILL = {"Green": "D9EAD3", "Amber": "FFE599", "Red": "E6B8AF", "No data": "FFFFFF", "Restricted": "D9D9D9"}
#: Column widths (cm) on a landscape A4 page with 2.2 cm margins (25.3 cm across).
_APPENDIX_WIDTHS = (1.4, 3.2, 7.0, 1.8, 2.6, 2.4, 2.2, 1.8, 2.4)
_EXTENDED_WIDTHS = (1.4, 4.6, 3.2, 2.4, 4.4, 2.4, 3.0, 1.5, 2.4)


def normalise_zip(data: bytes) -> bytes:
    """The same zip with every entry at a fixed time and with fixed attributes, in the same
    order: python-docx stamps each entry with the time it was written."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def _set_marking(doc: docx.document.Document, marking: str) -> None:
    """The template's header and footer carry the marking in their first paragraph."""
    section = doc.sections[0]
    for part in (section.header, section.footer):
        part.paragraphs[0].text = marking


def _shade(tc, fill: str) -> None:
    """A cell's fill (``tc``: its ``w:tc`` element)."""
    tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def _runs(values: Sequence[str]) -> list[tuple[int, int]]:
    """The runs of equal neighbouring values, as (first, last) indexes."""
    out: list[tuple[int, int]] = []
    for i, v in enumerate(values):
        if out and values[out[-1][0]] == v:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def _table(doc: docx.document.Document, columns: Sequence[str], rows: Sequence[Sequence[str]],
           widths: Sequence[float], rag_col: int | None = None, group_col: int | None = None) -> Table:
    """A grid table: the header row in ``Table Heading``, repeated on every page; cells in
    ``Table Text``; no row split across pages; ``rag_col`` filled by its RAG word (beside the
    symbol and word, never instead); ``group_col``'s runs of equal cells merged into one (the
    paper's grouping by delivery strategy). Row and cell properties python-docx has no call for
    are set on the table's OOXML (``w:tblHeader``, ``w:cantSplit``, ``w:shd``), reached from the
    document's element."""
    runs = _runs([r[group_col] for r in rows]) if group_col is not None else []
    continued = {i for first, last in runs for i in range(first + 1, last + 1)}
    table = doc.add_table(rows=1 + len(rows), cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    # each row's cells taken once, row by row (a column's cells, or a cell by its place, walk the
    # whole table: quadratic in its ~200 rows); the styles looked up once
    heading, text_style = doc.styles["Table Heading"], doc.styles["Table Text"]
    cm = [Cm(w) for w in widths]
    grid = [row.cells for row in table.rows]
    for r, cells in enumerate(grid):
        for i, cell in enumerate(cells):
            if r == 0:
                cell.paragraphs[0].text = columns[i]
            else:
                cell.paragraphs[0].text = "" if i == group_col and r - 1 in continued else rows[r - 1][i]
            cell.paragraphs[0].style = heading if r == 0 else text_style
            cell.width = cm[i]  # every cell (Word reads it) ...
    for i, width in enumerate(cm):  # ... and the grid (LibreOffice does)
        table.columns[i].width = width
    tbl = doc.element.body.findall(qn("w:tbl"))[-1]  # the table just added
    for n, tr in enumerate(tbl.findall(qn("w:tr"))):
        tr_pr = tr.get_or_add_trPr()
        tr_pr.append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))  # a row stays on one page
        if n == 0:
            tr_pr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))  # repeated on every page
        elif rag_col is not None:
            word = rows[n - 1][rag_col].split(" ", 1)[-1]
            _shade(tr.findall(qn("w:tc"))[rag_col], _RAG_FILL.get(word, "FFFFFF"))
    for first, last in runs:
        if last > first and group_col is not None:
            grid[first + 1][group_col].merge(grid[last + 1][group_col])
            # the merge brings the continued cells' empty paragraphs along: the cell keeps its first
            top = tbl.findall(qn("w:tr"))[first + 1].findall(qn("w:tc"))[group_col]
            for extra in top.findall(qn("w:p"))[1:]:
                top.remove(extra)
    return table


def _landscape(doc: docx.document.Document) -> None:
    """A section break to landscape pages (the header and footer follow the first section's)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)


def paper_bytes(paper: Paper, template: Path) -> bytes:
    """The paper as a .docx, on ``template``'s styles, header and footer."""
    doc = docx.Document(str(template))
    _set_marking(doc, paper.marking)
    for i, line in enumerate(paper.masthead):
        doc.add_paragraph(line, style="Masthead" if i == 0 else "Masthead Line")
    doc.add_paragraph(paper.meeting, style="Meeting")
    doc.add_paragraph(paper.meeting_date, style="Masthead Line")
    doc.add_paragraph(paper.title, style="Paper Title")
    meta = doc.add_table(rows=3, cols=2)
    meta.style = doc.styles["Table Grid"]
    for row, (label, value) in zip(meta.rows, (("Report Date", paper.report_date), ("Report Author", paper.author),
                                               ("Security Classification", paper.classification)), strict=True):
        row.cells[0].text, row.cells[1].text = label, value
        row.cells[0].paragraphs[0].runs[0].bold = True
        row.cells[0].width, row.cells[1].width = Cm(5.5), Cm(11.1)
    meta.columns[0].width, meta.columns[1].width = Cm(5.5), Cm(11.1)
    for block in paper.blocks:
        doc.add_paragraph(block.heading, style="Section Heading")
        for para in block.paras:
            doc.add_paragraph(para.text, style=_STYLE[para.kind])
    doc.add_paragraph("----- End of Report -----", style="End of Report")
    if paper.appendix:
        _landscape(doc)
        doc.add_paragraph(paper.appendix_title, style="Appendix Heading")
        _table(doc, APPENDIX_COLUMNS, paper.appendix, _APPENDIX_WIDTHS, rag_col=len(APPENDIX_COLUMNS) - 1,
               group_col=1)
        for note in paper.appendix_notes:
            doc.add_paragraph(note, style="Table Note")
        heading = doc.add_paragraph(paper.extended_title, style="Appendix Heading")
        heading.paragraph_format.page_break_before = True
        _table(doc, EXTENDED_COLUMNS, paper.extended, _EXTENDED_WIDTHS)
        for note in paper.extended_notes:
            doc.add_paragraph(note, style="Table Note")
    props = doc.core_properties
    stamp = datetime(paper.quarter.end.year, paper.quarter.end.month, paper.quarter.end.day)
    props.title = paper.title
    props.subject = f"{paper.quarter.label}, {paper.audience}"
    props.author = props.last_modified_by = "pcp"
    props.created = props.modified = stamp
    props.revision = 1
    props.comments = "Made by pcp from the pack's data; see the pack's manifest.json for its inputs."
    props.keywords = paper.marking
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue())


def write_paper(paper: Paper, template: Path, out: Path) -> Path:
    """Write the paper to ``out`` (its folder made if needed); return ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(paper_bytes(paper, template))
    return out



_W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(data: bytes) -> str:
    """Every word a .docx holds, for scanning it (the leak tests): each XML part's text,
    paragraph by paragraph (body and tables, headers, footers, notes, comments), and the
    document's properties; one line per paragraph."""

    lines: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if not name.endswith(".xml") and not name.endswith(".rels"):
                continue
            root = etree.fromstring(z.read(name))
            paragraphs = root.iter(f"{_W_NS}p")
            found = False
            for p in paragraphs:
                found = True
                lines.append("".join(t.text or "" for t in p.iter(f"{_W_NS}t")))
            if not found or not name.startswith("word/"):
                lines += [s for s in (re.sub(r"\s+", " ", x).strip() for x in root.itertext()) if s]
    return "\n".join(lines)
