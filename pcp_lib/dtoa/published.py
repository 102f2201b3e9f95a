"""The DToA figures as published, read through schemas, and checked against our arithmetic.

The figures are transcribed exactly in ``data/published/dtoa_*.csv`` (each row names its
seed file and paragraph). This module reads them and recomputes what the paper derived
from them (the "Change" column, the 2025 pathway's conversions), so the pack can say where
the paper and the arithmetic agree and where they do not (the -23% that is -23pp).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..datastore import published_path
from ..schema import Column, Schema, read_table
from .arithmetic import change, compare_periods, funnel, normalise_label, round_half_up

SOURCE_COL = Column("source", "text", "Seed file and table or paragraph the figure was transcribed from")

COMPARISON = Schema(
    name="dtoa_custody_comparison",
    title="DToA custody pathway: monthly averages with enhanced Home Office funding and now",
    columns=(
        Column("order", "int", "Row order in the published table", min_value=1),
        Column("measure", "text", "Measure as published"),
        Column("unit", "choice", "Kind of measure", choices=("count", "percent", "days")),
        Column("enhanced_funding", "decimal", "Monthly average with enhanced Home Office funding", min_value=0),
        Column("current_provision", "decimal", "Monthly average, current provision (Q3 2025)", min_value=0),
        Column("published_change", "text", "The Change column exactly as published"),
        SOURCE_COL,
    ),
    key=("measure",),
)

PATHWAY_2025 = Schema(
    name="dtoa_pathway_2025",
    title="Drug Test on Arrest pathway, January-December 2025",
    columns=(
        Column("step", "int", "Order of the stage", min_value=1),
        Column("stage", "text", "Short name of the stage"),
        Column("description", "text", "The stage as published"),
        Column("count", "int", "People", min_value=0),
        SOURCE_COL,
    ),
    key=("step",),
)

FUNDING = Schema(
    name="dtoa_funding",
    title="DToA funding: Home Office years and the Commissioner's uplift",
    columns=(
        Column("funder", "text"), Column("purpose", "text"), Column("period", "text"),
        Column("financial_year", "text", "Financial year(s) the amount covers"),
        Column("start_month", "month", "First month of the funding where published", required=False),
        Column("amount", "money", "Amount in pounds", unit="£", min_value=0),
        Column("published_as", "text", "The amount as written in the paper"),
        Column("basis", "text", "What is published and what is inferred"),
        SOURCE_COL,
    ),
    key=("funder", "period"),
)

CONTRIBUTIONS = Schema(
    name="dtoa_turning_point_contributions",
    title="OPCC contributions to the Turning Point substance-use contracts",
    columns=(Column("contract", "text"), Column("amount_per_annum", "money", unit="£", min_value=0), SOURCE_COL),
    key=("contract",),
)

REFERRALS_METRIC = Schema(
    name="dtoa_dashboard_referrals",
    title="Plan dashboard serial 34: police referrals into drug treatment via required assessment",
    columns=(Column("serial", "int"), Column("metric", "text"), Column("period", "text"),
             Column("kind", "choice", choices=("baseline", "latest")), Column("value", "int", min_value=0),
             SOURCE_COL),
    key=("kind",),
)


def _read(schema: Schema, data_dir: str | Path | None) -> pd.DataFrame:
    return read_table(published_path(f"{schema.name}.csv", data_dir), schema)


def load_comparison(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The published monthly-average table (para 23), in published order."""
    return _read(COMPARISON, data_dir).sort_values("order").reset_index(drop=True)


def load_pathway_2025(data_dir: str | Path | None = None) -> pd.DataFrame:
    return _read(PATHWAY_2025, data_dir).sort_values("step").reset_index(drop=True)


def load_funding(data_dir: str | Path | None = None) -> pd.DataFrame:
    return _read(FUNDING, data_dir)


def load_contributions(data_dir: str | Path | None = None) -> pd.DataFrame:
    return _read(CONTRIBUTIONS, data_dir)


def load_referrals_metric(data_dir: str | Path | None = None) -> pd.DataFrame:
    return _read(REFERRALS_METRIC, data_dir)


