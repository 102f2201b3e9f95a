"""The front page of each audience's pack (issue 25, item 3): one printed A4 page, about 350
words, that opens with what the Panel is asked to do, then the RAG counts and what they mean
(the agreed ranges read from the reference data), what changed since last quarter, the Red
metrics with their evidence and commentary, and one line per registered subject; plain words
(every abbreviation spelled out at first use, no serial without its metric); the public page
holds no restricted value, the restricted one has the same structure and says what it adds."""

from __future__ import annotations

import json
import re
import subprocess
from html import unescape
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from pcp_lib.front.page import NO_COMMENTARY, build_front, subject_of_page
from pcp_lib.methods.rag import ranges_text
from pcp_lib.pack.front import render_front
from pcp_lib.pack.pages import pack_pages
from pcp_lib.pack.run import discover_notebooks
from pcp_lib.reference.glossary import abbreviation_pattern, load_glossary
from pcp_lib.reference.rag_bands import load_bands
from pcp_lib.subjects import registry
from pcp_lib.subjects.dashboard import page as dashboard_page
from pcp_lib.subjects.dashboard.register import load_register

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
FIXTURE_NBS = ROOT / "tests" / "fixtures" / "notebooks"
Q3 = "2025-26 Q3"
RUN_DATE = "2026-01-02"
#: about 350 words (issue 25): a word is a token with a letter or a digit (not "→" or "✔")
#: The Q3 2025/26 public page is 362: "about 350" with six pages' lines, two of which say the period
#: their figures are for (not this quarter); the print test holds it to one A4 page
MAX_WORDS = 365
#: capitalised tokens that are words, not abbreviations
NOT_ABBREVIATIONS = {"PUBLIC", "RESTRICTED", "SYNTHETIC", "PARTIAL"}


def _pages(audience: str = "public") -> list[dict]:
    """The runs the pack gives the front page: every shipped notebook, in order, titled as the pack titles it."""
    return [{"ok": True, "notebook": nb.name, "audience": audience, "title": link.title, "html": link.href}
            for nb, link in zip(discover_notebooks(NOTEBOOKS), pack_pages(discover_notebooks(NOTEBOOKS)), strict=True)]


@pytest.fixture(scope="module")
def fronts() -> dict[str, tuple]:
    """(FrontPage, HTML) of each audience for Q3 2025/26 from the shipped data."""
    out = {}
    for aud in ("public", "restricted"):
        front = build_front(Q3, aud, _pages(aud), NOTEBOOKS)
        out[aud] = (front, render_front(front, RUN_DATE))
    return out


class _Outline(HTMLParser):
    """Headings in order, links, tags, the page language and the visible text of <main>."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self.lang: str | None = None
        self.main: list[str] = []
        self._in_main = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "a":
            self.hrefs.append(a["href"])
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "main":
            self._in_main = True

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main = False

    def handle_data(self, data):
        if self._in_main:
            self.main.append(data)


def _outline(page: str) -> _Outline:
    p = _Outline()
    p.feed(page)
    return p


def _text(page: str) -> str:
    """The visible text of the page's <main>, whitespace squashed."""
    return " ".join(" ".join(_outline(page).main).split())


def _words(text: str) -> list[str]:
    return [t for t in text.split() if re.search(r"\w", t)]


def test_it_opens_with_what_the_panel_is_asked_to_do(fronts):
    for aud in ("public", "restricted"):  # Q3 2025/26 publishes serial 7: the same 10 Reds in both
        front, page = fronts[aud]
        text = _text(page)
        after_title = text.split("Q3 2025/26 at a glance", 1)[1].strip()
        assert after_title.startswith("The Panel is asked to scrutinise the 10 Red metrics below and ask for "
                                      "commentary, an owner and a next step for the 8 without one; and to note "), aud
    public = fronts["public"][0]
    assert public.ask.endswith("3 metrics with no data and 3 published arrows contradicting the values."), (
        "the exceptions, computed from the dashboard's table")


