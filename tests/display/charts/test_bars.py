"""Bar charts: RAG segments read without colour, and a No data count never reads as minus one."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from pcp_lib.display.charts.bars import progress_bars, rag_stacked_bars, segment_label


def test_segment_labels():
    assert segment_label("Red", 2) == "✖2"
    assert segment_label("No data", 1) == "1 no data"  # not "–1", which reads as minus one


def test_no_data_segment_on_the_chart():
    counts = pd.DataFrame({"Green": [1, 0], "Amber": [0, 2], "Red": [1, 0], "No data": [0, 1]},
                          index=["Rural Crime", "Business Crime"])
    fig = rag_stacked_bars(counts, "Title", "Subtitle", "Source")
    texts = [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    assert "1 no data" in texts and "–1" not in texts
    assert sorted(texts) == sorted(["✔1", "✖1", "●2", "1 no data", "Subtitle"])


def test_progress_labels_round_half_up():
    fig = progress_bars(["Q1", "Q2"], [1, 7], [1, 8], 16, "Title")  # 1/16 = 6.25%, 8/16 = 50%
    texts = [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    assert texts == ["1 (6%)\n+1 in quarter", "8 (50%)\n+7 in quarter"]
