"""The front page of each audience's pack: one printed A4 page the Panel reads first.

``outputs/<quarter>/<audience>/index.html`` says, in about 350 words and in this order:

1. what the Panel is asked to do ("The Panel is asked to ..."), computed from the quarter's
   Red metrics and exceptions (metrics with no data, published arrows that do not follow the
   values, metrics withheld from the public);
2. the RAG counts (symbol and word, never colour alone) and what Red, Amber and Green mean,
   with the agreed ranges read from the reference data (``data/reference/rag_bands.csv``)
   through the RAG code (:func:`pcp_lib.methods.rag.ranges_text`);
3. what changed since last quarter: the lines of every subject page that offers
   ``since_last_quarter(ctx)`` (an optional part of the page contract, read with
   ``getattr``), or, for the Plan metrics, plainly that no earlier quarter's values are in
   the data;
4. the Red metrics, each with its values, change, evidence of change (the dashboard's
   statistical view) and its owner, or else its commentary, when the values return supplies
   them (columns ``owner``, ``commentary``, ``next_step`` of the dashboard's table, read only
   when present; the full commentary and next step stay on the dashboard, so that the page
   stays one A4 page), else "no commentary supplied";
5. one line per subject, linking to its page, saying when its figures are SYNTHETIC samples.

Everything else stays on the subject pages. A serial number never stands alone (always
"Serial 31, <metric>"), and every abbreviation is spelled out at its first use from the
glossary (:mod:`pcp_lib.reference.glossary`, reference data).

The subjects are the registry's (:mod:`pcp_lib.subjects.registry`), the one way the front
page knows them: a page is a subject's when its notebook is the one the subject declares,
and a new subject (e.g. "compare") gets its line without code here. The counts and Red
metrics come from the dashboard's context as loaded for the audience, so the public page
shows exactly what the public dashboard may show (withholding is the dashboard's, never
re-done here); the restricted page has the same structure and marks what it adds. This
module builds the page as plain data (:class:`FrontPage`); :mod:`pcp_lib.pack.front` lays it
out and publishes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.display.page import Finding, anchor, basis_of, heading_of
from pcp_lib.display.palette import rag_label
from pcp_lib.display.wording import and_list
from pcp_lib.io.completeness import partial_banner, quarter_gaps
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.rag import ranges_text
from pcp_lib.methods.stats import fmt_p
from pcp_lib.methods.units import is_missing
from pcp_lib.reference.glossary import Speller, load_glossary
from pcp_lib.subjects.dashboard import assess
from pcp_lib.subjects.dashboard.register import previous_latest
from pcp_lib.subjects.registry import Subject, all_returns, subject_named, subject_of_notebook, subjects

__all__ = ["CHANGES_HOOK", "COMMENTARY_COLUMNS", "MAX_CHANGES", "NO_COMMENTARY", "FrontPage", "PageFindings", "RedMetric",
           "SubjectLine", "build_front", "subject_of_page"]

#: The optional page-contract function a subject page may define to say what changed since the
#: last quarter: ``since_last_quarter(ctx) -> list[str] | None`` (sentences, or
#: Findings, whose text is taken); None when no earlier quarter's figures are in the data.
CHANGES_HOOK = "since_last_quarter"
#: At most this many lines of each page's changes (the last saying how many more there are,
#: and where), so that the front page stays one printed page.
MAX_CHANGES = 3
#: The optional columns of the dashboard's table the Red metrics show, when supplied.
COMMENTARY_COLUMNS = ("commentary", "owner", "next_step")
NO_COMMENTARY = "no commentary supplied"
#: The first words of a Red's commentary the front page quotes (the rest is on the dashboard).
COMMENTARY_WORDS = 10


@dataclass(frozen=True)
class RedMetric:
    """A Red metric as the front page lists it: never its serial alone (``label``: "Serial 31,
    <metric>"), its values (baseline → latest, as published), the change (pp or %, labelled),
    the evidence of change (the dashboard's statistical view), its owner or else its commentary
    as supplied ("" when none is), and whether it is restricted (restricted page only)."""

    serial: str
    metric: str
    values: str
    change: str
    evidence: str
    commentary: str
    restricted: bool

    @property
    def label(self) -> str:
        return f"Serial {self.serial}, {self.metric}"


@dataclass(frozen=True)
class PageFindings:
    """One page of the pack and its findings, in notebook order (the findings are not shown
    on the front page: they say whether a page's figures are SYNTHETIC samples)."""

    title: str
    html: str
    findings: list[Finding]


@dataclass(frozen=True)
class SubjectLine:
    """One subject's line: its title, its page in this pack (None when the run has none) and
    whether its figures are SYNTHETIC samples ("all", "some" or "")."""

    title: str
    html: str | None
    synthetic: str = ""
    #: the period its findings are about when that is not the quarter of the pack (so the
    #: line says plainly that the page's figures do not reach it), else ""
    period: str = ""


@dataclass
class FrontPage:
    """Everything the front page shows (plain data, in the order shown; the template only lays
    it out). ``shown`` is the quarter of the Plan metric values (None when there are none up to
    the quarter); ``ask`` the opening; ``summary`` the dashboard's opening sentence (shown when
    the values are an earlier quarter's, or there are none); ``counts`` (RAG label with its
    symbol, number) in RAG order; ``rag_rule`` what the RAGs mean; ``withheld`` what the public
    page withholds (public) or the restricted page adds (restricted); ``changes`` what changed
    since last quarter; ``no_commentary`` said once when no Red has commentary; ``partial`` the
    PARTIAL banner naming every return the quarter lacks (None when it is whole)."""

    quarter: Quarter
    audience: str
    shown: Quarter | None
    ask: str
    summary: str
    counts: list[tuple[str, int]] = field(default_factory=list)
    counts_caption: str = ""
    rag_rule: str = ""
    withheld: str = ""
    changes: list[str] = field(default_factory=list)
    reds: list[RedMetric] = field(default_factory=list)
    headline: str = ""
    untested: str = ""
    no_commentary: str = ""
    subjects: list[SubjectLine] = field(default_factory=list)
    pages: list[PageFindings] = field(default_factory=list)
    dashboard_html: str | None = None
    partial: str | None = None

    @property
    def red_anchor(self) -> str:
        """The anchor of the dashboard's Red metrics section."""
        dashboard = subject_named("dashboard")
        assert dashboard is not None
        return anchor(heading_of(dashboard.page.SECTIONS, dashboard.page.red_metrics))


def subject_of_page(notebook: str | Path) -> Subject | None:
    """The registered subject a notebook shows, by its file name (the registry's
    :func:`~pcp_lib.subjects.registry.subject_of_notebook`; None for a notebook no subject
    declares: a draft, a scratch copy)."""
    return subject_of_notebook(notebook)


def _evidence(view: pd.DataFrame | None, serial: int) -> str:
    """"not tested", "yes, adjusted p = 0.046" or "no, adjusted p = 0.31": the statistical
    view's verdict on one metric (the dashboard says why a metric is not tested)."""
    if view is None:
        return "not tested"
    row = view[view["serial"] == serial]
    if row.empty or is_missing(row.iloc[0]["p_adjusted"]):
        return "not tested"
    r = row.iloc[0]
    return f"{'yes' if bool(r['evidence']) else 'no'}, adjusted {fmt_p(float(r['p_adjusted']))}"


def _commentary(row: Mapping[str, Any]) -> str:
    """What the front page shows of a Red metric's commentary, owner and next step ("" when none
    is supplied): its owner when supplied, short, so that nine Reds still fit one printed page
    (the commentary and next step stay on the dashboard), else its commentary, else its next step."""
    supplied = {c: str(row.get(c)).strip().rstrip(".") for c in COMMENTARY_COLUMNS
                if not is_missing(row.get(c)) and str(row.get(c)).strip()}
    if "owner" in supplied:
        return f"Owner: {supplied['owner']}."
    if "commentary" in supplied:  # the officer's words, quoted; the first few on one A4 page
        words = supplied["commentary"].split()
        return f"“{' '.join(words[:COMMENTARY_WORDS])}{'…' if len(words) > COMMENTARY_WORDS else ''}”"
    return f"Next step: {supplied['next_step']}." if "next_step" in supplied else ""


def _reds(table: pd.DataFrame, view: pd.DataFrame | None) -> list[RedMetric]:
    reds = table[table["rag"] == "Red"]
    return [RedMetric(str(r["serial"]), str(r["metric"]),
                      f"{assess.value_text(r['baseline_published'], str(r['unit']))} → "
                      f"{assess.value_text(r['latest_published'], str(r['unit']))}",
                      assess.change_text(r), _evidence(view, int(r["serial"])), _commentary(r),
                      bool(r["restricted"]))
            for r in reds.to_dict("records")]


def _named(rows: pd.DataFrame) -> str:
    """"Serial 7, Staff satisfaction for Force; Serial 25, ...": never a serial alone."""
    return "; ".join(f"Serial {r['serial']}, {r['metric']}" for r in rows.to_dict("records"))


def _withheld(table: pd.DataFrame, audience: str) -> str:
    """What the public page withholds (the public table's Restricted rows), or what the
    restricted page adds (its restricted metrics), naming the metrics, never their values."""
    if audience == "public":
        rows = table[table["rag"].astype(str) == assess.RESTRICTED]
        return (f"Withheld here: {_named(rows)}." if len(rows) else "")
    rows = table[table["restricted"].astype(bool)]
    return (f"RESTRICTED: this page adds what the public one withholds: {_named(rows)}." if len(rows) else "")


def _ask(table: pd.DataFrame, reds: list[RedMetric], audience: str) -> str:
    """"The Panel is asked to ...": the Reds to scrutinise (and commentary to ask for where
    none is supplied), then the exceptions to note."""
    n = len(reds)
    silent = sum(1 for r in reds if not r.commentary)
    if n:
        what = f"scrutinise the {n} Red metric{'s' if n != 1 else ''} below"
        if silent:
            whom = "each" if silent == n else f"the {silent} without one"
            what += f" and ask for commentary, an owner and a next step for {whom}"
    else:
        what = "note that no metric is Red"
    no_data = int((table["rag"].astype(str) == "No data").sum())
    arrows = len(assess.data_quality_notes(table))
    withheld = int((table["rag"].astype(str) == assess.RESTRICTED).sum()) if audience == "public" else 0
    notes = [f"{k} {word}" for k, word in (
        (no_data, "metric with no data" if no_data == 1 else "metrics with no data"),
        (arrows, "published arrow contradicting the values" if arrows == 1
         else "published arrows contradicting the values"),
        (withheld, "metric withheld from the public" if withheld == 1 else "metrics withheld from the public"),
    ) if k]
    return f"The Panel is asked to {what}" + (f"; and to note {and_list(notes)}." if notes else ".")


def _rag_rule(ctx: Any) -> str:
    """What Red, Amber and Green mean, with the agreed ranges from the reference data."""
    baseline = assess.baseline_heading(ctx.table).removeprefix("Baseline").strip()
    since = f"its {baseline} baseline" if baseline else "its baseline"
    return (f"Red: moved from {since} by more than the agreed range ({ranges_text(ctx.bands, brief=True)}), "
            "against the target. Amber: within the range. Green: beyond it the way the target wants (or "
            "maintained, where that is the target).")


def _changes(dashboard: Subject, dash: Any, data_dir: str | Path | None, audience: str) -> list[str]:
    """What changed since the last quarter: each subject page's ``since_last_quarter``
    lines (an optional part of the page contract); the Plan metrics' said plainly when the
    dashboard page cannot compare them."""
    shown = dash.shown
    lines: list[str] = []
    plan_said = False
    for subject in subjects():
        hook: Callable[[Any], Sequence[Any] | None] | None = getattr(subject.page, CHANGES_HOOK, None)
        if hook is None:
            continue
        ctx = dash if subject is dashboard else subject.load(dash.asked.label, data_dir, audience)
        got = hook(ctx)
        if got is None:
            continue
        if subject is dashboard:
            plan_said = True
            if not got:
                lines.append(f"No Plan metric changed RAG since {shown.previous().label}.")
        said = [str(getattr(g, "text", g)) for g in got]
        if len(said) > MAX_CHANGES:  # one printed page: the rest are on the subject's own page
            rest = len(said) - MAX_CHANGES + 1
            said = [*said[:MAX_CHANGES - 1], f"{rest} more change{'s' if rest != 1 else ''}: see "
                                              f"{subject.page.TITLE}."]
        lines.extend(said)
    if not plan_said:
        previous = shown.previous()
        if previous_latest(shown, data_dir):
            lines.insert(0, f"{previous.label}'s Plan values are in the data, but the dashboard does not yet compare "
                            "them with this quarter's.")
        else:
            lines.insert(0, "No earlier quarter's Plan values are in the data.")
    return lines


def _subject_lines(pages: list[PageFindings], runs: Sequence[Mapping[str, Any]], quarter: Quarter) -> list[SubjectLine]:
    """One line per registered subject (its page in this run, if any), then any page of no
    registered subject."""
    by_notebook = {str(run["notebook"]): page for run, page in zip(runs, pages, strict=True)}
    lines = []
    for subject in subjects():
        page = by_notebook.pop(subject.notebook, None)
        synthetic = period = ""
        if page is not None and page.findings:
            flags = [f.synthetic for f in page.findings]
            synthetic = "all" if all(flags) else "some" if any(flags) else ""
            periods = {f.period for f in page.findings}
            if len(periods) == 1 and not (only := periods.pop()).startswith(quarter.label):
                period = only
        lines.append(SubjectLine(str(subject.page.TITLE), page.html if page else None, synthetic, period))
    return lines + [SubjectLine(page.title, page.html) for page in by_notebook.values()]


def build_front(quarter: Quarter | str, audience: str, pages: Sequence[Mapping[str, Any]], notebooks_dir: str | Path,
                data_dir: str | Path | None = None,
                given: Mapping[str, list[Finding]] | None = None) -> FrontPage:
    """The front page of ``audience``'s pack: ``pages`` are the successful runs in notebook
    order (their notebooks in ``notebooks_dir``). Each page's findings (which say whether its
    figures are SYNTHETIC) come from ``given`` (by page, as its own run computed them:
    :mod:`pcp_lib.pack.findings`) or else are computed here from the data; a page whose
    notebook no subject declares is listed with none."""
    q = Quarter.parse(quarter)
    given = given or {}
    dashboard = subject_named("dashboard")
    if dashboard is None:
        raise LookupError("the registry has no 'dashboard' subject: the front page's counts and Reds are its")
    dash = dashboard.load(q.label, data_dir, audience)
    found = []
    dash_html = None
    for run in pages:
        subject = subject_of_page(Path(notebooks_dir) / run["notebook"])
        if subject is dashboard and dash_html is None:
            dash_html = run["html"]
        if run["html"] in given:
            findings = list(given[run["html"]])
        elif subject is None:
            findings = []
        else:
            findings = subject.findings(dash if subject is dashboard else subject.load(q.label, data_dir, audience))
        found.append(PageFindings(title=run["title"], html=run["html"], findings=findings))
    partial = partial_banner(q, quarter_gaps(list(all_returns().values()), q, data_dir), dash.shown)
    spell = Speller(load_glossary(data_dir))
    if dash.table is None or dash.shown is None or dash.assessed is None:
        summary = dash.coverage[0]
        return FrontPage(quarter=q, audience=audience, shown=None,
                         ask=spell(f"The Panel is asked to note that {summary[0].lower()}{summary[1:]}"),
                         summary="", subjects=[SubjectLine(spell(s.title), s.html, s.synthetic, s.period)
                                               for s in _subject_lines(found, pages, q)],
                         pages=found, dashboard_html=dash_html, partial=partial)
    table = dash.table
    reds = _reds(table, dashboard.page.evidence_view(dash) if (table["rag"] == "Red").any() else None)
    summary = assess.headline_summary(table, dash.shown.label)[0]
    if dash.shown != q:
        summary = f"The latest Plan metric values are for {dash.shown.label}. {summary}"
    # every text through the speller in the order the page shows it: abbreviations spelled out at first use
    ask = spell(_ask(table, reds, audience))
    summary = spell(summary) if dash.shown != q else ""  # the counts say it otherwise
    basis = basis_of([dash.inputs["metric_values"]])
    caption = spell(f"By RAG, from {basis}")
    rule = spell(_rag_rule(dash))
    withheld = spell(_withheld(table, audience))
    changes = [spell(line) for line in _changes(dashboard, dash, data_dir, audience)]
    reds = [RedMetric(r.serial, spell(r.metric), r.values, r.change, r.evidence, spell(r.commentary), r.restricted)
            for r in reds]
    silent = sum(1 for r in reds if not r.commentary)
    no_commentary = ("" if not silent else
                     f"{NO_COMMENTARY[0].upper()}{NO_COMMENTARY[1:]} for any, nor owner or next step."
                     if silent == len(reds) else f"–: {NO_COMMENTARY} ({silent} of {len(reds)}).")
    untested = ("None could be tested statistically."
                if reds and all(r.evidence == "not tested" for r in reds) else "")
    lines = [SubjectLine(spell(s.title), s.html, s.synthetic, s.period) for s in _subject_lines(found, pages, q)]
    return FrontPage(
        quarter=q, audience=audience, shown=dash.shown, ask=ask, summary=summary,
        counts=[(rag_label(k), int(v)) for k, v in assess.rag_counts(table).items()], counts_caption=caption, headline=f"The {len(table)} headline metrics, {dash.shown.label}",
        rag_rule=rule, withheld=withheld, changes=changes, reds=reds, untested=untested,
        no_commentary=no_commentary, subjects=lines, pages=found, dashboard_html=dash_html, partial=partial)
