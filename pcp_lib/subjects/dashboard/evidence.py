"""The statistical view beside the agreed RAG: counts, significance and SPC for each metric.

The Panel asked for numbers as well as percentages ("small numbers make large percentages
misleading") and whether shoplifting moving from 7.6 to 8.0 per 1,000 was a real change
(004_2d2b44c158357b88.txt, points i and ii). The agreed band stays the official RAG rule;
``statistical_view`` adds, for every metric with counts or a monthly series:

- what the metric is, statistically (its ``kind`` in the register): a test runs only where the
  kind supports one; otherwise the view says "not tested" and why ("not tested: a number of
  officers, not a count of events");
- the counts beside every count and rate (a rate's counts are approximate: rate × LLR
  population / 1,000, and marked so);
- for a count or rate with a police.uk monthly series of its own: a test of latest against
  baseline whose variance is that series' own, measured by ``stats.compare_quarter`` (the
  variance of its latest full quarter against a year earlier, as a factor × Poisson with its
  degrees of freedom), said where it comes from (``stats.compare_totals``). A count or rate
  with no series is not tested: no factor is borrowed silently, and Poisson variation alone
  would overstate the evidence. A survey percentage is tested (difference in proportions) only
  with its sample sizes (columns ``baseline_sample`` / ``latest_sample``);
- Benjamini-Hochberg adjusted p-values across the dashboard's tests (one family): a change is
  called "evidence of a change" only when its adjusted p is below 5%;
- the SPC variation icon of the matching police.uk monthly series (``pcp_lib.methods.spc``, by
  the preset in reference data). No dashboard metric has a numeric target (they are directions:
  "Increase", "Reduce"), so there is no assurance icon here;
- one plain-English sentence, which says so where the agreed rule and the statistics disagree.

The police.uk monthly counts are optional: a data folder without them (``load_series`` gives
None) gets no tests of counts or rates and no SPC readings, and the page says so. A counts file
that is there but wrong is an error, never a quiet switch to another test.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.methods.parsing import to_decimal
from pcp_lib.methods.periods import Quarter
from pcp_lib.methods.spc import describe, xmr
from pcp_lib.methods.stats import (
    Comparison,
    compare_proportions,
    compare_quarter,
    compare_totals,
    fdr_adjust,
    fmt_p,
)
from pcp_lib.methods.units import fmt_change, fmt_count, fmt_number, is_missing, round_half_up
from pcp_lib.subjects.crime.counts import (
    counts_path,
    last_month,
    latest_full_quarter,
    load_counts,
    monthly_series,
)

__all__ = ["COLUMNS", "IMPROVEMENT", "SERIES_KEYWORDS", "approx_count", "load_series", "series_measure",
           "statistical_view"]

COLUMNS = ["serial", "kind", "baseline_count", "latest_count", "counts_approximate", "test", "estimate", "ci_low",
           "ci_high", "p_value", "p_adjusted", "significant", "evidence", "spc_variation", "dispersion",
           "dispersion_method", "df", "untested", "statistical_note"]
#: the units a metric's kind falls back to when a table carries no ``kind`` column
_KIND_OF_UNIT = {"yes_no": "yes_no", "percent": "proportion", "rate_per_1000": "rate", "count": "count",
                 "value": "quantity"}

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


def _spc_and_variance(counts: pd.DataFrame, end: date, measure: str, improvement: str,
                      rules: str, changes: Sequence[date] = ()) -> tuple[str | None, Comparison | None, date | None]:
    """The SPC icon of the measure's police.uk series up to ``end`` (limits recalculated at its
    known ``changes``), and ``compare_quarter`` of its latest full quarter (whose dispersion and
    degrees of freedom the dashboard's test uses)."""
    s = monthly_series(counts, measure)
    s = s[s.index <= pd.Timestamp(end)]
    if not len(s):
        return None, None, None
    # limits recalculated at the measure's known change points, as on the crime page
    starts = {next((m for m in s.index if m >= pd.Timestamp(d)), None) for d in changes} - {None, s.index[0]}
    r = xmr(s, improvement, rules=rules, recalc_at=sorted(starts) or None)
    q = latest_full_quarter(counts, Quarter.containing(end))
    cmp = compare_quarter(s, q) if q is not None else None
    return r.variation, cmp, s.index.max().date()


def _band_words(band: str, within: bool | None) -> str:
    """"inside the ±5% band": the band the RAG rule judged the metric by (its ``band`` column)."""
    if within is None or not band:
        return ""
    return f"inside the {band} band" if within else f"outside the {band} band"


def _kind(m: pd.Series) -> str:
    kind = m.get("kind")
    return str(kind) if kind is not None and not is_missing(kind) else _KIND_OF_UNIT.get(str(m["unit"]), "quantity")


def _untested(kind: str, m: pd.Series) -> str | None:
    """Why a metric of this kind is not tested at all (None: its kind supports a test)."""
    if kind == "yes_no":
        return "not tested: yes or no (done or not done), not a count of events"
    if kind == "quantity":
        what = m.get("quantity_of")
        return f"not tested: {what if what is not None and not is_missing(what) else 'a quantity'}, " \
               "not a count of events"
    return None


def statistical_view(assessed: pd.DataFrame, population: int, counts: pd.DataFrame | None = None,
                     quarter: Quarter | str | None = None, rules: str = "mdc",
                     changes: Mapping[str, Sequence[date]] | None = None) -> pd.DataFrame:
    """One row per serial of the dashboard table: its kind, counts, test, rate ratio (or
    difference in pp) with its interval, raw and adjusted p-value, SPC icon and a plain-English
    note (see the module docstring).

    ``assessed`` needs at least serial, metric, unit, target, baseline, latest, rag,
    within_tolerance and band (the range the rule used, "±5%"; values exactly from ``*_published`` columns when present; ``kind`` and
    ``quantity_of`` from the register, else the kind follows the unit). Rates per 1,000 become
    approximate counts with ``population`` (LLR's); ``counts`` are the police.uk monthly counts
    (``load_series``; None: no count or rate is tested and there are no SPC readings), used up
    to the end of ``quarter`` for SPC icons (by the ``rules`` preset) and for the variance of
    each test: ``dispersion`` is the factor it used, ``dispersion_method`` where it comes from,
    ``df`` its degrees of freedom. ``significant`` is raw p < 5%; ``evidence`` is the
    Benjamini-Hochberg adjusted p (``p_adjusted``, across this view's tests) < 5%.
    ``untested``: why a metric is not tested, in a few words for a table cell (None when it is).
    ``changes``: the known change points (months) of each police.uk measure, where its SPC
    limits are recalculated (``reference.spc_change_points``).
    """
    end = _series_end(counts, quarter)
    rows = []
    tests: dict[int, Comparison] = {}
    for i, (_, m) in enumerate(assessed.iterrows()):
        unit = str(m["unit"])
        kind = _kind(m)
        base = latest = None
        if unit != "yes_no":
            base, latest = _exact(m, "baseline"), _exact(m, "latest")
        row: dict[str, Any] = dict.fromkeys(COLUMNS)
        row.update({"serial": m["serial"], "kind": kind, "statistical_note": ""})
        measure = series_measure(str(m["metric"]), unit)
        improvement = IMPROVEMENT.get(str(m["target"]), "neither")
        source: Comparison | None = None
        series_end = None
        if measure and counts is not None and end is not None:
            row["spc_variation"], source, series_end = _spc_and_variance(counts, end, measure, improvement, rules,
                                                                         (changes or {}).get(measure, ()))
        row["_measure"], row["_series_end"] = measure, series_end
        rows.append(row)
        why = _untested(kind, m)
        if why is None and (base is None or latest is None):
            why = "not tested: the baseline or latest value is missing"
        if why is None and kind in ("count", "rate"):
            assert base is not None and latest is not None  # else why says so (above)
            if kind == "rate" or unit == "rate_per_1000":
                b, lt = approx_count(base, population), approx_count(latest, population)
                row["counts_approximate"] = True
            elif base != base.to_integral_value() or latest != latest.to_integral_value():
                b = lt = None
                odd = base if base != base.to_integral_value() else latest
                why = f"not tested: the values are not whole counts ({format(odd.normalize(), 'f')} is an average)"
            else:
                b, lt = int(base), int(latest)
                row["counts_approximate"] = False
            if why is None:
                assert b is not None and lt is not None
                row["baseline_count"], row["latest_count"] = b, lt
                if b == 0 and lt == 0:
                    why = "not tested: both counts are zero"
                elif measure is None or source is None:
                    why = ("not tested: no monthly series of its own to measure how much it varies (a test "
                           "assuming Poisson variation alone would overstate the evidence)")
                elif not source.tested:
                    why = f"not tested: police.uk monthly {measure.lower()}: {source.reason.removeprefix('not tested: ')}"
                else:
                    cmp = compare_totals(lt, 1.0, b, 1.0, dispersion=source.dispersion, df=source.df, source=(
                        f"police.uk monthly {measure.lower()} (LLR), the nearest series to this metric: the variance "
                        f"of its latest full quarter against a year earlier (to {series_end:%B %Y}), "
                        f"{source.dispersion_method}"))
                    tests[i] = cmp
                    row["test"] = cmp.method + "; CI is of the rate ratio latest / baseline"
        elif why is None and kind == "proportion":
            assert base is not None and latest is not None  # else why says so (above)
            if {"baseline_sample", "latest_sample"} <= set(assessed.columns) \
                    and not is_missing(m["baseline_sample"]) and not is_missing(m["latest_sample"]):
                nb, nl = int(m["baseline_sample"]), int(m["latest_sample"])
                xb, xl = int(round_half_up(base * nb / 100)), int(round_half_up(latest * nl / 100))
                cmp = compare_proportions(xl, nl, xb, nb)
                tests[i] = cmp
                row["test"] = cmp.method + "; CI is of the difference latest - baseline in pp"
                row["_samples"] = (nb, nl)
            else:
                why = "not tested: a proportion without its sample size"
        if why is not None:
            row["test"] = "none"
            row["untested"] = why.split(" (")[0] if len(why) > 80 else why  # short, for a table cell
            row["statistical_note"] = why[0].upper() + why[1:] + "."
    adjusted = fdr_adjust([tests[i].p_value for i in sorted(tests)])
    n_tests = len(tests)
    for (i, cmp), q in zip(sorted(tests.items()), adjusted, strict=True):
        row, m = rows[i], assessed.iloc[i]
        row.update({"estimate": cmp.estimate, "ci_low": cmp.ci_low, "ci_high": cmp.ci_high, "p_value": cmp.p_value,
                    "p_adjusted": q, "significant": cmp.significant, "evidence": q < cmp.alpha,
                    "dispersion": cmp.dispersion, "dispersion_method": cmp.dispersion_method or None,
                    "df": None if math.isinf(cmp.df) else cmp.df})
        within = None if is_missing(m.get("within_tolerance")) else bool(m["within_tolerance"])
        base, latest = _exact(m, "baseline"), _exact(m, "latest")
        change = fmt_change(base, latest, str(m["unit"]), places=1)
        if cmp.measure == "rate ratio":
            about = "about " if row["counts_approximate"] else ""
            volume = (f"{about}{fmt_count(row['baseline_count'])} → {fmt_count(row['latest_count'])}; rate ratio "
                      f"{cmp.interval()}; {fmt_p(cmp.p_value)}, adjusted {_p_words(q)} across the dashboard's "
                      f"{n_tests} tests; variance {fmt_number(cmp.dispersion, 1)}× Poisson, from police.uk monthly "
                      f"{str(row['_measure']).lower()}")
        else:
            nb, nl = row["_samples"]
            volume = (f"samples of {fmt_count(nb)} and {fmt_count(nl)}; difference {cmp.interval(1)} pp; "
                      f"{fmt_p(cmp.p_value)}, adjusted {_p_words(q)} across the dashboard's {n_tests} tests")
        row["statistical_note"] = _note(change, str(m["band"]), within, bool(row["evidence"]), volume,
                                        row["spc_variation"], row["_measure"], row["_series_end"])
    for row in rows:
        if row["test"] == "none" and row["spc_variation"] and row["_measure"] and row["_series_end"]:
            row["statistical_note"] += (f" police.uk monthly {row['_measure'].lower()} to "
                                        f"{row['_series_end']:%B %Y}: {describe(row['spc_variation'])}.")
    out = pd.DataFrame([{c: r[c] for c in COLUMNS} for r in rows], columns=COLUMNS)
    return out.astype({"serial": "Int64", "kind": "string", "baseline_count": "Int64", "latest_count": "Int64",
                       "counts_approximate": "boolean", "estimate": "Float64", "p_value": "Float64",
                       "p_adjusted": "Float64", "ci_low": "Float64", "ci_high": "Float64", "significant": "boolean",
                       "evidence": "boolean", "spc_variation": "string", "dispersion": "Float64",
                       "dispersion_method": "string", "df": "Float64", "test": "string", "untested": "string",
                       "statistical_note": "string"})


def _p_words(q: float) -> str:
    """An adjusted p-value in words ("p = 0.21", "p < 0.001")."""
    return fmt_p(q)


def _note(change: str, band_text: str, within: bool | None, evidence: bool, volume: str,
          variation: str | None, measure: str | None, series_end: date | None) -> str:
    band = _band_words(band_text, within)
    said = "evidence of a change" if evidence else "no evidence of a change at this volume"
    disagree = within is not None and within == evidence  # outside the band without evidence, or inside with it
    head = f"{change}, {band}{', but ' if disagree else ' and '}{said}" if band else f"{change}, {said}"
    text = f"{head} ({volume})"
    if variation and measure and series_end:
        text += f"; police.uk monthly {measure.lower()} to {series_end:%B %Y}: {describe(variation)}"
    return text + "."
