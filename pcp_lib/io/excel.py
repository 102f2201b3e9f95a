"""Reading a return from an Excel workbook as Excel means it, not only as it is stored.

What a person sees in Excel is what we read:

- a cell's number format decides its meaning: a percent-formatted 0.659 shows, and is read
  as, "65.9%"; date-formatted cells are dates (openpyxl converts them);
- numbers keep Excel's 15 significant digits (``parsing.excel_decimal`` removes float residue);
- a formula is read by its saved (cached) value; a formula with no saved value (a workbook
  written by a program, or saved without calculating) is refused with the cells and the fix,
  never read as a blank;
- only the sheet the template names is read (``data``); a hidden data sheet is refused, and
  another sheet holding data is a warning;
- merged cells in the table and a title above the header are refused at their place;
- a file that is not a workbook says what it is (empty, password-protected, an image, a CSV
  under a .xlsx name, damaged) and what to do.

The size of the sheet is read from the workbook's own record of it before any cell, so a
200,000-row file is refused as too large at once.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.rawtable import RawTable, find_header, title_above_header
from pcp_lib.methods.parsing import excel_decimal, is_missing, percent_text

__all__ = ["HELPER_SHEETS", "OLE_SIGNATURE", "ZIP_SIGNATURE", "not_a_workbook", "open_workbook", "read_sheet",
           "sheet_size"]

#: Encrypted (password-protected) workbooks and old .xls files are OLE compound files.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
#: Sheets of the template that are not data: never read, never warned about.
HELPER_SHEETS = ("instructions", "lists", "last quarter")
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, KeyError)  # and openpyxl's InvalidFileException
_SAVE_AGAIN = "open it in Excel and save it again as an Excel Workbook (.xlsx), then send that file"


def not_a_workbook(path: Path) -> Problem | None:
    """What a file named .xlsx is when it is not a workbook openpyxl can read (None if it may be)."""
    shown = rel(path)
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(512)

    def problem(got: str, todo: str) -> Problem:
        return Problem(file=shown, expected=f"an Excel workbook (.xlsx): {todo}", got=got)

    if size == 0:
        return problem("an empty file (0 bytes)", "the file was not saved or not copied; save it again")
    if head.startswith(OLE_SIGNATURE):
        return problem("a password-protected workbook (or an old .xls file)",
                       "remove the password (File > Info > Protect Workbook > Encrypt with Password, clear "
                       "it) or, for an .xls file, save it as an Excel Workbook (.xlsx)")
    if head.startswith(b"\x89PNG"):
        return problem("a PNG image, not a spreadsheet", "send the workbook itself, not a picture of it")
    if head[:3] == b"\xff\xd8\xff":
        return problem("a JPEG image, not a spreadsheet", "send the workbook itself, not a picture of it")
    if head.startswith(b"%PDF"):
        return problem("a PDF document, not a spreadsheet", "send the workbook the figures were typed in")
    if not head.startswith(ZIP_SIGNATURE):
        text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
        if text.startswith((b"<html", b"<!doctype", b"<?xml")):
            return problem("a web page or XML file, not a workbook",
                           "download the file again (a link may have saved the page instead) or " + _SAVE_AGAIN)
        if b"," in head and b"\x00" not in head:
            return problem("a CSV text file named .xlsx", "rename it to .csv, or " + _SAVE_AGAIN)
        return problem("a file that is not a spreadsheet", _SAVE_AGAIN)
    if not zipfile.is_zipfile(path):
        return problem("a damaged or incomplete workbook (the download or copy may have been cut short)",
                       "download or copy it again, or " + _SAVE_AGAIN)
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
    if "xl/workbook.xml" not in names:
        what = "a Word document" if "word/document.xml" in names else "a zip file"
        return problem(f"{what}, not an Excel workbook", _SAVE_AGAIN)
    return None


def open_workbook(path: Path, **kwargs: Any) -> Any:
    """openpyxl's workbook (``kwargs`` for ``load_workbook``), or a ``DataError`` with the one
    problem saying the file is damaged."""
    # openpyxl (0.2 s to import) only when a workbook is read, not by every command
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, **kwargs)
    except (*_DAMAGED, InvalidFileException) as exc:
        raise DataError(Problem(file=rel(path), expected="an Excel workbook (.xlsx): " + _SAVE_AGAIN,
                                got=f"a damaged workbook ({type(exc).__name__}: {exc})")) from exc


def _choose_sheet(path: Path, wb: Any, sheet: str) -> tuple[str, list[Problem]]:
    """The sheet to read, and warnings about other sheets holding data.

    Only the sheet the template names is read. A workbook of a single sheet (a table saved
    from elsewhere) is read with a warning. A hidden data sheet is refused: what a person
    sees would not be what is read.
    """
    shown = rel(path)
    others = [n for n in wb.sheetnames if n != sheet and n.lower() not in HELPER_SHEETS]
    if sheet in wb.sheetnames:
        chosen = sheet
        warnings: list[Problem] = []
    elif len(wb.sheetnames) == 1:
        chosen = wb.sheetnames[0]
        warnings = [Problem(file=shown, sheet=chosen, severity="warning",
                            expected=f"a sheet named {sheet!r} (as in the template); read the only sheet, "
                                     f"{chosen!r}")]
        others = []
    else:
        raise DataError(Problem(file=shown, expected=f"a sheet named {sheet!r}, as in the template (rename "
                                "the sheet holding the figures)", got="sheets " + ", ".join(map(repr, wb.sheetnames))))
    ws = wb[chosen]
    if ws.sheet_state != "visible":
        visible = [n for n in others if wb[n].sheet_state == "visible"]
        raise DataError(Problem(file=shown, sheet=chosen, expected=(
            f"the sheet {chosen!r} to be visible: it is hidden, so the figures you see"
            + (f" (on {', '.join(map(repr, visible))})" if visible else "")
            + f" are not the ones that would be read. Unhide {chosen!r} (right-click a sheet tab > Unhide) "
            "and put this quarter's figures on it"), got=f"a {ws.sheet_state} sheet"))
    for name in others:
        other = wb[name]
        if any(not is_missing(v) for r in other.iter_rows(values_only=True) for v in r):
            state = "" if other.sheet_state == "visible" else f" ({other.sheet_state})"
            warnings.append(Problem(file=shown, sheet=name, severity="warning", expected=(
                f"data only on the sheet {chosen!r} (the only sheet read); this sheet{state} also holds data: "
                f"move anything meant for the return to {chosen!r} or delete this sheet")))
    return chosen, warnings


_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_member(z: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding a sheet's cells, from the workbook's own index."""
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rid = next((el.get(_REL) for el in book.iter() if el.tag.endswith("}sheet") and el.get("name") == sheet), None)
    if rid is None or "xl/_rels/workbook.xml.rels" not in z.namelist():
        return None
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = next((el.get("Target") for el in rels if el.get("Id") == rid), None)
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def sheet_size(path: Path, sheet: str) -> int | None:
    """Rows of the sheet, counted in its XML without reading a cell (None: no such sheet).

    Fast on any size of file; openpyxl itself would read every cell of a sheet that does not
    record its size, which a 200,000-row file written by a program may not.
    """
    try:
        with zipfile.ZipFile(path) as z:
            member = _sheet_member(z, sheet)
            if member is None or member not in z.namelist():
                return None
            count, tail = 0, b""
            with z.open(member) as f:
                while chunk := f.read(1 << 20):
                    block = tail + chunk
                    count += block.count(b"<row ") + block.count(b"<row>")
                    tail = block[-5:]
            return count
    except (*_DAMAGED, ElementTree.ParseError) as exc:
        raise DataError(Problem(file=rel(path), expected="an Excel workbook (.xlsx): " + _SAVE_AGAIN,
                                got=f"a damaged workbook ({type(exc).__name__}: {exc})")) from exc


