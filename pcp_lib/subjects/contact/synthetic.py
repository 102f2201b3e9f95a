"""Synthetic call-level extracts: realistic arrivals through a simulated queue, any size.

Why simulate rather than sample rates: tests and the benchmark need extracts whose
records behave like a real control room's (calls bunch in the evening and at weekends,
callers wait when every handler is busy, some hang up), so that ``aggregate_calls`` and the
queueing models are exercised on data with the right structure. Nothing here is real data.

Arrivals are a Poisson process whose rate varies by hour of day and day of week (separate
shapes for 999 and 101); each channel has its own pool of call handlers serving in arrival
order (first come, first served); handling times and callers' patience are exponential with
the means given, so the simulation is the Erlang A (M/M/n+M) model hour by hour. A caller
whose wait would exceed their patience hangs up (abandoned) and leaves no answer time.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from pcp_lib.core.provenance import Provenance, attach, combine, generated
from pcp_lib.reference.contact_staffing import load_assumptions
from pcp_lib.subjects.contact.published import load_published, published_volumes, published_years
from pcp_lib.subjects.contact.returns import VOICE

__all__ = ["DAY_SHAPE", "GENERATOR", "HANDLERS", "HOUR_SHAPE", "hour_of_week_rates", "published_calls_per_day",
           "synthetic_calls"]

#: The name simulated records carry as their source (their provenance's "file").
GENERATOR = "pcp_lib.subjects.contact.synthetic.synthetic_calls"

#: Share of a day's calls in each hour (0-23). 999 peaks in the evening and stays busy late;
#: 101 is a daytime service. Illustrative shapes, not Force data.
HOUR_SHAPE: dict[str, tuple[float, ...]] = {
    "999": (3.6, 3.0, 2.5, 2.0, 1.6, 1.4, 1.5, 2.2, 3.2, 3.9, 4.3, 4.6,
            4.8, 4.9, 5.0, 5.3, 5.7, 6.0, 6.0, 5.8, 5.5, 5.2, 4.7, 4.3),
    "101": (1.2, 0.8, 0.5, 0.4, 0.4, 0.6, 1.3, 3.0, 5.6, 6.9, 7.3, 7.2,
            6.9, 6.8, 6.8, 6.7, 6.5, 6.0, 5.3, 4.6, 3.8, 3.1, 2.3, 1.8),
}
#: Relative volume by day of week, Monday first.
DAY_SHAPE: dict[str, tuple[float, ...]] = {
    "999": (0.97, 0.94, 0.95, 0.97, 1.05, 1.10, 1.02),
    "101": (1.12, 1.06, 1.03, 1.01, 1.00, 0.90, 0.88),
}
HANDLERS = {"999": 6, "101": 7}


def published_calls_per_day(data_dir: str | Path | None = None) -> tuple[dict[str, float], int, Provenance]:
    """Calls a day on 999 and 101 in the latest published calendar year (published volume / 365),
    that year, and the provenance of the published figures they come from."""
    published = load_published(data_dir)
    year = published_years(published)[1]
    volumes = published_volumes(published)
    return {ch: volumes[(ch, year)] / 365 for ch in VOICE}, year, published.provenance


def hour_of_week_rates(channel: str, calls_per_day: float) -> np.ndarray:
    """Expected calls in each of the 168 hours of a week (Monday 00:00 first)."""
    hours = np.asarray(HOUR_SHAPE[channel], dtype=float)
    hours = hours / hours.sum()
    days = np.asarray(DAY_SHAPE[channel], dtype=float)
    days = days / days.mean()
    return (days[:, None] * hours[None, :] * calls_per_day).ravel()


def _simulate_queue(arrival_s: np.ndarray, service_s: np.ndarray, patience_s: np.ndarray,
                    handlers: int) -> tuple[np.ndarray, np.ndarray]:
    """First-come-first-served queue with ``handlers`` servers and abandonment.

    Returns each call's answer time (NaN when abandoned) and end time. Exact for FIFO: a
    caller's potential start is when the earliest handler frees up (callers who hang up never
    occupy a handler), so one heap of handlers' free times suffices.
    """
    free = [float(arrival_s[0]) if len(arrival_s) else 0.0] * handlers
    heapq.heapify(free)
    answered = np.empty(len(arrival_s))
    ended = np.empty(len(arrival_s))
    nan = math.nan
    replace = heapq.heapreplace
    for i, (t, s, p) in enumerate(zip(arrival_s.tolist(), service_s.tolist(), patience_s.tolist(), strict=True)):
        f = free[0]
        start = t if f <= t else f
        if start - t > p:
            answered[i] = nan
            ended[i] = t + p
        else:
            replace(free, start + s)
            answered[i] = start
            ended[i] = start + s
    return answered, ended


def synthetic_calls(start: date = date(2025, 1, 6), days: int | None = 7, *, n_calls: int | None = None,
                    calls_per_day: Mapping[str, float] | None = None, handlers: Mapping[str, int] | None = None,
                    aht_s: Mapping[str, float] | None = None, patience_s: Mapping[str, float] | None = None,
                    seed: int = 20250106, data_dir: str | Path | None = None) -> pd.DataFrame:
    """A synthetic call-level extract (columns of ``CONTACT_CALLS``), deterministic for a seed.

    Either ``days`` from ``start`` or exactly ``n_calls`` calls (the earliest, from as many days
    as needed). ``calls_per_day``, ``handlers``, ``aht_s`` (handling time) and ``patience_s``
    (mean time a caller waits before hanging up) are per channel; by default demand is the
    latest published calendar year's (``data/published/contact_annual.csv``), and handling
    times and patience are the staffing assumptions'
    (``data/reference/contact_staffing_assumptions.csv``), so the queue and the Erlang model agree.
    Times are whole milliseconds; ``channel`` is categorical, ``call_id`` an integer in arrival
    order. The records carry SYNTHETIC provenance (``core.provenance.generated``) combined with
    that of the files their defaults were read from.
    """
    sources: list[Provenance] = []
    default_cpd, year, published = published_calls_per_day(data_dir)
    cpd = dict(default_cpd, **(calls_per_day or {}))
    if any(ch not in (calls_per_day or {}) for ch in VOICE):
        sources.append(published)
    pool = dict(HANDLERS, **(handlers or {}))
    assumed = load_assumptions(data_dir)
    aht = dict(assumed.aht_s, **(aht_s or {}))
    pat = dict(assumed.patience_s, **(patience_s or {}))
    if any(ch not in (aht_s or {}) or ch not in (patience_s or {}) for ch in VOICE):
        sources.append(assumed.provenance)
    if n_calls is not None:
        per_day = sum(cpd[c] for c in VOICE)
        days = max(1, math.ceil(n_calls / per_day * 1.05) + 1)
    if not days or days < 1:
        raise ValueError("give days >= 1 or n_calls")
    rng = np.random.default_rng(seed)
    origin_ms = int(np.datetime64(start, "ms").astype(np.int64))
    weekday0 = start.weekday()
    parts = []
    for ci, channel in enumerate(VOICE):
        week = hour_of_week_rates(channel, cpd[channel])
        idx = (np.arange(days * 24) + weekday0 * 24) % 168
        counts = rng.poisson(week[idx])
        hour_start = np.repeat(np.arange(days * 24, dtype=np.float64) * 3600.0, counts)
        arrival = np.sort(hour_start + rng.uniform(0, 3600, len(hour_start)))
        arrival = np.round(arrival, 3)
        service = np.round(rng.exponential(aht[channel], len(arrival)), 3) + 0.001
        patience = np.round(rng.exponential(pat[channel], len(arrival)), 3)
        answered, ended = _simulate_queue(arrival, service, patience, int(pool[channel]))
        parts.append((np.full(len(arrival), ci, dtype=np.int8), arrival, answered, ended))
    chan = np.concatenate([p[0] for p in parts])
    arrival = np.concatenate([p[1] for p in parts])
    answered = np.concatenate([p[2] for p in parts])
    ended = np.concatenate([p[3] for p in parts])
    order = np.lexsort((chan, arrival))
    if n_calls is not None:
        order = order[:n_calls]
    chan, arrival, answered, ended = chan[order], arrival[order], answered[order], ended[order]
    abandoned = np.isnan(answered)

    def to_time(seconds: np.ndarray) -> np.ndarray:
        ms = np.rint(np.nan_to_num(seconds, nan=0.0) * 1000).astype(np.int64) + origin_ms
        out = ms.astype("datetime64[ms]")
        out[np.isnan(seconds)] = np.datetime64("NaT")
        return out

    df = pd.DataFrame({
        "call_id": np.arange(1, len(order) + 1, dtype=np.int64),
        "channel": pd.Categorical.from_codes(chan, categories=list(VOICE)),
        "arrival": to_time(arrival),
        "answered_at": to_time(answered),
        "ended": to_time(ended),
        "abandoned": abandoned,
    })
    span = f"{days} days from {start:%d/%m/%Y}" if n_calls is None else f"{n_calls:,} calls from {start:%d/%m/%Y}"
    made = generated(GENERATOR, f"Simulated call records ({span}, seed {seed}): Poisson arrivals by hour of the week "
                                f"through a simulated queue, at {year} published demand unless given; not real calls.")
    return attach(df, combine([made, *sources]))
