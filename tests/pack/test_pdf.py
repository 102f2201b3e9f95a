"""The print-ready PDF: one per audience, the whole pack (cover, contents with page numbers,
each part on a new page), a running header and footer, no chart split, table headers
repeated, tagged; read back with poppler (pdftotext, pdfinfo, pdfimages)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.export import page_sections
from pcp_lib.pack.navigation import FRONT, Link, stylesheet
from pcp_lib.pack.pdf import (
    HINT,
    PDF_NAME,
    engine,
    part_label,
    part_starts,
    pdf_destinations,
    pdf_document,
    pdf_text,
    start_pages,
    write_pdfs,
)
from pcp_lib.pack.run import discover_notebooks, pack_pages, run_pack

ROOT = Path(__file__).resolve().parents[2]
Q3 = Quarter.parse("2025-26 Q3")
MARKING = {"public": "PUBLIC", "restricted": "RESTRICTED: not for publication"}
#: skipped, with the line saying what to install, without poppler-utils (tests/conftest.py)
needs_poppler = pytest.mark.usefixtures("poppler")


# ---- without a browser ---------------------------------------------------------------------

def test_start_pages_finds_each_part_after_the_previous_one():
    texts = ["cover", "Contents Part 1 of 3 ... Part 2 of 3 ... Part 3 of 3", "Part 1 of 3\nFront", "more",
             "Part 2 of 3 Dashboard", "Part 3 of 3 Calls mentions Part 2 of 3"]
    assert start_pages(texts, [FRONT, "a.html", "b.html"]) == {FRONT: 3, "a.html": 5, "b.html": 6}
    assert part_label(2, 6) == "Part 2 of 6"
    with pytest.raises(ValueError, match=r"'Part 2 of 2'\) was not found"):
        start_pages(["cover", "contents", "Part 1 of 2"], [FRONT, "a.html"])


def test_part_labels_match_whole_words_only():
    texts = ["cover", "contents", "Part 11 of 12 here"]
    with pytest.raises(ValueError, match="Part 1 of 12"):
        start_pages(texts, [f"{i}.html" for i in range(12)])


def test_part_starts_reads_each_parts_destination_and_refuses_a_missing_or_misordered_one():
    dests = {"pdf-index.html": 3, "Summary": 4, "pdf-a.html": 5, "pdf-b.html": 9}
    assert part_starts(dests, [FRONT, "a.html", "b.html"]) == {FRONT: 3, "a.html": 5, "b.html": 9}
    with pytest.raises(ValueError, match="'c.html'"):
        part_starts(dests, [FRONT, "a.html", "c.html"])
    with pytest.raises(ValueError, match="in order"):
        part_starts({**dests, "pdf-b.html": 5}, [FRONT, "a.html", "b.html"])


def _two_page_pdf() -> bytes:
    """A two-page PDF with two named destinations (the shape Chromium writes: a /Dests dictionary)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R /Dests << /pdf-a.html [3 0 R /XYZ 0 800 null] "
               "/pdf-b.html [4 0 R /XYZ 0 800 null] >> >>",
               "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@needs_poppler
def test_pdf_destinations_reads_named_destinations_and_the_page_count():
    assert pdf_destinations(_two_page_pdf()) == ({"pdf-a.html": 1, "pdf-b.html": 2}, 2)


def _audience_dir(tmp_path: Path) -> Path:
    d = tmp_path / "public"
    d.mkdir()
    head = "<head><title>A page</title><style>p { color: black }</style></head>"
    (d / FRONT).write_text(f'<html>{head}<body><nav>nav</nav><main id="main"><h1>Front</h1>'
                           f'<a href="10_b.html#The-quarter">calls</a></main></body></html>', encoding="utf-8")
    (d / "10_b.html").write_text(f'<html>{head}<body><main id="main"><h1>Calls &amp; more</h1>'
                                 f'<h2 id="The-quarter">The quarter</h2></main><footer>foot</footer></body></html>',
                                 encoding="utf-8")
    return d


def test_pdf_document_holds_cover_contents_and_each_page_in_order(tmp_path):
    d = _audience_dir(tmp_path)
    doc = pdf_document(d, Q3, "public", [Link("10_b.html", "Calls & more")], "2026-01-02")
    assert doc.index("pcp-cover") < doc.index('id="pdf-contents"') < doc.index("<h1>Front</h1>") \
        < doc.index("<h1>Calls &amp; more</h1>")
    assert "Data run made on 2026-01-02." in doc and "PUBLIC" in doc and "October-December 2025" in doc
    assert "Part 1 of 2" in doc and "Part 2 of 2" in doc
    assert 'href="#pdf-10_b.html"' in doc and "10_b.html#The-quarter" not in doc, "links stay in the document"
    assert "<nav>nav</nav>" not in doc and "<footer>foot</footer>" not in doc, "each page's content, not its frame"
    assert "<title>A page</title>" not in doc and "<title>Police and Crime Plan performance pack" in doc
    assert 'counter(page) " of " counter(pages)' in doc and '"Q3 2025/26 · PUBLIC"' in doc


def test_pdf_document_refuses_a_page_without_main(tmp_path):
    d = _audience_dir(tmp_path)
    (d / "10_b.html").write_text("<html><body>no main</body></html>", encoding="utf-8")
    with pytest.raises(ValueError, match="no <main"):
        pdf_document(d, Q3, "public", [Link("10_b.html", "Calls")], "2026-01-02")


