"""Reading numbers the way published papers write them, exactly.

Published tables say "65.9%", "11,545", "£1,234.56", "Nil", "Y" or leave a cell blank.
We keep every figure as ``Decimal`` built from its published digits, so that a boundary
such as "exactly 2 percentage points" is decided exactly and money is right to the penny.
Blank means *missing*, never zero; "Nil" (used in finance tables) means zero.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

MISSING_TOKENS = {"", "-", "–", "n/a", "na", "nan", "none", "null"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def is_missing(value: Any) -> bool:
    """True for None, NaN, pandas NA and blank or placeholder strings."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, str) and value.strip().lower() in MISSING_TOKENS:
        return True
    return False


def to_decimal(value: Any, *, allow_percent: bool = True, allow_money: bool = False,
               allow_nil: bool = False) -> Decimal | None:
    """Parse a published number to ``Decimal``; ``None`` when missing.

    Accepts ints, Decimals, floats (via their shortest repr, so 7.6 stays 7.6), and strings
    with thousands separators ("11,545"), a trailing "%" ("65.9%" -> 65.9), a leading "£"
    when ``allow_money``, and "Nil" (-> 0) when ``allow_nil``. Raises ``ValueError`` with
    the offending text for anything else (e.g. "12,3a%").
    """
    if is_missing(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if allow_nil and text.lower() == "nil":
        return Decimal("0.00")
    if allow_percent and text.endswith("%"):
        text = text[:-1]
    if allow_money:
        neg = text.startswith("-")
        body = text[1:] if neg else text
        if body.startswith("£"):
            text = ("-" if neg else "") + body[1:]
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise ValueError(f"{value!r} is not a number")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
        raise ValueError(f"{value!r} is not a number") from exc


def to_yes_no(value: Any) -> bool | None:
    """"Y"/"Yes"/True -> True, "N"/"No"/False -> False, blank -> None."""
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"y", "yes", "true", "1"}:
        return True
    if text in {"n", "no", "false", "0"}:
        return False
    raise ValueError(f"{value!r} is not Y or N")


def money(value: Any) -> Decimal | None:
    """Parse "£1,234.56", "1234.56" or "Nil" to pence-exact ``Decimal`` (two places)."""
    d = to_decimal(value, allow_percent=False, allow_money=True, allow_nil=True)
    if d is None:
        return None
    if d != d.quantize(Decimal("0.01")):
        raise ValueError(f"{value!r} has fractions of a penny")
    return d.quantize(Decimal("0.01"))


def format_money(d: Decimal | None, *, nil: bool = False) -> str:
    """£271,818.47; zero as "Nil" when ``nil`` (as the published tables do)."""
    if d is None:
        return ""
    if nil and d == 0:
        return "Nil"
    sign = "-" if d < 0 else ""
    return f"{sign}£{abs(d):,.2f}"