def test_about_350_words_and_few_numbers(fronts):
    for aud in ("public", "restricted"):
        text = _text(fronts[aud][1])
        words = _words(text)
        numbers = re.findall(r"\d[\d,.]*", text)
        assert len(words) <= MAX_WORDS + (15 if aud == "restricted" else 0), f"{aud}: {len(words)} words"
        assert len(numbers) < 90, f"{aud}: {len(numbers)} numbers (875 words and 237 numbers before issue 25)"


def test_rag_counts_with_symbol_and_word_and_what_they_mean(fronts):
    public, page = fronts["public"]
    assert public.counts == [("✔ Green", 17), ("● Amber", 10), ("✖ Red", 10), ("– No data", 3)]
    assert '<th scope="col">✖ Red</th>' in page and "<td>10</td>" in page
    assert "<h2>The 40 headline metrics, Q3 2025/26</h2>" in page
    assert public.counts_caption == ("By Red, Amber, Green (RAG), from the Office of the Police and Crime "
                                     "Commissioner's (OPCC) paper"), "RAG and OPCC spelled out at first use"
    assert public.rag_rule.startswith("Red: moved from its 2024/25 baseline by more than the agreed range (±2pp "
                                      "(percentage points) for percentages, ±5% for everything else), against "
                                      "the target. Amber: within the range.")
    assert ranges_text(load_bands(), brief=True) in public.rag_rule.replace(" (percentage points)", "")


def test_the_rule_is_read_from_the_band_file(data):
    bands = data / "reference" / "rag_bands.csv"
    bands.write_text(bands.read_text(encoding="utf-8").replace("percent,2,pp", "percent,3,pp"), encoding="utf-8")
    front = build_front(Q3, "public", [], NOTEBOOKS, data)
    assert "(±3pp (percentage points) for percentages, ±5% for everything else)" in front.rag_rule


def test_the_red_metrics_with_values_change_and_evidence(fronts):
    public, page = fronts["public"]
    assert [r.serial for r in public.reds] == ["3", "5", "7", "16", "31", "34", "42", "57", "70", "71"]
    drug = public.reds[5]
    assert (drug.label, drug.values, drug.change, drug.evidence) == (
        "Serial 34, Police referrals into drug treatment via required assessment", "70 → 30", "-57.1%", "not tested")
    assert public.reds[6].change == "-3.0pp" and public.reds[6].values == "80% → 77.0%"
    assert ('<tr><th scope="row">Serial 34, Police referrals into drug treatment via required assessment</th>'
            "<td class=\"pcp-nowrap\">70 → 30</td><td class=\"pcp-nowrap\">-57.1%</td>"
            "<td>Owner: Police and Crime Commissioner (PCC).</td></tr>") in page, "the shipped return's owner"
    casualties = next(r for r in public.reds if r.serial == "57")
    assert casualties.commentary == "“The number of casualties, row 57, this metric is showing…”", (
        "the first words of the paper's commentary, quoted")
    assert public.untested == "None could be tested statistically."
    assert "–: no commentary supplied (8 of 10)." in page and page.count("<td>–</td>") == 8
    assert 'href="00_pcp_dashboard.html#Red-metrics-and-why"' in page


def test_a_tested_red_shows_its_evidence(monkeypatch):
    real = dashboard_page.evidence_view

    def tested(ctx):
        view = real(ctx).copy()
        view.loc[view["serial"] == 57, ["p_adjusted", "evidence"]] = [0.012, True]
        return view

    monkeypatch.setattr(dashboard_page, "evidence_view", tested)
    front = build_front(Q3, "public", [], NOTEBOOKS)
    casualties = next(r for r in front.reds if r.serial == "57")
    assert casualties.evidence == "yes, adjusted p = 0.012"
    assert front.untested == ""
    page = render_front(front, RUN_DATE)
    assert "<th scope=\"col\">Evidence of change</th>" in page and "<td>yes, adjusted p = 0.012</td>" in page


