"""Queueing models for call handling: Erlang B, Erlang C and Erlang A, exact and stable.

Why these: the Panel's worry is whether the control room has enough call handlers for the
demand. Erlang C (callers wait for ever) is the planning standard and what published staffing
tables use; Erlang A (callers hang up after an exponentially distributed patience) is closer to
101, where one caller in eight abandons. Both are evaluated without factorials or powers that
overflow: Erlang B by its recursion B(k) = a B(k-1) / (k + a B(k-1)), which is stable for any
number of agents, and Erlang A's stationary distribution in logarithms.

Units: ``calls`` arrive in an interval of ``interval_s`` seconds; ``aht_s`` is the average
handling time (talk plus wrap-up) in seconds; ``target_s`` is the answer-time threshold; the
offered load in Erlangs is ``calls * aht_s / interval_s``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ErlangA", "agents_required", "erlang_a", "erlang_a_abandon", "erlang_a_many", "erlang_b", "erlang_c",
    "erlang_c_asa", "erlang_c_service_level", "offered_load"
]


def offered_load(calls: float, aht_s: float, interval_s: float) -> float:
    """The offered load in Erlangs: the average number of calls in progress if none waited."""
    if calls < 0 or aht_s <= 0 or interval_s <= 0:
        raise ValueError(f"need calls >= 0, aht_s > 0 and interval_s > 0; got {calls}, {aht_s}, {interval_s}")
    return calls * aht_s / interval_s


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of an M/M/n/n system (Erlang B), by the stable recursion."""
    if agents < 0:
        raise ValueError(f"agents must be >= 0; got {agents}")
    b = 1.0
    for k in range(1, int(agents) + 1):
        b = load * b / (k + load * b)
    return b


def erlang_c(agents: int, load: float) -> float:
    """Probability that a caller waits (Erlang C), from Erlang B: C = nB / (n - a(1 - B)).

    Raises ``ValueError`` when ``agents <= load``: the queue then grows without limit and
    Erlang C has no meaning (closed-form tools return a negative number or more than 1).
    """
    if agents <= load:
        raise ValueError(f"unstable load: {agents} agents cannot carry {load:.2f} Erlangs (need more agents "
                         "than the offered load for Erlang C; use erlang_a, which allows callers to abandon)")
    b = erlang_b(agents, load)
    return agents * b / (agents - load * (1 - b))


def erlang_c_service_level(agents: int, calls: float, aht_s: float, interval_s: float, target_s: float) -> float:
    """Share of calls answered within ``target_s`` under Erlang C: 1 - C exp(-(n - a) t / aht).

    Every caller waits until answered in this model, so the share is of all calls offered.
    """
    a = offered_load(calls, aht_s, interval_s)
    if calls == 0:
        return 1.0
    c = erlang_c(agents, a)
    return 1.0 - c * math.exp(-(agents - a) * target_s / aht_s)


def erlang_c_asa(agents: int, calls: float, aht_s: float, interval_s: float) -> float:
    """Average speed of answer (seconds) under Erlang C: C aht / (n - a)."""
    a = offered_load(calls, aht_s, interval_s)
    return erlang_c(agents, a) * aht_s / (agents - a)


def agents_required(calls: float, aht_s: float, interval_s: float, target_s: float, service_level: float,
                    shrinkage: float = 0.0, max_occupancy: float = 1.0) -> int:
    """The fewest agents meeting the service level and the occupancy cap, scheduled for shrinkage.

    ``service_level`` is a share (0.9 for 90%). The agents on the phones must exceed the load
    (Erlang C is unstable otherwise), meet ``service_level`` within ``target_s`` and keep
    occupancy (load / agents) at or below ``max_occupancy``; the number to schedule is then
    ``ceil(agents / (1 - shrinkage))`` because a share ``shrinkage`` of paid time (breaks,
    training, leave, sickness) is not spent on the phones.
    """
    if not 0 < service_level < 1:
        raise ValueError(f"service_level is a share between 0 and 1 (0.9 for 90%); got {service_level}")
    if not 0 <= shrinkage < 1:
        raise ValueError(f"shrinkage is a share in [0, 1); got {shrinkage}")
    if not 0 < max_occupancy <= 1:
        raise ValueError(f"max_occupancy is a share in (0, 1]; got {max_occupancy}")
    a = offered_load(calls, aht_s, interval_s)
    if a == 0:
        return 0
    n = max(math.floor(a) + 1, math.ceil(a / max_occupancy - 1e-12))
    while erlang_c_service_level(n, calls, aht_s, interval_s, target_s) < service_level:
        n += 1
    return math.ceil(n / (1 - shrinkage) - 1e-9)


