"""The quarterly batch run: execute every notebook for a quarter and audience, export the
pack as self-contained HTML, and publish it atomically.

Why it is built this way:
- Every ``notebooks/*.ipynb`` joins the pack automatically (no list to maintain).
- Notebooks run in parallel worker processes, up to ``jobs`` at once, one pool per audience;
  each worker keeps a warm kernel between notebooks (cleared before each, see "Warm kernels"),
  and the export to HTML happens in the same worker, so there is no second start-up cost per
  notebook as with the ``papermill`` then ``jupyter nbconvert`` commands.
- The pack is assembled in a temporary folder beside the output and swapped in only when
  every notebook succeeded: a failed run leaves the previous pack untouched.
- Exports are deterministic (cell ids normalised, papermill timings dropped) so two runs on
  the same inputs give byte-identical HTML; the run date lives only in the index and manifest.
- Public exports carry no executed notebooks (they hold the data), no stderr streams (they
  can carry local paths) and use a template with no outside web addresses.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pcp_lib
from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.datastore import PROJECT_ROOT, quarter_dirs, resolve_data_dir
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.returns import validate_paths
from pcp_lib.subjects.dashboard.assess import assess_quarter, dashboard_quarter, for_audience, rag_counts

KERNEL_NAME = "pcp"
AUDIENCES = ("public", "restricted")
TEMPLATES = Path(__file__).resolve().parent / "templates"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"


def ensure_kernel() -> str:
    """Register this environment's Python as the Jupyter kernel ``pcp`` if it is missing,
    so a newcomer never sees "No such kernel". Returns the kernel name."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    ksm = KernelSpecManager()
    try:
        spec = ksm.get_kernel_spec(KERNEL_NAME)
        if spec.argv and Path(spec.argv[0]).exists() and (
                Path(spec.argv[0]).parent.parent.resolve() == Path(sys.prefix).resolve()):
            return KERNEL_NAME
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(user=False, kernel_name=KERNEL_NAME, display_name="Python (pcp)", prefix=sys.prefix)
    return KERNEL_NAME


def discover_notebooks(notebooks_dir: Path | None = None) -> list[Path]:
    """Every notebook of the pack, in name order (``00_...`` first)."""
    d = notebooks_dir or NOTEBOOKS_DIR
    return sorted(p for p in d.glob("*.ipynb") if not p.name.startswith((".", "_")))


# ---------------------------------------------------------------------------------------
# One notebook for one audience (runs in a worker process)
# ---------------------------------------------------------------------------------------
def clean_notebook(nb) -> None:
    """Make an executed notebook deterministic and safe to share: stable cell ids, no
    papermill timings or paths, no stderr streams (warnings can carry local paths)."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]


def export_html(nb, title: str) -> str:
    """The notebook as self-contained HTML with every code cell's input hidden and cells
    tagged ``remove_cell`` dropped."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.remove_cell_tags = {"remove_cell"}
    c.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=c, template_name="pcp", extra_template_basedirs=[str(TEMPLATES)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def notebook_title(nb, fallback: str) -> str:
    """The first markdown heading of the notebook."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE)
            if m:
                return m.group(1).strip()
    return fallback


def _quiet_worker() -> None:
    """Pool initializer: send the worker's (and so its kernels') stderr to /dev/null. Kernels
    print start-up warnings there that would bury the progress bar; every failure is reported
    back through the result instead. Also arranges for the worker's warm kernels to be shut
    down when the worker exits."""
    from multiprocessing import util

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    util.Finalize(None, _shutdown_kernels, exitpriority=100)


# ---------------------------------------------------------------------------------------
# Warm kernels
# ---------------------------------------------------------------------------------------
# A new kernel spends 2-3 s starting and importing pandas, matplotlib, scipy and statsmodels
# before a notebook's first figure. A worker therefore keeps its kernel between notebooks,
# one kernel per audience (a public notebook never runs in a kernel that ran a restricted
# one) and working folder, and before each notebook clears it: every variable, figure and
# the input/output history go, and the execution count starts again at 1, as in a new kernel.
# Imported modules stay (that is the saving); pcp_lib keeps no data between calls. A kernel
# whose notebook failed is shut down, so the next notebook starts afresh.
_KERNELS: dict[tuple[str, str, str], object] = {}

_RESET = ("get_ipython().run_line_magic('reset', '-f')\n"
          "import matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt\n"
          "get_ipython().execution_count = 1\n")


def _reset_kernel(km) -> bool:
    """Clear a warm kernel for the next notebook; False if it did not answer properly."""
    from jupyter_client.blocking import BlockingKernelClient

    kc = BlockingKernelClient()
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=30)
        reply = kc.execute_interactive(_RESET, silent=True, store_history=False, timeout=60,
                                       output_hook=lambda msg: None)
        return reply["content"]["status"] == "ok"
    except Exception:
        return False
    finally:
        kc.stop_channels()


def _kernel_for(kernel: str, audience: str, cwd: str):
    """This worker's kernel for ``audience`` and ``cwd``: the warm one, cleared, or a new one."""
    from jupyter_client import AsyncKernelManager
    from jupyter_core.utils import run_sync

    key = (kernel, audience, cwd)
    km = _KERNELS.get(key)
    if km is not None:
        if run_sync(km.is_alive)() and _reset_kernel(km):
            return km
        _drop_kernel(key)
    km = AsyncKernelManager(kernel_name=kernel)
    # as papermill's own kernels: history in memory only, started in the notebook's folder
    run_sync(km.start_kernel)(cwd=cwd, extra_arguments=["--HistoryManager.hist_file=:memory:"])
    _KERNELS[key] = km
    return km


