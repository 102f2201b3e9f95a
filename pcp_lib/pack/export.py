"""An executed notebook as one self-contained, deterministic HTML page of the pack.

Exports are deterministic (cell ids normalised, papermill timings dropped) so two runs on
the same inputs give byte-identical HTML. Code is hidden, cells tagged ``remove_cell`` are
dropped, and the ``pcp`` nbconvert template (``templates/pcp``) carries no outside web
addresses, so a page opens offline. Every page carries the pack's one stylesheet and, in
the pack, the header and foot of :mod:`pcp_lib.pack.navigation` (title, quarter, marking,
links to every page, the page's own contents; previous and next).
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

from pcp_lib.pack.navigation import TEMPLATES, footer_html, header_html, stylesheet

__all__ = ["REMOVE_TAG", "TEMPLATES", "clean_notebook", "export_html", "notebook_title", "page_sections"]

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


#: A section heading as nbconvert writes a notebook's ``## heading``: its anchor id, its text.
_SECTION = re.compile(r'<h2 id="([^"]+)">(.*?)<a class="anchor-link"', re.DOTALL)


def page_sections(body: str) -> list[tuple[str, str]]:
    """The (anchor id, heading text) of every ``##`` heading of an exported page, in order:
    the page's own contents, linked to the anchors nbconvert gave the headings."""
    return [(html.unescape(anchor), html.unescape(re.sub(r"<[^>]+>", "", text)).strip())
            for anchor, text in _SECTION.findall(body)]


#: The start tags nbconvert's HTML exporter makes focusable (tabindex): cells and output areas.
_OUTPUT_AREA = re.compile(r'(<div class="(?:jp-Cell-inputWrapper|[^"]*\bjp-OutputArea-output\b[^"]*)")')


@cache
def _exporter() -> Any:
    """One HTML exporter per process: a new one compiles its Jinja templates again (about
    0.4 s a page); an exporter keeps no state between notebooks. (nbconvert is imported here:
    only pack workers need it.)

    It is nbconvert's ``HTMLExporter`` less its last pass, which parses the whole page (about
    2 MB with its images) with BeautifulSoup and writes it out again, to add alternative text
    to images that have none and ``tabindex="0"`` to every cell and output area (so a reader
    can scroll a wide table from the keyboard): a third of each export. The pack's template writes the
    alternative text of every image itself; the tabindex is added here with a regular
    expression.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    class PackExporter(HTMLExporter):
        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> Any:
            # as HTMLExporter.from_notebook_node (nbconvert 7), up to its BeautifulSoup pass
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _OUTPUT_AREA.sub(r'\1 tabindex="0"', page), resources

    c = Config()
    c.TagRemovePreprocessor.remove_cell_tags = {REMOVE_TAG}
    c.TagRemovePreprocessor.enabled = True
    exporter = PackExporter(config=c, template_name="pcp", extra_template_basedirs=[str(TEMPLATES)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
    return exporter


def export_html(nb: Any, title: str, nav: dict[str, Any] | None = None) -> str:
    """The notebook as self-contained HTML with every code cell's input hidden and cells
    tagged ``remove_cell`` dropped, styled by the pack's stylesheet. ``nav`` (from
    :func:`pcp_lib.pack.navigation.navigation`) adds the pack's header and foot; without it
    (a page exported on its own) there are none."""
    exporter = _exporter()
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}, "pcp_css": stylesheet()})
    page = str(body)
    header = header_html(nav, page_sections(page)) if nav else ""
    footer = footer_html(nav) if nav else ""
    return page.replace("<!--pcp:header-->", header, 1).replace("<!--pcp:footer-->", footer, 1)
