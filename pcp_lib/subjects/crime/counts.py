"""The derived monthly police.uk counts and the Plan's crime measures built from them.

The full raw street-level files are large (218,000 rows for 24 months of Leicestershire), so the
project commits a small derived file of monthly counts (``data/derived/police_uk_monthly_counts.csv``,
rebuilt by ``scripts/build_police_uk_counts.py`` with :mod:`pcp_lib.subjects.crime.street`) and
the pages read that instead. This module reads it (with its provenance) and answers the
questions every analysis asks of it: a measure's monthly series for a force or some of its
districts, which months and quarters the data cover, and which districts make up each CSP area.

police.uk categories are not Home Office recorded-crime definitions: police.uk "Burglary"
includes non-residential burglary, and "Vehicle crime" and "Robbery" are broader than the
Plan's neighbourhood-crime measures (``narrative.DEFINITION_NOTE`` says so wherever figures are
shown).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

import pandas as pd

from pcp_lib.core.provenance import attach, provenance_of
from pcp_lib.io.datastore import last_period, resolve_data_dir
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.periods import Quarter

__all__ = [
    "COUNTS",
    "COUNT_COLUMNS",
    "CRIME_TYPES",
    "DERIVED_COUNTS_FILE",
    "LLR",
    "LLR_FORCE",
    "MEASURES",
    "NEIGHBOURHOOD",
    "area_groups",
    "counts_path",
    "last_month",
    "latest_full_quarter",
    "load_counts",
    "monthly_series",
    "months_up_to",
    "quarter_count",
    "typed_counts",
]

#: police.uk's fourteen crime types, as its files spell them
CRIME_TYPES: tuple[str, ...] = (
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs",
    "Other crime", "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting",
    "Theft from the person", "Vehicle crime", "Violence and sexual offences",
)

COUNTS = Schema(
    name="police_uk_monthly_counts",
    title="police.uk monthly crime counts",
    description="Monthly counts of police.uk street-level crimes by force, local authority and "
                "crime type. local_authority is blank for rows with no location or located "
                "outside the force's districts, so force totals stay whole.",
    columns=(
        Column("month", "month"),
        Column("force", "text"),
        Column("local_authority", "text", required=False),
        Column("crime_type", "choice", choices=CRIME_TYPES),
        Column("count", "int", min_value=0),
    ),
    key=("month", "force", "local_authority", "crime_type"),
)
COUNT_COLUMNS: tuple[str, ...] = tuple(COUNTS.column_names)

DERIVED_COUNTS_FILE = "police_uk_monthly_counts.csv"
LLR_FORCE = "Leicestershire Police"
#: the name of the whole force area in tables by area
LLR = "LLR"

#: The Plan's crime measures as police.uk categories (see ``narrative.DEFINITION_NOTE``).
MEASURES: dict[str, tuple[str, ...]] = {
    "Neighbourhood crime": ("Burglary", "Vehicle crime", "Robbery", "Theft from the person"),
    "Burglary": ("Burglary",),
    "Vehicle crime": ("Vehicle crime",),
    "Robbery": ("Robbery",),
    "Theft from the person": ("Theft from the person",),
    "Shoplifting": ("Shoplifting",),
    "Violence and sexual offences": ("Violence and sexual offences",),
    "Anti-social behaviour": ("Anti-social behaviour",),
}
NEIGHBOURHOOD = ("Neighbourhood crime", "Burglary", "Vehicle crime", "Robbery", "Theft from the person")


# ---- the derived file ----------------------------------------------------------------------

def typed_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts in their one shape: the five columns, text as ``string`` (blank district ""),
    month a ``date``, count ``Int64``, sorted by force, month, district and crime type.
    Keeps the table's provenance when it has one."""
    out = counts[list(COUNT_COLUMNS)].copy()
    out["month"] = out["month"].astype("object")
    for c in ("force", "local_authority", "crime_type"):
        out[c] = out[c].fillna("").astype("string")
    out["count"] = out["count"].astype("Int64")
    out = out.sort_values(["force", "month", "local_authority", "crime_type"]).reset_index(drop=True)
    prov = counts.attrs.get("provenance")
    if prov is not None:
        attach(out, prov)
    return out


