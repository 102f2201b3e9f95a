"""Chart helpers: one function per chart type, used by every notebook.

Style follows the UK Government Analysis Function guidance on charts: an accessible
categorical palette, titles that state the finding, direct labels over legends where they
fit, and RAG never shown by colour alone (a word or symbol always goes with it).
Each chart type lives in its own module here; ``style`` holds the palette and defaults.
"""

from pcp_lib.display.charts.style import (
    PALETTE,
    RAG_COLOURS,
    RAG_SYMBOLS,
    apply_style,
    finish,
    new_figure,
    rag_label,
)

__all__ = ["PALETTE", "RAG_COLOURS", "RAG_SYMBOLS", "apply_style", "finish", "new_figure", "rag_label"]
