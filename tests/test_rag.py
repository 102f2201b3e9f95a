"""The agreed RAG rule: boundaries, strings, zero baselines, missing values, and all 40
metrics of Q3 2025/26 worked out by hand."""

from decimal import Decimal

import pytest

from pcp_lib.methods.rag import assess
from pcp_lib.subjects.dashboard.assess import assess_quarter, for_audience, rag_counts


def test_exactly_minus_2pp_is_within_and_amber():
    # 19.0% -> 17.0%: exactly -2.0pp, on the boundary, which is inside the range.
    a = assess("Increase", "19.0%", "17.0%", "percent")
    assert (a.rag, a.direction, a.within_tolerance) == ("Amber", "↔", True)
    assert a.change == Decimal("-2.0")


def test_just_past_2pp_is_outside():
    a = assess("Increase", "19.0%", "16.9%", "percent")
    assert (a.rag, a.direction) == ("Red", "↓")


def test_exactly_plus_5_percent_is_within_and_amber():
    a = assess("Increase", 100, 105, "count")
    assert (a.rag, a.within_tolerance) == ("Amber", True)
    assert a.pct_change == Decimal(5)


def test_shoplifting_7_6_to_8_0_on_a_decrease_target_is_red():
    # +0.4 / 7.6 = +5.26%: outside ±5%, against "Decrease".
    a = assess("Decrease", "7.6", "8.0", "rate_per_1000")
    assert (a.rag, a.direction, a.within_tolerance) == ("Red", "↑", False)
    assert "5.3%" in a.reason and "outside" in a.reason


def test_float_inputs_are_read_by_their_digits():
    # 0.1 + 0.2 style float noise must not move a boundary: 2.0 -> 2.1 is exactly +5%.
    assert assess("Decrease", 2.0, 2.1, "value").within_tolerance is True


def test_reason_reads_like_the_example():
    a = assess("Decrease", "7.60", "7.42", "rate_per_1000")
    assert a.reason == "Fell 2.4% (7.60 → 7.42), within the agreed ±5% range."


def test_percent_change_and_pp_change_are_different():
    a = assess("Increase", "65.9%", "72.2%", "percent")
    assert a.change == Decimal("6.3")  # percentage points
    assert round(a.pct_change, 2) == Decimal("9.56")  # relative per cent
    assert "6.3pp" in a.reason


def test_increase_or_maintain_within_range_is_green():
    a = assess("Increase or maintain", 664, 680, "count")  # +2.4%
    assert (a.rag, a.direction) == ("Green", "↔")


def test_baseline_zero():
    assert assess("Increase", 0, 0, "count").rag == "Amber"
    a = assess("Increase", 0, 3, "count")
    assert (a.rag, a.direction, a.pct_change, a.within_tolerance) == ("Green", "↑", None, False)
    assert assess("Decrease", 0, 3, "count").rag == "Red"


def test_yes_no():
    assert assess("Completed Y/N", "Y", "Y", "yes_no").rag == "Green"
    assert assess("Completed Y/N", "Y", "N", "yes_no").rag == "Red"


@pytest.mark.parametrize("baseline,latest,which", [("", "5", "baseline is"), ("5", None, "latest figure is"),
                                                   (None, "", "baseline and latest figures are")])
def test_missing_values_are_no_data_and_say_which(baseline, latest, which):
    a = assess("Decrease", baseline, latest, "count")
    assert a.rag == "No data" and which in a.reason


def test_tolerance_override():
    # 100 -> 108 is +8%: Red by default against Decrease, Amber with a ±10% metric tolerance.
    assert assess("Decrease", 100, 108, "count").rag == "Red"
    assert assess("Decrease", 100, 108, "count", tolerance="10").rag == "Amber"


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="12,3a%"):
        assess("Increase", "12,3a%", "5", "percent")
    with pytest.raises(ValueError, match="unknown unit"):
        assess("Increase", 1, 2, "pcent")
    with pytest.raises(ValueError, match="unknown target"):
        assess("Go up", 1, 2, "count")


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
