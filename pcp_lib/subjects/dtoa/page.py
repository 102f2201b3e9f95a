"""The DToA page of the pack (notebook 20): ``load`` and one function per section.

``load`` reads every input once (the monthly custody-pathway return and the seven
published tables) and records where each came from; each section function returns a
:class:`~pcp_lib.display.page.Section` built from the inputs it uses, so anything computed
from a synthetic input is labelled SYNTHETIC, naming it, and nothing else is. Where one
section shows parts built from different inputs (published funnels beside a funnel from
the monthly return), each part is labelled by its own inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pcp_lib.core.provenance import combine, provenance_of
from pcp_lib.display.charts.funding_timeline import funding_timeline
from pcp_lib.display.charts.funnel import funnel_panels
from pcp_lib.display.charts.grouped_bars import grouped_bars
from pcp_lib.display.charts.monthly_levels import monthly_levels
from pcp_lib.display.page import Context, Finding, Section, coverage_sentence, finding, opening
from pcp_lib.io.completeness import page_banner
from pcp_lib.io.datastore import last_period
from pcp_lib.io.moves import confirmed_moves
from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects.dtoa import cstr as cstr_tables
from pcp_lib.subjects.dtoa import narrative, published, tables
from pcp_lib.subjects.dtoa import pathway as monthly_return

__all__ = ["NOTEBOOK", "QUESTION", "SECTIONS", "TITLE", "DtoaContext", "closing_note", "cstr_by_area", "data_quality",
           "dropoffs", "findings", "funding_history", "load", "pathway_2025", "quarter", "then_and_now", "title", "uplift"]

TITLE = "Drug Testing on Arrest: drop-offs on the custody-to-treatment pathway"
#: The notebook that shows this page in the pack (``notebooks/``): the pack renders the
#: notebooks its subjects declare, and no other.
NOTEBOOK = "20_dtoa_dropoffs.ipynb"
QUESTION = ("Where do people drop off between custody and treatment, how did that change when Home Office "
            "funding ended, and is the May 2026 uplift showing yet?")
REPORT = "OPCC Commissioned Services Report, June 2026"
PUBLISHED_NOTE = ("Published figures (data/published/dtoa_*.csv) are transcribed exactly from the OPCC Commissioned "
                  "Services Report to the Police and Crime Panel of 23 June 2026 (paras 23-26) and the Plan "
                  "Delivery Update, Appendix 1 serial 34; each row names the paragraph it came from.")
#: The monthly measures drawn against the published levels in the uplift section.
UPLIFT_CHARTS = ("tests", "ra_booked", "treatment_entries")


@dataclass(kw_only=True)
class DtoaContext(Context):
    """The DToA page's inputs, each read once: the monthly return (``pathway``, up to the
    quarter asked for) and the published tables."""

    pathway: pd.DataFrame
    comparison: pd.DataFrame
    pathway_2025: pd.DataFrame
    cstr_monthly: pd.DataFrame
    cstr_totals: pd.DataFrame
    funding: pd.DataFrame
    contributions: pd.DataFrame
    referrals: pd.DataFrame


def load(quarter: str, data_dir: str | Path | None = None, audience: str = "public") -> DtoaContext:
    """Read every input once; the quarter shown is the one asked for (None when the monthly
    return holds nothing up to it; the published sections show regardless)."""
    asked = Quarter.parse(quarter)
    frames = {
        "dtoa_custody_comparison": published.load_comparison(data_dir),
        "dtoa_pathway_2025": published.load_pathway_2025(data_dir),
        "dtoa_cstr_monthly": cstr_tables.load_monthly(data_dir),
        "dtoa_cstr_totals": cstr_tables.load_totals(data_dir),
        "dtoa_funding": published.load_funding(data_dir),
        "dtoa_turning_point_contributions": published.load_contributions(data_dir),
        "dtoa_dashboard_referrals": published.load_referrals_metric(data_dir),
        "dtoa_pathway": monthly_return.load_pathway(asked, data_dir),
    }
    last = last_period(frames["dtoa_pathway"])
    gap = coverage_sentence(asked, last, "DToA custody pathway monthly")
    return DtoaContext(
        asked=asked, shown=asked if last is not None else None, audience=audience, data_dir=data_dir,
        inputs={name: provenance_of(df) for name, df in frames.items()}, coverage=[gap] if gap else [],
        pathway=frames["dtoa_pathway"], comparison=frames["dtoa_custody_comparison"],
        pathway_2025=frames["dtoa_pathway_2025"], cstr_monthly=frames["dtoa_cstr_monthly"],
        cstr_totals=frames["dtoa_cstr_totals"], funding=frames["dtoa_funding"],
        contributions=frames["dtoa_turning_point_contributions"], referrals=frames["dtoa_dashboard_referrals"],
        confirmed=confirmed_moves(monthly_return.DTOA_PATHWAY_RETURN, asked, data_dir),
        partial=page_banner((monthly_return.DTOA_PATHWAY_RETURN,), asked, data_dir,
                            Quarter.containing(last) if last is not None else None))


def _then(sec: Section, *parts: Section) -> Section:
    """One section shown as parts built from different inputs, each already labelled by
    its own inputs; the whole carries the provenance of every part."""
    for part in parts:
        sec.items.extend(part.items)
        if part.provenance is not None:
            sec.provenance = part.provenance if sec.provenance is None else combine([sec.provenance,
                                                                                     part.provenance])
    return sec


def title(ctx: DtoaContext) -> Section:
    """The title block, what the monthly return does not cover, and where the published
    figures come from."""
    return opening(ctx, TITLE, QUESTION, findings(ctx)).note(PUBLISHED_NOTE)


def quarter(ctx: DtoaContext) -> Section:
    """Monthly averages for the quarter, a year earlier and the year to date (monthly return)."""
    table = monthly_return.quarter_table(ctx.pathway, ctx.asked)
    sec = Section(uses=[ctx.inputs["dtoa_pathway"]])
    sec.sentences(narrative.quarter_sentences(ctx.pathway, table, ctx.asked))
    return sec.table(tables.quarter(table), f"DToA custody pathway, monthly averages, {ctx.asked.label}")


def then_and_now(ctx: DtoaContext) -> Section:
    """The published table with its Change column recomputed from the two published levels."""
    cmp = published.comparison_table(ctx.comparison)
    sec = Section(uses=[ctx.inputs["dtoa_custody_comparison"]])
    sec.table(tables.comparison(cmp), "Monthly averages: with enhanced Home Office funding and current provision "
                                      "(Q3 2025), as published, with the change recomputed")
    return sec.sentences(narrative.comparison_sentences(cmp))


def dropoffs(ctx: DtoaContext) -> Section:
    """The published funnels (and the quarter's, from the monthly return, when it has
    months of the quarter): where most eligible people do not go on."""
    enhanced = published.published_funnel(ctx.comparison, "enhanced_funding")
    current = published.published_funnel(ctx.comparison, "current_provision")
    panels = [("With enhanced HO funding (published monthly average)", enhanced),
              ("Current provision, Q3 2025 (published monthly average)", current)]
    uses = [ctx.inputs["dtoa_custody_comparison"]]
    subtitle = "People a month at each step; ▼ not carried forward from the step before: not eligible, or did not go on"
    if monthly_return.months_in(ctx.pathway, ctx.asked)["quarter"]:
        panels.append((f"{ctx.asked.label}, monthly return", monthly_return.quarter_funnel(ctx.pathway, ctx.asked)))
        uses.append(ctx.inputs["dtoa_pathway"])
        subtitle += "; third panel from the monthly return"
    chart = Section(uses=uses).chart(
        funnel_panels, panels, narrative.funnel_title(enhanced, current), subtitle=subtitle, source=f"{REPORT}, para 23",
        labels=monthly_return.STAGE_LABELS)
    published_part = Section(uses=[ctx.inputs["dtoa_custody_comparison"]])
    published_part.sentences(narrative.dropoff_sentences(enhanced, current, "With enhanced funding", "In Q3 2025"))
    published_part.table(tables.funnel(enhanced), "Funnel with enhanced Home Office funding (monthly average)")
    published_part.table(tables.funnel(current), "Funnel under current provision, Q3 2025 (monthly average)")
    return _then(chart, published_part)


def pathway_2025(ctx: DtoaContext) -> Section:
    """The published January-December 2025 pathway as a funnel."""
    fun = published.pathway_2025_funnel(ctx.pathway_2025)
    sec = Section(uses=[ctx.inputs["dtoa_pathway_2025"]])
    sec.chart(funnel_panels, [("January-December 2025 (people)", fun)], narrative.pathway_2025_title(fun),
              subtitle="People at each step; ▼ not carried forward from the step before: not eligible, or did not go on",
              source=f"{REPORT}, para 25")
    sec.sentences(narrative.pathway_2025_sentences(fun))
    return sec.table(tables.funnel(fun), "Drug Test on Arrest pathway, January-December 2025")


def uplift(ctx: DtoaContext) -> Section:
    """Monthly counts before and since the uplift, with exact intervals, against the
    published levels."""
    monitor = monthly_return.uplift_monitor(ctx.pathway, ctx.comparison)
    sec = Section(uses=[ctx.inputs["dtoa_pathway"], ctx.inputs["dtoa_custody_comparison"]])
    sec.sentences(narrative.uplift_sentences(monitor, ctx.asked))
    sec.table(tables.monitor(monitor), "Before and since the uplift: monthly means with 95% intervals")
    if ctx.pathway.empty:
        return sec
    levels_of = ctx.comparison.set_index("measure")
    for column in UPLIFT_CHARTS:
        name = monthly_return.MEASURE_NAMES[column]
        levels = {"With enhanced HO funding": float(levels_of.loc[name, "enhanced_funding"]),
                  "Q3 2025": float(levels_of.loc[name, "current_provision"])}
        months = monthly_return.monthly_intervals(ctx.pathway, column)
        sec.chart(monthly_levels, months, levels,
                  narrative.uplift_title(months, monthly_return.SHORT_NAMES[column], levels),
                  subtitle="Each month with its 95% Poisson interval",
                  source="DToA custody pathway monthly return; levels from the June 2026 report",
                  change_date=monthly_return.UPLIFT_START, change_label="Uplift starts", ylabel="a month")
    return sec


def cstr_by_area(ctx: DtoaContext) -> Section:
    """CSTR starts, ends and completion by area, the monthly tables, and the published
    totals against the sum of their months."""
    months, totals = ctx.inputs["dtoa_cstr_monthly"], ctx.inputs["dtoa_cstr_totals"]
    check = cstr_tables.totals_check(ctx.cstr_monthly, ctx.cstr_totals)
    summary = cstr_tables.summary(ctx.cstr_monthly)
    sec = Section(uses=[months, totals]).sentences(narrative.cstr_sentences(summary, check))
    by_month = Section(uses=[months])
    by_month.table(tables.cstr_summary(summary), "CSTRs by area, January-December 2025")
    bars = summary.set_index("area").loc[list(cstr_tables.AREAS), [cstr_tables.STARTS, cstr_tables.ENDS,
                                                                    cstr_tables.SUCCESS]]
    by_month.chart(grouped_bars, bars, narrative.cstr_title(summary),
                   subtitle="CSTR modalities (ATR, DRR), January-December 2025",
                   source=f"{REPORT}, para 25", ylabel="People")
    for area in cstr_tables.AREAS:
        by_month.table(cstr_tables.area_table(ctx.cstr_monthly, area),
                       f"{area}: CSTR modalities by month, 2025 (Total recomputed from the months)")
    by_month.table(tables.cstr_rolling(cstr_tables.rolling_12(ctx.cstr_monthly)),
                   "Rolling 12-month figures (only windows with 12 months of data)")
    checked = Section(uses=[months, totals]).table(check.astype("string"),
                                                   "Published totals against the sum of the months")
    return _then(sec, by_month, checked)


def funding_history(ctx: DtoaContext) -> Section:
    """Funding by year above the activity it bought, and the funding as published."""
    by_year = published.funding_by_year(ctx.funding)
    activity = published.activity_by_period(ctx.comparison, ctx.pathway)
    from_return = bool((activity["source"] == published.FROM_RETURN).any())
    uses = [ctx.inputs["dtoa_funding"], ctx.inputs["dtoa_custody_comparison"]]
    subtitle = ("Lower: a month. Enhanced level across the HO years (months not stated); uplift split evenly "
                "(not published)")
    if from_return:
        uses.append(ctx.inputs["dtoa_pathway"])
        subtitle += f"; {published.RETURN_MARK} from the monthly return"
    chart = Section(uses=uses).chart(funding_timeline, by_year, activity, published.FUNDING_YEARS,
                                     narrative.funding_title(by_year), subtitle=subtitle,
                                     source=f"{REPORT}, paras 23-24")
    table = Section(uses=[ctx.inputs["dtoa_funding"], ctx.inputs["dtoa_turning_point_contributions"]])
    table.table(tables.funding(ctx.funding, ctx.contributions), "DToA funding and OPCC contributions as published")
    return _then(chart, table)


def data_quality(ctx: DtoaContext) -> Section:
    """Where the published figures do not agree with each other."""
    sec = Section(uses=[ctx.inputs["dtoa_custody_comparison"], ctx.inputs["dtoa_pathway_2025"],
                        ctx.inputs["dtoa_dashboard_referrals"]])
    return sec.sentences(published.consistency_notes(ctx.comparison, ctx.pathway_2025, ctx.referrals))


def closing_note(ctx: DtoaContext) -> Section:
    """Each published figure the code recomputes from other published figures, and
    whether they agree; what is not checked, and why."""
    rep = published.reproduction_table(ctx.comparison, ctx.cstr_monthly, ctx.cstr_totals)
    sec = Section(uses=[ctx.inputs["dtoa_custody_comparison"], ctx.inputs["dtoa_cstr_monthly"],
                        ctx.inputs["dtoa_cstr_totals"]])
    sec.table(tables.reproduction(rep), "Published DToA figures recomputed from other published figures, and "
                                        "whether they agree")
    return sec.note("Not in this table: the funding amounts and the 2025 pathway counts. Each is a single published "
                    "figure with nothing independent to check it against (a figure compared with its own "
                    "transcription always agrees), so they are shown as transcribed, with their sources, in the "
                    "sections above.")


SECTIONS = (
    ("The quarter asked for", quarter),
    ("With enhanced Home Office funding and now: the published table reproduced", then_and_now),
    ("Where people drop off", dropoffs),
    ("The 2025 pathway: from custody to treatment", pathway_2025),
    ("Monitoring the Commissioner's uplift (from May 2026)", uplift),
    ("Community Sentence Treatment Requirements by area", cstr_by_area),
    ("Funding and the pathway", funding_history),
    ("Data-quality notes", data_quality),
    ("Closing note: the published figures and what this notebook produced", closing_note),
)


def findings(ctx: DtoaContext) -> list[Finding]:
    """For the front page: where the pathway now loses most people and which step weakened
    most since Home Office funding ended (published, as in "Where people drop off"), and the
    quarter's monthly averages from the monthly return (the first sentence of "The quarter
    asked for")."""
    enhanced = published.published_funnel(ctx.comparison, "enhanced_funding")
    current = published.published_funnel(ctx.comparison, "current_provision")
    when = f"Q3 2025 ({REPORT})"
    lines = [(narrative.largest_loss_sentence(current, "In Q3 2025"), dropoffs, when),
             (narrative.weakened_step_sentence(enhanced, current, "With enhanced funding", "In Q3 2025"), dropoffs,
              when)]
    out = [finding(ctx, text, SECTIONS, fn, period, "dtoa_custody_comparison") for text, fn, period in lines if text]
    table = monthly_return.quarter_table(ctx.pathway, ctx.asked)
    first = narrative.quarter_sentences(ctx.pathway, table, ctx.asked)[0]
    return [*out, finding(ctx, first, SECTIONS, quarter, ctx.asked.label, "dtoa_pathway")]
