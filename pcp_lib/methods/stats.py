"""Is a change real? Significance tests for the two kinds of change the Plan reports.

The agreed RAG rule (±5% for rates and counts, ±2pp for percentages) says nothing about chance:
shoplifting moving from 7.6 to 8.0 per 1,000 is +5.3%, outside the band, but whether that is more
than the month-to-month noise of about 8,500 offences a year is a statistical question.

- ``compare_rates``: two counts over their exposures (population-years, or the same population
  in two periods), as a rate ratio. Poisson tests and intervals come from statsmodels
  (``test_poisson_2indep`` / ``confint_poisson_2indep``, score method). Crime counts vary more
  than pure chance (over-dispersion: seasonal and local clusters), so ``dispersion`` > 1 widens
  the interval and raises the p-value (quasi-Poisson: the variance is ``dispersion`` times the
  mean); ``estimate_dispersion`` measures it from a monthly series: the month-to-month *noise*,
  not the change being tested (see its docstring).
- ``compare_proportions``: two survey percentages with their sample sizes, as a difference in
  percentage points (statsmodels ``test_proportions_2indep``, score method; Newcombe interval).
- ``within_band_rates`` / ``within_band_proportions``: the equivalence view, a two one-sided test
  (TOST) of "the change is inside the agreed band" (ratio 0.95-1.05, or ±2pp).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# statsmodels and scipy.stats are imported in the functions that use them: together they take
# about 1.5 s to import, which commands that compute no test (``pcp list``, ``pcp validate``,
# a pack rerun that reuses every page) should not pay.

__all__ = [
    "ALPHA", "D2", "DISPERSION_NOTE", "MIN_MONTHS", "Comparison", "Dispersion", "Equivalence", "SEASON_MONTHS", "compare_proportions", "compare_rates", "estimate_dispersion",
    "fmt_p", "within_band_proportions", "within_band_rates"
]

ALPHA = 0.05
D2 = 1.128  # mean moving range of two points / sigma (the SPC constant)
SEASON_MONTHS = 36  # a month-of-year effect is fitted from three years (each month seen 3 times)
MIN_MONTHS = 12  # fewer months: no estimate (dispersion 1, said so)
#: the method in one sentence, for the pages that show a test allowing for over-dispersion
DISPERSION_NOTE = ("Significance tests allow for over-dispersion: counts vary more from month to month than "
                   "chance alone, by the factor shown (× Poisson), measured from each series' own month-to-month "
                   "noise (its moving range; from 36 months, after allowing for a trend and the month of the "
                   "year), so a real trend or step is not counted as noise and cannot hide itself.")


@dataclass(frozen=True)
class Comparison:
    """The result of comparing a latest value with a baseline.

    ``estimate`` is the rate ratio (latest / baseline) for rates, the difference in percentage
    points (latest - baseline) for proportions; ``ci_low``/``ci_high`` are its confidence
    interval; ``measure`` says which ("rate ratio" or "difference (pp)"); ``method`` names the
    test in plain words.
    """

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    significant: bool
    measure: str
    method: str
    alpha: float = ALPHA

    @property
    def pct_change(self) -> float | None:
        """For a rate ratio, the percent change it means (+5.3 for a ratio of 1.053)."""
        return 100 * (self.estimate - 1) if self.measure == "rate ratio" else None


def compare_rates(count1: int, exposure1: float, count0: int, exposure0: float, *,
                  dispersion: float = 1.0, alpha: float = ALPHA) -> Comparison:
    """Latest rate (``count1`` over ``exposure1``) against baseline (``count0`` / ``exposure0``).

    With ``dispersion`` 1 this is statsmodels' score test and score interval for the ratio of two
    Poisson rates. With ``dispersion`` > 1 (over-dispersed counts) it is the Wald test on the log
    rate ratio with its variance multiplied by ``dispersion`` (quasi-Poisson), which is
    statsmodels' "wald-log" method when ``dispersion`` is 1.
    """
    from scipy import stats as sps
    from statsmodels.stats.rates import confint_poisson_2indep, test_poisson_2indep

    if count1 < 0 or count0 < 0 or exposure1 <= 0 or exposure0 <= 0:
        raise ValueError("counts must be >= 0 and exposures > 0")
    ratio = (count1 / exposure1) / (count0 / exposure0) if count0 else math.inf
    if dispersion <= 1.0:
        res = test_poisson_2indep(count1, exposure1, count0, exposure0, method="score")
        low, high = confint_poisson_2indep(count1, exposure1, count0, exposure0, method="score",
                                           alpha=alpha)
        p = float(res.pvalue)
        method = "Poisson score test of the rate ratio (statsmodels)"
    else:
        if count1 == 0 or count0 == 0:
            raise ValueError("the over-dispersed test needs both counts above zero")
        se = math.sqrt(dispersion * (1 / count1 + 1 / count0))
        z = math.log(ratio) / se
        p = float(2 * sps.norm.sf(abs(z)))
        crit = sps.norm.isf(alpha / 2)
        low, high = ratio * math.exp(-crit * se), ratio * math.exp(crit * se)
        method = f"quasi-Poisson test of the rate ratio (variance × {dispersion:.1f} for over-dispersion)"
    return Comparison(estimate=float(ratio), ci_low=float(low), ci_high=float(high), p_value=p,
                      significant=p < alpha, measure="rate ratio", method=method, alpha=alpha)


@dataclass(frozen=True)
class Dispersion:
    """How much more a monthly count series varies than Poisson chance: ``factor`` (at least 1,
    the value the tests use), ``estimate`` (before that floor), ``method`` in words and the
    number of ``months`` it is measured from."""

    factor: float
    estimate: float
    method: str
    months: int

    def __str__(self) -> str:
        return f"{self.factor:.1f}× Poisson variation ({self.method}, {self.months} months)"


def estimate_dispersion(counts: Sequence[float] | pd.Series) -> Dispersion:
    """The over-dispersion of consecutive monthly counts: the variance of the month-to-month
    noise over the mean (quasi-Poisson), measured so that a real trend or step does not count.

    Why not the variance around the series' mean: a real change (the very change a test is
    asked about) inflates that variance and hides itself (LLR shoplifting to December 2024: 23.9
    that way, about 4.5 from the moving range). So the noise is measured from the moving range
    (the SPC estimate of sigma, mean |difference| / 1.128), which a step moves only once and a
    slow trend hardly at all, of the Pearson residuals (count - expected) / sqrt(expected):

    - with ``SEASON_MONTHS`` (36) months or more, the expected counts are a quasi-Poisson fit
      with a linear trend and a month-of-year effect (statsmodels GLM), so seasonality and trend
      are not counted as noise either;
    - with fewer (but at least ``MIN_MONTHS``), the expected count is the series' mean (too few
      years to separate a season): the moving range of the counts, sigma² / mean;
    - with fewer than ``MIN_MONTHS`` months, no estimate: dispersion 1 (Poisson), said in ``method``.

    The ``factor`` is at least 1: less variation than chance is not credited.
    """
    from statsmodels.genmod import families  # not statsmodels.api: it imports all of statsmodels (0.8 s more)
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.tools import add_constant

    y = np.asarray(list(counts), dtype=float)
    n = len(y)
    if n < MIN_MONTHS or y.mean() <= 0:
        return Dispersion(1.0, 1.0, f"none: fewer than {MIN_MONTHS} months, Poisson assumed", n)
    if n >= SEASON_MONTHS:
        t = np.arange(n, dtype=float)
        season = pd.get_dummies(pd.Series(np.arange(n) % 12), prefix="m", drop_first=True, dtype=float)
        x = add_constant(np.column_stack([t, season.to_numpy()]))
        fit = GLM(y, x, family=families.Poisson()).fit()
        expected = np.asarray(fit.fittedvalues, dtype=float)
        method = "moving range of the residuals from a trend and month-of-year quasi-Poisson fit"
    else:
        expected = np.full(n, y.mean())
        method = "moving range of the monthly counts"
    resid = (y - expected) / np.sqrt(expected)
    phi = float((np.abs(np.diff(resid)).mean() / D2) ** 2)
    return Dispersion(max(1.0, phi), phi, method, n)


def compare_proportions(x1: int, n1: int, x0: int, n0: int, *, alpha: float = ALPHA) -> Comparison:
    """Latest proportion (``x1`` of ``n1``) against baseline (``x0`` of ``n0``), as a difference in
    percentage points: statsmodels' score test with a Newcombe (hybrid Wilson) interval."""
    from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

    if not (0 <= x1 <= n1 and 0 <= x0 <= n0) or n1 == 0 or n0 == 0:
        raise ValueError("need 0 <= x <= n and n > 0 for both samples")
    res = test_proportions_2indep(x1, n1, x0, n0, method="score", compare="diff")
    low, high = confint_proportions_2indep(x1, n1, x0, n0, method="newcomb", compare="diff", alpha=alpha)
    p = float(res.pvalue)
    return Comparison(estimate=100 * (x1 / n1 - x0 / n0), ci_low=100 * float(low), ci_high=100 * float(high),
                      p_value=p, significant=p < alpha, measure="difference (pp)",
                      method="score test of the difference in proportions, Newcombe interval (statsmodels)",
                      alpha=alpha)


