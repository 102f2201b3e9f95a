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

__all__ = ["DATA_USED", "REMOVE_TAG", "TEMPLATES", "clean_notebook", "data_used_last", "export_html", "notebook_title",
           "page_sections"]

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


@cache
def _exporter() -> Any:
    """One HTML exporter per process: a new one compiles its Jinja templates again (about
    0.4 s a page); an exporter keeps no state between notebooks. (nbconvert is imported here:
    only pack workers need it.) It is nbconvert's own ``HTMLExporter``, configured through
    its public options, with the pack's template."""
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
    return exporter


#: What stands in for an image's data while the page is exported (see :func:`_set_aside_images`).
_IMAGE_TOKEN = "pcp-image-{}-set-aside"


def _set_aside_images(nb: Any) -> list[tuple[dict[str, Any], str]]:
    """Replace each PNG's data in the notebook's outputs by a short token, and return where
    each was with its data (for :func:`_with_images`).

    nbconvert's exporter ends by parsing the whole page with BeautifulSoup and writing it out
    again (to add alternative text to images without any and make cells focusable); with the
    charts inlined a page is about 2 MB, mostly base64, and that pass took half of each export.
    With the images set aside it parses a tenth of that; they are put back afterwards."""
    found: list[tuple[dict[str, Any], str]] = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if isinstance(data.get("image/png"), str):
                found.append((data, data["image/png"]))
                data["image/png"] = _IMAGE_TOKEN.format(len(found) - 1)
    return found


def _with_images(page: str, images: list[tuple[dict[str, Any], str]]) -> str:
    """``page`` with each image's data in place of its token (an image in a cell the page
    leaves out has none there), as the template writes it (HTML-escaped)."""
    for i, (_, png) in enumerate(images):
        page = page.replace(f"base64,{_IMAGE_TOKEN.format(i)}\"", f"base64,{html.escape(png)}\"", 1)
    return page


#: The list of a page's inputs (report.title_block), and the label above it in JupyterLab.
_DATA_USED = re.compile(r'<div class="pcp-data-used">(.*?)</div>', re.DOTALL)
_DATA_LABEL = re.compile(r'<p class="pcp-data-label">.*?</p>', re.DOTALL)
DATA_USED = "Data used"


def data_used_last(page: str) -> str:
    """``page`` with the list of its inputs (files, kinds, dates) moved from under its title
    to a "Data used" section at the end of its content: a reader meets the page's question
    and findings first, and the plumbing last. A page without the list is returned as it is."""
    found = _DATA_USED.search(page)
    if found is None or "</main>" not in page:
        return page
    body = _DATA_LABEL.sub("", found.group(1), count=1)
    anchor = DATA_USED.replace(" ", "-")
    section = (f'<section class="pcp-data-used-section"><h2 id="{anchor}">{DATA_USED}<a class="anchor-link" '
               f'href="#{anchor}">¶</a></h2><div class="pcp-data-used">{body}</div></section>\n')
    page = page[:found.start()] + page[found.end():]
    at = page.rindex("</main>")
    return page[:at] + section + page[at:]


def export_html(nb: Any, title: str, nav: dict[str, Any] | None = None) -> str:
    """The notebook as self-contained HTML with every code cell's input hidden and cells
    tagged ``remove_cell`` dropped, styled by the pack's stylesheet. ``nav`` (from
    :func:`pcp_lib.pack.navigation.navigation`) adds the pack's header and foot; without it
    (a page exported on its own) there are none."""
    exporter = _exporter()
    nb.metadata["title"] = title
    images = _set_aside_images(nb)
    try:
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}, "pcp_css": stylesheet()})
    finally:  # the notebook as it was
        for data, png in images:
            data["image/png"] = png
    page = data_used_last(_with_images(str(body), images))
    header = header_html(nav, page_sections(page)) if nav else ""
    footer = footer_html(nav) if nav else ""
    return page.replace("<!--pcp:header-->", header, 1).replace("<!--pcp:footer-->", footer, 1)
