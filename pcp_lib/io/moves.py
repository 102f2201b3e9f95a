"""Implausible moves since last quarter: what is a keying error until someone confirms it.

A percentage that halves or doubles in a quarter (0.0722 typed in a percent-formatted cell
reads 7.22% against last quarter's 72.2%), or any other figure that changes tenfold (a figure
in thousands, a digit too many), is refused by validation unless ``confirmations.csv`` in the
quarter folder confirms it (:mod:`pcp_lib.io.confirmations`). The rule is here, once: the
Plan metric values (``subjects.dashboard.register``) and the monthly returns
(:func:`implausible_counts`) both use it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import Problem, rel
from pcp_lib.io.confirmations import CONFIRMATIONS_FILE, confirmation_for, load_confirmations
from pcp_lib.io.datastore import quarter_dirs, return_file
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.io.schema import read_table
from pcp_lib.methods.periods import Quarter

__all__ = ["IMPLAUSIBLE_FACTOR", "IMPLAUSIBLE_PERCENT_FACTOR", "MIN_COUNT_MOVE", "confirm_hint", "confirmed_moves",
           "implausible_counts", "implausible_move"]

IMPLAUSIBLE_PERCENT_FACTOR = Decimal(2)
IMPLAUSIBLE_FACTOR = Decimal(10)
#: A monthly count must also move by at least this many to be implausible: small counts (one
#: naloxone kit, then twelve) can move tenfold for real.
MIN_COUNT_MOVE = 100


def implausible_move(unit: str, before: Decimal, after: Decimal) -> str | None:
    """How a value moved implausibly from last quarter's, in words ("fell by more than half",
    "rose more than tenfold"), or None when the move is plausible or cannot be judged (from
    zero). ``unit`` "percent" halves or doubles; anything else changes tenfold."""
    if before <= 0 or after < 0:
        return None
    if unit == "percent":
        if after * IMPLAUSIBLE_PERCENT_FACTOR < before:
            return "fell by more than half"
        if after > before * IMPLAUSIBLE_PERCENT_FACTOR:
            return "more than doubled"
        return None
    if after * IMPLAUSIBLE_FACTOR < before:
        return "fell more than tenfold"
    if after > before * IMPLAUSIBLE_FACTOR:
        return "rose more than tenfold"
    return None


def confirmed_moves(spec: ReturnSpec, quarter: Quarter | str, data_dir: str | Path | None = None) -> list[str]:
    """A sentence for each count of ``spec``'s return for ``quarter`` that moved implausibly
    and was confirmed, for the top of the page that shows it (a confirmation of a value the
    return does not hold is not shown: it confirmed nothing)."""
    q = Quarter.parse(quarter)
    folder = quarter_dirs(data_dir).get(q)
    path = return_file(folder, spec.name) if folder is not None else None
    if path is None:
        return []
    df = read_table(path, spec.schema, problems=[], quarter=q)
    return [f"{spec.title}, row {p.row}, {p.column} {p.got}: expected {p.expected}."
            for p in implausible_counts(df, path, spec, q) if p.severity == "warning"]


def confirm_hint(folder: Path, ret: str, item: str, value: object) -> str:
    """What to write to confirm a figure: the file and the line."""
    return (f"if it is right, confirm it in {rel(folder / CONFIRMATIONS_FILE)} (return,item,value,confirmed_by,"
            f"reason: {ret},{item},{value},<who>,<why>)")


def implausible_counts(df: pd.DataFrame, path: Path, spec: ReturnSpec, quarter: Quarter,
                       sheet: str | None = None) -> list[Problem]:
    """A monthly return's counts against last quarter's: each month's count of each column
    (for each value of the other key columns, e.g. each channel) that changed tenfold from
    last quarter's monthly average, by at least ``MIN_COUNT_MOVE``, is an error unless
    confirmed (item "<key> <column> <month>", e.g. "999 offered 2026-01"), then a warning."""
    col = spec.period_column
    if col is None or spec.schema.column(col).kind != "month" or df.empty:
        return []
    prev_folder = Path(path).resolve().parent.parent / quarter.previous().slug
    prev_file = return_file(prev_folder, spec.name) if prev_folder.is_dir() else None
    if prev_file is None:
        return []
    prev = read_table(prev_file, spec.schema, problems=[])
    if prev.empty:
        return []
    keys = [k for k in spec.schema.key if k != col]
    counts = [c.name for c in spec.schema.columns if c.kind == "int"]
    folder = Path(path).resolve().parent
    confirmations = load_confirmations(folder, [])
    out: list[Problem] = []
    for rec in df.to_dict("records"):
        same = prev
        for k in keys:
            same = same[same[k].astype(str) == str(rec[k])]
        for c in counts:
            was = pd.to_numeric(same[c], errors="coerce").dropna()
            now = rec[c]
            if was.empty or now is None or pd.isna(now):
                continue
            mean = Decimal(str(float(was.mean())))
            how = implausible_move("count", mean, Decimal(int(now)))
            if how is None or abs(Decimal(int(now)) - mean) < MIN_COUNT_MOVE:
                continue
            item = " ".join([*(str(rec[k]) for k in keys), c, f"{rec[col]:%Y-%m}"])
            said = f"about {float(mean):,.0f} a month in {quarter.previous().label}: it {how}"
            ok = confirmation_for(confirmations, spec.name, item, now)
            if ok is not None:
                out.append(Problem(file=rel(path), sheet=sheet, row=int(rec["_row"]), column=c, got=str(now),
                                   severity="warning", expected=f"{said}, {ok.sentence()} ({CONFIRMATIONS_FILE})"))
            else:
                out.append(Problem(file=rel(path), sheet=sheet, row=int(rec["_row"]), column=c, got=str(now),
                                   expected=f"{said}, which is implausible (a digit too many?); "
                                            + confirm_hint(folder, spec.name, item, now)))
    return out
