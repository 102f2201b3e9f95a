"""Which positions a quarter leads with, the drawdown between them, and the year's series."""

from __future__ import annotations

from datetime import date

from conftest import FIXTURE_DATA

from pcp_lib.core.provenance import provenance_of
from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects.csp import load_positions, load_published
from pcp_lib.subjects.csp.spend import positions
from pcp_lib.subjects.csp.timeline import (
    AFTER,
    BEFORE,
    WITHIN,
    drawdown_between,
    drawdown_series,
    latest_up_to,
    previous_in_year,
    published_for,
    year_earlier_of,
)

from .helpers import AS_AT

DATES = [date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31), AS_AT]


def test_the_quarter_leads_with_the_latest_position_up_to_its_end():
    q3 = Quarter.parse("2025-26 Q3")
    assert latest_up_to(DATES, q3) == date(2025, 12, 31)
    assert previous_in_year(DATES, date(2025, 12, 31)) == date(2025, 9, 30)
    assert previous_in_year(DATES, date(2025, 6, 30)) is None  # the year's first position
    assert year_earlier_of(DATES, q3) is None
    assert year_earlier_of(DATES, Quarter.parse("2026-27 Q4")) == AS_AT
    assert latest_up_to(DATES, Quarter.parse("2024-25 Q4")) is None
    assert latest_up_to(DATES, Quarter.parse("2027-28 Q1")) == AS_AT


def test_where_the_published_position_falls():
    pub = positions(load_published(FIXTURE_DATA))
    assert published_for(pub, Quarter.parse("2025-26 Q3")) == (AS_AT, AFTER)
    assert published_for(pub, Quarter.parse("2025-26 Q4")) == (AS_AT, WITHIN)
    assert published_for(pub, Quarter.parse("2026-27 Q1")) == (AS_AT, BEFORE)
    assert published_for(pub, Quarter.parse("2025-26 Q2")) == (None, None)


def test_drawdown_between_two_positions_adds_up_and_carries_both_provenances():
    by_date = load_positions("2025-26 Q4", FIXTURE_DATA)
    dd = drawdown_between(by_date[date(2025, 9, 30)], by_date[date(2025, 12, 31)]).set_index("csp_area")
    assert dd.loc["Total", "spent_before"] + dd.loc["Total", "drawn_down"] == dd.loc["Total", "spent_to_date"]
    assert all(d >= 0 for d in dd["drawn_down"])
    assert len(provenance_of(dd).files) == 2 and provenance_of(dd).synthetic
    first = drawdown_between(None, by_date[date(2025, 6, 30)])
    assert (first["drawn_down"] == first["spent_to_date"]).all() and first.attrs["before"] is None


def test_drawdown_series_marks_the_synthetic_positions_from_their_provenance():
    by_date = load_positions("2025-26 Q4", FIXTURE_DATA)
    s = drawdown_series(by_date, 2025)
    assert len(s) == 10 * 5 and s.loc[s["start"], "pct_spent"].eq(0).all()
    assert s["pct_spent"].dtype == "float64"
    real = s.loc[~s["start"] & ~s["synthetic"], "as_at"]
    assert set(real) == {AS_AT}
    assert provenance_of(s).synthetic and len(provenance_of(s).files) == 4
    assert drawdown_series(by_date, 2024).empty
