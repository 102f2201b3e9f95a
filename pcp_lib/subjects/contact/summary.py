"""Volumes and rates for periods of the monthly return, the published tables, and targets.

Rates are shares of calls **offered** (answered within N seconds / offered; abandoned /
offered), in per cent, kept as exact ``Decimal`` from the counts. A change in a volume is
shown as a count and a percent change ("+36%"); a change in a rate is a difference in
percentage points ("-3.6pp"), never a percent. Published tables show rates to one decimal
place and percent changes to whole numbers, rounded half up; ``published_table`` formats the
computed figures the same way so they can be compared string for string.

Targets come from ``data/reference/contact_targets.csv``, not from code. Note that the
published 101 measure (answered within 2 minutes) is not the one the local target uses
(answered within 15 minutes): both are computed, and only the 15-minute rate is judged
against the 75% target.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.datastore import published_path, reference_path
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.parsing import to_decimal
from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects.contact.returns import CHANNEL_NAMES, CHANNELS, THRESHOLD_LABELS, THRESHOLDS

#: Measures in table order: (measure, kind, label). ``offered`` is a volume; the rest are rates.
MEASURES: tuple[tuple[str, str, str], ...] = (
    ("offered", "volume", "Volume"),
    ("answered_10s", "rate", "Answered within 10 seconds"),
    ("answered_2min", "rate", "Answered within 2 minutes"),
    ("answered_15min", "rate", "Answered within 15 minutes"),
    ("abandoned", "rate", "Abandonment rate"),
)
MEASURE_LABELS = {m: label for m, _, label in MEASURES}
RATE_MEASURES = tuple(m for m, kind, _ in MEASURES if kind == "rate")
#: The rows each published table shows, per channel.
PUBLISHED_ROWS: dict[str, tuple[str, ...]] = {
    "999": ("offered", "answered_10s", "abandoned"),
    "101": ("offered", "answered_2min", "abandoned"),
    "online": ("offered",),
}
PUBLISHED_TITLES = {"999": "999 Calls performance", "101": "101 Calls performance",
                    "online": "Online reporting performance"}
PUBLISHED_LABELS = {("999", "offered"): "Volume", ("999", "answered_10s"): "Answered within 10 secs",
                    ("999", "abandoned"): "Abandonment Rate", ("101", "offered"): "Volume",
                    ("101", "answered_2min"): "Answered within 2 mins", ("101", "abandoned"): "Abandonment Rate",
                    ("online", "offered"): "Volume"}

CHANGE_VOLUME = "change (volume)"
CHANGE_PERCENT = "change (%)"
CHANGE_PP = "change (pp)"

_SOURCE = Column("source", "text", "Seed document, table and paragraph the figure is transcribed from")
_CHANNEL = Column("channel", "choice", "999, 101 or online", choices=CHANNELS)
_MEASURE = Column("measure", "choice", "The measure (a column of the monthly return)",
                  choices=tuple(m for m, _, _ in MEASURES))

PUBLISHED_ANNUAL = Schema(
    name="contact_annual",
    title="Contact demand: published calendar-year figures",
    columns=(_CHANNEL, _MEASURE, Column("published_label", "text", "Row label as published"),
             Column("year", "int", "Calendar year", min_value=2000, max_value=2100),
             Column("value", "text", 'The figure exactly as published ("148,957", "95.8%")'), _SOURCE),
    key=("channel", "measure", "year"),
)
PUBLISHED_CHANGE = Schema(
    name="contact_annual_change",
    title="Contact demand: published changes between calendar years",
    columns=(_CHANNEL, _MEASURE, Column("published_label", "text", "Row label as published"),
             Column("change_kind", "choice", "volume (a count), percent (relative) or pp (percentage points)",
                    choices=("volume", "percent", "pp")),
             Column("value", "text", 'The change exactly as published ("+53,387", "+36%", "-3.6pp")'), _SOURCE),
    key=("channel", "measure", "change_kind"),
)
TARGETS = Schema(
    name="contact_targets",
    title="Contact demand targets",
    columns=(_CHANNEL, _MEASURE,
             Column("threshold_s", "int", "Answer-time threshold in seconds (blank for abandonment)",
                    required=False, min_value=0),
             Column("direction", "choice", "at_least: the rate should be at least the target; below: under it",
                    choices=("at_least", "below")),
             Column("target_pct", "percent", "Target, per cent of calls offered", min_value=0, max_value=100),
             Column("scope", "choice", "national or local target", choices=("national", "local")),
             Column("description", "text", "The target in words"), _SOURCE),
    key=("channel", "measure"),
)


# ---- reading the published figures and targets --------------------------------------------

def parse_published(text: str) -> Decimal:
    """A published figure or change to ``Decimal``: "148,957", "95.8%", "+36%", "-3.6pp"."""
    t = str(text).strip()
    if t.endswith("pp"):
        t = t[:-2]
    value = to_decimal(t)
    if value is None:
        raise ValueError(f"{text!r} is blank")
    return value


def load_published(data_dir: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The published annual figures and changes, each with a parsed ``number`` column."""
    out = []
    for schema in (PUBLISHED_ANNUAL, PUBLISHED_CHANGE):
        path = published_path(f"{schema.name}.csv", data_dir)
        df = read_table(path, schema)
        problems = []
        numbers = []
        for rec in df.to_dict("records"):
            try:
                numbers.append(parse_published(rec["value"]))
            except ValueError:
                problems.append(Problem(file=rel(path), row=int(rec["_row"]), column="value",
                                        expected='a published number like "148,957", "95.8%" or "-3.6pp"',
                                        got=rec["value"]))
                numbers.append(None)
        if problems:
            raise DataError(problems)
        out.append(df.assign(number=pd.Series(numbers, dtype="object")))
    return out[0], out[1]