@pytest.mark.slow
def test_without_the_print_engine_the_html_is_written_and_one_line_says_how(tmp_path, monkeypatch, capsys):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "notebooks" / "10_ok.ipynb", nbs)
    monkeypatch.setattr("pcp_lib.pack.run.engine", lambda: None)
    r = run_pack("2025-26 Q3", audience="public", out_dir=tmp_path / "out", notebooks_dir=nbs, progress=False)
    assert r.ok and r.pdf_pages == {}
    d = tmp_path / "out" / "2025-26-Q3" / "public"
    assert (d / "10_ok.html").exists() and (d / "index.html").exists() and not (d / PDF_NAME).exists()
    err = capsys.readouterr().err
    assert HINT in err and len(HINT.splitlines()) == 1 and "apt-get install chromium poppler-utils" in HINT


@pytest.mark.slow
@needs_poppler
def test_a_guess_of_the_contents_page_numbers_is_checked_and_corrected(tmp_path, system_deps):
    """The previous run's part starts save the measuring print when they still hold; a wrong
    guess is found in the printed PDF and printed again: the same pages either way. (Not the
    same bytes: Chromium stamps the time of printing and numbers the tagged structure afresh,
    and pcp no longer rewrites its PDF bytes.)"""
    exe = engine()
    assert exe is not None, "chromium and poppler are here (system_deps), so is the print engine"
    d = _audience_dir(tmp_path)
    for page in d.iterdir():  # the pack's own stylesheet: each part starts a new page
        page.write_text(page.read_text().replace("p { color: black }", stylesheet()))
    pages = [Link("10_b.html", "Calls & more")]
    fresh = write_pdfs(tmp_path, Q3, ["public"], pages, "2026-01-02", exe)
    want = pdf_text((d / PDF_NAME).read_bytes())
    assert fresh["public"][1] == {FRONT: 3, "10_b.html": 4}
    for guess in (fresh["public"][1], {FRONT: 3, "10_b.html": 9}):
        got = write_pdfs(tmp_path, Q3, ["public"], pages, "2026-01-02", exe, {"public": guess})
        assert got == fresh and pdf_text((d / PDF_NAME).read_bytes()) == want, guess


# ---- the rendered pack (slow: it runs every notebook) -------------------------------------

def _info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-isodates", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


@pytest.mark.slow
@needs_poppler
@pytest.mark.parametrize("audience", ["public", "restricted"])
def test_the_pdf_holds_the_whole_pack_with_contents_page_numbers_and_running_bands(pack, chromium, audience):
    d = pack[0] / audience
    pdf = d / PDF_NAME
    pages = pdf_text(pdf.read_bytes())
    info = _info(pdf)
    assert int(info["Pages"]) == len(pages) > 10
    assert info["Tagged"] == "yes", "tagged for screen readers (Chromium supports it)"
    assert b"file:" not in pdf.read_bytes(), "no link to the temporary file the document was printed from"
    assert info["Title"] == f"Police and Crime Plan performance pack: Q3 2025/26 ({MARKING[audience]})"
    # the cover: title, quarter, audience, the date of the data run (as the front page says it)
    run_date = re.search(r"Data run made on (\d{4}-\d{2}-\d{2})", (d / FRONT).read_text()).group(1)
    assert "Police and Crime Plan" in pages[0] and "Q3 2025/26" in pages[0] and MARKING[audience] in pages[0]
    assert f"Data run made on {run_date}." in pages[0]
    # Chromium's own dates (the time of printing): pcp no longer rewrites its PDF bytes
    assert info["CreationDate"] and info["ModDate"]
    # every page: the running header and footer with the quarter, the marking and "page X of Y"
    flat = [" ".join(p.split()) for p in pages]
    for i, text in enumerate(flat, start=1):
        assert f"page {i} of {len(pages)}" in text, i
        assert "Q3 2025/26" in text and MARKING[audience] in text, i
    if audience == "public":
        assert not any("RESTRICTED" in t for t in flat)
    # the contents: each part with the page it starts on, and that page opens with it
    links = [Link(FRONT, "The quarter at a glance"), *pack_pages(discover_notebooks())]
    for n, link in enumerate(links, start=1):
        label = f"Part {n} of {len(links)}"
        title = " ".join(link.title.split())
        m = re.search(re.escape(label) + r" (.*?) page (\d+)", flat[1])
        assert m, (label, flat[1])
        assert m.group(1) == title, (m.group(1), title)
        start = int(m.group(2))
        assert label in flat[start - 1] and flat[start - 1].index(label) < 200, "a part starts a new page"
        assert all(label not in t for t in flat[2:start - 1]), "and not before"
    # every section heading of every page is in the PDF
    whole = " ".join(flat)
    for link in links[1:]:
        for _, heading in page_sections((d / link.href).read_text(encoding="utf-8")):
            assert " ".join(heading.split()) in whole, (link.href, heading)


@pytest.mark.slow
@needs_poppler
def test_no_chart_is_split_and_long_tables_repeat_their_header(pack, chromium):
    d = pack[0] / "restricted"
    listed = subprocess.run(["pdfimages", "-list", str(d / PDF_NAME)], check=True, capture_output=True,
                            text=True).stdout.splitlines()[2:]
    charts = sum(p.read_text(encoding="utf-8").count("<img ") for p in d.glob("*.html"))
    assert charts > 10 and len(listed) == charts, "each chart drawn once, whole, on one page"
    pages = pdf_text((d / PDF_NAME).read_bytes())
    rag = [i for i, t in enumerate(pages) if "Plan dashboard, Q3 2025/26" in t or "Baseline" in t]
    with_header = [i for i in rag if "Delivery" in pages[i] and "Baseline" in pages[i]]
    assert len(with_header) >= 2, "the 40-row RAG table spans pages and its header row repeats on each"
