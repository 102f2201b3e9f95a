"""Write the SYNTHETIC monthly DToA custody-pathway sample (fixed seed, byte-identical).

The real monthly return is not published; the paper (001_b24730b53cda192b.txt paras 23-25)
gives only averages and 2025 totals. So that the notebook runs and the uplift monitoring
can be shown, this writes one ``dtoa_pathway.csv`` per quarter folder from January 2025
(Q4 2024/25) to December 2026 (Q3 2026/27), built to agree with what is published:

* Q3 2025 (October-December 2025): monthly averages that round to the published current
  provision (241 identified, 24 tests, 12 positive, 9 booked, 5 attended, 51% of
  assessments attended as a mean of monthly rates, 7 days' wait, 1 naloxone, 7 entries);
* January-December 2025: 2,915 identified, 124 Required Assessments booked (the paper's
  "referred after a positive test") and 95 entries into treatment, as in para 25;
* January-April 2026: current provision continues;
* May 2026 onwards: an ILLUSTRATIVE uplift scenario (activity ramping up over four months
  halfway towards the enhanced-funding levels). It is not a forecast; it exists so the monitoring
  charts have something to show when the notebook is run for a quarter after May 2026.

Each stage is drawn from the one before (multivariate hypergeometric or binomial), so no
month has a later stage larger than an earlier one. Run:
    .venv/bin/python scripts/make_sample_dtoa.py
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np

from pcp_lib.methods.units import round_half_up

ROOT = Path(__file__).resolve().parent.parent
QUARTERS = ROOT / "data" / "quarters"
SEED = 20250101
COLUMNS = ["month", "identified", "tests", "positive_tests", "ra_booked", "ra_attended", "ra_wait_days",
           "naloxone", "treatment_entries"]
STAGES = ["identified", "tests", "positive_tests", "ra_booked", "ra_attended"]
UPLIFT = date(2026, 5, 1)

# Totals each block of months must add up to (see the module docstring).
Q3_2025 = {"identified": 723, "tests": 72, "positive_tests": 36, "ra_booked": 27, "ra_attended": 14,
           "naloxone": 3, "treatment_entries": 21}
JAN_SEP_2025 = {"identified": 2915 - 723, "tests": 234, "positive_tests": 126, "ra_booked": 124 - 27,
                "ra_attended": 52, "naloxone": 9, "treatment_entries": 95 - 21}
CURRENT = {"identified": 241, "tests": 24, "positive_tests": 12, "ra_booked": 9, "ra_attended": 5,
           "naloxone": 1, "treatment_entries": 7, "wait": 7.0}
ENHANCED = {"tests": 95, "positive_tests": 52, "ra_booked": 43, "ra_attended": 32, "naloxone": 22,
            "treatment_entries": 22, "wait": 5.0}


def months(first: date, n: int) -> list[date]:
    out = []
    for i in range(n):
        m = first.month - 1 + i
        out.append(date(first.year + m // 12, m % 12 + 1, 1))
    return out


def block_with_totals(rng: np.random.Generator, n: int, totals: dict[str, int]) -> list[dict[str, int]]:
    """``n`` months whose counts add up exactly to ``totals``; each stage is a
    hypergeometric draw from the stage before, so it never exceeds it in any month."""
    cols: dict[str, np.ndarray] = {"identified": rng.multinomial(totals["identified"], [1 / n] * n)}
    for prev, stage in zip(STAGES, STAGES[1:], strict=False):
        cols[stage] = rng.multivariate_hypergeometric(cols[prev], totals[stage])
    for other in ("naloxone", "treatment_entries"):
        cols[other] = rng.multinomial(totals[other], [1 / n] * n)
    return [{k: int(v[i]) for k, v in cols.items()} for i in range(n)]


def q3_ok(rows: list[dict[str, int]], waits: list[Decimal]) -> bool:
    """The Q3 2025 block reproduces the published monthly averages that are not totals."""
    if any(r["ra_booked"] == 0 for r in rows):
        return False
    mean_rate = sum(Decimal(r["ra_attended"]) / r["ra_booked"] * 100 for r in rows) / len(rows)
    mean_wait = sum(waits) / len(waits)
    return round_half_up(mean_rate) == 51 and round_half_up(mean_wait) == 7


def draw_month(rng: np.random.Generator, level: float) -> tuple[dict[str, int], Decimal]:
    """One month drawn around current provision (level 0) or towards enhanced (level 1)."""
    def mean(k: str) -> float:
        return CURRENT[k] + level * 0.5 * (ENHANCED[k] - CURRENT[k])

    r = {"identified": int(rng.poisson(CURRENT["identified"] + 20 * level))}
    r["tests"] = int(rng.binomial(r["identified"], mean("tests") / (CURRENT["identified"] + 20 * level)))
    for prev, stage in zip(STAGES[1:], STAGES[2:], strict=False):
        r[stage] = int(rng.binomial(r[prev], min(1.0, mean(stage) / mean(prev))))
    r["naloxone"] = int(rng.poisson(mean("naloxone")))
    r["treatment_entries"] = int(rng.poisson(mean("treatment_entries")))
    wait = round_half_up(max(1.0, rng.normal(mean("wait"), 0.8)), 1)
    return r, wait


def main() -> None:
    rng = np.random.default_rng(SEED)
    all_months = months(date(2025, 1, 1), 24)
    rows: dict[date, tuple[dict[str, int], Decimal]] = {}

    jan_sep = block_with_totals(rng, 9, JAN_SEP_2025)
    for m, r in zip(all_months[:9], jan_sep, strict=True):
        rows[m] = (r, round_half_up(max(1.0, rng.normal(CURRENT["wait"], 0.8)), 1))
    while True:  # rejection: the Q3 block must also reproduce the published rate and wait
        q3 = block_with_totals(rng, 3, Q3_2025)
        waits = [round_half_up(max(1.0, rng.normal(CURRENT["wait"], 0.8)), 1) for _ in range(3)]
        if q3_ok(q3, waits):
            break
    for m, r, w in zip(all_months[9:12], q3, waits, strict=True):
        rows[m] = (r, w)
    for m in all_months[12:]:
        since = (m.year - UPLIFT.year) * 12 + m.month - UPLIFT.month + 1
        level = 0.0 if m < UPLIFT else min(1.0, since / 4)
        rows[m] = draw_month(rng, level)

    by_quarter: dict[str, list[list[str]]] = {}
    for m, (r, wait) in rows.items():
        fy = m.year if m.month >= 4 else m.year - 1
        slug = f"{fy}-{(fy + 1) % 100:02d}-Q{(m.month - 4) % 12 // 3 + 1}"
        by_quarter.setdefault(slug, []).append(
            [f"{m:%Y-%m}", *(str(r[c]) for c in STAGES), str(wait) if r["ra_attended"] else "",
             str(r["naloxone"]), str(r["treatment_entries"])])
    for slug, body in by_quarter.items():
        folder = QUARTERS / slug
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "dtoa_pathway.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(COLUMNS)
            w.writerows(body)
        scenario = " From May 2026 the figures are an ILLUSTRATIVE uplift scenario, not a forecast." \
            if any(row[0] >= f"{UPLIFT:%Y-%m}" for row in body) else ""
        path.with_name(path.name + ".source.txt").write_text(
            f"SYNTHETIC monthly DToA custody-pathway return, written by scripts/make_sample_dtoa.py with seed {SEED}. "
            "Built to agree with 001_b24730b53cda192b.txt paras 23-25: Q3 2025 monthly averages round to the "
            "published current provision; January-December 2025 totals 2,915 identified, 124 Required "
            "Assessments booked and 95 entries into treatment." + scenario + " Not real Force data.\n",
            encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)} ({len(body)} months)")


if __name__ == "__main__":
    main()
