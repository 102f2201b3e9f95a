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

from pcp_lib.core.provenance import Provenance, combine, provenance_of
from pcp_lib.display.charts.bars import progress_bars, rag_stacked_bars
from pcp_lib.display.charts.history import metric_small_multiples
from pcp_lib.display.icons import icon_cell_short
from pcp_lib.display.page import Context, Finding, Section, coverage_sentence, finding, named_source, opening
from pcp_lib.display.wording import and_list, leaders
from pcp_lib.io.completeness import page_banner
from pcp_lib.io.confirmations import load_confirmations
from pcp_lib.io.datastore import quarter_dirs
from pcp_lib.methods import rag
from pcp_lib.methods.parsing import is_missing, to_decimal
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.stats import HOW_TO_READ, fmt_p
from pcp_lib.methods.units import MISSING, fmt_change, fmt_count, fmt_percent, percent_of
from pcp_lib.reference.population import llr_total, load_population
from pcp_lib.reference.rag_bands import bands_of, load_band_table
from pcp_lib.reference.spc_change_points import change_points, load_change_points, series_name
from pcp_lib.reference.spc_settings import load_settings, spc_preset
from pcp_lib.subjects.crime.counts import last_month
from pcp_lib.subjects.dashboard import actions as act
from pcp_lib.subjects.dashboard import assess
from pcp_lib.subjects.dashboard.disclosure import disclosure_levels, load_disclosure
from pcp_lib.subjects.dashboard.evidence import load_series, statistical_view
from pcp_lib.subjects.dashboard.history import SOURCES, WITHHELD_TEXT, history_for_audience, metric_history
from pcp_lib.subjects.dashboard.register import (
    METRIC_VALUES_RETURN,
    load_register,
    load_values,
    previous_latest,
)

__all__ = ["NO_COMMENTARY", "NOTEBOOK", "QUESTION", "SECTIONS", "TITLE", "DashboardContext", "amber_metrics", "appendix",
           "by_strategy", "changes_sentences", "changes_since_last_quarter", "changes_summary", "data_quality", "delivery",
           "evidence_view", "findings", "history", "history_table", "load", "method", "rag_statement", "red_metrics",
           "since_last_quarter", "spc_month", "statistics", "summary", "title"]

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
    history: pd.DataFrame | None = None  # every figure of every metric up to the quarter shown, as this audience may see it


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
    values = assessed = table = register_actions = history_table = None
    if shown is None:
        inputs["metric_values"] = Provenance(files=(), kind="return")
        coverage.append(f"There are no Plan metric values up to {asked.label}: nothing to assess.")
    else:
        values = load_values(shown, data_dir, register)
        inputs["metric_values"] = provenance_of(values)
        decisions = load_disclosure(data_dir)
        if decisions is not None:
            inputs["disclosure"] = provenance_of(decisions)
        assessed = assess.assess_metrics(register, values, population, bands=bands,
                                         disclosure=disclosure_levels(register, shown, decisions))
        folder = quarter_dirs(data_dir).get(shown)
        assessed = assess.against_last_quarter(assessed, shown.previous(), previous_latest(shown, data_dir),
                                               load_confirmations(folder))
        table = assess.for_audience(assessed, audience)
        full_history = metric_history(data_dir, shown, register)
        parts = full_history.attrs.get(SOURCES, ())
        inputs["metric_history"] = combine([p for p in parts if p.kind != "published"])
        papers = [p for p in parts if p.kind == "published"]
        if papers:  # earlier figures the papers give outside the returns (published/metric_history.csv)
            inputs["earlier_figures"] = combine(papers)
        history_table = history_for_audience(full_history, audience)
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
        change_points=change_table, history=history_table,
        partial=page_banner((METRIC_VALUES_RETURN, act.ACTIONS_RETURN), asked, data_dir, shown))


def _no_values(ctx: DashboardContext) -> Section:
    return Section().note(f"There are no Plan metric values up to {ctx.asked.label}.", "coverage")


def _uses(ctx: DashboardContext, *names: str) -> list[Provenance]:
    """The named inputs this page has (an optional input it lacks is left out)."""
    return [ctx.inputs[n] for n in names if n in ctx.inputs]


def _names(ctx: DashboardContext, *names: str) -> list[str]:
    """The named inputs this page has, as names (for a finding's basis)."""
    return [n for n in names if n in ctx.inputs]


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


NO_COMMENTARY = assess.NO_COMMENTARY


