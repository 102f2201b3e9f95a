"""Delivery of the Plan's actions: the action register and progress over quarters.

The register (return ``actions`` in a quarter folder) lists every action of the delivery
strategies with its due quarter, status and, once complete, the quarter it was completed.
``progress`` counts completions per quarter from the start of the Plan (April 2025), and
``published_check`` compares the register with the figures a paper states.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.datastore import quarter_dirs, return_file
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.periods import Quarter

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


def load_actions(quarter: Quarter | str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The action register as at the end of ``quarter``."""
    q = Quarter.parse(quarter)
    folder = quarter_dirs(data_dir).get(q)
    path = return_file(folder, "actions") if folder else None
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
    df.attrs["path"] = path
    return df


def progress(actions: pd.DataFrame, quarter: Quarter | str) -> pd.DataFrame:
    """Completions per quarter from the Plan's start to ``quarter``: one row per quarter with
    completed in the quarter, cumulative completed, total actions and cumulative % complete."""
    q = Quarter.parse(quarter)
    total = len(actions)
    done = actions["completed_quarter"].dropna().map(lambda s: Quarter.parse(s))
    rows = []
    cum = 0
    cur = PLAN_START
    while cur <= q:
        n = int((done == cur).sum())
        cum += n
        pct = (Decimal(cum) * 100 / total).quantize(Decimal("0.1"), ROUND_HALF_UP) if total else None
        rows.append({"quarter": cur.label, "completed_in_quarter": n, "completed_to_date": cum,
                     "total_actions": total, "pct_complete": pct})
        cur = cur.next()
    out = pd.DataFrame(rows)
    return out.astype({"quarter": "string", "completed_in_quarter": "int64",
                       "completed_to_date": "int64", "total_actions": "int64"})


def status_counts(actions: pd.DataFrame) -> pd.Series:
    counts = actions["status"].astype(str).value_counts()
    return pd.Series({s: int(counts.get(s, 0)) for s in STATUSES}, dtype="int64", name="actions")


# Figures stated in the Q3 2025/26 Plan Delivery Update (000_5c38b58c372c3f4f.txt, paras 15 and 17).
PUBLISHED_Q3_2025_26 = {"total": 127, "complete_to_date": 33, "complete_in_quarter": 14,
                        "in_progress": 5, "pct_complete_stated": Decimal(29)}


def published_check(actions: pd.DataFrame, quarter: Quarter | str,
                    published: dict | None = None) -> list[str]:
    """Compare the register with the figures the paper states; one sentence per finding.
    Only Q3 2025/26 has published figures shipped; other quarters return no findings."""
    q = Quarter.parse(quarter)
    if published is None:
        if q != Quarter(2025, 3):
            return []
        published = PUBLISHED_Q3_2025_26
    p = progress(actions, q).iloc[-1]
    notes = []
    exact = Decimal(published["complete_to_date"]) * 100 / published["total"]
    shown = exact.quantize(Decimal(1), ROUND_HALF_UP)
    if shown != published["pct_complete_stated"]:
        notes.append(
            f"The paper states {published['pct_complete_stated']}% of the plan complete, but its own "
            f"figures give {published['complete_to_date']} of {published['total']} actions = "
            f"{exact.quantize(Decimal('0.1'), ROUND_HALF_UP)}% (rounded {shown}%).")
    if int(p["completed_to_date"]) != published["complete_to_date"] or int(p["total_actions"]) != published["total"]:
        notes.append(f"The register has {int(p['completed_to_date'])} of {int(p['total_actions'])} complete; "
                     f"the paper states {published['complete_to_date']} of {published['total']}.")
    return notes


ACTIONS_RETURN = ReturnSpec("actions", "Action register", ACTIONS, "OPCC delivery board")
