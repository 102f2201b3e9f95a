"""The contact demand page (notebook 10): load once, then one function per section.

``load`` reads every input once (the monthly return, targets, published figures, the
uplift, the staffing assumptions, the call-level extract or simulated calls), decides the
quarter shown and notes what the data do not cover. Each section function returns a
:class:`~pcp_lib.display.page.Section` built from the inputs it uses, so anything computed
from a synthetic input is labelled SYNTHETIC by the page contract, naming the input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from pcp_lib.core.provenance import provenance_of
from pcp_lib.display.charts.spc import xmr_chart
from pcp_lib.display.icons import icon_cell
from pcp_lib.display.page import Context, Finding, Section, coverage_sentence, finding, opening
from pcp_lib.io.completeness import page_banner
from pcp_lib.io.datastore import last_period, quarter_dirs
from pcp_lib.io.moves import confirmed_moves
from pcp_lib.methods.periods import Quarter
from pcp_lib.reference.contact_staffing import Assumptions, load_assumptions
from pcp_lib.reference.contact_targets import load_targets
from pcp_lib.reference.spc_change_points import change_points, load_change_points
from pcp_lib.reference.spc_settings import load_settings, spc_preset
from pcp_lib.subjects.contact import assurance as spc_assurance
from pcp_lib.subjects.contact.calls import (
    CONTACT_CALLS_RETURN,
    EXTRACT_NAMES,
    aggregate_calls,
    find_extract,
    read_calls,
)
from pcp_lib.subjects.contact.figures import (
    RATE_CHARTS,
    calls_heatmap,
    channel_mix_chart,
    handlers_chart,
    rate_chart,
    volume_chart,
    weeks_covered,
)
from pcp_lib.subjects.contact.narrative import (
    backtest_sentences,
    staffing_sentences,
    summary_sentences,
    targets_sentence,
    volume_sentence,
)
from pcp_lib.subjects.contact.published import (
    PUBLISHED_ROWS,
    Published,
    Uplift,
    check_against_published,
    load_published,
    load_uplift,
    published_years,
)
from pcp_lib.subjects.contact.returns import (
    CHANNEL_NAMES,
    CHANNELS,
    CONTACT_MONTHLY_RETURN,
    VOICE,
    load_monthly,
)
from pcp_lib.subjects.contact.staffing import REPRODUCED_PP, back_test, complete_years, week_profile, what_if
from pcp_lib.subjects.contact.summary import (
    annual_summary,
    annual_volumes,
    quarter_summary,
    year_to_date_summary,
)
from pcp_lib.subjects.contact.synthetic import synthetic_calls
from pcp_lib.subjects.contact.tables import (
    as_published_table,
    backtest_table,
    calls_table,
    comparison_table,
    days_with_calls,
    needs_table,
    published_table,
    scenarios_table,
)
from pcp_lib.subjects.contact.targets import target_lookup

__all__ = ["NOTEBOOK", "QUESTION", "SECTIONS", "TITLE", "ContactContext", "arrivals", "assurance", "definitions", "findings",
           "load", "published", "quarter", "rates", "staffing", "title", "volumes"]

TITLE = "Contact demand: 999, 101 and online"
#: The notebook that shows this page in the pack (``notebooks/``): the pack renders the
#: notebooks its subjects declare, and no other.
NOTEBOOK = "10_contact_demand.ipynb"
QUESTION = ("How has demand on 999, 101 and online reporting changed, is the control room meeting its answer "
            "and abandonment targets, and how many call handlers does the demand need?")
SOURCE = "Force monthly contact return"
#: how a chart drawn from a synthetic sample is credited: in the form of the return, never as it
SAMPLE_SOURCE = f"SYNTHETIC sample in the form of the {SOURCE}"
#: When no call-level extract is sent: four weeks of simulated calls at published demand.
SIMULATED_START, SIMULATED_DAYS, SIMULATED_SEED = date(2025, 10, 6), 28, 20251006
CHART_MONTHS = 24

DEFINITIONS = (
    "Definitions. Rates are shares of calls offered (answered within N seconds of arrival / offered; abandoned / "
    "offered), so an abandoned call counts as not answered in time; the report does not say which denominator the "
    "Force uses. A call belongs to the month it arrived. Short abandons are not excluded. The published 101 "
    "measure (answered within 2 minutes) is not the measure of the local 101 target (75% within 15 minutes): "
    "both are shown, and only the 15-minute rate is judged against the target. Changes in volume are percent "
    "changes (%); changes in rates are percentage points (pp).")


@dataclass(kw_only=True)
class ContactContext(Context):
    """Every input of the contact page, read once. ``calls`` are the quarter's call-level
    extract, or simulated records when none was sent (``calls_sent`` False)."""

    monthly: pd.DataFrame
    targets: pd.DataFrame
    published: Published
    uplift: Uplift
    assumptions: Assumptions
    calls: pd.DataFrame
    calls_sent: bool
    preset: str
    change_points: pd.DataFrame


def _shown(asked: Quarter, last: date | None) -> Quarter | None:
    """The quarter asked for when the data reach into it; else the last quarter they reach."""
    if last is None:
        return None
    return asked if last >= asked.start else Quarter.containing(last)


def load(quarter: str, data_dir: str | Path | None = None, audience: str = "public") -> ContactContext:
    """Read every input once; decide the quarter shown; note what the data do not cover."""
    asked = Quarter.parse(quarter)
    monthly = load_monthly(asked, data_dir)
    last = last_period(monthly)
    shown = _shown(asked, last)
    extract = find_extract(quarter_dirs(data_dir).get(shown)) if shown is not None else None
    if extract is not None:
        calls = read_calls(extract)
    else:
        calls = synthetic_calls(SIMULATED_START, days=SIMULATED_DAYS, seed=SIMULATED_SEED, data_dir=data_dir)
    targets = load_targets(data_dir)
    published = load_published(data_dir)
    uplift = load_uplift(data_dir)
    assumptions = load_assumptions(data_dir)
    settings = load_settings(data_dir)
    changes = load_change_points(data_dir)
    coverage = [s for s in [coverage_sentence(asked, last, "contact demand")] if s]
    if shown is not None and shown != asked:
        coverage.append(f"The page shows {shown.label}, the latest quarter the contact data reach.")
    inputs = {"contact_monthly": provenance_of(monthly), "contact_targets": provenance_of(targets),
              "contact_annual": provenance_of(published.annual),
              "contact_annual_change": provenance_of(published.change),
              "contact_uplift": uplift.provenance, "contact_staffing_assumptions": assumptions.provenance,
              "contact_calls": provenance_of(calls), "spc_settings": provenance_of(settings),
              "spc_change_points": provenance_of(changes)}
    return ContactContext(asked=asked, shown=shown, audience=audience, data_dir=data_dir, inputs=inputs,
                          coverage=coverage, monthly=monthly, targets=targets, published=published, uplift=uplift,
                          assumptions=assumptions, calls=calls, calls_sent=extract is not None,
                          preset=spc_preset(settings), change_points=changes,
                          partial=page_banner((CONTACT_MONTHLY_RETURN, CONTACT_CALLS_RETURN), asked, data_dir, shown),
                          confirmed=confirmed_moves(CONTACT_MONTHLY_RETURN, shown, data_dir) if shown else [])


def _uses(ctx: ContactContext, *names: str) -> Section:
    return Section(uses=[ctx.inputs[n] for n in names])


def _source(ctx: ContactContext) -> str:
    """The credit of a chart of the monthly data: the Force's return, or, when the data are a
    synthetic sample, a sample in its form (never the return itself)."""
    return SAMPLE_SOURCE if ctx.inputs["contact_monthly"].synthetic else SOURCE


def _how_built(ctx: ContactContext, sec: Section) -> Section:
    """Where a synthetic sample's built-in patterns are shown, say how it was built (its own
    source note), so a pattern put into the sample is not read as a finding."""
    monthly = ctx.inputs["contact_monthly"]
    if monthly.synthetic and monthly.note:
        sec.note("How the SYNTHETIC sample was built (a pattern below that it was built with is how the sample was "
                 f"made, not a finding): {monthly.note.splitlines()[-1]}", "synthetic")
    return sec


def title(ctx: ContactContext) -> Section:
    """The title block: question, quarter, every input with its kind; coverage and synthetic notes."""
    return opening(ctx, TITLE, QUESTION, findings(ctx))


def quarter(ctx: ContactContext) -> Section:
    """Which targets the quarter met, then its months against the same quarter a year earlier,
    and the year to date."""
    sec = _uses(ctx, "contact_monthly", "contact_targets")
    if ctx.shown is None:
        return sec.note(f"No contact data up to {ctx.asked.label}, so there is nothing to compare.", "coverage")
    q = quarter_summary(ctx.monthly, ctx.shown, ctx.targets)
    ytd = year_to_date_summary(ctx.monthly, ctx.shown, ctx.targets)
    for part in (q, ytd):  # like for like: a part period is compared on the same months only, and says so
        if part.attrs["like_for_like"]:
            sec.note(part.attrs["like_for_like"], "coverage")
    sec.sentences([s for s in [targets_sentence(q)] if s] + summary_sentences(q))
    sec.table(comparison_table(q), f"{ctx.shown.label} against {ctx.shown.year_earlier().label}.")
    return sec.table(comparison_table(ytd), "Financial year to date against the same months a year earlier.")


def _check_sentences(check: pd.DataFrame, ctx: ContactContext) -> list[str]:
    """How many published figures the monthly data reproduce, and, when the monthly data are a
    synthetic sample, that the sample was built from those figures (so the check tests code)."""
    lines = [f"{int(check['match'].sum())} of {len(check)} published figures are reproduced exactly from the "
             "monthly data (table below)."]
    monthly = ctx.inputs["contact_monthly"]
    if monthly.synthetic:
        lines.append(f"The monthly data ({', '.join(monthly.synthetic_names)}) are a SYNTHETIC sample built to add up "
                     "to these same published figures, so this check cannot fail except through an error in the "
                     "code (definitions, rounding): it says nothing about whether real monthly returns agree with "
                     "the report.")
    return lines


def published(ctx: ContactContext) -> Section:
    """The report's three tables computed from the monthly return, every measure against its
    target (each row saying whether the report publishes it), and the check against the report."""
    sec = _uses(ctx, "contact_monthly", "contact_targets", "contact_annual", "contact_annual_change")
    y0, y1 = published_years(ctx.published)
    months = set(ctx.monthly["month"])
    if not all(date(y, m, 1) in months for y in (y0, y1) for m in range(1, 13)):
        return sec.note(f"The data up to {ctx.asked.label} do not cover calendar years {y0} and {y1}, so the "
                        "published tables cannot be reproduced here.", "coverage")
    s = annual_summary(ctx.monthly, (y0, y1), ctx.targets)
    change_words = "'% change' is a percent change for volume and a change in percentage points (pp) for rates."
    if ctx.inputs["contact_monthly"].synthetic:
        # the published tables as printed, from the published figures: real, never labelled as the sample
        printed = _uses(ctx, "contact_annual", "contact_annual_change")
        for ch in CHANNELS:
            printed.table(as_published_table(ctx.published, ch), f"{CHANNEL_NAMES[ch]}: the published table, as "
                          f"printed in the Police Contact Demand report. {change_words}")
        sec.include(printed)
    sec.sentences(summary_sentences(s, only={(ch, m) for ch, ms in PUBLISHED_ROWS.items() for m in ms}))
    if not ctx.inputs["contact_monthly"].synthetic:
        for ch in CHANNELS:
            sec.table(published_table(s, ch), f"{CHANNEL_NAMES[ch]}: the published table, computed from the monthly "
                      f"return. {change_words}")
    note = ("not published: illustrative (made up for the sample)" if ctx.inputs["contact_monthly"].synthetic
            else "not published")
    sec.table(comparison_table(s, published_note=note), f"Calendar {y0} and {y1}: every measure against its target; "
              "the last column says which figures the report publishes.")
    check = check_against_published(s, ctx.published)
    sec.sentences(_check_sentences(check, ctx))
    return sec.table(check.assign(match=check["match"].map({True: "✔ same", False: "✖ differs"})),
                     "Published against computed.")


def _window(ctx: ContactContext) -> pd.DataFrame:
    """The last ``CHART_MONTHS`` months of data up to the end of the quarter shown."""
    if ctx.shown is None:
        return ctx.monthly.iloc[0:0]
    m = ctx.monthly[ctx.monthly["month"] <= ctx.shown.months[-1]]
    keep = sorted(set(m["month"]))[-CHART_MONTHS:]
    return m[m["month"].isin(keep)]


def rates(ctx: ContactContext) -> Section:
    """Each rate by month against its target (the published 101 2-minute rate has none)."""
    sec = _uses(ctx, "contact_monthly", "contact_targets")
    m = _window(ctx)
    if m.empty:
        return sec.note("No monthly data to chart.", "coverage")
    _how_built(ctx, sec)
    tmap = target_lookup(ctx.targets)
    for ch, measure in RATE_CHARTS:
        sec.chart(rate_chart, m, ch, measure, tmap.get((ch, measure)), _source(ctx))
    return sec


def assurance(ctx: ContactContext) -> Section:
    """Each rate with a target as an XmR chart with its target line and the assurance icon: will
    the process, as it runs, consistently meet the target, fail it, or hit and miss? Limits are
    recalculated at the known change points (reference data); while the latest period is still
    changing no assurance is given and the title says what the latest months did instead."""
    sec = _uses(ctx, "contact_monthly", "contact_targets", "spc_settings", "spc_change_points")
    m = _window(ctx)
    if m.empty:
        return sec.note("No monthly data to chart.", "coverage")
    _how_built(ctx, sec)
    results = spc_assurance.assurance_results(m, ctx.targets, ctx.preset, ctx.change_points)
    sec.table(spc_assurance.display_assurance(spc_assurance.assurance_table(results, ctx.targets)),
              f"SPC assurance of each rate with a target, {CHART_MONTHS} months to {ctx.shown.label if ctx.shown else ''}"
              "; limits recalculated at the known change points.",
              special={"Variation (latest month)": icon_cell, "Assurance": icon_cell})
    for key in results:
        for cp in change_points(ctx.change_points, spc_assurance.series_key(*key)):
            sec.note(f"{CHANNEL_NAMES[key[0]]} {key[1]}: limits recalculated from {cp.month:%B %Y}: {cp.reason} "
                     f"({cp.source}).")
    tmap = target_lookup(ctx.targets)
    for key, r in results.items():
        title = spc_assurance.assurance_title(*key, r, tmap[key], spc_assurance.exact_rates(m, *key))
        sec.chart(xmr_chart, r, title, subtitle="% of calls offered, by month; XmR with the target (dashed)",
                  source=_source(ctx), ylabel="% of calls offered")
    return sec


def volumes(ctx: ContactContext) -> Section:
    """Contacts offered by month on each channel, and each channel's share."""
    sec = _uses(ctx, "contact_monthly")
    m = _window(ctx)
    if m.empty:
        return sec.note("No monthly data to chart.", "coverage")
    return sec.chart(volume_chart, m, _source(ctx)).chart(channel_mix_chart, m, _source(ctx))


