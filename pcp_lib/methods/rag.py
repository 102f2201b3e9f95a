"""The agreed RAG rule for the Police and Crime Plan dashboard, in one place.

Source: Plan Delivery Update Q3 2025/26, paragraph 8 (000_5c38b58c372c3f4f.txt): the RAG
status "is based upon the performance against the target/expectation or baseline or a
statistically significant agreed range (+/- 5% or +/- 2pp)".

The rule, exactly:

1. Compare the latest figure with the 2024/25 baseline.
2. The agreed range is ±2 percentage points for ``percent`` metrics and ±5% relative change
   for every other numeric unit (``count``, ``rate_per_1000``, ``value``); a per-metric
   tolerance in the register overrides it (in pp for percent metrics, in % otherwise).
3. The boundary is *inside* the range and is decided exactly on the published digits
   (``Decimal``, no floating point): 19.0% -> 17.0% is exactly -2pp, so within; 100 -> 105
   is exactly +5%, so within.
4. Within the range: Amber, direction ↔ (for an "Increase or maintain" target: Green).
5. Outside the range: Green if it moved the way the target wants ("Increase", "Increase or
   maintain": up; "Decrease", "Reduce": down), Red if it moved against it; direction ↑ or ↓.
6. A baseline of 0: latest 0 is within the range; any other latest is outside it, in the
   direction of its sign (a relative change from zero is undefined, so ``pct_change`` is None).
7. "Completed Y/N": Y is Green, N is Red.
8. A missing baseline or latest gives "No data", with a reason saying which is missing.

Percent change (relative, "%") and percentage-point change ("pp") are different things:
``change`` is always latest - baseline in the metric's own unit (pp for percent metrics);
``pct_change`` is always the relative change in %.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pcp_lib.methods.parsing import to_decimal, to_yes_no
from pcp_lib.methods.units import round_half_up

__all__ = [
    "Assessment", "DEFAULT_RELATIVE_TOLERANCE", "DEFAULT_TOLERANCE", "DOWN", "LEVEL", "RAGS", "TARGETS",
    "UNITS", "UP", "assess", "rule_text", "tolerance_for"
]

TARGETS: dict[str, int | None] = {
    "Increase": +1,
    "Increase or maintain": +1,
    "Decrease": -1,
    "Reduce": -1,
    "Completed Y/N": None,
}
UNITS = ("percent", "rate_per_1000", "count", "value", "yes_no")
DEFAULT_TOLERANCE = {"percent": Decimal(2)}  # percentage points
DEFAULT_RELATIVE_TOLERANCE = Decimal(5)  # percent, for every other numeric unit

UP, DOWN, LEVEL = "↑", "↓", "↔"
RAGS = ("Green", "Amber", "Red", "No data")


@dataclass(frozen=True)
class Assessment:
    """The outcome of the RAG rule for one metric."""

    rag: str
    direction: str
    change: Decimal | None
    pct_change: Decimal | None
    within_tolerance: bool | None
    reason: str


def tolerance_for(unit: str, tolerance: Any = None) -> Decimal:
    """The agreed range for a unit: ±2 (pp) for percent, ±5 (%) otherwise, unless overridden."""
    if tolerance is not None and not (isinstance(tolerance, str) and not tolerance.strip()):
        tol = to_decimal(tolerance)
        if tol is not None:
            if tol < 0:
                raise ValueError(f"tolerance must not be negative, got {tolerance!r}")
            return tol
    return DEFAULT_TOLERANCE.get(unit, DEFAULT_RELATIVE_TOLERANCE)


def _show(value: Decimal, unit: str) -> str:
    """A value as published: its own digits, with % for percent metrics."""
    text = f"{value:,}" if abs(value) >= 1000 else str(value)
    return f"{text}%" if unit == "percent" else text


def _band(unit: str, tol: Decimal) -> str:
    return f"±{tol.normalize():f}pp" if unit == "percent" else f"±{tol.normalize():f}%"


def _rounded(d: Decimal, places: int = 1) -> str:
    return f"{abs(round_half_up(d, places)):,}"  # half up, as the change column beside it is rounded


def assess(target: str, baseline: Any, latest: Any, unit: str, tolerance: Any = None) -> Assessment:
    """Apply the agreed RAG rule to one metric.

    ``baseline`` and ``latest`` may be numbers or the published strings ("65.9%", "11,545",
    "Y", "" or None for missing). Raises ``ValueError`` for an unknown target or unit or a
    value that is not a number (e.g. "12,3a%").
    """
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}; expected one of {', '.join(TARGETS)}")
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")

    if target == "Completed Y/N" or unit == "yes_no":
        return _assess_yes_no(baseline, latest)

    b = to_decimal(baseline)
    la = to_decimal(latest)
    if b is None or la is None:
        missing = "baseline and latest figures are" if b is None and la is None else (
            "baseline is" if b is None else "latest figure is")
        return Assessment("No data", "", None, None, None, f"No data: the {missing} missing.")

    tol = tolerance_for(unit, tolerance)
    change = la - b
    pct_change = None if b == 0 else change / b * 100

    # Exact boundary test, without division: |change| <= tol (pp), or |change| * 100 <= tol * |b|.
    if unit == "percent":
        within = abs(change) <= tol
    elif b == 0:
        within = change == 0
    else:
        within = abs(change) * 100 <= tol * abs(b)

    wants = TARGETS[target]
    band = _band(unit, tol)
    arrow = f"({_show(b, unit)} → {_show(la, unit)})"
    if change == 0:
        moved = f"No change {arrow}"
    else:
        verb = "Rose" if change > 0 else "Fell"
        if unit == "percent":
            moved = f"{verb} {_rounded(change)}pp {arrow}"
        elif pct_change is None:
            moved = f"{verb} from zero {arrow}"
        else:
            moved = f"{verb} {_rounded(pct_change)}% {arrow}"

    if within:
        if target == "Increase or maintain":
            return Assessment("Green", LEVEL, change, pct_change, True,
                              f"{moved}, within the agreed {band} range: maintained, as the target allows.")
        return Assessment("Amber", LEVEL, change, pct_change, True,
                          f"{moved}, within the agreed {band} range.")
    direction = UP if change > 0 else DOWN
    sign = 1 if change > 0 else -1
    if sign == wants:
        return Assessment("Green", direction, change, pct_change, False,
                          f"{moved}, outside the agreed {band} range, the way the '{target}' target wants.")
    return Assessment("Red", direction, change, pct_change, False,
                      f"{moved}, outside the agreed {band} range, against the '{target}' target.")


def _assess_yes_no(baseline: Any, latest: Any) -> Assessment:
    b = to_yes_no(baseline)
    la = to_yes_no(latest)
    if la is None:
        return Assessment("No data", "", None, None, None, "No data: the latest figure is missing.")
    direction = LEVEL if b is None or b == la else (UP if la else DOWN)
    if la:
        return Assessment("Green", direction, None, None, None, "Completed (Y).")
    return Assessment("Red", direction, None, None, None, "Not completed (N).")


def rule_text() -> list[str]:
    """The agreed rule in plain English, for the notebook's method note."""
    return [
        "Each metric's latest figure is compared with its 2024/25 baseline.",
        "The agreed range is ±2 percentage points for percentages and ±5% (relative change) for every "
        "other figure (counts, rates per 1,000, averages); a metric may have its own range in the register.",
        "A change exactly on the edge of the range (e.g. 19.0% → 17.0%, exactly -2pp) counts as within it.",
        "Within the range: Amber (↔), or Green for an 'Increase or maintain' target.",
        "Outside the range: Green if it moved the way the target wants, Red if it moved against it.",
        "Completed Y/N metrics: Y is Green, N is Red. A missing baseline or latest figure: No data.",
        "'pp' is a change in percentage points (72.2% - 65.9% = +6.3pp); '%' is a relative change "
        "(13 → 11 is -15.4%).",
    ]
