"""Rates per 1,000 and their exact Poisson intervals: the interval's coverage simulated."""

from __future__ import annotations

import numpy as np
import pytest

from pcp_lib.methods.rates import fmt_rate, per_1000, rate_interval


def test_shoplifting_interval() -> None:
    low, high = rate_interval(9029, 1121800)
    assert 7.88 < low < 7.89 and 8.21 < high < 8.22
    assert low < float(per_1000(9029, 1121800)) < high


@pytest.mark.parametrize("true_count", [5.0, 90.0, 9000.0])
def test_coverage_is_at_least_95_percent(true_count: float) -> None:
    """Simulated: the interval holds the true rate in at least 95% of years (exact intervals are
    conservative), for a small, a middling and a large count."""
    rng = np.random.default_rng(20250630)
    population = 1_121_800
    truth = true_count / population * 1000
    draws = rng.poisson(true_count, 2000)
    covered = sum(lo <= truth <= hi for lo, hi in (rate_interval(int(n), population) for n in draws))
    assert covered / len(draws) >= 0.95


def test_fmt_rate() -> None:
    assert fmt_rate(per_1000(9029, 1121800)) == "8.05"
    assert fmt_rate(per_1000(5, 1121800)) == "0.0045"
    with pytest.raises(ValueError):
        per_1000(1, 0)
