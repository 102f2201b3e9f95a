"""Which CSP positions a quarter's page uses, and the drawdown between them.

Positions are dated (as at a day), not monthly, and the published one (05/01/2026) falls
after the end of Q3 2025/26. So for a quarter the page leads with the latest position as at
a date up to the quarter's end, shows what was drawn down within the quarter (against the
previous position of the same year) and the year to date, and sets the published position
beside it, saying plainly whether that position is within, before or after the quarter.

Each position is a table carrying the provenance of its own file
(``spend.load_positions``), so what is built from it can say whether it is synthetic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

import pandas as pd

from pcp_lib.core.provenance import attach, combine, provenance_of
from pcp_lib.methods.periods import Quarter, fy_start_year
from pcp_lib.subjects.csp.position import spend_position

__all__ = ["AFTER", "BEFORE", "WITHIN", "drawdown_between", "drawdown_series", "latest_up_to",
           "previous_in_year", "published_for", "year_earlier_of"]

WITHIN, BEFORE, AFTER = "in the quarter", "before the quarter", "after the quarter"


def latest_up_to(dates: Iterable[date], quarter: Quarter) -> date | None:
    """The latest as-at date up to the quarter's end (None when there is none)."""
    upto = [d for d in dates if d <= quarter.end]
    return max(upto) if upto else None


def previous_in_year(dates: Iterable[date], as_at: date) -> date | None:
    """The position before ``as_at`` in the same financial year (None: ``as_at`` is the year's first)."""
    same = [d for d in dates if d < as_at and fy_start_year(d) == fy_start_year(as_at)]
    return max(same) if same else None


def year_earlier_of(dates: Iterable[date], quarter: Quarter) -> date | None:
    """The latest position up to the end of the same quarter a year earlier, in that year."""
    ye = quarter.year_earlier()
    found = [d for d in dates if d <= ye.end and fy_start_year(d) == ye.fy]
    return max(found) if found else None


def published_for(dates: Iterable[date], quarter: Quarter) -> tuple[date | None, str | None]:
    """The published position to set beside a quarter, and where it falls: the latest up to
    the quarter's end (within or before it), else the first in the quarter after."""
    ds = sorted(dates)
    upto = [d for d in ds if d <= quarter.end]
    if upto:
        return upto[-1], WITHIN if quarter.contains(upto[-1]) else BEFORE
    after = [d for d in ds if quarter.end < d <= quarter.next().end]
    return (after[0], AFTER) if after else (None, None)


def drawdown_between(before: pd.DataFrame | None, after: pd.DataFrame) -> pd.DataFrame:
    """Per area (and total): spent at the ``before`` position (zero when None: the start of
    the year), spent at the ``after`` position, and the drawdown between, in £. Carries the
    combined provenance of both positions; ``attrs`` ``before`` and ``after`` are their dates."""
    prior = dict(zip(before["csp_area"], before["expenditure"], strict=True)) if before is not None else {}
    rows = []
    for rec in after.to_dict("records"):
        b = prior.get(rec["csp_area"], Decimal("0.00"))
        rows.append({"csp_area": rec["csp_area"], "allocation": rec["allocation"], "spent_before": b,
                     "drawn_down": rec["expenditure"] - b, "spent_to_date": rec["expenditure"]})
    total: dict[str, object] = {"csp_area": "Total"}
    for c in ("allocation", "spent_before", "drawn_down", "spent_to_date"):
        total[c] = sum((r[c] for r in rows), Decimal("0.00"))
    out = pd.DataFrame([*rows, total])
    out["csp_area"] = out["csp_area"].astype("string")
    used = [after] if before is None else [before, after]
    attach(out, combine(provenance_of(p) for p in used))
    out.attrs.update(before=None if before is None else before["as_at"].iloc[0], after=after["as_at"].iloc[0])
    return out


def drawdown_series(by_date: Mapping[date, pd.DataFrame], fy: int) -> pd.DataFrame:
    """Tidy: one row per area (and "Total") per position of financial year ``fy``: % spent and
    % of the year elapsed (float64), and whether that position is a synthetic sample (from its
    provenance: the chart draws those markers hollow). Starts at 1 April with nothing spent
    (allocations reset at the start of the year; ``start`` marks those rows, which are not
    positions anyone reported). Carries the combined provenance of the positions used."""
    cols = ["csp_area", "as_at", "pct_spent", "pct_year_elapsed", "synthetic", "start"]
    dates = sorted(d for d in by_date if fy_start_year(d) == fy)
    if not dates:
        return pd.DataFrame(columns=cols)
    rows = [{"csp_area": a, "as_at": date(fy, 4, 1), "pct_spent": 0.0, "pct_year_elapsed": 0.0,
             "synthetic": False, "start": True} for a in [*by_date[dates[0]]["csp_area"], "Total"]]
    for d in dates:
        syn = provenance_of(by_date[d]).synthetic
        for rec in spend_position(by_date[d], d).to_dict("records"):
            rows.append({"csp_area": rec["csp_area"], "as_at": d, "pct_spent": rec["pct_spent"],
                         "pct_year_elapsed": rec["pct_year_elapsed"], "synthetic": syn, "start": False})
    out = pd.DataFrame(rows, columns=cols).astype({"csp_area": "string", "pct_spent": "float64",
                                                   "pct_year_elapsed": "float64", "synthetic": "bool",
                                                   "start": "bool"})
    return attach(out, combine(provenance_of(by_date[d]) for d in dates))
