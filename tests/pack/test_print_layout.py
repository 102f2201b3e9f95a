"""The pack on paper and on screen loses nothing: every table of both audiences' PDFs fits its
printed page (measured in Chromium's print layout at the width of an A4 page's text), a
table wider than the screen at 1280 px scrolls in a box that shows its scrollbar and takes
the keyboard focus, every page links to its audience's PDF and Panel paper, and the
restricted marking stays in sight while a page scrolls."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.navigation import FRONT, PAPER_FILE, PDF_FILE
from pcp_lib.pack.pdf import pdf_document
from pcp_lib.pack.run import discover_notebooks, pack_pages

Q3 = Quarter.parse("2025-26 Q3")
#: The width of an A4 page's text in the PDF (210 mm less two 14 mm margins) in CSS pixels.
PRINT_WIDTH_PX = round((210 - 2 * 14) / 25.4 * 96)

#: Each table's width against the page (the document's width), with its caption to name it.
_TABLES = """() => { const page = document.documentElement.clientWidth;
  return [...document.querySelectorAll('table')].map(t => { const r = t.getBoundingClientRect();
    const cap = t.querySelector('caption'); const part = t.closest('section');
    return {right: r.right, left: r.left, page, part: part ? part.id : '',
            caption: cap ? cap.textContent.trim().slice(0, 80) : t.className}; }); }"""


def cropped_tables(browser, html: Path) -> tuple[int, list[str]]:
    """The tables of the document ``html`` that run past the printed page, laid out as
    Chromium prints it (print media, the page's width of text); and how many tables it has."""
    page = browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": 1100})
    try:
        page.emulate_media(media="print")
        page.goto(html.as_uri(), wait_until="load")
        tables = page.evaluate(_TABLES)
    finally:
        page.close()
    return len(tables), [f"{t['part']}: {t['caption']!r} is {t['right'] - t['page']:.0f} px wider than the page"
                         for t in tables if t["right"] > t["page"] + 0.5 or t["left"] < -0.5]


def test_the_overflow_check_finds_a_table_wider_than_the_page(chromium, tmp_path):
    """The check could fail: a table of long unbreakable cells runs past the page."""
    wide = tmp_path / "wide.html"
    cells = "".join(f"<td>{'x' * 40}{i}</td>" for i in range(6))
    wide.write_text(f"<!DOCTYPE html><html><body><table><caption>Too wide</caption><tr>{cells}</tr></table>"
                    "<table><caption>Fits</caption><tr><td>1</td></tr></table></body></html>", encoding="utf-8")
    n, cropped = cropped_tables(chromium, wide)
    assert n == 2 and len(cropped) == 1 and "'Too wide'" in cropped[0]


@pytest.mark.slow
@pytest.mark.parametrize("audience", ["public", "restricted"])
def test_no_table_of_the_pdf_is_cropped(pack, chromium, tmp_path, audience):
    doc = tmp_path / f"{audience}.html"
    doc.write_text(pdf_document(pack[0] / audience, Q3, audience, pack_pages(discover_notebooks()), "2026-01-01"),
                   encoding="utf-8")
    n, cropped = cropped_tables(chromium, doc)
    assert n >= 40, "every table of every page is measured"
    assert cropped == []


_SCREEN = """() => [...document.querySelectorAll('table')].map(t => {
  const box = t.closest('.pcp-table-scroll'); const main = t.closest('main');
  const inner = main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
  const r = t.getBoundingClientRect();
  return {caption: (t.querySelector('caption') || {textContent: t.className}).textContent.trim().slice(0, 60),
          wider: r.right > inner + 0.5, box: !!box, overflow: box ? getComputedStyle(box).overflowX : '',
          scrolls: box ? box.scrollWidth > box.clientWidth : false, focusable: box ? box.tabIndex === 0 : false,
          name: box ? box.getAttribute('aria-label') : ''}; })"""


@pytest.mark.slow
def test_at_1280_px_every_table_fits_or_scrolls_visibly_in_a_focusable_box(pack, chromium):
    shown = 0
    for path in sorted(pack[0].glob("*/*.html")):
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        page.goto(path.as_uri(), wait_until="load")
        for t in page.evaluate(_SCREEN):
            shown += 1
            where = f"{path.parent.name}/{path.name}: {t['caption']!r}"
            if "pcp-table" in t["caption"] or t["box"] is False:
                assert not t["wider"], f"{where} is cut: wider than the page with no scroll box"
                continue
            assert t["overflow"] == "auto" and t["focusable"] and t["name"], where
            assert not t["wider"] or t["scrolls"], f"{where} runs past the page without scrolling"
        page.close()
    assert shown >= 80


def test_a_wide_table_scrolls_with_a_scrollbar_in_sight(chromium, tmp_path):
    """Chromium as a reader runs it (scrollbars shown: Playwright hides them by default): the
    scroll box of a table wider than the screen shows a scrollbar, and the arrow keys scroll it."""
    import shutil

    import pandas as pd

    from pcp_lib.display.report import table
    from pcp_lib.pack.navigation import stylesheet

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    df = pd.DataFrame({f"Column {i}": ["a" * 30 + str(i)] for i in range(12)})
    path = tmp_path / "t.html"
    path.write_text(f"<!DOCTYPE html><html><head><style>{stylesheet()}</style></head><body><main id='main'>"
                    f"{table(df, 'Twelve wide columns').data}</main></body></html>", encoding="utf-8")
    # a second browser of the same Playwright (the fixture's), started without --hide-scrollbars
    browser = chromium.browser_type.launch(executable_path=exe, headless=True, args=["--no-sandbox", "--disable-gpu"],
                                           ignore_default_args=["--hide-scrollbars"])
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 600})
        page.goto(path.as_uri())
        box = page.locator(".pcp-table-scroll")
        sizes = box.evaluate("b => [b.scrollWidth, b.clientWidth, b.offsetHeight - b.clientHeight]")
        assert sizes[0] > sizes[1], "the table is wider than its box"
        assert sizes[2] >= 10, "a scrollbar takes room under the table: it is in sight, not an overlay"
        box.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        # the keyboard scrolls it (smoothly: wait for it to move)
        page.wait_for_function("() => document.querySelector('.pcp-table-scroll').scrollLeft > 0", timeout=5000)
    finally:
        browser.close()