def amber_metrics(ctx: DashboardContext) -> Section:
    """The metrics within the agreed range but not moving the way the target wants, with the
    commentary, owner and next step of the return beside each (as for the Reds), or a note
    that none is Amber."""
    if ctx.table is None:
        return _no_values(ctx)
    sec = Section(_uses(ctx, "metric_register", "metric_values", "rag_bands", "population"))
    ambers = assess.exceptions_table(ctx.table, "Amber")
    if not len(ambers):
        return sec.note("No metric is Amber.")
    return sec.table(ambers, "Metrics within the agreed range, with commentary and next steps")


def _short_period(quarter: str, synthetic: bool) -> str:
    """A period as a chart's x label: "2024/25\nbaseline", "Q3\n2025/26", "earlier\nreport"."""
    if quarter.startswith("Baseline "):
        text = f"{quarter.removeprefix('Baseline ')}\nbaseline"
    elif quarter.startswith("Earlier report"):
        text = "earlier\nreport"
    else:
        text = quarter.replace(" ", "\n", 1)
    return f"{text}\n(synthetic)" if synthetic else text


def _period_words(quarter: str) -> str:
    """A period inside a sentence: "baseline 2024/25", "an earlier report, quarter not stated", "Q3 2025/26"."""
    if quarter.startswith("Baseline "):
        return f"baseline {quarter.removeprefix('Baseline ')}"
    if quarter.startswith("Earlier report"):
        return "an earlier report, quarter not stated"
    return quarter


def _history_cell(value: object, unit: str, synthetic: bool, direction: object = None) -> str:
    if is_missing(value):
        return "No data"
    if str(value) == WITHHELD_TEXT:
        text = WITHHELD_TEXT if is_missing(direction) else f"{WITHHELD_TEXT} (direction only: {direction})"
    else:
        text = assess.value_text(value, unit)
    return f"{text} (synthetic)" if synthetic else text


def history_table(ctx: DashboardContext) -> pd.DataFrame:
    """Every metric this audience may see, one row each, with its figure in every period the
    data give (columns in time order, headed by period; a synthetic quarter says so in its
    heading and cells). "No data": the period's return has the metric but no figure; blank:
    the period's source does not cover the metric. Withheld figures read "withheld"."""
    assert ctx.history is not None
    h = ctx.history
    periods = h.drop_duplicates("quarter").sort_values("position", kind="stable")
    synthetic_periods = set(h.loc[h["synthetic"], "quarter"])
    headings = {q: f"{q} (SYNTHETIC sample)" if q in synthetic_periods else q for q in periods["quarter"]}
    rows = []
    for serial, part in h.groupby("serial", sort=True):
        cells = {str(r["quarter"]): _history_cell(r["value"], str(r["unit"]), bool(r["synthetic"]), r["direction"])
                 for r in part.to_dict("records")}
        rows.append({"No": str(serial), "Metric": str(part["metric"].iloc[0]),
                     **{headings[q]: cells.get(q, "") for q in periods["quarter"]}})
    return pd.DataFrame(rows, columns=["No", "Metric", *headings.values()])


def changes_since_last_quarter(ctx: DashboardContext) -> pd.DataFrame:
    """What changed since last quarter, for the front page: one row per metric this audience
    may see that has a figure before the quarter shown (other than its baseline) and one now;
    the earlier figure is last quarter's return's, or else the latest the data give (a paper
    that does not say its quarter). Columns: serial, metric, previous_period, previous, latest_period,
    latest, change (labelled: pp or %), rag_before (by the agreed rule, from the baseline to the
    previous figure; missing where it cannot be computed), rag_after, source (of the previous
    figure) and synthetic (either figure from a synthetic sample). Empty when no metric has one."""
    cols = ["serial", "metric", "previous_period", "previous", "latest_period", "latest", "change", "rag_before",
            "rag_after", "source", "synthetic"]
    if ctx.history is None or ctx.table is None or ctx.shown is None:
        return pd.DataFrame(columns=cols)
    now = float(ctx.shown.fy * 4 + ctx.shown.q - 1)
    h = ctx.history
    earlier = h[(h["position"] < now) & (h["value_kind"] != "baseline") & h["value"].notna()
                & (h["value"] != WITHHELD_TEXT)]
    current = h[(h["position"] == now) & (h["value_kind"] == "latest")].set_index("serial")
    tol = dict(zip(ctx.register["serial"], ctx.register["tolerance"], strict=True))
    rows = []
    for r in ctx.table.to_dict("records"):
        serial = int(r["serial"])
        before = earlier[earlier["serial"] == serial]
        latest = r["latest_published"]
        if not len(before) or is_missing(latest) or r["rag"] == assess.RESTRICTED or serial not in current.index:
            continue
        last_quarter = before[(before["position"] == now - 1) & (before["value_kind"] == "latest")]
        # last quarter's return when it has the metric, else the latest figure before this quarter
        prev = (last_quarter if len(last_quarter) else before.sort_values("position", kind="stable")).iloc[-1]
        unit = str(r["unit"])
        try:
            rag_before = rag.assess(str(r["target"]), r["baseline_published"], prev["value"], unit, tol.get(serial),
                                    bands=ctx.bands).rag
        except ValueError:
            rag_before = None
        change = MISSING if unit == "yes_no" else fmt_change(to_decimal(prev["value"]), to_decimal(latest), unit,
                                                             places=1)
        rows.append({"serial": serial, "metric": str(r["metric"]), "previous_period": str(prev["quarter"]),
                     "previous": assess.value_text(prev["value"], unit), "latest_period": ctx.shown.label,
                     "latest": assess.value_text(latest, unit), "change": change, "rag_before": rag_before,
                     "rag_after": str(r["rag"]), "source": str(prev["source"]),
                     "synthetic": bool(prev["synthetic"]) or bool(current.loc[serial, "synthetic"])})
    return pd.DataFrame(rows, columns=cols)


