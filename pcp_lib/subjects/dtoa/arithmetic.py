"""Funnel and before/after arithmetic for the custody-to-treatment pathway.

Why a module of its own: the published DToA table mixes counts, a rate and a duration in
one "Change" column, and printed the rate's change as "-23%" when it is -23 percentage
points. Each kind of measure has exactly one right way to express change (the rule and
its rounding live in ``pcp_lib.methods.units``); this module applies it to the pathway.
Arithmetic is done in Decimal, so a published figure is reproduced exactly; the frames
returned hold float64 columns an analyst can sort, describe and plot, and the change
label (the exact decision compared with the published text) is made from the Decimals.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pandas as pd

from pcp_lib.core.errors import DataError, Problem
from pcp_lib.methods.units import HUNDRED, as_decimal, fmt_change, pct_change, percent_of, pp_change

__all__ = ["CHANGE_UNITS", "STEP_KINDS", "as_float", "change", "compare_periods", "funnel", "largest_dropoff",
           "normalise_label"]

#: The kinds of measure and the unit their change is expressed in.
CHANGE_UNITS = {"count": "%", "percent": "pp", "days": "days"}
#: What the people not carried forward to a stage are: "screen" (not eligible for it, e.g. a
#: negative test: not a drop-out), "mixed" (not eligible, or eligible and did not go on: the
#: counts cannot separate them) or "progression" (eligible and did not go on: a drop-out).
STEP_KINDS = ("screen", "mixed", "progression")


def as_float(x: Decimal | None) -> float:
    """An exact result as a float for an analysis frame (None, i.e. undefined, as NaN)."""
    return float("nan") if x is None else float(x)


def funnel(stages: Mapping[str, object], *, source: str = "funnel",
           kinds: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per stage of an ordered pathway: how many reach it and how many are lost.

    ``stages`` maps stage name -> count (in pathway order). Columns: ``step``, ``stage``,
    ``count``, ``conversion_from_previous_pct`` (share of the previous stage that reaches
    this one), ``dropoff_from_previous`` (people not carried forward from the previous
    stage), ``dropoff_from_previous_pct``, ``conversion_from_top_pct``, ``step_kind`` (what
    those not carried forward are, ``STEP_KINDS``, from ``kinds`` by stage name; a stage not
    named is "progression"), ``not_eligible`` and ``did_not_go_on`` (the people not carried
    forward split by kind: both NaN for a "mixed" step, which the counts cannot split). Numbers
    are float64, computed exactly and unrounded; percentages are numbers of percent; the first
    stage has no "previous" values (NaN), nor has any share of a zero stage.

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
    kinds = kinds or {}
    unknown = sorted({k for k in kinds.values() if k not in STEP_KINDS})
    if unknown:
        raise ValueError(f"step kinds must be {', '.join(STEP_KINDS)}; got {', '.join(unknown)}")
    top = counts[0]
    rows = []
    for i, (name, c) in enumerate(zip(names, counts, strict=True)):
        prev = counts[i - 1] if i else None
        carried = percent_of(c, prev) if prev is not None else None
        kind = kinds.get(name, "progression")
        lost = as_float(prev - c if prev is not None else None)
        rows.append({
            "step": i + 1,
            "stage": name,
            "count": float(c),
            "conversion_from_previous_pct": as_float(carried),
            "dropoff_from_previous": as_float(prev - c if prev is not None else None),
            "dropoff_from_previous_pct": as_float(HUNDRED - carried if carried is not None else None),
            "conversion_from_top_pct": as_float(percent_of(c, top)),
            "step_kind": kind if i else pd.NA,
            "not_eligible": lost if kind == "screen" else (float("nan") if kind == "mixed" or not i else 0.0),
            "did_not_go_on": lost if kind == "progression" else (float("nan") if kind == "mixed" or not i else 0.0),
        })
    df = pd.DataFrame(rows)
    df["step_kind"] = df["step_kind"].astype("string")
    df["step"] = df["step"].astype("int64")
    df["stage"] = df["stage"].astype("string")
    return df


def largest_dropoff(table: pd.DataFrame, by: str = "dropoff_from_previous_pct") -> pd.Series | None:
    """The step of a ``funnel`` table where most eligible people do not go on (by share, or
    by number with ``by="dropoff_from_previous"``), among its "progression" steps only: people
    not eligible for a stage (a screen, or a step mixing the two) are not drop-outs. The
    earlier step on a tie; None for a one-stage funnel (or one where no share is defined)."""
    steps = table.iloc[1:]
    if "step_kind" in steps.columns:
        steps = steps[steps["step_kind"] == "progression"]
    steps = steps[steps[by].notna()]
    if steps.empty:
        return None
    best = max(range(len(steps)), key=lambda i: (steps[by].iloc[i], -i))
    return steps.iloc[best]


def change(before: object, after: object, unit: str) -> Decimal | None:
    """The change from before to after in the unit right for the measure, unrounded:
    percent change for counts (None from zero), percentage points for percentages, days
    for durations."""
    if unit not in CHANGE_UNITS:
        raise ValueError(f"unit must be one of {', '.join(CHANGE_UNITS)}; got {unit!r}")
    return pct_change(before, after) if unit == "count" else pp_change(before, after)


def compare_periods(before: Mapping[str, object], after: Mapping[str, object],
                    units: Mapping[str, str], places: int = 0) -> pd.DataFrame:
    """Per measure, the change between two periods, each labelled with its unit.

    ``units`` maps measure -> "count" | "percent" | "days"; the measures compared are those
    in ``units`` (in its order), and each must be in ``before`` and ``after``. Columns:
    ``measure``, ``unit``, ``before``, ``after``, ``change`` (unrounded, float64; NaN from
    zero), ``change_unit`` ("%", "pp" or "days") and ``change_label`` (made exactly from
    the Decimal values by ``units.fmt_change``, rounded half up to ``places``).
    """
    bad = [u for u in units.values() if u not in CHANGE_UNITS]
    if bad:
        raise ValueError(f"unit must be one of {', '.join(CHANGE_UNITS)}; got {bad[0]!r}")
    missing = [m for m in units if m not in before or m not in after]
    if missing:
        raise DataError([Problem(file="compare_periods", column=m, expected="a value in both periods",
                                 got="missing") for m in missing])
    rows = []
    for m, unit in units.items():
        b, a = as_decimal(before[m]), as_decimal(after[m])
        rows.append({"measure": m, "unit": unit, "before": float(b), "after": float(a),
                     "change": as_float(change(b, a, unit)), "change_unit": CHANGE_UNITS[unit],
                     "change_label": fmt_change(b, a, unit, places)})
    df = pd.DataFrame(rows, columns=["measure", "unit", "before", "after", "change", "change_unit", "change_label"])
    for c in ("measure", "unit", "change_unit", "change_label"):
        df[c] = df[c].astype("string")
    for c in ("before", "after", "change"):
        df[c] = df[c].astype("float64")
    return df


def normalise_label(text: str) -> str:
    """Published change text without spaces ("+ 2 days" -> "+2days") for comparison."""
    return "".join(str(text).split()).lower()
