"""Volumes and rates for periods of the monthly return, and how they changed.

Rates are shares of calls **offered** (answered within N seconds / offered; abandoned /
offered), in per cent. A change in a volume is a count and a percent change ("+36%"); a
change in a rate is a difference in percentage points ("-3.6pp"), never a percent.

The tables here are for analysis: value and change columns are numbers (float64, or Int64
for counts) that sort, ``describe()`` and plot. Published tables round half up from the
exact figures, and a rate is judged against its target exactly, so each value and change
column has an exact twin (``exact(column)``, ``Decimal``) that display and checks use.

Note that the published 101 measure (answered within 2 minutes) is not the one the local
target uses (answered within 15 minutes): both are computed, and only the 15-minute rate is
judged against the 75% target.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd

from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.units import pct_change, percent_of, pp_change
from pcp_lib.subjects.contact.returns import CHANNEL_NAMES, CHANNELS, MEASURES, RATE_MEASURES
from pcp_lib.subjects.contact.targets import status, target_lookup, target_text

__all__ = ["CHANGE_PERCENT", "CHANGE_PP", "CHANGE_VOLUME", "EXACT", "annual_summary", "annual_volumes", "compare_periods", "exact",
           "monthly_rates", "period_totals", "quarter_summary", "rate", "year_to_date_summary"]

CHANGE_VOLUME = "change (volume)"
CHANGE_PERCENT = "change (%)"
CHANGE_PP = "change (pp)"
EXACT = " (exact)"
NO_101_2MIN_TARGET = "no target: the 101 target is within 15 minutes"


def exact(column: str) -> str:
    """The name of a value column's exact (``Decimal``) twin."""
    return column + EXACT


def rate(numerator: int, offered: int) -> Decimal | None:
    """``numerator / offered`` in per cent, exact; None when nothing was offered."""
    return percent_of(int(numerator), int(offered))


