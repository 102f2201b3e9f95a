"""Significance tests against results statsmodels documents and tests, and the shoplifting case.

- Gu, Ng, Tang and Schucany (2008) example 1, as in statsmodels' own test suite
  (statsmodels/stats/tests/test_rates.py, test_twosample_poisson): 60 events in 51,477.5
  person-years against 30 in 54,308.7; two-sided p-values 2 x 0.000316 (score) and
  2 x 0.00042 (wald-log).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from pcp_lib.methods import stats

GU = (60, 51477.5, 30, 54308.7)
LLR = 1_121_800


def test_poisson_score_test_matches_gu_et_al():
    c = stats.compare_rates(*GU)
    assert c.p_value == pytest.approx(2 * 0.000316, abs=5e-6)
    assert c.estimate == pytest.approx((60 / 51477.5) / (30 / 54308.7))
    assert c.ci_low < c.estimate < c.ci_high
    assert c.significant and c.measure == "rate ratio"


def test_dispersion_one_equals_wald_log_and_inflates_with_overdispersion():
    # the quasi-Poisson path at dispersion 1 (forced) is statsmodels' wald-log p-value
    c1 = stats.compare_rates(*GU, dispersion=1.0000001)
    assert c1.p_value == pytest.approx(2 * 0.00042, abs=5e-6)
    c4 = stats.compare_rates(*GU, dispersion=4)
    assert c4.p_value > c1.p_value
    assert (c4.ci_high - c4.ci_low) > (c1.ci_high - c1.ci_low)
    se = math.sqrt(4 * (1 / 60 + 1 / 30))
    assert c4.p_value == pytest.approx(2 * sps.norm.sf(math.log(c4.estimate) / se))


def test_shoplifting_7_6_to_8_0_per_1000():
    """The Panel's question: shoplifting 7.6 -> 8.0 per 1,000 (LLR population 1,121,800)."""
    before = round(7.6 * LLR / 1000)
    after = round(8.0 * LLR / 1000)
    assert (before, after) == (8526, 8974)
    pure = stats.compare_rates(after, LLR, before, LLR)
    assert pure.pct_change == pytest.approx(100 * (8974 / 8526 - 1))
    assert round(pure.pct_change, 1) == 5.3
    assert pure.significant and pure.p_value < 0.001  # pure Poisson chance: yes
    # but crime counts are over-dispersed; at 3x Poisson variance the same change is not significant
    over = stats.compare_rates(after, LLR, before, LLR, dispersion=3)
    assert not over.significant
    assert over.ci_low < 1 < over.ci_high
    # and the equivalence view: cannot show it is inside the ±5% band either
    eq = stats.within_band_rates(after, LLR, before, LLR)
    assert not eq.within and eq.band == "±5%"


def test_equivalence_inside_band():
    eq = stats.within_band_rates(100_000, 1.0, 100_500, 1.0)
    assert eq.within and eq.p_value < 0.05


MONTHS24 = pd.date_range("2023-01-01", periods=24, freq="MS")
Q3 = "2024-25 Q3"  # Oct-Dec 2024, the last three months of MONTHS24


def _poisson(n: int = 24, level: float = 200, seed: int = 3) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series(rng.poisson(level, n).astype(float), index=pd.date_range("2023-01-01", periods=n, freq="MS"))


def test_compare_quarter_by_hand():
    """Every number of a 24-month case worked out here independently: the Pearson residuals of the
    nine other same-month pairs (Jan-Sep 2024 against Jan-Sep 2023) around their own year-on-year
    ratio, squared over the seven overlapping 3-month windows, per unit of expectation; the
    Satterthwaite df of that quadratic form; the score statistic against a t."""
    s = _poisson()
    y = s.to_numpy()
    c = stats.compare_quarter(s, Q3)
    a1, a0 = y[12:21], y[0:9]
    share = a1.sum() / (a1.sum() + a0.sum())
    r = (a1 - (a1 + a0) * share) / np.sqrt((a1 + a0) * share * (1 - share))
    windows = [r[j:j + 3] for j in range(7)]
    k = 9
    w = np.zeros((k, k))
    for j in range(7):
        v = np.zeros(k)
        v[j:j + 3] = 1
        w += np.outer(v, v) / 3 / 7
    centre = np.eye(k) - 1 / k
    m = centre @ w @ centre
    phi = np.mean([x.sum() ** 2 / 3 for x in windows]) / np.trace(m)
    df = np.trace(m) ** 2 / np.trace(m @ m)
    assert c.dispersion == pytest.approx(phi) and c.df == pytest.approx(df)
    y1, y0 = y[21:24].sum(), y[9:12].sum()
    z = (y1 - (y1 + y0) / 2) / math.sqrt((y1 + y0) / 4 * phi)
    assert c.p_value == pytest.approx(2 * sps.t.sf(abs(z), df))
    assert (c.count, c.count_baseline) == (y1, y0) and c.estimate == pytest.approx(y1 / y0)
    assert c.tested and c.measure == "rate ratio" and "9 other months" in c.dispersion_method
    assert "Jan 2024-Sep 2024" in c.dispersion_method and f"{df:.1f} degrees of freedom" in c.dispersion_method


def test_compare_quarter_interval_inverts_its_test():
    s = _poisson(seed=8)
    c = stats.compare_quarter(s, Q3)
    assert c.ci_low < c.estimate < c.ci_high
    # at either end of the interval, the same test of "the ratio is that" gives p = alpha
    for bound in (c.ci_low, c.ci_high):
        at = stats.compare_totals(c.count, bound, c.count_baseline, 1.0, dispersion=c.dispersion, df=c.df,
                                  source="test")
        assert at.p_value == pytest.approx(stats.ALPHA, rel=1e-6)