@dataclass(frozen=True)
class ErlangA:
    """What Erlang A (M/M/n+M) predicts for one interval; shares of all arrivals."""

    p_wait: float          # share of callers who find every agent busy
    p_abandon: float       # share of callers who hang up before being answered
    service_level: float   # share answered within target_s (an abandoned call is a miss)
    occupancy: float       # share of agents' time spent handling calls
    asa_s: float           # average wait of the callers who are answered, in seconds

    def as_dict(self) -> dict[str, float]:
        return {"p_wait": self.p_wait, "p_abandon": self.p_abandon, "service_level": self.service_level,
                "occupancy": self.occupancy, "asa_s": self.asa_s}


def _erlang_a_distribution(agents: int, lam: float, mu: float, theta: float) -> np.ndarray:
    """Stationary probabilities of the number in system, 0..n+J, computed in logs.

    Birth rate lam; death rate k mu for k <= n and n mu + j theta with j in queue. The tail
    is cut where its terms fall below 1e-18 of the largest, so the truncation error is
    negligible even when agents are fewer than the offered load (abandonment keeps it stable).
    """
    # here, not at the top: scipy.special takes 0.3 s to import, which commands that compute no
    # queue (pcp list, a pack rerun that reuses every page) should not pay
    from scipy.special import gammaln

    n = int(agents)
    a = lam / mu
    k = np.arange(n + 1)
    log_p = k * math.log(a) - gammaln(k + 1) if a > 0 else np.where(k == 0, 0.0, -np.inf)
    # queue part: log pi(n+j) = log pi(n) + sum_{i=1..j} log(lam / (n mu + i theta))
    j_peak = max(0.0, (lam - n * mu) / theta)
    j = 1
    tail: list[float] = []
    acc = float(log_p[-1])
    best = max(float(np.max(log_p)), acc)
    while True:
        acc += math.log(lam / (n * mu + j * theta))
        tail.append(acc)
        best = max(best, acc)
        if j > j_peak and acc < best - 41.5:  # e^-41.5 ~ 1e-18
            break
        j += 1
    log_all = np.concatenate([log_p, np.array(tail)])
    top = float(np.max(log_all))  # normalise in logs (as scipy's logsumexp, without its overhead)
    p = np.exp(log_all - top)
    return p / p.sum()


def _answered_within(move: np.ndarray, theta: float, t: float) -> np.ndarray:
    """P(answered within ``t``) for a waiting caller with j = 0, 1, ... others ahead.

    The tagged caller's chain: from j ahead it moves to j - 1 (or is answered from 0) at rate
    ``move[j]`` and hangs up at rate ``theta``. Solved by uniformisation, which sums
    non-negative terms only (no cancellation): with Lambda the largest exit rate, the chance
    equals sum over m of Poisson(m; Lambda t) times the chance of being answered within m
    steps of the jump chain.
    """
    return _answered_within_many([(move, theta, t)])[0]


