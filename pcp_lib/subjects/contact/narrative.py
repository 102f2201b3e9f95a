"""Sentences for the contact page, computed from the figures (never typed in).

Volumes are described with a count and a percent change ("rose 36% (+53,387)"); rates with
their level and a change in percentage points ("3.6 percentage points lower"), never a
percent change of a percentage. Figures are formatted by ``pcp_lib.methods.units`` from the
exact values, so a sentence always agrees with the tables beside it.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pandas as pd

from pcp_lib.methods.units import (
    fmt_count,
    fmt_count_change,
    fmt_number,
    fmt_pct_change,
    fmt_percent,
    fmt_pp,
    pct_change,
    round_half_up,
)
from pcp_lib.subjects.contact.published import Uplift, fmt_published
from pcp_lib.subjects.contact.returns import VOICE
from pcp_lib.subjects.contact.summary import CHANGE_PERCENT, CHANGE_PP, CHANGE_VOLUME, exact
from pcp_lib.subjects.contact.targets import MET, NOT_MET

__all__ = ["NOUN", "backtest_sentences", "rate_sentence", "staffing_sentences", "summary_sentences", "targets_sentence",
           "volume_sentence"]

NOUN = {"999": "999 calls", "101": "101 calls", "online": "Online (Single Online Home) reports"}
#: The sentences of a comparison, in order: each channel's volume, then these rates.
PLAN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("999", ("answered_10s", "abandoned")), ("101", ("answered_2min", "answered_15min", "abandoned")),
    ("online", ()))


def _row(summary: pd.DataFrame, channel: str, measure: str) -> dict[str, Any] | None:
    part = summary[(summary["channel"] == channel) & (summary["measure"] == measure)]
    return None if part.empty else part.iloc[0].to_dict()


def volume_sentence(summary: pd.DataFrame, channel: str) -> str | None:
    """"999 calls rose 36% (+53,387), from 148,957 in 2024 to 202,344 in 2025."."""
    a, b = summary.attrs["labels"]
    r = _row(summary, channel, "offered")
    if r is None or r[exact(a)] is None or r[exact(b)] is None:
        return None
    change = int(r[CHANGE_VOLUME])
    verb = "rose" if change > 0 else "fell" if change < 0 else "were unchanged"
    pct = fmt_published("percent", r[exact(CHANGE_PERCENT)]).lstrip("+-")
    how = f" {pct} ({fmt_count_change(change)})" if change else ""
    return f"{NOUN[channel]} {verb}{how}, from {fmt_count(r[exact(a)])} in {a} to {fmt_count(r[exact(b)])} in {b}."


def rate_sentence(summary: pd.DataFrame, channel: str, measure: str) -> str | None:
    """"92.2% of 999 calls were answered within 10 seconds in 2025, 3.6 percentage points lower
    than in 2024 (95.8%); target at least 90% (national): ✔ Met."."""
    a, b = summary.attrs["labels"]
    r = _row(summary, channel, measure)
    if r is None or r[exact(b)] is None:
        return None
    what = ("were abandoned (the caller hung up before being answered)" if measure == "abandoned"
            else f"were {r['label'].lower()}")
    text = f"{fmt_published('rate', r[exact(b)])} of {NOUN[channel]} {what} in {b}"
    if r[exact(a)] is not None:
        pp = round_half_up(r[exact(CHANGE_PP)], 1)
        if pp == 0:
            text += f", the same to one decimal place as in {a} ({fmt_published('rate', r[exact(a)])})"
        else:
            text += (f", {abs(pp)} percentage point{'s' if abs(pp) != 1 else ''} "
                     f"{'higher' if pp > 0 else 'lower'} than in {a} ({fmt_published('rate', r[exact(a)])})")
    if r["target"] and r["status"]:
        text += f"; target {r['target']}: {r['status']}"
    elif r["target"]:
        text += f" ({r['target']})"
    return text + "."


def summary_sentences(summary: pd.DataFrame, only: Collection[tuple[str, str]] | None = None) -> list[str]:
    """The headline sentences of a comparison, channel by channel; with ``only``, just those
    (channel, measure) pairs (e.g. the figures the report publishes)."""
    out = []
    for channel, rates in PLAN:
        for measure in ("offered", *rates):
            if only is not None and (channel, measure) not in only:
                continue
            s = volume_sentence(summary, channel) if measure == "offered" else rate_sentence(summary, channel, measure)
            if s:
                out.append(s)
    return out


def targets_sentence(summary: pd.DataFrame) -> str | None:
    """Which targets the later period met and missed, each missed one with its rate against
    the target: "In Q3 2025/26 2 of 4 contact targets were met (...); missed: 101 calls
    answered within 15 minutes, 71.6% against at least 75% (local); ...". None when no
    rate has a target and a value."""
    b = summary.attrs["labels"][1]
    judged = summary[summary["status"].isin([MET, NOT_MET])]
    if judged.empty:
        return None

    def name(r: dict[str, Any]) -> str:
        what = "abandoned" if r["measure"] == "abandoned" else str(r["label"]).lower()
        return f"{NOUN[str(r['channel'])]} {what}"

    met = [name(r) for r in judged.to_dict("records") if r["status"] == MET]
    missed = [f"{name(r)}, {fmt_published('rate', r[exact(b)])} against {r['target']}"
              for r in judged.to_dict("records") if r["status"] == NOT_MET]
    text = f"In {b}, {len(met)} of {len(judged)} contact targets were met"
    text += f" ({'; '.join(met)})" if met else ""
    return text + (f"; missed: {'; '.join(missed)}." if missed else ".")


