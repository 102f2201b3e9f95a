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


def _value(totals: pd.DataFrame, channel: str, measure: str, kind: str) -> Decimal | None:
    """A period's volume, or rate in per cent, exact; None when not there."""
    n = totals.loc[channel, measure]
    if pd.isna(n):
        return None
    if kind == "volume":
        return Decimal(int(n))
    return rate(int(n), int(totals.loc[channel, "offered"]))


def _months(start: date, end: date) -> list[date]:
    out, d = [], start.replace(day=1)
    while d <= end:
        out.append(d)
        d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return out


def _span(months: list[date]) -> str:
    """"Jan–Feb 2026", "Nov 2025–Feb 2026", or "Jan and Mar 2026" (months not in a row)."""
    if not months:
        return "no months"
    first, last = months[0], months[-1]
    if len(_months(first, last)) == len(months):
        if len(months) == 1:
            return f"{first:%b %Y}"
        return f"{first:%b}–{last:%b %Y}" if first.year == last.year else f"{first:%b %Y}–{last:%b %Y}"
    names = [f"{m:%b}" if m.year == last.year else f"{m:%b %Y}" for m in months]
    return ", ".join(names[:-1]) + f" and {names[-1]} {last.year}"


def same_months(monthly: pd.DataFrame, earlier: tuple[date, date], later: tuple[date, date]
                ) -> tuple[list[date], list[date], list[date]]:
    """Like for like: the months of each period to compare, and the months of either that
    lack data. A month is kept when every channel with data in the two periods has it in
    both (by its place in the period: the third month with the third). When nothing is
    missing, both periods whole."""
    a_all, b_all = _months(*earlier), _months(*later)
    channels = set(monthly["channel"]) if not monthly.empty else set()
    have = {(str(r["channel"]), r["month"]) for r in monthly[["channel", "month"]].to_dict("records")}
    keep = [i for i in range(len(a_all)) if len(a_all) == len(b_all)  # unequal periods: only whole ones
            and all((ch, a_all[i]) in have and (ch, b_all[i]) in have for ch in channels)]
    lacking = [m for m in [*a_all, *b_all] if any((ch, m) not in have for ch in channels)]
    if not lacking:
        return a_all, b_all, []
    return [a_all[i] for i in keep], [b_all[i] for i in keep], lacking


def compare_periods(monthly: pd.DataFrame, earlier: tuple[date, date], later: tuple[date, date],
                    labels: tuple[str, str], targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each channel's volume and rates in two periods, with changes labelled as such.

    One row per channel and measure: the value in each period (column named by ``labels``;
    volume in contacts, rates in per cent of offered), ``change (volume)`` (Int64) and
    ``change (%)`` for volumes, ``change (pp)`` for rates (float64), each value and change
    with its exact twin (``exact(column)``); the target and whether the later period meets it
    (judged exactly). ``attrs["complete"]`` is False when a period lacks months for a channel
    that has any data; ``attrs["labels"]`` holds ``labels``.

    Like for like: a period lacking a month (for any channel) is never compared whole with
    one that has it. Both periods are cut to the months they share (:func:`same_months`),
    the labels then name those months ("Jan–Feb 2026"), and ``attrs["like_for_like"]`` says
    what was left out and why (empty when both periods are whole).
    """
    a_keep, b_keep, lacking = same_months(monthly, earlier, later)
    like = ""
    if lacking:
        gone = sorted(set(lacking))
        said = (f"{labels[0]} and {labels[1]} are not both whole in the data (no {', '.join(f'{m:%B %Y}' for m in gone)}"
                f" for every channel)")
        if a_keep:
            monthly = monthly[monthly["month"].isin([*a_keep, *b_keep])]
            labels = (_span(a_keep), _span(b_keep))
            like = f"{said}: only the same months of each are compared, {labels[1]} against {labels[0]}."
        else:  # no month in common: the later period on its own (its months named), nothing compared
            a_all, b_all = _months(*earlier), _months(*later)
            had = sorted({m for m in monthly["month"] if m in b_all})
            if any(m in a_all for m in monthly["month"]):
                like = f"{said}: they have no months in common, so they are not compared."
            monthly = monthly[monthly["month"].isin(b_all)]
            if had and len(had) < len(b_all):
                labels = (labels[0], _span(had))
    a_tot = period_totals(monthly, *earlier).set_index("channel")
    b_tot = period_totals(monthly, *later).set_index("channel")
    need = (len(a_keep), len(b_keep)) if a_keep or not lacking else (len(_months(*earlier)), len(_months(*later)))
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
    out.attrs["complete"] = complete and not lacking
    out.attrs["labels"] = labels
    out.attrs["like_for_like"] = like
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
