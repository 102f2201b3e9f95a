"""The crime page's tables as a reader sees them: plain column names, figures formatted by
``pcp_lib.methods.units`` (counts "12,345", rates "2.99", percent change "+43.4%", missing
"n/a", change from zero "n/a (from zero)"), the test's verdict in words.

Each function takes a tidy table from ``measures`` and returns a table of text for display;
the numbers stay in the tidy table for analysis.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.spc import describe
from pcp_lib.methods.stats import fmt_p
from pcp_lib.methods.units import MISSING, fmt_change, fmt_count, fmt_number, is_missing

__all__ = ["SPC_ICON_COLUMN", "display_force_comparison", "display_quarter_table", "display_spc_summary", "display_ytd_table"]

#: places shown for percent changes and rates per 1,000 on this page
CHANGE_PLACES = 1
RATE_PLACES = 2
#: the SPC summary's icon column: it holds the icon code, drawn with its words by ``display.icons.icon_cell``
SPC_ICON_COLUMN = "SPC (latest month)"


def _change(before: Any, now: Any) -> str:
    """Percent change of a count ("+43.4%"), "n/a" when missing, "n/a (from zero)"."""
    return fmt_change(before, now, "count", CHANGE_PLACES)


def _ratio(ratio: Any, low: Any, high: Any) -> str:
    """"0.93 (0.81-1.07)": a rate ratio with its 95% confidence interval."""
    if is_missing(ratio) or is_missing(low) or is_missing(high):
        return MISSING
    return f"{fmt_number(ratio, 2)} ({fmt_number(low, 2)}-{fmt_number(high, 2)})"


def _month(d: Any) -> str:
    return "" if is_missing(d) else f"{d:%b %Y}"


def _labels(table: pd.DataFrame) -> tuple[str, str]:
    """The quarter of a table and the same quarter a year earlier, as labels."""
    if not len(table):
        return "", ""
    q = Quarter.parse(str(table["quarter"].iloc[0]))
    return q.label, q.year_earlier().label


def _p(p: Any) -> str:
    return fmt_p(None if is_missing(p) else float(p))


def _test_columns(table: pd.DataFrame) -> dict[str, list[str]]:
    """The test's columns for display: rate ratio with its interval, raw and adjusted p (the
    family: the table's tests), the verdict in words and the variance used."""
    n = int(table["p_adjusted"].notna().sum())
    return {
        "Rate ratio (95% CI)": [_ratio(r, lo, hi) for r, lo, hi in
                                zip(table["rate_ratio"], table["ratio_ci_low"], table["ratio_ci_high"], strict=True)],
        "p (raw)": [_p(p) for p in table["p_value"]],
        f"p (adjusted, {n} test{'' if n == 1 else 's'})": [_p(p) for p in table["p_adjusted"]],
        "Dispersion used (× Poisson)": [fmt_number(v, 1) for v in table["dispersion"]],
        "Evidence of a change?": [_verdict(e, why) for e, why in zip(table["evidence"], table["not_tested"],
                                                                       strict=True)],
    }


def _verdict(evidence: Any, not_tested: Any) -> str:
    if not is_missing(not_tested):
        return str(not_tested)
    return MISSING if is_missing(evidence) else ("Yes" if evidence else "No")


def display_quarter_table(table: pd.DataFrame, by_area: bool = False) -> pd.DataFrame:
    """The quarter table (``measures.quarter_table``) with plain column names: counts and
    rates side by side, percent change labelled "%", the rate ratio with its interval, the raw
    and the adjusted p-value (Benjamini-Hochberg across the table's tests) and the verdict in
    words ("Yes": evidence of a change, adjusted p below 5%). Rates are the quarter's crimes
    per 1,000 residents ("Per 1,000 in Q3 2024/25"), not the annual rates the Plan dashboard
    shows. ``by_area`` adds the area."""
    q, prev = _labels(table)
    before, now = table["count_year_earlier"], table["count"]
    return pd.DataFrame({
        "Measure": table["measure"],
        **({"Area": table["area"]} if by_area else {}),
        f"Count {prev}": [fmt_count(v) for v in before],
        f"Count {q}": [fmt_count(v) for v in now],
        # a quarter's count per 1,000 residents: about a quarter of an annual rate, so say so
        f"Per 1,000 in {prev}": [fmt_number(v, RATE_PLACES) for v in table["rate_per_1000_year_earlier"]],
        f"Per 1,000 in {q}": [fmt_number(v, RATE_PLACES) for v in table["rate_per_1000"]],
        "Change (%)": [_change(b, n) for b, n in zip(before, now, strict=True)],
        **_test_columns(table),
    })


def display_ytd_table(ytd: pd.DataFrame) -> pd.DataFrame:
    """The year-to-date table (``measures.ytd_table``) with plain column names (percent change
    labelled "%")."""
    return pd.DataFrame({
        "Measure": ytd["measure"],
        "Months": ytd["year_to_date"],
        "Count a year earlier": [fmt_count(v) for v in ytd["count_year_earlier"]],
        "Count": [fmt_count(v) for v in ytd["count"]],
        "Change (%)": [_change(b, n) for b, n in zip(ytd["count_year_earlier"], ytd["count"], strict=True)],
    })


def display_spc_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """The SPC summary (``measures.spc_summary``) for display: the latest month's icon code in
    ``SPC_ICON_COLUMN`` (the page draws it with its words; "too few points for SPC" otherwise), the rules
    seen ("none" when no month was special cause)."""
    return pd.DataFrame({
        "Measure": summary["measure"],
        "Area": summary["area"],
        "Latest month": [_month(d) for d in summary["latest_month"]],
        SPC_ICON_COLUMN: [describe(None) if is_missing(v) else str(v) for v in summary["variation"]],
        "Special-cause months": [fmt_count(n) for n in summary["special_cause_months"]],
        "Rules seen": [r if r else "none" for r in summary["rules_seen"]],
        "Latest special-cause month": [_month(d) for d in summary["latest_special_cause_month"]],
    })


def display_force_comparison(fc: pd.DataFrame) -> pd.DataFrame:
    """Each force against itself a year earlier (``measures.force_comparison``)."""
    q, prev = _labels(fc)
    before, now = fc["count_year_earlier"], fc["count"]
    return pd.DataFrame({
        "Measure": fc["measure"],
        "Force": fc["force"],
        f"Count {prev}": [fmt_count(v) for v in before],
        f"Count {q}": [fmt_count(v) for v in now],
        "Change (%)": [_change(b, n) for b, n in zip(before, now, strict=True)],
        **_test_columns(fc),
    })
