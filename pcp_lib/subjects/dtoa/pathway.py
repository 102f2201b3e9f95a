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

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from scipy import stats

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.core.provenance import is_synthetic
from pcp_lib.io.datastore import return_files
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects.dtoa.arithmetic import as_decimal, compare_periods, funnel

#: The pathway in order: (column, published measure name). Each is a subset of the one before.
FUNNEL_STAGES: tuple[tuple[str, str], ...] = (
    ("identified", "People identified as suitable for any form of intervention"),
    ("tests", "Drug tests carried out"),
    ("positive_tests", "Positive tests"),
    ("ra_booked", "Required Assessment booked (Referral into treatment)"),
    ("ra_attended", "Required Assessments attended"),
)
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


def _not_larger(later: str, earlier: str):
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

    Reads ``dtoa_pathway`` from every quarter folder up to ``up_to``. A month outside its
    folder's quarter, or a month sent twice (in two folders), raises ``DataError``.
    ``attrs["paths"]`` lists the files read and ``attrs["synthetic"]`` says whether any is
    synthetic. An empty frame (with the columns) when there are no files.
    """
    files = return_files(DTOA_PATHWAY.name, up_to, data_dir)
    frames = []
    problems: list[Problem] = []
    seen: dict[date, str] = {}
    for q, path in files.items():
        df = read_table(path, DTOA_PATHWAY)
        for rec in df.to_dict("records"):
            month, row = rec["month"], int(rec["_row"])
            if not q.contains(month):
                problems.append(Problem(file=rel(path), row=row, column="month",
                                        expected=f"a month in {q.label} ({q.month_names}), the quarter "
                                                 "of this folder", got=f"{month:%Y-%m}"))
            elif month in seen:
                problems.append(Problem(file=rel(path), row=row, column="month",
                                        expected=f"each month once (this month is already in {seen[month]})",
                                        got=f"{month:%Y-%m}"))
            else:
                seen[month] = f"{rel(path)} row {row}"
        frames.append(df.assign(quarter=q.label))
    if problems:
        raise DataError(problems)
    if frames:
        out = pd.concat(frames, ignore_index=True).sort_values("month", kind="stable").reset_index(drop=True)
    else:
        out = pd.DataFrame({c: pd.Series(dtype=t) for c, t in {"_row": "Int64", **DTOA_PATHWAY.dtypes()}.items()})
        out["quarter"] = pd.Series(dtype="string")
    out["quarter"] = out["quarter"].astype("string")
    out[RATE[0]] = [None if b == 0 else Decimal(int(a)) / Decimal(int(b)) * 100
                    for a, b in zip(out["ra_attended"], out["ra_booked"], strict=True)]
    out[RATE[0]] = out[RATE[0]].astype("object")
    out.attrs["paths"] = [rel(p) for p in files.values()]
    out.attrs["synthetic"] = any(is_synthetic(p) for p in files.values())
    return out


def last_month(df: pd.DataFrame) -> date | None:
    """The latest month in the series (None when empty): what ``report.coverage_note`` needs."""
    return None if df.empty else df["month"].max()


def months_between(df: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """Rows whose month lies in [first, last]."""
    mask = [(first <= m <= last) for m in df["month"]]
    return df.loc[mask]


def monthly_averages(df: pd.DataFrame) -> dict[str, Decimal | None]:
    """The monthly average of every measure over the rows given, keyed by published name.

    As in the published table ("Monthly Average"), counts are the mean monthly count, the
    attendance percentage is the mean of the monthly percentages and the wait is the mean
    of the monthly average waits. None when no month has a value.
    """
    out: dict[str, Decimal | None] = {}
    for col, name, _kind in MEASURES:
        vals = [as_decimal(v) for v in df[col] if v is not None and not pd.isna(v)] if len(df) else []
        out[name] = sum(vals, Decimal(0)) / len(vals) if vals else None
    return out


def pooled_attendance_pct(df: pd.DataFrame) -> Decimal | None:
    """All Required Assessments attended over all booked, as a percentage: the weighted
    rate, which differs from the mean of monthly rates when months differ in size."""
    booked = int(df["ra_booked"].sum()) if len(df) else 0
    return None if booked == 0 else Decimal(int(df["ra_attended"].sum())) / booked * 100


@dataclass(frozen=True)
class QuarterView:
    """The quarter asked for against the same quarter a year earlier and the year to date."""

    quarter: Quarter
    months_in_quarter: int
    months_year_earlier: int
    months_to_date: int
    table: pd.DataFrame


def quarter_view(df: pd.DataFrame, quarter: Quarter | str) -> QuarterView:
    """Monthly averages for the quarter, the same quarter a year earlier and the financial
    year to date, with the change on the year in the right unit (blank when the year-earlier
    quarter has no data)."""
    q = Quarter.parse(quarter)
    ye = q.year_earlier()
    this = months_between(df, q.start, q.end)
    before = months_between(df, ye.start, ye.end)
    ytd = months_between(df, q.fy_start, q.end)
    a, b, y = monthly_averages(this), monthly_averages(before), monthly_averages(ytd)
    rows = []
    for name, unit in MEASURE_UNITS.items():
        rows.append({"measure": name, "unit": unit, q.label: a[name], ye.label: b[name],
                     f"{q.fy_label} year to date": y[name]})
    table = pd.DataFrame(rows)
    have = {n: u for n, u in MEASURE_UNITS.items() if a[n] is not None and b[n] is not None}
    labels = {}
    if have:
        cmp = compare_periods({n: b[n] for n in have}, {n: a[n] for n in have}, have)
        labels = dict(zip(cmp["measure"], cmp["change_label"], strict=True))
    table["change on a year earlier"] = [labels.get(n, "") for n in table["measure"]]
    table["change on a year earlier"] = table["change on a year earlier"].astype("string")
    table["measure"] = table["measure"].astype("string")
    table["unit"] = table["unit"].astype("string")
    return QuarterView(q, len(this), len(before), len(ytd), table)


def poisson_interval(total: int, months: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a monthly mean from a total count over ``months``.

    Small monthly counts (5 assessments attended) are noisy: a month of 3 or 8 is not news.
    The interval says which monthly averages are consistent with what was counted.
    """
    alpha = 1 - level
    lo = 0.0 if total == 0 else stats.chi2.ppf(alpha / 2, 2 * total) / 2
    hi = stats.chi2.ppf(1 - alpha / 2, 2 * total + 2) / 2
    return float(lo) / months, float(hi) / months


def rate_ratio(after_total: int, after_months: int, before_total: int, before_months: int,
               level: float = 0.95) -> tuple[float | None, float | None, float | None, float]:
    """After/before ratio of monthly rates with an exact interval and two-sided p-value,
    from the binomial split of all counts between the two periods (conditional test)."""
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
    intervals, the after/before rate ratio (interval, p-value) and the two published levels.
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
    return funnel({name: avg[name] for _, name in FUNNEL_STAGES}, source=f"dtoa_pathway {q.label}")