def _with_commentary(monkeypatch, rows: dict[int, dict[str, str]]) -> None:
    """The dashboard's table with the optional commentary columns (branch "history" adds them to
    the metric values return), as the page's context would carry them."""
    real = dashboard_page.load

    def load(quarter, data_dir=None, audience="public"):
        ctx = real(quarter, data_dir, audience)
        table = ctx.table.copy()
        for column in ("commentary", "owner", "next_step"):
            table[column] = pd.Series([rows.get(int(s), {}).get(column) for s in table["serial"]], index=table.index,
                                      dtype="string")
        ctx.table = table
        return ctx

    monkeypatch.setattr(dashboard_page, "load", load)


def test_the_owner_or_else_the_commentary_when_supplied(monkeypatch):
    _with_commentary(monkeypatch, {34: {"commentary": "Home Office funding ended", "owner": "Director of Governance "
                                        "and Performance", "next_step": "PCC funds an uplift from May 2026"},
                                   57: {"commentary": "The PCC asked for clarity on the figures"},
                                   70: {"next_step": "A review at the next Delivery Board."}})
    front = build_front(Q3, "public", [], NOTEBOOKS)
    shown = {r.serial: r.commentary for r in front.reds}
    assert shown["34"] == "Owner: Director of Governance and Performance.", "the owner: short, one A4 page"
    assert shown["57"] == "“The Police and Crime Commissioner (PCC) asked for clarity on the figures”"
    assert shown["70"] == "Next step: A review at the next Delivery Board."
    assert "ask for commentary, an owner and a next step for the 7 without one" in front.ask
    page = render_front(front, RUN_DATE)
    assert '<th scope="col">Owner or commentary</th>' in page
    assert page.count("<td>–</td>") == 7 and front.no_commentary == f"–: {NO_COMMENTARY} (7 of 10)."


def test_empty_commentary_columns_say_no_commentary_supplied(monkeypatch):
    _with_commentary(monkeypatch, {})
    front = build_front(Q3, "public", [], NOTEBOOKS)
    assert all(r.commentary == "" for r in front.reds)
    assert front.no_commentary.startswith("No commentary supplied")


def test_since_last_quarter_from_the_plan_history(fronts):
    """The dashboard's ``since_last_quarter``: the Panel minutes' shoplifting 8, before Q3 2025/26
    (data/published/metric_history.csv), against Q3's 7.42."""
    for aud in ("public", "restricted"):
        front, page = fronts[aud]
        assert front.changes == ["Serial 52, Incidences of shoplifting (rate per 1000 pop): 8 (earlier report) → "
                                 "7.42 (-7.3%); RAG Red → Amber."], aud
        assert "<h2>Since last quarter</h2>" in page


def test_since_last_quarter_without_earlier_plan_values(data):
    (data / "published" / "metric_history.csv").unlink()
    front = build_front(Q3, "public", [], NOTEBOOKS, data)
    assert front.changes == ["No earlier quarter's Plan values are in the data."]


def test_since_last_quarter_from_each_page_that_offers_it(monkeypatch):
    """``since_last_quarter(ctx)``: an optional part of the page contract, read from the
    registry's page modules; None means no earlier quarter's figures."""
    seen = []

    def dashboard_changes(ctx):
        seen.append(ctx.audience)
        return ["Serial 52, Incidences of shoplifting, moved from Green to Amber."]

    monkeypatch.setattr(dashboard_page, "since_last_quarter", dashboard_changes, raising=False)
    contact = registry.subject_named("contact").page
    monkeypatch.setattr(contact, "since_last_quarter", lambda ctx: ["999 calls rose 3% on Q2 2025/26."],
                        raising=False)
    front = build_front(Q3, "restricted", [], NOTEBOOKS)
    assert front.changes == ["Serial 52, Incidences of shoplifting, moved from Green to Amber.",
                             "999 calls rose 3% on Q2 2025/26."]
    assert seen == ["restricted"], "the dashboard's own context, as loaded for the audience"
    monkeypatch.setattr(dashboard_page, "since_last_quarter", lambda ctx: None)
    assert build_front(Q3, "public", [], NOTEBOOKS).changes == ["No earlier quarter's Plan values are in the data.",
                                                                "999 calls rose 3% on Q2 2025/26."]
    monkeypatch.setattr(dashboard_page, "since_last_quarter", lambda ctx: [])
    assert build_front(Q3, "public", [], NOTEBOOKS).changes[0] == "No Plan metric changed RAG since Q2 2025/26."


