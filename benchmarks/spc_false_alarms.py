"""How often the SPC "latest month is special cause" flag fires when nothing has changed.

Why: the pack reads the variation icon of the latest month (crime page, dashboard, contact
assurance). Making Data Count's rules assume a stable process: independent months around a
fixed mean. Police series have a season and a trend, and months that follow each other. This
script measures, by seeded simulation, the share of null series (no step, no change of any kind
beyond the regular season, trend or autocorrelation put in) whose last month is flagged special
cause by the pack's preset, with its Monte Carlo error. The figures are written into
``docs/assumptions-and-caveats.md`` (SPC).

Series: monthly counts, Poisson (or negative binomial with factor 3) around a mean of 100 a
month at the series' end; a ±20% season (sine, its phase drawn at random for each series so
every calendar month ends a series equally often); a +10%-a-year trend; AR(1) ρ = 0.5 on the log
mean (sd 0.05). 24 and 36 months, as the pack charts them. No recalculation.

Run: ``.venv/bin/python benchmarks/spc_false_alarms.py [--reps 4000]``. Prints a table;
deterministic for a given ``--reps`` (seed 2026).
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass

import numpy as np

from pcp_lib.methods.spc import PRESETS, xmr

SEED = 2026
MEAN = 100.0


@dataclass(frozen=True)
class Scenario:
    name: str
    season: float = 0.0  # amplitude of the month-of-year effect (0.2: ±20%)
    trend: float = 0.0  # growth a year (0.1: +10% a year)
    rho: float = 0.0  # AR(1) on the log mean
    dispersion: float = 1.0  # variance / mean (1: Poisson)


SCENARIOS = (
    Scenario("stable, Poisson"),
    Scenario("stable, over-dispersed (x3)", dispersion=3.0),
    Scenario("season ±20%", season=0.2),
    Scenario("trend +10% a year", trend=0.1),
    Scenario("season ±20% and trend +10% a year", season=0.2, trend=0.1),
    Scenario("AR(1) rho 0.5", rho=0.5),
    Scenario("season, trend and AR(1) rho 0.5", season=0.2, trend=0.1, rho=0.5),
)


def simulate(sc: Scenario, months: int, rng: np.random.Generator) -> np.ndarray:
    """One null series of monthly counts."""
    t = np.arange(months)
    phase = rng.integers(12)
    log_mu = (math.log(MEAN) + np.log1p(sc.season * np.sin(2 * np.pi * (t + phase) / 12))
              + (t - (months - 1)) / 12 * math.log1p(sc.trend))
    if sc.rho:
        e = np.zeros(months)
        sd = 0.05
        e[0] = rng.normal(0, sd / math.sqrt(1 - sc.rho ** 2))
        for i in range(1, months):
            e[i] = sc.rho * e[i - 1] + rng.normal(0, sd)
        log_mu = log_mu + e
    mu = np.exp(log_mu)
    if sc.dispersion > 1:
        p = 1 / sc.dispersion  # negative binomial with variance = dispersion x mean
        n = mu * p / (1 - p)
        return rng.negative_binomial(n, p).astype(float)
    return rng.poisson(mu).astype(float)


def rate(sc: Scenario, months: int, reps: int, preset: str, seed: int) -> tuple[float, float, dict[str, float]]:
    """Share of null series whose last month is special cause, its Monte Carlo standard error,
    and the share by rule."""
    rng = np.random.default_rng(seed)
    hits = 0
    by_rule: dict[str, int] = {}
    for _ in range(reps):
        r = xmr(simulate(sc, months, rng), "decrease", rules=preset)
        rule = str(r.points["rule"].iloc[-1])
        if rule:
            hits += 1
            for name in rule.split("; "):
                by_rule[name] = by_rule.get(name, 0) + 1
    p = hits / reps
    return p, math.sqrt(p * (1 - p) / reps), {k: v / reps for k, v in sorted(by_rule.items())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reps", type=int, default=4000)
    parser.add_argument("--preset", choices=tuple(PRESETS), default="mdc")
    args = parser.parse_args()
    print(f"Latest month flagged special cause under the null, preset {args.preset!r}, {args.reps} series per "
          f"cell, seed {SEED}")
    print(f"{'scenario':38} {'months':>6} {'rate':>7} {'± MC se':>8}  by rule")
    for k, sc in enumerate(SCENARIOS):
        for months in (24, 36):
            p, se, rules = rate(sc, months, args.reps, args.preset, SEED + 100 * k + months)
            rules_text = ", ".join(f"{name} {100 * v:.1f}%" for name, v in rules.items())
            print(f"{sc.name:38} {months:>6} {100 * p:>6.1f}% {100 * se:>7.1f}%  {rules_text}")


if __name__ == "__main__":
    main()
