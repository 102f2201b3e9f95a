"""The Panel meeting of each quarter's Plan Delivery Update is reference data, read by one
loader with provenance; a bad row is a clear error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.reference.panel_papers import load_panel_papers, panel_paper

DATA = Path(__file__).resolve().parents[2] / "data"


def test_q3_2025_26_as_its_paper_gives_it():
    p = panel_paper("Q3 2025/26")
    assert p is not None
    assert (p.meeting_date, p.report_date) == (date(2026, 4, 21), date(2026, 4, 21))
    assert p.author == "Lizzie Starr, Director of Governance and Performance"
    assert panel_paper("2025-26 Q4") is None
    table = load_panel_papers()
    assert table is not None and table["source"].str.contains("000_5c38b58c372c3f4f.txt").all()
    assert provenance_of(table).files == ("reference/panel_papers.csv",)


def test_no_file_means_no_row(tmp_path):
    assert load_panel_papers(tmp_path) is None and panel_paper("2025-26 Q3", tmp_path) is None


def test_bad_date_is_a_clear_error(tmp_path):
    (tmp_path / "reference").mkdir()
    text = (DATA / "reference" / "panel_papers.csv").read_text(encoding="utf-8")
    (tmp_path / "reference" / "panel_papers.csv").write_text(text.replace("2026-04-21,", "2026-04-31,", 1),
                                                           encoding="utf-8")
    with pytest.raises(DataError, match=r"panel_papers.csv, row 2, column 'meeting_date'"):
        load_panel_papers(tmp_path)
