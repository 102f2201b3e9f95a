"""The Plan dashboard: every headline metric of a quarter with its computed RAG.

This replaces the hand-filled RAG column of Appendix 1: ``assess_metrics`` applies the
agreed rule (``pcp_lib.methods.rag``) to each metric, adds the approximate counts behind rates per
1,000 (the Panel asked for numbers, not only percentages), flags published direction arrows
that disagree with the values, and ``for_audience`` withholds restricted metrics from
public papers.

The table is for analysis: values, changes and counts are numeric columns (``Float64`` /
``Int64``, missing as ``<NA>``) that sort, ``describe()`` and plot. The RAG decision is
exact: it is taken on the published digits (``Decimal`` inside ``methods.rag``), which
stay in the ``baseline_published`` / ``latest_published`` columns as they were sent. The
display functions below turn the table into the text the pack shows, through
``pcp_lib.methods.units``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pandas as pd

from pcp_lib.core.audience import check_audience
from pcp_lib.core.provenance import attach, combine, provenance_of
from pcp_lib.display.palette import rag_label
from pcp_lib.io.confirmations import Confirmation, confirmation_for
from pcp_lib.io.datastore import latest_with
from pcp_lib.methods.parsing import to_decimal
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.rag import DOWN, LEVEL, RAGS, TARGETS, UP, Bands, assess
from pcp_lib.methods.stats import fmt_p
from pcp_lib.methods.units import MISSING, fmt_change, fmt_count, fmt_number, fmt_percent, is_missing
from pcp_lib.reference.population import llr_total, load_population
from pcp_lib.reference.rag_bands import load_bands
from pcp_lib.subjects.dashboard.disclosure import (
    DIRECTION_ONLY,
    PUBLISHED,
    default_level,
    disclosure_levels,
    load_disclosure,
)
from pcp_lib.subjects.dashboard.evidence import approx_count
from pcp_lib.subjects.dashboard.register import COMMENTARY_COLUMNS, load_register, load_values

__all__ = ["CHANGE_UNITS", "COLUMNS", "COMMENTARY_HEADINGS", "EMPTY_COMMENTARY", "NO_COMMENTARY", "KIND_WORDS", "RESTRICTED", "SPC_ICON_COLUMN", "against_last_quarter", "arrow_of",
           "assess_metrics", "assess_quarter", "baseline_heading",
           "change_text", "dashboard_quarter", "data_quality_notes", "display_table", "exceptions_table",
           "for_audience", "headline_summary", "improvements_sentence", "rag_by_strategy", "rag_counts", "statistical_columns", "statistical_table",
           "value_text"]

RESTRICTED = "Restricted"
COLUMNS = ["serial", "strategy", "metric", "target", "unit", "baseline_period", "latest_period",
           "baseline_published", "latest_published", "baseline", "latest", "change", "change_unit", "pct_change",
           "pct_change_toward_target", "direction", "rag", "within_tolerance", "band", "reason", "restricted", "published_direction", "direction_mismatch",
           "approx_baseline_count", "approx_latest_count", "source", "kind", "quantity_of", "disclosure",
           *COMMENTARY_COLUMNS]
_NUMERIC = {"baseline": "Float64", "latest": "Float64", "change": "Float64", "pct_change": "Float64",
            "pct_change_toward_target": "Float64",
            "approx_baseline_count": "Int64", "approx_latest_count": "Int64"}
_TEXT = ("strategy", "metric", "target", "unit", "change_unit", "baseline_period", "latest_period", "baseline_published",
         "latest_published", "direction", "rag", "band", "reason", "published_direction", "source", "kind",
         "quantity_of", "disclosure", *COMMENTARY_COLUMNS)
#: what a public table withholds for a restricted metric (the metric's name and target stay)
_REDACTED_TEXT = ("baseline_published", "latest_published", "direction", "rag", "reason", "published_direction")
_REDACTED_FLAGS = ("within_tolerance", "direction_mismatch")


def arrow_of(change: Decimal | None) -> str:
    """The raw direction of a change, ignoring the agreed range."""
    if change is None:
        return ""
    return UP if change > 0 else DOWN if change < 0 else LEVEL


def _float(d: Decimal | None) -> float | None:
    return None if d is None else float(d)


#: what ``change`` is measured in, by the register's unit: it differs between metrics, so
#: ``change`` is compared only within a metric (``pct_change`` is comparable across them)
CHANGE_UNITS = {"percent": "pp", "rate_per_1000": "per 1,000 population", "count": "count", "value": "value"}


def _toward_target(pct_change: Decimal | None, target: str) -> float | None:
    """The relative change signed so that + is the way the target wants (None without a
    direction: a Y/N metric, or a change from zero)."""
    wants = TARGETS.get(target)
    return None if pct_change is None or wants is None else float(pct_change) * wants


def assess_metrics(register: pd.DataFrame, values: pd.DataFrame, population: int, *, bands: Bands,
                   disclosure: Mapping[int, tuple[str, str]] | None = None) -> pd.DataFrame:
    """One row per metric of the register: values, change, RAG, reason and checks.

    Columns (``COLUMNS``): the metric (serial, strategy, metric, target, unit); the periods and
    values as published (``*_period``, ``*_published``: "65.9%", "11,545", "Y"); the values as
    numbers (``baseline``, ``latest``; missing for Y/N metrics); ``change`` in the metric's own
    unit, named in ``change_unit`` ("pp" for percent metrics, "per 1,000 population", "count",
    "value"), so comparable only within a metric; ``pct_change`` (relative change in %, missing
    from zero), comparable across metrics, and ``pct_change_toward_target``, the same signed so
    that + is the way the target wants (sort by it to rank metrics from best to worst);
    direction, rag, within_tolerance, band (the range it was judged by, "±5%": with ``bands``, the
    reference data, and the register's tolerance) and reason from the agreed rule; restricted;
    published_direction and ``direction_mismatch`` (True where the published arrow agrees
    neither with the sign of the change nor with the agreed-range direction, ↔ inside it;
    arrows on Y/N metrics are not movements and are not checked); approximate counts behind
    rates per 1,000 (``population`` is LLR's); source; ``disclosure``, what the public may see of it
    this quarter (``disclosure``: by serial, from ``disclosure.disclosure_levels``; default the
    register's), and ``restricted``, True where that withholds a value the metric has (a metric
    with no value at all withholds nothing: it is No data); ``commentary``, ``owner`` and
    ``next_step`` from the latest row (missing where none was supplied). The table carries the
    combined provenance of the register and the values.
    """
    by_kind = {kind: values[values["value_kind"] == kind].set_index("serial") for kind in ("baseline", "latest")}

    def cell(kind: str, column: str, serial: int) -> str | None:
        v = by_kind[kind][column].get(serial)
        return None if is_missing(v) else str(v)

    rows = []
    for m in register.to_dict("records"):
        serial = m["serial"]
        b_raw, l_raw = cell("baseline", "value", serial), cell("latest", "value", serial)
        published = cell("latest", "published_direction", serial)
        a = assess(m["target"], b_raw, l_raw, m["unit"], m["tolerance"], bands=bands)
        numeric = m["unit"] != "yes_no"
        b = to_decimal(b_raw) if numeric else None
        la = to_decimal(l_raw) if numeric else None
        mismatch = bool(numeric and published and a.change is not None
                        and published not in {arrow_of(a.change), a.direction})
        rate = m["unit"] == "rate_per_1000"
        level = disclosure[serial][0] if disclosure and serial in disclosure else default_level(m["restricted"])
        has_value = b_raw is not None or l_raw is not None
        rows.append({
            "serial": serial, "strategy": m["strategy"], "metric": m["metric"], "target": m["target"],
            "unit": m["unit"], "baseline_period": cell("baseline", "period", serial),
            "latest_period": cell("latest", "period", serial), "baseline_published": b_raw,
            "latest_published": l_raw, "baseline": _float(b), "latest": _float(la),
            "change": _float(a.change), "change_unit": CHANGE_UNITS.get(m["unit"]), "pct_change": _float(a.pct_change),
            "pct_change_toward_target": _toward_target(a.pct_change, m["target"]), "direction": a.direction,
            "rag": a.rag, "within_tolerance": a.within_tolerance, "band": a.band, "reason": a.reason,
            "restricted": level != PUBLISHED and has_value, "published_direction": published,
            "direction_mismatch": mismatch,
            "approx_baseline_count": approx_count(b, population) if rate else None,
            "approx_latest_count": approx_count(la, population) if rate else None,
            "source": m["source"], "kind": m["kind"],
            "quantity_of": None if is_missing(m.get("quantity_of")) else m["quantity_of"],
            "disclosure": level,
            **{c: cell("latest", c, serial) if c in by_kind["latest"].columns else None for c in COMMENTARY_COLUMNS},
        })
    df = pd.DataFrame(rows, columns=COLUMNS)
    df = df.astype({"serial": "Int64", **_NUMERIC, **dict.fromkeys(_TEXT, "string"), "restricted": bool,
                    "within_tolerance": "boolean", "direction_mismatch": "boolean"})
    return attach(df, combine([provenance_of(register), provenance_of(values)]))


def assess_quarter(quarter: Quarter | str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """``assess_metrics`` for a quarter, reading the register, the quarter's values and the
    population and the agreed bands (for the command line, the pack's index and exploring; a
    page reads its inputs once in its ``load``). Its provenance includes the population."""
    q = Quarter.parse(quarter)
    register = load_register(data_dir=data_dir)
    population = load_population(data_dir)
    df = assess_metrics(register, load_values(q, data_dir, register), llr_total(population)[0],
                        bands=load_bands(data_dir),
                        disclosure=disclosure_levels(register, q, load_disclosure(data_dir)))
    return attach(df, combine([provenance_of(df), provenance_of(population)]))


def dashboard_quarter(quarter: Quarter | str, data_dir: str | Path | None = None) -> Quarter | None:
    """The latest quarter up to ``quarter`` that has Plan metric values (None if none)."""
    return latest_with("metric_values", quarter, data_dir)


def for_audience(df: pd.DataFrame, audience: str) -> pd.DataFrame:
    """The table as an audience may see it: for "public", restricted metrics (withheld this
    quarter, or shown by direction only) show "Restricted" in place of their values as
    published, RAG and reason, and every figure derived from them (numbers, changes, counts,
    checks) and their commentary, owner and next step are missing (``<NA>``), so the numeric
    columns stay numeric. A metric shown by direction only keeps its direction arrows."""
    check_audience(audience)
    out = df.copy()
    if audience == "restricted":
        return out
    mask = out["restricted"].astype(bool)
    direction_only = mask & (out["disclosure"] == DIRECTION_ONLY)
    for c in _REDACTED_TEXT:
        keep = direction_only if c in ("direction", "published_direction") else None
        out.loc[mask & ~keep if keep is not None else mask, c] = RESTRICTED
    for c in COMMENTARY_COLUMNS:
        out.loc[mask, c] = pd.NA
    for c in (*_NUMERIC, *_REDACTED_FLAGS):
        out.loc[mask, c] = pd.NA
    return out


def rag_counts(df: pd.DataFrame) -> pd.Series:
    """How many metrics are Green, Amber, Red, No data (and Restricted, in a public table)."""
    order = [*RAGS, RESTRICTED]
    counts = df["rag"].astype(str).value_counts()
    return pd.Series({k: int(counts.get(k, 0)) for k in order if k != RESTRICTED or k in counts},
                     dtype="int64", name="metrics")


def rag_by_strategy(df: pd.DataFrame) -> pd.DataFrame:
    """Counts of each RAG by delivery strategy (strategies in Plan order), tidy wide table."""
    order = list(dict.fromkeys(df["strategy"]))
    cols = [*RAGS, RESTRICTED] if (df["rag"] == RESTRICTED).any() else list(RAGS)
    t = pd.crosstab(df["strategy"], df["rag"]).reindex(index=order, columns=cols, fill_value=0)
    return t.astype("int64")


# ---- display: the table as the pack shows it --------------------------------------------------

def value_text(published: object, unit: str) -> str:
    """A value for display, with the digits it was published with ("56.60%", "0.0017",
    "11,545"); Y/N and "Restricted" as they are; missing as "n/a"."""
    if is_missing(published):
        return MISSING
    text = str(published)
    if unit == "yes_no" or text == RESTRICTED:
        return text
    d = to_decimal(text)
    assert d is not None  # not missing (checked above)
    places = max(0, -int(d.as_tuple().exponent))
    return fmt_percent(d, places) if unit == "percent" else fmt_number(d, places)


def change_text(row: pd.Series | dict) -> str:
    """The change, labelled: "-2.0pp" for percent metrics, "+5.3%" (percent change) for
    others, "n/a (from zero)" from a zero baseline; "n/a" for Y/N metrics or a missing value."""
    if row["rag"] == RESTRICTED:
        return RESTRICTED
    if row["unit"] == "yes_no":
        return MISSING
    return fmt_change(to_decimal(row["baseline_published"]), to_decimal(row["latest_published"]), str(row["unit"]),
                      places=1)


def baseline_heading(df: pd.DataFrame) -> str:
    """"Baseline 2024/25": the baseline period the values give (one period for every metric),
    or "Baseline" when they give several or none."""
    periods = list(dict.fromkeys(p for p in df["baseline_period"] if not is_missing(p)))
    return f"Baseline {periods[0]}" if len(periods) == 1 else "Baseline"


def _baseline_cells(df: pd.DataFrame) -> list[str]:
    """Baseline values for display; each with its period when the table has several."""
    several = baseline_heading(df) == "Baseline"
    return [value_text(v, u) + (f" ({p})" if several and not is_missing(p) and not is_missing(v) else "")
            for v, u, p in zip(df["baseline_published"], df["unit"], df["baseline_period"], strict=True)]


def display_table(df: pd.DataFrame) -> pd.DataFrame:
    """The Appendix 1 table as shown in the pack (strings; RAG as symbol and word)."""
    return pd.DataFrame({
        "No": df["serial"].astype(str),
        "Delivery strategy": df["strategy"],
        "Metric": df["metric"],
        "Target": df["target"],
        baseline_heading(df): _baseline_cells(df),
        "Latest": [value_text(v, u) for v, u in zip(df["latest_published"], df["unit"], strict=True)],
        "Change": [change_text(r) for r in df.to_dict("records")],
        "Direction": df["direction"].fillna(""),
        "RAG": [rag_label(str(r)) for r in df["rag"]],
        "Reason": df["reason"],
    })


def against_last_quarter(df: pd.DataFrame, previous: Quarter, before: dict[int, str],
                         confirmations: list[Confirmation]) -> pd.DataFrame:
    """The assessed table with each reason saying what last quarter's file says about it: a
    metric with no latest value now but one in ``previous`` (``before``: its latest values by
    serial) reads "No data (Q3 2025/26: 7.42): ..."; a value confirmed after moving
    implausibly (``confirmations``: ``io.confirmations``) says who confirmed it and why.
    Applied before ``for_audience``, so a public table withholds these reasons with the rest."""
    out = df.copy()
    reasons = list(out["reason"].astype(object))
    for i, r in enumerate(out.to_dict("records")):
        serial = int(r["serial"])
        was = before.get(serial)
        if r["rag"] == "No data" and is_missing(r["latest_published"]) and not is_missing(was):
            reasons[i] = (f"No data ({previous.label}: {value_text(was, str(r['unit']))}): no latest figure this "
                          f"quarter, although {previous.label} had one.")
        elif not is_missing(r["latest_published"]):
            c = confirmation_for(confirmations, "metric_values", serial, r["latest_published"])
            if c is not None:
                reasons[i] = (f"{r['reason']} The figure moved implausibly from {previous.label}'s "
                              f"{value_text(was, str(r['unit']))} and was {c.sentence()}.")
    out["reason"] = pd.Series(reasons, index=out.index, dtype="string")
    out.attrs = dict(df.attrs)
    return out


def data_quality_notes(df: pd.DataFrame) -> list[str]:
    """Plain-English notes on published arrows that do not follow the values (never on
    restricted metrics)."""
    notes = []
    visible = df[df["rag"] != RESTRICTED]
    for r in visible[visible["direction_mismatch"].fillna(False).astype(bool)].to_dict("records"):
        notes.append(
            f"Serial {r['serial']} ({r['metric']}): published arrow {r['published_direction']} but the "
            f"values go {value_text(r['baseline_published'], r['unit'])} → "
            f"{value_text(r['latest_published'], r['unit'])} ({change_text(r)}; computed direction {r['direction']})."
        )
    return notes


def headline_summary(df: pd.DataFrame, quarter_label: str) -> list[str]:
    """The summary sentences that open the dashboard, computed from the table."""
    counts = rag_counts(df)
    parts = [f"{counts[k]} {k}" if k != "No data" else f"{counts[k]} with no data"
             for k in counts.index if counts[k] and k != RESTRICTED]
    lines = [f"Of {len(df)} headline metrics for {quarter_label}: " + ", ".join(parts) + "."]
    if counts.get(RESTRICTED, 0):
        n = counts[RESTRICTED]
        lines.append(f"{n} metric{' is' if n == 1 else 's are'} restricted and withheld from this public version.")
    red = df[df["rag"] == "Red"]
    if len(red):
        lines.append("Red (moved beyond the agreed range against the target): "
                     + "; ".join(f"{r['metric']} ({change_text(r)})" for r in red.to_dict("records")) + ".")
    best = improvements_sentence(df)
    return [*lines, best] if best else lines


def improvements_sentence(df: pd.DataFrame, n: int = 3) -> str | None:
    """The ``n`` Green numeric metrics with the largest relative change, with their changes."""
    green = df[(df["rag"] == "Green") & (df["unit"] != "yes_no")]
    if not len(green):
        return None
    best = green.assign(_abs=green["pct_change"].astype("float64").abs().fillna(0.0))
    top = best.sort_values("_abs", ascending=False).head(n)
    return "Largest improvements: " + "; ".join(f"{r['metric']} ({change_text(r)})" for r in top.to_dict("records")) + "."


def _counts_text(b: object, la: object) -> str:
    return MISSING if is_missing(b) or is_missing(la) else f"{fmt_count(b)} → {fmt_count(la)}"


#: what a Red or Amber metric's commentary, owner or next step reads when none was supplied
NO_COMMENTARY = "no commentary supplied"
COMMENTARY_HEADINGS = {"commentary": "Commentary", "owner": "Owner", "next_step": "Next step"}
#: what an empty cell reads, by column
EMPTY_COMMENTARY = {"commentary": NO_COMMENTARY, "owner": "not named", "next_step": "none given"}


def exceptions_table(df: pd.DataFrame, rag: str = "Red") -> pd.DataFrame:
    """The metrics with a given RAG, with their reasons, (for rates) approximate counts and
    the commentary, owner and next step of the return ("no commentary supplied" where empty;
    a public table has none for a withheld metric, which is not Red or Amber in it)."""
    sub = df[df["rag"] == rag]
    return pd.DataFrame({
        "No": sub["serial"].astype(str),
        "Metric": sub["metric"],
        baseline_heading(df): _baseline_cells(sub),
        "Latest": [value_text(v, u) for v, u in zip(sub["latest_published"], sub["unit"], strict=True)],
        "Approx. count (baseline → latest)": [
            _counts_text(b, la) for b, la in zip(sub["approx_baseline_count"], sub["approx_latest_count"],
                                                 strict=True)],
        "Reason": sub["reason"],
        **{heading: [EMPTY_COMMENTARY[column] if is_missing(v) else str(v) for v in sub[column]]
           for column, heading in COMMENTARY_HEADINGS.items()},
    })


#: the statistical view's icon column: it holds the icon code, drawn with its words by ``display.icons``
SPC_ICON_COLUMN = "SPC (latest month)"
KIND_WORDS = {"count": "count of events", "rate": "rate from counts", "proportion": "proportion",
              "quantity": "quantity or stock", "yes_no": "yes/no"}


def statistical_columns(view: pd.DataFrame) -> list[str]:
    """The statistical table's columns (the adjusted p's heading names its family's size)."""
    n = int(view["p_adjusted"].notna().sum())
    return ["No", "Metric", "What it is", "RAG (agreed rule)", "Counts (baseline → latest)", "Change (95% CI)",
            "p (raw)", f"p (adjusted, {n} test{'' if n == 1 else 's'})", "Evidence of a change?", "Dispersion used (× Poisson)",
            SPC_ICON_COLUMN, "What the statistics say"]


def _interval(v: pd.Series) -> str:
    if is_missing(v["estimate"]):
        return MISSING
    places = 2 if str(v["test"]).startswith("score test of the rate ratio") else 1
    return (f"{fmt_number(v['estimate'], places)} ({fmt_number(v['ci_low'], places)} to "
            f"{fmt_number(v['ci_high'], places)})")


def _counts_cell(v: pd.Series) -> str:
    text = _counts_text(v["baseline_count"], v["latest_count"])
    approximate = not is_missing(v["counts_approximate"]) and bool(v["counts_approximate"])
    return f"≈ {text} (from the rates)" if text != MISSING and approximate else text


def statistical_table(assessed: pd.DataFrame, view: pd.DataFrame, audience: str) -> pd.DataFrame:
    """The evidence beside the agreed RAG (``evidence.statistical_view`` of the full table), for
    every metric: what it is (its kind), the counts (marked ≈ where derived from a rate and
    the population), the change with its interval (rate ratio, or pp for proportions), the raw
    and the adjusted p-value (Benjamini-Hochberg across the view's tests), the verdict ("Yes":
    evidence of a change, adjusted p below 5%; else "No", or "not tested: why"), the variance
    the test allowed for, the SPC reading (its icon code in ``SPC_ICON_COLUMN``, drawn with its
    words by the page) and a plain note (saying so where the agreed rule and the statistics
    disagree). Restricted metrics are left out of the public version altogether."""
    by_serial = view.set_index("serial")
    cols = statistical_columns(view)
    adjusted = cols[7]
    rows = []
    for r in assessed.to_dict("records"):
        if audience == "public" and r["restricted"]:
            continue
        v = by_serial.loc[r["serial"]]
        tested = not is_missing(v["p_value"])
        has_series = not is_missing(v["spc_variation"])
        rows.append({
            "No": str(r["serial"]),
            "Metric": r["metric"],
            "What it is": KIND_WORDS.get(str(v["kind"]), str(v["kind"])),
            "RAG (agreed rule)": rag_label(str(r["rag"])),
            "Counts (baseline → latest)": _counts_cell(v),
            "Change (95% CI)": _interval(v),
            "p (raw)": fmt_p(float(v["p_value"])) if tested else MISSING,
            adjusted: fmt_p(float(v["p_adjusted"])) if tested else MISSING,
            "Evidence of a change?": ("Yes" if v["evidence"] else "No") if tested else (
                "not tested" if is_missing(v["untested"]) else str(v["untested"])),
            "Dispersion used (× Poisson)": MISSING if is_missing(v["dispersion"]) else fmt_number(v["dispersion"], 1),
            SPC_ICON_COLUMN: str(v["spc_variation"]) if has_series else MISSING,
            "What the statistics say": v["statistical_note"],
        })
    return pd.DataFrame(rows, columns=cols)
