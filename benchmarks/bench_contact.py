"""Benchmark: aggregate a call-level extract to the monthly return, fast path against naive.

Builds a synthetic extract of ``--rows`` calls (default 10 million) as Parquet (and the same
as CSV for the naive version) in ``benchmarks/_work/`` (git-ignored, never committed), then
runs each measurement in a fresh Python process so its peak memory (ru_maxrss) is its own:

- fast: ``read_calls`` (Parquet) + ``aggregate_calls`` (vectorised numpy, bincount);
- naive: ``pandas.read_csv`` + a row-by-row loop (``itertuples``), the straightforward way.

Goal (issue 4): 10 million calls aggregated in under 2 s with under 2 GB peak memory on a
2-core machine. Prints a table and the speed ratio; asserts nothing (timings vary).

    .venv/bin/python benchmarks/bench_contact.py              # 10 million rows (naive on 1 million)
    .venv/bin/python benchmarks/bench_contact.py --rows 200000 --naive-rows 200000   # quick
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "_work"
sys.path.insert(0, str(ROOT))


def build(rows: int, seed: int) -> tuple[Path, Path, float]:
    """Write the Parquet and CSV extracts (cached by size and seed); seconds taken to build."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from pcp_lib.subjects.contact.synthetic import synthetic_calls

    WORK.mkdir(parents=True, exist_ok=True)
    pq = WORK / f"calls_{rows}_{seed}.parquet"
    csv = WORK / f"calls_{rows}_{seed}.csv"
    t0 = time.perf_counter()
    if not pq.exists() or not csv.exists():
        df = synthetic_calls(n_calls=rows, seed=seed)
        df.attrs.clear()  # Parquet cannot store a Provenance record in its metadata
        df.to_parquet(pq, index=False)
        table = pa.Table.from_pandas(df.assign(channel=df["channel"].astype(str)), preserve_index=False)
        pacsv.write_csv(table, csv)
        del df, table
    return pq, csv, time.perf_counter() - t0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_fast(path: Path) -> dict:
    from pcp_lib.subjects.contact.calls import aggregate_calls, read_calls

    base = peak_mb()
    t0 = time.perf_counter()
    calls = read_calls(path)
    t1 = time.perf_counter()
    monthly = aggregate_calls(calls)
    t2 = time.perf_counter()
    return {"rows": len(calls), "read_s": t1 - t0, "aggregate_s": t2 - t1, "total_s": t2 - t0,
            "peak_mb": peak_mb(), "baseline_mb": base, "offered": int(monthly["offered"].sum()),
            "answered_10s": int(monthly["answered_10s"].sum())}


def measure_naive(path: Path, limit: int) -> dict:
    """The straightforward version: read the CSV, then look at each call in turn."""
    import pandas as pd

    base = peak_mb()
    t0 = time.perf_counter()
    df = pd.read_csv(path, nrows=limit, parse_dates=["arrival", "answered_at", "ended"])
    t1 = time.perf_counter()
    out: dict[tuple[str, str], dict[str, float]] = {}
    for row in df.itertuples(index=False):
        key = (row.arrival.strftime("%Y-%m"), str(row.channel))
        rec = out.setdefault(key, {"offered": 0, "answered": 0, "answered_10s": 0, "answered_2min": 0,
                                   "answered_15min": 0, "abandoned": 0, "wait": 0.0})
        rec["offered"] += 1
        if row.abandoned:
            rec["abandoned"] += 1
        else:
            wait = (row.answered_at - row.arrival).total_seconds()
            rec["answered"] += 1
            rec["wait"] += wait
            rec["answered_10s"] += wait <= 10
            rec["answered_2min"] += wait <= 120
            rec["answered_15min"] += wait <= 900
    t2 = time.perf_counter()
    return {"rows": len(df), "read_s": t1 - t0, "aggregate_s": t2 - t1, "total_s": t2 - t0, "peak_mb": peak_mb(),
            "baseline_mb": base, "offered": int(sum(r["offered"] for r in out.values())),
            "answered_10s": int(sum(r["answered_10s"] for r in out.values()))}


def child(kind: str, path: Path, limit: int) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--path", str(path), "--naive-rows", str(limit)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--naive-rows", type=int, default=1_000_000,
                    help="rows for the naive version (default 1 million: its rows per second do not depend on size, "
                         "and 10 million take about 4 minutes)")
    ap.add_argument("--seed", type=int, default=20251001)
    ap.add_argument("--child", choices=("fast", "naive"))
    ap.add_argument("--path", type=Path)
    args = ap.parse_args()
    if args.child:
        result = measure_fast(args.path) if args.child == "fast" else measure_naive(args.path, args.naive_rows)
        print(json.dumps(result))
        return
    naive_rows = min(args.naive_rows, args.rows)
    pq, csv, built = build(args.rows, args.seed)
    print(f"extract: {args.rows:,} calls (Parquet {pq.stat().st_size / 1e6:,.0f} MB, CSV {csv.stat().st_size / 1e6:,.0f} MB)"
          f" built in {built:,.1f} s in {pq.parent.relative_to(ROOT)}/")
    fast = child("fast", pq, naive_rows)
    naive = child("naive", csv, naive_rows)
    print(f"{'version':<28}{'rows':>12}{'read s':>9}{'aggregate s':>13}{'total s':>9}{'rows/s':>14}{'peak MB':>9}")
    for name, r in (("fast (Parquet, vectorised)", fast), ("naive (CSV, row by row)", naive)):
        print(f"{name:<28}{r['rows']:>12,}{r['read_s']:>9.2f}{r['aggregate_s']:>13.2f}{r['total_s']:>9.2f}"
              f"{r['rows'] / r['total_s']:>14,.0f}{r['peak_mb']:>9,.0f}")
    fast_rate = fast["rows"] / fast["total_s"]
    naive_rate = naive["rows"] / naive["total_s"]
    print(f"aggregate_calls alone: {fast['rows'] / fast['aggregate_s']:,.0f} rows/s")
    print(f"ratio (fast / naive, rows per second, read + aggregate): {fast_rate / naive_rate:,.0f}x")
    if naive["rows"] == fast["rows"]:
        same = naive["offered"] == fast["offered"] and naive["answered_10s"] == fast["answered_10s"]
        print(f"same totals from both versions: {same}")
    goal = fast["aggregate_s"] < 2 and fast["peak_mb"] < 2048
    print(f"goal (aggregate_calls under 2 s, peak memory under 2 GB): {'met' if goal else 'NOT met'}; "
          f"with reading the Parquet file: {fast['total_s']:.2f} s")


if __name__ == "__main__":
    main()
