"""Declarative schemas for every input table, and one reader that enforces them.

Why our own small layer rather than a general validation library: the same schema must
(1) parse published strings exactly ("65.9%", "£1,234.56", "Nil") into ``Decimal``,
(2) report every problem with the *spreadsheet* row a person sees, the column and what
was expected, and (3) drive the Excel templates the Force fills in (column units,
drop-down lists, number formats). One ``Schema`` object is the single source of truth
for loader, validator and template.

Reading: ``read_table(path, schema)`` accepts CSV or Excel (.xlsx), checks the header,
parses every cell, applies uniqueness and row checks, and either returns a typed
DataFrame or raises ``DataError`` listing all problems at once.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.core.provenance import Provenance, attach, of_file
from pcp_lib.io.excel import read_sheet
from pcp_lib.methods.parsing import is_missing, money, to_decimal, to_yes_no
from pcp_lib.methods.periods import Quarter

KINDS = ("text", "int", "decimal", "money", "percent", "date", "month", "datetime", "bool", "choice")


@dataclass(frozen=True)
class Column:
    """One column of an input table.

    kind: text | int | decimal | money | percent | date | month | datetime | bool | choice.
    ``percent`` is stored as the number of percent (65.9 for "65.9%"). ``money`` is a
    two-place Decimal. ``month`` is the first day of the month (accepts "2025-10",
    "2025-10-01", "Oct 2025"). ``choice`` needs ``choices``; ``aliases`` maps accepted
    variants (case-insensitive) to the canonical value.
    """

    name: str
    kind: str = "text"
    description: str = ""
    unit: str = ""
    required: bool = True
    choices: tuple[str, ...] | None = None
    aliases: tuple[tuple[str, str], ...] = ()
    min_value: Decimal | int | None = None
    max_value: Decimal | int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: unknown kind {self.kind!r}")

    # what a person is told when a value is wrong
    def expectation(self) -> str:
        base = {
            "text": "text",
            "int": "a whole number",
            "decimal": "a number",
            "money": 'an amount of money like "£1,234.56", "1234.56" or "Nil"',
            "percent": 'a percentage like "65.9%" or 65.9',
            "date": "a date like 2026-01-05 or 05/01/2026",
            "month": "a month like 2025-10",
            "datetime": "a date and time like 2025-10-01 14:03:22",
            "bool": "Y or N",
            "choice": "one of " + ", ".join(self.choices or ()),
        }[self.kind]
        if self.min_value is not None and self.kind in ("int", "decimal", "money", "percent"):
            base += f" of at least {self.min_value}"
        if self.max_value is not None and self.kind in ("int", "decimal", "money", "percent"):
            base += f" of at most {self.max_value}"
        return base

    def parse(self, raw: Any) -> Any:
        """Parse one cell; ``None`` when blank. Raises ValueError when malformed."""
        if is_missing(raw):
            if self.required:
                raise ValueError("blank")
            return None
        k = self.kind
        if k == "text":
            return str(raw).strip()
        if k == "choice":
            text = str(raw).strip()
            lookup = {c.lower(): c for c in self.choices or ()}
            lookup.update({a.lower(): c for a, c in self.aliases})
            if text.lower() not in lookup:
                raise ValueError(text)
            return lookup[text.lower()]
        if k == "bool":
            return to_yes_no(raw)
        if k in ("int", "decimal", "percent", "money"):
            if k == "money":
                v = money(raw)
            else:
                v = to_decimal(raw, allow_percent=(k == "percent"))
            if k == "int":
                if v != v.to_integral_value():
                    raise ValueError(str(raw))
                v = int(v)
            if self.min_value is not None and v < self.min_value:
                raise ValueError(str(raw))
            if self.max_value is not None and v > self.max_value:
                raise ValueError(str(raw))
            return v
        if k == "date":
            return parse_date(raw)
        if k == "month":
            return parse_month(raw)
        if k == "datetime":
            return parse_datetime(raw)
        raise AssertionError(k)  # pragma: no cover


def parse_date(raw: Any) -> date:
    """ISO (2026-01-05) or UK (05/01/2026) dates; Excel cells arrive as datetimes."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_month(raw: Any) -> date:
    """A month as its first day: accepts "2025-10", "2025-10-01", "Oct 2025", "October 2025"."""
    if isinstance(raw, (datetime, date)):
        d = raw.date() if isinstance(raw, datetime) else raw
        if d.day != 1:
            raise ValueError(str(raw))
        return d
    text = str(raw).strip()
    for fmt in ("%Y-%m", "%Y-%m-%d", "%b %Y", "%B %Y", "%Y-%m-%d %H:%M:%S"):
        try:
            d = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if d.day != 1:
            raise ValueError(text)
        return d
    raise ValueError(text)


def parse_datetime(raw: Any) -> datetime:
    if isinstance(raw, datetime):
        return raw
    text = str(raw).strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S",
                "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S.%f"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(text)


RowCheck = Callable[[dict[str, Any]], "str | tuple[str, str] | None"]


@dataclass(frozen=True)
class Schema:
    """A table: its columns, the columns that must be unique together, and row checks.

    A row check gets the parsed row (a dict) and returns ``None`` when the row is fine,
    or a message (optionally ``(column, message)``) saying what was expected.
    ``name`` is the return's file stem (``contact_monthly`` -> ``contact_monthly.csv``).
    """

    name: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    row_checks: tuple[RowCheck, ...] = ()
    description: str = ""
    extra_columns_ok: bool = False
    sheet: str = "data"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def dtypes(self) -> dict[str, str]:
        """Explicit pandas dtypes for each kind (Decimals stay as Python objects)."""
        m = {"text": "string", "choice": "string", "int": "Int64", "bool": "boolean",
             "decimal": "object", "money": "object", "percent": "object",
             "date": "object", "month": "object", "datetime": "datetime64[ns]"}
        return {c.name: m[c.kind] for c in self.columns}