def test_many_changes_are_cut_to_a_few_lines_and_where_the_rest_are(monkeypatch):
    many = [f"Serial {n}, a metric, moved." for n in range(10)]
    monkeypatch.setattr(dashboard_page, "since_last_quarter", lambda ctx: many, raising=False)
    front = build_front(Q3, "public", [], NOTEBOOKS)
    assert front.changes == [*many[:2], "8 more changes: see Police and Crime Plan dashboard."]


@pytest.fixture(scope="module")
def withheld_fronts(tmp_path_factory) -> dict[str, tuple]:
    """(FrontPage, HTML) of each audience for Q3 2025/26 from a copy of the data in which
    serial 7 is withheld (the register's default, without the Q3 paper's decision)."""
    from conftest import withheld_copy
    data = withheld_copy(tmp_path_factory.mktemp("withheld_front") / "data")
    out = {}
    for aud in ("public", "restricted"):
        front = build_front(Q3, aud, _pages(aud), NOTEBOOKS, data_dir=data)
        out[aud] = (front, render_front(front, RUN_DATE))
    return out


def test_public_page_holds_no_withheld_value(withheld_fronts, restricted_strings):
    _, public = withheld_fronts["public"]
    _, restricted = withheld_fronts["restricted"]
    assert "62.7%" in restricted_strings and "60.4%" in restricted_strings, "the test could fail"
    for s in restricted_strings:
        assert s not in unescape(public), s
    assert ('<th scope="row">Serial 7, Staff satisfaction for Force (Annual figure) (restricted)</th>'
            "<td class=\"pcp-nowrap\">62.7% → 60.4%</td><td class=\"pcp-nowrap\">-2.3pp</td>") in restricted, "the restricted page does show serial 7"


def test_each_page_says_what_is_withheld_or_added(withheld_fronts, fronts):
    public, public_html = withheld_fronts["public"]
    restricted, restricted_html = withheld_fronts["restricted"]
    assert public.withheld == "Withheld here: Serial 7, Staff satisfaction for Force (Annual figure)."
    assert "25" not in public.withheld, "no value, nothing withheld: No data"
    assert restricted.withheld.startswith("RESTRICTED: this page adds what the public one withholds")
    assert ("✖ Red", 10) in restricted.counts and not any("Restricted" in k for k, _ in restricted.counts)
    assert "RESTRICTED: not for publication" in restricted_html and "RESTRICTED" not in public_html
    assert fronts["public"][0].withheld == "", "the shipped Q3 2025/26 withholds nothing"


def test_one_line_per_registered_subject_linking_to_its_page(fronts):
    front, page = fronts["public"]
    spelled = {"How LLR compares": "How Leicester, Leicestershire and Rutland (LLR) compares"}  # first use
    assert [s.title for s in front.subjects] == [spelled.get(s.page.TITLE, s.page.TITLE) for s in registry.subjects()]
    assert [s.html for s in front.subjects] == [f"{Path(s.notebook).stem}.html" for s in registry.subjects()]
    items = re.findall(r'<li><a href="([^"]+)">', page.split("<h2>The pages</h2>")[1])
    assert items == [s.html for s in front.subjects]
    synthetic = {s.title: s.synthetic for s in front.subjects}
    assert synthetic["Contact demand: 999, 101 and online"] == "all" and synthetic["Crime trends"] == ""
    assert "Contact demand: 999, 101 and online</a>: SYNTHETIC samples</li>" in page
    periods = {s.title: s.period for s in front.subjects}
    assert periods["Crime trends"] == "Q3 2024/25, the latest full quarter of police.uk data", "not this quarter"
    assert periods[spelled["How LLR compares"]] == "year ending June 2025 (not Q3 2025/26)"
    assert periods["Contact demand: 999, 101 and online"] == "", "this quarter's figures: nothing to say"


