"""The quarterly batch run: execute every notebook for a quarter and audience, export the
pack as self-contained HTML, and publish it atomically.

Why it is built this way:
- Every ``notebooks/*.ipynb`` joins the pack automatically (no list to maintain).
- Notebooks run in parallel worker processes, up to ``jobs`` at once, one pool per audience;
  each worker keeps a warm kernel between notebooks (:mod:`pcp_lib.pack.kernels`) and
  exports in the same process (:mod:`pcp_lib.pack.execute`).
- The pack is assembled in a temporary folder beside the output and swapped in only when
  every notebook succeeded (:mod:`pcp_lib.pack.publish`): a failed run leaves the previous
  pack untouched.
- Exports are deterministic (:mod:`pcp_lib.pack.export`), so two runs on the same inputs give
  byte-identical pages; the run date lives only in the index pages (:mod:`pcp_lib.pack.index`)
  and the manifest (:mod:`pcp_lib.pack.manifest`).
- Each audience also gets ``pack.pdf``, printed by Chromium (:mod:`pcp_lib.pack.pdf`) from
  the pages just written and dated by the data run; without the print engine the HTML pack
  is still published and the run says in one line how to get the PDF.
- Public exports carry no executed notebooks (they hold the data), no stderr streams (they
  can carry local paths) and use a template with no outside web addresses.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import nbformat

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.display.page import AUDIENCES
from pcp_lib.io.datastore import PROJECT_ROOT, quarter_dirs, resolve_data_dir, return_file
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.execute import NotebookRun, run_one
from pcp_lib.pack.export import notebook_title
from pcp_lib.pack.front import front_html
from pcp_lib.pack.index import pack_index
from pcp_lib.pack.kernels import ensure_kernel, worker_init
from pcp_lib.pack.manifest import write_manifest
from pcp_lib.pack.navigation import Link, navigation
from pcp_lib.pack.pdf import HINT, engine, write_pdfs
from pcp_lib.pack.publish import FAILED, keep_failed, swap_in
from pcp_lib.pack.returns import all_returns, validate_paths

__all__ = ["AUDIENCES", "NOTEBOOKS_DIR", "NoDataForQuarter", "PackResult", "discover_notebooks", "pack_pages",
           "quarters_with_data", "run_pack"]

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"


def discover_notebooks(notebooks_dir: Path | None = None) -> list[Path]:
    """Every notebook of the pack, in name order (``00_...`` first)."""
    d = notebooks_dir or NOTEBOOKS_DIR
    return sorted(p for p in d.glob("*.ipynb") if not p.name.startswith((".", "_")))


class NoDataForQuarter(ValueError):
    """No return exists for the quarter asked for: a pack of it would show only older data."""


def quarters_with_data(data_dir: Path) -> list[Quarter]:
    """The quarters whose folder holds at least one return, in order."""
    return [q for q, folder in quarter_dirs(data_dir).items()
            if any(return_file(folder, name) is not None for name in all_returns())]


def _refuse_empty_quarter(q: Quarter, data: Path) -> None:
    """Stop, in one line, when no return exists for ``q``, naming the quarters that have data."""
    have = quarters_with_data(data)
    if q in have:
        return
    listed = ", ".join(x.label for x in have) if have else "none"
    raise NoDataForQuarter(
        f"no return for {q.label} in {rel(data / 'quarters')}/{q.slug}; quarters with data: {listed}. Nothing was "
        "rendered; to render a deliberately partial pack from older data, use --allow-partial.")


@dataclass
class PackResult:
    """What a run did. ``pack_dir`` is the real folder; ``shown_dir`` the same folder as the
    user gave it (their ``out_dir`` as typed), for messages."""

    ok: bool
    pack_dir: Path
    shown_dir: str = ""
    results: list[NotebookRun] = field(default_factory=list)
    failures: list[NotebookRun] = field(default_factory=list)
    seconds: float = 0.0
    #: Pages of each audience's pack.pdf (empty when no PDF was printed) and the seconds it took.
    pdf_pages: dict[str, int] = field(default_factory=dict)
    pdf_seconds: float = 0.0

    def __post_init__(self) -> None:
        if not self.shown_dir:
            self.shown_dir = rel(self.pack_dir)

    def failure_report(self) -> str:
        """One short block: which notebook, which cell, what error."""
        lines = [f"✖ The pack was not published: {len(self.failures)} notebook run(s) failed; "
                 f"any previous pack is left unchanged."]
        for f in self.failures:
            cell = f"cell {f['cell']}" if f.get("cell") is not None else "before any cell ran"
            error = f.get("error", "").strip()
            err = error.splitlines()[-1] if error else "unknown error"
            lines.append(f"  {f['notebook']} ({f['audience']}), {cell}: {err[:300]}")
        lines.append(f"  Executed notebooks kept for the analyst in {os.path.join(self.shown_dir, FAILED)}/")
        return "\n".join(lines)


def pack_pages(notebooks: list[Path]) -> list[Link]:
    """Every subject page of the pack, in order, titled by its notebook's ``# Title`` (static
    markdown, so known before anything runs: each page's header links to all of them)."""
    return [Link(f"{nb.stem}.html", notebook_title(nbformat.read(nb, as_version=4), nb.stem)) for nb in notebooks]


