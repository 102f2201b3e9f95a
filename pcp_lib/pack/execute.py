"""Run one notebook for one audience in a pack worker, and export it.

Runs in a worker process (see :mod:`pcp_lib.pack.run`), on the worker's warm kernel
(:mod:`pcp_lib.pack.kernels`); the export to HTML happens in the same worker, so there is
no second start-up cost per notebook as with the ``papermill`` then ``jupyter nbconvert``
commands. Public exports carry no executed notebook (it holds the data).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, TypedDict

from pcp_lib.pack import findings as page_findings
from pcp_lib.pack.export import clean_notebook, export_html, notebook_title
from pcp_lib.pack.kernels import (
    READY_TIMEOUT,
    KernelError,
    drop_kernel,
    kernel_for,
    kernel_log,
    kernel_stderr,
    run_code,
    start_reads,
    stop_reads,
)

__all__ = ["NotebookRun", "run_one"]


class NotebookRun(TypedDict, total=False):
    """The outcome of one notebook for one audience (plain data: it crosses processes).

    Always ``ok``, ``notebook`` and ``audience``; on success ``title``, ``html`` (the page's
    file name), ``seconds``, ``reads`` (every data file it opened, by absolute path, with its
    SHA-256: :mod:`pcp_lib.pack.reads`), ``findings`` (the page's findings for the front
    page, as records: :mod:`pcp_lib.pack.findings`; None when its notebook shows no subject
    page) and ``reused`` (False: set by the run when a page was taken from the previous pack
    instead, with its manifest ``record``); on failure ``cell`` (execution count, or None when it failed
    before any cell ran), ``error`` (one line: the exception), ``executed`` (the partly
    executed notebook, if any) and ``stderr`` (the end of the kernel's stderr, "" if none).
    """

    ok: bool
    notebook: str
    audience: str
    title: str
    html: str
    seconds: float
    reads: dict[str, str]
    findings: list[dict[str, Any]] | None
    reused: bool
    record: dict[str, Any]
    cell: int | None
    error: str
    executed: str | None
    stderr: str


def _failure(src: Path, audience: str, cell: int | None, error: str, executed: Path,
             log: Path | None = None) -> NotebookRun:
    return {"ok": False, "notebook": src.name, "audience": audience, "cell": cell, "error": error,
            "executed": str(executed) if executed.exists() else None, "stderr": kernel_stderr(log)}


def run_one(notebook: str, audience: str, quarter_text: str, data_param: str | None,
            work_dir: str, kernel: str, nav: dict[str, Any] | None = None,
            data_root: str | None = None) -> NotebookRun:
    """Execute one notebook for one audience and export it to ``work_dir/<audience>/``, with
    the pack's header and foot ``nav`` (:func:`pcp_lib.pack.navigation.navigation`), recording
    the files it opens under ``data_root`` (the data folder, absolute).
    Never raises: a failure is returned (cell number and error) for the run to report."""
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    src = Path(notebook)
    out_dir = Path(work_dir) / audience
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / src.name
    params = {"quarter": quarter_text, "data_dir": data_param, "audience": audience}
    started = time.perf_counter()
    key = (kernel, audience, str(src.parent))
    log: Path | None = None
    try:
        km = kernel_for(key, Path(work_dir) / "_kernels")
        log = kernel_log(key)
        if data_root is not None:
            start_reads(km, [data_root], log)
        # One write at the end (papermill otherwise rewrites and re-validates the whole notebook
        # before and after every cell); the kernel is this worker's warm one, already answering.
        nb = pm.execute_notebook(str(src), str(executed), parameters=params, kernel_name=kernel,
                                 cwd=str(src.parent), progress_bar=False, log_output=False,
                                 request_save_on_cell_execute=False, km=km, start_timeout=int(READY_TIMEOUT))
        found = run_code(km, page_findings.code_for(src.name), log=log)  # the page's findings, from its own context
        reads = stop_reads(km, log) if data_root is not None else {}
    except PapermillExecutionError as exc:
        drop_kernel(key)
        return _failure(src, audience, exc.exec_count or exc.cell_index, f"{exc.ename}: {exc.evalue}", executed, log)
    except KernelError as exc:  # did not start or did not answer: the cause and the kernel's stderr
        drop_kernel(key)
        return _failure(src, audience, None, f"KernelError: {exc.summary}", executed, exc.log or log)
    except Exception as exc:  # kernel died mid-notebook, bad notebook JSON ...: reported, never swallowed
        drop_kernel(key)
        return _failure(src, audience, None, f"{type(exc).__name__}: {exc}", executed, log)
    clean_notebook(nb)
    title = notebook_title(nb, src.stem)
    page = out_dir / f"{src.stem}.html"
    page.write_text(export_html(nb, title, nav), encoding="utf-8")
    if audience == "restricted":
        nbformat.write(nb, executed)
    else:
        executed.unlink()
    return {"ok": True, "notebook": src.name, "audience": audience, "title": title,
            "html": page.name, "seconds": round(time.perf_counter() - started, 2), "reads": reads,
            "findings": json.loads(found), "reused": False}
