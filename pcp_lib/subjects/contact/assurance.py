"""Will the control room keep meeting its targets? SPC assurance of the monthly rates.

Whether this month met a target is one number against another (``targets.status``); whether
the process, as it runs, will *consistently* meet it, fail it, or hit and miss at random is a
question for an XmR chart (NHS England, Making Data Count): when the target lies outside the
process limits the process passes (or fails) every month it stays as it is; inside them it
will hit and miss. Each rate with a target (999 answered within 10 seconds, 101 within 15
minutes, the two abandonment rates) is charted month by month with its target line and the
assurance icon, by the preset in reference data.

The rates are float64 per cent for the chart (an analyst's series); each month's met or missed
stays the exact decision of ``targets.meets`` on the page's other tables.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from pcp_lib.methods.spc import XmrResult, describe, xmr
from pcp_lib.methods.units import fmt_percent
from pcp_lib.subjects.contact.returns import CHANNEL_NAMES, THRESHOLD_LABELS
from pcp_lib.subjects.contact.summary import rate
from pcp_lib.subjects.contact.targets import Target, target_lookup, target_text

__all__ = ["ASSURED", "LIMIT_PLACES", "assurance_results", "assurance_table", "assurance_title", "display_assurance", "rate_series"]

#: the rates with a target, in the order charted: (channel, measure)
ASSURED: tuple[tuple[str, str], ...] = (("999", "answered_10s"), ("101", "answered_15min"), ("999", "abandoned"),
                                        ("101", "abandoned"))
_IMPROVEMENT = {"at_least": "increase", "below": "decrease"}
#: places for the rate and its limits: 999 abandonment runs at a few tenths of a per cent, so one place hides it
LIMIT_PLACES = 2


def rate_series(monthly: pd.DataFrame, channel: str, measure: str) -> pd.Series:
    """A channel's monthly rate (per cent of calls offered, float64) indexed by month
    (Timestamp); months with nothing offered are left out (no rate)."""
    part = monthly[monthly["channel"] == channel].sort_values("month")
    values = [rate(int(n), int(o)) for n, o in zip(part[measure], part["offered"], strict=True)]
    s = pd.Series([float(v) if v is not None else float("nan") for v in values],
                  index=pd.to_datetime(pd.Index(part["month"])), dtype="float64", name=measure)
    return s.dropna()


def assurance_results(monthly: pd.DataFrame, targets: pd.DataFrame, rules: str) -> dict[tuple[str, str], XmrResult]:
    """The XmR result, with its target, of every rate that has one and has months of data."""
    tmap = target_lookup(targets)
    out: dict[tuple[str, str], XmrResult] = {}
    for key in ASSURED:
        t = tmap.get(key)
        s = rate_series(monthly, *key)
        if t is None or s.empty:
            continue
        out[key] = xmr(s, _IMPROVEMENT[str(t["direction"])], rules=rules, target=float(t["target_pct"]))
    return out


def assurance_table(results: Mapping[tuple[str, str], XmrResult], targets: pd.DataFrame) -> pd.DataFrame:
    """One row per rate: the target, the latest month and rate, the process limits of the latest
    period, and the variation and assurance icons (codes; missing with too few months).

    Columns: channel, measure, target_pct (float64), target, latest_month, latest_rate, lpl, upl,
    variation, assurance."""
    tmap = target_lookup(targets)
    rows = []
    for (ch, measure), r in results.items():
        last = r.points.iloc[-1]
        rows.append({"channel": ch, "measure": measure, "target_pct": float(tmap[(ch, measure)]["target_pct"]),
                     "target": target_text(tmap[(ch, measure)]), "latest_month": last["x"],
                     "latest_rate": float(last["value"]), "lpl": float(last["lpl"]), "upl": float(last["upl"]),
                     "variation": r.variation, "assurance": r.assurance})
    df = pd.DataFrame(rows, columns=["channel", "measure", "target_pct", "target", "latest_month", "latest_rate",
                                     "lpl", "upl", "variation", "assurance"])
    return df.astype({"channel": "string", "measure": "string", "target_pct": "float64", "target": "string",
                      "latest_month": "datetime64[ns]", "latest_rate": "float64", "lpl": "float64", "upl": "float64",
                      "variation": "string", "assurance": "string"})


def _what(channel: str, measure: str) -> str:
    what = f"answered within {THRESHOLD_LABELS[measure]}" if measure != "abandoned" else "abandoned"
    return f"{channel} calls {what}"


def assurance_title(channel: str, measure: str, r: XmrResult, t: Target) -> str:
    """The chart's finding: what the process will do against its target, and, when the latest
    month is itself special cause, that the process may have changed since its limits were set."""
    verdict = {"pass": "will consistently meet", "fail": "will consistently miss",
               "hit_or_miss": "will hit and miss"}.get(str(r.assurance))
    if verdict is None:
        return f"{_what(channel, measure)}: too few months to judge the target, {target_text(t)}"
    title = f"{_what(channel, measure)}: as the process has run, it {verdict} the target, {target_text(t)}"
    if r.variation and r.variation != "common_cause":
        title += f"; but the latest month is a special-cause {describe(r.variation, short=True).split(' ', 1)[1]}, so it may be changing"
    return title


def display_assurance(table: pd.DataFrame) -> pd.DataFrame:
    """The assurance table for display: the icon columns hold icon codes (drawn with their
    words by the page), or the words "too few points for SPC"."""
    def code(v: object) -> str:
        return describe(None) if pd.isna(v) else str(v)

    return pd.DataFrame({
        "Channel": [CHANNEL_NAMES[str(c)] for c in table["channel"]],
        "Measure": [_what(str(c), str(m)).split(" calls ", 1)[1].capitalize()
                    for c, m in zip(table["channel"], table["measure"], strict=True)],
        "Target": table["target"],
        "Latest month": [f"{d:%b %Y}" for d in table["latest_month"]],
        "Latest rate": [fmt_percent(v, LIMIT_PLACES) for v in table["latest_rate"]],
        "Process limits": [f"{fmt_percent(lo, LIMIT_PLACES)} to {fmt_percent(hi, LIMIT_PLACES)}" if pd.notna(lo)
                           else "none (too few months)"
                           for lo, hi in zip(table["lpl"], table["upl"], strict=True)],
        "Variation (latest month)": [code(v) for v in table["variation"]],
        "Assurance": [code(v) for v in table["assurance"]],
    })
