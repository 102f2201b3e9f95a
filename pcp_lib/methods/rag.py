"""The agreed RAG rule for the Police and Crime Plan dashboard, in one place.

Source: Plan Delivery Update Q3 2025/26, paragraph 8 (000_5c38b58c372c3f4f.txt): the RAG
status "is based upon the performance against the target/expectation or baseline or a
statistically significant agreed range (+/- 5% or +/- 2pp)".

The numbers of the rule live in reference data, never here: the band of each unit in
``data/reference/rag_bands.csv`` (``pcp_lib.reference.rag_bands`` reads it into ``Bands``) and
each metric's own tolerance in the register (``metrics.csv``). The rule, the reason, the
statistical note and the method text all take the band from the same ``Band``, so changing a
number there changes every sentence that states it.

The rule, exactly:

1. Compare the latest figure with the 2024/25 baseline.
2. The agreed range is the unit's band: in percentage points (an absolute change, "pp") or in
   per cent (a relative change, "%"), as the band file says (as shipped: ±2pp for ``percent``
   metrics, ±5% for ``count``, ``rate_per_1000`` and ``value``); a per-metric tolerance in the
   register overrides the width (in the band's own terms).
3. The boundary is *inside* the range and is decided exactly on the published digits
   (``Decimal``, no floating point): with the shipped bands 19.0% -> 17.0% is exactly -2pp,
   so within; 100 -> 105 is exactly +5%, so within.
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

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pcp_lib.methods.parsing import to_decimal, to_yes_no
from pcp_lib.methods.units import round_half_up

__all__ = [
    "BAND_KINDS", "Assessment", "Band", "Bands", "DOWN", "LEVEL", "RAGS", "TARGETS", "UNITS", "UP", "assess",
    "ranges_text", "rule_text"
]

TARGETS: dict[str, int | None] = {
    "Increase": +1,
    "Increase or maintain": +1,
    "Decrease": -1,
    "Reduce": -1,
    "Completed Y/N": None,
}
UNITS = ("percent", "rate_per_1000", "count", "value", "yes_no")
#: how a band is measured: "pp" an absolute change in the unit's own points, "%" a relative change
BAND_KINDS = ("pp", "%")

UP, DOWN, LEVEL = "↑", "↓", "↔"
RAGS = ("Green", "Amber", "Red", "No data")


@dataclass(frozen=True)
class Band:
    """An agreed range: ``width`` either side of the baseline, as an absolute change ("pp") or a
    relative change ("%")."""

    width: Decimal
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in BAND_KINDS:
            raise ValueError(f"a band is measured in {' or '.join(BAND_KINDS)}; got {self.kind!r}")
        if self.width < 0:
            raise ValueError(f"a band must not be negative, got {self.width}")

    @property
    def text(self) -> str:
        """"±2pp" / "±5%": how every sentence states the band."""
        return f"±{self.width.normalize():f}{self.kind}"

    def within(self, baseline: Decimal, change: Decimal) -> bool:
        """Whether ``change`` from ``baseline`` is inside the band (its edge is inside), exactly."""
        if self.kind == "pp":
            return abs(change) <= self.width
        if baseline == 0:
            return change == 0
        return abs(change) * 100 <= self.width * abs(baseline)  # no division: exact on the digits


@dataclass(frozen=True)
class Bands:
    """The agreed band of each numeric unit (reference data, ``reference.rag_bands``)."""

    by_unit: Mapping[str, Band] = field(default_factory=dict)

    def for_metric(self, unit: str, tolerance: Any = None) -> Band:
        """The band a metric is judged by: its unit's band, with the register's tolerance (if
        any) as the width. A unit without a band is a ``ValueError`` naming the unit."""
        if unit not in self.by_unit:
            raise ValueError(f"no agreed band for unit {unit!r} (the band file has {', '.join(self.by_unit)})")
        band = self.by_unit[unit]
        if tolerance is not None and not (isinstance(tolerance, str) and not tolerance.strip()):
            tol = to_decimal(tolerance)
            if tol is not None:
                if tol < 0:
                    raise ValueError(f"tolerance must not be negative, got {tolerance!r}")
                return Band(tol, band.kind)
        return band


@dataclass(frozen=True)
class Assessment:
    """The outcome of the RAG rule for one metric; ``band`` is the range it was judged by
    ("±5%", empty for yes/no metrics), for every other sentence that states it."""

    rag: str
    direction: str
    change: Decimal | None
    pct_change: Decimal | None
    within_tolerance: bool | None
    reason: str
    band: str = ""


def _show(value: Decimal, unit: str) -> str:
    """A value as published: its own digits, with % for percent metrics."""
    text = f"{value:,}" if abs(value) >= 1000 else str(value)
    return f"{text}%" if unit == "percent" else text


def _rounded(d: Decimal, places: int = 1) -> str:
    return f"{abs(round_half_up(d, places)):,}"  # half up, as the change column beside it is rounded


def assess(target: str, baseline: Any, latest: Any, unit: str, tolerance: Any = None, *,
           bands: Bands) -> Assessment:
    """Apply the agreed RAG rule to one metric, with the agreed ``bands`` (reference data)
    and the metric's own ``tolerance`` from the register, if any.

    ``baseline`` and ``latest`` may be numbers or the published strings ("65.9%", "11,545",
    "Y", "" or None for missing). Raises ``ValueError`` for an unknown target or unit, a unit
    without a band or a value that is not a number (e.g. "12,3a%").
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
        return Assessment("No data", "", None, None, None, f"No data: the {missing} missing.",
                          bands.for_metric(unit, tolerance).text)

    agreed = bands.for_metric(unit, tolerance)
    change = la - b
    pct_change = None if b == 0 else change / b * 100
    within = agreed.within(b, change)

    wants = TARGETS[target]
    band = agreed.text
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
                              f"{moved}, within the agreed {band} range: maintained, as the target allows.", band)
        return Assessment("Amber", LEVEL, change, pct_change, True,
                          f"{moved}, within the agreed {band} range.", band)
    direction = UP if change > 0 else DOWN
    sign = 1 if change > 0 else -1
    if sign == wants:
        return Assessment("Green", direction, change, pct_change, False,
                          f"{moved}, outside the agreed {band} range, the way the '{target}' target wants.", band)
    return Assessment("Red", direction, change, pct_change, False,
                      f"{moved}, outside the agreed {band} range, against the '{target}' target.", band)


