"""SPC assurance of the contact rates against their targets (issue 16, item 6).

The assurance icon follows the Making Data Count Single Chart Tool v5.0 ("SPC charts - XmR
testing", "Summary icons - assurance"): target outside the process limits, pass or fail by the
direction that is better; inside (or on) them, hit or miss.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import FIXTURE_DATA

from pcp_lib.reference.contact_targets import load_targets
from pcp_lib.subjects.contact import assurance as a
from pcp_lib.subjects.contact.targets import target_lookup

MONTHS = pd.date_range("2024-01-01", periods=15, freq="MS").date


def _monthly(answered_10s: list[int], abandoned: list[int], offered: int = 1000) -> pd.DataFrame:
    n = len(answered_10s)
    return pd.DataFrame({"month": list(MONTHS[:n]), "channel": ["999"] * n, "offered": [offered] * n,
                         "answered_10s": answered_10s, "answered_15min": answered_10s, "abandoned": abandoned})


@pytest.fixture(scope="module")
def targets() -> pd.DataFrame:
    return load_targets(FIXTURE_DATA)


def test_rate_series_is_float_percent(targets):
    m = _monthly([905, 910] + [920] * 13, [5] * 15)
    s = a.rate_series(m, "999", "answered_10s")
    assert s.dtype == "float64" and s.iloc[0] == pytest.approx(90.5) and len(s) == 15


def test_consistently_passing_failing_and_hit_or_miss(targets):
    # 999 within 10 s (target at least 90%): rates 95-98% pass; 80-83% fail; 88-91% hit and miss
    wiggle = [0, 2, 1, 3, 0, 2, 1, 3, 0, 2, 1, 3, 0, 2, 1]
    for base, expected in ((950, "pass"), (800, "fail"), (880, "hit_or_miss")):
        m = _monthly([base + 10 * w for w in wiggle], [5] * 15)
        r = a.assurance_results(m, targets, "mdc")[("999", "answered_10s")]
        assert r.target == 90.0 and r.improvement == "increase"
        assert r.assurance == expected
    # abandonment (target under 1%): lower is better
    m = _monthly([950] * 15, [2 + w for w in wiggle])
    r = a.assurance_results(m, targets, "mdc")[("999", "abandoned")]
    assert r.improvement == "decrease" and r.assurance == "pass"


def test_too_few_months_have_no_icon(targets):
    m = _monthly([930] * 12, [5] * 12)
    r = a.assurance_results(m, targets, "mdc")[("999", "answered_10s")]
    assert r.assurance is None and r.variation is None
    table = a.assurance_table({("999", "answered_10s"): r}, targets)
    shown = a.display_assurance(table)
    assert shown["Assurance"].iloc[0] == "too few points for SPC"
    assert shown["Process limits (latest period)"].iloc[0] == "none (too few months)"
    title = a.assurance_title("999", "answered_10s", r, target_lookup(targets)[("999", "answered_10s")])
    assert "too few months" in title


def test_table_is_tidy_and_title_states_the_finding(targets):
    wiggle = [0, 2, 1, 3, 0, 2, 1, 3, 0, 2, 1, 3, 0, 2, 1]
    m = _monthly([950 + 10 * w for w in wiggle], [5] * 15)
    results = a.assurance_results(m, targets, "mdc")
    assert set(results) == {("999", "answered_10s"), ("999", "abandoned")}  # 101 has no rows here
    t = a.assurance_table(results, targets)
    assert t["latest_rate"].dtype == "float64" and str(t["assurance"].dtype) == "string"
    assert list(t["assurance"]) == ["pass", "pass"]
    r = results[("999", "answered_10s")]
    title = a.assurance_title("999", "answered_10s", r, target_lookup(targets)[("999", "answered_10s")])
    assert title == ("999 calls answered within 10 seconds: as the process runs, it will consistently meet the "
                     "target, at least 90% (national)")


def _changes(month: str) -> pd.DataFrame:
    return pd.DataFrame({"date": [pd.Timestamp(month).date()] * 2,
                         "series": ["contact 999 answered_10s", "contact 999 abandoned"],
                         "reason": ["Posts cut"] * 2, "source": ["test"] * 2})


def test_limits_recalculated_at_a_change_point_and_assurance_withheld_until_it_settles(targets):
    # 12 months near 95%, then from the change point near 85%: 3 months are too few for new limits, so
    # no pass or fail (the old limits would have said "consistently meet"); the title says what the
    # months since did against the target, each decided exactly
    rates = [950, 952, 948, 951, 949, 950, 953, 947, 950, 951, 949, 950, 850, 852, 905]
    m = _monthly(rates, [5] * 15)
    r = a.assurance_results(m, targets, "mdc", _changes("2025-01"))[("999", "answered_10s")]
    assert list(r.points["period"]) == [1] * 12 + [2] * 3
    assert r.assurance is None and r.changing
    t = a.assurance_table({("999", "answered_10s"): r}, targets)
    shown = a.display_assurance(t)
    assert shown["Assurance"].iloc[0] == "process changing: assurance when it settles"
    assert shown["Process limits (latest period)"].iloc[0] == "none yet: recalculated from Jan 2025, 3 months so far"
    title = a.assurance_title("999", "answered_10s", r, target_lookup(targets)[("999", "answered_10s")],
                              a.exact_rates(m, "999", "answered_10s"))
    assert title == ("999 calls answered within 10 seconds: the target, at least 90% (national), met in 1 of the 3 "
                     "months Jan 2025 to Mar 2025 (latest 90.5%); process changing: assurance when it settles (new "
                     "limits from Jan 2025 need 13 months)")
    # without the change point the limits run across the step and are wide enough to hold the target
    r0 = a.assurance_results(m, targets, "mdc")[("999", "answered_10s")]
    assert r0.assurance == "hit_or_miss"
    # a change point before the window or at its first month changes nothing
    early = a.assurance_results(m, targets, "mdc", _changes("2023-06"))[("999", "answered_10s")]
    assert set(early.points["period"]) == {1}


def test_the_shipped_change_point_is_the_april_2025_cut():
    from pcp_lib.reference.spc_change_points import change_points, load_change_points
    table = load_change_points(FIXTURE_DATA)
    for key in a.ASSURED:
        (cp,) = change_points(table, a.series_key(*key))
        assert f"{cp.month:%Y-%m}" == "2025-04" and "26 to 20" in cp.reason and cp.source.startswith("001_")
