"""Notebook 10 (contact demand) runs for both audiences, reproduces the published tables and
says plainly when the data do not reach the quarter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import notebook_text, page_text

ROOT = Path(__file__).resolve().parents[3]


def test_notebook_is_committed_without_outputs():
    nb = json.loads((ROOT / "notebooks" / "10_contact_demand.ipynb").read_text(encoding="utf-8"))
    assert "".join(nb["cells"][0]["source"]).startswith("# Contact demand")
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.slow
def test_notebook_public_reproduces_published_tables(pack):
    # the page in the shared pack of Q3 2025/26 (rendered once per test run), not a run of its own
    text = page_text(pack[0], "public", "10_contact_demand.ipynb")
    for figure in ("148,957", "202,344", "+53,387", "+36%", "-3.6pp", "+0.2pp", "215,670", "323,575",
                   "+107,905", "+50%", "-13.4pp", "+3.2pp", "49,147", "73,441", "+24,294", "+49%"):
        assert figure in text, figure
    assert "24 of 24 published figures are reproduced exactly" in text
    assert "a SYNTHETIC sample built to add up to these same published figures" in text
    assert "999 calls rose 36% (+53,387), from 148,957 in 2024 to 202,344 in 2025." in text
    assert "SYNTHETIC" in text and "data:image/png" in text
    assert "Q3 2025/26 against Q3 2024/25" in text
    assert "/work/" not in text and "Traceback" not in text


@pytest.mark.slow
def test_notebook_restricted_beyond_the_data(run_notebook):
    text = notebook_text(run_notebook("10_contact_demand.ipynb", quarter="2027-28 Q1", audience="restricted"))
    assert "The contact demand data end in December 2025, before the end of Q1 2027/28" in text
    assert "The page shows Q3 2025/26, the latest quarter the contact data reach." in text
    assert "Traceback" not in text and "/work/" not in text
