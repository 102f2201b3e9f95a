"""The pack's index pages, rendered from the Jinja templates in ``templates/index/``.

``outputs/<quarter>/index.html`` links to each audience's pack; each
``outputs/<quarter>/<audience>/index.html`` gives the Plan dashboard's RAG counts at a
glance and the pages in notebook order. Everything shown is escaped by the templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.execute import NotebookRun
from pcp_lib.pack.navigation import FRONT, MARKINGS, Link, environment, navigation
from pcp_lib.subjects.dashboard.assess import assess_quarter, dashboard_quarter, for_audience, rag_counts

__all__ = ["AUDIENCE_LABELS", "audience_index", "pack_index", "plan_summary"]

#: Each audience's marking (one home: the navigation's, shown in every page's header).
AUDIENCE_LABELS = MARKINGS


def plan_summary(quarter: Quarter, data_dir: str | Path | None, audience: str) -> str:
    """A short sentence of the Plan's RAG counts for the audience's index page (the one
    place the pack reads the dashboard subject)."""
    shown = dashboard_quarter(quarter, data_dir)
    if shown is None:
        return f"No Plan metric values up to {quarter.label}."
    counts = rag_counts(for_audience(assess_quarter(shown, data_dir), audience))
    parts = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
    prefix = "" if shown == quarter else f"Latest Plan data are for {shown.label}: "
    return f"{prefix}{int(counts.sum())} headline metrics: {parts}."


def audience_index(quarter: Quarter, audience: str, pages: Sequence[NotebookRun], summary: str,
                   run_date: str) -> str:
    """One audience's index page: ``pages`` are the successful runs, in notebook order."""
    links = [Link(p["html"], p["title"]) for p in pages]
    return environment().get_template("audience.html.j2").render(
        quarter=quarter, run_date=run_date, plan_summary=summary,
        pages=pages, nav=navigation(quarter, audience, links, FRONT))


def pack_index(quarter: Quarter, audiences: Sequence[str], run_date: str) -> str:
    """The quarter's top-level index page, linking to each audience present."""
    return environment().get_template("pack.html.j2").render(
        quarter=quarter, audiences=audiences, run_date=run_date, nav=navigation(quarter, None, [], "index.html"))
