"""The pack on paper: one print-ready PDF per audience, ``<audience>/pack.pdf``.

The Police and Crime Panel publishes its papers as PDF in the agenda pack and members print
them. The PDF is the audience's pack as it stands in HTML (front page, then each subject page
in order), printed by a real print engine: Chromium's, through Playwright's ``page.pdf``,
with Debian's ``/usr/bin/chromium`` (the one the tests use). Why it is built this way:

- One document: a cover (title, quarter, audience, the date of the data run), the contents
  with page numbers, then each page's ``<main>`` content, each starting on a new page; the
  pack's stylesheet (its ``@media print`` rules) keeps charts whole and repeats table headers.
- A running header and footer (CSS ``@page`` margin boxes, which Chromium prints) with the
  quarter, the audience marking and "page X of Y".
- Page numbers for the contents: Chromium cannot print a link's target page, so the document
  is printed once with everything hidden (laid out but not drawn: quick), the page where each
  part starts is read back from that PDF's named destinations (Chromium names one after each
  element a link points to, and the contents link to each part's ``<section>``; poppler's
  ``pdfinfo -dests`` lists them in milliseconds, where ``pdftotext`` read every page), and it
  is printed again in full with the numbers; the numbers are checked against the second
  print (a mismatch fails loudly). The audiences print side by side, and Chromium starts
  while the documents are built.
- Quick to load: each document (~4 MB, its charts inlined as PNG) is written to a temporary
  file and opened from there; ``set_content`` sent it through the DevTools pipe and
  ``document.write``, about half a second more per audience. The file's address never
  reaches the PDF (every link in the document is to a part of it).
- Not byte-identical on reprint: Chromium stamps the time of printing, and numbers the tagged
  structure by its DOM nodes, which differ from print to print. Making those the same would
  mean rewriting Chromium's PDF bytes in place (an undocumented format), so the PDF is left as
  Chromium prints it. What a reader sees (text, pages, contents' numbers) is the same for the
  same pages; the run reprints a PDF only when what it is printed from changed (its key in the
  manifest: the pages, run date, code, packages and engine), so an unchanged rerun keeps the
  PDF's bytes.
- Tagged (Chromium's ``tagged`` option) with an outline (bookmarks), for screen readers.
- No engine (Chromium, poppler's ``pdfinfo`` or the playwright package missing): the HTML
  pack is still written, and the run says in one line how to get the PDF (:data:`HINT`).
"""

from __future__ import annotations

import asyncio
import importlib.util
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.navigation import FRONT, PDF_FILE, Link, environment, navigation

__all__ = ["HINT", "PDF_NAME", "engine", "part_label", "part_starts", "pdf_destinations", "pdf_document", "pdf_text",
           "start_pages", "write_pdfs"]

PDF_NAME = PDF_FILE
#: What the run says, in one line, when it cannot print.
HINT = ("pack.pdf not written (HTML pack is complete): the PDF needs Debian's chromium and poppler-utils "
        "(apt-get install chromium poppler-utils) and the playwright package (pip install -e '.[dev]').")
_MAIN = re.compile(r'<main id="main">(.*)</main>', re.DOTALL)
_HEAD = re.compile(r"<head>(.*)</head>", re.DOTALL)


def engine() -> str | None:
    """Debian's Chromium, if the print engine (it, poppler's ``pdfinfo`` and playwright) is here."""
    exe = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
    if exe is None or shutil.which("pdfinfo") is None:
        return None
    if importlib.util.find_spec("playwright") is None:  # a development dependency: only the PDF needs it
        return None
    return exe


