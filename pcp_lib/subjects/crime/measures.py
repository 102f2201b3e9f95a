"""The statistics of the crime page: is a change more than chance, and what do the SPC charts say?

Every function here takes the monthly counts (``counts.load_counts``) and returns a tidy table
or a dict of results an analyst can sort, ``describe()`` and plot: counts are ``Int64``, rates,
percent changes and p-values ``float64`` (NaN where not defined), significance ``boolean``.
Nothing is rounded or formatted here; ``tables`` and ``narrative`` do that for display.

- ``quarter_table``: a quarter against the same quarter a year earlier, per measure (and area),
  with rates per 1,000 and a significance test of the two counts (``stats.compare_rates``),
  widened for over-dispersion: the month-to-month noise of each measure's own monthly series,
  per area where the area has enough months (``dispersions``, ``stats.estimate_dispersion``);
- ``ytd_table``: the financial year to date against the same months a year earlier;
- ``spc_results`` / ``spc_summary``: XmR charts (``methods.spc``) of the monthly series;
- ``force_comparison``: each force against itself a year earlier (no population needed);
- ``indexed_comparison``: monthly series of several forces on one scale (base months = 100).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd

from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.spc import XmrResult, xmr
from pcp_lib.methods.stats import MIN_MONTHS, Comparison, Dispersion, compare_rates, estimate_dispersion
from pcp_lib.methods.units import pct_change
from pcp_lib.subjects.crime.counts import (
    LLR,
    LLR_FORCE,
    MEASURES,
    monthly_series,
    months_up_to,
    quarter_count,
)

__all__ = [
    "IMPROVEMENT",
    "DispersionKey",
    "compare_counts",
    "dispersions",
    "force_comparison",
    "index_base_months",
    "indexed_comparison",
    "quarter_table",
    "recalc_months",
    "spc_results",
    "spc_summary",
    "ytd_table",
]

IMPROVEMENT = "decrease"  # fewer crimes is better for every measure shown
DispersionKey = tuple[str, str]  # (measure, area)
_NAN = math.nan


def _pct(before: int | None, now: int | None) -> float:
    """Percent change as a float for analysis (NaN when missing or from zero)."""
    change = pct_change(before, now)
    return _NAN if change is None else float(change)


def compare_counts(now: int | None, before: int | None, exposure: float = 1.0,
                   dispersion: float = 1.0) -> Comparison | None:
    """The significance test of two counts over the same exposure, or None when it is not
    defined (a count missing; a zero count under over-dispersion, where the quasi-Poisson test
    has no log ratio)."""
    if now is None or before is None:
        return None
    if dispersion > 1.0 and (now == 0 or before == 0):
        return None
    return compare_rates(now, exposure, before, exposure, dispersion=dispersion)


def dispersions(counts: pd.DataFrame, quarter: Quarter, measures: Sequence[str] | None = None,
                groups: Mapping[str, Sequence[str]] | None = None) -> dict[DispersionKey, Dispersion]:
    """Over-dispersion of each measure's monthly counts up to the quarter
    (``stats.estimate_dispersion``), keyed by (measure, area): LLR from the force's series and,
    with ``groups`` (areas and their local authorities), each area from its own located series.
    An area with fewer than ``stats.MIN_MONTHS`` months uses LLR's, and its method says so."""
    upto = months_up_to(counts, quarter)
    out: dict[DispersionKey, Dispersion] = {}
    for m in measures or MEASURES:
        llr = estimate_dispersion(monthly_series(upto, m).to_list())
        out[(m, LLR)] = llr
        for area, las in (groups or {}).items():
            if area == LLR:
                continue
            s = monthly_series(upto, m, LLR_FORCE, las)
            out[(m, area)] = estimate_dispersion(s.to_list()) if len(s) >= MIN_MONTHS else Dispersion(
                llr.factor, llr.estimate, f"LLR's ({area} has {len(s)} months)", llr.months)
    return out


