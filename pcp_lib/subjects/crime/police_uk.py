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

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.datastore import reference_path, resolve_data_dir
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.spc import describe, xmr
from pcp_lib.methods.stats import compare_rates, estimate_dispersion, fmt_p
from pcp_lib.reference.population import populations

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


# ---- what the crime-trends notebook shows ------------------------------------------------

IMPROVEMENT = "decrease"  # fewer crimes is better for every measure shown
SOURCE = "police.uk street-level crime data (Open Government Licence v3.0)"


@dataclass(frozen=True)
class Coverage:
    """Which quarter the notebook leads with, and what to tell the reader about it."""

    asked: Quarter
    shown: Quarter | None
    last_month: date | None
    notes: tuple[str, ...]


def coverage(counts: pd.DataFrame, asked: Quarter | str) -> Coverage:
    """The quarter to lead with: the one asked for when the data cover it, else the latest full
    quarter in the data before it (with a plain note saying so), else none."""
    q = Quarter.parse(asked)
    end = last_month(counts)
    shown = latest_full_quarter(counts, q)
    notes: list[str] = []
    if shown is None:
        first = min(counts["month"]) if len(counts) else None
        notes.append(f"The police.uk data {'start in ' + format(first, '%B %Y') if first else 'are empty'}: "
                     f"there is no full quarter of data up to {q.label}, so nothing is shown.")
    elif shown != q:
        notes.append(f"This page leads with {shown.label} ({shown.month_names}), the latest full quarter "
                     f"in the police.uk data, instead of {q.label}.")
    return Coverage(asked=q, shown=shown, last_month=end, notes=tuple(notes))


def months_up_to(counts: pd.DataFrame, quarter: Quarter) -> pd.DataFrame:
    """The counts up to the end of a quarter (later months are not part of that quarter's view)."""
    last = quarter.months[-1]
    return counts[[m <= last for m in counts["month"]]].reset_index(drop=True)


def dispersions(counts: pd.DataFrame, quarter: Quarter, measures: Sequence[str] | None = None) -> dict[str, float]:
    """Over-dispersion of each measure's LLR monthly counts up to the quarter (``stats.estimate_dispersion``)."""

    upto = months_up_to(counts, quarter)
    return {m: estimate_dispersion(monthly_series(upto, m).to_list()) for m in measures or MEASURES}


def spc_results(counts: pd.DataFrame, quarter: Quarter, measure: str, by_area: bool = False,
                data_dir: str | Path | None = None, rules: str = "mdc") -> dict[str, object]:
    """XmR results of a measure's monthly counts up to the quarter: LLR, or each CSP area."""

    upto = months_up_to(counts, quarter)
    groups = area_groups(data_dir) if by_area else {"LLR": None}
    out: dict[str, object] = {}
    for area, las in groups.items():
        if by_area and area == "LLR":
            continue
        s = monthly_series(upto, measure, LLR_FORCE, None if area == "LLR" else las)
        s.index = pd.to_datetime(pd.Index(s.index))
        out[area] = xmr(s, IMPROVEMENT, rules=rules)
    return out


def spc_title(measure: str, area: str, result) -> str:
    """A chart title that states the finding, from the SPC result."""
    v = result.variation
    p = result.points
    last = p["x"].iloc[-1]
    when = f"{last:%B %Y}"
    if v is None:
        return f"{measure}, {area}: too few months for SPC limits"
    if v == "common_cause":
        sig = result.signals()
        if len(sig):
            return (f"{measure}, {area}: no special cause in {when}; "
                    f"{len(sig)} earlier month(s) showed special cause")
        return f"{measure}, {area}: only common cause variation up to {when}"
    kind, side = v.split("_")
    word = {"improvement": "improvement", "concern": "concern", "neither": "change"}[kind]
    return f"{measure}, {area}: special cause {word} in {when} ({'higher' if side == 'high' else 'lower'})"


