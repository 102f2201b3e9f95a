"""Is a change real? Significance tests for the kinds of change the Plan reports.

The agreed RAG rule (±5% for rates and counts, ±2pp for percentages) says nothing about chance:
shoplifting moving from 7.6 to 8.0 per 1,000 is +5.3%, outside the band, but whether that is more
than the month-to-month noise of about 8,500 offences a year is a statistical question.

- ``compare_quarter``: a quarter's count of events against the same quarter a year earlier (the
  comparison the crime page, its CSP area grid and the dashboard make), calibrated by simulation
  (``tests/methods/test_calibration.py``; ``benchmarks/calibration.py`` prints the table). Crime
  counts vary more than Poisson chance, and neighbouring months move together, so the variance of
  the comparison is measured from the series itself, without the compared months: from the same
  comparison made for the other months (each month against the same month a year earlier), summed
  over three consecutive months as the quarter is, centred on the series' own year-on-year change.
  The reference distribution is a t with that estimator's degrees of freedom (Satterthwaite), so a
  short history gives a wide interval rather than a false finding. ``compare_totals`` is its test
  of two totals with a dispersion measured elsewhere (said where).
- ``compare_rates``: two Poisson counts over their exposures (statsmodels' score test and interval).
- ``compare_proportions``: two survey percentages with their sample sizes, as a difference in
  percentage points (statsmodels ``test_proportions_2indep``, score method; Newcombe interval).
- ``fdr_adjust``: Benjamini-Hochberg adjusted p-values within a family of tests (statsmodels).
- ``within_band_rates`` / ``within_band_proportions``: the equivalence view, a two one-sided test
  (TOST) of "the change is inside the agreed band" (ratio 0.95-1.05, or ±2pp).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pcp_lib.methods.periods import Quarter

# statsmodels and scipy.stats are imported in the functions that use them: together they take
# about 1.5 s to import, which commands that compute no test (``pcp list``, ``pcp validate``,
# a pack rerun that reuses every page) should not pay.

__all__ = [
    "ALPHA", "HOW_TO_READ", "MIN_OTHER_PAIRS", "WINDOW", "Comparison", "Equivalence", "QuarterLayout", "compare_proportions",
    "compare_quarter", "compare_quarter_arrays", "compare_rates", "compare_totals", "fdr_adjust", "fmt_p",
    "quarter_layout", "within_band_proportions", "within_band_rates",
]

ALPHA = 0.05
#: months summed in the comparison (a quarter), and so in the windows the variance is measured on
WINDOW = 3
#: fewer same-month pairs a year apart outside the compared months: no test (the variance cannot
#: be measured; two quarters' worth is the least that gives a usable t)
MIN_OTHER_PAIRS = 6

#: "How to read these statistics": the box on the pages that show tests (dashboard, crime), in
#: plain words; what a test can and cannot tell. The power figure is the calibration's
#: (``benchmarks/calibration.py``, docs/assumptions-and-caveats.md).
HOW_TO_READ = (
    "How to read these statistics.",
    "A test asks whether a change is bigger than the ups and downs the series shows anyway. Those ups and downs "
    "are measured from the series itself, leaving out the months compared: each other month against the same "
    "month a year earlier, three months at a time, as a quarter is.",
    f"\"Evidence of a change\" means chance alone would rarely give a change this large (adjusted p below "
    f"{ALPHA:.0%}). The interval is the range of changes the data are consistent with.",
    "\"No evidence of a change\" does not mean nothing changed. With two or three years of monthly data these "
    "tests are weak: in simulation a real rise of 20% at 100 crimes a month is found less than one time in five. "
    "A wide interval means the data cannot tell.",
    "Each table makes many tests, and by chance alone a few would look like changes. So the p-values are adjusted "
    "within each table (Benjamini-Hochberg) and only changes whose adjusted p is below "
    f"{ALPHA:.0%} are called evidence; the raw p is shown beside it.",
    "A test does not say why a count moved (more crime, more recording, a change of definition), nor whether "
    "the change matters.",
)


@dataclass(frozen=True)
class Comparison:
    """The result of comparing a latest value with a baseline.

    ``estimate`` is the rate ratio (latest / baseline) for rates, the difference in percentage
    points (latest - baseline) for proportions; ``ci_low``/``ci_high`` are its confidence
    interval; ``measure`` says which ("rate ratio" or "difference (pp)"); ``method`` names the
    test in plain words. ``dispersion`` is the variance factor the test used (× Poisson; 1 for
    a pure Poisson or binomial test), ``dispersion_method`` how and from what it was measured,
    ``df`` the degrees of freedom of the t reference (infinite: a normal reference). When no
    test could run, ``reason`` says why ("not tested: ...") and the numbers are NaN.
    """

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    significant: bool
    measure: str
    method: str
    alpha: float = ALPHA
    dispersion: float = 1.0
    dispersion_method: str = ""
    df: float = math.inf
    count: int | None = None
    count_baseline: int | None = None
    reason: str = ""

    @property
    def tested(self) -> bool:
        """Whether a test ran (else ``reason`` says why not)."""
        return not self.reason

    @property
    def pct_change(self) -> float | None:
        """For a rate ratio, the percent change it means (+5.3 for a ratio of 1.053)."""
        return 100 * (self.estimate - 1) if self.measure == "rate ratio" else None

    def interval(self, places: int = 2) -> str:
        """"0.93 (95% CI 0.81 to 1.07)": the estimate with its confidence interval, in words."""
        if not self.tested or math.isnan(self.estimate):
            return "n/a"
        level = round(100 * (1 - self.alpha))

        def f(x: float) -> str:
            return "∞" if math.isinf(x) else f"{x:.{places}f}"
        return f"{f(self.estimate)} ({level}% CI {f(self.ci_low)} to {f(self.ci_high)})"


def _not_tested(reason: str, *, count: int | None = None, baseline: int | None = None,
                dispersion_method: str = "") -> Comparison:
    nan = math.nan
    return Comparison(estimate=nan, ci_low=nan, ci_high=nan, p_value=nan, significant=False, measure="rate ratio",
                      method="none", dispersion=nan, dispersion_method=dispersion_method, df=nan, count=count,
                      count_baseline=baseline, reason=reason if reason.startswith("not tested") else
                      f"not tested: {reason}")


# ---- one quarter against the same quarter a year earlier ---------------------------------------

@dataclass(frozen=True)
class QuarterLayout:
    """Which months of a monthly series ``compare_quarter`` uses, worked out once per series
    shape (the calibration simulation reuses it for thousands of series).

    ``now`` / ``before``: positions of the quarter's months and of the same months a year
    earlier; ``pairs_now`` / ``pairs_before``: the other months with a month a year earlier,
    neither of them a compared month (the variance is measured on these); ``weights``: the
    quadratic form that turns their standardised year-on-year residuals into the variance of a
    ``WINDOW``-month sum (overlapping windows of consecutive months), ``scale`` its expectation
    per unit variance and ``df`` its Satterthwaite degrees of freedom; ``span`` the first and
    last month of the pairs (for the sentence that says what the variance was measured on)."""

    now: np.ndarray
    before: np.ndarray
    pairs_now: np.ndarray
    pairs_before: np.ndarray
    weights: np.ndarray
    scale: float
    df: float
    span: tuple[pd.Timestamp, pd.Timestamp] | None
    reason: str = ""


def _runs(positions: Sequence[int], months: pd.DatetimeIndex) -> list[list[int]]:
    """Split the pair positions into runs of consecutive calendar months."""
    runs: list[list[int]] = []
    for i in positions:
        if runs and (months[i].to_period("M") - months[runs[-1][-1]].to_period("M")).n == 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def quarter_layout(months: pd.DatetimeIndex, quarter: Quarter | str) -> QuarterLayout:
    """The layout of ``compare_quarter`` for a series of these ``months`` (month starts, sorted,
    no gaps needed): see ``QuarterLayout``. ``reason`` is set when no test can be made."""
    q = Quarter.parse(quarter)
    where = {m: i for i, m in enumerate(months)}
    now_m = [pd.Timestamp(m) for m in q.months]
    before_m = [pd.Timestamp(m) for m in q.year_earlier().months]
    empty = np.array([], dtype=int)
    if not all(m in where for m in now_m) or not all(m in where for m in before_m):
        missing = "the quarter" if not all(m in where for m in now_m) else "the same quarter a year earlier"
        return QuarterLayout(empty, empty, empty, empty, np.zeros((0, 0)), 0.0, math.nan, None,
                             f"not tested: {missing} is not (wholly) in the monthly series")
    compared = set(now_m) | set(before_m)
    pairs = [(where[m], where[m - pd.DateOffset(months=12)]) for m in months
             if m not in compared and (m - pd.DateOffset(months=12)) in where
             and (m - pd.DateOffset(months=12)) not in compared]
    now, before = np.array([where[m] for m in now_m]), np.array([where[m] for m in before_m])
    k = len(pairs)
    windows = [run[j:j + WINDOW] for run in _runs([i for i, _ in pairs], months)
               for j in range(len(run) - WINDOW + 1)]
    if k < MIN_OTHER_PAIRS or len(windows) < 2:
        return QuarterLayout(now, before, empty, empty, np.zeros((0, 0)), 0.0, math.nan, None,
                             f"not tested: only {k} other months have the same month a year earlier outside the "
                             f"compared months (at least {MIN_OTHER_PAIRS} in runs of {WINDOW} or more are needed to "
                             "measure how much a year-on-year comparison varies)")
    pos = {i: n for n, (i, _) in enumerate(pairs)}
    a = np.zeros((k, k))
    for w in windows:
        v = np.zeros(k)
        v[[pos[i] for i in w]] = 1.0
        a += np.outer(v, v) / WINDOW
    a /= len(windows)
    p = np.eye(k) - np.full((k, k), 1.0 / k)  # centring on the series' own year-on-year change
    m = p @ a @ p
    scale = float(np.trace(m))
    df = float(scale ** 2 / np.trace(m @ m))
    span = (months[pairs[0][0]], months[pairs[-1][0]])
    return QuarterLayout(now, before, np.array([i for i, _ in pairs]), np.array([j for _, j in pairs]),
                         a, scale, df, span)


def compare_quarter_arrays(layout: QuarterLayout, counts: np.ndarray,
                           exposure: np.ndarray | None = None, *, alpha: float = ALPHA) -> dict[str, np.ndarray]:
    """The engine of ``compare_quarter`` for many series at once (rows of ``counts``, columns
    the months of ``layout``): rate ratio, interval, p-value, dispersion, for each row.

    The test, for counts over exposures, conditional on the two quarters' total N: under no
    change the quarter's count Y1 has mean N·p0 (p0 its share of the exposure) and variance
    φ·N·p0·(1-p0). φ, the dispersion, is measured on the other same-month pairs: each pair's
    standardised residual against the series' own year-on-year change (Pearson, conditional on
    the pair's total), squared and summed over overlapping windows of ``WINDOW`` consecutive
    months (so the covariance of neighbouring months counts, as it does in a quarter's sum), per
    unit of its expectation. The p-value is from a t with the layout's degrees of freedom, the
    interval the score (Wilson) interval of the share inverted to a rate ratio with the same t.
    """
    y = np.atleast_2d(np.asarray(counts, dtype=float))
    e = np.ones_like(y) if exposure is None else np.broadcast_to(np.asarray(exposure, dtype=float), y.shape)
    y1, y0 = y[:, layout.now].sum(1), y[:, layout.before].sum(1)
    e1, e0 = e[:, layout.now].sum(1), e[:, layout.before].sum(1)
    a1, a0 = y[:, layout.pairs_now], y[:, layout.pairs_before]
    x1, x0 = e[:, layout.pairs_now], e[:, layout.pairs_before]
    with np.errstate(divide="ignore", invalid="ignore"):
        psi = (a1.sum(1) / x1.sum(1)) / (a0.sum(1) / x0.sum(1))  # the other months' own year-on-year change
        share = psi[:, None] * x1 / (psi[:, None] * x1 + x0)
        n = a1 + a0
        resid = np.where(n > 0, (a1 - n * share) / np.sqrt(n * share * (1 - share)), 0.0)
        resid = np.where(np.isfinite(resid), resid, 0.0)
        phi = np.einsum("ri,ij,rj->r", resid, layout.weights, resid) / layout.scale
    out = _score_test(y1, y0, e1, e0, phi, layout.df, alpha)
    out.update({"count": y1, "count_baseline": y0, "dispersion": phi, "all_other_pairs_empty": (n == 0).all(1)})
    return out


def _score_test(y1: np.ndarray, y0: np.ndarray, e1: np.ndarray, e0: np.ndarray, phi: np.ndarray | float,
                df: float, alpha: float) -> dict[str, np.ndarray]:
    """Rate ratio, its interval and p-value for counts ``y1``/``y0`` over ``e1``/``e0`` with the
    variance × ``phi``: conditional on the total, the score statistic of the latest count's share
    against a t with ``df``; the interval is the score (Wilson) interval of the share with
    N/``phi`` effective events, as a rate ratio."""
    from scipy import stats as sps

    with np.errstate(divide="ignore", invalid="ignore"):
        total = y1 + y0
        p0 = e1 / (e1 + e0)
        z = (y1 - total * p0) / np.sqrt(total * p0 * (1 - p0) * phi)
        pval = 2 * sps.t.sf(np.abs(z), df)
        crit = sps.t.isf(alpha / 2, df)
        n_eff, x_eff = total / phi, y1 / phi
        centre = x_eff + crit ** 2 / 2
        half = crit * np.sqrt(x_eff * (n_eff - x_eff) / n_eff + crit ** 2 / 4)
        lo_s, hi_s = (centre - half) / (n_eff + crit ** 2), (centre + half) / (n_eff + crit ** 2)
        odds = e0 / e1
        ratio = (y1 / e1) / (y0 / e0)
        lo = np.maximum(lo_s / (1 - lo_s) * odds, 0.0)
        hi = np.where(hi_s >= 1, np.inf, hi_s / (1 - hi_s) * odds)
    return {"rate_ratio": np.atleast_1d(ratio), "ci_low": np.atleast_1d(lo), "ci_high": np.atleast_1d(hi),
            "p_value": np.atleast_1d(pval)}


def _series(counts: pd.Series, name: str) -> pd.Series:
    """A monthly series indexed by month start (dates or timestamps), sorted; clear errors."""
    if not isinstance(counts, pd.Series):
        raise TypeError(f"{name} must be a pandas Series indexed by month start")
    idx = pd.DatetimeIndex(pd.to_datetime(pd.Index(counts.index)))
    if idx.has_duplicates:
        raise ValueError(f"{name} has the same month more than once")
    if len(idx) and not (idx == idx.to_period("M").to_timestamp()).all():
        raise ValueError(f"{name} must be indexed by the first day of each month")
    return pd.Series(np.asarray(counts, dtype=float), index=idx).sort_index()


def compare_quarter(counts: pd.Series, quarter: Quarter | str, *, exposure: pd.Series | float | None = None,
                    alpha: float = ALPHA) -> Comparison:
    """A quarter's count of events against the same three months a year earlier.

    ``counts``: monthly counts, a Series indexed by month start (missing months may be absent or
    NaN); ``exposure``: what the counts are over, by month (a population, or a Series aligned
    with ``counts``; None: the same in every month). Returns a ``Comparison`` of the rate ratio
    (quarter / a year earlier), its interval, p-value, the dispersion used (× Poisson, for a
    quarter's sum: month-to-month over-dispersion and the covariance of neighbouring months),
    its method and its degrees of freedom; or, when the history cannot measure the variation, a
    ``Comparison`` whose ``reason`` says why it was not tested. Calibrated by simulation (false
    positives 2.5-7.5% at 5% under Poisson and negative binomial noise with season, trend and
    autocorrelated months, 24 and 36 months: ``tests/methods/test_calibration.py``).
    """
    s = _series(counts, "counts").dropna()
    if (s < 0).any():
        raise ValueError("counts must be zero or more")
    if exposure is None or np.isscalar(exposure):
        e = pd.Series(1.0 if exposure is None else float(exposure), index=s.index)  # type: ignore[arg-type]
    else:
        e = _series(exposure, "exposure").reindex(s.index)
        if e.isna().any():
            raise ValueError("exposure is missing for a month that has a count")
    if (e <= 0).any():
        raise ValueError("exposure must be above zero")
    q = Quarter.parse(quarter)
    layout = quarter_layout(pd.DatetimeIndex(s.index), q)
    now = [pd.Timestamp(m) for m in q.months]
    before = [pd.Timestamp(m) for m in q.year_earlier().months]
    count = int(s.reindex(now).sum()) if all(m in s.index for m in now) else None
    base = int(s.reindex(before).sum()) if all(m in s.index for m in before) else None
    if layout.reason:
        return _not_tested(layout.reason, count=count, baseline=base)
    if count == 0 and base == 0:
        return _not_tested("no events in either quarter", count=count, baseline=base)
    r = compare_quarter_arrays(layout, s.to_numpy()[None, :], e.to_numpy()[None, :], alpha=alpha)
    phi = float(r["dispersion"][0])
    first, last = layout.span  # type: ignore[misc]
    k = len(layout.pairs_now)
    how = (f"measured on {k} other months against the same month a year earlier ({first:%b %Y}-{last:%b %Y}), "
           f"as {WINDOW}-month sums, so that neighbouring months moving together counts; "
           f"{layout.df:.1f} degrees of freedom")
    if bool(r["all_other_pairs_empty"][0]):
        return _not_tested("the other months hold no events to measure how much the comparison varies",
                           count=count, baseline=base, dispersion_method=how)
    if not phi > 0:
        return _not_tested("the other months do not vary at all against a year earlier, so how much the "
                           "comparison varies cannot be measured", count=count, baseline=base, dispersion_method=how)
    p = float(r["p_value"][0])
    return Comparison(estimate=float(r["rate_ratio"][0]), ci_low=float(r["ci_low"][0]), ci_high=float(r["ci_high"][0]),
                      p_value=p, significant=p < alpha, measure="rate ratio",
                      method=(f"score test of the rate ratio with the variance × {phi:.1f} "
                              f"(t, {layout.df:.1f} df)"),
                      alpha=alpha, dispersion=phi, dispersion_method=how, df=layout.df, count=count,
                      count_baseline=base)


def compare_totals(count1: int, exposure1: float, count0: int, exposure0: float, *, dispersion: float,
                   df: float, source: str, alpha: float = ALPHA) -> Comparison:
    """Two totals (latest over its exposure, baseline over its) tested as ``compare_quarter``
    tests a quarter, with a ``dispersion`` and ``df`` measured elsewhere: ``source`` says where
    (it becomes ``dispersion_method``, and the page shows it), so a borrowed factor is never silent."""
    if count1 < 0 or count0 < 0 or exposure1 <= 0 or exposure0 <= 0:
        raise ValueError("counts must be >= 0 and exposures > 0")
    if count1 == 0 and count0 == 0:
        return _not_tested("no events in either period", count=count1, baseline=count0)
    if not dispersion > 0 or not df > 0:
        return _not_tested("no dispersion measured to test with", count=count1, baseline=count0)
    r = _score_test(np.array([count1], dtype=float), np.array([count0], dtype=float), np.array([exposure1]),
                    np.array([exposure0]), dispersion, df, alpha)
    p = float(r["p_value"][0])
    return Comparison(estimate=float(r["rate_ratio"][0]), ci_low=float(r["ci_low"][0]), ci_high=float(r["ci_high"][0]),
                      p_value=p, significant=p < alpha, measure="rate ratio",
                      method=f"score test of the rate ratio with the variance × {dispersion:.1f} (t, {df:.1f} df)",
                      alpha=alpha, dispersion=dispersion, dispersion_method=source, df=df, count=count1,
                      count_baseline=count0)


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


def fdr_adjust(p_values: Sequence[float | None]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values of one family of tests (statsmodels
    ``multipletests``, "fdr_bh"), in the order given. A missing p (None or NaN: no test) stays
    NaN and does not count in the family. Calling a finding "evidence" when its adjusted p is
    below 5% keeps the expected share of false findings among those called at 5% or less."""
    from statsmodels.stats.multitest import multipletests

    p = np.array([math.nan if v is None else float(v) for v in p_values], dtype=float)
    out = np.full(len(p), math.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="fdr_bh")[1]
    return [float(v) for v in out]
