"""Contact demand targets: the answer-time and abandonment targets the control room is judged by.

Read from ``data/reference/contact_targets.csv`` (transcribed from the Police Contact Demand
report, with its source on every row), never typed in code. One row per channel and measure:
the threshold (seconds; blank for abandonment), whether the rate should be at least or under
the target, the target in per cent of calls offered, and whether it is national or local.
The published 101 measure (answered within 2 minutes) has no target: the local 101 target is
within 15 minutes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pcp_lib.io.datastore import reference_path
from pcp_lib.io.schema import Column, Schema, read_table

__all__ = ["TARGETS", "TARGETS_FILE", "load_targets"]

TARGETS_FILE = "contact_targets.csv"

TARGETS = Schema(
    name="contact_targets",
    title="Contact demand targets",
    columns=(
        Column("channel", "choice", "999 or 101 (online reports have no answer-time target)", choices=("999", "101")),
        Column("measure", "choice", "The rate measure (a column of the monthly contact return)",
               choices=("answered_10s", "answered_2min", "answered_15min", "abandoned")),
        Column("threshold_s", "int", "Answer-time threshold in seconds (blank for abandonment)",
               required=False, min_value=0),
        Column("direction", "choice", "at_least: the rate should be at least the target; below: under it",
               choices=("at_least", "below")),
        Column("target_pct", "percent", "Target, per cent of calls offered", min_value=0, max_value=100),
        Column("scope", "choice", "national or local target", choices=("national", "local")),
        Column("description", "text", "The target in words"),
        Column("source", "text", "Seed document, report and paragraph the target is transcribed from"),
    ),
    key=("channel", "measure"),
)


def load_targets(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The contact targets, one row per channel and measure, with their provenance attached.

    ``target_pct`` stays an exact ``Decimal`` (a rate is judged against it exactly)."""
    return read_table(reference_path(TARGETS_FILE, data_dir), TARGETS)
