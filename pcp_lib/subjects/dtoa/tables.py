"""Display versions of the DToA tables: numbers rounded once, units in the column names.

The computing functions keep numbers (exact where a published figure is checked); these
turn them into the strings a Panel member reads, through ``pcp_lib.methods.units``, so "%"
and "pp" are in the headers and labels, never guessed from context, and a value that is
not there reads "n/a".
"""

from __future__ import annotations

import pandas as pd

from pcp_lib.methods.units import MISSING, fmt_count, fmt_money, fmt_number, fmt_percent, is_missing
from pcp_lib.subjects.dtoa.cstr import PER_100, RATE
from pcp_lib.subjects.dtoa.pathway import SHORT_NAMES

__all__ = ["comparison", "cstr_rolling", "cstr_summary", "funding", "funnel", "level", "monitor", "monthly",
           "quarter", "reproduction"]

AGREES = {True: "✔ yes", False: "✖ no"}


def level(value: object, unit: str, places: int = 0) -> str:
    """A level in its unit: "241", "51%", "7 days" ("n/a" when missing)."""
    if is_missing(value):
        return MISSING
    if unit == "percent":
        return fmt_percent(value, places)
    text = fmt_number(value, places)
    return f"{text} days" if unit == "days" else text


def comparison(cmp: pd.DataFrame) -> pd.DataFrame:
    """The published table reproduced: both levels with units, our change with its unit,
    the published text, and whether they agree."""
    return pd.DataFrame({
        "Monthly average": cmp["measure"],
        "With enhanced HO funding": [level(v, u) for v, u in zip(cmp["before"], cmp["unit"], strict=True)],
        "Current provision (Q3 2025)": [level(v, u) for v, u in zip(cmp["after"], cmp["unit"], strict=True)],
        "Change (computed; % relative, pp points, days)": cmp["change_label"],
        "Change as published": cmp["published_change"],
        "Agrees": ["✔ yes" if ok else "✖ no: unit" for ok in cmp["as_published"]],
    }, dtype="string")


def _split(value: float, kind: object) -> str:
    """A count of the people not carried forward of one kind; "not separable" for a step
    that mixes people not eligible with people who did not go on."""
    if not is_missing(kind) and str(kind) == "mixed":
        return "not separable"
    return fmt_number(value)


def funnel(table: pd.DataFrame, count_places: int = 0) -> pd.DataFrame:
    """A funnel table with conversion and those not carried forward in % (of the previous stage
    / of the top), split into not eligible and did not go on (a drop-out); the first stage has
    no previous stage ("n/a")."""
    return pd.DataFrame({
        "Step": table["step"].astype("string"),
        "Stage": table["stage"],
        "Count": [fmt_number(c, count_places) for c in table["count"]],
        "Not carried forward from previous stage": [fmt_number(c) for c in table["dropoff_from_previous"]],
        "Not carried forward (%)": [fmt_percent(c, 1) for c in table["dropoff_from_previous_pct"]],
        "Of them: not eligible": [_split(c, k) for c, k in zip(table["not_eligible"], table["step_kind"], strict=True)],
        "Of them: did not go on": [_split(c, k) for c, k in zip(table["did_not_go_on"], table["step_kind"],
                                                                strict=True)],
        "Carried forward from previous stage (%)": [fmt_percent(c, 1) for c in table["conversion_from_previous_pct"]],
        "Reached from the top (%)": [fmt_percent(c, 1) for c in table["conversion_from_top_pct"]],
    }, dtype="string")


def quarter(table: pd.DataFrame) -> pd.DataFrame:
    """The quarter view (``pathway.quarter_table``): monthly averages to one place with
    units, change in its unit."""
    out = {"Monthly average": table["measure"]}
    for c in table.columns[2:-1]:
        out[c] = [level(v, u, 1) for v, u in zip(table[c], table["unit"], strict=True)]
    out["Change on a year earlier (% relative, pp points, days)"] = table["change on a year earlier"]
    return pd.DataFrame(out, dtype="string")


