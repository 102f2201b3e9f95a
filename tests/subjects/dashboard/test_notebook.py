"""The dashboard notebook runs for both audiences; the public one holds no restricted value."""

import pytest
from conftest import notebook_text, page_text

pytestmark = pytest.mark.slow


def test_dashboard_notebook_both_audiences(pack):
    # the pages in the shared pack of Q3 2025/26 (rendered once per test run), not runs of their own
    public = page_text(pack[0], "public", "00_pcp_dashboard.ipynb")
    restricted = page_text(pack[0], "restricted", "00_pcp_dashboard.ipynb")
    # Serial 7 (Staff satisfaction for Force) is restricted: 62.7% -> 60.4%.
    for secret in ("62.7%", "60.4%", "-2.3pp"):
        assert secret in restricted
        assert secret not in public
    assert "Restricted" in public
    assert "17 Green, 10 Amber, 10 Red, 3 with no data" in restricted
    assert "17 Green, 10 Amber, 9 Red, 2 with no data" in public
    assert "29%" in public and "26.0%" in public  # the actions data-quality note
    assert "SYNTHETIC data (actions.csv)" in public  # labelled by the page, not the notebook
    assert "Serial 83" in public  # published arrow that disagrees with the values
    # the statistical view beside the RAG: the Panel's "is it real?" question
    assert "Statistical view, Q3 2025/26" in public
    assert "but no evidence of a change at this volume" in public


def test_dashboard_notebook_says_when_data_do_not_reach_the_quarter(run_notebook):
    text = notebook_text(run_notebook("00_pcp_dashboard.ipynb", quarter="2026-27 Q1", audience="public"))
    assert "end in December 2025, before the end of Q1 2026/27" in text
    assert "The latest Plan metric values, shown below, are for Q3 2025/26." in text
