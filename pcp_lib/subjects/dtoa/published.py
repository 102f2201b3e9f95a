"""The DToA figures as published, read through schemas, and checked against our arithmetic.

The figures are transcribed exactly in ``data/published/dtoa_*.csv`` (each row names its
seed file and paragraph); every loader returns a table carrying its provenance. This
module recomputes what the paper derived from them (the "Change" column from the two
levels, the CSTR totals from the months), so the pack can say where the paper and the
arithmetic agree and where they do not (the -23% that is -23pp). A figure with nothing
independent to check it against (a funding amount, the 2025 pathway counts) is shown as
transcribed, never "checked" against its own transcription.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import DataError, Problem
from pcp_lib.core.provenance import provenance_of
from pcp_lib.io.datastore import published_path
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.periods import fy_label, fy_start_year
from pcp_lib.methods.units import (
    fmt_count,
    fmt_number,
    fmt_pct_change,
    fmt_percent,
    pct_change,
    percent_of,
    round_half_up,
    to_pence,
)
from pcp_lib.subjects.dtoa.arithmetic import as_float, compare_periods, funnel, normalise_label
from pcp_lib.subjects.dtoa.cstr import totals_check
from pcp_lib.subjects.dtoa.pathway import FUNNEL_STAGES, STEP_KINDS, monthly_averages

__all__ = ["COMPARISON", "CONTRIBUTIONS", "FUNDING", "FROM_RETURN", "FUNDING_YEARS", "RETURN_MARK", "PATHWAY_2025", "REFERRALS_METRIC",
           "activity_by_period", "comparison_table", "consistency_notes", "funding_by_year", "load_comparison",
           "load_contributions", "load_funding", "load_pathway_2025", "load_referrals_metric", "published_funnel",
           "pathway_2025_funnel", "reproduction_table"]

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
    levels = {m: (b, a) for m, b, a in zip(reference["measure"], reference["enhanced_funding"],
                                           reference["current_provision"], strict=True)}
    cmp = compare_periods({m: b for m, (b, _) in levels.items()}, {m: a for m, (_, a) in levels.items()}, units)
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
            relative = fmt_pct_change(pct_change(levels[rec["measure"]][0], levels[rec["measure"]][1]))
            notes.append(f"Published as {rec['published_change']}, but a change between two percentages is in "
                         f"percentage points: {rec['change_label']} (as a relative change it would be "
                         f"{relative}).")
        else:
            notes.append(f"Published as {rec['published_change']}; the figures give {rec['change_label']}.")
    cmp["note"] = pd.array(notes, dtype="string")
    cmp["published_change"] = cmp["published_change"].astype("string")
    return cmp


def published_funnel(reference: pd.DataFrame, column: str) -> pd.DataFrame:
    """The five-stage custody funnel from the published monthly averages (``column`` is
    ``enhanced_funding`` or ``current_provision``)."""

    ref = reference.set_index("measure")
    return funnel({name: ref.loc[name, column] for _, name in FUNNEL_STAGES}, source=f"published {column}",
                  kinds=STEP_KINDS)


def pathway_2025_funnel(pathway: pd.DataFrame) -> pd.DataFrame:
    """The 2025 Drug Test on Arrest pathway (2,915 -> 324 -> 124 -> 95) as a funnel."""
    return funnel(dict(zip(pathway["stage"], pathway["count"], strict=True)), source="dtoa_pathway_2025",
                  kinds=STEP_KINDS)


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
        implied = percent_of(ref.loc[attended, col], ref.loc[booked, col])
        shown = ref.loc[rate, col]
        if implied is not None and round_half_up(implied) != shown:
            notes.append(f"{rate} {label} is published as {fmt_percent(shown, 0)}, but "
                         f"{fmt_count(ref.loc[attended, col])} attended of {fmt_count(ref.loc[booked, col])} booked "
                         f"is {fmt_percent(implied, 0)}: the published rate is probably the mean of monthly rates or "
                         "uses unrounded counts; the table does not say.")
    entries = "Entries into treatment"
    if ref.loc[entries, "current_provision"] > ref.loc[attended, "current_provision"]:
        notes.append(f"{entries} ({fmt_count(ref.loc[entries, 'current_provision'])} a month in Q3 2025) exceed "
                     f"Required Assessments attended ({fmt_count(ref.loc[attended, 'current_provision'])}), so "
                     "entries are not a "
                     "later stage of the same funnel (people also enter treatment by other routes); they are "
                     "shown beside the funnel, not in it.")
    vals = dict(zip(referrals["kind"], referrals["value"], strict=True))
    if set(vals) != {"baseline", "latest"}:
        raise DataError(Problem(file=", ".join(provenance_of(referrals).files), column="kind",
                                expected="one baseline row and one latest row", got=", ".join(vals) or "no rows"))
    q3_booked = ref.loc[booked, "current_provision"] * 3
    notes.append(f"Plan dashboard serial 34 (police referrals into drug treatment via required assessment) "
                 f"gives {fmt_count(vals['baseline'])} (2024/25 baseline) and {fmt_count(vals['latest'])} (Q3 "
                 f"2025/26) without a unit; {fmt_count(ref.loc[booked, 'current_provision'])} Required Assessments "
                 f"booked a month is about {fmt_count(q3_booked)} a quarter, so the two sources do not obviously "
                 "reconcile.")
    total = int(pathway["count"].iloc[-1])
    notes.append(f"The 2025 pathway's {fmt_count(total)} entries into treatment via custody are "
                 f"{fmt_number(Decimal(total) / 12, 1)} a month, against the table's "
                 f"{fmt_count(ref.loc[entries, 'current_provision'])} a month in Q3 2025: consistent in size.")
    return notes



FUNDING_YEARS = ["2021/22", "2022/23", "2023/24", "2024/25", "2025/26", "2026/27", "2027/28"]


def funding_by_year(funding: pd.DataFrame) -> pd.DataFrame:
    """Funding per financial year for the timeline: the Home Office years as published
    (years inferred, see ``basis``), and the Commissioner's £200k over 2026/27-2027/28
    shown as an even split (``assumed``), since the split is not published."""
    rows = []
    for rec in funding.to_dict("records"):
        years = [y.strip() for y in rec["financial_year"].split("-20")]
        if len(years) == 2:  # "2026/27-2027/28"
            years = [years[0], "20" + years[1]]
        share = to_pence(rec["amount"] / len(years))
        for y in years:
            rows.append({"year": y, "funder": rec["funder"], "amount": share,
                         "label": f"£{fmt_number(share / 1000)}k" + ("*" if len(years) > 1 else ""),
                         "assumed": len(years) > 1})
    df = pd.DataFrame(rows)
    df["assumed"] = df["assumed"].astype("bool")
    return df


#: What the funding chart's activity lines come from, and the marker a value from the return carries.
FROM_RETURN = "monthly return"
RETURN_MARK = "*"


def activity_by_period(reference: pd.DataFrame, monthly: pd.DataFrame | None = None,
                       measures: tuple[str, ...] = ("Drug tests carried out",
                                                    "Required Assessment booked (Referral into treatment)",
                                                    "Entries into treatment")) -> pd.DataFrame:
    """Monthly averages to draw under the funding: the published enhanced-funding level
    across the Home Office years (the paper does not say which months it covers), the
    published Q3 2025 level, and each later financial year's average from the monthly
    return. ``source`` says which ("published" or "monthly return"); ``label`` marks a
    value from the return with "*" so the chart can say which lines are not published
    (the page names the return among the chart's inputs only when such a row exists)."""

    ref = reference.set_index("measure")
    rows = []
    for m in measures:
        rows.append({"measure": m, "first_year": "2021/22", "last_year": "2023/24",
                     "value": float(ref.loc[m, "enhanced_funding"]), "source": "published", "label": ""})
        rows.append({"measure": m, "first_year": "2025/26", "last_year": "2025/26",
                     "value": float(ref.loc[m, "current_provision"]), "source": "published", "label": ""})
    if monthly is not None and len(monthly):
        fys = [fy_label(fy_start_year(d)) for d in monthly["month"]]
        for fy in dict.fromkeys(fys):
            if fy not in FUNDING_YEARS or fy <= "2025/26":
                continue  # up to 2025/26 the published Q3 2025 level stands for current provision
            avg = monthly_averages(monthly.loc[[f == fy for f in fys]])
            for m in measures:
                rows.append({"measure": m, "first_year": fy, "last_year": fy, "value": as_float(avg[m]),
                             "source": FROM_RETURN, "label": RETURN_MARK})
    df = pd.DataFrame(rows)
    df = df.sort_values("measure", key=lambda s: s.map({m: i for i, m in enumerate(measures)}), kind="stable")
    df = df.reset_index(drop=True)
    for c in ("measure", "first_year", "last_year", "source", "label"):
        df[c] = df[c].astype("string")
    df["value"] = df["value"].astype("float64")
    return df


def reproduction_table(reference: pd.DataFrame, cstr_monthly: pd.DataFrame,
                       cstr_totals: pd.DataFrame) -> pd.DataFrame:
    """The closing note: each published DToA figure that the code can recompute from other
    published figures, beside what it produced, and whether they agree (the -23% is
    reported as produced -23pp).

    Only independent comparisons: a Change against the two published levels, a CSTR total
    against the sum of its published months. The funding amounts and the 2025 pathway
    counts have nothing independent to be checked against (comparing "200k" with the
    £200,000.00 typed from it would only check the transcription against itself), so they
    are shown as transcribed in their own sections, not here.
    """

    rows = []
    for r in comparison_table(reference).to_dict("records"):
        rows.append({"figure": f"Change: {r['measure']}", "published": r["published_change"],
                     "produced": f"{r['change_label']} (from the two published levels)",
                     "agrees": bool(r["as_published"]), "note": r["note"] or ""})
    for r in totals_check(cstr_monthly, cstr_totals).to_dict("records"):
        rows.append({"figure": f"CSTR total: {r['area']}, {r['measure']}", "published": fmt_count(r["published_total"]),
                     "produced": f"{fmt_count(r['sum_of_months'])} (sum of the 12 published months)",
                     "agrees": bool(r["matches"]), "note": ""})
    df = pd.DataFrame(rows)
    for c in ("figure", "published", "produced", "note"):
        df[c] = df[c].astype("string")
    df["agrees"] = df["agrees"].astype("boolean")
    return df
