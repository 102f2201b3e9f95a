"""Population of the nine LLR local authorities: the denominator of every rate per 1,000.

One loader, used by the dashboard (LLR rates) and by crime (rates by area). The basis (which
year's estimate, from whom) travels with the figures and is named wherever a rate is shown.
"""

from __future__ import annotations

from pathlib import Path

from pcp_lib.io.datastore import reference_path
from pcp_lib.io.schema import Column, Schema, read_table

__all__ = ["POPULATION", "llr_population", "populations"]

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


def populations(data_dir: str | Path | None = None) -> tuple[dict[str, int], str]:
    """Population of each LLR local authority, and the basis they rest on."""
    df = read_table(reference_path("population.csv", data_dir), POPULATION)
    basis = "; ".join(sorted(set(df["basis"])))
    return {str(k): int(v) for k, v in zip(df["local_authority"], df["population"], strict=True)}, basis


def llr_population(data_dir: str | Path | None = None) -> tuple[int, str]:
    """LLR's population (sum of its nine local authorities) and its basis."""
    by_area, basis = populations(data_dir)
    return sum(by_area.values()), basis