@pytest.mark.slow
def test_every_page_links_to_its_pdf_and_paper_and_the_marking_stays_in_sight(pack, chromium):
    d = pack[0]
    for audience in ("public", "restricted"):
        assert (d / audience / PDF_FILE).exists()
        for path in sorted((d / audience).glob("*.html")):
            text = path.read_text(encoding="utf-8")
            assert f'href="{PDF_FILE}"' in text and f'href="{PAPER_FILE}"' in text, path.name
        if importlib.util.find_spec("pcp_lib.paper") is not None:  # the paper is written once its branch is in
            assert (d / audience / PAPER_FILE).exists()
    top = (d / "index.html").read_text(encoding="utf-8")
    assert 'href="public/pack.pdf"' in top and 'href="restricted/paper.docx"' in top
    page = chromium.new_page(viewport={"width": 1280, "height": 700})
    page.goto((d / "restricted" / "00_pcp_dashboard.html").as_uri())
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    marking = page.locator(".pcp-sticky-marking")
    box = marking.bounding_box()
    assert marking.is_visible() and box is not None and box["y"] == 0, "at the top of the window, scrolled down"
    assert "RESTRICTED" in marking.inner_text()
    page.close()
    assert 'class="pcp-sticky-marking"' not in (d / "public" / FRONT).read_text(encoding="utf-8")


@pytest.mark.slow
def test_each_subject_page_opens_with_its_findings_and_ends_with_the_data_used(pack):
    for audience in ("public", "restricted"):
        for path in sorted((pack[0] / audience).glob("[0-9]*.html")):
            text = path.read_text(encoding="utf-8")
            main = text[text.index('<main id="main">'):text.rindex("</main>")]
            first_section = main.index("<h2 ")
            assert "What this page finds" in main[:first_section], path.name
            assert main.rindex("<h2 ") == main.index('<h2 id="Data-used">'), f"{path.name}: Data used comes last"
            assert "Data used:" not in main and "<strong>Data:</strong>" not in main, path.name
