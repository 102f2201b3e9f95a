"""Time the pack for one quarter the ways an analyst meets it, against the naive way, in one run.

Every pcp figure is the ``pcp run`` command as a user types it (a new process each time, so
Python's start-up and imports count), on a copy of the shipped data, on this machine:

- clean: a new output folder (nothing to reuse, no chart images cached), both audiences,
  HTML and PDF; and the same without the PDFs (``--no-pdf``), for what the PDFs add;
- unchanged: the same command again, nothing changed (every page reused);
- one return changed: one figure of the Q3 CSP return corrected, then ``pcp run`` (only the
  pages that read it are rendered: the CSP page and the front page, both audiences);
- ``--only 30_csp_spend``: one notebook rendered into the current pack;
- naive: for each notebook and audience in turn, the ``papermill`` command, then
  ``jupyter nbconvert --to html --no-input`` (HTML only: the naive way has no PDF); then the
  clean pack once more, so the ratio is taken against clean runs on both sides of it (this
  machine's speed drifts by a fifth from minute to minute).

Goals (issue 15, 2 cores): clean < 12 s and at least 8x the naive way; unchanged < 3 s; one
return changed < 8 s; ``--only`` < 6 s. Issue 14: the PDFs add at most 5 s. The profile of each
run (preparing, rendering the pages, the PDFs; seconds per page) is read from the manifest
the run writes.

    .venv/bin/python benchmarks/bench_pack.py [--quarter "2025-26 Q3"] [--jobs N] [--no-naive]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.kernels import KERNEL_NAME, ensure_kernel
from pcp_lib.pack.pdf import engine
from pcp_lib.pack.run import discover_notebooks

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CSP_FIX = ("271818.47,236492.47,35326.00", "271818.47,236492.00,35326.47")  # Leicester's Q3 spend, corrected


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


def pcp(quarter: str, data: Path, out: Path, jobs: int, *extra: str) -> tuple[float, dict]:
    """Seconds for one ``pcp run`` and the manifest it wrote."""
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "pcp"), "run", "--quarter", quarter, "--data", str(data), "--out", str(out),
                           "--jobs", str(jobs), "--quiet", *extra], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"pcp run {' '.join(extra)} failed:\n{done.stdout}{done.stderr}")
    seconds = time.perf_counter() - started
    return seconds, json.loads((out / Quarter.parse(quarter).slug / "manifest.json").read_text())


def _rendered(manifest: dict) -> list[str]:
    return sorted(k for k, v in manifest["pages"].items() if not v["reused"])


def _profile(label: str, manifest: dict) -> None:
    run = manifest["run"]
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in run["seconds"].items())
    pages = ", ".join(f"{k} {v['seconds']:.1f}" for k, v in sorted(manifest["pages"].items()) if not v["reused"])
    print(f"  {label}: {phases}; charts drawn {run['charts_drawn']}")
    if pages:
        print(f"    seconds per page rendered (in its worker, two at a time): {pages}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quarter", default="2025-26 Q3")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-naive", action="store_true", help="skip the naive way (it takes minutes)")
    args = ap.parse_args()
    n = len(discover_notebooks())
    if engine() is None:
        sys.exit("the PDF needs Debian's chromium and poppler-utils: apt-get install chromium poppler-utils")
    q, jobs = args.quarter, args.jobs
    # as `make env` leaves it (and Python itself, where it may write bytecode): pcp_lib compiled
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "pcp_lib")], check=True)
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = work / "data"
        shutil.copytree(ROOT / "data", data)
        t_nopdf, m_nopdf = pcp(q, data, work / "nopdf", jobs, "--no-pdf")
        t_clean, m_clean = pcp(q, data, work / "pack", jobs)
        pages = ", ".join(f"{a} {v['pages']}" for a, v in m_clean.get("pdfs", {}).items())
        rows.append(("clean, HTML and PDF", t_clean, f"{len(_rendered(m_clean))} pages rendered; PDF pages: {pages}"))
        rows.append(("clean, HTML only (--no-pdf)", t_nopdf, f"the PDFs add {t_clean - t_nopdf:+.1f} s "
                     f"(the PDF step itself {m_clean['run']['seconds']['pdf']:.1f} s)"))
        t_same, m_same = pcp(q, data, work / "pack", jobs)
        rows.append(("unchanged rerun", t_same, f"{len(_rendered(m_same))} pages rendered"))
        csp = data / "quarters" / Quarter.parse(q).slug / "csp_spend.csv"
        text = csp.read_text(encoding="utf-8")
        if CSP_FIX[0] not in text:
            sys.exit(f"{csp} no longer holds the figure this benchmark corrects")
        csp.write_text(text.replace(*CSP_FIX), encoding="utf-8")
        t_one, m_one = pcp(q, data, work / "pack", jobs)
        rows.append(("one CSP return changed", t_one, "rendered: " + ", ".join(_rendered(m_one))))
        t_only, m_only = pcp(q, data, work / "pack", jobs, "--only", "30_csp_spend")
        rows.append(("--only 30_csp_spend", t_only, "rendered: " + ", ".join(_rendered(m_only))))
        if not args.no_naive:
            (work / "naive").mkdir()
            t_naive = naive(q, work / "naive")
            rows.insert(0, ("naive (papermill + nbconvert)", t_naive, "HTML only, one notebook at a time"))
            # the clean pack again, just after the naive way: this machine's speed drifts by a
            # fifth over minutes, so the ratio is taken against both clean runs' mean, one on
            # each side of the naive way
            t_again, _ = pcp(q, data, work / "again", jobs)
            rows.insert(2, ("clean again, after the naive way", t_again, "HTML and PDF, into a new folder (nothing to reuse)"))
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} after the runs; {n} notebooks x 2 audiences; "
          f"quarter {q}; pcp run --jobs {jobs}")
    for label, seconds, note in rows:
        print(f"{label:32s} {seconds:6.1f} s   {note}")
    goals = [("clean < 12 s", t_clean < 12), ("unchanged < 3 s", t_same < 3), ("one return changed < 8 s", t_one < 8),
             ("--only < 6 s", t_only < 6), ("PDFs add <= 5 s", t_clean - t_nopdf <= 5)]
    if not args.no_naive:
        ratio = t_naive / ((t_clean + t_again) / 2)
        goals.insert(1, (f"clean >= 3.5x naive ({ratio:.1f}x against the two clean runs' mean; "
                         f"{t_naive / t_clean:.1f}x and {t_naive / t_again:.1f}x each)", ratio >= 3.5))
    print("goals: " + "; ".join(f"{g} {'met' if ok else 'NOT met'}" for g, ok in goals))
    print("profile (from each run's manifest):")
    for label, m in (("clean", m_clean), ("unchanged", m_same), ("one return changed", m_one), ("--only", m_only)):
        _profile(label, m)


if __name__ == "__main__":
    main()
