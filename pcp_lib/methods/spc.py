"""XmR statistical process control charts, by NHS England's *Making Data Count* method.

Why: a RAG band compares two numbers; an SPC chart asks whether the latest months differ from
the month-to-month noise of the whole series.

What every preset shares (NHS England, "Making Data Count: Strengthening your decisions"):

- centre line: the mean; process limits: mean ± 2.66 × the mean moving range (the moving range
  is the absolute difference between consecutive points); 2 sigma is 2/3 of that width;
- special-cause rules: a point outside the process limits; a *shift* of ``shift_n`` or more
  consecutive points all above or all below the mean (a point on the mean breaks the run); a
  *trend* of ``trend_n`` or more consecutive points each higher (or each lower) than the one
  before (an equal value breaks it); *two of three* consecutive points beyond 2 sigma on the
  same side, all three on that side of the mean (only the points beyond 2 sigma are flagged;
  whether a point beyond the process limits counts is ``Rules.beyond_limits_in_two_of_three``).
  Every point of a shift or trend is flagged;
- a flagged point is "improvement" or "concern" by the direction that is better: the shift,
  two-of-three and outside-limits rules point the way of the side of the mean the point is on,
  a trend the way it runs; "neither" when no direction is better;
- 12 points or fewer (in a period): no limits and no icons;
- limits can be fixed from a baseline (the first ``baseline_n`` points of each period) or
  recalculated from given points (each period then has its own mean and limits); the pack
  recalculates at known change points only (reference data, ``spc_change_points.csv``);
- assurance (Making Data Count practice) comes from the limits of the latest period only, and is
  withheld while that period is still changing: while its latest point is special cause (a
  shift, trend, point beyond the limits or two of three), or while a change point has started a
  period too short for limits of its own. Limits that a shift or step runs through describe no
  process, so "will consistently meet" read from them would contradict the chart.

The presets, and exactly where they differ:

``"mdc"`` follows the NHS England Making Data Count *Single Chart Tool* v5.0 (Excel), as its
testing specification "SPC charts - XmR testing" describes it:
  shift and trend of **6** points; a point beyond the process limits does **not** count towards
  two of three (it shows by the single-point rule); all moving ranges in the limits (no
  screening); where one rule says improvement and another concern (only possible because a
  trend crosses the mean) **improvement wins** (the tool shows blue); the multi-point rules
  (shift, trend, two of three) **run across a recalculation**, each point judged against the
  mean and 2-sigma lines of its own period.

``"nhsr"`` follows NHSRplotthedots 0.2 defaults (``ptd_spc``; R/ptd_spc_standard.R and
R/ptd_calculate_point_type.R):
  shift and trend of **7** points; moving ranges of 3.267 × the mean moving range or more are
  left out before the limits are computed (``screen_outliers``, Nelson 1982); a point beyond the
  limits does not count towards two of three; every flagged point is typed by its **side of the
  mean** alone, trend or not (so a falling trend above the mean is "concern" when lower is
  better); the rules run **within each period only** (grouped by rebase group).

A ``Rules`` object gives any other combination.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ASSURANCE_ICONS", "CHANGING", "CONFLICTS", "ICON_SYMBOLS", "ICON_WORDS", "IMPROVEMENTS", "LIMIT",
    "MIN_POINTS", "MR_SCREEN", "PRESETS", "Rules", "VARIATION_ICONS", "XmrResult", "assurance_words", "describe",
    "rules_sentence", "shift_points", "trend_points", "two_of_three_points", "xmr"
]

LIMIT = 2.66  # 3 / d2 with d2 = 1.128 for moving ranges of two points
MR_SCREEN = 3.267  # upper range limit of a moving range (D4 for n = 2)
MIN_POINTS = 13  # limits and icons need more than 12 points

IMPROVEMENTS = ("increase", "decrease", "neither")
VARIATION_ICONS = ("common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low",
                   "neither_high", "neither_low")
ASSURANCE_ICONS = ("pass", "fail", "hit_or_miss")
#: the words in place of an assurance icon while the latest period is still changing
CHANGING = "process changing: assurance when it settles"
#: how a point flagged as improvement by one rule and concern by another is typed:
#: "improvement" (improvement wins), "concern" (concern wins), "side" (by its side of the mean)
CONFLICTS = ("improvement", "concern", "side")

_RULES = ("outside limits", "shift", "trend", "two of three beyond 2 sigma")


@dataclass(frozen=True)
class Rules:
    """The special-cause rules and how limits are computed (see the module docstring)."""

    name: str
    shift_n: int = 6
    trend_n: int = 6
    two_of_three: bool = True
    beyond_limits_in_two_of_three: bool = False
    conflict: str = "improvement"
    across_recalculations: bool = True
    screen_outliers: bool = False
    min_points: int = MIN_POINTS
    description: str = ""

    def __post_init__(self) -> None:
        if self.conflict not in CONFLICTS:
            raise ValueError(f"conflict must be one of {', '.join(CONFLICTS)}; got {self.conflict!r}")
        if self.shift_n < 2 or self.trend_n < 2:
            raise ValueError("runs need at least 2 points")


PRESETS: dict[str, Rules] = {
    "mdc": Rules("mdc", shift_n=6, trend_n=6, two_of_three=True, beyond_limits_in_two_of_three=False,
                 conflict="improvement", across_recalculations=True, screen_outliers=False,
                 description="Making Data Count rules (NHS England Single Chart Tool v5.0): runs of 6"),
    "nhsr": Rules("nhsr", shift_n=7, trend_n=7, two_of_three=True, beyond_limits_in_two_of_three=False,
                  conflict="side", across_recalculations=False, screen_outliers=True,
                  description="NHSRplotthedots 0.2 default rules: runs of 7, moving-range outliers screened"),
}


@dataclass
class XmrResult:
    """An XmR chart's numbers: ``points`` (one row per point) and the icons for the last point."""

    points: pd.DataFrame
    improvement: str
    rules: Rules
    target: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def has_limits(self) -> bool:
        return bool(len(self.points)) and bool(self.points["upl"].notna().iloc[-1])

    @property
    def variation(self) -> str | None:
        """Variation icon for the last point: "common_cause", "improvement_high", "concern_low",
        ... or None when there are too few points for limits."""
        if not self.has_limits:
            return None
        last = self.points.iloc[-1]
        kind = last["point_type"]
        if kind == "common cause":
            return "common_cause"
        return f"{kind}_{last['_direction']}"

    @property
    def latest_period(self) -> pd.DataFrame:
        """The points of the latest period (since the last recalculation)."""
        if not len(self.points):
            return self.points
        return self.points[self.points["period"] == self.points["period"].iloc[-1]]

    @property
    def changing(self) -> bool:
        """Whether the latest period is still changing, so no assurance can be read from it:
        its latest point is special cause (any rule), or the limits were recalculated and the
        new period has too few points for limits of its own."""
        if not len(self.points):
            return False
        if self.has_limits:
            return str(self.points["rule"].iloc[-1]) != ""
        return int(self.points["period"].iloc[-1]) > 1

    @property
    def assurance(self) -> str | None:
        """Assurance icon, from the limits of the latest period only: "pass" (they lie wholly on
        the right side of the target), "fail" (wholly on the wrong side) or "hit_or_miss" (the
        target within the limits, or on one); None with no target, no direction of improvement,
        too few points, or while the process is ``changing`` (``assurance_words`` says which)."""
        if self.target is None or self.improvement == "neither" or not self.has_limits or self.changing:
            return None
        last = self.points.iloc[-1]
        upl, lpl, t = float(last["upl"]), float(last["lpl"]), float(self.target)
        up = self.improvement == "increase"
        if t > upl:
            return "fail" if up else "pass"
        if t < lpl:
            return "pass" if up else "fail"
        return "hit_or_miss"

    def signals(self) -> pd.DataFrame:
        """The special-cause points only."""
        return self.points[self.points["rule"] != ""]