def _change_sentence(c: dict) -> str:
    rags = (f"; RAG by the agreed rule {c['rag_before']} then, {c['rag_after']} now" if c["rag_before"] else
            f"; RAG now {c['rag_after']}")
    synthetic = " (SYNTHETIC sample)" if c["synthetic"] else ""
    return (f"{c['metric']} (serial {c['serial']}): {c['previous']} ({c['previous_period']}; source: {c['source']}) "
            f"→ {c['latest']} in {c['latest_period']} (change {c['change']}){rags}{synthetic}.")


def changes_summary(ctx: DashboardContext) -> str | None:
    """One sentence for the front page: each metric with a figure before the quarter shown,
    from its last such figure to now, with the RAG before and after (None when none has one)."""
    if ctx.shown is None:
        return None
    changes = changes_since_last_quarter(ctx)
    if not len(changes):
        return None
    parts = []
    for c in changes.to_dict("records"):
        rags = (f"RAG by the agreed rule {c['rag_before']} → {c['rag_after']}" if c["rag_before"]
                else f"RAG now {c['rag_after']}")
        synthetic = ", SYNTHETIC sample" if c["synthetic"] else ""
        parts.append(f"{c['metric']} {c['previous']} → {c['latest']} ({c['change']}; {rags}{synthetic})")
    return f"Since the last figures before {ctx.shown.label}: " + "; ".join(parts) + "."


def since_last_quarter(ctx: DashboardContext) -> list[str] | None:
    """The front page's lines on what changed since last quarter (the page contract's optional
    ``since_last_quarter``): one short line per metric with an earlier figure than this
    quarter's (other than its baseline), naming it by serial and metric, the period of the
    earlier figure, the change (pp or %) and the RAG before and after; None when the data hold
    no earlier figure of any metric (the front page then says so). The full table is
    :func:`changes_since_last_quarter`."""
    if ctx.history is None or ctx.shown is None:
        return None
    changes = changes_since_last_quarter(ctx)
    if not len(changes):
        now = float(ctx.shown.fy * 4 + ctx.shown.q - 1)
        h = ctx.history
        earlier = h[(h["position"] < now) & (h["value_kind"] != "baseline") & h["value"].notna()]
        return [] if len(earlier) else None
    lines = []
    for c in changes.to_dict("records"):
        rags = f"; RAG {c['rag_before']} → {c['rag_after']}" if c["rag_before"] else f"; RAG now {c['rag_after']}"
        synthetic = " (SYNTHETIC sample)" if c["synthetic"] else ""
        period = "earlier report" if str(c["previous_period"]).startswith("Earlier report") else c["previous_period"]
        lines.append(f"Serial {c['serial']}, {c['metric']}: {c['previous']} ({period}) → {c['latest']} "
                     f"({c['change']}){rags}{synthetic}.")
    return lines


def changes_sentences(ctx: DashboardContext) -> list[str]:
    """What changed since the last figures, in sentences: the summary (``changes_summary``),
    then each change with the period and source of the earlier figure; when there is nothing
    earlier than this quarter but the baselines, that is said instead."""
    if ctx.shown is None:
        return []
    summary = changes_summary(ctx)
    if summary is None:
        return [f"No Plan metric has a figure before {ctx.shown.label} other than its baseline: what changed since "
                "last quarter cannot be said."]
    return [summary, *(_change_sentence(c) for c in changes_since_last_quarter(ctx).to_dict("records"))]


