"""Putting a finished pack in place (its PDFs printed or reused, its index and manifest
written), or keeping a failed run's notebooks for the analyst.

The pack is assembled in a temporary folder beside the output and swapped in only when
every notebook succeeded: a failed run leaves the previous pack untouched and keeps its
failed notebooks in ``outputs/<quarter>/_failed/`` (only the latest run's failures).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pcp_lib.core.audience import AUDIENCES
from pcp_lib.core.fingerprint import sha256
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.execute import NotebookRun
from pcp_lib.pack.index import pack_index
from pcp_lib.pack.manifest import write_manifest
from pcp_lib.pack.navigation import FRONT, Link
from pcp_lib.pack.pdf import HINT, PDF_NAME, write_pdfs
from pcp_lib.pack.reuse import Basis

__all__ = ["FAILED", "keep_failed", "pdf_key", "prune_charts", "publish_pack", "swap_in"]

FAILED = "_failed"


def swap_in(work: Path, pack_dir: Path, audiences: Sequence[str]) -> None:
    """Replace each audience folder of ``pack_dir`` by the one built in ``work``, and clear a
    previous run's ``_failed/``. Each replacement is a rename within one file system."""
    pack_dir.mkdir(parents=True, exist_ok=True)
    trash = Path(tempfile.mkdtemp(prefix=f".{pack_dir.name}.old.", dir=pack_dir.parent))
    for aud in audiences:
        target = pack_dir / aud
        if target.exists():
            target.rename(trash / aud)
        (work / aud).rename(target)
    if (pack_dir / FAILED).exists():
        (pack_dir / FAILED).rename(trash / FAILED)
    shutil.rmtree(trash, ignore_errors=True)


def keep_failed(pack_dir: Path, failures: Sequence[NotebookRun]) -> Path:
    """Keep what is needed to see why each run failed, in ``pack_dir/_failed/`` (replacing an
    earlier run's): ``<name>-<audience>.txt``, the error and the end of the kernel's stderr,
    always; ``<name>-<audience>.ipynb``, the executed notebook, when it got that far. Returns
    that folder."""
    failed_dir = pack_dir / FAILED
    shutil.rmtree(failed_dir, ignore_errors=True)  # only this run's failures
    failed_dir.mkdir(parents=True, exist_ok=True)
    for f in failures:
        stem = f"{Path(f['notebook']).stem}-{f['audience']}"
        cell = f"cell {f['cell']}" if f.get("cell") is not None else "before any cell ran"
        text = f"{f['notebook']} ({f['audience']}), {cell}\n\n{f.get('error', '').strip() or 'unknown error'}\n"
        if f.get("stderr"):
            text += f"\nThe kernel's stderr (last lines):\n{f['stderr']}\n"
        (failed_dir / f"{stem}.txt").write_text(text, encoding="utf-8")
        executed = f.get("executed")
        if executed:
            shutil.copy2(executed, failed_dir / f"{stem}.ipynb")
    return failed_dir


def publish_pack(q: Quarter, audiences: list[str], work: Path, pack_dir: Path, data: Path, notebooks: list[Path],
                 pages: list[Link], run_date: str, pdf: bool, exe: str | None, basis: Basis,
                 previous: dict[str, Any] | None, records: dict[str, Any], force: bool = False,
                 before_swap: Callable[[], object] | None = None) -> tuple[dict[str, int], float]:
    """Print (or reuse) each audience's PDF (with ``pdf``, by the print engine ``exe``; without
    one, say in one line how to get it), call ``before_swap`` (the run waits there for its Word
    papers, written meanwhile: an error in them is raised before anything is swapped in), swap
    the new audience folders in, then write the top-level index and the manifest for the pack as
    it now stands. Returns the PDFs' page counts and the seconds they took."""
    counts, seconds = _print(q, audiences, work, pack_dir, pages, run_date, pdf, exe, basis, previous, records, force)
    if before_swap is not None:
        before_swap()
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


def _print(q: Quarter, audiences: list[str], work: Path, pack_dir: Path, pages: list[Link], run_date: str, pdf: bool,
           exe: str | None, basis: Basis, previous: dict[str, Any] | None, records: dict[str, Any],
           force: bool) -> tuple[dict[str, int], float]:
    """Print (or reuse) each audience's PDF into ``work``: :func:`publish_pack`'s first step."""
    counts: dict[str, int] = {}
    started = time.perf_counter()
    if pdf and exe is None:
        print(HINT, file=sys.stderr)
    elif exe is not None:
        hrefs = [FRONT, *(p.href for p in pages)]
        records["pdfs"] = {}
        to_print = []
        for aud in audiences:
            key = pdf_key(work / aud, hrefs, run_date, basis, exe)
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
    return counts, seconds


def pdf_key(audience_dir: Path, hrefs: list[str], run_date: str, basis: Basis, exe: str) -> str:
    """What an audience's PDF is printed from: its pages as written, the run date, the code
    and packages, and the print engine (its path and the date of its file)."""
    h = hashlib.sha256(json.dumps([run_date, basis.code, basis.packages, exe, Path(exe).resolve().stat().st_mtime],
                                  default=str).encode())
    for href in hrefs:
        h.update(href.encode() + b"\0" + (audience_dir / href).read_bytes() + b"\0")
    return h.hexdigest()


def prune_charts(charts: Path, days: int = 30) -> None:
    """Drop cached charts unused for ``days`` days (each use touches its file): images keyed
    by figure (``.png``, left by earlier versions) and charts keyed by their inputs (``.json``)."""
    if not charts.is_dir():
        return
    cutoff = time.time() - days * 86400
    for entry in [*charts.glob("*.png"), *charts.glob("*.json")]:
        if entry.stat().st_mtime < cutoff:
            entry.unlink(missing_ok=True)
