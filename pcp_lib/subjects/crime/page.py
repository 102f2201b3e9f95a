"""The crime-trends page (notebook 40) under the page contract (``pcp_lib.display.page``).

``load`` reads the three inputs once (the derived police.uk monthly counts, the population
reference and the CSP areas), decides which quarter the page leads with (the quarter asked for
when the data cover it, else the latest full quarter before it) and says so in its coverage
sentences. Each section function returns what it displays, built from the inputs it names, so
anything computed from a synthetic input is labelled by the contract, not by the notebook.
When the data hold no full quarter up to the one asked for, every section says so in a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

import pandas as pd

from pcp_lib.core.provenance import provenance_of
from pcp_lib.display.charts.index_lines import indexed_lines
from pcp_lib.display.charts.spc import xmr_chart, xmr_grid
from pcp_lib.display.icons import icon_cell
from pcp_lib.display.page import Context, Finding, Section, coverage_sentence, finding, opening
from pcp_lib.io.datastore import reference_path
from pcp_lib.io.schema import file_provenance
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.spc import PRESETS, XmrResult, rules_sentence
from pcp_lib.methods.stats import HOW_TO_READ as STATISTICS_HOW_TO_READ
from pcp_lib.reference.csp_areas import AREAS_FILE, csp_lookup
from pcp_lib.reference.population import populations
from pcp_lib.reference.recorded_crime import DEFINITION as OFFICIAL_DEFINITION
from pcp_lib.reference.recorded_crime import PartnershipFigures, partnership_figures
from pcp_lib.reference.spc_change_points import (
    CHANGE_POINTS_FILE,
    change_points,
    load_change_points,
    series_name,
)
from pcp_lib.reference.spc_settings import load_settings, spc_preset
from pcp_lib.subjects.crime import tables
from pcp_lib.subjects.crime.counts import (
    COUNTS,
    LLR,
    LLR_FORCE,
    MEASURES,
    area_groups,
    last_month,
    latest_full_quarter,
    load_counts,
    months_up_to,
)
from pcp_lib.subjects.crime.measures import (
    force_comparison,
    index_base_months,
    indexed_comparison,
    quarter_table,
    spc_results,
    spc_summary,
    ytd_table,
)
from pcp_lib.subjects.crime.narrative import (
    COMPARISON_NOTE,
    DEFINITION_NOTE,
    HOW_TO_READ,
    SOURCE,
    SOURCE_NOTE,
    dispersion_note,
    evidence_sentences,
    grid_title,
    index_title,
    lead_sentence,
    no_quarter_note,
    quarter_sentences,
    rate_basis_note,
    spc_title,
    special_cause_sentence,
    unchanged_sentence,
)

__all__ = ["NOTEBOOK", "AREA_MEASURES", "COMPARED_FORCES", "INDEX_MEASURES", "QUESTION", "SECTIONS", "TITLE", "CrimeContext",
           "by_area", "findings", "forces", "how_to_read", "load", "official", "quarter", "spc_llr", "title"]

TITLE = "Crime trends"
#: The notebook that shows this page in the pack (``notebooks/``): the pack renders the
#: notebooks its subjects declare, and no other.
NOTEBOOK = "40_crime_trends.ipynb"
QUESTION = "Which recorded crimes changed by more than chance, and what do the monthly SPC charts show?"
#: the inputs, by name (the name is what the title block and SYNTHETIC labels show)
COUNTS_INPUT, POPULATION_INPUT, AREAS_INPUT, SPC_INPUT = COUNTS.name, "population", "csp_areas", "spc_settings"
CHANGES_INPUT = CHANGE_POINTS_FILE.removesuffix(".csv")
OFFICIAL_INPUT = "ons_recorded_crime_csp"
POPULATION_FILE = "population.csv"

#: measures shown by CSP area and against Derbyshire; measures shown as an index
AREA_MEASURES: tuple[str, ...] = ("Neighbourhood crime", "Shoplifting", "Violence and sexual offences",
                                  "Anti-social behaviour")
INDEX_MEASURES: tuple[str, ...] = ("Neighbourhood crime", "Shoplifting")
COMPARED_FORCES: tuple[str, ...] = (LLR_FORCE, "Derbyshire Constabulary")

SPC_SUBTITLE = "Monthly count, LLR (police.uk categories); XmR"
GRID_SUBTITLE = "Monthly count by CSP area (crimes located in the area)"
INDEX_SUBTITLE = "Monthly count as an index, first 12 months = 100"


@dataclass(kw_only=True)
class CrimeContext(Context):
    """The page's inputs once loaded: all the monthly counts (both forces, every month), the
    population of each local authority and its basis, LLR and the CSP areas with their local
    authorities, and the last month the LLR counts reach. The statistics every section
    shares are computed once, when first asked for."""

    counts: pd.DataFrame
    populations: dict[str, int]
    population_basis: str
    groups: dict[str, list[str]]
    last_month: date | None
    preset: str
    change_points: pd.DataFrame
    official: PartnershipFigures

    def changes(self, measure: str) -> list[date]:
        """The known change points of a measure ("crime <measure>" in the change-point table)."""
        return [cp.month for cp in change_points(self.change_points, series_name("crime", measure))]

    @property
    def csp_areas(self) -> dict[str, list[str]]:
        """The CSP areas and their local authorities (LLR left out)."""
        return {a: las for a, las in self.groups.items() if a != LLR}

    def shown_quarter(self) -> Quarter:
        """The quarter shown; a clear error when the data hold none up to the one asked for."""
        if self.shown is None:
            raise ValueError(f"there is no full quarter of police.uk data up to {self.asked.label}")
        return self.shown

    @cached_property
    def upto(self) -> pd.DataFrame:
        """The counts up to the end of the quarter shown."""
        return months_up_to(self.counts, self.shown_quarter())

    @cached_property
    def quarter_tests(self) -> pd.DataFrame:
        """The quarter against a year earlier for every LLR measure (``quarter_table``): one
        family of tests (the crime measures), adjusted together."""
        q = self.shown_quarter()
        return quarter_table(self.upto, q, self.populations, basis=self.population_basis)

    @cached_property
    def area_tests(self) -> pd.DataFrame:
        """The same by CSP area (and LLR) for ``AREA_MEASURES``: the area grid's family."""
        q = self.shown_quarter()
        return quarter_table(self.upto, q, self.populations, basis=self.population_basis, groups=self.groups,
                             measures=AREA_MEASURES)

    @cached_property
    def spc(self) -> dict[str, dict[str, XmrResult]]:
        """The LLR XmR result of every measure, up to the quarter shown, by the preset in reference data."""
        return {m: spc_results(self.counts, self.shown_quarter(), m, rules=self.preset, changes=self.changes(m))
                for m in MEASURES}


