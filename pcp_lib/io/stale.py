"""Last quarter's return sent again: the rows of a return equal to the previous quarter's.

An analyst who copies last quarter's file into the new folder, or a provider who sends the
old file, produces a return that validates row by row: every figure is a real figure, only
for the wrong quarter. When its months and dates were moved on (a copy edited to look
current), the period checks pass too. So each return is compared with the previous
quarter's: with the previous rows' dates and months moved forward one quarter and the
previous quarter's label read as this one's ("Q3 2025/26" -> "Q4 2025/26"), equal rows
(the same multiset, in any order) are an error. A quarter whose figures really did not
change at all is not plausible for any return of the pack; one that did change in a
single row is not a copy.
"""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import Problem, rel
from pcp_lib.io.datastore import return_file
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.io.schema import read_table
from pcp_lib.methods.periods import Quarter

__all__ = ["moved_on", "stale_copy"]


def moved_on(value: object, months: int = 3) -> object:
    """A date (or datetime) moved forward ``months`` months, the day kept where it exists
    (31 December -> 31 March); anything else unchanged."""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, date):
        m = value.month - 1 + months
        y, m = value.year + m // 12, m % 12 + 1
        day = min(value.day, calendar.monthrange(y, m)[1])
        return value.replace(year=y, month=m, day=day)
    return value


def _rows(df: pd.DataFrame, spec: ReturnSpec, relabel: tuple[str, str] | None) -> Counter:
    cols = [c.name for c in spec.schema.columns if c.name in df.columns]
    out: Counter = Counter()
    for rec in df[cols].to_dict("records"):
        row = []
        for c in cols:
            v = rec[c]
            if relabel is not None:
                v = moved_on(v)
                if isinstance(v, str) and v.strip() == relabel[0]:
                    v = relabel[1]
            if isinstance(v, datetime):
                v = v.isoformat()
            row.append(None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip())
        out[tuple(row)] += 1
    return out


def stale_copy(df: pd.DataFrame, path: Path, spec: ReturnSpec, quarter: Quarter) -> list[Problem]:
    """An error when ``df`` (the return ``spec`` read from ``path``, for ``quarter``) holds
    exactly the previous quarter's rows, dates moved on a quarter; else nothing. The
    previous quarter's file is the sibling folder's (``../<previous slug>/``)."""
    if df.empty:
        return []
    before = quarter.previous()
    prev_folder = Path(path).resolve().parent.parent / before.slug
    prev_file = return_file(prev_folder, spec.name) if prev_folder.is_dir() else None
    if prev_file is None:
        return []
    prev = read_table(prev_file, spec.schema, problems=[])
    if prev.empty or len(prev) != len(df):
        return []
    if _rows(prev, spec, (before.label, quarter.label)) != _rows(df, spec, None):
        return []
    return [Problem(file=rel(path), got=f"the same {len(df)} rows", expected=(
        f"{quarter.label}'s {spec.title}: every row equals {before.label}'s in {rel(prev_file)} (with its dates "
        f"moved on a quarter); is this last quarter's return sent again? Ask {spec.provider} for "
        f"{quarter.label}'s"))]