def load_targets(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The contact targets (reference data), one row per channel and measure."""
    return read_table(reference_path("contact_targets.csv", data_dir), TARGETS)


# ---- rates and periods --------------------------------------------------------------------

def rate(numerator: int, offered: int) -> Decimal | None:
    """``numerator / offered`` in per cent, exact; None when nothing was offered."""
    if not offered:
        return None
    return Decimal(int(numerator)) * 100 / Decimal(int(offered))


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def period_totals(monthly: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Counts summed over the months from ``start`` to ``end`` (inclusive), per channel, with
    ``months`` saying how many months of data each channel has in the period."""
    sel = monthly[(monthly["month"] >= start) & (monthly["month"] <= end)]
    rows = []
    for ch in CHANNELS:
        part = sel[sel["channel"] == ch]
        rec: dict[str, object] = {"channel": ch, "months": len(part)}
        for m, _, _ in MEASURES:
            vals = part[m].dropna() if m in part.columns else []
            rec[m] = int(sum(int(v) for v in vals)) if len(vals) else None
        rows.append(rec)
    return pd.DataFrame(rows)


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def compare_periods(monthly: pd.DataFrame, earlier: tuple[date, date], later: tuple[date, date],
                    labels: tuple[str, str], targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each channel's volume and rates in two periods, with changes labelled as such.

    One row per channel and measure: the value in each period (volume as an int, rates as
    exact per cent), ``change (volume)`` and ``change (%)`` for volumes, ``change (pp)`` for
    rates, the target and whether the later period meets it. ``attrs["complete"]`` is False
    when a period lacks months for a channel that has any data.
    """
    a_tot = period_totals(monthly, *earlier).set_index("channel")
    b_tot = period_totals(monthly, *later).set_index("channel")
    need = (_months_between(*earlier), _months_between(*later))
    tmap = {} if targets is None else {(r["channel"], r["measure"]): r for r in targets.to_dict("records")}
    rows = []
    present = set(monthly["channel"]) if not monthly.empty else set()
    complete = bool(present)
    for ch in CHANNELS:
        if ch in present:
            complete &= bool(a_tot.loc[ch, "months"] == need[0] and b_tot.loc[ch, "months"] == need[1])
        if a_tot.loc[ch, "months"] == 0 and b_tot.loc[ch, "months"] == 0:
            continue
        for m, kind, label in MEASURES:
            a_num, b_num = a_tot.loc[ch, m], b_tot.loc[ch, m]
            if kind == "rate" and (a_num is None or pd.isna(a_num)) and (b_num is None or pd.isna(b_num)):
                continue
            rec: dict[str, object] = {"channel": ch, "channel_name": CHANNEL_NAMES[ch], "measure": m,
                                      "label": label, "unit": "contacts" if kind == "volume" else "% of offered"}
            if kind == "volume":
                va = None if pd.isna(a_num) else int(a_num)
                vb = None if pd.isna(b_num) else int(b_num)
                rec[labels[0]], rec[labels[1]] = va, vb
                rec[CHANGE_VOLUME] = None if va is None or vb is None else vb - va
                rec[CHANGE_PERCENT] = None if not va or vb is None else Decimal(vb - va) * 100 / Decimal(va)
                rec[CHANGE_PP] = None
            else:
                va = None if pd.isna(a_num) else rate(int(a_num), int(a_tot.loc[ch, "offered"]))
                vb = None if pd.isna(b_num) else rate(int(b_num), int(b_tot.loc[ch, "offered"]))
                rec[labels[0]], rec[labels[1]] = va, vb
                rec[CHANGE_VOLUME] = None
                rec[CHANGE_PERCENT] = None
                rec[CHANGE_PP] = None if va is None or vb is None else vb - va
            t = tmap.get((ch, m))
            rec["target"] = target_text(t) if t is not None else ("no target: the 101 target is within 15 "
                                                                   "minutes" if (ch, m) == ("101", "answered_2min")
                                                                   else "")
            rec["status"] = status(rec[labels[1]], t) if t is not None else ""
            rows.append(rec)
    cols = ["channel", "channel_name", "measure", "label", "unit", labels[0], labels[1], CHANGE_VOLUME,
            CHANGE_PERCENT, CHANGE_PP, "target", "status"]
    out = pd.DataFrame(rows, columns=cols).astype({"channel": "string", "measure": "string", "label": "string",
                                                   "unit": "string", "target": "string", "status": "string"})
    out[CHANGE_VOLUME] = out[CHANGE_VOLUME].astype("Int64")
    out.attrs["complete"] = complete
    out.attrs["labels"] = labels
    return out


def annual_summary(monthly: pd.DataFrame, years: tuple[int, int] = (2024, 2025),
                   targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Calendar-year comparison (the published tables' basis): see ``compare_periods``."""
    y0, y1 = years
    return compare_periods(monthly, (date(y0, 1, 1), date(y0, 12, 1)), (date(y1, 1, 1), date(y1, 12, 1)),
                           (str(y0), str(y1)), targets)


def quarter_summary(monthly: pd.DataFrame, quarter: Quarter | str,
                    targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """The quarter's months against the same quarter a year earlier."""
    q = Quarter.parse(quarter)
    e = q.year_earlier()
    return compare_periods(monthly, (e.start, e.months[-1]), (q.start, q.months[-1]), (e.label, q.label), targets)


def year_to_date_summary(monthly: pd.DataFrame, quarter: Quarter | str,
                         targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """April to the end of the quarter, against the same months a year earlier."""
    q = Quarter.parse(quarter)
    e = q.year_earlier()
    return compare_periods(monthly, (e.fy_start, e.months[-1]), (q.fy_start, q.months[-1]),
                           (f"{e.fy_label} to {e.end:%b %Y}", f"{q.fy_label} to {q.end:%b %Y}"), targets)


# ---- targets ------------------------------------------------------------------------------

def target_text(t: dict) -> str:
    sign = "at least" if t["direction"] == "at_least" else "under"
    return f"{sign} {t['target_pct']}% ({t['scope']})"


def meets(value: Decimal, t: dict) -> bool:
    target = Decimal(t["target_pct"])
    return value >= target if t["direction"] == "at_least" else value < target


def status(value: Decimal | None, t: dict) -> str:
    """"✔ Met" / "✖ Not met" (a symbol and a word, never colour alone); "– No data"."""
    if value is None:
        return "– No data"
    return "✔ Met" if meets(value, t) else "✖ Not met"


def monthly_rates(monthly: pd.DataFrame) -> pd.DataFrame:
    """Tidy monthly rates: one row per month, channel and rate measure, in per cent of offered."""
    rows = []
    for rec in monthly.to_dict("records"):
        if rec["channel"] == "online":
            continue
        for m in RATE_MEASURES:
            value = rate(int(rec[m]), int(rec["offered"]))
            rows.append({"month": rec["month"], "channel": rec["channel"], "measure": m,
                         "rate_pct": float(value) if value is not None else float("nan")})
    return pd.DataFrame(rows, columns=["month", "channel", "measure", "rate_pct"]).astype(
        {"channel": "string", "measure": "string", "rate_pct": "float64"})


# ---- formatting as published --------------------------------------------------------------

def _blank(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and x != x)


def fmt_volume(n: int | None) -> str:
    return "" if _blank(n) else f"{int(n):,}"


def fmt_rate(x: Decimal | None) -> str:
    return "" if _blank(x) else f"{round_half_up(x, 1)}%"


def fmt_change_volume(n: int | None) -> str:
    return "" if _blank(n) else f"{int(n):+,}"


def fmt_change_percent(x: Decimal | None) -> str:
    """"+36%": a relative change, whole per cent, half up."""
    return "" if _blank(x) else f"{'+' if x >= 0 else ''}{round_half_up(x, 0)}%"


def fmt_change_pp(x: Decimal | None) -> str:
    """"-3.6pp": a change in percentage points, one place, half up."""
    return "" if _blank(x) else f"{'+' if x >= 0 else ''}{round_half_up(x, 1)}pp"


def display_table(summary: pd.DataFrame, channel: str | None = None, measures: tuple[str, ...] | None = None
                  ) -> pd.DataFrame:
    """A comparison as strings for the notebook: volumes with thousands separators, rates to
    one place, percent change and percentage-point change in separate, labelled columns."""
    a, b = summary.attrs["labels"]
    df = summary
    if channel is not None:
        df = df[df["channel"] == channel]
    if measures is not None:
        df = df[df["measure"].isin(measures)]
    rows = []
    for rec in df.to_dict("records"):
        vol = rec["unit"] == "contacts"
        fmt = fmt_volume if vol else fmt_rate
        rows.append({"Channel": rec["channel_name"], "Measure": rec["label"], a: fmt(rec[a]), b: fmt(rec[b]),
                     "Change (volume)": fmt_change_volume(rec[CHANGE_VOLUME]),
                     "Change (%)": fmt_change_percent(rec[CHANGE_PERCENT]),
                     "Change (pp)": fmt_change_pp(rec[CHANGE_PP]), "Target": rec["target"],
                     f"{b}: target": rec["status"]})
    return pd.DataFrame(rows).astype("string")


def published_table(summary: pd.DataFrame, channel: str) -> pd.DataFrame:
    """The published table for a channel, in its layout ("+/- vol", "% change" holding the
    percent change for volume and the percentage-point change for rates, as the report does)."""
    a, b = summary.attrs["labels"]
    rows = []
    for m in PUBLISHED_ROWS[channel]:
        rec = summary[(summary["channel"] == channel) & (summary["measure"] == m)].iloc[0]
        if m == "offered":
            rows.append({PUBLISHED_TITLES[channel]: PUBLISHED_LABELS[(channel, m)], a: fmt_volume(rec[a]),
                         b: fmt_volume(rec[b]), "+/- vol": fmt_change_volume(rec[CHANGE_VOLUME]),
                         "% change": fmt_change_percent(rec[CHANGE_PERCENT])})
        else:
            rows.append({PUBLISHED_TITLES[channel]: PUBLISHED_LABELS[(channel, m)], a: fmt_rate(rec[a]),
                         b: fmt_rate(rec[b]), "+/- vol": "", "% change": fmt_change_pp(rec[CHANGE_PP])})
    return pd.DataFrame(rows).astype("string")


def check_against_published(summary: pd.DataFrame, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every published figure beside the one computed from the monthly data, formatted alike.

    One row per published figure: channel, measure, what (a year, or the kind of change), the
    published string, the computed string and whether they match.
    """
    annual, change = load_published(data_dir)
    rows = []
    for rec in annual.to_dict("records"):
        year = str(rec["year"])
        got = summary[(summary["channel"] == rec["channel"]) & (summary["measure"] == rec["measure"])]
        value = None if got.empty or year not in got.columns else got.iloc[0][year]
        computed = fmt_volume(value) if rec["measure"] == "offered" else fmt_rate(value)
        rows.append({"channel": rec["channel"], "measure": rec["measure"], "what": year,
                     "published": rec["value"], "computed": computed})
    for rec in change.to_dict("records"):
        got = summary[(summary["channel"] == rec["channel"]) & (summary["measure"] == rec["measure"])]
        col, fmt = {"volume": (CHANGE_VOLUME, fmt_change_volume), "percent": (CHANGE_PERCENT, fmt_change_percent),
                    "pp": (CHANGE_PP, fmt_change_pp)}[rec["change_kind"]]
        computed = "" if got.empty else fmt(got.iloc[0][col])
        rows.append({"channel": rec["channel"], "measure": rec["measure"], "what": f"change ({rec['change_kind']})",
                     "published": rec["value"], "computed": computed})
    out = pd.DataFrame(rows).astype("string")
    out["match"] = (out["published"] == out["computed"]).astype("boolean")
    return out


def published_consistency(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Do the published changes follow from the published figures? One row per change.

    Volume changes and percent changes are recomputed from the published volumes; pp changes
    from the published (rounded) rates, which is how a reader checks the table.
    """
    annual, change = load_published(data_dir)
    rows = []
    for rec in change.to_dict("records"):
        vals = annual[(annual["channel"] == rec["channel"]) & (annual["measure"] == rec["measure"])]
        vals = vals.sort_values("year")
        a, b = vals["number"].iloc[0], vals["number"].iloc[-1]
        kind = rec["change_kind"]
        if kind == "volume":
            computed = fmt_change_volume(int(b - a))
        elif kind == "percent":
            computed = fmt_change_percent((b - a) * 100 / a)
        else:
            computed = fmt_change_pp(b - a)
        rows.append({"channel": rec["channel"], "measure": rec["measure"], "change_kind": kind,
                     "published": rec["value"], "from_published_figures": computed,
                     "consistent": computed == rec["value"]})
    return pd.DataFrame(rows)


__all__ = ["CHANGE_PERCENT", "CHANGE_PP", "CHANGE_VOLUME", "MEASURES", "display_table", "monthly_rates", "PUBLISHED_ANNUAL", "PUBLISHED_CHANGE",
           "TARGETS", "THRESHOLDS", "THRESHOLD_LABELS", "annual_summary", "check_against_published",
           "compare_periods", "load_published", "load_targets", "published_table", "quarter_summary",
           "year_to_date_summary"]