@dataclass(frozen=True)
class Equivalence:
    """Is the change inside the band? ``within`` is True when both one-sided tests reject
    "outside the band" at ``alpha`` (the change is demonstrably small)."""

    low: float
    high: float
    p_value: float
    within: bool
    band: str


def within_band_rates(count1: int, exposure1: float, count0: int, exposure0: float, *,
                      band_pct: float = 5.0, alpha: float = ALPHA) -> Equivalence:
    """TOST of the rate ratio against the agreed ±``band_pct``% band (statsmodels)."""
    from statsmodels.stats.rates import tost_poisson_2indep

    low, high = 1 - band_pct / 100, 1 + band_pct / 100
    res = tost_poisson_2indep(count1, exposure1, count0, exposure0, low, high, method="score")
    p = float(res.pvalue)
    return Equivalence(low=low, high=high, p_value=p, within=p < alpha, band=f"±{band_pct:g}%")


def within_band_proportions(x1: int, n1: int, x0: int, n0: int, *, band_pp: float = 2.0,
                            alpha: float = ALPHA) -> Equivalence:
    """TOST of the difference in proportions against the agreed ±``band_pp``pp band."""
    from statsmodels.stats.proportion import tost_proportions_2indep

    d = band_pp / 100
    res = tost_proportions_2indep(x1, n1, x0, n0, -d, d, method="score", compare="diff")
    p = float(res.pvalue)
    return Equivalence(low=-band_pp, high=band_pp, p_value=p, within=p < alpha, band=f"±{band_pp:g}pp")


def fmt_p(p: float | None) -> str:
    """"p = 0.03" / "p < 0.001": how a p-value is written in the pack."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "n/a"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