def _drop_kernel(key: tuple[str, str, str]) -> None:
    from jupyter_core.utils import run_sync

    km = _KERNELS.pop(key, None)
    if km is None:
        return
    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # already gone
        pass


def _shutdown_kernels() -> None:
    for key in list(_KERNELS):
        _drop_kernel(key)


def run_one(notebook: str, audience: str, quarter_text: str, data_param: str | None,
            work_dir: str, kernel: str) -> dict:
    """Execute one notebook for one audience and export it. Never raises: returns a dict
    with ``ok`` and either the outputs or the failure (cell number and error)."""
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
    try:
        km = _kernel_for(*key)
        # One write at the end (papermill otherwise rewrites and re-validates the whole notebook
        # before and after every cell); the kernel is this worker's warm one (see above).
        nb = pm.execute_notebook(str(src), str(executed), parameters=params, kernel_name=kernel,
                                 cwd=str(src.parent), progress_bar=False, log_output=False,
                                 request_save_on_cell_execute=False, km=km)
    except PapermillExecutionError as exc:
        _drop_kernel(key)
        return {"ok": False, "notebook": src.name, "audience": audience,
                "cell": exc.exec_count or exc.cell_index, "error": f"{exc.ename}: {exc.evalue}",
                "executed": str(executed) if executed.exists() else None}
    except Exception as exc:  # kernel died, bad notebook JSON ...
        _drop_kernel(key)
        return {"ok": False, "notebook": src.name, "audience": audience, "cell": None,
                "error": f"{type(exc).__name__}: {exc}",
                "executed": str(executed) if executed.exists() else None}
    clean_notebook(nb)
    title = notebook_title(nb, src.stem)
    page = out_dir / f"{src.stem}.html"
    page.write_text(export_html(nb, title), encoding="utf-8")
    if audience == "restricted":
        nbformat.write(nb, executed)
    else:
        executed.unlink()
    return {"ok": True, "notebook": src.name, "audience": audience, "title": title,
            "html": page.name, "seconds": round(time.perf_counter() - started, 2)}


# ---------------------------------------------------------------------------------------
# The pack
# ---------------------------------------------------------------------------------------
@dataclass
class PackResult:
    ok: bool
    pack_dir: Path
    results: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    def failure_report(self) -> str:
        """One short block: which notebook, which cell, what error."""
        lines = [f"✖ The pack was not published: {len(self.failures)} notebook run(s) failed; "
                 f"any previous pack is left unchanged."]
        for f in self.failures:
            cell = f"cell {f['cell']}" if f.get("cell") is not None else "before any cell ran"
            err = f["error"].strip().splitlines()[-1] if f["error"].strip() else "unknown error"
            lines.append(f"  {f['notebook']} ({f['audience']}), {cell}: {err[:300]}")
        lines.append(f"  Executed notebooks kept for the analyst in {rel(self.pack_dir / '_failed')}/")
        return "\n".join(lines)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_files(quarter: Quarter, data_dir: Path, notebooks: list[Path]) -> list[Path]:
    """Every input a pack for ``quarter`` can read: reference, published and derived data,
    the quarter folders up to the quarter, and the notebooks themselves."""
    files: list[Path] = []
    for sub in ("reference", "published", "derived"):
        d = data_dir / sub
        if d.is_dir():
            files += sorted(p for p in d.rglob("*") if p.is_file())
    for q, folder in quarter_dirs(data_dir).items():
        if q <= quarter:
            files += sorted(p for p in folder.rglob("*") if p.is_file())
    return files + list(notebooks)


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                             text=True, timeout=10, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return out.stdout.strip() + ("-dirty" if dirty else "")
    except Exception:
        return "unknown"


