"""The front page of each audience's pack (issue 14, item 1): the RAG counts with symbol and
word, the Red metrics with their reasons, each page's findings linked to their sections with
their basis and period; the public page holds no restricted value, the restricted one says
what it adds; semantic HTML, escaped, short."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest

from pcp_lib.display.page import anchor
from pcp_lib.front.page import build_front, subject_of
from pcp_lib.pack.front import render_front
from pcp_lib.pack.run import discover_notebooks
from pcp_lib.subjects.registry import subject_pages

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
FIXTURE_NBS = ROOT / "tests" / "fixtures" / "notebooks"
Q3 = "2025-26 Q3"
RUN_DATE = "2026-01-02"


def _pages(audience: str = "public") -> list[dict]:
    """The runs the pack gives the front page: every shipped notebook, in order."""
    return [{"ok": True, "notebook": nb.name, "audience": audience, "title": f"Page <{nb.stem}> & co",
             "html": f"{nb.stem}.html"} for nb in discover_notebooks(NOTEBOOKS)]


@pytest.fixture(scope="module")
def fronts() -> dict[str, tuple]:
    """(FrontPage, HTML) of each audience for Q3 2025/26 from the shipped data."""
    out = {}
    for aud in ("public", "restricted"):
        front = build_front(Q3, aud, _pages(aud), NOTEBOOKS)
        out[aud] = (front, render_front(front, RUN_DATE))
    return out


class _Outline(HTMLParser):
    """Headings in order, links, table cells, the page language and the visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self.lang: str | None = None
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "a":
            self.hrefs.append(a["href"])
        if tag == "html":
            self.lang = a.get("lang")
        if tag in ("style", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _outline(page: str) -> _Outline:
    p = _Outline()
    p.feed(page)
    return p


def test_every_shipped_notebook_names_its_subject_and_a_draft_none():
    subjects = [subject_of(nb) for nb in discover_notebooks(NOTEBOOKS)]
    assert subjects == list(subject_pages()), "one notebook per subject page, in notebook order"
    assert subject_of(FIXTURE_NBS / "10_ok.ipynb") is None


def test_rag_counts_with_symbol_and_word_and_the_red_metrics_with_reasons(fronts):
    public, page = fronts["public"]
    assert public.counts == [("✔ Green", 17), ("● Amber", 10), ("✖ Red", 9), ("– No data", 2),
                             ("■ Restricted", 2)]
    assert '<tr><th scope="row">✖ Red</th><td>9</td></tr>' in page
    assert public.summary == "Of 40 headline metrics for Q3 2025/26: 17 Green, 10 Amber, 9 Red, 2 with no data."
    assert "<caption>The 40 headline metrics by RAG (the OPCC&#39;s paper, Q3 2025/26)</caption>" in page
    assert public.summary not in page, "the counts are said once, in the table (short: read in two minutes)"
    assert [r.serial for r in public.reds] == ["3", "5", "16", "31", "34", "42", "57", "70", "71"]
    assert ("Police referrals into drug treatment via required assessment: Fell 57.1% (70 → 30), "
            "outside the agreed ±5% range, against the &#39;Increase&#39; target.") in page
    assert public.counts_basis == "the OPCC's paper, Q3 2025/26"
    assert 'href="00_pcp_dashboard.html#Red-metrics-and-why"' in page


def test_public_page_holds_no_restricted_value(fronts, restricted_strings):
    _, public = fronts["public"]
    _, restricted = fronts["restricted"]
    assert "62.7%" in restricted_strings and "60.4%" in restricted_strings, "the test could fail"
    for s in restricted_strings:
        assert s not in public.replace("&#39;", "'"), s
    assert "Fell 2.3pp (62.7% → 60.4%)" in restricted, "the restricted page does show serial 7"
    assert "(restricted): Fell 2.3pp" in restricted


def test_each_page_says_what_is_withheld_or_added(fronts):
    public, public_html = fronts["public"]
    restricted, restricted_html = fronts["restricted"]
    assert "withheld from this public pack" in public.withheld and "serial 7" in public.withheld
    assert restricted.withheld.startswith("RESTRICTED: this page adds what the public one withholds")
    assert ("✖ Red", 10) in restricted.counts and not any("Restricted" in k for k, _ in restricted.counts)
    assert "RESTRICTED: not for publication" in restricted_html and "RESTRICTED" not in public_html


def test_findings_link_to_their_sections_with_basis_and_period(fronts):
    front, page = fronts["public"]
    assert [p.html for p in front.pages] == [f"{nb.stem}.html" for nb in discover_notebooks(NOTEBOOKS)]
    hrefs = set(_outline(page).hrefs)
    for p, module in zip(front.pages, subject_pages().values(), strict=True):
        assert 2 <= len(p.findings) <= 3, p.html
        assert f"{p.html}" in hrefs, "each page's heading links to it"
        headings = {anchor(h) for h, _ in module.SECTIONS}
        for f in p.findings:
            assert f.anchor in headings
            assert f"{p.html}#{f.anchor}" in {h.replace("&#39;", "'") for h in hrefs}
    contact = front.pages[1].findings[0]
    assert ("(<strong>SYNTHETIC sample (contact_monthly.csv)</strong>; Q3 2025/26, data as at 31/12/2025)"
            in page), "a synthetic finding says so, naming the file"
    assert contact.text.startswith("In Q3 2025/26, 2 of 4 contact targets were met")
    assert "(published; Q3 2025 (OPCC Commissioned Services Report, June 2026))" in page
    assert "(police.uk; Q3 2024/25, the latest full quarter of police.uk data)" in page


def test_semantic_escaped_and_short(fronts):
    _, page = fronts["public"]
    outline = _outline(page)
    assert outline.lang == "en"
    assert outline.headings[0] == 1 and outline.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in pairwise(outline.headings)), "no heading level skipped"
    assert {"caption", "th", "ul", "li"} <= set(outline.tags)
    assert "Page &lt;10_contact_demand&gt; &amp; co" in page and "<10_contact_demand>" not in page
    assert "Data run made on 2026-01-02." in page and "October-December 2025" in page
    # the page's own content: the header's links (every page, to each page, the PDF and the paper) are not read
    main = _outline(page[page.index('<main id="main">'):page.rindex("</main>")])
    words = len(" ".join(main.text).split())
    assert words < 1000, f"readable in two minutes: {words} words"


