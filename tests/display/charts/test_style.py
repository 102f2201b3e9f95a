"""The chart style's layout check (``PCP_CHECK_LAYOUT``): it finds text that leaves its figure."""

from __future__ import annotations

import matplotlib
import pytest
from matplotlib.figure import Figure

from pcp_lib.display.charts.style import _outside, finish, new_figure

matplotlib.use("Agg")


def test_layout_check_finds_a_title_too_long_for_its_figure():
    long_title = "A finding stated at such length that it could never fit across one narrow chart " * 2
    fig, ax = new_figure(4, 3)
    ax.set_title(long_title, loc="left")
    assert _outside(fig), "an unwrapped long title runs off the figure"
    fig, ax = new_figure(4, 3)
    ax.plot([1, 2], [3, 4])
    finish(fig, long_title, subtitle="A subtitle that is also rather long for so small a chart", source="Test")
    assert _outside(fig) == []


def test_layout_check_finds_a_right_title_and_a_stray_label():
    fig, ax = new_figure(4, 3)
    ax.set_title("A right-hand title far too long to fit in so narrow a figure as this", loc="right")
    ax.text(10, 0, "a label placed off the chart", transform=ax.transData)
    found = " ".join(_outside(fig))
    assert "A right-hand title" in found and "a label placed off" in found


def test_layout_check_needs_a_canvas_that_measures_text():
    with pytest.raises(TypeError, match="Agg canvas"):
        _outside(Figure())