def _rag_summary(quarter: Quarter, data_dir: Path, audience: str) -> str:
    """A short sentence of the Plan's RAG counts for the index page."""

    shown = dashboard_quarter(quarter, data_dir)
    if shown is None:
        return f"No Plan metric values up to {quarter.label}."
    counts = rag_counts(for_audience(assess_quarter(shown, data_dir), audience))
    parts = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
    prefix = "" if shown == quarter else f"Latest Plan data are for {shown.label}: "
    return f"{prefix}{int(counts.sum())} headline metrics: {parts}."


def index_page(quarter: Quarter, audience: str, pages: list[dict], rag_summary: str, run_date: str) -> str:
    links = "".join(f'<li><a href="{html.escape(p["html"])}">{html.escape(p["title"])}</a></li>' for p in pages)
    label = "Public" if audience == "public" else "RESTRICTED: not for publication"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>Police and Crime Plan performance pack: {html.escape(quarter.label)}</title>"
        "<style>body{font-family:sans-serif;max-width:900px;margin:2em auto;line-height:1.5}"
        "li{margin:0.3em 0}.tag{font-weight:bold}</style></head><body>"
        f"<h1>Police and Crime Plan performance pack: {html.escape(quarter.label)}</h1>"
        f"<p>{html.escape(quarter.month_names)}. <span class=\"tag\">{html.escape(label)}</span></p>"
        f"<p>Data run made on {html.escape(run_date)}.</p>"
        f"<h2>Plan dashboard at a glance</h2><p>{html.escape(rag_summary)}</p>"
        f"<h2>Contents</h2><ul>{links}</ul></body></html>\n"
    )


