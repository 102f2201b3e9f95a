"""Setting up a new quarter: templates for every return, a checklist, and completeness.

``pcp new-quarter "2025-26 Q4"`` creates ``data/quarters/2025-26-Q4/`` with a ``templates/``
folder (one Excel workbook per return, last quarter's figures alongside) and ``CHECKLIST.md``
saying what is still missing; run again, it creates only what is missing and names what it
kept (``force`` replaces). Filled templates are saved in the quarter folder under their
return's name; ``pcp validate`` checks them (and points out a filled workbook left in
``templates/``, which the run never reads) and ``pcp run`` renders the pack.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.datastore import quarter_dirs, resolve_data_dir, return_file
from pcp_lib.io.schema import read_table
from pcp_lib.io.workbook import build_template
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.returns import all_returns
from pcp_lib.subjects.dashboard.register import load_register

__all__ = ["NewQuarter", "completeness", "filled_templates", "new_quarter", "write_template"]


def _last_quarter_rows(name: str, q: Quarter, data_dir: Path) -> pd.DataFrame | None:
    folder = quarter_dirs(data_dir).get(q.previous())
    path = return_file(folder, name) if folder else None
    if path is None:
        return None
    df = read_table(path, all_returns()[name].schema, problems=[])
    return df if len(df) else None


def _prefill(name: str, q: Quarter, data: Path) -> pd.DataFrame | None:
    """The rows a blank template of return ``name`` holds on its data sheet already: for
    ``metric_values``, every serial of the register with its baseline and latest period."""
    if name != "metric_values":
        return None
    reg = load_register(data_dir=data)
    return pd.DataFrame(
        [{"serial": s, "period": p, "value_kind": k, "value": None, "published_direction": None,
          "source": ""} for s in reg["serial"] for k, p in (("baseline", "2024/25"), ("latest", q.label))])


def write_template(name: str, quarter: Quarter | str, out: str | Path | None = None,
                   data_dir: str | Path | None = None) -> Path:
    """Write the Excel template for return ``name`` and quarter; return its path."""
    returns = all_returns()
    if name not in returns:
        raise DataError(Problem(file=None, expected="a return named one of " + ", ".join(returns), got=name))
    q = Quarter.parse(quarter)
    data = resolve_data_dir(data_dir)
    spec = returns[name]
    last = _last_quarter_rows(name, q, data)
    path = Path(out) if out else Path(f"{name}-{q.slug}.xlsx")
    notes = [f"Quarter: {q.label} ({q.month_names}). Provided by: {spec.provider}."]
    if last is not None:
        notes.append(f"The sheet 'last quarter' shows {q.previous().label}'s figures for reference.")
    return build_template(spec.schema, path, title=f"{spec.title}: {q.label}", last_quarter=last,
                          prefill=_prefill(name, q, data), notes=notes)


def _cell(v: object) -> object:
    """A cell's value compared as a person sees it: blank is None, 12.0 is 12."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v.strip() if isinstance(v, str) else v


def _filled_cells(path: Path, name: str, q: Quarter, data: Path) -> int | None:
    """How many cells of a template's data sheet (below the header) hold a value that the blank
    template the tool writes does not hold there: 0 for a blank template, None when the
    workbook cannot be read (its own validation says why)."""
    from openpyxl import load_workbook  # here: only a quarter with templates/ needs it

    schema = all_returns()[name].schema
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - not a workbook openpyxl can open: validating it says so
        return None
    try:
        if schema.sheet not in wb.sheetnames:
            return None
        rows = list(wb[schema.sheet].iter_rows(min_row=2, values_only=True))
    finally:
        wb.close()
    prefill = _prefill(name, q, data)
    blank: dict[tuple[int, int], object] = {}
    if prefill is not None:
        for r, rec in enumerate(prefill[schema.column_names].to_dict("records")):
            for c, col in enumerate(schema.column_names):
                blank[(r, c)] = _cell(rec[col])
    return sum(1 for r, row in enumerate(rows) for c, v in enumerate(row)
               if _cell(v) is not None and _cell(v) != blank.get((r, c)))


def filled_templates(folder: Path, data_dir: str | Path | None = None) -> list[Problem]:
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
    returns = all_returns()
    for path in sorted(tdir.iterdir()):
        if not path.is_file() or path.stem not in returns or path.suffix.lower() not in (".xlsx", ".xlsm"):
            continue
        filled = _filled_cells(path, path.stem, q, data)
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


def completeness(data_dir: str | Path | None = None) -> dict[Quarter, dict[str, bool]]:
    """For each quarter folder, which required returns are present."""
    out = {}
    for q, folder in quarter_dirs(data_dir).items():
        out[q] = {name: return_file(folder, name, spec.suffixes) is not None
                  for name, spec in all_returns().items() if spec.required}
    return out


@dataclass(frozen=True)
class NewQuarter:
    """What ``new_quarter`` did: the folder, the required returns still missing, and the files
    (templates, checklist) it created, kept as they were, or replaced (``force``)."""

    folder: Path
    missing: list[str]
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Any]:
        """Unpacks as ``folder, missing`` (what ``new_quarter`` returned before it said more)."""
        return iter((self.folder, self.missing))


def new_quarter(quarter: Quarter | str, data_dir: str | Path | None = None, *, force: bool = False) -> NewQuarter:
    """Create what is missing of the quarter's folder: its templates and its checklist.

    Never overwrites: a template or checklist already there (perhaps filled in, or ticked) is
    kept and named, unless ``force``, which replaces them. Returns in the quarter folder are
    never touched."""
    q = Quarter.parse(quarter)
    data = resolve_data_dir(data_dir)
    folder = data / "quarters" / q.slug
    (folder / "templates").mkdir(parents=True, exist_ok=True)
    returns = all_returns()
    created: list[str] = []
    kept: list[str] = []
    replaced: list[str] = []

    def _note(path: Path) -> bool:
        """Whether to write ``path``, noting which list it goes in."""
        shown = path.relative_to(folder).as_posix()
        if not path.exists():
            created.append(shown)
            return True
        (replaced if force else kept).append(shown)
        return force

    for name in returns:
        target = folder / "templates" / f"{name}.xlsx"
        if _note(target):
            write_template(name, q, out=target, data_dir=data)
    missing = [n for n, spec in returns.items() if spec.required and return_file(folder, n) is None]
    checklist = folder / "CHECKLIST.md"
    if _note(checklist):
        lines = [f"# Data checklist: {q.label} ({q.month_names})", "",
                 "Fill in each template in `templates/`, save it in this folder as `<return>.xlsx` (or `.csv`), "
                 "then run `pcp validate` on this folder and `pcp run --quarter \"" + q.label + "\"`.", ""]
        for name, spec in returns.items():
            mark = "x" if return_file(folder, name) is not None else " "
            lines.append(f"- [{mark}] `{name}`: {spec.title} (from {spec.provider})")
        checklist.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return NewQuarter(folder=folder, missing=missing, created=created, kept=kept, replaced=replaced)
