"""police.uk street-level crime files: read them as published, count them by month.

Why a reader of our own: police.uk publishes one CSV per force per month whose rows need care
before they can be counted. Rows with "No Location" have no LSOA (they count for the force, not
for a district); a force reports some crimes located outside its own districts (Leicestershire
Police rows in Coventry or Nottingham); anti-social behaviour rows have no Crime ID or outcome;
and police.uk revises outcomes after publication, so a later download of the same month
supersedes an earlier one and must not be counted twice. ``monthly_counts`` deals with all of
that and returns a tidy table (one row per month, force, local authority and crime type) in the
shape of the derived counts file (:data:`pcp_lib.subjects.crime.counts.COUNTS`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.schema import Column, Schema
from pcp_lib.reference.force_districts import load_force_districts
from pcp_lib.subjects.crime.counts import COUNT_COLUMNS, CRIME_TYPES, typed_counts

__all__ = [
    "INFER_SHARE",
    "STREET",
    "STREET_COLUMNS",
    "FilePlan",
    "district_of",
    "infer_districts",
    "monthly_counts",
    "plan_files",
    "read_street",
    "write_counts",
]

STREET = Schema(
    name="street",
    title="police.uk street-level crime file",
    description="One row per crime or anti-social behaviour incident, as police.uk publishes it "
                "(one file per force per month, named <YYYY-MM>-<force>-street.csv).",
    columns=(
        Column("Crime ID", "text", required=False, description="blank for anti-social behaviour"),
        Column("Month", "month"),
        Column("Reported by", "text"),
        Column("Falls within", "text"),
        Column("Longitude", "decimal", required=False),
        Column("Latitude", "decimal", required=False),
        Column("Location", "text"),
        Column("LSOA code", "text", required=False),
        Column("LSOA name", "text", required=False),
        Column("Crime type", "choice", choices=CRIME_TYPES),
        Column("Last outcome category", "text", required=False),
        Column("Context", "text", required=False),
    ),
)
STREET_COLUMNS: tuple[str, ...] = tuple(STREET.column_names)

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_LSOA_NAME = re.compile(r"^(?P<la>.+) \d{3}[A-Z]$")
_USE = ["Crime ID", "Month", "Falls within", "LSOA name", "Crime type", "Last outcome category"]
#: share of a force's located rows an area needs to count as one of its districts when the
#: force is not in the reference list (the districts hold >2% each; strays well under 0.5%)
INFER_SHARE = 0.01


# ---- reading one file --------------------------------------------------------------------

def _check_header(path: Path) -> None:
    with path.open(newline="", encoding="utf-8-sig") as f:
        header = next(csv.reader(f), [])
    header = [h.strip() for h in header]
    if header != list(STREET_COLUMNS):
        raise DataError(Problem(file=rel(path), row=1, expected="the police.uk street-level header "
                                + ",".join(STREET_COLUMNS), got=",".join(header)))


def read_street(path: str | Path) -> pd.DataFrame:
    """One police.uk street-level file, header and values checked.

    Returns the columns the counts need (Crime ID, Month, Falls within, LSOA name, Crime type,
    Last outcome category) plus ``_row`` (spreadsheet row, header is row 1). Raises
    ``DataError`` listing bad rows (month not YYYY-MM, unknown crime type, blank force,
    LSOA name not "<district> 000A").
    """
    path = Path(path)
    if not path.exists():
        raise DataError(Problem(file=rel(path), expected="a police.uk street-level file to exist"))
    _check_header(path)
    df = pd.read_csv(path, usecols=_USE, dtype="string", keep_default_na=False, na_filter=False,
                     encoding="utf-8-sig")
    df["_row"] = pd.RangeIndex(2, len(df) + 2)
    problems: list[Problem] = []

    def flag(mask: pd.Series, column: str, expected: str) -> None:
        for _, r in df.loc[mask, ["_row", column]].head(20).iterrows():
            problems.append(Problem(file=rel(path), row=int(r["_row"]), column=column,
                                    expected=expected, got=str(r[column])))

    flag(~df["Month"].str.match(_MONTH), "Month", "a month like 2024-12")
    flag(~df["Crime type"].isin(CRIME_TYPES), "Crime type", "one of police.uk's 14 crime types")
    flag(df["Falls within"].str.strip() == "", "Falls within", "the force the row falls within")
    named = df["LSOA name"] != ""
    flag(named & ~df["LSOA name"].str.match(_LSOA_NAME), "LSOA name",
         'an LSOA name like "Melton 004B" (or blank for no location)')
    if problems:
        raise DataError(problems)
    return df


def district_of(lsoa_name: pd.Series) -> pd.Series:
    """The local authority of each LSOA name: the name without its last token
    ("Melton 004B" -> "Melton"); blank stays blank."""
    return lsoa_name.str.replace(r" \d{3}[A-Z]$", "", regex=True)


# ---- which file counts for which month ---------------------------------------------------

@dataclass(frozen=True)
class FilePlan:
    """Which file is used for each force and month, and which were superseded."""

    used: dict[tuple[str, str], Path]
    superseded: list[Path]


def plan_files(frames: Sequence[tuple[Path, pd.DataFrame]]) -> FilePlan:
    """For every (force, month) keep the file listed last: pass files oldest download first,
    so a later download (with revised outcomes) supersedes an earlier one and no month is
    counted twice."""
    used: dict[tuple[str, str], Path] = {}
    for path, df in frames:
        for key in df[["Falls within", "Month"]].drop_duplicates().itertuples(index=False):
            used[(str(key[0]), str(key[1]))] = path
    kept = set(used.values())
    return FilePlan(used=used, superseded=[p for p, _ in frames if p not in kept])


# ---- districts of a force ----------------------------------------------------------------

def infer_districts(located: pd.DataFrame) -> set[str]:
    """Districts of a force not in the reference list: areas holding at least ``INFER_SHARE``
    of its located rows (a force's own districts hold several percent each; the strays it
    reports elsewhere a handful of rows)."""
    share = located["local_authority"].value_counts(normalize=True)
    return {str(a) for a in share[share >= INFER_SHARE].index}


# ---- counting ----------------------------------------------------------------------------

def monthly_counts(paths: Iterable[str | Path],
                   districts: Mapping[str, Iterable[str]] | None = None,
                   data_dir: str | Path | None = None) -> pd.DataFrame:
    """Monthly counts by force, local authority and crime type from police.uk street files.

    ``paths``: any forces, any months, oldest download first (a later file for the same force
    and month supersedes an earlier one). ``districts``: each force's local authorities; by
    default the reference list (``reference/police_force_districts.csv`` in ``data_dir``, which
    must exist: pass ``districts={}`` to infer every force's districts from the data), and for
    a force not in it the areas inferred from the data. Rows with no location, or located
    outside the force's districts, keep a blank ``local_authority`` so the force total stays
    whole. Anti-social behaviour rows are counted (crime type "Anti-social behaviour") even
    though they have no Crime ID.

    Columns: month (first day, ``date``), force, local_authority, crime_type, count (Int64).
    """
    frames = [(Path(p), read_street(p)) for p in paths]
    if not frames:
        raise DataError(Problem(file=None, expected="at least one police.uk street-level file"))
    plan = plan_files(frames)
    if districts is None:
        districts = load_force_districts(data_dir)
    parts = []
    for path, df in frames:
        mine = {f"{f}\x1f{m}" for (f, m), p in plan.used.items() if p == path}
        keep = (df["Falls within"] + "\x1f" + df["Month"]).isin(mine)
        if keep.any():
            parts.append(df.loc[keep, ["Month", "Falls within", "LSOA name", "Crime type"]])
    rows = pd.concat(parts, ignore_index=True)
    rows["local_authority"] = district_of(rows["LSOA name"])
    for force in rows["Falls within"].unique():
        of_force = rows["Falls within"] == force
        own = set(districts.get(str(force), ()))
        if not own:
            own = infer_districts(rows.loc[of_force & (rows["local_authority"] != "")])
        outside = of_force & ~rows["local_authority"].isin(own)
        rows.loc[outside, "local_authority"] = ""
    counts = (rows.groupby(["Month", "Falls within", "local_authority", "Crime type"], sort=True)
              .size().reset_index(name="count"))
    counts = counts.rename(columns={"Month": "month", "Falls within": "force", "Crime type": "crime_type"})
    counts["month"] = [date(int(m[:4]), int(m[5:7]), 1) for m in counts["month"]]
    return typed_counts(counts)


def write_counts(counts: pd.DataFrame, path: str | Path) -> None:
    """Write counts as CSV, deterministically (sorted, months as YYYY-MM, Unix newlines)."""
    out = counts[list(COUNT_COLUMNS)].copy()
    out["month"] = [f"{m:%Y-%m}" for m in out["month"]]
    out = out.sort_values(["force", "month", "local_authority", "crime_type"])
    out.to_csv(path, index=False, lineterminator="\n")