def history(ctx: DashboardContext) -> Section:
    """Each metric's figures by period (baseline, every quarter's return, the earlier figures
    the papers give), a small multiple of every metric with figures from three or more periods
    (each point labelled with its figure) and what changed since the last figures."""
    if ctx.history is None or ctx.table is None or ctx.shown is None:
        return _no_values(ctx)
    sec = Section(_uses(ctx, "metric_register", "metric_history", "earlier_figures", "disclosure", "rag_bands"))
    sec.sentences(changes_sentences(ctx))
    h = ctx.history
    drawn = h[h["value_num"].notna()]
    paths = [s for s, part in drawn.groupby("serial", sort=True) if len(part) >= 3]
    if paths:
        points = drawn[drawn["serial"].isin(paths)]
        df = pd.DataFrame({
            "panel": [f"{s} {m}" for s, m in zip(points["serial"], points["metric"], strict=True)],
            "period": [_short_period(str(q), bool(y)) for q, y in zip(points["quarter"], points["synthetic"],
                                                                      strict=True)],
            "value_num": points["value_num"].astype("float64"),
            "label": [assess.value_text(v, str(u)) for v, u in zip(points["value"], points["unit"], strict=True)],
            "synthetic": points["synthetic"]})
        if len(paths) == 1:
            part = df
            heading = (f"{points['metric'].iloc[0]}: "
                       + " → ".join(f"{lab} ({_period_words(str(q))})" for lab, q in zip(part["label"], points["quarter"],
                                                                                         strict=True)))
        else:
            heading = f"{len(paths)} metrics have figures from three or more periods"
        sec.chart(metric_small_multiples, df, heading,
                  subtitle="Each metric on its own scale; every point labelled with its figure as published",
                  source="Plan metric values returns; earlier figures as the papers give them (sources below)")
    else:
        sec.note(f"Every metric has at most its baseline and one quarter's figure up to {ctx.shown.label}: no path "
                 "to draw yet (the table gives them).", "coverage")
    sec.table(history_table(ctx), f"Each headline metric's figures by period, up to {ctx.shown.label}")
    earlier = h[h["value_kind"] == "earlier"]
    for r in earlier.to_dict("records"):
        note = f" {r['note']}" if not is_missing(r["note"]) else ""
        sec.note(f"Serial {r['serial']}, {r['quarter']}: {r['value']}, from {r['source']}.{note}")
    if h["synthetic"].any():
        quarters = and_list(list(dict.fromkeys(h.loc[h["synthetic"], "quarter"].astype(str))))
        sec.note(f"{quarters}: SYNTHETIC sample figures, generated by code; not real data.", "coverage")
    return sec


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
    ("Amber metrics: commentary and next steps", amber_metrics),
    ("Each metric by quarter: what changed since last quarter", history),
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


def evidence_view(ctx: DashboardContext) -> pd.DataFrame:
    """The statistical view of every metric, as the statistics section reads it (its test, the
    adjusted p, ``evidence`` and, when not tested, why in ``untested``): for the front page,
    which gives each Red metric its evidence of change, and the Word paper's Appendix 2, which
    shows the same evidence. Needs the values (``ctx.assessed``)."""
    return _view(ctx)


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
    """For the front page (which shows the RAG counts and the Red metrics itself): what changed
    since last quarter (``changes_summary``) or, when no metric has an earlier figure, the
    largest improvements among Green metrics (as in the summary), the changes that survive the
    adjustment across the dashboard's tests (its statistical view) and how many of the Plan's
    actions are complete (the delivery chart's title). Built from the table this audience
    may see, so a public finding holds no restricted value."""
    if ctx.table is None or ctx.shown is None:
        return [finding(ctx, f"There are no Plan metric values up to {ctx.asked.label}.", SECTIONS, summary,
                        ctx.asked.label, "metric_values")]
    out = []
    changed = changes_summary(ctx)
    if changed and ctx.shown != ctx.asked:  # an earlier quarter's figures: the sentence itself says whose
        changed = f"{changed[:-1]} ({ctx.shown.label}: the latest Plan metric values, not {ctx.asked.label}'s)."
    if changed:  # what changed since last quarter comes first; the summary keeps the largest improvements
        out.append(finding(ctx, changed, SECTIONS, history, ctx.shown.label,
                           *_names(ctx, "metric_register", "metric_history", "earlier_figures", "rag_bands")))
    best = None if changed else assess.improvements_sentence(ctx.table)
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
