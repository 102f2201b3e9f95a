"""ONS Tables P1 and C2 and the Census 2021 populations as published, read and checked, for
``scripts/derive_ons.py`` (which writes what ``reference.recorded_crime`` reads).

Every file goes through the project's schema reader (``io.schema.read_table``) after
``io.published`` has found its header below the title rows and cleaned the publisher's
headings and names, so a bad cell is reported at file, row and column. Then the checks a
reader of these tables needs, each a ``DataError`` naming file and row when it fails:

- P1: each region's count is the sum of its forces'; England and Wales's is the 43 forces'
  plus British Transport Police's (the one row without an area code).
- C2: within each force (identified by its name, see below), the partnerships plus
  "Unassigned" sum to the force's total row, for every offence; each force's total equals P1's.
- Known quirks of the published C2, handled and reported as notes rather than silently: the
  "Unassigned Gwent" row carries South Wales' code (the row is named Gwent and is counted
  there: Gwent then sums to its total); "unassigned Surrey" carries Kent's code with no counts
  (dropped: it has no offences). Any other row whose code is not its named force's is an error.
- Populations: the lookup's residents equal the Census file's for every authority; a force
  name in the lookup that differs from P1's for the same code is reported (the code is used).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.csvfile import read_csv
from pcp_lib.io.published import PublishedLayout, read_published_csv
from pcp_lib.io.rawtable import RawTable
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.reference.recorded_crime import ENGLAND_AND_WALES, OFFENCES, Edition

__all__ = ["BASIS", "C2_LAYOUT", "C2_SOURCE", "CENSUS", "LOOKUP", "P1_LAYOUT", "P1_SOURCE", "Derived",
           "force_populations", "read_c2", "read_p1"]

#: The basis of every force population and rate per 1,000, named wherever a rate is shown.
BASIS = ("Census 2021 usual residents (rounded to 100) of the 2021 local authorities, summed by police force "
         "area; not mid-year estimates")

_P1_HEADINGS = {
    "Area Code": "area_code", "Area Name": "area_name",
    "Total recorded crime (excluding fraud)": "total_recorded_crime",
    "Death or serious injury - unlawful driving": "death_or_serious_injury_unlawful_driving",
    "Miscellaneous crimes": "miscellaneous_crimes_against_society",
}
_C2_HEADINGS = {
    "Police Force Area code": "force_code", "Police Force Area name": "force_name",
    "Community Safety Partnership code": "csp_code", "Community Safety Partnership name": "csp_name",
    "Local Authority code": "la_code", "Local Authority name": "la_name",
    "Total recorded crime (excluding fraud)": "total_recorded_crime",
    "Death or serious injury caused by illegal driving": "death_or_serious_injury_unlawful_driving",
    "All other theft offences": "other_theft_offences",
    "Miscellaneous crimes against society": "miscellaneous_crimes_against_society",
}


def _offence_headings() -> dict[str, str]:
    """Offence headings that ONS prints as the column's own name ("Theft from the person")."""
    return {k.replace("_", " "): k for k in OFFENCES}


def P1_LAYOUT(edition: Edition) -> PublishedLayout:  # noqa: N802 (a layout per edition, named as the table)
    """Table P1 of ``edition`` as ONS lays it out."""
    return PublishedLayout(("Table P1", edition.label), "Area Code", {**_offence_headings(), **_P1_HEADINGS},
                           names=("area_name",))


def C2_LAYOUT(edition: Edition) -> PublishedLayout:  # noqa: N802
    """Table C2 of ``edition`` as ONS lays it out."""
    return PublishedLayout(("Table C2", edition.label), "Police Force Area code",
                           {**_offence_headings(), **_C2_HEADINGS}, names=("force_name", "csp_name", "la_name"))


def _counts(required: bool) -> tuple[Column, ...]:
    return tuple(Column(k, "int", unit="offences", min_value=0, required=required) for k in OFFENCES)


def _all_or_none_blank(row: dict[str, Any]) -> str | tuple[str, str] | None:
    """C2 counts: every one given, or (only on an "Unassigned" row) none."""
    blank = [k for k in OFFENCES if row[k] is None]
    if not blank:
        return None
    if len(blank) == len(OFFENCES) and (row["csp_name"] or "").lower().startswith("unassigned"):
        return None
    return blank[0], "a count of offences (blank only on an \"Unassigned\" row with no counts at all)"


