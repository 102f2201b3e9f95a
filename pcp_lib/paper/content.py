"""What the Plan Delivery Update says, as plain data (:class:`Paper`), built by the pack's own
functions: :mod:`pcp_lib.paper.word` lays it out as a Word document in the OPCC's layout.

The paper follows ``000_…`` (the Q3 2025/26 Plan Delivery Update): masthead, meeting and
metadata table; unnumbered bold section headings with paragraphs numbered through the whole
paper; "End of Report"; Appendix 1, the nine columns of the paper's dashboard with the RAG
filled in; and Appendix 2, what the Panel asked for beside each metric (counts, the change,
the evidence of change, a comparison, commentary and next step).

Nothing here is typed but the standing words of the paper. Every figure comes from the
dashboard's context (:func:`pcp_lib.subjects.dashboard.page.load`) as loaded for the paper's
audience, so the public paper holds exactly what the public dashboard holds (its withholding
is the dashboard's, never done again here), and the contact, DToA and CSP paragraphs are those
pages' own findings (``findings(ctx)``, through :mod:`pcp_lib.subjects.registry`). The RAG
rule is the rule's own words (:func:`pcp_lib.methods.rag.rule_text`) with the bands the
dashboard read from ``data/reference/rag_bands.csv``; the meeting, report date and author are
``data/reference/panel_papers.csv``'s (left for the OPCC to complete for a quarter it lacks). A
section only an officer can write (what
the Delivery Board discussed, the key achievements, horizon scanning, the PCC's view) is a
placeholder that says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from pcp_lib.display.page import Finding, SectionFn, heading_of
from pcp_lib.display.palette import rag_label
from pcp_lib.display.wording import and_list
from pcp_lib.methods import rag
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.units import MISSING, is_missing
from pcp_lib.reference.panel_papers import panel_paper
from pcp_lib.subjects.dashboard import assess
from pcp_lib.subjects.dashboard import page as dashboard_page
from pcp_lib.subjects.registry import subject_named

__all__ = ["APPENDIX_COLUMNS", "EXTENDED_COLUMNS", "NO_COMMENTARY", "NO_COMPARATOR", "Block", "Para", "Paper",
           "PAPER_SUBJECTS", "appendix_rows", "build_paper", "extended_rows", "long_date", "marking_of"]

#: Appendix 1's columns, verbatim as in the paper (``000_…``), in its order.
APPENDIX_COLUMNS = ("Serial No", "Delivery Strategy", "Metric", "Headline/Sub", "Target/Expectation",
                    "Baseline 2024/25", "Latest", "Direction", "RAG")
#: Appendix 2's columns: what the Panel asked for beside each metric (``004_…``).
EXTENDED_COLUMNS = ("Serial No", "Metric", "Count (baseline → latest)", "Change (pp for percentages, % otherwise)",
                    "Evidence of change (statistical view)", "Comparison", "Commentary", "Owner", "Next step")
NO_COMPARATOR = "no comparator in this pack"
NO_COMMENTARY = "no commentary supplied"
#: The subject pages whose findings the paper gives a section each: (subject, heading).
PAPER_SUBJECTS = (("contact", "Police Contact Demand"),
                  ("dtoa", "Drug Testing on Arrest (DToA)"),
                  ("csp", "Community Safety Partnerships (CSP) funding"))
TO_COMPLETE = "[to be completed by the OPCC]"
MASTHEAD = ("POLICE & CRIME COMMISSIONER", "for Leicester, Leicestershire & Rutland",
            "Your Communities - Your Commissioner")
MEETING = "Police and Crime Panel for Leicester, Leicestershire and Rutland"
#: The security marking at top and foot, and the classification the metadata table gives.
_MARKINGS = {"public": ("OFFICIAL", "Official"),
             "restricted": ("OFFICIAL-SENSITIVE: RESTRICTED, not for publication", "Official-Sensitive (restricted)")}


@dataclass(frozen=True)
class Para:
    """One paragraph: ``numbered`` (1, 2, 3 ... through the paper), ``sub`` (a, b, c under the
    one before), ``placeholder`` (for an officer to write, saying so) or ``plain``."""

    text: str
    kind: str = "numbered"


@dataclass(frozen=True)
class Block:
    """A section: its unnumbered bold heading and its paragraphs."""

    heading: str
    paras: tuple[Para, ...]


@dataclass
class Paper:
    """Everything the paper shows, for one audience (plain data: :mod:`pcp_lib.paper.word`
    only lays it out). ``appendix`` and ``extended`` are rows of text cells under
    :data:`APPENDIX_COLUMNS` and :data:`EXTENDED_COLUMNS`, in serial order."""

    quarter: Quarter
    audience: str
    marking: str
    classification: str
    title: str
    meeting_date: str
    report_date: str
    author: str
    blocks: list[Block] = field(default_factory=list)
    appendix_title: str = ""
    appendix: list[list[str]] = field(default_factory=list)
    appendix_notes: list[str] = field(default_factory=list)
    extended_title: str = ""
    extended: list[list[str]] = field(default_factory=list)
    extended_notes: list[str] = field(default_factory=list)

    @property
    def masthead(self) -> tuple[str, ...]:
        return MASTHEAD

    @property
    def meeting(self) -> str:
        return MEETING


def marking_of(audience: str) -> tuple[str, str]:
    """The security marking (header and footer) and the classification (metadata table)."""
    return _MARKINGS[audience]


def long_date(day: date) -> str:
    """"21st April 2026", as the OPCC's papers date a meeting."""
    suffix = "th" if 11 <= day.day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    return f"{day.day}{suffix} {day:%B %Y}"


