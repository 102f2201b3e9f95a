"""Sentences for the notebook, computed from the figures (never typed in).

Volumes are described with a count and a percent change ("rose 36% (+53,387)"); rates with
their level and a change in percentage points ("3.6 percentage points lower"), never a
percent change of a percentage.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from pcp_lib.subjects.contact.summary import (
    CHANGE_PERCENT,
    CHANGE_PP,
    CHANGE_VOLUME,
    fmt_change_percent,
    fmt_rate,
    fmt_volume,
    round_half_up,
)

NOUN = {"999": "999 calls", "101": "101 calls", "online": "Online (Single Online Home) reports"}


def _row(summary: pd.DataFrame, channel: str, measure: str) -> dict | None:
    part = summary[(summary["channel"] == channel) & (summary["measure"] == measure)]
    return None if part.empty else part.iloc[0].to_dict()


def volume_sentence(summary: pd.DataFrame, channel: str) -> str | None:
    """"999 calls rose 36% (+53,387), from 148,957 in 2024 to 202,344 in 2025."."""
    a, b = summary.attrs["labels"]
    r = _row(summary, channel, "offered")
    if r is None or r[a] is None or r[b] is None or pd.isna(r[a]) or pd.isna(r[b]):
        return None
    change = int(r[CHANGE_VOLUME])
    verb = "rose" if change > 0 else "fell" if change < 0 else "were unchanged"
    pct = fmt_change_percent(r[CHANGE_PERCENT]).lstrip("+-")
    how = f" {pct} ({change:+,})" if change else ""
    return f"{NOUN[channel]} {verb}{how}, from {fmt_volume(r[a])} in {a} to {fmt_volume(r[b])} in {b}."


def rate_sentence(summary: pd.DataFrame, channel: str, measure: str) -> str | None:
    """"92.2% of 999 calls were answered within 10 seconds in 2025, 3.6 percentage points lower
    than in 2024 (95.8%); target at least 90% (national): ✔ Met."."""
    a, b = summary.attrs["labels"]
    r = _row(summary, channel, measure)
    if r is None or r[b] is None or pd.isna(r[b]):
        return None
    what = ("were abandoned (the caller hung up before being answered)" if measure == "abandoned"
            else f"were {r['label'].lower()}")
    text = f"{fmt_rate(r[b])} of {NOUN[channel]} {what} in {b}"
    if r[a] is not None and not pd.isna(r[a]):
        pp = round_half_up(Decimal(r[CHANGE_PP]), 1)
        if pp == 0:
            text += f", the same to one decimal place as in {a} ({fmt_rate(r[a])})"
        else:
            text += (f", {abs(pp)} percentage point{'s' if abs(pp) != 1 else ''} "
                     f"{'higher' if pp > 0 else 'lower'} than in {a} ({fmt_rate(r[a])})")
    if r["target"] and r["status"]:
        text += f"; target {r['target']}: {r['status']}"
    elif r["target"]:
        text += f" ({r['target']})"
    return text + "."


def summary_sentences(summary: pd.DataFrame) -> list[str]:
    """The headline sentences of a comparison, channel by channel."""
    out = []
    plan = (("999", ("answered_10s", "abandoned")), ("101", ("answered_2min", "answered_15min", "abandoned")),
            ("online", ()))
    for channel, rates in plan:
        for s in (volume_sentence(summary, channel), *(rate_sentence(summary, channel, m) for m in rates)):
            if s:
                out.append(s)
    return out


def staffing_sentences(needs: pd.DataFrame, scenarios: pd.DataFrame, uplift: dict) -> list[str]:
    """What the rises in demand did to the handlers needed, and what 26 vs 20 extra FTE buy."""
    labels = list(dict.fromkeys(needs["demand"]))
    a, b = labels[0], labels[-1]
    out = []
    for ch in ("999", "101"):
        part = needs[needs["channel"] == ch].set_index("demand")
        fa, fb = float(part.loc[a, "fte"]), float(part.loc[b, "fte"])
        calls_change = 100 * (float(part.loc[b, "calls_per_week"]) / float(part.loc[a, "calls_per_week"]) - 1)
        out.append(f"{ch}: meeting the targets with {b} demand needs about {fb:,.0f} FTE call handlers against "
                   f"{fa:,.0f} for {a} demand ({fb - fa:+,.0f} FTE, {100 * (fb / fa - 1):+.0f}%, for "
                   f"{calls_change:+.0f}% calls); at the busiest hour {int(part.loc[b, 'peak_handlers'])} "
                   f"handlers on the phones against {int(part.loc[a, 'peak_handlers'])}.")
    total_a = float(needs[needs["demand"] == a]["fte"].sum())
    total_b = float(needs[needs["demand"] == b]["fte"].sum())
    out.append(f"Together the rise in demand adds about {total_b - total_a:,.0f} FTE, against the "
               f"{uplift['extra_fte_2024_25']} extra FTE funded in 2024/25 and the {uplift['extra_fte_2025_26']} "
               "kept in 2025/26.")
    for rec in scenarios.to_dict("records")[:2]:
        out.append(f"{rec['scenario']} ({rec['fte']:,.0f} FTE) against {b} demand: about "
                   f"{rec['999_within_10s']:.1f}% of 999 calls answered within 10 seconds; "
                   f"{rec['101_within_15min']:.1f}% of 101 calls answered within 15 minutes and "
                   f"{rec['101_abandoned']:.1f}% abandoned.")
    return out
