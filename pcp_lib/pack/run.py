"""The quarterly batch run: execute every notebook for a quarter and audience, export the
pack as self-contained HTML, and publish it atomically.

Why it is built this way:
- The pack is the notebooks its subjects declare (:mod:`pcp_lib.pack.subjects`), and no
  other: any other notebook in ``notebooks/`` (an analyst's scratch work) is named in a
  warning and left out, so it can never be published, whatever data it loads.
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

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import nbformat

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.core.fingerprint import sha256
from pcp_lib.display.charts.imagecache import CACHE_ENV
from pcp_lib.display.page import AUDIENCES
from pcp_lib.io.datastore import PROJECT_ROOT, folder_problems, quarter_dirs, resolve_data_dir, return_file
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.execute import NotebookRun, run_one
from pcp_lib.pack.export import notebook_title
from pcp_lib.pack.front import front_job
from pcp_lib.pack.gate import run_gate
from pcp_lib.pack.index import pack_index
from pcp_lib.pack.kernels import ensure_kernel, worker_init
from pcp_lib.pack.manifest import input_hashes, read_manifest, write_manifest
from pcp_lib.pack.navigation import FRONT, FRONT_TITLE, Link, navigation
from pcp_lib.pack.pdf import HINT, PDF_NAME, engine, write_pdfs
from pcp_lib.pack.publish import FAILED, keep_failed, swap_in
from pcp_lib.pack.returns import all_returns
from pcp_lib.pack.reuse import Basis, page_key, read_changed
from pcp_lib.pack.subjects import declared_notebooks, undeclared_notebooks

__all__ = ["AUDIENCES", "NOTEBOOKS_DIR", "NoDataForQuarter", "PackResult", "Task", "discover_notebooks",
           "left_out", "pack_pages", "quarters_with_data", "run_pack"]

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"


def discover_notebooks(notebooks_dir: Path | None = None) -> list[Path]:
    """The pack's notebooks, in name order (``00_...`` first). In the project's ``notebooks/``
    (the default), those its subjects declare: a declared notebook that is missing is an
    error, and a notebook no subject declares is not returned (:func:`left_out` names them).
    In any other folder (a draft pack, ``pcp run --notebooks <folder>``), every notebook in it
    whose name does not start with "." or "_"."""
    d = (notebooks_dir or NOTEBOOKS_DIR).resolve()
    if d != NOTEBOOKS_DIR.resolve():
        return sorted(p for p in d.glob("*.ipynb") if not p.name.startswith((".", "_")))
    missing = [name for name in declared_notebooks() if not (d / name).is_file()]
    if missing:
        raise DataError(Problem(file=rel(d), expected="the pack's notebooks, as its subjects declare them: "
                                + ", ".join(declared_notebooks()), got="no " + ", ".join(missing)))
    return [d / name for name in declared_notebooks()]


def left_out(notebooks_dir: Path | None = None) -> list[Path]:
    """Notebooks in the project's ``notebooks/`` that are not pages of the pack (no subject
    declares them): never rendered, never published. None for a draft folder."""
    d = (notebooks_dir or NOTEBOOKS_DIR).resolve()
    return undeclared_notebooks(d) if d == NOTEBOOKS_DIR.resolve() else []


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
    #: Pages ``--only`` kept as they were although their inputs have changed since they were rendered.
    kept_stale: list[str] = field(default_factory=list)
    #: Notebooks found beside the pack's own that no subject declares: left out of the pack.
    left_out: list[Path] = field(default_factory=list)

    @property
    def rendered(self) -> list[NotebookRun]:
        """The pages this run rendered (not reused from the previous pack)."""
        return [r for r in self.results if r["ok"] and not r.get("reused")]

    @property
    def reused(self) -> list[NotebookRun]:
        """The pages taken unchanged from the previous pack."""
        return [r for r in self.results if r.get("reused")]

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
        lines.append(f"  The errors (with each kernel's stderr) and the executed notebooks are kept for the analyst in "
                     f"{os.path.join(self.shown_dir, FAILED)}/")
        return "\n".join(lines)


def pack_pages(notebooks: list[Path]) -> list[Link]:
    """Every subject page of the pack, in order, titled by its notebook's ``# Title`` (static
    markdown, so known before anything runs: each page's header links to all of them)."""
    # nbformat.v4.reads, not nbformat.read: a title needs no schema validation (0.25 s a pack)
    return [Link(f"{nb.stem}.html", notebook_title(nbformat.v4.reads(nb.read_text(encoding="utf-8")), nb.stem))
            for nb in notebooks]


