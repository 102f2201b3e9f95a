"""Funnel and before/after arithmetic, worked by hand; impossible funnels rejected; frames
an analyst can sort, describe and plot."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.subjects import dtoa


def test_compare_periods_hand_worked():
    cmp = dtoa.compare_periods({"a": 280, "r": Decimal("74"), "w": 5, "z": 0, "h": 8, "same": 4, "d": 6},
                               {"a": 241, "r": Decimal("51"), "w": 7, "z": 3, "h": 9, "same": 4, "d": 7},
                               {"a": "count", "r": "percent", "w": "days", "z": "count", "h": "count",
                                "same": "count", "d": "days"})
    got = dict(zip(cmp["measure"], cmp["change_label"], strict=True))
    assert got == {"a": "-14%", "r": "-23pp", "w": "+2 days", "z": "n/a (from zero)", "h": "+13%",
                   "same": "0%", "d": "+1 day"}  # a zero change has no sign ("0%", not "±0%")
    exact = dict(zip(cmp["measure"], cmp["change"], strict=True))
    assert exact["h"] == 12.5  # 12.5 rounds half up to 13, not to even 12
    assert exact["r"] == -23
    assert math.isnan(exact["z"])  # from zero: undefined, not infinite
    units = dict(zip(cmp["measure"], cmp["change_unit"], strict=True))
    assert (units["a"], units["r"], units["w"]) == ("%", "pp", "days")
    one_place = dtoa.compare_periods({"r": Decimal("54.64")}, {"r": Decimal("51")}, {"r": "percent"}, places=1)
    assert one_place["change_label"].iloc[0] == "-3.6pp"


def test_compare_periods_is_a_numeric_frame():
    cmp = dtoa.compare_periods({"a": 280, "b": 95}, {"a": 241, "b": 24}, {"a": "count", "b": "count"})
    for c in ("before", "after", "change"):
        assert cmp[c].dtype == "float64"
    assert list(cmp.sort_values("change")["measure"]) == ["b", "a"]
    assert cmp["change"].describe()["count"] == 2


def test_compare_periods_rejects_unknown_unit_and_missing_measure():
    with pytest.raises(ValueError, match="unit must be one of"):
        dtoa.compare_periods({"a": 1}, {"a": 2}, {"a": "ratio"})
    with pytest.raises(ValueError, match="unit must be one of"):
        dtoa.change(1, 2, "ratio")
    with pytest.raises(DataError, match="'b'"):
        dtoa.compare_periods({"a": 1}, {"a": 2, "b": 3}, {"a": "count", "b": "count"})


def test_change_is_exact():
    assert dtoa.change(8, 9, "count") == Decimal("12.5")
    assert dtoa.change(Decimal("74"), Decimal("51"), "percent") == Decimal(-23)
    assert dtoa.change(0, 3, "count") is None


def test_funnel_hand_worked():
    t = dtoa.funnel({"A": 200, "B": 50, "C": 10})
    assert list(t["count"]) == [200, 50, 10]
    assert math.isnan(t["conversion_from_previous_pct"].iloc[0])
    assert list(t["conversion_from_previous_pct"].iloc[1:]) == [25, 20]
    assert list(t["dropoff_from_previous"].iloc[1:]) == [150, 40]
    assert list(t["dropoff_from_previous_pct"].iloc[1:]) == [75, 80]
    assert list(t["conversion_from_top_pct"]) == [100, 25, 5]
    worst = dtoa.largest_dropoff(t)
    assert worst["stage"] == "C"  # 80% lost at C beats 75% at B
    assert dtoa.largest_dropoff(t, "dropoff_from_previous")["stage"] == "B"  # 150 people
    for c in ("count", "conversion_from_previous_pct", "dropoff_from_previous", "dropoff_from_previous_pct",
              "conversion_from_top_pct"):
        assert t[c].dtype == "float64", c


def test_funnel_zero_top_and_equal_stages():
    t = dtoa.funnel({"A": 0, "B": 0})
    assert math.isnan(t["conversion_from_top_pct"].iloc[1])
    assert math.isnan(t["dropoff_from_previous_pct"].iloc[1])
    assert dtoa.largest_dropoff(t) is None
    t = dtoa.funnel({"A": 10, "B": 10})
    assert t["dropoff_from_previous"].iloc[1] == 0
    assert dtoa.largest_dropoff(dtoa.funnel({"A": 5})) is None


def test_funnel_rejects_impossible():
    with pytest.raises(DataError) as exc:
        dtoa.funnel({"tested": 10, "positive": 12, "booked": -1})
    msg = str(exc.value)
    assert "'positive'" in msg and "at most 10" in msg and "got '12'" in msg
    assert "'booked'" in msg and "at least 0" in msg
    with pytest.raises(DataError):
        dtoa.funnel({})


def test_a_screen_step_counts_people_not_eligible_not_drop_outs():
    # issue 22, item 10: a funnel separates "not eligible" from "did not go on"
    t = dtoa.funnel({"Identified": 100, "Eligible": 20, "Tested": 15, "Treated": 5},
                    kinds={"Eligible": "screen", "Tested": "mixed"})
    assert list(t["step_kind"].iloc[1:]) == ["screen", "mixed", "progression"]
    assert t["not_eligible"].iloc[1] == 80 and t["did_not_go_on"].iloc[1] == 0
    assert math.isnan(t["not_eligible"].iloc[2]) and math.isnan(t["did_not_go_on"].iloc[2])
    assert t["did_not_go_on"].iloc[3] == 10
    assert dtoa.largest_dropoff(t)["stage"] == "Treated"  # the 80 not eligible are no drop-out
    with pytest.raises(ValueError, match="step kinds"):
        dtoa.funnel({"A": 2, "B": 1}, kinds={"B": "lost"})
