"""Display tables for the contact page: numbers become figures here and only here.

Every figure is formatted by ``pcp_lib.methods.units`` from the exact values of the analysis
tables (so a rate shown to one place is rounded half up from the exact share, as published).
A cell that does not apply (a percent change of a rate, a target for a measure without one)
is blank; a figure that should be there but is not reads "n/a".
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pcp_lib.methods.units import fmt_count, fmt_number, fmt_pct_change, fmt_percent, fmt_pp
from pcp_lib.subjects.contact.published import (
    PUBLISHED_LABELS,
    PUBLISHED_ROWS,
    PUBLISHED_TITLES,
    Published,
    fmt_published,
    is_published,
    published_years,
)
from pcp_lib.subjects.contact.staffing import DAYS
from pcp_lib.subjects.contact.summary import CHANGE_PERCENT, CHANGE_PP, CHANGE_VOLUME, exact

__all__ = ["PUBLISHED_COLUMN", "as_published_table", "backtest_table", "calls_table", "comparison_table", "days_with_calls",
           "hour_labels", "needs_table", "published_table", "scenarios_table"]

PUBLISHED_COLUMN = "In the published report"


def _change_percent(rec: dict[str, Any], a: str, b: str) -> str:
    from_zero = rec[exact(a)] is not None and rec[exact(a)] == 0 and rec[exact(b)] is not None
    return fmt_pct_change(rec[exact(CHANGE_PERCENT)], 0, from_zero=from_zero)


def comparison_table(summary: pd.DataFrame, channel: str | None = None, measures: tuple[str, ...] | None = None,
                     *, published_note: str | None = None) -> pd.DataFrame:
    """A comparison (``summary.compare_periods``) as strings: volumes with thousands separators,
    rates to one place, percent change and percentage-point change in separate, labelled columns.

    With ``published_note``, a column says on every row whether the report publishes that
    figure ("published") or not (``published_note``, e.g. "not published: illustrative"), so a
    figure the report does not print is never read as a published one.
    """
    a, b = summary.attrs["labels"]
    df = summary
    if channel is not None:
        df = df[df["channel"] == channel]
    if measures is not None:
        df = df[df["measure"].isin(measures)]
    rows = []
    for rec in df.to_dict("records"):
        volume = rec["unit"] == "contacts"
        kind = "volume" if volume else "rate"
        row = {"Channel": rec["channel_name"], "Measure": rec["label"], a: fmt_published(kind, rec[exact(a)]),
               b: fmt_published(kind, rec[exact(b)]),
               "Change (volume)": fmt_published("volume change", rec[CHANGE_VOLUME]) if volume else "",
               "Change (%)": _change_percent(rec, a, b) if volume else "",
               "Change (pp)": "" if volume else fmt_published("pp", rec[exact(CHANGE_PP)]),
               "Target": rec["target"], f"{b}: target": rec["status"]}
        if published_note is not None:
            row[PUBLISHED_COLUMN] = "published" if is_published(rec["channel"], rec["measure"]) else published_note
        rows.append(row)
    return pd.DataFrame(rows).astype("string")


def published_table(summary: pd.DataFrame, channel: str) -> pd.DataFrame:
    """The published table for a channel, in its layout ("+/- vol", "% change" holding the
    percent change for volume and the percentage-point change for rates, as the report does)."""
    a, b = summary.attrs["labels"]
    rows = []
    for m in PUBLISHED_ROWS[channel]:
        rec = summary[(summary["channel"] == channel) & (summary["measure"] == m)].iloc[0]
        label = {PUBLISHED_TITLES[channel]: PUBLISHED_LABELS[(channel, m)]}
        if m == "offered":
            rows.append({**label, a: fmt_published("volume", rec[exact(a)]), b: fmt_published("volume", rec[exact(b)]),
                         "+/- vol": fmt_published("volume change", rec[CHANGE_VOLUME]),
                         "% change": fmt_published("percent", rec[exact(CHANGE_PERCENT)])})
        else:
            rows.append({**label, a: fmt_published("rate", rec[exact(a)]), b: fmt_published("rate", rec[exact(b)]),
                         "+/- vol": "", "% change": fmt_published("pp", rec[exact(CHANGE_PP)])})
    return pd.DataFrame(rows).astype("string")


def as_published_table(published: Published, channel: str) -> pd.DataFrame:
    """The published table for a channel, in its layout, read from the published figures
    themselves (every cell as printed), so it is never shown as computed from a sample."""
    a, b = (str(y) for y in published_years(published))
    annual, change = published.annual, published.change
    rows = []
    for m in PUBLISHED_ROWS[channel]:
        def value(year: str, measure: str = m) -> str:
            hit = annual[(annual["channel"] == channel) & (annual["measure"] == measure) & (annual["year"] == int(year))]
            return str(hit["value"].iloc[0]) if len(hit) else ""

        def moved(kind: str, measure: str = m) -> str:
            hit = change[(change["channel"] == channel) & (change["measure"] == measure)
                         & (change["change_kind"] == kind)]
            return str(hit["value"].iloc[0]) if len(hit) else ""

        rows.append({PUBLISHED_TITLES[channel]: PUBLISHED_LABELS[(channel, m)], a: value(a), b: value(b),
                     "+/- vol": moved("volume") if m == "offered" else "",
                     "% change": moved("percent") if m == "offered" else moved("pp")})
    return pd.DataFrame(rows).astype("string")


def days_with_calls(calls: pd.DataFrame) -> dict[pd.Timestamp, int]:
    """How many calendar days of each month (by month start) the call records cover, from the
    first day to the last day with a call (a quiet day inside the span still counts)."""
    arrival = pd.to_datetime(calls["arrival"])
    if arrival.empty:
        return {}
    days = pd.date_range(arrival.min().normalize(), arrival.max().normalize(), freq="D")
    counts = pd.Series(1, index=days).groupby(days.to_period("M")).sum()
    return {p.to_timestamp(): int(n) for p, n in counts.items()}


def _month_label(month: object, days: dict[pd.Timestamp, int] | None) -> str:
    d = pd.Timestamp(month)
    label = f"{d:%b %Y}"
    if days is None:
        return label
    have, full = days.get(d, 0), d.days_in_month
    return label if have >= full else f"{label} (partial: {have} of {full} days)"


def calls_table(agg: pd.DataFrame, days: dict[pd.Timestamp, int] | None = None) -> pd.DataFrame:
    """Call records aggregated to the monthly return (``calls.aggregate_calls``), for display;
    with ``days`` (``days_with_calls``), a month the records cover only in part says so, so it
    is never read as a full month."""
    out = pd.DataFrame({"month": [_month_label(d, days) for d in agg["month"]], "channel": agg["channel"]})
    for c in ("offered", "answered", "answered_10s", "answered_2min", "answered_15min", "abandoned"):
        out[c] = [fmt_count(v) for v in agg[c]]
    out["asa_s"] = [fmt_number(v, 1) for v in agg["asa_s"]]
    return out.astype("string")


_BACKTEST_LABELS = {("999", "answered_10s"): "999 answered within 10 s", ("999", "abandoned"): "999 abandoned",
                    ("101", "answered_2min"): "101 answered within 2 min", ("101", "abandoned"): "101 abandoned"}


def backtest_table(bt: pd.DataFrame) -> pd.DataFrame:
    """The back-test (``staffing.back_test``) for display: each published rate beside the model's."""
    return pd.DataFrame({
        "Calendar year": bt["year"].astype(str),
        "Rate": [_BACKTEST_LABELS[(str(c), str(m))] for c, m in zip(bt["channel"], bt["measure"], strict=True)],
        "Staffing modelled": bt["staffing"],
        "Model": [fmt_percent(v, 1) for v in bt["modelled"]],
        "Published": [fmt_percent(v, 1) for v in bt["published"]],
        "Model - published": [fmt_pp(v, 1) for v in bt["difference_pp"]],
        "Reproduced?": ["✔ yes" if w else "✖ no" for w in bt["within"]],
    }).astype("string")