def _lanes(audiences: list[str], n_jobs: int) -> list[tuple[tuple[str, ...], int]]:
    """Worker pools: with both audiences and two or more jobs, one pool per audience (half the
    jobs each, the odd one to public), so each worker's warm kernel serves one audience only
    and is started once; otherwise one pool for everything."""
    if len(audiences) == 2 and n_jobs >= 2:
        return [(("public",), n_jobs - n_jobs // 2), (("restricted",), n_jobs // 2)]
    return [(tuple(audiences), n_jobs)]


def _execute_all(tasks: list[tuple[str, str]], audiences: list[str], n_jobs: int, quarter: Quarter,
                 data_param: str | None, work: Path, kernel: str, progress: bool,
                 pages: list[Link]) -> list[NotebookRun]:
    """Run every (notebook, audience) task in the worker pools; results in finishing order."""
    results: list[NotebookRun] = []
    bar = None
    if progress:
        from tqdm import tqdm  # only when a bar is wanted

        bar = tqdm(total=len(tasks), desc=f"{quarter.label}", unit="notebook", file=sys.stderr,
                   dynamic_ncols=True, leave=True)
    with ExitStack() as stack:
        lanes = []
        for auds, size in _lanes(audiences, n_jobs):
            pool = stack.enter_context(ProcessPoolExecutor(max_workers=size, initializer=worker_init))
            lanes.append((pool, size, [t for t in tasks if t[1] in auds]))
        running: dict[Future[NotebookRun], tuple[int, str, str]] = {}
        while any(pending for _, _, pending in lanes) or running:
            for i, (pool, size, pending) in enumerate(lanes):
                while pending and sum(1 for lane, *_ in running.values() if lane == i) < size:
                    nb, aud = pending.pop(0)
                    nav = navigation(quarter, aud, pages, f"{Path(nb).stem}.html")
                    fut = pool.submit(run_one, nb, aud, quarter.slug, data_param, str(work), kernel, nav)
                    running[fut] = (i, Path(nb).stem, aud)
            if bar is not None:
                bar.set_postfix_str("running: " + ", ".join(f"{n} ({a})" for _, n, a in running.values()))
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                running.pop(fut)
                results.append(fut.result())
                if bar is not None:
                    bar.update(1)
    if bar is not None:
        bar.set_postfix_str("done")
        bar.close()
    return results


def run_pack(quarter: Quarter | str, audience: str = "both", data_dir: str | Path | None = None,
             out_dir: str | Path | None = None, jobs: int | None = None,
             notebooks_dir: str | Path | None = None, progress: bool = True,
             allow_partial: bool = False, pdf: bool = True) -> PackResult:
    """Render the pack for a quarter (with ``pdf``, each audience's pack.pdf too). Raises
    ``DataError``/``ValueError`` for a bad quarter, audience or data folder before anything
    runs, and ``NoDataForQuarter`` when no return exists for the quarter (unless
    ``allow_partial``: then the pages show the latest data up to it and say so); otherwise
    returns a ``PackResult``."""
    q = Quarter.parse(quarter)
    if audience not in (*AUDIENCES, "both"):
        raise ValueError(f"audience must be public, restricted or both; got {audience!r}")
    audiences = list(AUDIENCES) if audience == "both" else [audience]
    data = resolve_data_dir(data_dir).resolve()
    if not allow_partial:
        _refuse_empty_quarter(q, data)
    nb_dir = Path(notebooks_dir).resolve() if notebooks_dir else NOTEBOOKS_DIR
    notebooks = discover_notebooks(nb_dir)
    if not notebooks:
        raise DataError(Problem(file=rel(nb_dir), expected="at least one notebook (*.ipynb)", got="none"))
    # Refuse to start on data that do not validate (the same report as `pcp validate`).
    folders: list[str | Path] = [f for qq, f in quarter_dirs(data).items() if qq <= q]
    problems = validate_paths(folders, data_dir=data) if folders else []
    if any(p.severity == "error" for p in problems):
        raise DataError([p for p in problems if p.severity == "error"])
    out_root = Path(out_dir).resolve() if out_dir else PROJECT_ROOT / "outputs"
    out_root.mkdir(parents=True, exist_ok=True)
    pack_dir = out_root / q.slug
    shown_dir = os.path.join(out_dir, q.slug) if out_dir else rel(pack_dir)
    kernel = ensure_kernel()
    # Notebooks run with their own folder as working directory: pass the data folder
    # relative to it, so no absolute path reaches an executed notebook.
    default = (PROJECT_ROOT / "data").resolve()
    data_param = None if data == default else os.path.relpath(data, nb_dir)

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=f".{q.slug}.", dir=out_root))
    tasks = [(str(nb), aud) for nb in notebooks for aud in audiences]
    n_jobs = max(1, jobs or os.cpu_count() or 1)
    pages = pack_pages(notebooks)
    try:
        results = _execute_all(tasks, audiences, n_jobs, q, data_param, work, kernel, progress, pages)
        failures = [r for r in results if not r["ok"]]
        result = PackResult(ok=not failures, pack_dir=pack_dir, shown_dir=shown_dir, results=results,
                            failures=failures)
        if failures:
            keep_failed(pack_dir, failures)
            return result
        result.pdf_pages, result.pdf_seconds = _publish(q, audiences, work, pack_dir, data, notebooks, results,
                                                        pages if pdf else None)
        result.seconds = round(time.perf_counter() - started, 1)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _publish(q: Quarter, audiences: list[str], work: Path, pack_dir: Path, data: Path,
             notebooks: list[Path], results: list[NotebookRun],
             pdf_pages: list[Link] | None) -> tuple[dict[str, int], float]:
    """Write the audience indexes and (given ``pdf_pages``, the pack's pages) each audience's
    PDF, swap the new audience folders in, then write the top-level index and the manifest
    for the pack as it now stands. Returns the PDFs' page counts and the seconds they took."""
    run_date = date.today().isoformat()
    order = {nb.name: i for i, nb in enumerate(notebooks)}
    for aud in audiences:
        pages = sorted((r for r in results if r["audience"] == aud), key=lambda r: order[r["notebook"]])
        (work / aud / "index.html").write_text(
            front_html(q, aud, pages, notebooks[0].parent, data, run_date), encoding="utf-8")
    counts: dict[str, int] = {}
    started = time.perf_counter()
    exe = engine() if pdf_pages is not None else None
    if pdf_pages is not None and exe is None:
        print(HINT, file=sys.stderr)
    elif pdf_pages is not None and exe is not None:
        counts = write_pdfs(work, q, audiences, pdf_pages, run_date, exe)
    seconds = round(time.perf_counter() - started, 1)
    swap_in(work, pack_dir, audiences)
    present = [a for a in AUDIENCES if (pack_dir / a).is_dir()]
    (pack_dir / "index.html").write_text(pack_index(q, present, run_date), encoding="utf-8")
    write_manifest(pack_dir, q, data, notebooks, present, run_date)
    return counts, seconds