def _css_string(text: str) -> str:
    """``text`` as a CSS string (for the running header and footer)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pdf_document(audience_dir: Path, quarter: Quarter, audience: str, pages: Sequence[Link], run_date: str) -> str:
    """The audience's pack as one HTML document to print: the cover, the contents (its page
    numbers are filled in between the two prints), then the front page and each page in
    order. Links between the pack's pages become links within the document."""
    nav = navigation(quarter, audience, pages, FRONT)
    order = [p["href"] for p in nav["pages"]]
    bodies: dict[str, str] = {}
    head = ""
    for href in order:
        text = (audience_dir / href).read_text(encoding="utf-8")
        main = _MAIN.search(text)
        if main is None:
            raise ValueError(f"{audience_dir.name}/{href}: no <main id=\"main\"> to print (not a page of the pack?)")
        bodies[href] = main.group(1)
        if href != FRONT and not head:
            found = _HEAD.search(text)
            head = found.group(1) if found else ""
    if not head:  # a pack of no subject page: the front page's own head (the stylesheet)
        found = _HEAD.search((audience_dir / FRONT).read_text(encoding="utf-8"))
        head = found.group(1) if found else ""
    head = re.sub(r"<title>.*?</title>", "", head, flags=re.DOTALL)  # the document's own title instead
    links = re.compile(r'href="(' + "|".join(re.escape(h) for h in order) + r')(#[^"]*)?"')
    for href, body in bodies.items():
        bodies[href] = links.sub(lambda m: f'href="#pdf-{m.group(1)}"', body)
    labels = {h: part_label(i, len(order)) for i, h in enumerate(order, start=1)}
    running = {"title": _css_string(f"{nav['pack_title']}: {quarter.label}"),
               "marking": _css_string(nav["marking"]), "foot": _css_string(f"{quarter.label} · {nav['marking']}")}
    return environment().get_template("pdf.html.j2").render(
        head=head, nav=nav, run_date=run_date, bodies=bodies, labels=labels,
        running=running)


def pdf_text(pdf: bytes) -> list[str]:
    """The text of each page of a PDF, by poppler's ``pdftotext`` (reading order)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "pack.pdf"
        src.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(src), "-"], check=True, capture_output=True)
    pages = out.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def part_label(n: int, total: int) -> str:
    """The label that opens part ``n`` (from 1) of the printed pack, and finds its page."""
    return f"Part {n} of {total}"


def start_pages(page_texts: Sequence[str], hrefs: Sequence[str], first: int = 3) -> dict[str, int]:
    """The page (counting from 1) where each part starts: the first page from ``first`` on,
    after the previous part's start, whose text holds the part's label (``hrefs`` in document
    order). Raises ValueError if a label is not found."""
    found: dict[str, int] = {}
    at = first - 1
    squashed = [_squash(t) for t in page_texts]
    for n, href in enumerate(hrefs, start=1):
        want = part_label(n, len(hrefs))
        page = next((i for i in range(at, len(squashed)) if re.search(rf"\b{want}\b", squashed[i])), None)
        if page is None:
            raise ValueError(f"PDF: the start of {href!r} ({want!r}) was not found from page {at + 1} on")
        found[href] = page + 1
        at = page + 1
    return found


# visibility (unlike display) keeps the layout: the hidden print paginates exactly as the full one
_HIDE = "v => { document.body.style.visibility = v; }"
_SET_NUMBERS = """numbers => document.querySelectorAll('.pcp-toc li').forEach(li => {
    li.querySelector('.pcp-toc-page').textContent = 'page ' + numbers[li.dataset.href]; })"""
_DEST = re.compile(r'^\s*(\d+) \[.*\] "(.*)"$', re.MULTILINE)
_PAGES = re.compile(r"^Pages:\s+(\d+)$", re.MULTILINE)


def pdf_destinations(pdf: bytes) -> tuple[dict[str, int], int]:
    """The named destinations of a PDF (name -> page, counting from 1) and its number of
    pages, by poppler's ``pdfinfo``. Chromium names a destination after each element a link
    in the document points to, so each part's ``<section id="pdf-...">`` (the contents links
    to it) says on which page it starts: quicker and more exact than finding its label in the
    text (``pdftotext`` reads every page)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "pack.pdf"
        src.write_bytes(pdf)
        dests = subprocess.run(["pdfinfo", "-dests", str(src)], check=True, capture_output=True, text=True).stdout
        info = subprocess.run(["pdfinfo", str(src)], check=True, capture_output=True, text=True).stdout
    pages = _PAGES.search(info)
    if pages is None:
        raise RuntimeError("PDF: pdfinfo did not say how many pages it has")
    return {name: int(page) for page, name in _DEST.findall(dests)}, int(pages.group(1))


def part_starts(destinations: dict[str, int], hrefs: Sequence[str]) -> dict[str, int]:
    """The page where each part (``hrefs`` in document order) starts, from the PDF's named
    destinations (:func:`pdf_destinations`). Raises ValueError if a part has none, or if the
    parts are not in order on separate pages."""
    missing = [h for h in hrefs if f"pdf-{h}" not in destinations]
    if missing:
        raise ValueError(f"PDF: no destination for the start of {', '.join(map(repr, missing))}")
    found = {h: destinations[f"pdf-{h}"] for h in hrefs}
    pages = list(found.values())
    if any(b <= a for a, b in zip(pages, pages[1:], strict=False)):
        raise ValueError(f"PDF: the parts do not start on pages in order: {found}")
    return found


