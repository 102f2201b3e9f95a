"""Heatmap of a two-way table (e.g. calls by day of week and hour of day), every cell labelled.

Shading is a single-hue sequential scale (light to dark blue), and each cell carries its
value, so it reads without colour and in greyscale.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from pcp_lib.display.charts.style import DARK_BLUE, finish, new_figure, styled

SEQUENTIAL = LinearSegmentedColormap.from_list("pcp_blue", ["#F2F6FA", "#9FB4C7", DARK_BLUE])

__all__ = ["SEQUENTIAL", "heatmap"]


@styled
def heatmap(table: pd.DataFrame, title: str, subtitle: str = "", source: str = "", xlabel: str = "",
            ylabel: str = "", value_format: str = "{:,.0f}", colourbar_label: str = "") -> Figure:
    """Rows of ``table`` down the side, columns along the bottom, each cell shaded and labelled."""
    values = table.to_numpy(dtype=float)
    fig, ax = new_figure(10, 0.42 * len(table) + 1.8)
    im = ax.imshow(values, cmap=SEQUENTIAL, aspect="auto")
    top = np.nanmax(values) if values.size else 0
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            ax.text(j, i, value_format.format(v), ha="center", va="center", fontsize=7,
                    color="white" if top and v > 0.6 * top else "black")
    ax.set_xticks(range(values.shape[1]))
    ax.set_xticklabels([str(c) for c in table.columns], fontsize=8)
    ax.set_yticks(range(values.shape[0]))
    ax.set_yticklabels([str(r) for r in table.index], fontsize=8)
    ax.grid(False)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    bar = fig.colorbar(im, ax=ax, fraction=0.025, pad=0.01)
    if colourbar_label:
        bar.set_label(colourbar_label, fontsize=8)
    return finish(fig, title, subtitle, source)
