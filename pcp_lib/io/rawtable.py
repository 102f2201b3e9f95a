"""A return as read from its file, before any cell is parsed: the shape CSV and Excel share.

``schema.read_table`` parses a ``RawTable`` whatever file it came from, so a cell is judged
by one set of rules, and a problem is reported at the same place (file, sheet, row, column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pcp_lib.core.errors import Problem
from pcp_lib.methods.parsing import is_missing

__all__ = ["RawTable", "find_header", "norm_name", "title_above_header"]


@dataclass
class RawTable:
    """A return as read, before parsing: header, rows of raw cells, where they were found.

    ``header_row`` is the spreadsheet row of the header (1 unless a title sits above it);
    ``width`` the number of fields in the header line (CSV: every line should have as many);
    ``warnings`` what the reader noticed that does not stop the file (a read encoding, an
    extra sheet).
    """

    header: list[str]
    rows: list[list[Any]]
    sheet: str | None = None
    header_row: int = 1
    width: int = 0
    warnings: list[Problem] = field(default_factory=list)


def norm_name(name: str) -> str:
    """A column name as compared: case, spaces and hyphens do not matter ("Answered 10s")."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _header_score(values: list[Any], expected: list[str]) -> int:
    names = {norm_name(e) for e in expected}
    return sum(1 for v in values if isinstance(v, str) and norm_name(v) in names)


def find_header(rows: list[list[Any]], expected: list[str], look: int = 10) -> int:
    """Index of the row that holds the column names (0 unless a title sits above them)."""
    best, best_score = 0, _header_score(rows[0], expected) if rows else 0
    need = max(2, len(expected) // 2)
    if best_score >= need:
        return 0
    for i, row in enumerate(rows[1:look], start=1):
        score = _header_score(row, expected)
        if score >= need and score > best_score:
            best, best_score = i, score
    return best


def title_above_header(file: str, sheet: str | None, rows: list[list[Any]], h: int) -> Problem:
    """The one problem for rows above the column names (a title, a note, blank lines)."""
    title = next((str(v) for r in rows[:h] for v in r if not is_missing(v)), "")
    rows_above = "row 1" if h == 1 else f"rows 1-{h}"
    return Problem(file=file, sheet=sheet, row=1, got=title or "blank rows", expected=(
        f"the column names in row 1 and nothing above them: they are in row {h + 1}; delete {rows_above} "
        "above them"))
