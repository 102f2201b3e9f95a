"""The Plan Delivery Update as a Word paper (issue 25 item 1), read back as Word reads it
(python-docx): its layout as in ``000_…``, Appendix 1 cell for cell against the dashboard,
the Panel's extended appendix, numbering, disclosure and determinism; and, slow, the paper
converted to PDF by LibreOffice and its pages read back."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT

from pcp_lib.methods import rag
from pcp_lib.paper.content import build_paper, extended_rows
from pcp_lib.paper.word import NUM_ID, docx_text, paper_bytes
from pcp_lib.reference.rag_bands import load_bands
from pcp_lib.subjects.dashboard import assess
from pcp_lib.subjects.dashboard import page as dashboard_page

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "pcp_lib" / "pack" / "templates" / "paper" / "plan_delivery_update.docx"
QUARTER = "2025-26 Q3"
#: Appendix 1's headers, typed from the paper (000_5c38b58c372c3f4f.txt), not from the code
NINE = ["Serial No", "Delivery Strategy", "Metric", "Headline/Sub", "Target/Expectation", "Baseline 2024/25",
        "Latest", "Direction", "RAG"]


@pytest.fixture(scope="module")
def papers() -> dict[str, bytes]:
    """Each audience's paper for Q3 2025/26 from the shipped data, as bytes."""
    return {aud: paper_bytes(build_paper(QUARTER, aud), TEMPLATE) for aud in ("public", "restricted")}


@pytest.fixture(scope="module")
def withheld_papers(tmp_path_factory) -> tuple[dict[str, bytes], Path]:
    """Each audience's paper for Q3 2025/26 from a copy of the data in which serial 7 is withheld
    (the register's default, without the Q3 paper's decision to publish it): the leak tests read
    these, so that they can fail."""
    from conftest import withheld_copy
    data = withheld_copy(tmp_path_factory.mktemp("withheld_paper") / "data")
    return {aud: paper_bytes(build_paper(QUARTER, aud, data), TEMPLATE) for aud in ("public", "restricted")}, data


def _doc(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _appendix(doc: docx.document.Document) -> docx.table.Table:
    return next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == NINE)