def quarter_table(counts: pd.DataFrame, quarter: Quarter | str, populations: Mapping[str, int], *,
                  basis: str = "", groups: Mapping[str, Sequence[str]] | None = None,
                  measures: Sequence[str] | None = None,
                  dispersion: Mapping[DispersionKey, Dispersion] | None = None) -> pd.DataFrame:
    """The quarter against the same quarter a year earlier, per measure (and area): counts,
    rates per 1,000, percent change and whether the change is statistically significant.

    ``groups``: areas and their local authorities (``counts.area_groups``); by default LLR only.
    The LLR row is the force total (including rows with no location, which belong to no
    district); area rows count located crimes only. Rates use ``populations`` (local authority
    -> residents; ``basis`` says which estimate, returned in ``rate_basis``). The significance
    test compares the two quarters' counts as Poisson rates over the same population
    (``stats.compare_rates``), allowing for over-dispersion when ``dispersion`` (``dispersions``)
    gives one for the measure and area (else Poisson: dispersion 1).

    Columns: measure, area, quarter, count, count_year_earlier, population, rate_per_1000,
    rate_per_1000_year_earlier, pct_change, rate_ratio, ratio_ci_low, ratio_ci_high, p_value,
    significant, dispersion (the factor the test used), dispersion_method, rate_basis.
    """
    q = Quarter.parse(quarter)
    prev = q.year_earlier()
    areas: Mapping[str, Sequence[str]] = groups if groups is not None else {LLR: list(populations)}
    rows = []
    for measure in measures or list(MEASURES):
        for area, las in areas.items():
            s = monthly_series(counts, measure, LLR_FORCE, None if area == LLR else las)
            now, before = quarter_count(s, q), quarter_count(s, prev)
            pop = sum(populations[la] for la in (list(populations) if area == LLR else las))
            disp = (dispersion or {}).get((measure, area))
            cmp = compare_counts(now, before, pop, disp.factor if disp else 1.0)
            rows.append({
                "measure": measure, "area": area, "quarter": q.label, "count": now,
                "count_year_earlier": before, "population": pop,
                "rate_per_1000": _NAN if now is None else 1000 * now / pop,
                "rate_per_1000_year_earlier": _NAN if before is None else 1000 * before / pop,
                "pct_change": _pct(before, now),
                "rate_ratio": _NAN if cmp is None else cmp.estimate,
                "ratio_ci_low": _NAN if cmp is None else cmp.ci_low,
                "ratio_ci_high": _NAN if cmp is None else cmp.ci_high,
                "p_value": _NAN if cmp is None else cmp.p_value,
                "significant": None if cmp is None else cmp.significant,
                "dispersion": disp.factor if disp else 1.0,
                "dispersion_method": disp.method if disp else "none: Poisson assumed",
            })
    df = pd.DataFrame(rows, columns=["measure", "area", "quarter", "count", "count_year_earlier", "population",
                                     "rate_per_1000", "rate_per_1000_year_earlier", "pct_change", "rate_ratio",
                                     "ratio_ci_low", "ratio_ci_high", "p_value", "significant", "dispersion",
                                     "dispersion_method"])
    df["rate_basis"] = basis
    return df.astype({"measure": "string", "area": "string", "quarter": "string", "count": "Int64",
                      "count_year_earlier": "Int64", "population": "Int64", "rate_per_1000": "float64",
                      "rate_per_1000_year_earlier": "float64", "pct_change": "float64", "rate_ratio": "float64",
                      "ratio_ci_low": "float64", "ratio_ci_high": "float64", "p_value": "float64",
                      "significant": "boolean", "dispersion": "float64", "dispersion_method": "string",
                      "rate_basis": "string"})


def ytd_table(counts: pd.DataFrame, quarter: Quarter | str,
              measures: Sequence[str] | None = None) -> pd.DataFrame:
    """Financial year to date (April to the end of the quarter) against the same months a
    year earlier, LLR, per measure. Counts are missing unless every month of both periods is
    in the data.

    Columns: measure, year_to_date (the months, in words), start, end (first day of the first
    and last month), count, count_year_earlier, pct_change."""
    q = Quarter.parse(quarter)
    start, end = q.year_to_date()
    year_before = (date(start.year - 1, start.month, 1), date(end.year - 1, end.month, 1))
    rows = []
    for measure in measures or list(MEASURES):
        s = monthly_series(counts, measure)
        now_m = [m for m in s.index if start <= m <= end]
        before_m = [m for m in s.index if year_before[0] <= m <= year_before[1]]
        full = len(now_m) == len(before_m) == 3 * q.q
        now = int(s.loc[now_m].sum()) if full else None
        before = int(s.loc[before_m].sum()) if full else None
        rows.append({"measure": measure, "year_to_date": f"April-{end:%B %Y}", "start": start, "end": end,
                     "count": now, "count_year_earlier": before, "pct_change": _pct(before, now)})
    return pd.DataFrame(rows).astype({"measure": "string", "year_to_date": "string", "count": "Int64",
                                      "count_year_earlier": "Int64", "pct_change": "float64"})


def recalc_months(index: pd.Index, changes: Sequence[date]) -> list[pd.Timestamp] | None:
    """Where limits are recalculated: for each known change point (``reference.spc_change_points``)
    inside the series after its first month, the first month on or after it; None for none."""
    out = set()
    for month in changes:
        after = index[index >= pd.Timestamp(month)]
        if len(after) and after[0] != index[0]:
            out.add(after[0])
    return sorted(out) or None


