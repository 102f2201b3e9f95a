"""CSP spend positions: the quarterly return (``csp_spend``) and the published table.

A position is one row per CSP area as at one date: the year's allocation, the expenditure
drawn down to that date and (optionally) the remaining balance, all money as ``Decimal``
to the penny. The OPCC records a position each quarter; the Commissioner's update to the
Panel publishes one (001_b24730b53cda192b.txt para 27, as at 05/01/2026).

The schema rejects what cannot be right: an area that is not one of the nine CSPs (the
published variants "SNWLP", "NWL", "Melton Mowbray", "Leicester City" are accepted),
expenditure above the allocation, a remaining balance that does not equal allocation minus
expenditure to the penny, an area twice, an as-at date outside the financial year. A file
holds one position: one financial year, one as-at date, all nine areas.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.core.provenance import Provenance, attach, combine, provenance_of
from pcp_lib.io.datastore import load_quarterly, published_path, return_file
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.io.schema import Column, Schema, frame, read_table
from pcp_lib.methods.periods import Quarter, fy_label
from pcp_lib.methods.units import fmt_money
from pcp_lib.reference.csp_areas import alias_pairs, area_names

__all__ = ["CSP_SPEND", "CSP_SPEND_PUBLISHED", "CSP_SPEND_RETURN", "PUBLISHED_FILE", "check_csp_spend",
           "drawdown_problems", "file_problems", "load_positions", "load_published", "load_spend", "parse_fy",
           "position_at", "positions", "read_position", "series_of"]

PUBLISHED_FILE = "csp_spend.csv"
_FY = re.compile(r"^\s*(?:FY\s*)?(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*$", re.IGNORECASE)


def parse_fy(text: Any) -> int:
    """The start year of a financial year written "2025/26", "2025-26" or "2025/2026"."""
    m = _FY.match(str(text))
    if not m:
        raise ValueError(f"{text!r} is not a financial year like 2025/26")
    y1, y2 = int(m[1]), m[2]
    if int(y2) != ((y1 + 1) % 100 if len(y2) == 2 else y1 + 1):
        raise ValueError(f"{text!r} is not a financial year like 2025/26 (the years must be consecutive)")
    return y1


def _fy_is_valid(row: dict[str, Any]) -> tuple[str, str] | None:
    try:
        parse_fy(row["financial_year"])
    except ValueError:
        return ("financial_year", f"a financial year like 2025/26; got {row['financial_year']!r}")
    return None


def _as_at_in_year(row: dict[str, Any]) -> tuple[str, str] | None:
    try:
        fy = parse_fy(row["financial_year"])
    except ValueError:
        return None  # reported by _fy_is_valid
    first, last = date(fy, 4, 1), date(fy + 1, 3, 31)
    d = row["as_at"]
    if not first <= d <= last:
        return ("as_at", f"a date in financial year {fy_label(fy)} ({first:%d/%m/%Y} to {last:%d/%m/%Y}); "
                         f"got {d:%d/%m/%Y}")
    return None


def _spend_within_allocation(row: dict[str, Any]) -> tuple[str, str] | None:
    if row["expenditure"] > row["allocation"]:
        return ("expenditure", f"expenditure of at most the allocation {fmt_money(row['allocation'])}; "
                               f"got {fmt_money(row['expenditure'])}")
    return None


def _remaining_reconciles(row: dict[str, Any]) -> tuple[str, str] | None:
    rem = row["remaining"]
    if rem is None:
        return None
    due = row["allocation"] - row["expenditure"]
    if rem != due:
        return ("remaining", f"allocation minus expenditure, {fmt_money(row['allocation'])} - "
                             f"{fmt_money(row['expenditure'])} = {fmt_money(due, nil=True)}; "
                             f"got {fmt_money(rem, nil=True)}")
    return None


def _money(name: str, description: str, required: bool = True) -> Column:
    return Column(name, "money", description, unit="£", required=required, min_value=Decimal("0"))


_COLUMNS = (
    Column("financial_year", "text", "The financial year of the allocation (e.g. 2025/26)"),
    Column("as_at", "date", "The date expenditure is counted to (e.g. 05/01/2026)", period="within"),
    Column("csp_area", "choice", "The Community Safety Partnership (one of the nine)", choices=area_names(),
           aliases=alias_pairs()),
    _money("allocation", "The area's allocation for the financial year"),
    _money("expenditure", "Expenditure drawn down from the allocation up to the as-at date ('Nil' for none)"),
    _money("remaining", "Remaining balance: allocation minus expenditure (may be left blank)", required=False),
)
_CHECKS = (_fy_is_valid, _as_at_in_year, _spend_within_allocation, _remaining_reconciles)

#: The quarterly return: one position (one as-at date, all nine areas) per file.
CSP_SPEND = Schema(
    name="csp_spend",
    title="CSP spend position",
    description="One row per Community Safety Partnership: the financial year's allocation and the "
                "expenditure drawn down to the as-at date (money like £1,234.56, 1234.56 or Nil). "
                "One as-at date per file, all nine areas.",
    columns=_COLUMNS,
    key=("csp_area",),
    row_checks=_CHECKS,
    max_rows=9,
    size="one row per CSP area",
)

#: The published positions (``data/published/csp_spend.csv``), as printed, with their source.
CSP_SPEND_PUBLISHED = Schema(
    name="csp_spend_published",
    title="Published CSP allocations and expenditure",
    description="CSP positions exactly as published in the Commissioner's updates, one row per area "
                "per as-at date, with the document and paragraph they come from.",
    columns=(*_COLUMNS, Column("source", "text", "Seed document and table/paragraph")),
    key=("as_at", "csp_area"),
    row_checks=_CHECKS,
)


def file_problems(df: pd.DataFrame, path: str | Path, areas: tuple[str, ...] | None = None) -> list[Problem]:
    """What a single position file must also satisfy: one financial year, one as-at date,
    every one of the nine areas (a missing area would make the totals wrong)."""
    shown = rel(path)
    out: list[Problem] = []
    if df.empty:
        return out
    first = df.iloc[0]
    for col, fmt in (("financial_year", str), ("as_at", lambda d: f"{d:%d/%m/%Y}")):
        for rec in df.to_dict("records")[1:]:
            if _norm(col, rec[col]) != _norm(col, first[col]):
                out.append(Problem(file=shown, row=int(rec["_row"]), column=col,
                                   expected=f"the same {col} on every row of a position ({fmt(first[col])}, "
                                            f"as on row {int(first['_row'])})", got=fmt(rec[col])))
    names = areas or area_names()
    rejected = df.attrs.get("rejected", ())  # rows refused by the schema, already reported
    if any(r.get("csp_area") is None for r in rejected):
        return out  # an area that did not parse is reported as that, not also as a missing area
    present = set(df["csp_area"]) | {r["csp_area"] for r in rejected}
    missing = [a for a in names if a not in present]
    if missing:
        out.append(Problem(file=shown, column="csp_area", expected="a row for each of the nine CSP areas",
                           got="no row for " + ", ".join(missing)))
    return out


def _norm(col: str, v: Any) -> Any:
    if col == "financial_year":
        try:
            return parse_fy(v)
        except ValueError:
            return v
    return v


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    """Normalise the financial year to "2025/26" and fill a blank remaining balance."""
    out = df.copy()
    out["financial_year"] = pd.Series([fy_label(parse_fy(v)) for v in out["financial_year"]],
                                      index=out.index, dtype="string")
    out["remaining"] = pd.Series([a - e if r is None or pd.isna(r) else r for a, e, r in
                                  zip(out["allocation"], out["expenditure"], out["remaining"], strict=True)],
                                 index=out.index, dtype="object")
    return out


def read_position(path: str | Path, names: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One position file (CSV or Excel), checked, with its provenance; raises ``DataError``
    listing every problem. ``names`` are the CSPs every position must cover (the project's
    nine when None)."""
    df = read_table(path, CSP_SPEND)
    problems = file_problems(df, path, names)
    if problems:
        raise DataError(problems)
    return _finish(df)


