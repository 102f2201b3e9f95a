"""The sections of notebook 10 (contact demand), each a list of things to display.

The notebook stays thin: it calls these in order and displays what they return. Every
section copes with a quarter the data do not reach (it says so with a coverage note) and
labels synthetic data wherever it is shown, including chart subtitles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from pcp_lib.display import report
from pcp_lib.display.charts.heatmap import heatmap
from pcp_lib.display.charts.lines import rate_against_target, series_lines
from pcp_lib.io.datastore import quarter_dirs
from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects.contact import narrative, staffing
from pcp_lib.subjects.contact.calls import aggregate_calls, read_calls
from pcp_lib.subjects.contact.returns import CHANNEL_NAMES, THRESHOLD_LABELS, load_monthly
from pcp_lib.subjects.contact.summary import (
    annual_summary,
    check_against_published,
    display_table,
    load_targets,
    monthly_rates,
    published_table,
    quarter_summary,
    year_to_date_summary,
)
from pcp_lib.subjects.contact.synthetic import synthetic_calls

SOURCE = "Force monthly contact return"
QUESTION = ("How has demand on 999, 101 and online reporting changed, is the control room meeting its answer "
            "and abandonment targets, and how many call handlers does the demand need?")


@dataclass
class Context:
    quarter: Quarter
    data_dir: str | Path | None
    monthly: pd.DataFrame
    targets: pd.DataFrame
    synthetic: bool

    @property
    def tag(self) -> str:
        return " SYNTHETIC sample data." if self.synthetic else ""


def load(quarter: str, data_dir: str | Path | None = None) -> Context:
    q = Quarter.parse(quarter)
    monthly = load_monthly(q, data_dir)
    return Context(q, data_dir, monthly, load_targets(data_dir), bool(monthly.attrs.get("synthetic")))


def title(ctx: Context, audience: str) -> list:
    sources = ["Force monthly contact return (contact_monthly), one file per quarter"
               + (" - SYNTHETIC sample" if ctx.synthetic else ""),
               "Published figures: Police Contact Demand report to the Police and Crime Panel (June 2026 agenda)",
               "Targets: data/reference/contact_targets.csv (national 999 target; local 101 and abandonment targets)"]
    return [report.title_block("Contact demand: 999, 101 and online", ctx.quarter, QUESTION, sources, audience)]


def _last_month(ctx: Context) -> date | None:
    return None if ctx.monthly.empty else max(ctx.monthly["month"])


def coverage(ctx: Context) -> list:
    out = []
    note = report.coverage_note(ctx.quarter, _last_month(ctx), "contact demand")
    if note is not None:
        out.append(note)
    if ctx.synthetic:
        out.append(report.synthetic_note("The monthly contact figures below are a sample made to add up to the "
                                         "published calendar-year totals and rates."))
    return out


def quarter_section(ctx: Context) -> list:
    if ctx.monthly.empty:
        return [report.note(f"No contact data up to {ctx.quarter.label}, so there is nothing to compare.")]
    q = quarter_summary(ctx.monthly, ctx.quarter, ctx.targets)
    ytd = year_to_date_summary(ctx.monthly, ctx.quarter, ctx.targets)
    out = []
    if not q.attrs["complete"]:
        out.append(report.note(f"{ctx.quarter.label} or the same quarter a year earlier is not complete in the "
                               "data; the comparison uses the months available.", "coverage"))
    out.append(report.bullet_list(narrative.summary_sentences(q)))
    out.append(report.table(display_table(q), f"{ctx.quarter.label} against {ctx.quarter.year_earlier().label}."
                            + ctx.tag))
    out.append(report.table(display_table(ytd), "Financial year to date against the same months a year earlier."
                            + ctx.tag))
    return out


def published_section(ctx: Context, years: tuple[int, int] = (2024, 2025)) -> list:
    last = _last_month(ctx)
    if last is None or last < date(years[1], 12, 1) or min(ctx.monthly["month"]) > date(years[0], 1, 1):
        return [report.note(f"The data up to {ctx.quarter.label} do not cover calendar years {years[0]} and "
                            f"{years[1]}, so the published tables cannot be reproduced here.", "coverage")]
    s = annual_summary(ctx.monthly, years, ctx.targets)
    out = [report.bullet_list(narrative.summary_sentences(s))]
    for ch in ("999", "101", "online"):
        out.append(report.table(published_table(s, ch), f"{CHANNEL_NAMES[ch]}: the published table, computed from "
                                f"the monthly return. '% change' is a percent change for volume and a change in "
                                f"percentage points (pp) for rates.{ctx.tag}"))
    out.append(report.table(display_table(s), f"Calendar {years[0]} and {years[1]}: every measure against its "
                            f"target.{ctx.tag}"))
    check = check_against_published(s, ctx.data_dir)
    n_ok = int(check["match"].sum())
    out.append(report.note(f"{n_ok} of {len(check)} published figures are reproduced exactly from the monthly "
                           "data (table below)."))
    out.append(report.table(check.assign(match=check["match"].map({True: "✔ same", False: "✖ differs"})),
                            "Published against computed."))
    return out


def _window(ctx: Context, months: int = 24) -> pd.DataFrame:
    last = ctx.quarter.months[-1]
    m = ctx.monthly[ctx.monthly["month"] <= last]
    keep = sorted(set(m["month"]))[-months:]
    return m[m["month"].isin(keep)]


def rate_charts(ctx: Context) -> list:
    """Each rate by month against its target (the 101 2-minute rate has no target)."""
    m = _window(ctx)
    if m.empty:
        return [report.note("No monthly data to chart.", "coverage")]
    rates = monthly_rates(m)
    tmap = {(r["channel"], r["measure"]): r for r in ctx.targets.to_dict("records")}
    sub = "% of calls offered, by month." + (" SYNTHETIC sample data." if ctx.synthetic else "")
    out = []
    for ch, measure in (("999", "answered_10s"), ("101", "answered_15min"), ("101", "answered_2min"),
                        ("999", "abandoned"), ("101", "abandoned")):
        part = rates[(rates["channel"] == ch) & (rates["measure"] == measure)].sort_values("month")
        if part.empty:
            continue
        periods = [f"{d:%b %y}" for d in part["month"]]
        vals = part["rate_pct"].tolist()
        t = tmap.get((ch, measure))
        what = (f"answered within {THRESHOLD_LABELS[measure]}" if measure != "abandoned" else "abandoned")
        if t is not None:
            target = float(t["target_pct"])
            misses = sum(1 for v in vals if (v < target if t["direction"] == "at_least" else v >= target))
            finding = (f"{ch} calls {what}: {len(vals) - misses} of {len(vals)} months met the target "
                       f"({'at least' if t['direction'] == 'at_least' else 'under'} {target:g}%)")
            fig = rate_against_target(periods, vals, target, t["direction"], finding, sub, SOURCE,
                                      target_label=f"Target: {'at least' if t['direction'] == 'at_least' else 'under'}"
                                                   f" {target:g}% ({t['scope']})")
        else:
            finding = (f"{ch} calls {what}: {vals[-1]:.1f}% in {periods[-1]} against {vals[0]:.1f}% in {periods[0]} "
                       "(published measure; the target uses 15 minutes)")
            fig = rate_against_target(periods, vals, None, "at_least", finding, sub, SOURCE)
        out.append(fig)
    return out


def volume_charts(ctx: Context) -> list:
    m = _window(ctx)
    if m.empty:
        return []
    wide = m.pivot_table(index="month", columns="channel", values="offered", aggfunc="sum").astype(float)
    wide = wide[[c for c in ("999", "101", "online") if c in wide.columns]]
    wide.index = [f"{d:%b %y}" for d in wide.index]
    wide.columns = [CHANNEL_NAMES[c] for c in wide.columns]
    first, last = wide.iloc[0], wide.iloc[-1]
    biggest = (last / first - 1).idxmax()
    sub = "Contacts offered by month." + (" SYNTHETIC sample data." if ctx.synthetic else "")
    fig1 = series_lines(wide, f"{biggest} grew most: {100 * (last[biggest] / first[biggest] - 1):+.0f}% from "
                        f"{wide.index[0]} to {wide.index[-1]}", sub, SOURCE, ylabel="Contacts a month")
    share = wide.div(wide.sum(axis=1), axis=0) * 100
    top = share.iloc[-1].idxmax()
    fig2 = series_lines(share, f"Channel mix: {top} is {share.iloc[-1][top]:.0f}% of contacts in {share.index[-1]}",
                        "Share of all contacts (999 + 101 + online) by month, %."
                        + (" SYNTHETIC sample data." if ctx.synthetic else ""), SOURCE, ylabel="% of contacts",
                        value_format="{:.1f}%")
    return [fig1, fig2]


def call_records(ctx: Context) -> tuple[pd.DataFrame, bool]:
    """The quarter's call-level extract if the Force sent one, else synthetic records (4 weeks
    of 2025 demand)."""
    folder = quarter_dirs(ctx.data_dir).get(ctx.quarter)
    if folder is not None:
        for name in ("contact_calls.parquet", "contact_calls.csv"):
            if (folder / name).exists():
                return read_calls(folder / name), False
    return synthetic_calls(date(2025, 10, 6), days=28, seed=20251006), True


def heatmap_section(ctx: Context) -> list:
    calls, synthetic = call_records(ctx)
    prof = staffing.week_profile(calls)
    out = []
    if synthetic:
        out.append(report.synthetic_note("No call-level extract was sent for this quarter, so the heatmap uses "
                                         "simulated call records (4 weeks of 2025 demand)."))
    agg = aggregate_calls(calls)
    weeks = max(1, round((calls["arrival"].max() - calls["arrival"].min()).days / 7))
    for ch in ("999", "101"):
        table = (staffing.heatmap_table(prof, ch) / weeks).round().astype("int64")
        busiest = table.stack().idxmax()
        fig = heatmap(table, f"{ch} calls peak on {busiest[0]} at {busiest[1]:02d}:00 "
                      f"({int(table.stack().max())} calls an hour)",
                      "Average calls per hour by day of week and hour of arrival."
                      + (" SYNTHETIC call-level records." if synthetic else ""),
                      "call-level extract" if not synthetic else "pcp_lib.subjects.contact.synthetic_calls",
                      xlabel="Hour of day", colourbar_label="Calls an hour")
        out.append(fig)
    out.append(report.table(display_table_calls(agg), "The same records aggregated to the monthly return by "
                            "aggregate_calls (same definitions as the Force's return)."
                            + (" SYNTHETIC." if synthetic else "")))
    return out


def display_table_calls(agg: pd.DataFrame) -> pd.DataFrame:
    out = agg.copy()
    out["month"] = [f"{d:%b %Y}" for d in out["month"]]
    out["asa_s"] = out["asa_s"].astype("string")
    return out.astype("string")


def staffing_section(ctx: Context) -> list:
    a = staffing.load_assumptions(ctx.data_dir)
    uplift = staffing.load_uplift(ctx.data_dir)
    last = _last_month(ctx)
    if last is None:
        return [report.note("No contact data to model staffing from.", "coverage")]
    full_years = [y for y in sorted({d.year for d in ctx.monthly["month"]})
                  if len(ctx.monthly[(ctx.monthly["channel"] == "999")
                                     & ctx.monthly["month"].map(lambda d, y=y: d.year == y)]) == 12]
    if len(full_years) < 2:
        return [report.note(f"The staffing what-if needs two complete calendar years of data up to "
                            f"{ctx.quarter.label}.", "coverage")]
    y0, y1 = full_years[-2], full_years[-1]
    s = annual_summary(ctx.monthly, (y0, y1), ctx.targets).set_index(["channel", "measure"])
    calls, _ = call_records(ctx)
    prof = staffing.week_profile(calls)
    needs = {}
    for y in (y0, y1):
        hourly = {ch: staffing.hourly_demand(int(s.loc[(ch, "offered"), str(y)]), prof, ch) for ch in ("999", "101")}
        needs[str(y)] = staffing.handlers_needed(hourly, a, ctx.targets)
    summ = staffing.need_summary(needs, a)
    scen = staffing.uplift_scenarios(needs[str(y1)], needs[str(y0)], a, uplift)
    out = [report.synthetic_note("The staffing what-if uses assumed handling times, patience and shrinkage "
                                 "(data/reference/contact_staffing_assumptions.csv) and the weekly pattern of "
                                 "simulated call records.") if a.synthetic else report.note("Assumptions: "
                                 "data/reference/contact_staffing_assumptions.csv.")]
    out.append(report.bullet_list(narrative.staffing_sentences(summ, scen, uplift)))
    show = summ.assign(calls_per_week=summ["calls_per_week"].round(0).astype("int64"),
                       fte=summ["fte"].round(1)).rename(columns={
        "demand": "Demand (calendar year)", "channel": "Channel", "calls_per_week": "Calls a week",
        "peak_handlers": "Handlers at the busiest hour", "handler_hours_per_week": "Handler-hours a week",
        "fte": "FTE (after shrinkage)"})
    out.append(report.table(show.astype("string"), "Call handlers needed to meet the targets, hour by hour: 999 by "
                            "Erlang C (90% within 10 s); 101 by Erlang A (75% within 15 min and under 10% abandoned)."))
    wide = pd.DataFrame({f"{ch} {y}": needs[str(y)][needs[str(y)]["channel"] == ch]["handlers"].to_numpy()
                         for ch in ("999", "101") for y in (y0, y1)})
    wide.index = [f"{staffing.DAYS[h // 24]} {h % 24:02d}" for h in range(168)]
    peak = wide.max()
    fig = series_lines(wide, f"At the busiest hour {y1} demand needs {int(peak[f'999 {y1}'])} handlers on 999 and "
                       f"{int(peak[f'101 {y1}'])} on 101 (against {int(peak[f'999 {y0}'])} and "
                       f"{int(peak[f'101 {y0}'])} for {y0})",
                       "Handlers on the phones needed each hour of a typical week. SYNTHETIC assumptions and weekly "
                       "pattern.", "pcp_lib.subjects.contact.staffing", ylabel="Handlers", max_ticks=14, width=10)
    out.append(fig)
    sc = scen.copy()
    for c in sc.columns[1:]:
        sc[c] = sc[c].round(1)
    sc = sc.rename(columns={"scenario": "Scenario", "fte": "FTE", "999_within_10s": "999 within 10 s (%)",
                            "999_abandoned": "999 abandoned (%)", "101_within_2min": "101 within 2 min (%)",
                            "101_within_15min": "101 within 15 min (%)", "101_abandoned": "101 abandoned (%)"})
    out.append(report.table(sc.astype("string"), f"What the uplift buys against {y1} demand (Erlang A, callers hang "
                            "up after their patience; % of calls offered). Core = what "
                            f"{y0} demand needed less the {uplift['extra_fte_2024_25']}-FTE uplift."))
    return out


def definitions() -> list:
    return [report.note(
        "Definitions. Rates are shares of calls offered (answered within N seconds of arrival / offered; abandoned / "
        "offered), so an abandoned call counts as not answered in time; the report does not say which denominator the "
        "Force uses. A call belongs to the month it arrived. Short abandons are not excluded. The published 101 "
        "measure (answered within 2 minutes) is not the measure of the local 101 target (75% within 15 minutes): "
        "both are shown, and only the 15-minute rate is judged against the target. Changes in volume are percent "
        "changes (%); changes in rates are percentage points (pp).")]


def close(figs: list) -> None:
    for f in figs:
        if hasattr(f, "savefig"):
            plt.close(f)
