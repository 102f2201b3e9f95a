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
from pcp_lib.io.confirmations import CONFIRMATIONS_FILE, confirmation_for, load_confirmations
from pcp_lib.io.datastore import quarter_dirs, reference_path, resolve_data_dir, return_file
from pcp_lib.io.moves import confirm_hint, implausible_move
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.parsing import is_missing, is_placeholder, to_decimal, to_yes_no
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.rag import TARGETS, UNITS
from pcp_lib.methods.units import fmt_percent, pct_change

__all__ = ["ARROWS", "KINDS", "LEVELS", "METRIC_VALUES", "METRIC_VALUES_RETURN", "PLAUSIBLE_MOVE", "REGISTER",
           "VALUE_KINDS", "COMMENTARY_COLUMNS", "blank_metric_values", "check_metric_values", "gone_missing", "load_register", "load_values",
           "previous_latest", "value_problems"]

LEVELS = ("Headline", "Sub")
ARROWS = ("↑", "↓", "↔")
#: what a metric is, statistically (``kind`` in the register): it decides which test, if any, applies
KINDS: dict[str, str] = {
    "count": "a count of events over an exposure (offences, casualties, referrals in a period)",
    "rate": "a rate built from such counts (offences per 1,000 residents)",
    "proportion": "a proportion with its sample size (a survey percentage, outcomes of offences)",
    "quantity": "a quantity or stock (officers, hours, buildings, money, an average)",
    "yes_no": "yes or no (done or not done)",
}
#: the units each kind can be published in
_KIND_UNITS = {"count": ("count", "value"), "rate": ("rate_per_1000",), "proportion": ("percent",),
               "quantity": ("count", "value", "percent"), "yes_no": ("yes_no",)}


def _tolerance_ok(row: dict) -> tuple[str, str] | None:
    tol = row.get("tolerance")
    if tol is not None and tol < 0:
        return ("tolerance", "a tolerance of zero or more (pp for percent metrics, % otherwise)")
    return None


def _kind_ok(row: dict) -> tuple[str, str] | None:
    kind, unit = row.get("kind"), row.get("unit")
    if kind in _KIND_UNITS and unit in UNITS and unit not in _KIND_UNITS[kind]:
        return ("kind", f"a kind that fits the unit {unit!r} (a {kind} is published as "
                        f"{' or '.join(_KIND_UNITS[kind])})")
    if kind == "quantity" and is_missing(row.get("quantity_of")):
        return ("quantity_of", "what the quantity is, for the sentence that says why it is not tested "
                               "(e.g. 'a number of officers')")
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
        Column("kind", "choice", "What the metric is, statistically: " + "; ".join(f"{k}: {v}" for k, v in KINDS.items()),
               choices=tuple(KINDS)),
        Column("quantity_of", "text", "For a quantity: what it is ('a number of officers'); blank otherwise",
               required=False),
    ),
    key=("serial",),
    row_checks=(_tolerance_ok, _kind_ok),
    description="One row per Plan metric, by its published serial number.",
)