def check_csp_spend(df: pd.DataFrame, path: Path, quarter: Quarter | None, data_dir: Path | None
                    ) -> list[Problem]:
    """Cross-checks for ``pcp validate``: one position per file with all nine areas; against
    the previous quarter's position of the same year, expenditure that went down or an
    allocation that changed is a warning (worth checking, e.g. a refund)."""
    problems = file_problems(df, path)
    if quarter is None or df.empty or problems:
        return problems
    prev_folder = Path(path).resolve().parent.parent / quarter.previous().slug

    prev_file = return_file(prev_folder, CSP_SPEND.name) if prev_folder.is_dir() else None
    if prev_file is None:
        return problems
    prev = read_table(prev_file, CSP_SPEND, problems=[])
    if prev.empty:
        return problems
    both = pd.concat([_finish(prev).assign(_file=rel(prev_file)), _finish(df).assign(_file=rel(path))],
                     ignore_index=True)
    return problems + drawdown_problems(both)


def drawdown_problems(series: pd.DataFrame) -> list[Problem]:
    """Warnings where, within a financial year, an area's expenditure went down from one
    position to the next or its allocation changed. Drawdown is cumulative, so either
    usually means a keying error (or a refund worth explaining)."""
    out: list[Problem] = []
    if series.empty:
        return out
    ordered = series.sort_values(["financial_year", "csp_area", "as_at"], kind="stable")
    for (_fy, area), g in ordered.groupby(["financial_year", "csp_area"], sort=False):
        recs = g.to_dict("records")
        for before, after in zip(recs, recs[1:], strict=False):
            where = dict(file=after.get("_file"), row=int(after["_row"]) if not pd.isna(after["_row"]) else None,
                         severity="warning")
            if after["expenditure"] < before["expenditure"]:
                out.append(Problem(column="expenditure", expected=(
                    f"{area}'s expenditure as at {after['as_at']:%d/%m/%Y} to be at least its "
                    f"{fmt_money(before['expenditure'])} as at {before['as_at']:%d/%m/%Y} (drawdown is "
                    "cumulative)"), got=fmt_money(after["expenditure"]), **where))
            if after["allocation"] != before["allocation"]:
                out.append(Problem(column="allocation", expected=(
                    f"{area}'s allocation to stay {fmt_money(before['allocation'])} (as at "
                    f"{before['as_at']:%d/%m/%Y}) within the year"), got=fmt_money(after["allocation"]),
                    **where))
    return out


