"""Queueing models (Erlang B, C and A) against published examples and exact identities."""

from __future__ import annotations

import math

import pytest
from scipy.stats import poisson

from pcp_lib.methods.erlang import (
    agents_required,
    erlang_a,
    erlang_a_many,
    erlang_b,
    erlang_c,
    erlang_c_service_level,
)


def test_erlang_c_matches_published_911_call_calc_example():
    """al911.org 'Application note - Erlang C Call Calc' (http://www.al911.org/qos_calc.htm):
    2 call takers, 60-second calls at 30 an hour: "fewer than 8 percent of callers will wait
    more than 10 seconds"; with 20 s of wrap-up (80 s calls) "the QOS falls to 14 percent"."""
    late = 1 - erlang_c_service_level(2, 30, 60, 3600, 10)
    assert late < 0.08 and late == pytest.approx(0.0779, abs=5e-4)
    late = 1 - erlang_c_service_level(2, 30, 80, 3600, 10)
    assert round(late * 100) == 14


def test_agents_required_matches_published_example():
    """jonesthenet.com 'Erlang uplift' (http://www.jonesthenet.com/budgeting/service-levels-erlang/
    erlang-uplift/): 250 calls an hour, AHT 330 s, 80% in 30 s: "Erlang ... thinks we need 28
    advisors" (against 22.9 from workload alone)."""
    assert agents_required(250, 330, 3600, 30, 0.80) == 28
    assert erlang_c_service_level(27, 250, 330, 3600, 30) < 0.80 <= erlang_c_service_level(28, 250, 330, 3600, 30)


def test_agents_required_shrinkage_occupancy_and_scale():
    assert agents_required(250, 330, 3600, 30, 0.80, shrinkage=0.3) == math.ceil(28 / 0.7)
    # an 85% occupancy cap needs at least load / 0.85 = 26.96 -> 27 agents... already met by 28
    assert agents_required(250, 330, 3600, 30, 0.80, max_occupancy=0.85) == 28
    assert agents_required(250, 330, 3600, 30, 0.80, max_occupancy=0.70) == math.ceil(250 * 330 / 3600 / 0.70)
    n = agents_required(20000, 300, 3600, 10, 0.9)  # 1,667 Erlangs: no overflow
    assert 1667 < n < 1800
    assert 0 < erlang_b(2000, 1900) < 1


def test_erlang_c_unstable_load_is_an_error():
    with pytest.raises(ValueError, match="unstable load"):
        erlang_c_service_level(10, 120, 300, 3600, 10)  # 10 Erlangs on 10 agents
    with pytest.raises(ValueError, match="unstable load"):
        erlang_c(5, 7.5)


def test_erlang_a_limits_and_exact_identities():
    # very patient callers: Erlang A tends to Erlang C
    r = erlang_a(11, 100, 180, 1800, 20, 1e8)
    assert r.service_level == pytest.approx(erlang_c_service_level(11, 100, 180, 1800, 20), abs=1e-5)
    assert r.p_wait == pytest.approx(erlang_c(11, 10), abs=1e-5)
    # patience equal to handling time: number in system is Poisson(a) exactly (M/M/inf)
    r = erlang_a(10, 100, 180, 1800, 20, 180)
    assert r.p_wait == pytest.approx(poisson.sf(9, 10), rel=1e-10)
    assert r.p_abandon == pytest.approx(sum(poisson.pmf(k, 10) * (k - 10) for k in range(11, 200)) / 10, rel=1e-9)


def test_erlang_a_stable_when_overloaded_and_monotone():
    r = erlang_a(50, 1000, 288, 3600, 10, 120)  # 80 Erlangs on 50 agents
    assert 0.3 < r.p_abandon < 0.5 and r.occupancy > 0.99 and 0 <= r.service_level < 0.6
    assert r.p_abandon == pytest.approx(1 - 50 / 80, abs=0.03)  # fluid limit: the excess abandons
    sls = [erlang_a(n, 400, 300, 3600, 10, 180).service_level for n in range(30, 50)]
    assert all(b >= a for a, b in zip(sls, sls[1:], strict=False))


def test_erlang_a_many_is_erlang_a_for_each_interval_and_target():
    agents, calls, targets = [1, 12, 30, 7, 25], [0.0, 140.0, 610.5, 90.0, 800.0], [10, 120, 900]
    many = erlang_a_many(agents, calls, 300, 3600, targets, 180)
    assert len(many) == len(agents) and all(len(r) == len(targets) for r in many)
    for n, c, results in zip(agents, calls, many, strict=True):
        for t, r in zip(targets, results, strict=True):
            assert r == erlang_a(n, c, 300, 3600, t, 180)  # exactly, not approximately
    assert many[0][0] == erlang_a(1, 0, 300, 3600, 10, 180)  # no calls: nothing waits, all answered
    assert many[2][0].service_level < many[2][1].service_level < many[2][2].service_level
    with pytest.raises(ValueError, match="agents"):
        erlang_a_many([0], [10.0], 300, 3600, [10], 180)
    with pytest.raises(ValueError, match="one number of agents per interval"):
        erlang_a_many([1, 2], [10.0], 300, 3600, [10], 180)
