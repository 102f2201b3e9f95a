"""The statistical view beside the agreed RAG: counts, significance and SPC for each metric.

The Panel asked for numbers as well as percentages ("small numbers make large percentages
misleading") and whether shoplifting moving from 7.6 to 8.0 per 1,000 was a real change
(004_2d2b44c158357b88.txt, points i and ii). The agreed band stays the official RAG rule;
``statistical_view`` adds, for every metric with counts or a monthly series:

- approximate counts behind rates per 1,000 (rate × LLR population / 1,000) or the counts
  themselves;
- a significance test of latest against baseline (``pcp_lib.methods.stats``): Poisson rate ratio for
  counts and rates, allowing for over-dispersion measured from the police.uk monthly series
  where one exists (its month-to-month noise, ``stats.estimate_dispersion``; the factor and
  how it was measured are columns of the view); difference in proportions for survey percentages when sample sizes are
  given (columns ``baseline_sample`` / ``latest_sample``);
- the SPC variation icon of the matching police.uk monthly series (``pcp_lib.methods.spc``, by
  the preset in reference data). No dashboard metric has a numeric target (they are directions:
  "Increase", "Reduce"), so there is no assurance icon here;
- one plain-English sentence, which says so where the agreed rule and the statistics disagree.

The police.uk monthly counts are optional: a data folder without them (``load_series`` gives
None) gets tests that assume Poisson variation and no SPC readings, and the page says so.
A counts file that is there but wrong is an error, never a quiet switch to the Poisson
test: that switch alone moves the shoplifting case from p = 0.11 to p < 0.001.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.methods.parsing import to_decimal
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.spc import describe, xmr
from pcp_lib.methods.stats import Dispersion, compare_proportions, compare_rates, estimate_dispersion, fmt_p
from pcp_lib.methods.units import fmt_change, fmt_count, fmt_number, is_missing, round_half_up
from pcp_lib.subjects.crime.counts import counts_path, last_month, load_counts, monthly_series

__all__ = ["COLUMNS", "IMPROVEMENT", "SERIES_KEYWORDS", "approx_count", "load_series", "series_measure",
           "statistical_view"]

COLUMNS = ["serial", "baseline_count", "latest_count", "test", "p_value", "ci_low", "ci_high",
           "significant", "spc_variation", "dispersion", "dispersion_method", "statistical_note"]

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


def load_series(data_dir: str | Path | None = None) -> pd.DataFrame | None:
    """The police.uk monthly counts, or None when the data folder has none (the one expected
    absence). A file that is there is read and validated: a bad row anywhere in it, even in
    another force's counts, is a ``DataError`` naming file, row and column."""
    if not counts_path(data_dir).exists():
        return None
    return load_counts(data_dir)


def series_measure(metric: str, unit: str) -> str | None:
    """The police.uk measure whose monthly series matches a metric, if any."""
    if unit not in ("count", "rate_per_1000"):
        return None
    text = str(metric).lower()
    for key, measure in SERIES_KEYWORDS:
        if key in text:
            return measure
    return None


def approx_count(rate: Any, population: int) -> int | None:
    """The count behind a rate per 1,000 (rate × population / 1,000, rounded half up)."""
    d = to_decimal(rate)
    return None if d is None else int(round_half_up(d * population / 1000))


def _exact(m: pd.Series, name: str) -> Decimal | None:
    """A value exactly: from the published text when the table has it ("7.60"), else the number."""
    published = m.get(f"{name}_published")
    value = published if published is not None and not is_missing(published) else m[name]
    return None if is_missing(value) else to_decimal(value)  # missing includes a Decimal NaN


def _series_end(counts: pd.DataFrame | None, quarter: Quarter | str | None) -> date | None:
    """The last month of the police.uk series to use: the end of the data or of the quarter."""
    if counts is None:
        return None
    end = last_month(counts)
    if end is None or quarter is None:
        return end
    return min(end, Quarter.parse(quarter).months[-1])


def _spc_and_dispersion(counts: pd.DataFrame, end: date, measure: str, improvement: str,
                        rules: str, changes: Sequence[date] = ()) -> tuple[str | None, Dispersion | None, date | None]:
    s = monthly_series(counts, measure)
    s = s[[m <= end for m in s.index]]
    if not len(s):
        return None, None, None
    # limits recalculated at the measure's known change points, as on the crime page
    starts = {next((m for m in s.index if m >= d), None) for d in changes} - {None, s.index[0]}
    r = xmr(s, improvement, rules=rules, recalc_at=sorted(starts) or None)
    return r.variation, estimate_dispersion(s.to_list()), max(s.index)


def _band_words(band: str, within: bool | None) -> str:
    """"inside the ±5% band": the band the RAG rule judged the metric by (its ``band`` column)."""
    if within is None or not band:
        return ""
    return f"inside the {band} band" if within else f"outside the {band} band"


