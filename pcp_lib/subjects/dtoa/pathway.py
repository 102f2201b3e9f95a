"""The monthly custody-pathway return (``dtoa_pathway``) and what is computed from it.

The Force (custody) and Turning Point can send one row a month: how many people were
identified as suitable for an intervention, tested, tested positive, booked and attended a
Required Assessment, the average wait for an assessment, naloxone issued and entries into
treatment. It is a quarterly return (three rows in each quarter's folder), so the series is
the concatenation of the quarter folders up to the quarter asked for.

The schema rejects what cannot happen: a later stage larger than an earlier one, negative
counts, a month twice (within a file or across quarter folders) or in the wrong folder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.io.datastore import load_quarterly
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.io.schema import Column, Schema
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.units import MISSING, as_decimal, is_missing, percent_of
from pcp_lib.subjects.dtoa.arithmetic import as_float, compare_periods, funnel

__all__ = ["DTOA_PATHWAY", "DTOA_PATHWAY_RETURN", "FUNNEL_STAGES", "MEASURES", "STEP_KINDS", "MEASURE_NAMES", "MEASURE_UNITS",
           "OTHER_COUNTS", "RATE", "SHORT_NAMES", "STAGE_LABELS", "UPLIFT_START", "WAIT", "load_pathway",
           "monthly_averages", "monthly_intervals", "months_between", "months_in", "poisson_interval", "pooled_attendance_pct",
           "quarter_funnel", "quarter_table", "rate_ratio", "uplift_monitor"]

#: The pathway in order: (column, published measure name). Each is a subset of the one before.
FUNNEL_STAGES: tuple[tuple[str, str], ...] = (
    ("identified", "People identified as suitable for any form of intervention"),
    ("tests", "Drug tests carried out"),
    ("positive_tests", "Positive tests"),
    ("ra_booked", "Required Assessment booked (Referral into treatment)"),
    ("ra_attended", "Required Assessments attended"),
)
#: What the people not carried forward to each stage are (``arithmetic.STEP_KINDS``), by the
#: stage's definition: a drug test is for viable candidates only (opiate or crack users not in
#: treatment: 324 of the 2,915 identified in 2025), so most people identified but not tested were
#: never eligible for a test ("mixed": the counts cannot separate them from eligible people not
#: tested); a negative test makes a person not eligible for a Required Assessment ("screen");
#: the later steps are people who could have gone on and did not ("progression").
STEP_KINDS: dict[str, str] = {
    "Drug tests carried out": "mixed",
    "Positive tests": "screen",
    "Required Assessment booked (Referral into treatment)": "progression",
    "Required Assessments attended": "progression",
    # the published January-December 2025 pathway (dtoa_pathway_2025.csv)
    "Viable testing candidates": "screen",
    "Referred after a positive test": "mixed",
    "Entered treatment": "progression",
}
#: Counts recorded alongside the funnel but not a stage of it. Entries into treatment can
#: exceed Required Assessments attended (Q3 2025: 7 against 5), so they are not a sub-stage.
OTHER_COUNTS: tuple[tuple[str, str], ...] = (
    ("naloxone", "Naloxone issued from custody"),
    ("treatment_entries", "Entries into treatment"),
)
RATE = ("ra_attended_pct", "% of Required Assessments attended")
WAIT = ("ra_wait_days", "Waiting time for Required Assessments")

#: Every measure of the published comparison table, in its order, with its kind.
MEASURES: tuple[tuple[str, str, str], ...] = (
    *((c, n, "count") for c, n in FUNNEL_STAGES),
    (RATE[0], RATE[1], "percent"),
    (WAIT[0], WAIT[1], "days"),
    ("naloxone", "Naloxone issued from custody", "count"),
    ("treatment_entries", "Entries into treatment", "count"),
)
MEASURE_NAMES = {c: n for c, n, _ in MEASURES}
MEASURE_UNITS = {n: k for _, n, k in MEASURES}

SHORT_NAMES = {
    "identified": "Identified as suitable",
    "tests": "Drug tests",
    "positive_tests": "Positive tests",
    "ra_booked": "RA booked",
    "ra_attended": "RA attended",
    "naloxone": "Naloxone issued",
    "treatment_entries": "Entries into treatment",
    "ra_attended_pct": "% of RAs attended",
    "ra_wait_days": "Wait for RA (days)",
}

#: Short names of the funnel stages for charts, keyed by the published measure name.
STAGE_LABELS = {MEASURE_NAMES[c]: SHORT_NAMES[c] for c, _ in FUNNEL_STAGES}

#: The Commissioner's uplift to DToA funding starts in this month (para 24).
UPLIFT_START = date(2026, 5, 1)


def _count(name: str, description: str) -> Column:
    return Column(name, "int", description, unit="people", min_value=0)


def _not_larger(later: str, earlier: str) -> Callable[[dict[str, Any]], tuple[str, str] | None]:
    def check(row: dict[str, Any]) -> tuple[str, str] | None:
        if row[later] > row[earlier]:
            return (later, f"at most {row[earlier]} (the {earlier} count on this row): a later stage of "
                           f"the pathway cannot be larger than an earlier one; got {row[later]}")
        return None
    check.__name__ = f"{later}_not_above_{earlier}"
    return check


def _wait_given_when_attended(row: dict[str, Any]) -> tuple[str, str] | None:
    if row["ra_attended"] and row["ra_wait_days"] is None:
        return ("ra_wait_days", f"the average wait in days, since {row['ra_attended']} Required "
                                "Assessments were attended this month; got a blank")
    return None


DTOA_PATHWAY = Schema(
    name="dtoa_pathway",
    title="DToA custody pathway monthly return",
    description="One row per month: people at each stage of the custody-to-treatment pathway "
                "(each stage a subset of the one before), the average wait for a Required "
                "Assessment, naloxone issued and entries into treatment.",
    columns=(
        Column("month", "month", "The calendar month the row counts (e.g. 2025-10)", period="within"),
        _count("identified", "People identified in custody as suitable for any form of intervention"),
        _count("tests", "Drug tests carried out in custody"),
        _count("positive_tests", "Positive drug tests"),
        _count("ra_booked", "Required Assessments booked (referrals into treatment)"),
        _count("ra_attended", "Required Assessments attended"),
        Column("ra_wait_days", "decimal", "Average days from booking to the Required Assessment "
               "(blank only when none were attended)", unit="days", required=False, min_value=0),
        _count("naloxone", "Naloxone kits issued from custody"),
        _count("treatment_entries", "People entering treatment via the custody pathway"),
    ),
    key=("month",),
    row_checks=(
        _not_larger("tests", "identified"),
        _not_larger("positive_tests", "tests"),
        _not_larger("ra_booked", "positive_tests"),
        _not_larger("ra_attended", "ra_booked"),
        _not_larger("naloxone", "identified"),
        _not_larger("treatment_entries", "identified"),
        _wait_given_when_attended,
    ),
    max_rows=3,
    size="one row per month of the quarter",
)

DTOA_PATHWAY_RETURN = ReturnSpec("dtoa_pathway", DTOA_PATHWAY.title, DTOA_PATHWAY,
                                 "Leicestershire Police custody and Turning Point", period_column="month",
                                 required=False)


def load_pathway(up_to: Quarter | str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The monthly pathway series up to the end of ``up_to``, one row per month in time order.

    Reads ``dtoa_pathway`` from every quarter folder up to ``up_to`` with
    ``io.datastore.load_quarterly`` (a month outside its folder's quarter, or sent twice,
    raises ``DataError``; the table carries the provenance of every file read) and adds
    ``ra_attended_pct``: Required Assessments attended as a percentage of those booked that
    month (float64; NaN when none were booked). An empty series when there are no files.
    """
    out = load_quarterly(DTOA_PATHWAY, up_to, data_dir, period_column="month")
    out[RATE[0]] = [as_float(percent_of(a, b)) for a, b in zip(out["ra_attended"], out["ra_booked"], strict=True)]
    out[RATE[0]] = out[RATE[0]].astype("float64")
    return out


