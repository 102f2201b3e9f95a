"""The pack's top-level index page: rendered from the templates, styled, a link per audience.
(Each audience's own index is its front page: tests/front/test_front.py.)"""

from __future__ import annotations

from html.parser import HTMLParser

from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.index import pack_index

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


def test_pack_index_is_styled_with_a_language_and_links_each_audience_present():
    page = pack_index(Q3, ["public", "restricted"], "2026-01-02")
    parsed = _parse(page)
    assert parsed.lang == "en" and parsed.styled, "readable: language set and styled"
    main = page[page.index("<main"):page.index("</main>")]
    assert _parse(main).hrefs == ["public/index.html", "public/pack.pdf", "public/paper.docx",
                                  "restricted/index.html", "restricted/pack.pdf", "restricted/paper.docx"]
    assert "Public pack" in page and "Restricted pack" in page
    assert "<h1>Police and Crime Plan performance pack: Q3 2025/26</h1>" in page
    assert _parse(pack_index(Q3, ["public"], "2026-01-02")).hrefs == ["#main", "public/index.html", "public/pack.pdf",
                                                                     "public/paper.docx"], "skip link, then"

