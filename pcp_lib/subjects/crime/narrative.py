"""The words of the crime page: computed sentences, chart titles that state the finding, and notes.

Sentences are built from the tidy tables of ``measures`` and format every figure with
``pcp_lib.methods.units`` (percent change "+43.4%", counts "1,563"), so a figure reads the same
in a sentence as in the table beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.spc import XmrResult, describe
from pcp_lib.methods.stats import fmt_p
from pcp_lib.methods.units import fmt_change, fmt_count, fmt_number
from pcp_lib.subjects.crime.counts import LLR, LLR_FORCE

__all__ = [
    "COMPARISON_NOTE",
    "DEFINITION_NOTE",
    "HOW_TO_READ",
    "SOURCE",
    "SOURCE_NOTE",
    "grid_title",
    "index_title",
    "lead_sentence",
    "no_quarter_note",
    "quarter_sentences",
    "rate_basis_note",
    "dispersion_note",
    "evidence_sentences",
    "spc_title",
    "special_cause_sentence",
    "unchanged_sentence",
]

SOURCE = "police.uk street-level crime data (Open Government Licence v3.0)"
SOURCE_NOTE = (f"Source: {SOURCE}: Leicestershire Police and Derbyshire Constabulary street-level files, "
               "counted by month by scripts/build_police_uk_counts.py.")
DEFINITION_NOTE = ("police.uk crime categories, not Home Office recorded-crime definitions: "
                   "police.uk \"Burglary\" includes non-residential burglary, and \"Vehicle crime\" "
                   "and \"Robbery\" are broader than the Plan's neighbourhood-crime measures.")
COMPARISON_NOTE = ("Derbyshire is shown as an index (mean of the first 12 months = 100), not as a rate: the "
                   "project holds no Derbyshire population on a cited basis comparable with LLR's, so rates "
                   "per 1,000 would not be like for like.")
HOW_TO_READ: tuple[str, ...] = (
    "Counts are police.uk street-level records by the month they were recorded; police.uk revises outcomes "
    "after publication, and the latest download of each month is used.",
    "The agreed ±5% / ±2pp RAG band remains the official rule on the dashboard; the tests here add whether a "
    "change is larger than chance.",
    "SPC charts need more than 12 months for process limits; with fewer, no limits or icons are shown.",
)


# ---- which quarter the page shows ----------------------------------------------------------

def lead_sentence(asked: Quarter, shown: Quarter | None, first_month: date | None) -> str | None:
    """What the reader needs to know when the page does not lead with the quarter asked for."""
    if shown is None:
        start = f"start in {first_month:%B %Y}" if first_month else "are empty"
        return (f"The police.uk data {start}: there is no full quarter of data up to {asked.label}, "
                "so nothing is shown.")
    if shown != asked:
        return (f"This page leads with {shown.label} ({shown.month_names}), the latest full quarter "
                f"in the police.uk data, instead of {asked.label}.")
    return None


def no_quarter_note(asked: Quarter) -> str:
    """The note a section shows when there is no full quarter of data to show."""
    return f"No full quarter of police.uk data up to {asked.label}, so this section has nothing to show."


# ---- sentences -----------------------------------------------------------------------------

def _change(r: pd.Series) -> str:
    return fmt_change(r["count_year_earlier"], r["count"], "count", 1)


def _llr(table: pd.DataFrame) -> tuple[pd.DataFrame, Quarter | None]:
    llr = table[table["area"] == LLR]
    return llr, (Quarter.parse(str(llr["quarter"].iloc[0])) if len(llr) else None)


def family_words(table: pd.DataFrame, what: str) -> str:
    """The family a table's p-values were adjusted in ("the 8 crime measures tested for LLR")."""
    n = int(table["p_adjusted"].notna().sum())
    return f"the {n} {what} tested"


def _ratio(r: pd.Series) -> str:
    return (f"rate ratio {fmt_number(r['rate_ratio'], 2)}, 95% CI {fmt_number(r['ratio_ci_low'], 2)} to "
            f"{fmt_number(r['ratio_ci_high'], 2)}; {fmt_p(float(r['p_value']))}, adjusted "
            f"{fmt_p(float(r['p_adjusted']))}")


def evidence_sentences(table: pd.DataFrame, family: str = "crime measures") -> list[str]:
    """Which LLR measures show evidence of a change against a year earlier, lower and higher
    (``table``: ``measures.quarter_table``): only those whose Benjamini-Hochberg adjusted p is
    below 5% within the table (the family, named in the sentence), each with its interval."""
    llr, q = _llr(table)
    if q is None:
        return []
    ev = llr[llr["evidence"].fillna(False).astype(bool)]

    def moved(r: pd.Series) -> str:
        return (f"{str(r['measure']).lower()} ({_change(r)}, {fmt_count(r['count_year_earlier'])} → "
                f"{fmt_count(r['count'])}; {_ratio(r)})")

    lines = []
    for word, rows in (("lower", [moved(r) for _, r in ev.iterrows() if r["pct_change"] < 0]),
                       ("higher", [moved(r) for _, r in ev.iterrows() if r["pct_change"] > 0])):
        if rows:
            lines.append(f"Evidence of a change, {word} in {q.label} than in {q.year_earlier().label} (adjusted "
                         f"across {family_words(llr, family)}): " + "; ".join(rows) + ".")
    return lines


