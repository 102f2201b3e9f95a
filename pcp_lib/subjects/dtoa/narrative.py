"""Sentences for the DToA notebook, each computed from the figures it states.

The notebook types no numbers: every sentence with a number comes from here, so a new
quarter's data changes the words as well as the tables.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from pcp_lib.display.wording import and_list, leaders
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.units import fmt_number as _n
from pcp_lib.methods.units import fmt_percent, is_missing, pp_change
from pcp_lib.subjects.dtoa.arithmetic import largest_dropoff
from pcp_lib.subjects.dtoa.cstr import ENDS, LLR, RATE, STARTS, SUCCESS
from pcp_lib.subjects.dtoa.pathway import MEASURE_NAMES, UPLIFT_START, months_in

__all__ = ["comparison_sentences", "cstr_sentences", "cstr_title", "dropoff_sentences", "funding_title",
           "funnel_title", "largest_loss_sentence", "pathway_2025_sentences", "pathway_2025_title", "quarter_sentences", "uplift_sentences",
           "uplift_title", "weakened_step_sentence"]


def comparison_sentences(cmp: pd.DataFrame) -> list[str]:
    """One sentence per measure of the published comparison, change in its own unit."""
    out = []
    for r in cmp.to_dict("records"):
        unit = {"count": " a month", "percent": "%", "days": " days"}[r["unit"]]
        verb = "fell" if r["after"] < r["before"] else ("rose" if r["after"] > r["before"] else "stayed")
        out.append(f"{r['measure']}: {verb} from {_n(r['before'])}{unit} with enhanced Home Office funding to "
                   f"{_n(r['after'])}{unit} in Q3 2025 ({r['change_label']}).")
    return out


def _not_drop_outs(table: pd.DataFrame) -> str:
    """The people not carried forward who were not drop-outs: not eligible ("screen") or not
    separable from those who were ("mixed"), by stage; "" when there are none."""
    parts = []
    for r in table.iloc[1:].to_dict("records"):
        if r["step_kind"] == "screen":
            parts.append(f"{_n(r['dropoff_from_previous'])} not eligible for '{r['stage']}'")
        elif r["step_kind"] == "mixed":
            parts.append(f"{_n(r['dropoff_from_previous'])} who did not reach '{r['stage']}', mostly never eligible "
                         "(the counts do not separate the two)")
    return "; ".join(parts)


def largest_loss_sentence(table: pd.DataFrame, label: str) -> str | None:
    """Where one funnel's eligible people most often do not go on (by share, and by number
    when that differs), which people not carried forward were not drop-outs (not eligible),
    and how many of those identified reach its last step; None for a funnel of one step."""
    if len(table) < 2:
        return None
    by_share = largest_dropoff(table)
    by_number = largest_dropoff(table, "dropoff_from_previous")
    s = f"{label}:"
    if by_share is not None:
        prev = table.loc[table["step"] == by_share["step"] - 1, "stage"].iloc[0]
        s += (f" the largest drop-out is between '{prev}' and '{by_share['stage']}': "
              f"{fmt_percent(by_share['dropoff_from_previous_pct'], 0)} of those eligible "
              f"({_n(by_share['dropoff_from_previous'])} a month) did not go on.")
        if by_number is not None and by_number["step"] != by_share["step"]:
            s += f" By number, the largest drop-out is at '{by_number['stage']}'."
    others = _not_drop_outs(table)
    if others:
        s += f" Not drop-outs: {others}."
    return s + (f" Overall {fmt_percent(table['conversion_from_top_pct'].iloc[-1], 1)} of those identified reach "
                f"'{table['stage'].iloc[-1]}'.")


def weakened_step_sentence(before: pd.DataFrame, after: pd.DataFrame, before_label: str,
                           after_label: str) -> str | None:
    """The step of the funnel whose share going on fell most between two periods (None when
    the funnels differ in shape or no step can be compared)."""
    if len(before) != len(after):
        return None
    worst = None
    for i in range(1, len(before)):
        b, a = before["conversion_from_previous_pct"].iloc[i], after["conversion_from_previous_pct"].iloc[i]
        d = pp_change(b, a)
        if d is None:
            continue
        if worst is None or d < worst[0]:
            worst = (d, i, b, a)
    if worst is None:
        return None
    d, i, b, a = worst
    return (f"The step that weakened most is '{before['stage'].iloc[i - 1]}' to "
            f"'{before['stage'].iloc[i]}': {fmt_percent(b, 0)} were carried forward {_lower_first(before_label)}, "
            f"{fmt_percent(a, 0)} {_lower_first(after_label)} ({_n(d)} percentage points).")


def dropoff_sentences(before: pd.DataFrame, after: pd.DataFrame, before_label: str, after_label: str) -> list[str]:
    """Where the funnel loses most people in each period, and how that changed."""
    lines = [largest_loss_sentence(before, before_label), largest_loss_sentence(after, after_label),
             weakened_step_sentence(before, after, before_label, after_label)]
    return [s for s in lines if s]


def _lower_first(label: str) -> str:
    """"With enhanced funding" -> "with enhanced funding", but "In Q3 2025" -> "in Q3 2025"."""
    return label[:1].lower() + label[1:]


def pathway_2025_sentences(table: pd.DataFrame) -> list[str]:
    """The 2025 custody pathway in words, step by step, saying at each step whether those not
    carried forward were not eligible or did not go on."""
    out = [f"In January-December 2025, {_n(table['count'].iloc[0])} people were identified in custody as likely "
           "having a substance-use need."]
    why = {"screen": "not eligible (not drop-outs)",
           "mixed": "not eligible or did not go on: the counts cannot separate them",
           "progression": "did not go on"}
    for r in table.iloc[1:].to_dict("records"):
        out.append(f"{_n(r['count'])} reached '{r['stage']}' ({fmt_percent(r['conversion_from_previous_pct'], 1)} of "
                   f"the previous step; {_n(r['dropoff_from_previous'])} not carried forward: "
                   f"{why[str(r['step_kind'])]}).")
    out.append(f"So {fmt_percent(table['conversion_from_top_pct'].iloc[-1], 1)} of those identified entered treatment "
               "via the custody pathway; most of the others were never eligible for a test.")
    return out


def cstr_sentences(summary: pd.DataFrame, check: pd.DataFrame) -> list[str]:
    """CSTR totals and completion rates by area, and whether the published totals add up."""
    s = summary.set_index("area")
    llr = s.loc[LLR]
    out = [f"Across LLR in 2025 there were {_n(llr[STARTS])} CSTR modality starts and {_n(llr[ENDS])} ends, "
           f"{_n(llr[SUCCESS])} of them successful ({fmt_percent(llr[RATE], 1)} of ends)."]
    for area in s.index:
        if area == LLR:
            continue
        r = s.loc[area]
        rate = r[RATE]
        rate_text = "no ends, so no completion rate" if is_missing(rate) else \
            f"{fmt_percent(rate, 1)} of {_n(r[ENDS])} ends successful"
        out.append(f"{area}: {_n(r[STARTS])} starts; {rate_text}.")
    bad = check.loc[~check["matches"]]
    if bad.empty:
        out.append(f"All {len(check)} published totals equal the sum of their months.")
    else:
        for r in bad.to_dict("records"):
            out.append(f"{r['area']} {r['measure']}: published total {r['published_total']} but the months sum "
                       f"to {r['sum_of_months']}.")
    return out


def _months_text(months: list[date]) -> str:
    """"January and February 2026"."""
    names = [f"{m:%B}" for m in months]
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
    return f"{text} {months[-1].year}"


def quarter_sentences(series: pd.DataFrame, table: pd.DataFrame, quarter: Quarter) -> list[str]:
    """The quarter asked for, in words, saying what is missing rather than guessing.

    ``series`` is the monthly return, ``table`` its ``pathway.quarter_table`` for ``quarter``."""
    q = quarter
    ye = q.year_earlier()
    n = months_in(series, q)
    if n["quarter"] == 0:
        return [f"There are no monthly pathway data for {q.label}."]
    t = table.set_index("measure")
    tests, booked = MEASURE_NAMES["tests"], MEASURE_NAMES["ra_booked"]
    out = [f"{q.label} ({n['quarter']} of 3 months): {_n(t.loc[tests, q.label], 1)} drug tests and "
           f"{_n(t.loc[booked, q.label], 1)} Required Assessments booked a month on average."]
    if n["year_earlier"] == 0:
        out.append(f"There are no monthly pathway data for {ye.label} (the series starts later), so the "
                   "quarter cannot yet be compared with a year earlier.")
    elif table.attrs.get("same_months") is not None:  # like for like: only the months both quarters have
        now, then = table.attrs["same_months"]
        if not now:
            out.append(f"{q.label} and {ye.label} have no month of data in common, so they are not compared.")
        else:
            out.append(f"{q.label} and {ye.label} are not both whole in the data, so only the same months are "
                       f"compared: against {_months_text(then)}, drug tests a month in {_months_text(now)} changed by "
                       f"{t.loc[tests, 'change on a year earlier']}.")
    else:
        out.append(f"Against {ye.label}, drug tests a month changed by {t.loc[tests, 'change on a year earlier']}.")
    out.append(f"The {q.fy_label} year to date covers {n['year_to_date']} months.")
    return out


def uplift_sentences(monitor: pd.DataFrame, asked: Quarter, start: date = UPLIFT_START) -> list[str]:
    """An honest statement of what the monthly data can and cannot yet show about the uplift."""
    after_months = int(monitor["after_months"].max()) if len(monitor) else 0
    if asked.end < start or after_months == 0:
        return [f"The Commissioner's uplift starts in {start:%B %Y}, after the data for {asked.label} end: these "
                "months are the baseline against which it will be judged, and nothing can yet be said about "
                "its effect."]
    out = [f"{after_months} month{'s' if after_months != 1 else ''} of data since the uplift began in "
           f"{start:%B %Y}, against the {int(monitor['before_months'].max())} months before it."]
    for r in monitor.to_dict("records"):
        if is_missing(r["ratio"]):
            continue
        sig = not is_missing(r["ratio_lo"]) and (r["ratio_lo"] > 1 or (not is_missing(r["ratio_hi"])
                                                                        and r["ratio_hi"] < 1))
        verdict = ("a change larger than chance month-to-month variation would explain" if sig else
                   "not yet distinguishable from chance month-to-month variation")
        enh = "within" if r["after_lo"] <= r["enhanced"] <= r["after_hi"] else \
            ("above" if r["enhanced"] > r["after_hi"] else "below")
        out.append(f"{r['measure']}: {_n(r['after_mean'], 1)} a month since the uplift (95% interval "
                   f"{_n(r['after_lo'], 1)} to {_n(r['after_hi'], 1)}) against {_n(r['before_mean'], 1)} before "
                   f"({_n(r['before_lo'], 1)} to {_n(r['before_hi'], 1)}): {verdict}; the enhanced-funding level "
                   f"of {_n(r['enhanced'])} is {enh} the interval.")
    out.append("These are counts before and after a date, with no comparison area: a rise shows more activity, "
               "not by itself that the uplift caused it, and says nothing yet about acquisitive crime.")
    return out


def funnel_title(before: pd.DataFrame, after: pd.DataFrame) -> str:
    """Chart title stating where eligible people most often do not go on, then and now."""

    b, a = largest_dropoff(before), largest_dropoff(after)
    if b is None or a is None:
        return "The custody pathway"
    if b["stage"] == a["stage"]:
        return (f"Most eligible people who do not go on are lost before '{a['stage']}': "
                f"{fmt_percent(a['dropoff_from_previous_pct'], 0)} now, "
                f"{fmt_percent(b['dropoff_from_previous_pct'], 0)} with enhanced funding")
    return (f"The biggest drop-out moved from '{b['stage']}' ({fmt_percent(b['dropoff_from_previous_pct'], 0)}) to "
            f"'{a['stage']}' ({fmt_percent(a['dropoff_from_previous_pct'], 0)})")


def uplift_title(intervals: pd.DataFrame, measure: str, levels: dict[str, float], start: date = UPLIFT_START) -> str:
    """Chart title for a monthly series: where the latest months sit against the levels."""
    if intervals.empty:
        return f"{measure}: no monthly data"
    after = intervals.loc[[m >= start for m in intervals["month"]]]
    if after.empty:
        last3 = intervals.tail(3)
        return (f"{measure}: {_n(last3['count'].mean(), 1)} a month in the latest {len(last3)} months, "
                f"before the uplift starts in {start:%B %Y}")
    return (f"{measure}: {_n(after['count'].mean(), 1)} a month since {start:%B %Y}, against "
            + " and ".join(f"{_n(v)} ({k})" for k, v in levels.items()))


def cstr_title(summary: pd.DataFrame) -> str:
    s = summary.set_index("area")
    areas = s.drop(index=LLR)
    most = leaders(areas[STARTS])
    who = (f"{most[0]} had" if len(most) == 1 else f"{and_list(most)} tie for") + " the most CSTR starts in 2025"
    return (f"{who} ({_n(areas.loc[most[0], STARTS])}{'' if len(most) == 1 else ' each'}); "
            f"{fmt_percent(s.loc[LLR, RATE], 0)} of LLR ends were successful")


def funding_title(by_year: pd.DataFrame) -> str:
    ho = by_year.loc[by_year["funder"] == "Home Office"]
    pcc = by_year.loc[by_year["funder"] != "Home Office"]
    first, last = ho.iloc[0], ho.iloc[-1]
    return (f"Home Office funding fell from £{_n(first['amount'] / 1000)}k to £{_n(last['amount'] / 1000)}k "
            f"by {last['year']};\nthe Commissioner adds £{_n(pcc['amount'].sum() / 1000)}k from "
            f"{pcc['year'].iloc[0]}")


def pathway_2025_title(table: pd.DataFrame) -> str:
    """Chart title: how many of those identified in 2025 entered treatment, how many were
    eligible, and where eligible people most often did not go on."""
    reached = f"{fmt_percent(table['conversion_from_top_pct'].iloc[-1], 1)} of those identified in 2025 entered treatment"
    screened = table[table["step_kind"] == "screen"]
    if len(screened):
        first = screened.iloc[0]
        reached += (f";\nonly {_n(first['count'])} of {_n(table['count'].iloc[0])} were eligible ('{first['stage']}')")
    worst = largest_dropoff(table)
    if worst is None:
        return reached
    return (f"{reached}; {fmt_percent(worst['dropoff_from_previous_pct'], 0)} of those eligible did not go on to "
            f"'{worst['stage']}'")
