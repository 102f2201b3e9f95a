"""Grouped vertical bars with every bar labelled by its value (reads without colour)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from pcp_lib.display.charts.style import PALETTE, finish, new_figure, styled
from pcp_lib.methods.units import fmt_number

__all__ = ["grouped_bars"]


@styled
def grouped_bars(table: pd.DataFrame, title: str, subtitle: str = "", source: str = "",
                 ylabel: str = "") -> Figure:
    """One group per row of ``table`` (its index), one bar per column, each labelled."""
    groups = list(table.index)
    series = list(table.columns)
    width = 0.8 / max(1, len(series))
    fig, ax = new_figure(8.5, 3.8)
    for j, s in enumerate(series):
        xs = [i + (j - (len(series) - 1) / 2) * width for i in range(len(groups))]
        vals = [float(v) for v in table[s]]
        ax.bar(xs, vals, width=width * 0.95, color=PALETTE[j % len(PALETTE)], label=s)
        for x, v in zip(xs, vals, strict=True):
            ax.text(x, v, fmt_number(v), ha="center", va="bottom", fontsize=8)
    ax.set_ylim(top=ax.get_ylim()[1] * 1.12)  # room above the tallest bar for its label
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(groups)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, ncol=len(series), loc="upper right")
    return finish(fig, title, subtitle, source)
