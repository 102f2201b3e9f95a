"""Where each allocation ends the year at its current run rate: spent, still to spend,
projected unspent, as stacked bars in pounds.

Why pounds rather than shares: an underspend matters by its size; a small area that is
far behind may leave less unspent than a large one slightly behind.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from matplotlib.figure import Figure

from pcp_lib.display.charts.style import DARK_BLUE, ORANGE, TURQUOISE, finish, new_figure, styled
from pcp_lib.methods.units import fmt_money

__all__ = ["default_title", "projection_bars"]


def default_title(pos: pd.DataFrame) -> str:
    """The finding: the projected underspend in total at year end."""

    ye = pos.attrs["year"]
    total = pos.loc[pos["is_total"]].to_dict("records")[0]
    if total["projected_underspend"] == 0:
        return f"At current run rates every CSP would spend its allocation by {ye.year_end:%d/%m/%Y}"
    return (f"At current run rates {fmt_money(total['projected_underspend'])} would be left unspent at "
            f"{ye.year_end:%d/%m/%Y}")


@styled
def projection_bars(pos: pd.DataFrame, labels: dict[str, str] | None = None, title: str | None = None,
                    subtitle: str = "", source: str = "") -> Figure:
    """One bar per area (not the total: it would dwarf the rest): expenditure to date,
    projected further spend to year end and projected underspend, adding up to the
    allocation; the underspend is hatched and labelled in £."""

    labels = labels or {}
    ye = pos.attrs["year"]
    recs = pos.loc[~pos["is_total"]].to_dict("records")[::-1]
    names = [labels.get(r["csp_area"], r["csp_area"]) for r in recs]
    spent = [float(r["expenditure"]) / 1000 for r in recs]
    further = [float(r["projected_year_end"] - r["expenditure"]) / 1000 for r in recs]
    under = [float(r["projected_underspend"]) / 1000 for r in recs]
    fig, ax = new_figure(9, 0.45 * len(recs) + 1.9)
    ax.barh(names, spent, color=DARK_BLUE, label=f"Spent to {ye.as_at:%d/%m/%Y}")
    ax.barh(names, further, left=spent, color=TURQUOISE, label=f"Projected further spend to {ye.year_end:%d/%m/%Y}")
    left = [a + b for a, b in zip(spent, further, strict=True)]
    ax.barh(names, under, left=left, color="white", edgecolor=ORANGE, hatch="///",
            label="Projected underspend (hatched)")
    for i, r in enumerate(recs):
        end = left[i] + under[i]
        text = (f"unspent {fmt_money(r['projected_underspend'])}" if r["projected_underspend"] > Decimal(0)
                else "fully used")
        ax.text(end + 3, i, text, va="center", fontsize=8.5)
    ax.set_xlim(0, max(left[i] + under[i] for i in range(len(recs))) * 1.45)
    ax.set_xlabel(f"£ thousand of the {ye.fy_label} allocation")
    ax.grid(axis="x", color="#E5E5E5")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize=8.5)
    return finish(fig, title or default_title(pos), subtitle, source)