P1_SOURCE = Schema(
    name="ons_pfa_table_p1", title="ONS Table P1",
    columns=(Column("area_code", "text", required=False), Column("area_name", "text"), *_counts(True)),
    key=("area_code", "area_name"), max_rows=100, size="about 60 areas",
)
C2_SOURCE = Schema(
    name="ons_csp_table_c2", title="ONS Table C2",
    columns=(Column("force_code", "text"), Column("force_name", "text"), Column("csp_code", "text", required=False),
             Column("csp_name", "text", required=False), Column("la_code", "text", required=False),
             Column("la_name", "text", required=False), *_counts(False)),
    row_checks=(_all_or_none_blank,), max_rows=600, size="about 400 rows",
)
CENSUS = Schema(
    name="census2021_la_usual_residents", title="Census 2021 usual residents by local authority",
    columns=(Column("la_code", "text"), Column("la_name", "text"), Column("residents", "int", min_value=0)),
    key=("la_code",), max_rows=400, size="331 local authorities",
)
LOOKUP = Schema(
    name="la2021_to_pfa_lookup", title="local authority to police force area lookup",
    columns=(Column("la_code_2021", "text"), Column("la_name", "text"), Column("pfa_code", "text"),
             Column("pfa_name", "text"), Column("census2021_usual_residents_rounded", "int", min_value=0),
             Column("mapping_basis", "text")),
    key=("la_code_2021",), max_rows=400, size="331 local authorities",
)


@dataclass
class Derived:
    """A table derived from an ONS file, and the notes on quirks met (for its ``.source.txt``)."""

    table: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def _fail(path: Path, row: Any, expected: str, got: str, column: str | None = None) -> DataError:
    return DataError(Problem(file=rel(path), row=None if row is None else int(row), column=column,
                             expected=expected, got=got))


def _area_type(code: str, name: str, path: Path, row: int) -> str:
    if not code:
        if name == "British Transport Police":
            return "other"
        raise _fail(path, row, "an area code (only British Transport Police has none)", name, "area_code")
    kinds = {"K04": "country", "E92": "nation", "W92": "nation", "E12": "region", "E23": "force", "W15": "force"}
    if code[:3] not in kinds:
        raise _fail(path, row, "an ONS code of England and Wales (K04), a nation (E92, W92), a region (E12) or a "
                               "police force area (E23, W15)", code, "area_code")
    return kinds[code[:3]]


def read_p1(path: str | Path, edition: Edition) -> Derived:
    """Table P1 as published: one row per area with its type and (for a force) its region,
    names without notes. Checked: each region is the sum of its forces, England and Wales the
    43 forces plus British Transport Police."""
    p = Path(path)
    df = read_table(p, P1_SOURCE, raw=read_published_csv(p, P1_LAYOUT(edition)))
    df["area_code"] = df["area_code"].fillna("")
    types, regions, region = [], [], ""
    for code, name, row in zip(df["area_code"], df["area_name"], df["_row"], strict=True):
        kind = _area_type(code, name, p, row)
        if kind == "region" or code.startswith("W92"):
            region = name
        types.append(kind)
        regions.append(region if kind == "force" else "")
    df["area_type"], df["region"] = types, regions
    forces = df[df["area_type"] == "force"]
    if len(forces) != 43:
        raise _fail(p, None, "43 police force areas", f"{len(forces)}")
    for _, r in df[(df["area_type"] == "region") | df["area_code"].str.startswith("W92")].iterrows():
        _same(p, r, forces[forces["region"] == r["area_name"]][list(OFFENCES)].sum(), f"the sum of {r['area_name']}'s forces")
    ew = df[df["area_code"] == ENGLAND_AND_WALES]
    btp = df[df["area_type"] == "other"]
    if len(ew) != 1 or len(btp) != 1:
        raise _fail(p, None, "one England and Wales row and one British Transport Police row",
                    f"{len(ew)} and {len(btp)}")
    _same(p, ew.iloc[0], forces[list(OFFENCES)].sum() + btp[list(OFFENCES)].sum().astype("int64"),
          "the 43 forces plus British Transport Police")
    out = df[["area_code", "area_name", "area_type", "region", *OFFENCES]].reset_index(drop=True)
    return Derived(out, [f"{p.name}: {len(df)} areas; every region equals the sum of its forces and England and "
                         "Wales the 43 forces plus British Transport Police, for every offence group."])


