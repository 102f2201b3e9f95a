"""The XmR engine against the examples NHSRplotthedots publishes.

Sources (cited per test):
- NHSRplotthedots vignette "Deviations from Excel defaults" (vignettes/deviations.Rmd):
  data 1,2,1,2,10,1,2,... (18 points): with outlier screening (package default) UPL 4.6,
  mean 1.94, LPL -0.72; without (as the Making Data Count Excel tool) UPL 6.95, LPL -3.06;
  the fifth point is special cause improvement either way.
- NHSRplotthedots tests/testthat/_snaps/ptd_spc_standard.md: rnorm(20) with set.seed(123) gives
  mean 0.142, LPL -3.01, UPL 3.29.
- NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R: the run, trend and
  two-in-three vectors ported below.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pcp_lib.methods import spc

DEVIATIONS = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
# R: set.seed(123); rnorm(20)
RNORM_123 = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
             -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
             -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141]


def test_deviations_vignette_screened_limits_match_nhsr_default():
    r = spc.xmr(DEVIATIONS, "increase", rules="nhsr")
    p = r.points
    assert round(p["upl"].iloc[0], 2) == 4.60
    assert round(p["mean"].iloc[0], 2) == 1.94
    assert round(p["lpl"].iloc[0], 2) == -0.72
    assert p["point_type"].iloc[4] == "improvement"
    assert "outside limits" in p["rule"].iloc[4]
    assert (p.drop(index=4)["point_type"] == "common cause").all()


def test_deviations_vignette_unscreened_limits_match_excel_tool():
    p = spc.xmr(DEVIATIONS, "increase", rules="mdc").points
    assert round(p["upl"].iloc[0], 2) == 6.95
    assert round(p["lpl"].iloc[0], 2) == -3.06
    assert p["point_type"].iloc[4] == "improvement"
    assert p["point_type"].iloc[4] == spc.xmr(DEVIATIONS, "increase", rules="nhsr").points["point_type"].iloc[4]


def test_snapshot_rnorm_limits():
    p = spc.xmr(RNORM_123, "increase", rules="nhsr").points
    assert round(p["mean"].iloc[0], 3) == 0.142
    assert round(p["lpl"].iloc[0], 2) == -3.01
    assert round(p["upl"].iloc[0], 2) == 3.29
    assert (p["point_type"] == "common cause").all()


def test_limit_formula_by_hand():
    y = [10, 12, 11, 13, 12, 14, 10, 11, 12, 13, 11, 12, 12]
    p = spc.xmr(y, "decrease").points
    mean = np.mean(y)
    amr = np.mean(np.abs(np.diff(y)))
    assert p["upl"].iloc[0] == pytest.approx(mean + 2.66 * amr)
    assert p["lpl"].iloc[0] == pytest.approx(mean - 2.66 * amr)


@pytest.mark.parametrize("side,expected", [
    ([1] * 6, [0] * 6),
    ([1] * 6 + [-1], [0] * 7),
    ([1] * 8 + [-1], [1] * 8 + [0]),
    ([-1] + [1] * 8 + [-1], [0] + [1] * 8 + [0]),
    ([1, 1, 1, 0, 1, 1, 1, 1], [0] * 8),  # a point on the mean breaks the run
])
def test_shift_runs(side, expected):
    # NHSRplotthedots test-ptd_calculate_point_type.R (seven_point_one_side_mean / part_of_seven_trend)
    assert spc.shift_points(np.array(side), 7).astype(int).tolist() == expected


@pytest.mark.parametrize("y,expected", [
    (list(range(1, 7)), [0] * 6),
    ([1, 2, 3, 3, 4, 5, 6], [0] * 7),  # an equal value breaks the trend
    (list(range(1, 8)), [1] * 7),
    ([2, 1, 2, 3, 4, 5, 6, 7, 3], [0] + [1] * 7 + [0]),
    ([2, 7, 6, 5, 4, 3, 2, 1, 3], [0] + [1] * 7 + [0]),
])
def test_trend_runs(y, expected):
    # NHSRplotthedots test-ptd_calculate_point_type.R (seven_point_trend)
    flagged, _ = spc.trend_points(np.array(y), 7)
    assert flagged.astype(int).tolist() == expected


@pytest.mark.parametrize("close,expected", [
    ([1, 0, 1], [1, 0, 1]),
    ([0, 1, 1], [0, 1, 1]),
    ([0, 0, 1, 0, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0]),
    ([1, 0, 0, 1], [0, 0, 0, 0]),
    ([1, 0, 0, 1, 1], [0, 0, 0, 1, 1]),
])
def test_two_of_three(close, expected):
    # NHSRplotthedots test-ptd_calculate_point_type.R (part_of_two_in_three), all on one side
    side = np.ones(len(close), dtype=int)
    assert spc.two_of_three_points(np.array(close, dtype=bool), side).astype(int).tolist() == expected


def test_two_of_three_needs_same_side():
    # NHSRplotthedots 0.2.2 NEWS: points on opposite sides must not trigger 2-in-3 (issue #143)
    close = np.array([1, 0, 1], dtype=bool)
    assert not spc.two_of_three_points(close, np.array([1, 1, -1])).any()


def test_shift_below_mean_is_improvement_when_decrease_is_better():
    y = [20, 21, 19, 22, 20, 21, 23, 20, 22, 21, 17, 17, 18, 17, 18, 17, 18]
    r = spc.xmr(y, "decrease")
    p = r.points
    assert (p["rule"].iloc[-7:].str.contains("shift")).all()
    assert (p["point_type"].iloc[-7:] == "improvement").all()
    assert r.variation == "improvement_low"
    assert spc.xmr(y, "increase").variation == "concern_low"
    assert spc.xmr(y, "neither").variation == "neither_low"


def test_twelve_points_or_fewer_have_no_limits_or_icons():
    r = spc.xmr(DEVIATIONS[:12], "increase", target=1.5)
    assert r.points["upl"].isna().all() and r.points["lpl"].isna().all()
    assert r.variation is None and r.assurance is None
    assert r.points["point_type"].isna().all()
    # 13 points: limits, rules and icons (the eight points after the 10 all sit below the mean)
    assert spc.xmr(DEVIATIONS[:13], "increase").variation == "concern_low"


def test_assurance_icons():
    y = [50, 52, 49, 51, 50, 53, 48, 50, 51, 49, 52, 50, 51]
    assert spc.xmr(y, "increase", target=40).assurance == "pass"
    assert spc.xmr(y, "increase", target=60).assurance == "fail"
    assert spc.xmr(y, "increase", target=50).assurance == "hit_or_miss"
    assert spc.xmr(y, "decrease", target=40).assurance == "fail"
    assert spc.xmr(y, "decrease", target=60).assurance == "pass"
    assert spc.xmr(y, "increase").assurance is None
    assert spc.xmr(y, "neither", target=60).assurance is None


def test_baseline_and_recalculation():
    y = [10, 11, 10, 12, 11, 10, 11, 12, 10, 11, 12, 11, 10] + [20, 21, 20, 22, 21, 20, 21, 22, 20, 21, 22, 21, 20]
    s = pd.Series(y, index=pd.period_range("2022-01", periods=len(y), freq="M"))
    whole = spc.xmr(s, "decrease")
    base = spc.xmr(s, "decrease", baseline_n=13)
    assert base.points["mean"].iloc[0] == pytest.approx(np.mean(y[:13]))
    assert (base.points["value"].iloc[13:] > base.points["upl"].iloc[13:]).all()
    assert base.variation == "concern_high"
    re = spc.xmr(s, "decrease", recalc_at=pd.Period("2023-02", "M"))
    assert re.points["period"].tolist() == [1] * 13 + [2] * 13
    assert re.points["mean"].iloc[-1] == pytest.approx(np.mean(y[13:]))
    assert re.variation == "common_cause"
    assert whole.points["mean"].iloc[0] != re.points["mean"].iloc[0]
    assert re.points["x"].iloc[0] == pd.Period("2022-01", "M")


def test_rejects_bad_arguments():
    with pytest.raises(ValueError):
        spc.xmr([1, 2, 3], "up")
    with pytest.raises(ValueError):
        spc.xmr([1.0, float("nan"), 3.0], "increase")
