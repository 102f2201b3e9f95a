"""Population of the nine LLR local authorities: the denominator of every rate per 1,000.

One loader, used by the dashboard (LLR rates) and by crime (rates by area). The basis (which
year's estimate, from whom) travels with the figures and is named wherever a rate is shown.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pcp_lib.io.datastore import reference_path
from pcp_lib.io.schema import Column, Schema, read_table

__all__ = ["POPULATION", "llr_population", "llr_total", "load_population", "populations"]

POPULATION = Schema(
    name="population",
    title="population reference",
    columns=(
        Column("area_code", "text"),
        Column("local_authority", "text"),
        Column("population", "int", min_value=0),
        Column("basis", "text"),
        Column("year", "int"),
        Column("source", "text"),
    ),
    key=("area_code",),
)


def load_population(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The population reference table, validated, carrying its provenance (so a page that
    turns rates into counts can name it among its inputs)."""
    return read_table(reference_path("population.csv", data_dir), POPULATION)


def populations(data_dir: str | Path | None = None) -> tuple[dict[str, int], str]:
    """Population of each LLR local authority, and the basis they rest on."""
    df = load_population(data_dir)
    return {str(k): int(v) for k, v in zip(df["local_authority"], df["population"], strict=True)}, _basis(df)


def _basis(table: pd.DataFrame) -> str:
    return "; ".join(sorted(set(table["basis"])))


def llr_total(table: pd.DataFrame) -> tuple[int, str]:
    """LLR's population (sum of its nine local authorities) and its basis, from a table
    already loaded with :func:`load_population`."""
    return int(table["population"].sum()), _basis(table)


def llr_population(data_dir: str | Path | None = None) -> tuple[int, str]:
    """LLR's population (sum of its nine local authorities) and its basis."""
    return llr_total(load_population(data_dir))