def _same(path: Path, row: pd.Series, parts: pd.Series, what: str) -> None:
    for k in OFFENCES:
        if int(row[k]) != int(parts[k]):
            raise _fail(path, row["_row"], f"{what}: {int(parts[k]):,}", f"{int(row[k]):,}", k)


def read_c2(path: str | Path, edition: Edition, p1: pd.DataFrame) -> Derived:
    """Table C2 as published: force totals, partnerships and "Unassigned" rows, each counted in
    the force it names (the code quirks handled and noted), checked to sum to the force's total
    and the total to equal P1's."""
    p = Path(path)
    df = read_table(p, C2_SOURCE, raw=read_published_csv(p, C2_LAYOUT(edition)))
    totals = df[df["csp_name"].isna() & df["csp_code"].isna()]
    code_of = dict(zip(totals["force_name"], totals["force_code"], strict=True))
    notes: list[str] = []
    # a force of one partnership may have no total row (City of London): its partnership is its total
    lone = df[~df["force_name"].isin(list(code_of)) & df["csp_code"].notna()].drop_duplicates("force_name")
    lone = lone[lone["force_code"].isin(p1.loc[p1["area_type"] == "force", "area_code"])]
    for _, r in lone.iterrows():
        if (df["force_name"] == r["force_name"]).sum() == 1:
            code_of[r["force_name"]] = r["force_code"]
            total = r.copy()
            total["csp_code"] = total["csp_name"] = total["la_code"] = total["la_name"] = None
            df = pd.concat([df, total.to_frame().T], ignore_index=True)
            notes.append(f"{r['force_name']} has no total row (row {r['_row']}, its one partnership, is its total)")
    keep = []
    for i, r in df.iterrows():
        named = code_of.get(r["force_name"])
        if named is None:
            raise _fail(p, r["_row"], "a force whose total row the table holds (" + ", ".join(sorted(code_of)) + ")",
                        str(r["force_name"]), "force_name")
        empty = all(pd.isna(r[k]) for k in OFFENCES)
        if r["force_code"] != named:
            unassigned = str(r["csp_name"] or "").lower().startswith("unassigned")
            if not unassigned:
                raise _fail(p, r["_row"], f"{r['force_name']}'s code {named}", str(r["force_code"]), "force_code")
            owner = next((n for n, c in code_of.items() if c == r["force_code"]), "another force")
            notes.append(f"row {r['_row']} ({r['csp_name']}) carries {owner}'s code {r['force_code']}: "
                         f"counted in {r['force_name']}, the force it names" + (" (it has no counts)" if empty else ""))
        if empty:
            notes.append(f"row {r['_row']} ({r['csp_name']}) has no counts: left out")
            continue
        keep.append(i)
    out = df.loc[keep].copy()
    out["force_code"] = out["force_name"].map(code_of)
    out["row_type"] = ["force" if pd.isna(c) and pd.isna(n) else
                       "unassigned" if str(n).lower().startswith("unassigned") else "csp"
                       for c, n in zip(out["csp_code"], out["csp_name"], strict=True)]
    for k in OFFENCES:
        out[k] = out[k].astype("int64")
    p1_forces = p1[p1["area_type"] == "force"].set_index("area_code")
    for code, rows in out.groupby("force_code", sort=True):
        total = rows[rows["row_type"] == "force"]
        if len(total) != 1:
            raise _fail(p, rows["_row"].iloc[0], f"one total row for {rows['force_name'].iloc[0]}", f"{len(total)}")
        parts = rows[rows["row_type"] != "force"][list(OFFENCES)].sum()
        _same(p, total.iloc[0], parts, f"the sum of {rows['force_name'].iloc[0]}'s partnerships and Unassigned")
        if code not in p1_forces.index:
            raise _fail(p, total["_row"].iloc[0], "a force of Table P1", str(code), "force_code")
        _same(p, total.iloc[0], p1_forces.loc[code], f"{rows['force_name'].iloc[0]}'s total in Table P1")
    if set(out["force_code"]) != set(p1_forces.index):
        raise _fail(p, None, "every force of Table P1", ", ".join(sorted(set(p1_forces.index) - set(out["force_code"]))))
    notes.append(f"{p.name}: within every force, the partnerships plus Unassigned sum to the force's total, and each "
                 "force's total equals Table P1's, for every offence group.")
    cols = ["force_code", "force_name", "row_type", "csp_code", "csp_name", "la_code", "la_name", *OFFENCES]
    return Derived(out[cols].reset_index(drop=True), notes)


