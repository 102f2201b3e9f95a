"""Where each CSP stands against its allocation: spent, left, against the year's profile,
and where it will end the year at its current run rate.

The profile is straight-line through the financial year by days (1 April is day 1, 31 March
the last; 366 days when the year holds 29 February). A CSP that has spent a smaller share
of its allocation than the share of the year gone is behind profile; at its run rate to
date (spend / days elapsed x days in the year) it would end the year with money unspent.
A CSP cannot draw more than its allocation, so the projection is capped there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

from pcp_lib.core.errors import DataError, Problem
from pcp_lib.display.palette import CSP_STATUS_SYMBOLS
from pcp_lib.methods.periods import fy_label, fy_start_year
from pcp_lib.methods.units import HUNDRED, fmt_money, fmt_percent, fmt_pp, to_pence
from pcp_lib.subjects.csp.spend import parse_fy

__all__ = ["FLAGGED", "MONEY_COLUMNS", "PERCENT_COLUMNS", "PROFILE_TOLERANCE_PP", "STATUSES", "STATUS_SYMBOLS", "YearElapsed",
           "reason", "spend_position", "status_of", "year_elapsed"]

#: Within this many percentage points of the year elapsed, spend is "on profile".
PROFILE_TOLERANCE_PP = Decimal(5)

STATUSES = ("no allocation", "fully spent", "no drawdown yet", "behind profile", "on profile",
            "ahead of profile")
#: Statuses that put an area on the "flagged" list, with why each matters.
FLAGGED = {
    "no drawdown yet": "nothing drawn down although most of the year may have gone",
    "behind profile": "at its run rate the area would not spend its allocation by 31 March",
    "fully spent": "nothing left for the rest of the year",
}
#: A symbol with every status, so a table or chart never relies on colour alone.
STATUS_SYMBOLS = CSP_STATUS_SYMBOLS
#: Money columns of ``spend_position``: ``Decimal`` to the penny (exact, as published).
MONEY_COLUMNS = ("allocation", "expenditure", "remaining", "profile_expenditure", "spend_vs_profile",
                 "run_rate_year_end", "projected_year_end", "projected_underspend")
#: Percentage columns of ``spend_position``: float64 (NaN with no allocation), for analysis and charts.
PERCENT_COLUMNS = ("pct_spent", "pct_year_elapsed", "spend_vs_profile_pp")


@dataclass(frozen=True)
class YearElapsed:
    """How far through its financial year a date is, counted in days."""

    as_at: date
    fy: int
    day: int
    days_in_year: int

    @property
    def fraction(self) -> Decimal:
        return Decimal(self.day) / Decimal(self.days_in_year)

    @property
    def pct(self) -> Decimal:
        return self.fraction * HUNDRED

    @property
    def days_left(self) -> int:
        return self.days_in_year - self.day

    @property
    def fy_label(self) -> str:
        return fy_label(self.fy)

    @property
    def year_end(self) -> date:
        return date(self.fy + 1, 3, 31)

    def describe(self) -> str:
        """"05/01/2026 is day 280 of 365 of 2025/26 (76.7% of the year)"."""
        return (f"{self.as_at:%d/%m/%Y} is day {self.day} of {self.days_in_year} of {self.fy_label} "
                f"({fmt_percent(self.pct)} of the year)")


def year_elapsed(as_at: date, fy: int | None = None) -> YearElapsed:
    """Day of the financial year (1 April = day 1) and the year's length (365 or 366).

    ``fy`` (the start year) defaults to the year containing ``as_at``; a date outside
    that year raises ``DataError``.
    """
    start_year = fy_start_year(as_at) if fy is None else fy
    first, last = date(start_year, 4, 1), date(start_year + 1, 3, 31)
    if not first <= as_at <= last:
        raise DataError(Problem(file=None, column="as_at", expected=(
            f"a date in financial year {fy_label(start_year)} ({first:%d/%m/%Y} to {last:%d/%m/%Y})"),
            got=f"{as_at:%d/%m/%Y}"))
    return YearElapsed(as_at, start_year, (as_at - first).days + 1, (last - first).days + 1)


def status_of(allocation: Decimal, expenditure: Decimal, gap_pp: Decimal | None,
              tolerance: Decimal = PROFILE_TOLERANCE_PP) -> str:
    """The status word, by the first rule that applies: no allocation; fully spent; no
    drawdown yet; behind profile (more than ``tolerance`` pp below the year elapsed); ahead
    of profile (more than ``tolerance`` pp above); otherwise on profile."""
    if allocation == 0:
        return "no allocation"
    if expenditure == allocation:
        return "fully spent"
    if expenditure == 0:
        return "no drawdown yet"
    assert gap_pp is not None
    if gap_pp < -tolerance:
        return "behind profile"
    if gap_pp > tolerance:
        return "ahead of profile"
    return "on profile"


def reason(row: dict[str, Any], ye: YearElapsed) -> str:
    """The status in a sentence with the figures behind it."""
    s = row["status"]
    spent, elapsed = fmt_percent(row["pct_spent"]), fmt_percent(ye.pct)
    if s == "no allocation":
        return "No allocation for the year."
    if s == "fully spent":
        return (f"Fully spent: all of the {fmt_money(row['allocation'])} allocation drawn down with "
                f"{ye.days_left} days of the year left.")
    if s == "no drawdown yet":
        return (f"No drawdown yet: nothing spent of {fmt_money(row['allocation'])} with {elapsed} of the "
                f"year elapsed (day {ye.day} of {ye.days_in_year}).")
    gap = fmt_pp(row["spend_vs_profile_pp"])
    if s == "behind profile":
        return (f"Behind profile: {spent} spent against {elapsed} of the year elapsed ({gap}); at this rate "
                f"{fmt_money(row['projected_underspend'])} would be unspent at {ye.year_end:%d/%m/%Y}.")
    if s == "ahead of profile":
        return f"Ahead of profile: {spent} spent against {elapsed} of the year elapsed ({gap})."
    return f"On profile: {spent} spent against {elapsed} of the year elapsed ({gap})."


def _row(area: str, allocation: Decimal, expenditure: Decimal, remaining: Decimal, ye: YearElapsed,
         projected: Decimal | None = None, tolerance: Decimal = PROFILE_TOLERANCE_PP) -> dict[str, Any]:
    share = expenditure / allocation * HUNDRED if allocation else None
    gap = share - ye.pct if share is not None else None
    profile = to_pence(allocation * ye.fraction)
    run_rate = to_pence(expenditure * ye.days_in_year / ye.day)
    if projected is None:
        projected = min(run_rate, allocation)
    rec: dict[str, Any] = {
        "csp_area": area, "allocation": allocation, "expenditure": expenditure, "remaining": remaining,
        "pct_spent": share, "pct_year_elapsed": ye.pct, "profile_expenditure": profile,
        "spend_vs_profile": expenditure - profile, "spend_vs_profile_pp": gap,
        "run_rate_year_end": run_rate, "projected_year_end": projected,
        "projected_underspend": allocation - projected,
    }
    rec["status"] = status_of(allocation, expenditure, gap, tolerance)
    rec["flagged"] = rec["status"] in FLAGGED
    rec["reason"] = reason(rec, ye)
    return rec


def spend_position(spend: pd.DataFrame, as_at: date, *, tolerance: Decimal = PROFILE_TOLERANCE_PP
                   ) -> pd.DataFrame:
    """Per area and in total: allocation, expenditure, remaining, % spent, % of the year
    elapsed at ``as_at``, spend against the straight-line profile (in £ and in percentage
    points), projected year-end spend at the current run rate, projected underspend, and a
    status in words with the reason.

    ``spend`` holds one row per area (columns ``csp_area``, ``allocation``, ``expenditure``
    and optionally ``remaining``, ``as_at``, ``financial_year``), money as ``Decimal``. When
    it has an ``as_at`` column, the rows for ``as_at`` are used (``DataError`` if there are
    none). A remaining balance that does not reconcile, or expenditure above the allocation,
    raises ``DataError``.

    Money is exact ``Decimal``; the percentages (``PERCENT_COLUMNS``) are float64 for analysis,
    while the status is decided on the exact figures. ``projected_year_end`` is the run
    rate capped at the allocation (``run_rate_year_end`` is uncapped); the total row's
    projection is the sum of the areas' (each capped), not the run rate of the total.
    ``attrs``: those of ``spend`` (its provenance), ``year`` (``YearElapsed``), ``as_at``, ``tolerance``.
    """
    df = spend
    if "as_at" in df.columns:
        df = df.loc[[d == as_at for d in df["as_at"]]]
        if df.empty:
            have = ", ".join(sorted({f"{d:%d/%m/%Y}" for d in spend["as_at"]}))
            raise DataError(Problem(file=None, column="as_at", expected=f"a position as at {as_at:%d/%m/%Y}",
                                    got=have or "no positions"))
    fy = None
    if "financial_year" in df.columns and len(df):

        fys = {parse_fy(v) for v in df["financial_year"]}
        if len(fys) > 1:
            raise DataError(Problem(file=None, column="financial_year", expected="one financial year",
                                    got=", ".join(fy_label(f) for f in sorted(fys))))
        fy = fys.pop()
    ye = year_elapsed(as_at, fy)
    if df["csp_area"].duplicated().any():
        dup = ", ".join(sorted(set(df.loc[df["csp_area"].duplicated(), "csp_area"])))
        raise DataError(Problem(file=None, column="csp_area", expected="each area once", got=dup))
    problems: list[Problem] = []
    rows = []
    for rec in df.to_dict("records"):
        a, e = Decimal(rec["allocation"]), Decimal(rec["expenditure"])
        r = rec.get("remaining")
        r = a - e if r is None or (not isinstance(r, Decimal) and pd.isna(r)) else Decimal(r)
        if e > a:
            problems.append(Problem(file=None, column="expenditure", expected=(
                f"{rec['csp_area']}: expenditure of at most the allocation {fmt_money(a)}"),
                got=fmt_money(e)))
        if r != a - e:
            problems.append(Problem(file=None, column="remaining", expected=(
                f"{rec['csp_area']}: allocation minus expenditure = {fmt_money(a - e, nil=True)}"),
                got=fmt_money(r, nil=True)))
        rows.append(_row(str(rec["csp_area"]), a, e, r, ye, tolerance=tolerance))
    if problems:
        raise DataError(problems)
    total_alloc = sum((r["allocation"] for r in rows), Decimal("0.00"))
    total_exp = sum((r["expenditure"] for r in rows), Decimal("0.00"))
    total_rem = sum((r["remaining"] for r in rows), Decimal("0.00"))
    total_proj = sum((r["projected_year_end"] for r in rows), Decimal("0.00"))
    total = _row("Total", total_alloc, total_exp, total_rem, ye, projected=total_proj, tolerance=tolerance)
    total["run_rate_year_end"] = to_pence(total_exp * ye.days_in_year / ye.day)
    out = pd.DataFrame([*rows, total])
    out.insert(1, "is_total", [False] * len(rows) + [True])
    for c in ("csp_area", "status", "reason"):
        out[c] = out[c].astype("string")
    out["is_total"] = out["is_total"].astype("bool")
    out["flagged"] = out["flagged"].astype("bool")
    for c in MONEY_COLUMNS:
        out[c] = out[c].astype("object")
    for c in PERCENT_COLUMNS:  # floats to sort, describe and plot; the status was decided exactly
        out[c] = pd.Series([float(v) if v is not None else float("nan") for v in out[c]], index=out.index,
                           dtype="float64")
    out.attrs.update(spend.attrs)  # the provenance of the position travels with it
    out.attrs["year"] = ye
    out.attrs["as_at"] = as_at
    out.attrs["tolerance"] = tolerance
    return out
