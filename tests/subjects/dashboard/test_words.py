"""Words true to the data (issue 22, items 7 and 10): the dashboard says its RAG is computed by the
agreed rule, names the OPCC's paper as the source of the Q3 values, and dates its SPC column."""

from __future__ import annotations

from datetime import date

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