def unchanged_sentence(table: pd.DataFrame, family: str = "crime measures") -> str | None:
    """The LLR measures with no evidence of a change (adjusted p of 5% or more), and those not
    tested, with why."""
    llr, _ = _llr(table)
    same = [str(m).lower() for m in llr.loc[~llr["evidence"].fillna(True).astype(bool), "measure"]]
    untested = [f"{str(r['measure']).lower()} ({str(r['not_tested']).removeprefix('not tested: ')})" for _, r in llr.iterrows()
                if not pd.isna(r["not_tested"])]
    parts = []
    if same:
        parts.append(f"No evidence of a change (adjusted across {family_words(llr, family)}; this is not evidence "
                     "of no change, see the intervals): " + ", ".join(same) + ".")
    if untested:
        parts.append("Not tested: " + "; ".join(untested) + ".")
    return " ".join(parts) or None


def dispersion_note(table: pd.DataFrame) -> str:
    """How the variance of the tests was measured, from the estimator's own description (one
    method for every row of a table; the factors are in the table)."""
    methods = table["dispersion_method"].dropna()
    if not len(methods):
        return "No row of this table could be tested: see each row's reason."
    first = str(methods.iloc[0])
    same = (methods == first).all()
    return ("Each test compares the quarter's count with the same quarter a year earlier, with the variance "
            "(× Poisson, in the table) measured from its own series without the compared months: "
            + (first if same else "each series' own other months, against the same month a year earlier, as "
                                  "3-month sums")
            + ". The reference distribution is a t with those degrees of freedom, so a short history gives a wide "
              "interval; calibrated by simulation (docs/assumptions-and-caveats.md).")


def special_cause_sentence(summary: pd.DataFrame) -> str | None:
    """The LLR series whose latest month shows special cause (``measures.spc_summary``)."""
    llr_spc = summary[summary["area"] == LLR]
    special = llr_spc[llr_spc["variation"].notna() & (llr_spc["variation"] != "common_cause")]
    if not len(special):
        return None
    return "SPC, latest month, LLR: " + "; ".join(
        f"{str(r['measure']).lower()}: {describe(str(r['variation']))}" for _, r in special.iterrows()) + "."


def quarter_sentences(table: pd.DataFrame, ytd: pd.DataFrame, summary: pd.DataFrame) -> list[str]:
    """Short computed sentences: where there is evidence of a change against the same quarter a year
    earlier (and which way), what did not, the year to date, and the SPC signals (LLR).

    ``table``: ``measures.quarter_table``; ``ytd``: ``measures.ytd_table``; ``summary``:
    ``measures.spc_summary``."""
    if _llr(table)[1] is None:
        return []
    lines = [*evidence_sentences(table), unchanged_sentence(table)]
    y = ytd[ytd["count"].notna() & ytd["count_year_earlier"].notna() & (ytd["count_year_earlier"] != 0)]
    if len(y):
        lines.append(f"Year to date ({y['year_to_date'].iloc[0]}) against the same months a year earlier: "
                     + "; ".join(f"{str(r['measure']).lower()} {_change(r)}" for _, r in y.iterrows()) + ".")
    lines.append(special_cause_sentence(summary))
    llr_spc = summary[summary["area"] == LLR]
    calm = llr_spc[(llr_spc["variation"] == "common_cause").fillna(False)]
    if len(calm):
        lines.append("SPC, latest month, LLR, common cause only: "
                     + ", ".join(str(m).lower() for m in calm["measure"]) + ".")
    return [s for s in lines if s]


def rate_basis_note(populations: Mapping[str, int], basis: str) -> str:
    """Where rates per 1,000 come from (named wherever a rate is shown)."""
    return (f"Rates per 1,000 are the quarter's crimes per 1,000 residents (roughly a quarter of an annual "
            f"rate such as the Plan dashboard's), using the LLR population of {fmt_count(sum(populations.values()))} "
            f"({basis}; reference/population.csv): census counts, not mid-year estimates. LLR counts include crimes "
            "with no location; area counts include only crimes located in the area.")


# ---- chart titles --------------------------------------------------------------------------

def spc_title(measure: str, area: str, result: XmrResult) -> str:
    """A chart title that states the finding, from the SPC result."""
    v = result.variation
    when = f"{result.points['x'].iloc[-1]:%B %Y}"
    if v is None:
        return f"{measure}, {area}: too few months for SPC limits"
    if v == "common_cause":
        sig = result.signals()
        if len(sig):
            return (f"{measure}, {area}: no special cause in {when}; "
                    f"{len(sig)} earlier month(s) showed special cause")
        return f"{measure}, {area}: only common cause variation up to {when}"
    kind, side = v.split("_")
    word = {"improvement": "improvement", "concern": "concern", "neither": "change"}[kind]
    return f"{measure}, {area}: special cause {word} in {when} ({'higher' if side == 'high' else 'lower'})"


def grid_title(measure: str, results: Mapping[str, XmrResult]) -> str:
    """Title for the by-area small multiples, stating how many areas show special cause now."""
    special = [a for a, r in results.items() if r.variation not in (None, "common_cause")]
    n = len(results)
    if not special:
        return f"{measure} by CSP area: common cause variation only in the latest month in all {n} areas"
    return (f"{measure} by CSP area: special cause in the latest month in {len(special)} of {n} areas "
            f"({', '.join(special)})")


def index_title(idx: pd.DataFrame, measure: str) -> str:
    """Title for an indexed comparison (``measures.indexed_comparison``): where each force ended
    against its base."""
    last = idx.sort_values("month", kind="stable").groupby("force", sort=False).tail(1)
    parts = [f"{LLR if f == LLR_FORCE else str(f).split()[0]} {fmt_number(v, 0)}"
             for f, v in zip(last["force"], last["index"], strict=True)]
    return f"{measure}, indexed (first 12 months = 100): {' vs '.join(parts)} in {max(idx['month']):%B %Y}"
