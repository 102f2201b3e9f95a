"""Synthetic call records: deterministic, at published demand, and SYNTHETIC by provenance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.provenance import provenance_of
from pcp_lib.methods.erlang import erlang_a
from pcp_lib.subjects.contact.synthetic import (
    GENERATOR,
    _simulate_queue,
    published_calls_per_day,
    synthetic_calls,
)


def test_synthetic_calls_deterministic_and_sized():
    a = synthetic_calls(n_calls=5000, seed=1, data_dir=FIXTURE_DATA)
    b = synthetic_calls(n_calls=5000, seed=1, data_dir=FIXTURE_DATA)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 5000 and a["arrival"].is_monotonic_increasing
    assert (a["abandoned"] == a["answered_at"].isna()).all()
    # 101 is a daytime service: more calls at 10:00 than at 04:00
    hours = a[a["channel"] == "101"]["arrival"].dt.hour
    assert (hours == 10).sum() > 3 * (hours == 4).sum()


def test_demand_is_read_from_the_published_volumes():
    per_day, year, prov = published_calls_per_day(FIXTURE_DATA)
    assert year == 2025 and per_day == {"999": 202_344 / 365, "101": 323_575 / 365}
    assert prov.kind == "published"


def test_records_are_synthetic_by_provenance_naming_what_they_were_made_from():
    prov = provenance_of(synthetic_calls(days=1, seed=3, data_dir=FIXTURE_DATA))
    assert prov.synthetic and prov.files[0] == GENERATOR
    assert prov.synthetic_names == (GENERATOR, "contact_staffing_assumptions.csv")
    assert "contact_annual.csv" in prov.names
    given = provenance_of(synthetic_calls(days=1, seed=3, data_dir=FIXTURE_DATA, calls_per_day={"999": 10, "101": 10},
                                          aht_s={"999": 300, "101": 300}, patience_s={"999": 60, "101": 60}))
    assert given.files == (GENERATOR,)  # nothing read from files when every default is given


def test_erlang_a_agrees_with_queue_simulation():
    """The generator's queue (exact FIFO simulation) and Erlang A describe the same system."""
    rng = np.random.default_rng(42)
    n_calls, lam, aht, pat, agents = 400_000, 40 / 3600, 300.0, 180.0, 3
    arrival = np.cumsum(rng.exponential(1 / lam, n_calls))
    ans, _ = _simulate_queue(arrival, rng.exponential(aht, n_calls), rng.exponential(pat, n_calls), agents)
    wait = ans - arrival
    sim_abandon = np.isnan(ans).mean()
    sim_sl = np.nan_to_num(wait <= 20, nan=0).mean()
    model = erlang_a(agents, 40, aht, 3600, 20, pat)
    assert sim_abandon == pytest.approx(model.p_abandon, abs=0.005)
    assert sim_sl == pytest.approx(model.service_level, abs=0.005)
