"""The published contact figures: the Police Contact Demand report's tables and the uplift.

Every figure is transcribed exactly, with its source, in ``data/published/``:

- ``contact_annual.csv``: calendar-year volumes and rates as printed ("148,957", "95.8%");
- ``contact_annual_change.csv``: the changes as printed ("+53,387", "+36%", "-3.6pp");
- ``contact_uplift.csv``: the extra call handlers funded (26 FTE in 2024/25, 20 in 2025/26)
  and their cost.

These are the one home of the published numbers: the synthetic call generator and
``scripts/make_sample_contact.py`` read the volumes from here rather than typing them.

``check_against_published`` sets every published figure beside the one computed from the
monthly return, formatted the way the report prints it (``fmt_published``), so the two can
be compared string for string.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.core.provenance import Provenance, attach, combine, provenance_of
from pcp_lib.io.datastore import published_path
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.parsing import to_decimal
from pcp_lib.methods.units import fmt_count, fmt_count_change, fmt_pct_change, fmt_percent, fmt_pp, pct_change
from pcp_lib.subjects.contact.returns import CHANNELS, MEASURES
from pcp_lib.subjects.contact.summary import CHANGE_PERCENT, CHANGE_PP, CHANGE_VOLUME, exact

__all__ = ["PUBLISHED_ANNUAL", "PUBLISHED_CHANGE", "PUBLISHED_LABELS", "PUBLISHED_ROWS", "PUBLISHED_TITLES",
           "UPLIFT", "Published", "Uplift", "check_against_published", "fmt_published", "is_published",
           "load_published", "load_uplift", "parse_published", "published_consistency", "published_volumes",
           "published_years"]

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
UPLIFT = Schema(
    name="contact_uplift",
    title="Contact handler uplift: published FTE and cost",
    columns=(Column("item", "choice", "extra_fte_2024_25, extra_fte_2025_26 or uplift_cost",
                    choices=("extra_fte_2024_25", "extra_fte_2025_26", "uplift_cost")),
             Column("value", "text", 'The figure as published ("26", "£1,200,000")'),
             Column("unit", "text", "What the figure counts"), _SOURCE),
    key=("item",),
)

#: How the report prints each kind of figure: volumes as counts, rates to one place, volume
#: changes as signed counts, percent changes to whole per cent, rate changes in pp to one place.
_FORMAT = {"volume": fmt_count, "rate": lambda x: fmt_percent(x, 1), "volume change": fmt_count_change,
           "percent": lambda x: fmt_pct_change(x, 0), "pp": lambda x: fmt_pp(x, 1)}


def fmt_published(kind: str, value: Any) -> str:
    """A figure formatted as the report prints it; ``kind`` is volume, rate, volume change,
    percent or pp."""
    return _FORMAT[kind](value)


class Published(NamedTuple):
    """The published annual figures and the published changes (each with a parsed ``number``)."""

    annual: pd.DataFrame
    change: pd.DataFrame

    @property
    def provenance(self) -> Provenance:
        return combine([provenance_of(self.annual), provenance_of(self.change)])


@dataclass(frozen=True)
class Uplift:
    """The published uplift in call handlers: extra FTE in 2024/25 and 2025/26 and its cost."""

    extra_fte_2024_25: int
    extra_fte_2025_26: int
    cost: Decimal
    provenance: Provenance


def parse_published(text: str) -> Decimal:
    """A published figure or change to ``Decimal``: "148,957", "95.8%", "+36%", "-3.6pp"."""
    t = str(text).strip()
    if t.endswith("pp"):
        t = t[:-2]
    value = to_decimal(t)
    if value is None:
        raise ValueError(f"{text!r} is blank")
    return value


def _with_numbers(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """``df`` with ``number``: each published string as an exact ``Decimal`` (for the checks)."""
    problems: list[Problem] = []
    numbers: list[Decimal | None] = []
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
    return attach(df.assign(number=pd.Series(numbers, index=df.index, dtype="object")), provenance_of(df))


def load_published(data_dir: str | Path | None = None) -> Published:
    """The published annual figures and changes, each with a parsed ``number`` column."""
    frames = []
    for schema in (PUBLISHED_ANNUAL, PUBLISHED_CHANGE):
        path = published_path(f"{schema.name}.csv", data_dir)
        frames.append(_with_numbers(read_table(path, schema), path))
    return Published(frames[0], frames[1])


def load_uplift(data_dir: str | Path | None = None) -> Uplift:
    """The published uplift (``contact_uplift.csv``): FTE as whole numbers, cost in pounds."""
    path = published_path(f"{UPLIFT.name}.csv", data_dir)
    df = read_table(path, UPLIFT)
    raw = {str(r["item"]): (str(r["value"]), int(r["_row"])) for r in df.to_dict("records")}
    problems = [Problem(file=rel(path), column="item", expected=f"a row for {item}", got="none")
                for item in ("extra_fte_2024_25", "extra_fte_2025_26", "uplift_cost") if item not in raw]
    if problems:
        raise DataError(problems)
    numbers: dict[str, Decimal] = {}
    for item, (text, row) in raw.items():
        value = to_decimal(text.replace("£", ""))
        whole = item.startswith("extra_fte")
        if value is None or (whole and value != value.to_integral_value()):
            problems.append(Problem(file=rel(path), row=row, column="value",
                                    expected="a whole number of FTE" if whole else 'an amount like "£1,200,000"',
                                    got=text))
        else:
            numbers[item] = value
    if problems:
        raise DataError(problems)
    return Uplift(int(numbers["extra_fte_2024_25"]), int(numbers["extra_fte_2025_26"]), numbers["uplift_cost"],
                  provenance_of(df))


def published_years(published: Published) -> tuple[int, int]:
    """The two calendar years the published tables compare (earliest and latest)."""
    years = sorted({int(y) for y in published.annual["year"]})
    return years[0], years[-1]


def published_volumes(published: Published) -> dict[tuple[str, int], int]:
    """Published calendar-year volumes: (channel, year) -> contacts."""
    vols = published.annual[published.annual["measure"] == "offered"]
    return {(str(r["channel"]), int(r["year"])): int(r["number"]) for r in vols.to_dict("records")}


def is_published(channel: str, measure: str) -> bool:
    """True when the report's tables print this channel's measure."""
    return measure in PUBLISHED_ROWS.get(channel, ())


_CHANGE_COLUMN = {"volume": (CHANGE_VOLUME, "volume change"), "percent": (exact(CHANGE_PERCENT), "percent"),
                  "pp": (exact(CHANGE_PP), "pp")}


def check_against_published(summary: pd.DataFrame, published: Published) -> pd.DataFrame:
    """Every published figure beside the one computed from the monthly data, formatted alike.

    ``summary`` is an ``annual_summary`` of the published years. One row per published
    figure: channel, measure, what (a year, or the kind of change), the published string, the
    computed string and whether they match (computed from the exact values, not floats).
    """
    rows = []
    for rec in published.annual.to_dict("records"):
        year = str(rec["year"])
        got = summary[(summary["channel"] == rec["channel"]) & (summary["measure"] == rec["measure"])]
        value = None if got.empty or exact(year) not in got.columns else got.iloc[0][exact(year)]
        kind = "volume" if rec["measure"] == "offered" else "rate"
        rows.append({"channel": rec["channel"], "measure": rec["measure"], "what": year,
                     "published": rec["value"], "computed": fmt_published(kind, value)})
    for rec in published.change.to_dict("records"):
        got = summary[(summary["channel"] == rec["channel"]) & (summary["measure"] == rec["measure"])]
        col, kind = _CHANGE_COLUMN[rec["change_kind"]]
        rows.append({"channel": rec["channel"], "measure": rec["measure"], "what": f"change ({rec['change_kind']})",
                     "published": rec["value"],
                     "computed": fmt_published(kind, None if got.empty else got.iloc[0][col])})
    out = pd.DataFrame(rows, columns=["channel", "measure", "what", "published", "computed"]).astype("string")
    out["match"] = (out["published"] == out["computed"]).astype("boolean")
    return out


def published_consistency(published: Published) -> pd.DataFrame:
    """Do the published changes follow from the published figures? One row per change.

    Volume changes and percent changes are recomputed from the published volumes; pp changes
    from the published (rounded) rates, which is how a reader checks the table.
    """
    annual = published.annual
    rows = []
    for rec in published.change.to_dict("records"):
        vals = annual[(annual["channel"] == rec["channel"]) & (annual["measure"] == rec["measure"])]
        vals = vals.sort_values("year")
        a, b = vals["number"].iloc[0], vals["number"].iloc[-1]
        kind = rec["change_kind"]
        if kind == "volume":
            computed = fmt_published("volume change", b - a)
        elif kind == "percent":
            computed = fmt_published("percent", pct_change(a, b))
        else:
            computed = fmt_published("pp", b - a)
        rows.append({"channel": rec["channel"], "measure": rec["measure"], "change_kind": kind,
                     "published": rec["value"], "from_published_figures": computed,
                     "consistent": computed == rec["value"]})
    return pd.DataFrame(rows).astype({"consistent": "boolean"})
