"""Where each CSP stands: the published position's totals, statuses and projection to the
penny, the year-elapsed arithmetic, and frames an analyst can sort and plot."""

from __future__ import annotations

from datetime import date

import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.subjects.csp import load_published, spend_position, year_elapsed
from pcp_lib.subjects.csp.position import MONEY_COLUMNS, PERCENT_COLUMNS

from .helpers import AS_AT, D


def test_published_totals_and_position():
    pos = spend_position(load_published(), AS_AT)
    t = pos.loc[pos["is_total"]].iloc[0]
    assert (t["allocation"], t["expenditure"], t["remaining"]) == (D("639675.00"), D("527792.49"), D("111882.51"))
    by = pos.set_index("csp_area")
    assert by.loc["Oadby and Wigston", "status"] == "no drawdown yet"
    assert by.loc["Charnwood", "status"] == by.loc["Melton", "status"] == "fully spent"
    assert by.loc["Safer North West Leicestershire Partnership", "status"] == "behind profile"
    assert by.loc["Leicester", "status"] == "ahead of profile"
    assert by.loc["Blaby", "status"] == by.loc["Rutland", "status"] == "on profile"
    assert set(pos.loc[pos["flagged"], "csp_area"]) == {"Oadby and Wigston", "Charnwood", "Melton",
                                                        "Safer North West Leicestershire Partnership"}
    # % of year elapsed: day 280 of 365 (exact in the year record, float in the frame)
    assert pos.attrs["year"].pct == D(280) / D(365) * 100
    assert pos["pct_year_elapsed"].eq(float(D(280) / D(365) * 100)).all()
    # SNWLP at its run rate: 37,078.21 / 280 x 365 = 48,334.10, so 5,442.00 unspent
    snwlp = by.loc["Safer North West Leicestershire Partnership"]
    assert snwlp["projected_year_end"] == D("48334.10") and snwlp["projected_underspend"] == D("5442.00")
    assert by.loc["Oadby and Wigston", "projected_underspend"] == D("32554.58")
    # capped at the allocation: Leicester's run rate exceeds it
    assert by.loc["Leicester", "run_rate_year_end"] == D("308284.83")
    assert by.loc["Leicester", "projected_year_end"] == D("271818.47")
    assert t["projected_underspend"] == D("37996.58") and t["projected_year_end"] == D("601678.42")
    assert "-7.8pp" in by.loc["Safer North West Leicestershire Partnership", "reason"]
    assert "(0.0pp)" in by.loc["Blaby", "reason"]  # the zero rule: no sign


def test_blaby_on_the_line_is_decided_exactly():
    """Blaby's share spent rounds to the year elapsed (76.7% against 76.7%): the status uses the
    exact gap, not the rounded one."""
    by = spend_position(load_published(), AS_AT).set_index("csp_area")
    gap = D("40405.42") / D("52665.76") * 100 - D(280) / D(365) * 100
    assert abs(gap) < D("0.05") and by.loc["Blaby", "status"] == "on profile"


def test_frames_sort_describe_and_plot():
    pos = spend_position(load_published(), AS_AT)
    for c in PERCENT_COLUMNS:
        assert pos[c].dtype == "float64", c
    assert pos["pct_spent"].describe()["max"] == 100.0
    assert list(pos.sort_values("pct_spent")["csp_area"])[0] == "Oadby and Wigston"
    for c in MONEY_COLUMNS:  # money stays exact
        assert all(isinstance(v, type(D(0))) for v in pos[c]), c
    assert provenance_of(pos).kind == "published"  # the position keeps the provenance of its rows


def test_spend_position_rejects_inconsistent_input():
    pub = load_published()
    with pytest.raises(DataError, match="position as at 31/12/2025"):
        spend_position(pub, date(2025, 12, 31))
    bad = pub.copy()
    bad.loc[0, "remaining"] = D("1.00")
    with pytest.raises(DataError, match="allocation minus expenditure"):
        spend_position(bad, AS_AT)
    bad = pub.copy()
    bad.loc[0, "expenditure"] = D("999999.00")
    with pytest.raises(DataError, match="at most the allocation"):
        spend_position(bad.drop(columns=["remaining"]), AS_AT)


@pytest.mark.parametrize("day, expected", [
    (date(2026, 1, 5), (2025, 280, 365)),
    (date(2025, 4, 1), (2025, 1, 365)),
    (date(2026, 3, 31), (2025, 365, 365)),
    (date(2024, 2, 29), (2023, 335, 366)),  # 2023/24 holds 29 February 2024
    (date(2024, 3, 31), (2023, 366, 366)),
    (date(2025, 3, 31), (2024, 365, 365)),
    (date(2028, 3, 1), (2027, 336, 366)),
    (date(2027, 3, 1), (2026, 335, 365)),
])
def test_year_elapsed(day, expected):
    ye = year_elapsed(day)
    assert (ye.fy, ye.day, ye.days_in_year) == expected
    assert ye.days_left == expected[2] - expected[1]


def test_year_elapsed_rejects_a_date_outside_the_year():
    with pytest.raises(DataError, match="financial year 2025/26"):
        year_elapsed(date(2026, 4, 1), fy=2025)
    assert year_elapsed(AS_AT).describe() == "05/01/2026 is day 280 of 365 of 2025/26 (76.7% of the year)"