def _placeholder(what: str, why: str) -> Para:
    return Para(f"[For the OPCC to write: {what}. pcp does not write this section: {why}.]", "placeholder")


def _finding_text(f: Finding) -> str:
    """A finding as a paragraph: its sentence, then what it rests on and its period (so a
    SYNTHETIC basis is said wherever the sentence is)."""
    return f"{f.text} (Source: {f.basis}; {f.when}.)"


def _level(register: pd.DataFrame) -> dict[int, str]:
    """Headline or Sub, by serial, as the register gives it."""
    return {int(s): str(v) for s, v in zip(register["serial"], register["level"], strict=True)}


def appendix_rows(ctx: dashboard_page.DashboardContext) -> list[list[str]]:
    """Appendix 1's rows, in serial order: the dashboard's own table as its audience sees it
    (``assess.display_table`` of ``ctx.table``), in the paper's nine columns; the RAG as symbol
    and word; Headline/Sub from the register."""
    assert ctx.table is not None
    table = ctx.table.sort_values("serial", kind="stable")
    shown = assess.display_table(table)
    level = _level(ctx.register)
    base = assess.baseline_heading(table)
    return [[r["No"], r["Delivery strategy"], r["Metric"], level.get(int(r["No"]), MISSING), r["Target"],
             r[base], r["Latest"], r["Direction"] or MISSING, r["RAG"]]
            for r in shown.to_dict("records")]


def _cell(value: object, default: str) -> str:
    return default if is_missing(value) or not str(value).strip() else str(value)


def _evidence(row: Mapping[str, object], adjusted: str) -> str:
    """The statistical view's verdict for one metric, with its estimate, interval and adjusted
    p (``adjusted``: the view's column of it, which names how many tests it is adjusted across)."""
    verdict = str(row["Evidence of a change?"])
    if verdict in ("Yes", "No"):
        across = adjusted.removeprefix("p (adjusted, ").removesuffix(")")
        return (f"{verdict}: estimate (95% CI) {row['Change (95% CI)']}; adjusted across {across}, "
                f"{row[adjusted]}")
    return verdict


def comparisons(quarter: Quarter, data_dir: str | Path | None, audience: str) -> dict[int, str]:
    """Each Plan metric's comparison with other forces, by serial, from the comparison page
    (the registry's ``compare`` subject: ONS recorded crime); none when the pack has no such
    subject."""
    compare = subject_named("compare")
    if compare is None:
        return {}
    return dict(compare.page.comparison_by_serial(compare.load(quarter.label, data_dir, audience)))