def _answered_within_many(jobs: Sequence[tuple[np.ndarray, float, float]]) -> list[np.ndarray]:
    """:func:`_answered_within` for several chains at once, each result exactly as if alone.

    The chains advance together, one step for all of them per pass of the loop (padded with
    zeros beyond each chain's length, which nothing reads: a state only takes from the state
    below it), since the loop's cost is its number of passes, not the size of each.
    Each chain's own rows are then weighted by its own Poisson terms, as for one chain.
    """
    from scipy.special import gammaln  # as in _erlang_a_distribution

    out: list[np.ndarray | None] = [None] * len(jobs)
    live = []
    for i, (move, theta, t) in enumerate(jobs):
        if t <= 0:
            out[i] = np.zeros(len(move))
            continue
        exit_rate = move + theta
        lam_max = float(exit_rate.max())
        lt = lam_max * t
        steps = int(lt + 12 * math.sqrt(lt) + 30)
        k = np.arange(steps + 1)
        weights = np.exp(k * math.log(lt) - lt - gammaln(k + 1))  # Poisson(k; lt), as scipy's pmf
        live.append((i, len(move), steps, weights, move / lam_max, 1.0 - exit_rate / lam_max))
    if not live:
        return [o if o is not None else np.zeros(0) for o in out]
    width = max(n for _, n, *_ in live)
    steps_all = max(steps for _, _, steps, *_ in live)
    go = np.zeros((len(live), width))
    stay = np.zeros((len(live), width))
    for r, (_, n, _, _, go_r, stay_r) in enumerate(live):
        go[r, :n] = go_r
        stay[r, :n] = stay_r
    go0 = go[:, 0]
    go_up = go[:, 1:]
    # F[m] = chance of being answered within m jumps, from each j; one row per step (the
    # loop only advances the chains; the Poisson weighting is one matrix product at the end)
    F = np.empty((steps_all + 1, len(live), width))
    F[0] = 0.0
    for m in range(1, steps_all + 1):
        prev, cur = F[m - 1], F[m]
        np.multiply(stay, prev, out=cur)
        cur[:, 0] += go0
        cur[:, 1:] += go_up * prev[:, :-1]
    for r, (i, n, steps, weights, _, _) in enumerate(live):
        out[i] = weights[1:] @ np.ascontiguousarray(F[1:steps + 1, r, :n])
    return [o if o is not None else np.zeros(0) for o in out]


def erlang_a_abandon(agents: int, calls: float, aht_s: float, interval_s: float, patience_s: float) -> float:
    """The share of callers who hang up, under Erlang A: the cheap part of :func:`erlang_a`
    (no answer-time distribution), for searches that can rule a staffing level out on it."""
    if calls == 0:
        return 0.0
    lam, mu, theta = calls / interval_s, 1.0 / aht_s, 1.0 / patience_s
    n = int(agents)
    q = _erlang_a_distribution(n, lam, mu, theta)[n:]
    return float(theta * float((np.arange(len(q)) * q).sum()) / lam)


def erlang_a(agents: int, calls: float, aht_s: float, interval_s: float, target_s: float,
             patience_s: float) -> ErlangA:
    """Erlang A: Poisson arrivals, exponential handling, exponential patience (mean ``patience_s``).

    Exact within floating point: the stationary distribution of the birth-death chain
    (no closed-form shortcut such as the incomplete-gamma approximations some tools use),
    and the answered-within-``target_s`` probability from the tagged caller's own chain: a
    caller with j others ahead in the queue moves up at rate n mu + j theta (an answer or
    someone ahead hanging up) and hangs up at rate theta; the probability of reaching an agent
    by ``target_s`` follows from that pure-death chain by uniformisation. Stable for agents fewer
    than the offered load, since abandonment keeps the queue finite.
    """
    return erlang_a_many([agents], [calls], aht_s, interval_s, [target_s], patience_s)[0][0]


@dataclass(frozen=True)
class _Queue:
    """What Erlang A needs of one interval before the answer-time targets come in."""

    n: int
    lam: float
    load: float
    theta: float
    q: np.ndarray        # arriving caller finds n + j in system (PASTA): j ahead in the queue
    p_wait: float
    p_abandon: float
    move: np.ndarray     # rate at which a caller with j ahead moves up the queue


