"""Staffing what-if: how many call handlers, hour by hour, the demand needs to meet the targets.

The report (paras 20-24) says sustained performance needs resourcing: 26 extra call handlers
(FTE) in 2024/25 at about £1.2m, cut to 20 in 2025/26. This module turns annual demand into
calls per hour of a typical week (using the hour-of-week pattern of call-level data), and for
each hour finds the fewest handlers on the phones that meet:

- 999: 90% answered within 10 seconds (national target), by Erlang C (the planning standard;
  999 callers rarely hang up);
- 101: 75% answered within 15 minutes **and** abandonment under 10% (local targets), by
  Erlang A, because one 101 caller in eight hangs up and Erlang C would overstate the need.

Before it says what more staff would do, the what-if is checked against what happened
(``back_test``): with the published staffing (the core establishment it infers, plus the
published uplift of each period) it predicts each published year's answer and abandonment rates,
set beside the published ones; the page says by how much it misses and why.

Handler-hours a week become FTE by dividing by paid hours (37) and by (1 - shrinkage). The
two pools are modelled separately (in the control room the same staff answer both, with 999
first), so the figures are an illustration of scale, not a rota. Handling times, patience and
shrinkage are assumptions (``data/reference/contact_staffing_assumptions.csv``, SYNTHETIC).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pcp_lib.methods.erlang import agents_required, erlang_a_abandon, erlang_a_many, offered_load
from pcp_lib.reference.contact_staffing import Assumptions
from pcp_lib.subjects.contact.published import Published, Uplift
from pcp_lib.subjects.contact.returns import VOICE
from pcp_lib.subjects.contact.targets import target_lookup

__all__ = ["BACKTEST_MEASURES", "DAYS", "REPRODUCED_PP", "WEEKS_PER_YEAR", "WhatIf", "back_test", "complete_years",
           "core_fte", "fte", "handlers_needed", "heatmap_table", "hourly_demand", "need_summary", "performance_with",
           "uplift_scenarios", "week_profile", "what_if"]

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKS_PER_YEAR = 365 / 7


def complete_years(monthly: pd.DataFrame, channels: tuple[str, ...] = VOICE) -> list[int]:
    """Calendar years in which every one of ``channels`` has all twelve months of data."""
    years = sorted({d.year for d in monthly["month"]})
    return [y for y in years
            if all(int(((monthly["channel"] == ch) & monthly["month"].map(lambda d, y=y: d.year == y)).sum()) == 12
                   for ch in channels)]


def week_profile(calls: pd.DataFrame) -> pd.DataFrame:
    """Share of each channel's calls in each hour of the week (day x hour), from call records.

    Tidy: channel, day (0 = Monday), hour, calls, share (of the channel's calls in the data).
    """
    arr = calls["arrival"]
    df = pd.DataFrame({"channel": calls["channel"].astype("string"), "day": arr.dt.day_of_week.astype("int64"),
                       "hour": arr.dt.hour.astype("int64")})
    counts = df.groupby(["channel", "day", "hour"], observed=True).size().rename("calls").reset_index()
    full = pd.MultiIndex.from_product([sorted(counts["channel"].unique()), range(7), range(24)],
                                      names=["channel", "day", "hour"])
    counts = counts.set_index(["channel", "day", "hour"]).reindex(full, fill_value=0).reset_index()
    counts["share"] = counts["calls"] / counts.groupby("channel")["calls"].transform("sum")
    return counts.astype({"channel": "string", "calls": "int64", "share": "float64"})


def heatmap_table(profile: pd.DataFrame, channel: str | None = None) -> pd.DataFrame:
    """Calls per hour of the week as a day x hour table (rows Mon..Sun, columns 0..23)."""
    p = profile if channel is None else profile[profile["channel"] == channel]
    t = p.groupby(["day", "hour"])["calls"].sum().unstack("hour").reindex(index=range(7), columns=range(24))
    t.index = list(DAYS)
    return t.fillna(0).astype("int64")


def hourly_demand(annual_calls: int, profile: pd.DataFrame, channel: str) -> np.ndarray:
    """Expected calls in each of the 168 hours of a typical week for an annual volume."""
    share = profile[profile["channel"] == channel].sort_values(["day", "hour"])["share"].to_numpy()
    return annual_calls / WEEKS_PER_YEAR * share


def _agents_101_many(calls: list[float], aht_s: float, patience_s: float, target_s: float, service_level: float,
                     max_abandon: float) -> list[int]:
    """The fewest 101 handlers meeting both 101 targets under Erlang A, for each interval's
    ``calls``: each interval's search takes the steps it would alone, but the candidates of all
    of them are evaluated together (``erlang_a_many``), which is several times faster."""
    found = [0] * len(calls)
    # No smaller n can work: the handlers' occupancy a(1 - abandoned)/n is at most 1, so
    # abandonment under max_abandon needs n > a(1 - max_abandon).
    trying = {i: max(1, math.floor(offered_load(c, aht_s, 3600) * (1 - max_abandon)))
              for i, c in enumerate(calls) if c > 0}
    while trying:
        for i in trying:
            while erlang_a_abandon(trying[i], calls[i], aht_s, 3600, patience_s) >= max_abandon:
                trying[i] += 1  # ruled out on abandonment alone, without the answer-time distribution
        pending = list(trying)
        results = erlang_a_many([trying[i] for i in pending], [calls[i] for i in pending], aht_s, 3600, [target_s],
                                patience_s)
        for i, (r,) in zip(pending, results, strict=True):
            if r.service_level >= service_level and r.p_abandon < max_abandon:
                found[i] = trying.pop(i)
            else:
                trying[i] += 1
    return found


def handlers_needed(hourly: dict[str, np.ndarray], a: Assumptions, targets: pd.DataFrame) -> pd.DataFrame:
    """Handlers on the phones needed in each hour of the week, per channel (tidy).

    Columns: channel, how (hour of week 0..167), day, hour, calls, handlers.
    """
    t = target_lookup(targets)
    t999 = t[("999", "answered_10s")]
    t101 = t[("101", "answered_15min")]
    ab101 = t[("101", "abandoned")]
    rows = []
    n101s = _agents_101_many([float(c) for c in hourly["101"][:168]], a.aht_s["101"], a.patience_s["101"],
                             int(t101["threshold_s"]), float(t101["target_pct"]) / 100,
                             float(ab101["target_pct"]) / 100)
    for h in range(168):
        c999 = float(hourly["999"][h])
        c101 = float(hourly["101"][h])
        n999 = agents_required(c999, a.aht_s["999"], 3600, int(t999["threshold_s"]),
                               float(t999["target_pct"]) / 100) if c999 > 0 else 0
        n101 = n101s[h]
        rows.append({"channel": "999", "how": h, "calls": c999, "handlers": n999})
        rows.append({"channel": "101", "how": h, "calls": c101, "handlers": n101})
    df = pd.DataFrame(rows)
    df["day"] = df["how"] // 24
    df["hour"] = df["how"] % 24
    return df.astype({"channel": "string", "how": "int64", "calls": "float64", "handlers": "int64"})


def fte(handler_hours: float, a: Assumptions) -> float:
    """Handler-hours a week on the phones to full-time equivalents on the payroll."""
    return handler_hours / a.fte_hours / (1 - a.shrinkage)


def need_summary(needs: dict[str, pd.DataFrame], a: Assumptions) -> pd.DataFrame:
    """Weekly handler-hours and FTE per channel for each demand scenario (e.g. 2024, 2025)."""
    rows = []
    for label, df in needs.items():
        for ch in VOICE:
            part = df[df["channel"] == ch]
            hours = int(part["handlers"].sum())
            rows.append({"demand": label, "channel": ch, "calls_per_week": float(part["calls"].sum()),
                         "peak_handlers": int(part["handlers"].max()), "handler_hours_per_week": hours,
                         "fte": fte(hours, a)})
    return pd.DataFrame(rows).astype({"demand": "string", "channel": "string"})


def performance_with(staff_fte: float, need: pd.DataFrame, a: Assumptions) -> dict[str, float]:
    """Predicted week's performance if ``staff_fte`` FTE are rostered in proportion to the need.

    FTE become handler-hours on the phones, shared between 999 and 101 and across the hours in
    proportion to what each hour needs (whole handlers, at least one an hour). Each hour is then
    evaluated with Erlang A (callers hang up after their patience), and results are weighted by
    calls: 999 share answered within 10 s and abandoned; 101 within 2 and 15 minutes, abandoned.
    """
    hours_available = staff_fte * a.fte_hours * (1 - a.shrinkage)
    total_need = float(need["handlers"].sum())
    scale = hours_available / total_need if total_need else 0.0
    out: dict[str, float] = {}
    for ch, checks in (("999", (("within_10s", 10),)), ("101", (("within_2min", 120), ("within_15min", 900)))):
        part = need[need["channel"] == ch]
        calls = part["calls"].to_numpy()
        agents = np.maximum(1, np.floor(part["handlers"].to_numpy() * scale + 0.5)).astype(int)
        weights = calls / calls.sum()
        abandon = 0.0
        sl = dict.fromkeys((name for name, _ in checks), 0.0)
        # every hour and target at once (the same figures as erlang_a for each, in one pass)
        by_hour = erlang_a_many([int(n) for n in agents], [float(c) for c in calls], a.aht_s[ch], 3600,
                                [secs for _, secs in checks], a.patience_s[ch])
        for w, results in zip(weights, by_hour, strict=True):
            for (name, _), r in zip(checks, results, strict=True):
                sl[name] += w * r.service_level
            abandon += w * r.p_abandon
        for name, v in sl.items():
            out[f"{ch}_{name}"] = 100 * v
        out[f"{ch}_abandoned"] = 100 * abandon
    return out


def core_fte(need_earlier: pd.DataFrame, a: Assumptions, uplift: Uplift) -> float:
    """The core establishment the model infers (it is not published): what the earlier year's
    demand needed to meet every target, less the 2024/25 uplift (the report says the targets
    were met throughout 2024/25 with the uplift in place)."""
    return fte(float(need_earlier["handlers"].sum()), a) - uplift.extra_fte_2024_25


def uplift_scenarios(need_later: pd.DataFrame, need_earlier: pd.DataFrame, a: Assumptions,
                     uplift: Uplift) -> pd.DataFrame:
    """What the 2024/25 and 2025/26 uplifts (26 and 20 extra FTE) buy against the later demand.

    The baseline (core) establishment is taken as what the earlier year's demand needed less
    the 2024/25 uplift, since the report says the targets were met throughout 2024/25 with the
    uplift in place. Each scenario is core plus an uplift, against the later demand; the last
    row is what the later demand needs to meet every target. Numeric columns are float64.
    """
    need_b = fte(float(need_later["handlers"].sum()), a)
    core = core_fte(need_earlier, a, uplift)
    rows = []
    for label, staff in ((f"Core + {uplift.extra_fte_2024_25} extra FTE (2024/25)", core + uplift.extra_fte_2024_25),
                         (f"Core + {uplift.extra_fte_2025_26} extra FTE (2025/26)", core + uplift.extra_fte_2025_26),
                         ("Needed for every target", need_b)):
        rows.append({"scenario": label, "fte": staff, **performance_with(staff, need_later, a)})
    return pd.DataFrame(rows).astype({"scenario": "string"})


@dataclass(frozen=True)
class WhatIf:
    """The staffing what-if for two calendar years of demand: handlers needed each hour of a
    typical week (``needs``, by year), their weekly totals and FTE (``summary``), and what the
    uplifts buy against the later year (``scenarios``)."""

    years: tuple[int, int]
    needs: dict[str, pd.DataFrame]
    summary: pd.DataFrame
    scenarios: pd.DataFrame


def what_if(volumes: dict[tuple[str, int], int], years: tuple[int, int], profile: pd.DataFrame,
            a: Assumptions, targets: pd.DataFrame, uplift: Uplift) -> WhatIf:
    """The what-if for calendar ``years`` of demand: ``volumes`` gives each (channel, year)'s
    calls offered; ``profile`` (``week_profile``) spreads them over the hours of a week."""
    needs = {}
    for y in years:
        hourly = {ch: hourly_demand(volumes[(ch, y)], profile, ch) for ch in VOICE}
        needs[str(y)] = handlers_needed(hourly, a, targets)
    y0, y1 = (str(y) for y in years)
    return WhatIf(years, needs, need_summary(needs, a), uplift_scenarios(needs[y1], needs[y0], a, uplift))


#: the published rates the back-test predicts: (channel, measure of the published table, model output)
BACKTEST_MEASURES: tuple[tuple[str, str, str], ...] = (
    ("999", "answered_10s", "999_within_10s"), ("999", "abandoned", "999_abandoned"),
    ("101", "answered_2min", "101_within_2min"), ("101", "abandoned", "101_abandoned"))
#: the model "reproduces" a published year when every predicted rate is within this many
#: percentage points of the published one (the published rates are printed to 0.1pp)
REPRODUCED_PP = 2.0


def back_test(plan: WhatIf, published: Published, a: Assumptions, uplift: Uplift) -> pd.DataFrame:
    """The model against what happened: each published year's rates predicted with the
    published staffing, beside the published rates.

    Staffing: the inferred core (``core_fte``) plus the uplift in force: the 2024/25 uplift all
    of the earlier year (it rolled over from 2023 at the same size, para 20); in the later year
    the 2024/25 uplift for January-March and the 2025/26 one from April (financial years), the
    months weighted equally. One row per year and rate: year, channel, measure, staffing (words),
    modelled, published, difference_pp (modelled - published), within (|difference| at most
    ``REPRODUCED_PP``)."""
    y0, y1 = plan.years
    core = core_fte(plan.needs[str(y0)], a, uplift)
    e0, e1 = uplift.extra_fte_2024_25, uplift.extra_fte_2025_26
    periods = {y0: ([(1.0, core + e0)], f"core {core:.1f} + {e0} FTE uplift all year"),
               y1: ([(0.25, core + e0), (0.75, core + e1)],
                    f"core {core:.1f} + {e0} FTE uplift Jan-Mar, + {e1} from Apr")}
    annual = published.annual
    rows = []
    for year, (parts, words) in periods.items():
        modelled: dict[str, float] = {}
        for weight, staff in parts:
            for key, value in performance_with(staff, plan.needs[str(year)], a).items():
                modelled[key] = modelled.get(key, 0.0) + weight * value
        for ch, measure, key in BACKTEST_MEASURES:
            hit = annual[(annual["channel"] == ch) & (annual["measure"] == measure) & (annual["year"] == year)]
            if hit.empty:
                continue
            pub = float(hit["number"].iloc[0])
            diff = modelled[key] - pub
            rows.append({"year": year, "channel": ch, "measure": measure, "staffing": words,
                         "modelled": modelled[key], "published": pub, "difference_pp": diff,
                         "within": abs(diff) <= REPRODUCED_PP})
    df = pd.DataFrame(rows, columns=["year", "channel", "measure", "staffing", "modelled", "published",
                                     "difference_pp", "within"])
    return df.astype({"year": "int64", "channel": "string", "measure": "string", "staffing": "string",
                      "modelled": "float64", "published": "float64", "difference_pp": "float64", "within": "bool"})
