"""The Plan dashboard: every headline metric of a quarter with its computed RAG.

This replaces the hand-filled RAG column of Appendix 1: ``assess_quarter`` applies the
agreed rule (``pcp_lib.methods.rag``) to each metric, adds the approximate counts behind rates per
1,000 (the Panel asked for numbers, not only percentages), flags published direction arrows
that disagree with the values, and ``for_audience`` withholds restricted metrics from
public papers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from pcp_lib.display.charts.style import rag_label
from pcp_lib.io.datastore import latest_with
from pcp_lib.methods.parsing import to_decimal
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.rag import DOWN, LEVEL, RAGS, UP, assess
from pcp_lib.methods.spc import describe
from pcp_lib.reference.population import llr_population
from pcp_lib.subjects.dashboard.evidence import statistical_view
from pcp_lib.subjects.dashboard.register import load_register, load_values

RESTRICTED = "Restricted"
REDACTED_COLUMNS = ("baseline", "latest", "change", "pct_change", "direction", "rag", "reason",
                    "within_tolerance", "published_direction", "direction_mismatch",
                    "approx_baseline_count", "approx_latest_count")

def arrow_of(change: Decimal | None) -> str:
    """The raw direction of a change, ignoring the agreed range."""
    if change is None:
        return ""
    return UP if change > 0 else DOWN if change < 0 else LEVEL


def _approx_count(rate: Decimal | None, population: int) -> int | None:
    if rate is None:
        return None
    return int((rate * population / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def assess_quarter(quarter: Quarter | str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per metric for the quarter: values, change, RAG, reason and checks.

    Columns: serial, strategy, metric, target, unit, baseline, latest, change, pct_change,
    direction, rag, within_tolerance, reason, restricted, published_direction,
    direction_mismatch, approx_baseline_count, approx_latest_count, source.
    ``change`` is in the metric's own unit (pp for percent metrics); ``pct_change`` is the
    relative change in %. ``direction_mismatch`` is True where the published arrow agrees
    neither with the sign of the change nor with the agreed-range direction (↔ inside it);
    arrows on Y/N metrics are not movements and are not checked.
    """
    q = Quarter.parse(quarter)
    register = load_register(data_dir=data_dir)
    values = load_values(q, data_dir, register)
    population, _ = llr_population(data_dir)

    wide = {kind: values[values["value_kind"] == kind].set_index("serial") for kind in ("baseline", "latest")}
    rows = []
    for m in register.to_dict("records"):
        serial = m["serial"]
        b_raw = wide["baseline"]["value"].get(serial)
        l_raw = wide["latest"]["value"].get(serial)
        published = wide["latest"]["published_direction"].get(serial)
        published = None if pd.isna(published) else str(published)
        tol = m["tolerance"] if m["tolerance"] is not None else None
        a = assess(m["target"], None if pd.isna(b_raw) else b_raw, None if pd.isna(l_raw) else l_raw,
                   m["unit"], tol)
        numeric = m["unit"] != "yes_no"
        b = to_decimal(b_raw) if numeric else None
        la = to_decimal(l_raw) if numeric else None
        raw_arrow = arrow_of(a.change)
        mismatch = bool(numeric and published and a.change is not None
                        and published not in {raw_arrow, a.direction})
        rate = m["unit"] == "rate_per_1000"
        rows.append({
            "serial": serial, "strategy": m["strategy"], "metric": m["metric"], "target": m["target"],
            "unit": m["unit"],
            "baseline": b if numeric else (None if pd.isna(b_raw) else str(b_raw)),
            "latest": la if numeric else (None if pd.isna(l_raw) else str(l_raw)),
            "change": a.change, "pct_change": a.pct_change, "direction": a.direction, "rag": a.rag,
            "within_tolerance": a.within_tolerance, "reason": a.reason,
            "restricted": bool(m["restricted"]), "published_direction": published,
            "direction_mismatch": mismatch,
            "approx_baseline_count": _approx_count(b, population) if rate else None,
            "approx_latest_count": _approx_count(la, population) if rate else None,
            "source": m["source"],
        })
    df = pd.DataFrame(rows)
    df["serial"] = df["serial"].astype("Int64")
    for c in ("strategy", "metric", "target", "unit", "direction", "rag", "reason", "source"):
        df[c] = df[c].astype("string")
    df["restricted"] = df["restricted"].astype(bool)
    df["direction_mismatch"] = df["direction_mismatch"].astype(bool)
    for c in ("approx_baseline_count", "approx_latest_count"):
        df[c] = df[c].astype("Int64")
    df.attrs["quarter"] = q.label
    df.attrs["population"] = population
    return df


