"""The quarterly returns: what each is, its schema, and the checks beyond its schema.

Every return is one file in the quarter's folder, named for its schema
(``data/quarters/2025-26-Q4/contact_monthly.xlsx``). This registry is what ``pcp template``,
``pcp validate``, ``pcp new-quarter`` and ``pcp list`` work from; the schema objects
themselves live beside their loaders, so there is one source of truth.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import Problem, rel
from pcp_lib.io.datastore import RETURN_SUFFIXES
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.io.schema import read_table
from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects import contact, csp, dashboard, dtoa

# Every return, declared by its subject beside the loader that reads it.
RETURNS: dict[str, ReturnSpec] = {
    r.name: r for r in (*dashboard.RETURNS, *contact.RETURNS, *dtoa.RETURNS, *csp.RETURNS)
}


def all_returns() -> dict[str, ReturnSpec]:
    """Every quarterly return, by name."""
    return RETURNS


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
    """Every dated row must fall within the quarter the file is for."""
    out = []
    if not spec.period_column or spec.period_column not in df.columns:
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
    """Every problem in one return file: schema, period and cross-checks."""
    p = Path(path)
    spec = spec_for(p)
    if spec is None:
        return [Problem(file=rel(p), expected="a return named one of "
                        + ", ".join(f"{n}.csv/.xlsx" for n in all_returns()), got=p.name)]
    q = quarter or quarter_of_path(p)
    problems: list[Problem] = []
    df = read_table(p, spec.schema, problems=problems)
    if any(pr.severity == "error" and pr.row is None for pr in problems):
        return problems  # the file or its header is unusable: row checks would only add noise
    sheet = spec.schema.sheet if p.suffix.lower() == ".xlsx" else None
    if q is not None:
        problems += check_period(df, p, spec, q, sheet)
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
    return problems


def validate_paths(paths: list[str | Path], quarter: Quarter | None = None,
                   data_dir: str | Path | None = None) -> list[Problem]:
    """Validate files and folders (a folder: every return file in it). Writes nothing."""

    problems: list[Problem] = []
    returns = all_returns()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(f for f in p.iterdir() if f.suffix in RETURN_SUFFIXES and f.stem in returns)
            if not files:
                problems.append(Problem(file=rel(p), expected="return files (" + ", ".join(returns) + ")",
                                        got="none", severity="warning"))
            for f in files:
                problems += validate_file(f, quarter, data_dir)
        elif not p.exists():
            problems.append(Problem(file=rel(p), expected="an existing file or folder", got="no such file"))
        else:
            problems += validate_file(p, quarter, data_dir)
    return problems
