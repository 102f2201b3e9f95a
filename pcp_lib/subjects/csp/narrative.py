"""The sentences the CSP notebook shows, computed from the figures (never typed in).

Every sentence names the as-at date of the figures it quotes, because positions are
dated days and the published one (05/01/2026) is not a quarter end.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from pcp_lib.methods.parsing import format_money
from pcp_lib.reference.csp_areas import area_names, short_names
from pcp_lib.subjects.csp.position import STATUSES, pct, pp
from pcp_lib.subjects.csp.projects import PRIORITIES
from pcp_lib.subjects.csp.views import QuarterView


def _d(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def _names(areas: list[str]) -> str:
    sn = short_names()
    names = [sn.get(a, a) for a in areas]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _total(pos: pd.DataFrame) -> dict:
    return pos.loc[pos["is_total"]].to_dict("records")[0]


def lead_sentences(view: QuarterView) -> list[str]:
    """Where the CSPs stood at the latest position up to the quarter's end, what was drawn
    down in the quarter, and the comparison with a year earlier."""
    q = view.quarter
    if view.lead is None:
        return [f"There is no CSP spend position as at any date up to the end of {q.label} "
                f"({_d(q.end)}) in the data."]
    pos, d = view.lead, view.lead_as_at
    ye = pos.attrs["year"]
    t = _total(pos)
    kind = "a SYNTHETIC sample position" if view.lead_synthetic else "a real (published) position"
    where = "within the quarter" if view.lead_in_quarter else "before the quarter began"
    out = [f"The latest position up to the end of {q.label} is as at {_d(d)} ({where}; {kind})."]
    if not view.lead_same_year:
        out.append(f"That is a {ye.fy_label} position: there is no CSP position yet for {q.fy_label}.")
    out.append(f"As at {_d(d)} the nine CSPs had spent {format_money(t['expenditure'])} of the "
               f"{format_money(t['allocation'])} allocated for {ye.fy_label} ({pct(t['pct_spent'])} spent) with "
               f"{pct(ye.pct)} of the year elapsed (day {ye.day} of {ye.days_in_year}); "
               f"{format_money(t['remaining'])} remained.")
    dd = view.in_quarter
    if dd is not None and view.lead_in_quarter:
        drawn = dd.loc[dd["csp_area"] == "Total", "drawn_down"].iloc[0]
        if view.previous_as_at is not None:
            out.append(f"In {q.label}, from the position as at {_d(view.previous_as_at)} to {_d(d)}, "
                       f"{format_money(drawn)} was drawn down; the year to date is {format_money(t['expenditure'])}.")
        else:
            out.append(f"This is the first position of {ye.fy_label}: all {format_money(drawn)} was drawn down "
                       f"between 1 April and {_d(d)}.")
    yq = q.year_earlier()
    if view.year_earlier is None:
        out.append(f"There is no position for {yq.label} to compare with: the {yq.fy_label} CSP returns are not "
                   "in the data.")
    else:
        yt = _total(view.year_earlier)
        out.append(f"A year earlier, as at {_d(view.year_earlier_as_at)}, {pct(yt['pct_spent'])} of the "
                   f"{yq.fy_label} allocation had been spent: {pp(t['pct_spent'] - yt['pct_spent'])} "
                   "(percentage points) to now.")
    return out


def status_sentences(pos: pd.DataFrame) -> list[str]:
    """Which areas are in which status, and how many are flagged."""
    rows = pos.loc[~pos["is_total"]]
    ye = pos.attrs["year"]
    out = []
    for s in STATUSES:
        areas = list(rows.loc[rows["status"] == s, "csp_area"])
        if areas:
            out.append(f"{s[0].upper() + s[1:]} as at {_d(ye.as_at)}: {_names(areas)}.")
    n = int(rows["flagged"].sum())
    out.append(f"{n} of {len(rows)} areas are flagged (no drawdown yet, behind profile by more than "
               f"{pos.attrs['tolerance']}pp, or fully spent)." if n != 1 else
               f"1 of {len(rows)} areas is flagged.")
    return out


def projection_sentences(pos: pd.DataFrame) -> list[str]:
    """The projected year-end position at each area's run rate."""
    ye = pos.attrs["year"]
    t = _total(pos)
    rows = pos.loc[~pos["is_total"]]
    if t["projected_underspend"] == 0:
        return [f"At each area's run rate to {_d(ye.as_at)}, every area would spend its full allocation by "
                f"{_d(ye.year_end)}."]
    share = t["projected_underspend"] / t["allocation"] * 100
    under = rows.loc[[u > 0 for u in rows["projected_underspend"]]]
    parts = [f"{short_names().get(a, a)} {format_money(u)}" for a, u in
             zip(under["csp_area"], under["projected_underspend"], strict=True)]
    return [
        f"At each area's run rate to {_d(ye.as_at)} (spend so far / {ye.day} days x {ye.days_in_year}, capped at "
        f"the allocation), the CSPs would spend {format_money(t['projected_year_end'])} of "
        f"{format_money(t['allocation'])} by {_d(ye.year_end)}, leaving a projected underspend of "
        f"{format_money(t['projected_underspend'])} ({pct(share)} of the allocation).",
        "The projected underspend by area: " + "; ".join(parts) + ".",
    ]


