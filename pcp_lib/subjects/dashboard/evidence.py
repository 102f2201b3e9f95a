"""The statistical view beside the agreed RAG: counts, significance and SPC for each metric.

The Panel asked for numbers as well as percentages ("small numbers make large percentages
misleading") and whether shoplifting moving from 7.6 to 8.0 per 1,000 was a real change
(004_2d2b44c158357b88.txt, points i and ii). The ±5% / ±2pp band stays the official RAG rule;
``statistical_view`` adds, for every metric with counts or a monthly series:

- approximate counts behind rates per 1,000 (rate × LLR population / 1,000) or the counts
  themselves;
- a significance test of latest against baseline (``pcp_lib.methods.stats``): Poisson rate ratio for
  counts and rates, allowing for over-dispersion measured from the police.uk monthly series
  where one exists; difference in proportions for survey percentages when sample sizes are
  given (columns ``baseline_sample`` / ``latest_sample``);
- the SPC variation icon of the matching police.uk monthly series (``pcp_lib.methods.spc``);
- one plain-English sentence, which says so where the agreed rule and the statistics disagree.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.display.report import fmt_int
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.spc import describe, xmr
from pcp_lib.methods.stats import compare_proportions, compare_rates, estimate_dispersion, fmt_p
from pcp_lib.reference.population import llr_population
from pcp_lib.subjects.crime import counts as pu

COLUMNS = ["serial", "baseline_count", "latest_count", "test", "p_value", "ci_low", "ci_high",
           "significant", "spc_variation", "statistical_note"]

#: metric wording -> police.uk measure with a monthly series (police.uk definitions, see
#: ``crime.narrative.DEFINITION_NOTE``); checked in this order
SERIES_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("shoplifting", "Shoplifting"),
    ("neighbourhood crime", "Neighbourhood crime"),
    ("burglary", "Burglary"),
    ("vehicle crime", "Vehicle crime"),
    ("theft from person", "Theft from the person"),
    ("theft from the person", "Theft from the person"),
    ("robbery", "Robbery"),
)
IMPROVEMENT = {"Increase": "increase", "Increase or maintain": "increase", "Decrease": "decrease",
               "Reduce": "decrease"}


def series_measure(metric: str, unit: str) -> str | None:
    """The police.uk measure whose monthly series matches a metric, if any."""
    if unit not in ("count", "rate_per_1000"):
        return None
    text = str(metric).lower()
    for key, measure in SERIES_KEYWORDS:
        if key in text:
            return measure
    return None


def _dec(v: Any) -> Decimal | None:
    if v is None or (not isinstance(v, Decimal) and pd.isna(v)):
        return None
    d = v if isinstance(v, Decimal) else Decimal(str(v))
    return None if d.is_nan() else d


def _count(rate: Decimal, population: int) -> int:
    return int((rate * population / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _series_context(data_dir: str | Path | None, quarter: Quarter | str | None) -> dict[str, Any]:
    """Monthly police.uk series up to the quarter (or the end of the data), or {} without data."""

    try:
        counts = pu.load_counts(data_dir)
    except Exception:  # no derived counts in this data folder: no series, no icons
        return {}
    end = pu.last_month(counts)
    if end is None:
        return {}
    if quarter is not None:
        end = min(end, Quarter.parse(quarter).months[-1])
    return {"counts": counts, "end": end}


def _spc_and_dispersion(ctx: dict[str, Any], measure: str, improvement: str) -> tuple[str | None, float, date | None]:

    s = pu.monthly_series(ctx["counts"], measure)
    s = s[[m <= ctx["end"] for m in s.index]]
    if not len(s):
        return None, 1.0, None
    r = xmr(s, improvement)
    return r.variation, estimate_dispersion(s.to_list()), max(s.index)


def _band_words(unit: str, within: bool | None) -> str:
    band = "±2pp" if unit == "percent" else "±5%"
    if within is None:
        return ""
    return f"inside the {band} band" if within else f"outside the {band} band"


def statistical_view(assessed: pd.DataFrame, data_dir: str | Path | None = None,
                     quarter: Quarter | str | None = None) -> pd.DataFrame:
    """One row per serial of the dashboard table: counts, test, p-value, confidence interval,
    significance, SPC icon and a plain-English note (see the module docstring).

    ``assessed`` needs at least serial, metric, unit, target, baseline, latest, change,
    pct_change, rag, within_tolerance. Rates per 1,000 are turned into approximate counts with
    the LLR population in ``reference/population.csv``; ``quarter`` limits the police.uk series
    used for SPC icons and over-dispersion.
    """

    population, basis = llr_population(data_dir)
    ctx = _series_context(data_dir, quarter)
    rows = []
    for _, m in assessed.iterrows():
        unit = str(m["unit"])
        base = latest = None
        if unit != "yes_no":
            base, latest = _dec(m["baseline"]), _dec(m["latest"])
        within = None if pd.isna(m.get("within_tolerance")) else bool(m["within_tolerance"])
        row: dict[str, Any] = {"serial": m["serial"], "baseline_count": None, "latest_count": None,
                               "test": None, "p_value": None, "ci_low": None, "ci_high": None,
                               "significant": None, "spc_variation": None, "statistical_note": ""}
        measure = series_measure(str(m["metric"]), unit)
        improvement = IMPROVEMENT.get(str(m["target"]), "neither")
        dispersion, series_end = 1.0, None
        if measure and ctx:
            row["spc_variation"], dispersion, series_end = _spc_and_dispersion(ctx, measure, improvement)
        if unit == "yes_no":
            row["test"] = "none (a completed / not completed measure)"
            row["statistical_note"] = "A yes/no measure: no statistical test applies."
            rows.append(row)
            continue
        if base is None or latest is None:
            row["statistical_note"] = "No test: the baseline or latest value is missing."
            rows.append(row)
            continue
        if unit in ("rate_per_1000", "count"):
            if unit == "rate_per_1000":
                b, lt = _count(base, population), _count(latest, population)
                counted = f"about {fmt_int(b)} → {fmt_int(lt)} from the rates"
            else:
                if base != base.to_integral_value() or latest != latest.to_integral_value():
                    row["statistical_note"] = "No test: the values are not whole counts."
                    rows.append(row)
                    continue
                b, lt = int(base), int(latest)
                counted = f"{fmt_int(b)} → {fmt_int(lt)}"
            row["baseline_count"], row["latest_count"] = b, lt
            if b == 0 and lt == 0:
                row["statistical_note"] = "Both counts are zero: nothing to test."
                rows.append(row)
                continue
            cmp = compare_rates(lt, 1.0, b, 1.0, dispersion=dispersion if b and lt else 1.0)
            row["test"] = (cmp.method + "; CI is of the rate ratio latest / baseline"
                           + ("" if dispersion > 1 else "; assumes Poisson variation"))
            row["p_value"], row["ci_low"], row["ci_high"] = cmp.p_value, cmp.ci_low, cmp.ci_high
            row["significant"] = cmp.significant
            change = "n/a" if m["pct_change"] is None or pd.isna(m["pct_change"]) else f"{float(m['pct_change']):+.1f}%"
            volume = f"{counted}; {fmt_p(cmp.p_value)}"
            if dispersion > 1 and b and lt:
                volume += f", allowing for month-to-month variation {dispersion:.1f}× chance"
        elif unit == "percent" and {"baseline_sample", "latest_sample"} <= set(assessed.columns) \
                and not pd.isna(m["baseline_sample"]) and not pd.isna(m["latest_sample"]):
            nb, nl = int(m["baseline_sample"]), int(m["latest_sample"])
            xb, xl = round(float(base) * nb / 100), round(float(latest) * nl / 100)
            cmp = compare_proportions(xl, nl, xb, nb)
            row["test"] = cmp.method + "; CI is of the difference latest - baseline in pp"
            row["p_value"], row["ci_low"], row["ci_high"] = cmp.p_value, cmp.ci_low, cmp.ci_high
            row["significant"] = cmp.significant
            change = f"{float(latest - base):+.1f}pp"
            volume = f"samples of {fmt_int(nb)} and {fmt_int(nl)}; {fmt_p(cmp.p_value)}"
        else:
            why = ("a survey percentage without its sample size" if unit == "percent"
                   else "not a count or a rate with a known population")
            row["statistical_note"] = f"No test: {why}."
            rows.append(row)
            continue
        row["statistical_note"] = _note(change, unit, within, bool(row["significant"]), volume,
                                        row["spc_variation"], measure, series_end)
        rows.append(row)
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["serial"] = out["serial"].astype("Int64")
    out["baseline_count"] = out["baseline_count"].astype("Int64")
    out["latest_count"] = out["latest_count"].astype("Int64")
    out["p_value"] = out["p_value"].astype("Float64")
    out["ci_low"] = out["ci_low"].astype("Float64")
    out["ci_high"] = out["ci_high"].astype("Float64")
    out["significant"] = out["significant"].astype("boolean")
    out["spc_variation"] = out["spc_variation"].astype("string")
    out["test"] = out["test"].astype("string")
    out["statistical_note"] = out["statistical_note"].astype("string")
    out.attrs["population_basis"] = basis
    return out


def _note(change: str, unit: str, within: bool | None, significant: bool, volume: str,
          variation: str | None, measure: str | None, series_end: date | None) -> str:
    band = _band_words(unit, within)
    if within is False and not significant:
        head = f"{change}, {band}, but not statistically significant at this volume"
    elif within is True and significant:
        head = f"{change}, {band}, but statistically significant at this volume"
    elif within is False:
        head = f"{change}, {band} and statistically significant"
    elif within is True:
        head = f"{change}, {band} and not statistically significant"
    else:
        head = f"{change}, {'statistically significant' if significant else 'not statistically significant'}"
    text = f"{head} ({volume})"
    if variation and measure and series_end:

        text += f"; police.uk monthly {measure.lower()} to {series_end:%B %Y}: {describe(variation)}"
    return text + "."
