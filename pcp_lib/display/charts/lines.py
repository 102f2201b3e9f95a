"""Line charts: a monthly rate against its target, and several series with direct labels.

``rate_against_target`` marks every period that misses the target with a different marker
(a cross, against a dot) and says so in the legend, so the status never rests on colour; the
target is a labelled dashed line. ``series_lines`` labels each line at its end instead of a
legend. Both take tidy inputs and are general (any rate, any periodic series).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure

from pcp_lib.display.charts.style import DARK_BLUE, DARK_GREY, DARK_PINK, PALETTE, finish, new_figure, styled

__all__ = ["rate_against_target", "series_lines"]


def _ticks(ax, labels: Sequence[str], max_ticks: int = 12) -> None:
    step = max(1, len(labels) // max_ticks)
    ax.set_xticks(range(0, len(labels), step))
    ax.set_xticklabels(list(labels)[::step], fontsize=8)


@styled
def rate_against_target(periods: Sequence[str], values: Sequence[float], target: float | None,
                        direction: str, title: str, subtitle: str = "", source: str = "",
                        ylabel: str = "% of calls offered", target_label: str = "",
                        misses: Sequence[bool] | None = None) -> Figure:
    """One rate per period with its target; ``direction`` is "at_least" or "below".

    Periods that miss the target are drawn as crosses ("✖ misses target" in the legend),
    the others as dots ("● meets target"), so the chart reads in greyscale. ``misses`` gives
    the decision per period when the caller has made it exactly (from counts, not floats).
    """
    fig, ax = new_figure(8.5, 3.6)
    x = list(range(len(values)))
    ax.plot(x, values, color=DARK_BLUE, linewidth=1.5, zorder=2)
    if target is not None:
        miss = list(misses) if misses is not None else [
            (v < target) if direction == "at_least" else (v >= target) for v in values]
        ok_x = [i for i, m in zip(x, miss, strict=True) if not m]
        bad_x = [i for i, m in zip(x, miss, strict=True) if m]
        ax.scatter(ok_x, [values[i] for i in ok_x], marker="o", color=DARK_BLUE, s=22, zorder=3,
                   label="● meets target")
        if bad_x:
            ax.scatter(bad_x, [values[i] for i in bad_x], marker="X", color=DARK_PINK, s=48, zorder=4,
                       label="✖ misses target")
        ax.axhline(target, color=DARK_GREY, linestyle="--", linewidth=1.2)
        ax.text(len(x) - 0.5, target, f" {target_label or f'Target {target:g}%'}", color=DARK_GREY,
                ha="right", va="bottom", fontsize=8)
        ax.legend(loc="best", fontsize=8)
    else:
        ax.scatter(x, values, marker="o", color=DARK_BLUE, s=22, zorder=3)
    lo = min(list(values) + ([target] if target is not None else []))
    hi = max(list(values) + ([target] if target is not None else []))
    pad = max(1.0, (hi - lo) * 0.15)
    ax.set_ylim(max(0.0, lo - pad), min(100.0, hi + pad) if hi <= 100 else hi + pad)
    _ticks(ax, periods)
    ax.set_ylabel(ylabel)
    return finish(fig, title, subtitle, source)


@styled
def series_lines(table: pd.DataFrame, title: str, subtitle: str = "", source: str = "", ylabel: str = "",
                 value_format: str = "{:,.0f}", max_ticks: int = 12, width: float = 8.5,
                 height: float = 3.8) -> Figure:
    """One line per column of ``table`` (index = period labels), each labelled at its end with
    its name and last value, so no legend or colour lookup is needed."""
    fig, ax = new_figure(width, height)
    x = list(range(len(table)))
    styles = ["-", "--", "-.", ":"]
    ends = []
    for j, col in enumerate(table.columns):
        vals = [float(v) for v in table[col]]
        ax.plot(x, vals, color=PALETTE[j % len(PALETTE)], linestyle=styles[j % len(styles)], linewidth=1.6)
        ends.append((vals[-1], j, f"{col}: {value_format.format(vals[-1])}"))
    ax.set_ylim(bottom=0)
    # the end labels, moved apart where lines end close together (a line of 8 pt type each, on
    # axes about 60% of the figure's height), so no label sits on another
    low, high = ax.get_ylim()
    gap = (high - low) * 11 / (fig.get_figheight() * 0.6 * 72)
    placed = -float("inf")
    for value, j, text in sorted(ends):
        placed = max(value, placed + gap)
        ax.text(x[-1] + 0.3, placed, text, color=PALETTE[j % len(PALETTE)], fontsize=8, va="center")
    ax.set_xlim(-0.5, len(x) - 1 + max(3.0, len(x) * 0.22))
    # the plot takes about 60% of the figure's width (the end labels the rest): at most a tick
    # label (about half an inch at 8 pt) to each 0.7 inch of it
    _ticks(ax, [str(i) for i in table.index], min(max_ticks, int(fig.get_figwidth() * 0.6 / 0.7)))
    if ylabel:
        ax.set_ylabel(ylabel)
    return finish(fig, title, subtitle, source)
