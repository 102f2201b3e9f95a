"""Fill a new quarter's templates with last quarter's figures: a dry run of the analyst guide.

In real use the Force and partners fill the templates in ``data/quarters/<slug>/templates/``.
To rehearse the quarterly process (or to test it), this script does the filling: for every
template whose return exists in the previous quarter, it copies last quarter's rows into the
template's data sheet, moves months and dates forward by one quarter, relabels the period (and
the financial year, when the new quarter is a Q1), and saves the workbook in the quarter folder
under the return's name. Each latest Plan metric value moves by up to 3% (random, fixed seed), as
a real quarter's would: ``pcp validate`` refuses last quarter's figures sent again. The figures
are therefore NOT real for the new quarter: a SYNTHETIC note is written beside each file.

    .venv/bin/python scripts/fill_quarter_example.py "2025-26 Q4" [--data data]
"""

from __future__ import annotations

import argparse
import calendar
import random
import re
import sys
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import load_workbook  # noqa: E402

from pcp_lib.io.datastore import quarter_dirs, resolve_data_dir, return_file  # noqa: E402
from pcp_lib.io.schema import read_table  # noqa: E402
from pcp_lib.io.workbook import _excel_value  # noqa: E402
from pcp_lib.methods.periods import Quarter  # noqa: E402
from pcp_lib.pack.returns import all_returns  # noqa: E402

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
            f"moved by up to 3%, seed {SEED}) by "
            "scripts/fill_quarter_example.py (a rehearsal of the quarterly process), not real figures.\n",
            encoding="utf-8")
        print(f"filled {out.relative_to(data.parent) if data.parent in out.parents else out.name}")


if __name__ == "__main__":
    main()
