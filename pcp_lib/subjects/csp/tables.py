"""CSP tables as shown on the page: money as £ with pence, shares as % and gaps as pp.

Formatting lives here (display only: the analysis frames stay numeric) and every column
says its unit: "% spent" is a share, "spend against profile (pp)" a difference of two shares
in percentage points, never a percent change. Areas are shown by the short names the
published table prints (``names``: canonical -> short; the project's reference list when None).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pandas as pd

from pcp_lib.methods.units import fmt_money, fmt_percent, fmt_pp, pp_change
from pcp_lib.reference.csp_areas import short_names
from pcp_lib.subjects.csp.position import STATUS_SYMBOLS

Names = Mapping[str, str] | None


def signed_money(d: Decimal) -> str:
    """"+£2,359.01" / "-£4,174.69": a difference in pounds, with its sign."""
    return ("+" if d > 0 else "") + fmt_money(d)


def _area(name: str, names: Names) -> str:
    shown = short_names() if names is None else names
    return shown.get(name, name)


def status_label(status: str) -> str:
    """"● behind profile": symbol and word, so status never rests on colour."""
    return f"{STATUS_SYMBOLS.get(status, '')} {status}".strip()


def published(position: pd.DataFrame, names: Names = None) -> pd.DataFrame:
    """The published table as printed (areas by their published names, "Nil" for zero),
    with the total row the paper does not print."""
    fy = position.attrs["year"].fy_label.replace("/", "-")
    rows = []
    for r in position.to_dict("records"):
        rows.append({"CSP Area": _area(r["csp_area"], names),
                     f"{fy} Allocations": fmt_money(r["allocation"], nil=True),
                     f"{fy} Expenditure": fmt_money(r["expenditure"], nil=True),
                     f"{fy} Remaining CSP Balance": fmt_money(r["remaining"], nil=True)})
    return pd.DataFrame(rows).astype("string")


def _spent(r: dict, names: Names) -> dict[str, str]:
    """The columns every spend table starts with: the area, its allocation and what it has spent."""
    return {"CSP area": _area(r["csp_area"], names), "Allocation": fmt_money(r["allocation"]),
            "Expenditure to date": fmt_money(r["expenditure"])}


def position(pos: pd.DataFrame, names: Names = None) -> pd.DataFrame:
    """Spend against the year's profile, per area and in total."""
    rows = []
    for r in pos.to_dict("records"):
        rows.append({
            **_spent(r, names),
            "Remaining": fmt_money(r["remaining"]),
            "% spent": fmt_percent(r["pct_spent"]),
            "% of year elapsed": fmt_percent(r["pct_year_elapsed"]),
            "Spend against profile (pp)": fmt_pp(r["spend_vs_profile_pp"]),
            "Spend against profile (£)": signed_money(r["spend_vs_profile"]),
            "Status": "" if r["is_total"] else status_label(r["status"]),
        })
    return pd.DataFrame(rows).astype("string")


def projection(pos: pd.DataFrame, names: Names = None) -> pd.DataFrame:
    """Projected year-end spend at the current run rate (capped at the allocation)."""
    ye = pos.attrs["year"]
    rows = []
    for r in pos.to_dict("records"):
        rows.append({
            **_spent(r, names),
            f"Run rate to {ye.year_end:%d/%m/%Y} (uncapped)": fmt_money(r["run_rate_year_end"]),
            f"Projected spend by {ye.year_end:%d/%m/%Y}": fmt_money(r["projected_year_end"]),
            "Projected underspend": fmt_money(r["projected_underspend"]),
        })
    return pd.DataFrame(rows).astype("string")


def flagged(pos: pd.DataFrame, names: Names = None) -> pd.DataFrame:
    """Areas flagged, with the reason in words and figures."""
    rows = [{"CSP area": _area(r["csp_area"], names), "Flag": status_label(r["status"]), "Reason": r["reason"]}
            for r in pos.to_dict("records") if r["flagged"] and not r["is_total"]]
    return pd.DataFrame(rows, columns=["CSP area", "Flag", "Reason"]).astype("string")


def in_quarter(drawdown: pd.DataFrame, quarter_label: str, names: Names = None) -> pd.DataFrame:
    """Drawdown within the quarter and the year to date, per area."""
    before, after = drawdown.attrs["before"], drawdown.attrs["after"]
    start = f"Spent to {before:%d/%m/%Y}" if before else "Spent before the year began"
    rows = []
    for r in drawdown.to_dict("records"):
        rows.append({"CSP area": _area(r["csp_area"], names), "Allocation": fmt_money(r["allocation"]),
                     start: fmt_money(r["spent_before"]),
                     f"Drawn down in {quarter_label} (to {after:%d/%m/%Y})": fmt_money(r["drawn_down"]),
                     f"Year to date (to {after:%d/%m/%Y})": fmt_money(r["spent_to_date"])})
    return pd.DataFrame(rows).astype("string")


def compare_positions(now: pd.DataFrame, before: pd.DataFrame, names: Names = None) -> pd.DataFrame:
    """% spent now against % spent at the earlier position, per area (change in pp)."""
    b = {r["csp_area"]: r for r in before.to_dict("records")}
    rows = []
    for r in now.to_dict("records"):
        o = b.get(r["csp_area"])
        rows.append({"CSP area": _area(r["csp_area"], names),
                     f"% spent at {now.attrs['as_at']:%d/%m/%Y}": fmt_percent(r["pct_spent"]),
                     f"% spent at {before.attrs['as_at']:%d/%m/%Y}": fmt_percent(o["pct_spent"]) if o else "n/a",
                     "Change (pp)": fmt_pp(pp_change(o["pct_spent"], r["pct_spent"])) if o else "n/a"})
    return pd.DataFrame(rows).astype("string")


def projects_by_area(tagged: pd.DataFrame, names: Names = None) -> pd.DataFrame:
    """Every project with its area and priority, in Appendix One order."""
    out = pd.DataFrame({"Area": [_area(a, names) for a in tagged["csp_area"]], "Project": tagged["project"],
                        "Priority": tagged["priority"]})
    return out.astype("string")


def tagging(tagged: pd.DataFrame, names: Names = None) -> pd.DataFrame:
    """How each project was tagged: the rule, the words it matched and why (for review)."""
    out = pd.DataFrame({
        "Project": tagged["project"], "Area": [_area(a, names) for a in tagged["csp_area"]],
        "Priority": tagged["priority"],
        "Rule": ["" if pd.isna(r) else str(int(r)) for r in tagged["rule"]],
        "Matched": tagged["matched"], "Why": tagged["why"]})
    return out.astype("string")


def priority_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """The area x priority count table with its area column (integers, 0 shown)."""
    out = counts.reset_index()
    out.columns = ["CSP area", *[c for c in counts.columns]]
    return out


def rules(rules_df: pd.DataFrame) -> pd.DataFrame:
    """The tagging rules as shown, in the order tried."""
    out = rules_df[["rule", "priority", "match_in", "pattern", "why"]].copy()
    out.columns = ["Rule", "Priority", "Looks in", "Pattern", "Why"]
    return out.astype("string")


__all__ = ["compare_positions", "flagged", "in_quarter", "position", "priority_counts",
           "projection", "projects_by_area", "published", "rules", "signed_money", "status_label", "tagging"]
