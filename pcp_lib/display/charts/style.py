"""Palette, fonts and finishing touches shared by every chart.

The colours and symbols themselves (the Analysis Function's accessible palette, the RAG
fills and symbols) are in :mod:`pcp_lib.display.palette`, imported here for the helpers.

The style (:data:`STYLE`) applies only to pcp's own charts: each chart helper is built and
drawn inside :func:`pcp_style` (a ``matplotlib.rc_context``), and matplotlib's global
settings are never changed, so an analyst's own charts in the same kernel look as
matplotlib's defaults make them.
"""

from __future__ import annotations

import base64
import functools
import io
import os
import textwrap
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FixedFormatter, FixedLocator, Formatter, Locator, NullLocator
from matplotlib.transforms import ScaledTranslation
from matplotlib.typing import RcKeyType

from pcp_lib.display.palette import (  # re-exported: the chart helpers take their colours from here
    CSP_STATUS_SYMBOLS,
    DARK_BLUE,
    DARK_GREY,
    DARK_PINK,
    LIGHT_GREY,
    LIGHT_PURPLE,
    ORANGE,
    PALETTE,
    RAG_COLOURS,
    RAG_ORDER,
    RAG_SYMBOLS,
    SYNTHETIC_COLOUR,
    TURQUOISE,
    rag_label,
    text_on,
)

__all__ = [
    "CSP_STATUS_SYMBOLS", "DARK_BLUE", "DrawnChart", "DARK_GREY", "DARK_PINK", "LIGHT_GREY", "LIGHT_PURPLE", "ORANGE",
    "MAX_WIDTH_IN", "PALETTE", "PRINT_WIDTH_IN", "RAG_COLOURS", "SYNTHETIC_COLOUR", "RAG_ORDER", "RAG_SYMBOLS", "STYLE", "TURQUOISE", "text_on", "chart_title",
    "figure_heading", "figure_png", "finish", "fit_layout", "fix_ticks", "legends_below", "new_figure", "pcp_style", "place_empty_labels",
    "clutter", "printed_pt", "rag_label", "small_print", "styled", "wrap_text"
]

#: Matplotlib settings for pcp's charts: plain, readable, deterministic output. Applied only
#: inside :func:`pcp_style`, never to matplotlib's global settings.
STYLE: dict[RcKeyType, Any] = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    # Titles sit at the top of their axes (plus the pad): no chart has tick labels or an
    # offset text above its axes, which is all matplotlib's automatic placement ("None")
    # looks for, at the cost of measuring every y tick label again at each draw.
    "axes.titley": 1.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": plt.cycler(color=PALETTE),
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#E5E5E5",
    "legend.frameon": False,
    "svg.hashsalt": "pcp",
    "path.simplify": True,
}


@contextmanager
def pcp_style() -> Iterator[None]:
    """pcp's chart style (:data:`STYLE`) for what is built or drawn inside the ``with``
    block; matplotlib's own settings come back as they were when it ends."""
    with matplotlib.rc_context(STYLE):
        yield


P = ParamSpec("P")
R = TypeVar("R")


def styled(helper: Callable[P, R]) -> Callable[P, R]:
    """A chart helper built inside :func:`pcp_style` (its name, module and docstring kept:
    the image cache keys a chart by its helper's module and name)."""
    @functools.wraps(helper)
    def build(*args: P.args, **kwargs: P.kwargs) -> R:
        with pcp_style():
            return helper(*args, **kwargs)
    return build


def chart_title(fig: Figure) -> str:
    """The chart's title (its finding), used as the image's alternative text."""
    texts = [fig.get_suptitle()]
    texts += [ax.get_title(loc=loc) for ax in fig.get_axes() for loc in ("left", "center")]
    first = next((t for t in texts if t), "Chart")
    # a label the page contract put on the figure (e.g. SYNTHETIC) goes first in the alt text
    return getattr(fig, "pcp_alt_prefix", "") + " ".join(first.split())  # one line: titles are wrapped to fit the figure


