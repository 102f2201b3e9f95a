"""Time the full pack for one quarter against the naive way an analyst would render it.

Naive: for each notebook and audience in turn, the ``papermill`` command, then
``jupyter nbconvert --to html --no-input``. pcp: ``pcp run`` (parallel workers, export in
the same process as execution). Both render every notebook in notebooks/ for both
audiences from the shipped data, in the same run, on this machine. Prints both times and
the ratio. Goals: the pack in under 30 s on a 2-core machine, at least 2x faster than naive.

    .venv/bin/python benchmarks/bench_pack.py [--quarter "2025-26 Q3"] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pcp_lib.pack.kernels import KERNEL_NAME, ensure_kernel
from pcp_lib.pack.run import discover_notebooks

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def naive(quarter: str, work: Path) -> float:
    notebooks = discover_notebooks()
    ensure_kernel()
    started = time.perf_counter()
    for nb in notebooks:
        for audience in ("public", "restricted"):
            out = work / f"{nb.stem}-{audience}.ipynb"
            subprocess.run([str(BIN / "papermill"), str(nb), str(out), "-p", "quarter", quarter,
                            "-p", "audience", audience, "-k", KERNEL_NAME, "--cwd", str(ROOT / "notebooks")],
                           check=True, capture_output=True)
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)],
                           check=True, capture_output=True)
    return time.perf_counter() - started


def pcp(quarter: str, work: Path, jobs: int) -> float:
    started = time.perf_counter()
    subprocess.run([str(BIN / "pcp"), "run", "--quarter", quarter, "--out", str(work), "--jobs", str(jobs),
                    "--quiet"], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quarter", default="2025-26 Q3")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    n = len(discover_notebooks())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "naive").mkdir()
        t_pcp = pcp(args.quarter, work / "pcp", args.jobs)
        t_naive = naive(args.quarter, work / "naive")
        shutil.rmtree(work / "pcp", ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores; {n} notebooks x 2 audiences = {2 * n} renders; quarter {args.quarter}")
    print(f"naive (papermill + nbconvert, one at a time): {t_naive:6.1f} s")
    print(f"pcp run --jobs {args.jobs}:                       {t_pcp:6.1f} s")
    print(f"ratio naive / pcp:                            {t_naive / t_pcp:6.2f}x")
    print(f"goal: pack < 30 s ({'met' if t_pcp < 30 else 'NOT met'}); >= 2x faster "
          f"({'met' if t_naive / t_pcp >= 2 else 'NOT met'})")


if __name__ == "__main__":
    main()