def arrivals(ctx: ContactContext) -> Section:
    """When calls arrive (day of week by hour) from the call-level records, and the same
    records aggregated to the monthly return."""
    sec = _uses(ctx, "contact_calls")
    if not ctx.calls_sent:
        where = ctx.shown.label if ctx.shown is not None else ctx.asked.label
        sent = f"{', '.join(EXTRACT_NAMES[:-1])} or {EXTRACT_NAMES[-1]}"
        sec.note(f"No call-level extract ({sent}) was sent for {where}, so the heatmaps "
                 f"below and the weekly pattern of the staffing what-if use simulated call records "
                 f"({SIMULATED_DAYS // 7} weeks at published demand).", "coverage")
    profile = week_profile(ctx.calls)
    weeks = weeks_covered(ctx.calls)
    source = provenance_of(ctx.calls).names[0]
    for ch in VOICE:
        sec.chart(calls_heatmap, profile, ch, weeks, source)
    return sec.table(calls_table(aggregate_calls(ctx.calls), days_with_calls(ctx.calls)), "The same records "
                     "aggregated to the monthly return by aggregate_calls (same definitions as the Force's return); a "
                     "month the records cover only in part is marked partial, not a full month.")


def staffing(ctx: ContactContext) -> Section:
    """How many call handlers the demand needs hour by hour, and what the uplifts buy."""
    sec = _uses(ctx, "contact_monthly", "contact_targets", "contact_staffing_assumptions", "contact_uplift",
                "contact_calls")
    years = complete_years(ctx.monthly)
    if len(years) < 2:
        return sec.note(f"The staffing what-if needs two complete calendar years of data up to {ctx.asked.label}.",
                        "coverage")
    y0, y1 = years[-2], years[-1]
    plan = what_if(annual_volumes(ctx.monthly, (y0, y1)), (y0, y1), week_profile(ctx.calls), ctx.assumptions,
                   ctx.targets, ctx.uplift)
    sec.note(f"The what-if rests on assumed handling times, callers' patience and shrinkage "
             f"({', '.join(ctx.assumptions.provenance.files)}) and on the weekly pattern of the call records. "
             "999 and 101 are modelled as separate pools, so the figures show scale, not a rota.")
    # first, the model against what happened: the published years with the published staffing
    bt = back_test(plan, ctx.published, ctx.assumptions, ctx.uplift)
    checked = Section(uses=[ctx.inputs[n] for n in ("contact_monthly", "contact_targets", "contact_annual",
                                                    "contact_staffing_assumptions", "contact_uplift", "contact_calls")])
    checked.sentences(backtest_sentences(bt, REPRODUCED_PP, ctx.uplift,
                                         assumed_synthetic=ctx.assumptions.provenance.synthetic,
                                         simulated_calls=ctx.inputs["contact_calls"].synthetic))
    checked.table(backtest_table(bt), "Back-test: the model's rates with the published staffing against the "
                  "published rates (Police Contact Demand report, paras 8 and 11)")
    sec.include(checked)
    sec.sentences(staffing_sentences(plan.summary, plan.scenarios, ctx.uplift, reproduced=bool(bt["within"].all())))
    t = target_lookup(ctx.targets)
    sec.table(needs_table(plan.summary), "Call handlers needed to meet the targets, hour by hour: 999 by Erlang C "
              f"({t[('999', 'answered_10s')]['target_pct']}% within 10 s); 101 by Erlang A "
              f"({t[('101', 'answered_15min')]['target_pct']}% within 15 min and under "
              f"{t[('101', 'abandoned')]['target_pct']}% abandoned).")
    sec.chart(handlers_chart, plan, "pcp_lib.subjects.contact.staffing")
    return sec.table(scenarios_table(plan.scenarios), f"What the uplift buys against {y1} demand (Erlang A, callers "
                     f"hang up after their patience; % of calls offered). Core = what {y0} demand needed less the "
                     f"{ctx.uplift.extra_fte_2024_25}-FTE uplift.")


