"""Reading returns from Excel workbooks (the templates the Force fills in).

The data sit on one sheet (by default ``data``) with the header in row 1. Merged cells
are refused: they hide which row a value belongs to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pcp_lib.core.errors import DataError, Problem, rel


def read_sheet(path: Path, sheet: str) -> tuple[list[str], list[list[Any]], str, int]:
    """Header, raw rows, the sheet's name and the header's row number (1)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True)
    if sheet in wb.sheetnames:
        ws = wb[sheet]
    else:
        candidates = [n for n in wb.sheetnames if n.lower() not in ("instructions", "lists", "last quarter")]
        if len(candidates) != 1:
            raise DataError(Problem(file=rel(path), expected=f"a sheet named {sheet!r}",
                                    got=", ".join(wb.sheetnames)))
        ws = wb[candidates[0]]
    if ws.merged_cells.ranges:
        first = sorted(str(r) for r in ws.merged_cells.ranges)[0]
        row = ws[first.split(":")[0]].row
        raise DataError(Problem(file=rel(path), sheet=ws.title, row=row,
                                expected="no merged cells (one value per cell)", got=first))
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    if not values or all(v is None for v in values[0]):
        raise DataError(Problem(file=rel(path), sheet=ws.title, row=1,
                                expected="a header row of column names", got="an empty sheet"))
    header = ["" if v is None else str(v).strip() for v in values[0]]
    while header and header[-1] == "":
        header.pop()
    rows = [r[: len(header)] for r in values[1:]]
    return header, rows, ws.title, 1
