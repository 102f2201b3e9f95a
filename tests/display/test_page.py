"""The page contract labels what a section shows from its inputs' provenance: a table's
caption, a chart's stamp and alt text, and a list of sentences say SYNTHETIC (naming the
file) when any input is synthetic, and nothing is labelled when none is."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import matplotlib
import pandas as pd
import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from pcp_lib.core.provenance import Provenance, attach
from pcp_lib.display.charts.style import finish, new_figure
from pcp_lib.display.page import (
    Context,
    Section,
    anchor,
    basis_of,
    coverage_sentence,
    describe_input,
    finding,
    heading_of,
    opening,
    render_html,
    synthetic_label,
)
from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects.registry import subjects

matplotlib.use("Agg")

Q3 = Quarter.parse("2025-26 Q3")
REAL = Provenance(files=("data/published/contact_published.csv",), kind="published", as_at=date(2025, 12, 31))
SAMPLE = Provenance(files=("data/quarters/2025-26-Q3/contact_monthly.csv",), kind="synthetic",
                    note="SYNTHETIC sample made by scripts/make_contact.py\nseed 1",
                    synthetic_files=("data/quarters/2025-26-Q3/contact_monthly.csv",))
TABLE = pd.DataFrame({"Measure": ["999 calls"], "Q3 2025/26": ["52,898"]})


def _chart():
    fig, ax = new_figure(4, 3)
    ax.plot([1, 2], [3, 4])
    return finish(fig, "Calls rose in the quarter")


def _html(sec: Section) -> str:
    return sec.html(images=False)


def test_a_synthetic_input_labels_the_caption_naming_the_file():
    page = _html(Section(uses=[REAL, SAMPLE]).table(TABLE, "Table 1: 999 calls"))
    assert "<caption>Table 1: 999 calls SYNTHETIC data (contact_monthly.csv): a sample made by code" in page
    assert "contact_published.csv" not in page, "only the synthetic inputs are named"


def test_a_synthetic_chart_is_stamped_and_its_alt_text_says_so():
    page = _html(Section(uses=[SAMPLE]).chart(_chart()))
    assert 'data-stamp="SYNTHETIC DATA"' in page
    assert ">SYNTHETIC data (contact_monthly.csv): a sample made by code, not real figures. Calls rose" in page


def test_synthetic_sentences_carry_a_label_above_them():
    page = _html(Section(uses=[attach(TABLE.copy(), SAMPLE)]).sentences(["Calls rose by 4%."]))
    label = page.index('class="pcp-synthetic-label"')
    assert "SYNTHETIC data (contact_monthly.csv)" in page and label < page.index("Calls rose by 4%.")


def test_nothing_is_labelled_when_no_input_is_synthetic():
    sec = Section(uses=[REAL, attach(TABLE.copy(), REAL)])
    page = _html(sec.table(TABLE, "Table 1").chart(_chart()).sentences(["Calls rose."]))
    assert "SYNTHETIC" not in page and not sec.synthetic and sec.label == ""
    assert "<caption>Table 1</caption>" in page and 'data-stamp=""' in page
    assert "SYNTHETIC" not in _html(Section().table(TABLE, "Table 2").sentences(["A note."]))


def test_a_note_and_an_empty_list_add_no_label():
    page = _html(Section(uses=[SAMPLE]).note("Published quarterly.").sentences([]).chart(None))
    assert "SYNTHETIC" not in page and "Published quarterly." in page


def test_a_table_without_provenance_cannot_be_used():
    with pytest.raises(TypeError, match="carries no provenance"):
        Section(uses=[TABLE])


def test_a_rag_table_keeps_the_label():
    df = TABLE.assign(RAG=["✔ Green"])
    page = _html(Section(uses=[SAMPLE]).table(df, "Table 3", rag_column="RAG"))
    assert "pcp-rag-table" in page and "Table 3 SYNTHETIC data (contact_monthly.csv)" in page


def test_coverage_sentence():
    assert coverage_sentence(Q3, date(2025, 12, 1), "contact") is None
    assert coverage_sentence(Q3, date(2025, 11, 1), "contact") == (
        "The contact data end in November 2025, before the end of Q3 2025/26 (December 2025); "
        "figures below use what is available.")
    assert coverage_sentence(Q3, None, "contact") == "There are no contact data up to Q3 2025/26."


def test_describe_input():
    assert describe_input("contact_published", REAL) == (
        "contact_published: data/published/contact_published.csv (published figures, as at 31/12/2025)")
    assert describe_input("contact_monthly", SAMPLE).endswith("(SYNTHETIC sample)")
    mixed = Provenance(files=("a.csv", "b.csv"), kind="derived", synthetic_files=("b.csv",))
    assert describe_input("x", mixed) == "x: a.csv, b.csv (derived from open data, partly SYNTHETIC (b.csv))"
    many = Provenance(files=tuple(f"quarters/q{i}/x.csv" for i in range(5)), kind="return")
    assert describe_input("y", many) == "y: 5 files (quarters/q0/x.csv to quarters/q4/x.csv) (return)"
    several = Provenance(files=tuple(f"q{i}.csv" for i in range(5)), kind="derived")
    assert describe_input("z", several) == "z: q0.csv, q1.csv, q2.csv, q3.csv, q4.csv (derived from open data)"


@dataclass
class _Ctx(Context):
    table: pd.DataFrame | None = None


def _load(quarter: str, data_dir=None, audience: str = "public") -> _Ctx:
    return _Ctx(asked=Quarter.parse(quarter), shown=Quarter.parse(quarter), audience=audience, data_dir=data_dir,
                inputs={"contact_published": REAL, "contact_monthly": SAMPLE},
                coverage=["The contact data end in November 2025."], table=attach(TABLE.copy(), SAMPLE))


def _title(ctx: _Ctx) -> Section:
    return opening(ctx, "Contact demand", "How many calls?")


def _quarter(ctx: _Ctx) -> Section:
    return Section(uses=[ctx.inputs["contact_published"]]).table(TABLE, "Published")


def _monthly(ctx: _Ctx) -> Section:
    return Section(uses=[ctx.uses("contact_monthly")]).table(ctx.table, "Monthly")


def test_opening_names_every_input_the_gaps_and_each_synthetic_input():
    page = _html(_title(_load("2025-26 Q3")))
    assert "Contact demand: Q3 2025/26" in page
    assert "How many calls?" not in page, "the question is the notebook's intro, printed once, not here again"
    assert "contact_published: data/published/contact_published.csv" in page
    assert "The contact data end in November 2025." in page
    assert ("contact_monthly (contact_monthly.csv) is SYNTHETIC sample data, not real figures; anything built "
            "from it is labelled SYNTHETIC. SYNTHETIC sample made by scripts/make_contact.py") in page
    assert "seed 1" not in page, "the first line of the note only"


def test_render_html_labels_only_the_sections_using_the_synthetic_input():
    page = render_html(_load, _title, (("The quarter", _quarter), ("Monthly", _monthly)), "2025-26 Q3")
    quarter = page[page.index("<h2>The quarter</h2>"):page.index("<h2>Monthly</h2>")]
    monthly = page[page.index("<h2>Monthly</h2>"):]
    assert "SYNTHETIC" not in quarter
    assert "<caption>Monthly SYNTHETIC data (contact_monthly.csv)" in monthly


def test_context_checks_audience_and_input_names():
    ctx = _load("2025-26 Q3")
    assert ctx.public and ctx.uses("contact_published", "contact_monthly").synthetic
    with pytest.raises(KeyError, match="no input named nope"):
        ctx.uses("nope")
    with pytest.raises(ValueError, match="audience must be one of"):
        _load("2025-26 Q3", audience="everyone")


def test_synthetic_label_names_each_file_once():
    twice = Provenance(files=("a/x.csv", "b/x.csv"), kind="synthetic", synthetic_files=("a/x.csv", "b/x.csv"))
    assert synthetic_label(twice) == "SYNTHETIC data (x.csv): a sample made by code, not real figures."


# ---- findings ---------------------------------------------------------------------------------

def _headings() -> list[str]:
    """Every section heading of every subject's page."""
    return [h for s in subjects() for h, _ in s.page.SECTIONS]


