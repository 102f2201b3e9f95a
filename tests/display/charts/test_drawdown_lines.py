"""The CSP drawdown chart: a panel per area against the profile; synthetic positions hollow."""

from __future__ import annotations

import matplotlib.pyplot as plt
from conftest import FIXTURE_DATA

from pcp_lib.display.charts.drawdown_lines import drawdown_lines
from pcp_lib.display.charts.style import chart_title
from pcp_lib.reference.csp_areas import short_names
from pcp_lib.subjects.csp import load_positions
from pcp_lib.subjects.csp.timeline import drawdown_series


def test_a_panel_per_area_and_hollow_synthetic_markers():
    s = drawdown_series(load_positions("2025-26 Q4", FIXTURE_DATA), 2025)
    fig = drawdown_lines(s, 2025, short_names(), subtitle="Hollow markers: a sample")
    assert chart_title(fig) == "7 of 9 CSPs had spent at least the year's share of their allocation by 05/01/2026"
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 10 and panels[-1].get_title(loc="left") == "All nine CSPs"
    markers = [line for line in panels[0].lines if line.get_marker() == "o"]
    assert [m.get_markerfacecolor() == "white" for m in markers] == [True, True, True, False]
    plt.close(fig)
