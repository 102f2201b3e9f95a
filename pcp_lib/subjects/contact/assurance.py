"""Will the control room keep meeting its targets? SPC assurance of the monthly rates.

Whether this month met a target is one number against another (``targets.status``); whether
the process, as it runs, will *consistently* meet it, fail it, or hit and miss at random is a
question for an XmR chart (NHS England, Making Data Count): when the target lies outside the
process limits the process passes (or fails) every month it stays as it is; inside them it
will hit and miss. Each rate with a target (999 answered within 10 seconds, 101 within 15
minutes, the two abandonment rates) is charted month by month with its target line and the
assurance icon, by the preset in reference data.

Limits are recalculated at the known change points of each series (reference data: the
April 2025 cut of the funded posts is the first), the icon comes from the latest period's limits
only, and while that period is still changing (its latest month special cause, or too few
months since the change for limits of their own) no pass or fail is given: the title then says
what the latest months did against the target instead.

The rates are float64 per cent for the chart (an analyst's series); each month's met or missed
stays the exact decision of ``targets.meets`` on the page's other tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pandas as pd

from pcp_lib.methods.spc import CHANGING, XmrResult, describe, xmr
from pcp_lib.methods.units import fmt_percent
from pcp_lib.reference.spc_change_points import ChangePoint, change_points, series_name
from pcp_lib.subjects.contact.returns import CHANNEL_NAMES, THRESHOLD_LABELS
from pcp_lib.subjects.contact.summary import rate
from pcp_lib.subjects.contact.targets import Target, meets, target_lookup, target_text

__all__ = ["ASSURED", "LIMIT_PLACES", "assurance_results", "assurance_table", "assurance_title", "display_assurance",
           "exact_rates", "latest_months", "rate_series", "recalculated_at", "series_key"]

#: the rates with a target, in the order charted: (channel, measure)
ASSURED: tuple[tuple[str, str], ...] = (("999", "answered_10s"), ("101", "answered_15min"), ("999", "abandoned"),
                                        ("101", "abandoned"))
_IMPROVEMENT = {"at_least": "increase", "below": "decrease"}
#: places for the rate and its limits: 999 abandonment runs at a few tenths of a per cent, so one place hides it
LIMIT_PLACES = 2


def exact_rates(monthly: pd.DataFrame, channel: str, measure: str) -> pd.Series:
    """A channel's monthly rate as exact ``Decimal`` per cent indexed by month (Timestamp);
    months with nothing offered are left out. Met or missed is decided on these."""
    part = monthly[monthly["channel"] == channel].sort_values("month")
    values = [rate(int(n), int(o)) for n, o in zip(part[measure], part["offered"], strict=True)]
    s = pd.Series(values, index=pd.to_datetime(pd.Index(part["month"])), dtype="object", name=measure)
    return s[[v is not None for v in values]]


def rate_series(monthly: pd.DataFrame, channel: str, measure: str) -> pd.Series:
    """A channel's monthly rate (per cent of calls offered, float64) indexed by month
    (Timestamp); months with nothing offered are left out (no rate)."""
    exact = exact_rates(monthly, channel, measure)
    return pd.Series([float(v) for v in exact], index=exact.index, dtype="float64", name=measure)


def series_key(channel: str, measure: str) -> str:
    """The rate's name in the change-point table: "contact 999 answered_10s"."""
    return series_name("contact", channel, measure)


def recalculated_at(s: pd.Series, points: list[ChangePoint]) -> list[pd.Timestamp]:
    """The months of ``s`` where limits are recalculated: for each change point inside the
    series (after its first month), the first month on or after it."""
    out = []
    for cp in points:
        after = s.index[s.index >= pd.Timestamp(cp.month)]
        if len(after) and after[0] != s.index[0]:
            out.append(after[0])
    return sorted(set(out))


