"""Monthly counts with exact intervals against reference levels and a change date.

Used to monitor a change in provision: small monthly counts jump about, so each month
carries its 95% interval, and the reference levels (e.g. "with enhanced funding",
"current provision") are drawn as labelled lines rather than a legend.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from matplotlib.figure import Figure

from pcp_lib.display.charts.style import DARK_BLUE, DARK_GREY, ORANGE, TURQUOISE, finish, new_figure, styled
from pcp_lib.methods.units import fmt_number

__all__ = ["monthly_levels"]


@styled
def monthly_levels(intervals: pd.DataFrame, levels: dict[str, float], title: str, subtitle: str = "",
                   source: str = "", change_date: date | None = None, change_label: str = "",
                   ylabel: str = "") -> Figure:
    """``intervals`` has month, count, lo, hi (``dtoa.pathway.monthly_intervals``)."""
    fig, ax = new_figure(8.5, 3.8)
    x = list(range(len(intervals)))
    counts = intervals["count"].astype(float).tolist()
    lo = [c - v for c, v in zip(counts, intervals["lo"], strict=True)]
    hi = [v - c for c, v in zip(counts, intervals["hi"], strict=True)]
    ax.errorbar(x, counts, yerr=[lo, hi], fmt="o-", color=DARK_BLUE, ecolor="#9FB4C7", capsize=2,
                markersize=4, linewidth=1.2, label="Month (with 95% interval)")
    for (name, value), colour in zip(levels.items(), (TURQUOISE, ORANGE, DARK_GREY), strict=False):
        ax.axhline(value, color=colour, linestyle="--", linewidth=1.2)
        ax.text(len(x) - 0.5, value, f" {name}: {fmt_number(value)}", color=colour, va="bottom", ha="right", fontsize=8)
    if change_date is not None:
        months = list(intervals["month"])
        if change_date in months:
            i = months.index(change_date)
            ax.axvline(i - 0.5, color=DARK_GREY, linewidth=1)
            ax.text(i - 0.4, ax.get_ylim()[1] * 0.97, change_label, fontsize=8, color=DARK_GREY, va="top")
    step = max(1, len(x) // 12)
    ax.set_xticks(x[::step])
    ax.set_xticklabels([f"{m:%b %y}" for m in intervals["month"]][::step], fontsize=8)
    ax.set_ylim(bottom=0)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.legend(loc="center left", fontsize=8)
    return finish(fig, title, subtitle, source)