@pytest.mark.parametrize("heading", [*_headings(), "Delivery of the Plan's actions: (a), b? & y",
                                     "Spend  against   profile "])
def test_anchor_is_the_id_nbconvert_gives_the_heading(heading):
    out = markdown2html_mistune(f"## {heading}")
    made = out[out.index(' id="') + 5:out.index('">')]
    assert anchor(heading) == html.unescape(made)


def test_heading_of_finds_the_section_function_and_refuses_another():
    sections = (("The quarter", _quarter), ("Monthly", _monthly))
    assert heading_of(sections, _monthly) == "Monthly"
    with pytest.raises(KeyError, match="_title"):
        heading_of(sections, _title)


def test_basis_names_each_kind_once_and_each_synthetic_file():
    ret = Provenance(files=("quarters/2025-26-Q3/metric_values.csv",), kind="return")
    ref = Provenance(files=("reference/metrics.csv",), kind="reference")
    police = Provenance(files=("derived/police_uk_monthly_counts.csv",), kind="derived")
    assert basis_of([REAL]) == "published"
    assert basis_of([ret, ref]) == "return (metric_values.csv)", "a reference list is no basis of its own"
    # issue 22, item 10: a return whose sidecar names its source is called by it, never "force return"
    paper = Provenance(files=("quarters/2025-26-Q3/metric_values.csv",), kind="return",
                       note="From the OPCC's paper: Plan Delivery Update Q3 2025/26, Appendix 1.")
    assert basis_of([paper, ref]) == "the OPCC's paper"
    assert "from the OPCC's paper" in describe_input("metric_values", paper)
    assert basis_of([ref]) == "reference data"
    assert basis_of([police, ref]) == "police.uk"
    assert basis_of([SAMPLE, ref]) == "SYNTHETIC sample (contact_monthly.csv)"
    assert basis_of([REAL, SAMPLE]) == "published and SYNTHETIC sample (contact_monthly.csv)"


def test_a_finding_carries_its_section_basis_and_date():
    ctx = _load("2025-26 Q3")
    sections = (("The quarter", _quarter), ("Monthly", _monthly))
    real = finding(ctx, "Calls rose.", sections, _quarter, "Q3 2025/26", "contact_published")
    assert (real.section, real.anchor, real.basis, real.synthetic) == ("The quarter", "The-quarter", "published", False)
    assert real.when == "Q3 2025/26, data as at 31/12/2025"
    sample = finding(ctx, "Calls rose.", sections, _monthly, "Q3 2025/26", ctx.table)
    assert sample.synthetic and sample.basis == "SYNTHETIC sample (contact_monthly.csv)"
    assert sample.when == "Q3 2025/26", "no as-at date: the period alone"
    with pytest.raises(KeyError, match="no input named nope"):
        finding(ctx, "x", sections, _quarter, "Q3 2025/26", "nope")
