"""Funnel and before/after arithmetic for the custody-to-treatment pathway.

Why a module of its own: the published DToA table mixes counts, a rate and a duration in
one "Change" column, and printed the rate's change as "-23%" when it is -23 percentage
points. Each kind of measure has exactly one right way to express change, so the rule
lives here once and every table, chart and sentence uses it. All arithmetic is Decimal so
a published figure is reproduced exactly, with rounding (half up, as people round) only
when a label is made.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from pcp_lib.core.errors import DataError, Problem

#: The kinds of measure and the unit their change is expressed in.
CHANGE_UNITS = {"count": "%", "percent": "pp", "days": "days"}
HUNDRED = Decimal(100)


def as_decimal(value: object) -> Decimal:
    """A count or average as Decimal (floats through their shortest repr, so 7.6 stays 7.6)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError(f"{value!r} is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    """Round the way published tables do (0.5 goes up), not banker's rounding."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def pct(part: Decimal, whole: Decimal) -> Decimal | None:
    """part as a percentage of whole; None when whole is zero (undefined, not 0%)."""
    return None if whole == 0 else part / whole * HUNDRED


def funnel(stages: Mapping[str, object], *, source: str = "funnel") -> pd.DataFrame:
    """One row per stage of an ordered pathway: how many reach it and how many are lost.

    ``stages`` maps stage name -> count (in pathway order). Columns: ``step``, ``stage``,
    ``count``, ``conversion_from_previous_pct`` (share of the previous stage that reaches
    this one), ``dropoff_from_previous`` (people lost since the previous stage),
    ``dropoff_from_previous_pct`` and ``conversion_from_top_pct``. Percentages are Decimal
    numbers of percent, unrounded; the first stage has no "previous" values.

    A later stage larger than an earlier one, or a negative count, is impossible in a
    funnel and raises ``DataError`` naming the stage.
    """
    if not stages:
        raise DataError(Problem(file=source, expected="at least one stage", got="none"))
    problems: list[Problem] = []
    names = list(stages)
    counts = [as_decimal(stages[n]) for n in names]
    for name, c in zip(names, counts, strict=True):
        if c < 0:
            problems.append(Problem(file=source, column=name, expected="a count of at least 0", got=str(c)))
    for i in range(1, len(counts)):
        if counts[i] > counts[i - 1]:
            problems.append(Problem(
                file=source, column=names[i],
                expected=f"at most {counts[i - 1]} (the '{names[i - 1]}' count): a later stage of the "
                         "pathway cannot be larger than an earlier one", got=str(counts[i])))
    if problems:
        raise DataError(problems)
    top = counts[0]
    rows = []
    for i, (name, c) in enumerate(zip(names, counts, strict=True)):
        prev = counts[i - 1] if i else None
        rows.append({
            "step": i + 1,
            "stage": name,
            "count": c,
            "conversion_from_previous_pct": pct(c, prev) if prev is not None else None,
            "dropoff_from_previous": prev - c if prev is not None else None,
            "dropoff_from_previous_pct": (HUNDRED - pct(c, prev)) if prev not in (None, 0) else None,
            "conversion_from_top_pct": pct(c, top),
        })
    df = pd.DataFrame(rows)
    df["step"] = df["step"].astype("int64")
    df["stage"] = df["stage"].astype("string")
    return df


def largest_dropoff(table: pd.DataFrame, by: str = "dropoff_from_previous_pct") -> pd.Series | None:
    """The step of a ``funnel`` table that loses the most people (by share, or by number
    with ``by="dropoff_from_previous"``); None for a one-stage funnel."""
    steps = table.iloc[1:]
    steps = steps[steps[by].notna()]
    if steps.empty:
        return None
    best = max(range(len(steps)), key=lambda i: (steps[by].iloc[i], -i))
    return steps.iloc[best]


def change(before: object, after: object, unit: str) -> Decimal | None:
    """The change from before to after in the unit right for the measure: relative %
    for counts, percentage points for percentages, days for durations (unrounded)."""
    if unit not in CHANGE_UNITS:
        raise ValueError(f"unit must be one of {', '.join(CHANGE_UNITS)}; got {unit!r}")
    b, a = as_decimal(before), as_decimal(after)
    if unit == "count":
        return None if b == 0 else (a - b) / b * HUNDRED
    return a - b


def change_label(value: Decimal | None, unit: str, places: int = 0) -> str:
    """"-14%", "-23pp", "+2 days": the change with its unit, so % and pp are never confused."""
    if value is None:
        return "n/a (from zero)"
    r = round_half_up(value, places)
    sign = "+" if r > 0 else ("-" if r < 0 else "±")
    mag = abs(r)
    if unit == "count":
        return f"{sign}{mag}%"
    if unit == "percent":
        return f"{sign}{mag}pp"
    if unit == "days":
        return f"{sign}{mag} day{'' if mag == 1 else 's'}"
    raise ValueError(unit)


def compare_periods(before: Mapping[str, object], after: Mapping[str, object],
                    units: Mapping[str, str], places: int = 0) -> pd.DataFrame:
    """Per measure, the change between two periods, each labelled with its unit.

    ``units`` maps measure -> "count" | "percent" | "days"; the measures compared are those
    in ``units`` (in its order), and each must be in ``before`` and ``after``. Columns:
    ``measure``, ``unit``, ``before``, ``after``, ``change`` (unrounded Decimal),
    ``change_unit`` ("%", "pp" or "days") and ``change_label`` (rounded to ``places``).
    """
    missing = [m for m in units if m not in before or m not in after]
    if missing:
        raise DataError([Problem(file="compare_periods", column=m, expected="a value in both periods",
                                 got="missing") for m in missing])
    rows = []
    for m, unit in units.items():
        ch = change(before[m], after[m], unit)
        rows.append({"measure": m, "unit": unit, "before": as_decimal(before[m]),
                     "after": as_decimal(after[m]), "change": ch, "change_unit": CHANGE_UNITS[unit],
                     "change_label": change_label(ch, unit, places)})
    df = pd.DataFrame(rows)
    for c in ("measure", "unit", "change_unit", "change_label"):
        df[c] = df[c].astype("string")
    return df


def normalise_label(text: str) -> str:
    """Published change text without spaces ("+ 2 days" -> "+2days") for comparison."""
    return "".join(str(text).split()).lower()
