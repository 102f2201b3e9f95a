"""Dot-and-interval charts: a rate per area with its interval, one panel per measure.

Reads without colour: each area is named on its row, its rate and interval are printed beside
the dot, the area the page is about is drawn as a larger diamond with its name in bold (not
only a different colour), and the reference rates (England and Wales, the region) are dashed
and dotted lines, each named with its rate and its line style above the panel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from pcp_lib.display.charts.style import (
    DARK_BLUE,
    DARK_GREY,
    DARK_PINK,
    figure_heading,
    fix_ticks,
    new_figure,
    styled,
)

__all__ = ["RatePoint", "rate_intervals"]

#: each reference line's style and the word that names it (the panel's subtitle says which is which)
_REFERENCE_STYLES = (("--", "dashed"), (":", "dotted"), ("-.", "dash-dot"))


@dataclass(frozen=True)
class RatePoint:
    """One area's rate in a panel: its name, rate, interval (low, high) and whether it is the
    area the page is about (drawn as a diamond, named in bold)."""

    area: str
    rate: float
    low: float
    high: float
    focus: bool = False


def _panel(ax: Axes, name: str, points: Sequence[RatePoint], references: Mapping[str, float]) -> None:
    ys = np.arange(len(points))[::-1]
    top = max([p.high for p in points] + list(references.values()))
    places = 2 if top >= 0.1 else 4  # homicide per 1,000 is about 0.005: 0.00 would say nothing
    for y, p in zip(ys, points, strict=True):
        colour = DARK_PINK if p.focus else DARK_BLUE
        ax.plot([p.low, p.high], [y, y], color=colour, linewidth=2.2 if p.focus else 1.4, solid_capstyle="butt")
        ax.plot([p.rate], [y], marker="D" if p.focus else "o", markersize=8 if p.focus else 6, color=colour,
                linestyle="none")
        # the rate beside its dot (its interval is the line; the page's table gives its figures)
        ax.text(top * 1.04, y, f"{p.rate:.{places}f}", va="center", ha="left", fontsize=7.5,
                fontweight="bold" if p.focus else "normal")
    refs = []
    for (label, value), (style, word) in zip(references.items(), _REFERENCE_STYLES, strict=False):
        ax.axvline(value, color=DARK_GREY, linestyle=style, linewidth=1)
        refs.append(f"{label} {value:.{places}f} ({word})")
    ax.set_yticks(ys, [p.area for p in points], fontsize=8)
    for tick, p in zip(ax.get_yticklabels(), points, strict=True):
        if p.focus:
            tick.set_fontweight("bold")
    ax.set_xlim(0, top * 1.4)
    ax.set_ylim(-0.7, len(points) - 0.3)
    ax.set_title(name, loc="left", fontsize=9, fontweight="bold", pad=6 + 10 * len(refs))
    if refs:  # one line each: a panel is narrow on the printed page
        ax.text(0, 1.02, "\n".join(refs), transform=ax.transAxes, fontsize=7.5, color=DARK_GREY, va="bottom")
    ax.grid(axis="x", color="#E5E5E5")
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="x", labelsize=7.5)


@styled
def rate_intervals(panels: Mapping[str, Sequence[RatePoint]], references: Mapping[str, Mapping[str, float]],
                   title: str, subtitle: str = "", source: str = "", ncols: int = 2) -> Figure:
    """One panel per measure (each on its own scale, from zero): each area's rate per 1,000 as a
    dot with its interval as a line, the figures printed beside it, and the reference rates of
    ``references[measure]`` as named vertical lines."""
    n = len(panels)
    nrows = -(-n // ncols)
    rows = max(len(v) for v in panels.values()) if panels else 1
    panel_h = 0.32 * rows + 1.4
    fig, axes = new_figure(11, panel_h * nrows + 1.6, ncols=ncols, nrows=nrows, squeeze=False)
    flat: list[Axes] = list(np.asarray(axes).flat)
    for ax, (name, points) in zip(flat, panels.items(), strict=False):
        _panel(ax, name, points, references.get(name, {}))
    for ax in flat[n:]:
        ax.set_visible(False)
    top = figure_heading(fig, title, subtitle, source)
    h = fig.get_figheight()
    # fixed margins (a grid of uniform panels): room on the left for the forces' names
    # and between the panels, for the right-hand panel's names
    fig.subplots_adjust(left=0.2, right=0.96, bottom=0.7 / h, top=1 - (top + 0.75) / h, hspace=0.75, wspace=0.95)
    fix_ticks(fig)
    return fig