def _interval(mean: object, lo: object, hi: object) -> str:
    return MISSING if is_missing(mean) else f"{fmt_number(mean, 1)} ({fmt_number(lo, 1)} to {fmt_number(hi, 1)})"


def monitor(mon: pd.DataFrame) -> pd.DataFrame:
    """Before/after the uplift with 95% intervals and the published levels."""
    def col(prefix: str) -> list[str]:
        return [_interval(*r) for r in zip(mon[prefix if prefix == "ratio" else f"{prefix}_mean"],
                                           mon[f"{prefix}_lo"], mon[f"{prefix}_hi"], strict=True)]

    return pd.DataFrame({
        "Measure": mon["measure"],
        "Before: a month (95% interval)": col("before"),
        "Since the uplift: a month (95% interval)": col("after"),
        "Ratio since/before (95% interval)": col("ratio"),
        "Enhanced HO funding (published)": [fmt_number(v) for v in mon["enhanced"]],
        "Q3 2025 (published)": [fmt_number(v) for v in mon["current"]],
    }, dtype="string")


def cstr_summary(summary: pd.DataFrame) -> pd.DataFrame:
    out = summary.copy()
    out[RATE] = [fmt_percent(v, 1) for v in out[RATE]]
    out[PER_100] = [fmt_number(v, 1) for v in out[PER_100]]
    return out.rename(columns={"area": "Area"}).astype("string")


def cstr_rolling(rolling: pd.DataFrame) -> pd.DataFrame:
    out = rolling.copy()
    out["12 months to"] = [f"{m:%b %Y}" for m in out["12 months to"]]
    out[RATE] = [fmt_percent(v, 1) for v in out[RATE]]
    return out.rename(columns={"area": "Area"}).astype("string")


def funding(funding: pd.DataFrame, contributions: pd.DataFrame) -> pd.DataFrame:
    """Funding as published, money to the penny, with what is inferred said plainly."""
    rows = [{"Funder": r["funder"], "Period": r["period"], "Financial year(s)": r["financial_year"],
             "Amount": fmt_money(r["amount"]), "Published as": r["published_as"], "Note": r["basis"]}
            for r in funding.to_dict("records")]
    rows += [{"Funder": "OPCC contribution", "Period": "per annum", "Financial year(s)": "",
              "Amount": fmt_money(r["amount_per_annum"]), "Published as": fmt_money(r["amount_per_annum"]),
              "Note": r["contract"]} for r in contributions.to_dict("records")]
    return pd.DataFrame(rows, dtype="string")


def reproduction(rep: pd.DataFrame) -> pd.DataFrame:
    """The closing table (``published.reproduction_table``) with agreement as a word and a
    symbol."""
    return rep.assign(agrees=[AGREES[bool(v)] for v in rep["agrees"]]).astype("string")


def monthly(df: pd.DataFrame) -> pd.DataFrame:
    """The monthly return as sent, with the attendance rate added."""

    out = pd.DataFrame({"Month": [f"{m:%b %Y}" for m in df["month"]]})
    for col in ("identified", "tests", "positive_tests", "ra_booked", "ra_attended", "naloxone", "treatment_entries"):
        out[SHORT_NAMES[col]] = [fmt_count(v) for v in df[col]]
    out[SHORT_NAMES["ra_attended_pct"]] = [fmt_percent(v, 0) for v in df["ra_attended_pct"]]
    out[SHORT_NAMES["ra_wait_days"]] = [fmt_number(v, 1) for v in df["ra_wait_days"]]
    order = ["Month", *(SHORT_NAMES[c] for c in ("identified", "tests", "positive_tests", "ra_booked", "ra_attended",
                                                  "ra_attended_pct", "ra_wait_days", "naloxone", "treatment_entries"))]
    return out[order].astype("string")
