"""Funding by financial year (bars, each labelled in pounds) above the activity it bought
(monthly averages of pathway stages, each drawn across the years it covers), so a funding
change lines up with the numbers that followed it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from pcp_lib.display.charts.style import (
    DARK_BLUE,
    DARK_GREY,
    LIGHT_PURPLE,
    PALETTE,
    finish,
    new_figure,
    styled,
)
from pcp_lib.methods.units import fmt_number

__all__ = ["funding_timeline"]


@styled
def funding_timeline(funding: pd.DataFrame, activity: pd.DataFrame, years: list[str], title: str,
                     subtitle: str = "", source: str = "") -> Figure:
    """``funding``: year, funder, amount (Decimal pounds), label, assumed (bool: hatched).
    ``activity``: measure, first_year, last_year, value (monthly average), label (a short
    marker after the value, e.g. "*" for a value from a monthly return, explained in the
    subtitle)."""
    fig, grid = new_figure(9, 8.4, nrows=2, sharex=True)
    top, bottom = cast("Sequence[Axes]", grid)  # an array of two axes
    funders = list(dict.fromkeys(funding["funder"]))
    colours = dict(zip(funders, (DARK_BLUE, LIGHT_PURPLE, DARK_GREY), strict=False))
    for rec in funding.to_dict("records"):
        x = years.index(rec["year"])
        v = float(rec["amount"]) / 1000
        top.bar(x, v, color=colours[rec["funder"]], width=0.7, hatch="//" if rec["assumed"] else None,
                edgecolor="white")
        top.text(x, v, rec["label"], ha="center", va="bottom", fontsize=8)
    top.set_ylim(top=top.get_ylim()[1] * 1.12)  # room above the tallest bar for its label
    top.set_ylabel("£ thousand a year")
    top.legend(handles=[Patch(color=colours[f], label=f) for f in funders], fontsize=8, loc="upper right")
    ends: list[tuple[float, float, str, str]] = []
    for j, (measure, g) in enumerate(activity.groupby("measure", sort=False)):
        colour = PALETTE[j % len(PALETTE)]
        for i, rec in enumerate(g.to_dict("records")):
            x0, x1 = years.index(rec["first_year"]) - 0.35, years.index(rec["last_year"]) + 0.35
            v = float(rec["value"])
            bottom.plot([x0, x1], [v, v], color=colour, linewidth=2.5,
                        label=measure if i == 0 else None)
            ends.append((x1, v, f" {fmt_number(v)}{rec['label']}", colour))
    # each level's label at its end, moved apart where levels ending together are close (a line
    # of 8 pt type each on axes about a fifth of the figure's height), so no label sits on another
    bottom.set_ylim(bottom=0)
    gap = bottom.get_ylim()[1] * 12 / (fig.get_figheight() * 0.2 * 72)
    placed = -float("inf")  # all levels together: a label runs on past its own level's end
    for x1, v, text, colour in sorted(ends, key=lambda e: e[1]):
        placed = max(v, placed + gap)
        bottom.text(x1, placed, text, ha="left", va="center", fontsize=8, color=colour)
    handles, labels = bottom.get_legend_handles_labels()
    uniq = dict(zip(labels, handles, strict=True))
    bottom.legend(uniq.values(), uniq.keys(), fontsize=8, loc="upper right")
    bottom.set_ylabel("a month (average)")
    bottom.set_ylim(bottom=0)
    bottom.set_xticks(range(len(years)))
    bottom.set_xticklabels(years, fontsize=8)
    return finish(fig, title, subtitle, source)
