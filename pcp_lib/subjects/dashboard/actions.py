"""Delivery of the Plan's actions: the action register, progress over quarters, and the
totals a paper publishes.

The register (return ``actions`` in a quarter folder) lists every action of the delivery
strategies with its due quarter, status and, once complete, the quarter it was completed.
``progress`` counts completions per quarter from the start of the Plan (April 2025).

The totals a Plan Delivery Update states (actions created, completed to date, completed in
the quarter, in progress, "% of the plan completed") are transcribed in
``data/published/dashboard_action_totals.csv``, one row per figure with its source.
``paper_arithmetic`` checks the paper against itself; ``register_differences`` checks the
register against the paper, and ``agreement_sentence`` says which of the two happened:
the register is said to match the published totals only when it was checked against
that quarter's published totals and agreed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.core.provenance import provenance_of
from pcp_lib.io.datastore import published_path, quarter_dirs, return_file
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.units import fmt_count, fmt_percent, percent_of, round_half_up

__all__ = ["ACTIONS", "ACTIONS_RETURN", "ACTION_TOTALS", "ACTION_TOTALS_FILE", "PLAN_START", "STATUSES",
           "TOTAL_MEASURES", "PublishedTotals", "actions_file", "agreement_sentence", "check_actions", "load_actions",
           "load_published_totals", "paper_arithmetic", "progress", "published_totals",
           "register_differences", "status_counts"]

STATUSES = ("Complete", "In progress", "Not started", "Overdue")
PLAN_START = Quarter(2025, 1)


def _completed_consistent(row: dict) -> tuple[str, str] | None:
    done = row["status"] == "Complete"
    if done and row.get("completed_quarter") is None:
        return ("completed_quarter", "the quarter a Complete action was completed")
    if not done and row.get("completed_quarter") is not None:
        return ("completed_quarter", "blank unless the status is Complete")
    return None


ACTIONS = Schema(
    name="actions",
    title="action register",
    columns=(
        Column("action_id", "text", "Unique action reference"),
        Column("strategy", "text", "Delivery strategy"),
        Column("action", "text", "What will be done"),
        Column("due_quarter", "quarter", 'Quarter due, e.g. "2025-26 Q3"'),
        Column("status", "choice", "Status at the quarter end", choices=STATUSES),
        Column("completed_quarter", "quarter", "Quarter completed (Complete actions only)", required=False,
               period="not_after"),
    ),
    key=("action_id",),
    row_checks=(_completed_consistent,),
    max_rows=1000,
    size="one row per action of the Plan (127 in 2025/26)",
)


def actions_file(quarter: Quarter | str, data_dir: str | Path | None = None) -> Path | None:
    """The action register's file for the quarter (None when the quarter has none)."""
    folder = quarter_dirs(data_dir).get(Quarter.parse(quarter))
    return return_file(folder, "actions") if folder else None


