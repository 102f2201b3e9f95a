"""police.uk street-level crime files: load them as published, count them by month.

Why a loader of our own: police.uk publishes one CSV per force per month whose rows need care
before they can be counted. Rows with "No Location" have no LSOA (they count for the force, not
for a district); a force reports some crimes located outside its own districts (Leicestershire
Police rows in Coventry or Nottingham); anti-social behaviour rows have no Crime ID or outcome;
and police.uk revises outcomes after publication, so a later download of the same month
supersedes an earlier one and must not be counted twice. ``monthly_counts`` deals with all of
that and returns a tidy table (one row per month, force, local authority and crime type).

The full raw files are large (218,000 rows for 24 months of Leicestershire), so the project
commits a small derived file of monthly counts (``data/derived/police_uk_monthly_counts.csv``,
rebuilt by ``scripts/build_police_uk_counts.py``) and the notebooks read that instead.

police.uk categories are not Home Office recorded-crime definitions: police.uk "Burglary"
includes non-residential burglary, and "Vehicle crime" and "Robbery" are broader than the
Plan's neighbourhood-crime measures. ``DEFINITION_NOTE`` says so wherever figures are shown.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from .datastore import reference_path, resolve_data_dir
from .errors import DataError, Problem, rel
from .periods import Quarter
from .schema import Column, Schema, read_table

# ---- the published file ------------------------------------------------------------------

CRIME_TYPES: tuple[str, ...] = (
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs",
    "Other crime", "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting",
    "Theft from the person", "Vehicle crime", "Violence and sexual offences",
)

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

DERIVED_COUNTS_FILE = "police_uk_monthly_counts.csv"
LLR_FORCE = "Leicestershire Police"
DEFINITION_NOTE = ("police.uk crime categories, not Home Office recorded-crime definitions: "
                   "police.uk \"Burglary\" includes non-residential burglary, and \"Vehicle crime\" "
                   "and \"Robbery\" are broader than the Plan's neighbourhood-crime measures.")

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

def load_force_districts(data_dir: str | Path | None = None) -> dict[str, set[str]]:
    """The local authorities of each police force area, from ``reference/police_force_districts.csv``."""
    df = read_table(reference_path("police_force_districts.csv", data_dir), FORCE_DISTRICTS)
    out: dict[str, set[str]] = {}
    for force, la in zip(df["force"], df["local_authority"], strict=True):
        out.setdefault(str(force), set()).add(str(la))
    return out


def infer_districts(located: pd.DataFrame) -> set[str]:
    """Districts of a force not in the reference list: areas holding at least ``INFER_SHARE``
    of its located rows (a force's own districts hold several percent each; the strays it
    reports elsewhere a handful of rows)."""
    share = located["local_authority"].value_counts(normalize=True)
    return set(share[share >= INFER_SHARE].index)


# ---- counting ----------------------------------------------------------------------------

def monthly_counts(paths: Iterable[str | Path],
                   districts: Mapping[str, Iterable[str]] | None = None,
                   data_dir: str | Path | None = None) -> pd.DataFrame:
    """Monthly counts by force, local authority and crime type from police.uk street files.

    ``paths``: any forces, any months, oldest download first (a later file for the same force
    and month supersedes an earlier one). ``districts``: each force's local authorities;
    by default the reference list, and for a force not in it the areas inferred from the data.
    Rows with no location, or located outside the force's districts, keep a blank
    ``local_authority`` so the force total stays whole. Anti-social behaviour rows are counted
    (crime type "Anti-social behaviour") even though they have no Crime ID.

    Columns: month (first day, ``date``), force, local_authority, crime_type, count (Int64).
    """
    frames = [(Path(p), read_street(p)) for p in paths]
    if not frames:
        raise DataError(Problem(file=None, expected="at least one police.uk street-level file"))
    plan = plan_files(frames)
    if districts is None:
        try:
            districts = load_force_districts(data_dir)
        except DataError:
            districts = {}
    parts = []
    for path, df in frames:
        keep = pd.Series(
            [plan.used[(f, m)] == path for f, m in zip(df["Falls within"], df["Month"], strict=True)],
            index=df.index, dtype="bool")
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
    return _typed(counts)


def _typed(counts: pd.DataFrame) -> pd.DataFrame:
    out = counts[["month", "force", "local_authority", "crime_type", "count"]].copy()
    out["month"] = out["month"].astype("object")
    for c in ("force", "local_authority", "crime_type"):
        out[c] = out[c].fillna("").astype("string")
    out["count"] = out["count"].astype("Int64")
    return out.sort_values(["force", "month", "local_authority", "crime_type"]).reset_index(drop=True)


def write_counts(counts: pd.DataFrame, path: str | Path) -> None:
    """Write counts as CSV, deterministically (sorted, months as YYYY-MM, Unix newlines)."""
    out = counts.copy()
    out["month"] = [f"{m:%Y-%m}" for m in out["month"]]
    out = out.sort_values(["force", "month", "local_authority", "crime_type"])
    out.to_csv(path, index=False, lineterminator="\n")


def load_counts(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The committed monthly counts (``derived/police_uk_monthly_counts.csv``), validated."""
    path = resolve_data_dir(data_dir) / "derived" / DERIVED_COUNTS_FILE
    df = read_table(path, COUNTS)
    df["local_authority"] = df["local_authority"].fillna("")
    return _typed(df.drop(columns="_row"))