def statistical_view(assessed: pd.DataFrame, population: int, counts: pd.DataFrame | None = None,
                     quarter: Quarter | str | None = None, rules: str = "mdc",
                     changes: Mapping[str, Sequence[date]] | None = None) -> pd.DataFrame:
    """One row per serial of the dashboard table: counts, test, p-value, confidence interval,
    significance, SPC icon and a plain-English note (see the module docstring).

    ``assessed`` needs at least serial, metric, unit, target, baseline, latest, rag,
    within_tolerance and band (the range the rule used, "±5%"; values exactly from
    ``*_published`` columns when present). Rates per
    1,000 become approximate counts with ``population`` (LLR's); ``counts`` are the police.uk
    monthly counts (``load_series``; None: Poisson tests and no SPC), used up to the end of
    ``quarter`` for SPC icons (by the ``rules`` preset) and over-dispersion: ``dispersion`` is
    the factor each test used (1: Poisson), ``dispersion_method`` how it was measured;
    ``changes``: the known change points (months) of each police.uk measure, where its SPC
    limits are recalculated (``reference.spc_change_points``).
    """
    end = _series_end(counts, quarter)
    rows = []
    for _, m in assessed.iterrows():
        unit = str(m["unit"])
        base = latest = None
        if unit != "yes_no":
            base, latest = _exact(m, "baseline"), _exact(m, "latest")
        within = None if is_missing(m.get("within_tolerance")) else bool(m["within_tolerance"])
        row: dict[str, Any] = {"serial": m["serial"], "baseline_count": None, "latest_count": None,
                               "test": None, "p_value": None, "ci_low": None, "ci_high": None,
                               "significant": None, "spc_variation": None, "dispersion": None,
                               "dispersion_method": None, "statistical_note": ""}
        measure = series_measure(str(m["metric"]), unit)
        improvement = IMPROVEMENT.get(str(m["target"]), "neither")
        disp: Dispersion | None = None
        series_end = None
        if measure and counts is not None and end is not None:
            row["spc_variation"], disp, series_end = _spc_and_dispersion(counts, end, measure, improvement, rules,
                                                                         (changes or {}).get(measure, ()))
        dispersion = disp.factor if disp else 1.0
        if unit == "yes_no":
            row["test"] = "none (a completed / not completed measure)"
            row["statistical_note"] = "A yes/no measure: no statistical test applies."
            rows.append(row)
            continue
        if base is None or latest is None:
            row["statistical_note"] = "No test: the baseline or latest value is missing."
            rows.append(row)
            continue
        change = fmt_change(base, latest, unit, places=1)
        if unit in ("rate_per_1000", "count"):
            if unit == "rate_per_1000":
                b, lt = approx_count(base, population), approx_count(latest, population)
                counted = f"about {fmt_count(b)} → {fmt_count(lt)} from the rates"
            else:
                if base != base.to_integral_value() or latest != latest.to_integral_value():
                    row["statistical_note"] = "No test: the values are not whole counts."
                    rows.append(row)
                    continue
                b, lt = int(base), int(latest)
                counted = f"{fmt_count(b)} → {fmt_count(lt)}"
            assert b is not None and lt is not None  # base and latest are there (checked above)
            row["baseline_count"], row["latest_count"] = b, lt
            if b == 0 and lt == 0:
                row["statistical_note"] = "Both counts are zero: nothing to test."
                rows.append(row)
                continue
            used = dispersion if b and lt else 1.0
            row["dispersion"] = used
            row["dispersion_method"] = disp.method if disp and used > 1 else "none: Poisson variation assumed"
            cmp = compare_rates(lt, 1.0, b, 1.0, dispersion=used)
            row["test"] = (cmp.method + "; CI is of the rate ratio latest / baseline"
                           + ("" if dispersion > 1 else "; assumes Poisson variation"))
            row["p_value"], row["ci_low"], row["ci_high"] = cmp.p_value, cmp.ci_low, cmp.ci_high
            row["significant"] = cmp.significant
            volume = f"{counted}; {fmt_p(cmp.p_value)}"
            if dispersion > 1 and b and lt:
                volume += f", allowing for month-to-month variation {fmt_number(dispersion, 1)}× chance"
        elif unit == "percent" and {"baseline_sample", "latest_sample"} <= set(assessed.columns) \
                and not is_missing(m["baseline_sample"]) and not is_missing(m["latest_sample"]):
            nb, nl = int(m["baseline_sample"]), int(m["latest_sample"])
            xb, xl = int(round_half_up(base * nb / 100)), int(round_half_up(latest * nl / 100))
            cmp = compare_proportions(xl, nl, xb, nb)
            row["test"] = cmp.method + "; CI is of the difference latest - baseline in pp"
            row["p_value"], row["ci_low"], row["ci_high"] = cmp.p_value, cmp.ci_low, cmp.ci_high
            row["significant"] = cmp.significant
            volume = f"samples of {fmt_count(nb)} and {fmt_count(nl)}; {fmt_p(cmp.p_value)}"
        else:
            why = ("a survey percentage without its sample size" if unit == "percent"
                   else "not a count or a rate with a known population")
            row["statistical_note"] = f"No test: {why}."
            rows.append(row)
            continue
        row["statistical_note"] = _note(change, str(m["band"]), within, bool(row["significant"]), volume,
                                        row["spc_variation"], measure, series_end)
        rows.append(row)
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({"serial": "Int64", "baseline_count": "Int64", "latest_count": "Int64",
                       "p_value": "Float64", "ci_low": "Float64", "ci_high": "Float64", "significant": "boolean",
                       "spc_variation": "string", "dispersion": "Float64", "dispersion_method": "string",
                       "test": "string", "statistical_note": "string"})


def _note(change: str, band_text: str, within: bool | None, significant: bool, volume: str,
          variation: str | None, measure: str | None, series_end: date | None) -> str:
    band = _band_words(band_text, within)
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