def test_compare_quarter_exposure_and_dates():
    s = _poisson(seed=5)
    plain = stats.compare_quarter(s, Q3)
    assert stats.compare_quarter(s, Q3, exposure=1_121_800).p_value == pytest.approx(plain.p_value)
    grown = pd.Series(np.linspace(1.0, 1.2, 24), index=s.index)
    counts = (s * grown).round()  # the same rates over a growing exposure
    rate = stats.compare_quarter(counts, Q3, exposure=grown)
    assert rate.tested and rate.estimate == pytest.approx(
        (counts.iloc[21:].sum() / grown.iloc[21:].sum()) / (counts.iloc[9:12].sum() / grown.iloc[9:12].sum()))
    dated = pd.Series(s.to_numpy(), index=[d.date() for d in s.index])  # datetime.date index, as the crime page
    assert stats.compare_quarter(dated, Q3).p_value == plain.p_value
    with pytest.raises(ValueError, match="first day"):
        stats.compare_quarter(pd.Series(s.to_numpy(), index=s.index + pd.Timedelta(days=1)), Q3)


def test_a_change_elsewhere_is_not_counted_as_noise():
    # every month of 2024 30% up on 2023 (Poisson otherwise): the other months' ratio is the centre, not noise
    rng = np.random.default_rng(11)
    mean = np.r_[np.full(12, 300.0), np.full(12, 390.0)]
    s = pd.Series(rng.poisson(mean).astype(float), index=MONTHS24)
    c = stats.compare_quarter(s, Q3)
    assert c.dispersion < 3 and c.ci_low > 1.1  # the quarter's own 30% rise is found


def test_compare_quarter_zero_counts():
    s = _poisson(level=40, seed=2)
    zero_now = s.copy()
    zero_now.iloc[21:24] = 0
    c = stats.compare_quarter(zero_now, Q3)
    assert c.tested and c.estimate == 0 and c.ci_low == 0 and c.p_value < 0.05
    both = zero_now.copy()
    both.iloc[9:12] = 0
    c = stats.compare_quarter(both, Q3)
    assert not c.tested and c.reason == "not tested: no events in either quarter"
    assert math.isnan(c.p_value) and not c.significant and c.interval() == "n/a"
    empty = s * 0
    empty.iloc[21] = 3
    c = stats.compare_quarter(empty, Q3)
    assert not c.tested and "no events" in c.reason


def test_too_little_history_is_not_tested_with_reason():
    s = _poisson(n=18)  # Jan 2023-Jun 2024: Q1 2024/25 against Q1 2023/24, only 3 other pairs
    c = stats.compare_quarter(s, "2024-25 Q1")
    assert not c.tested and c.reason.startswith("not tested: only 3 other months")
    assert (c.count, c.count_baseline) == (int(s.iloc[15:18].sum()), int(s.iloc[3:6].sum()))
    c = stats.compare_quarter(_poisson(n=15), "2024-25 Q3")
    assert not c.tested and "the quarter is not (wholly) in the monthly series" in c.reason
    gap = _poisson().drop(MONTHS24[10])  # Nov 2023 missing: no baseline quarter
    assert "a year earlier is not (wholly)" in stats.compare_quarter(gap, Q3).reason


def test_fdr_adjust_is_benjamini_hochberg():
    p = [0.01, 0.04, None, 0.03, 0.5]
    q = stats.fdr_adjust(p)
    # by hand over the four tests: sorted 0.01, 0.03, 0.04, 0.5 -> 0.04, 0.0533, 0.0533, 0.5
    assert q[0] == pytest.approx(0.04) and q[3] == pytest.approx(0.04 * 4 / 3) and q[1] == pytest.approx(0.04 * 4 / 3)
    assert math.isnan(q[2]) and q[4] == pytest.approx(0.5)
    assert stats.fdr_adjust([]) == [] and all(math.isnan(v) for v in stats.fdr_adjust([None, float("nan")]))


def test_proportions_against_statsmodels_and_by_hand():
    c = stats.compare_proportions(56, 70, 48, 80)
    assert c.estimate == pytest.approx(20.0)
    assert c.measure == "difference (pp)"
    # score test p-value by hand (Miettinen-Nurminen without correction is close; pooled z here)
    p1, p0 = 56 / 70, 48 / 80
    pooled = (56 + 48) / 150
    z = (p1 - p0) / math.sqrt(pooled * (1 - pooled) * (1 / 70 + 1 / 80))
    assert c.p_value == pytest.approx(2 * sps.norm.sf(z), rel=0.05)
    assert c.ci_low < 20 < c.ci_high and c.significant


def test_proportions_small_samples_not_significant():
    c = stats.compare_proportions(7, 10, 6, 10)
    assert not c.significant
    eq = stats.within_band_proportions(7, 10, 6, 10)
    assert not eq.within and eq.band == "±2pp"


def test_bad_input():
    with pytest.raises(ValueError):
        stats.compare_rates(-1, 1, 1, 1)
    with pytest.raises(ValueError):
        stats.compare_proportions(11, 10, 1, 10)
    assert stats.fmt_p(0.0001) == "p < 0.001" and stats.fmt_p(0.0312) == "p = 0.031"
