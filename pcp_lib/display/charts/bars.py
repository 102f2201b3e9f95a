"""Bar charts: stacked horizontal bars of RAG by group, and cumulative progress bars."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from pcp_lib.display.charts.style import (
    DARK_BLUE,
    LIGHT_GREY,
    RAG_COLOURS,
    RAG_SYMBOLS,
    finish,
    new_figure,
    styled,
    text_on,
)
from pcp_lib.methods.units import fmt_count, fmt_percent, percent_of

__all__ = ["progress_bars", "rag_stacked_bars", "segment_label"]

NO_DATA = "No data"


def segment_label(rag: str, n: int) -> str:
    """The text on a bar segment: symbol and count ("✔3"), so the chart reads without colour.
    No data's symbol is a dash, which next to a count reads as a minus ("–1"): its segments
    say "1 no data" instead."""
    if rag == NO_DATA:
        return f"{fmt_count(n)} no data"
    return f"{RAG_SYMBOLS.get(rag, '')}{fmt_count(n)}"


@styled
def rag_stacked_bars(counts: pd.DataFrame, title: str, subtitle: str = "", source: str = "") -> Figure:
    """One horizontal bar per group (row), stacked by RAG (columns), each segment labelled
    with its symbol and count so the chart reads without colour."""
    groups = list(counts.index)[::-1]
    fig, ax = new_figure(8.5, 0.42 * len(groups) + 1.6)
    left = pd.Series(0, index=counts.index, dtype="int64")
    for rag in counts.columns:
        vals = counts[rag]
        bars = ax.barh(groups, [vals[g] for g in groups], left=[left[g] for g in groups],
                       color=RAG_COLOURS.get(rag, LIGHT_GREY), edgecolor="#0B0C0C", linewidth=0.6,
                       label=f"{RAG_SYMBOLS.get(rag, '')} {rag}")
        for bar, g in zip(bars, groups, strict=True):
            if vals[g]:
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                        segment_label(rag, vals[g]), ha="center", va="center",
                        color=text_on(RAG_COLOURS.get(rag, LIGHT_GREY)), fontsize=9)
        left = left + vals
    ax.set_xlabel("Number of headline metrics")
    ax.grid(axis="x", color="#E5E5E5")
    ax.grid(axis="y", visible=False)
    ax.legend(fontsize=9)  # put under the axes' labels by ``finish`` (style.legends_below)
    return finish(fig, title, subtitle, source)


@styled
def progress_bars(quarters: list[str], in_quarter: list[int], to_date: list[int], total: int,
                  title: str, subtitle: str = "", source: str = "") -> Figure:
    """Cumulative completions by quarter against the total, with the quarter's own completions
    labelled."""
    fig, ax = new_figure(8, 3.6)
    ax.bar(quarters, [total] * len(quarters), color="#EEEEEE", label=f"All actions ({total})")
    ax.bar(quarters, to_date, color=DARK_BLUE, label="Completed to date")
    for i, (q, c) in enumerate(zip(in_quarter, to_date, strict=True)):
        pct = fmt_percent(percent_of(c, total), 0)
        ax.text(i, c + total * 0.02, f"{fmt_count(c)} ({pct})\n+{fmt_count(q)} in quarter", ha="center",
                va="bottom", fontsize=9)
    ax.set_ylabel("Actions")
    ax.set_ylim(0, total * 1.1)
    ax.legend(loc="upper left", fontsize=9)
    return finish(fig, title, subtitle, source)
