"""Charts on paper: every chart drawn for the pack prints its text at 7 pt or more, and
nothing in it overlaps (no two texts cross, no legend over the data, nothing outside the
figure), measured with matplotlib's public API (``get_window_extent`` with the canvas's
renderer)."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

from pcp_lib.display.charts.imagecache import CACHE_ENV
from pcp_lib.display.charts.style import (
    MAX_WIDTH_IN,
    PRINT_WIDTH_IN,
    clutter,
    new_figure,
    pcp_style,
    printed_pt,
    small_print,
)

matplotlib.use("Agg")


def test_printed_size_follows_the_figure_width():
    # a figure no wider than the page prints at its own size (PNG pixels as CSS pixels, 96 to the inch)
    assert printed_pt(8, 5.0) == pytest.approx(8 * 100 / 96)
    # a wider one is shrunk to the page's width, and its type with it: 8 pt on 12.6 in printed at 4.5 pt
    assert printed_pt(8, 12.6) == pytest.approx(8 * PRINT_WIDTH_IN / 12.6) and printed_pt(8, 12.6) < 4.6
    assert MAX_WIDTH_IN * 100 / 96 == pytest.approx(PRINT_WIDTH_IN, abs=0.01), "the widest chart fills the page"


def test_new_figure_draws_no_wider_than_the_page():
    fig, _ = new_figure(12.6, 6.3)
    assert fig.get_figwidth() == MAX_WIDTH_IN and fig.get_figheight() == pytest.approx(6.3 * MAX_WIDTH_IN / 12.6)
    plt.close(fig)


def test_the_checks_find_overlap_a_legend_over_data_and_small_type():
    """The checks could fail: two texts on one spot, a legend in the plot, 6 pt type."""
    fig, ax = new_figure(6, 3)
    ax.plot([0, 1], [0, 1], label="line")
    ax.legend(loc="center")
    ax.text(0.5, 0.9, "one label", fontsize=6)
    ax.text(0.52, 0.9, "another label")
    with pcp_style():
        fig.canvas.draw()
    found = clutter(fig)
    assert any("overlaps" in f for f in found) and any("sits over the data" in f for f in found)
    assert small_print(fig) == [f"'one label' prints at {6 * 100 / 96:.1f} pt"]
    plt.close(fig)


def _pack_charts():
    """Every chart the pack's pages draw, both audiences, Q3 2025/26 (each page's title and
    sections, as the notebooks call them), with where it is drawn."""
    from pcp_lib.subjects.registry import subjects

    for subject in subjects():
        for audience in ("public", "restricted"):
            ctx = subject.load("2025-26 Q3", None, audience)
            for heading, fn in [("title", subject.page.title), *subject.page.SECTIONS]:
                for item in fn(ctx).items:
                    if isinstance(item, Figure):
                        yield f"{subject.name}/{audience}/{heading}", item


@pytest.mark.slow
def test_every_chart_of_the_pack_prints_at_7pt_and_nothing_in_it_overlaps(monkeypatch):
    from pcp_lib.display.charts import style

    monkeypatch.delenv("PCP_CHECK_LAYOUT", raising=False)
    monkeypatch.delenv(CACHE_ENV, raising=False)  # the figures themselves, as drawn afresh
    problems, drawn = [], 0
    for where, fig in _pack_charts():
        with pcp_style():
            fig.canvas.draw()
        found = small_print(fig) + clutter(fig) + style._outside(fig)
        problems += [f"{where}: {p}" for p in found]
        drawn += 1
        plt.close(fig)
    assert drawn >= 60, "every page's charts, both audiences"
    assert problems == []
