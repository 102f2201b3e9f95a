"""The quarterly returns: what each is, its schema, and the checks beyond its schema.

Every return is one file in the quarter's folder, named for its schema
(``data/quarters/2025-26-Q4/contact_monthly.xlsx``). The subjects declare their returns
(:func:`pcp_lib.subjects.registry.all_returns`), beside the loaders that read them;
``pcp template``, ``pcp validate``, ``pcp new-quarter`` and ``pcp list`` work from that
one list.

Validation is the gate: ``pcp run`` refuses to start on anything ``validate_paths`` calls an
error, with the same messages, so a refusal never touches the previous pack. Each file's
report is bounded (``schema.MAX_PROBLEMS`` plus a count of the rest); a row refused by its
schema is not checked again by the cross-checks; a file that cannot be read is one message.
"""

from __future__ import annotations

import difflib
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import Problem, rel
from pcp_lib.io.completeness import quarter_gaps
from pcp_lib.io.confirmations import CONFIRMATIONS_FILE
from pcp_lib.io.datastore import RETURN_SUFFIXES, folder_problems, return_file
from pcp_lib.io.moves import implausible_counts
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.io.schema import bounded, read_table
from pcp_lib.io.stale import stale_copy
from pcp_lib.methods.periods import Quarter
from pcp_lib.returns.templates import filled_templates
from pcp_lib.subjects.registry import all_returns

__all__ = ["all_returns", "check_period", "folder_checks", "folder_gaps", "quarter_of_path", "spec_for",
           "stray_files", "validate_file", "validate_paths"]


def spec_for(path: Path) -> ReturnSpec | None:
    return all_returns().get(Path(path).stem)


def quarter_of_path(path: Path) -> Quarter | None:
    """The quarter a file belongs to, from its folder name (``.../2025-26-Q4/x.csv``)."""
    try:
        return Quarter.parse(Path(path).resolve().parent.name)
    except ValueError:
        return None


def _as_date(v: object) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, pd.Timestamp):
        return v.date()
    return None


def check_period(df: pd.DataFrame, path: Path, spec: ReturnSpec, quarter: Quarter, sheet: str | None
                 ) -> list[Problem]:
    """Every dated row must fall within the quarter the file is for (for returns whose schema
    does not check it already: a column with a ``period`` rule is checked as it is read)."""
    out: list[Problem] = []
    if not spec.period_column or spec.period_column not in df.columns:
        return out
    if spec.schema.column(spec.period_column).period is not None:
        return out
    for rec in df.to_dict("records"):
        d = _as_date(rec[spec.period_column])
        if d is not None and not quarter.contains(d):
            out.append(Problem(file=rel(path), sheet=sheet, row=int(rec["_row"]), column=spec.period_column,
                               expected=f"a date in {quarter.label} ({quarter.start:%d/%m/%Y} to "
                                        f"{quarter.end:%d/%m/%Y})", got=str(d)))
    return out


def validate_file(path: str | Path, quarter: Quarter | None = None, data_dir: str | Path | None = None
                  ) -> list[Problem]:
    """Every problem in one return file (schema, period, cross-checks), at most
    ``schema.MAX_PROBLEMS`` of them plus a count of the rest."""
    p = Path(path)
    spec = spec_for(p)
    if spec is None:
        return [Problem(file=rel(p), expected="a return named one of "
                        + ", ".join(f"{n}.csv/.xlsx" for n in all_returns()), got=p.name)]
    q = quarter or quarter_of_path(p)
    problems: list[Problem] = []
    df = read_table(p, spec.schema, problems=problems, quarter=q)
    if df.empty:
        return bounded(problems)  # nothing read: cross-checks would only repeat what is said
    sheet = next((pr.sheet for pr in problems if pr.sheet), None) or (
        spec.schema.sheet if p.suffix.lower() in (".xlsx", ".xlsm") else None)
    if q is not None:
        problems += check_period(df, p, spec, q, sheet)
        if spec.stale_check:  # off where the return's own cross-check refuses last quarter's values, stricter
            problems += stale_copy(df, p, spec, q)
        problems += implausible_counts(df, p, spec, q, sheet)  # a monthly return's counts against last quarter's
    if spec.cross_check is not None:
        fn = spec.cross_check
        data = Path(data_dir) if data_dir else (p.resolve().parents[2] if q is not None else None)
        if data is not None and not (data / "reference").is_dir():
            data = None
        extra = fn(df, p, q, data)
        for pr in extra:
            if pr.sheet is None and pr.row is not None:
                pr.sheet = sheet
        problems += extra
    return bounded(problems)