CSP_SPEND_RETURN = ReturnSpec("csp_spend", CSP_SPEND.title, CSP_SPEND, "OPCC partnerships and commissioning team",
                              period_column="as_at", cross_check=check_csp_spend, required=False)


def load_positions(up_to: Quarter | str, data_dir: str | Path | None = None,
                   names: tuple[str, ...] | None = None) -> dict[date, pd.DataFrame]:
    """Every position from the quarter folders up to ``up_to``, by as-at date in order, each
    carrying the provenance of its own file (so a page can say which position is synthetic).

    Read by the one quarterly-series loader (``io.datastore.load_quarterly``): an as-at date
    outside its folder's quarter, or the same as-at date and area in two folders, raises
    ``DataError`` naming file, row and column. Each row keeps ``_row`` and ``_file`` (for
    messages).
    """
    read: list[pd.DataFrame] = []

    def _read(path: Path) -> pd.DataFrame:
        df = read_position(path, names)
        df = attach(df.assign(_file=pd.Series([rel(path)] * len(df), index=df.index, dtype="string")),
                    provenance_of(df))
        read.append(df)
        return df

    load_quarterly(CSP_SPEND, up_to, data_dir, period_column="as_at", key=("csp_area",), read=_read)
    return {df["as_at"].iloc[0]: df for df in sorted(read, key=lambda d: d["as_at"].iloc[0])}


def series_of(by_date: dict[date, pd.DataFrame]) -> pd.DataFrame:
    """The positions as one table in as-at order, with the combined provenance of their files.
    ``attrs["warnings"]`` holds drawdown warnings (``drawdown_problems``)."""
    if by_date:
        out = pd.concat(list(by_date.values()), ignore_index=True)
        prov = combine(provenance_of(df) for df in by_date.values())
    else:
        out = frame(CSP_SPEND, []).assign(_file=pd.Series(dtype="string"))
        prov = Provenance(files=(), kind="return")
    out = attach(out.sort_values("as_at", kind="stable").reset_index(drop=True), prov)
    out.attrs["warnings"] = drawdown_problems(out)
    return out


def load_spend(up_to: Quarter | str, data_dir: str | Path | None = None,
               names: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every position up to ``up_to`` as one series (see ``load_positions`` and ``series_of``)."""
    return series_of(load_positions(up_to, data_dir, names))


def load_published(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The published positions, money as ``Decimal``, areas by canonical name (the short
    names in the reference list are the names the published table prints)."""
    path = published_path(PUBLISHED_FILE, data_dir)
    df = read_table(path, CSP_SPEND_PUBLISHED)
    problems: list[Problem] = []
    for _as_at, g in df.groupby("as_at", sort=True):
        problems += file_problems(g, path)
    if problems:
        raise DataError(problems)
    return _finish(df)


def positions(series: pd.DataFrame) -> list[date]:
    """The as-at dates in a series, in order."""
    return sorted(set(series["as_at"])) if len(series) else []


def position_at(series: pd.DataFrame, as_at: date) -> pd.DataFrame:
    """The rows of one position (carrying the series' provenance)."""
    out = series.loc[[d == as_at for d in series["as_at"]]].reset_index(drop=True)
    out.attrs.update(series.attrs)
    return out