def _read_raw(path: Path, schema: Schema, sheet: str | None) -> tuple[list[str], list[list[Any]], str | None, int]:
    """Header, rows of raw cells, the sheet read (Excel) and the header's row number."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as f:
            table = list(csv.reader(f))
        if not table:
            return [], [], None, 1
        header = [h.strip() for h in table[0]]
        return header, table[1:], None, 1
    if suffix in (".xlsx", ".xlsm"):

        return read_sheet(path, sheet or schema.sheet)
    raise DataError(Problem(file=rel(path), expected="a .csv or .xlsx file", got=path.suffix))


def read_table(path: str | Path, schema: Schema, *, sheet: str | None = None,
               problems: list[Problem] | None = None) -> pd.DataFrame:
    """Read and validate one input file; raise ``DataError`` listing every problem.

    When ``problems`` is given, problems are appended to it instead of raised and the
    rows that parsed are returned (used by ``pcp validate`` to report all files at once).
    """
    path = Path(path)
    shown = rel(path)
    found: list[Problem] = []
    if not path.exists():
        found.append(Problem(file=shown, expected=f"the {schema.title} file to exist"))
        return _finish(found, problems, schema, [])
    try:
        header, rows, sheet_name, header_row = _read_raw(path, schema, sheet)
    except DataError as exc:
        found.extend(exc.problems)
        return _finish(found, problems, schema, [])
    except Exception as exc:  # unreadable file: one clear line, not a traceback
        found.append(Problem(file=shown, expected=f"a readable {path.suffix} file", got=type(exc).__name__))
        return _finish(found, problems, schema, [])

    expected = schema.column_names
    missing = [c for c in expected if c not in header]
    unknown = [h for h in header if h and h not in expected]
    if missing or (unknown and not schema.extra_columns_ok):
        found.append(Problem(file=shown, sheet=sheet_name, row=header_row,
                             expected="columns " + ", ".join(expected),
                             got=", ".join(h for h in header if h)))
        return _finish(found, problems, schema, [])
    if not rows:
        found.append(Problem(file=shown, sheet=sheet_name, row=header_row + 1,
                             expected=f"at least one row of {schema.title}", got="no rows"))
        return _finish(found, problems, schema, [])

    index = {h: i for i, h in enumerate(header)}
    parsed: list[dict[str, Any]] = []
    seen: dict[tuple, int] = {}
    for n, raw in enumerate(rows):
        rownum = header_row + 1 + n
        if all(is_missing(v) for v in raw):
            continue  # blank lines at the end of a sheet are not data
        rec: dict[str, Any] = {"_row": rownum}
        ok = True
        if len(raw) > len(header) and any(not is_missing(v) for v in raw[len(header):]):
            found.append(Problem(file=shown, sheet=sheet_name, row=rownum,
                                 expected=f"{len(header)} fields like the header (put quotes around a "
                                          "value that contains a comma)", got=f"{len(raw)} fields"))
            continue
        for col in schema.columns:
            cell = raw[index[col.name]] if index[col.name] < len(raw) else None
            try:
                rec[col.name] = col.parse(cell)
            except ValueError:
                ok = False
                found.append(Problem(file=shown, sheet=sheet_name, row=rownum, column=col.name,
                                     expected=col.expectation(),
                                     got="" if is_missing(cell) else str(cell)))
        if not ok:
            continue
        if schema.key:
            k = tuple(rec[c] for c in schema.key)
            if k in seen:
                found.append(Problem(file=shown, sheet=sheet_name, row=rownum,
                                     column=schema.key[0] if len(schema.key) == 1 else None,
                                     expected=f"one row per {', '.join(schema.key)} "
                                              f"(this repeats row {seen[k]})",
                                     got=", ".join(str(v) for v in k)))
                continue
            seen[k] = rownum
        for check in schema.row_checks:
            msg = check(rec)
            if msg:
                column, text = msg if isinstance(msg, tuple) else (None, msg)
                found.append(Problem(file=shown, sheet=sheet_name, row=rownum, column=column, expected=text))
                ok = False
        if ok:
            parsed.append(rec)
    return _finish(found, problems, schema, parsed, path)


def _finish(found: list[Problem], sink: list[Problem] | None, schema: Schema,
            rows: Sequence[dict[str, Any]], path: Path | None = None) -> pd.DataFrame:
    if sink is not None:
        sink.extend(found)
    elif any(p.severity == "error" for p in found):
        raise DataError(found)
    df = frame(schema, rows)
    if path is not None:
        attach(df, file_provenance(path))
    return df


def file_provenance(path: str | Path) -> Provenance:
    """The provenance of a data file; a return in a quarter folder stands at the quarter's end."""
    p = Path(path)
    try:
        as_at = Quarter.parse(p.parent.name).end
    except ValueError:
        as_at = None
    return of_file(p, as_at=as_at)


def frame(schema: Schema, rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Typed DataFrame from parsed rows, keeping ``_row`` (the source row) for messages."""
    cols = ["_row", *schema.column_names]
    df = pd.DataFrame(list(rows), columns=cols)
    dtypes = schema.dtypes()
    for c in schema.column_names:
        if dtypes[c] == "datetime64[ns]":
            df[c] = pd.to_datetime(df[c])
        else:
            df[c] = df[c].astype(dtypes[c])
    df["_row"] = df["_row"].astype("Int64")
    return df