_BACKTEST_WORDS = {("999", "answered_10s"): "999 calls answered within 10 seconds",
                   ("999", "abandoned"): "999 calls abandoned",
                   ("101", "answered_2min"): "101 calls answered within 2 minutes",
                   ("101", "abandoned"): "101 calls abandoned"}


def backtest_sentences(bt: pd.DataFrame, tolerance_pp: float, uplift: Uplift, *, assumed_synthetic: bool = True,
                       simulated_calls: bool = True) -> list[str]:
    """Whether the model reproduces the published years (``staffing.back_test``), and when it
    does not, by how much it misses and why; said before any what-if. ``assumed_synthetic``:
    the staffing assumptions are a synthetic sample; ``simulated_calls``: the weekly pattern
    comes from simulated calls (both from the inputs' provenance)."""
    years = sorted(set(bt["year"]))
    if bt["within"].all():
        return [f"Back-test: with the published staffing the model reproduces every published rate of "
                f"{' and '.join(map(str, years))} within ±{fmt_number(tolerance_pp, 1)}pp (table below), so its "
                "what-if can be read as a forecast of scale."]
    worst = bt.loc[bt["difference_pp"].abs().idxmax()]
    misses = bt[~bt["within"]]
    listed = "; ".join(f"{r['year']} {_BACKTEST_WORDS[(r['channel'], r['measure'])]} "
                       f"{fmt_percent(r['modelled'])} against the published {fmt_percent(r['published'], 1)} "
                       f"({fmt_pp(r['difference_pp'], 1)})" for r in misses.to_dict("records"))
    return [
        f"Back-test: with the published staffing the model does not reproduce what happened. {len(misses)} of "
        f"{len(bt)} published rates are missed by more than ±{fmt_number(tolerance_pp, 1)}pp: {listed}. The largest "
        f"miss is {fmt_pp(worst['difference_pp'], 1)} ({worst['year']}, "
        f"{_BACKTEST_WORDS[(worst['channel'], worst['measure'])]}).",
        "Why it misses: the Force's core establishment is not published, so the model infers it as what the "
        f"earlier year's demand needed to meet the targets at their bare minimum, less the "
        f"{uplift.extra_fte_2024_25}-FTE uplift, while the published year ran well above the targets; handling "
        f"times, callers' patience and shrinkage are {'SYNTHETIC ' if assumed_synthetic else ''}assumptions, the "
        f"weekly pattern comes from {'simulated' if simulated_calls else 'a few weeks of'} call records, and 999 "
        "and 101 are modelled as separate pools whereas the control room answers 999 first from one pool (so the "
        "model starves 999 and flatters 101).",
        "So the what-if below shows the direction and rough size of a change in staff, not the level performance "
        "would reach: its percentages are the model's, and the model is that far from the published ones.",
    ]


def staffing_sentences(needs: pd.DataFrame, scenarios: pd.DataFrame, uplift: Uplift,
                       reproduced: bool = True) -> list[str]:
    """What the rises in demand did to the handlers needed, and what the two uplifts buy; when the
    model does not reproduce the published years (``backtest_sentences``), every rate it gives
    is said to be the model's."""
    labels = list(dict.fromkeys(needs["demand"]))
    a, b = labels[0], labels[-1]
    out = []
    for ch in VOICE:
        part = needs[needs["channel"] == ch].set_index("demand")
        fa, fb = float(part.loc[a, "fte"]), float(part.loc[b, "fte"])
        calls = pct_change(float(part.loc[a, "calls_per_week"]), float(part.loc[b, "calls_per_week"]))
        out.append(f"{ch}: meeting the targets with {b} demand needs about {fmt_number(fb)} FTE call handlers against "
                   f"{fmt_number(fa)} for {a} demand ({fmt_count_change(fb - fa)} FTE, "
                   f"{fmt_pct_change(pct_change(fa, fb))}, for {fmt_pct_change(calls)} calls); at the busiest hour "
                   f"{int(part.loc[b, 'peak_handlers'])} handlers on the phones against "
                   f"{int(part.loc[a, 'peak_handlers'])}.")
    total_a = float(needs[needs["demand"] == a]["fte"].sum())
    total_b = float(needs[needs["demand"] == b]["fte"].sum())
    out.append(f"Together the rise in demand adds about {fmt_number(total_b - total_a)} FTE, against the "
               f"{uplift.extra_fte_2024_25} extra FTE funded in 2024/25 and the {uplift.extra_fte_2025_26} "
               "kept in 2025/26.")
    lead = "" if reproduced else "In the model (which misses the published years, above), "
    for rec in scenarios.to_dict("records")[:2]:
        text = (f"{rec['scenario']} ({fmt_number(rec['fte'])} FTE) against {b} demand: about "
                f"{fmt_percent(rec['999_within_10s'])} of 999 calls answered within 10 seconds; "
                f"{fmt_percent(rec['101_within_15min'])} of 101 calls answered within 15 minutes and "
                f"{fmt_percent(rec['101_abandoned'])} abandoned.")
        out.append(lead + text[0].lower() + text[1:] if lead else text)
    return out
