"""Benchmark: false-positive rate and power of the quarter test, before and after issue 22.

Before: the test the crime page ran at main e6ef128 (reproduced here as it was: the dispersion
from the moving range of the monthly counts up to the quarter, or of the residuals of a trend
and month-of-year quasi-Poisson fit from 36 months; then a Wald test of the log rate ratio of
the two quarters with its variance × that factor, normal reference). After:
``stats.compare_quarter``. Both are fed the same synthetic series (``methods.calibration``:
fixed seeds) by scenario, length, level and noise:

- independent: over-dispersed noise only (no season, trend or autocorrelation);
- season + AR(1): a ±20% season and AR(1) ρ = 0.5 (sd 0.1) on the log mean;
- season + trend + AR(1): as above with a ±10%-a-year trend carried by the exposure, which
  ``compare_quarter`` is given (the old test took one population for both years: not run).

Prints, per cell, the share of null series called a change at 5% and the share of series with
a +20% step in the compared quarter called a change (power), with the Monte Carlo standard
error. Then the SPC latest-month flag (``methods.spc.xmr``, "mdc" rules, limits from every month):
the share of series with no change in their latest month whose latest month is flagged special
cause, under a season and a trend (here in the counts themselves, as the SPC chart sees them).
Asserts nothing.

    .venv/bin/python benchmarks/calibration.py              # 2,000 series a cell (old test: 1,000)
    .venv/bin/python benchmarks/calibration.py --reps 500 --old-reps 200   # quick
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pcp_lib.methods import calibration as cal  # noqa: E402
from pcp_lib.methods import stats  # noqa: E402

QUARTER = "2024-25 Q3"


def old_dispersion(y: np.ndarray) -> float:
    """``stats.estimate_dispersion`` as at e6ef128 (its factor, floored at 1)."""
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.tools import add_constant

    n = len(y)
    if n < 12 or y.mean() <= 0:
        return 1.0
    if n >= 36:
        t = np.arange(n, dtype=float)
        season = pd.get_dummies(pd.Series(np.arange(n) % 12), prefix="m", drop_first=True, dtype=float)
        x = add_constant(np.column_stack([t, season.to_numpy()]))
        expected = np.asarray(GLM(y, x, family=families.Poisson()).fit().fittedvalues, dtype=float)
    else:
        expected = np.full(n, y.mean())
    resid = (y - expected) / np.sqrt(expected)
    return max(1.0, float((np.abs(np.diff(resid)).mean() / 1.128) ** 2))


def old_p_values(y: np.ndarray) -> np.ndarray:
    """The old crime-page test of the last three months against the same months a year earlier."""
    from scipy import stats as sps

    out = np.empty(len(y))
    for i, row in enumerate(y):
        now, before = row[-3:].sum(), row[-15:-12].sum()
        phi = old_dispersion(row)
        if now == 0 or before == 0:
            out[i] = math.nan if phi > 1 else 1.0
            continue
        z = math.log(now / before) / math.sqrt(phi * (1 / now + 1 / before))
        out[i] = 2 * sps.norm.sf(abs(z))
    return out


def new_p_values(cell: cal.Cell, y: np.ndarray, e: np.ndarray) -> np.ndarray:
    layout = stats.quarter_layout(cal.months(cell.length), QUARTER)
    return stats.compare_quarter_arrays(layout, y, e)["p_value"]


def rate(p: np.ndarray) -> float:
    p = p[~np.isnan(p)]
    return float(np.mean(p < stats.ALPHA)) if len(p) else math.nan


def spc_false_alarms(reps: int) -> pd.DataFrame:
    """The share of series whose latest month the SPC chart flags (special cause of any kind)."""
    from pcp_lib.methods.spc import xmr

    rows = []
    for scenario, parts in (("independent", {"season": 0.0, "trend": 0.0, "sigma": 0.0}),
                            ("season", {"trend": 0.0, "sigma": 0.0}),
                            ("season + trend", {"sigma": 0.0}),
                            ("season + trend + AR(1)", {})):
        for length in cal.LENGTHS:
            for factor in (1.0, 5.0):
                cell = cal.Cell(length, 100, factor, **parts)
                y, _ = cal.series(cell, reps, rate_trend=True)
                idx = cal.months(length)
                flagged = [xmr(pd.Series(row, index=idx), "decrease").variation not in (None, "common_cause")
                           for row in y]
                rows.append({"scenario": scenario, "months": length, "level": 100,
                             "noise": "Poisson" if factor == 1 else f"NB x{factor:g}",
                             "latest month flagged": float(np.mean(flagged))})
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=2000, help="series a cell for compare_quarter")
    ap.add_argument("--old-reps", type=int, default=1000, help="series a cell for the old test (slower)")
    ap.add_argument("--spc-reps", type=int, default=500, help="series a cell for the SPC flag (0: skip)")
    args = ap.parse_args()
    rows = []
    started = time.perf_counter()
    for scenario, parts in cal.SCENARIOS.items():
        for cell in cal.cells(**parts):
            y, e = cal.series(cell, args.reps)
            ys, es = cal.series(cell, args.reps, step=1.2)
            row = {"scenario": scenario, "months": cell.length, "level": int(cell.level),
                   "noise": "Poisson" if cell.factor == 1 else f"NB x{cell.factor:g}",
                   "after FP": rate(new_p_values(cell, y, e)), "after power": rate(new_p_values(cell, ys, es))}
            if cell.trend:
                row["before FP"] = row["before power"] = math.nan
            else:
                row["before FP"] = rate(old_p_values(y[:args.old_reps]))
                row["before power"] = rate(old_p_values(ys[:args.old_reps]))
            rows.append(row)
    table = pd.DataFrame(rows)[["scenario", "months", "level", "noise", "before FP", "after FP", "before power",
                                "after power"]]
    pct = "{:.1%}".format
    print(f"False positives at 5% and power for a +20% step, compare_quarter {args.reps} series a cell "
          f"(MC se of 5%: {100 * math.sqrt(0.0475 / args.reps):.2f}pp), old test {args.old_reps} "
          f"({100 * math.sqrt(0.0475 / args.old_reps):.2f}pp); {time.perf_counter() - started:.0f} s\n")
    print(table.to_string(index=False, na_rep="n/a", formatters={c: pct for c in table.columns[4:]}))
    print("\nRange by scenario and length (false positives, before -> after):")
    for (scenario, months), g in table.groupby(["scenario", "months"], sort=False):
        before = g["before FP"].dropna()
        span = f"{before.min():.1%}-{before.max():.1%}" if len(before) else "n/a"
        print(f"  {scenario}, {months} months: {span} -> {g['after FP'].min():.1%}-{g['after FP'].max():.1%}; "
              f"power at 100/month, NB x2-x5: {g[(g['level'] == 100) & g['noise'].isin(['NB x2', 'NB x5'])]['after power'].min():.0%}"
              f"-{g[(g['level'] == 100) & g['noise'].isin(['NB x2', 'NB x5'])]['after power'].max():.0%}")


    if args.spc_reps:
        spc = spc_false_alarms(args.spc_reps)
        print(f"\nSPC latest-month flag ('mdc' rules), {args.spc_reps} series a cell, the latest month (December) "
              "unchanged; with a trend in the counts a flag is partly a true signal:\n")
        print(spc.to_string(index=False, formatters={"latest month flagged": pct}))


if __name__ == "__main__":
    main()
