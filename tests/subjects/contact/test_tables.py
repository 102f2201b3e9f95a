"""Display tables: the published layout, labelled changes, and which rows the report publishes."""

from __future__ import annotations

import pandas as pd
import pytest

from pcp_lib.reference.contact_targets import load_targets
from pcp_lib.subjects.contact.returns import load_monthly
from pcp_lib.subjects.contact.summary import annual_summary, quarter_summary
from pcp_lib.subjects.contact.tables import PUBLISHED_COLUMN, comparison_table, published_table


@pytest.fixture(scope="module")
def summary() -> pd.DataFrame:
    return annual_summary(load_monthly("2025-26 Q3"), (2024, 2025), load_targets())


def test_published_table_layout(summary):
    t999 = published_table(summary, "999")
    assert t999.iloc[0].tolist() == ["Volume", "148,957", "202,344", "+53,387", "+36%"]
    assert t999.iloc[1].tolist() == ["Answered within 10 secs", "95.8%", "92.2%", "", "-3.6pp"]
    t101 = published_table(summary, "101")
    assert t101.iloc[2].tolist() == ["Abandonment Rate", "9.0%", "12.2%", "", "+3.2pp"]
    online = published_table(summary, "online")
    assert online.iloc[0].tolist() == ["Volume", "49,147", "73,441", "+24,294", "+49%"]


def test_comparison_table_labels_percent_and_pp_changes_apart():
    q = quarter_summary(load_monthly("2025-26 Q3"), "2025-26 Q3", load_targets())
    table = comparison_table(q)
    assert {"Change (%)", "Change (pp)", "Change (volume)"} <= set(table.columns)
    rate_rows = table[table["Measure"] != "Volume"]
    assert (rate_rows["Change (%)"] == "").all() and rate_rows["Change (pp)"].str.endswith("pp").all()
    assert PUBLISHED_COLUMN not in table.columns


def test_illustrative_figures_are_labelled_on_their_row(summary):
    """The 101 15-minute rates (87.6%, 77.9%) are not published: the row says so beside its ✔ Met."""
    table = comparison_table(summary, published_note="not published: illustrative").set_index(["Channel", "Measure"])
    row = table.loc[("101 (non-emergency)", "Answered within 15 minutes")]
    assert (row["2024"], row["2025"], row["2025: target"]) == ("87.6%", "77.9%", "✔ Met")
    assert row[PUBLISHED_COLUMN] == "not published: illustrative"
    assert table.loc[("101 (non-emergency)", "Answered within 2 minutes"), PUBLISHED_COLUMN] == "published"
    published_rows = table[table[PUBLISHED_COLUMN] == "published"]
    assert len(published_rows) == 7  # the report's seven rows, no more