def figure_png(fig: Figure) -> tuple[str, dict[str, str]]:
    """A figure as PNG (base64) with its title as alternative text, for the notebook display.

    Every chart lays itself out inside its figure (``finish`` or fixed margins), so the PNG is
    saved as the figure is: IPython's default instead computes a "tight" bounding box first,
    a second layout pass that took about half of each chart's rendering time. With
    ``PCP_CHECK_LAYOUT=1`` in the environment, a chart that spills outside its figure is an
    error (the check is that same expensive pass, so it is off in normal runs). The figure
    is drawn in pcp's style (:func:`pcp_style`), as it was built.
    """
    if os.environ.get("PCP_CHECK_LAYOUT"):
        outside = _outside(fig)
        if outside:
            raise ValueError(f"chart {chart_title(fig)!r} extends outside its figure: " + "; ".join(outside))
    return base64.b64encode(_draw_png(fig)).decode("ascii"), {"alt": chart_title(fig)}


@dataclass(frozen=True)
class DrawnChart:
    """A chart already drawn: its PNG (base64) and alternative text, shown in a notebook as
    the figure it was drawn from would be (:func:`figure_png`), without building it again."""

    png: str
    alt: str

    def _repr_png_(self) -> tuple[str, dict[str, str]]:
        return self.png, {"alt": self.alt}

    def __repr__(self) -> str:
        return f"Chart: {self.alt}"

    @classmethod
    def of(cls, fig: Figure) -> DrawnChart:
        """Draw ``fig`` (in pcp's style, see :func:`figure_png`)."""
        png, meta = figure_png(fig)
        return cls(png, meta["alt"])


def _draw_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    with pcp_style():
        fig.savefig(buf, format="png")
    return buf.getvalue()


def _outside(fig: Figure, slack_px: float = 2.0) -> list[str]:
    """The visible artists (texts, legends, axes decorations) that reach beyond the figure."""
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg):  # what pyplot, the inline backend and savefig use
        raise TypeError(f"the layout check measures text on an Agg canvas; this figure has {type(canvas).__name__}")
    renderer = canvas.get_renderer()
    w, h = fig.bbox.width, fig.bbox.height
    found = []
    artists = [*fig.texts, *fig.legends, *fig.get_axes()]
    for ax in fig.get_axes():
        artists += [c for c in ax.get_children() if isinstance(c, Text)]  # its texts and three titles
    for a in artists:
        if not a.get_visible():
            continue
        bb = a.get_tightbbox(renderer) if hasattr(a, "get_tightbbox") else a.get_window_extent(renderer)
        if bb is None or bb.width == 0:
            continue
        if bb.x0 < -slack_px or bb.y0 < -slack_px or bb.x1 > w + slack_px or bb.y1 > h + slack_px:
            label = a.get_text() if hasattr(a, "get_text") else type(a).__name__
            found.append(f"{label[:50]!r} at x {bb.x0:.0f}..{bb.x1:.0f}, y {bb.y0:.0f}..{bb.y1:.0f} px "
                         f"(figure {w:.0f} x {h:.0f})")
    return found


#: The widest a chart is drawn (inches at the figure's 100 dpi): 688 px, the width of the printed
#: page's text (A4 less 14 mm margins: 182 mm, 688 CSS px). A wider chart was printed shrunk to
#: fit, and its text with it (8 pt on a 12.6 in figure printed at 4.5 pt); at this width a
#: chart prints at its own size, so its type prints at its own size too (at least 7 pt:
#: tests/display/charts/test_print_size.py), and on screen it is no wider than the text.
MAX_WIDTH_IN = 6.88
#: The printed size of a figure's type relative to its own (PNG pixels are CSS pixels, 96 to
#: the inch, until the image reaches the page's width): see :func:`printed_pt`.
PRINT_WIDTH_IN = 182 / 25.4


def printed_pt(fontsize: float, fig_width_in: float, dpi: float = 100) -> float:
    """The size in points at which ``fontsize`` prints on a figure ``fig_width_in`` wide drawn
    at ``dpi``: the page shows the PNG one image pixel to a CSS pixel (96 to the inch), shrunk
    to the width of the page's text when wider."""
    printed_in = min(fig_width_in * dpi / 96, PRINT_WIDTH_IN)
    return fontsize * printed_in / fig_width_in


def _texts(fig: Figure) -> list[Text]:
    """Every piece of text a figure draws (titles, labels, tick labels, notes, legend entries)."""
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
            and (t.axes is None or t.axes.get_visible())]


