"""Navigation and the one look: every page's header (title, quarter, marking, links to every
page and the front page, the page's own contents), previous/next at its foot, the one
stylesheet everywhere, and no title or heading printed twice."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from conftest import FIXTURE_DATA

from pcp_lib.display.report import title_block
from pcp_lib.io.datastore import PROJECT_ROOT as ROOT
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.export import clean_notebook, export_html, page_sections
from pcp_lib.pack.front import front_html
from pcp_lib.pack.index import pack_index
from pcp_lib.pack.navigation import FRONT, Link, header_html, navigation, short_title, stylesheet
from pcp_lib.pack.run import discover_notebooks, pack_pages

Q3 = Quarter.parse("2025-26 Q3")
PAGES = [Link("00_a.html", "Plan dashboard"), Link("10_b.html", "Calls <999> & 101: how many?"),
         Link("20_c.html", "Crime trends")]


class _Outline(HTMLParser):
    """Headings (level, text) and links (href, text) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.links: list[tuple[str, str]] = []
        self._heading: list[str] | None = None
        self._link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []
        elif tag == "a":
            self._link = (dict(attrs).get("href") or "", [])

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)
        if self._link is not None:
            self._link[1].append(data)

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((int(tag[1]), " ".join("".join(self._heading).split())))
            self._heading = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._link[0], " ".join("".join(self._link[1]).split())))
            self._link = None


def _outline(page: str) -> _Outline:
    o = _Outline()
    o.feed(page)
    return o


def test_previous_and_next_follow_the_pack_order_from_the_front_page():
    front = navigation(Q3, "public", PAGES, FRONT)
    assert [p["href"] for p in front["pages"]] == [FRONT, "00_a.html", "10_b.html", "20_c.html"]
    assert front["prev"] is None and front["next"]["href"] == "00_a.html"
    middle = navigation(Q3, "public", PAGES, "10_b.html")
    assert middle["prev"]["href"] == "00_a.html" and middle["next"]["href"] == "20_c.html"
    last = navigation(Q3, "restricted", PAGES, "20_c.html")
    assert last["prev"]["href"] == "10_b.html" and last["next"] is None
    assert last["marking"] == "RESTRICTED: not for publication" and front["marking"] == "PUBLIC"
    top = navigation(Q3, None, PAGES, "index.html")
    assert top["pages"] == [] and top["marking"] == "" and top["prev"] is None and top["next"] is None


def test_short_titles_stop_at_the_first_colon():
    assert short_title("Contact demand: 999, 101 and online reporting") == "Contact demand"
    assert short_title("Crime trends") == "Crime trends"


def test_header_links_every_page_marks_the_current_one_and_escapes():
    nav = navigation(Q3, "public", PAGES, "10_b.html")
    header = header_html(nav, [("The-quarter", "The quarter & more")])
    o = _outline(header)
    hrefs = [h for h, _ in o.links]
    assert hrefs[:2] == ["#main", FRONT], "a skip link, then the pack's title back to the front page"
    assert [h for h in hrefs if h.endswith(".html")].count(FRONT) == 2, "title and the front page's own link"
    for p in PAGES:
        assert p.href in hrefs
    assert '<a href="10_b.html" aria-current="page">Calls &lt;999&gt; &amp; 101</a>' in header
    assert ("#The-quarter", "The quarter & more") in o.links, "the page's own contents"
    assert "Q3 2025/26 (October-December 2025)" in header and "PUBLIC" in header
    assert o.headings == [], "the header adds no heading: the page's one <h1> is its title"


def _notebook() -> nbformat.NotebookNode:
    v4 = nbformat.v4
    nb = v4.new_notebook()
    block = title_block("Calls", "2025-26 Q3", "How many?", ["calls.csv"]).data
    nb.cells = [v4.new_markdown_cell("# Calls: how many?\n\nWhy."),
                v4.new_code_cell("page.title(ctx)", execution_count=1,
                                 outputs=[v4.new_output("display_data", data={"text/html": block})]),
                v4.new_markdown_cell("## The quarter\n\nProse."),
                v4.new_markdown_cell("## Definitions & notes")]
    clean_notebook(nb)
    return nb


def test_exported_page_has_the_header_contents_and_foot_and_each_title_once():
    nav = navigation(Q3, "restricted", PAGES, "10_b.html")
    page = export_html(copy.deepcopy(_notebook()), "Calls: how many?", nav)
    o = _outline(page)
    body = page[page.index('<main id="main">'):]
    assert [h for h in o.headings] == [(1, "Calls: how many?¶"), (2, "The quarter¶"), (2, "Definitions & notes¶"),
                                       (2, "Data used¶")]
    assert body.count("Calls: how many?") == 1, "the title is printed once (the title block has no heading)"
    assert page_sections(page) == [("The-quarter", "The quarter"), ("Definitions-&-notes", "Definitions & notes"),
                                   ("Data-used", "Data used")]
    assert body.index("Definitions &amp; notes") < body.index("calls.csv"), "the files behind the page come last"
    assert body.count("calls.csv") == 1 and "Data used:" not in body
    assert ("#The-quarter", "The quarter") in o.links and ("#Definitions-&-notes", "Definitions & notes") in o.links
    assert ("00_a.html", "Previous page Plan dashboard") in o.links
    assert ("20_c.html", "Next page Crime trends") in o.links
    assert "RESTRICTED: not for publication" in page and "pcp-restricted" in page
    assert stylesheet() in page, "the pack's one stylesheet, inlined"
    assert page.index("jp-RenderedHTMLCommon") < page.index("The pack's one stylesheet"), "after JupyterLab's: it wins"


def test_a_page_exported_on_its_own_has_no_pack_header():
    page = export_html(copy.deepcopy(_notebook()), "Calls")
    assert "pcp-header" not in page.split("</style>")[-1] and "<!--pcp:" not in page
    assert stylesheet() in page


def test_index_pages_share_the_stylesheet_and_header():
    pages = [{"ok": True, "notebook": "00_pcp_dashboard.ipynb", "audience": "public", "title": "Plan dashboard",
              "html": "00_pcp_dashboard.html"}]
    front = front_html(Q3, "public", pages, ROOT / "notebooks", FIXTURE_DATA, "2026-01-02")
    top = pack_index(Q3, ["public", "restricted"], "2026-01-02")
    for page in (front, top):
        assert stylesheet() in page and '<main id="main">' in page and '<html lang="en">' in page
        assert [lvl for lvl, _ in _outline(page).headings][0] == 1, "headings start at <h1>"
    assert ("00_pcp_dashboard.html", "Next page Plan dashboard") in _outline(front).links
    assert "PUBLIC" in front and "RESTRICTED" not in top.split("</style>")[-1].split("<main")[0]


def test_pack_pages_are_titled_by_each_notebooks_heading_before_anything_runs():
    pages = pack_pages(discover_notebooks())
    assert [p.href for p in pages] == [f"{nb.stem}.html" for nb in discover_notebooks()]
    dashboard = next(p for p in pages if p.href == "00_pcp_dashboard.html")
    assert dashboard.title == "Police and Crime Plan dashboard"
    assert all(p.title and not p.title.startswith("#") for p in pages)


def test_the_stylesheet_has_print_rules_and_no_outside_address():
    css = stylesheet()
    assert "@media print" in css and "break-inside: avoid" in css and "table-header-group" in css
    assert not re.search(r"url\(|@import|https?:", css)
    assert Path(__file__).name  # tests mirror the package: pcp_lib/pack/navigation.py