def needs_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Handlers needed per channel and demand year (``staffing.need_summary``), for display."""
    return pd.DataFrame({
        "Demand (calendar year)": summary["demand"], "Channel": summary["channel"],
        "Calls a week": [fmt_count(v) for v in summary["calls_per_week"]],
        "Handlers at the busiest hour": [fmt_count(v) for v in summary["peak_handlers"]],
        "Handler-hours a week": [fmt_count(v) for v in summary["handler_hours_per_week"]],
        "FTE (after shrinkage)": [fmt_number(v, 1) for v in summary["fte"]],
    }).astype("string")


SCENARIO_COLUMNS = {"999_within_10s": "999 within 10 s (%)", "999_abandoned": "999 abandoned (%)",
                    "101_within_2min": "101 within 2 min (%)", "101_within_15min": "101 within 15 min (%)",
                    "101_abandoned": "101 abandoned (%)"}


def scenarios_table(scenarios: pd.DataFrame) -> pd.DataFrame:
    """What each staffing scenario buys (``staffing.uplift_scenarios``), for display: FTE and
    rates to one place."""
    out = pd.DataFrame({"Scenario": scenarios["scenario"], "FTE": [fmt_number(v, 1) for v in scenarios["fte"]]})
    for col, title in SCENARIO_COLUMNS.items():
        out[title] = [fmt_number(v, 1) for v in scenarios[col]]
    return out.astype("string")


def hour_labels() -> list[str]:
    """"Mon 00" ... "Sun 23": the 168 hours of a week, Monday first."""
    return [f"{DAYS[h // 24]} {h % 24:02d}" for h in range(168)]