def clutter(fig: Figure, slack_px: float = 1.0) -> list[str]:
    """What overlaps in a drawn figure: any two texts whose boxes cross, and any legend that
    sits over the data (its box inside an axes' plotting area). Measured with matplotlib's
    public API (``get_window_extent`` with the canvas's renderer). Empty when nothing does."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [(t, t.get_window_extent(renderer)) for t in _texts(fig)]
    boxes = [(t, b) for t, b in boxes if b.width > 0 and b.height > 0]
    found = []
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1:]:
            if (min(ba.x1, bb.x1) - max(ba.x0, bb.x0) > slack_px
                    and min(ba.y1, bb.y1) - max(ba.y0, bb.y0) > slack_px):
                found.append(f"{a.get_text()[:40]!r} overlaps {b.get_text()[:40]!r}")
    legends = [*fig.legends, *(lg for ax in fig.get_axes() if (lg := ax.get_legend()) is not None)]
    for legend in legends:
        lb = legend.get_window_extent(renderer)
        for ax in fig.get_axes():
            if not ax.get_visible() or not ax.has_data():
                continue
            pb = ax.get_window_extent(renderer)
            if min(lb.x1, pb.x1) - max(lb.x0, pb.x0) > slack_px and min(lb.y1, pb.y1) - max(lb.y0, pb.y0) > slack_px:
                found.append(f"the legend ({', '.join(t.get_text() for t in legend.get_texts())[:60]}) "
                             "sits over the data")
    return found


def small_print(fig: Figure, least_pt: float = 7.0) -> list[str]:
    """The texts of a figure that print smaller than ``least_pt`` points (:func:`printed_pt`)."""
    w = fig.get_figwidth()
    sizes = [(t, printed_pt(float(t.get_fontsize()), w, fig.dpi)) for t in _texts(fig)]
    return [f"{t.get_text()[:40]!r} prints at {pt:.1f} pt" for t, pt in sizes if pt < least_pt - 1e-9]


def new_figure(width: float = 8.0, height: float = 4.0, ncols: int = 1, nrows: int = 1,
               **kwargs) -> tuple[Figure, Axes]:
    """A figure and axes in pcp's style (:func:`pcp_style`; a chart helper is built wholly
    inside it, :func:`styled`, as its titles and texts read the style when they are set).
    A figure asked wider than :data:`MAX_WIDTH_IN` is drawn at that width, its height
    scaled alike, so that it prints at its own size and its text at its own size."""
    if width > MAX_WIDTH_IN:
        height *= MAX_WIDTH_IN / width
        width = MAX_WIDTH_IN
    with pcp_style():
        fig, ax = plt.subplots(nrows, ncols, figsize=(width, height), **kwargs)
    return fig, ax


def wrap_text(text: str, width_in: float, fontsize: float, bold: bool = False) -> str:
    """``text`` broken into lines that fit ``width_in`` inches at ``fontsize`` points.

    Titles state the finding, so they run long; a line wider than the figure would be cut
    off (or, with a "tight" bounding box, shrink the whole chart). The width of a character
    is estimated (DejaVu Sans averages about 0.6 em, bold 0.66 em), not measured: measuring
    is a layout pass, the slowest part of drawing a chart.
    """
    per_char_pt = fontsize * (0.66 if bold else 0.6)
    chars = max(20, int(width_in * 72 / per_char_pt))
    return "\n".join(textwrap.wrap(text, chars, break_on_hyphens=False)) if len(text) > chars else text


@styled
def figure_heading(fig: Figure, title: str, subtitle: str = "", source: str = "") -> float:
    """Title, subtitle and source line of a figure of several panels (``finish`` titles the
    first axes, which there would be one panel), each wrapped to the figure's width. Returns
    the inches the title and subtitle take at the top, for the panels' top margin."""
    w, h = fig.get_figwidth(), fig.get_figheight()
    title = wrap_text(title, w - 0.2, 12, bold=True)
    fig.suptitle(title, x=0.01, y=1 - 0.1 / h, ha="left", va="top", fontsize=12, fontweight="bold")
    top = 0.1 + 0.22 * (title.count("\n") + 1)
    if subtitle:
        subtitle = wrap_text(subtitle, w - 0.2, 9)
        fig.text(0.01, 1 - (top + 0.08) / h, subtitle, fontsize=9, color=DARK_GREY, ha="left", va="top")
        top += 0.08 + 0.16 * (subtitle.count("\n") + 1)
    if source:
        fig.text(0.01, 0.005, wrap_text(f"Source: {source}", w - 0.2, 8), fontsize=8, color=DARK_GREY,
                 ha="left", va="bottom")
    return top


