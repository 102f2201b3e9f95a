"""Each chart drawn once: the image cache's key is the figure's whole state, stable across
processes, and a cached PNG is byte-identical to a fresh drawing of the same figure."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from pcp_lib.display.charts import imagecache  # noqa: E402
from pcp_lib.display.charts.style import figure_png  # noqa: E402

QUARTER = "2025-26 Q3"

# Draws every chart of the crime and CSP pages for one audience through the cache, in a process
# of its own (as the pack's kernels do); with "check", also says for each chart whether it was
# in the cache already and whether the PNG it got is the bytes of a fresh drawing.
_DRAW = f"""
import json, os, sys, importlib, matplotlib
matplotlib.use("agg")
os.environ["{imagecache.CACHE_ENV}"] = sys.argv[1]
from matplotlib.figure import Figure
from pcp_lib.display.charts import imagecache
from pcp_lib.display.charts.style import _draw_png
found = []
for name in ("crime", "csp"):
    page = importlib.import_module(f"pcp_lib.subjects.{{name}}.page")
    ctx = page.load("{QUARTER}", None, sys.argv[2])
    for fn in [page.title, *(f for _, f in page.SECTIONS)]:
        for item in fn(ctx).items:
            if isinstance(item, Figure):
                key = imagecache.figure_key(item)
                was = key is not None and os.path.exists(os.path.join(sys.argv[1], key + ".png"))
                got = imagecache.png_bytes(item, _draw_png)
                found.append([key is not None, was, sys.argv[3] == "check" and got == _draw_png(item)])
print(json.dumps(found))
"""


def _draw(cache: Path, audience: str, check: bool) -> list[list[bool]]:
    out = subprocess.run([sys.executable, "-c", _DRAW, str(cache), audience, "check" if check else "fill"],
                         check=True, capture_output=True, text=True, timeout=600,
                         cwd=Path(__file__).resolve().parents[2])
    found: list[list[bool]] = json.loads(out.stdout)
    return found


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


def test_cached_charts_are_byte_identical_to_fresh_ones(tmp_path):
    """One process draws the public pages' charts into the cache; another, the restricted
    pages', each from the cache and each the same bytes as drawing it afresh."""
    cache = tmp_path / "charts"
    first = _draw(cache, "public", check=False)
    assert len(first) >= 15 and all(keyed for keyed, _, _ in first), "every chart of the pack can be keyed"
    assert len(list(cache.glob("*.png"))) == len(first)
    second = _draw(cache, "restricted", check=True)
    assert len(second) == len(first)
    assert all(was for _, was, _ in second), "every crime and CSP chart is the same for both audiences"
    assert all(same for _, _, same in second), "a cached PNG is the bytes of a fresh drawing"
