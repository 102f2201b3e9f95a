"""Write the SYNTHETIC monthly contact return for calendar 2024 and 2025.

The Force's monthly figures are not published; only calendar-year totals and rates are
(001_b24730b53cda192b.txt, Police Contact Demand report). This script makes plausible
months, with a fixed seed, whose sums reproduce the published figures *exactly*: volumes to
the call, and every published rate to its published decimal place (the annual counts are
the published rate times the published volume, rounded to the nearest call). The shape
follows the report: 999 answered within 10 seconds over 90% every month and "stabilised
around 91% since April 2025"; 101 targets met throughout 2024/25 (para 22), then declining.
The 101 15-minute and 10-second counts, the 999 2- and 15-minute counts and the average
speed of answer are not published: they are illustrative.

Run from the project root: ``.venv/bin/python scripts/make_sample_contact.py``. It rewrites
``data/quarters/<slug>/contact_monthly.csv`` (2023-24-Q4 to 2025-26-Q3) byte-identically.
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pcp_lib.methods.periods import Quarter  # noqa: E402
from pcp_lib.subjects.contact.published import load_published, published_volumes  # noqa: E402

SEED = 20260310
MONTHS = [date(y, m, 1) for y in (2024, 2025) for m in range(1, 13)]
# Published calendar-year figures, read from their one home (data/published/contact_annual.csv,
# transcribed from 001_b24730b53cda192b.txt, Police Contact Demand report).
_PUBLISHED = load_published(ROOT / "data")
VOLUME = published_volumes(_PUBLISHED)
PUBLISHED_RATE = {(str(r["channel"]), str(r["measure"]), int(r["year"])): str(r["number"])
                  for r in _PUBLISHED.annual.to_dict("records") if r["measure"] != "offered"}
# Illustrative (not published) annual rates for the other thresholds.
ILLUSTRATIVE_RATE = {("101", "answered_15min", 2024): "87.6", ("101", "answered_15min", 2025): "77.9",
                     ("101", "answered_10s", 2024): "31.4", ("101", "answered_10s", 2025): "19.8"}
SEASON = np.array([0.93, 0.88, 0.97, 0.98, 1.03, 1.04, 1.08, 1.06, 1.01, 1.02, 0.98, 1.02])


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to ``weights`` that add up to ``total`` exactly (largest
    remainder, ties to the earlier month)."""
    w = np.asarray(weights, dtype=float)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(np.int64)
    short = int(total - base.sum())
    order = sorted(range(len(w)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order[:short]:
        base[i] += 1
    return base


def annual_count(rate: str, volume: int) -> int:
    """The published rate times the published volume, to the nearest call."""
    return int((Decimal(rate) * volume / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def adjust_to(counts: np.ndarray, total: int, weights: np.ndarray) -> np.ndarray:
    """Shift monthly counts so they sum to ``total``, spreading the difference by ``weights``."""
    diff = total - int(counts.sum())
    sign = 1 if diff >= 0 else -1
    return counts + sign * allocate(abs(diff), weights)


def volumes(rng: np.random.Generator, channel: str, growth: float) -> np.ndarray:
    out = []
    for year in (2024, 2025):
        trend = 1 + growth * (np.arange(12) - 5.5) / 12
        w = SEASON * trend * rng.normal(1, 0.02, 12)
        out.append(allocate(VOLUME[(channel, year)], w))
    return np.concatenate(out)


def rate_counts(rng: np.random.Generator, offered: np.ndarray, path: np.ndarray, noise: float,
                totals: tuple[int, int]) -> np.ndarray:
    """Monthly counts near ``path`` (per cent of offered) whose calendar-year sums are ``totals``."""
    pct = path + rng.normal(0, noise, len(path))
    counts = np.rint(pct / 100 * offered).astype(np.int64)
    for k, year_total in enumerate(totals):
        sl = slice(12 * k, 12 * k + 12)
        counts[sl] = adjust_to(counts[sl], year_total, offered[sl])
    return counts



def call_rows(channel: str, off, answered, in10, in2, in15, ab, asa) -> list[dict]:
    """One row per month for a call channel; ``asa(i)`` draws month i's average speed of answer
    (called in month order, so the random stream is the same as drawing in a loop)."""
    return [{"month": m, "channel": channel, "offered": off[i], "answered": answered[i],
             "answered_10s": in10[i], "answered_2min": in2[i], "answered_15min": in15[i],
             "abandoned": ab[i], "asa_s": Decimal(str(round(asa(i), 1)))} for i, m in enumerate(MONTHS)]

def build() -> list[dict]:
    rng = np.random.default_rng(SEED)
    rows: list[dict] = []
    # ---- 999 ------------------------------------------------------------------------------
    off = volumes(rng, "999", 0.10)
    ab = np.concatenate([allocate(annual_count(PUBLISHED_RATE[("999", "abandoned", y)], VOLUME[("999", y)]),
                                  off[12 * k:12 * k + 12] * (1 + 0.05 * np.arange(12)))
                         for k, y in enumerate((2024, 2025))])
    # within 10 s: 2024 near 95.8; 2025 April-December near 91 (para 9), January-March take the rest
    in10 = np.zeros(24, dtype=np.int64)
    in10[:12] = rate_counts(rng, off[:12], np.full(12, 95.8), 0.5,
                            (annual_count(PUBLISHED_RATE[("999", "answered_10s", 2024)], VOLUME[("999", 2024)]),))
    apr_dec = np.rint(np.clip(91.0 + rng.normal(0, 0.45, 9), 90.4, None) / 100 * off[15:]).astype(np.int64)
    in10[15:] = apr_dec
    rest = annual_count(PUBLISHED_RATE[("999", "answered_10s", 2025)], VOLUME[("999", 2025)]) - int(apr_dec.sum())
    in10[12:15] = allocate(rest, off[12:15])
    answered = off - ab
    in2 = answered - np.rint(answered * rng.uniform(0.001, 0.003, 24)).astype(np.int64)
    in15 = answered - rng.integers(0, 3, 24)
    late = 100 - 100 * in10 / off
    rows += call_rows("999", off, answered, in10, in2, in15, ab,
                      lambda i: 2.4 + 0.55 * late[i] + rng.uniform(0, 0.4))
    # ---- 101 ------------------------------------------------------------------------------
    off = volumes(rng, "101", 0.25)
    t = np.arange(24)
    decline = np.clip(t - 11, 0, None)  # a steady slide through 2025 (1 in January)
    made = {}
    # each 101 rate: its path through the two years, its noise, and the annual rate it adds up to
    for measure, path, noise, rates in (("abandoned", 9.0 + 0.49 * decline, 0.5, PUBLISHED_RATE),
                                        ("answered_2min", 79.1 - 2.06 * decline, 1.2, PUBLISHED_RATE),
                                        ("answered_15min", 87.6 - 1.49 * decline, 0.6, ILLUSTRATIVE_RATE),
                                        ("answered_10s", 31.4 - 1.78 * decline, 1.0, ILLUSTRATIVE_RATE)):
        made[measure] = rate_counts(rng, off, path, noise, tuple(
            annual_count(rates[("101", measure, y)], VOLUME[("101", y)]) for y in (2024, 2025)))
    ab, in2, in15, in10 = (made[m] for m in ("abandoned", "answered_2min", "answered_15min", "answered_10s"))
    answered = off - ab
    slow = 100 - 100 * in2 / off
    rows += call_rows("101", off, answered, in10, in2, in15, ab, lambda i: 20 + 7.5 * slow[i] + rng.uniform(0, 8))
    # ---- online ---------------------------------------------------------------------------
    off = volumes(rng, "online", 0.20)
    for i, m in enumerate(MONTHS):
        rows.append({"month": m, "channel": "online", "offered": off[i]})
    return rows


COLUMNS = ["month", "channel", "offered", "answered", "answered_10s", "answered_2min", "answered_15min",
           "abandoned", "asa_s"]
NOTE = ("SYNTHETIC monthly contact return (999, 101, online), written by scripts/make_sample_contact.py "
        f"with seed {SEED}. Not real Force data: the Force's monthly figures are not published. Built so "
        "that January-December 2024 and 2025 add up exactly to the published calendar-year volumes and "
        "reproduce every published rate to its decimal place (001_b24730b53cda192b.txt, Police Contact "
        "Demand report, tables after paras 8, 11 and 17); 999 answered within 10 seconds is near 91% every "
        "month from April 2025 (para 9). The 101 15-minute and 10-second counts, the 999 2- and 15-minute "
        "counts and the average speed of answer are illustrative.")


def write(data_dir: Path = ROOT / "data") -> list[Path]:
    rows = build()
    by_quarter: dict[Quarter, list[dict]] = {}
    for r in rows:
        by_quarter.setdefault(Quarter.containing(r["month"]), []).append(r)
    written = []
    for q, part in sorted(by_quarter.items()):
        folder = data_dir / "quarters" / q.slug
        folder.mkdir(parents=True, exist_ok=True)
        lines = [",".join(COLUMNS)]
        for r in sorted(part, key=lambda r: (r["month"], ("999", "101", "online").index(r["channel"]))):
            cells = [f"{r['month']:%Y-%m}", r["channel"]]
            for c in COLUMNS[2:]:
                v = r.get(c)
                cells.append("" if v is None else str(int(v)) if c != "asa_s" else str(v))
            lines.append(",".join(cells))
        path = folder / "contact_monthly.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / "contact_monthly.csv.source.txt").write_text(NOTE + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write():
        print(p.relative_to(ROOT))
