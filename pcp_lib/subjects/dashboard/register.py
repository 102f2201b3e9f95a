"""The metric register (what each Plan metric is) and the quarterly metric values.

Register: ``data/reference/metrics.csv``, one row per headline metric of Appendix 1 of the
Plan Delivery Update, keyed by its published serial number. Values: the return
``metric_values`` in each quarter folder, a tidy long table (serial, period, value_kind
baseline/latest, value as published, published direction arrow, source document). Values
are kept exactly as published strings in the file and parsed to ``Decimal`` on use; a blank
stays missing, never zero. Both loaders return tables carrying their provenance.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.datastore import quarter_dirs, reference_path, resolve_data_dir, return_file
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.parsing import is_missing, to_decimal, to_yes_no
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.rag import TARGETS, UNITS
from pcp_lib.methods.units import fmt_percent, pct_change

__all__ = ["ARROWS", "LEVELS", "METRIC_VALUES", "METRIC_VALUES_RETURN", "PLAUSIBLE_MOVE", "REGISTER",
           "VALUE_KINDS", "check_metric_values", "load_register", "load_values", "value_problems"]

LEVELS = ("Headline", "Sub")
ARROWS = ("↑", "↓", "↔")


def _tolerance_ok(row: dict) -> tuple[str, str] | None:
    tol = row.get("tolerance")
    if tol is not None and tol < 0:
        return ("tolerance", "a tolerance of zero or more (pp for percent metrics, % otherwise)")
    return None


REGISTER = Schema(
    name="metrics",
    title="metric register",
    columns=(
        Column("serial", "int", "Published serial number in Appendix 1", min_value=1),
        Column("strategy", "text", "Delivery strategy"),
        Column("metric", "text", "Metric name as published"),
        Column("level", "choice", "Headline or sub metric", choices=LEVELS),
        Column("target", "choice", "Target/expectation as published", choices=tuple(TARGETS)),
        Column("unit", "choice", "Unit kind", choices=UNITS),
        Column("source", "text", "Who provides the figure (Force, OPCC, CSEW, NHS ...)"),
        Column("restricted", "bool", "Y: not for public papers"),
        Column("tolerance", "decimal", "Per-metric agreed range (pp for percent, % otherwise); blank: default",
               required=False),
        Column("notes", "text", "Notes", required=False),
    ),
    key=("serial",),
    row_checks=(_tolerance_ok,),
    description="One row per Plan metric, by its published serial number.",
)


def load_register(path: str | Path | None = None, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The validated metric register, one row per serial (in serial order)."""
    p = Path(path) if path else reference_path("metrics.csv", data_dir)
    df = read_table(p, REGISTER)
    return df.sort_values("serial").reset_index(drop=True)  # attrs (provenance) travel with the sort


VALUE_KINDS = ("baseline", "latest")

METRIC_VALUES = Schema(
    name="metric_values",
    title="Plan metric values",
    columns=(
        Column("serial", "int", "Metric serial number (see the register)", min_value=1),
        Column("period", "text", 'The period the figure covers ("2024/25", "Q3 2025/26")'),
        Column("value_kind", "choice", "baseline or latest", choices=VALUE_KINDS),
        Column("value", "text", 'The figure as published ("65.9%", "11,545", "Y"); blank if none',
               required=False),
        Column("published_direction", "choice", "Direction arrow as published (latest rows)",
               choices=ARROWS, required=False),
        Column("source", "text", "Document and table the figure comes from"),
    ),
    key=("serial", "value_kind"),
    description="One row per metric per value kind for the quarter.",
)


def load_values(quarter: Quarter | str, data_dir: str | Path | None = None,
                register: pd.DataFrame | None = None) -> pd.DataFrame:
    """The quarter's metric values, validated against the register (read here when not given).

    Every value must parse for its metric's unit (a percentage, a number or Y/N); a serial
    not in the register is an error naming the row. No file for the quarter is an error too:
    a caller that can do without (the dashboard page) asks ``latest_with`` first.
    """
    q = Quarter.parse(quarter)
    folder = quarter_dirs(data_dir).get(q)
    path = return_file(folder, "metric_values") if folder else None
    if path is None:
        root = resolve_data_dir(data_dir)
        raise DataError(Problem(file=rel(root / "quarters" / q.slug / "metric_values.csv"),
                                expected=f"the Plan metric values for {q.label}", got="no such file"))
    df = read_table(path, METRIC_VALUES)
    reg = register if register is not None else load_register(data_dir=data_dir)
    problems = value_problems(df, reg, path)
    if problems:
        raise DataError(problems)
    return df


def value_problems(values: pd.DataFrame, register: pd.DataFrame, path: str | Path) -> list[Problem]:
    """Rows whose serial is not in the register, or whose value does not parse for the
    metric's unit (a number, a percentage, or Y/N)."""
    units = dict(zip(register["serial"], register["unit"], strict=True))
    problems: list[Problem] = []
    for rec in values.to_dict("records"):
        serial, row = rec["serial"], int(rec["_row"])
        if serial not in units:
            problems.append(Problem(file=rel(path), row=row, column="serial",
                                    expected="a serial number in the metric register", got=str(serial)))
            continue
        raw = rec["value"]
        if is_missing(raw):
            continue
        try:
            if units[serial] == "yes_no":
                to_yes_no(raw)
            else:
                to_decimal(raw)
        except ValueError:
            unit = units[serial]
            problems.append(Problem(file=rel(path), row=row, column="value",
                                    expected="Y or N" if unit == "yes_no" else
                                    f"a number for a {unit} metric (e.g. '65.9%', '11,545', '0.38')",
                                    got=str(raw)))
    return problems


PLAUSIBLE_MOVE = Decimal(50)  # per cent: a bigger move since last quarter is worth a second look


def check_metric_values(df: pd.DataFrame, path: Path, quarter: Quarter | None, data_dir: Path | None
                        ) -> list[Problem]:
    """Serials must be in the register; a latest value that moved more than 50% since last
    quarter's latest is a warning (worth checking, not necessarily wrong)."""
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
            change = pct_change(to_decimal(before.get(rec["serial"])), to_decimal(rec["value"]))
        except ValueError:
            continue
        if change is not None and abs(change) > PLAUSIBLE_MOVE:
            problems.append(Problem(file=rel(path), row=int(rec["_row"]), column="value", severity="warning",
                                    expected=f"a value near last quarter's {before[rec['serial']]} "
                                             f"(it moved {fmt_percent(abs(change), 0)}; check it)",
                                    got=str(rec["value"])))
    return problems


METRIC_VALUES_RETURN = ReturnSpec("metric_values", "Plan metric values", METRIC_VALUES,
                                  "Force and OPCC (collated by the OPCC performance team)",
                                  cross_check=check_metric_values)
