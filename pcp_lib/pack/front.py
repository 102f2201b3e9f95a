"""The front page of each audience's pack, laid out and published: built as plain data by
:mod:`pcp_lib.front.page` (from the pages' findings), rendered here in the pack's header and
foot (``templates/index/front.html.j2``) and written beside the pages by a pack worker.

The worker builds it in the warm kernel that has just run the audience's notebooks
(:func:`pcp_lib.pack.kernels.warm_kernel`): the front page gives each Red metric its
statistical evidence, which needs scipy and statsmodels, and importing them in the worker
itself took more than a second of each audience's front page, at the very end of its lane.
A worker with no such kernel (every page of the audience reused) builds it in its own process.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pcp_lib.display.page import Finding
from pcp_lib.front.page import FrontPage, build_front
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.execute import NotebookRun
from pcp_lib.pack.findings import from_records
from pcp_lib.pack.index import AUDIENCE_LABELS
from pcp_lib.pack.kernels import KernelError, drop_kernel, kernel_log, run_code, warm_kernel
from pcp_lib.pack.navigation import FRONT, FRONT_TITLE, Link, environment, navigation
from pcp_lib.pack.reads import start as start_reads
from pcp_lib.pack.reads import stop as stop_reads

__all__ = ["front_html", "front_job", "render_front"]


def render_front(front: FrontPage, run_date: str, nav: dict[str, Any] | None = None) -> str:
    """The front page as HTML (``templates/index/front.html.j2``; everything escaped), inside the
    pack's header and foot ``nav`` (:func:`pcp_lib.pack.navigation.navigation`)."""
    nav = nav if nav is not None else navigation(front.quarter, front.audience, [], FRONT)
    return environment().get_template("front.html.j2").render(front=front, quarter=front.quarter,
                                                              marking=AUDIENCE_LABELS[front.audience],
                                                              run_date=run_date, nav=nav)


def front_html(quarter: Quarter | str, audience: str, pages: Sequence[NotebookRun], notebooks_dir: str | Path,
               data_dir: str | Path | None, run_date: str, given: Mapping[str, list[Finding]] | None = None) -> str:
    """Build and render the front page in one call (for the pack run)."""
    front = build_front(quarter, audience, pages, notebooks_dir, data_dir, given)
    links = [Link(p["html"], p["title"]) for p in pages]
    return render_front(front, run_date, navigation(front.quarter, audience, links, FRONT))


def front_job(quarter_text: str, audience: str, pages: Sequence[NotebookRun], notebooks_dir: str,
              data_dir: str, run_date: str, work_dir: str,
              given: Mapping[str, list[dict[str, Any]]] | None = None, kernel: str = "") -> NotebookRun:
    """Build the front page in a pack worker, beside the notebooks (it needs only the pages'
    titles, known before they run, and the data), and write it to
    ``work_dir/<audience>/index.html``, recording the data files it reads
    (:mod:`pcp_lib.pack.reads`). ``given`` are the findings the pages' own runs computed
    (by page, as records: :mod:`pcp_lib.pack.findings`); a page without them has its
    findings computed here. With ``kernel`` (the kernel's name), it is built in this worker's
    warm kernel for the audience and ``notebooks_dir`` when there is one; if that kernel
    fails, it is shut down and the page is built here instead. Never raises: a failure is
    returned for the run to report."""
    started = time.perf_counter()
    done = _in_warm_kernel(quarter_text, audience, pages, notebooks_dir, data_dir, run_date, work_dir, given,
                           kernel) if kernel else None
    if done is not None:
        if done["ok"]:  # the seconds as the worker saw them, the kernel conversation included
            done["seconds"] = round(time.perf_counter() - started, 2)
        return done
    start_reads([data_dir])
    try:
        text = front_html(quarter_text, audience, pages, notebooks_dir, data_dir, run_date,
                          {html: from_records(records) for html, records in (given or {}).items()})
    except Exception as exc:  # reported with the page's name, like a failed notebook
        stop_reads()
        return {"ok": False, "notebook": FRONT, "audience": audience, "cell": None,
                "error": f"{type(exc).__name__}: {exc}", "executed": None}
    reads = stop_reads()
    out = Path(work_dir) / audience
    out.mkdir(parents=True, exist_ok=True)
    (out / FRONT).write_text(text, encoding="utf-8")
    return {"ok": True, "notebook": FRONT, "audience": audience, "title": FRONT_TITLE, "html": FRONT,
            "seconds": round(time.perf_counter() - started, 2), "reads": reads, "reused": False}


def _in_warm_kernel(quarter_text: str, audience: str, pages: Sequence[NotebookRun], notebooks_dir: str,
                    data_dir: str, run_date: str, work_dir: str, given: Mapping[str, list[dict[str, Any]]] | None,
                    kernel: str) -> NotebookRun | None:
    """:func:`front_job` run in this worker's warm kernel for the audience; None when there is
    none, or when it failed (it is then shut down, and the caller builds the page itself)."""
    key = (kernel, audience, notebooks_dir)
    km = warm_kernel(key)
    if km is None:
        return None
    args = [quarter_text, audience, list(pages), notebooks_dir, data_dir, run_date, work_dir, dict(given or {})]
    code = ("import json as _pcp_json, pcp_lib.pack.front as _pcp_front\n"
            f"print(_pcp_json.dumps(_pcp_front.front_job(*_pcp_json.loads({json.dumps(args)!r}))))\n"
            "del _pcp_json, _pcp_front\n")
    try:
        done: NotebookRun = json.loads(run_code(km, code, log=kernel_log(key)))
    except KernelError:  # the kernel died or the code failed in it: the caller builds the page instead
        drop_kernel(key)
        return None
    return done