#: An axis whose ticks :func:`fix_ticks` fixed, with the locator and formatter that chose them.
TickSource = tuple[Axis, Locator, Formatter]


def fix_ticks(fig: Figure, sources: list[TickSource] | None = None) -> list[TickSource]:
    """Fix every axis's major ticks to the ones its locator places inside the view, labelled
    by its formatter, and return where they came from.

    Drawing a chart asks each axis for its ticks four or five times (layout, title, axis
    label, the axis itself), and each time the locator and formatter run again (date rules
    are slow) and a tick object is made for every location, including those beyond the
    axis ends that are never drawn. Fixed ticks are what the locator would give, asked once:
    the same ticks and labels, so the same pixels. Call it when the data are all plotted;
    with ``sources`` (what an earlier call returned) it asks the original locators again,
    for after a layout has resized the axes (automatic locators fit the ticks to the length
    of the axis). An axis with an offset text ("1e6") or a non-linear scale is left as it is.
    """
    if sources is None:
        sources = []
        for ax in fig.get_axes():
            for each in (ax.xaxis, ax.yaxis):
                found = each.get_major_locator()
                # fixed already, or shared with an axis fixed just now (shared axes share a locator)
                if not isinstance(found, (FixedLocator, NullLocator)) and each.get_scale() == "linear":
                    sources.append((each, found, each.get_major_formatter()))
    kept: list[TickSource] = []
    for axis, locator, formatter in sources:
        locs = list(locator())
        labels = formatter.format_ticks(locs)  # all of them: a label's precision can depend on its neighbours
        if formatter.get_offset():
            axis.set_major_locator(locator)
            axis.set_major_formatter(formatter)
            continue
        low, high = sorted(axis.get_view_interval())
        slack = (high - low) * 1e-10  # as matplotlib decides which ticks to draw
        inside = [(loc, label) for loc, label in zip(locs, labels, strict=True) if low - slack <= loc <= high + slack]
        axis.set_major_locator(FixedLocator([loc for loc, _ in inside]))
        axis.set_major_formatter(FixedFormatter([label for _, label in inside]))
        kept.append((axis, locator, formatter))
    return kept


def place_empty_labels(fig: Figure) -> None:
    """Give every axis without a label (most of them: titles say what is shown) a fixed place
    for it, so drawing does not measure the tick labels again to put nothing below them.

    Only once the layout is done: an empty label still counts as a point in the layout's
    bounding boxes. It stays empty and draws nothing, so the pixels are the same.
    """
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            if not axis.label.get_text():
                axis.set_label_coords(0.5, 0.5)  # inside its axes: nowhere near the figure's edge


def fit_layout(fig: Figure, rect: tuple[float, float, float, float] = (0, 0, 1, 1)) -> None:
    """Fit the axes inside ``rect`` (figure fractions) once, as ``tight_layout`` does, with
    the ticks fixed (:func:`fix_ticks`) and no layout engine left on the figure.

    ``Figure.tight_layout`` leaves a placeholder engine behind, and saving a figure that has
    any engine first draws the whole figure once more (matplotlib's ``print_figure``) before
    drawing it for the PNG: a third of every chart's time, for identical pixels, since the
    layout is already done and the chart is not changed afterwards. The ticks are fixed
    before the layout (which measures their labels) and again after it, at the axes' final
    size, so the layout and the drawing see the ticks they would have found themselves.
    """
    sources = fix_ticks(fig)
    fig.tight_layout(rect=rect)
    fig.set_layout_engine(None)
    fix_ticks(fig, sources)
    place_empty_labels(fig)


