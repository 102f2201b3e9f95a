"""Fill a new quarter's templates with last quarter's figures: a dry run of the analyst guide.

In real use the Force and partners fill the templates in ``data/quarters/<slug>/templates/``.
To rehearse the quarterly process (or to test it), this script does the filling: for every
template whose return exists in the previous quarter, it copies last quarter's rows into the
template's data sheet, moves months and dates forward by one quarter, relabels the period (and
the financial year, when the new quarter is a Q1), and saves the workbook in the quarter folder
under the return's name. No return is last quarter's sent again (``pcp validate`` refuses
that, for every return: ``pcp_lib.io.stale``), so each moves on as a real quarter's would
(random, fixed seed): each latest Plan metric value by up to 3%; each monthly count by up to
3% (every count of a row by the same factor, so a row's counts stay in order and the answered
and abandoned calls within those offered); each CSP area's expenditure by up to 30% of what it
has left; and the action register is brought to the end of the new quarter (an action due by
then and not started is in progress, and about half of those in progress are complete in
the quarter). The figures are therefore NOT real for the new quarter: a SYNTHETIC note is
written beside each file.

    .venv/bin/python scripts/fill_quarter_example.py "2025-26 Q4" [--data data]
"""

from __future__ import annotations

import argparse
import calendar
import random
import re
import sys
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from pcp_lib.io.datastore import quarter_dirs, resolve_data_dir, return_file  # noqa: E402
from pcp_lib.io.schema import read_table  # noqa: E402
from pcp_lib.io.workbook import _excel_value  # noqa: E402
from pcp_lib.methods.periods import Quarter  # noqa: E402
from pcp_lib.returns.validation import all_returns  # noqa: E402

SEED = 20260331


def nudge(text: str, rng: random.Random) -> str:
    """A published figure ("72.2%", "11", "200,000", "0.004") moved by up to 3%, written the same
    way (places, thousands separators, % sign); anything else ("Y", blank) unchanged."""
    m = re.fullmatch(r"(\d[\d,]*)(\.\d+)?(%?)", text.strip())
    if not m:
        return text
    places = len(m.group(2)) - 1 if m.group(2) else 0
    old = float(text.strip().rstrip("%").replace(",", ""))
    new = old * (1 + rng.uniform(-0.03, 0.03))
    if m.group(3):
        new = min(new, 100.0)
    out = f"{new:,.{places}f}" if "," in m.group(1) else f"{new:.{places}f}"
    return out + m.group(3)


def _blank(v: object) -> bool:
    return v is None or bool(pd.isna(v))


def _scaled(n: int, f: float) -> int:
    """``n * f`` rounded half up: monotone, so counts in order stay in order."""
    return int(Decimal(repr(n * f)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def move_on(name: str, rec: dict[str, Any], q: Quarter, rng: random.Random) -> dict[str, Any]:
    """One row of last quarter's return as the new quarter's rehearsal figure (see the
    module's docstring): never last quarter's row unchanged where the row has figures."""
    rec = dict(rec)
    if name in ("contact_monthly", "dtoa_pathway"):
        f = 1 + rng.uniform(-0.03, 0.03)
        counts = [c.name for c in all_returns()[name].schema.columns if c.kind == "int"]
        for c in counts:
            if not _blank(rec[c]):
                rec[c] = _scaled(int(rec[c]), f)
        if name == "contact_monthly" and not _blank(rec.get("answered")):
            rec["offered"] = max(rec["offered"], rec["answered"] + rec["abandoned"])
    elif name == "csp_spend":
        left = rec["allocation"] - rec["expenditure"]
        more = (left * Decimal(repr(rng.uniform(0, 0.3)))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        rec["expenditure"] += more
        if not _blank(rec.get("remaining")):
            rec["remaining"] = rec["allocation"] - rec["expenditure"]
    elif name == "actions":
        due = Quarter.parse(str(rec["due_quarter"]))
        if due <= q and rec["status"] == "Not started":
            rec["status"] = "In progress"
        if due <= q and rec["status"] == "In progress" and rng.random() < 0.5:
            rec["status"], rec["completed_quarter"] = "Complete", q.slug.replace("-Q", " Q")
    return rec


def shift(d: date, months: int = 3) -> date:
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("quarter")
    ap.add_argument("--data", default=None)
    args = ap.parse_args()
    q = Quarter.parse(args.quarter)
    data = resolve_data_dir(args.data)
    folder = data / "quarters" / q.slug
    prev = quarter_dirs(data).get(q.previous())
    if prev is None:
        sys.exit(f"error: no folder for {q.previous().label} to copy from")
    new_year = q.fy_label != q.previous().fy_label
    rng = random.Random(SEED)
    for name, spec in all_returns().items():
        src = return_file(prev, name)
        template = folder / "templates" / f"{name}.xlsx"
        if src is None or not template.exists() or return_file(folder, name) is not None:
            continue  # nothing to copy, or the return is already in (never overwrite real data)
        schema = spec.schema
        rows = read_table(src, schema)
        wb = load_workbook(template)
        ws = wb[schema.sheet]
        for r in range(2, ws.max_row + 1):  # clear any prefilled rows
            for c in range(1, len(schema.columns) + 1):
                ws.cell(row=r, column=c).value = None
        for i, rec in enumerate(rows.to_dict("records"), start=2):
            rec = move_on(name, rec, q, rng)
            for j, col in enumerate(schema.columns, start=1):
                v = rec[col.name]
                if isinstance(v, datetime):
                    v = datetime.combine(shift(v.date()), v.time())
                elif isinstance(v, date):
                    v = shift(v)
                elif isinstance(v, str) and v == q.previous().label:
                    v = q.label
                elif col.name == "financial_year" and new_year:
                    v = q.fy_label  # a Q1 starts a new financial year: its allocations are that year's
                if name == "metric_values" and col.name == "value" and rec["value_kind"] == "latest" and v:
                    v = nudge(str(v), rng)
                if v is None or (not isinstance(v, str) and v != v):
                    continue
                ws.cell(row=i, column=j).value = _excel_value(v)
        out = folder / f"{name}.xlsx"
        wb.save(out)
        out.with_name(out.name + ".source.txt").write_text(
            f"SYNTHETIC: {q.previous().label}'s figures moved forward one quarter (latest metric values "
            f"and monthly counts moved by up to 3%, actions brought to the end of {q.label}, seed {SEED}) by "
            "scripts/fill_quarter_example.py (a rehearsal of the quarterly process), not real figures.\n",
            encoding="utf-8")
        print(f"filled {out.relative_to(data.parent) if data.parent in out.parents else out.name}")


if __name__ == "__main__":
    main()
