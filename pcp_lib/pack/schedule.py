"""Rendering the pack's pages in worker pools (each page for each audience a
:class:`~pcp_lib.pack.tasks.Task`), notebooks first, each audience's front page once its pages (and their findings) are done.

Notebooks run in parallel worker processes, up to ``jobs`` at once, one pool per audience;
each worker keeps a warm kernel between notebooks (:mod:`pcp_lib.pack.kernels`) and exports
in the same process (:mod:`pcp_lib.pack.execute`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.execute import NotebookRun, run_one
from pcp_lib.pack.front import front_job
from pcp_lib.pack.kernels import worker_init
from pcp_lib.pack.navigation import FRONT, Link, navigation
from pcp_lib.pack.pages import NOTEBOOKS_DIR
from pcp_lib.pack.tasks import Task

__all__ = ["execute_all", "lane_order", "lanes_for"]


def lanes_for(audiences: list[str], n_jobs: int) -> list[tuple[tuple[str, ...], int]]:
    """Worker pools: with both audiences and two or more jobs, one pool per audience (half the
    jobs each, the odd one to public), so each worker's warm kernel serves one audience only
    and is started once; otherwise one pool for everything."""
    if len(audiences) == 2 and n_jobs >= 2:
        return [(("public",), n_jobs - n_jobs // 2), (("restricted",), n_jobs // 2)]
    return [(tuple(audiences), n_jobs)]


def lane_order(tasks: list[Task]) -> list[Task]:
    """The restricted notebooks in reverse order, the front pages last: the two audiences then
    start on different pages, so each draws the charts the other will take from the image
    cache when it gets there (:mod:`pcp_lib.display.charts.imagecache`)."""
    public = [t for t in tasks if t.audience == "public" and t.notebook]
    restricted = [t for t in tasks if t.audience == "restricted" and t.notebook][::-1]
    return public + restricted + [t for t in tasks if t.notebook is None]


def execute_all(tasks: list[Task], audiences: list[str], n_jobs: int, quarter: Quarter, data_param: str | None,
                 data: Path, work: Path, kernel: str, progress: bool, pages: list[Link], run_date: str,
                 env: dict[str, str], given: dict[str, dict[str, Any]],
                 when_done: Callable[[str], object] | None = None) -> list[NotebookRun]:
    """Render every task in the worker pools; results in finishing order. A front page waits
    for every page of its audience, and is built from their findings: ``given`` (audience ->
    page -> findings) holds the reused pages' and gains each rendered page's. ``when_done``
    is called with each audience once all its notebooks have succeeded (at once for an
    audience with none to run), in this process, while the others still render: the run
    starts that audience's Word paper then."""
    results: list[NotebookRun] = []
    notebooks_left = {aud: sum(1 for t in tasks if t.notebook is not None and t.audience == aud) for aud in audiences}
    if when_done is not None:
        for aud in audiences:
            if not notebooks_left[aud]:
                when_done(aud)
    bar = None
    if progress and tasks:
        from tqdm import tqdm  # only when a bar is wanted

        bar = tqdm(total=len(tasks), desc=f"{quarter.label}", unit="page", file=sys.stderr,
                   dynamic_ncols=True, leave=True)
    ordered = lane_order(tasks)
    front_pages: list[NotebookRun] = [{"notebook": f"{Path(link.href).stem}.ipynb", "title": link.title,
                                       "html": link.href} for link in pages]
    nb_dir = str(next((t.notebook.parent for t in tasks if t.notebook), NOTEBOOKS_DIR))
    with ExitStack() as stack:
        lanes = []
        for auds, size in lanes_for(audiences, n_jobs):
            pending = [t for t in ordered if t.audience in auds]
            if not pending:
                continue
            pool = stack.enter_context(ProcessPoolExecutor(max_workers=size, initializer=worker_init,
                                                           initargs=(env,)))
            lanes.append((pool, size, pending))
        running: dict[Future[NotebookRun], tuple[int, str, str]] = {}
        while any(pending for _, _, pending in lanes) or running:
            for i, (pool, size, pending) in enumerate(lanes):
                while pending and sum(1 for lane, *_ in running.values() if lane == i) < size:
                    t = pending[0]
                    if t.notebook is None and (
                            any(o.notebook is not None and o.audience == t.audience for o in pending)
                            or any(n != Path(FRONT).stem and a == t.audience for _, n, a in running.values())):
                        break  # a front page waits for its audience's pages (and their findings)
                    pending.pop(0)
                    if t.notebook is None:
                        fut = pool.submit(front_job, quarter.label, t.audience, front_pages, nb_dir, str(data),
                                          run_date, str(work), given.get(t.audience, {}), kernel)
                    else:
                        nav = navigation(quarter, t.audience, pages, t.html)
                        fut = pool.submit(run_one, str(t.notebook), t.audience, quarter.slug, data_param, str(work),
                                          kernel, nav, str(data))
                    running[fut] = (i, Path(t.page).stem, t.audience)
            if bar is not None:
                bar.set_postfix_str("running: " + ", ".join(f"{n} ({a})" for _, n, a in running.values()))
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                running.pop(fut)
                r = fut.result()
                results.append(r)
                if r["ok"] and r.get("findings") is not None:
                    given.setdefault(r["audience"], {})[r["html"]] = r["findings"]
                if r["ok"] and r["notebook"] != FRONT:
                    notebooks_left[r["audience"]] -= 1
                    if not notebooks_left[r["audience"]] and when_done is not None:
                        when_done(r["audience"])
                if bar is not None:
                    bar.update(1)
    if bar is not None:
        bar.set_postfix_str("done")
        bar.close()
    return results
