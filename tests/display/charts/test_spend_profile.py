"""The CSP spend-against-profile chart: its title states the finding; status in words, not colour alone."""

from __future__ import annotations

from datetime import date

import matplotlib.pyplot as plt
from conftest import FIXTURE_DATA

from pcp_lib.display.charts.spend_profile import spend_against_profile
from pcp_lib.reference.csp_areas import short_names
from pcp_lib.subjects.csp import load_published, spend_position

AS_AT = date(2026, 1, 5)


def test_title_states_the_finding_and_bars_carry_their_status():
    fig = spend_against_profile(spend_position(load_published(FIXTURE_DATA), AS_AT), short_names(),
                                subtitle="Position as at 05/01/2026")
    ax = fig.axes[0]
    assert " ".join(ax.get_title(loc="left").split()) == "2 of 9 CSPs behind profile or yet to draw down, as at 05/01/2026"
    texts = [t.get_text() for t in ax.texts]
    assert any("no drawdown yet" in t for t in texts) and any("76.7% of year elapsed" in t for t in texts)
    plt.close(fig)
