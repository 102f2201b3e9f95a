"""Community Sentence Treatment Requirements (CSTRs) by area: the published monthly table.

The paper gives, for Leicester, Leicestershire and Rutland, monthly modality starts, ends,
successful ends and the number with a subsequent episode for January-December 2025, with
a Total column. We keep the months tidy (one row per area, measure and month), recompute
the totals and check them against the published ones, and derive the successful
completion rate (successful ends / all ends) and rolling 12-month figures.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pcp_lib.io.datastore import published_path
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.units import percent_of
from pcp_lib.subjects.dtoa.arithmetic import as_float

__all__ = ["AREAS", "CSTR_MONTHLY", "CSTR_TOTALS", "ENDS", "LLR", "MEASURES", "PER_100", "RATE", "STARTS", "SUBSEQUENT",
           "SUCCESS", "area_table", "load_monthly", "load_totals", "rolling_12", "summary", "totals_check"]

AREAS = ("Leicester", "Leicestershire", "Rutland")
MEASURES = ("Modality Starts", "Modality Ends (all)", "Successful Mod End", "No. with subsequent episode")
STARTS, ENDS, SUCCESS, SUBSEQUENT = MEASURES
LLR = "LLR (all three areas)"
RATE = "successful completion rate (%)"
PER_100 = "subsequent episodes per 100 starts"

_SOURCE = Column("source", "text", "Seed file and table the figure was transcribed from")
CSTR_MONTHLY = Schema(
    name="dtoa_cstr_monthly",
    title="CSTR modality counts by area and month",
    columns=(Column("area", "choice", choices=AREAS), Column("measure", "choice", choices=MEASURES),
             Column("month", "month"), Column("count", "int", unit="people", min_value=0), _SOURCE),
    key=("area", "measure", "month"),
)
CSTR_TOTALS = Schema(
    name="dtoa_cstr_totals",
    title="CSTR published totals by area",
    columns=(Column("area", "choice", choices=AREAS), Column("measure", "choice", choices=MEASURES),
             Column("total", "int", unit="people", min_value=0), _SOURCE),
    key=("area", "measure"),
)


def load_monthly(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The tidy monthly CSTR counts (area, measure, month, count)."""
    return read_table(published_path(f"{CSTR_MONTHLY.name}.csv", data_dir), CSTR_MONTHLY)


def load_totals(data_dir: str | Path | None = None) -> pd.DataFrame:
    return read_table(published_path(f"{CSTR_TOTALS.name}.csv", data_dir), CSTR_TOTALS)


def area_table(monthly: pd.DataFrame, area: str) -> pd.DataFrame:
    """The published layout for one area: a row per measure, a column per month, and Total."""
    sub = monthly.loc[monthly["area"] == area]
    wide = sub.pivot(index="measure", columns="month", values="count").reindex(list(MEASURES))
    wide.columns = [f"{m:%b-%y}" for m in wide.columns]
    wide = wide.astype("int64")
    wide["Total"] = wide.sum(axis=1)
    wide.index.name = area
    return wide.reset_index()


def totals_check(monthly: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Sum of the months against the published Total, per area and measure (``matches``)."""
    summed = monthly.groupby(["area", "measure"], as_index=False)["count"].sum()
    out = totals.merge(summed, on=["area", "measure"], how="left", validate="one_to_one", sort=False)
    out["count"] = out["count"].fillna(0).astype("int64")
    out = out.rename(columns={"total": "published_total", "count": "sum_of_months"})
    out["matches"] = (out["published_total"] == out["sum_of_months"]).astype("boolean")
    return out[["area", "measure", "published_total", "sum_of_months", "matches"]]


def summary(monthly: pd.DataFrame) -> pd.DataFrame:
    """Per area and for LLR: the four totals, the successful completion rate (successful
    ends / all ends, NaN when no ends) and subsequent episodes per 100 starts (float64)."""
    rows = []
    for area in (*AREAS, LLR):
        sub = monthly if area == LLR else monthly.loc[monthly["area"] == area]
        t = {m: int(sub.loc[sub["measure"] == m, "count"].sum()) for m in MEASURES}
        rows.append({"area": area, **t, RATE: as_float(percent_of(t[SUCCESS], t[ENDS])),
                     PER_100: as_float(percent_of(t[SUBSEQUENT], t[STARTS]))})
    df = pd.DataFrame(rows)
    df["area"] = df["area"].astype("string")
    for m in MEASURES:
        df[m] = df[m].astype("int64")
    for c in (RATE, PER_100):
        df[c] = df[c].astype("float64")
    return df


def rolling_12(monthly: pd.DataFrame) -> pd.DataFrame:
    """Rolling 12-month totals by area, measure and month, with the completion rate.

    A figure is given only where 12 months are available (an incomplete window is left
    out): with January-December 2025 published, December 2025 is the first full rolling
    year; each new month of data adds one.
    """
    rows = []
    for area in AREAS:
        sub = monthly.loc[monthly["area"] == area]
        if sub.empty:
            continue
        wide = sub.pivot(index="month", columns="measure", values="count").reindex(columns=list(MEASURES))
        wide = wide.sort_index().astype("int64")
        rolled = wide.rolling(12, min_periods=12).sum()
        for month, r in rolled.iterrows():
            if r.isna().any():
                continue
            ends, success = int(r[ENDS]), int(r[SUCCESS])
            rows.append({"area": area, "12 months to": month, **{m: int(r[m]) for m in MEASURES},
                         RATE: as_float(percent_of(success, ends))})
    df = pd.DataFrame(rows, columns=["area", "12 months to", *MEASURES, RATE])
    df["area"] = df["area"].astype("string")
    for m in MEASURES:
        df[m] = df[m].astype("int64")
    df[RATE] = df[RATE].astype("float64")
    return df
