"""Rates per 1,000 residents and their intervals, for comparing areas of different sizes.

The rate is exact (a ``Decimal``: count / population x 1,000), rounded only when shown
(``units.fmt_number(rate, 2)``: 9,029 / 1,121,800 x 1,000 = 8.0487... shows as 8.05).

The interval is the exact (Garwood) Poisson interval for the count, divided by the population:
``statsmodels.stats.rates.confint_poisson(count, exposure, method="exact-c")``. It treats a
year's count as one draw from a Poisson process at the area's underlying rate, so it shows how
far chance alone moves a rate of that size: wide for a small count (5 homicides), narrow for a
large one (9,029 shoplifting offences). It does not cover differences in how forces record
crime, nor any error in the population. At least 95% coverage (exact intervals are
conservative): ``tests/methods/test_rates.py`` simulates it.
"""

from __future__ import annotations

from decimal import Decimal

from pcp_lib.methods.units import as_decimal, fmt_number

__all__ = ["INTERVAL_METHOD", "LEVEL", "fmt_rate", "per_1000", "rate_interval"]

LEVEL = 0.95
#: How the interval is computed, in words for a page's method note.
INTERVAL_METHOD = ("95% intervals are exact (Garwood) Poisson intervals for the year's count, divided by the "
                   "population (statsmodels confint_poisson, method \"exact-c\"): they show how much a rate of that "
                   "size moves by counting variation alone, not year-to-year change or differences in how forces record "
                   "crime. LLR differs from England and Wales by more than counting variation where its interval "
                   "lies wholly above or below England and Wales's rate.")
_THOUSAND = Decimal(1000)


def per_1000(count: int, population: int) -> Decimal:
    """``count`` per 1,000 of ``population``, exact (rounded only when shown)."""
    if population <= 0:
        raise ValueError(f"a population above zero, got {population}")
    return as_decimal(count) * _THOUSAND / as_decimal(population)


def rate_interval(count: int, population: int, level: float = LEVEL) -> tuple[float, float]:
    """The exact Poisson interval of ``count`` per 1,000 of ``population`` (low, high)."""
    if population <= 0:
        raise ValueError(f"a population above zero, got {population}")
    # imported here: statsmodels' rates module brings scipy.stats (about 0.7 s), and every
    # `pcp` command imports this module through the subjects' registry, most never calling this
    from statsmodels.stats.rates import confint_poisson

    low, high = confint_poisson(count, population / 1000, method="exact-c", alpha=1 - level)
    return float(low), float(high)


def fmt_rate(x: object) -> str:
    """A rate per 1,000 to 2 places (half up), or 4 when it is below 0.1 (homicide: 0.0045), so
    no rate shows as 0.00."""
    return fmt_number(x, 2 if abs(as_decimal(x)) >= Decimal("0.1") else 4)
