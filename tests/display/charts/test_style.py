"""The chart style's layout check (``PCP_CHECK_LAYOUT``): it finds text that leaves its figure."""

from __future__ import annotations

import io
from datetime import date, timedelta

import matplotlib
import matplotlib.dates as mdates
import pytest
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator

from pcp_lib.display.charts.style import _outside, finish, fit_layout, new_figure

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


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _monthly(offset: float = 0.0) -> Figure:
    fig, ax = new_figure(6, 3)
    months = [date(2023, 1, 1) + timedelta(days=31 * i) for i in range(30)]
    ax.plot(months, [offset + 40 + (i * 7) % 23 for i in range(30)])
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %y"))
    ax.set_ylabel("Count per month")
    ax.set_title("Counts by month, a title that states the finding", loc="left")
    return fig


@pytest.mark.parametrize("offset", [0.0, 1e7])
def test_fit_layout_draws_what_tight_layout_draws_with_ticks_worked_out_once(offset):
    """Fixed ticks, the placed empty labels and no layout engine change nothing a reader sees:
    the PNG is byte for byte what matplotlib's own tight layout gives."""
    plain = _monthly(offset)
    plain.tight_layout(rect=(0, 0.05, 1, 1))
    fitted = _monthly(offset)
    fit_layout(fitted, (0, 0.05, 1, 1))
    assert fitted.get_layout_engine() is None
    ax = fitted.axes[0]
    assert isinstance(ax.xaxis.get_major_locator(), FixedLocator)
    low, high = ax.get_xlim()
    assert all(low <= x <= high for x in ax.xaxis.get_majorticklocs())  # no tick made beyond the axis
    # an axis whose labels need an offset ("+1e7") keeps its own formatter, which draws the offset
    assert isinstance(ax.yaxis.get_major_locator(), FixedLocator) is (offset == 0.0)
    assert _png(fitted) == _png(plain)
