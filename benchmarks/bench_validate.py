"""How long ``pcp validate`` takes on a 200,000-row return (the issue's junk file), and on a
good one: the bound is under 3 s, refused as too large for its return with the expected size.

Run: ``.venv/bin/python benchmarks/bench_validate.py``. Prints figures; not a timed test.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from contextlib import redirect_stderr
from pathlib import Path

from openpyxl import Workbook

from pcp_lib.cli import main

ROOT = Path(__file__).resolve().parents[1]
ROWS = 200_000


def _junk_csv(path: Path) -> None:
    lines = ["month,channel,offered,answered,answered_10s,answered_2min,answered_15min,abandoned,asa_s"]
    lines += [f"2026-{1 + i % 3:02d},99{i % 10},x{i},,,,,,-1" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _junk_xlsx(path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(["month", "channel", "offered", "answered", "answered_10s", "answered_2min", "answered_15min",
               "abandoned", "asa_s"])
    for i in range(ROWS):
        ws.append([f"2026-{1 + i % 3:02d}", "999", i, None, None, None, None, None, -1])
    wb.save(path)


def _time(path: Path, quarter: str) -> tuple[float, int, list[str]]:
    err = io.StringIO()
    started = time.perf_counter()
    with redirect_stderr(err):
        code = main(["validate", str(path), "--quarter", quarter, "--data", str(ROOT / "data")])
    return time.perf_counter() - started, code, err.getvalue().splitlines()


def main_() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = {}
        csv_path = folder / "csv" / "contact_monthly.csv"
        csv_path.parent.mkdir()
        _junk_csv(csv_path)
        cases["200,000-row CSV"] = csv_path
        xlsx_path = folder / "xlsx" / "contact_monthly.xlsx"
        xlsx_path.parent.mkdir()
        print("writing the 200,000-row workbook (not timed) ...", file=sys.stderr)
        _junk_xlsx(xlsx_path)
        cases["200,000-row workbook"] = xlsx_path
        cases["good Q3 contact return"] = ROOT / "data" / "quarters" / "2025-26-Q3" / "contact_monthly.csv"
        print(f"{'file':<26} {'size':>10} {'seconds':>8} {'exit':>4} {'lines':>5}  first line")
        for label, path in cases.items():
            seconds, code, lines = _time(path, "2025-26 Q3" if label.startswith("good") else "2025-26 Q4")
            size = f"{path.stat().st_size / 1e6:.1f} MB"
            print(f"{label:<26} {size:>10} {seconds:>8.2f} {code:>4} {len(lines):>5}  {lines[0][:150] if lines else ''}")


if __name__ == "__main__":
    main_()
