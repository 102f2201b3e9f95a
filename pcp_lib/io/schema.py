"""Declarative schemas for every input table, and one reader that enforces them.

Why our own small layer rather than a general validation library: the same schema must
(1) parse published strings exactly ("65.9%", "£1,234.56", "Nil") into ``Decimal``,
(2) report every problem with the *spreadsheet* row a person sees, the column and what
was expected, and (3) drive the Excel templates the Force fills in (column units,
drop-down lists, number formats). One ``Schema`` object is the single source of truth
for loader, validator and template.

Reading: ``read_table(path, schema)`` accepts CSV (``io.csvfile``) or Excel (``io.excel``),
checks the header (a misspelled column is named with its closest expected name), parses
every cell with the column's domain checks (counts whole and not negative, money to the
penny, dates inside the file's quarter, no template placeholders), applies uniqueness and
row checks, and either returns a typed DataFrame or raises ``DataError`` listing the
problems: one message per problem (a row refused once is not checked again), at most
``MAX_PROBLEMS`` per file plus a count of the rest. A file far larger than its return can
be is refused before its cells are read.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.core.provenance import Provenance, attach, has_provenance, of_file
from pcp_lib.io.csvfile import read_csv
from pcp_lib.io.excel import read_sheet
from pcp_lib.io.rawtable import RawTable, norm_name
from pcp_lib.methods.parsing import is_missing, is_placeholder, money, to_decimal, to_yes_no
from pcp_lib.methods.periods import Quarter

__all__ = ["KINDS", "MAX_PROBLEMS", "PERIODS", "Column", "RowCheck", "Schema", "bounded", "file_provenance",
           "frame", "parse_date", "parse_datetime", "parse_month", "quarter_of_file", "read_table"]

KINDS = ("text", "int", "decimal", "money", "percent", "date", "month", "datetime", "bool", "choice", "quarter")
#: How a dated column relates to the quarter of its file: inside it, or not after its end.
PERIODS = ("within", "not_after")
#: Problems reported per file; the rest are counted ("and 1,234 more").
MAX_PROBLEMS = 50
#: Excel serial numbers of dates read as dates (1950 to 2100) when a date cell lost its format.
_SERIALS = (18264, 73051)


@dataclass(frozen=True)
class Column:
    """One column of an input table.

    kind: text | int | decimal | money | percent | date | month | datetime | bool | choice.
    ``percent`` is stored as the number of percent (65.9 for "65.9%") and must lie in 0-100
    unless ``max_value`` says otherwise. ``money`` is a two-place Decimal. ``quarter`` is a
    quarter like "2025-26 Q3" (kept as written). ``month`` is the first day of the month (accepts "2025-10",
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
    #: "within": a date/month/quarter inside the file's quarter; "not_after": not after its end.
    period: str | None = None
    #: the column may be left out of the file altogether (a column added later, so a return
    #: written before it still reads): its cells are then blank. Only for ``required=False``.
    absent_ok: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: unknown kind {self.kind!r}")
        if self.period is not None and (self.period not in PERIODS
                                        or self.kind not in ("date", "month", "datetime", "quarter")):
            raise ValueError(f"column {self.name!r}: period must be one of {PERIODS} on a dated column")

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
            "quarter": 'a quarter like "2025-26 Q3"',
        }[self.kind]
        if self.min_value is not None and self.kind in ("int", "decimal", "money", "percent"):
            base += f" of at least {self.min_value}"
        if self.max_value is not None and self.kind in ("int", "decimal", "money", "percent"):
            base += f" of at most {self.max_value}"
        elif self.kind == "percent":
            base += " between 0 and 100 (on the percent scale)"
        return base

    def parse(self, raw: Any) -> Any:
        """Parse one cell; ``None`` when blank. Raises ValueError when malformed."""
        if is_missing(raw):
            if self.required:
                raise ValueError("blank")
            return None
        if is_placeholder(raw) and self.kind not in ("choice", "bool"):  # a closed list judges itself
            raise ValueError("placeholder")
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
            d = money(raw) if k == "money" else to_decimal(raw, allow_percent=(k == "percent"))
            if d is None:
                raise ValueError("blank")
            if k == "int" and d != d.to_integral_value():
                raise ValueError(str(raw))
            if self.min_value is not None and d < self.min_value:
                raise ValueError(str(raw))
            if self.max_value is not None and d > self.max_value:
                raise ValueError(str(raw))
            if k == "percent" and self.max_value is None and not Decimal(0) <= d <= Decimal(100):
                raise ValueError(str(raw))
            return int(d) if k == "int" else d
        if k == "date":
            return parse_date(raw)
        if k == "month":
            return parse_month(raw)
        if k == "datetime":
            return parse_datetime(raw)
        if k == "quarter":
            Quarter.parse(str(raw).strip())
            return str(raw).strip()
        raise AssertionError(k)  # pragma: no cover

    def outside(self, value: Any, quarter: Quarter) -> str | None:
        """What was expected when ``value`` breaks the column's ``period`` rule (else None)."""
        if self.period is None or value is None:
            return None
        if self.kind == "quarter":
            q = Quarter.parse(value)
            first, last = q.start, q.end
        else:
            first = last = value.date() if isinstance(value, datetime) else value
        if self.period == "within" and not (quarter.contains(first) and quarter.contains(last)):
            what = "month" if self.kind == "month" else "date"
            return f"a {what} in {quarter.label} ({quarter.month_names}), the quarter of this folder"
        if self.period == "not_after" and last > quarter.end:
            return f"a quarter no later than {quarter.label}, the quarter of this folder"
        return None


