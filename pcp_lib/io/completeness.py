"""Whether a quarter's folder holds the whole quarter: every return it should, every month of
a monthly return, an as-at date within the quarter.

A pack made from a part quarter reads as a whole one unless something says otherwise, so
this is checked before anything is rendered (``pcp run`` refuses a gap; ``pcp validate``
lists it) and each page whose return has a gap says so in a PARTIAL banner
(:func:`partial_banner`, shown by the page contract).

What "a return the quarter should have" means. ``ReturnSpec.required`` marks the returns
every quarter needs (the Plan metric values and the action register: the dashboard and the
front page are built from them). The other returns are optional in general (the pack began
before some of them existed, and the call-level extract is sent only sometimes), but a
series that stops is a gap, not an option: an optional return is expected in a quarter when
the previous quarter's folder has it. So Q4 2025/26 without ``contact_monthly`` is
refused because Q3 2025/26 had it, while a quarter that never had a call-level extract is
not asked for one.

What is checked inside a return that is there (from its ``period_column``): a monthly
return (a ``month`` column) needs a row for every month of the quarter, and for every value
of its other key columns seen in the file (each channel of the contact return); a position
return (a ``date`` column, e.g. the CSP spend "as at") needs an as-at date within the
quarter. A file that cannot be read is left to validation, which names its problems.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import Problem, rel
from pcp_lib.io.datastore import quarter_dirs, resolve_data_dir, return_file
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.io.schema import read_table
from pcp_lib.methods.periods import Quarter

__all__ = ["PARTIAL", "expected_returns", "gap_text", "page_banner", "partial_banner", "quarter_gaps", "return_gaps"]

#: The word every partial banner begins with.
PARTIAL = "PARTIAL"


def _day(v: object) -> date | None:
    if isinstance(v, datetime | pd.Timestamp):
        return v.date()
    if isinstance(v, date):
        return v
    return None


def _is_expected(spec: ReturnSpec, quarter: Quarter, folders: dict[Quarter, Path]) -> str | None:
    """Why ``quarter`` should have ``spec``'s return (None when it need not)."""
    if spec.required:
        return "a required return"
    before = folders.get(quarter.previous())
    if before is not None and return_file(before, spec.name) is not None:
        return f"{quarter.previous().label} had one"
    return None


def expected_returns(specs: list[ReturnSpec], quarter: Quarter | str, data_dir: str | Path | None = None
                     ) -> dict[str, str]:
    """The returns ``quarter`` should have, by name, each with why (see the module's docstring)."""
    q = Quarter.parse(quarter)
    folders = quarter_dirs(data_dir)
    out = {}
    for spec in specs:
        why = _is_expected(spec, q, folders)
        if why is not None:
            out[spec.name] = why
    return out


def _month(d: date) -> str:
    return f"{d:%B %Y}"


def _coverage(spec: ReturnSpec, path: Path, q: Quarter) -> list[Problem]:
    """The months (or the as-at date) of ``q`` that the file ``path`` lacks."""
    col = spec.period_column
    if col is None:
        return []
    kind = spec.schema.column(col).kind
    if kind not in ("month", "date"):
        return []  # e.g. call-level records: too large to read here, and not a monthly return
    # read with the period rule off: a row outside the quarter (refused by validation, row by
    # row) is kept here, so the summary line of the gap can say which dates the file holds
    schema = replace(spec.schema, columns=tuple(replace(c, period=None) if c.name == col else c
                                                for c in spec.schema.columns))
    df = read_table(path, schema, problems=[])
    if df.empty or col not in df.columns:
        return []  # unreadable: validation says why
    days = [_day(v) for v in df[col]]
    if kind == "date":
        inside = sorted({d for d in days if d is not None and q.contains(d)})
        if inside:
            return []
        got = ", ".join(sorted({f"{d:%d/%m/%Y}" for d in days if d is not None})) or "no dates"
        return [Problem(file=rel(path), column=col, got=got,
                        expected=f"an as-at date within {q.label} ({q.start:%d/%m/%Y} to {q.end:%d/%m/%Y})")]
    keys = [k for k in spec.schema.key if k != col]
    seen: dict[date, set[tuple]] = {}
    for d, rec in zip(days, df.to_dict("records"), strict=True):
        if d is not None:
            seen.setdefault(d.replace(day=1), set()).add(tuple(str(rec[k]) for k in keys))
    every = set().union(*seen.values()) if seen else set()
    out = []
    absent = [m for m in q.months if m not in seen]
    if absent:
        out.append(Problem(file=rel(path), column=col, got="no " + " or ".join(_month(m) for m in absent),
                           expected=f"every month of {q.label} ({q.month_names})"))
    for m in q.months:
        if m in seen and seen[m] != every:
            lacking = ", ".join(" ".join(k) for k in sorted(every - seen[m]))
            out.append(Problem(file=rel(path), column=col, got=f"no {_month(m)} row for {lacking}",
                               expected=f"a row for every {' and '.join(keys)} in each month of {q.label}"))
    return out


def return_gaps(spec: ReturnSpec, quarter: Quarter | str, data_dir: str | Path | None = None) -> list[Problem]:
    """What ``quarter`` lacks of ``spec``'s return: the whole file (when the quarter should
    have it), or months, or an as-at date within the quarter. Each gap is an error Problem."""
    q = Quarter.parse(quarter)
    folders = quarter_dirs(data_dir)
    folder = folders.get(q)
    path = return_file(folder, spec.name) if folder is not None else None
    if path is None:
        why = _is_expected(spec, q, folders)
        if why is None:
            return []
        where = folder if folder is not None else resolve_data_dir(data_dir) / "quarters" / q.slug
        return [Problem(file=rel(where / f"{spec.name}.xlsx"), got="no file",
                        expected=f"the {spec.title} for {q.label} ({spec.name}.xlsx or .csv; {why})")]
    return _coverage(spec, path, q)


def quarter_gaps(specs: list[ReturnSpec], quarter: Quarter | str, data_dir: str | Path | None = None
                 ) -> list[Problem]:
    """Every gap of ``quarter`` over the returns ``specs``, one Problem per gap."""
    return [p for spec in specs for p in return_gaps(spec, quarter, data_dir)]


def gap_text(problem: Problem) -> str:
    """A gap in a few words for a banner: "contact_monthly: no March 2026"."""
    name = Path(problem.file or "").stem or "a return"
    if problem.got == "no file":
        return f"{name}: no return"
    return f"{name}: {problem.got}"


def partial_banner(quarter: Quarter | str, gaps: list[Problem], shown: Quarter | None = None) -> str | None:
    """The banner of a page built from a part quarter (None when nothing is missing): it
    begins with PARTIAL, names each gap and, when the page leads with an earlier quarter
    (``shown``), says whose figures they are."""
    if not gaps:
        return None
    q = Quarter.parse(quarter)
    text = f"{PARTIAL}: the data for {q.label} are incomplete: " + "; ".join(gap_text(g) for g in gaps) + "."
    if shown is not None and shown != q:
        text += f" The figures below are {shown.label}'s, the latest there are, not {q.label}'s."
    elif shown is None:
        text += f" There are no figures for {q.label} below."
    return text


def page_banner(specs: list[ReturnSpec] | tuple[ReturnSpec, ...], quarter: Quarter | str,
                data_dir: str | Path | None = None, shown: Quarter | None = None) -> str | None:
    """The PARTIAL banner of a page built from the returns ``specs`` (None when the quarter
    has all of them whole): what each subject's ``load`` puts in ``Context.partial``."""
    return partial_banner(quarter, quarter_gaps(list(specs), quarter, data_dir), shown)
