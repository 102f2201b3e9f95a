"""Chart helpers: one function per chart type, used by every notebook.

Style follows the UK Government Analysis Function guidance on charts: an accessible
categorical palette, titles that state the finding, direct labels over legends where they
fit, and RAG never shown by colour alone (a word or symbol always goes with it).
Each chart type lives in its own module here; ``style`` holds the palette and the style,
which applies only inside ``pcp_style()`` (matplotlib's global settings are never changed).
"""

from pcp_lib.display.charts.style import (
    PALETTE,
    RAG_COLOURS,
    RAG_SYMBOLS,
    finish,
    new_figure,
    pcp_style,
    rag_label,
)

__all__ = ["PALETTE", "RAG_COLOURS", "RAG_SYMBOLS", "finish", "new_figure", "pcp_style", "rag_label"]