@dataclass(frozen=True)
class Task:
    """One page of the pack for one audience: a notebook (``notebook`` set) or the front page
    (``index.html``), with its reuse key (:func:`pcp_lib.pack.reuse.page_key`)."""

    page: str
    audience: str
    key: str
    notebook: Path | None = None

    @property
    def html(self) -> str:
        return f"{self.notebook.stem}.html" if self.notebook else FRONT

    @property
    def files(self) -> list[str]:
        """The files of the pack this page writes, relative to the pack folder."""
        out = [f"{self.audience}/{self.html}"]
        if self.notebook is not None and self.audience == "restricted":
            out.append(f"{self.audience}/{self.notebook.name}")
        return out


def _lanes(audiences: list[str], n_jobs: int) -> list[tuple[tuple[str, ...], int]]:
    """Worker pools: with both audiences and two or more jobs, one pool per audience (half the
    jobs each, the odd one to public), so each worker's warm kernel serves one audience only
    and is started once; otherwise one pool for everything."""
    if len(audiences) == 2 and n_jobs >= 2:
        return [(("public",), n_jobs - n_jobs // 2), (("restricted",), n_jobs // 2)]
    return [(tuple(audiences), n_jobs)]


def _lane_order(tasks: list[Task]) -> list[Task]:
    """The restricted notebooks in reverse order, the front pages last: the two audiences then
    start on different pages, so each draws the charts the other will take from the image
    cache when it gets there (:mod:`pcp_lib.display.charts.imagecache`)."""
    public = [t for t in tasks if t.audience == "public" and t.notebook]
    restricted = [t for t in tasks if t.audience == "restricted" and t.notebook][::-1]
    return public + restricted + [t for t in tasks if t.notebook is None]


def _execute_all(tasks: list[Task], audiences: list[str], n_jobs: int, quarter: Quarter, data_param: str | None,
                 data: Path, work: Path, kernel: str, progress: bool, pages: list[Link], run_date: str,
                 env: dict[str, str], given: dict[str, dict[str, Any]]) -> list[NotebookRun]:
    """Render every task in the worker pools; results in finishing order. A front page waits
    for every page of its audience, and is built from their findings: ``given`` (audience ->
    page -> findings) holds the reused pages' and gains each rendered page's."""
    results: list[NotebookRun] = []
    bar = None
    if progress and tasks:
        from tqdm import tqdm  # only when a bar is wanted

        bar = tqdm(total=len(tasks), desc=f"{quarter.label}", unit="page", file=sys.stderr,
                   dynamic_ncols=True, leave=True)
    ordered = _lane_order(tasks)
    front_pages: list[NotebookRun] = [{"notebook": f"{Path(link.href).stem}.ipynb", "title": link.title,
                                       "html": link.href} for link in pages]
    nb_dir = str(next((t.notebook.parent for t in tasks if t.notebook), NOTEBOOKS_DIR))
    with ExitStack() as stack:
        lanes = []
        for auds, size in _lanes(audiences, n_jobs):
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
                                          run_date, str(work), given.get(t.audience, {}))
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
                if bar is not None:
                    bar.update(1)
    if bar is not None:
        bar.set_postfix_str("done")
        bar.close()
    return results


def _select(notebooks: list[Path], only: Sequence[str]) -> set[str]:
    """The notebook file names ``--only`` names (by file name or stem); a clear error for a
    name that is not a notebook of the pack."""
    names = {nb.stem: nb.name for nb in notebooks} | {nb.name: nb.name for nb in notebooks}
    unknown = [o for o in only if o not in names]
    if unknown:
        raise ValueError(f"--only {', '.join(unknown)}: not a notebook of the pack; the notebooks are "
                         + ", ".join(nb.stem for nb in notebooks))
    return {names[o] for o in only}


def _reusable(task: Task, previous: dict[str, Any] | None, pack_dir: Path, data: Path) -> str | None:
    """Why ``task`` must be rendered (a short reason), or None when the previous pack's page
    can be reused as it is."""
    if previous is None:
        return "no previous pack"
    record = previous.get("pages", {}).get(f"{task.audience}/{task.html}")
    if record is None:
        return "not in the previous pack"
    if record.get("key") != task.key:
        return "its notebook, the code, the packages, its parameters or the data folder's files changed"
    changed = read_changed(record.get("reads", {}), data)
    if changed is not None:
        return f"{changed} changed"
    for f in task.files:
        if not (pack_dir / f).is_file() or sha256(pack_dir / f) != previous.get("outputs", {}).get(f):
            return f"{f} is not as the previous run wrote it"
    return None


def _validated_before(previous: dict[str, Any] | None, basis: Basis, quarter: Quarter, data: Path,
                      notebooks: list[Path]) -> bool:
    """Whether the previous run (which got as far as its manifest, so its inputs validated)
    read exactly these inputs, with the same code and packages: validating again would give
    the same answer."""
    return (previous is not None and previous.get("code_sha256") == basis.code
            and previous.get("packages_sha256") == basis.packages
            and previous.get("inputs") == input_hashes(quarter, data, notebooks))


def _names(reads: dict[str, str], data: Path) -> dict[str, str]:
    """Recorded reads (absolute path -> SHA-256) named as the manifest names them
    ("data:<path in the data folder>")."""
    root = data.resolve()
    return {"data:" + str(Path(p).relative_to(root)): h for p, h in sorted(reads.items())
            if Path(p).is_relative_to(root)}


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
        _refuse_empty_quarter(q, data)
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
    chosen = _select(notebooks, only) if only else set()
    out_root = Path(out_dir).resolve() if out_dir else PROJECT_ROOT / "outputs"
    pack_dir = out_root / q.slug
    shown_dir = os.path.join(out_dir, q.slug) if out_dir else rel(pack_dir)
    previous = read_manifest(pack_dir)
    basis = Basis.of(data)
    # The gate (pcp_lib.pack.gate): the quarter's folder through exactly what `pcp validate`
    # runs on it, warnings printed, any error (a gap too, unless allow_partial) refused. The
    # earlier folders' files are checked again only when the inputs or code changed.
    run_gate(q, data, allow_partial, older=not _validated_before(previous, basis, q, data, notebooks))
    if only and (previous is None or any(not (pack_dir / a).is_dir() for a in audiences)):
        raise ValueError(f"--only updates an existing pack, and {shown_dir} has none for "
                         f"{' and '.join(audiences)}: render the whole pack first (pcp run --quarter \"{q.label}\")")
    out_root.mkdir(parents=True, exist_ok=True)
    # Notebooks run with their own folder as working directory: pass the data folder
    # relative to it, so no absolute path reaches an executed notebook.
    default = (PROJECT_ROOT / "data").resolve()
    data_param = None if data == default else os.path.relpath(data, nb_dir)
    run_date = date.today().isoformat()
    pages = pack_pages(notebooks)
    params = {"quarter": q.slug, "data_dir": data_param}
    all_sources = b"".join(nb.read_bytes() for nb in notebooks)
    tasks = [Task(nb.name, aud, page_key(basis, nb.name, aud, nb.read_bytes(), params,
                                         navigation(q, aud, pages, f"{nb.stem}.html")), nb)
             for aud in audiences for nb in notebooks]
    tasks += [Task(FRONT, aud, page_key(basis, FRONT, aud, all_sources, params | {"run_date": run_date},
                                        navigation(q, aud, pages, FRONT))) for aud in audiences]

    work = Path(tempfile.mkdtemp(prefix=f".{q.slug}.", dir=out_root))
    try:
        reused: list[NotebookRun] = []
        render: list[Task] = []
        kept_stale: list[str] = []
        old_pages = (previous or {}).get("pages", {})
        for t in tasks:
            name = f"{t.audience}/{t.html}"
            keep = bool(only) and t.notebook is not None and t.page not in chosen  # --only: kept as it is
            why = ("named by --only" if t.page in chosen else "--force" if force and not keep
                   else _reusable(t, previous, pack_dir, data))
            if keep and why is not None:
                if not all((pack_dir / f).is_file() for f in t.files):
                    raise ValueError(f"--only: {shown_dir}/{name} is missing: render the whole pack first")
                kept_stale.append(name)
            if why is not None and not keep:
                render.append(t)
                continue
            for f in t.files:
                (work / f).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(pack_dir / f, work / f)
            # an out-of-date page kept by --only keeps its old record (old key): the next full run renders it
            record = dict(old_pages.get(name, {})) if why is not None else {
                "key": t.key, "reads": old_pages[name].get("reads", {}),
                "rendered_in": old_pages[name].get("rendered_in", "")} | (
                {"findings": old_pages[name]["findings"]} if "findings" in old_pages[name] else {})
            reused.append({"ok": True, "notebook": t.page, "audience": t.audience, "html": t.html,
                           "title": next((p.title for p in pages if p.href == t.html), FRONT_TITLE),
                           "reused": True, "record": record})
        kernel = ensure_kernel() if any(t.notebook for t in render) else ""
        charts = work / ".charts" if force else out_root / ".cache" / "charts"
        had = set(os.listdir(charts)) if charts.is_dir() else set()
        n_jobs = max(1, jobs or os.cpu_count() or 1)
        prepared = time.perf_counter()
        given: dict[str, dict[str, Any]] = {}
        for r in reused:
            if r["record"].get("findings") is not None:
                given.setdefault(r["audience"], {})[r["html"]] = r["record"]["findings"]
        results = _execute_all(render, audiences, n_jobs, q, data_param, data, work, kernel, progress, pages,
                               run_date, {CACHE_ENV: str(charts)}, given)
        executed = time.perf_counter()
        failures = [r for r in results if not r["ok"]]
        result = PackResult(ok=not failures, pack_dir=pack_dir, shown_dir=shown_dir, results=results + reused,
                            failures=failures, kept_stale=kept_stale, left_out=excluded)
        if failures:
            keep_failed(pack_dir, failures)
            return result
        run_id = datetime.now().isoformat(timespec="seconds")
        drawn = len({f for f in os.listdir(charts) if f.endswith(".json")} - had) if charts.is_dir() else 0
        records: dict[str, Any] = {
            "run": {"id": run_id, "force": force, "only": sorted(chosen), "charts_drawn": drawn,
                    "seconds": {"prepare": round(prepared - started, 2), "pages": round(executed - prepared, 2)}},
            "code_sha256": basis.code, "packages_sha256": basis.packages, "pages": {}}
        for r in reused:
            records["pages"][f"{r['audience']}/{r['html']}"] = r["record"] | {"reused": True}
        for r, t in ((r, t) for r in results for t in render if (t.page, t.audience) == (r["notebook"], r["audience"])):
            records["pages"][f"{t.audience}/{t.html}"] = {"key": t.key, "reads": _names(r["reads"], data),
                                                          "rendered_in": run_id, "reused": False,
                                                          "seconds": r["seconds"]} | (
                {"findings": r.get("findings")} if t.notebook is not None else {})
        for aud in audiences:  # a front page rests on its pages' findings: it reads what they read
            front = records["pages"].get(f"{aud}/{FRONT}")
            if front is not None and not front["reused"]:
                reads = dict(front["reads"])
                for name, rec in records["pages"].items():
                    if name.startswith(f"{aud}/"):
                        reads |= rec.get("reads", {})
                front["reads"] = dict(sorted(reads.items()))
        result.pdf_pages, result.pdf_seconds = _publish(q, audiences, work, pack_dir, data, notebooks, pages,
                                                        run_date, pdf, basis, previous, records, force)
        _prune(charts)
        result.seconds = round(time.perf_counter() - started, 1)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _prune(charts: Path, days: int = 30) -> None:
    """Drop cached charts unused for ``days`` days (each use touches its file): images keyed
    keyed by figure (``.png``, left by earlier versions) and charts keyed by their inputs (``.json``)."""
    if not charts.is_dir():
        return
    cutoff = time.time() - days * 86400
    for entry in [*charts.glob("*.png"), *charts.glob("*.json")]:
        if entry.stat().st_mtime < cutoff:
            entry.unlink(missing_ok=True)


def _pdf_key(audience_dir: Path, hrefs: list[str], run_date: str, basis: Basis, exe: str) -> str:
    """What an audience's PDF is printed from: its pages as written, the run date, the code
    and packages, and the print engine (its path and the date of its file)."""
    h = hashlib.sha256(json.dumps([run_date, basis.code, basis.packages, exe, Path(exe).resolve().stat().st_mtime],
                                  default=str).encode())
    for href in hrefs:
        h.update(href.encode() + b"\0" + (audience_dir / href).read_bytes() + b"\0")
    return h.hexdigest()


def _publish(q: Quarter, audiences: list[str], work: Path, pack_dir: Path, data: Path, notebooks: list[Path],
             pages: list[Link], run_date: str, pdf: bool, basis: Basis, previous: dict[str, Any] | None,
             records: dict[str, Any], force: bool = False) -> tuple[dict[str, int], float]:
    """Print (or reuse) each audience's PDF, swap the new audience folders in, then write the
    top-level index and the manifest for the pack as it now stands. Returns the PDFs' page
    counts and the seconds they took."""
    counts: dict[str, int] = {}
    started = time.perf_counter()
    exe = engine() if pdf else None
    if pdf and exe is None:
        print(HINT, file=sys.stderr)
    elif exe is not None:
        hrefs = [FRONT, *(p.href for p in pages)]
        records["pdfs"] = {}
        to_print = []
        for aud in audiences:
            key = _pdf_key(work / aud, hrefs, run_date, basis, exe)
            old = (previous or {}).get("pdfs", {}).get(aud, {})
            name = f"{aud}/{PDF_NAME}"
            if (not force and old.get("key") == key and (pack_dir / name).is_file()
                    and sha256(pack_dir / name) == (previous or {}).get("outputs", {}).get(name)):
                shutil.copy2(pack_dir / name, work / name)
                counts[aud] = int(old.get("pages", 0))
                records["pdfs"][aud] = old | {"reused": True}
            else:
                to_print.append(aud)
                records["pdfs"][aud] = {"key": key, "reused": False, "rendered_in": records["run"]["id"]}
        if to_print:
            guesses = {a: (previous or {}).get("pdfs", {}).get(a, {}).get("starts") or {} for a in to_print}
            for aud, (n, starts) in write_pdfs(work, q, to_print, pages, run_date, exe, guesses).items():
                counts[aud] = n
                records["pdfs"][aud]["starts"] = starts
        for aud in audiences:
            records["pdfs"][aud]["pages"] = counts[aud]
    seconds = round(time.perf_counter() - started, 1)
    records["run"]["seconds"]["pdf"] = round(time.perf_counter() - started, 2)
    swap_in(work, pack_dir, audiences)
    present = [a for a in AUDIENCES if (pack_dir / a).is_dir()]
    (pack_dir / "index.html").write_text(pack_index(q, present, run_date), encoding="utf-8")
    if previous is not None:  # an audience not rendered this time keeps its records
        for name, rec in previous.get("pages", {}).items():
            if name.split("/")[0] in present and name.split("/")[0] not in audiences:
                records["pages"].setdefault(name, rec)
        for aud, rec in previous.get("pdfs", {}).items():
            if aud in present and aud not in audiences:
                records.setdefault("pdfs", {}).setdefault(aud, rec)
    write_manifest(pack_dir, q, data, notebooks, present, run_date, records)
    return counts, seconds
