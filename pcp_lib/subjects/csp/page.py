"""The CSP spend page (notebook 30): load once, then one function per section.

``load`` reads every input once (the CSP reference list, every position up to the quarter,
the published positions, the Appendix One projects and the tagging rules), decides which
positions the quarter leads with (``timeline``) and records where each input came from.
Each section function returns a :class:`~pcp_lib.display.page.Section` built from the
inputs it uses, so anything computed from a synthetic position is labelled by the contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from pcp_lib.core.provenance import Provenance, attach, combine, provenance_of
from pcp_lib.display.charts.drawdown_lines import drawdown_lines
from pcp_lib.display.charts.projection_bars import projection_bars
from pcp_lib.display.charts.spend_profile import spend_against_profile
from pcp_lib.display.page import Context, Finding, Section, coverage_sentence, finding, opening
from pcp_lib.io.completeness import page_banner
from pcp_lib.io.datastore import last_period
from pcp_lib.methods.periods import Quarter
from pcp_lib.reference.csp_areas import CspArea, area_names, areas_of, areas_table, short_names
from pcp_lib.reference.population import load_population
from pcp_lib.reference.recorded_crime import DEFINITION, PartnershipFigures, partnership_figures
from pcp_lib.subjects.csp import narrative, tables, timeline
from pcp_lib.subjects.csp.position import spend_position
from pcp_lib.subjects.csp.projects import by_area_and_priority, load_projects, load_rules, tag_projects
from pcp_lib.subjects.csp.spend import (
    CSP_SPEND_RETURN,
    load_positions,
    load_published,
    position_at,
    positions,
    series_of,
)

__all__ = ["NOTEBOOK", "QUESTION", "SECTIONS", "TITLE", "CspContext", "drawdown", "findings", "flagged", "load", "method", "profile", "recorded_crime",
           "projection", "projects", "published", "quarter", "tagging", "title"]

TITLE = "Community Safety Partnership spend"
#: The notebook that shows this page in the pack (``notebooks/``): the pack renders the
#: notebooks its subjects declare, and no other.
NOTEBOOK = "30_csp_spend.ipynb"
QUESTION = ("Are the CSPs drawing down their allocations at the pace the year needs, and what does the money "
            "buy?")
RETURNS_SOURCE = "OPCC CSP spend returns; Commissioner's update to the Panel"
PUBLISHED_SOURCE = "Commissioner's update to the Police and Crime Panel, para 27"


@dataclass(kw_only=True)
class CspContext(Context):
    """What the CSP page knows once loaded.

    ``by_date`` holds every position up to the quarter (each with its own file's provenance);
    ``lead`` is the ``spend_position`` of the latest of them (None when there is none),
    ``in_quarter`` the drawdown from the position before it in the same year, ``year_earlier``
    the position at the same point a year before; ``published_position`` the published
    position set beside the quarter and ``published_relation`` where it falls
    (``timeline.WITHIN``/``BEFORE``/``AFTER``); ``tagged`` the projects with their priority.
    """

    areas: tuple[CspArea, ...]
    by_date: dict[date, pd.DataFrame]
    lead: pd.DataFrame | None
    previous_as_at: date | None
    in_quarter: pd.DataFrame | None
    year_earlier: pd.DataFrame | None
    published_position: pd.DataFrame | None
    published_relation: str | None
    tagged: pd.DataFrame
    rules: pd.DataFrame
    official: PartnershipFigures

    @property
    def names(self) -> dict[str, str]:
        """Canonical name -> the short name the published table prints, in reference order."""
        return short_names(self.areas)

    @property
    def lead_as_at(self) -> date | None:
        return None if self.lead is None else self.lead.attrs["as_at"]


def load(quarter: str, data_dir: str | Path | None = None, audience: str = "public") -> CspContext:
    """Read every input once and decide which positions the quarter's page shows."""
    asked = Quarter.parse(quarter)
    areas_df = areas_table(data_dir)
    areas = areas_of(areas_df)
    by_date = load_positions(asked, data_dir, area_names(areas))
    series = series_of(by_date)
    published_df = load_published(data_dir)
    projects_df, rules = load_projects(data_dir), load_rules(data_dir)
    tagged = attach(tag_projects(projects_df, rules), combine([provenance_of(projects_df), provenance_of(rules)]))

    lead_as_at = timeline.latest_up_to(by_date, asked)
    lead = spend_position(by_date[lead_as_at], lead_as_at) if lead_as_at else None
    previous_as_at = timeline.previous_in_year(by_date, lead_as_at) if lead_as_at else None
    in_quarter = None
    if lead_as_at is not None:
        in_quarter = timeline.drawdown_between(by_date[previous_as_at] if previous_as_at else None, by_date[lead_as_at])
    ye_as_at = timeline.year_earlier_of(by_date, asked)
    year_earlier = spend_position(by_date[ye_as_at], ye_as_at) if ye_as_at else None
    pub_as_at, relation = timeline.published_for(positions(published_df), asked)
    pub_pos = spend_position(position_at(published_df, pub_as_at), pub_as_at) if pub_as_at else None
    official = partnership_figures(asked, data_dir)

    inputs: dict[str, Provenance] = {
        "csp_spend": provenance_of(series),
        "csp_spend_published": provenance_of(published_df),
        "csp_projects": provenance_of(projects_df),
        "csp_priority_rules": provenance_of(rules),
        "csp_areas": provenance_of(areas_df),
        "ons_recorded_crime_csp": provenance_of(official.csp),
        "population": provenance_of(load_population(data_dir)),
    }
    cover = coverage_sentence(asked, last_period(series, "as_at"), "CSP spend position")
    shown = Quarter.containing(lead_as_at) if lead_as_at is not None else None  # the lead's quarter
    return CspContext(asked=asked, shown=shown, audience=audience,
                     data_dir=data_dir, inputs=inputs, coverage=[cover] if cover else [],
                     areas=areas, by_date=by_date, lead=lead, previous_as_at=previous_as_at, in_quarter=in_quarter,
                     year_earlier=year_earlier, published_position=pub_pos, published_relation=relation,
                     tagged=tagged, rules=rules, official=official, partial=page_banner((CSP_SPEND_RETURN,), asked, data_dir, shown))


def title(ctx: CspContext) -> Section:
    """Title block, what the data do not cover, and a note for each synthetic input."""
    return opening(ctx, TITLE, QUESTION, findings(ctx))


def _nospend_position(ctx: CspContext) -> Section:
    return Section(uses=[ctx.inputs["csp_spend"]]).note(
        f"There is no CSP spend position up to the end of {ctx.asked.label}, so there is nothing to show here.",
        "coverage")


def quarter(ctx: CspContext) -> Section:
    """The latest position up to the quarter's end, the drawdown within the quarter and the
    comparison with a year earlier."""
    if ctx.lead is None:  # the sentence says there is no position: it rests on the (empty) series
        sec = Section(uses=[ctx.inputs["csp_spend"]])
    else:
        used = [ctx.lead, ctx.in_quarter, ctx.year_earlier]
        sec = Section(uses=[*(u for u in used if u is not None), ctx.inputs["csp_areas"]])
    sec.sentences(narrative.lead_sentences(ctx.asked, ctx.lead, ctx.previous_as_at, ctx.in_quarter,
                                           ctx.year_earlier))
    if ctx.in_quarter is not None and ctx.lead_as_at is not None and ctx.asked.contains(ctx.lead_as_at):
        sec.table(tables.in_quarter(ctx.in_quarter, ctx.asked.label, ctx.names),
                  f"Drawdown in {ctx.asked.label} and the year to date")
    return sec


def profile(ctx: CspContext) -> Section:
    """Each area's share spent against the share of the year gone, with its status."""
    if ctx.lead is None:
        return _nospend_position(ctx)
    caption = narrative.position_caption(ctx.lead.attrs["as_at"])
    sec = Section(uses=[ctx.lead, ctx.inputs["csp_areas"]])
    sec.table(tables.position(ctx.lead, ctx.names), caption)
    sec.sentences(narrative.status_sentences(ctx.lead, ctx.names))
    return sec.chart(spend_against_profile, ctx.lead, ctx.names, subtitle=caption, source=RETURNS_SOURCE)


def projection(ctx: CspContext) -> Section:
    """Where each area would end the year at its run rate so far."""
    if ctx.lead is None:
        return _nospend_position(ctx)
    caption = narrative.position_caption(ctx.lead.attrs["as_at"])
    sec = Section(uses=[ctx.lead, ctx.inputs["csp_areas"]])
    sec.sentences(narrative.projection_sentences(ctx.lead, ctx.names))
    sec.table(tables.projection(ctx.lead, ctx.names), f"Projected year-end position. {caption}")
    return sec.chart(projection_bars, ctx.lead, ctx.names, subtitle=caption, source=RETURNS_SOURCE)


def flagged(ctx: CspContext) -> Section:
    """The areas flagged at the lead position, in one sentence, then each with the reason in
    words and figures."""
    if ctx.lead is None:
        return _nospend_position(ctx)
    caption = narrative.position_caption(ctx.lead.attrs["as_at"])
    sec = Section(uses=[ctx.lead, ctx.inputs["csp_areas"]])
    sec.sentences([narrative.flagged_sentence(ctx.lead, ctx.names)])
    return sec.table(tables.flagged(ctx.lead, ctx.names), f"Areas flagged. {caption}")


def published(ctx: CspContext) -> Section:
    """The published position as printed (with totals), against the year's profile, and
    where it sits against the quarter."""
    pos = ctx.published_position
    sec = Section(uses=[ctx.inputs["csp_spend_published"], ctx.inputs["csp_areas"]])
    sec.sentences(narrative.published_sentences(ctx.asked, pos, ctx.published_relation))
    if pos is None:
        return sec
    as_at = pos.attrs["as_at"]
    caption = f"{narrative.position_caption(as_at)}, as published in the Commissioner's update to the Panel"
    sec.table(tables.published(pos, ctx.names),
              f"CSP allocations, expenditure and remaining balance as at {as_at:%d/%m/%Y}, as published, with totals")
    sec.table(tables.position(pos, ctx.names), caption)
    sec.sentences(narrative.status_sentences(pos, ctx.names) + narrative.projection_sentences(pos, ctx.names))
    if as_at != ctx.lead_as_at:
        sec.chart(spend_against_profile, pos, ctx.names, subtitle=caption, source=PUBLISHED_SOURCE)
        sec.table(tables.flagged(pos, ctx.names), f"Areas flagged. {caption}")
    return sec


def drawdown(ctx: CspContext) -> Section:
    """The share of each allocation spent at each position of the lead's financial year."""
    if ctx.lead is None:
        return _nospend_position(ctx)
    fy = ctx.lead.attrs["year"].fy
    series = timeline.drawdown_series(ctx.by_date, fy)
    return Section(uses=[series, ctx.inputs["csp_areas"]]).chart(
        drawdown_lines, series, fy, ctx.names, subtitle=narrative.series_subtitle(series), source=RETURNS_SOURCE)


def projects(ctx: CspContext) -> Section:
    """What the money buys: the Appendix One projects by area and by priority."""
    sec = Section(uses=[ctx.tagged, ctx.inputs["csp_areas"]])
    sec.sentences(narrative.project_sentences(ctx.tagged, ctx.names))
    sec.table(tables.priority_counts(by_area_and_priority(ctx.tagged, names=ctx.names)),
              "Number of projects by CSP area and priority (Appendix One)")
    return sec.table(tables.projects_by_area(ctx.tagged, ctx.names), "Projects by area, with the priority each serves")


def tagging(ctx: CspContext) -> Section:
    """The tagging rules in the order tried, and the rule and words behind each project's tag."""
    sec = Section(uses=[ctx.tagged, ctx.inputs["csp_areas"]])
    sec.table(tables.rules(ctx.rules), "Tagging rules, in the order tried")
    return sec.table(tables.tagging(ctx.tagged, ctx.names), "Each project's tag: the rule and the words it matched")


def recorded_crime(ctx: CspContext) -> Section:
    """The nine partnerships on official figures (ONS Table C2), with the check that they and
    Unassigned sum to the force total."""
    o = ctx.official
    sec = Section(uses=[ctx.inputs["ons_recorded_crime_csp"], ctx.inputs["population"]]).note(DEFINITION)
    if o.period_note:
        sec.note(o.period_note, "coverage")
    return (sec.sentences([f"Police recorded crime by partnership, {o.edition.label} (not {ctx.asked.label}): offences, "
                           "and in brackets per 1,000 residents (Census 2021 usual residents of the partnership's "
                           "local authority). Unassigned: offences ONS could not place in a partnership.", o.check])
            .table(o.table, f"Recorded crime by Community Safety Partnership, {o.edition.label} (ONS Table C2)"))


def method(ctx: CspContext) -> Section:
    """How the profile, the statuses and the projection are worked out (for the lead's date)."""
    if ctx.lead is None:
        return _nospend_position(ctx)
    return Section(uses=[ctx.lead]).sentences(narrative.method_notes(ctx.lead))


SECTIONS = (
    ("The quarter asked for", quarter),
    ("Spend against the year's profile", profile),
    ("Projected year-end position", projection),
    ("Areas flagged, with the reason", flagged),
    ("The published position", published),
    ("Drawdown over the year", drawdown),
    ("What the money buys", projects),
    ("How each project was tagged", tagging),
    ("Recorded crime by partnership (official figures)", recorded_crime),
    ("How the figures are worked out", method),
)


def findings(ctx: CspContext) -> list[Finding]:
    """For the front page: spend against the share of the year gone at the lead position
    (as in "The quarter asked for") and the areas flagged there (as in "Areas flagged")."""
    if ctx.lead is None or ctx.shown is None:
        text = narrative.lead_sentences(ctx.asked, None)[0]
        return [finding(ctx, text, SECTIONS, quarter, ctx.asked.label, "csp_spend")]
    return [finding(ctx, narrative.spend_sentence(ctx.lead), SECTIONS, quarter, ctx.shown.label, ctx.lead,
                    "csp_areas"),
            finding(ctx, narrative.flagged_sentence(ctx.lead, ctx.names), SECTIONS, flagged, ctx.shown.label,
                    ctx.lead, "csp_areas")]