def test_a_subject_added_to_the_registry_gets_its_line(monkeypatch):
    extra = registry.Subject("compare", registry.subject_named("crime").page)
    monkeypatch.setattr(registry, "SUBJECTS", (*registry.SUBJECTS, extra))
    front = build_front(Q3, "public", [], NOTEBOOKS)
    assert len(front.subjects) == len(registry.SUBJECTS) and front.subjects[-1].html is None
    assert "Crime trends (no page in this pack)" in render_front(front, RUN_DATE)


def test_every_abbreviation_is_spelled_out_at_first_use(fronts):
    glossary = load_glossary()
    for aud in ("public", "restricted"):
        text = _text(fronts[aud][1])
        for abbreviation, words in glossary.items():
            first = abbreviation_pattern(abbreviation).search(text)
            if first is None:
                continue
            around = text[max(0, first.start() - len(words) - 6):first.end() + len(words) + 6]
            assert (f"{words}" in around and f"({abbreviation}" in around) or f"{first.group(0)} ({words})" in around, (
                aud, abbreviation, around)
        # every abbreviation-like token is one the glossary knows (or a plain word in capitals)
        tokens = set(re.findall(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b", text))
        unknown = {t for t in tokens if t not in NOT_ABBREVIATIONS and t.rstrip("s") not in glossary}
        assert not unknown, (aud, unknown)
        assert re.search(r"\d(pp)\b", text), "the test could fail: pp is used"


def test_a_serial_never_stands_alone(fronts):
    names = dict(zip(load_register()["serial"].astype(str), load_register()["metric"], strict=True))
    for aud in ("public", "restricted"):
        text = _text(fronts[aud][1])
        found = re.findall(r"\b[Ss]erial (\d+)(, [^;.]{0,12})?", text)
        assert len(found) >= 9, "the test could fail"
        for serial, after in found:
            assert after and names[serial].startswith(after[2:]), (aud, serial, after)
        outside_quotes = re.sub(r"“[^”]*”", "", text)  # an officer's commentary is quoted as written
        assert not re.search(r"\b(row|No\.?) \d+\b", outside_quotes)


def test_semantic_escaped_and_subjects_only_through_the_registry(fronts):
    _, page = fronts["public"]
    outline = _outline(page)
    assert outline.lang == "en"
    assert outline.headings[0] == 1 and outline.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in pairwise(outline.headings)), "no heading level skipped"
    assert {"caption", "th", "ul", "li"} <= set(outline.tags)
    assert "Data run made on 2026-01-02." in page and "October-December 2025" in page
    run = {"ok": True, "notebook": "60_x.ipynb", "audience": "public", "title": "Page <x> & co", "html": "60_x.html"}
    page = render_front(build_front(Q3, "public", [run], NOTEBOOKS), RUN_DATE)
    assert '<a href="60_x.html">Page &lt;x&gt; &amp; co</a>' in page and "<x>" not in page


def test_every_shipped_notebook_is_a_registry_subject_and_a_draft_none():
    subjects = [subject_of_page(nb) for nb in discover_notebooks(NOTEBOOKS)]
    assert subjects == list(registry.subjects()), "one notebook per subject, in notebook order"
    draft = json.loads((FIXTURE_NBS / "10_ok.ipynb").read_text(encoding="utf-8"))
    assert subject_of_page(FIXTURE_NBS / "10_ok.ipynb") is None and draft["cells"], "no import-line fallback"


def test_a_later_quarter_says_which_plan_data_it_shows():
    front = build_front("2026-27 Q1", "public", [], NOTEBOOKS)
    assert front.summary.startswith("The latest Plan metric values are for Q3 2025/26. Of 40 headline metrics")
    page = render_front(front, RUN_DATE)
    assert front.summary in page and "10 Red metrics (Q3 2025/26, not Q1 2026/27)" in page
    assert _text(page).split("at a glance", 1)[1].strip().startswith("The Panel is asked to")


def test_before_any_plan_data_there_are_no_counts():
    front = build_front("2023-24 Q1", "public", [], NOTEBOOKS)
    assert front.shown is None and front.counts == [] and front.reds == []
    assert front.ask == ("The Panel is asked to note that there are no Plan metric values up to Q1 2023/24: "
                         "nothing to assess.")
    page = render_front(front, RUN_DATE)
    assert "<table" not in page and "Red metrics" not in page and "<h2>The pages</h2>" in page


def test_a_page_without_a_subject_is_listed_without_findings(tmp_path):
    nb = json.loads((FIXTURE_NBS / "10_ok.ipynb").read_text(encoding="utf-8"))
    (tmp_path / "10_ok.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    run = {"ok": True, "notebook": "10_ok.ipynb", "audience": "public", "title": "OK", "html": "10_ok.html"}
    front = build_front(Q3, "public", [run], tmp_path)
    assert [(p.html, p.findings) for p in front.pages] == [("10_ok.html", [])]
    assert front.dashboard_html is None and front.counts
    assert front.subjects[-1].html == "10_ok.html" and front.subjects[-1].synthetic == ""
    assert '<li><a href="10_ok.html">OK</a></li>' in render_front(front, RUN_DATE)


def _print(chromium, page: str, tmp_path: Path) -> tuple[str, str]:
    """Print ``page`` as Chromium prints it (print media, A4, the page's own @page size):
    (pdfinfo's report, pdftotext's text with its whitespace squashed)."""
    html = tmp_path / "index.html"
    html.write_text(page, encoding="utf-8")
    pdf = tmp_path / "front.pdf"
    tab = chromium.new_page()
    try:
        tab.goto(html.as_uri())
        tab.emulate_media(media="print")
        tab.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
    finally:
        tab.close()
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return info, " ".join(text.split())


@pytest.mark.slow  # a headless Chromium prints the page
def test_the_public_front_page_prints_on_one_a4_page(fronts, chromium, poppler, tmp_path):
    info, text = _print(chromium, fronts["public"][1], tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert re.search(r"^Page size:.*\(A4\)$", info, re.M), info
    for line in ("The Panel is asked to scrutinise the 10 Red metrics", "Red: moved from its 2024/25 baseline",
                 "Serial 52, Incidences of shoplifting", "Serial 34, Police referrals into drug",
                 "Crime trends", "Data run made on 2026-01-02."):
        assert line in text, line


@pytest.mark.slow
def test_with_an_owner_for_every_red_and_restricted_it_still_prints_on_one_page(fronts, monkeypatch, chromium,
                                                                                poppler, tmp_path):
    _with_commentary(monkeypatch, {int(r.serial): {"owner": "Director of Governance and Performance",
                                                   "commentary": "A long commentary the dashboard shows in full."}
                                   for r in fronts["public"][0].reds})
    owners = render_front(build_front(Q3, "public", [], NOTEBOOKS), RUN_DATE)
    for name, page in (("owners", owners), ("restricted", fronts["restricted"][1])):
        folder = tmp_path / name
        folder.mkdir()
        info, text = _print(chromium, page, folder)
        assert re.search(r"^Pages:\s+1$", info, re.M), (name, info)
        assert "The Panel is asked to" in text, name
    assert text.count("Owner: Director of Governance and Performance.") == 0, "restricted: none supplied"
