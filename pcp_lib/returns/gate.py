"""The gate before any rendering: one set of checks for ``pcp validate`` and ``pcp run``.

``pcp run`` runs on the quarter's folder exactly what ``pcp validate <folder>`` runs
(:func:`pcp_lib.returns.validation.validate_paths`: every return's schema, period and
cross-checks, a return that is last quarter's sent again, an implausible move since last
quarter unless confirmed, and what the quarter lacks), prints every warning as ``validate``
does, and refuses to start on any error. The earlier quarters' folders, which the series
read, are checked for errors in their files (not for completeness: the pack is not theirs).

What the quarter lacks (``io.completeness``) is an error too, one line per gap, unless the
run is asked for a deliberately partial pack (``--allow-partial``): then each gap is printed
as a warning and every affected page, and the front page, carries a banner beginning
PARTIAL that names it. A quarter with no return at all is refused before that
(:class:`NoDataForQuarter`), unless the run is asked for a partial pack.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.completeness import quarter_gaps
from pcp_lib.io.datastore import quarter_dirs, return_file
from pcp_lib.methods.periods import Quarter
from pcp_lib.returns.validation import all_returns, folder_gaps, validate_paths

__all__ = ["GateRefused", "NoDataForQuarter", "quarter_gate", "quarters_with_data", "refuse_empty_quarter",
           "run_gate"]

PARTIAL_HINT = ("Nothing was rendered. Fix the gaps, or render a deliberately partial pack whose pages say "
                "PARTIAL and name them: pcp run --quarter \"{label}\" --allow-partial")


class GateRefused(DataError):
    """The quarter did not pass the gate: its errors, and what to do (``hint``)."""

    def __init__(self, problems: list[Problem], hint: str) -> None:
        super().__init__(problems)
        self.hint = hint


def quarter_gate(quarter: Quarter | str, data: Path, older: bool = True) -> tuple[list[Problem], list[Problem]]:
    """(every problem of the quarter's folder, as ``pcp validate`` finds them; its gaps).
    With ``older``, the errors in the files of the earlier folders are added."""
    q = Quarter.parse(quarter)
    folders = quarter_dirs(data)
    folder = folders.get(q)
    if folder is not None:
        problems = validate_paths([folder], data_dir=data)
        gaps = folder_gaps(folder)
    else:
        gaps = quarter_gaps(list(all_returns().values()), q, data)
        problems = list(gaps)
    if older:
        before: list[str | Path] = [f for qq, f in folders.items() if qq < q]
        problems += [p for p in (validate_paths(before, data_dir=data, gaps=False) if before else [])
                     if p.severity == "error"]
    return problems, gaps


def run_gate(quarter: Quarter | str, data: Path, allow_partial: bool = False, older: bool = True) -> list[Problem]:
    """The gate of ``pcp run``: print every warning (and, with ``allow_partial``, every gap)
    to stderr; raise :class:`GateRefused` on any error, gaps included unless ``allow_partial``.
    Returns the warnings printed."""
    q = Quarter.parse(quarter)
    problems, gaps = quarter_gate(q, data, older)
    errors = [p for p in problems if p.severity == "error" and not (allow_partial and p in gaps)]
    warnings = [p for p in problems if p.severity != "error"]
    for p in warnings:
        print(f"warning: {p}", file=sys.stderr)
    if allow_partial:
        for p in gaps:
            print(f"warning: {p} (--allow-partial: the pages say PARTIAL)", file=sys.stderr)
    if errors:
        raise GateRefused(errors, PARTIAL_HINT.format(label=q.label) if any(p in gaps for p in errors)
                          else "Nothing was rendered. Fix the errors (pcp validate lists the same) and run again.")
    return warnings


class NoDataForQuarter(ValueError):
    """No return exists for the quarter asked for: a pack of it would show only older data."""


def quarters_with_data(data_dir: Path) -> list[Quarter]:
    """The quarters whose folder holds at least one return, in order."""
    return [q for q, folder in quarter_dirs(data_dir).items()
            if any(return_file(folder, name) is not None for name in all_returns())]


def refuse_empty_quarter(q: Quarter, data: Path) -> None:
    """Stop, in one line, when no return exists for ``q``, naming the quarters that have data."""
    have = quarters_with_data(data)
    if q in have:
        return
    listed = ", ".join(x.label for x in have) if have else "none"
    raise NoDataForQuarter(
        f"no return for {q.label} in {rel(data / 'quarters')}/{q.slug}; quarters with data: {listed}. Nothing was "
        "rendered; to render a deliberately partial pack from older data, use --allow-partial.")
