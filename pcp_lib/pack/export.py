"""An executed notebook as one self-contained, deterministic HTML page of the pack.

Exports are deterministic (cell ids normalised, papermill timings dropped) so two runs on
the same inputs give byte-identical HTML. Code is hidden, cells tagged ``remove_cell`` are
dropped, and the ``pcp`` nbconvert template (``templates/pcp``) carries no outside web
addresses, so a page opens offline.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

__all__ = ["REMOVE_TAG", "TEMPLATES", "clean_notebook", "export_html", "notebook_title"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Cells with this tag are left out of the exported page.
REMOVE_TAG = "remove_cell"


def clean_notebook(nb: Any) -> None:
    """Make an executed notebook deterministic and safe to share: stable cell ids, no
    papermill timings or paths, no stderr streams (warnings can carry local paths)."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]


def notebook_title(nb: Any, fallback: str) -> str:
    """The first markdown heading of the notebook (the page's title in the index)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE)
            if m:
                return m.group(1).strip()
    return fallback


def export_html(nb: Any, title: str) -> str:
    """The notebook as self-contained HTML with every code cell's input hidden and cells
    tagged ``remove_cell`` dropped. (nbconvert is imported here: only pack workers need it.)"""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.remove_cell_tags = {REMOVE_TAG}
    c.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=c, template_name="pcp", extra_template_basedirs=[str(TEMPLATES)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return str(body)
