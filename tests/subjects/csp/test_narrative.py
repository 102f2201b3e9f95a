"""The sentences the CSP page shows, computed from the positions."""

from __future__ import annotations

from datetime import date

from conftest import FIXTURE_DATA

from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects.csp import (
    load_positions,
    load_projects,
    load_published,
    load_rules,
    narrative,
    spend_position,
    tag_projects,
)
from pcp_lib.subjects.csp.timeline import AFTER, drawdown_between, drawdown_series

from .helpers import AS_AT

Q3 = Quarter.parse("2025-26 Q3")


def test_lead_sentences_name_the_date_the_kind_and_the_drawdown():
    by_date = load_positions(Q3, FIXTURE_DATA)
    d, prev = date(2025, 12, 31), date(2025, 9, 30)
    lead = spend_position(by_date[d], d)
    text = " ".join(narrative.lead_sentences(Q3, lead, prev, drawdown_between(by_date[prev], by_date[d])))
    assert "as at 31/12/2025 (within the quarter; a SYNTHETIC sample position)" in text
    assert "£522,298.54 of the £639,675.00" in text and "day 275 of 365" in text
    assert "from the position as at 30/09/2025 to 31/12/2025, £231,162.16 was drawn down" in text
    assert "no position for Q3 2024/25" in text


def test_lead_sentences_for_a_real_position_and_a_later_year():
    by_date = load_positions("2025-26 Q4", FIXTURE_DATA)
    lead = spend_position(by_date[AS_AT], AS_AT)
    late = " ".join(narrative.lead_sentences(Quarter.parse("2027-28 Q1"), lead))
    assert "before the quarter began; real figures, not a sample" in late
    assert "no CSP position yet for 2027/28" in late
    year_on = " ".join(narrative.lead_sentences(Quarter.parse("2026-27 Q4"), lead, year_earlier=lead))
    assert "A year earlier, as at 05/01/2026, 82.5% of the 2025/26 allocation had been spent: 0.0pp" in year_on
    assert "no CSP spend position" in narrative.lead_sentences(Quarter.parse("2024-25 Q4"), None)[0]


def test_published_sentences_say_where_the_position_falls():
    pos = spend_position(load_published(FIXTURE_DATA), AS_AT)
    text = " ".join(narrative.published_sentences(Q3, pos, AFTER))
    assert "5 days after the end of Q3 2025/26" in text and "£639,675.00" in text and "9 of 9 rows" in text
    assert "restates a check" in text  # the loader enforces it: say so rather than present it as a finding
    assert "No published CSP position" in narrative.published_sentences(Q3, None, None)[0]


def test_status_projection_and_method_sentences():
    pos = spend_position(load_published(FIXTURE_DATA), AS_AT)
    status = narrative.status_sentences(pos)
    assert "Behind profile as at 05/01/2026: SNWLP." in status
    assert status[-1].startswith("4 of 9 areas are flagged")
    proj = " ".join(narrative.projection_sentences(pos))
    assert "projected underspend of £37,996.58 (5.9% of the allocation)" in proj
    assert "SNWLP £5,442.00; Oadby and Wigston £32,554.58" in proj
    assert "day 280 of 365" in narrative.method_notes(pos)[0]


def test_captions_and_series_subtitle_carry_no_typed_label():
    assert narrative.position_caption(AS_AT) == "Position as at 05/01/2026"
    s = drawdown_series(load_positions("2025-26 Q4", FIXTURE_DATA), 2025)
    sub = narrative.series_subtitle(s)
    assert "30/06/2025, 30/09/2025, 31/12/2025" in sub and "05/01/2026" not in sub
    assert narrative.series_subtitle(s.assign(synthetic=False)).startswith("Every position shown is real")


def test_project_sentences():
    tagged = tag_projects(load_projects(FIXTURE_DATA), load_rules(FIXTURE_DATA))
    text = narrative.project_sentences(tagged)
    assert text[0] == "Appendix One lists 60 projects agreed by 8 of the 9 CSPs; it lists none for Oadby and Wigston."
    assert text[-1] == "Leicester has the most projects (12)."
