"""A template of a subject's page (the page contract, CONTRIBUTING.md): copy this folder to
``pcp_lib/subjects/<subject>/``, then replace the example below (the population of the nine
LLR local authorities, read from reference data) with the subject's own inputs and sections.

``load`` reads every input once and records where each came from; each section function
returns a :class:`~pcp_lib.display.page.Section` built from the inputs it uses, so anything
computed from a synthetic input is labelled by the contract; ``findings`` gives the front
page the page's two or three most important findings, each computed by the same functions as
the section that shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pcp_lib.core.provenance import Provenance, provenance_of
from pcp_lib.display.page import Context, Finding, Section, finding, opening
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.units import fmt_count
from pcp_lib.reference.population import llr_total, load_population

__all__ = ["NOTEBOOK", "QUESTION", "SECTIONS", "TITLE", "ExampleContext", "findings", "load", "method", "quarter",
           "title"]

TITLE = "Example subject"
#: The notebook that shows this page in the pack (``notebooks/``): the pack renders the
#: notebooks its subjects declare, and no other.
NOTEBOOK = "50_example.ipynb"
QUESTION = "How many people live in the nine LLR local authorities?"


@dataclass(kw_only=True)
class ExampleContext(Context):
    """What the page knows once loaded: ``population`` (one row per local authority)."""

    population: pd.DataFrame


def load(quarter: str, data_dir: str | Path | None = None, audience: str = "public") -> ExampleContext:
    """Read every input once; the quarter shown is the quarter asked for (reference data are
    not dated by quarter)."""
    asked = Quarter.parse(quarter)
    population = load_population(data_dir)
    inputs: dict[str, Provenance] = {"population": provenance_of(population)}
    return ExampleContext(asked=asked, shown=asked, audience=audience, data_dir=data_dir, inputs=inputs,
                          population=population)


def title(ctx: ExampleContext) -> Section:
    """Title block, what the data do not cover, and a note for each synthetic input."""
    return opening(ctx, TITLE, QUESTION)


def _total_sentence(ctx: ExampleContext) -> str:
    total, basis = llr_total(ctx.population)
    return f"The nine LLR local authorities have {fmt_count(total)} residents ({basis})."


def quarter(ctx: ExampleContext) -> Section:
    """The population of each local authority, and in all."""
    shown = ctx.population[["local_authority", "population"]].rename(
        columns={"local_authority": "Local authority", "population": "Population"})
    return (Section(uses=[ctx.inputs["population"]])
            .sentences([_total_sentence(ctx)])
            .table(shown, "Population by local authority"))


def method(ctx: ExampleContext) -> Section:
    """How the figures are worked out (static text: not built from the data)."""
    return Section().note("The total is the sum of the nine local authorities' populations.")


SECTIONS = (
    ("The quarter asked for", quarter),
    ("How the figures are worked out", method),
)


def findings(ctx: ExampleContext) -> list[Finding]:
    """For the front page: the total population (as in "The quarter asked for")."""
    return [finding(ctx, _total_sentence(ctx), SECTIONS, quarter, ctx.asked.label, "population")]
