"""The contact page's charts, each titled with its finding (computed, never typed).

The general chart types live in ``pcp_lib.display.charts`` (lines, heatmap); here is what the
contact page plots and how each title states what the chart shows. No chart carries a
SYNTHETIC label of its own: the page contract stamps it from the inputs' provenance.
"""

from __future__ import annotations

from typing import cast

import pandas as pd
from matplotlib.figure import Figure

from pcp_lib.display.charts.heatmap import heatmap
from pcp_lib.display.charts.lines import rate_against_target, series_lines
from pcp_lib.display.wording import and_list, leaders
from pcp_lib.methods.units import fmt_pct_change, fmt_percent, pct_change
from pcp_lib.subjects.contact.returns import CHANNEL_NAMES, CHANNELS, THRESHOLD_LABELS
from pcp_lib.subjects.contact.staffing import WhatIf, heatmap_table
from pcp_lib.subjects.contact.summary import rate
from pcp_lib.subjects.contact.tables import hour_labels
from pcp_lib.subjects.contact.targets import Target, meets

__all__ = ["RATE_CHARTS", "calls_heatmap", "channel_mix_chart", "handlers_chart", "rate_chart", "volume_chart",
           "weeks_covered"]

#: The rates charted month by month, in order: (channel, measure).
RATE_CHARTS: tuple[tuple[str, str], ...] = (("999", "answered_10s"), ("101", "answered_15min"),
                                            ("101", "answered_2min"), ("999", "abandoned"), ("101", "abandoned"))


def _direction_words(t: Target) -> str:
    return "at least" if t["direction"] == "at_least" else "under"


def rate_chart(monthly: pd.DataFrame, channel: str, measure: str, target: Target | None, source: str
               ) -> Figure | None:
    """One rate of one channel by month against its target; each month's miss is decided
    exactly from its counts. None when the channel has no months."""
    part = monthly[monthly["channel"] == channel].sort_values("month")
    if part.empty:
        return None
    periods = [f"{d:%b %y}" for d in part["month"]]
    exact = [rate(int(n), int(o)) for n, o in zip(part[measure], part["offered"], strict=True)]
    vals = [float("nan") if v is None else float(v) for v in exact]
    what = f"answered within {THRESHOLD_LABELS[measure]}" if measure != "abandoned" else "abandoned"
    sub = "% of calls offered, by month."
    if target is None:
        finding = (f"{channel} calls {what}: {fmt_percent(exact[-1])} in {periods[-1]} against "
                   f"{fmt_percent(exact[0])} in {periods[0]} (published measure; the target uses 15 minutes)")
        return rate_against_target(periods, vals, None, "at_least", finding, sub, source)
    misses = [v is None or not meets(v, target) for v in exact]
    words = f"{_direction_words(target)} {target['target_pct']}%"
    finding = f"{channel} calls {what}: {misses.count(False)} of {len(vals)} months met the target ({words})"
    return rate_against_target(periods, vals, float(target["target_pct"]), str(target["direction"]), finding, sub,
                               source, target_label=f"Target: {words} ({target['scope']})", misses=misses)


def _offered_by_channel(monthly: pd.DataFrame) -> pd.DataFrame:
    wide = monthly.pivot_table(index="month", columns="channel", values="offered", aggfunc="sum").astype(float)
    wide = wide[[c for c in CHANNELS if c in wide.columns]]
    wide.index = pd.Index([f"{d:%b %y}" for d in wide.index])
    wide.columns = pd.Index([CHANNEL_NAMES[c] for c in wide.columns])
    return wide


def volume_chart(monthly: pd.DataFrame, source: str) -> Figure | None:
    """Contacts offered by month on each channel, titled with the channel that grew most."""
    if monthly.empty:
        return None
    wide = _offered_by_channel(monthly)
    growth = {c: pct_change(wide[c].iloc[0], wide[c].iloc[-1]) for c in wide.columns}
    known = {c: g for c, g in growth.items() if g is not None}
    if not known:
        title = f"Contacts offered by channel, {wide.index[0]} to {wide.index[-1]}"
    else:
        biggest = max(known, key=lambda c: known[c])
        title = (f"{biggest} grew most: {fmt_pct_change(known[biggest])} from {wide.index[0]} to "
                 f"{wide.index[-1]}")
    return series_lines(wide, title, "Contacts offered by month.", source, ylabel="Contacts a month")


def channel_mix_chart(monthly: pd.DataFrame, source: str) -> Figure | None:
    """Each channel's share of all contacts by month, titled with the largest share now."""
    if monthly.empty:
        return None
    wide = _offered_by_channel(monthly)
    share = wide.div(wide.sum(axis=1), axis=0) * 100
    top = leaders(share.iloc[-1])
    verb = "is" if len(top) == 1 else "each are (a tie)"
    return series_lines(share, f"Channel mix: {and_list(top)} {verb} {fmt_percent(share.iloc[-1][top[0]], 0)} of "
                               f"contacts in {share.index[-1]}", "Share of all contacts (999 + 101 + online) by month, %.",
                        source,
                        ylabel="% of contacts", value_format="{:.1f}%")


def weeks_covered(calls: pd.DataFrame) -> int:
    """Whole weeks the call records span (at least one), to turn counts into a week's average."""
    return max(1, round((calls["arrival"].max() - calls["arrival"].min()).days / 7))


def calls_heatmap(profile: pd.DataFrame, channel: str, weeks: int, source: str) -> Figure:
    """Average calls per hour by day of week and hour of arrival, titled with the peak hour."""
    table = (heatmap_table(profile, channel) / weeks).round().astype("int64")
    stacked = table.stack()
    peaks = []
    for key in leaders(stacked):  # (day, hour) pairs
        day, hour = cast(tuple[str, int], key)
        peaks.append(f"{day} at {int(hour):02d}:00")
    when = (peaks[0] if len(peaks) == 1 else f"{and_list(peaks)} (a tie)" if len(peaks) <= 3
            else f"{len(peaks)} hours of the week alike (a tie)")
    return heatmap(table, f"{channel} calls peak on {when} ({int(stacked.max())} calls an hour)",
                   "Average calls per hour by day of week and hour of arrival.", source,
                   xlabel="Hour of day", colourbar_label="Calls an hour")


def handlers_chart(plan: WhatIf, source: str) -> Figure:
    """Handlers needed each hour of a typical week, per channel and demand year."""
    y0, y1 = plan.years
    wide = pd.DataFrame({f"{ch} {y}": plan.needs[str(y)][plan.needs[str(y)]["channel"] == ch]["handlers"].to_numpy()
                         for ch in ("999", "101") for y in (y0, y1)})
    wide.index = pd.Index(hour_labels())
    peak = wide.max()
    return series_lines(wide, f"At the busiest hour {y1} demand needs {int(peak[f'999 {y1}'])} handlers on 999 and "
                              f"{int(peak[f'101 {y1}'])} on 101 (against {int(peak[f'999 {y0}'])} and "
                              f"{int(peak[f'101 {y0}'])} for {y0})",
                        "Handlers on the phones needed each hour of a typical week.", source, ylabel="Handlers",
                        max_ticks=14, width=10)