def load_register(path: str | Path | None = None, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The validated metric register, one row per serial (in serial order)."""
    p = Path(path) if path else reference_path("metrics.csv", data_dir)
    df = read_table(p, REGISTER)
    return df.sort_values("serial").reset_index(drop=True)  # attrs (provenance) travel with the sort


VALUE_KINDS = ("baseline", "latest")
#: the optional columns that say what is being done about a metric (the Panel asked for the
#: outcomes of the delivery meetings and the next steps: 004_2d2b44c158357b88.txt point i)
COMMENTARY_COLUMNS = ("commentary", "owner", "next_step")
#: the longest commentary, owner or next step a cell may hold (a paragraph, not a report)
COMMENTARY_MAX = 1000


def _commentary_ok(row: dict) -> tuple[str, str] | None:
    """Commentary, owner and next step belong to the quarter's figure (a latest row), are a
    paragraph at most, and a next step or owner comes with commentary saying why."""
    for name in COMMENTARY_COLUMNS:
        text = row.get(name)
        if is_missing(text):
            continue
        if row.get("value_kind") != "latest":
            return (name, f"{name} on the latest row of serial {row.get('serial')}, not on its baseline row "
                          "(commentary is about this quarter's figure)")
        if len(str(text)) > COMMENTARY_MAX:
            return (name, f"at most {COMMENTARY_MAX:,} characters of {name} (this cell has {len(str(text)):,}): "
                          "a paragraph, with any longer report named instead")
    if is_missing(row.get("commentary")) and any(not is_missing(row.get(n)) for n in ("owner", "next_step")):
        return ("commentary", f"commentary for serial {row.get('serial')}: an owner or next step is given "
                              "without the commentary that says why")
    return None

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
        *(Column(name, "text", what, required=False, absent_ok=True) for name, what in (
            ("commentary", "What the delivery meeting said about the metric (latest rows; blank if none)"),
            ("owner", "Who owns the next step (a role, latest rows; blank if none)"),
            ("next_step", "The next step agreed (latest rows; blank if none)"))),
    ),
    key=("serial", "value_kind"),
    row_checks=(_commentary_ok,),
    description="One row per metric per value kind for the quarter.",
    max_rows=200,
    size="a baseline and a latest row per metric of the register",
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


def previous_latest(quarter: Quarter | str, data_dir: str | Path | None = None) -> dict[int, str]:
    """The latest values by serial in the metric values of the quarter before ``quarter``
    (empty when it has none): what a page compares this quarter's with."""
    q = Quarter.parse(quarter)
    folder = quarter_dirs(data_dir).get(q.previous())
    path = return_file(folder, "metric_values") if folder else None
    if path is None:
        return {}
    prev = read_table(path, METRIC_VALUES, problems=[])
    return {int(r["serial"]): r["value"] for r in prev.to_dict("records") if r["value_kind"] == "latest"}


def _value_problem(raw: object, unit: str, reference: tuple[str, str] | None) -> tuple[str, str] | None:
    """(expected, got) when a value cannot be what its metric's unit says, else None.

    Counts are whole and not negative; percentages lie in 0-100 on the percent scale; rates
    and values are not negative. A percent metric's bare fraction (0.659) is ambiguous when
    the reference value (``(label, value)``: last quarter's, or this file's baseline) is on
    the percent scale: it is refused with that value beside it, not guessed.
    """
    text = str(raw).strip()
    if is_placeholder(text):
        return "a figure, or a blank if there is none: not a placeholder left from the template", text
    if unit == "yes_no":
        try:
            to_yes_no(raw)
        except ValueError:
            return "Y or N", text
        return None
    try:
        v = to_decimal(raw)
    except ValueError:
        return f"a number for a {unit} metric (e.g. '65.9%', '11,545', '0.38')", text
    if v is None:
        return None
    has_sign = text.endswith("%")
    if unit == "percent":
        if not Decimal(0) <= v <= Decimal(100):
            return "a percentage between 0 and 100 (e.g. '65.9%')", text
        if not has_sign and Decimal(0) < v <= Decimal(1) and reference is not None:
            label, ref = reference
            try:
                ref_v = to_decimal(ref)
            except ValueError:
                ref_v = None
            if ref_v is not None and ref_v > 1:
                return (f"a percentage on the percent scale: {text} could mean {text}% or "
                        f"{_plain(v * 100)}% ({label} was {ref}); write '{_plain(v * 100)}%' or '{text}%'", text)
        return None
    if has_sign:
        return f"a number for a {unit} metric, not a percentage", text
    if v < 0:
        return f"a number of zero or more for a {unit} metric", text
    if unit == "count" and v != v.to_integral_value():
        return "a whole number for a count metric", text
    return None


def _plain(d: Decimal) -> str:
    return format(d.normalize(), "f")


def value_problems(values: pd.DataFrame, register: pd.DataFrame, path: str | Path,
                   previous: dict[int, str] | None = None, previous_label: str = "last quarter") -> list[Problem]:
    """Rows whose serial is not in the register, or whose value cannot be right for the
    metric's unit (see ``_value_problem``). ``previous``: last quarter's latest value by
    serial, shown beside an ambiguous percentage."""
    units = dict(zip(register["serial"], register["unit"], strict=True))
    baselines = {r["serial"]: r["value"] for r in values.to_dict("records")
                 if r["value_kind"] == "baseline" and not is_missing(r["value"])}
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
        ref = None
        if previous and not is_missing(previous.get(serial)):
            ref = (f"{previous_label}'s value", str(previous[serial]))
        elif rec["value_kind"] == "latest" and serial in baselines:
            ref = ("the baseline", str(baselines[serial]))
        found = _value_problem(raw, units[serial], ref)
        if found:
            problems.append(Problem(file=rel(path), row=row, column="value", expected=found[0], got=found[1]))
    return problems


PLAUSIBLE_MOVE = Decimal(50)  # per cent: a bigger move since last quarter is worth a second look
STALE_AT_LEAST = 5  # latest values all equal to last quarter's, this many or more: last quarter's file


def period_problems(values: pd.DataFrame, path: str | Path, quarter: Quarter) -> list[Problem]:
    """The latest figures must be for the file's quarter, and the file must hold some."""
    problems: list[Problem] = []
    latest = [r for r in values.to_dict("records") if r["value_kind"] == "latest"]
    for rec in latest:
        try:
            said = Quarter.parse(str(rec["period"]))
        except ValueError:
            continue  # an annual period ("2025/26") is a figure's own period, not a quarter
        if said != quarter:
            problems.append(Problem(file=rel(path), row=int(rec["_row"]), column="period", got=str(rec["period"]),
                                    expected=f"{quarter.label}, the quarter of this folder (latest figures are "
                                             "this quarter's)"))
    if latest and all(is_missing(r["value"]) for r in latest):
        problems.append(Problem(file=rel(path), row=int(latest[0]["_row"]), column="value", got="blank",
                                expected=f"this quarter's figures: every latest value is blank ({len(latest)} "
                                         "rows); is this the unfilled template?"))
    return problems


def check_metric_values(df: pd.DataFrame, path: Path, quarter: Quarter | None, data_dir: Path | None
                        ) -> list[Problem]:
    """Serials in the register; values right for their unit; latest figures for the file's
    quarter. Against last quarter's file: an ambiguous percentage is refused with last
    quarter's value beside it; a file whose latest values all equal last quarter's is
    refused (last quarter's file sent again); a latest value that moved implausibly
    (``io.moves.implausible_move``) is refused unless ``confirmations.csv`` in the folder confirms
    it (then a warning naming who and why); one that moved more than 50% is a warning (worth
    checking, not necessarily wrong); a metric that had a value last quarter and has none now
    (blank, "n/a", "-" or no row) is a warning naming both quarters."""
    register = load_register(data_dir=data_dir)
    units = dict(zip(register["serial"], register["unit"], strict=True))
    problems = period_problems(df, path, quarter) if quarter is not None else []
    prev_file = None
    if quarter is not None:
        prev_folder = Path(path).resolve().parent.parent / quarter.previous().slug
        prev_file = return_file(prev_folder, "metric_values") if prev_folder.is_dir() else None
    if prev_file is None:
        return problems + value_problems(df, register, path)
    prev = read_table(prev_file, METRIC_VALUES, problems=[])
    before = {r["serial"]: r["value"] for r in prev.to_dict("records") if r["value_kind"] == "latest"}
    problems += value_problems(df, register, path, before, quarter.previous().label if quarter else "last quarter")
    latest = [r for r in df.to_dict("records") if r["value_kind"] == "latest" and not is_missing(r["value"])]
    same = [r for r in latest if r["serial"] in before and str(before[r["serial"]]).strip() == str(r["value"]).strip()]
    if len(latest) >= STALE_AT_LEAST and len(same) == len(latest):
        problems.append(Problem(file=rel(path), row=int(latest[0]["_row"]), column="value", got="the same figures",
                                expected=f"this quarter's figures: all {len(latest)} latest values equal "
                                         f"{quarter.previous().label if quarter else 'last quarter'}'s in "
                                         f"{rel(prev_file)}; is this last quarter's file?"))
        return problems
    refused = {p.row for p in problems if p.severity == "error"}
    folder = Path(path).resolve().parent
    confirmations = load_confirmations(folder, problems)
    prev_label = quarter.previous().label if quarter else "last quarter"
    for rec in df.to_dict("records"):
        if rec["value_kind"] != "latest" or units.get(rec["serial"]) in (None, "yes_no") or rec["_row"] in refused:
            continue
        try:
            was, now = to_decimal(before.get(rec["serial"])), to_decimal(rec["value"])
        except ValueError:
            continue
        change = pct_change(was, now)
        how = implausible_move(units[rec["serial"]], was, now) if was is not None and now is not None else None
        row, got = int(rec["_row"]), str(rec["value"])
        if how is not None:
            ok = confirmation_for(confirmations, "metric_values", rec["serial"], rec["value"])
            if ok is not None:
                problems.append(Problem(file=rel(path), row=row, column="value", got=got, severity="warning",
                                        expected=f"a value near {prev_label}'s {before[rec['serial']]}: it {how}, "
                                                 f"{ok.sentence()} ({CONFIRMATIONS_FILE})"))
            else:
                problems.append(Problem(file=rel(path), row=row, column="value", got=got, expected=(
                    f"a value near {prev_label}'s {before[rec['serial']]}: it {how}, which is implausible (a "
                    "fraction typed for a percentage? a figure in thousands?); "
                    + confirm_hint(folder, "metric_values", str(rec["serial"]), rec["value"]))))
        elif change is not None and abs(change) > PLAUSIBLE_MOVE:
            problems.append(Problem(file=rel(path), row=row, column="value", got=got, severity="warning",
                                    expected=f"a value near last quarter's {before[rec['serial']]} "
                                             f"(it moved {fmt_percent(abs(change), 0)}; check it)"))
    return problems + gone_missing(df, path, before, quarter, register)


def gone_missing(df: pd.DataFrame, path: str | Path, before: dict[int, str], quarter: Quarter | None,
                 register: pd.DataFrame) -> list[Problem]:
    """A warning for each metric that had a latest value last quarter (``before``) and has
    none now: a blank or placeholder value ("n/a", "-"), or no latest row at all."""
    names = dict(zip(register["serial"], register["metric"], strict=True))
    now = {r["serial"]: r for r in df.to_dict("records") if r["value_kind"] == "latest"}
    this, prev = (quarter.label, quarter.previous().label) if quarter else ("this quarter", "last quarter")
    out = []
    for serial, was in sorted(before.items()):
        if is_missing(was) or serial not in names:
            continue
        rec = now.get(serial)
        if rec is not None and not is_missing(rec["value"]):
            continue
        got = "no latest row" if rec is None else ("no value" if rec["value"] is None else str(rec["value"]))
        out.append(Problem(file=rel(path), row=int(rec["_row"]) if rec is not None else None, column="value",
                           severity="warning", got=got, expected=(
                               f"a latest value for serial {serial} ({names[serial]}): {prev} had {was}, {this} has "
                               f"none; the page will show No data ({prev}: {was})")))
    return out


def blank_metric_values(q: Quarter, data: Path) -> pd.DataFrame:
    """The rows a blank ``metric_values`` template holds already: every serial of the register
    with its baseline and latest period, values left blank."""
    reg = load_register(data_dir=data)
    return pd.DataFrame(
        [{"serial": s, "period": p, "value_kind": k, "value": None, "published_direction": None,
          "source": "", **dict.fromkeys(COMMENTARY_COLUMNS)} for s in reg["serial"] for k, p in (("baseline", "2024/25"), ("latest", q.label))])


# Its own cross-check refuses last quarter's latest values, more strictly than io.stale would.
METRIC_VALUES_RETURN = ReturnSpec("metric_values", "Plan metric values", METRIC_VALUES,
                                  "Force and OPCC (collated by the OPCC performance team)",
                                  cross_check=check_metric_values, prefill=blank_metric_values, stale_check=False)
