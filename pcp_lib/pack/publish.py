"""Putting a finished pack in place, or keeping a failed run's notebooks for the analyst.

The pack is assembled in a temporary folder beside the output and swapped in only when
every notebook succeeded: a failed run leaves the previous pack untouched and keeps its
failed notebooks in ``outputs/<quarter>/_failed/`` (only the latest run's failures).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pcp_lib.pack.execute import NotebookRun

__all__ = ["FAILED", "keep_failed", "swap_in"]

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
