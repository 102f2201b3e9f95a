"""The statistics of the crime page: is a change more than chance, and what do the SPC charts say?

Every function here takes the monthly counts (``counts.load_counts``) and returns a tidy table
or a dict of results an analyst can sort, ``describe()`` and plot: counts are ``Int64``, rates,
percent changes and p-values ``float64`` (NaN where not defined), significance ``boolean``.
Nothing is rounded or formatted here; ``tables`` and ``narrative`` do that for display.

- ``quarter_table``: a quarter against the same quarter a year earlier, per measure (and area),
  with rates per 1,000 and the calibrated test of the two quarters (``stats.compare_quarter``:
  the variance from each series' own other months, LLR's or the area's), and p-values adjusted
  for the many tests of the table (Benjamini-Hochberg, ``stats.fdr_adjust``): the table is the
  family;
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
from pcp_lib.methods.stats import ALPHA, Comparison, compare_quarter, fdr_adjust
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
_NAN = math.nan


def _pct(before: int | None, now: int | None) -> float:
    """Percent change as a float for analysis (NaN when missing or from zero)."""
    change = pct_change(before, now)
    return _NAN if change is None else float(change)


def _tested(rows: list[dict], cmps: list[Comparison]) -> None:
    """Fill each row's test columns from its comparison, with Benjamini-Hochberg adjusted
    p-values across the rows (one family)."""
    adjusted = fdr_adjust([c.p_value if c.tested else None for c in cmps])
    for row, c, q in zip(rows, cmps, adjusted, strict=True):
        row.update({
            "rate_ratio": c.estimate, "ratio_ci_low": c.ci_low, "ratio_ci_high": c.ci_high, "p_value": c.p_value,
            "p_adjusted": q, "significant": c.significant if c.tested else None,
            "evidence": bool(q < ALPHA) if c.tested else None,
            "dispersion": c.dispersion, "dispersion_method": c.dispersion_method or None,
            "df": c.df, "not_tested": c.reason or None,
        })


_TEST_COLUMNS = ["rate_ratio", "ratio_ci_low", "ratio_ci_high", "p_value", "p_adjusted", "significant", "evidence",
                 "dispersion", "dispersion_method", "df", "not_tested"]
_TEST_TYPES = {"rate_ratio": "float64", "ratio_ci_low": "float64", "ratio_ci_high": "float64", "p_value": "float64",
               "p_adjusted": "float64", "significant": "boolean", "evidence": "boolean", "dispersion": "float64",
               "dispersion_method": "string", "df": "float64", "not_tested": "string"}


def quarter_table(counts: pd.DataFrame, quarter: Quarter | str, populations: Mapping[str, int], *,
                  basis: str = "", groups: Mapping[str, Sequence[str]] | None = None,
                  measures: Sequence[str] | None = None) -> pd.DataFrame:
    """The quarter against the same quarter a year earlier, per measure (and area): counts,
    rates per 1,000, percent change and the test of the change.

    ``groups``: areas and their local authorities (``counts.area_groups``); by default LLR only.
    The LLR row is the force total (including rows with no location, which belong to no
    district); area rows count located crimes only. Rates use ``populations`` (local authority
    -> residents; ``basis`` says which estimate, returned in ``rate_basis``). Each row's test is
    ``stats.compare_quarter`` of its own monthly series (the months of ``counts``: pass them up
    to the quarter, ``counts.months_up_to``); its p-value is adjusted with every other row's
    (Benjamini-Hochberg): ``evidence`` is adjusted p < 5%, ``significant`` raw p < 5%.

    Columns: measure, area, quarter, count, count_year_earlier, population, rate_per_1000,
    rate_per_1000_year_earlier, pct_change, rate_ratio, ratio_ci_low, ratio_ci_high, p_value,
    p_adjusted, significant, evidence, dispersion (the factor the test used, × Poisson),
    dispersion_method, df, not_tested (why not, when no test ran), rate_basis.
    """
    q = Quarter.parse(quarter)
    prev = q.year_earlier()
    areas: Mapping[str, Sequence[str]] = groups if groups is not None else {LLR: list(populations)}
    rows, cmps = [], []
    for measure in measures or list(MEASURES):
        for area, las in areas.items():
            s = monthly_series(counts, measure, LLR_FORCE, None if area == LLR else las)
            now, before = quarter_count(s, q), quarter_count(s, prev)
            pop = sum(populations[la] for la in (list(populations) if area == LLR else las))
            cmps.append(compare_quarter(s, q))
            rows.append({
                "measure": measure, "area": area, "quarter": q.label, "count": now,
                "count_year_earlier": before, "population": pop,
                "rate_per_1000": _NAN if now is None else 1000 * now / pop,
                "rate_per_1000_year_earlier": _NAN if before is None else 1000 * before / pop,
                "pct_change": _pct(before, now),
            })
    _tested(rows, cmps)
    df = pd.DataFrame(rows, columns=["measure", "area", "quarter", "count", "count_year_earlier", "population",
                                     "rate_per_1000", "rate_per_1000_year_earlier", "pct_change", *_TEST_COLUMNS])
    df["rate_basis"] = basis
    return df.astype({"measure": "string", "area": "string", "quarter": "string", "count": "Int64",
                      "count_year_earlier": "Int64", "population": "Int64", "rate_per_1000": "float64",
                      "rate_per_1000_year_earlier": "float64", "pct_change": "float64", **_TEST_TYPES,
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
    now_span, before_span = (pd.Timestamp(start), pd.Timestamp(end)), tuple(map(pd.Timestamp, year_before))
    rows = []
    for measure in measures or list(MEASURES):
        s = monthly_series(counts, measure)
        now_m = [m for m in s.index if now_span[0] <= m <= now_span[1]]
        before_m = [m for m in s.index if before_span[0] <= m <= before_span[1]]
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
    the test of the change (``stats.compare_quarter`` of each force's own series; each force
    against itself, so no population is needed), p adjusted across the table's tests.

    Columns: measure, force, quarter, count, count_year_earlier, pct_change, and the test
    columns of ``quarter_table``.
    """
    upto = months_up_to(counts, quarter)
    prev = quarter.year_earlier()
    rows, cmps = [], []
    for measure in measures:
        for force in forces:
            s = monthly_series(upto, measure, force)
            now, before = quarter_count(s, quarter), quarter_count(s, prev)
            cmps.append(compare_quarter(s, quarter))
            rows.append({"measure": measure, "force": force, "quarter": quarter.label, "count": now,
                         "count_year_earlier": before, "pct_change": _pct(before, now)})
    _tested(rows, cmps)
    df = pd.DataFrame(rows, columns=["measure", "force", "quarter", "count", "count_year_earlier", "pct_change",
                                     *_TEST_COLUMNS])
    return df.astype({"measure": "string", "force": "string", "quarter": "string", "count": "Int64",
                      "count_year_earlier": "Int64", "pct_change": "float64", **_TEST_TYPES})


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
        base = float(s.loc[[m for m in map(pd.Timestamp, base_months) if m in s.index]].mean())
        for m, v in s.items():
            out.append({"month": m.date(), "force": force, "count": int(v),
                        "index": 100 * v / base if base else _NAN})
    df = pd.DataFrame(out, columns=["month", "force", "count", "index"])
    return df.astype({"force": "string", "count": "Int64", "index": "float64"})
