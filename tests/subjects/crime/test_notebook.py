"""The crime-trends notebook runs for both audiences, leads with the latest full quarter in
the data when asked for a later one, says so plainly, and copes with quarters outside the data."""

from __future__ import annotations

import pytest
from conftest import notebook_text, page_text

NB = "40_crime_trends.ipynb"
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("audience", ["public", "restricted"])
def test_runs_for_default_quarter(pack, audience):
    # the page in the shared pack of Q3 2025/26 (rendered once per test run), not a run of its own
    text = page_text(pack[0], audience, NB)
    assert "Q3 2024/25" in text and "latest full quarter" in text
    assert "The police.uk data end in December 2024" in text
    assert "No evidence of a change (adjusted across the 8 crime measures tested" in text
    assert "data:image/png" in text
    assert "/work/" not in text and "/home/" not in text
    assert "Traceback" not in text


def test_quarters_outside_the_data(run_notebook):
    later = notebook_text(run_notebook(NB, quarter="2027-28 Q1", audience="public"))
    assert "leads with Q3 2024/25" in later
    before = notebook_text(run_notebook(NB, quarter="2022-23 Q1", audience="public"))
    assert "no full quarter of data up to Q1 2022/23" in before
    assert "image/png" not in before
    assert "No full quarter of police.uk data up to Q1 2022/23" in before  # said in every section
