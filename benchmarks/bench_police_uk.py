"""How long reading raw police.uk street-level files takes (the issue asks: a few seconds at most
for all 24 Leicestershire files).

    .venv/bin/python benchmarks/bench_police_uk.py [--raw ../shared/data/police_uk] [--months 24] [--repeat 3]

``--months`` reads only the first N monthly files (a quick run); prints rows, files and the best
of ``--repeat`` timings for reading and validating files and for the whole ``monthly_counts``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pcp_lib.subjects.crime.street import monthly_counts, read_street  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=ROOT.parent / "shared" / "data" / "police_uk")
    ap.add_argument("--months", type=int, default=24, help="how many monthly files to read")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    files = sorted((args.raw / "leicestershire").glob("*-street.csv"))[: args.months]
    if not files:
        print(f"no raw files under {args.raw}/leicestershire", file=sys.stderr)
        return 1
    best_read = best_count = float("inf")
    rows = 0
    for _ in range(args.repeat):
        t = time.perf_counter()
        rows = sum(len(read_street(f)) for f in files)
        best_read = min(best_read, time.perf_counter() - t)
        t = time.perf_counter()
        counts = monthly_counts(files, data_dir=ROOT / "data")
        best_count = min(best_count, time.perf_counter() - t)
    print(f"files: {len(files)}  rows: {rows:,}  count rows out: {len(counts):,}")
    print(f"read + validate: {best_read:.2f} s  ({rows / best_read:,.0f} rows/s)")
    print(f"monthly_counts (read, validate, supersede, districts, count): {best_count:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
