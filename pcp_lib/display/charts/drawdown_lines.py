"""Drawdown over the year: % of the allocation spent at each position, one small panel
per area, against the straight-line profile (0% on 1 April to 100% on 31 March).

Why small multiples: nine lines on one axis cross and hide each other; a panel per area
shows each area's path against the same profile. Synthetic positions are drawn as hollow
markers and said so in the subtitle.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from pcp_lib.display.charts.style import (
    DARK_BLUE,
    DARK_GREY,
    MAX_WIDTH_IN,
    figure_heading,
    fit_layout,
    new_figure,
    styled,
)

__all__ = ["default_title", "drawdown_lines"]


def default_title(series: pd.DataFrame) -> str:
    """The finding: how many areas were at or above profile at the latest position."""
    last = series["as_at"].max()
    latest = series.loc[(series["as_at"] == last) & (series["csp_area"] != "Total")]
    at_or_above = sum(1 for s, e in zip(latest["pct_spent"], latest["pct_year_elapsed"], strict=True) if s >= e)
    return (f"{at_or_above} of {len(latest)} CSPs had spent at least the year's share of their allocation "
            f"by {last:%d/%m/%Y}")


@styled
def drawdown_lines(series: pd.DataFrame, fy: int, labels: dict[str, str] | None = None, title: str | None = None,
                   subtitle: str = "", source: str = "") -> Figure:
    """``series`` is ``pcp_lib.subjects.csp.timeline.drawdown_series`` output (tidy, with a "Total")."""
    labels = labels or {}
    areas = list(dict.fromkeys(series["csp_area"]))
    n = len(areas)
    ncols = 3  # three to a row: at the printed page's width (new_figure) each panel's title fits
    nrows = math.ceil(n / ncols)
    fig, axes = new_figure(MAX_WIDTH_IN, 1.9 * nrows + 1.4, ncols=ncols, nrows=nrows, sharex=True, sharey=True)
    flat = list(axes.flat) if hasattr(axes, "flat") else [axes]
    start, end = date(fy, 4, 1), date(fy + 1, 3, 31)
    for ax, area in zip(flat, areas, strict=False):
        g = series.loc[series["csp_area"] == area].sort_values("as_at", kind="stable")
        ax.plot(mdates.date2num([start, end + timedelta(days=1)]), [0, 100], color=DARK_GREY, linestyle="--",
                linewidth=1)
        xs, ys = list(mdates.date2num(list(g["as_at"]))), [float(v) for v in g["pct_spent"]]
        colour = "black" if area == "Total" else DARK_BLUE
        ax.plot(xs, ys, color=colour, linewidth=1.8)
        for x, y, syn, first in zip(xs, ys, g["synthetic"], g["start"], strict=True):
            if first:
                continue  # 1 April, nothing spent by definition: not a reported position
            ax.plot([x], [y], marker="o", markersize=5, color=colour, markerfacecolor="white" if syn else colour)
        ax.text(xs[-1], ys[-1] + 4, f"{ys[-1]:.0f}%", fontsize=8, ha="center", va="bottom")
        ax.set_title(labels.get(area, area) if area != "Total" else "All nine CSPs", fontsize=9, loc="left",
                     fontweight="bold")
        ax.set_ylim(0, 115)
        ax.set_xlim(float(mdates.date2num(start)), float(mdates.date2num(end)))
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(4, 7, 10, 1)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
        ax.tick_params(labelsize=8)
    for ax in flat[n:]:
        ax.set_visible(False)
    flat[0].set_ylabel("% spent")
    fig.text(0.01, 0.3 / fig.get_figheight(), "Dashed: straight-line profile through the year. Filled marker: published; hollow: "
             "synthetic sample.", fontsize=8, color=DARK_GREY)
    # ``style.finish`` titles the first axes, which here is a panel: title the figure instead.
    top = figure_heading(fig, title or default_title(series), subtitle, source)
    fit_layout(fig, (0, 0.5 / fig.get_figheight(), 1, 1 - (top + 0.05) / fig.get_figheight()))
    return fig
