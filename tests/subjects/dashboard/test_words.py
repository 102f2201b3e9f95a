"""Words true to the data (issue 22, items 7 and 10): the dashboard says its RAG is computed by the
agreed rule, names the OPCC's paper as the source of the Q3 values, and dates its SPC column."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pcp_lib.subjects.dashboard import page


@pytest.fixture(scope="module")
def ctx() -> page.DashboardContext:
    return page.load("2025-26 Q3")


def test_the_rag_is_said_to_be_computed_by_the_agreed_rule_from_the_opccs_paper(ctx):
    text = page.summary(ctx).html()
    assert ("Every RAG here is computed by pcp with the agreed rule (see &#x27;How the RAG is decided&#x27;) from "
            "the values in the OPCC&#x27;s paper; none is copied from the source.") in text.replace("&#39;", "&#x27;")
    assert "The paper&#x27;s RAG column is blank" in text.replace("&#39;", "&#x27;")
    assert "force return" not in text


def test_the_spc_column_is_dated_with_its_month(ctx):
    assert page.spc_month(ctx) == date(2024, 12, 1)
    text = page.statistics(ctx).html()
    assert "SPC, police.uk month to Dec 2024" in text
    assert ("The SPC column reads the police.uk monthly counts, which end in December 2024: it describes the series "
            "to December 2024, not Q3 2025/26, the quarter of the RAG beside it.") in text


def test_the_spc_column_recalculates_at_a_known_change_point():
    # issue 22, item 5: the dashboard's SPC column reads the change points as the crime page does; a
    # change point in the last month leaves the latest period too short for limits, so no icon
    from pcp_lib.subjects.dashboard.evidence import load_series, statistical_view

    ctx = page.load("2025-26 Q3", audience="restricted")
    series = load_series()
    plain = statistical_view(ctx.assessed, ctx.population, series, "2024-25 Q3").set_index("serial")
    moved = statistical_view(ctx.assessed, ctx.population, series, "2024-25 Q3",
                             changes={"Shoplifting": [date(2024, 12, 1)]}).set_index("serial")
    assert pd.notna(plain.loc[52, "spc_variation"]) and pd.isna(moved.loc[52, "spc_variation"])
    assert moved.loc[27, "spc_variation"] == plain.loc[27, "spc_variation"]  # another measure: unchanged


def test_the_strategy_chart_credits_the_opccs_paper(ctx):
    assert page.values_source(ctx) == "The OPCC's paper; RAG computed by the agreed rule"
