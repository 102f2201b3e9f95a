"""Calibration is a test: ``stats.compare_quarter`` on null series must call about 5% of them
a change at the 5% level, in every cell of the issue's grid (``methods.calibration``):
Poisson and negative binomial noise with factor 2, 5 and 15, each with a ±20% season, a
±10%-a-year trend (carried by the exposure, which the test is given) and AR(1) ρ = 0.5 on the
log mean (sd 0.1), at 24 and 36 months, 20, 100 and 500 a month: 24 cells; and the same 24
cells with independent noise only, and with the season and AR(1) but no trend (72 in all).

Monte Carlo error: with ``REPS`` = 2,000 series a cell, a true rate of 5% is estimated with a
standard error of sqrt(0.05 × 0.95 / 2000) = 0.49 percentage points, so the 2.5%-7.5% bounds
sit five standard errors either side of 5%: a calibrated test fails a cell by chance with
probability below 1 in 10^6, and a test whose true rate is 8.5% (or 1.5%) passes it with
probability below 2%. The power for a +20% step in the compared quarter (same seeds, the step
applied) is printed per cell (``-s`` shows it) and checked only to be above the false-positive
rate where the counts are not tiny. Runtime about 3-5 s on one core (vectorised: the test of
every series of a cell runs at once through ``compare_quarter_arrays``, which
``compare_quarter`` itself uses, checked here on a few series).
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest

from pcp_lib.methods import calibration as cal
from pcp_lib.methods import stats

REPS = 2000
QUARTER = "2024-25 Q3"  # the last three months of every simulated series (Oct-Dec 2024)
MC_SE = math.sqrt(0.05 * 0.95 / REPS)


def _rates(cell: cal.Cell, step: float = 1.0) -> float:
    y, e = cal.series(cell, REPS, step=step)
    layout = stats.quarter_layout(cal.months(cell.length), QUARTER)
    assert not layout.reason
    p = stats.compare_quarter_arrays(layout, y, e)["p_value"]
    return float(np.mean(p < stats.ALPHA))


@pytest.mark.slow
def test_false_positive_rate_is_calibrated_in_every_cell():
    started = time.perf_counter()
    rows = []
    for parts in cal.SCENARIOS.values():
        for cell in cal.cells(**parts):
            fp, power = _rates(cell), _rates(cell, step=1.2)
            rows.append((cell.label, fp, power))
    table = pd.DataFrame(rows, columns=["cell", "false positives", "power +20%"])
    print(f"\ncompare_quarter calibration, {REPS} series a cell (MC standard error {100 * MC_SE:.2f}pp), "
          f"{time.perf_counter() - started:.1f} s")
    print(table.to_string(index=False, formatters={"false positives": "{:.1%}".format,
                                                    "power +20%": "{:.1%}".format}))
    bad = table[(table["false positives"] < 0.025) | (table["false positives"] > 0.075)]
    assert bad.empty, f"false-positive rate outside 2.5%-7.5%:\n{bad}"
    big = table[~table["cell"].str.contains(" 20/month")]
    assert (big["power +20%"] > big["false positives"]).all()


def test_the_engine_is_what_compare_quarter_runs():
    cell = cal.Cell(24, 100, 5.0)
    y, e = cal.series(cell, 5)
    idx = cal.months(24)
    layout = stats.quarter_layout(idx, QUARTER)
    many = stats.compare_quarter_arrays(layout, y, e)
    for i in range(5):
        one = stats.compare_quarter(pd.Series(y[i], index=idx), QUARTER, exposure=pd.Series(e[i], index=idx))
        assert one.p_value == pytest.approx(many["p_value"][i], rel=1e-12)
        assert one.ci_low == pytest.approx(many["ci_low"][i], rel=1e-12)
        assert one.dispersion == pytest.approx(many["dispersion"][i], rel=1e-12)


def test_a_trend_in_the_rate_is_a_change_the_test_finds():
    # not a null series: 10% a year in the rate is a real year-on-year change (500 a month, Poisson)
    cell = cal.Cell(36, 500, 1.0, sigma=0.0)
    y, _ = cal.series(cell, 400, rate_trend=True)
    layout = stats.quarter_layout(cal.months(36), QUARTER)
    assert np.mean(stats.compare_quarter_arrays(layout, y)["p_value"] < 0.05) > 0.5