def counts_path(data_dir: str | Path | None = None) -> Path:
    return resolve_data_dir(data_dir) / "derived" / DERIVED_COUNTS_FILE


# ---- measures, areas and rates -----------------------------------------------------------

#: The Plan's crime measures as police.uk categories (see ``DEFINITION_NOTE``).
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


def csp_lookup(data_dir: str | Path | None = None) -> dict[str, str]:
    """Local authority -> CSP area (the nine LLR CSPs each cover one local authority)."""
    df = pd.read_csv(reference_path("csp_areas.csv", data_dir), dtype="string")
    return dict(zip(df["local_authority"], df["csp_area"], strict=True))


def populations(data_dir: str | Path | None = None) -> tuple[dict[str, int], str]:
    """Population of each LLR local authority and the basis they rest on (named wherever a
    rate per 1,000 is shown)."""
    from .dashboard import POPULATION

    df = read_table(reference_path("population.csv", data_dir), POPULATION)
    basis = "; ".join(sorted(set(df["basis"])))
    return {str(k): int(v) for k, v in zip(df["local_authority"], df["population"], strict=True)}, basis


def monthly_series(counts: pd.DataFrame, measure: str, force: str = LLR_FORCE,
                   local_authorities: Iterable[str] | None = None) -> pd.Series:
    """Monthly counts of a measure for a force (or some of its local authorities), every month
    in the data present (zero where nothing was recorded), indexed by month."""
    types = MEASURES[measure]
    of_force = counts["force"] == force
    months = sorted(set(counts.loc[of_force, "month"]))
    sel = of_force & counts["crime_type"].isin(types)
    if local_authorities is not None:
        sel &= counts["local_authority"].isin(list(local_authorities))
    s = counts.loc[sel].groupby("month")["count"].sum()
    return s.reindex(months, fill_value=0).astype("int64").rename(measure)


def last_month(counts: pd.DataFrame, force: str = LLR_FORCE) -> date | None:
    months = counts.loc[counts["force"] == force, "month"]
    return max(months) if len(months) else None


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
    """Sum of a monthly series over a quarter; None unless all three months are present."""
    if not all(m in series.index for m in quarter.months):
        return None
    return int(series.loc[quarter.months].sum())


def area_groups(data_dir: str | Path | None = None) -> dict[str, list[str]]:
    """LLR and each CSP area with its local authorities, in the reference order."""
    lookup = csp_lookup(data_dir)
    groups: dict[str, list[str]] = {"LLR": list(lookup)}
    for la, csp in lookup.items():
        groups.setdefault(csp, []).append(la)
    return groups


