"""Significance tests against results statsmodels documents and tests, and the shoplifting case.

- Gu, Ng, Tang and Schucany (2008) example 1, as in statsmodels' own test suite
  (statsmodels/stats/tests/test_rates.py, test_twosample_poisson): 60 events in 51,477.5
  person-years against 30 in 54,308.7; two-sided p-values 2 x 0.000316 (score) and
  2 x 0.00042 (wald-log).
"""

from __future__ import annotations

import math

import numpy as np
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


def _simulated(n: int, level: float, phi: float, *, step_at: int | None = None, step: float = 0.0,
               season: float = 0.0, trend: float = 0.0, seed: int = 16) -> np.ndarray:
    """Monthly counts with known noise: mean ``level`` (plus a ``step`` from ``step_at``, a
    seasonal swing of ``season`` x level and a ``trend`` per month), and quasi-Poisson noise of
    variance ``phi`` x mean (gamma-Poisson mixture, fixed seed)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    mu = level * (1 + season * np.sin(2 * np.pi * t / 12)) + trend * t
    if step_at is not None:
        mu = mu + step * (t >= step_at)
    shape = mu / (phi - 1)  # gamma(shape, scale) mixing: variance mu + mu^2/shape = phi * mu
    return rng.poisson(rng.gamma(shape, mu / shape)).astype(float)


def test_estimate_dispersion_short_and_flat_series():
    assert stats.estimate_dispersion([100] * 12).factor == 1.0
    few = stats.estimate_dispersion([80, 120, 80])
    assert few.factor == 1.0 and "fewer than 12 months" in few.method
    # by hand: (mean moving range / 1.128)^2 / mean
    y = [80, 120] * 6
    d = stats.estimate_dispersion(y)
    assert d.estimate == pytest.approx((40 / 1.128) ** 2 / 100)
    assert d.method == "moving range of the monthly counts" and d.months == 12


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dispersion_recovers_the_noise_not_a_step(seed):
    # 24 months (the LLR series' length): noise 4x Poisson, and a 30% step up half-way
    y = _simulated(24, 700, 4.0, step_at=12, step=210, seed=seed)
    d = stats.estimate_dispersion(y)
    assert 2.0 < d.factor < 7.0
    # the old estimate (variance around the overall mean) swallows the step
    mu = y.mean()
    around_mean = ((y - mu) ** 2 / mu).sum() / (len(y) - 1)
    assert around_mean > 2 * d.factor and abs(around_mean - 4) > 2 * abs(d.factor - 4)


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_dispersion_long_series_allows_for_trend_season_and_step(seed):
    y = _simulated(48, 500, 3.0, season=0.15, trend=4.0, step_at=30, step=100, seed=seed)
    d = stats.estimate_dispersion(y)
    assert "trend and month-of-year" in d.method and d.months == 48
    assert 1.5 < d.factor < 5.0
    # the moving range of the raw counts counts the season as noise
    raw = (np.abs(np.diff(y)).mean() / 1.128) ** 2 / y.mean()
    assert raw > d.factor


def test_dispersion_of_pure_poisson_is_one():
    rng = np.random.default_rng(7)
    y = rng.poisson(400, 48).astype(float)
    assert stats.estimate_dispersion(y).factor == pytest.approx(1.0, abs=0.6)


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
