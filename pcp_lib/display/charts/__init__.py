"""Chart helpers: one function per chart type, used by every notebook.

Style follows the UK Government Analysis Function guidance on charts: an accessible
categorical palette, titles that state the finding, direct labels over legends where they
fit, and RAG never shown by colour alone (a word or symbol always goes with it).
Each chart type lives in its own module here; ``style`` holds the style, which applies only
inside ``pcp_style()`` (matplotlib's global settings are never changed), and
:mod:`pcp_lib.display.palette` the colours and symbols. Import the module you need: this
package imports none of them, so code that only needs the chart cache's settings
(:mod:`~pcp_lib.display.charts.imagecache`) does not load pyplot through it.
"""