def assurance_results(monthly: pd.DataFrame, targets: pd.DataFrame, rules: str,
                      change_table: pd.DataFrame | None = None) -> dict[tuple[str, str], XmrResult]:
    """The XmR result, with its target, of every rate that has one and has months of data;
    limits recalculated at the rate's change points in ``change_table``
    (``reference.spc_change_points``; None: none)."""
    tmap = target_lookup(targets)
    out: dict[tuple[str, str], XmrResult] = {}
    for key in ASSURED:
        t = tmap.get(key)
        s = rate_series(monthly, *key)
        if t is None or s.empty:
            continue
        points = change_points(change_table, series_key(*key)) if change_table is not None else []
        out[key] = xmr(s, _IMPROVEMENT[str(t["direction"])], rules=rules, target=float(t["target_pct"]),
                       recalc_at=recalculated_at(s, points) or None)
    return out


def assurance_table(results: Mapping[tuple[str, str], XmrResult], targets: pd.DataFrame) -> pd.DataFrame:
    """One row per rate: the target, the latest month and rate, the first month and size of the
    latest period (limits recalculated there), its process limits, the variation and assurance
    icons (codes; missing with too few months or while the process is changing) and whether it
    is ``changing``.

    Columns: channel, measure, target_pct (float64), target, latest_month, latest_rate,
    period_start, period_months, recalculated (the latest period starts at a change point), lpl,
    upl, variation, assurance, changing."""
    tmap = target_lookup(targets)
    rows = []
    for (ch, measure), r in results.items():
        last = r.points.iloc[-1]
        period = r.latest_period
        rows.append({"channel": ch, "measure": measure, "target_pct": float(tmap[(ch, measure)]["target_pct"]),
                     "target": target_text(tmap[(ch, measure)]), "latest_month": last["x"],
                     "latest_rate": float(last["value"]), "period_start": period["x"].iloc[0],
                     "period_months": len(period),
                     "recalculated": int(period["period"].iloc[0]) > 1, "lpl": float(last["lpl"]), "upl": float(last["upl"]),
                     "variation": r.variation, "assurance": r.assurance, "changing": r.changing})
    columns = ["channel", "measure", "target_pct", "target", "latest_month", "latest_rate", "period_start",
               "period_months", "recalculated", "lpl", "upl", "variation", "assurance", "changing"]
    df = pd.DataFrame(rows, columns=columns)
    return df.astype({"channel": "string", "measure": "string", "target_pct": "float64", "target": "string",
                      "latest_month": "datetime64[ns]", "latest_rate": "float64", "period_start": "datetime64[ns]",
                      "period_months": "Int64", "recalculated": "bool", "lpl": "float64", "upl": "float64", "variation": "string",
                      "assurance": "string", "changing": "bool"})


def _what(channel: str, measure: str) -> str:
    what = f"answered within {THRESHOLD_LABELS[measure]}" if measure != "abandoned" else "abandoned"
    return f"{channel} calls {what}"


def latest_months(r: XmrResult) -> pd.DataFrame:
    """The months whose behaviour the title states when no assurance is given: the latest
    period when it is too short for limits, else the run of special-cause months it ends with."""
    period = r.latest_period
    if not r.has_limits:
        return period
    flagged = (period["rule"] != "").to_numpy()
    n = 0
    while n < len(flagged) and flagged[len(flagged) - 1 - n]:
        n += 1
    return period.iloc[len(period) - n:]


def _months_against_target(months: pd.DataFrame, exact: pd.Series, t: Target) -> str:
    """"the target, at least 75% (local), met in 5 of the 9 months Apr 2025 to Dec 2025, missed
    in each of the last 4 (latest 69.5%)": each month decided exactly (``targets.meets``)."""
    met = [meets(Decimal(exact[x]), t) for x in months["x"]]
    first, last, n = months["x"].iloc[0], months["x"].iloc[-1], len(met)
    span = f"in {first:%b %Y}" if n == 1 else f"{first:%b %Y} to {last:%b %Y}"
    latest = f"latest {fmt_percent(exact[last], 1 if exact[last] >= 1 else LIMIT_PLACES)}"
    if all(met) or not any(met):
        verb = "met" if met[0] else "missed"
        said = f"in {span}" if n == 1 else f"in all {n} months {span}"
        return f"the target, {target_text(t)}, {verb} {said} ({latest})"
    tail = 1
    while tail < n and met[n - 1 - tail] == met[-1]:
        tail += 1
    text = f"the target, {target_text(t)}, met in {sum(met)} of the {n} months {span}"
    if tail >= 2:
        text += f", {'met' if met[-1] else 'missed'} in each of the last {tail}"
    return f"{text} ({latest})"


