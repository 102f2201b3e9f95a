"""The dashboard's page of the pack (notebook 00): the page contract for the Plan dashboard.

``load`` reads every input once: the metric register, the Plan metric values of the latest
quarter up to the one asked for, the population (for counts behind rates), the police.uk
monthly counts (optional: without them no count or rate is tested, and the page says so), the
action register of that quarter and the action totals published for it. Each
section function returns what to display, built from the inputs it names, so anything
computed from a synthetic input is labelled by ``Section`` itself.

When no quarter up to the one asked for has metric values, ``load`` still succeeds: the
opening says so, and every section that needs the values shows a coverage note instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from pcp_lib.core.provenance import Provenance, provenance_of
from pcp_lib.display.charts.bars import progress_bars, rag_stacked_bars
from pcp_lib.display.icons import icon_cell_short
from pcp_lib.display.page import Context, Finding, Section, coverage_sentence, finding, named_source, opening
from pcp_lib.display.wording import and_list, leaders
from pcp_lib.io.completeness import page_banner
from pcp_lib.io.confirmations import load_confirmations
from pcp_lib.io.datastore import quarter_dirs
from pcp_lib.methods import rag
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.stats import HOW_TO_READ, fmt_p
from pcp_lib.methods.units import fmt_count, fmt_percent, percent_of
from pcp_lib.reference.population import llr_total, load_population
from pcp_lib.reference.rag_bands import bands_of, load_band_table
from pcp_lib.reference.spc_change_points import change_points, load_change_points, series_name
from pcp_lib.reference.spc_settings import load_settings, spc_preset
from pcp_lib.subjects.crime.counts import last_month
from pcp_lib.subjects.dashboard import actions as act
from pcp_lib.subjects.dashboard import assess
from pcp_lib.subjects.dashboard.evidence import load_series, statistical_view
from pcp_lib.subjects.dashboard.register import (
    METRIC_VALUES_RETURN,
    load_register,
    load_values,
    previous_latest,
)

__all__ = ["NOTEBOOK", "QUESTION", "SECTIONS", "TITLE", "DashboardContext", "appendix", "by_strategy", "data_quality",
           "delivery", "findings", "load", "method", "rag_statement", "red_metrics", "spc_month", "statistics",
           "summary", "title"]

TITLE = "Police and Crime Plan dashboard"
#: The notebook that shows this page in the pack (``notebooks/``): the pack renders the
#: notebooks its subjects declare, and no other.
NOTEBOOK = "00_pcp_dashboard.ipynb"
QUESTION = "Which headline metrics are on track, within the agreed range or moving against the Plan?"
VALUES_SOURCE = "Plan metric values return; RAG computed by the agreed rule"


@dataclass(kw_only=True)
class DashboardContext(Context):
    """The dashboard's inputs, read once. ``assessed`` is every metric with its RAG (all of
    them, for the statistics); ``table`` the same as this audience may see it. Both are None
    when no quarter up to the one asked for has metric values (``shown`` is None)."""

    register: pd.DataFrame
    population: int
    bands: rag.Bands
    assessed: pd.DataFrame | None = None
    table: pd.DataFrame | None = None
    series: pd.DataFrame | None = None
    actions: pd.DataFrame | None = None
    published: act.PublishedTotals | None = None
    preset: str | None = None  # the SPC rules (reference data), read with the police.uk series
    change_points: pd.DataFrame | None = None  # where SPC limits are recalculated, read with the series


def load(quarter: str, data_dir: str | Path | None = None, audience: str = "public") -> DashboardContext:
    """Read every input once; show the latest quarter up to ``quarter`` with metric values."""
    asked = Quarter.parse(quarter)
    shown = assess.dashboard_quarter(asked, data_dir)
    register = load_register(data_dir=data_dir)
    population_table = load_population(data_dir)
    population = llr_total(population_table)[0]
    totals = act.load_published_totals(data_dir)
    band_table = load_band_table(data_dir)
    bands = bands_of(band_table)
    inputs: dict[str, Provenance] = {"metric_register": provenance_of(register), "rag_bands": provenance_of(band_table)}
    coverage: list[str] = []
    values = assessed = table = register_actions = None
    if shown is None:
        inputs["metric_values"] = Provenance(files=(), kind="return")
        coverage.append(f"There are no Plan metric values up to {asked.label}: nothing to assess.")
    else:
        values = load_values(shown, data_dir, register)
        inputs["metric_values"] = provenance_of(values)
        assessed = assess.assess_metrics(register, values, population, bands=bands)
        folder = quarter_dirs(data_dir).get(shown)
        assessed = assess.against_last_quarter(assessed, shown.previous(), previous_latest(shown, data_dir),
                                               load_confirmations(folder))
        table = assess.for_audience(assessed, audience)
        late = coverage_sentence(asked, shown.months[-1], "Plan metric")
        if late:
            coverage.append(f"{late} The latest Plan metric values, shown below, are for {shown.label}.")
    inputs["population"] = provenance_of(population_table)
    series = load_series(data_dir)
    preset = None
    change_table = None
    if series is not None:
        inputs["police_uk_counts"] = provenance_of(series)
        settings = load_settings(data_dir)
        inputs["spc_settings"] = provenance_of(settings)
        preset = spc_preset(settings)
        change_table = load_change_points(data_dir)
        inputs["spc_change_points"] = provenance_of(change_table)
    if shown is not None:
        if act.actions_file(shown, data_dir) is None:
            coverage.append(f"There is no action register for {shown.label} (quarters/{shown.slug}/actions): "
                            "delivery of the Plan's actions is not shown.")
        else:
            register_actions = act.load_actions(shown, data_dir)
            inputs["actions"] = provenance_of(register_actions)
    inputs["action_totals"] = provenance_of(totals)
    return DashboardContext(
        asked=asked, shown=shown, audience=audience, data_dir=data_dir, inputs=inputs, coverage=coverage,
        register=register, population=population, bands=bands, assessed=assessed, table=table, series=series,
        actions=register_actions, published=act.published_totals(totals, shown) if shown else None, preset=preset,
        change_points=change_table,
        partial=page_banner((METRIC_VALUES_RETURN, act.ACTIONS_RETURN), asked, data_dir, shown))


def _no_values(ctx: DashboardContext) -> Section:
    return Section().note(f"There are no Plan metric values up to {ctx.asked.label}.", "coverage")


def _uses(ctx: DashboardContext, *names: str) -> list[Provenance]:
    """The named inputs this page has (an optional input it lacks is left out)."""
    return [ctx.inputs[n] for n in names if n in ctx.inputs]


def title(ctx: DashboardContext) -> Section:
    """The page's opening: its title, the quarter shown, the question it answers and what the
    data do not cover (``display.page.opening``)."""
    return opening(ctx, TITLE, QUESTION, findings(ctx))


def values_source(ctx: DashboardContext) -> str:
    """A chart's credit: the values' source named as it is (the OPCC's paper, or the return),
    and the RAG computed by the agreed rule."""
    source = named_source(ctx.inputs["metric_values"])
    return f"{source[0].upper() + source[1:]}; RAG computed by the agreed rule" if source else VALUES_SOURCE


def rag_statement(ctx: DashboardContext) -> str:
    """Where the RAG comes from, said on the page: computed by the agreed rule from the values of
    the source named as it is (the OPCC's paper, a return), never copied from it."""
    source = named_source(ctx.inputs["metric_values"]) or "the Plan metric values return"
    return (f"Every RAG here is computed by pcp with the agreed rule (see 'How the RAG is decided') from the values "
            f"in {source}; none is copied from the source.")


def summary(ctx: DashboardContext) -> Section:
    """The RAG counts, the Red metrics and the largest improvements in sentences
    (``assess.headline_summary``), then where the RAG comes from and, when the values are a
    published paper's, its note."""
    if ctx.table is None or ctx.shown is None:
        return _no_values(ctx)
    sec = Section(_uses(ctx, "metric_register", "metric_values", "rag_bands")).sentences(
        assess.headline_summary(ctx.table, ctx.shown.label))
    sec.note(rag_statement(ctx))
    prov = ctx.inputs["metric_values"]
    return sec.note(prov.note) if named_source(prov) else sec


def appendix(ctx: DashboardContext) -> Section:
    """Every headline metric with its values as published, change, computed RAG and reason, as
    the paper's Appendix 1 lays it out (``assess.display_table``; restricted ones withheld in public)."""
    if ctx.table is None or ctx.shown is None:
        return _no_values(ctx)
    return Section(_uses(ctx, "metric_register", "metric_values", "rag_bands")).table(
        assess.display_table(ctx.table), f"Plan dashboard, {ctx.shown.label}", rag_column="RAG")


def by_strategy(ctx: DashboardContext) -> Section:
    """A stacked bar chart of the RAG counts by delivery strategy, titled with the strategy that
    has the most Red metrics (a tie said as a tie)."""
    if ctx.table is None or ctx.shown is None:
        return _no_values(ctx)
    by = assess.rag_by_strategy(ctx.table)
    worst = leaders(by["Red"]) if by["Red"].max() else []
    if len(worst) > 1:  # a tie is said as a tie
        heading = f"{and_list(worst)} tie for the most Red metrics ({by['Red'].max()} each)"
    else:
        heading = f"{worst[0]} has the most Red metrics ({by['Red'].max()})" if worst else "No metric is Red"
    return Section(_uses(ctx, "metric_register", "metric_values", "rag_bands")).chart(
        rag_stacked_bars, by, heading, subtitle=f"Headline metrics by delivery strategy, {ctx.shown.label}",
        source=values_source(ctx))


def red_metrics(ctx: DashboardContext) -> Section:
    """The metrics moving against their target beyond the agreed range, with the reason for
    each (``assess.exceptions_table``), or a note that none is Red."""
    if ctx.table is None:
        return _no_values(ctx)
    sec = Section(_uses(ctx, "metric_register", "metric_values", "rag_bands", "population"))
    reds = assess.exceptions_table(ctx.table, "Red")
    if not len(reds):
        return sec.note("No metric is Red.")
    return sec.table(reds, "Metrics moving against the target beyond the agreed range")


def spc_month(ctx: DashboardContext) -> date | None:
    """The last month of the police.uk series the SPC column reads: the end of the counts or of
    the quarter shown, whichever is earlier (None without counts)."""
    if ctx.series is None or ctx.shown is None:
        return None
    end = last_month(ctx.series)
    return None if end is None else min(end, ctx.shown.months[-1])


def statistics(ctx: DashboardContext) -> Section:
    """The statistical view beside the RAG: which changes survive the Benjamini-Hochberg
    adjustment across the dashboard's tests, then every metric's test (or why it was not
    tested) and its SPC reading, dated by the police.uk month it reads."""
    if ctx.assessed is None or ctx.table is None or ctx.shown is None:
        return _no_values(ctx)
    sec = Section(_uses(ctx, "metric_register", "metric_values", "rag_bands", "population", "police_uk_counts",
                        "spc_settings", "spc_change_points"))
    if ctx.series is None:
        sec.note("There are no police.uk monthly counts in this data folder (derived/police_uk_monthly_counts.csv): "
                 "no count or rate is tested (there is no series to measure how much each varies, and Poisson "
                 "variation alone would overstate the evidence) and no SPC readings are shown.",
                 "coverage")
    # without the series there are no SPC readings, so no preset is read (and none is used)
    view = _view(ctx)
    said = evidence_sentence(ctx, view)
    n = int(view["p_adjusted"].notna().sum())
    sec.sentences([said or f"No change survives the adjustment across the dashboard's {n} tests: no evidence of a "
                   "change."])
    table = assess.statistical_table(ctx.assessed, view, ctx.audience)
    spc_column = assess.SPC_ICON_COLUMN
    end = spc_month(ctx)
    if end is not None:
        # the SPC column is dated with its month: police.uk may end well before the quarter of the RAG
        spc_column = f"SPC, police.uk month to {end:%b %Y}"
        table = table.rename(columns={assess.SPC_ICON_COLUMN: spc_column})
        if end < ctx.shown.months[-1]:
            sec.note(f"The SPC column reads the police.uk monthly counts, which end in {end:%B %Y}: it describes "
                     f"the series to {end:%B %Y}, not {ctx.shown.label}, the quarter of the RAG beside it.",
                     "coverage")
    sec.table(table, f"Statistical view, {ctx.shown.label}", special={spc_column: icon_cell_short})
    return sec.note(" ".join(HOW_TO_READ))


def data_quality(ctx: DashboardContext) -> Section:
    """Published figures that do not add up: direction arrows that disagree with the values and
    the paper's action totals that do not match their parts (or a note that none was found)."""
    if ctx.table is None:
        return _no_values(ctx)
    sec = Section(_uses(ctx, "metric_register", "metric_values", "action_totals"))
    notes = assess.data_quality_notes(ctx.table) + (act.paper_arithmetic(ctx.published) if ctx.published else [])
    return sec.sentences(notes) if notes else sec.note("No inconsistencies found.")


def _actions_done(prog: pd.DataFrame, shown: Quarter) -> str:
    """"120 of 160 actions complete (75.0%) by the end of Q3 2025/26" (``act.progress``)."""
    last = prog.iloc[-1]
    done, total = int(last["completed_to_date"]), int(last["total_actions"])
    return (f"{fmt_count(done)} of {fmt_count(total)} actions complete "
            f"({fmt_percent(percent_of(done, total), 1)}) by the end of {shown.label}")


def delivery(ctx: DashboardContext) -> Section:
    """Delivery of the Plan's actions: whether the register agrees with the published totals,
    cumulative completions by quarter (chart) and the count by status at the quarter's end."""
    if ctx.shown is None:
        return _no_values(ctx)
    if ctx.actions is None:
        return Section().note(f"There is no action register for {ctx.shown.label}.", "coverage")
    sec = Section(_uses(ctx, "actions", "action_totals"))
    prog = act.progress(ctx.actions, ctx.shown)
    total = int(prog.iloc[-1]["total_actions"])
    sec.sentences([act.agreement_sentence(ctx.actions, ctx.shown, ctx.published)])
    sec.chart(progress_bars, list(prog["quarter"]), list(prog["completed_in_quarter"]),
              list(prog["completed_to_date"]), total, _actions_done(prog, ctx.shown),
              subtitle="Cumulative completions by quarter", source="Action register")
    counts = act.status_counts(ctx.actions).rename_axis("Status").reset_index()
    return sec.table(counts, f"Action status at the end of {ctx.shown.label}")


def method(ctx: DashboardContext) -> Section:
    """How the RAG is decided, in words, from the agreed bands this page used (reference data)."""
    return Section(_uses(ctx, "rag_bands")).sentences(rag.rule_text(ctx.bands))


SECTIONS = (
    ("Summary", summary),
    ("Appendix 1: every headline metric with its computed RAG", appendix),
    ("RAG by delivery strategy", by_strategy),
    ("Red metrics and why", red_metrics),
    ("Is the change real? The statistical view beside the RAG", statistics),
    ("Data-quality notes", data_quality),
    ("Delivery of the Plan's actions", delivery),
    ("How the RAG is decided", method),
)


def _view(ctx: DashboardContext) -> pd.DataFrame:
    """The statistical view of every metric (``evidence.statistical_view``)."""
    assert ctx.assessed is not None and ctx.shown is not None
    # the SPC readings recalculate their limits at the crime series' known change points
    changes = ({m: [cp.month for cp in change_points(ctx.change_points, series_name("crime", m))]
                for m in {str(x).removeprefix("crime ") for x in ctx.change_points["series"]
                          if str(x).startswith("crime ")}}
               if ctx.change_points is not None else None)
    return statistical_view(ctx.assessed, ctx.population, ctx.series, ctx.shown, rules=ctx.preset or "mdc",
                            changes=changes)


def evidence_sentence(ctx: DashboardContext, view: pd.DataFrame | None = None) -> str | None:
    """The metrics whose change survives the Benjamini-Hochberg adjustment across the
    dashboard's tests (the family, named), each with its interval; None when none does. Only
    metrics this audience may see are named. ``view``: the statistical view, when already made."""
    if ctx.assessed is None or ctx.table is None:
        return None
    view = _view(ctx) if view is None else view
    n = int(view["p_adjusted"].notna().sum())
    shown = set(ctx.table.loc[~ctx.table["restricted"].astype(bool) | (ctx.audience != "public"), "serial"])
    ev = view[view["evidence"].fillna(False).astype(bool) & view["serial"].isin(shown)]
    if not len(ev):
        return None
    names = dict(zip(ctx.assessed["serial"], ctx.assessed["metric"], strict=True))
    parts = [f"{names[r['serial']]} (rate ratio {r['estimate']:.2f}, 95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}; "
             f"adjusted {fmt_p(float(r['p_adjusted']))})" for r in ev.to_dict("records")]
    return (f"Evidence of a change, surviving adjustment across the dashboard's {n} tests: " + "; ".join(parts)
            + ".")


def findings(ctx: DashboardContext) -> list[Finding]:
    """For the front page (which shows the RAG counts and the Red metrics itself): the
    largest improvements among Green metrics (as in the summary), the changes that survive the
    adjustment across the dashboard's tests (its statistical view) and how many of the Plan's
    actions are complete (the delivery chart's title). Built from the table this audience
    may see, so a public finding holds no restricted value."""
    if ctx.table is None or ctx.shown is None:
        return [finding(ctx, f"There are no Plan metric values up to {ctx.asked.label}.", SECTIONS, summary,
                        ctx.asked.label, "metric_values")]
    out = []
    best = assess.improvements_sentence(ctx.table)
    if best and ctx.shown != ctx.asked:  # an earlier quarter's figures: the sentence itself says whose
        best = f"{best[:-1]} ({ctx.shown.label}: the latest Plan metric values, not {ctx.asked.label}'s)."
    if best:
        out.append(finding(ctx, best, SECTIONS, summary, ctx.shown.label, "metric_register", "metric_values"))
    if ctx.actions is not None:
        done = _actions_done(act.progress(ctx.actions, ctx.shown), ctx.shown)
        out.append(finding(ctx, f"{done}.", SECTIONS, delivery, ctx.shown.label, "actions"))
    tested = evidence_sentence(ctx)
    if tested:
        out.append(finding(ctx, tested, SECTIONS, statistics, ctx.shown.label, "metric_register", "metric_values",
                           "population", "police_uk_counts"))
    return out