def legends_below(fig: Figure, gap_in: float = 0.1) -> None:
    """Move each legend placed inside its axes (matplotlib's default: over the data) to just
    under the axes' own labels, left-aligned, its entries side by side (three to a row), so
    it never hides a line or a bar. A legend placed outside the axes on purpose (with an
    anchor of its own) is left where it is. The layout that follows (``fit_layout``) makes
    room for it."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for ax in fig.get_axes():
        legend = ax.get_legend()
        if legend is None or tuple(legend.get_bbox_to_anchor().bounds) != tuple(ax.bbox.bounds):
            continue
        below = ax.xaxis.get_tightbbox(renderer)
        drop = (ax.bbox.y0 - below.y0) / fig.dpi + gap_in if below is not None else 0.45
        legend.set_loc("upper left")
        legend.set_ncols(min(3, len(legend.get_texts())))
        legend.set_bbox_to_anchor((0, 0), transform=ax.transAxes + ScaledTranslation(0, -drop, fig.dpi_scale_trans))


def _rewrap_title(fig: Figure, ax: Axes, title: str, size: float, pad: float, sub_text: Text | None,
                  subtitle: str) -> bool:
    """Wrap ``ax``'s title (and subtitle) again to the width from the axes' left edge to the
    figure's, when the y axis's labels took more than the inch allowed for them and either
    runs past the figure's edge. Returns whether it did. (The subtitle keeps its number of
    lines' room only approximately: the layout after this makes room for what it holds.)"""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    left = ax.get_title(loc="left")
    texts = [c for c in ax.get_children() if isinstance(c, Text) and left and c.get_text() == left]
    texts += [sub_text] if sub_text is not None else []
    if all(t.get_window_extent(renderer).x1 <= fig.bbox.x1 for t in texts):
        return False
    room = max((fig.bbox.x1 - ax.get_window_extent(renderer).x0) / fig.dpi - 0.3, 1.0)  # wrap_text estimates
    if sub_text is not None:
        sub = wrap_text(subtitle, room, 9)
        sub_text.set_text(sub)
        pad = 10 + 12 * (sub.count("\n") + 1)
    ax.set_title(wrap_text(title, room, size, bold=True), loc="left", pad=pad)
    return True


@styled
def finish(fig: Figure, title: str, subtitle: str = "", source: str = "") -> Figure:
    """Title (which should state the finding), optional subtitle and a source line, each
    wrapped to the figure's width, then the layout fitted inside the figure."""
    width, height = fig.get_figwidth(), fig.get_figheight()
    axes = fig.get_axes()
    room = 0.0
    size, pad = float(STYLE["axes.titlesize"]), 8.0
    sub_text: Text | None = None
    if axes:
        # the title starts at the axes' left edge: allow about an inch for the y axis labels
        sub = wrap_text(subtitle, width - 1.1, 9) if subtitle else ""
        sub_lines = sub.count("\n") + 1 if sub else 0
        size = float(STYLE["axes.titlesize"])
        text = wrap_text(title, width - 1.1, size, bold=True)
        pad = 10 + 12 * sub_lines if sub else 8
        axes[0].set_title(text, loc="left", pad=pad)
        if sub:
            sub_text = axes[0].text(0, 1.02, sub, transform=axes[0].transAxes, fontsize=9, color=DARK_GREY,
                                    va="bottom")
        # the height the title and subtitle take above the axes (inches), for the fallback below
        room = ((text.count("\n") + 1) * size * 1.25 + sub_lines * 9 * 1.3 + pad + 8) / 72
    bottom = 0.0
    if source:
        src = wrap_text(f"Source: {source}", width - 0.2, 8)
        fig.text(0.01, 0.005, src, fontsize=8, color=DARK_GREY, ha="left", va="bottom")
        bottom = min(0.25, max(0.03, (0.02 + 0.13 * (src.count("\n") + 1)) / height))
    legends_below(fig)
    with warnings.catch_warnings():
        # Panels side by side: the title and subtitle span the figure but belong to the first
        # panel, and the layout may not fit them into that panel's width; it then gives up
        # with this warning and leaves the figure unfitted. Only then is the figure taken out of the
        # layout's hands: the panels are placed evenly below them (every other chart is unchanged).
        warnings.filterwarnings("error", message="Tight layout not applied", category=UserWarning)
        try:
            fit_layout(fig, (0, bottom, 1, 1))
            if axes and _rewrap_title(fig, axes[0], title, size, pad, sub_text, subtitle):  # long tick labels pushed it past the edge
                fit_layout(fig, (0, bottom, 1, 1))
            return fig
        except UserWarning:
            fig.set_layout_engine(None)
    # the panels then share the figure evenly below the title, above the source line and
    # their own labels (about half an inch)
    sources = fix_ticks(fig)
    fig.subplots_adjust(left=0.02, right=0.98, top=max(0.5, 1 - room / height),
                        bottom=min(0.45, bottom + 0.5 / height), wspace=0.12)
    fix_ticks(fig, sources)
    place_empty_labels(fig)
    return fig
