"""Reading a return from a CSV file the way people save them.

Excel offers "CSV UTF-8 (Comma delimited)" (UTF-8 with a byte-order mark) and plain "CSV
(Comma delimited)" (Windows-1252, "ANSI", on a UK machine): both are read, the second with a
warning saying how to save the first. Anything else is refused with what it is and what to
do: an empty file, a workbook under a .csv name, UTF-16 "Unicode Text", fields separated by
semicolons or tabs, text that is neither encoding. A line with the wrong number of fields is
reported by ``schema.read_table`` with its row number (``RawTable.width``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.rawtable import RawTable, find_header, title_above_header

__all__ = ["SAVE_AS_UTF8", "decode", "read_csv"]

SAVE_AS_UTF8 = 'save it from Excel with File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)"'
_BOM = b"\xef\xbb\xbf"


def decode(path: Path, data: bytes) -> tuple[str, list[Problem]]:
    """The file's text, and a warning when it had to be read as Windows-1252."""
    shown = rel(path)

    def refuse(got: str, todo: str = SAVE_AS_UTF8) -> DataError:
        return DataError(Problem(file=shown, expected=f"a CSV text file: {todo}", got=got))

    if not data.strip(_BOM + b" \r\n\t"):
        raise refuse("an empty file" if not data else "a file with no text")
    if data.startswith(b"PK\x03\x04"):
        raise refuse("an Excel workbook named .csv", "rename it to .xlsx, or " + SAVE_AS_UTF8)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise refuse("an old .xls (or password-protected) workbook named .csv")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse('UTF-16 text (Excel\'s "Unicode Text")')
    if b"\x00" in data:
        raise refuse("a binary file, not text", "send the CSV file itself, or " + SAVE_AS_UTF8)
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        bad = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        where = data.count(b"\n", 0, exc.start) + 1
        raise refuse(f"text in an unknown encoding (byte 0x{data[exc.start]:02X} on line {where})") from exc
    line = data.count(b"\n", 0, bad) + 1
    char = data[bad:bad + 1].decode("cp1252")
    return text, [Problem(file=shown, row=line, severity="warning", got=f"Windows-1252 ('ANSI') text, e.g. {char!r}",
                          expected=f"UTF-8 text; read as Windows-1252 (check characters such as '£'): next time "
                                   f"{SAVE_AS_UTF8}")]


def read_csv(path: Path, expected: list[str] | None = None) -> RawTable:
    """Header and rows of a CSV return; ``DataError`` for what stops it being read."""
    shown = rel(path)
    text, warnings = decode(path, path.read_bytes())
    first = text.split("\n", 1)[0]
    if "," not in first:
        for sep, name in ((";", "semicolons"), ("\t", "tabs")):
            if sep in first:
                raise DataError(Problem(file=shown, row=1, got=f"fields separated by {name}",
                                        expected=f"fields separated by commas: {SAVE_AS_UTF8}"))
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataError(Problem(file=shown, expected=f"a well-formed CSV file: {SAVE_AS_UTF8}",
                                got=f"{exc}")) from exc
    h = find_header(table, expected) if expected and table else 0
    if h:
        raise DataError(title_above_header(shown, None, table, h))
    raw_header = table[0] if table else []
    header = [x.strip() for x in raw_header]
    width = len(header)
    while header and header[-1] == "":
        header.pop()
    return RawTable(header=header, rows=table[1:], sheet=None, header_row=1, width=width, warnings=warnings)
