"""XmR charts: the Making Data Count colours with a shape for each, the target line, the icons in
words and the rules (the preset) in the subtitle.

Source for the colours: NHS England Making Data Count, "SPC charts - XmR testing" (Single Chart
Tool v5.0), "Special cause".
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.colors import to_hex

from pcp_lib.display.charts import spc as chart
from pcp_lib.display.icons import BLUE, GREY, ORANGE
from pcp_lib.methods.spc import xmr

MONTHS = pd.date_range("2023-01-01", periods=20, freq="MS")
SHIFT = pd.Series([31, 35, 34, 29, 29, 32, 26, 26, 32, 35, 30, 18, 31, 25, 27, 22, 18, 25, 25, 17], index=MONTHS)


def _texts(fig) -> str:
    """Every text of the figure, wrapped lines joined."""
    return (" ".join(t.get_text() for ax in fig.get_axes() for t in ax.texts) + " ".join(
        t.get_text() for t in fig.texts)).replace("\n", " ")


def test_points_have_tool_colours_and_shapes():
    r = xmr(SHIFT, "increase", target=5)
    fig = chart.xmr_chart(r, "Title", subtitle="Monthly count")
    ax = fig.get_axes()[0]
    labels = ax.get_legend_handles_labels()[1]
    assert "▲ Special cause: improvement" in labels and "■ Special cause: concern" in labels
    assert "Target (5)" in labels
    colours = {to_hex(c.get_facecolor()[0]).upper() for c in ax.collections}
    assert {BLUE, ORANGE, GREY} <= colours
    styles = {k: v[0] for k, v in chart.POINT_STYLE.items()}
    assert len(set(styles.values())) == len(styles)  # a shape for each kind, not colour alone
    plt.close(fig)


def test_recalculated_limits_are_drawn_per_period_with_a_marked_break():
    r = xmr(SHIFT, "increase", recalc_at=MONTHS[11], target=5)
    fig = chart.xmr_chart(r, "Title")
    ax = fig.get_axes()[0]
    labels = ax.get_legend_handles_labels()[1]
    assert "Limits recalculated (known change)" in labels and labels.count("Mean") == 1
    assert "Latest month: limits recalculated from Dec 2023, too few months since for limits" in _texts(fig)
    plt.close(fig)


def test_subtitle_names_the_rules_and_icons_are_in_words():
    r = xmr(SHIFT, "increase", target=5)
    fig = chart.xmr_chart(r, "Title", subtitle="Monthly count")
    text = _texts(fig)
    assert "SPC rules: Making Data Count rules (NHS England Single Chart Tool v5.0): runs of 6" in text.replace(
        "\n", " ")
    assert "Latest month: ■" not in text and "special cause: concern (lower)" in text
    # the latest month is special cause: no pass or fail while the process is changing (issue 22, item 5)
    assert "assurance: process changing: assurance when it settles" in text
    assert "consistently meet" not in text
    plt.close(fig)
    stable = xmr(SHIFT[:11], "increase", target=5)  # 11 points: too few for limits
    assert "assurance: too few points for SPC" in _texts(chart.xmr_chart(stable, "T"))
    steady = pd.Series([30, 32, 31, 29, 30, 33, 31, 30, 29, 32, 31, 30, 32, 31, 30], index=MONTHS[:15])
    fig = chart.xmr_chart(xmr(steady, "increase", target=5), "T")
    assert "assurance: ✔ will consistently meet the target" in _texts(fig)
    plt.close("all")
    nhsr = chart.xmr_grid({"A": xmr(SHIFT, "increase", rules="nhsr")}, "Grid", subtitle="By area")
    assert "NHSRplotthedots" in _texts(nhsr).replace("\n", " ")
    plt.close(nhsr)
