"""The figures of the comparison page, computed from the ONS tables and the populations.

Every rate is offences per 1,000 residents on one basis (Census 2021 usual residents summed by
force area, ``force_populations_census2021.csv``): LLR's 1,121,800 is the project's own basis
(``data/reference/population.csv``), so 9,029 shoplifting offences are 8.05 per 1,000.
England and Wales is the 43 territorial forces (the regions are sums of their forces too);
ONS's England and Wales row also counts British Transport Police's offences, which have no
area, so it is not used as the rate's numerator.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from pcp_lib.display.charts.intervals import RatePoint
from pcp_lib.methods.rates import fmt_rate, per_1000, rate_interval
from pcp_lib.methods.units import fmt_count
from pcp_lib.reference.recorded_crime import ENGLAND_AND_WALES

__all__ = ["FORCE_CODE", "FORCE_NAME", "Row", "comparison_rows", "comparison_table", "csew_metrics", "ordinal",
           "peer_panels", "peer_table", "rank_words", "uncompared_table"]

#: Leicestershire Police, the force of Leicester, Leicestershire and Rutland
FORCE_CODE = "E23000021"
FORCE_NAME = "LLR (Leicestershire Police)"


@dataclass(frozen=True)
class Row:
    """One measure compared: LLR's count, rate and interval, England and Wales's and the region's
    rates, LLR's rank among the 43 forces (1 = the highest rate) and the peer group's rates."""

    serial: int | None
    offence: str
    measure: str
    note: str
    count: int
    rate: Decimal
    low: float
    high: float
    england_wales: Decimal
    region: Decimal
    rank: int
    forces: int
    peers: tuple[tuple[str, int, Decimal, float, float], ...]


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_words(row: Row) -> str:
    """"12th highest of 43"."""
    return f"{ordinal(row.rank)} highest of {row.forces}"


def comparison_rows(pfa: pd.DataFrame, pops: pd.DataFrame, comparators: pd.DataFrame,
                    peers: pd.DataFrame) -> list[Row]:
    """One :class:`Row` per comparator with an offence group, in the reference file's order."""
    population = dict(zip(pops["area_code"], pops["population"].astype(int), strict=True))
    forces = pfa[pfa["area_type"] == "force"].set_index("area_code")
    llr = forces.loc[FORCE_CODE]
    region_code = pfa.loc[(pfa["area_type"] == "region") & (pfa["area_name"] == llr["region"]), "area_code"]
    if region_code.empty:
        raise ValueError(f"no region row named {llr['region']!r} in the force table")
    region = pfa.set_index("area_code").loc[region_code.iloc[0]]
    out = []
    for _, c in comparators[comparators["offence"].notna()].iterrows():
        k = str(c["offence"])
        rates = {code: per_1000(int(f[k]), population[code]) for code, f in forces.iterrows()}
        ordered = sorted(rates.values(), reverse=True)
        count = int(llr[k])
        low, high = rate_interval(count, population[FORCE_CODE])
        peer_rows = []
        for _, p in peers.iterrows():
            n = int(forces.loc[p["force_code"], k])
            lo, hi = rate_interval(n, population[p["force_code"]])
            peer_rows.append((str(p["force_name"]), n, rates[p["force_code"]], lo, hi))
        out.append(Row(
            serial=None if pd.isna(c["serial"]) else int(c["serial"]), offence=k, measure=str(c["measure"]),
            note=str(c["note"]), count=count, rate=rates[FORCE_CODE], low=low, high=high,
            england_wales=per_1000(int(forces[k].sum()), population[ENGLAND_AND_WALES]),
            region=per_1000(int(region[k]), population[region_code.iloc[0]]),
            rank=ordered.index(rates[FORCE_CODE]) + 1, forces=len(forces), peers=tuple(peer_rows)))
    return out


def comparison_table(rows: list[Row], region_name: str) -> pd.DataFrame:
    """The table as shown: a row per measure, figures formatted (rates per 1,000 to 2 places)."""
    return pd.DataFrame({
        "Measure": [r.measure for r in rows],
        "Plan serial": [str(r.serial) if r.serial is not None else "context" for r in rows],
        "LLR offences": [fmt_count(r.count) for r in rows],
        "LLR rate": [fmt_rate(r.rate) for r in rows],
        "LLR 95% interval": [f"{fmt_rate(r.low)}–{fmt_rate(r.high)}" for r in rows],
        "England and Wales rate": [fmt_rate(r.england_wales) for r in rows],
        f"{region_name} rate": [fmt_rate(r.region) for r in rows],
        "LLR's rank of 43 (1 = highest rate)": [str(r.rank) for r in rows],
    })


def peer_table(rows: list[Row]) -> pd.DataFrame:
    """The peer group's rates: a row per measure, a column per force ("8.05 (9,029)": the rate
    per 1,000 and, in brackets, the offences)."""
    forces = [p[0] for p in rows[0].peers] if rows else []
    data: dict[str, list[str]] = {"Measure": [r.measure for r in rows]}
    for i, force in enumerate(forces):
        data[force] = [f"{fmt_rate(r.peers[i][2])} ({fmt_count(r.peers[i][1])})" for r in rows]
    return pd.DataFrame(data)


def peer_panels(rows: list[Row], focus: str, region_name: str) -> tuple[dict[str, list[RatePoint]],
                                                                      dict[str, dict[str, float]]]:
    """What the dot-and-interval chart draws: per measure, each peer's rate and interval (the
    force ``focus`` marked), and the England and Wales and region rates as reference lines."""
    panels = {r.measure: [RatePoint(name, float(rate), lo, hi, focus=name == focus)
                          for name, _, rate, lo, hi in r.peers] for r in rows}
    refs = {r.measure: {"England and Wales": float(r.england_wales), region_name: float(r.region)} for r in rows}
    return panels, refs


def csew_metrics(register: pd.DataFrame) -> pd.DataFrame:
    """The Plan's survey measures (source CSEW in the register)."""
    return register[register["source"] == "CSEW"]


def uncompared_table(register: pd.DataFrame, comparators: pd.DataFrame) -> pd.DataFrame:
    """Every Plan metric without a recorded-crime counterpart, with the reason (survey measures
    first)."""
    compared = set(comparators.loc[comparators["offence"].notna() & comparators["serial"].notna(), "serial"].astype(int))
    reasons = {int(s): str(n) for s, n in zip(comparators["serial"], comparators["note"], strict=True) if pd.notna(s)}
    rest = register[~register["serial"].astype(int).isin(compared)].copy()
    rest["survey"] = rest["source"] != "CSEW"
    rest = rest.sort_values(["survey", "serial"])
    return pd.DataFrame({
        "Serial": rest["serial"].astype(int).astype(str),
        "Plan metric": rest["metric"].astype(str),
        "Source": rest["source"].astype(str),
        "Why there is no comparison here": [reasons.get(int(s), "Not listed in metric_comparators.csv")
                                            for s in rest["serial"]],
    })
