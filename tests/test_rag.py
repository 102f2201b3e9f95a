"""The RAG rule applied by the dashboard: all 40 metrics of Q3 2025/26 worked out by hand.

(The rule itself is tested in tests/methods/test_rag.py; these belong with the dashboard
subject's tests.)"""

from pcp_lib.subjects.dashboard.assess import assess_quarter, for_audience, rag_counts

# Expected RAG for all 40 metrics of Q3 2025/26, worked out by hand from the rule.
# pp = percentage points (percent metrics, ±2pp); % = relative change (others, ±5%).
EXPECTED_Q3_2025_26 = {
    1: "Green",    # Completed Y/N: Y
    2: "Green",    # 65.9% -> 72.2% = +6.3pp > 2, Increase
    3: "Red",      # 13 -> 11 = -15.4%, Increase
    4: "Amber",    # 0 -> 0: within
    5: "Red",      # 9.5 -> 8.6 = -9.5%, Increase
    6: "Green",    # 46.0% -> 63.0% = +17.0pp
    7: "Red",      # 62.7% -> 60.4% = -2.3pp, Increase
    16: "Red",     # 200,000 -> 188,000 = -6.0%, Increase
    24: "Green",   # 664 -> 700 = +5.42% > 5, Increase or maintain
    25: "No data",  # blank
    26: "Green",   # 56.60% -> 59.50% = +2.9pp
    27: "Green",   # 11,545 -> 9,603 = -16.8%, Decrease
    28: "Amber",   # 4.40% -> 4.30% = -0.1pp
    31: "Red",     # 0.004 -> 0.006 = +50%, Decrease
    32: "Green",   # 0.38 -> 0.29 = -23.7%, Decrease
    33: "Green",   # 0.0017 -> 0.0000 = -100%, Decrease
    34: "Red",     # 70 -> 30 = -57.1%, Increase
    35: "Green",   # 0.7 -> 0.59 = -15.7%, Decrease
    36: "Green",   # 0.026 -> 0.021 = -19.2%, Decrease
    41: "Amber",   # 18.96 -> 18.1 = -4.54%: within 5
    42: "Red",     # 80% -> 77.0% = -3.0pp, Increase
    43: "Amber",   # 9.3 -> 9.42 = +1.29%
    48: "Green",   # 0.59 -> 0.49 = -16.9%, Decrease
    49: "No data",  # blank
    52: "Amber",   # 7.60 -> 7.42 = -2.37%
    53: "No data",  # blank (new metric from April 2026)
    54: "Amber",   # 19.0% -> 17.0% = exactly -2.0pp: within
    57: "Red",     # 100 -> 127 = +27%, Reduce
    58: "Amber",   # 100.75 -> 102 = +1.24%
    63: "Green",   # 2.75 -> 2.24 = -18.5%
    64: "Green",   # 6.06 -> 4.93 = -18.6%
    65: "Green",   # 0.8 -> 0.71 = -11.25%
    66: "Amber",   # 0.75 -> 0.78 = +4.0%
    69: "Amber",   # 87.7% -> 89.7% = exactly +2.0pp: within
    70: "Red",     # 75.50% -> 72.1% = -3.4pp, Increase
    71: "Red",     # 97.50% -> 95.00% = -2.5pp, Increase
    76: "Green",   # 45.60% -> 48.30% = +2.7pp
    77: "Green",   # 59.40% -> 62.20% = +2.8pp
    82: "Green",   # 13.9% -> 16.0% = +2.1pp
    83: "Amber",   # 3575 -> 3582 = +0.196%
}


def test_all_40_metrics_of_q3_2025_26():
    df = assess_quarter("2025-26 Q3")
    assert len(df) == 40
    got = dict(zip(df["serial"].astype(int), df["rag"], strict=True))
    assert got == EXPECTED_Q3_2025_26
    assert dict(rag_counts(df)) == {"Green": 17, "Amber": 10, "Red": 10, "No data": 3}


def test_published_arrows_that_disagree_with_the_values():
    df = assess_quarter("2025-26 Q3")
    assert sorted(df.loc[df["direction_mismatch"], "serial"].astype(int)) == [70, 71, 83]


def test_public_table_withholds_restricted_metrics():
    df = for_audience(assess_quarter("2025-26 Q3"), "public")
    restricted = df[df["serial"].isin([7, 25])]
    assert (restricted[["baseline", "latest", "rag", "reason", "change"]] == "Restricted").all().all()
    assert dict(rag_counts(df)) == {"Green": 17, "Amber": 10, "Red": 9, "No data": 2, "Restricted": 2}


def test_approximate_counts_behind_rates():
    df = assess_quarter("2025-26 Q3").set_index("serial")
    # 7.60 per 1,000 x 1,121,800 / 1,000 = 8,525.68 -> 8,526
    assert df.loc[52, "approx_baseline_count"] == 8526
    assert df.loc[52, "approx_latest_count"] == 8324  # 7.42 x 1,121.8 = 8,323.8