def spc_results(counts: pd.DataFrame, quarter: Quarter, measure: str,
                areas: Mapping[str, Sequence[str] | None] | None = None, rules: str = "mdc",
                changes: Sequence[date] = ()) -> dict[str, XmrResult]:
    """XmR results of a measure's monthly counts up to the quarter, per area: ``areas`` maps a
    name to its local authorities (None: the whole force, with crimes of no location); by
    default LLR only. Limits are recalculated at the measure's known change points
    (``changes``, months), never elsewhere."""
    upto = months_up_to(counts, quarter)
    out: dict[str, XmrResult] = {}
    for area, las in (areas if areas is not None else {LLR: None}).items():
        s = monthly_series(upto, measure, LLR_FORCE, las)
        s.index = pd.to_datetime(pd.Index(s.index))
        out[area] = xmr(s, IMPROVEMENT, rules=rules, recalc_at=recalc_months(s.index, changes))
    return out


def spc_summary(results: Mapping[str, Mapping[str, XmrResult]]) -> pd.DataFrame:
    """One row per measure and area: the variation icon of the last month (``spc`` code, e.g.
    "concern_high"; missing when there are too few points for limits) and the special-cause
    signals seen in the series (which rules, how many months, the latest one).

    Columns: measure, area, latest_month, variation, special_cause_months, rules_seen (the
    rules, comma separated; "" for none), latest_special_cause_month (NaT for none)."""
    rows = []
    for measure, by_area in results.items():
        for area, r in by_area.items():
            sig = r.signals()
            rules = sorted({rule for text in sig["rule"] for rule in str(text).split("; ") if rule})
            rows.append({
                "measure": measure, "area": area,
                "latest_month": r.points["x"].iloc[-1],
                "variation": r.variation,
                "special_cause_months": len(sig),
                "rules_seen": ", ".join(rules),
                "latest_special_cause_month": sig["x"].iloc[-1] if len(sig) else pd.NaT,
            })
    df = pd.DataFrame(rows, columns=["measure", "area", "latest_month", "variation", "special_cause_months",
                                     "rules_seen", "latest_special_cause_month"])
    return df.astype({"measure": "string", "area": "string", "latest_month": "datetime64[ns]",
                      "variation": "string", "special_cause_months": "Int64", "rules_seen": "string",
                      "latest_special_cause_month": "datetime64[ns]"})


def force_comparison(counts: pd.DataFrame, quarter: Quarter, measures: Sequence[str],
                     forces: Sequence[str]) -> pd.DataFrame:
    """Each force's quarter against the same quarter a year earlier: counts, percent change and
    whether the change is significant (each force against itself, so no population is needed),
    allowing for each force's own month-to-month variation.

    Columns: measure, force, quarter, count, count_year_earlier, pct_change, p_value, significant.
    """
    upto = months_up_to(counts, quarter)
    prev = quarter.year_earlier()
    rows = []
    for measure in measures:
        for force in forces:
            s = monthly_series(upto, measure, force)
            now, before = quarter_count(s, quarter), quarter_count(s, prev)
            cmp = compare_counts(now, before, 1.0, estimate_dispersion(s.to_list()).factor)
            rows.append({"measure": measure, "force": force, "quarter": quarter.label, "count": now,
                         "count_year_earlier": before, "pct_change": _pct(before, now),
                         "p_value": _NAN if cmp is None else cmp.p_value,
                         "significant": None if cmp is None else cmp.significant})
    df = pd.DataFrame(rows, columns=["measure", "force", "quarter", "count", "count_year_earlier", "pct_change",
                                     "p_value", "significant"])
    return df.astype({"measure": "string", "force": "string", "quarter": "string", "count": "Int64",
                      "count_year_earlier": "Int64", "pct_change": "float64", "p_value": "float64",
                      "significant": "boolean"})


def index_base_months(counts: pd.DataFrame, n: int = 12) -> list[date]:
    """The first ``n`` months in the data: the base (= 100) of indexed comparisons."""
    return sorted(set(counts["month"]))[:n]


def indexed_comparison(counts: pd.DataFrame, measure: str, forces: Sequence[str],
                       base_months: Sequence[date]) -> pd.DataFrame:
    """Monthly counts of a measure for several forces as an index (mean of ``base_months`` =
    100): used to compare trends where populations on a common, cited basis are not to hand.

    Columns: month, force, count, index (NaN when the base is zero)."""
    out = []
    for force in forces:
        s = monthly_series(counts, measure, force)
        base = float(s.loc[[m for m in base_months if m in s.index]].mean())
        for m, v in s.items():
            out.append({"month": m, "force": force, "count": int(v),
                        "index": 100 * v / base if base else _NAN})
    df = pd.DataFrame(out, columns=["month", "force", "count", "index"])
    return df.astype({"force": "string", "count": "Int64", "index": "float64"})
