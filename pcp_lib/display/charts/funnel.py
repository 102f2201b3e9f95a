"""Funnel charts: one panel per period, stages top to bottom, drop-off labelled at each step.

Each panel has its own scale (a year of custody contacts and a monthly average differ a
hundredfold), so the eye compares shapes, and the words on the chart give the numbers:
the count at each stage and, between stages, how many were lost and what share.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from pcp_lib.display.charts.style import (
    DARK_BLUE,
    DARK_GREY,
    DARK_PINK,
    MAX_WIDTH_IN,
    PALETTE,
    finish,
    new_figure,
    styled,
    wrap_text,
)
from pcp_lib.methods.units import fmt_number, fmt_percent, is_missing

__all__ = ["funnel_panels"]

#: how the people not carried forward to a stage are labelled, by the step's kind
#: (``subjects.dtoa.arithmetic.STEP_KINDS``): never "lost" when they were not eligible
_LOST_WORDS = {"screen": "not eligible", "mixed": "mostly not eligible", "progression": "did not go on"}


@styled
def funnel_panels(panels: list[tuple[str, pd.DataFrame]], title: str, subtitle: str = "",
                  source: str = "", unit: str = "", labels: dict[str, str] | None = None) -> Figure:
    """Funnels, one under another, from ``pcp_lib.subjects.dtoa.arithmetic.funnel`` tables, labelled
    with counts and the drop-off (number and %) at every step. ``labels`` gives short stage
    names."""
    labels = labels or {}
    n = len(panels)
    stages = max(len(t) for _, t in panels)
    # one panel under another, the page's width each (side by side, three panels printed their
    # words at 4.5 pt or over each other); each stage a row: its name and count at the left,
    # above its bar, and the drop-off from the step before at the right, on the same line
    fig, grid = new_figure(MAX_WIDTH_IN, n * (0.42 * stages + 0.55) + 1.3, nrows=n, sharey=False)
    axes: list[Axes] = [grid] if n == 1 else list(cast("Iterable[Axes]", grid))  # an array of axes when n > 1
    half_in = fig.get_figwidth() * 0.45  # room for each of the two labels of a row
    for k, (ax, (label, table)) in enumerate(zip(axes, panels, strict=True)):
        counts = [float(c) for c in table["count"]]
        top = max(counts) or 1.0
        ys = list(range(len(table)))[::-1]
        colour = PALETTE[k % len(PALETTE)] if k else DARK_BLUE
        ax.barh(ys, counts, left=[(top - c) / 2 for c in counts], color=colour, height=0.4)
        for y, rec in zip(ys, table.to_dict("records"), strict=True):
            name = labels.get(str(rec["stage"]), str(rec["stage"]))
            ax.text(0, y + 0.22, wrap_text(f"{name}: {fmt_number(rec['count'])}{unit}", half_in, 8.5),
                    ha="left", va="bottom", fontsize=8.5, color="black")
            if not is_missing(rec["dropoff_from_previous"]):
                pct = rec["dropoff_from_previous_pct"]
                pct_text = "" if is_missing(pct) else f" ({fmt_percent(pct, 0)})"
                kind = rec.get("step_kind")
                what = _LOST_WORDS.get(str(kind), "lost") if not is_missing(kind) else "lost"
                ax.text(top, y + 0.22, f"▼ {what} {fmt_number(rec['dropoff_from_previous'])}{pct_text}", ha="right",
                        va="bottom", fontsize=8, color=DARK_PINK if what.startswith("did not") else DARK_GREY)
        ax.set_xlim(-top * 0.02, top * 1.02)
        ax.set_ylim(-0.4, len(table) - 0.25)
        ax.set_yticks([])
        ax.set_xticks([])
        ax.grid(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel(wrap_text(label, fig.get_figwidth() - 0.4, 9), fontsize=9, color=DARK_GREY)
    return finish(fig, title, subtitle, source)
