"""The quarterly returns: what each is, its schema, and the checks beyond its schema.

Every return is one file in the quarter's folder, named for its schema
(``data/quarters/2025-26-Q4/contact_monthly.xlsx``). This registry is what ``pcp template``,
``pcp validate``, ``pcp new-quarter`` and ``pcp list`` work from; the schema objects
themselves live beside their loaders, so there is one source of truth.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .errors import Problem, rel
from .periods import Quarter
from .schema import Schema

CrossCheck = Callable[[pd.DataFrame, Path, "Quarter | None", "Path | None"], list[Problem]]


@dataclass(frozen=True)
class ReturnSpec:
    """A quarterly return: where its schema lives, which column dates it, extra checks."""

    name: str
    title: str
    module: str
    schema_attr: str
    provider: str
    period_column: str | None = None  # a month/date column that must fall in the quarter
    cross_check: str | None = None  # name of a function in this module
    required: bool = True

    @property
    def schema(self) -> Schema:
        return getattr(importlib.import_module(self.module), self.schema_attr)


RETURNS: dict[str, ReturnSpec] = {
    r.name: r for r in (
        ReturnSpec("metric_values", "Plan metric values", "pcp_lib.metrics", "METRIC_VALUES",
                   "Force and OPCC (collated by the OPCC performance team)", cross_check="check_metric_values"),
        ReturnSpec("actions", "Action register", "pcp_lib.actions", "ACTIONS", "OPCC delivery board"),
    )
}


# Subject modules register their own returns (beside their loaders) when imported.
SUBJECT_MODULES = ("pcp_lib.contact", "pcp_lib.dtoa", "pcp_lib.csp")


def register_return(spec: ReturnSpec) -> None:
    """Add a return to the registry (used by subject modules)."""
    RETURNS[spec.name] = spec


def all_returns() -> dict[str, ReturnSpec]:
    """Every return, after importing the subject modules that register theirs."""
    for module in SUBJECT_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
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


PLAUSIBLE_MOVE = Decimal(50)  # per cent: a bigger move since last quarter is worth a second look


def check_metric_values(df: pd.DataFrame, path: Path, quarter: Quarter | None, data_dir: Path | None
                        ) -> list[Problem]:
    """Serials must be in the register; a latest value that moved more than 50% since last
    quarter's latest is a warning (worth checking, not necessarily wrong)."""
    from .datastore import return_file
    from .metrics import METRIC_VALUES, load_register, value_problems
    from .parsing import to_decimal
    from .schema import read_table

    register = load_register(data_dir=data_dir)
    units = dict(zip(register["serial"], register["unit"], strict=True))
    problems = value_problems(df, register, path)
    if quarter is None:
        return problems
    prev_folder = Path(path).resolve().parent.parent / quarter.previous().slug
    prev_file = return_file(prev_folder, "metric_values") if prev_folder.is_dir() else None
    if prev_file is None:
        return problems
    prev = read_table(prev_file, METRIC_VALUES, problems=[])
    before = {r["serial"]: r["value"] for r in prev.to_dict("records") if r["value_kind"] == "latest"}
    for rec in df.to_dict("records"):
        if rec["value_kind"] != "latest" or units.get(rec["serial"]) in (None, "yes_no"):
            continue
        try:
            new, old = to_decimal(rec["value"]), to_decimal(before.get(rec["serial"]))
        except ValueError:
            continue
        if new is None or old is None or old == 0:
            continue
        move = abs(new - old) / abs(old) * 100
        if move > PLAUSIBLE_MOVE:
            problems.append(Problem(file=rel(path), row=int(rec["_row"]), column="value", severity="warning",
                                    expected=f"a value near last quarter's {before[rec['serial']]} "
                                             f"(it moved {move:.0f}%; check it)", got=str(rec["value"])))
    return problems


def validate_file(path: str | Path, quarter: Quarter | None = None, data_dir: str | Path | None = None
                  ) -> list[Problem]:
    """Every problem in one return file: schema, period and cross-checks."""
    from .schema import read_table

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
    if spec.cross_check:
        fn = globals().get(spec.cross_check) or getattr(importlib.import_module(spec.module), spec.cross_check)
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
    from .datastore import RETURN_SUFFIXES

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
