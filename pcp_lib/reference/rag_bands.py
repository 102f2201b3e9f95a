"""The agreed RAG bands: how far a metric may move from its baseline and still be "within range".

Read from ``data/reference/rag_bands.csv`` (one row per numeric unit: the band, whether it is in
percentage points or a relative per cent, and the paper it is transcribed from), so the numbers
of the rule have one home. The RAG rule (``pcp_lib.methods.rag``), its reasons, the statistical
notes and the method text all take the band from here; a metric's own tolerance stays in the
register (``metrics.csv``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import DataError, Problem
from pcp_lib.io.datastore import reference_path
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.rag import BAND_KINDS, UNITS, Band, Bands

__all__ = ["BANDS", "BANDS_FILE", "bands_of", "load_band_table", "load_bands"]

BANDS_FILE = "rag_bands.csv"

BANDS = Schema(
    name="rag_bands",
    title="Agreed RAG bands",
    columns=(
        Column("unit", "choice", "The metric unit the band applies to", choices=tuple(u for u in UNITS if u != "yes_no")),
        Column("band", "decimal", "The agreed range either side of the baseline", min_value=0),
        Column("band_unit", "choice", "pp: an absolute change in percentage points; %: a relative change",
               choices=BAND_KINDS),
        Column("description", "text", "The band in words"),
        Column("source", "text", "Where the band is agreed"),
    ),
    key=("unit",),
)


def load_band_table(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The band file as a table, with its provenance attached."""
    return read_table(reference_path(BANDS_FILE, data_dir), BANDS)


def bands_of(table: pd.DataFrame) -> Bands:
    """The bands for the rule; every numeric unit must have one (a clear error names the missing)."""
    missing = [u for u in UNITS if u != "yes_no" and u not in set(table["unit"])]
    if missing:
        raise DataError(Problem(file=BANDS_FILE, column="unit", expected="a row for every numeric unit",
                                got=f"no row for {', '.join(missing)}"))
    return Bands({str(u): Band(b, str(k)) for u, b, k in zip(table["unit"], table["band"], table["band_unit"],
                                                             strict=True)})


def load_bands(data_dir: str | Path | None = None) -> Bands:
    """The agreed bands, read from reference data."""
    return bands_of(load_band_table(data_dir))
