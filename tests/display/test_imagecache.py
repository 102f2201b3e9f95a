"""Each chart drawn once: the image cache's key is the figure's whole state, stable across
processes, and a cached PNG is byte-identical to a fresh drawing of the same figure."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from pcp_lib.display.charts import imagecache  # noqa: E402
from pcp_lib.display.charts.style import _draw_png, figure_png  # noqa: E402
from pcp_lib.subjects.crime import page as crime_page  # noqa: E402
from pcp_lib.subjects.csp import page as csp_page  # noqa: E402

QUARTER = "2025-26 Q3"
PAGES = {"crime": crime_page, "csp": csp_page}  # SPC charts on date axes, grids of panels, bars

# Draws every chart of the crime and CSP pages for one audience through the cache (another process).
_FILL = f"""
import os, sys, importlib, matplotlib
matplotlib.use("agg")
os.environ["{imagecache.CACHE_ENV}"] = sys.argv[1]
from matplotlib.figure import Figure
from pcp_lib.display.charts.style import figure_png
for name in ("crime", "csp"):
    page = importlib.import_module(f"pcp_lib.subjects.{{name}}.page")
    ctx = page.load("{QUARTER}", None, "public")
    for fn in [page.title, *(f for _, f in page.SECTIONS)]:
        for item in fn(ctx).items:
            if isinstance(item, Figure):
                figure_png(item)
"""


def _figures(audience: str) -> list[Figure]:
    out = []
    for page in PAGES.values():
        ctx = page.load(QUARTER, None, audience)
        for fn in [page.title, *(f for _, f in page.SECTIONS)]:
            out += [i for i in fn(ctx).items if isinstance(i, Figure)]
    return out


def _line(values: list[float], title: str) -> Figure:
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([date(2025, m, 1) for m in range(1, len(values) + 1)], values)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def test_key_is_the_figures_state():
    a, b = _line([1, 2, 3], "Rising"), _line([1, 2, 3], "Rising")
    assert imagecache.figure_key(a) == imagecache.figure_key(b), "the same figure built twice"
    assert imagecache.figure_key(a) == imagecache.figure_key(a), "computing the key changes nothing"
    assert imagecache.figure_key(_line([1, 2, 4], "Rising")) != imagecache.figure_key(a), "other data"
    assert imagecache.figure_key(_line([1, 2, 3], "Rising fast")) != imagecache.figure_key(a), "another title"
    key = imagecache.figure_key(a)
    with matplotlib.rc_context({"savefig.dpi": 200}):
        assert imagecache.figure_key(a) != key, "settings read when drawing are part of the key"
    plt.close("all")


def test_no_cache_folder_means_no_cache(monkeypatch, tmp_path):
    monkeypatch.delenv(imagecache.CACHE_ENV, raising=False)
    fig = _line([1, 2, 3], "Rising")
    figure_png(fig)
    assert imagecache.cache_dir() is None and not list(tmp_path.iterdir())
    plt.close(fig)


def test_cached_charts_are_byte_identical_to_fresh_ones(tmp_path, monkeypatch):
    """Another process draws the public pages' charts into the cache; here, the restricted
    pages' charts come from it, each the same bytes as drawing it afresh."""
    cache = tmp_path / "charts"
    subprocess.run([sys.executable, "-c", _FILL, str(cache)], check=True, capture_output=True, timeout=600,
                   cwd=Path(__file__).resolve().parents[2])
    drawn = {p.name for p in cache.glob("*.png")}
    assert len(drawn) >= 15
    monkeypatch.setenv(imagecache.CACHE_ENV, str(cache))
    figures = _figures("restricted")
    hits = 0
    for fig in figures:
        key = imagecache.figure_key(fig)
        assert key is not None, "every chart of the pack can be keyed"
        cached = f"{key}.png" in drawn
        hits += cached
        got = imagecache.png_bytes(fig, _draw_png)
        assert got == _draw_png(fig), f"cached={cached}: {fig.get_axes()[0].get_title()[:60]!r}"
        plt.close(fig)
    assert hits == len(figures), "every crime and CSP chart is the same for both audiences: all from the cache"
