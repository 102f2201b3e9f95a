"""The CSP projected year-end chart: the title gives the projected underspend in pounds."""

from __future__ import annotations

from datetime import date

import matplotlib.pyplot as plt
from conftest import FIXTURE_DATA

from pcp_lib.display.charts.projection_bars import projection_bars
from pcp_lib.reference.csp_areas import short_names
from pcp_lib.subjects.csp import load_published, spend_position


def test_title_gives_the_projected_underspend():
    fig = projection_bars(spend_position(load_published(FIXTURE_DATA), date(2026, 1, 5)), short_names())
    # wrapped to the figure's width (no wider than the printed page)
    assert " ".join(fig.axes[0].get_title(loc="left").split()) == "At current run rates £37,996.58 would be left unspent at 31/03/2026"
    assert any(t.get_text() == "unspent £32,554.58" for t in fig.axes[0].texts)
    plt.close(fig)
