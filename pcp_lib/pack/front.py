"""The front page of each audience's pack: the quarter at a glance, readable in two minutes.

``outputs/<quarter>/<audience>/index.html`` shows the Plan's RAG counts (symbol and word,
never colour alone), the Red metrics with their one-line reasons, then each page's two or
three most important findings, each linked to the section that shows it and saying what it
rests on (published, the OPCC's paper, a named return, SYNTHETIC sample, police.uk) and its period;
findings from SYNTHETIC samples are grouped under their own heading, apart from the real ones.

Nothing here is typed: the counts and Red metrics come from the dashboard's own context, and
each page's findings from its ``findings(ctx)`` (``pcp_lib.subjects.<subject>.page``),
computed by the same functions as its sections: in the pack run, by the page's own run
(:mod:`pcp_lib.pack.findings`), so the front page need not load every subject's data again.
The public page is built from the public view of the dashboard, so it holds no restricted
value; the restricted page adds what the public one withholds, and says so. Which subject a notebook shows is read from the notebook
itself (its ``from pcp_lib.subjects.<subject> import page`` line), so there is no list of
notebooks to keep.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.display.charts.style import rag_label
from pcp_lib.display.page import Finding, anchor, basis_of, heading_of
from pcp_lib.io.completeness import partial_banner, quarter_gaps
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.execute import NotebookRun
from pcp_lib.pack.findings import from_records
from pcp_lib.pack.index import AUDIENCE_LABELS
from pcp_lib.pack.navigation import FRONT, FRONT_TITLE, Link, environment, navigation
from pcp_lib.pack.reads import start as start_reads
from pcp_lib.pack.reads import stop as stop_reads
from pcp_lib.pack.returns import all_returns
from pcp_lib.pack.subjects import SUBJECT_PAGES
from pcp_lib.subjects.dashboard import assess
from pcp_lib.subjects.dashboard import page as dashboard_page

__all__ = ["SUBJECT_PAGES", "FrontPage", "PageFindings", "RedMetric", "build_front", "front_html", "front_job",
           "render_front",
           "subject_of"]

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
    def label(self) -> str:
        return AUDIENCE_LABELS[self.audience]

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


def build_front(quarter: Quarter | str, audience: str, pages: Sequence[NotebookRun], notebooks_dir: str | Path,
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
        subject = subject_of(Path(notebooks_dir) / run["notebook"])
        if subject == "dashboard" and dash_html is None:
            dash_html = run["html"]
        if run["html"] in given:
            findings = list(given[run["html"]])
        elif subject is None:  # a page that follows no subject page: listed, with no findings
            findings = []
        else:
            module = SUBJECT_PAGES[subject]
            findings = module.findings(dash if subject == "dashboard" else module.load(q.label, data_dir, audience))
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


def render_front(front: FrontPage, run_date: str, nav: dict[str, Any] | None = None) -> str:
    """The front page as HTML (``templates/index/front.html.j2``; everything escaped), inside the
    pack's header and foot ``nav`` (:func:`pcp_lib.pack.navigation.navigation`)."""
    nav = nav if nav is not None else navigation(front.quarter, front.audience, [], FRONT)
    return environment().get_template("front.html.j2").render(front=front, quarter=front.quarter,
                                                              run_date=run_date, nav=nav)


def front_html(quarter: Quarter | str, audience: str, pages: Sequence[NotebookRun], notebooks_dir: str | Path,
               data_dir: str | Path | None, run_date: str, given: Mapping[str, list[Finding]] | None = None) -> str:
    """Build and render the front page in one call (for the pack run)."""
    front = build_front(quarter, audience, pages, notebooks_dir, data_dir, given)
    links = [Link(p["html"], p["title"]) for p in pages]
    return render_front(front, run_date, navigation(front.quarter, audience, links, FRONT))


def front_job(quarter_text: str, audience: str, pages: Sequence[NotebookRun], notebooks_dir: str,
              data_dir: str, run_date: str, work_dir: str,
              given: Mapping[str, list[dict[str, Any]]] | None = None) -> NotebookRun:
    """Build the front page in a pack worker, beside the notebooks (it needs only the pages'
    titles, known before they run, and the data), and write it to
    ``work_dir/<audience>/index.html``, recording the data files it reads
    (:mod:`pcp_lib.pack.reads`). ``given`` are the findings the pages' own runs computed
    (by page, as records: :mod:`pcp_lib.pack.findings`); a page without them has its
    findings computed here. Never raises: a failure is returned for the run to report."""
    started = time.perf_counter()
    start_reads([data_dir])
    try:
        text = front_html(quarter_text, audience, pages, notebooks_dir, data_dir, run_date,
                          {html: from_records(records) for html, records in (given or {}).items()})
    except Exception as exc:  # reported with the page's name, like a failed notebook
        stop_reads()
        return {"ok": False, "notebook": FRONT, "audience": audience, "cell": None,
                "error": f"{type(exc).__name__}: {exc}", "executed": None}
    reads = stop_reads()
    out = Path(work_dir) / audience
    out.mkdir(parents=True, exist_ok=True)
    (out / FRONT).write_text(text, encoding="utf-8")
    return {"ok": True, "notebook": FRONT, "audience": audience, "title": FRONT_TITLE, "html": FRONT,
            "seconds": round(time.perf_counter() - started, 2), "reads": reads, "reused": False}