def force_populations(census_path: str | Path, lookup_path: str | Path, p1: pd.DataFrame) -> Derived:
    """Population of each force (the sum of its local authorities' Census 2021 usual residents,
    by the lookup), of each region (its forces) and of England and Wales (all 43)."""
    census_p, lookup_p = Path(census_path), Path(lookup_path)
    census = read_table(census_p, CENSUS, raw=_headerless(census_p, CENSUS.column_names))
    lookup = read_table(lookup_p, LOOKUP)
    residents = dict(zip(census["la_code"], census["residents"], strict=True))
    notes = []
    for _, r in lookup.iterrows():
        if residents.get(r["la_code_2021"]) != r["census2021_usual_residents_rounded"]:
            raise _fail(lookup_p, r["_row"], f"the residents of {census_p.name} "
                        f"({residents.get(r['la_code_2021'], 'not there')})",
                        str(r["census2021_usual_residents_rounded"]), "census2021_usual_residents_rounded")
    if set(residents) != set(lookup["la_code_2021"]):
        raise _fail(lookup_p, None, f"every local authority of {census_p.name}",
                    ", ".join(sorted(set(residents) - set(lookup["la_code_2021"]))))
    forces = p1[p1["area_type"] == "force"].set_index("area_code")
    for _, r in lookup.iterrows():
        if r["pfa_code"] not in forces.index:
            raise _fail(lookup_p, r["_row"], "a force code of Table P1", r["pfa_code"], "pfa_code")
    wrong = lookup[lookup["pfa_name"] != lookup["pfa_code"].map(forces["area_name"])]
    for _, r in wrong.iterrows():
        notes.append(f"{lookup_p.name} row {r['_row']}: {r['la_name']} has force code {r['pfa_code']} "
                     f"({forces.loc[r['pfa_code'], 'area_name']}) but force name {r['pfa_name']!r}: the code is used")
    by_basis = lookup["mapping_basis"].value_counts().sort_index()
    notes.append(f"{lookup_p.name}: " + "; ".join(f"{n} authorities mapped by {b}" for b, n in by_basis.items()) + ".")
    sums = lookup.groupby("pfa_code").agg(population=("census2021_usual_residents_rounded", "sum"),
                                          local_authorities=("la_code_2021", "count"))
    rows = [("force", code, forces.loc[code, "area_name"], int(s.population), int(s.local_authorities))
            for code, s in sums.iterrows()]
    regions = p1[(p1["area_type"] == "region") | p1["area_code"].str.startswith("W92")]
    for _, reg in regions.iterrows():
        members = forces[forces["region"] == reg["area_name"]].index
        rows.append(("region", reg["area_code"], reg["area_name"], int(sums.loc[members, "population"].sum()),
                     int(sums.loc[members, "local_authorities"].sum())))
    ew = p1[p1["area_code"] == ENGLAND_AND_WALES].iloc[0]
    rows.append(("country", ENGLAND_AND_WALES, ew["area_name"], int(sums["population"].sum()),
                 int(sums["local_authorities"].sum())))
    out = pd.DataFrame(rows, columns=["area_type", "area_code", "area_name", "population", "local_authorities"])
    out["basis"] = BASIS
    order = {"country": 0, "region": 1, "force": 2}
    out = out.sort_values(["area_type", "area_code"], key=lambda s: s.map(order) if s.name == "area_type" else s)
    return Derived(out[["area_code", "area_name", "area_type", "population", "local_authorities", "basis"]]
                   .reset_index(drop=True), notes)


def _headerless(path: Path, names: Iterable[str]) -> RawTable:
    """A CSV published without a header row (the Census file), with the schema's names put on."""
    raw = read_csv(path)
    raw.rows = [raw.header, *raw.rows]
    raw.header = list(names)
    raw.header_row = 0
    return raw
