"""What the public may see of each Plan metric, quarter by quarter.

The OPCC decides each quarter what the public paper shows of a metric: its values
("published"), only whether it moved the way the Plan wants ("direction only": the Panel
minutes, 004_2d2b44c158357b88.txt point iii, record two metrics shown so), or nothing
("withheld"). The register's ``restricted`` column is the default (Y: withheld, else
published); ``data/reference/disclosure.csv`` records each quarter where the OPCC did
otherwise, with the paper that shows it (the Q3 2025/26 paper, 000_5c38b58c372c3f4f.txt
Appendix 1, publishes serial 7). A new decision is a row of data, not a change to code.

A metric with no value at all in a quarter has nothing to withhold: it reads "No data".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pcp_lib.io.datastore import reference_path
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.periods import Quarter

__all__ = ["DIRECTION_ONLY", "DISCLOSURE", "DISCLOSURES", "DISCLOSURE_FILE", "PUBLISHED", "WITHHELD",
           "default_level", "disclosure_levels", "load_disclosure"]

PUBLISHED = "published"
DIRECTION_ONLY = "direction only"
WITHHELD = "withheld"
DISCLOSURES = (PUBLISHED, DIRECTION_ONLY, WITHHELD)
DISCLOSURE_FILE = "disclosure.csv"

DISCLOSURE = Schema(
    name="disclosure",
    title="disclosure by quarter",
    columns=(
        Column("quarter", "quarter", 'The quarter of the public paper ("2025-26 Q3")'),
        Column("serial", "int", "Metric serial number (see the register)", min_value=1),
        Column("disclosure", "choice", "What the public paper shows: " + ", ".join(DISCLOSURES),
               choices=DISCLOSURES, aliases=(("direction", DIRECTION_ONLY), ("direction_only", DIRECTION_ONLY))),
        Column("source", "text", "The paper (or decision) that shows it"),
    ),
    key=("quarter", "serial"),
    description="One row per metric and quarter whose public disclosure differs from the register's default.",
)


def load_disclosure(data_dir: str | Path | None = None) -> pd.DataFrame | None:
    """The per-quarter decisions (None when the data folder has no ``disclosure.csv``: the
    register's defaults then apply in every quarter)."""
    path = reference_path(DISCLOSURE_FILE, data_dir)
    return read_table(path, DISCLOSURE) if path.exists() else None


def default_level(restricted: object) -> str:
    """The register's default: a restricted metric is withheld, any other published."""
    return WITHHELD if bool(restricted) else PUBLISHED


def disclosure_levels(register: pd.DataFrame, quarter: Quarter | str, table: pd.DataFrame | None
                      ) -> dict[int, tuple[str, str]]:
    """Every serial of the register with (level, why) for ``quarter``: the decision recorded
    for that quarter in ``table`` with its source, else the register's default."""
    q = Quarter.parse(quarter)
    out = {int(r["serial"]): (default_level(r["restricted"]),
                              "the register's default (restricted)" if r["restricted"] else "the register's default")
           for r in register.to_dict("records")}
    if table is not None:
        for r in table.to_dict("records"):
            if Quarter.parse(str(r["quarter"])) == q and int(r["serial"]) in out:
                out[int(r["serial"])] = (str(r["disclosure"]), str(r["source"]))
    return out