def _check(agents: int, calls: float, aht_s: float, interval_s: float, patience_s: float) -> float:
    """The offered load, once the inputs are known to make sense."""
    if agents < 1:
        raise ValueError(f"agents must be at least 1; got {agents}")
    if patience_s <= 0:
        raise ValueError(f"patience_s must be > 0; got {patience_s}")
    return offered_load(calls, aht_s, interval_s)


def _queue(agents: int, calls: float, aht_s: float, interval_s: float, patience_s: float) -> _Queue:
    a = _check(agents, calls, aht_s, interval_s, patience_s)
    lam = calls / interval_s
    mu = 1.0 / aht_s
    theta = 1.0 / patience_s
    n = int(agents)
    pi = _erlang_a_distribution(n, lam, mu, theta)
    q = pi[n:]
    jj = np.arange(len(q))
    mean_queue = float((jj * q).sum())
    return _Queue(n=n, lam=lam, load=a, theta=theta, q=q, p_wait=float(q.sum()),
                  p_abandon=theta * mean_queue / lam, move=n * mu + jj * theta)


def _result(z: _Queue, answered_by_t: np.ndarray) -> ErlangA:
    """The Erlang A figures of one interval and target, from its queue and the chance of being
    answered by the target from each place in the queue."""
    q, move, theta = z.q, z.move, z.theta
    sl = (1.0 - z.p_wait) + float((q * answered_by_t).sum())
    # Mean wait of answered callers: E[T_j 1{answered}] for a caller with j ahead, by
    # first-step analysis over the pure-death chain (each step takes Exp(out_j) time).
    out = move + theta
    p_served = np.cumprod(move / out)
    exp_wait_answered = np.zeros(len(q))
    prev_p, prev_w = 1.0, 0.0
    for i in range(len(q)):
        prev_w = move[i] / out[i] * (prev_w + prev_p / out[i])
        exp_wait_answered[i] = prev_w
        prev_p = p_served[i]
    answered = 1.0 - z.p_abandon
    asa = float((q * exp_wait_answered).sum()) / answered if answered > 0 else float("inf")
    occupancy = z.load * (1.0 - z.p_abandon) / z.n
    return ErlangA(p_wait=z.p_wait, p_abandon=float(z.p_abandon), service_level=float(min(1.0, sl)),
                   occupancy=float(min(1.0, occupancy)), asa_s=asa)


def erlang_a_many(agents: Sequence[int], calls: Sequence[float], aht_s: float, interval_s: float,
                  targets_s: Sequence[float], patience_s: float) -> list[list[ErlangA]]:
    """:func:`erlang_a` for many intervals (``agents[i]`` handlers, ``calls[i]`` calls) and
    each answer-time target in ``targets_s``: ``result[i][k]`` is exactly
    ``erlang_a(agents[i], calls[i], aht_s, interval_s, targets_s[k], patience_s)``.

    Why: a week's staffing evaluates the 168 hours of a week, some for two targets; the
    answer-time chains of all of them advance together (one loop instead of one each), and
    each interval's queue is worked out once for all its targets.
    """
    if len(agents) != len(calls):
        raise ValueError(f"one number of agents per interval: {len(agents)} agents for {len(calls)} intervals")
    queues: list[_Queue | None] = []
    for n, c in zip(agents, calls, strict=True):
        _check(n, c, aht_s, interval_s, patience_s)  # an interval without calls is checked as well
        queues.append(_queue(n, c, aht_s, interval_s, patience_s) if c != 0 else None)
    jobs = [(z.move, z.theta, t) for z in queues if z is not None for t in targets_s]
    answered = iter(_answered_within_many(jobs))
    results = []
    for z in queues:
        if z is None:
            results.append([ErlangA(0.0, 0.0, 1.0, 0.0, 0.0) for _ in targets_s])
        else:
            results.append([_result(z, next(answered)) for _ in targets_s])
    return results
