"""The pack's index pages: rendered from the templates, escaped, styled, in notebook order."""

from __future__ import annotations

from html.parser import HTMLParser

from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.index import audience_index, pack_index, plan_summary

Q3 = Quarter.parse("2025-26 Q3")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.lang: str | None = None
        self.styled = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            self.hrefs.append(a["href"])
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "style":
            self.styled = True


def _parse(page: str) -> _Links:
    p = _Links()
    p.feed(page)
    return p


def test_audience_index_lists_pages_in_the_order_given_and_escapes_titles():
    pages = [{"ok": True, "notebook": "00_a.ipynb", "audience": "public", "title": "Dashboard", "html": "00_a.html"},
             {"ok": True, "notebook": "10_b.ipynb", "audience": "public", "title": "Calls <999> & 101",
              "html": "10_b.html"}]
    page = audience_index(Q3, "public", pages, "40 headline metrics: 17 Green.", "2026-01-02")
    parsed = _parse(page)
    main = page[page.index("<main"):page.index("</main>")]
    assert _parse(main).hrefs == ["00_a.html", "10_b.html"], "the contents, in the order given"
    assert [h for h in parsed.hrefs if h in ("00_a.html", "10_b.html")][:2] == ["00_a.html", "10_b.html"], \
        "and the header's links to every page"
    assert parsed.lang == "en" and parsed.styled
    assert "Calls &lt;999&gt; &amp; 101" in page and "<999>" not in page
    assert "<title>Police and Crime Plan performance pack: Q3 2025/26</title>" in page
    assert "October-December 2025." in page and '<strong class="pcp-marking">PUBLIC</strong>' in page
    assert "Data run made on 2026-01-02." in page and "40 headline metrics: 17 Green." in page


def test_restricted_index_says_so():
    page = audience_index(Q3, "restricted", [], "x", "2026-01-02")
    assert "RESTRICTED: not for publication" in page


def test_pack_index_is_styled_with_a_language_and_links_each_audience_present():
    page = pack_index(Q3, ["public", "restricted"], "2026-01-02")
    parsed = _parse(page)
    assert parsed.lang == "en" and parsed.styled, "readable: language set and styled"
    main = page[page.index("<main"):page.index("</main>")]
    assert _parse(main).hrefs == ["public/index.html", "restricted/index.html"]
    assert "Public pack" in page and "Restricted pack" in page
    assert "<h1>Police and Crime Plan performance pack: Q3 2025/26</h1>" in page
    assert _parse(pack_index(Q3, ["public"], "2026-01-02")).hrefs == ["#main", "public/index.html"], "skip link, then"


def test_plan_summary_counts_the_audience_view():
    assert plan_summary(Q3, None, "public") == (
        "40 headline metrics: 17 Green, 10 Amber, 9 Red, 2 No data, 2 Restricted.")
    assert plan_summary(Q3, None, "restricted") == "40 headline metrics: 17 Green, 10 Amber, 10 Red, 3 No data."


def test_plan_summary_says_when_it_shows_an_earlier_quarter():
    later = Quarter.parse("2026-27 Q1")
    assert plan_summary(later, None, "public").startswith("Latest Plan data are for Q3 2025/26: 40 headline")