def spc_summary(results: Mapping[str, Mapping[str, object]]) -> pd.DataFrame:
    """One row per measure and area: the variation icon of the last month in words, and the
    special-cause signals seen in the series (which rule, how many months, latest one)."""

    rows = []
    for measure, by_area in results.items():
        for area, r in by_area.items():
            sig = r.signals()
            rules = sorted({rule for text in sig["rule"] for rule in str(text).split("; ") if rule})
            rows.append({
                "Measure": measure, "Area": area,
                "Latest month": f"{r.points['x'].iloc[-1]:%b %Y}",
                "SPC (latest month)": describe(r.variation),
                "Special-cause months": len(sig),
                "Rules seen": ", ".join(rules) if rules else "none",
                "Latest special-cause month": f"{sig['x'].iloc[-1]:%b %Y}" if len(sig) else "",
            })
    return pd.DataFrame(rows)


def display_quarter_table(table: pd.DataFrame, by_area: bool = False) -> pd.DataFrame:
    """The quarter table with plain column names: counts and rates side by side, percent change
    labelled "%", significance in words. Rates are the quarter's crimes per 1,000 residents
    ("Per 1,000 in Q3 2024/25"), not the annual rates the Plan dashboard shows."""

    q = table["quarter"].iloc[0] if len(table) else ""
    prev = Quarter.parse(q).year_earlier().label if q else ""
    out = pd.DataFrame({
        "Measure": table["measure"],
        **({"Area": table["area"]} if by_area else {}),
        f"Count {prev}": [_fmt(v) for v in table["count_year_earlier"]],
        f"Count {q}": [_fmt(v) for v in table["count"]],
        # a quarter's count per 1,000 residents: about a quarter of an annual rate, so say so
        f"Per 1,000 in {prev}": [_fmt2(v) for v in table["rate_per_1000_year_earlier"]],
        f"Per 1,000 in {q}": [_fmt2(v) for v in table["rate_per_1000"]],
        "Change (%)": ["n/a" if pd.isna(v) else f"{v:+.1f}%" for v in table["pct_change"]],
    })
    if not by_area:
        out["Rate ratio (95% CI)"] = [
            "n/a" if pd.isna(lo) else f"{c / p:.2f} ({lo:.2f}-{hi:.2f})" if p else "n/a"
            for c, p, lo, hi in zip(table["count"], table["count_year_earlier"], table["ratio_ci_low"],
                                    table["ratio_ci_high"], strict=True)]
        out["p-value"] = [fmt_p(None if pd.isna(p) else float(p)) for p in table["p_value"]]
    out["Significant change?"] = ["n/a" if pd.isna(s) else ("Yes" if s else "No") for s in table["significant"]]
    return out


def _fmt(v) -> str:
    return "n/a" if v is None or pd.isna(v) else f"{int(v):,}"


def _fmt2(v) -> str:
    return "n/a" if v is None or pd.isna(v) else f"{float(v):.2f}"


def narrative(table: pd.DataFrame, ytd: pd.DataFrame, summary: pd.DataFrame) -> list[str]:
    """Short computed sentences: what changed significantly against the same quarter a year
    earlier (and which way), what did not, the year to date, and the SPC signals."""
    lines: list[str] = []
    llr = table[table["area"] == "LLR"]
    q = llr["quarter"].iloc[0]
    prev = Quarter.parse(q).year_earlier().label
    sig = llr[llr["significant"] == True]  # noqa: E712 - pandas boolean with missing values
    up = [f"{r.measure.lower()} ({r.pct_change:+.1f}%, {r.count_year_earlier:,} → {r.count:,})"
          for r in sig.itertuples() if r.pct_change > 0]
    down = [f"{r.measure.lower()} ({r.pct_change:+.1f}%, {r.count_year_earlier:,} → {r.count:,})"
            for r in sig.itertuples() if r.pct_change < 0]
    same = [r.measure.lower() for r in llr[llr["significant"] == False].itertuples()]  # noqa: E712
    if down:
        lines.append(f"Significantly lower in {q} than in {prev}: " + "; ".join(down) + ".")
    if up:
        lines.append(f"Significantly higher in {q} than in {prev}: " + "; ".join(up) + ".")
    if same:
        lines.append("No statistically significant change (allowing for month-to-month variation): "
                     + ", ".join(same) + ".")
    y = ytd.dropna(subset=["pct_change"])
    if len(y):
        lines.append(f"Year to date ({y['year_to_date'].iloc[0]}) against the same months a year earlier: "
                     + "; ".join(f"{r.measure.lower()} {r.pct_change:+.1f}%" for r in y.itertuples()) + ".")
    llr_spc = summary[summary["Area"] == "LLR"]
    special = llr_spc[~llr_spc["SPC (latest month)"].str.contains("common cause|too few")]
    if len(special):
        lines.append("SPC, latest month, LLR: " + "; ".join(
            f"{r['Measure'].lower()}: {r['SPC (latest month)']}" for _, r in special.iterrows()) + ".")
    calm = llr_spc[llr_spc["SPC (latest month)"].str.contains("common cause")]
    if len(calm):
        lines.append("SPC, latest month, LLR, common cause only: " + ", ".join(m.lower() for m in calm["Measure"]) + ".")
    return lines