def period_totals(monthly: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Counts summed over the months from ``start`` to ``end`` (inclusive), per channel, with
    ``months`` saying how many months of data each channel has in the period (Int64 counts;
    missing when the channel has no such count in the period)."""
    sel = monthly[(monthly["month"] >= start) & (monthly["month"] <= end)]
    rows = []
    for ch in CHANNELS:
        part = sel[sel["channel"] == ch]
        rec: dict[str, object] = {"channel": ch, "months": len(part)}
        for m, _, _ in MEASURES:
            vals = part[m].dropna()
            rec[m] = int(vals.sum()) if len(vals) else None
        rows.append(rec)
    out = pd.DataFrame(rows, columns=["channel", "months", *(m for m, _, _ in MEASURES)])
    return out.astype({"channel": "string", "months": "int64", **{m: "Int64" for m, _, _ in MEASURES}})


def annual_volumes(monthly: pd.DataFrame, years: tuple[int, ...]) -> dict[tuple[str, int], int]:
    """Contacts offered in each calendar year, by (channel, year); channels without data left out."""
    out = {}
    for y in years:
        totals = period_totals(monthly, date(y, 1, 1), date(y, 12, 1))
        for rec in totals.to_dict("records"):
            if not pd.isna(rec["offered"]):
                out[(str(rec["channel"]), y)] = int(rec["offered"])
    return out


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _value(totals: pd.DataFrame, channel: str, measure: str, kind: str) -> Decimal | None:
    """A period's volume, or rate in per cent, exact; None when not there."""
    n = totals.loc[channel, measure]
    if pd.isna(n):
        return None
    if kind == "volume":
        return Decimal(int(n))
    return rate(int(n), int(totals.loc[channel, "offered"]))


def compare_periods(monthly: pd.DataFrame, earlier: tuple[date, date], later: tuple[date, date],
                    labels: tuple[str, str], targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each channel's volume and rates in two periods, with changes labelled as such.

    One row per channel and measure: the value in each period (column named by ``labels``;
    volume in contacts, rates in per cent of offered), ``change (volume)`` (Int64) and
    ``change (%)`` for volumes, ``change (pp)`` for rates (float64), each value and change
    with its exact twin (``exact(column)``); the target and whether the later period meets it
    (judged exactly). ``attrs["complete"]`` is False when a period lacks months for a channel
    that has any data; ``attrs["labels"]`` holds ``labels``.
    """
    a_tot = period_totals(monthly, *earlier).set_index("channel")
    b_tot = period_totals(monthly, *later).set_index("channel")
    need = (_months_between(*earlier), _months_between(*later))
    tmap = target_lookup(targets)
    a, b = labels
    rows = []
    present = set(monthly["channel"]) if not monthly.empty else set()
    complete = bool(present)
    for ch in CHANNELS:
        if ch in present:
            complete &= bool(a_tot.loc[ch, "months"] == need[0] and b_tot.loc[ch, "months"] == need[1])
        if a_tot.loc[ch, "months"] == 0 and b_tot.loc[ch, "months"] == 0:
            continue
        for m, kind, label in MEASURES:
            va, vb = _value(a_tot, ch, m, kind), _value(b_tot, ch, m, kind)
            if kind == "rate" and va is None and vb is None:
                continue
            volume = kind == "volume"
            t = tmap.get((ch, m))
            rows.append({
                "channel": ch, "channel_name": CHANNEL_NAMES[ch], "measure": m, "label": label,
                "unit": "contacts" if volume else "% of offered",
                exact(a): va, exact(b): vb,
                CHANGE_VOLUME: int(vb - va) if volume and va is not None and vb is not None else None,
                exact(CHANGE_PERCENT): pct_change(va, vb) if volume else None,
                exact(CHANGE_PP): None if volume else pp_change(va, vb),
                "target": target_text(t) if t is not None else (
                    NO_101_2MIN_TARGET if (ch, m) == ("101", "answered_2min") else ""),
                "status": status(vb, t) if t is not None else "",
            })
    exact_cols = [exact(a), exact(b), exact(CHANGE_PERCENT), exact(CHANGE_PP)]
    out = pd.DataFrame(rows, columns=["channel", "channel_name", "measure", "label", "unit", *exact_cols,
                                      CHANGE_VOLUME, "target", "status"])
    for col in (a, b, CHANGE_PERCENT, CHANGE_PP):
        out[col] = pd.to_numeric(out[exact(col)].map(lambda v: float("nan") if v is None else float(v)),
                                 errors="raise").astype("float64")
    out[CHANGE_VOLUME] = out[CHANGE_VOLUME].astype("Int64")
    out = out[["channel", "channel_name", "measure", "label", "unit", a, b, CHANGE_VOLUME, CHANGE_PERCENT,
               CHANGE_PP, "target", "status", *exact_cols]]
    out = out.astype({"channel": "string", "channel_name": "string", "measure": "string", "label": "string",
                      "unit": "string", "target": "string", "status": "string"})
    out.attrs["complete"] = complete
    out.attrs["labels"] = labels
    return out


def annual_summary(monthly: pd.DataFrame, years: tuple[int, int] = (2024, 2025),
                   targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Calendar-year comparison (the published tables' basis): see ``compare_periods``."""
    y0, y1 = years
    return compare_periods(monthly, (date(y0, 1, 1), date(y0, 12, 1)), (date(y1, 1, 1), date(y1, 12, 1)),
                           (str(y0), str(y1)), targets)


def quarter_summary(monthly: pd.DataFrame, quarter: Quarter | str,
                    targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """The quarter's months against the same quarter a year earlier."""
    q = Quarter.parse(quarter)
    e = q.year_earlier()
    return compare_periods(monthly, (e.start, e.months[-1]), (q.start, q.months[-1]), (e.label, q.label), targets)


def year_to_date_summary(monthly: pd.DataFrame, quarter: Quarter | str,
                         targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """April to the end of the quarter, against the same months a year earlier."""
    q = Quarter.parse(quarter)
    e = q.year_earlier()
    return compare_periods(monthly, (e.fy_start, e.months[-1]), (q.fy_start, q.months[-1]),
                           (f"{e.fy_label} to {e.end:%b %Y}", f"{q.fy_label} to {q.end:%b %Y}"), targets)


def monthly_rates(monthly: pd.DataFrame) -> pd.DataFrame:
    """Tidy monthly rates: one row per month, channel and rate measure, in per cent of offered
    (float64; NaN when nothing was offered)."""
    rows = []
    for rec in monthly.to_dict("records"):
        if rec["channel"] == "online":
            continue
        for m in RATE_MEASURES:
            value = rate(int(rec[m]), int(rec["offered"]))
            rows.append({"month": rec["month"], "channel": rec["channel"], "measure": m,
                         "rate_pct": float(value) if value is not None else float("nan")})
    return pd.DataFrame(rows, columns=["month", "channel", "measure", "rate_pct"]).astype(
        {"channel": "string", "measure": "string", "rate_pct": "float64"})
