"""The CSP page by the contract: what load decides, and SYNTHETIC labels exactly where the
content is computed from a synthetic input (rendered without a kernel)."""

from __future__ import annotations

import html
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.display.page import render_html
from pcp_lib.subjects.csp import page

from .helpers import AS_AT


def _text(h: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", h))


def _render(quarter: str, data_dir: Path | None = FIXTURE_DATA, audience: str = "public") -> dict[str, str]:
    """The page as text by section ("" for the title part), as ``render_html`` builds it."""
    ctx = page.load(quarter, data_dir, audience)
    out = {"": _text(page.title(ctx).html(images=False))}
    for heading, fn in page.SECTIONS:
        out[heading] = _text(fn(ctx).html(images=False))
    return out


@pytest.mark.slow  # the whole page of real data, charts drawn
def test_render_html_renders_every_section_in_order():
    h = render_html(page.load, page.title, page.SECTIONS, "2025-26 Q3", FIXTURE_DATA)
    headings = re.findall(r"<h2>(.*?)</h2>", h)  # the title block has none: the title is printed once
    assert [html.unescape(x) for x in headings] == [heading for heading, _ in page.SECTIONS]


def test_load_decides_the_positions_of_the_quarter():
    ctx = page.load("2025-26 Q3", FIXTURE_DATA)
    assert ctx.lead_as_at == date(2025, 12, 31) and ctx.previous_as_at == date(2025, 9, 30)
    assert ctx.year_earlier is None and ctx.published_relation == "after the quarter"
    assert ctx.published_position is not None and ctx.published_position.attrs["as_at"] == AS_AT
    assert set(ctx.inputs) == {"csp_spend", "csp_spend_published", "csp_projects", "csp_priority_rules",
                               "csp_areas", "ons_recorded_crime_csp", "population"}
    assert ctx.inputs["csp_spend"].synthetic and not ctx.inputs["csp_spend_published"].synthetic
    assert ctx.coverage == [] and ctx.shown == ctx.asked
    q4 = page.load("2025-26 Q4", FIXTURE_DATA)
    assert q4.lead_as_at == AS_AT and q4.published_relation == "in the quarter"
    assert q4.coverage and "January 2026" in q4.coverage[0]
    late = page.load("2027-28 Q1", FIXTURE_DATA)
    assert late.shown == q4.asked and late.lead_as_at == AS_AT  # leads with the last position there is
    assert page.load("2024-25 Q4", FIXTURE_DATA).shown is None
    with pytest.raises(ValueError, match="audience"):
        page.load("2025-26 Q3", FIXTURE_DATA, audience="everyone")


def test_q3_labels_the_sections_built_from_synthetic_positions_only():
    sec = _render("2025-26 Q3")
    assert "csp_spend (csp_spend.csv) is SYNTHETIC sample data" in sec[""]
    label = "SYNTHETIC data (csp_spend.csv)"
    for heading in ("The quarter asked for", "Spend against the year's profile", "Projected year-end position",
                    "Areas flagged, with the reason", "Drawdown over the year", "How the figures are worked out"):
        assert label in sec[heading], heading
    assert 'data-stamp="SYNTHETIC DATA"' in page.profile(page.load("2025-26 Q3", FIXTURE_DATA)).html(images=False)  # chart stamp
    for heading in ("The published position", "What the money buys", "How each project was tagged"):
        assert "SYNTHETIC" not in sec[heading], heading
    assert "£639,675.00" in sec["The published position"] and "-7.8pp" in sec["The published position"]


def test_q4_leads_with_the_real_position_and_labels_only_what_uses_the_sample():
    sec = _render("2025-26 Q4")
    assert "SYNTHETIC" not in sec["Spend against the year's profile"]
    assert "SYNTHETIC" in sec["The quarter asked for"]  # drawdown since the (synthetic) Q3 position
    assert "SYNTHETIC" in sec["Drawdown over the year"]


def test_quarters_before_the_data_say_so_in_every_section():
    sec = _render("2024-25 Q4", audience="restricted")
    assert "There are no CSP spend position data up to Q4 2024/25" in sec[""]
    assert "RESTRICTED version" in sec[""]
    assert "No published CSP position falls up to the end of Q4 2024/25" in sec["The published position"]
    assert "There is no CSP spend position up to the end of Q4 2024/25" in sec["Projected year-end position"]
    assert "SYNTHETIC" not in " ".join(sec.values())


def _unmark_returns(tmp_path: Path) -> Path:
    """A copy of the data where no CSP input is synthetic (the sample positions re-marked real)."""
    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    for side in (tmp_path / "data" / "quarters").glob("*/csp_spend.csv.source.txt"):
        side.write_text("Test copy: treated as a real return.\n", encoding="utf-8")
    return tmp_path / "data"


@pytest.mark.parametrize(("file", "sections"), [
    ("published/csp_spend.csv", {"The published position"}),
    ("published/csp_projects.csv", {"What the money buys", "How each project was tagged"}),
    ("reference/csp_priority_rules.csv", {"What the money buys", "How each project was tagged"}),
    ("quarters/2025-26-Q2/csp_spend.csv", {"The quarter asked for", "Drawdown over the year"}),
    ("reference/csp_areas.csv", {"The quarter asked for", "Spend against the year's profile",
                                 "Projected year-end position", "Areas flagged, with the reason",
                                 "The published position", "Drawdown over the year", "What the money buys",
                                 "How each project was tagged"}),
])
def test_one_input_marked_synthetic_is_labelled_where_it_is_used(tmp_path, file, sections):
    data = _unmark_returns(tmp_path)
    (data / f"{file}.source.txt").write_text("SYNTHETIC test copy\n", encoding="utf-8")
    sec = _render("2025-26 Q3", data)
    name = Path(file).name
    assert f"({name}) is SYNTHETIC sample data" in sec[""]
    labelled = {h for h, body in sec.items() if h and f"SYNTHETIC data ({name})" in body}
    assert labelled == sections


def test_findings_give_spend_against_the_year_and_the_flagged_areas(findings_shown):
    spend, flagged = findings_shown(page, page.load("2025-26 Q3", FIXTURE_DATA))
    assert spend.text == ("As at 31/12/2025 the nine CSPs had spent £522,298.54 of the £639,675.00 allocated for 2025/26 "
                          "(81.7% spent) with 75.3% of the year elapsed (day 275 of 365); £117,376.46 remained.")
    assert spend.section == "The quarter asked for"
    assert flagged.text == ("4 of 9 areas are flagged as at 31/12/2025: Charnwood (fully spent); SNWLP (behind profile, "
                            "-6.4pp against profile); Oadby and Wigston (no drawdown yet); Melton Mowbray (fully spent).")
    assert flagged.section == "Areas flagged, with the reason" and flagged.anchor == "Areas-flagged,-with-the-reason"
    assert spend.basis == flagged.basis == "SYNTHETIC sample (csp_spend.csv)"
    assert spend.when == "Q3 2025/26, data as at 31/12/2025"


def test_findings_before_the_data_say_so():
    (only,) = page.findings(page.load("2023-24 Q1", FIXTURE_DATA))
    assert only.text.startswith("There is no CSP spend position as at any date up to the end of Q1 2023/24")