def load(quarter: str | Quarter, data_dir: str | Path | None = None, audience: str = "public") -> CrimeContext:
    """Read every input once, decide the quarter shown, and fill the inputs' provenance and the
    coverage sentences (the data end before the quarter asked for; the page leads with an
    earlier quarter, or has none to show)."""
    asked = Quarter.parse(quarter)
    counts = load_counts(data_dir)
    pops, basis = populations(data_dir)
    lookup = csp_lookup(data_dir)
    settings = load_settings(data_dir)
    changes = load_change_points(data_dir)
    shown = latest_full_quarter(counts, asked)
    last = last_month(counts)
    first = min(counts["month"]) if len(counts) else None
    official = partnership_figures(asked, data_dir)
    sentences = [coverage_sentence(asked, last, "police.uk"), lead_sentence(asked, shown, first)]
    return CrimeContext(
        asked=asked, shown=shown, audience=audience, data_dir=data_dir,
        inputs={COUNTS_INPUT: provenance_of(counts),
                POPULATION_INPUT: file_provenance(reference_path(POPULATION_FILE, data_dir)),
                AREAS_INPUT: file_provenance(reference_path(AREAS_FILE, data_dir)),
                SPC_INPUT: provenance_of(settings), CHANGES_INPUT: provenance_of(changes),
                OFFICIAL_INPUT: provenance_of(official.csp)},
        coverage=[s for s in sentences if s],
        counts=counts, populations=pops, population_basis=basis, groups=area_groups(lookup), last_month=last,
        preset=spc_preset(settings), change_points=changes, official=official)