def load_actions(quarter: Quarter | str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The action register as at the end of ``quarter`` (with its provenance)."""
    q = Quarter.parse(quarter)
    path = actions_file(q, data_dir)
    if path is None:
        raise DataError(Problem(file=f"quarters/{q.slug}/actions.csv",
                                expected=f"the action register for {q.label}", got="no such file"))
    df = read_table(path, ACTIONS)
    late = [r for r in df.to_dict("records")
            if r["completed_quarter"] is not None and Quarter.parse(r["completed_quarter"]) > q]
    if late:
        r = late[0]
        raise DataError(Problem(file=rel(path), row=int(r["_row"]), column="completed_quarter",
                                expected=f"a quarter no later than {q.label}", got=r["completed_quarter"]))
    return df


def progress(actions: pd.DataFrame, quarter: Quarter | str) -> pd.DataFrame:
    """Completions per quarter from the Plan's start to ``quarter``: one row per quarter with
    completed in the quarter, cumulative completed, total actions and cumulative % complete
    (a float, unrounded: round it for display with ``pcp_lib.methods.units``)."""
    q = Quarter.parse(quarter)
    total = len(actions)
    done = actions["completed_quarter"].dropna().map(Quarter.parse)
    rows = []
    cum = 0
    cur = PLAN_START
    while cur <= q:
        n = int((done == cur).sum())
        cum += n
        pct = percent_of(cum, total)
        rows.append({"quarter": cur.label, "completed_in_quarter": n, "completed_to_date": cum,
                     "total_actions": total, "pct_complete": None if pct is None else float(pct)})
        cur = cur.next()
    out = pd.DataFrame(rows, columns=["quarter", "completed_in_quarter", "completed_to_date", "total_actions",
                                      "pct_complete"])
    out = out.astype({"quarter": "string", "completed_in_quarter": "int64", "completed_to_date": "int64",
                      "total_actions": "int64", "pct_complete": "Float64"})
    out.attrs = dict(actions.attrs)  # built from the register: its provenance
    return out


def status_counts(actions: pd.DataFrame) -> pd.Series:
    """How many actions have each status at the quarter end (every status, zero included)."""
    counts = actions["status"].astype(str).value_counts()
    out = pd.Series({s: int(counts.get(s, 0)) for s in STATUSES}, dtype="int64", name="actions")
    out.attrs = dict(actions.attrs)
    return out


# ---- the totals a paper publishes ------------------------------------------------------------

ACTION_TOTALS_FILE = "dashboard_action_totals.csv"
#: what each published figure is, in the order a sentence names them
TOTAL_MEASURES = ("total_actions", "completed_to_date", "completed_in_quarter", "in_progress",
                  "pct_complete_stated")

ACTION_TOTALS = Schema(
    name="dashboard_action_totals",
    title="published action totals",
    columns=(
        Column("quarter", "quarter", 'The quarter the paper reports, e.g. "2025-26 Q3"'),
        Column("measure", "choice", "Which figure", choices=TOTAL_MEASURES),
        Column("value", "decimal", "The figure as printed (a count of actions, or a percentage)", min_value=0),
        Column("source", "text", "Document and paragraph the figure is transcribed from"),
    ),
    key=("quarter", "measure"),
    description="Action totals stated in Plan Delivery Updates, one row per figure.",
)


def load_published_totals(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every action total transcribed from a paper (``published/dashboard_action_totals.csv``)."""
    return read_table(published_path(ACTION_TOTALS_FILE, data_dir), ACTION_TOTALS)


@dataclass(frozen=True)
class PublishedTotals:
    """The action totals one paper states for one quarter."""

    quarter: Quarter
    total_actions: int
    completed_to_date: int
    completed_in_quarter: int
    in_progress: int
    pct_complete_stated: Decimal
    documents: str  # the papers the figures come from (the first part of each source), once each


def published_totals(table: pd.DataFrame, quarter: Quarter | str) -> PublishedTotals | None:
    """The totals published for ``quarter`` (None when no paper's totals are transcribed for
    it); a quarter with some of the figures but not all is an error naming the file."""
    q = Quarter.parse(quarter)
    rows = table[[Quarter.parse(v) == q for v in table["quarter"]]]
    if rows.empty:
        return None
    got = dict(zip(rows["measure"], rows["value"], strict=True))
    missing = [m for m in TOTAL_MEASURES if m not in got]
    if missing:
        raise DataError(Problem(file=ACTION_TOTALS_FILE, column="measure",
                                expected=f"every figure for {q.label} ({', '.join(TOTAL_MEASURES)})",
                                got="no " + ", ".join(missing)))
    counts = {m: int(got[m]) for m in TOTAL_MEASURES[:-1]}
    return PublishedTotals(quarter=q, pct_complete_stated=got["pct_complete_stated"],
                           documents=", ".join(dict.fromkeys(str(s).split(",")[0] for s in rows["source"])),
                           **counts)


def paper_arithmetic(p: PublishedTotals) -> list[str]:
    """Whether the paper's stated "% complete" follows from its own counts (a sentence when not)."""
    exact = percent_of(p.completed_to_date, p.total_actions)
    if exact is None or round_half_up(exact, 0) == round_half_up(p.pct_complete_stated, 0):
        return []
    return [f"The paper states {fmt_percent(p.pct_complete_stated, 0)} of the plan complete, but its own "
            f"figures give {fmt_count(p.completed_to_date)} of {fmt_count(p.total_actions)} actions = "
            f"{fmt_percent(exact, 1)} (rounded {fmt_percent(exact, 0)})."]


def register_differences(actions: pd.DataFrame, quarter: Quarter | str, p: PublishedTotals) -> list[str]:
    """Where the register's counts differ from the published totals (empty when they agree)."""
    last = progress(actions, quarter).iloc[-1]
    ours = {"actions in all": int(last["total_actions"]), "complete to date": int(last["completed_to_date"]),
            "completed in the quarter": int(last["completed_in_quarter"]),
            "in progress": int(status_counts(actions)["In progress"])}
    theirs = dict(zip(ours, (p.total_actions, p.completed_to_date, p.completed_in_quarter, p.in_progress),
                      strict=True))
    return [f"The register has {fmt_count(ours[k])} {k}; the paper states {fmt_count(theirs[k])}."
            for k in ours if ours[k] != theirs[k]]


def agreement_sentence(actions: pd.DataFrame, quarter: Quarter | str, p: PublishedTotals | None) -> str:
    """What the register's totals were checked against, and the outcome, in one sentence.
    A synthetic register made to match the paper can only agree with it: then it says so."""
    q = Quarter.parse(quarter)
    if p is None:
        return (f"No published action totals for {q.label} are transcribed ({ACTION_TOTALS_FILE}): the "
                "register's totals have not been checked against a paper.")
    diffs = register_differences(actions, q, p)
    if diffs:
        return f"The register does not match the totals published for {q.label}: " + " ".join(diffs)
    text = (f"The register's totals match those published for {q.label} ({fmt_count(p.total_actions)} actions, "
            f"{fmt_count(p.completed_to_date)} complete to date, {fmt_count(p.completed_in_quarter)} of them in "
            f"the quarter, {fmt_count(p.in_progress)} in progress; {p.documents}).")
    if provenance_of(actions).synthetic:
        text += (" The register is a synthetic sample, so agreeing with those totals shows only how the sample "
                 "was made, not how delivery went.")
    return text


def check_actions(df: pd.DataFrame, path: Path, quarter: Quarter | None, data_dir: Path | None) -> list[Problem]:
    """Statuses as at the end of the quarter: an action due by then (in an earlier quarter,
    or this one) still "Not started" is a warning naming it. It may be true, but it is what
    a register not brought up to date looks like (last quarter's statuses sent again)."""
    if quarter is None:
        return []
    out = []
    for rec in df.to_dict("records"):
        try:
            due = Quarter.parse(str(rec["due_quarter"]))
        except ValueError:
            continue
        if rec["status"] == "Not started" and due <= quarter:
            when = "this quarter" if due == quarter else "an earlier quarter"
            out.append(Problem(file=rel(path), row=int(rec["_row"]), column="status", severity="warning",
                               got="Not started", expected=(
                                   f"the status as at the end of {quarter.label}: {rec['action_id']} was due in "
                                   f"{due.label} ({when}) and is still 'Not started'; is the register up to date?")))
    return out


ACTIONS_RETURN = ReturnSpec("actions", "Action register", ACTIONS, "OPCC delivery board", cross_check=check_actions)
