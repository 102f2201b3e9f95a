"""Reading numbers the way published papers write them, exactly.

Published tables say "65.9%", "11,545", "£1,234.56", "Nil", "Y" or leave a cell blank.
We keep every figure as ``Decimal`` built from its published digits, so that a boundary
such as "exactly 2 percentage points" is decided exactly and money is right to the penny.
Blank means *missing*, never zero; "Nil" (used in finance tables) means zero.

Numbers from Excel arrive as binary floats: money typed as 12345.67 is stored as
12345.670000000002. Excel itself keeps and shows 15 significant digits, so a float is read
as the decimal Excel means (:func:`excel_decimal`), which removes that residue without
rounding anything a person typed.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

__all__ = ["EXCEL_DIGITS", "MISSING_TOKENS", "PLACEHOLDERS", "excel_decimal", "is_missing",
           "is_placeholder", "money", "percent_text", "to_decimal", "to_yes_no"]

MISSING_TOKENS = {"", "-", "–", "n/a", "na", "nan", "none", "null"}
#: What people type into a template for "not filled in yet": never a value.
PLACEHOLDERS = {"tbc", "tba", "tbd", "x", "xx", "xxx", "xxxx", "?", "??", "???", "...", "…", "todo", "to do",
                "to follow", "awaited", "pending", "enter value", "enter value here", "insert value"}
#: Significant digits Excel keeps and shows for a number.
EXCEL_DIGITS = 15
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def is_missing(value: Any) -> bool:
    """True for None, NaN, pandas NA and blank or placeholder strings."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str) and value.strip().lower() in MISSING_TOKENS:
        return True
    return False


def is_placeholder(value: Any) -> bool:
    """True for a template placeholder ("TBC", "xxx", "?", "[enter value]", "<value>")."""
    if not isinstance(value, str):
        return False
    text = value.strip().lower()
    if len(text) > 2 and text[0] + text[-1] in ("[]", "<>", "()", "{}"):
        text = text[1:-1].strip()
    return text in PLACEHOLDERS


def excel_decimal(value: float) -> Decimal:
    """The decimal an Excel number means: the float to Excel's 15 significant digits.

    12345.670000000002 (money typed in Excel) is 12345.67; 0.30000000000000004 is 0.3.
    Digits a person typed are kept: Excel cannot hold more than 15 of them anyway.
    """
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{value!r} is not a number")
    short = Decimal(repr(value))  # the shortest form that reads back as the same float
    if len(short.as_tuple().digits) <= EXCEL_DIGITS:
        return short
    return _plain(Decimal(format(value, f".{EXCEL_DIGITS}g")))


def _plain(d: Decimal) -> Decimal:
    """A decimal without trailing zeros or an exponent (1E-5 -> 0.00001, 65.900 -> 65.9)."""
    return Decimal(format(d.normalize(), "f"))


def percent_text(value: float) -> str:
    """What a percent-formatted Excel cell shows, at full precision: 0.659 -> "65.9%"."""
    return f"{_plain(excel_decimal(value) * 100)}%"


def to_decimal(value: Any, *, allow_percent: bool = True, allow_money: bool = False,
               allow_nil: bool = False) -> Decimal | None:
    """Parse a published number to ``Decimal``; ``None`` when missing.

    Accepts ints, Decimals, floats (as Excel means them: 15 significant digits, so 7.6 stays
    7.6 and 12345.670000000002 is 12345.67), and strings
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
        return excel_decimal(value)
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