def stray_files(folder: Path) -> list[Problem]:
    """Files in a quarter folder that the run would not read as the return they look like:
    two files for one return (the run reads the CSV), a misnamed copy, an old .xls."""
    names = list(all_returns())
    out: list[Problem] = []
    for name in names:
        both = sorted((f for f in folder.iterdir() if f.is_file() and f.stem == name
                       and f.suffix.lower() in RETURN_SUFFIXES), key=lambda f: f != return_file(folder, name))
        if len(both) > 1:
            out.append(Problem(file=rel(both[-1]), expected=(
                f"one file per return: {both[0].name} is the one read, so this one would be ignored; delete "
                "the file that is not this quarter's return"), got=" and ".join(b.name for b in both)))
    for f in sorted(folder.iterdir()):
        if not f.is_file() or f.stem in names or f.name.endswith(".source.txt") or f.name.startswith("."):
            continue
        if f.name == CONFIRMATIONS_FILE:  # not a return: read by the cross-checks (io.confirmations)
            continue
        if f.suffix.lower() not in (*RETURN_SUFFIXES, ".xls", ".xlsm"):
            continue
        close = difflib.get_close_matches(f.stem.lower().replace(" ", "_"), names, n=1, cutoff=0.6)
        if f.suffix.lower() == ".xls" and f.stem in names:
            out.append(Problem(file=rel(f), expected="an Excel Workbook (.xlsx): an old .xls file is not read; "
                               "open it in Excel and save it as .xlsx", got=f.name))
        elif close:
            out.append(Problem(file=rel(f), severity="warning", got=f.name, expected=(
                f"a return named {close[0]}.csv or {close[0]}.xlsx: this file is not read; rename it if it is "
                "the return")))
    return out


def folder_checks(paths: list[str | Path], data_dir: str | Path | None = None) -> list[Problem]:
    """What is wrong with the folders the ``paths`` lie in, beyond any one file: a folder under
    ``quarters/`` not named as a quarter (``datastore.folder_problems``: every such folder of
    the data, once), a filled workbook left in a quarter's ``templates/``, a return validated in
    ``templates/`` (the run never reads it)."""
    out: list[Problem] = []
    roots: list[Path] = []
    for raw in paths:
        p = Path(raw).resolve()
        folder = p if p.is_dir() else p.parent
        root = next((a for a in (folder, *folder.parents[:2]) if a.name == "quarters"), None)
        if root is not None and root not in roots:
            roots.append(root)
            out += folder_problems(root)
        if p.is_dir() and folder.parent.name == "quarters":
            out += filled_templates(Path(raw), all_returns(), data_dir)
        elif p.is_file() and folder.name == "templates" and p.stem in all_returns():
            q = quarter_of_path(folder)
            out.append(Problem(file=rel(p), severity="warning", got=f"a file in {rel(folder)}", expected=(
                f"the return saved in its quarter's folder: pcp run never reads templates/; save it as "
                f"{rel(folder.parent / (p.stem + '.xlsx'))}" + (f" for {q.label}" if q else ""))))
    return out


def folder_gaps(folder: Path, quarter: Quarter | None = None) -> list[Problem]:
    """What a quarter folder lacks (``io.completeness``): a return it should have, a month of
    a monthly return, an as-at date within the quarter; nothing for a folder that is not a
    quarter folder of a data folder (``<data>/quarters/<slug>``)."""
    q = quarter or quarter_of_path(folder / "x")
    data = Path(folder).resolve().parent.parent
    if q is None or Path(folder).resolve().parent.name != "quarters" or not (data / "reference").is_dir():
        return []
    return quarter_gaps(list(all_returns().values()), q, data)


def validate_paths(paths: list[str | Path], quarter: Quarter | None = None,
                   data_dir: str | Path | None = None, gaps: bool = True) -> list[Problem]:
    """Validate files and folders (a folder: every return file in it and, with ``gaps``,
    what the quarter lacks: :func:`folder_gaps`). Writes nothing."""

    problems: list[Problem] = folder_checks(paths, data_dir)
    returns = all_returns()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(f for f in p.iterdir() if f.suffix.lower() in RETURN_SUFFIXES and f.stem in returns)
            problems += stray_files(p)
            if not files:
                problems.append(Problem(file=rel(p), expected="return files (" + ", ".join(returns) + ")",
                                        got="none", severity="warning"))
            for f in files:
                problems += validate_file(f, quarter, data_dir)
            problems += folder_gaps(p, quarter) if gaps else []
        elif not p.exists():
            problems.append(Problem(file=rel(p), expected="an existing file or folder", got="no such file"))
        else:
            problems += validate_file(p, quarter, data_dir)
    return problems
