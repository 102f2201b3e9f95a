"""Significance tests against results statsmodels documents and tests, and the shoplifting case.

- Gu, Ng, Tang and Schucany (2008) example 1, as in statsmodels' own test suite
  (statsmodels/stats/tests/test_rates.py, test_twosample_poisson): 60 events in 51,477.5
  person-years against 30 in 54,308.7; two-sided p-values 2 x 0.000316 (score) and
  2 x 0.00042 (wald-log).
"""

from __future__ import annotations

import math

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


def test_estimate_dispersion():
    assert stats.estimate_dispersion([100] * 12) == 1.0
    y = [80, 120, 80, 120, 80, 120]
    expected = sum((v - 100) ** 2 / 100 for v in y) / 5
    assert stats.estimate_dispersion(y) == pytest.approx(expected)


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
