"""Write the Word template of the Plan Delivery Update (``pcp_lib/pack/templates/paper/
plan_delivery_update.docx``), from which ``pcp run`` builds each audience's ``paper.docx``.

The template holds only the look of the paper: A4 page and margins, the header and footer
(the security marking, centred, at top and foot; the page number), and named styles that the
builder uses and the OPCC can restyle in Word (Home > Styles > Modify) without touching code:

- ``Security Marking``, ``Masthead``, ``Masthead Line``, ``Meeting``, ``Paper Title``: the top of page 1;
- ``Section Heading``: the unnumbered bold headings;
- ``Numbered Paragraph`` / ``Numbered Sub-paragraph``: paragraphs numbered 1, 2, 3 ... through the
  whole paper, and a, b, c under them (Word's own list numbering, so an officer who inserts a
  paragraph sees the rest renumbered);
- ``Officer Placeholder``: a section only an officer can write (italic, and its words say so);
- ``End of Report``, ``Appendix Heading``, ``Table Text``, ``Table Heading``, ``Table Note``.

Deterministic: the document's properties carry fixed dates, and the zip entries a fixed time,
so running it again gives the same bytes. Run:
    .venv/bin/python scripts/make_paper_template.py
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from pcp_lib.paper.word import NUM_ID, normalise_zip

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "pcp_lib" / "pack" / "templates" / "paper" / "plan_delivery_update.docx"
FONT = "Arial"
FIXED = datetime(2026, 1, 1)


def _paragraph_style(doc: docx.document.Document, name: str, size: float, *, bold: bool = False,
                     italic: bool = False, align: WD_ALIGN_PARAGRAPH | None = None, before: float = 0,
                     after: float = 6, keep_next: bool = False, base: str = "Normal"):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base]
    style.quick_style = True
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.keep_with_next = keep_next
    if align is not None:
        fmt.alignment = align
    return style


def _numbering(doc: docx.document.Document) -> None:
    """One list for the whole paper: level 0 "1.", level 1 "a."; both styles point at it."""
    numbering = doc.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NUM_ID}">'
        '<w:multiLevelType w:val="twoLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:tabs><w:tab w:val="num" w:pos="567"/></w:tabs><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="%2."/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:tabs><w:tab w:val="num" w:pos="1134"/></w:tabs><w:ind w:left="1134" w:hanging="567"/></w:pPr></w:lvl>'
        '</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:  # abstractNums come before every num
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{NUM_ID}"><w:abstractNumId w:val="{NUM_ID}"/></w:num>'))
    for name, level in (("Numbered Paragraph", 0), ("Numbered Sub-paragraph", 1)):
        ppr = doc.styles[name].element.get_or_add_pPr()
        ppr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{NUM_ID}"/></w:numPr>'))


def _page_field(paragraph) -> None:
    """"Page N" with Word's PAGE field (updated by Word and LibreOffice as they lay out)."""
    paragraph.add_run("Page ")
    paragraph._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


#: The styles this script adds (the builder names them, and the OPCC restyles them in Word).
OURS = ("Security Marking", "Masthead", "Masthead Line", "Meeting", "Paper Title", "Section Heading",
        "Numbered Paragraph", "Numbered Sub-paragraph", "Officer Placeholder", "End of Report", "Appendix Heading",
        "Table Text", "Table Heading", "Table Note")


def _prune_styles(doc: docx.document.Document, used: set[str]) -> None:
    """Delete every style the paper does not use (python-docx's default template holds 178),
    keeping each used style's bases and the document's default style of each type. Why: every
    style python-docx sets scans the whole style list for its type's default, so the builder's
    1,600 or so table cells took about 2 s per paper with 178 styles; Word offers its built-in
    styles again when an officer picks one."""
    keep = set(used)
    for name in used:
        style = doc.styles[name]
        while style.base_style is not None:
            style = style.base_style
            keep.add(style.name)
    for kind in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE, WD_STYLE_TYPE.LIST):
        default = doc.styles.default(kind)
        if default is not None:
            keep.add(default.name)
    for style in list(doc.styles):
        if style.name not in keep:
            style.delete()


def build() -> bytes:
    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(6)

    _paragraph_style(doc, "Security Marking", 11, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _paragraph_style(doc, "Masthead", 16, bold=True, after=0)
    _paragraph_style(doc, "Masthead Line", 11, after=0)
    _paragraph_style(doc, "Meeting", 12, bold=True, before=12, after=6)
    _paragraph_style(doc, "Paper Title", 14, bold=True, before=6, after=12)
    _paragraph_style(doc, "Section Heading", 11, bold=True, before=12, after=6, keep_next=True)
    _paragraph_style(doc, "Numbered Paragraph", 11, after=6)
    _paragraph_style(doc, "Numbered Sub-paragraph", 11, after=3)
    placeholder = _paragraph_style(doc, "Officer Placeholder", 11, italic=True, after=6)
    placeholder.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    _paragraph_style(doc, "End of Report", 11, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0)
    _paragraph_style(doc, "Appendix Heading", 12, bold=True, after=6, keep_next=True)
    _paragraph_style(doc, "Table Text", 8.5, after=0)
    _paragraph_style(doc, "Table Heading", 8.5, bold=True, after=0, keep_next=True)
    _paragraph_style(doc, "Table Note", 9, italic=True, before=3, after=6)
    _numbering(doc)
    _prune_styles(doc, set(OURS) | {"Normal", "Table Grid"})

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    section.header.paragraphs[0].text = "OFFICIAL"
    section.header.paragraphs[0].style = doc.styles["Security Marking"]
    foot = section.footer.paragraphs[0]
    foot.text = "OFFICIAL"
    foot.style = doc.styles["Security Marking"]
    page = section.footer.add_paragraph(style=doc.styles["Table Text"])
    page.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(page)

    # the template's body is empty: the builder writes every paragraph
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    props = doc.core_properties
    props.title = "Police and Crime Plan Delivery Update"
    props.author = "pcp"
    props.last_modified_by = "pcp"
    props.created = props.modified = FIXED
    props.revision = 1
    props.comments = "Template for pcp's paper.docx; restyle its named styles in Word. Made by scripts/make_paper_template.py"
    buf = BytesIO()
    doc.save(buf)
    return normalise_zip(_without_thumbnail(buf.getvalue()))


_APP = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        b"<Application>pcp (python-docx)</Application></Properties>")


def _without_thumbnail(data: bytes) -> bytes:
    """python-docx's own default template carries a thumbnail picture of another document and
    that document's statistics and application name; the paper has none of them (Word counts
    pages and words itself, and names the application that last saved it)."""
    import re
    import zipfile

    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "docProps/thumbnail.jpeg":
                continue
            blob = src.read(info.filename)
            if info.filename == "_rels/.rels":
                blob = re.sub(rb'<Relationship [^>]*Target="docProps/thumbnail.jpeg"[^>]*/>', b"", blob)
            elif info.filename == "docProps/app.xml":
                blob = _APP
            elif info.filename == "[Content_Types].xml":
                blob = re.sub(rb'<Default Extension="jpeg"[^>]*/>', b"", blob)
            dst.writestr(info, blob)
    return out.getvalue()


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    print(f"wrote {OUT.relative_to(ROOT)}")
