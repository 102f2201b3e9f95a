"""The returns' Excel templates as the tool writes them, and a filled one left where the run
never looks.

``pcp new-quarter`` writes a blank template of every return into the quarter's
``templates/``; the analyst fills it and saves it in the quarter folder under the return's name.
A template filled in and left in ``templates/`` is never read by ``pcp run``: its figures would
go unseen. :func:`filled_templates` finds it by comparing each workbook's data sheet with the
blank the tool writes (:func:`blank_rows`: the rows a blank template holds already). A
template still byte for byte as ``pcp new-quarter`` wrote it (its SHA-256 kept beside it by
:func:`record_blank`) is blank without being opened: reading a sheet of 500 formatted rows
takes openpyxl about 0.1 s, six times in every ``pcp validate`` of a quarter.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.core.fingerprint import sha256
from pcp_lib.io.datastore import return_file
from pcp_lib.io.excel import open_workbook
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects.registry import all_returns

__all__ = ["BLANKS_FILE", "blank_rows", "filled_templates", "record_blank"]

#: In a quarter's ``templates/``: the SHA-256 of each template as the tool wrote it.
BLANKS_FILE = ".blank-templates.json"


def blank_rows(name: str, q: Quarter, data: Path) -> pd.DataFrame | None:
    """The rows a blank template of return ``name`` holds on its data sheet already, as its
    subject declares them (``ReturnSpec.prefill``; None for a blank sheet)."""
    spec = all_returns().get(name)
    return spec.prefill(q, data) if spec is not None and spec.prefill is not None else None


def _recorded(tdir: Path) -> dict[str, str]:
    """The templates' recorded hashes; none when the file is missing or unreadable (each
    template is then opened and compared, as before there was a record)."""
    try:
        found = json.loads((tdir / BLANKS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def record_blank(path: Path) -> None:
    """Record a template the tool has just written, blank, in its folder's :data:`BLANKS_FILE`."""
    recorded = _recorded(path.parent)
    recorded[path.name] = sha256(path)
    (path.parent / BLANKS_FILE).write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _cell(v: object) -> object:
    """A cell's value compared as a person sees it: blank is None, 12.0 is 12."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v.strip() if isinstance(v, str) else v


def _filled_cells(path: Path, spec: ReturnSpec, q: Quarter, data: Path) -> int | None:
    """How many cells of a template's data sheet (below the header) hold a value that the blank
    template the tool writes does not hold there: 0 for a blank template, None when the
    workbook cannot be read (its own validation says why)."""
    schema = spec.schema
    try:
        wb = open_workbook(path, read_only=True, data_only=True)  # imports openpyxl only when called
    except DataError:  # a damaged workbook, as validating it says (any other error is a bug: raised)
        return None
    try:
        if schema.sheet not in wb.sheetnames:
            return None
        rows = list(wb[schema.sheet].iter_rows(min_row=2, values_only=True))
    finally:
        wb.close()
    prefill = blank_rows(spec.name, q, data)
    blank: dict[tuple[int, int], object] = {}
    if prefill is not None:
        for r, rec in enumerate(prefill[schema.column_names].to_dict("records")):
            for c, col in enumerate(schema.column_names):
                blank[(r, c)] = _cell(rec[col])
    return sum(1 for r, row in enumerate(rows) for c, v in enumerate(row)
               if _cell(v) is not None and _cell(v) != blank.get((r, c)))


def filled_templates(folder: Path, returns: Mapping[str, ReturnSpec], data_dir: str | Path | None = None
                     ) -> list[Problem]:
    """Workbooks in a quarter folder's ``templates/`` that have been filled in, compared with the
    blank template the tool writes. The run never reads ``templates/``: a filled template whose
    return is missing from the quarter folder is an error (its figures would go unseen); one
    whose return is there too is a warning (two versions of one return)."""
    tdir = folder / "templates"
    out: list[Problem] = []
    try:
        q = Quarter.parse(folder.name)
    except ValueError:
        return out
    if not tdir.is_dir():
        return out
    data = folder.resolve().parents[1]
    if data_dir is not None:
        data = Path(data_dir)
    if not (data / "reference").is_dir():
        return out
    recorded = _recorded(tdir)
    for path in sorted(tdir.iterdir()):
        if not path.is_file() or path.stem not in returns or path.suffix.lower() not in (".xlsx", ".xlsm"):
            continue
        if recorded.get(path.name) == sha256(path):  # as the tool wrote it: blank
            continue
        filled = _filled_cells(path, returns[path.stem], q, data)
        if not filled:
            continue
        sent = return_file(folder, path.stem)
        if sent is None:
            out.append(Problem(file=rel(path), got=f"{filled} filled cell(s) on sheet {returns[path.stem].schema.sheet!r}",
                               expected=(f"a blank template: pcp run never reads templates/, so {path.stem} is missing "
                                         f"for {q.label}; save this workbook as {rel(folder / (path.stem + '.xlsx'))}")))
        else:
            out.append(Problem(file=rel(path), severity="warning",
                               got=f"{filled} filled cell(s) on sheet {returns[path.stem].schema.sheet!r}",
                               expected=(f"a blank template: pcp run reads {rel(sent)}, not this file; if this one "
                                         "holds the figures to publish, save it over that file")))
    return out