def rate_basis_note(data_dir: str | Path | None = None) -> str:
    """Where rates per 1,000 come from (named wherever a rate is shown)."""
    pops, basis = populations(data_dir)
    return (f"Rates per 1,000 are the quarter's crimes per 1,000 residents (roughly a quarter of an annual "
            f"rate such as the Plan dashboard's), using the LLR population of {sum(pops.values()):,} ({basis}; "
            "reference/population.csv): census counts, not mid-year estimates. LLR counts include crimes "
            "with no location; area counts include only crimes located in the area.")


def comparison_note() -> str:
    return ("Derbyshire is shown as an index (mean of the first 12 months = 100), not as a rate: the "
            "project holds no Derbyshire population on a cited basis comparable with LLR's, so rates "
            "per 1,000 would not be like for like.")


def display_ytd_table(ytd: pd.DataFrame) -> pd.DataFrame:
    """The year-to-date table with plain column names (percent change labelled "%")."""
    return pd.DataFrame({
        "Measure": ytd["measure"],
        "Months": ytd["year_to_date"],
        "Count a year earlier": [_fmt(v) for v in ytd["count_year_earlier"]],
        "Count": [_fmt(v) for v in ytd["count"]],
        "Change (%)": ["n/a" if pd.isna(v) else f"{v:+.1f}%" for v in ytd["pct_change"]],
    })


def grid_title(measure: str, results: Mapping[str, object]) -> str:
    """Title for the by-area small multiples, stating how many areas show special cause now."""
    special = [a for a, r in results.items() if r.variation not in (None, "common_cause")]
    n = len(results)
    if not special:
        return f"{measure} by CSP area: common cause variation only in the latest month in all {n} areas"
    return (f"{measure} by CSP area: special cause in the latest month in {len(special)} of {n} areas "
            f"({', '.join(special)})")


def index_base_months(counts: pd.DataFrame, n: int = 12) -> list[date]:
    """The first ``n`` months in the data: the base (= 100) of indexed comparisons."""
    return sorted(set(counts["month"]))[:n]


def index_title(idx: pd.DataFrame, measure: str) -> str:
    """Title for an indexed comparison: where each force ended against its base."""
    last = idx.sort_values("month").groupby("force").tail(1)
    parts = [f"{('LLR' if f == LLR_FORCE else f.split()[0])} {v:.0f}" for f, v in zip(last["force"], last["index"],
                                                                                         strict=True)]
    when = f"{max(idx['month']):%B %Y}"
    return f"{measure}, indexed (first 12 months = 100): {' vs '.join(parts)} in {when}"


def force_comparison_table(counts: pd.DataFrame, quarter: Quarter, measures: Sequence[str],
                           forces: Sequence[str]) -> pd.DataFrame:
    """Each force's quarter against the same quarter a year earlier: counts, percent change and
    whether the change is significant (each force against itself, so no population is needed),
    allowing for each force's own month-to-month variation."""

    upto = months_up_to(counts, quarter)
    prev = quarter.year_earlier()
    rows = []
    for measure in measures:
        for force in forces:
            s = monthly_series(upto, measure, force)
            now, before = quarter_count(s, quarter), quarter_count(s, prev)
            sig = pct = None
            if now and before:
                cmp = compare_rates(now, 1.0, before, 1.0, dispersion=estimate_dispersion(s.to_list()))
                sig = "Yes" if cmp.significant else "No"
                pct = f"{100 * (now - before) / before:+.1f}%"
            rows.append({"Measure": measure, "Force": force, f"Count {prev.label}": _fmt(before),
                         f"Count {quarter.label}": _fmt(now), "Change (%)": pct or "n/a",
                         "Significant change?": sig or "n/a"})
    return pd.DataFrame(rows)
