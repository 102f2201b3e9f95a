"""Time the full pack for one quarter against the naive way an analyst would render it.

Naive: for each notebook and audience in turn, the ``papermill`` command, then
``jupyter nbconvert --to html --no-input``. pcp: ``pcp run`` (parallel workers, export in
the same process as execution). Both render every notebook in notebooks/ for both
audiences from the shipped data, in the same run, on this machine. Prints both times and
the ratio. Goals: the pack in under 30 s on a 2-core machine, at least 2x faster than naive.

The PDFs (pcp_lib.pack.pdf) are timed in the same run: the pack with and without them, and
the PDF step on its own (the run's own clock around it). Goal: the PDFs add at most 5 s.

    .venv/bin/python benchmarks/bench_pack.py [--quarter "2025-26 Q3"] [--jobs N] [--no-naive]
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
from pcp_lib.pack.pdf import engine
from pcp_lib.pack.run import discover_notebooks, run_pack

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


def with_and_without_pdf(quarter: str, work: Path, jobs: int) -> tuple[float, float, float, dict[str, int]]:
    """The pack without PDFs, then with them (same machine, same run, same order of work):
    seconds without, seconds with, the PDF step's own seconds, and each PDF's page count."""
    ensure_kernel()
    started = time.perf_counter()
    r = run_pack(quarter, out_dir=work / "no-pdf", jobs=jobs, progress=False, pdf=False)
    without = time.perf_counter() - started
    assert r.ok, r.failure_report()
    started = time.perf_counter()
    r = run_pack(quarter, out_dir=work / "pdf", jobs=jobs, progress=False, pdf=True)
    with_pdf = time.perf_counter() - started
    assert r.ok, r.failure_report()
    return without, with_pdf, r.pdf_seconds, r.pdf_pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quarter", default="2025-26 Q3")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-naive", action="store_true", help="time only pcp, with and without the PDFs")
    args = ap.parse_args()
    n = len(discover_notebooks())
    if engine() is None:
        sys.exit("the PDF needs Debian's chromium and poppler-utils: apt-get install chromium poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "naive").mkdir()
        without, with_pdf, pdf_step, pages = with_and_without_pdf(args.quarter, work, args.jobs)
        if not args.no_naive:
            t_pcp = pcp(args.quarter, work / "pcp", args.jobs)
            t_naive = naive(args.quarter, work / "naive")
        shutil.rmtree(work / "pcp", ignore_errors=True)
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f}; {n} notebooks x 2 audiences = {2 * n} "
          f"renders; quarter {args.quarter}")
    print(f"pack without PDFs:                            {without:6.1f} s")
    print(f"pack with PDFs:                               {with_pdf:6.1f} s  (PDF pages: "
          + ", ".join(f"{a} {p}" for a, p in pages.items()) + ")")
    print(f"the PDF step itself:                          {pdf_step:6.1f} s")
    print(f"goal: the PDFs add <= 5 s ({'met' if pdf_step <= 5 else 'NOT met'}; with minus without: "
          f"{with_pdf - without:+.1f} s)")
    if args.no_naive:
        return
    print(f"naive (papermill + nbconvert, one at a time): {t_naive:6.1f} s")
    print(f"pcp run --jobs {args.jobs}:                       {t_pcp:6.1f} s")
    print(f"ratio naive / pcp:                            {t_naive / t_pcp:6.2f}x")
    print(f"goal: pack < 30 s ({'met' if t_pcp < 30 else 'NOT met'}); >= 2x faster "
          f"({'met' if t_naive / t_pcp >= 2 else 'NOT met'})")


if __name__ == "__main__":
    main()