def comparison_table(reference: pd.DataFrame) -> pd.DataFrame:
    """The published table recomputed: our change, in its unit, beside the published text.

    ``as_published`` is True when the published text says the same thing in the same
    unit; the % row is published as "-23%" but is -23 percentage points (False, with the
    relative change it would have been given in ``note``).
    """
    units = dict(zip(reference["measure"], reference["unit"], strict=True))
    cmp = compare_periods(dict(zip(reference["measure"], reference["enhanced_funding"], strict=True)),
                          dict(zip(reference["measure"], reference["current_provision"], strict=True)), units)
    cmp["published_change"] = list(reference["published_change"])
    same = [normalise_label(a) == normalise_label(b) for a, b in zip(cmp["change_label"], cmp["published_change"],
                                                                     strict=True)]
    cmp["as_published"] = pd.array(same, dtype="boolean")
    notes = []
    for rec, ok in zip(cmp.to_dict("records"), same, strict=True):
        if ok:
            notes.append("")
            continue
        if rec["unit"] == "percent":
            rel_change = change(rec["before"], rec["after"], "count")
            notes.append(f"Published as {rec['published_change']}, but a change between two percentages is in "
                         f"percentage points: {rec['change_label']} (as a relative change it would be "
                         f"{round_half_up(rel_change):+}%).")
        else:
            notes.append(f"Published as {rec['published_change']}; the figures give {rec['change_label']}.")
    cmp["note"] = pd.array(notes, dtype="string")
    cmp["published_change"] = cmp["published_change"].astype("string")
    return cmp


def published_funnel(reference: pd.DataFrame, column: str) -> pd.DataFrame:
    """The five-stage custody funnel from the published monthly averages (``column`` is
    ``enhanced_funding`` or ``current_provision``)."""
    from .pathway import FUNNEL_STAGES

    ref = reference.set_index("measure")
    return funnel({name: ref.loc[name, column] for _, name in FUNNEL_STAGES}, source=f"published {column}")


def pathway_2025_funnel(pathway: pd.DataFrame) -> pd.DataFrame:
    """The 2025 Drug Test on Arrest pathway (2,915 -> 324 -> 124 -> 95) as a funnel."""
    return funnel(dict(zip(pathway["stage"], pathway["count"], strict=True)), source="dtoa_pathway_2025")


def consistency_notes(reference: pd.DataFrame, pathway: pd.DataFrame, referrals: pd.DataFrame) -> list[str]:
    """Where the published DToA figures do not agree with each other, in plain words."""
    ref = reference.set_index("measure")
    notes: list[str] = []
    for row in comparison_table(reference).to_dict("records"):
        if row["note"]:
            notes.append(f"{row['measure']}: {row['note']}")
    booked, attended = "Required Assessment booked (Referral into treatment)", "Required Assessments attended"
    rate = "% of Required Assessments attended"
    for col, label in (("enhanced_funding", "with enhanced funding"), ("current_provision", "in Q3 2025")):
        implied = ref.loc[attended, col] / ref.loc[booked, col] * 100
        shown = ref.loc[rate, col]
        if round_half_up(implied) != shown:
            notes.append(f"{rate} {label} is published as {shown}%, but {ref.loc[attended, col]} attended of "
                         f"{ref.loc[booked, col]} booked is {round_half_up(implied)}%: the published rate is "
                         "probably the mean of monthly rates or uses unrounded counts; the table does not say.")
    entries = "Entries into treatment"
    if ref.loc[entries, "current_provision"] > ref.loc[attended, "current_provision"]:
        notes.append(f"{entries} ({ref.loc[entries, 'current_provision']} a month in Q3 2025) exceed Required "
                     f"Assessments attended ({ref.loc[attended, 'current_provision']}), so entries are not a "
                     "later stage of the same funnel (people also enter treatment by other routes); they are "
                     "shown beside the funnel, not in it.")
    vals = dict(zip(referrals["kind"], referrals["value"], strict=True))
    q3_booked = ref.loc[booked, "current_provision"] * 3
    notes.append(f"Plan dashboard serial 34 (police referrals into drug treatment via required assessment) "
                 f"gives {vals.get('baseline')} (2024/25 baseline) and {vals.get('latest')} (Q3 2025/26) without "
                 f"a unit; {ref.loc[booked, 'current_provision']} Required Assessments booked a month is about "
                 f"{q3_booked} a quarter, so the two sources do not obviously reconcile.")
    total = Decimal(int(pathway["count"].iloc[-1]))
    notes.append(f"The 2025 pathway's {int(pathway['count'].iloc[-1])} entries into treatment via custody are "
                 f"{round_half_up(total / 12, 1)} a month, against the table's {ref.loc[entries, 'current_provision']} "
                 "a month in Q3 2025: consistent in size.")
    return notes

