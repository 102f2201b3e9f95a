"""XmR (SPC) charts in the Making Data Count style, readable without colour.

The tool's colours (its XmR testing specification): improvement blue, concern orange, neither
purple, common cause grey; each with its own shape as well (▲ improvement, ■ concern, ◆ neither,
● common cause), named in the legend, so colour-blind readers and grey print lose nothing. The
target, where there is one, is a dashed line; the variation and assurance icons are written
out in words under the chart; the subtitle names the special-cause rules used (the preset, a
setting in reference data).
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import ScaledTranslation

from pcp_lib.display.charts.style import (
    DARK_BLUE,
    DARK_GREY,
    LIGHT_GREY,
    MAX_WIDTH_IN,
    figure_heading,
    finish,
    fix_ticks,
    new_figure,
    place_empty_labels,
    styled,
    wrap_text,
)
from pcp_lib.display.icons import BLUE, GREY, ORANGE, PURPLE
from pcp_lib.methods.spc import XmrResult, assurance_words, describe

__all__ = ["POINT_STYLE", "icon_text", "rules_subtitle", "xmr_chart", "xmr_grid"]

#: how far under the axes the legend starts (inches): below the two-line month labels
_LEGEND_DROP_IN = 0.5

POINT_STYLE = {
    "common cause": ("o", GREY, "● Common cause"),
    "improvement": ("^", BLUE, "▲ Special cause: improvement"),
    "concern": ("s", ORANGE, "■ Special cause: concern"),
    "neither": ("D", PURPLE, "◆ Special cause: neither better nor worse"),
}


def _draw(ax: Axes, r: XmrResult, *, legend: bool, ylabel: str = "", small: bool = False) -> None:
    p = r.points
    x = list(p["x"])
    ax.plot(x, p["value"], color=DARK_GREY, lw=1, zorder=1)
    # mean and limits period by period, so a recalculation is a break, not a slope
    periods = p["period"].to_numpy()
    for k, period in enumerate(dict.fromkeys(periods)):
        sel = periods == period
        xs = [v for v, keep in zip(x, sel, strict=True) if keep]
        ax.plot(xs, p["mean"][sel], color=DARK_BLUE, lw=1.2, label="Mean" if k == 0 else None, zorder=2)
        if p["upl"][sel].notna().any():
            ax.plot(xs, p["upl"][sel], color=DARK_GREY, lw=1, ls="--", label="Process limits", zorder=2)
            ax.plot(xs, p["lpl"][sel], color=DARK_GREY, lw=1, ls="--", zorder=2)
        if k:
            ax.axvline(xs[0], color=DARK_GREY, lw=1, ls=":", zorder=1,
                       label="Limits recalculated (known change)" if k == 1 else None)
    for kind, (marker, colour, label) in POINT_STYLE.items():
        sel = (p["point_type"] == kind).fillna(False).to_numpy(dtype=bool)
        if sel.any():
            ax.scatter(np.array(x, dtype=object)[sel], p["value"].to_numpy()[sel], marker=marker,
                       color=colour, edgecolor="black" if kind != "common cause" else colour,
                       s=22 if small else 36, zorder=3, label=label)
    unjudged = p["point_type"].isna().to_numpy(dtype=bool)
    if unjudged.any():  # a series, or a period since a recalculation, too short for limits
        ax.scatter(np.array(x, dtype=object)[unjudged], p["value"].to_numpy()[unjudged], color=LIGHT_GREY,
                   edgecolor=DARK_GREY, s=18, zorder=3, label="Too few points for limits")
    if r.target is not None:
        ax.axhline(r.target, color="#000000", lw=1, ls=(0, (6, 3)), label=f"Target ({r.target:g})", zorder=2)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10) if not small else (1, 7)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y" if not small else "%b %y"))
    if small:
        ax.tick_params(labelsize=7)
    if legend:
        # placed a fixed distance (inches) under the axes, below the two-line month labels,
        # whatever height the axes end up with
        below = ScaledTranslation(0, -_LEGEND_DROP_IN, ax.figure.dpi_scale_trans)
        ax.legend(loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=ax.transAxes + below, ncol=2, fontsize=8)


def icon_text(r: XmrResult) -> str:
    """The latest month's variation (and, with a target, the assurance) in words; a period
    started at a change point and still too short for limits is said as such."""
    if r.variation is None and r.changing:
        start = r.latest_period["x"].iloc[0]
        when = f"{start:%b %Y}" if hasattr(start, "strftime") else str(start)
        icon = f"Latest month: limits recalculated from {when}, too few months since for limits"
    else:
        icon = "Latest month: " + describe(r.variation)
    if r.target is not None:
        icon += f"; assurance: {assurance_words(r)}"
    return icon


def rules_subtitle(subtitle: str, r: XmrResult) -> str:
    """The subtitle with the special-cause rules named (the preset in reference data)."""
    rules = f"SPC rules: {r.rules.description or r.rules.name}"
    return f"{subtitle}; {rules}" if subtitle else rules


@styled
def xmr_chart(r: XmrResult, title: str, subtitle: str = "", source: str = "",
              ylabel: str = "Count per month") -> Figure:
    """One XmR chart: values, mean, process limits, special-cause points and the icons in words
    (under the legend, wrapped to the width). The figure grows with its title and words, so the
    plot keeps its height however long the finding is."""
    fig, ax = new_figure(8.5, 4.6)  # the pack's style is in force from here
    width = fig.get_figwidth()  # no wider than the printed page (new_figure)
    words = wrap_text(icon_text(r), width - 1.4, 8.5)
    title_lines = wrap_text(title, width - 1.1, plt.rcParams["axes.titlesize"], bold=True).count("\n") + 1
    fig.set_figheight(4.6 + 0.28 * max(0, title_lines - 2) + 0.16 * words.count("\n"))
    _draw(ax, r, legend=True, ylabel=ylabel)
    handles = len(ax.get_legend_handles_labels()[1])
    drop = _LEGEND_DROP_IN + 0.2 * -(-handles // 2) + 0.12  # under the legend's rows
    ax.text(0.0, 0.0, words, transform=ax.transAxes + ScaledTranslation(0, -drop, fig.dpi_scale_trans),
            ha="left", va="top", fontsize=8.5, color=DARK_GREY,
            bbox={"facecolor": "white", "edgecolor": LIGHT_GREY, "boxstyle": "round,pad=0.3"})
    return finish(fig, title, rules_subtitle(subtitle, r), source)


@styled
def xmr_grid(results: Mapping[str, XmrResult], title: str, subtitle: str = "", source: str = "",
             ncols: int = 2) -> Figure:
    """Small multiples, one XmR chart per area (each on its own scale), icons in words; two
    to a row, so at the printed page's width (new_figure) each panel's title and ticks fit."""
    n = len(results)
    nrows = -(-n // ncols)
    # rows of 1.6 in: nine areas (five rows) still print on one A4 page (at most 9.5 in of its 10.2)
    fig, axes = new_figure(MAX_WIDTH_IN, 1.6 * nrows + 1.5, ncols=ncols, nrows=nrows, squeeze=False)
    flat: list[Axes] = list(np.asarray(axes).flat)  # squeeze=False: a grid of axes
    for ax, (name, r) in zip(flat, results.items(), strict=False):
        _draw(ax, r, legend=False, small=True)
        ax.set_title(f"{name}\n{describe(r.variation, short=True)}", fontsize=8, loc="left")
    for ax in flat[n:]:
        ax.set_visible(False)
    handles: dict[str, Artist] = {}
    for ax in flat[:n]:
        for handle, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(lab, handle)
    fig.legend(list(handles.values()), list(handles.keys()), loc="lower center", ncol=min(3, len(handles)),
               fontsize=8, bbox_to_anchor=(0.5, 0.02))
    first = next(iter(results.values()), None)
    top = figure_heading(fig, title, rules_subtitle(subtitle, first) if first else subtitle, source)
    # Fixed margins rather than tight_layout: on a grid of small charts tight_layout measures
    # every tick label and takes most of the rendering time; the panels are uniform, so fixed
    # spacing is as good.
    h = fig.get_figheight()
    fig.subplots_adjust(left=0.09, right=0.98, bottom=1.25 / h, top=1 - (top + 0.65) / h, hspace=0.75,
                        wspace=0.22)
    fix_ticks(fig)  # with the panels in place: each axis's ticks worked out once, not at every step of drawing
    place_empty_labels(fig)
    return fig
