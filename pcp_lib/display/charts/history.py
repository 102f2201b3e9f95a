"""Small multiples: one small panel per metric, its figures over time, each labelled with its number.

Metrics are in different units, so each has its own panel and scale. Every point carries its
figure as published, and the x axis names each period, so the chart reads without colour; a
synthetic point is drawn hollow and its period says "synthetic".
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pcp_lib.display.charts.style import DARK_GREY, PALETTE, finish, new_figure, styled

__all__ = ["metric_small_multiples"]


def _short(text: str, n: int = 34) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


@styled
def metric_small_multiples(df: pd.DataFrame, title: str, subtitle: str = "", source: str = "",
                           ncols: int = 4) -> Figure:
    """``df``: one row per figure with ``panel`` (the panel's title), ``period`` (the x label),
    ``value_num`` (the number drawn), ``label`` (the figure as written beside its point) and
    ``synthetic``; panels in the order they first appear, points in row order."""
    panels = list(dict.fromkeys(df["panel"]))
    n = max(1, len(panels))
    cols = min(ncols, n)
    rows = math.ceil(n / cols)
    # at least 7.5 inches wide, so a single panel and its stated finding are readable
    fig, axes = new_figure(max(7.5, 2.6 * cols + 0.6), 2.1 * rows + 1.2, ncols=cols, nrows=rows, squeeze=False)
    for i, ax in enumerate(np.asarray(axes).flat):
        if i >= n:
            ax.set_visible(False)
            continue
        part = df[df["panel"] == panels[i]]
        xs = list(range(len(part)))
        ys = [float(v) for v in part["value_num"]]
        ax.plot(xs, ys, color=PALETTE[0], lw=1.5)
        for x, y, label, synthetic in zip(xs, ys, part["label"], part["synthetic"], strict=True):
            ax.plot([x], [y], marker="o", ms=5, color=PALETTE[0], mfc="white" if synthetic else PALETTE[0])
            ax.annotate(str(label), (x, y), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=8,
                        color=DARK_GREY)
        ax.set_xticks(xs, [str(p) for p in part["period"]], fontsize=7)
        ax.set_title(_short(str(panels[i])), fontsize=8, loc="left")
        ax.tick_params(axis="y", labelsize=7)
        ax.margins(x=0.2, y=0.35)
    return finish(fig, title, subtitle, source)