def dashboard_quarter(quarter: Quarter | str, data_dir: str | Path | None = None) -> Quarter | None:
    """The latest quarter up to ``quarter`` that has Plan metric values (None if none)."""
    return latest_with("metric_values", quarter, data_dir)


def for_audience(df: pd.DataFrame, audience: str) -> pd.DataFrame:
    """The table as an audience may see it: for "public", restricted metrics show
    "Restricted" in place of their values, RAG, reason and every derived figure."""
    if audience not in ("public", "restricted"):
        raise ValueError(f"audience must be 'public' or 'restricted', got {audience!r}")
    out = df.copy()
    if audience == "restricted":
        return out
    mask = out["restricted"]
    for c in REDACTED_COLUMNS:
        if c in out.columns:
            out[c] = out[c].astype(object)
            out.loc[mask, c] = RESTRICTED
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


def format_value(value: object, unit: str) -> str:
    """A value for display: as published, with % for percent metrics."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        return value
    d = Decimal(value)
    text = f"{d:,}" if abs(d) >= 1000 else str(d)
    return f"{text}%" if unit == "percent" else text


def format_change(row: pd.Series) -> str:
    """The change, labelled: "-2.0pp" for percent metrics, "+5.3%" for others."""
    if isinstance(row["change"], str):
        return row["change"]
    if row["unit"] == "percent" and row["change"] is not None:
        return f"{row['change']:+.1f}pp"
    if row["pct_change"] is not None and not pd.isna(row["pct_change"]):
        return f"{row['pct_change']:+.1f}%"
    if row["change"] is not None and not pd.isna(row["change"]) and row["change"] != 0:
        return "from zero"
    return "" if row["change"] is None or pd.isna(row["change"]) else "0"


def display_table(df: pd.DataFrame) -> pd.DataFrame:
    """The Appendix 1 table as shown in the pack (strings; RAG as symbol and word)."""

    out = pd.DataFrame({
        "No": df["serial"].astype(str),
        "Delivery strategy": df["strategy"],
        "Metric": df["metric"],
        "Target": df["target"],
        "Baseline 2024/25": [format_value(v, u) for v, u in zip(df["baseline"], df["unit"], strict=True)],
        "Latest": [format_value(v, u) for v, u in zip(df["latest"], df["unit"], strict=True)],
        "Change": [format_change(r) for _, r in df.iterrows()],
        "Direction": df["direction"].fillna(""),
        "RAG": [rag_label(str(r)) for r in df["rag"]],
        "Reason": df["reason"],
    })
    return out


def data_quality_notes(df: pd.DataFrame, actions_note: str | None = None) -> list[str]:
    """Plain-English notes on published figures that do not add up (never restricted ones)."""
    notes = []
    visible = df[df["rag"] != RESTRICTED]
    for r in visible[visible["direction_mismatch"].astype(bool)].to_dict("records"):
        notes.append(
            f"Serial {r['serial']} ({r['metric']}): published arrow {r['published_direction']} but the "
            f"values go {format_value(r['baseline'], r['unit'])} → {format_value(r['latest'], r['unit'])} "
            f"({format_change(pd.Series(r))}; computed direction {r['direction']})."
        )
    if actions_note:
        notes.append(actions_note)
    return notes


def headline_summary(df: pd.DataFrame, quarter_label: str) -> list[str]:
    """The summary sentences that open the dashboard, computed from the table."""
    counts = rag_counts(df)
    parts = [f"{counts[k]} {k}" if k != "No data" else f"{counts[k]} with no data"
             for k in counts.index if counts[k] and k != RESTRICTED]
    lines = [f"Of {len(df)} headline metrics for {quarter_label}: " + ", ".join(parts) + "."]
    if counts.get(RESTRICTED, 0):
        lines.append(f"{counts[RESTRICTED]} metrics are restricted and withheld from this public version.")
    red = df[df["rag"] == "Red"]
    if len(red):
        lines.append("Red (moved beyond the agreed range against the target): "
                     + "; ".join(f"{r['metric']} ({format_change(pd.Series(r))})" for r in red.to_dict("records"))
                     + ".")
    green = df[(df["rag"] == "Green") & (df["unit"] != "yes_no")]
    if len(green):
        best = green.assign(_abs=[abs(float(x)) if x is not None and not isinstance(x, str) else 0
                                  for x in green["pct_change"]]).sort_values("_abs", ascending=False)
        top = best.head(3)
        lines.append("Largest improvements: " + "; ".join(
            f"{r['metric']} ({format_change(pd.Series(r))})" for r in top.to_dict("records")) + ".")
    return lines


def exceptions_table(df: pd.DataFrame, rag: str = "Red") -> pd.DataFrame:
    """The metrics with a given RAG, with their reasons and (for rates) approximate counts."""
    sub = df[df["rag"] == rag]
    return pd.DataFrame({
        "No": sub["serial"].astype(str),
        "Metric": sub["metric"],
        "Baseline 2024/25": [format_value(v, u) for v, u in zip(sub["baseline"], sub["unit"], strict=True)],
        "Latest": [format_value(v, u) for v, u in zip(sub["latest"], sub["unit"], strict=True)],
        "Approx. count (baseline → latest)": [
            f"{int(b):,} → {int(la):,}" if not pd.isna(b) and not pd.isna(la) else ""
            for b, la in zip(sub["approx_baseline_count"], sub["approx_latest_count"], strict=True)],
        "Reason": sub["reason"],
    })


def statistical_table(assessed: pd.DataFrame, audience: str, data_dir: str | Path | None = None,
                      quarter: Quarter | str | None = None) -> pd.DataFrame:
    """The evidence beside the agreed RAG, for every metric with counts or a monthly series:
    the counts, whether the change is statistically significant, the SPC reading and a plain
    note (saying so where the agreed rule and the statistics disagree). Restricted metrics are
    left out of the public version altogether."""

    view = statistical_view(assessed, data_dir=data_dir, quarter=quarter).set_index("serial")
    rows = []
    for r in assessed.to_dict("records"):
        v = view.loc[r["serial"]]
        has_counts = not pd.isna(v["baseline_count"]) and not pd.isna(v["latest_count"])
        has_series = not pd.isna(v["spc_variation"])
        if not (has_counts or has_series) or (audience == "public" and r["restricted"]):
            continue
        sig = v["significant"]
        rows.append({
            "No": str(r["serial"]),
            "Metric": r["metric"],
            "RAG (agreed rule)": rag_label(str(r["rag"])),
            "Counts (baseline → latest)": (f"{int(v['baseline_count']):,} → {int(v['latest_count']):,}"
                                           if has_counts else ""),
            "Significant change?": "" if pd.isna(sig) else ("Yes" if sig else "No"),
            "SPC (latest month)": describe(v["spc_variation"], short=True) if has_series else "",
            "What the statistics say": v["statistical_note"],
        })
    return pd.DataFrame(rows, columns=["No", "Metric", "RAG (agreed rule)", "Counts (baseline → latest)",
                                       "Significant change?", "SPC (latest month)", "What the statistics say"])
