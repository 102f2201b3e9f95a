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
    """Side-by-side funnels from ``pcp_lib.subjects.dtoa.arithmetic.funnel`` tables, labelled
    with counts and the drop-off (number and %) at every step. ``labels`` gives short stage
    names."""
    labels = labels or {}
    n = len(panels)
    stages = max(len(t) for _, t in panels)
    fig, grid = new_figure(max(8.0, 4.2 * n), 0.95 * stages + 1.6, ncols=n, sharey=False)
    axes: list[Axes] = [grid] if n == 1 else list(cast("Iterable[Axes]", grid))  # an array of axes when n > 1
    panel_in = fig.get_figwidth() / n * 0.6  # room for a label across one panel (between the gaps)
    for k, (ax, (label, table)) in enumerate(zip(axes, panels, strict=True)):
        counts = [float(c) for c in table["count"]]
        top = max(counts) or 1.0
        ys = list(range(len(table)))[::-1]
        colour = PALETTE[k % len(PALETTE)] if k else DARK_BLUE
        ax.barh(ys, counts, left=[(top - c) / 2 for c in counts], color=colour, height=0.4)
        for y, rec in zip(ys, table.to_dict("records"), strict=True):
            name = labels.get(str(rec["stage"]), str(rec["stage"]))
            ax.text(top / 2, y + 0.22, wrap_text(f"{name}: {fmt_number(rec['count'])}{unit}", panel_in, 8.5),
                    ha="center", va="bottom", fontsize=8.5, color="black")
            if not is_missing(rec["dropoff_from_previous"]):
                pct = rec["dropoff_from_previous_pct"]
                pct_text = "" if is_missing(pct) else f" ({fmt_percent(pct, 0)})"
                kind = rec.get("step_kind")
                what = _LOST_WORDS.get(str(kind), "lost") if not is_missing(kind) else "lost"
                ax.text(top, y + 0.55, f"▼ {what} {fmt_number(rec['dropoff_from_previous'])}{pct_text}", ha="right",
                        va="center", fontsize=8, color=DARK_PINK if what.startswith("did not") else DARK_GREY)
        ax.set_xlim(-top * 0.02, top * 1.02)
        ax.set_ylim(-0.4, len(table) - 0.2)
        ax.set_yticks([])
        ax.set_xticks([])
        ax.grid(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel(wrap_text(label, panel_in, 9), fontsize=9, color=DARK_GREY)
    return finish(fig, title, subtitle, source)
