"""The sentences the CSP page shows, computed from the figures (never typed in).

Every sentence names the as-at date of the figures it quotes, because positions are
dated days and the published one (05/01/2026) is not a quarter end. Areas are named by
the short names the published table prints (``names``: canonical -> short; the project's
reference list when None).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from pcp_lib.core.provenance import provenance_of
from pcp_lib.display.wording import and_list
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.units import fmt_money, fmt_percent, fmt_pp, percent_of, pp_change
from pcp_lib.reference.csp_areas import area_names, short_names
from pcp_lib.subjects.csp.position import STATUSES
from pcp_lib.subjects.csp.projects import PRIORITIES
from pcp_lib.subjects.csp.timeline import AFTER, WITHIN

__all__ = ["flagged_sentence", "lead_sentences", "method_notes", "position_caption", "project_sentences",
           "projection_sentences", "published_sentences", "series_subtitle", "spend_sentence", "status_sentences"]


def _d(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def _names(areas: list[str], names: Mapping[str, str] | None = None) -> str:
    sn = short_names() if names is None else names
    shown = [sn.get(a, a) for a in areas]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _total(pos: pd.DataFrame) -> dict[str, Any]:
    rec: dict[str, Any] = pos.loc[pos["is_total"]].to_dict("records")[0]
    return rec


def spend_sentence(pos: pd.DataFrame) -> str:
    """What the nine CSPs had spent at a position against the share of the year gone."""
    d, ye, t = pos.attrs["as_at"], pos.attrs["year"], _total(pos)
    return (f"As at {_d(d)} the nine CSPs had spent {fmt_money(t['expenditure'])} of the "
            f"{fmt_money(t['allocation'])} allocated for {ye.fy_label} ({fmt_percent(t['pct_spent'])} spent) with "
            f"{fmt_percent(ye.pct)} of the year elapsed (day {ye.day} of {ye.days_in_year}); "
            f"{fmt_money(t['remaining'])} remained.")


def flagged_sentence(pos: pd.DataFrame, names: Mapping[str, str] | None = None) -> str:
    """Which areas are flagged at a position and why, in one sentence (the table "Areas
    flagged" gives each reason in full)."""
    rows = pos.loc[~pos["is_total"]]
    flagged = rows.loc[rows["flagged"].astype(bool)]
    sn = short_names() if names is None else names
    if flagged.empty:
        return f"No area of {len(rows)} is flagged as at {_d(pos.attrs['as_at'])}."
    parts = [f"{sn.get(r['csp_area'], r['csp_area'])} ({r['status']}"
             + (f", {fmt_pp(r['spend_vs_profile_pp'])} against profile" if r["status"] == "behind profile" else "")
             + ")" for r in flagged.to_dict("records")]
    return (f"{len(flagged)} of {len(rows)} areas {'is' if len(flagged) == 1 else 'are'} flagged as at "
            f"{_d(pos.attrs['as_at'])}: " + "; ".join(parts) + ".")


def lead_sentences(quarter: Quarter, lead: pd.DataFrame | None, previous_as_at: date | None = None,
                   in_quarter: pd.DataFrame | None = None, year_earlier: pd.DataFrame | None = None
                   ) -> list[str]:
    """Where the CSPs stood at the latest position up to the quarter's end (``lead``, a
    ``spend_position`` carrying its provenance), what was drawn down in the quarter (from the
    position as at ``previous_as_at``: ``in_quarter``), and the comparison with a year earlier."""
    q = quarter
    if lead is None:
        return [f"There is no CSP spend position as at any date up to the end of {q.label} "
                f"({_d(q.end)}) in the data."]
    pos, d = lead, lead.attrs["as_at"]
    ye = pos.attrs["year"]
    t = _total(pos)
    kind = "a SYNTHETIC sample position" if provenance_of(pos).synthetic else "real figures, not a sample"
    where = "within the quarter" if q.contains(d) else "before the quarter began"
    out = [f"The latest position up to the end of {q.label} is as at {_d(d)} ({where}; {kind})."]
    if ye.fy != q.fy:
        out.append(f"That is a {ye.fy_label} position: there is no CSP position yet for {q.fy_label}.")
    out.append(spend_sentence(pos))
    dd = in_quarter
    if dd is not None and q.contains(d):
        drawn = dd.loc[dd["csp_area"] == "Total", "drawn_down"].iloc[0]
        if previous_as_at is not None:
            out.append(f"In {q.label}, from the position as at {_d(previous_as_at)} to {_d(d)}, "
                       f"{fmt_money(drawn)} was drawn down; the year to date is {fmt_money(t['expenditure'])}.")
        else:
            out.append(f"This is the first position of {ye.fy_label}: all {fmt_money(drawn)} was drawn down "
                       f"between 1 April and {_d(d)}.")
    yq = q.year_earlier()
    if year_earlier is None:
        out.append(f"There is no position for {yq.label} to compare with: the {yq.fy_label} CSP returns are not "
                   "in the data.")
    else:
        yt = _total(year_earlier)
        out.append(f"A year earlier, as at {_d(year_earlier.attrs['as_at'])}, {fmt_percent(yt['pct_spent'])} of the "
                   f"{yq.fy_label} allocation had been spent: {fmt_pp(pp_change(yt['pct_spent'], t['pct_spent']))} "
                   "(percentage points) to now.")
    return out


def status_sentences(pos: pd.DataFrame, names: Mapping[str, str] | None = None) -> list[str]:
    """Which areas are in which status, and how many are flagged."""
    rows = pos.loc[~pos["is_total"]]
    ye = pos.attrs["year"]
    out = []
    for s in STATUSES:
        areas = list(rows.loc[rows["status"] == s, "csp_area"])
        if areas:
            out.append(f"{s[0].upper() + s[1:]} as at {_d(ye.as_at)}: {_names(areas, names)}.")
    n = int(rows["flagged"].sum())
    out.append(f"{n} of {len(rows)} areas are flagged (no drawdown yet, behind profile by more than "
               f"{pos.attrs['tolerance']}pp, or fully spent)." if n != 1 else
               f"1 of {len(rows)} areas is flagged.")
    return out


def projection_sentences(pos: pd.DataFrame, names: Mapping[str, str] | None = None) -> list[str]:
    """The projected year-end position at each area's run rate."""
    ye = pos.attrs["year"]
    t = _total(pos)
    rows = pos.loc[~pos["is_total"]]
    if t["projected_underspend"] == 0:
        return [f"At each area's run rate to {_d(ye.as_at)}, every area would spend its full allocation by "
                f"{_d(ye.year_end)}."]
    share = percent_of(t["projected_underspend"], t["allocation"])
    under = rows.loc[[u > 0 for u in rows["projected_underspend"]]]
    sn = short_names() if names is None else names
    parts = [f"{sn.get(a, a)} {fmt_money(u)}" for a, u in
             zip(under["csp_area"], under["projected_underspend"], strict=True)]
    return [
        f"At each area's run rate to {_d(ye.as_at)} (spend so far / {ye.day} days x {ye.days_in_year}, capped at "
        f"the allocation), the CSPs would spend {fmt_money(t['projected_year_end'])} of "
        f"{fmt_money(t['allocation'])} by {_d(ye.year_end)}, leaving a projected underspend of "
        f"{fmt_money(t['projected_underspend'])} ({fmt_percent(share)} of the allocation).",
        "The projected underspend by area: " + "; ".join(parts) + ".",
    ]


def published_sentences(quarter: Quarter, pos: pd.DataFrame | None, relation: str | None) -> list[str]:
    """Where the published position (``pos``, a ``spend_position``) sits against the quarter
    (``relation``: ``timeline.WITHIN``, ``BEFORE`` or ``AFTER``), and its totals."""
    q = quarter
    if pos is None:
        return [f"No published CSP position falls up to the end of {q.label} or in the quarter after it."]
    d = pos.attrs["as_at"]
    t = _total(pos)
    if relation == AFTER:
        gap = (d - q.end).days
        lead = (f"The published position is as at {_d(d)}, {gap} days after the end of {q.label}: it falls in "
                f"{q.next().label}. It is shown here as published, not as a {q.label} figure.")
    elif relation == WITHIN:
        lead = f"The published position is as at {_d(d)}, within {q.label}."
    else:
        lead = f"The latest published position is as at {_d(d)}, before {q.label} began."
    rows = pos.loc[~pos["is_total"]]
    ok = sum(1 for a, e, r in zip(rows["allocation"], rows["expenditure"], rows["remaining"], strict=True)
             if a - e == r)
    return [lead,
            f"Totals as at {_d(d)}: {fmt_money(t['allocation'])} allocated, {fmt_money(t['expenditure'])} "
            f"spent ({fmt_percent(t['pct_spent'])}), {fmt_money(t['remaining'])} remaining.",
            f"Remaining equals allocation minus expenditure to the penny in {ok} of {len(rows)} rows, as it must: "
            "the loader rejects a position where it does not, so this restates a check rather than adding one."]


def project_sentences(tagged: pd.DataFrame, names: Mapping[str, str] | None = None) -> list[str]:
    """How many projects, where, and which priorities they serve (``names``: canonical ->
    short name of every CSP, in reference order)."""
    sn = short_names() if names is None else names
    order = list(sn) if names is not None else list(area_names())
    n = len(tagged)
    per_area = tagged.groupby("csp_area").size()
    with_projects = [a for a in order if per_area.get(a, 0) > 0]
    without = [a for a in order if per_area.get(a, 0) == 0]
    out = [f"Appendix One lists {n} projects agreed by {len(with_projects)} of the {len(order)} CSPs"
           + (f"; it lists none for {_names(without, sn)}." if without else ".")]
    per_p = tagged.groupby("priority").size()
    parts = [f"{p} {int(per_p.get(p, 0))}" for p in sorted(PRIORITIES, key=lambda p: (-int(per_p.get(p, 0)),
                                                                                        PRIORITIES.index(p)))]
    out.append("Projects by priority (by the tagging rules): " + "; ".join(parts) + ".")
    most = max(int(per_area.get(a, 0)) for a in with_projects)
    top = [sn.get(a, a) for a in with_projects if int(per_area.get(a, 0)) == most]
    out.append(f"{top[0]} has the most projects ({most})." if len(top) == 1 else
               f"{and_list(top)} tie for the most projects ({most} each).")
    return out


def position_caption(as_at: date) -> str:
    """Caption and chart subtitle naming the as-at date of a position."""
    return f"Position as at {_d(as_at)}"


def series_subtitle(series: pd.DataFrame) -> str:
    """Subtitle for the drawdown chart: which positions are drawn hollow (a synthetic sample,
    from each position's provenance: see ``timeline.drawdown_series``)."""
    syn = sorted({d for d, s, first in zip(series["as_at"], series["synthetic"], series["start"], strict=True)
                  if s and not first})
    if not syn:
        return "Every position shown is real figures, not a sample"
    return "Hollow markers: the positions as at " + ", ".join(_d(d) for d in syn) + " are a sample, not real figures"


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
