"""Null and stepped monthly count series for calibrating ``stats.compare_quarter`` (synthetic,
fixed seeds): the scenarios of issue 22, shared by the calibration test
(``tests/methods/test_calibration.py``) and ``benchmarks/calibration.py``.

Each series has a mean ``level`` a month, times:

- a ±``season`` (20%) sine season over the year;
- a ``trend`` (10%) a year, up in half the replicates and down in the other half. The trend is
  carried by the exposure (say, a population that grows or shrinks), which the test is given:
  a trend in the *rate* is itself a year-on-year change, which the test is there to find, so a
  series with one is not a null series (``rate_trend=True`` makes one, for the power table);
- an AR(1) factor on the log mean, correlation ``rho`` (0.5) between neighbouring months and
  standard deviation ``sigma`` (0.1: months 10% above or below the level, in runs);

and the count is Poisson (``factor`` 1) or negative binomial with variance ``factor`` × mean
(a gamma-Poisson mixture). ``step`` multiplies the mean of the compared quarter (the last three
months): 1 for a null series, 1.2 for the power of a +20% change.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["FACTORS", "LENGTHS", "LEVELS", "SCENARIOS", "Cell", "cells", "months", "series"]

FACTORS = (1.0, 2.0, 5.0, 15.0)  # Poisson, then negative binomial
LENGTHS = (24, 36)
LEVELS = (20, 100, 500)
#: the scenarios, by name: which parts are switched off (the issue's grid is the last, all on)
SCENARIOS: dict[str, dict[str, float]] = {
    "independent": {"season": 0.0, "trend": 0.0, "sigma": 0.0},
    "season + AR(1)": {"trend": 0.0},
    "season + trend + AR(1)": {},
}


@dataclass(frozen=True)
class Cell:
    """One scenario: months, level a month, dispersion factor and which parts are switched on."""

    length: int
    level: float
    factor: float
    season: float = 0.2
    trend: float = 0.1
    rho: float = 0.5
    sigma: float = 0.1

    @property
    def seed(self) -> int:
        """A fixed seed per cell (so a cell's result does not depend on which others ran)."""
        return zlib.crc32(repr(self).encode())

    @property
    def label(self) -> str:
        noise = "Poisson" if self.factor == 1 else f"NB ×{self.factor:g}"
        parts = [p for p, on in (("season", self.season), ("trend", self.trend), ("AR(1)", self.sigma)) if on]
        return f"{self.length} months, {self.level:g}/month, {noise}, {' + '.join(parts) or 'independent'}"


def cells(**parts: float) -> list[Cell]:
    """Every cell of the issue's grid (lengths × levels × factors), with ``parts`` overriding
    the season, trend or autocorrelation settings."""
    return [Cell(n, level, f, **parts) for n in LENGTHS for f in FACTORS for level in LEVELS]


def months(length: int) -> pd.DatetimeIndex:
    """Month starts of a series of ``length`` months ending in December (so its last three
    months are a financial-year Q3, as the pack's crime page compares)."""
    return pd.date_range(end="2024-12-01", periods=length, freq="MS")


def series(cell: Cell, reps: int, *, step: float = 1.0, rate_trend: bool = False,
           seed_offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``reps`` series of ``cell`` (rows), and their exposures (same shape)."""
    rng = np.random.default_rng(cell.seed + seed_offset)
    n = cell.length
    t = np.arange(n)
    log_season = np.log1p(cell.season * np.sin(2 * np.pi * t / 12))
    sign = np.where(np.arange(reps) % 2 == 0, 1.0, -1.0)[:, None]
    log_trend = sign * np.log1p(cell.trend) * t / 12
    u = np.zeros((reps, n))
    if cell.sigma:
        u[:, 0] = rng.normal(0, cell.sigma, reps)
        innovation = cell.sigma * np.sqrt(1 - cell.rho ** 2)
        for i in range(1, n):
            u[:, i] = cell.rho * u[:, i - 1] + rng.normal(0, innovation, reps)
    mu = cell.level * np.exp(log_season + log_trend + u)
    mu[:, n - 3:] *= step
    exposure = np.ones((reps, n)) if rate_trend else np.exp(np.broadcast_to(log_trend, (reps, n)))
    lam = rng.gamma(mu / (cell.factor - 1), cell.factor - 1) if cell.factor > 1 else mu
    return rng.poisson(lam).astype(float), exposure
