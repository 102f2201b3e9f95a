"""pcp's chart style applies only to pcp's charts: after pcp draws a chart in a kernel, an
analyst's own pandas chart looks as matplotlib's defaults make it (issue 23 item 7)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# In a process of its own (an IPython shell with the inline backend, as in a Jupyter kernel):
# the analyst's pandas chart as the notebook would show it, before and after pcp shows a page
# section with a chart built and one drawn through the image cache's path (DrawnChart.of).
_KERNEL = """
import hashlib, json, os, sys, tempfile
import matplotlib
from IPython.terminal.interactiveshell import TerminalInteractiveShell
ip = TerminalInteractiveShell.instance()
ip.display_formatter.formatters["image/png"].enabled = True  # as in a kernel (a terminal shows none)
ip.run_line_magic("matplotlib", "inline")
import matplotlib.pyplot as plt
import pandas as pd

def analyst_png():
    df = pd.DataFrame({"crimes": [120, 95, 140]}, index=["Leicester", "Rutland", "Leicestershire county"])
    ax = df.plot.bar(title="My own chart")
    fig = ax.get_figure()
    png = ip.display_formatter.formatters["image/png"](fig)  # how the notebook shows it
    png = png[0] if isinstance(png, tuple) else png
    assert png, "the inline backend draws the figure"
    plt.close(fig)
    return hashlib.sha256(png if isinstance(png, bytes) else png.encode()).hexdigest(), ax.title.get_fontweight(), ax.spines["top"].get_visible()

before_rc = {k: repr(v) for k, v in matplotlib.rcParams.items()}
before = analyst_png()

from IPython.display import display
from pcp_lib.display.charts.lines import series_lines
from pcp_lib.display.charts.style import DrawnChart
from pcp_lib.display.page import Section

table = pd.DataFrame({"a": [1.0, 2.0, 4.0], "b": [3.0, 2.5, 2.0]}, index=["Oct", "Nov", "Dec"])
display(Section().chart(series_lines, table, "Crime fell in December", source="Synthetic test data"))
os.environ["PCP_CHART_CACHE"] = tempfile.mkdtemp()
display(Section().chart(series_lines, table, "Crime fell in December", source="Synthetic test data"))
pcp_fig = series_lines(table, "Crime fell in December")
display(DrawnChart.of(pcp_fig))
after = analyst_png()
changed = sorted(k for k, v in matplotlib.rcParams.items() if repr(v) != before_rc[k])
left_title = pcp_fig.get_axes()[0].get_title(loc="left")
print(json.dumps({"before": before, "after": after, "changed": changed, "pcp_left_title": left_title}))
"""


def test_pcp_charts_leave_the_analysts_own_charts_as_matplotlib_draws_them():
    out = subprocess.run([sys.executable, "-c", _KERNEL], check=True, capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).resolve().parents[2])
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["pcp_left_title"] == "Crime fell in December", "pcp's chart has its style (title on the left)"
    assert found["changed"] == [], "no matplotlib setting changed by pcp"
    assert found["before"][1:] == ["normal", True], "matplotlib's defaults: plain title, box around the axes"
    assert found["after"] == found["before"], "the analyst's chart is the same, byte for byte, after pcp's"
