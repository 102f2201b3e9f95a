"""The DToA notebook runs for both audiences, for a quarter beyond the data and one before it."""

from __future__ import annotations

import re

import pytest
from conftest import notebook_text, page_text

pytestmark = pytest.mark.slow


def _errors(nb: dict) -> list[str]:
    return [o.get("ename", "") for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]


def test_public_default_quarter(pack):
    # the page in the shared pack of Q3 2025/26 (rendered once per test run, every cell without
    # an error or the pack fails), not a run of its own
    text = page_text(pack[0], "public", "20_dtoa_dropoffs.ipynb")
    assert "Traceback" not in text
    assert "-23pp" in text and "✖ no: unit" in text
    for label in ("-14%", "-75%", "-77%", "-79%", "-84%", "+2 days", "-95%", "-68%"):
        assert label in text
    assert "2,915" in text and "SYNTHETIC data (dtoa_pathway.csv)" in text
    assert "nothing can yet be said" in text  # the uplift starts after this quarter
    assert "All 12 published totals equal the sum of their months" in text
    assert "/work/" not in text and not re.search(r"/home/|/tmp/", text)
    assert text.count("data:image/png") >= 6


def test_restricted_beyond_the_data(run_notebook):
    nb = run_notebook("20_dtoa_dropoffs.ipynb", quarter="2027-28 Q1", audience="restricted")
    text = notebook_text(nb)
    assert not _errors(nb)
    assert "Data coverage" in text and "December 2026" in text
    assert "months of data since the uplift began in May 2026" in text
    assert "RESTRICTED version" in text


def test_public_before_the_data(run_notebook):
    nb = run_notebook("20_dtoa_dropoffs.ipynb", quarter="2024-25 Q1", audience="public")
    text = notebook_text(nb)
    assert not _errors(nb)
    assert "There are no DToA custody pathway monthly data up to Q1 2024/25" in text
    assert "-23pp" in text  # the published sections still show
