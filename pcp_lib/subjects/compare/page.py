"""How LLR compares (notebook 50): LLR's recorded crime beside England and Wales, the East
Midlands, the 43 forces and a peer group, on ONS official statistics (Table P1).

``load`` reads the ONS force table of the edition for the quarter asked for (the latest whose
year ends by the quarter's end: ``reference.recorded_crime.edition_for``), the force
populations (Census 2021 usual residents), the peer group and the Plan-metric comparators
(reference data), and the metric register; it says plainly that the data's period (a year
ending June) is not the quarter asked for. The page names what is and is not comparable, lists
the Plan's survey (CSEW) measures and every other metric without a comparator, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pcp_lib.core.provenance import Provenance, provenance_of
from pcp_lib.display.charts.intervals import rate_intervals
from pcp_lib.display.page import Context, Finding, Section, finding, opening
from pcp_lib.io.datastore import reference_path
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.rates import INTERVAL_METHOD, fmt_rate
from pcp_lib.methods.units import fmt_count
from pcp_lib.reference.ons_tables import BASIS
from pcp_lib.reference.recorded_crime import (
    DEFINITION,
    Edition,
    edition_for,
    load_comparators,
    load_force_populations,
    load_peers,
    load_pfa,
)
from pcp_lib.subjects.compare.measures import (
    FORCE_CODE,
    Row,
    comparison_rows,
    comparison_table,
    csew_metrics,
    ordinal,
    peer_panels,
    peer_table,
    rank_words,
    uncompared_table,
)

__all__ = ["NOTEBOOK", "QUESTION", "REGISTER", "SECTIONS", "TITLE", "CompareContext", "comparable",
           "comparison_by_serial", "findings", "load", "method", "national", "peers", "title", "uncompared"]

TITLE = "How LLR compares"
#: The notebook that shows this page in the pack (``notebooks/``).
NOTEBOOK = "50_how_llr_compares.ipynb"
QUESTION = ("How do LLR's recorded crime rates compare with England and Wales, the East Midlands, the 43 forces "
            "and its peer forces?")
#: The metric register as this page needs it (serial, metric, source): subjects stand alone, so
#: the page reads the register file itself rather than through the dashboard.
REGISTER = Schema(name="metrics", title="metric register",
                  columns=(Column("serial", "int"), Column("metric", "text"), Column("source", "text")),
                  key=("serial",), extra_columns_ok=True)
_INPUTS = ("ons_recorded_crime_pfa", "force_populations", "peer_forces", "metric_comparators", "metrics")


@dataclass(kw_only=True)
class CompareContext(Context):
    """The edition shown, the rows compared, the region's name, the peer group's name and source,
    the metric register and the comparators."""

    edition: Edition
    rows: list[Row]
    region: str
    group: str
    group_source: str
    register: pd.DataFrame
    comparators: pd.DataFrame
    force_population: int


def _period_sentence(asked: Quarter, edition: Edition) -> str:
    first = pd.Timestamp(edition.end) - pd.DateOffset(months=11)
    return (f"You asked for {asked.label} ({asked.month_names}). These are official figures for the {edition.label} "
            f"({first:%B %Y} to {edition.end:%B %Y}), the latest ONS edition held that ends by then: they do not "
            f"cover {asked.label}, and are not the Plan's quarterly figures.")


def load(quarter: str, data_dir: str | Path | None = None, audience: str = "public") -> CompareContext:
    """Read every input once; the period shown is the ONS edition's year, said beside the quarter
    asked for."""
    asked = Quarter.parse(quarter)
    edition, note = edition_for(asked, data_dir)
    pfa = load_pfa(edition, data_dir)
    pops = load_force_populations(data_dir)
    peers_df = load_peers(data_dir)
    comparators = load_comparators(data_dir)
    register = read_table(reference_path("metrics.csv", data_dir), REGISTER)
    inputs: dict[str, Provenance] = dict(zip(_INPUTS, (provenance_of(t) for t in
                                                       (pfa, pops, peers_df, comparators, register)), strict=True))
    rows = comparison_rows(pfa, pops, comparators, peers_df)
    region = str(pfa.loc[pfa["area_code"] == FORCE_CODE, "region"].iloc[0])
    coverage = [_period_sentence(asked, edition)] + ([note] if note else [])
    return CompareContext(
        asked=asked, shown=asked, audience=audience, data_dir=data_dir, inputs=inputs, coverage=coverage,
        edition=edition, rows=rows, region=region, group=str(peers_df["group"].iloc[0]),
        group_source=str(peers_df["source"].iloc[0]), register=register, comparators=comparators,
        force_population=int(pops.loc[pops["area_code"] == FORCE_CODE, "population"].iloc[0]))


def title(ctx: CompareContext) -> Section:
    """Title block, the period against the quarter asked for, and what the figures are."""
    return opening(ctx, TITLE, QUESTION, findings(ctx)).note(DEFINITION)


def _row(ctx: CompareContext, offence: str) -> Row | None:
    return next((r for r in ctx.rows if r.offence == offence), None)


def _headline(ctx: CompareContext, r: Row) -> str:
    side = "above" if r.rate > r.england_wales else "below" if r.rate < r.england_wales else "the same as"
    return (f"LLR recorded {fmt_count(r.count)} {r.measure.lower()} offences in the {ctx.edition.short}: "
            f"{fmt_rate(r.rate)} per 1,000 residents, {side} England and Wales "
            f"({fmt_rate(r.england_wales)}) and {rank_words(r)} forces (1 = the highest rate).")


def comparison_by_serial(ctx: CompareContext) -> dict[int, str]:
    """Each Plan metric's comparison in a few words, by serial, for a table beside the metrics
    (the Word paper's Appendix 2): a compared metric's rate against England and Wales with LLR's
    rank, for the ONS year (named: it is not the quarter); any other metric, why there is none."""
    out = {int(r.serial): (f"{fmt_rate(r.rate)} per 1,000 in the {ctx.edition.short} (ONS recorded crime); England "
                           f"and Wales {fmt_rate(r.england_wales)}; {rank_words(r)} forces")
           for r in ctx.rows if r.serial is not None}
    for row in uncompared_table(ctx.register, ctx.comparators).to_dict("records"):
        out.setdefault(int(row["Serial"]), f"none: {row['Why there is no comparison here']}")
    return out


def _sides(ctx: CompareContext) -> tuple[list[str], list[str]]:
    """The measures whose LLR interval lies wholly above, and wholly below, England and Wales's
    rate. The interval is Poisson: it covers counting variation only, not year-to-year change
    or differences in recording, so the pages say "counting variation", not "chance"."""
    above = [r.measure.lower() for r in ctx.rows if r.low > float(r.england_wales)]
    below = [r.measure.lower() for r in ctx.rows if r.high < float(r.england_wales)]
    return above, below


def _above_sentence(ctx: CompareContext) -> str:
    above, below = _sides(ctx)
    return (f"Of {len(ctx.rows)} measures, LLR's rate is above England and Wales's by more than counting variation "
            "(its 95% interval lies above England and Wales's rate) for "
            f"{len(above)} ({', '.join(above) or 'none'}) and below it for {len(below)} ({', '.join(below) or 'none'}); "
            f"for the rest the 95% interval includes England and Wales's rate.")


def national(ctx: CompareContext) -> Section:
    """LLR's count and rate per measure beside England and Wales, the region and its rank."""
    shop = _row(ctx, "shoplifting")
    sentences = ([_headline(ctx, shop)] if shop else []) + [_above_sentence(ctx)]
    return (Section(uses=[ctx.inputs[n] for n in ("ons_recorded_crime_pfa", "force_populations",
                                                  "metric_comparators")])
            .sentences(sentences)
            .table(comparison_table(ctx.rows, ctx.region),
                   f"Police recorded crime, {ctx.edition.label}: LLR against England and Wales (the 43 forces) and "
                   f"the {ctx.region}; rates are offences per 1,000 residents ({BASIS})"))


def peers(ctx: CompareContext) -> Section:
    """The peer group's rates with their intervals: a chart and its table."""
    panels, refs = peer_panels(ctx.rows, "Leicestershire", ctx.region)
    shop = _row(ctx, "shoplifting") or ctx.rows[0]
    ranked = sorted(shop.peers, key=lambda p: p[2], reverse=True)
    place = [p[0] for p in ranked].index("Leicestershire") + 1 if any(p[0] == "Leicestershire" for p in ranked) else 0
    chart_title = (f"{shop.measure}: LLR's rate is {ordinal(place)} highest of the {len(ranked)} {ctx.group}"
                   if place else f"Rates per 1,000 of the {ctx.group}")
    return (Section(uses=[ctx.inputs[n] for n in ("ons_recorded_crime_pfa", "force_populations", "peer_forces")])
            .note(f"Peer group: {ctx.group}. Source: {ctx.group_source}")
            .chart(rate_intervals, panels, refs, chart_title,
                   f"Offences per 1,000 residents, {ctx.edition.label}, with 95% intervals; LLR (Leicestershire) "
                   "drawn as a diamond, its name in bold; dashed line England and Wales, dotted line the "
                   f"{ctx.region}",
                   f"ONS Table P1 ({ctx.edition.label}); Census 2021 usual residents")
            .table(peer_table(ctx.rows), f"The {ctx.group}: offences per 1,000 residents (and offences), "
                                         f"{ctx.edition.label}"))


def comparable(ctx: CompareContext) -> Section:
    """What is and is not comparable, in plain words."""
    return Section(uses=[ctx.inputs["force_populations"]]).sentences([
        f"Comparable: every force's figures are police recorded crime under the same Home Office counting rules, "
        f"for the same twelve months ({ctx.edition.label}), per 1,000 residents on one population basis ({BASIS}; "
        f"LLR {fmt_count(ctx.force_population)}, the same as the Plan's own rates).",
        "Not comparable: police.uk categories (the crime trends page) group offences differently (police.uk "
        "'Burglary' includes non-residential burglary); the Plan's dashboard figures are for its quarter, not a year "
        "ending June; forces differ in how completely they record crime, which no interval here covers.",
        "England and Wales here is the 43 territorial forces; ONS's own England and Wales total also counts British "
        "Transport Police's offences, which belong to no force area.",
    ])


def uncompared(ctx: CompareContext) -> Section:
    """The Plan's survey measures and every other metric without a comparator, with the reason."""
    csew = csew_metrics(ctx.register)
    return (Section(uses=[ctx.inputs["metrics"], ctx.inputs["metric_comparators"]])
            .sentences([f"The Plan's {len(csew)} survey measures (marked CSEW in the register: "
                        + "; ".join(f"serial {int(s)}, {m}" for s, m in zip(csew["serial"], csew["metric"], strict=True))
                        + ") have no force-level survey figures in the data here, so they are not compared."])
            .table(uncompared_table(ctx.register, ctx.comparators), "Plan metrics with no recorded-crime comparison "
                                                                     "here, and why"))


def method(ctx: CompareContext) -> Section:
    """How the figures are worked out (LLR's population from the data; the rest static text)."""
    return Section(uses=[ctx.inputs["force_populations"]]).sentences([
        "Rate per 1,000 = offences in the year / usual residents x 1,000, rounded half up to 2 places when shown "
        f"(LLR: {fmt_count(ctx.force_population)} residents).",
        INTERVAL_METHOD,
        "Rank: LLR's place among the 43 territorial forces by rate, 1 = the highest rate (the most offences per "
        "1,000); ties share the higher place.",
        "The ONS tables are read as published by scripts/derive_ons.py, which checks that regions and England and "
        "Wales add up and writes the derived tables under data/derived/ with their sources; a new edition is two "
        "data files added.",
    ])


SECTIONS = (
    ("LLR against England and Wales and the 43 forces", national),
    ("LLR among its peer forces", peers),
    ("What is and is not comparable", comparable),
    ("Plan metrics with no comparison here", uncompared),
    ("How the figures are worked out", method),
)


def _short_headline(ctx: CompareContext, r: Row) -> str:
    return (f"{r.measure}, {ctx.edition.short}: {fmt_count(r.count)} offences, {fmt_rate(r.rate)} per 1,000 "
            f"(England and Wales {fmt_rate(r.england_wales)}); {rank_words(r)} forces.")


def _short_above(ctx: CompareContext) -> str:
    above, below = _sides(ctx)
    return (f"Of {len(ctx.rows)} measures, LLR is above England and Wales by more than counting variation for "
            f"{', '.join(above) or 'none'}; below it for {len(below)}.")


def findings(ctx: CompareContext) -> list[Finding]:
    """For the front page (kept short: it is read in two minutes): shoplifting against England
    and Wales with its rank (the Panel's question), and the measures above or below England and
    Wales by more than counting variation. The period says it is not the quarter asked for."""
    period = f"{ctx.edition.label} (not {ctx.asked.label})"
    out = []
    shop = _row(ctx, "shoplifting")
    if shop is not None:
        out.append(finding(ctx, _short_headline(ctx, shop), SECTIONS, national, period, "ons_recorded_crime_pfa",
                           "force_populations"))
    out.append(finding(ctx, _short_above(ctx), SECTIONS, national, period, "ons_recorded_crime_pfa",
                       "force_populations"))
    return out