def counts_path(data_dir: str | Path | None = None) -> Path:
    """Where the derived counts live in a data folder."""
    return resolve_data_dir(data_dir) / "derived" / DERIVED_COUNTS_FILE


def load_counts(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The committed monthly counts (``derived/police_uk_monthly_counts.csv``), validated, with
    their provenance (``provenance_of(counts)``). A missing or malformed file is a ``DataError``
    naming file, row and column."""
    df = read_table(counts_path(data_dir), COUNTS)
    prov = provenance_of(df)
    df["local_authority"] = df["local_authority"].fillna("")
    return attach(typed_counts(df.drop(columns="_row")), prov)


# ---- series, months and quarters -------------------------------------------------------------

def monthly_series(counts: pd.DataFrame, measure: str, force: str = LLR_FORCE,
                   local_authorities: Iterable[str] | None = None) -> pd.Series:
    """Monthly counts of a measure for a force (or some of its local authorities), every month
    in the data present (zero where nothing was recorded), on a ``DatetimeIndex`` named "month"
    (each month's first day), so it plots with readable dates and slices by date
    (``s["2025-04":"2025-12"]``). Compare its index with ``pd.Timestamp``, not ``datetime.date``:
    a ``date`` is never ``in`` it."""
    types = MEASURES[measure]
    of_force = (counts["force"] == force).to_numpy(dtype=bool)
    month = counts["month"]
    months = sorted(set(month[of_force]))
    sel = of_force & counts["crime_type"].isin(types).to_numpy(dtype=bool)
    if local_authorities is not None:
        sel &= counts["local_authority"].isin(list(local_authorities)).to_numpy(dtype=bool)
    # the two columns needed, not every column of the selected rows (this runs for every measure and area)
    s = counts["count"][sel].groupby(month[sel]).sum()
    out = s.reindex(months, fill_value=0).astype("int64").rename(measure)
    out.index = pd.DatetimeIndex(pd.to_datetime(out.index), name="month")
    return out


def last_month(counts: pd.DataFrame, force: str = LLR_FORCE) -> date | None:
    """The latest month a force has counts for (None when it has none)."""
    return last_period(counts[counts["force"] == force], "month")


def latest_full_quarter(counts: pd.DataFrame, up_to: Quarter | str | None = None,
                        force: str = LLR_FORCE) -> Quarter | None:
    """The latest quarter (not after ``up_to``) whose three months are all in the data."""
    months = set(counts.loc[counts["force"] == force, "month"])
    if not months:
        return None
    q = Quarter.containing(max(months))
    if up_to is not None:
        q = min(q, Quarter.parse(up_to))
    while all(m <= max(months) for m in q.months):
        if all(m in months for m in q.months):
            return q
        q = q.previous()
        if q.months[-1] < min(months):
            break
    return None


def quarter_count(series: pd.Series, quarter: Quarter) -> int | None:
    """Sum of a monthly series (``monthly_series``) over a quarter; None unless all three months
    are present."""
    months = [pd.Timestamp(m) for m in quarter.months]
    if not all(m in series.index for m in months):
        return None
    return int(series.loc[months].sum())


def months_up_to(counts: pd.DataFrame, quarter: Quarter) -> pd.DataFrame:
    """The counts up to the end of a quarter (later months are not part of that quarter's view)."""
    last = quarter.months[-1]
    out = counts[[m <= last for m in counts["month"]]].reset_index(drop=True)
    prov = counts.attrs.get("provenance")
    return attach(out, prov) if prov is not None else out


# ---- areas -------------------------------------------------------------------------------

def area_groups(lookup: Mapping[str, str]) -> dict[str, list[str]]:
    """LLR (every local authority) and each CSP area with its local authorities, in the
    reference order, from a local authority -> CSP area lookup
    (``pcp_lib.reference.csp_areas.csp_lookup``)."""
    groups: dict[str, list[str]] = {LLR: list(lookup)}
    for la, csp in lookup.items():
        groups.setdefault(csp, []).append(la)
    return groups