def _cells(table: docx.table.Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.mark.parametrize("audience", ["public", "restricted"])
def test_appendix_1_is_the_papers_nine_columns_with_the_dashboards_values(papers, audience):
    doc = _doc(papers[audience])
    table = _appendix(doc)
    rows = _cells(table)[1:]
    assert len(rows) == 40
    ctx = dashboard_page.load(QUARTER, None, audience)
    assert ctx.table is not None
    shown = assess.display_table(ctx.table.sort_values("serial"))
    level = dict(zip(ctx.register["serial"].astype(str), ctx.register["level"], strict=True))
    want = [[r["No"], r["Delivery strategy"], r["Metric"], level[r["No"]], r["Target"], r["Baseline 2024/25"],
             r["Latest"], r["Direction"] or "n/a", r["RAG"]] for r in shown.to_dict("records")]
    assert rows == want
    serials = [int(r[0]) for r in rows]
    assert serials == sorted(serials) and serials[0] == 1 and serials[-1] == 83
    by_serial = {r[0]: r for r in rows}
    assert by_serial["34"][5:] == ["70", "30", "↓", "✖ Red"]  # the paper's 70 -> 30, Red by the agreed rule
    for r in rows:  # RAG as symbol and word, never colour alone
        assert re.fullmatch(r"[✔●✖–■] (Green|Amber|Red|No data|Restricted)", r[8]), r[8]
    # Q3 2025/26 publishes serial 7 as the paper does (issue 24); serial 25 has no value: No data
    assert by_serial["7"][5:] == ["62.7%", "60.4%", "↓", "✖ Red"]
    assert by_serial["25"][8] == "– No data"


def test_appendix_1_withholds_what_the_quarter_withholds(withheld_papers):
    papers, _ = withheld_papers
    public = {r[0]: r for r in _cells(_appendix(_doc(papers["public"])))[1:]}
    assert public["7"][5:] == ["Restricted"] * 3 + ["■ Restricted"]
    restricted = {r[0]: r for r in _cells(_appendix(_doc(papers["restricted"])))[1:]}
    assert restricted["7"][5:] == ["62.7%", "60.4%", "↓", "✖ Red"]


def test_appendix_1_is_grouped_by_delivery_strategy(papers):
    """Each strategy's rows follow one another, and its cell spans them (merged, as one group)."""
    table = _appendix(_doc(papers["public"]))
    strategies = [row.cells[1].text for row in table.rows[1:]]
    runs = [s for i, s in enumerate(strategies) if i == 0 or s != strategies[i - 1]]
    assert len(runs) == len(set(runs)) == 14, "each strategy once, in one run of rows"
    merged = [tc for tc in table._tbl.iter() if tc.tag.endswith("}vMerge")]
    assert len(merged) == 40 - 14 + sum(1 for s in set(strategies) if strategies.count(s) > 1), \
        "a strategy of n rows: one cell that starts the merge and n-1 that continue it"


def test_layout_as_in_the_opccs_paper(papers):
    doc = _doc(papers["public"])
    first, landscape = doc.sections[0], doc.sections[-1]
    assert first.header.paragraphs[0].text == "OFFICIAL" and first.footer.paragraphs[0].text == "OFFICIAL"
    assert landscape.header.is_linked_to_previous and landscape.footer.is_linked_to_previous
    assert first.orientation == WD_ORIENT.PORTRAIT and first.page_width < first.page_height
    assert landscape.orientation == WD_ORIENT.LANDSCAPE and landscape.page_width > landscape.page_height
    texts = [p.text for p in doc.paragraphs]
    assert texts[:6] == ["POLICE & CRIME COMMISSIONER", "for Leicester, Leicestershire & Rutland",
                         "Your Communities - Your Commissioner",
                         "Police and Crime Panel for Leicester, Leicestershire and Rutland",
                         "21st April 2026", "Police and Crime Plan Delivery Update (Q3 2025/26)"]
    meta = _cells(doc.tables[0])
    assert meta == [["Report Date", "21st April 2026"],
                    ["Report Author", "Lizzie Starr, Director of Governance and Performance"],
                    ["Security Classification", "Official"]]
    headings = [p for p in doc.paragraphs if p.style.name == "Section Heading"]
    assert [h.text for h in headings[:3]] == ["Purpose of Report", "Request of the Panel", "Summary"]
    assert doc.styles["Section Heading"].font.bold and all(p.style.element.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pPr/"
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}numPr") is None for p in headings), \
        "bold, unnumbered headings"
    end = texts.index("----- End of Report -----")
    # the section break to landscape (a paragraph holding the first section's properties) comes
    # between "End of Report" and Appendix 1
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    breaks = [i for i, p in enumerate(doc.paragraphs) if p._p.pPr is not None and p._p.pPr.find(f"{w}sectPr") is not None]
    assert len(breaks) == 1 and end <= breaks[0] < texts.index("Appendix 1: Police and Crime Plan dashboard, Q3 2025/26")
    assert _doc(papers["restricted"]).sections[0].header.paragraphs[0].text.startswith("OFFICIAL-SENSITIVE")


def test_paragraphs_are_numbered_through_the_paper_as_one_list(papers):
    """Word numbers them: every numbered paragraph's style points at the one list the template
    defines (decimal, from 1, "1."), no paragraph starts a list of its own, and the list is not
    restarted; a, b, c under them are its second level. (The slow test reads the numbers as
    LibreOffice lays them out.)"""
    doc = _doc(papers["public"])
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    numbered = [p for p in doc.paragraphs if p.style.name == "Numbered Paragraph"]
    assert len(numbered) > 20
    assert all(p._p.pPr is None or p._p.pPr.find(f"{w}numPr") is None for p in doc.paragraphs), \
        "numbering comes from the styles only"
    for name, level in (("Numbered Paragraph", "0"), ("Numbered Sub-paragraph", "1")):
        num = doc.styles[name].element.pPr.find(f"{w}numPr")
        assert num.find(f"{w}numId").get(f"{w}val") == str(NUM_ID) and num.find(f"{w}ilvl").get(f"{w}val") == level
    numbering = doc.part.numbering_part.element
    nums = [n for n in numbering.findall(f"{w}num") if n.get(f"{w}numId") == str(NUM_ID)]
    assert len(nums) == 1 and nums[0].find(f"{w}lvlOverride") is None, "never restarted"
    abstract = next(a for a in numbering.findall(f"{w}abstractNum") if a.get(f"{w}abstractNumId") == str(NUM_ID))
    lvl0 = abstract.find(f"{w}lvl")
    assert [lvl0.find(f"{w}{k}").get(f"{w}val") for k in ("start", "numFmt", "lvlText")] == ["1", "decimal", "%1."]


def test_written_sections_come_from_the_packs_functions(papers):
    doc = _doc(papers["public"])
    texts = [p.text for p in doc.paragraphs]
    for line in rag.rule_text(load_bands()):  # the RAG rule: the rule's own words, the bands' own numbers
        assert line in texts
    assert "The agreed range is ±2pp (percentage points) for percentages" in "\n".join(texts)
    ctx = dashboard_page.load(QUARTER, None, "public")
    assert ctx.table is not None
    reds = ctx.table[ctx.table["rag"] == "Red"].sort_values("serial")
    exceptions = [t for t in texts if t.startswith("Serial ")]
    red_lines = [t for t in exceptions if "✖ Red" in t]
    assert [int(t.split(",")[0].split()[1]) for t in red_lines] == list(reds["serial"]), "by serial, every Red"
    assert any(t.startswith(f"{len(reds)} of the 40 headline metrics are Red") for t in texts)
    for subject in ("contact", "dtoa", "csp"):
        from pcp_lib.subjects.registry import subject_named

        s = subject_named(subject)
        assert s is not None
        for f in s.findings(s.load(QUARTER, None, "public")):
            para = next(t for t in texts if t.startswith(f.text))
            assert f.basis in para and ("SYNTHETIC" in para) == f.synthetic
    placeholders = [p for p in doc.paragraphs if p.style.name == "Officer Placeholder"]
    assert placeholders and all(p.text.startswith("[For the OPCC to write: ") for p in placeholders)
    board = texts.index("Delivery Board updates")
    assert any(t.startswith("[For the OPCC to write: the Delivery Board's updates") for t in texts[board:board + 4])


def test_extended_appendix_answers_the_panels_requests(papers):
    doc = _doc(papers["public"])
    extended = next(t for t in doc.tables if len(t.columns) == 9 and t.rows[0].cells[2].text == "Count (baseline → latest)")
    rows = {r[0]: r for r in _cells(extended)[1:]}
    assert len(rows) == 40
    assert rows["34"][2:4] == ["70 → 30", "-57.1%"], "counts, and a percent change labelled %"
    assert rows["2"][3] == "+6.3pp", "a change in percentage points labelled pp"
    assert rows["52"][2].startswith("≈ ") and rows["52"][4].startswith("No: estimate (95% CI) ")
    # the comparison page's figures (ONS recorded crime, tests/reference/test_recorded_crime.py), or why none
    assert rows["52"][5] == ("8.05 per 1,000 in the year to June 2025 (ONS recorded crime); England and Wales 8.82; "
                             "21st highest of 43 forces")
    assert rows["2"][5].startswith("none: ") and rows["34"][5].startswith("none: ")
    assert sum(r[5].startswith("none: ") for r in rows.values()) == 40 - 7, "7 Plan metrics are compared"
    assert rows["57"][6].startswith("The number of casualties, row 57"), "the shipped return's commentary"
    assert rows["34"][7] == "PCC"
    assert all(r[6] == "no commentary supplied" for s, r in rows.items() if s not in ("34", "57"))
    assert rows["7"][3] == "-2.3pp", "published in Q3 2025/26, as the paper publishes it"


def test_extended_appendix_withholds_what_the_quarter_withholds(withheld_papers):
    papers, _ = withheld_papers
    extended = next(t for t in _doc(papers["public"]).tables
                    if len(t.columns) == 9 and t.rows[0].cells[2].text == "Count (baseline → latest)")
    rows = {r[0]: r for r in _cells(extended)[1:]}
    assert rows["7"][2:] == ["Restricted"] * 7, "the public paper withholds what the public dashboard does"


def test_commentary_owner_and_next_step_are_read_from_the_table_when_present():
    ctx = dashboard_page.load(QUARTER, None, "public")
    assert ctx.table is not None
    ctx.table = ctx.table.assign(commentary=["Funding ended"] + [""] * 39, owner=["OPCC"] + [None] * 39,
                                 next_step=["Uplift agreed"] + [None] * 39)
    rows = extended_rows(ctx, dashboard_page.evidence_view(ctx))
    assert rows[0][6:] == ["Funding ended", "OPCC", "Uplift agreed"]
    assert rows[1][6:] == ["no commentary supplied", "n/a", "n/a"]


def test_public_paper_holds_no_restricted_figure(withheld_papers):
    """Every word of the .docx: body, tables, header, footer and properties."""
    papers, data = withheld_papers
    df = assess.assess_quarter(QUARTER, data)
    shown = assess.display_table(df[df["restricted"]])
    public = assess.display_table(df[~df["restricted"]])
    secrets = [s for col in ("Baseline 2024/25", "Latest", "Change", "Reason") for s in shown[col]
               if s and s not in set(public[col])]
    assert "62.7%" in secrets and "60.4%" in secrets  # the test could fail
    text = docx_text(papers["public"])
    assert "OFFICIAL" in text and "Serial 34" in text
    for s in secrets:
        assert s not in text, s
    assert "62.7%" in docx_text(papers["restricted"]), "the restricted paper does carry them"


def test_same_inputs_same_bytes(papers):
    assert paper_bytes(build_paper(QUARTER, "public"), TEMPLATE) == papers["public"]


def test_the_template_is_made_by_its_script():
    """The shipped template is exactly what scripts/make_paper_template.py writes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_paper_template", ROOT / "scripts" / "make_paper_template.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == TEMPLATE.read_bytes()


def test_the_template_holds_only_the_styles_the_paper_uses(papers):
    """Each style the builder names is in the template, and no other but their bases and the
    defaults (python-docx scans every style for each one it sets: with its default template's
    178, the appendices' cells took about 2 s a paper)."""
    names = {s.name for s in docx.Document(str(TEMPLATE)).styles}
    used = {p.style.name for p in _doc(papers["public"]).paragraphs}
    used |= {p.style.name for t in _doc(papers["public"]).tables for row in t.rows[:3] for c in row.cells
             for p in c.paragraphs}
    assert used <= names
    assert names - used <= {"Normal", "Default Paragraph Font", "Normal Table", "No List", "Table Grid",
                            "Security Marking", "Officer Placeholder", "Numbered Sub-paragraph"}, names - used


def test_the_dashboards_findings_from_its_run_give_the_same_paper():
    """The pack hands the paper the dashboard page's findings from its own run: the paper uses
    them as given, and computing them here instead gives the same paper."""
    import dataclasses

    found = dashboard_page.findings(dashboard_page.load(QUARTER, None, "public"))
    assert build_paper(QUARTER, "public", findings={"dashboard": found}) == build_paper(QUARTER, "public")
    marked = [dataclasses.replace(f, text=f"MARKED {f.text}") for f in found]
    text = str(build_paper(QUARTER, "public", findings={"dashboard": marked}))
    assert text.count("MARKED ") >= 1


@pytest.mark.slow
def test_libreoffice_converts_the_paper_and_its_pages_read_right(libreoffice, poppler, papers, tmp_path):
    """Converted to PDF by LibreOffice: OFFICIAL at top and foot of every page, the paragraphs
    numbered 1, 2, 3 ... without a gap, "End of Report", Appendix 1 on landscape pages with its
    40 serials."""
    src = tmp_path / "paper.docx"
    src.write_bytes(papers["public"])
    subprocess.run([libreoffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "paper.pdf"
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    n = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert 5 <= n <= 20, n
    sizes = re.findall(r"^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", info, re.M)
    pages = [subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True,
                            text=True, check=True).stdout for i in range(1, n + 1)]
    for text in pages:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0] == "OFFICIAL" and "OFFICIAL" in lines[-2:], lines[:1] + lines[-2:]
    appendix = next(i for i, t in enumerate(pages) if "Appendix 1: Police and Crime Plan dashboard" in t)
    end = next(i for i, t in enumerate(pages) if "----- End of Report -----" in t)
    assert end < appendix
    for page, w, h in sizes:
        portrait = float(w) < float(h)
        assert portrait == (int(page) - 1 <= end), (page, w, h)
    body = "\n".join(pages[: end + 1])
    numbers = [int(m) for m in re.findall(r"^\s{0,8}(\d{1,2})\.\s", body, re.M)]
    numbered = sum(1 for p in _doc(papers["public"]).paragraphs if p.style.name == "Numbered Paragraph")
    assert numbers == list(range(1, numbered + 1)), numbers
    serials = re.findall(r"^\s*(\d{1,2})\s{2,}", "\n".join(pages[appendix:]), re.M)
    assert len(serials) >= 40


def test_a_quarter_the_reference_data_lacks_leaves_the_meeting_for_the_opcc(tmp_path):
    """No row for the quarter (here: no file at all): the masthead and metadata say what to complete."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "reference" / "panel_papers.csv").unlink()
    paper = build_paper(QUARTER, "public", data)
    assert (paper.meeting_date, paper.report_date, paper.author) == ("[to be completed by the OPCC]",) * 3


def test_long_dates_as_the_opcc_writes_them():
    from datetime import date

    from pcp_lib.paper.content import long_date

    assert [long_date(date(2026, 4, d)) for d in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 30)] == [
        "1st April 2026", "2nd April 2026", "3rd April 2026", "4th April 2026", "11th April 2026", "12th April 2026",
        "13th April 2026", "21st April 2026", "22nd April 2026", "23rd April 2026", "30th April 2026"]