async def _print_one(browser: Any, document: Path, hrefs: list[str],
                     guess: dict[str, int] | None = None) -> tuple[bytes, int, dict[str, int]]:
    """Print one audience's document with the page where each part starts in its contents.
    Those pages come from ``guess`` (where the parts started in the previous run's PDF) or,
    without one, from a first print with everything hidden (laid out, not drawn: quick). The
    full print, tagged, is then checked against the numbers it shows; a guess that proves
    wrong is replaced by the pages found and printed once more. Returns the PDF, its page
    count and where each part starts.

    The document is opened from its file (``goto``), not handed over with ``set_content``:
    that sends all of its ~4 MB (the charts inlined) through the DevTools pipe and
    ``document.write``, which took about half a second more per audience."""
    page = await browser.new_page()
    url = document.as_uri()
    try:
        await page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("data:") or r.request.url == url
                         else r.abort())
        await page.emulate_media(media="print")  # before the content: laid out once, for print
        await page.goto(url, wait_until="load")
        if guess and set(guess) == set(hrefs):
            numbers = dict(guess)
        else:
            await page.evaluate(_HIDE, "hidden")
            first = await page.pdf(prefer_css_page_size=True)
            numbers = part_starts((await asyncio.to_thread(pdf_destinations, first))[0], hrefs)
            await page.evaluate(_HIDE, "")
            guess = None
        for _attempt in range(2):
            await page.evaluate(_SET_NUMBERS, numbers)
            final = await page.pdf(prefer_css_page_size=True, print_background=True, tagged=True, outline=True)
            destinations, pages = await asyncio.to_thread(pdf_destinations, final)
            found = part_starts(destinations, hrefs)
            if found == numbers:
                break
            if guess is None:
                raise RuntimeError("PDF: the contents' page numbers moved between the two prints")
            numbers, guess = found, None  # the layout changed since the previous run: print again
        else:
            raise RuntimeError("PDF: the contents' page numbers moved between the two prints")
    finally:
        await page.close()
    return final, pages, numbers


async def _print_all(exe: str, build: Callable[[], dict[str, Path]], hrefs: list[str],
                     guesses: dict[str, dict[str, int]]) -> dict[str, tuple[bytes, int, dict[str, int]]]:
    """Every audience's PDF, printed side by side by one Chromium. ``build`` writes the
    documents to print (audience -> file); it runs while Chromium starts (about a second)."""
    from playwright.async_api import async_playwright  # a development dependency: only here

    async with async_playwright() as p:
        launching = asyncio.ensure_future(p.chromium.launch(executable_path=exe, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"]))
        try:
            documents = await asyncio.to_thread(build)
        finally:
            browser = await launching
        try:
            printed = await asyncio.gather(*(_print_one(browser, d, hrefs, guesses.get(aud))
                                             for aud, d in documents.items()))
        finally:
            await browser.close()
    return dict(zip(documents, printed, strict=True))


def write_pdfs(root: Path, quarter: Quarter, audiences: Sequence[str], pages: Sequence[Link],
               run_date: str, exe: str,
               guesses: dict[str, dict[str, int]] | None = None) -> dict[str, tuple[int, dict[str, int]]]:
    """Print ``root/<audience>/pack.pdf`` for each audience from its HTML pages (already
    written) with Chromium at ``exe``; ``guesses`` are where each part started in an
    audience's previous PDF (saving the measuring print when they still hold). Returns each
    audience's page count and where its parts start."""
    hrefs = [FRONT, *(p.href for p in pages)]
    with tempfile.TemporaryDirectory() as tmp:
        def build() -> dict[str, Path]:
            documents = {aud: Path(tmp) / f"{aud}.html" for aud in audiences}
            for aud, path in documents.items():
                path.write_text(pdf_document(root / aud, quarter, aud, pages, run_date), encoding="utf-8")
            return documents

        # In a thread of its own: the caller may already run an event loop (Playwright's sync API
        # does, in a test or a notebook), and asyncio.run refuses to start a second in the same thread.
        with ThreadPoolExecutor(max_workers=1) as pool:
            printed = pool.submit(asyncio.run, _print_all(exe, build, hrefs, guesses or {})).result()
    for aud, (pdf, _, _) in printed.items():
        (root / aud / PDF_NAME).write_bytes(pdf)
    return {aud: (n, starts) for aud, (_, n, starts) in printed.items()}