def _cell_value(cell: Any) -> Any:
    """A cell as Excel shows it: percent-formatted numbers as "65.9%", floats to 15 digits."""
    v = cell.value
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int | float):
        if "%" in (cell.number_format or ""):
            return percent_text(float(v))
        if isinstance(v, float):
            return excel_decimal(v)
    return v


def read_sheet(path: Path, sheet: str, expected: list[str] | None = None,
               max_rows: int | None = None, size_note: str = "") -> RawTable:
    """The return's sheet as a raw table; ``DataError`` for what stops it being read.

    ``expected``: the column names, to find the header when a title sits above it (refused
    at its place). ``max_rows``: refuse, before reading a cell, a sheet with more rows
    (``size_note`` says how many the return has).
    """
    shown = rel(path)
    wrong = not_a_workbook(path)
    if wrong is not None:
        raise DataError(wrong)
    if max_rows is not None:
        size = sheet_size(path, sheet)
        if size is not None and size > max_rows:
            raise DataError(Problem(file=shown, sheet=sheet, row=max_rows + 1,
                                    expected=f"at most {max_rows:,} rows on the sheet{size_note}: is this the "
                                             "right file?", got=f"{size:,} rows"))
    wb = open_workbook(path, data_only=True)
    name, warnings = _choose_sheet(path, wb, sheet)
    ws = wb[name]
    cells = [list(r) for r in ws.iter_rows()]
    if all(is_missing(c.value) for r in cells for c in r):
        raise DataError(Problem(file=shown, sheet=name, row=1, expected="a header row of column names",
                                got="an empty sheet"))
    values = [[_cell_value(c) for c in r] for r in cells]
    h = find_header(values, expected) if expected else 0
    if h:
        raise DataError(title_above_header(shown, name, values, h))
    if ws.merged_cells.ranges:
        ranges = sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
        first = ranges[0]
        raise DataError(Problem(file=shown, sheet=name, row=first.min_row,
                                expected="no merged cells (one value per cell): unmerge them (Home > Merge & "
                                         "Center) and put the value in every cell",
                                got=", ".join(str(r) for r in ranges[:5])
                                + (f" and {len(ranges) - 5} more" if len(ranges) > 5 else "")))
    _refuse_uncalculated(path, name, cells)
    header = ["" if v is None else str(v).strip() for v in values[0]]
    while header and header[-1] == "":
        header.pop()
    rows = [r[: len(header)] for r in values[1:]]
    return RawTable(header=header, rows=rows, sheet=name, header_row=1, width=0, warnings=warnings)


def _refuse_uncalculated(path: Path, sheet: str, cells: list[list[Any]]) -> None:
    """Refuse formulas that have no saved value: read as blanks they would publish nothing
    (or zero) where the workbook shows a figure once calculated."""
    blank = {(c.row, c.column) for r in cells for c in r if c.value is None}
    if not blank or not _has_formulas(path):
        return
    wb = open_workbook(path, data_only=False)
    ws = wb[sheet]
    found = [c.coordinate for r in ws.iter_rows() for c in r
             if (c.row, c.column) in blank and c.data_type == "f"]
    if found:
        first_row = int(re.sub(r"[A-Z]+", "", found[0]))
        raise DataError(Problem(file=rel(path), sheet=sheet, row=first_row, expected=(
            "saved values for every formula: these cells hold formulas that were never calculated (the "
            "workbook was written by a program or saved without recalculating). Open the workbook in "
            "Excel, check the figures, save it and send it again"),
            got=", ".join(found[:10]) + (f" and {len(found) - 10} more" if len(found) > 10 else "")))


def _has_formulas(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        return any(re.search(rb"<(?:\w+:)?f[ >/]", z.read(n))
                   for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))