def extended_rows(ctx: dashboard_page.DashboardContext, view: pd.DataFrame,
                  compared: Mapping[int, str] | None = None) -> list[list[str]]:
    """Appendix 2's rows, in serial order, from the audience's table (``ctx.table``), the
    dashboard's statistical view (``assess.statistical_table``, which leaves restricted
    metrics out of the public one) and each metric's comparison (``compared``, by serial;
    :func:`comparisons`): a metric the table shows as Restricted is Restricted here in every
    column but its name."""
    compared = compared or {}
    assert ctx.table is not None and ctx.assessed is not None
    stats = assess.statistical_table(ctx.assessed, view, ctx.audience)
    adjusted = assess.statistical_columns(view)[7]
    by_serial = {r["No"]: r for r in stats.to_dict("records")}
    table = ctx.table.sort_values("serial", kind="stable")
    extra = {c: c in table.columns for c in ("commentary", "owner", "next_step")}
    rows = []
    for r in table.to_dict("records"):
        serial = str(r["serial"])
        if r["rag"] == assess.RESTRICTED or serial not in by_serial:
            rows.append([serial, str(r["metric"]), *[assess.RESTRICTED] * 7])
            continue
        s = by_serial[serial]
        rows.append([
            serial, str(r["metric"]), str(s["Counts (baseline → latest)"]), assess.change_text(r),
            _evidence(s, adjusted), compared.get(int(serial), NO_COMPARATOR),
            _cell(r["commentary"], NO_COMMENTARY) if extra["commentary"] else NO_COMMENTARY,
            _cell(r["owner"], MISSING) if extra["owner"] else MISSING,
            _cell(r["next_step"], MISSING) if extra["next_step"] else MISSING,
        ])
    return rows


def _exception(r: Mapping[str, object], stats: Mapping[str, Mapping[str, object]], adjusted: str) -> str:
    """One exception, by serial: the values, the change, the RAG and why, the counts behind a
    rate and the evidence of change; the commentary when supplied."""
    unit = str(r["unit"])
    values = (f"{assess.value_text(r['baseline_published'], unit)} → {assess.value_text(r['latest_published'], unit)}"
              + (f" ({assess.change_text(r)})" if unit != "yes_no" and r["rag"] != "No data" else ""))
    text = f"Serial {r['serial']}, {r['metric']} ({r['strategy']}): {values}; {rag_label(str(r['rag']))}. {r['reason']}"
    s = stats.get(str(r["serial"]))
    if s is not None:
        counts = str(s["Counts (baseline → latest)"])
        if counts != MISSING:
            text += f" Counts: {counts}."
        text += f" Evidence of change: {_evidence(s, adjusted)}."
    commentary = r.get("commentary")
    text += f" Commentary: {_cell(commentary, NO_COMMENTARY)}."
    if not is_missing(r.get("next_step")) and str(r.get("next_step") or "").strip():
        text += f" Next step: {r['next_step']}."
    return text


def _reds_summary(table: pd.DataFrame, stats: Mapping[str, Mapping[str, object]], label: str) -> list[Para]:
    """How many metrics are Red, in which delivery strategies, and which of them the statistics
    back (evidence of change after adjustment across the dashboard's tests)."""
    reds = table[table["rag"] == "Red"].sort_values("serial", kind="stable")
    if not len(reds):
        return [Para(f"No headline metric is Red in {label}.")]
    by = reds.groupby("strategy", sort=False).size()
    strategies = and_list([f"{s} ({n})" for s, n in by.items()])
    names = "; ".join(f"serial {r['serial']}, {r['metric']}" for r in reds.to_dict("records"))
    out = [Para(f"{len(reds)} of the {len(table)} headline metrics are Red in {label} ({names}), in {strategies}.")]
    verdicts = {str(r["serial"]): str(stats.get(str(r["serial"]), {}).get("Evidence of a change?", ""))
                for r in reds.to_dict("records")}
    backed = [f"serial {s}" for s, v in verdicts.items() if v == "Yes"]
    untested = [f"serial {s}" for s, v in verdicts.items() if v not in ("Yes", "No")]
    tested = len(verdicts) - len(untested)
    said = (f"{tested} of the {len(verdicts)} Red metrics can be tested with the data in this pack; the statistical "
            f"view finds evidence of a real change for {and_list(backed) if backed else 'none of them'}.")
    if untested:
        said += f" Not tested (Appendix 2 says why): {and_list(untested)}."
    out.append(Para(said))
    return out


