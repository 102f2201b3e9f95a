"""The colours and symbols of pcp's pages and charts: the Analysis Function's accessible
palette, the RAG fills, and the symbol that goes with every RAG or CSP status word.

Kept apart from the chart style (:mod:`pcp_lib.display.charts.style`, which needs
matplotlib's pyplot) because tables, the front page, the paper and the terminal dashboard use
them too, and none of those draws a chart: a module that only builds tables
(:mod:`pcp_lib.display.report`) does not load pyplot through them. (The pack run and the
``pcp`` command still do, through the subjects' page modules.)

The categorical palette is the Analysis Function's accessible one (dark blue, turquoise,
dark pink, orange, dark grey, light purple), in that order. RAG colours are chosen to
stay distinguishable for the common colour-vision deficiencies *and* every RAG mark
carries its word or symbol, so nothing relies on colour alone.
"""

from __future__ import annotations

__all__ = ["CSP_STATUS_SYMBOLS", "DARK_BLUE", "DARK_GREY", "DARK_PINK", "LIGHT_GREY", "LIGHT_PURPLE", "ORANGE",
           "PALETTE", "RAG_COLOURS", "RAG_ORDER", "RAG_SYMBOLS", "SYNTHETIC_COLOUR", "TURQUOISE", "rag_label",
           "text_on"]

# Analysis Function categorical palette (gss "Colours" guidance, accessible order).
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE = PALETTE
LIGHT_GREY = "#BFBFBF"

#: RAG fills. Besides the symbol and word every RAG carries, the fills differ in lightness, so
#: they stay apart when printed in black and white: as greys (ITU-R 601 luma, what a
#: greyscale print or PIL's "L" conversion gives) Restricted 43, Red 98, Green 151, Amber 196,
#: No data 240, at least 37 of 255 apart (tests/display/test_rag_print.py). The former fills
#: printed Green and Amber as nearly the same grey (124 and 139) and Red as Restricted (60, 61).
#: Text on each is near-black or white by ``text_on`` (at least 4.5:1).
RAG_COLOURS = {
    "Green": "#3CC0B2",  # turquoise rather than pure green: readable with red-green deficiency
    "Amber": "#FFBF47",
    "Red": "#D4351C",
    "No data": "#F0F0F0",
    "Restricted": "#2B2B2B",
}
#: the SYNTHETIC stamp and note: near-black, no RAG colour (a sample must not read as Red, or as any RAG)
SYNTHETIC_COLOUR = "#0B0C0C"
RAG_SYMBOLS = {"Green": "✔", "Amber": "●", "Red": "✖", "No data": "–", "Restricted": "■"}
RAG_ORDER = ["Green", "Amber", "Red", "No data"]

#: CSP spend status words and their symbols (printed beside every bar and table cell).
CSP_STATUS_SYMBOLS = {"no allocation": "–", "fully spent": "■", "no drawdown yet": "✖", "behind profile": "●",
                      "on profile": "✔", "ahead of profile": "▲"}


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#RRGGBB`` colour."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_on(background: str) -> str:
    """Near-black or white, whichever contrasts more with ``background`` (WCAG 2.2 AA wants
    4.5:1 for text: white on the turquoise or orange RAG fills is only about 3:1)."""
    lum = _luminance(background)
    return "#0B0C0C" if (lum + 0.05) / (_luminance("#0B0C0C") + 0.05) >= 1.05 / (lum + 0.05) else "#FFFFFF"


def rag_label(rag: str) -> str:
    """"✖ Red": the symbol and the word, so RAG never rests on colour alone."""
    return f"{RAG_SYMBOLS.get(rag, '')} {rag}".strip()