def definitions(ctx: ContactContext) -> Section:
    """How the rates and changes are defined (not computed from data)."""
    return Section().note(DEFINITIONS)


SECTIONS = (
    ("The quarter", quarter),
    ("The published tables", published),
    ("Each rate by month against its target", rates),
    ("Will the targets keep being met? SPC assurance", assurance),
    ("Volumes by channel and the channel mix", volumes),
    ("When calls arrive: hour of day by day of week (call-level data)", arrivals),
    ("Staffing what-if", staffing),
    ("Definitions", definitions),
)


def findings(ctx: ContactContext) -> list[Finding]:
    """For the front page: which targets the quarter met or missed, and how 999 and 101
    demand changed on a year earlier (the sentences of "The quarter", from the same summary)."""
    if ctx.shown is None:
        return [finding(ctx, f"No contact data up to {ctx.asked.label}.", SECTIONS, quarter, ctx.asked.label,
                        "contact_monthly")]
    q = quarter_summary(ctx.monthly, ctx.shown, ctx.targets)
    lines = [(targets_sentence(q), ("contact_monthly", "contact_targets")),
             *((volume_sentence(q, ch), ("contact_monthly",)) for ch in VOICE)]
    return [finding(ctx, text, SECTIONS, quarter, ctx.shown.label, *uses) for text, uses in lines if text]
