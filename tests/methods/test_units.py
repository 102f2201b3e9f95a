"""Units and rounding: half up, percent change against percentage points, one rule for missing."""

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from pcp_lib.methods import units as u


@pytest.mark.parametrize(("value", "places", "expected"), [
    ("2.5", 0, "3"), ("3.5", 0, "4"), ("-2.5", 0, "-3"), (0.125, 2, "0.13"), (65.95, 1, "66.0"), (7.6, 1, "7.6"),
])
def test_round_half_up_not_to_even(value, places, expected):
    assert str(u.round_half_up(value, places)) == expected


def test_float_goes_through_its_shortest_repr():
    assert u.as_decimal(0.1) == Decimal("0.1")
    assert u.as_decimal(np.float64(7.6)) == Decimal("7.6")
    with pytest.raises(TypeError):
        u.as_decimal(True)


def test_percent_change_and_pp_change_are_different_things():
    assert u.pct_change(50, 68) == Decimal(36)
    assert u.pp_change(Decimal("19.0"), Decimal("17.0")) == Decimal("-2.0")  # exactly -2pp
    assert u.fmt_change(50, 68, "count") == "+36%"
    assert u.fmt_change(Decimal("19.0"), Decimal("17.0"), "percent") == "-2.0pp"
    assert u.fmt_change(3, 5, "days") == "+2 days"
    assert u.fmt_change(3, 2, "days") == "-1 day"


def test_one_rule_for_missing_and_from_zero():
    assert u.fmt_change(0, 5, "count") == "n/a (from zero)"
    assert u.fmt_change(None, 5, "count") == "n/a"
    assert u.fmt_change(5, pd.NA, "percent") == "n/a"
    for f in (u.fmt_count, u.fmt_percent, u.fmt_pp, u.fmt_pct_change, u.fmt_money, u.fmt_number):
        assert f(None) == "n/a"
        assert f(float("nan")) == "n/a"
    assert u.percent_of(3, 0) is None


def test_zero_change_has_no_sign_others_always_do():
    assert u.fmt_pp(0) == "0.0pp"
    assert u.fmt_pp(Decimal("-0.04")) == "0.0pp"  # rounds to zero: no "-0.0pp"
    assert u.fmt_pct_change(0.4) == "0%"
    assert u.fmt_pct_change(-3.6) == "-4%"
    assert u.fmt_count_change(1234) == "+1,234"
    assert u.fmt_count_change(-56) == "-56"


def test_money_to_the_penny():
    assert u.fmt_money(Decimal("271818.47")) == "£271,818.47"
    assert u.fmt_money(Decimal("-5")) == "-£5.00"
    assert u.fmt_money(0, nil=True) == "Nil"
    assert u.to_pence(Decimal("0.005")) == Decimal("0.01")


def test_counts_and_percentages():
    assert u.fmt_count(12345) == "12,345"
    assert u.fmt_percent(Decimal("65.9")) == "65.9%"
    assert u.fmt_number(1234.56, 1) == "1,234.6"
