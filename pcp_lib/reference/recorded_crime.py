"""Police recorded crime for every force (ONS Tables P1 and C2), as the project keeps it.

``scripts/derive_ons.py`` reads the ONS tables as published (``reference.ons_tables``) and
writes three small files under ``data/derived/``, each with a ``.source.txt`` naming the ONS
original and the copy used; this module is the one reader of them:

- ``ons_recorded_crime_pfa_ye_<YYYY-MM>.csv``: Table P1, one row per area (England and Wales,
  nations, regions, the 43 forces, British Transport Police), one column per offence group;
- ``ons_recorded_crime_csp_ye_<YYYY-MM>.csv``: Table C2, one row per force total, Community
  Safety Partnership and "Unassigned" row;
- ``force_populations_census2021.csv``: each force's, region's and England and Wales's
  population, summed from Census 2021 usual residents of local authorities (not mid-year
  estimates), with its basis named.

A new edition (a later year ending) is two data files added: the edition is read from the file
name (:func:`editions`), never from code. The figures are Home Office recorded-crime
definitions (:data:`DEFINITION`), not police.uk categories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.core.provenance import attach, of_file
from pcp_lib.io.datastore import reference_path, resolve_data_dir
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.rates import fmt_rate, per_1000
from pcp_lib.methods.units import fmt_count
from pcp_lib.reference.population import load_population

__all__ = ["AREA_TYPES", "CSP_ROW_TYPES", "DEFINITION", "ENGLAND_AND_WALES", "FORCE_POPULATIONS", "FORCE_POPULATIONS_FILE",
           "LLR_FORCE_CODE", "OFFENCES", "OFFENCE_LABELS", "ONS_CSP", "ONS_PFA", "PARTNERSHIP_OFFENCES", "PEERS",
           "COMPARATORS", "Edition", "PartnershipFigures", "csp_file", "partnership_figures",
           "edition_for", "editions", "load_comparators", "load_csp", "load_force_populations", "load_peers",
           "load_pfa", "pfa_file"]

#: What the figures are, said wherever they are shown.
DEFINITION = ("Police recorded crime (Home Office counting rules and offence groups, as ONS publishes them): "
              "not police.uk categories (police.uk \"Burglary\" includes non-residential burglary; ONS "
              "\"Residential burglary\" does not). Fraud is not included.")

#: The offence groups of Tables P1 and C2, in ONS order: column name -> label.
OFFENCE_LABELS: dict[str, str] = {
    "total_recorded_crime": "Total recorded crime (excluding fraud)",
    "violence_against_the_person": "Violence against the person",
    "homicide": "Homicide",
    "death_or_serious_injury_unlawful_driving": "Death or serious injury - unlawful driving",
    "violence_with_injury": "Violence with injury",
    "violence_without_injury": "Violence without injury",
    "stalking_and_harassment": "Stalking and harassment",
    "sexual_offences": "Sexual offences",
    "robbery": "Robbery",
    "theft_offences": "Theft offences",
    "burglary": "Burglary",
    "residential_burglary": "Residential burglary",
    "non_residential_burglary": "Non-residential burglary",
    "vehicle_offences": "Vehicle offences",
    "theft_from_the_person": "Theft from the person",
    "bicycle_theft": "Bicycle theft",
    "shoplifting": "Shoplifting",
    "other_theft_offences": "Other theft offences",
    "criminal_damage_and_arson": "Criminal damage and arson",
    "drug_offences": "Drug offences",
    "possession_of_weapons_offences": "Possession of weapons offences",
    "public_order_offences": "Public order offences",
    "miscellaneous_crimes_against_society": "Miscellaneous crimes against society",
}
OFFENCES: tuple[str, ...] = tuple(OFFENCE_LABELS)

AREA_TYPES = ("country", "nation", "region", "force", "other")
CSP_ROW_TYPES = ("force", "csp", "unassigned")
ENGLAND_AND_WALES = "K04000001"
FORCE_POPULATIONS_FILE = "force_populations_census2021.csv"
_PFA_STEM, _CSP_STEM = "ons_recorded_crime_pfa_ye_", "ons_recorded_crime_csp_ye_"
_EDITION = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Edition:
    """An edition of the ONS tables: the twelve months ending with ``year``-``month``."""

    year: int
    month: int

    @classmethod
    def parse(cls, slug: str) -> Edition:
        """From a file name's "2025-06"."""
        m = _EDITION.match(slug)
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ValueError(f"an edition like 2025-06 (year and month the year ends), got {slug!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @property
    def slug(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def end(self) -> date:
        """The first day of the edition's last month."""
        return date(self.year, self.month, 1)

    @property
    def label(self) -> str:
        """"year ending June 2025" (as ONS titles it)."""
        return f"year ending {self.end:%B %Y}"

    @property
    def short(self) -> str:
        """"year to June 2025"."""
        return f"year to {self.end:%B %Y}"


def _offence_columns(required: bool = True) -> tuple[Column, ...]:
    return tuple(Column(k, "int", label, unit="offences", min_value=0, required=required)
                 for k, label in OFFENCE_LABELS.items())


ONS_PFA = Schema(
    name="ons_recorded_crime_pfa",
    title="ONS police recorded crime by police force area (derived from Table P1)",
    columns=(Column("area_code", "text", "ONS area code (blank only for British Transport Police)", required=False),
             Column("area_name", "text", "Area name as ONS prints it, notes removed"),
             Column("area_type", "choice", "country, nation, region, force or other", choices=AREA_TYPES),
             Column("region", "text", "The region (or Wales) a force lies in", required=False),
             *_offence_columns()),
    key=("area_code", "area_name"),
    max_rows=100, size="England and Wales, 2 nations, 10 regions, 43 forces and British Transport Police",
)

ONS_CSP = Schema(
    name="ons_recorded_crime_csp",
    title="ONS police recorded crime by Community Safety Partnership (derived from Table C2)",
    columns=(Column("force_code", "text", "ONS code of the police force area"),
             Column("force_name", "text"),
             Column("row_type", "choice", "force (its total), csp, or unassigned", choices=CSP_ROW_TYPES),
             Column("csp_code", "text", required=False),
             Column("csp_name", "text", required=False),
             Column("la_code", "text", required=False),
             Column("la_name", "text", required=False),
             *_offence_columns()),
    key=("force_code", "row_type", "csp_name"),
    max_rows=600, size="43 force totals, about 300 partnerships and one Unassigned row per force",
)

FORCE_POPULATIONS = Schema(
    name="force_populations",
    title="population of each police force area, region and England and Wales",
    columns=(Column("area_code", "text"),
             Column("area_name", "text"),
             Column("area_type", "choice", choices=("country", "region", "force")),
             Column("population", "int", "Usual residents", unit="people", min_value=1),
             Column("local_authorities", "int", "How many local authorities are summed", min_value=1),
             Column("basis", "text")),
    key=("area_code",),
    max_rows=100, size="43 forces, 10 regions (Wales as one) and England and Wales",
)

PEERS = Schema(
    name="peer_forces",
    title="peer group of forces",
    columns=(Column("force_code", "text", "ONS code of the force"),
             Column("force_name", "text"),
             Column("group", "text", "The name of the peer group, as the page shows it"),
             Column("source", "text", "Where the list comes from")),
    key=("force_code",),
)

COMPARATORS = Schema(
    name="metric_comparators",
    title="Plan metrics and their recorded-crime counterparts",
    columns=(Column("serial", "int", "The Plan metric's serial (blank for context rows with no Plan metric)",
                    required=False),
             Column("offence", "text", "The ONS offence group column (blank when there is no counterpart)",
                    required=False),
             Column("measure", "text", "The measure as the comparison page names it"),
             Column("note", "text", "How the counterpart differs from the Plan metric, or why there is none")),
    key=("serial", "offence"),
    row_checks=(lambda r: ("offence", f"one of the ONS offence groups ({', '.join(OFFENCES)})")
                if r["offence"] is not None and r["offence"] not in OFFENCES else None,
                lambda r: "a Plan serial, an offence, or both" if r["serial"] is None and r["offence"] is None
                else None),
)


def _derived(data_dir: str | Path | None) -> Path:
    return resolve_data_dir(data_dir) / "derived"


def pfa_file(edition: Edition, data_dir: str | Path | None = None) -> Path:
    return _derived(data_dir) / f"{_PFA_STEM}{edition.slug}.csv"


def csp_file(edition: Edition, data_dir: str | Path | None = None) -> Path:
    return _derived(data_dir) / f"{_CSP_STEM}{edition.slug}.csv"


def editions(data_dir: str | Path | None = None) -> list[Edition]:
    """Every edition whose force table is in ``data/derived/``, oldest first (from the file
    names: a new edition is a file added). A name that does not parse is a ``DataError``."""
    found = []
    for p in sorted(_derived(data_dir).glob(f"{_PFA_STEM}*.csv")):
        try:
            found.append(Edition.parse(p.stem.removeprefix(_PFA_STEM)))
        except ValueError as exc:
            raise DataError(Problem(file=rel(p), expected=f"a file named {_PFA_STEM}YYYY-MM.csv", got=p.name)) from exc
    return sorted(found)


def edition_for(quarter: Quarter, data_dir: str | Path | None = None) -> tuple[Edition, str | None]:
    """The edition a page for ``quarter`` shows: the latest whose year ends by the quarter's end;
    when none does, the earliest, with a sentence saying it ends after the quarter asked for."""
    found = editions(data_dir)
    if not found:
        raise DataError(Problem(file=rel(_derived(data_dir)), expected=f"at least one {_PFA_STEM}YYYY-MM.csv "
                                "(made by scripts/derive_ons.py)", got="none"))
    before = [e for e in found if e.end <= quarter.months[-1]]
    if before:
        return before[-1], None
    first = found[0]
    return first, (f"No edition of the ONS tables ends by the end of {quarter.label}; the earliest held, the "
                   f"{first.label}, ends after it.")


def _published(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """ONS figures reshaped, not derived from raw events: their provenance is "published"."""
    attach(df, of_file(path, kind="published"))
    return df


def load_pfa(edition: Edition, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Table P1 of ``edition``, validated (offence counts whole and not negative)."""
    path = pfa_file(edition, data_dir)
    return _published(read_table(path, ONS_PFA), path)


def load_csp(edition: Edition, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Table C2 of ``edition``, validated."""
    path = csp_file(edition, data_dir)
    return _published(read_table(path, ONS_CSP), path)


def load_force_populations(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Each force's, region's and England and Wales's population (Census 2021 usual residents)."""
    path = _derived(data_dir) / FORCE_POPULATIONS_FILE
    df = read_table(path, FORCE_POPULATIONS)
    attach(df, of_file(path, kind="published"))
    return df


def load_peers(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The peer group (``data/reference/peer_forces.csv``): replacing it is a data change."""
    return read_table(reference_path("peer_forces.csv", data_dir), PEERS)


def load_comparators(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Each Plan metric with its recorded-crime counterpart, or the reason it has none
    (``data/reference/metric_comparators.csv``)."""
    return read_table(reference_path("metric_comparators.csv", data_dir), COMPARATORS)


# ---- the nine LLR partnerships on official figures (Table C2), for the CSP and crime pages ----

#: Leicestershire Police: the force of LLR's nine partnerships
LLR_FORCE_CODE = "E23000021"
#: the offence groups the partnership table shows, in order
PARTNERSHIP_OFFENCES: tuple[str, ...] = ("total_recorded_crime", "violence_against_the_person", "shoplifting",
                                         "residential_burglary", "vehicle_offences", "robbery",
                                         "theft_from_the_person")


@dataclass
class PartnershipFigures:
    """Table C2 for one force: the table as shown (each partnership's offences and rate per
    1,000, then Unassigned, their sum and the force total), whether the partnerships plus
    Unassigned sum to the force total for every offence group (``adds_up``, and ``check`` in
    words), the edition and what it was read from."""

    edition: Edition
    table: pd.DataFrame
    adds_up: bool
    check: str
    csp: pd.DataFrame
    period_note: str | None


def partnership_figures(quarter: Quarter, data_dir: str | Path | None = None,
                        force_code: str = LLR_FORCE_CODE) -> PartnershipFigures:
    """The force's partnerships on official figures for the edition the quarter shows, with
    rates per 1,000 on the project's population basis (``data/reference/population.csv``, by
    local authority code; Unassigned has no population, so no rate)."""
    edition, note = edition_for(quarter, data_dir)
    csp = load_csp(edition, data_dir)
    rows = csp[csp["force_code"] == force_code]
    if rows.empty:
        raise DataError(Problem(file=rel(csp_file(edition, data_dir)), column="force_code",
                                expected=f"rows for force {force_code}", got="none"))
    pop = load_population(data_dir)
    population = dict(zip(pop["area_code"], pop["population"].astype(int), strict=True))
    parts = rows[rows["row_type"] != "force"].sort_values(["row_type", "csp_name"])
    total = rows[rows["row_type"] == "force"]
    sums = parts[list(OFFENCES)].sum()
    wrong = [OFFENCE_LABELS[k] for k in OFFENCES if len(total) != 1 or int(sums[k]) != int(total.iloc[0][k])]
    n = int((parts["row_type"] == "csp").sum())
    force_name = str(rows["force_name"].iloc[0])
    check = (f"Check: the {n} partnerships plus Unassigned sum to {force_name}'s total for every offence group "
             f"({fmt_count(int(total.iloc[0]['total_recorded_crime']))} recorded crimes in all): ✔ adds up."
             if not wrong else f"Check FAILED: the {n} partnerships plus Unassigned do not sum to {force_name}'s total "
             f"for {', '.join(wrong)}.")

    def cell(count: int, la_code: object) -> str:
        pop_la = None if pd.isna(la_code) else population.get(str(la_code))
        return f"{fmt_count(count)} ({fmt_rate(per_1000(count, pop_la))})" if pop_la else fmt_count(count)

    shown = []
    for _, r in parts.iterrows():
        name = "Unassigned (no partnership)" if r["row_type"] == "unassigned" else str(r["csp_name"])
        shown.append([name] + [cell(int(r[k]), r["la_code"]) for k in PARTNERSHIP_OFFENCES])
    shown.append(["Sum of the rows above"] + [fmt_count(int(sums[k])) for k in PARTNERSHIP_OFFENCES])
    if len(total) == 1:
        shown.append([f"{force_name} total (ONS)"] + [fmt_count(int(total.iloc[0][k])) for k in PARTNERSHIP_OFFENCES])
    table = pd.DataFrame(shown, columns=["Partnership"] + [f"{OFFENCE_LABELS[k]} (per 1,000)"
                                                           for k in PARTNERSHIP_OFFENCES])
    return PartnershipFigures(edition=edition, table=table, adds_up=not wrong, check=check, csp=csp,
                              period_note=note)