def months_between(df: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """Rows whose month lies in [first, last]."""
    mask = [(first <= m <= last) for m in df["month"]]
    return df.loc[mask]


def _exact(df: pd.DataFrame, col: str) -> list[Decimal]:
    """A column's values as Decimal, missing ones left out; the attendance rate recomputed
    exactly from the counts (months with none booked have no rate)."""
    if col == RATE[0]:
        rates = [percent_of(a, b) for a, b in zip(df["ra_attended"], df["ra_booked"], strict=True)]
        return [r for r in rates if r is not None]
    return [as_decimal(v) for v in df[col] if not is_missing(v)]


def monthly_averages(df: pd.DataFrame) -> dict[str, Decimal | None]:
    """The monthly average of every measure over the rows given, keyed by published name
    (exact Decimals: these are compared with published figures).

    As in the published table ("Monthly Average"), counts are the mean monthly count, the
    attendance percentage is the mean of the monthly percentages and the wait is the mean
    of the monthly average waits. None when no month has a value.
    """
    out: dict[str, Decimal | None] = {}
    for col, name, _kind in MEASURES:
        vals = _exact(df, col)
        out[name] = sum(vals, Decimal(0)) / len(vals) if vals else None
    return out


def pooled_attendance_pct(df: pd.DataFrame) -> Decimal | None:
    """All Required Assessments attended over all booked, as a percentage: the weighted
    rate, which differs from the mean of monthly rates when months differ in size."""
    if df.empty:
        return None
    return percent_of(int(df["ra_attended"].sum()), int(df["ra_booked"].sum()))


def months_in(df: pd.DataFrame, quarter: Quarter | str) -> dict[str, int]:
    """How many months of the series fall in the quarter, the same quarter a year earlier
    and the financial year to date (what the quarter's sentences say it rests on)."""
    q = Quarter.parse(quarter)
    ye = q.year_earlier()
    return {"quarter": len(months_between(df, q.start, q.end)),
            "year_earlier": len(months_between(df, ye.start, ye.end)),
            "year_to_date": len(months_between(df, q.fy_start, q.end))}


def quarter_table(df: pd.DataFrame, quarter: Quarter | str) -> pd.DataFrame:
    """Monthly averages for the quarter, the same quarter a year earlier and the financial
    year to date (float64, NaN where the period has no data), with the change on the year
    in the measure's unit (``units.fmt_change``, made from the exact averages; "n/a" when
    the year-earlier quarter has no data).

    Like for like: when either quarter lacks a month, the change compares only the months
    both have (January and February with January and February a year earlier), and
    ``attrs["same_months"]`` holds them as (this year's, a year earlier's) lists; with no
    month in common there is no change. Empty when both quarters are whole."""
    q = Quarter.parse(quarter)
    ye = q.year_earlier()
    here, there = months_between(df, q.start, q.end), months_between(df, ye.start, ye.end)
    a = monthly_averages(here)
    b = monthly_averages(there)
    y = monthly_averages(months_between(df, q.fy_start, q.end))
    a_cmp, b_cmp = a, b
    same: tuple[list[date], list[date]] | None = None
    mine, theirs = set(here["month"]), set(there["month"])
    if mine and theirs and not (len(mine) == len(theirs) == 3):
        now = sorted(m for m in mine if m.replace(year=m.year - 1) in theirs)
        same = (now, [m.replace(year=m.year - 1) for m in now])
        a_cmp = monthly_averages(here[here["month"].isin(same[0])])
        b_cmp = monthly_averages(there[there["month"].isin(same[1])])
    have = {n: u for n, u in MEASURE_UNITS.items() if a_cmp[n] is not None and b_cmp[n] is not None}
    labels: dict[str, str] = {}
    if have:
        cmp = compare_periods({n: b_cmp[n] for n in have}, {n: a_cmp[n] for n in have}, have, places=0)
        labels = dict(zip(cmp["measure"], cmp["change_label"], strict=True))
    table = pd.DataFrame({
        "measure": pd.array(list(MEASURE_UNITS), dtype="string"),
        "unit": pd.array(list(MEASURE_UNITS.values()), dtype="string"),
        q.label: pd.array([as_float(a[n]) for n in MEASURE_UNITS], dtype="float64"),
        ye.label: pd.array([as_float(b[n]) for n in MEASURE_UNITS], dtype="float64"),
        f"{q.fy_label} year to date": pd.array([as_float(y[n]) for n in MEASURE_UNITS], dtype="float64"),
        "change on a year earlier": pd.array([labels.get(n, MISSING) for n in MEASURE_UNITS], dtype="string"),
    })
    table.attrs["same_months"] = same
    return table


def poisson_interval(total: int, months: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a monthly mean from a total count over ``months``.

    Small monthly counts (5 assessments attended) are noisy: a month of 3 or 8 is not news.
    The interval says which monthly averages are consistent with what was counted.
    """
    from scipy import stats  # here, not at the top: scipy.stats takes ~0.5 s to import (see methods.stats)

    alpha = 1 - level
    lo = 0.0 if total == 0 else stats.chi2.ppf(alpha / 2, 2 * total) / 2
    hi = stats.chi2.ppf(1 - alpha / 2, 2 * total + 2) / 2
    return float(lo) / months, float(hi) / months


def rate_ratio(after_total: int, after_months: int, before_total: int, before_months: int,
               level: float = 0.95) -> tuple[float | None, float | None, float | None, float]:
    """After/before ratio of monthly rates with an exact interval and two-sided p-value,
    from the binomial split of all counts between the two periods (conditional test)."""
    from scipy import stats  # as in poisson_interval

    n = after_total + before_total
    if n == 0 or after_months == 0 or before_months == 0:
        return None, None, None, 1.0
    p0 = after_months / (after_months + before_months)
    res = stats.binomtest(after_total, n, p0)
    ci = res.proportion_ci(confidence_level=level, method="exact")
    k = before_months / after_months

    def to_ratio(p: float) -> float | None:
        return None if p >= 1 else p / (1 - p) * k

    ratio = to_ratio(after_total / n)
    return ratio, to_ratio(ci.low), to_ratio(ci.high), float(res.pvalue)


def uplift_monitor(df: pd.DataFrame, reference: pd.DataFrame, start: date = UPLIFT_START,
                   baseline_months: int = 12) -> pd.DataFrame:
    """Counts before and after the uplift, with exact intervals, against the published levels.

    ``reference`` is the published comparison (``published.load_comparison``). "Before" is
    the ``baseline_months`` months before ``start`` that are in the data; "after" is every
    month from ``start``. One row per count measure: months, totals, monthly means with 95%
    intervals, the after/before rate ratio (interval, p-value) and the two published levels,
    all float64 (NaN where a period has no months).
    """
    before = df.loc[[start > m for m in df["month"]]].tail(baseline_months)
    after = df.loc[[m >= start for m in df["month"]]]
    ref = reference.set_index("measure")
    rows = []
    for col, name, kind in MEASURES:
        if kind != "count":
            continue
        bt, at = int(before[col].sum()), int(after[col].sum())
        bn, an = len(before), len(after)
        b_lo, b_hi = poisson_interval(bt, bn) if bn else (None, None)
        a_lo, a_hi = poisson_interval(at, an) if an else (None, None)
        ratio, r_lo, r_hi, p = rate_ratio(at, an, bt, bn)
        rows.append({
            "column": col, "measure": name, "before_months": bn, "before_total": bt,
            "before_mean": bt / bn if bn else None, "before_lo": b_lo, "before_hi": b_hi,
            "after_months": an, "after_total": at, "after_mean": at / an if an else None,
            "after_lo": a_lo, "after_hi": a_hi, "ratio": ratio, "ratio_lo": r_lo, "ratio_hi": r_hi,
            "p_value": p if an and bn else None,
            "enhanced": float(ref.loc[name, "enhanced_funding"]),
            "current": float(ref.loc[name, "current_provision"]),
        })
    out = pd.DataFrame(rows)
    out["column"] = out["column"].astype("string")
    out["measure"] = out["measure"].astype("string")
    for c in ("before_mean", "before_lo", "before_hi", "after_mean", "after_lo", "after_hi", "ratio", "ratio_lo",
              "ratio_hi", "p_value", "enhanced", "current"):
        out[c] = out[c].astype("float64")  # missing (no months, or no ratio) as NaN
    out.attrs["start"] = start
    out.attrs["before_span"] = (before["month"].min(), before["month"].max()) if len(before) else None
    out.attrs["after_span"] = (after["month"].min(), after["month"].max()) if len(after) else None
    return out


def monthly_intervals(df: pd.DataFrame, column: str, level: float = 0.95) -> pd.DataFrame:
    """Each month's count of ``column`` with its exact Poisson interval (a chart's error bars)."""
    rows = []
    for m, v in zip(df["month"], df[column], strict=True):
        lo, hi = poisson_interval(int(v), 1, level)
        rows.append({"month": m, "count": int(v), "lo": lo, "hi": hi})
    return pd.DataFrame(rows, columns=["month", "count", "lo", "hi"])


def quarter_funnel(df: pd.DataFrame, quarter: Quarter | str) -> pd.DataFrame:
    """The five-stage funnel of the quarter's monthly averages (from the monthly return)."""

    q = Quarter.parse(quarter)
    avg = monthly_averages(months_between(df, q.start, q.end))
    return funnel({name: avg[name] for _, name in FUNNEL_STAGES}, source=f"dtoa_pathway {q.label}", kinds=STEP_KINDS)