def assurance_title(channel: str, measure: str, r: XmrResult, t: Target, exact: pd.Series | None = None) -> str:
    """The chart's finding. With assurance: what the process, as it runs in its latest period,
    will do against its target. While the process is changing: no assurance, and what the
    latest months did against the target instead (``exact``: the exact monthly rates,
    ``exact_rates``). The reason for a recalculation is a note beside the chart."""
    what = _what(channel, measure)
    since = ""
    latest = r.latest_period
    if len(latest) and int(latest["period"].iloc[0]) > 1:
        start = latest["x"].iloc[0]
        since = f"limits recalculated from {start:%b %Y}, a known change point"
    verdict = {"pass": "will consistently meet", "fail": "will consistently miss",
               "hit_or_miss": "will hit and miss"}.get(str(r.assurance))
    if verdict is not None:
        title = f"{what}: as the process runs, it {verdict} the target, {target_text(t)}"
        return f"{title}; {since}" if since else title
    if not r.changing:
        return f"{what}: too few months to judge the target, {target_text(t)}"
    months = latest_months(r)
    done = (_months_against_target(months, exact, t) if exact is not None and len(months)
            else f"the target, {target_text(t)}: see the chart")
    if r.has_limits:
        why = "latest month special cause"
    else:
        why = f"new limits from {latest['x'].iloc[0]:%b %Y} need {r.rules.min_points} months"
    return f"{what}: {done}; {CHANGING} ({why})"


def display_assurance(table: pd.DataFrame) -> pd.DataFrame:
    """The assurance table for display: the icon columns hold icon codes (drawn with their
    words by the page), or words: "too few points for SPC", or, while the process is changing,
    "process changing: assurance when it settles"."""
    def code(v: object) -> str:
        return describe(None) if pd.isna(v) else str(v)

    def variation(v: object, recalculated: bool) -> str:
        return "too few months since the change for limits" if pd.isna(v) and recalculated else code(v)

    def limits(lo: float, hi: float, start: pd.Timestamp, n: int, recalculated: bool) -> str:
        if pd.notna(lo):
            text = f"{fmt_percent(lo, LIMIT_PLACES)} to {fmt_percent(hi, LIMIT_PLACES)}"
            return f"{text} (from {start:%b %Y})" if recalculated else text
        if recalculated:
            return f"none yet: recalculated from {start:%b %Y}, {n} months so far"
        return "none (too few months)"

    return pd.DataFrame({
        "Channel": [CHANNEL_NAMES[str(c)] for c in table["channel"]],
        "Measure": [_what(str(c), str(m)).split(" calls ", 1)[1].capitalize()
                    for c, m in zip(table["channel"], table["measure"], strict=True)],
        "Target": table["target"],
        "Latest month": [f"{d:%b %Y}" for d in table["latest_month"]],
        "Latest rate": [fmt_percent(v, LIMIT_PLACES) for v in table["latest_rate"]],
        "Process limits (latest period)": [limits(lo, hi, st, int(n), bool(rc)) for lo, hi, st, n, rc in
                                           zip(table["lpl"], table["upl"], table["period_start"],
                                               table["period_months"], table["recalculated"], strict=True)],
        "Variation (latest month)": [variation(v, bool(rc)) for v, rc in
                                     zip(table["variation"], table["recalculated"], strict=True)],
        "Assurance": [CHANGING if ch else code(v) for v, ch in zip(table["assurance"], table["changing"], strict=True)],
    })
