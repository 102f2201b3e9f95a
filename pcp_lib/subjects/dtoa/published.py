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

from pcp_lib.io.datastore import published_path
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.periods import fy_label, fy_start_year
from pcp_lib.subjects.dtoa.arithmetic import change, compare_periods, funnel, normalise_label, round_half_up
from pcp_lib.subjects.dtoa.cstr import totals_check
from pcp_lib.subjects.dtoa.pathway import FUNNEL_STAGES, monthly_averages

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
        share = (rec["amount"] / len(years)).quantize(Decimal("0.01"))
        for y in years:
            rows.append({"year": y, "funder": rec["funder"], "amount": share,
                         "label": f"£{share / 1000:,.0f}k" + ("*" if len(years) > 1 else ""),
                         "assumed": len(years) > 1})
    df = pd.DataFrame(rows)
    df["assumed"] = df["assumed"].astype("bool")
    return df


def activity_by_period(reference: pd.DataFrame, monthly: pd.DataFrame | None = None,
                       measures: tuple[str, ...] = ("Drug tests carried out",
                                                    "Required Assessment booked (Referral into treatment)",
                                                    "Entries into treatment")) -> pd.DataFrame:
    """Monthly averages to draw under the funding: the published enhanced-funding level
    across the Home Office years (the paper does not say which months it covers), the
    published Q3 2025 level, and each later financial year's average from the monthly
    return (marked "*" when synthetic)."""

    ref = reference.set_index("measure")
    rows = []
    for m in measures:
        rows.append({"measure": m, "first_year": "2021/22", "last_year": "2023/24",
                     "value": ref.loc[m, "enhanced_funding"], "label": ""})
        rows.append({"measure": m, "first_year": "2025/26", "last_year": "2025/26",
                     "value": ref.loc[m, "current_provision"], "label": ""})
    if monthly is not None and len(monthly):
        fys = [fy_label(fy_start_year(d)) for d in monthly["month"]]
        for fy in dict.fromkeys(fys):
            sub = monthly.loc[[f == fy for f in fys]]
            avg = monthly_averages(sub)
            if fy not in FUNDING_YEARS or fy <= "2025/26":
                continue  # up to 2025/26 the published Q3 2025 level stands for current provision
            for m in measures:
                rows.append({"measure": m, "first_year": fy, "last_year": fy, "value": avg[m],
                             "label": "*" if monthly.attrs.get("synthetic") else ""})
    df = pd.DataFrame(rows)
    df = df.sort_values("measure", key=lambda s: s.map({m: i for i, m in enumerate(measures)}), kind="stable")
    return df.reset_index(drop=True)


def reproduction_table(reference: pd.DataFrame, pathway: pd.DataFrame, cstr_monthly: pd.DataFrame,
                       cstr_totals: pd.DataFrame, funding: pd.DataFrame) -> pd.DataFrame:
    """The closing note: every published DToA figure beside what the code produced from the
    transcribed inputs, and whether they agree (the -23% is reported as produced -23pp)."""

    rows = []
    for r in comparison_table(reference).to_dict("records"):
        rows.append({"figure": f"Change: {r['measure']}", "published": r["published_change"],
                     "produced": r["change_label"], "agrees": bool(r["as_published"]),
                     "note": r["note"] or ""})
    fun = pathway_2025_funnel(pathway)
    chain = " → ".join(f"{int(c):,}" for c in fun["count"])
    rows.append({"figure": "2025 pathway (identified → viable → referred → entered treatment)",
                 "published": " → ".join(f"{int(c):,}" for c in pathway["count"]), "produced": chain,
                 "agrees": chain == " → ".join(f"{int(c):,}" for c in pathway["count"]),
                 "note": "funnel arithmetic accepts it (each stage no larger than the one before)"})
    for r in totals_check(cstr_monthly, cstr_totals).to_dict("records"):
        rows.append({"figure": f"CSTR total: {r['area']}, {r['measure']}", "published": str(r["published_total"]),
                     "produced": f"{r['sum_of_months']} (sum of the 12 months)", "agrees": bool(r["matches"]),
                     "note": ""})
    for r in funding.to_dict("records"):
        rows.append({"figure": f"Funding: {r['funder']}, {r['period']}", "published": r["published_as"],
                     "produced": f"£{r['amount']:,.2f}",
                     "agrees": Decimal(r["published_as"].lower().rstrip("k")) * 1000 == r["amount"],
                     "note": r["basis"]})
    df = pd.DataFrame(rows)
    for c in ("figure", "published", "produced", "note"):
        df[c] = df[c].astype("string")
    df["agrees"] = df["agrees"].astype("boolean")
    return df
