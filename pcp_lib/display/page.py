"""The page contract: one shape for every subject's page of the pack.

Every subject package has a ``page`` module with

- ``load(quarter, data_dir=None, audience="public") -> Context``: reads every input once
  and says which quarter is shown (the one asked for, or the latest the data reach), what
  the data do not cover, and where each input came from (its :class:`Provenance`);
- section functions ``f(ctx) -> Section``, listed in order in ``SECTIONS`` with their
  headings, each returning what to display.

A notebook is then: a title, the parameters cell, ``ctx = page.load(...)``, and for each
section a markdown heading and one call (``page.quarter(ctx)``). The notebook holds no
logic and types no labels: a :class:`Section` is built *from* the inputs it uses, and it
labels every table, chart and sentence SYNTHETIC itself when any of them is synthetic,
naming which. An analyst can still call the lower-level functions to explore.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
from matplotlib.figure import Figure

from pcp_lib.core.audience import AUDIENCES, check_audience
from pcp_lib.core.provenance import Provenance, combine, provenance_of
from pcp_lib.display import report
from pcp_lib.display.charts import imagecache
from pcp_lib.display.charts.style import SYNTHETIC_COLOUR, DrawnChart, chart_title, pcp_style
from pcp_lib.methods.periods import Quarter

__all__ = ["AUDIENCES", "BASIS_WORDS", "Context", "Finding", "Section", "SectionFn", "anchor", "basis_of",
           "coverage_sentence", "describe_input", "finding", "heading_of", "named_source", "opening", "render_html",
           "synthetic_label"]

SYNTHETIC_WORD = "SYNTHETIC"


def synthetic_label(prov: Provenance) -> str:
    """The words that go on anything built from synthetic inputs, naming them."""
    names = ", ".join(prov.synthetic_names)
    return f"{SYNTHETIC_WORD} data ({names}): a sample made by code, not real figures."


@dataclass
class Context:
    """What a page knows once loaded.

    ``asked`` is the quarter asked for; ``shown`` the quarter the page leads with (None when
    the data hold nothing up to ``asked``). ``coverage`` holds plain sentences on what the
    data do not reach; ``inputs`` the provenance of every input, by name; ``partial`` the
    banner of a page whose returns for ``asked`` are incomplete (``io.completeness``), shown
    first under the title; ``confirmed`` a sentence for each figure the page shows that moved
    implausibly and was confirmed (``io.confirmations``). Subjects extend this with their
    loaded tables.
    """

    asked: Quarter
    shown: Quarter | None
    audience: str
    data_dir: str | Path | None
    inputs: dict[str, Provenance] = field(default_factory=dict)
    coverage: list[str] = field(default_factory=list)
    partial: str | None = None
    confirmed: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        check_audience(self.audience)

    @property
    def public(self) -> bool:
        return self.audience == "public"

    def uses(self, *names: str) -> Provenance:
        """The combined provenance of the named inputs (a clear error for an unknown name)."""
        unknown = [n for n in names if n not in self.inputs]
        if unknown:
            raise KeyError(f"no input named {', '.join(unknown)}; this page has {', '.join(self.inputs)}")
        return combine(self.inputs[n] for n in names)


class Section:
    """What one section of a page displays, in order, built from named inputs.

    ``uses`` is every input the section's content is computed from (provenance records or
    tables that carry one). When any is synthetic, every table caption, chart and list of
    sentences added to the section carries the SYNTHETIC label naming those inputs.
    """

    def __init__(self, uses: Iterable[Provenance | pd.DataFrame] = ()) -> None:
        records = [provenance_of(u) for u in uses]
        self.provenance: Provenance | None = combine(records) if records else None
        self.items: list[Any] = []

    # ---- what a section can hold ----------------------------------------------------------
    @property
    def synthetic(self) -> bool:
        return self.provenance is not None and self.provenance.synthetic

    @property
    def label(self) -> str:
        return synthetic_label(self.provenance) if self.synthetic and self.provenance else ""

    def sentences(self, lines: Sequence[str]) -> Section:
        """A bulleted list of computed sentences."""
        if lines:
            if self.synthetic:
                self.items.append(report.HTML(
                    f'<p class="pcp-synthetic-label"><strong>{html.escape(self.label)}</strong></p>'))
            self.items.append(report.bullet_list(lines))
        return self

    def table(self, df: pd.DataFrame, caption: str, *, rag_column: str | None = None,
              special: dict[str, Callable[[str], str]] | None = None) -> Section:
        """A table with its caption (and the SYNTHETIC label in the caption when it applies);
        ``special`` columns are drawn by their own function of the cell text (``report.table``)."""
        cap = f"{caption} {self.label}".strip()
        self.items.append(report.rag_table(df, rag_column, cap) if rag_column else report.table(df, cap,
                                                                                                   special=special))
        return self

    def chart(self, draw: Callable[..., Figure | None] | Figure | None, *args: Any, **kwargs: Any) -> Section:
        """A chart: ``draw(*args, **kwargs)``, a chart helper and what it is drawn from (or a
        figure already built). A synthetic one is stamped SYNTHETIC in its corner and in its
        alt text.

        In the pack run (the image cache on: :mod:`pcp_lib.display.charts.imagecache`), a
        chart drawn before from the same helper, arguments and label, with the same code, is
        taken as it was drawn, without building it; a new one is built here and drawn (and
        stored) when the section is shown, so a section only read as text
        (``html(images=False)``) never pays for drawing its charts."""
        if draw is None or isinstance(draw, Figure):
            return self._add_figure(draw)
        if imagecache.cache_dir() is None:
            return self._add_figure(draw(*args, **kwargs))
        with pcp_style():  # as the chart will be drawn: the settings are part of its key
            key = imagecache.chart_key(draw, args, kwargs, self.label)
        if key is None:
            return self._add_figure(draw(*args, **kwargs))
        found = imagecache.recall(key)
        if found is not None:
            self.items.append(DrawnChart(*found))
            return self
        fig = draw(*args, **kwargs)
        if fig is not None:  # the key goes with the figure, wherever its section's items are taken
            fig.pcp_cache_key = key  # type: ignore[attr-defined]
        return self._add_figure(fig)

    def _drawn(self, fig: Figure) -> DrawnChart:
        """``fig`` drawn (and stored in the image cache if it was asked for by its inputs), closed."""
        drawn = DrawnChart.of(fig)
        plt.close(fig)
        key = getattr(fig, "pcp_cache_key", None)
        if key is not None:
            imagecache.remember(key, drawn.png, drawn.alt)
        return drawn

    def _stamp(self, fig: Figure) -> None:
        if self.synthetic:
            fig.text(0.995, 0.005, SYNTHETIC_WORD + " DATA", ha="right", va="bottom", fontsize=8,
                     fontweight="bold", color="white", gid="pcp-synthetic",
                     bbox={"facecolor": SYNTHETIC_COLOUR, "edgecolor": "none", "pad": 2})
            fig.pcp_alt_prefix = f"{self.label} "  # type: ignore[attr-defined]

    def _add_figure(self, fig: Figure | None) -> Section:
        if fig is not None:
            self._stamp(fig)
            self.items.append(fig)
        return self

    def note(self, text: str, kind: str = "info") -> Section:
        """A boxed note (info, warning, coverage, restricted) that is not built from the data."""
        self.items.append(report.note(text, kind))
        return self

    def include(self, other: Section) -> Section:
        """Another section's content, each item labelled by that section's own inputs (e.g. a
        published table, never labelled SYNTHETIC, beside tables computed from a sample)."""
        self.items.extend(other.items)
        return self

    def add(self, item: Any) -> Section:
        """Any other displayable object (already labelled by its builder)."""
        self.items.append(item)
        return self

    # ---- showing it -----------------------------------------------------------------------
    def _ipython_display_(self) -> None:
        for i, item in enumerate(self.items):
            if isinstance(item, Figure):  # drawn as pcp draws it (style, no "tight" box, alt text),
                item = self.items[i] = self._drawn(item)  # not by the notebook's own figure display
            display(item)

    def html(self, images: bool = True) -> str:
        """The section as HTML (figures as PNG with alt text, or only their alt text and
        stamps when ``images`` is False: fast, for tests)."""
        out = []
        for i, item in enumerate(self.items):
            if isinstance(item, Figure):
                alt = chart_title(item)
                stamps = " ".join(t.get_text() for t in item.texts if t.get_gid() == "pcp-synthetic")
                if images:
                    item = self.items[i] = self._drawn(item)
                    data = item.png
                    out.append(f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">')
                else:
                    out.append(f'<figure data-stamp="{html.escape(stamps)}">{html.escape(alt)}</figure>')
                    plt.close(item)  # not drawn: still drawn (and stored) if the page is shown later
            elif isinstance(item, DrawnChart):
                if images:
                    out.append(f'<img src="data:image/png;base64,{item.png}" alt="{html.escape(item.alt)}">')
                else:
                    out.append(f'<figure data-stamp="{SYNTHETIC_WORD + " DATA" if self.synthetic else ""}">'
                               f'{html.escape(item.alt)}</figure>')
            elif hasattr(item, "_repr_html_"):
                out.append(item._repr_html_())
            else:
                out.append(html.escape(str(item)))
        return "\n".join(out)


SectionFn = Callable[[Any], Section]

_KIND_WORDS = {"published": "published figures", "return": "return", "synthetic": "SYNTHETIC sample",
               "derived": "derived from open data", "reference": "reference data"}


def coverage_sentence(asked: Quarter, last: date | None, what: str) -> str | None:
    """A plain sentence when the data do not reach the end of the quarter asked for."""
    if last is None:
        return f"There are no {what} data up to {asked.label}."
    if last < asked.months[-1]:
        return (f"The {what} data end in {last:%B %Y}, before the end of {asked.label} "
                f"({asked.end:%B %Y}); figures below use what is available.")
    return None


def describe_input(name: str, prov: Provenance) -> str:
    """One line for the title block: what an input is, which files, what kind, as at when."""
    files = ", ".join(prov.files) if prov.files else "no files up to this quarter"
    if len(prov.files) > 3 and len(prov.names) == 1:  # one return over many quarters
        files = f"{len(prov.files)} files ({prov.files[0]} to {prov.files[-1]})"
    kind = _KIND_WORDS[prov.kind] if not prov.synthetic or prov.kind == "synthetic" else (
        f"{_KIND_WORDS[prov.kind]}, partly SYNTHETIC ({', '.join(prov.synthetic_names)})")
    source = named_source(prov)
    if source and not prov.synthetic:
        kind += f", from {source}"
    as_at = f", as at {prov.as_at:%d/%m/%Y}" if prov.as_at else ""
    return f"{name}: {files} ({kind}{as_at})"


def opening(ctx: Context, title: str, question: str, findings: Sequence[Finding] = ()) -> Section:
    """The top of every page: title block (question, quarter, every input with its kind and
    date), the page's ``findings`` (what the front page says of it, each linked to the
    section that shows it), what the data do not cover, and a note for each synthetic input
    saying what it is. (The inputs' list goes to the page's end in the pack: report.title_block.)"""
    sec = Section()
    sources = [describe_input(n, p) for n, p in ctx.inputs.items()]
    sec.add(report.title_block(title, ctx.asked, question, sources, ctx.audience))
    if findings:
        items = "".join(f'<li>{html.escape(f.text)} <a href="#{html.escape(f.anchor, quote=True)}">See '
                        f"“{html.escape(f.section)}”</a>{' <strong>(SYNTHETIC sample)</strong>' if f.synthetic else ''}"
                        "</li>" for f in findings)
        sec.add(report.HTML(f'<div class="pcp-findings"><p><strong>What this page finds</strong></p>'
                            f"<ul>{items}</ul></div>"))
    if ctx.partial:
        sec.add(report.banner(ctx.partial))
    for text in ctx.coverage:
        sec.note(text, "coverage")
    for text in ctx.confirmed:
        sec.note(text, "warning")
    for name, prov in ctx.inputs.items():
        if prov.synthetic:
            first = prov.note.split("\n", 1)[0] if prov.note else ""
            sec.add(report.note(f"{name} ({', '.join(prov.synthetic_names)}) is SYNTHETIC sample data, not real "
                                f"figures; anything built from it is labelled SYNTHETIC. {first}".strip(),
                                "synthetic"))
    return sec


def render_html(load: Callable[..., Context], title: SectionFn, sections: Sequence[tuple[str, SectionFn]],
                quarter: str,
                data_dir: str | Path | None = None, audience: str = "public", images: bool = False) -> str:
    """A whole page as HTML without a kernel: load, the title section, then each section
    under its heading.
    Used by tests (e.g. that a synthetic input is labelled on every page that reads it)."""
    ctx = load(quarter, data_dir, audience)
    parts = [title(ctx).html(images=images)]
    for heading, fn in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(fn(ctx).html(images=images))
    return "\n".join(parts)


# ---- findings: what a page says most, for the front page of the pack ----------------------

#: How a finding's basis is named, by the kind of its inputs (reference lists are not a basis
#: of their own unless nothing else is). A return is named by its file, or by the source its
#: sidecar note names ("From the OPCC's paper: ..."), never called the Force's when it is not.
BASIS_WORDS = {"published": "published", "return": "return", "synthetic": "SYNTHETIC sample",
               "derived": "police.uk", "reference": "reference data"}
_FROM = re.compile(r"^From (?P<name>[^:\n]{3,80}):")


def named_source(prov: Provenance) -> str | None:
    """The source a file's sidecar note names in its first words ("From the OPCC's paper: ..."
    -> "the OPCC's paper"), or None."""
    found = _FROM.match(prov.note or "")
    return found.group("name") if found else None


def anchor(heading: str) -> str:
    """The anchor id nbconvert gives a notebook's markdown heading ("The quarter" ->
    "The-quarter"), so the front page can link to a section of an exported page."""
    return heading.strip().replace(" ", "-")


def heading_of(sections: Sequence[tuple[str, SectionFn]], fn: SectionFn) -> str:
    """The heading a section function is shown under (from a page's ``SECTIONS``), so a
    finding links to the section that shows it without typing the heading twice."""
    for heading, f in sections:
        if f is fn:
            return heading
    raise KeyError(f"{getattr(fn, '__name__', fn)!r} is not one of the page's sections")


def basis_of(parts: Sequence[Provenance]) -> str:
    """What a finding rests on, in words: "published", "return (contact_monthly.csv)", "the
    OPCC's paper" (a return whose sidecar names its source), "police.uk", or
    "SYNTHETIC sample (contact_monthly.csv)" naming the synthetic inputs; several joined by
    " and "."""
    kinds = list(dict.fromkeys("synthetic" if p.synthetic else p.kind for p in parts))
    if len(kinds) > 1 and "reference" in kinds:
        kinds.remove("reference")
    synthetic = list(dict.fromkeys(n for p in parts for n in p.synthetic_names))
    returns = [p for p in parts if p.kind == "return" and not p.synthetic]
    named = list(dict.fromkeys(n for n in (named_source(p) for p in returns) if n))
    unnamed = list(dict.fromkeys(n for p in returns if not named_source(p) for n in p.names))

    def word(k: str) -> str:
        if k == "synthetic":
            return f"{BASIS_WORDS[k]} ({', '.join(synthetic)})"
        if k == "return":
            return " and ".join(named + ([f"return ({', '.join(unnamed)})"] if unnamed or not named else []))
        return BASIS_WORDS[k]

    words = [word(k) for k in kinds]
    return " and ".join(words)


@dataclass(frozen=True)
class Finding:
    """One of a page's most important findings, as the front page shows it: one computed
    sentence, the heading of the section that shows it (``anchor`` is its link), what it
    rests on (``basis``, from the provenance of the inputs it was computed from) and the
    period it is about, with the date its data stand at when known."""

    text: str
    section: str
    basis: str
    period: str
    as_at: date | None = None
    synthetic: bool = False

    @property
    def anchor(self) -> str:
        return anchor(self.section)

    @property
    def when(self) -> str:
        """"Q3 2025/26, data as at 31/12/2025", or the period alone."""
        return f"{self.period}, data as at {self.as_at:%d/%m/%Y}" if self.as_at else self.period


def finding(ctx: Context, text: str, sections: Sequence[tuple[str, SectionFn]], fn: SectionFn, period: str,
            *inputs: str | Provenance | pd.DataFrame) -> Finding:
    """A :class:`Finding` of ``ctx``'s page: ``fn`` is the section function that shows it,
    ``inputs`` what its sentence is computed from: names of ``ctx.inputs``, or tables that
    carry their provenance (as a section's ``uses``)."""
    parts = [ctx.uses(i) if isinstance(i, str) else provenance_of(i) for i in inputs]
    prov = combine(parts)
    return Finding(text=text, section=heading_of(sections, fn), basis=basis_of(parts), period=period,
                   as_at=prov.as_at, synthetic=prov.synthetic)
