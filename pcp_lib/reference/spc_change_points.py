"""Known change points of SPC series: where a chart's limits are recalculated, and why.

Making Data Count practice: limits are recalculated only where the process is known to have
changed (a decision, a new system, a cut in staffing), never because the data look different.
Each change point is reference data in ``data/reference/spc_change_points.csv`` with its month,
the series it applies to, the reason and the source, so adding one is a reviewed change to
data, not to code. The first is April 2025, when the 2025/26 budget cut the contact-handler
uplift from 26 to 20 funded posts (the contact rates with a target).

Series are named "<subject> <name>", e.g. "contact 999 answered_10s" (``series_name``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from pcp_lib.io.datastore import reference_path
from pcp_lib.io.schema import Column, Schema, read_table

__all__ = ["CHANGE_POINTS", "CHANGE_POINTS_FILE", "ChangePoint", "change_points", "load_change_points",
           "series_name"]

CHANGE_POINTS_FILE = "spc_change_points.csv"

CHANGE_POINTS = Schema(
    name="spc_change_points",
    title="SPC change points",
    columns=(
        Column("date", "month", "The first month of the new process (limits recalculated from it)"),
        Column("series", "text", "The series it applies to: '<subject> <name>', e.g. 'contact 999 answered_10s'"),
        Column("reason", "text", "What changed"),
        Column("source", "text", "Where the change is documented"),
    ),
    key=("date", "series"),
)


def load_change_points(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every known change point, with its provenance attached."""
    return read_table(reference_path(CHANGE_POINTS_FILE, data_dir), CHANGE_POINTS)


def series_name(subject: str, *parts: str) -> str:
    """The name a series has in the change-point table: "contact 999 answered_10s"."""
    return " ".join([subject, *parts])


@dataclass(frozen=True)
class ChangePoint:
    """One change point of a series: its first month, reason and source."""

    month: date
    reason: str
    source: str


def change_points(table: pd.DataFrame, series: str) -> list[ChangePoint]:
    """The change points of one series, in time order."""
    rows = table[table["series"] == series].sort_values("date")
    return [ChangePoint(pd.Timestamp(d).date(), str(r), str(s))
            for d, r, s in zip(rows["date"], rows["reason"], rows["source"], strict=True)]