def _lanes(audiences: list[str], n_jobs: int) -> list[tuple[tuple[str, ...], int]]:
    """Worker pools: with both audiences and two or more jobs, one pool per audience (half the
    jobs each, the odd one to public), so each worker's warm kernel serves one audience only
    and is started once; otherwise one pool for everything."""
    if len(audiences) == 2 and n_jobs >= 2:
        return [(("public",), n_jobs - n_jobs // 2), (("restricted",), n_jobs // 2)]
    return [(tuple(audiences), n_jobs)]


def run_pack(quarter: Quarter | str, audience: str = "both", data_dir: str | Path | None = None,
             out_dir: str | Path | None = None, jobs: int | None = None,
             notebooks_dir: str | Path | None = None, progress: bool = True) -> PackResult:
    """Render the pack for a quarter. Raises ``DataError``/``ValueError`` for a bad quarter,
    audience or data folder before anything runs; otherwise returns a ``PackResult``."""
    q = Quarter.parse(quarter)
    if audience not in (*AUDIENCES, "both"):
        raise ValueError(f"audience must be public, restricted or both; got {audience!r}")
    audiences = list(AUDIENCES) if audience == "both" else [audience]
    data = resolve_data_dir(data_dir).resolve()
    nb_dir = Path(notebooks_dir).resolve() if notebooks_dir else NOTEBOOKS_DIR
    notebooks = discover_notebooks(nb_dir)
    if not notebooks:
        raise DataError(Problem(file=rel(nb_dir), expected="at least one notebook (*.ipynb)", got="none"))
    # Refuse to start on data that do not validate (the same report as `pcp validate`).

    folders = [f for qq, f in quarter_dirs(data).items() if qq <= q]
    problems = validate_paths(folders, data_dir=data) if folders else []
    if any(p.severity == "error" for p in problems):
        raise DataError([p for p in problems if p.severity == "error"])
    out_root = Path(out_dir).resolve() if out_dir else PROJECT_ROOT / "outputs"
    out_root.mkdir(parents=True, exist_ok=True)
    pack_dir = out_root / q.slug
    kernel = ensure_kernel()
    # Notebooks run with their own folder as working directory: pass the data folder
    # relative to it, so no absolute path reaches an executed notebook.
    default = (PROJECT_ROOT / "data").resolve()
    data_param = None if data == default else os.path.relpath(data, nb_dir)

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=f".{q.slug}.", dir=out_root))
    tasks = [(str(nb), aud) for nb in notebooks for aud in audiences]
    results: list[dict] = []
    n_jobs = max(1, jobs or os.cpu_count() or 1)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(tasks), desc=f"{q.label}", unit="notebook", file=sys.stderr,
                   dynamic_ncols=True, leave=True)
    try:
        with ExitStack() as stack:
            lanes = []
            for auds, size in _lanes(audiences, n_jobs):
                pool = stack.enter_context(ProcessPoolExecutor(max_workers=size, initializer=_quiet_worker))
                lanes.append((pool, size, [t for t in tasks if t[1] in auds]))
            running: dict[Future, tuple[int, str, str]] = {}
            while any(pending for _, _, pending in lanes) or running:
                for i, (pool, size, pending) in enumerate(lanes):
                    while pending and sum(1 for lane, *_ in running.values() if lane == i) < size:
                        nb, aud = pending.pop(0)
                        fut = pool.submit(run_one, nb, aud, q.slug, data_param, str(work), kernel)
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
        failures = [r for r in results if not r["ok"]]
        result = PackResult(ok=not failures, pack_dir=pack_dir, results=results, failures=failures)
        if failures:
            failed_dir = pack_dir / "_failed"
            shutil.rmtree(failed_dir, ignore_errors=True)  # only this run's failures
            failed_dir.mkdir(parents=True, exist_ok=True)
            for f in failures:
                if f.get("executed"):
                    shutil.copy2(f["executed"], failed_dir / f"{Path(f['notebook']).stem}-{f['audience']}.ipynb")
            return result
        _publish(q, audiences, work, pack_dir, data, notebooks, results)
        result.seconds = round(time.perf_counter() - started, 1)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _publish(q: Quarter, audiences: list[str], work: Path, pack_dir: Path, data: Path,
             notebooks: list[Path], results: list[dict]) -> None:
    """Write the indexes and manifest, then swap the new audience folders in."""
    run_date = date.today().isoformat()
    order = {nb.name: i for i, nb in enumerate(notebooks)}
    for aud in audiences:
        pages = sorted((r for r in results if r["audience"] == aud), key=lambda r: order[r["notebook"]])
        (work / aud / "index.html").write_text(
            index_page(q, aud, pages, _rag_summary(q, data, aud), run_date), encoding="utf-8")

    pack_dir.mkdir(parents=True, exist_ok=True)
    trash = Path(tempfile.mkdtemp(prefix=f".{q.slug}.old.", dir=pack_dir.parent))
    for aud in audiences:
        target = pack_dir / aud
        if target.exists():
            target.rename(trash / aud)
        (work / aud).rename(target)
    if (pack_dir / "_failed").exists():
        (pack_dir / "_failed").rename(trash / "_failed")
    shutil.rmtree(trash, ignore_errors=True)

    present = [a for a in AUDIENCES if (pack_dir / a).is_dir()]
    links = "".join(f'<li><a href="{a}/index.html">{"Public" if a == "public" else "Restricted"} pack</a></li>'
                    for a in present)
    (pack_dir / "index.html").write_text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>Performance pack {html.escape(q.label)}</title></head><body>"
        f"<h1>Police and Crime Plan performance pack: {html.escape(q.label)}</h1>"
        f"<p>Data run made on {html.escape(run_date)}.</p><ul>{links}</ul></body></html>\n", encoding="utf-8")

    inputs = {}
    for p in input_files(q, data, notebooks):
        try:
            key = str(p.relative_to(PROJECT_ROOT))
        except ValueError:
            key = "data:" + str(p.relative_to(data)) if p.is_relative_to(data) else p.name
        inputs[key] = _sha256(p)
    outputs = {str(p.relative_to(pack_dir)): _sha256(p) for p in sorted(pack_dir.rglob("*"))
               if p.is_file() and p.name != "manifest.json"}
    manifest = {"quarter": q.label, "slug": q.slug, "package_version": pcp_lib.__version__, "git_commit": git_commit(),
                "run_date": run_date, "audiences": present, "inputs": inputs, "outputs": outputs}
    (pack_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
