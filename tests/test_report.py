"""Report helpers: tables align numbers right and text left (GOV.UK style), deterministically."""

from __future__ import annotations

import pandas as pd

from pcp_lib.display.report import numeric_columns, rag_table, table


def test_numeric_columns_read_counts_money_rates_and_changes():
    assert numeric_columns([["38,707", "60,406"], ["+37%", "n/a"], ["-3.6pp", "+0.2pp"], ["£1,234.56", "Nil"],
                            ["999", "101 (non-emergency)"], ["", "–"], ["0.004", "7.60"]]) == [
        True, True, True, False, False, False, True]


def test_table_marks_numeric_cells_and_headers():
    df = pd.DataFrame({"Measure": ["Volume", "Answered within 10 seconds"], "Q3 2025/26": ["52,898", "91.1%"],
                       "Change (pp)": ["", "-4.9pp"], "Target": ["", "at least 90% (national)"]})
    page = table(df, caption="Caption").data
    assert '<th class="num">Q3 2025/26</th>' in page and "<th>Measure</th>" in page
    assert '<td class="num">52,898</td>' in page and "<td>Volume</td>" in page
    assert "<td>at least 90% (national)</td>" in page and '<td class="num">-4.9pp</td>' in page
    assert page.count("<tr>") == 3 and "<caption>Caption</caption>" in page  # header and two rows


def test_rag_table_keeps_word_and_symbol_and_aligns_numbers():
    page = rag_table(pd.DataFrame({"Metric": ["Victim satisfaction"], "Latest": ["72.1%"], "RAG": ["✖ Red"]})).data
    assert '<td class="num">72.1%</td>' in page and "✖ Red</td>" in page and "<td>Victim satisfaction</td>" in page