def quarter_table(counts: pd.DataFrame, quarter: Quarter | str, *, measures: Sequence[str] | None = None,
                  by_area: bool = False, data_dir: str | Path | None = None,
                  dispersion: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The quarter against the same quarter a year earlier, per measure (and area): counts,
    rates per 1,000, percent change and whether the change is statistically significant.

    LLR totals are the force total (including rows with no location, which belong to no
    district); area rows count located crimes only. Rates use the population reference
    (its basis is returned in ``rate_basis``). The significance test compares the two
    quarters' counts as Poisson rates over the same population (``stats.compare_rates``),
    allowing for over-dispersion when ``dispersion`` gives a factor per measure.
    """
    from .stats import compare_rates

    q = Quarter.parse(quarter)
    prev = q.year_earlier()
    pops, basis = populations(data_dir)
    groups = area_groups(data_dir) if by_area else {"LLR": None}
    rows = []
    for measure in measures or list(MEASURES):
        for area, las in groups.items():
            las_sel = None if area == "LLR" else las
            s = monthly_series(counts, measure, LLR_FORCE, las_sel)
            now, before = quarter_count(s, q), quarter_count(s, prev)
            pop = sum(pops[la] for la in (las or pops))
            row = {"measure": measure, "area": area, "quarter": q.label, "count": now,
                   "count_year_earlier": before, "population": pop}
            row["rate_per_1000"] = None if now is None else round(1000 * now / pop, 2)
            row["rate_per_1000_year_earlier"] = None if before is None else round(1000 * before / pop, 2)
            if now is not None and before is not None:
                phi = (dispersion or {}).get(measure, 1.0)
                cmp = compare_rates(now, pop, before, pop, dispersion=phi)
                row["pct_change"] = None if before == 0 else round(100 * (now - before) / before, 1)
                row["ratio_ci_low"], row["ratio_ci_high"] = round(cmp.ci_low, 3), round(cmp.ci_high, 3)
                row["p_value"] = cmp.p_value
                row["significant"] = cmp.significant
            else:
                row.update(pct_change=None, ratio_ci_low=None, ratio_ci_high=None, p_value=None,
                           significant=None)
            rows.append(row)
    df = pd.DataFrame(rows)
    df["rate_basis"] = basis
    return df


def ytd_table(counts: pd.DataFrame, quarter: Quarter | str,
              measures: Sequence[str] | None = None) -> pd.DataFrame:
    """Financial year to date (April to the end of the quarter) against the same months a
    year earlier, LLR, per measure."""
    q = Quarter.parse(quarter)
    start, end = q.year_to_date()
    rows = []
    for measure in measures or list(MEASURES):
        s = monthly_series(counts, measure)
        now_m = [m for m in s.index if start <= m <= end]
        before_m = [m for m in s.index if date(start.year - 1, start.month, 1) <= m
                    <= date(end.year - 1, end.month, 1)]
        full = len(now_m) == len(before_m) == 3 * q.q
        now = int(s.loc[now_m].sum()) if full else None
        before = int(s.loc[before_m].sum()) if full else None
        pct = None if not full or before == 0 else round(100 * (now - before) / before, 1)
        rows.append({"measure": measure, "year_to_date": f"April-{end:%B %Y}", "count": now,
                     "count_year_earlier": before, "pct_change": pct})
    return pd.DataFrame(rows)


def indexed_comparison(counts: pd.DataFrame, measure: str, forces: Sequence[str],
                       base_months: Sequence[date]) -> pd.DataFrame:
    """Monthly counts of a measure for several forces as an index (mean of ``base_months`` =
    100): used to compare trends where populations on a common, cited basis are not to hand."""
    out = []
    for force in forces:
        s = monthly_series(counts, measure, force)
        base = float(s.loc[[m for m in base_months if m in s.index]].mean())
        for m, v in s.items():
            out.append({"month": m, "force": force, "count": int(v),
                        "index": round(100 * v / base, 1) if base else None})
    return pd.DataFrame(out)