def _assess_yes_no(baseline: Any, latest: Any) -> Assessment:
    b = to_yes_no(baseline)
    la = to_yes_no(latest)
    if la is None:
        return Assessment("No data", "", None, None, None, "No data: the latest figure is missing.")
    direction = LEVEL if b is None or b == la else (UP if la else DOWN)
    if la:
        return Assessment("Green", direction, None, None, None, "Completed (Y).")
    return Assessment("Red", direction, None, None, None, "Not completed (N).")


_UNIT_WORDS = {"percent": "percentages", "rate_per_1000": "rates per 1,000", "count": "counts",
               "value": "other figures (averages, days)"}


def ranges_text(bands: Bands, *, brief: bool = False) -> str:
    """The agreed ranges in words, grouped by band, as the reference data give them: "±2pp
    (percentage points) for percentages; ±5% (relative change) for rates per 1,000, counts and
    other figures (averages, days)" (the method note); ``brief``: "±2pp for percentages, ±5% for
    everything else", the band of most units said last (the front page's RAG rule)."""
    grouped: dict[str, list[str]] = {}
    for unit, band in bands.by_unit.items():
        grouped.setdefault(band.text, []).append(_UNIT_WORDS.get(unit, unit))
    def listed(words: list[str]) -> str:
        return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"

    if brief:
        if len(grouped) == 1:
            return f"{next(iter(grouped))} for every figure"
        most = max(grouped, key=lambda text: len(grouped[text]))
        return ", ".join([*(f"{text} for {listed(words)}" for text, words in grouped.items() if text != most),
                          f"{most} for everything else"])
    return "; ".join(f"{text} ({'percentage points' if text.endswith('pp') else 'relative change'}) for "
                     f"{listed(words)}" for text, words in grouped.items())


def rule_text(bands: Bands) -> list[str]:
    """The agreed rule in plain English, for the notebook's method note, with the bands as
    the reference data give them."""
    ranges = ranges_text(bands)
    lines = [
        "Each metric's latest figure is compared with its 2024/25 baseline.",
        f"The agreed range is {ranges}; a metric may have its own range in the register.",
    ]
    pct = bands.by_unit.get("percent")
    if pct is not None and pct.kind == "pp" and pct.width:
        edge = Decimal("19.0") - pct.width
        lines.append(f"A change exactly on the edge of the range (e.g. 19.0% → {edge}%, exactly "
                     f"-{pct.width.normalize():f}pp) counts as within it.")
    else:
        lines.append("A change exactly on the edge of the range counts as within it.")
    return lines + [
        "Within the range: Amber (↔), or Green for an 'Increase or maintain' target.",
        "Outside the range: Green if it moved the way the target wants, Red if it moved against it.",
        "Completed Y/N metrics: Y is Green, N is Red. A missing baseline or latest figure: No data.",
        "'pp' is a change in percentage points (72.2% - 65.9% = +6.3pp); '%' is a relative change "
        "(13 → 11 is -15.4%).",
    ]