def _data_note(sec: Section, text: str) -> Section:
    """A note whose figures come from the section's inputs (labelled when any is synthetic)."""
    return sec.note(f"{text} {sec.label}".strip())


def title(ctx: CrimeContext) -> Section:
    """Title block, coverage, where the counts come from (with their licence) and what police.uk
    categories are (and are not)."""
    return opening(ctx, TITLE, QUESTION, findings(ctx)).note(SOURCE_NOTE).note(DEFINITION_NOTE)


def quarter(ctx: CrimeContext) -> Section:
    """LLR: the quarter against the same quarter a year earlier, and the year to date."""
    sec = Section(uses=[ctx.inputs[COUNTS_INPUT], ctx.inputs[POPULATION_INPUT], ctx.inputs[SPC_INPUT],
                        ctx.inputs[CHANGES_INPUT]])
    if ctx.shown is None:
        return sec.note(no_quarter_note(ctx.asked), "coverage")
    q = ctx.shown
    table = ctx.quarter_tests
    ytd = ytd_table(ctx.upto, q)
    sec.sentences(quarter_sentences(table, ytd, spc_summary(ctx.spc)))
    sec.table(tables.display_quarter_table(table), f"LLR, {q.label} against {q.year_earlier().label}")
    sec.table(tables.display_ytd_table(ytd), f"LLR, year to date to {q.label}")
    sec.note(" ".join(STATISTICS_HOW_TO_READ))
    _data_note(sec, dispersion_note(table))
    return _data_note(sec, rate_basis_note(ctx.populations, ctx.population_basis))


def _recalculation_words(ctx: CrimeContext) -> str:
    """Where the limits are recalculated: at the known change points of the measures (reference
    data), or nowhere, said so."""
    known = [f"{m} from {d:%B %Y}" for m in MEASURES for d in ctx.changes(m)]
    if not known:
        return ("No change point is known for these series (data/reference/spc_change_points.csv), so each "
                "chart's limits come from all its months, and a real step or trend flags many of them.")
    return "Limits are recalculated at the known change points: " + "; ".join(known) + "."


def spc_llr(ctx: CrimeContext) -> Section:
    """LLR: the SPC reading of every measure, and its XmR chart."""
    sec = Section(uses=[ctx.inputs[COUNTS_INPUT], ctx.inputs[SPC_INPUT], ctx.inputs[CHANGES_INPUT]])
    if ctx.shown is None:
        return sec.note(no_quarter_note(ctx.asked), "coverage")
    sec.note(rules_sentence(PRESETS[ctx.preset]) + " " + _recalculation_words(ctx))
    llr = {m: {LLR: r[LLR]} for m, r in ctx.spc.items()}
    sec.table(tables.display_spc_summary(spc_summary(llr)), "SPC readings, LLR",
              special={tables.SPC_ICON_COLUMN: icon_cell})
    for measure, by_area in llr.items():
        r = by_area[LLR]
        sec.chart(xmr_chart, r, spc_title(measure, LLR, r), subtitle=SPC_SUBTITLE, source=SOURCE)
    return sec


def by_area(ctx: CrimeContext) -> Section:
    """Each CSP area: XmR small multiples, and the quarter's counts and rates by area."""
    sec = Section(uses=[ctx.inputs[COUNTS_INPUT], ctx.inputs[AREAS_INPUT], ctx.inputs[POPULATION_INPUT],
                        ctx.inputs[SPC_INPUT], ctx.inputs[CHANGES_INPUT]])
    if ctx.shown is None:
        return sec.note(no_quarter_note(ctx.asked), "coverage")
    q = ctx.shown
    for measure in AREA_MEASURES:
        results = spc_results(ctx.counts, q, measure, ctx.csp_areas, rules=ctx.preset, changes=ctx.changes(measure))
        sec.chart(xmr_grid, results, grid_title(measure, results), subtitle=GRID_SUBTITLE, source=SOURCE)
    areas = ctx.area_tests
    sec.table(tables.display_quarter_table(areas, by_area=True),
              f"By area, {q.label} against {q.year_earlier().label} (p adjusted across the grid's tests)")
    return _data_note(sec, dispersion_note(areas))


