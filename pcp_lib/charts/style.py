"""Palette, fonts and finishing touches shared by every chart.

The categorical palette is the Analysis Function's accessible one (dark blue, turquoise,
dark pink, orange, dark grey, light purple), in that order. RAG colours are chosen to
stay distinguishable for the common colour-vision deficiencies *and* every RAG mark
carries its word or symbol, so nothing relies on colour alone.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

# Analysis Function categorical palette (gss "Colours" guidance, accessible order).
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE = PALETTE
LIGHT_GREY = "#BFBFBF"

RAG_COLOURS = {
    "Green": "#28A197",  # turquoise rather than pure green: readable with red-green deficiency
    "Amber": "#F46A25",
    "Red": "#801650",
    "No data": "#BFBFBF",
    "Restricted": "#3D3D3D",
}
RAG_SYMBOLS = {"Green": "✔", "Amber": "●", "Red": "✖", "No data": "–", "Restricted": "■"}
RAG_ORDER = ["Green", "Amber", "Red", "No data"]


def rag_label(rag: str) -> str:
    """"✖ Red": the symbol and the word, so RAG never rests on colour alone."""
    return f"{RAG_SYMBOLS.get(rag, '')} {rag}".strip()


def apply_style() -> None:
    """Matplotlib defaults for the pack: plain, readable, deterministic output."""
    plt.rcParams.update({
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "font.size": 10,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": plt.cycler(color=PALETTE),
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": "#E5E5E5",
        "legend.frameon": False,
        "svg.hashsalt": "pcp",
        "path.simplify": True,
    })


def new_figure(width: float = 8.0, height: float = 4.0, ncols: int = 1, nrows: int = 1,
               **kwargs) -> tuple[Figure, Axes]:
    """A styled figure and axes."""
    apply_style()
    fig, ax = plt.subplots(nrows, ncols, figsize=(width, height), **kwargs)
    return fig, ax


def finish(fig: Figure, title: str, subtitle: str = "", source: str = "") -> Figure:
    """Title (which should state the finding), optional subtitle and a source line."""
    axes = fig.get_axes()
    if axes:
        axes[0].set_title(title, loc="left", pad=22 if subtitle else 8)
        if subtitle:
            axes[0].text(0, 1.02, subtitle, transform=axes[0].transAxes, fontsize=9, color=DARK_GREY,
                         va="bottom")
    if source:
        fig.text(0.01, 0.005, f"Source: {source}", fontsize=8, color=DARK_GREY, ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.03 if source else 0, 1, 1))
    return fig