def test_a_later_quarter_says_which_plan_data_it_shows():
    front = build_front("2026-27 Q1", "public", [], NOTEBOOKS)
    assert front.summary.startswith("The latest Plan metric values are for Q3 2025/26. Of 40 headline metrics")
    assert front.summary in render_front(front, RUN_DATE), "an older quarter's values are said to be older"
    assert front.pages == []


def test_before_any_plan_data_there_are_no_counts():
    front = build_front("2023-24 Q1", "public", [], NOTEBOOKS)
    assert front.shown is None and front.counts == [] and front.reds == []
    assert front.summary == "There are no Plan metric values up to Q1 2023/24: nothing to assess."
    page = render_front(front, RUN_DATE)
    assert "<table>" not in page and "Red metrics and why" not in page


def test_a_page_without_a_subject_is_listed_without_findings(tmp_path):
    nb = json.loads((FIXTURE_NBS / "10_ok.ipynb").read_text(encoding="utf-8"))
    (tmp_path / "10_ok.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    run = {"ok": True, "notebook": "10_ok.ipynb", "audience": "public", "title": "OK", "html": "10_ok.html"}
    front = build_front(Q3, "public", [run], tmp_path)
    assert [(p.html, p.findings) for p in front.pages] == [("10_ok.html", [])]
    assert front.dashboard_html is None and front.counts
    page = render_front(front, RUN_DATE)
    assert '<h3><a href="10_ok.html">OK</a></h3>' in page and "<ul>\n</ul>" not in page


def test_synthetic_findings_have_their_own_heading_after_the_real_ones(fronts):
    # issue 22, item 8: samples never look like returns; the front page groups them apart
    front, page = fronts["public"]
    heading = "<h2>From SYNTHETIC samples: illustrations, not findings</h2>"
    assert page.count(heading) == 1
    real_part, synthetic_part = page.split(heading)
    findings = [f for p in front.pages for f in p.findings]
    assert any(f.synthetic for f in findings) and any(not f.synthetic for f in findings), "the test could fail"
    for f in findings:
        text = f.text.replace("'", "&#39;")
        assert (text in synthetic_part) == f.synthetic and (text in real_part) != f.synthetic, f.text
    assert "SYNTHETIC sample (" not in real_part.split("<h2>What each page finds</h2>")[1]
