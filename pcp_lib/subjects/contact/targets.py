"""Judging a rate against its target: exactly, and said with a symbol and a word.

The targets themselves are reference data (``pcp_lib.reference.contact_targets``); here is
only the decision. A rate is compared as an exact ``Decimal`` with the target, so a rate of
exactly 90.0% meets "at least 90%" and one of exactly 10.0% does not meet "under 10%".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

__all__ = ["MET", "NOT_MET", "NO_DATA", "meets", "status", "target_lookup", "target_text"]

MET, NOT_MET, NO_DATA = "✔ Met", "✖ Not met", "– No data"

Target = dict[str, Any]


def target_lookup(targets: pd.DataFrame | None) -> dict[tuple[str, str], Target]:
    """The targets by (channel, measure)."""
    if targets is None:
        return {}
    return {(str(r["channel"]), str(r["measure"])): r for r in targets.to_dict("records")}


def target_text(t: Target) -> str:
    """"at least 90% (national)" / "under 10% (local)"."""
    sign = "at least" if t["direction"] == "at_least" else "under"
    return f"{sign} {t['target_pct']}% ({t['scope']})"


def meets(value: Decimal, t: Target) -> bool:
    """Whether a rate (per cent, exact) meets the target."""
    target = Decimal(t["target_pct"])
    return value >= target if t["direction"] == "at_least" else value < target


def status(value: Decimal | None, t: Target) -> str:
    """"✔ Met" / "✖ Not met" (a symbol and a word, never colour alone); "– No data"."""
    if value is None:
        return NO_DATA
    return MET if meets(value, t) else NOT_MET
