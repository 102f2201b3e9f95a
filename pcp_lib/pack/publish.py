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
    """Copy each failed run's executed notebook to ``pack_dir/_failed/<name>-<audience>.ipynb``
    (replacing an earlier run's); return that folder."""
    failed_dir = pack_dir / FAILED
    shutil.rmtree(failed_dir, ignore_errors=True)  # only this run's failures
    failed_dir.mkdir(parents=True, exist_ok=True)
    for f in failures:
        executed = f.get("executed")
        if executed:
            shutil.copy2(executed, failed_dir / f"{Path(f['notebook']).stem}-{f['audience']}.ipynb")
    return failed_dir