def published_sentences(view: QuarterView) -> list[str]:
    """Where the published position sits against the quarter, and its totals."""
    q = view.quarter
    if view.published is None:
        return [f"No published CSP position falls up to the end of {q.label} or in the quarter after it."]
    d = view.published_as_at
    pos = view.published
    t = _total(pos)
    if view.published_relation == "after the quarter":
        gap = (d - q.end).days
        lead = (f"The published position is as at {_d(d)}, {gap} days after the end of {q.label}: it falls in "
                f"{q.next().label}. It is shown here as published, not as a {q.label} figure.")
    elif view.published_relation == "in the quarter":
        lead = f"The published position is as at {_d(d)}, within {q.label}."
    else:
        lead = f"The latest published position is as at {_d(d)}, before {q.label} began."
    rows = pos.loc[~pos["is_total"]]
    ok = sum(1 for a, e, r in zip(rows["allocation"], rows["expenditure"], rows["remaining"], strict=True)
             if a - e == r)
    return [lead,
            f"Totals as at {_d(d)}: {format_money(t['allocation'])} allocated, {format_money(t['expenditure'])} "
            f"spent ({pct(t['pct_spent'])}), {format_money(t['remaining'])} remaining.",
            f"Remaining equals allocation minus expenditure to the penny in {ok} of {len(rows)} rows."]


def project_sentences(tagged: pd.DataFrame) -> list[str]:
    """How many projects, where, and which priorities they serve."""
    n = len(tagged)
    per_area = tagged.groupby("csp_area").size()
    with_projects = [a for a in area_names() if per_area.get(a, 0) > 0]
    without = [a for a in area_names() if per_area.get(a, 0) == 0]
    out = [f"Appendix One lists {n} projects agreed by {len(with_projects)} of the {len(area_names())} CSPs"
           + (f"; it lists none for {_names(without)}." if without else ".")]
    per_p = tagged.groupby("priority").size()
    parts = [f"{p} {int(per_p.get(p, 0))}" for p in sorted(PRIORITIES, key=lambda p: (-int(per_p.get(p, 0)),
                                                                                        PRIORITIES.index(p)))]
    out.append("Projects by priority (by the tagging rules): " + "; ".join(parts) + ".")
    top = max(with_projects, key=lambda a: (int(per_area.get(a, 0)), -area_names().index(a)))
    out.append(f"{short_names().get(top, top)} has the most projects ({int(per_area[top])}).")
    return out


def position_subtitle(as_at: date, synthetic: bool) -> str:
    """Chart subtitle naming the as-at date and whether the figures are synthetic."""
    if synthetic:
        return f"Position as at {_d(as_at)}: SYNTHETIC sample data (fixed seed), not real OPCC figures"
    return f"Position as at {_d(as_at)}: real figures as published in the Commissioner's update to the Panel"


def series_subtitle(series: pd.DataFrame) -> str:
    """Subtitle for the drawdown chart: which positions are synthetic."""
    syn = sorted({d for d, s in zip(series["as_at"], series["synthetic"], strict=True) if s})
    if not syn:
        return "All positions are real (published) figures"
    return ("Positions as at " + ", ".join(_d(d) for d in syn) + " are SYNTHETIC sample data (hollow markers), "
            "not real OPCC figures")


def sources(view: QuarterView) -> list[str]:
    """The data behind the page, for the title block (no local paths)."""
    out = ["Commissioner's update to the Police and Crime Panel (Community Based Commissioning, para 27): "
           "2025-26 CSP allocations, expenditure and remaining balance as published (data/published/csp_spend.csv)",
           "Appendix One of the same update: projects agreed by each CSP (data/published/csp_projects.csv); "
           "priority tags by the rules in data/reference/csp_priority_rules.csv"]
    dates = sorted(set(view.series["as_at"])) if len(view.series) else []
    for d in dates:
        syn = bool(view.series.loc[view.series["as_at"] == d, "synthetic"].any())
        out.append(f"CSP spend return as at {_d(d)} ({'SYNTHETIC sample' if syn else 'published figures'})")
    return out


def method_notes(pos: pd.DataFrame) -> list[str]:
    """How the profile, the statuses and the projection are worked out."""
    ye = pos.attrs["year"]
    tol = pos.attrs["tolerance"]
    return [
        f"% of year elapsed counts days: 1 April is day 1 and 31 March day {ye.days_in_year} of {ye.fy_label} "
        f"(366 in a year holding 29 February); {ye.describe()}.",
        "% spent is expenditure to date / allocation. Spend against profile is % spent minus % of year elapsed, "
        "in percentage points (pp), and in £ against allocation x share of the year elapsed.",
        f"Status: fully spent (nothing left); no drawdown yet (nothing spent); behind profile (more than {tol}pp "
        f"below the year elapsed); ahead of profile (more than {tol}pp above); otherwise on profile.",
        f"Projected year-end spend: expenditure to date / {ye.day} days x {ye.days_in_year} days, capped at the "
        "allocation (a CSP cannot draw more than its allocation); projected underspend is allocation minus that. "
        "The total's projection is the sum of the areas' projections.",
    ]


def synthetic_text(view: QuarterView) -> str | None:
    """What is synthetic on the page (None when nothing is)."""
    syn = sorted({d for d, s in zip(view.series["as_at"], view.series["synthetic"], strict=True) if s})
    if not syn:
        return None
    return ("The CSP positions as at " + ", ".join(_d(d) for d in syn) + " are a sample built to agree with the "
            "published position of the year: allocations as published, expenditure that never falls from one "
            "position to the next and never exceeds the published figure.")
