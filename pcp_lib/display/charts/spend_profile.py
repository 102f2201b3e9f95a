"""Share of an allocation spent against the share of the year gone, one bar per area.

Why a bar against a line: the question a board member asks of a grant is "is it being
spent at the pace the year needs?". A bar per area for % spent, one vertical line for the
% of the financial year elapsed at the as-at date; each bar carries its status in words and
a symbol, so colour is never the only signal.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from pcp_lib.display.charts import style
from pcp_lib.display.charts.style import CSP_STATUS_SYMBOLS as STATUS_SYMBOLS
from pcp_lib.display.charts.style import styled
from pcp_lib.methods.units import fmt_percent as pct

__all__ = ["STATUS_COLOURS", "default_title", "spend_against_profile"]

#: Colour by status (with the symbol and word always printed beside the bar).
STATUS_COLOURS = {"fully spent": style.DARK_BLUE, "ahead of profile": style.TURQUOISE, "on profile": style.TURQUOISE,
                  "behind profile": style.ORANGE, "no drawdown yet": style.DARK_PINK, "no allocation": style.LIGHT_GREY}


def default_title(pos: pd.DataFrame) -> str:
    """The finding: how many areas are flagged, as at which date."""
    rows = pos.loc[~pos["is_total"]]
    behind = int((rows["status"].isin(["behind profile", "no drawdown yet"])).sum())
    d = pos.attrs["as_at"]
    if behind == 0:
        return f"Every CSP has spent at least its share of the year's allocation, as at {d:%d/%m/%Y}"
    return (f"{behind} of {len(rows)} CSPs behind profile or yet to draw down, as at {d:%d/%m/%Y}")


@styled
def spend_against_profile(pos: pd.DataFrame, labels: dict[str, str] | None = None, title: str | None = None,
                          subtitle: str = "", source: str = "") -> Figure:
    """Horizontal bars of % spent per area (the total last), with the % of the year elapsed.

    ``pos`` is ``pcp_lib.subjects.csp.spend_position`` output; ``labels`` maps area names to the
    names shown (e.g. the published short names).
    """

    labels = labels or {}
    ye = pos.attrs["year"]
    recs: list[dict[str, Any]] = pos.to_dict("records")[::-1]  # barh draws bottom-up: total at the bottom
    names = [labels.get(r["csp_area"], r["csp_area"]) for r in recs]
    values = [0.0 if pd.isna(r["pct_spent"]) else float(r["pct_spent"]) for r in recs]  # NaN: no allocation
    colours = [style.DARK_GREY if r["is_total"] else STATUS_COLOURS.get(r["status"], style.LIGHT_GREY) for r in recs]
    fig, ax = style.new_figure(10, 0.45 * len(recs) + 1.8)
    ax.barh(names, values, color=colours, edgecolor="white")
    elapsed = float(ye.pct)
    ax.axvline(elapsed, color="black", linestyle="--", linewidth=1.2)
    ax.text(elapsed + 1, -1.1, f"{pct(ye.pct)} of year elapsed (day {ye.day} of {ye.days_in_year})",
            fontsize=8.5, va="center", ha="left")
    ax.set_ylim(-1.6, len(recs) - 0.5)
    ax.set_axisbelow(True)
    for i, r in enumerate(recs):
        word = "all areas" if r["is_total"] else f"{STATUS_SYMBOLS.get(r['status'], '')} {r['status']}"
        ax.text(values[i] + 1, i, f"{pct(r['pct_spent'])}  {word}", va="center", fontsize=8.5,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1})
    ax.set_xlim(0, 150)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(f"% of the {ye.fy_label} allocation spent as at {ye.as_at:%d/%m/%Y}")
    ax.grid(axis="x", color="#E5E5E5")
    ax.grid(axis="y", visible=False)
    return style.finish(fig, title or default_title(pos), subtitle, source)
