"""CSP tables as shown: money with pence, shares in %, gaps in pp, areas by their published names."""

from __future__ import annotations

from conftest import FIXTURE_DATA

from pcp_lib.subjects.csp import load_published, spend_position, tables

from .helpers import AS_AT


def test_published_table_display_as_printed():
    shown = tables.published(spend_position(load_published(FIXTURE_DATA), AS_AT))
    assert list(shown.columns) == ["CSP Area", "2025-26 Allocations", "2025-26 Expenditure",
                                   "2025-26 Remaining CSP Balance"]
    assert list(shown.iloc[2]) == ["SNWLP", "£53,776.10", "£37,078.21", "£16,697.89"]
    assert list(shown.iloc[1][2:]) == ["£89,530.24", "Nil"]
    assert list(shown.iloc[-1]) == ["Total", "£639,675.00", "£527,792.49", "£111,882.51"]


def test_position_table_units():
    pos = spend_position(load_published(FIXTURE_DATA), AS_AT)
    t = tables.position(pos)
    assert t.iloc[-1]["% spent"] == "82.5%"
    assert t.iloc[2]["Spend against profile (pp)"] == "-7.8pp"
    assert t.iloc[3]["Spend against profile (pp)"] == "0.0pp"  # Blaby: zero has no sign
    assert t.iloc[5]["Spend against profile (£)"] == "+£2,359.01"
    assert t.iloc[6]["Status"] == "✖ no drawdown yet" and t.iloc[-1]["Status"] == ""
    renamed = tables.position(pos, {"Melton": "Melton (renamed)"})
    assert "Melton (renamed)" in set(renamed["CSP area"])


def test_compare_positions_in_percentage_points():
    pos = spend_position(load_published(FIXTURE_DATA), AS_AT)
    t = tables.compare_positions(pos, pos)
    assert set(t["Change (pp)"]) == {"0.0pp"}
    assert t.iloc[6]["% spent at 05/01/2026"] == "0.0%"


def test_flagged_and_projection_tables():
    pos = spend_position(load_published(FIXTURE_DATA), AS_AT)
    assert list(tables.flagged(pos)["CSP area"]) == ["Charnwood", "SNWLP", "Oadby and Wigston", "Melton Mowbray"]
    proj = tables.projection(pos)
    assert proj.iloc[-1]["Projected underspend"] == "£37,996.58"