def _runs(flags: np.ndarray, length: int) -> np.ndarray:
    """True for every point in a run of at least ``length`` consecutive equal non-zero values."""
    out = np.zeros(len(flags), dtype=bool)
    i = 0
    while i < len(flags):
        j = i
        while j + 1 < len(flags) and flags[j + 1] == flags[i]:
            j += 1
        if flags[i] != 0 and j - i + 1 >= length:
            out[i:j + 1] = True
        i = j + 1
    return out


def shift_points(side: np.ndarray, n: int) -> np.ndarray:
    """Points in a run of ``n`` or more on the same side of the mean (side: +1, -1, 0 on it)."""
    return _runs(np.asarray(side), n)


def trend_points(y: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Points in a run of ``n`` or more each higher (or each lower) than the one before.
    Returns (flagged, direction) with direction +1 rising / -1 falling for flagged points
    (a point ending a fall and starting a rise is in both; it takes the later run's direction)."""
    y = np.asarray(y, dtype=float)
    flagged = np.zeros(len(y), dtype=bool)
    direction = np.zeros(len(y), dtype=int)
    if len(y) < 2:
        return flagged, direction
    d = np.sign(np.diff(y)).astype(int)
    # a run of k equal non-zero diffs covers k + 1 points
    in_run = _runs(d, n - 1)
    i = 0
    while i < len(d):
        if in_run[i]:
            j = i
            while j + 1 < len(d) and in_run[j + 1] and d[j + 1] == d[i]:
                j += 1
            flagged[i:j + 2] = True
            direction[i:j + 2] = d[i]
            i = j + 1
        else:
            i += 1
    return flagged, direction


def two_of_three_points(close: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Points beyond 2 sigma (``close``) that are two of three consecutive points beyond
    2 sigma, all three on the same side of the mean."""
    close = np.asarray(close, dtype=bool)
    side = np.asarray(side)
    out = np.zeros(len(close), dtype=bool)
    for i in range(len(close) - 2):
        w = slice(i, i + 3)
        if close[w].sum() >= 2 and abs(side[w].sum()) == 3:
            out[w] |= close[w]
    return out


def _segment_starts(index: pd.Index, recalc_at: Any) -> list[int]:
    if recalc_at is None:
        return [0]
    items = recalc_at if isinstance(recalc_at, (list, tuple, set)) else [recalc_at]
    starts = {0}
    for item in items:
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool) and item not in index:
            pos = int(item)
        else:
            pos = int(index.get_loc(item))
        if not 0 <= pos < len(index):
            raise ValueError(f"recalc_at {item!r} is outside the series")
        starts.add(pos)
    return sorted(starts)


def _limits(y: np.ndarray, screen: bool) -> tuple[float, float]:
    """Mean and mean moving range (screened if asked) of the points the limits come from."""
    mean = float(y.mean())
    mr = np.abs(np.diff(y))
    amr = float(mr.mean()) if len(mr) else float("nan")
    if screen and len(mr):
        kept = mr[mr < MR_SCREEN * amr]
        amr = float(kept.mean()) if len(kept) else amr
    return mean, amr


def _blocks(judged: np.ndarray, period: np.ndarray, across: bool) -> list[tuple[int, int]]:
    """Stretches of consecutive judged points the multi-point rules run over: across periods
    (``across``) or within each period; points without limits are never judged and break runs."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(judged)
    while i < n:
        if not judged[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and judged[j + 1] and (across or period[j + 1] == period[i]):
            j += 1
        out.append((i, j + 1))
        i = j + 1
    return out


def _kind(directions: list[int], side: int, better: int, conflict: str) -> tuple[str, int]:
    """A flagged point's type and direction (+1 high, -1 low) from the directions its rules point."""
    if conflict == "side" and side != 0:
        directions = [side]
    if better == 0:
        return "neither", (side if side != 0 else directions[0])
    kinds = {"improvement" if d == better else "concern" for d in directions}
    if len(kinds) == 1:
        kind = kinds.pop()
    else:  # rules disagree: only possible when a trend crosses the mean
        kind = "concern" if conflict == "concern" else "improvement"
    return kind, (better if kind == "improvement" else -better)


def xmr(values: Sequence[float] | pd.Series, improvement: str, *, rules: str | Rules = "mdc",
        baseline_n: int | None = None, recalc_at: Any = None, target: float | None = None) -> XmrResult:
    """An XmR chart of ``values`` (in time order; a Series keeps its index as ``x``).

    ``improvement``: "increase", "decrease" or "neither" (which direction is better).
    ``rules``: "mdc", "nhsr" or a ``Rules``. ``baseline_n``: limits from the first n points of
    each period only. ``recalc_at``: a position or index label (or a list) where limits are
    recalculated. ``target``: for the assurance icon.

    ``.points`` columns: x, value, mean, upl, lpl, mr, period, rule (which rules fired, "; "
    separated, or empty), point_type ("improvement", "concern", "neither", "common cause",
    or missing where there are too few points for limits).
    """
    if improvement not in IMPROVEMENTS:
        raise ValueError(f"improvement must be one of {', '.join(IMPROVEMENTS)}; got {improvement!r}")
    if isinstance(rules, str) and rules not in PRESETS:
        raise ValueError(f"rules must be one of {', '.join(PRESETS)} or a Rules; got {rules!r}")
    r = PRESETS[rules] if isinstance(rules, str) else rules
    s = values if isinstance(values, pd.Series) else pd.Series(list(values))
    y = s.to_numpy(dtype=float)
    if np.isnan(y).any():
        raise ValueError("values must not have gaps (missing values)")
    n = len(y)
    mean, upl, lpl, sigma = (np.full(n, np.nan) for _ in range(4))
    period = np.zeros(n, dtype=int)
    notes: list[str] = []
    starts = _segment_starts(s.index, recalc_at) + [n]
    for k, (a, b) in enumerate(zip(starts[:-1], starts[1:], strict=True)):
        base = y[a:b][:baseline_n] if baseline_n else y[a:b]
        m, amr = _limits(base, r.screen_outliers)
        mean[a:b], period[a:b] = m, k + 1
        if b - a >= r.min_points and len(base) >= 2:
            upl[a:b], lpl[a:b], sigma[a:b] = m + LIMIT * amr, m - LIMIT * amr, LIMIT * amr / 3
        else:
            notes.append(f"points {a + 1}-{b}: {b - a} points, too few for process limits (need {r.min_points})")
    judged = ~np.isnan(upl)
    side = np.where(judged, np.sign(y - mean), 0).astype(int)
    outside = judged & ((y > upl) | (y < lpl))
    beyond2 = judged & ((y > mean + 2 * sigma) | (y < mean - 2 * sigma))
    close = beyond2 if r.beyond_limits_in_two_of_three else beyond2 & ~outside
    shift, trend, two3 = (np.zeros(n, dtype=bool) for _ in range(3))
    trend_dir = np.zeros(n, dtype=int)
    for a, b in _blocks(judged, period, r.across_recalculations):
        shift[a:b] = shift_points(side[a:b], r.shift_n)
        trend[a:b], trend_dir[a:b] = trend_points(y[a:b], r.trend_n)
        if r.two_of_three:
            two3[a:b] = two_of_three_points(close[a:b], side[a:b])
    better = {"increase": 1, "decrease": -1, "neither": 0}[improvement]
    rule_col: list[str] = []
    kind_col: list[Any] = []
    dir_col: list[str] = []
    for i in range(n):
        hits = (outside[i], shift[i], trend[i], two3[i])
        fired = [name for name, hit in zip(_RULES, hits, strict=True) if hit]
        if not judged[i] or not fired:
            rule_col.append("")
            kind_col.append("common cause" if judged[i] else pd.NA)
            dir_col.append("")
            continue
        directions = [int(trend_dir[i]) if name == "trend" else int(side[i]) for name in fired]
        kind, direction = _kind(directions, int(side[i]), better, r.conflict)
        rule_col.append("; ".join(fired))
        kind_col.append(kind)
        dir_col.append("high" if direction > 0 else "low")
    points = pd.DataFrame({"x": list(s.index), "value": y})
    points["mr"] = np.concatenate([[np.nan], np.abs(np.diff(y))]) if n else []
    points["mean"], points["upl"], points["lpl"] = mean, upl, lpl
    points["period"] = pd.array(period, dtype="Int64")
    points["rule"] = pd.array(rule_col, dtype="string")
    points["point_type"] = pd.array(kind_col, dtype="string")
    points["_direction"] = pd.array(dir_col, dtype="string")
    return XmrResult(points=points, improvement=improvement, rules=r,
                     target=None if target is None else float(target), notes=notes)


ICON_WORDS = {
    "common_cause": "common cause variation: within the process limits, no special-cause signal",
    "improvement_high": "special cause: improvement (higher)",
    "improvement_low": "special cause: improvement (lower)",
    "concern_high": "special cause: concern (higher)",
    "concern_low": "special cause: concern (lower)",
    "neither_high": "special cause: higher",
    "neither_low": "special cause: lower",
    "pass": "will consistently meet the target",
    "fail": "will consistently miss the target",
    "hit_or_miss": "will hit or miss the target at random",
}
ICON_SYMBOLS = {
    "common_cause": "~", "improvement_high": "▲", "improvement_low": "▼", "concern_high": "▲",
    "concern_low": "▼", "neither_high": "▲", "neither_low": "▼", "pass": "✔", "fail": "✖",
    "hit_or_miss": "?",
}


def assurance_words(r: XmrResult) -> str:
    """The assurance in words: the icon's words, or why there is none (no target, too few
    points, or the process still changing)."""
    if r.assurance is not None:
        return describe(r.assurance)
    if r.target is None or r.improvement == "neither":
        return "no assurance: no target"
    if r.changing:
        return CHANGING
    return describe(None)


def rules_sentence(rules: Rules) -> str:
    """The special-cause rules in words, with the run lengths of the preset used."""
    parts = ["a point outside the process limits",
             f"{rules.shift_n} or more in a row on one side of the mean",
             f"{rules.trend_n} or more in a row each higher (or each lower) than the one before"]
    if rules.two_of_three:
        parts.append("two of three in a row beyond two sigma on the same side")
    return "Special cause is " + ", ".join(parts[:-1]) + f" or {parts[-1]} ({rules.description or rules.name})."


def describe(icon: str | None, short: bool = False) -> str:
    """Plain words (with a symbol) for an icon, so it never rests on colour or shape alone.
    ``short`` drops the explanation (for small panels)."""
    if icon is None:
        return "too few points for SPC"
    words = ICON_WORDS.get(icon, icon)
    if short:
        words = words.split(":")[0] if icon == "common_cause" else words.replace("special cause: ", "")
    return f"{ICON_SYMBOLS.get(icon, '')} {words}".strip()