def official(ctx: CrimeContext) -> Section:
    """The nine partnerships on official figures (ONS Table C2, Home Office definitions) beside
    the police.uk view above, with the check that they and Unassigned sum to the force total."""
    o = ctx.official
    sec = Section(uses=[ctx.inputs[OFFICIAL_INPUT], ctx.inputs[POPULATION_INPUT]]).note(OFFICIAL_DEFINITION)
    if o.period_note:
        sec.note(o.period_note, "coverage")
    return (sec.sentences([f"Official police recorded crime by partnership, {o.edition.label} (a year, not "
                           f"{ctx.asked.label}; Home Office offence groups, not the police.uk categories above): "
                           "offences, and in brackets per 1,000 residents (Census 2021 usual residents). Unassigned: "
                           "offences ONS could not place in a partnership.", o.check])
            .table(o.table, f"Recorded crime by Community Safety Partnership, {o.edition.label} (ONS Table C2)"))


def forces(ctx: CrimeContext) -> Section:
    """LLR against Derbyshire: each force against itself a year earlier, and indexed trends."""
    sec = Section(uses=[ctx.inputs[COUNTS_INPUT]])
    if ctx.shown is None:
        return sec.note(no_quarter_note(ctx.asked), "coverage")
    q = ctx.shown
    sec.table(tables.display_force_comparison(force_comparison(ctx.counts, q, AREA_MEASURES, COMPARED_FORCES)),
              f"Each force, {q.label} against {q.year_earlier().label}")
    sec.note(COMPARISON_NOTE)
    base = index_base_months(ctx.counts)
    for measure in INDEX_MEASURES:
        idx = indexed_comparison(ctx.upto, measure, COMPARED_FORCES, base)
        sec.chart(indexed_lines, idx, index_title(idx, measure), subtitle=INDEX_SUBTITLE, source=SOURCE)
    return sec


def how_to_read(ctx: CrimeContext) -> Section:
    """How the counts, the RAG band and the SPC charts are to be read (not built from data)."""
    return Section().sentences(HOW_TO_READ)


SECTIONS = (
    ("The quarter against the same quarter a year earlier, and the year to date", quarter),
    ("Monthly SPC charts, LLR", spc_llr),
    ("By Community Safety Partnership area", by_area),
    ("By partnership on official figures", official),
    ("LLR against Derbyshire", forces),
    ("How to read this page", how_to_read),
)


def findings(ctx: CrimeContext) -> list[Finding]:
    """For the front page: which LLR measures show evidence of a change on a year earlier
    after adjusting across the crime measures (the family, named in the sentence; or that none
    does), and which LLR series show special cause in their latest month (sentences of the
    quarter's section, which the SPC charts below it show month by month)."""
    if ctx.shown is None:
        return [finding(ctx, no_quarter_note(ctx.asked), SECTIONS, quarter, ctx.asked.label, COUNTS_INPUT)]
    q = ctx.shown
    table = ctx.quarter_tests
    lines: list[str | None] = [*evidence_sentences(table)] or [unchanged_sentence(table)]
    spc = special_cause_sentence(spc_summary(ctx.spc))
    period = q.label if q == ctx.asked else f"{q.label}, the latest full quarter of police.uk data"
    out = [finding(ctx, text, SECTIONS, quarter, period, COUNTS_INPUT, POPULATION_INPUT) for text in lines if text]
    if spc:
        out.append(finding(ctx, spc, SECTIONS, quarter, period, COUNTS_INPUT))
    return out
