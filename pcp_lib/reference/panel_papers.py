"""The Panel meeting each quarter's Plan Delivery Update goes to: its date, the report's date
and author, as the OPCC's papers give them.

Read from ``data/reference/panel_papers.csv`` (one row per quarter, with its source), never
typed in code. The Word paper (:mod:`pcp_lib.paper`) puts them in its masthead and metadata
table; a quarter with no row (or a data folder without the file) leaves them for the OPCC to
complete, and the paper says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from pcp_lib.io.datastore import reference_path
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.periods import Quarter

__all__ = ["PANEL_PAPERS", "PANEL_PAPERS_FILE", "PanelPaper", "load_panel_papers", "panel_paper"]

PANEL_PAPERS_FILE = "panel_papers.csv"

PANEL_PAPERS = Schema(
    name="panel_papers",
    title="Panel meetings of the Plan Delivery Update",
    columns=(
        Column("quarter", "quarter", "The quarter the update reports on, like 2025-26 Q3"),
        Column("meeting_date", "date", "The date of the Police and Crime Panel meeting it goes to"),
        Column("report_date", "date", "The report's date, as its metadata table gives it"),
        Column("author", "text", "The report's author and role"),
        Column("source", "text", "The paper the row is transcribed from"),
    ),
    key=("quarter",),
)


@dataclass(frozen=True)
class PanelPaper:
    """One quarter's meeting date, report date and author."""

    meeting_date: date
    report_date: date
    author: str


def load_panel_papers(data_dir: str | Path | None = None) -> pd.DataFrame | None:
    """The table, with its provenance attached; None when the data folder has no such file."""
    path = reference_path(PANEL_PAPERS_FILE, data_dir)
    return read_table(path, PANEL_PAPERS) if path.is_file() else None


def panel_paper(quarter: Quarter | str, data_dir: str | Path | None = None) -> PanelPaper | None:
    """The row for ``quarter`` (None when there is none)."""
    q = Quarter.parse(quarter)
    table = load_panel_papers(data_dir)
    if table is None:
        return None
    for r in table.to_dict("records"):
        if Quarter.parse(str(r["quarter"])) == q:
            return PanelPaper(meeting_date=r["meeting_date"], report_date=r["report_date"], author=str(r["author"]))
    return None
