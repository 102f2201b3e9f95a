"""Display versions of the DToA tables: numbers rounded once, units in the column names.

The computing functions keep exact Decimals; these turn them into the strings a Panel
member reads, so "%" and "pp" are in the headers and labels, never guessed from context.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from pcp_lib.methods.parsing import format_money
from pcp_lib.subjects.dtoa.arithmetic import round_half_up
from pcp_lib.subjects.dtoa.pathway import SHORT_NAMES

UNIT_SUFFIX = {"count": "", "percent": "%", "days": " days"}


def _fmt(x: object, places: int = 0, suffix: str = "") -> str:
    if x is None or (not isinstance(x, Decimal) and pd.isna(x)):
        return ""
    d = round_half_up(Decimal(str(x)), places)
    return f"{d:,.{places}f}{suffix}"


def comparison(cmp: pd.DataFrame) -> pd.DataFrame:
    """The published table reproduced: both levels with units, our change with its unit,
    the published text, and whether they agree."""
    return pd.DataFrame({
        "Monthly average": cmp["measure"],
        "With enhanced HO funding": [_fmt(v, 0, UNIT_SUFFIX[u]) for v, u in zip(cmp["before"], cmp["unit"], strict=True)],
        "Current provision (Q3 2025)": [_fmt(v, 0, UNIT_SUFFIX[u]) for v, u in zip(cmp["after"], cmp["unit"],
                                                                                   strict=True)],
        "Change (computed; % relative, pp points, days)": cmp["change_label"],
        "Change as published": cmp["published_change"],
        "Agrees": ["✔ yes" if ok else "✖ no: unit" for ok in cmp["as_published"]],
    }, dtype="string")


def funnel(table: pd.DataFrame, count_places: int = 0) -> pd.DataFrame:
    """A funnel table with conversion and drop-off in % (of the previous stage / of the top)."""
    return pd.DataFrame({
        "Step": table["step"].astype("string"),
        "Stage": table["stage"],
        "Count": [_fmt(c, count_places) for c in table["count"]],
        "Lost since previous stage": [_fmt(c) for c in table["dropoff_from_previous"]],
        "Lost since previous stage (%)": [_fmt(c, 1, "%") for c in table["dropoff_from_previous_pct"]],
        "Carried forward from previous stage (%)": [_fmt(c, 1, "%") for c in table["conversion_from_previous_pct"]],
        "Reached from the top (%)": [_fmt(c, 1, "%") for c in table["conversion_from_top_pct"]],
    }, dtype="string")


def quarter(table: pd.DataFrame) -> pd.DataFrame:
    """The quarter view: monthly averages to one place with units, change in its unit."""
    out = {"Monthly average": table["measure"]}
    for c in table.columns[2:-1]:
        out[c] = [_fmt(v, 1, UNIT_SUFFIX[u]) for v, u in zip(table[c], table["unit"], strict=True)]
    out["Change on a year earlier (% relative, pp points, days)"] = table["change on a year earlier"]
    return pd.DataFrame(out, dtype="string")


def monitor(mon: pd.DataFrame) -> pd.DataFrame:
    """Before/after the uplift with 95% intervals and the published levels."""
    def iv(m: object, lo: object, hi: object) -> str:
        return "" if m is None or pd.isna(m) else f"{_fmt(m, 1)} ({_fmt(lo, 1)} to {_fmt(hi, 1)})"

    return pd.DataFrame({
        "Measure": mon["measure"],
        "Before: a month (95% interval)": [iv(*r) for r in zip(mon["before_mean"], mon["before_lo"], mon["before_hi"],
                                                                strict=True)],
        "Since the uplift: a month (95% interval)": [iv(*r) for r in zip(mon["after_mean"], mon["after_lo"],
                                                                          mon["after_hi"], strict=True)],
        "Ratio since/before (95% interval)": [iv(*r) for r in zip(mon["ratio"], mon["ratio_lo"], mon["ratio_hi"],
                                                                   strict=True)],
        "Enhanced HO funding (published)": [_fmt(v) for v in mon["enhanced"]],
        "Q3 2025 (published)": [_fmt(v) for v in mon["current"]],
    }, dtype="string")


def cstr_summary(summary: pd.DataFrame) -> pd.DataFrame:
    out = summary.copy()
    out["successful completion rate (%)"] = [_fmt(v, 1, "%") for v in out["successful completion rate (%)"]]
    out["subsequent episodes per 100 starts"] = [_fmt(v, 1) for v in out["subsequent episodes per 100 starts"]]
    return out.rename(columns={"area": "Area"}).astype("string")


def cstr_rolling(rolling: pd.DataFrame) -> pd.DataFrame:
    out = rolling.copy()
    out["12 months to"] = [f"{m:%b %Y}" for m in out["12 months to"]]
    out["successful completion rate (%)"] = [_fmt(v, 1, "%") for v in out["successful completion rate (%)"]]
    return out.rename(columns={"area": "Area"}).astype("string")


def funding(funding: pd.DataFrame, contributions: pd.DataFrame) -> pd.DataFrame:
    """Funding as published, money to the penny, with what is inferred said plainly."""
    rows = [{"Funder": r["funder"], "Period": r["period"], "Financial year(s)": r["financial_year"],
             "Amount": format_money(r["amount"]), "Published as": r["published_as"], "Note": r["basis"]}
            for r in funding.to_dict("records")]
    rows += [{"Funder": "OPCC contribution", "Period": "per annum", "Financial year(s)": "",
              "Amount": format_money(r["amount_per_annum"]), "Published as": format_money(r["amount_per_annum"]),
              "Note": r["contract"]} for r in contributions.to_dict("records")]
    return pd.DataFrame(rows, dtype="string")


def monthly(df: pd.DataFrame) -> pd.DataFrame:
    """The monthly return as sent, with the attendance rate added."""

    out = pd.DataFrame({"Month": [f"{m:%b %Y}" for m in df["month"]]})
    for col in ("identified", "tests", "positive_tests", "ra_booked", "ra_attended", "ra_attended_pct",
                "ra_wait_days", "naloxone", "treatment_entries"):
        places, suffix = (0, "%") if col == "ra_attended_pct" else ((1, "") if col == "ra_wait_days" else (0, ""))
        out[SHORT_NAMES[col]] = [_fmt(v, places, suffix) for v in df[col]]
    return out.astype("string")
