"""The quarterly batch run: execute every notebook for a quarter and audience, export the
pack as self-contained HTML, and publish it atomically.

Why it is built this way:
- The pack is the notebooks its subjects declare (:mod:`pcp_lib.subjects.registry`), and no
  other: any other notebook in ``notebooks/`` (an analyst's scratch work) is named in a
  warning and left out, so it can never be published, whatever data it loads.
- The quarter's returns pass the gate first (:mod:`pcp_lib.returns.gate`): the same checks
  as ``pcp validate``.
- Every page of the previous pack whose inputs have not changed is kept as it is
  (:mod:`pcp_lib.pack.reuse`, :mod:`pcp_lib.pack.unchanged`).
- Notebooks run in parallel worker processes, up to ``jobs`` at once, one pool per audience;
  each worker keeps a warm kernel between notebooks (:mod:`pcp_lib.pack.kernels`) and
  exports in the same process (:mod:`pcp_lib.pack.execute`); each audience's front page is
  built from its pages' findings (:mod:`pcp_lib.pack.schedule`, :mod:`pcp_lib.front.page`).
- The pack is assembled in a temporary folder beside the output and swapped in only when
  every notebook succeeded (:mod:`pcp_lib.pack.publish`): a failed run leaves the previous
  pack untouched.

:func:`run_pack` settles what to render; :func:`_run` is the pipeline, top to bottom: gate,
plan, keep what is unchanged, render the rest (each audience's paper written as soon as its pages
are done), record, publish (the PDFs).
- Exports are deterministic (:mod:`pcp_lib.pack.export`), so two runs on the same inputs give
  byte-identical pages; the run date lives only in the index pages (:mod:`pcp_lib.pack.index`)
  and the manifest (:mod:`pcp_lib.pack.manifest`).
- Each audience also gets ``pack.pdf``, printed by Chromium (:mod:`pcp_lib.pack.pdf`) from
  the pages just written and dated by the data run; without the print engine the HTML pack
  is still published and the run says in one line how to get the PDF.
- Each audience also gets ``paper.docx``, the Plan Delivery Update in the OPCC's Word layout,
  built from the dashboard's data and the pages' findings (:mod:`pcp_lib.pack.paper`).
- Public exports carry no executed notebooks (they hold the data), no stderr streams (they
  can carry local paths) and use a template with no outside web addresses.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pcp_lib.core.audience import AUDIENCES
from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.display.charts.imagecache import CACHE_ENV
from pcp_lib.io.datastore import PROJECT_ROOT, folder_problems, resolve_data_dir
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.kernels import ensure_kernel
from pcp_lib.pack.manifest import page_records, read_manifest
from pcp_lib.pack.navigation import FRONT
from pcp_lib.pack.pages import NOTEBOOKS_DIR, discover_notebooks, left_out, pack_pages, select_only
from pcp_lib.pack.paper import write_papers
from pcp_lib.pack.pdf import engine
from pcp_lib.pack.publish import keep_failed, prune_charts, publish_pack
from pcp_lib.pack.result import PackResult
from pcp_lib.pack.reuse import Basis
from pcp_lib.pack.schedule import execute_all
from pcp_lib.pack.tasks import plan_tasks
from pcp_lib.pack.unchanged import take_unchanged, validated_before
from pcp_lib.returns.gate import NoDataForQuarter, quarters_with_data, refuse_empty_quarter, run_gate

__all__ = ["AUDIENCES", "NOTEBOOKS_DIR", "NoDataForQuarter", "PackResult", "discover_notebooks", "left_out",
           "pack_pages", "quarters_with_data", "run_pack"]


def run_pack(quarter: Quarter | str, audience: str = "both", data_dir: str | Path | None = None,
             out_dir: str | Path | None = None, jobs: int | None = None,
             notebooks_dir: str | Path | None = None, progress: bool = True,
             allow_partial: bool = False, pdf: bool = True, force: bool = False,
             only: Sequence[str] = (), notebooks: Sequence[str | Path] | None = None) -> PackResult:
    """Render the pack for a quarter (with ``pdf``, each audience's pack.pdf too), reusing
    every page of the previous pack whose inputs have not changed (``force``: none). ``only``
    names notebooks to render into the current pack, keeping its other pages as they are.
    The pack's pages are those :func:`discover_notebooks` finds in ``notebooks_dir``: in
    ``notebooks/``, the notebooks its subjects declare (others there are left out and listed in
    ``PackResult.left_out``); or exactly ``notebooks`` when given.
    Raises ``DataError``/``ValueError`` for a bad quarter, audience or data folder before
    anything runs, and ``NoDataForQuarter`` when no return exists for the quarter (unless
    ``allow_partial``: then the pages show the latest data up to it and say so); otherwise
    returns a ``PackResult``."""
    started = time.perf_counter()
    q = Quarter.parse(quarter)
    if audience not in (*AUDIENCES, "both"):
        raise ValueError(f"audience must be public, restricted or both; got {audience!r}")
    audiences = list(AUDIENCES) if audience == "both" else [audience]
    data = resolve_data_dir(data_dir).resolve()
    # A folder under quarters/ not named as a quarter is never read: refuse it first, whatever
    # the previous run validated (it is not among the inputs fingerprinted for that).
    misnamed = folder_problems(data / "quarters")
    if misnamed:
        raise DataError(misnamed)
    if not allow_partial:
        refuse_empty_quarter(q, data)
    excluded: list[Path] = []
    if notebooks is not None:
        chosen_nbs = sorted(Path(nb).resolve() for nb in notebooks)
        nb_dir = chosen_nbs[0].parent if chosen_nbs else NOTEBOOKS_DIR
        if any(nb.parent != nb_dir for nb in chosen_nbs):
            raise ValueError("the notebooks of a pack must be in one folder")
    else:
        nb_dir = Path(notebooks_dir).resolve() if notebooks_dir else NOTEBOOKS_DIR
        chosen_nbs = discover_notebooks(nb_dir)
        excluded = left_out(nb_dir)
    return _run(q, audiences, data, nb_dir, chosen_nbs, excluded, out_dir, jobs, progress, pdf, force, only, started,
                allow_partial)


def _run(q: Quarter, audiences: list[str], data: Path, nb_dir: Path, notebooks: list[Path], excluded: list[Path],
         out_dir: str | Path | None, jobs: int | None, progress: bool, pdf: bool, force: bool,
         only: Sequence[str], started: float, allow_partial: bool = False) -> PackResult:
    """:func:`run_pack` once its quarter, audiences, data and notebooks are settled."""
    if not notebooks:
        raise DataError(Problem(file=rel(nb_dir), expected="at least one notebook (*.ipynb)", got="none"))
    chosen = select_only(notebooks, only) if only else set()
    out_root = Path(out_dir).resolve() if out_dir else PROJECT_ROOT / "outputs"
    pack_dir = out_root / q.slug
    shown_dir = os.path.join(out_dir, q.slug) if out_dir else rel(pack_dir)
    previous = read_manifest(pack_dir)
    basis = Basis.of(data)

    # 1. The gate (pcp_lib.returns.gate): the quarter's folder through exactly what `pcp validate`
    # runs on it, warnings printed, any error (a gap too, unless allow_partial) refused. The
    # earlier folders' files are checked again only when the inputs or code changed.
    run_gate(q, data, allow_partial, older=not validated_before(previous, basis, q, data, notebooks))
    if only and (previous is None or any(not (pack_dir / a).is_dir() for a in audiences)):
        raise ValueError(f"--only updates an existing pack, and {shown_dir} has none for "
                         f"{' and '.join(audiences)}: render the whole pack first (pcp run --quarter \"{q.label}\")")
    out_root.mkdir(parents=True, exist_ok=True)

    # 2. The plan: every page for every audience, with its key. Notebooks run with their own
    # folder as working directory: the data folder is passed relative to it, so no absolute
    # path reaches an executed notebook.
    default = (PROJECT_ROOT / "data").resolve()
    data_param = None if data == default else os.path.relpath(data, nb_dir)
    run_date = date.today().isoformat()
    pages = pack_pages(notebooks)
    tasks = plan_tasks(q, audiences, notebooks, pages, basis, {"quarter": q.slug, "data_dir": data_param}, run_date)

    work = Path(tempfile.mkdtemp(prefix=f".{q.slug}.", dir=out_root))
    try:
        # 3. Keep every page of the previous pack whose inputs have not changed.
        reused, render, kept_stale = take_unchanged(tasks, previous, pack_dir, work, data, pages, only, chosen,
                                                    force, shown_dir)
        kept_fronts = {r["audience"] for r in reused if r["html"] == FRONT}
        # 4. Render the rest in worker pools; the front pages last, from their pages' findings.
        # Each audience's Word paper (pcp_lib.pack.paper, from the same data and findings) is
        # written in a thread here as soon as its pages are done, while the rest render.
        kernel = ensure_kernel() if any(t.notebook for t in render) else ""
        charts = work / ".charts" if force else out_root / ".cache" / "charts"
        had = set(os.listdir(charts)) if charts.is_dir() else set()
        n_jobs = max(1, jobs or os.cpu_count() or 1)
        prepared = time.perf_counter()
        given: dict[str, dict[str, Any]] = {}
        for r in reused:
            if r["record"].get("findings") is not None:
                given.setdefault(r["audience"], {})[r["html"]] = r["record"]["findings"]
        with ThreadPoolExecutor(max_workers=1) as side:
            writing: dict[str, Future[list[Path]]] = {}

            def paper_for(aud: str) -> None:
                if aud not in writing:
                    writing[aud] = side.submit(write_papers, q, [aud], work, data, pages, {aud: dict(given.get(aud, {}))},
                                               kept_fronts, pack_dir, previous)

            results = execute_all(render, audiences, n_jobs, q, data_param, data, work, kernel, progress, pages,
                                  run_date, {CACHE_ENV: str(charts)}, given, paper_for)
            executed = time.perf_counter()
            failures = [r for r in results if not r["ok"]]
            result = PackResult(ok=not failures, pack_dir=pack_dir, shown_dir=shown_dir, results=results + reused,
                                failures=failures, kept_stale=kept_stale, left_out=excluded)
            if failures:  # the previous pack stays as it was; the failures are kept for the analyst
                keep_failed(pack_dir, failures)
                return result

            # 5. Record what each page was made from, then publish: the PDFs (while the papers
            # not yet written are), swap in, index, manifest.
            for aud in audiences:
                paper_for(aud)

            drawn = len({f for f in os.listdir(charts) if f.endswith(".json")} - had) if charts.is_dir() else 0
            run = {"id": datetime.now().isoformat(timespec="seconds"), "force": force, "only": sorted(chosen),
                   "charts_drawn": drawn,
                   "seconds": {"prepare": round(prepared - started, 2), "pages": round(executed - prepared, 2)}}
            records = page_records(run, basis, reused, results, render, data, audiences)
            result.pdf_pages, result.pdf_seconds = publish_pack(q, audiences, work, pack_dir, data, notebooks, pages,
                                                                run_date, pdf, engine() if pdf else None, basis,
                                                                previous, records, force,
                                                                before_swap=lambda: [f.result() for f in writing.values()])
        prune_charts(charts)
        result.seconds = round(time.perf_counter() - started, 1)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)
