"""The local authorities of each police force area (``data/reference/police_force_districts.csv``).

Why a reference list: a police.uk street-level file puts every crime a force records under that
force, including crimes located in a neighbouring force's districts (Leicestershire Police rows
in Coventry or Nottingham). Counting a district's crimes needs to know which districts are the
force's own; the rest keep a blank district so the force total stays whole.
"""

from __future__ import annotations

from pathlib import Path

from pcp_lib.io.datastore import reference_path
from pcp_lib.io.schema import Column, Schema, read_table

__all__ = ["FORCE_DISTRICTS", "FORCE_DISTRICTS_FILE", "load_force_districts"]

FORCE_DISTRICTS_FILE = "police_force_districts.csv"

FORCE_DISTRICTS = Schema(
    name="police_force_districts",
    title="local authorities of each police force area",
    columns=(
        Column("force", "text"),
        Column("local_authority", "text"),
        Column("la_code", "text"),
        Column("source", "text"),
    ),
    key=("force", "local_authority"),
)


def load_force_districts(data_dir: str | Path | None = None) -> dict[str, set[str]]:
    """The local authorities of each police force area, by force name.

    A missing or malformed reference file is a ``DataError`` naming it (never an empty list:
    that would silently change which crimes count for a district)."""
    df = read_table(reference_path(FORCE_DISTRICTS_FILE, data_dir), FORCE_DISTRICTS)
    out: dict[str, set[str]] = {}
    for force, la in zip(df["force"], df["local_authority"], strict=True):
        out.setdefault(str(force), set()).add(str(la))
    return out
