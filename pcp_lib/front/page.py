"""The front page of each audience's pack: the quarter at a glance, readable in two minutes.

``outputs/<quarter>/<audience>/index.html`` shows the Plan's RAG counts (symbol and word,
never colour alone), the Red metrics with their one-line reasons, then each page's two or
three most important findings, each linked to the section that shows it and saying what it
rests on (published, the OPCC's paper, a named return, SYNTHETIC sample, police.uk) and its period;
findings from SYNTHETIC samples are grouped under their own heading, apart from the real ones.

Nothing here is typed: the counts and Red metrics come from the dashboard's own context, and
each page's findings from its subject's ``findings(ctx)``, found through the subjects'
registry (:mod:`pcp_lib.subjects.registry`) and computed by the same functions as its
sections: in the pack run, by the page's own run (:mod:`pcp_lib.pack.findings`), so the
front page need not load every subject's data again. The public page is built from the
public view of the dashboard, so it holds no restricted value; the restricted page adds what
the public one withholds, and says so. Which subject a notebook shows is the registry's
(by the notebook's file name), or, for a draft notebook, read from its
``from pcp_lib.subjects.<subject> import page`` line; a page of no registered subject is
listed with no findings. This module builds the page as plain data (:class:`FrontPage`);
:mod:`pcp_lib.pack.front` lays it out and publishes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.display.charts.style import rag_label
from pcp_lib.display.page import Finding, anchor, basis_of, heading_of
from pcp_lib.io.completeness import partial_banner, quarter_gaps
from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects.dashboard import assess
from pcp_lib.subjects.dashboard import page as dashboard_page
from pcp_lib.subjects.registry import Subject, all_returns, subject_named, subject_of_notebook

__all__ = ["FrontPage", "PageFindings", "RedMetric", "build_front", "subject_of", "subject_of_page"]

_IMPORT = re.compile(r"from\s+pcp_lib\.subjects\.(\w+)\s+import\s+page\b")


@dataclass(frozen=True)
class RedMetric:
    """A Red metric as the front page lists it: serial, name, one-line reason, and whether it
    is restricted (shown only on the restricted page)."""

    serial: str
    metric: str
    reason: str
    restricted: bool


@dataclass(frozen=True)
class PageFindings:
    """One page of the pack and its findings, in notebook order."""

    title: str
    html: str
    findings: list[Finding]


@dataclass
class FrontPage:
    """Everything the front page shows (plain data: the template only lays it out).

    ``shown`` is the quarter of the Plan metric values (None when there are none up to the
    quarter); ``summary`` the dashboard's opening sentence; ``counts`` (RAG label with its
    symbol, number) in RAG order; ``withheld`` the sentence on what the public page withholds
    (public) or what the restricted page adds (restricted); ``partial`` the PARTIAL banner
    naming every return the quarter lacks (None when it is whole)."""

    quarter: Quarter
    audience: str
    shown: Quarter | None
    summary: str
    counts: list[tuple[str, int]] = field(default_factory=list)
    counts_basis: str = ""
    reds: list[RedMetric] = field(default_factory=list)
    withheld: str = ""
    dashboard_html: str | None = None
    pages: list[PageFindings] = field(default_factory=list)
    partial: str | None = None

    @property
    def red_anchor(self) -> str:
        """The anchor of the dashboard's Red metrics section."""
        return anchor(heading_of(dashboard_page.SECTIONS, dashboard_page.red_metrics))


def subject_of(notebook: str | Path) -> str | None:
    """The subject a notebook shows, from its ``from pcp_lib.subjects.<subject> import page``
    line (None for a notebook that follows no page, e.g. a draft)."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        found = _IMPORT.search(source if isinstance(source, str) else "".join(source))
        if cell.get("cell_type") == "code" and found:
            return found.group(1)
    return None


def _withheld(assessed: pd.DataFrame, audience: str) -> str:
    """What the public page withholds, said on both pages (naming the metrics, which the
    public dashboard also names, never their values)."""
    restricted = assessed[assessed["restricted"].astype(bool)]
    if restricted.empty:
        return ""
    names = "; ".join(f"serial {r['serial']}, {r['metric']}" for r in restricted.to_dict("records"))
    n = len(restricted)
    if audience == "public":
        return (f"{n} metrics are restricted ({names}): their values, RAG and reasons are withheld from this public "
                "pack and counted as ■ Restricted.")
    return (f"RESTRICTED: this page adds what the public one withholds: the values, RAG and reasons of {n} restricted "
            f"metrics ({names}), counted above and listed below when Red.")


def subject_of_page(notebook: str | Path) -> Subject | None:
    """The registered subject a notebook shows: the registry's, by the notebook's file name,
    or else the one its import line names (:func:`subject_of`); None for neither."""
    return subject_of_notebook(notebook) or subject_named(subject_of(notebook))


def build_front(quarter: Quarter | str, audience: str, pages: Sequence[Mapping[str, Any]], notebooks_dir: str | Path,
                data_dir: str | Path | None = None,
                given: Mapping[str, list[Finding]] | None = None) -> FrontPage:
    """The front page of ``audience``'s pack: ``pages`` are the successful runs in notebook
    order (their notebooks in ``notebooks_dir``); each is listed, and each whose notebook
    follows a subject page gives its findings: from ``given`` (by page, as its own run
    computed them: :mod:`pcp_lib.pack.findings`) or else computed here from the data."""
    q = Quarter.parse(quarter)
    given = given or {}
    dash = dashboard_page.load(q.label, data_dir, audience)  # its RAG counts and Red metrics, always
    found = []
    dash_html = None
    for run in pages:
        subject = subject_of_page(Path(notebooks_dir) / run["notebook"])
        if subject is not None and subject.page is dashboard_page and dash_html is None:
            dash_html = run["html"]
        if run["html"] in given:
            findings = list(given[run["html"]])
        elif subject is None:  # a page of no registered subject: listed, with no findings
            findings = []
        else:
            findings = subject.findings(dash if subject.page is dashboard_page
                                        else subject.load(q.label, data_dir, audience))
        found.append(PageFindings(title=run["title"], html=run["html"], findings=findings))
    partial = partial_banner(q, quarter_gaps(list(all_returns().values()), q, data_dir), dash.shown)
    if dash.table is None or dash.shown is None or dash.assessed is None:
        return FrontPage(quarter=q, audience=audience, shown=None, summary=dash.coverage[0], pages=found,
                         dashboard_html=dash_html, partial=partial)
    table = dash.table
    counts = assess.rag_counts(table)
    reds = table[table["rag"] == "Red"]
    summary = assess.headline_summary(table, dash.shown.label)[0]
    if dash.shown != q:
        summary = f"The latest Plan metric values are for {dash.shown.label}. {summary}"
    return FrontPage(
        quarter=q, audience=audience, shown=dash.shown, summary=summary,
        counts=[(rag_label(k), int(v)) for k, v in counts.items()],
        counts_basis=f"{basis_of([dash.inputs['metric_values']])}, {dash.shown.label}",
        reds=[RedMetric(str(r["serial"]), str(r["metric"]), str(r["reason"]), bool(r["restricted"]))
              for r in reds.to_dict("records")],
        withheld=_withheld(dash.assessed, audience), dashboard_html=dash_html, pages=found, partial=partial)


