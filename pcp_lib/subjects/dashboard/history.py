"""Each Plan metric's path over the quarters: every quarter's metric values read together.

The Panel argued about shoplifting going "from 7.6 to 8" (004_2d2b44c158357b88.txt point ii)
and the Q3 2025/26 paper has it at 7.42: one quarter at a time, that path cannot be seen.
``metric_history`` reads the ``metric_values`` return of every quarter folder (their
baselines once each) and the earlier figures the public papers give outside any return
(``data/published/metric_history.csv``, each with its source), into one tidy long table.
A figure read from a synthetic sample says so in its ``synthetic`` column.

Where a paper gives a figure without saying its quarter (the Panel minutes do not say which
update they discuss), its period says so ("before Q3 2025/26") and it sorts just before that
quarter: placed, not guessed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pcp_lib.core.audience import check_audience
from pcp_lib.core.provenance import Provenance, attach, combine, is_synthetic, provenance_of
from pcp_lib.io.datastore import published_path, quarter_dirs, return_file
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.parsing import is_missing, to_decimal
from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects.dashboard.disclosure import PUBLISHED, disclosure_levels, load_disclosure
from pcp_lib.subjects.dashboard.register import METRIC_VALUES, load_register

__all__ = ["EARLIER_FIGURES", "EARLIER_FILE", "HISTORY_COLUMNS", "SOURCES", "WITHHELD_TEXT", "history_for_audience",
           "metric_history", "period_label", "period_position"]

EARLIER_FILE = "metric_history.csv"
#: ``attrs`` key of the provenance of each file the history read, one record each
SOURCES = "sources"
HISTORY_COLUMNS = ["serial", "metric", "unit", "quarter", "position", "value_kind", "value", "value_num",
                   "direction", "source", "synthetic", "disclosure", "note"]
#: what a public table shows in place of a withheld figure
WITHHELD_TEXT = "withheld"

EARLIER_FIGURES = Schema(
    name="metric_history",
    title="earlier Plan metric figures",
    columns=(
        Column("serial", "int", "Metric serial number (see the register)", min_value=1),
        Column("period", "text", 'The period as the source gives it: a quarter ("Q2 2025/26"), or "before '
                                 'Q3 2025/26" when the source does not say which quarter'),
        Column("value", "text", "The figure exactly as the source gives it"),
        Column("source", "text", "Document and point the figure comes from"),
        Column("note", "text", "What the source says about it", required=False),
    ),
    key=("serial", "period"),
    description="Figures the public papers give for earlier quarters, outside any quarter's return.",
)


def period_position(period: str) -> float:
    """Where a period sorts on the quarter axis: a quarter at its index; "before Q3 2025/26"
    half a quarter before Q3; an annual baseline ("2024/25") at its year's last quarter, less a
    quarter (so before any quarter of the next year's figures)."""
    text = str(period).strip()
    if text.lower().startswith("before "):
        q = Quarter.parse(text[7:])
        return q.fy * 4 + q.q - 1 - 0.5
    try:
        q = Quarter.parse(text)
        return float(q.fy * 4 + q.q - 1)
    except ValueError:
        start = int(text[:4])  # "2024/25": the financial year starting in 2024
        return start * 4 + 3 - 0.75


def period_label(period: str) -> str:
    """A period as the page heads it: "before Q3 2025/26" says that the source gives no quarter."""
    text = str(period).strip()
    if text.lower().startswith("before "):
        return f"Earlier report before {Quarter.parse(text[7:]).label}, quarter not stated"
    try:
        return Quarter.parse(text).label
    except ValueError:
        return f"Baseline {text}"


def _number(value: object) -> float | None:
    if is_missing(value):
        return None
    try:
        d = to_decimal(value)
    except ValueError:
        return None  # Y/N
    return None if d is None else float(d)


def metric_history(data_dir: str | Path | None = None, up_to: Quarter | str | None = None,
                   register: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every figure of every Plan metric up to ``up_to`` (default: all), one row each.

    Columns (``HISTORY_COLUMNS``): serial, metric, unit; ``quarter`` (the period as headed on
    the page: "Baseline 2024/25", "Q3 2025/26", "Earlier report, before Q3 2025/26 (quarter not
    stated)"), ``position`` (its place in time, for sorting), ``value_kind`` (baseline, latest,
    or earlier: from a paper outside the returns), ``value`` as published and ``value_num`` as a
    number (missing for Y/N and blanks), ``direction`` (the published arrow), ``source``,
    ``synthetic`` (read from a synthetic sample), ``disclosure`` (what the public may see of it:
    that quarter's decision; a figure from a public paper is published) and ``note``. A baseline
    repeated in every quarter's return is kept once, from the latest return that gives it.
    The table carries the provenance of every file read."""
    reg = register if register is not None else load_register(data_dir=data_dir)
    names = dict(zip(reg["serial"], reg["metric"], strict=True))
    units = dict(zip(reg["serial"], reg["unit"], strict=True))
    limit = Quarter.parse(up_to) if up_to is not None else None
    decisions = load_disclosure(data_dir)
    rows: list[dict] = []
    provs: list[Provenance] = []
    baselines: dict[tuple[int, str], dict] = {}
    for q, folder in quarter_dirs(data_dir).items():
        if limit is not None and limit < q:
            continue
        path = return_file(folder, "metric_values")
        if path is None:
            continue
        values = read_table(path, METRIC_VALUES)
        provs.append(provenance_of(values))
        synthetic = is_synthetic(path)
        levels = disclosure_levels(reg, q, decisions)
        for r in values.to_dict("records"):
            serial = int(r["serial"])
            if serial not in names:
                continue  # the quarter's own validation names it
            kind = str(r["value_kind"])
            period = str(r["period"]) if kind == "baseline" else q.label
            row = {"serial": serial, "metric": names[serial], "unit": units[serial],
                   "quarter": period_label(period), "position": period_position(period), "value_kind": kind,
                   "value": None if is_missing(r["value"]) else str(r["value"]), "value_num": _number(r["value"]),
                   "direction": None if is_missing(r["published_direction"]) else r["published_direction"],
                   "source": str(r["source"]), "synthetic": synthetic, "disclosure": levels[serial][0],
                   "note": "SYNTHETIC sample" if synthetic else None}
            if kind == "baseline":
                baselines[(serial, period)] = row  # quarters in time order: the latest return's wins
            else:
                rows.append(row)
    path = published_path(EARLIER_FILE, data_dir)
    if path.exists():
        earlier = read_table(path, EARLIER_FIGURES)
        provs.append(provenance_of(earlier))
        for r in earlier.to_dict("records"):
            serial = int(r["serial"])
            position = period_position(str(r["period"]))
            if serial not in names or (limit is not None and position > limit.fy * 4 + limit.q - 1):
                continue
            rows.append({"serial": serial, "metric": names[serial], "unit": units[serial],
                         "quarter": period_label(str(r["period"])), "position": position, "value_kind": "earlier",
                         "value": str(r["value"]), "value_num": _number(r["value"]), "direction": None,
                         "source": str(r["source"]), "synthetic": False, "disclosure": PUBLISHED,
                         "note": None if is_missing(r["note"]) else str(r["note"])})
    df = pd.DataFrame([*baselines.values(), *rows], columns=HISTORY_COLUMNS)
    df = df.sort_values(["serial", "position"], kind="stable").reset_index(drop=True)
    df = df.astype({"serial": "Int64", "position": "float64", "value_num": "Float64", "synthetic": bool,
                    **dict.fromkeys(("metric", "unit", "quarter", "value_kind", "value", "direction", "source",
                                     "disclosure", "note"), "string")})
    df = attach(df, combine(provs) if provs else Provenance(files=(), kind="return"))
    df.attrs[SOURCES] = tuple(provs)  # each file's own record: a page names the returns and the papers apart
    return df


def history_for_audience(history: pd.DataFrame, audience: str) -> pd.DataFrame:
    """The history as an audience may see it: for "public", a figure of a quarter whose
    disclosure is not "published" has its value replaced by ``WITHHELD_TEXT`` and no number
    (its published arrow stays when the quarter shows direction only); a blank stays blank."""
    check_audience(audience)
    out = history.copy()
    if audience == "restricted":
        return out
    hide = (out["disclosure"] != PUBLISHED) & out["value"].notna()
    out.loc[hide, "value"] = WITHHELD_TEXT
    out.loc[hide, "value_num"] = pd.NA
    out.loc[hide & (out["disclosure"] != "direction only"), "direction"] = pd.NA
    out.attrs = dict(history.attrs)
    return out