def _serial(raw: Any) -> datetime | None:
    """An Excel date serial (a date cell that lost its format: 46022 is 31/12/2025), else None."""
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool) and _SERIALS[0] <= raw <= _SERIALS[1]:
        from openpyxl.utils.datetime import from_excel  # only for a date that lost its format

        return from_excel(float(raw))
    return None


def parse_date(raw: Any) -> date:
    """ISO (2026-01-05) or UK (05/01/2026) dates; Excel cells arrive as datetimes or serials."""
    raw = _serial(raw) or raw
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
    raw = _serial(raw) or raw
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
    """ISO or UK date and time; Excel cells arrive as datetimes or serials."""
    raw = _serial(raw) or raw
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
    ``max_rows`` is the most rows a correct file can hold and ``size`` says why ("3 months x
    3 channels"); a file of more than twice as many is refused before its cells are read.
    """

    name: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    row_checks: tuple[RowCheck, ...] = ()
    description: str = ""
    extra_columns_ok: bool = False
    sheet: str = "data"
    max_rows: int | None = None
    size: str = ""

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
             "date": "object", "month": "object", "datetime": "datetime64[ns]", "quarter": "string"}
        return {c.name: m[c.kind] for c in self.columns}


def quarter_of_file(path: str | Path) -> Quarter | None:
    """The quarter a return belongs to, from its folder's name (``.../2025-26-Q4/x.csv``)."""
    try:
        return Quarter.parse(Path(path).resolve().parent.name)
    except ValueError:
        return None


def _read_raw(path: Path, schema: Schema, sheet: str | None) -> RawTable:
    """The file as a raw table (CSV or Excel); ``DataError`` when it cannot be read at all."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path, schema.column_names)
    if suffix in (".xlsx", ".xlsm"):
        # the template formats 500 rows, so an unfilled sheet already has 501
        limit = max(2 * schema.max_rows, 1000) + 1 if schema.max_rows else None
        note = f" (a {schema.title} has at most {schema.max_rows:,}: {schema.size})" if schema.max_rows else ""
        return read_sheet(path, sheet or schema.sheet, schema.column_names, max_rows=limit, size_note=note)
    raise DataError(Problem(file=rel(path), expected="a .csv or .xlsx file", got=path.suffix))


def _header(raw: RawTable, schema: Schema, shown: str) -> tuple[dict[str, int], list[Problem]]:
    """Where each expected column is, and one problem per column that differs.

    Case, spaces and hyphens do not matter ("Answered 10s" is answered_10s). A misspelled
    column is named with its closest expected name; a column missing or extra is named.
    """
    def at_header(column: str, expected: str, got: str) -> Problem:
        return Problem(file=shown, sheet=raw.sheet, row=raw.header_row, column=column, expected=expected, got=got)

    found: dict[str, int] = {}
    problems: list[Problem] = []
    for i, h in enumerate(raw.header):
        if not h:
            continue
        key = norm_name(h)
        if key in found:
            problems.append(at_header(h, "each column once", f"{h!r} twice"))
        found.setdefault(key, i)
    index: dict[str, int] = {}
    for c in schema.columns:
        if norm_name(c.name) in found:
            index[c.name] = found.pop(norm_name(c.name))
    unknown = {k: raw.header[i] for k, i in found.items()}
    for c in schema.columns:
        if c.name in index:
            continue
        if c.absent_ok and not c.required:
            continue  # left out of the file: its cells are blank
        close = difflib.get_close_matches(norm_name(c.name), list(unknown), n=1, cutoff=0.6)
        if close:
            got = unknown.pop(close[0])
            problems.append(at_header(got, f"the column name {c.name!r} (the closest expected name)", got))
        else:
            problems.append(at_header(c.name, f"a column named {c.name!r}: {c.description or c.expectation()}",
                                      "no such column"))
    if not schema.extra_columns_ok:
        for got in unknown.values():
            problems.append(at_header(got, "only the template's columns (" + ", ".join(schema.column_names)
                                      + "): rename or delete it", got))
    return index, problems


def _blank(raw: Sequence[Any]) -> bool:
    return all(is_missing(v) for v in raw)


def _cell_problem(col: Column, cell: Any, reason: str) -> tuple[str, str]:
    """(expected, got) for a cell that did not parse."""
    if reason == "placeholder":
        return f"a value, not a placeholder left from the template: {col.expectation()}", str(cell)
    if isinstance(cell, str) and cell.endswith("%") and col.kind in ("int", "decimal", "money"):
        return f"{col.expectation()} (the cell holds a percentage)", cell
    return col.expectation(), "" if is_missing(cell) else str(cell)


def read_table(path: str | Path, schema: Schema, *, sheet: str | None = None,
               problems: list[Problem] | None = None, quarter: Quarter | None = None,
               raw: RawTable | None = None) -> pd.DataFrame:
    """Read and validate one input file; raise ``DataError`` listing the problems.

    When ``problems`` is given, problems are appended to it instead of raised and the
    rows that parsed are returned (used by ``pcp validate`` to report all files at once);
    what did parse of each refused row is kept in ``attrs["rejected"]`` so a later check
    does not report it again (an area whose money failed to parse is not also "missing").
    ``quarter``: the quarter the file is for (default: from its folder), for the columns
    whose ``period`` says they must fall inside it. ``raw``: the file already read into a
    ``RawTable`` by a reader of its own layout (a published table with title rows and notes
    above its header, ``io.published``), parsed and checked here by the same rules.
    """
    path = Path(path)
    key = _memo_key(path, schema, sheet, quarter) if raw is None else None
    if key is not None and (kept := _MEMO.get(key)) is not None:
        _MEMO.move_to_end(key)
        found, df = list(kept[0]), kept[1].copy()
        if has_provenance(df):  # recorded afresh: the ledger of files read, the sidecar note
            attach(df, file_provenance(path))
    else:
        found = []
        df = _read_table(path, schema, sheet, found, quarter, raw)
        if key is not None:
            _MEMO[key] = (tuple(found), df.copy())
            while len(_MEMO) > _MEMO_SIZE:
                _MEMO.popitem(last=False)
    if problems is not None:
        problems.extend(found)
    elif any(p.severity == "error" for p in found):
        raise DataError(bounded(found))
    return df


#: Tables already read in this process, by what they were read from (:func:`_memo_key`), with
#: the problems found: a page, the front page and the paper each load the same returns, and a
#: kernel of the pack run reads them again for each of its pages.
_MEMO: OrderedDict[tuple[Any, ...], tuple[tuple[Problem, ...], pd.DataFrame]] = OrderedDict()
_MEMO_SIZE = 64


def _memo_key(path: Path, schema: Schema, sheet: str | None, quarter: Quarter | None) -> tuple[Any, ...] | None:
    """What a table read from ``path`` depends on: the file's bytes (hashed, so a file changed
    within the clock's resolution, or copied over with its old time, is read again), the
    schema (columns, checks), the sheet, the quarter it is checked against, the folder it is in
    (its quarter, when none is given) and how it is shown in messages. None when there is no
    file to hash or the schema cannot be hashed: the file is then read every time."""
    try:
        content = path.read_bytes()
        hash(schema)
    except (OSError, TypeError):
        return None
    return (path.resolve().parent.name, rel(path), schema, sheet, quarter, hashlib.blake2b(content).digest())


def _read_table(path: Path, schema: Schema, sheet: str | None, problems: list[Problem], quarter: Quarter | None,
                raw: RawTable | None) -> pd.DataFrame:
    """:func:`read_table` itself: the rows that parsed, and every problem appended to ``problems``."""
    shown = rel(path)
    found: list[Problem] = []
    if not path.exists():
        found.append(Problem(file=shown, expected=f"the {schema.title} file to exist", got="no such file"))
        return _finish(found, problems, schema, [])
    try:
        raw = _read_raw(path, schema, sheet) if raw is None else raw
    except DataError as exc:
        found.extend(exc.problems)
        return _finish(found, problems, schema, [])
    found.extend(raw.warnings)
    sheet_name, header_row = raw.sheet, raw.header_row

    index, header_problems = _header(raw, schema, shown)
    if header_problems:
        found.extend(header_problems)
        return _finish(found, problems, schema, [])
    limit = 2 * schema.max_rows if schema.max_rows else None
    data: list[tuple[int, list[Any]]] = []
    for n, r in enumerate(raw.rows):
        if not _blank(r):  # blank lines are not data
            data.append((n, r))
            if limit is not None and len(data) > limit:
                break  # far too large: no need to look further
    if not data:
        found.append(Problem(file=shown, sheet=sheet_name, row=header_row + 1,
                             expected=f"at least one row of {schema.title}", got="no rows"))
        return _finish(found, problems, schema, [])
    if schema.max_rows and limit is not None and len(data) > limit:
        found.append(Problem(file=shown, sheet=sheet_name, row=header_row + 1 + data[schema.max_rows][0],
                             expected=f"at most {schema.max_rows:,} rows for a {schema.title}"
                                      + (f" ({schema.size})" if schema.size else "") + ": is this the right file?",
                             got=f"{len(raw.rows):,} rows"))
        return _finish(found, problems, schema, [])

    q = quarter or quarter_of_file(path)
    parsed: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    seen: dict[tuple, int] = {}
    blanks: dict[str, list[Problem]] = {}  # required cells left blank, by column
    # A column's cells repeat (months, areas, crime types): each distinct value is parsed once.
    # Parsed values are immutable (str, date, Decimal, bool), so sharing them is safe.
    memo: dict[str, dict[tuple[type, Any], tuple[bool, Any]]] = {c.name: {} for c in schema.columns}
    for n, cells in data:
        rownum = header_row + 1 + n

        def at(expected: str, column: str | None = None, got: str | None = None, row: int = rownum) -> Problem:
            return Problem(file=shown, sheet=sheet_name, row=row, column=column, expected=expected, got=got)

        rec: dict[str, Any] = {"_row": rownum}
        if raw.width and len(cells) != raw.width:
            hint = ("put quotes around a value that contains a comma, e.g. \"271,818.47\"" if len(cells) > raw.width
                    else "every line as many fields as the header")
            found.append(at(f"{raw.width} fields like the header line ({hint})",
                            got=f"{len(cells)} fields: " + ",".join(map(str, cells))[:80]))
            rejected.append(rec)
            continue
        ok = True
        for col in schema.columns:
            at_col = index.get(col.name)
            cell = cells[at_col] if at_col is not None and at_col < len(cells) else None
            try:
                rec[col.name] = _parse_once(col, cell, memo[col.name])
            except ValueError as exc:
                ok = False
                expected, got = _cell_problem(col, cell, str(exc))
                found.append(at(expected, col.name, got))
                if str(exc) == "blank":
                    blanks.setdefault(col.name, []).append(found[-1])
                continue
            late = col.outside(rec[col.name], q) if q is not None else None
            if late:
                ok = False
                found.append(at(late, col.name, f"{rec[col.name]:%Y-%m}" if col.kind == "month" else str(rec[col.name])))
        if ok and schema.key:
            k = tuple(rec[c] for c in schema.key)
            if k in seen:
                found.append(at(f"one row per {', '.join(schema.key)} (this repeats row {seen[k]})",
                                schema.key[0] if len(schema.key) == 1 else None, ", ".join(str(v) for v in k)))
                ok = False
            else:
                seen[k] = rownum
        if ok:
            for check in schema.row_checks:
                msg = check(rec)
                if msg:
                    column, text = msg if isinstance(msg, tuple) else (None, msg)
                    found.append(at(text, column))
                    ok = False
        (parsed if ok else rejected).append(rec)
    for name, left in blanks.items():
        if len(left) == len(data) > 1:  # blank on every row: one message, not one a row
            drop = {id(p) for p in left}
            found = [p for p in found if id(p) not in drop]
            found.append(Problem(file=shown, sheet=sheet_name, row=left[0].row, column=name, got="",
                                 expected=f"{name} filled in: it is blank on every row (rows {left[0].row}-"
                                          f"{left[-1].row}); is this the unfilled template?"))
    df = _finish(found, problems, schema, parsed, path)
    df.attrs["rejected"] = tuple(rejected)
    return df


def _parse_once(col: Column, cell: Any, seen: dict[tuple[type, Any], tuple[bool, Any]]) -> Any:
    """``col.parse(cell)``, from ``seen`` when the same cell value was parsed before (the
    same value, or the same ValueError message)."""
    try:
        key = (type(cell), cell)
        ok, value = seen[key]
    except TypeError:  # an unhashable cell: parsed every time
        return col.parse(cell)
    except KeyError:
        try:
            value = col.parse(cell)
        except ValueError as exc:
            seen[key] = (False, str(exc))
            raise
        seen[key] = (True, value)
        return value
    if not ok:
        raise ValueError(value)
    return value


def bounded(problems: list[Problem], limit: int = MAX_PROBLEMS) -> list[Problem]:
    """The first ``limit`` problems (errors first), then one line counting the rest."""
    ordered = sorted(problems, key=lambda p: p.severity != "error")
    if len(ordered) <= limit:
        return ordered
    rest = ordered[limit:]
    errors = sum(p.severity == "error" for p in rest)
    return [*ordered[:limit], Problem(
        file=rest[0].file, severity="error" if errors else "warning",
        expected=f"at most {limit} problems shown per file: {len(rest):,} more not shown ({errors:,} errors, "
                 f"{len(rest) - errors:,} warnings); fix these first (often one cause) and validate again")]


def _finish(found: list[Problem], sink: list[Problem] | None, schema: Schema,
            rows: Sequence[dict[str, Any]], path: Path | None = None) -> pd.DataFrame:
    if sink is not None:
        sink.extend(found)
    elif any(p.severity == "error" for p in found):
        raise DataError(bounded(found))
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