def _section_findings(found: Sequence[Finding], fn: SectionFn) -> list[Finding]:
    """The dashboard's findings (``found``) of the section ``fn`` shows."""
    heading = heading_of(dashboard_page.SECTIONS, fn)
    return [f for f in found if f.section == heading]


def build_paper(quarter: Quarter | str, audience: str, data_dir: str | Path | None = None,
                findings: Mapping[str, Sequence[Finding]] | None = None) -> Paper:
    """The Plan Delivery Update for ``quarter`` and ``audience``. ``findings``: each subject's
    findings by subject name, as its page's run computed them; a subject not given is loaded
    and its findings computed here."""
    q = Quarter.parse(quarter)
    findings = findings or {}
    ctx = dashboard_page.load(q.label, data_dir, audience)
    marking, classification = marking_of(audience)
    details = panel_paper(q, data_dir)  # the meeting, date and author (reference data), when known
    paper = Paper(quarter=q, audience=audience, marking=marking, classification=classification,
                  title=f"Police and Crime Plan Delivery Update (Q{q.q} {q.fy_label})",
                  meeting_date=long_date(details.meeting_date) if details else TO_COMPLETE,
                  report_date=long_date(details.report_date) if details else TO_COMPLETE,
                  author=details.author if details else TO_COMPLETE)
    blocks = paper.blocks
    blocks.append(Block("Purpose of Report", (Para(
        "The purpose of this report is to provide the Police and Crime Panel members an update in relation to the "
        f"delivery of the 2025-29 Police and Crime Plan as at the end of Quarter {q.q} {q.fy_label} "
        f"({q.month_names})."),)))
    if ctx.table is None or ctx.shown is None or ctx.assessed is None:
        blocks.append(Block("Summary", (Para(ctx.coverage[0]),)))
        return paper
    table = ctx.table
    shown = ctx.shown.label
    # the dashboard page's own findings, as its run computed them (computed here only without them)
    dash_found = findings["dashboard"] if "dashboard" in findings else dashboard_page.findings(ctx)
    view = dashboard_page.evidence_view(ctx)
    stats = {r["No"]: r for r in assess.statistical_table(ctx.assessed, view, audience).to_dict("records")}
    adjusted = assess.statistical_columns(view)[7]
    reds = table[table["rag"] == "Red"].sort_values("serial", kind="stable")
    ask = ("In particular, the Panel may wish to ask about the metrics rated Red: "
           + "; ".join(f"serial {r['serial']}, {r['metric']}" for r in reds.to_dict("records")) + ".") if len(reds) \
        else "No headline metric is Red this quarter."
    blocks.append(Block("Request of the Panel", (
        Para("In their role to scrutinise the actions and decisions of the PCC, the Commissioner requests that the "
             "panel examines the contents of this report. He would specifically like to ask the panel their opinion "
             "on the following questions;"),
        Para("Is the Panel supportive of the work update provided by the PCC in relation to the delivery of the "
             "Police and Crime Plan?", "sub"),
        Para("Would the panel like to make any recommendations to the PCC in relation to any of the work outlined "
             "within the report?", "sub"),
        Para(ask, "sub"))))
    summary = assess.headline_summary(table, shown)
    if ctx.shown != q:
        summary = [f"The latest Plan metric values are for {shown}, not {q.label}.", *summary]
    summary_paras = [Para(" ".join(summary))]
    summary_paras += [Para(_finding_text(f)) for f in _section_findings(dash_found, dashboard_page.statistics)]
    summary_paras.append(_placeholder("the PCC's view of progress against the Plan",
                                      "it is the Commissioner's opinion, not a figure"))
    blocks.append(Block("Summary", tuple(summary_paras)))
    n_strategies = table["strategy"].nunique()
    blocks.append(Block("Monitoring the Police and Crime Plan", (
        Para(f"Delivery of the Plan's expected outcomes is monitored through {len(table)} headline metrics across "
             f"{n_strategies} delivery strategies. They are attached with their computed RAG as Appendix 1, in the "
             "paper's own columns; Appendix 2 adds, for each metric, the counts behind it, the change, the evidence "
             "of change from the statistical view, a comparison where one exists, and the commentary and next "
             "step."),)))
    rule = rag.rule_text(ctx.bands)
    blocks.append(Block("How the RAG is decided", (
        Para("The RAG status of each headline metric is decided by its target or expectation and the agreed range "
             "either side of its baseline (reference data: data/reference/rag_bands.csv):"),
        *(Para(line, "sub") for line in rule),
        Para(dashboard_page.rag_statement(ctx)))))
    exceptions = table[table["rag"].isin(["Red", "No data"])].sort_values("serial", kind="stable")
    ex_paras = [Para(f"The exceptions for {shown}, by serial: the metrics rated Red or with no data "
                     f"({len(exceptions)}).")]
    ex_paras += [Para(_exception(r, stats, adjusted)) for r in exceptions.to_dict("records")]
    quality = assess.data_quality_notes(table)
    if quality:
        ex_paras.append(Para("Published direction arrows that do not follow the values (the RAG and Appendix 1 use "
                             "the direction computed from the values):"))
        ex_paras += [Para(n, "sub") for n in quality]
    blocks.append(Block("Exceptions by serial", tuple(ex_paras)))
    blocks.append(Block("Summary of Red metrics", tuple(_reds_summary(table, stats, shown))))
    board = [Para(_finding_text(f)) for f in _section_findings(dash_found, dashboard_page.delivery)]
    board.append(_placeholder(f"the Delivery Board's updates for {q.label}: when it met, what it discussed and "
                              "the changes it approved", "pcp holds no record of the board's meetings"))
    blocks.append(Block("Delivery Board updates", tuple(board)))
    for name, heading in PAPER_SUBJECTS:
        subject = subject_named(name)
        if subject is None:
            continue
        found = findings.get(name)
        if found is None:
            found = subject.findings(subject.load(q.label, data_dir, audience))
        blocks.append(Block(heading, tuple(Para(_finding_text(f)) for f in found)
                            or (Para(f"The {heading} page gives no finding for {q.label}."),)))
    blocks.append(Block("Progress against the Delivery Strategies and Key Achievements", (
        _placeholder(f"the actions completed in {q.label} and each delivery strategy's progress, risks and barriers",
                     "the leads' accounts are not data pcp reads"),)))
    blocks.append(Block("Horizon Scanning", (
        _placeholder("the key deliverables due next quarter and the date of the next Delivery Board",
                     "it is the board's forward look"),)))

    paper.appendix_title = f"Appendix 1: Police and Crime Plan dashboard, {shown}"
    paper.appendix = appendix_rows(ctx)
    withheld = int((table["rag"] == assess.RESTRICTED).sum())
    paper.appendix_notes = [dashboard_page.rag_statement(ctx),
                            "Direction is computed from the values (↔: within the agreed range); RAG is shown as "
                            "a symbol and a word: ✔ Green, ● Amber, ✖ Red, – No data."]
    if withheld:
        paper.appendix_notes.append(f"{withheld} metrics are restricted: their values, direction and RAG are "
                                    "withheld from this public paper and shown as ■ Restricted.")
    paper.extended_title = f"Appendix 2: what the Panel asked for beside each metric, {shown}"
    compared = comparisons(q, data_dir, audience)
    paper.extended = extended_rows(ctx, view, compared)
    paper.extended_notes = [
        "Count: the numbers behind each metric (≈ where derived from a rate per 1,000 and LLR's population), as the "
        "Panel asked: small numbers make large percentages misleading.",
        "Change: percentage points (pp) for percentages, percent change (%) otherwise.",
        "Evidence of change: the dashboard's statistical view (a test of each change, adjusted across the "
        f"dashboard's tests; {adjusted} below 5% is evidence of a real change).",
        ("Comparison: LLR's rate against England and Wales and its rank among the 43 forces, from ONS police "
         "recorded crime for the latest year published (not this quarter: see How LLR compares), or why a metric "
         "has none." if compared else
         f"Comparison: {NO_COMPARATOR} (no comparison with other forces is held in this pack's data)."),
        f"Commentary, owner and next step: from the Plan metric values return where supplied; otherwise "
        f"'{NO_COMMENTARY}'.",
    ]
    return paper
