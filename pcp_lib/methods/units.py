"""Units and rounding: the one home for how a number becomes a figure a person reads.

Published tables round half up (0.5 goes up), not to even, so every figure is rounded
here with ``round_half_up`` on a ``Decimal``. A change is either a *percent change*
(relative: "+36%") or a *percentage-point change* (the difference of two percentages:
"-3.6pp"); the two never share a formatter, so they cannot be confused.

One rule for missing values: a figure that is not there reads ``"n/a"``; a percent change
from zero (undefined, not infinite) reads ``"n/a (from zero)"``. A zero change has no sign
("0%", "0.0pp"); any other change always carries one.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

__all__ = [
    "FROM_ZERO",
    "HUNDRED",
    "MISSING",
    "PENNY",
    "as_decimal",
    "fmt_change",
    "fmt_count",
    "fmt_count_change",
    "fmt_days_change",
    "fmt_money",
    "fmt_number",
    "fmt_pct_change",
    "fmt_percent",
    "fmt_pp",
    "is_missing",
    "pct_change",
    "percent_of",
    "pp_change",
    "round_half_up",
    "to_pence",
]

MISSING = "n/a"
FROM_ZERO = "n/a (from zero)"
HUNDRED = Decimal(100)
PENNY = Decimal("0.01")


def is_missing(x: Any) -> bool:
    """None, pandas' NA / NaT, or a float NaN: a value that is not there."""
    if x is None:
        return True
    if isinstance(x, float):
        return math.isnan(x)
    if isinstance(x, Decimal):
        return x.is_nan()
    if isinstance(x, str | bytes):
        return False
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):  # an array-like is not one missing value
        return False


def as_decimal(value: Any) -> Decimal:
    """A number as ``Decimal``; a float through its shortest repr, so 7.6 stays 7.6."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError(f"{value!r} is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(float(value)))
    if hasattr(value, "item"):  # numpy scalar
        return as_decimal(value.item())
    return Decimal(str(value))


def round_half_up(value: Any, places: int = 0) -> Decimal:
    """Round the way published tables do (0.5 goes up), not banker's rounding."""
    return as_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def to_pence(value: Any) -> Decimal:
    """Money rounded half up to the penny."""
    return as_decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


# ---- arithmetic of changes -----------------------------------------------------------------

def percent_of(part: Any, whole: Any) -> Decimal | None:
    """``part`` as a percentage of ``whole``; None when ``whole`` is zero (undefined, not 0%)."""
    if is_missing(part) or is_missing(whole):
        return None
    w = as_decimal(whole)
    return None if w == 0 else as_decimal(part) / w * HUNDRED


def pct_change(before: Any, after: Any) -> Decimal | None:
    """Percent (relative) change from ``before`` to ``after``; None from zero or when missing."""
    if is_missing(before) or is_missing(after):
        return None
    b = as_decimal(before)
    return None if b == 0 else (as_decimal(after) - b) / b * HUNDRED


def pp_change(before: Any, after: Any) -> Decimal | None:
    """Percentage-point change between two percentages; None when either is missing."""
    if is_missing(before) or is_missing(after):
        return None
    return as_decimal(after) - as_decimal(before)


# ---- formatting ----------------------------------------------------------------------------

def _signed(r: Decimal, text: str) -> str:
    return f"+{text}" if r > 0 else text  # a negative number carries its own "-"; zero none


def fmt_number(x: Any, places: int = 0) -> str:
    """1,234.5 (thousands separated, rounded half up)."""
    if is_missing(x):
        return MISSING
    return f"{round_half_up(x, places):,.{places}f}"


def fmt_count(n: Any) -> str:
    """12,345."""
    return fmt_number(n, 0)


def fmt_count_change(n: Any) -> str:
    """+1,234 / -56 / 0: a change in a count, with its sign."""
    if is_missing(n):
        return MISSING
    r = round_half_up(n, 0)
    return _signed(r, f"{r:,.0f}")


def fmt_percent(x: Any, places: int = 1) -> str:
    """65.9%: a share or rate in percent."""
    if is_missing(x):
        return MISSING
    return f"{round_half_up(x, places):,.{places}f}%"


def fmt_pct_change(x: Any, places: int = 0, *, from_zero: bool = False) -> str:
    """+36%: a percent (relative) change. Missing reads "n/a"; ``from_zero`` says why."""
    if is_missing(x):
        return FROM_ZERO if from_zero else MISSING
    r = round_half_up(x, places)
    return _signed(r, f"{abs(r) if r == 0 else r:,.{places}f}%")


def fmt_pp(x: Any, places: int = 1) -> str:
    """-3.6pp: a change in percentage points."""
    if is_missing(x):
        return MISSING
    r = round_half_up(x, places)
    return _signed(r, f"{abs(r) if r == 0 else r:,.{places}f}pp")


def fmt_days_change(x: Any, places: int = 0) -> str:
    """+2 days / -1 day."""
    if is_missing(x):
        return MISSING
    r = round_half_up(x, places)
    word = "day" if abs(r) == 1 else "days"
    return _signed(r, f"{abs(r) if r == 0 else r:,.{places}f} {word}")


def fmt_change(before: Any, after: Any, unit: str, places: int | None = None) -> str:
    """The change from ``before`` to ``after`` in the unit that suits the measure:
    percentage points for a ``percent`` measure, days for ``days``, percent change for
    anything else (a count, money, a rate per 1,000). From zero reads "n/a (from zero)"."""
    if unit == "percent":
        return fmt_pp(pp_change(before, after), 1 if places is None else places)
    if unit == "days":
        return fmt_days_change(pp_change(before, after), 0 if places is None else places)
    change = pct_change(before, after)
    from_zero = change is None and not is_missing(before) and not is_missing(after)
    return fmt_pct_change(change, 0 if places is None else places, from_zero=from_zero)


def fmt_money(d: Any, *, nil: bool = False, missing: str = MISSING) -> str:
    """£271,818.47; zero as "Nil" when ``nil`` (as the published tables print it)."""
    if is_missing(d):
        return missing
    v = as_decimal(d)
    if nil and v == 0:
        return "Nil"
    sign = "-" if v < 0 else ""
    return f"{sign}£{abs(to_pence(v)):,.2f}"
