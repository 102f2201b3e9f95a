"""XmR statistical process control charts, by NHS England's *Making Data Count* method.

Why: a RAG band compares two numbers; an SPC chart asks whether the latest months differ from
the month-to-month noise of the whole series. The method (NHS England/Improvement, "Making Data
Count: Strengthening your decisions", and the Making Data Count Excel SPC tools, implemented
in R by the NHS-R Community's NHSRplotthedots package):

- centre line: the mean; process limits: mean ± 2.66 × the mean moving range (the moving range
  is the absolute difference between consecutive points);
- special cause when any of: a point outside the process limits; a run of ``shift_n`` points all
  above or all below the mean (a point on the mean breaks the run); a run of ``trend_n`` points
  each higher (or each lower) than the one before (an equal value breaks it); two of three
  consecutive points beyond 2 sigma (mean ± 2/3 of the limit width) on the same side, with all
  three on that side (the points beyond 2 sigma are flagged);
- a special-cause point is "improvement" or "concern" by the side of the mean it lies on and the
  direction that is better (a point flagged only by a trend takes the trend's direction), or
  "neither" when no direction is better;
- no limits or icons with 12 points or fewer (limits from so few points are unreliable);
- limits can be fixed from a baseline (the first ``baseline_n`` points of each period) or
  recalculated from given points (each period then has its own limits and rules).

Both presets use runs of 7; they differ only in screening: ``"mdc"`` follows the Making Data Count Excel
tool (no screening of moving ranges; runs of 7); ``"nhsr"`` follows NHSRplotthedots' defaults
(moving ranges of 3.267 × the mean moving range or more are left out before the limits are
computed, Nelson 1982; runs of 7). Pass a ``Rules`` object for other lengths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ASSURANCE_ICONS", "ICON_SYMBOLS", "ICON_WORDS", "IMPROVEMENTS", "LIMIT", "MIN_POINTS", "MR_SCREEN",
    "PRESETS", "Rules", "VARIATION_ICONS", "XmrResult", "describe", "shift_points", "trend_points",
    "two_of_three_points", "xmr"
]

LIMIT = 2.66  # 3 / d2 with d2 = 1.128 for moving ranges of two points
MR_SCREEN = 3.267  # upper range limit of a moving range (D4 for n = 2)
MIN_POINTS = 13  # limits and icons need more than 12 points

IMPROVEMENTS = ("increase", "decrease", "neither")
VARIATION_ICONS = ("common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low",
                   "neither_high", "neither_low")
ASSURANCE_ICONS = ("pass", "fail", "hit_or_miss")


@dataclass(frozen=True)
class Rules:
    """The special-cause rules and how limits are computed."""

    name: str
    shift_n: int = 7
    trend_n: int = 7
    two_of_three: bool = True
    screen_outliers: bool = False
    min_points: int = MIN_POINTS
    description: str = ""


PRESETS: dict[str, Rules] = {
    "mdc": Rules("mdc", shift_n=7, trend_n=7, two_of_three=True, screen_outliers=False,
                 description="NHS England Making Data Count SPC tool: runs of 7 points, two of three "
                             "beyond 2 sigma, all moving ranges in the limits"),
    "nhsr": Rules("nhsr", shift_n=7, trend_n=7, two_of_three=True, screen_outliers=True,
                  description="NHSRplotthedots defaults: as Making Data Count, but moving ranges of "
                              "3.267 x the mean moving range or more are screened out of the limits"),
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
    def assurance(self) -> str | None:
        """Assurance icon: "pass" (the limits lie wholly on the right side of the target),
        "fail" (wholly on the wrong side) or "hit_or_miss"; None with no target, no direction
        of improvement or too few points."""
        if self.target is None or self.improvement == "neither" or not self.has_limits:
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
    Returns (flagged, direction) with direction +1 rising / -1 falling for flagged points."""
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
    r = PRESETS[rules] if isinstance(rules, str) else rules
    s = values if isinstance(values, pd.Series) else pd.Series(list(values))
    y_all = s.to_numpy(dtype=float)
    if np.isnan(y_all).any():
        raise ValueError("values must not have gaps (missing values)")
    n = len(y_all)
    cols: dict[str, list[Any]] = {k: [] for k in ("mean", "upl", "lpl", "rule", "point_type", "_direction",
                                                  "period")}
    notes: list[str] = []
    starts = _segment_starts(s.index, recalc_at) + [n]
    better = {"increase": 1, "decrease": -1, "neither": 0}[improvement]
    for k, (a, b) in enumerate(zip(starts[:-1], starts[1:], strict=True)):
        y = y_all[a:b]
        base = y[:baseline_n] if baseline_n else y
        mean, amr = _limits(base, r.screen_outliers)
        enough = len(y) >= r.min_points and len(base) >= 2
        if not enough:
            notes.append(f"points {a + 1}-{b}: {len(y)} points, too few for process limits "
                         f"(need {r.min_points})")
            cols["mean"] += [mean] * len(y)
            cols["upl"] += [np.nan] * len(y)
            cols["lpl"] += [np.nan] * len(y)
            cols["rule"] += [""] * len(y)
            cols["point_type"] += [pd.NA] * len(y)
            cols["_direction"] += [""] * len(y)
            cols["period"] += [k + 1] * len(y)
            continue
        upl, lpl = mean + LIMIT * amr, mean - LIMIT * amr
        near_up, near_low = mean + 2 / 3 * LIMIT * amr, mean - 2 / 3 * LIMIT * amr
        side = np.sign(y - mean).astype(int)
        outside = (y > upl) | (y < lpl)
        close = ~outside & ((y > near_up) | (y < near_low))
        shift = shift_points(side, r.shift_n)
        trend, trend_dir = trend_points(y, r.trend_n)
        two3 = two_of_three_points(close, side) if r.two_of_three else np.zeros(len(y), dtype=bool)
        for i in range(len(y)):
            fired = [name for name, hit in (("outside limits", outside[i]), ("shift", shift[i]),
                                            ("trend", trend[i]), ("two of three beyond 2 sigma", two3[i]))
                     if hit]
            if fired == ["trend"]:
                direction = int(trend_dir[i])
            else:
                direction = int(side[i])
            if not fired:
                kind = "common cause"
            elif better == 0:
                kind = "neither"
            else:
                kind = "improvement" if direction == better else "concern"
            cols["rule"].append("; ".join(fired))
            cols["point_type"].append(kind)
            cols["_direction"].append("high" if direction > 0 else "low" if direction < 0 else "")
        cols["mean"] += [mean] * len(y)
        cols["upl"] += [upl] * len(y)
        cols["lpl"] += [lpl] * len(y)
        cols["period"] += [k + 1] * len(y)
    points = pd.DataFrame({"x": list(s.index), "value": y_all})
    points["mr"] = np.concatenate([[np.nan], np.abs(np.diff(y_all))]) if n else []
    for c in ("mean", "upl", "lpl"):
        points[c] = np.asarray(cols[c], dtype=float)
    points["period"] = pd.array(cols["period"], dtype="Int64")
    points["rule"] = pd.array(cols["rule"], dtype="string")
    points["point_type"] = pd.array(cols["point_type"], dtype="string")
    points["_direction"] = pd.array(cols["_direction"], dtype="string")
    return XmrResult(points=points, improvement=improvement, rules=r,
                     target=None if target is None else float(target), notes=notes)


ICON_WORDS = {
    "common_cause": "common cause variation: no significant change",
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


def describe(icon: str | None, short: bool = False) -> str:
    """Plain words (with a symbol) for an icon, so it never rests on colour or shape alone.
    ``short`` drops the explanation (for small panels)."""
    if icon is None:
        return "too few points for SPC"
    words = ICON_WORDS.get(icon, icon)
    if short:
        words = words.split(":")[0] if icon == "common_cause" else words.replace("special cause: ", "")
    return f"{ICON_SYMBOLS.get(icon, '')} {words}".strip()
