"""Each chart drawn once: a chart is keyed by what it is drawn from (helper, inputs by value,
stamp, code, settings), a key stable across processes, and a cached PNG is byte-identical to
a fresh drawing. (A figure handed over already built is not keyed: that would read
matplotlib's private figure state.)"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from pcp_lib.display.charts import imagecache  # noqa: E402
from pcp_lib.display.charts.style import figure_png  # noqa: E402

QUARTER = "2025-26 Q3"

# Draws every chart of the crime and CSP pages for one audience as the pack's kernels do, in a
# process of its own, with the image cache in the folder named (none when ""); says for each
# chart whether it came from the cache (found by what it is drawn from) and the SHA-256 of its PNG.
_DRAW = f"""
import base64, hashlib, importlib, json, os, sys, matplotlib
matplotlib.use("agg")
if sys.argv[1]:
    os.environ["{imagecache.CACHE_ENV}"] = sys.argv[1]
from matplotlib.figure import Figure
from pcp_lib.display.charts import imagecache
from pcp_lib.display.charts.style import DrawnChart
hits = []
recall = imagecache.recall
def spy(key):
    found = recall(key)
    hits.append(found is not None)
    return found
imagecache.recall = spy
found = []
for name in ("crime", "csp"):
    page = importlib.import_module(f"pcp_lib.subjects.{{name}}.page")
    ctx = page.load("{QUARTER}", None, sys.argv[2])
    for fn in [page.title, *(f for _, f in page.SECTIONS)]:
        section = fn(ctx)
        section.html()  # shown as a page shows it: each chart drawn (and stored, with the cache on)
        for item in section.items:
            assert not isinstance(item, Figure), "every chart drawn when the section is shown"
            if isinstance(item, DrawnChart):
                found.append([hashlib.sha256(base64.b64decode(item.png)).hexdigest(), item.alt])
# one recall per chart, in the order the sections ask for them
print(json.dumps([[hit, *f] for hit, f in zip(hits if sys.argv[1] else [None] * len(found), found, strict=True)]))
"""


def _draw(cache: Path | None, audience: str) -> list[list]:
    out = subprocess.run([sys.executable, "-c", _DRAW, str(cache) if cache else "", audience],
                         check=True, capture_output=True, text=True, timeout=600,
                         cwd=Path(__file__).resolve().parents[2])
    found: list[list] = json.loads(out.stdout)
    return found


def _line(values: list[float], title: str) -> Figure:
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([date(2025, m, 1) for m in range(1, len(values) + 1)], values)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def test_no_cache_folder_means_no_cache(monkeypatch, tmp_path):
    monkeypatch.delenv(imagecache.CACHE_ENV, raising=False)
    fig = _line([1, 2, 3], "Rising")
    figure_png(fig)
    assert imagecache.cache_dir() is None and not list(tmp_path.iterdir())
    plt.close(fig)


@pytest.mark.slow  # three processes, each drawing every crime and CSP chart (about 30 s)
def test_cached_charts_are_byte_identical_to_fresh_ones(tmp_path):
    """One process draws the public pages' charts into the cache; another, the restricted
    pages', each from the cache without building it; a third, with no cache, draws them
    afresh: the same bytes and the same alternative text."""
    cache = tmp_path / "charts"
    first = _draw(cache, "public")
    assert len(first) >= 15 and all(hit is False for hit, _, _ in first), "each drawn, and stored"
    assert len(list(cache.glob("*.json"))) == len({(h, a) for _, h, a in first})
    second = _draw(cache, "restricted")
    assert [hit for hit, _, _ in second] == [True] * len(first), "every crime and CSP chart is the same for both"
    fresh = _draw(None, "restricted")
    assert all(hit is None for hit, _, _ in fresh), "no cache: every chart built and drawn"
    assert [x[1:] for x in second] == [x[1:] for x in fresh], "a cached PNG is the bytes of a fresh drawing"


def test_chart_key_is_what_the_chart_is_drawn_from():
    """Tables are keyed by their values, not by how pandas lays them out in memory; any change
    to a value, a label, the stamp or the settings gives another key."""
    import pandas as pd

    from pcp_lib.display.charts.lines import series_lines

    df = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}, index=pd.Index(["x", "y"], name="k"))
    same = pd.concat([df[["a"]], df[["b"]]], axis=1)  # equal, built another way (two blocks, not one)
    assert df.equals(same)
    key = imagecache.chart_key(series_lines, (df, "Title"), {"source": "S"}, "")
    assert key is not None and imagecache.chart_key(series_lines, (same, "Title"), {"source": "S"}, "") == key
    other = df.copy()
    other.iloc[0, 0] = 1.5
    assert imagecache.chart_key(series_lines, (other, "Title"), {"source": "S"}, "") != key
    assert imagecache.chart_key(series_lines, (df, "Title!"), {"source": "S"}, "") != key
    assert imagecache.chart_key(series_lines, (df, "Title"), {"source": "S2"}, "") != key
    assert imagecache.chart_key(series_lines, (df, "Title"), {"source": "S"}, "SYNTHETIC data") != key
    assert imagecache.chart_key(series_lines, (df.rename(columns={"a": "A"}), "Title"), {"source": "S"}, "") != key
    with matplotlib.rc_context({"savefig.dpi": 200}):
        assert imagecache.chart_key(series_lines, (df, "Title"), {"source": "S"}, "") != key
    assert imagecache.chart_key(series_lines, (lambda: 1,), {}, "") is None, "unpicklable: no key (built)"


def test_a_chart_is_drawn_when_shown_and_stored_once(monkeypatch, tmp_path):
    """With the cache on, a section read only as text (``html(images=False)``) builds its chart
    but never draws or stores it; shown, the chart is drawn once and stored; shown again, it is
    not drawn again; and another section asking for the same chart takes it from the cache
    without building it."""
    import functools

    import pandas as pd

    from pcp_lib.display.charts import style
    from pcp_lib.display.charts.lines import series_lines
    from pcp_lib.display.page import Section

    monkeypatch.setenv(imagecache.CACHE_ENV, str(tmp_path))
    draws: list[Figure] = []
    real = style._draw_png
    monkeypatch.setattr(style, "_draw_png", lambda fig: draws.append(fig) or real(fig))
    df = pd.DataFrame({"a": [1.0, 2.0, 4.0]}, index=pd.Index(["x", "y", "z"], name="k"))
    section = Section().chart(series_lines, df, "Rising")
    assert "<figure" in section.html(images=False) and not draws and not list(tmp_path.glob("*.json"))
    shown = section.html()
    assert len(draws) == 1 and len(list(tmp_path.glob("*.json"))) == 1 and '<img src="data:image/png' in shown
    assert section.html() == shown and len(draws) == 1, "drawn once"
    built: list[int] = []

    @functools.wraps(series_lines)  # the same helper to the cache (its module and name), counting its calls
    def counted(*args, **kwargs):
        built.append(1)
        return series_lines(*args, **kwargs)

    again = Section().chart(counted, df, "Rising")
    assert again.html() == shown and not built and len(draws) == 1, "from the cache, neither built nor drawn"
