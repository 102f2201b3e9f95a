"""Indexed trend lines: several series on one scale (a base period = 100).

Used to compare forces where no population on a common, cited basis is at hand, so rates per
1,000 would not be like for like. Each line is labelled at its end with its name, so the
chart reads without relying on colour.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from pcp_lib.display.charts.style import DARK_GREY, PALETTE, finish, new_figure, styled
from pcp_lib.methods.units import fmt_number

__all__ = ["indexed_lines"]


@styled
def indexed_lines(df: pd.DataFrame, title: str, subtitle: str = "", source: str = "",
                  group: str = "force", x: str = "month", y: str = "index") -> Figure:
    """One line per group; a grey reference line at 100; direct labels at the line ends."""
    fig, ax = new_figure(8.5, 4.0)
    ax.axhline(100, color=DARK_GREY, lw=0.8, ls=":")
    for i, (name, part) in enumerate(df.groupby(group, sort=True)):
        part = part.sort_values(x)
        colour = PALETTE[i % len(PALETTE)]
        ls = "-" if i % 2 == 0 else "--"
        ax.plot(list(part[x]), part[y], color=colour, lw=1.8, ls=ls, label=str(name))
        ax.annotate(f"{name} ({fmt_number(part[y].iloc[-1], 0)})", (part[x].iloc[-1], part[y].iloc[-1]),
                    xytext=(4, 0), textcoords="offset points", fontsize=8, color=colour, va="center")
    ax.set_ylabel("Index (base = 100)")
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    ax.legend(loc="upper left", fontsize=8)
    ax.margins(x=0.12)
    return finish(fig, title, subtitle, source)
