"""Notebook 30 (CSP spend) runs for both audiences, reproduces the published table with its
totals, labels synthetic positions, says plainly when the data do not reach the quarter,
and gives the same output on a re-run."""

from __future__ import annotations

import re

import pytest
from conftest import notebook_text, page_text

NB = "30_csp_spend.ipynb"
pytestmark = pytest.mark.slow


def _errors(nb: dict) -> list[str]:
    return [o.get("ename", "") for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]


def test_public_q3_reproduces_the_published_table_and_reruns_identically(pack):
    # the page in the shared pack of Q3 2025/26 (rendered once per test run, every cell without
    # an error or the pack fails), and the same page of its second render from scratch
    text = page_text(pack[0], "public", NB)
    assert "Traceback" not in text
    for figure in ("£639,675.00", "£527,792.49", "£111,882.51", "£271,818.47", "£236,492.47", "£35,326.00",
                   "£16,697.89", "£32,554.58", "£3,942.80", "Nil"):
        assert figure in text, figure
    assert "as at 31/12/2025" in text and "05/01/2026" in text and "5 days after the end of Q3 2025/26" in text
    assert "SYNTHETIC data (csp_spend.csv)" in text and "day 275 of 365" in text and "day 280 of 365" in text
    assert "behind profile" in text and "no drawdown yet" in text and "fully spent" in text
    assert "-7.8pp" in text and "Appendix One lists 60 projects" in text
    assert text.count("data:image/png") >= 4
    assert not re.search(r"/(home|work|tmp|Users)/", text)
    assert page_text(pack[1], "public", NB) == text


def test_restricted_q3_runs(pack):
    text = page_text(pack[0], "restricted", NB)
    assert "Traceback" not in text
    assert "RESTRICTED version" in text and "£639,675.00" in text


def test_quarters_beyond_and_before_the_data_say_so(run_notebook):
    late = notebook_text(run_notebook(NB, quarter="2027-28 Q1", audience="public"))
    assert "Data coverage" in late and "January 2026" in late and "no CSP position yet for 2027/28" in late
    early_nb = run_notebook(NB, quarter="2024-25 Q4", audience="public")
    assert _errors(early_nb) == []
    early = notebook_text(early_nb)
    assert "There are no CSP spend position data up to Q4 2024/25" in early
    assert "No published CSP position falls up to the end of Q4 2024/25" in early
