"""Which CSP position to lead with for a quarter, and what to set beside it.

Positions are dated (as at a day), not monthly, and the published one (05/01/2026) falls
after the end of Q3 2025/26. So for a quarter the notebook leads with the latest position
as at a date up to the quarter's end (from the quarter folders up to that quarter), shows
what was drawn down within the quarter (against the previous position of the same year)
and the year to date, and sets the published position beside it, saying plainly whether
that position is within, before or after the quarter asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from pcp_lib.methods.periods import Quarter, fy_start_year
from pcp_lib.subjects.csp.position import spend_position
from pcp_lib.subjects.csp.spend import load_published, load_spend, position_at, positions


@dataclass(frozen=True)
class QuarterView:
    """The positions a quarter's page is built from."""

    quarter: Quarter
    series: pd.DataFrame  # every position up to the quarter (load_spend)
    lead_as_at: date | None  # latest position up to the quarter's end
    lead: pd.DataFrame | None  # spend_position of it
    lead_synthetic: bool
    previous_as_at: date | None  # the position before the lead, same financial year
    in_quarter: pd.DataFrame | None  # drawdown between previous and lead, per area and total
    year_earlier_as_at: date | None  # latest position up to the end of the same quarter a year earlier
    year_earlier: pd.DataFrame | None
    year_earlier_synthetic: bool
    published_as_at: date | None
    published: pd.DataFrame | None  # spend_position of the published figures
    published_relation: str | None  # "in the quarter", "before the quarter", "after the quarter"

    @property
    def lead_in_quarter(self) -> bool:
        return self.lead_as_at is not None and self.quarter.contains(self.lead_as_at)

    @property
    def lead_same_year(self) -> bool:
        return self.lead_as_at is not None and fy_start_year(self.lead_as_at) == self.quarter.fy

    @property
    def last_month(self) -> date | None:
        """First day of the month of the latest position (what ``report.coverage_note`` takes)."""
        return None if self.lead_as_at is None else self.lead_as_at.replace(day=1)


def _synthetic(series: pd.DataFrame, as_at: date | None) -> bool:
    if as_at is None:
        return False
    rows = position_at(series, as_at)
    return bool(rows["synthetic"].any())


def drawdown_between(series: pd.DataFrame, before: date | None, after: date) -> pd.DataFrame:
    """Per area (and total): spent to ``before`` (zero when None: the start of the year),
    spent to ``after``, and the drawdown between, in £."""
    late = position_at(series, after)
    early = position_at(series, before) if before is not None else None
    prior = dict(zip(early["csp_area"], early["expenditure"], strict=True)) if early is not None else {}
    rows = []
    for rec in late.to_dict("records"):
        b = prior.get(rec["csp_area"], Decimal("0.00"))
        rows.append({"csp_area": rec["csp_area"], "allocation": rec["allocation"], "spent_before": b,
                     "drawn_down": rec["expenditure"] - b, "spent_to_date": rec["expenditure"]})
    total = {"csp_area": "Total"}
    for c in ("allocation", "spent_before", "drawn_down", "spent_to_date"):
        total[c] = sum((r[c] for r in rows), Decimal("0.00"))
    out = pd.DataFrame([*rows, total])
    out["csp_area"] = out["csp_area"].astype("string")
    out.attrs.update(before=before, after=after)
    return out


def quarter_view(quarter: Quarter | str, data_dir: str | Path | None = None) -> QuarterView:
    """Everything the notebook needs for ``quarter`` (see the module docstring)."""
    q = Quarter.parse(quarter)
    series = load_spend(q, data_dir)
    dates = [d for d in positions(series) if d <= q.end]
    lead_as_at = dates[-1] if dates else None
    lead = spend_position(position_at(series, lead_as_at), lead_as_at) if lead_as_at else None
    prev = None
    in_q = None
    if lead_as_at is not None:
        same_year = [d for d in dates if d < lead_as_at and fy_start_year(d) == fy_start_year(lead_as_at)]
        prev = same_year[-1] if same_year else None
        in_q = drawdown_between(series, prev, lead_as_at)

    ye = q.year_earlier()
    ye_dates = [d for d in dates if d <= ye.end and fy_start_year(d) == ye.fy]
    ye_as_at = ye_dates[-1] if ye_dates else None
    ye_pos = spend_position(position_at(series, ye_as_at), ye_as_at) if ye_as_at else None

    pub = load_published(data_dir)
    pub_dates = positions(pub)
    upto = [d for d in pub_dates if d <= q.end]
    after = [d for d in pub_dates if q.end < d <= q.next().end]
    pub_as_at, relation = None, None
    if upto:
        pub_as_at = upto[-1]
        relation = "in the quarter" if q.contains(pub_as_at) else "before the quarter"
    elif after:
        pub_as_at, relation = after[0], "after the quarter"
    pub_pos = spend_position(position_at(pub, pub_as_at), pub_as_at) if pub_as_at else None
    return QuarterView(q, series, lead_as_at, lead, _synthetic(series, lead_as_at), prev, in_q, ye_as_at, ye_pos,
                       _synthetic(series, ye_as_at), pub_as_at, pub_pos, relation)


def drawdown_series(series: pd.DataFrame, fy: int) -> pd.DataFrame:
    """Tidy: one row per area (and "Total") per as-at date in financial year ``fy``: % spent,
    % of the year elapsed, and whether that position is synthetic. Starts at 1 April with
    nothing spent (allocations reset at the start of the year; ``start`` marks those rows,
    which are not positions anyone reported)."""
    rows = []
    dates = [d for d in positions(series) if fy_start_year(d) == fy]
    if not dates:
        return pd.DataFrame(columns=["csp_area", "as_at", "pct_spent", "pct_year_elapsed", "synthetic", "start"])
    first = position_at(series, dates[0])
    for a in [*first["csp_area"], "Total"]:
        rows.append({"csp_area": a, "as_at": date(fy, 4, 1), "pct_spent": Decimal(0),
                     "pct_year_elapsed": Decimal(0), "synthetic": False, "start": True})
    for d in dates:
        pos = spend_position(position_at(series, d), d)
        syn = _synthetic(series, d)
        for rec in pos.to_dict("records"):
            rows.append({"csp_area": rec["csp_area"], "as_at": d, "pct_spent": rec["pct_spent"],
                         "pct_year_elapsed": rec["pct_year_elapsed"], "synthetic": syn, "start": False})
    out = pd.DataFrame(rows)
    return out.astype({"csp_area": "string", "pct_spent": "object", "pct_year_elapsed": "object",
                       "synthetic": "bool", "start": "bool"})
