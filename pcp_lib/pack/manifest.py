"""The pack's ``manifest.json``: what a pack was made from and what it holds.

Quarter, package version, git commit (marked ``-dirty`` with uncommitted changes), run
date, the audiences present, and the SHA-256 of every input the pack can read and every
file it wrote, so anyone can tell later whether a pack still matches its data. It also
records, for each page and PDF, its key, the data files it read (``pages``) and whether this
run rendered it or reused it from an earlier run (:mod:`pcp_lib.pack.reuse`); the next run
reads those records back (:func:`read_manifest`).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pcp_lib
from pcp_lib.core.fingerprint import sha256
from pcp_lib.io.datastore import PROJECT_ROOT, quarter_dirs
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.execute import NotebookRun
from pcp_lib.pack.navigation import FRONT
from pcp_lib.pack.reuse import Basis
from pcp_lib.pack.tasks import Task

__all__ = ["MANIFEST", "data_names", "git_commit", "input_files", "input_hashes", "page_records", "read_manifest",
           "write_manifest"]

MANIFEST = "manifest.json"


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
    """The project's commit, with "-dirty" when tracked files have changed; "unknown" when
    the project is not a git checkout (an installed copy) or git is missing."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                             text=True, timeout=10, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() + ("-dirty" if dirty else "")


def _input_key(path: Path, data_dir: Path) -> str:
    """How an input is named in the manifest: relative to the project, else to the data
    folder ("data:..."), else its file name (no local folders)."""
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return "data:" + str(path.relative_to(data_dir)) if path.is_relative_to(data_dir) else path.name


def input_hashes(quarter: Quarter, data_dir: Path, notebooks: list[Path]) -> dict[str, str]:
    """The SHA-256 of every input a pack for ``quarter`` can read, by its manifest name."""
    return {_input_key(p, data_dir): sha256(p) for p in input_files(quarter, data_dir, notebooks)}


def read_manifest(pack_dir: Path) -> dict[str, Any] | None:
    """The manifest of the pack in ``pack_dir``, or None when there is none (or it is not
    readable JSON: then nothing of that pack is reused)."""
    try:
        found = json.loads((pack_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def write_manifest(pack_dir: Path, quarter: Quarter, data_dir: Path, notebooks: list[Path],
                   audiences: list[str], run_date: str, records: dict[str, Any] | None = None) -> Path:
    """Write ``pack_dir/manifest.json`` for the pack as it now stands, with ``records`` (what
    each page read, and what was reused) added; return its path."""
    inputs = input_hashes(quarter, data_dir, notebooks)
    outputs = {str(p.relative_to(pack_dir)): sha256(p) for p in sorted(pack_dir.rglob("*"))
               if p.is_file() and p.name != MANIFEST}
    manifest = {"quarter": quarter.label, "slug": quarter.slug, "package_version": pcp_lib.__version__,
                "git_commit": git_commit(), "run_date": run_date, "audiences": audiences,
                "inputs": inputs, "outputs": outputs, **(records or {})}
    path = pack_dir / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def data_names(reads: dict[str, str], data: Path) -> dict[str, str]:
    """Recorded reads (absolute path -> SHA-256) named as the manifest names them
    ("data:<path in the data folder>")."""
    root = data.resolve()
    return {"data:" + str(Path(p).relative_to(root)): h for p, h in sorted(reads.items())
            if Path(p).is_relative_to(root)}


def page_records(run: dict[str, Any], basis: Basis, reused: list[NotebookRun], results: list[NotebookRun],
                 rendered: list[Task], data: Path, audiences: list[str]) -> dict[str, Any]:
    """The manifest's records of this run (``run``: its id, options and timings): each page,
    reused (its old record) or rendered (its key, the data files it read, its findings); a
    front page rendered now reads what its pages read, since it rests on their findings."""
    records: dict[str, Any] = {"run": run, "code_sha256": basis.code, "packages_sha256": basis.packages, "pages": {}}
    for r in reused:
        records["pages"][f"{r['audience']}/{r['html']}"] = r["record"] | {"reused": True}
    for r, t in ((r, t) for r in results for t in rendered if (t.page, t.audience) == (r["notebook"], r["audience"])):
        records["pages"][f"{t.audience}/{t.html}"] = {"key": t.key, "reads": data_names(r["reads"], data),
                                                      "rendered_in": run["id"], "reused": False,
                                                      "seconds": r["seconds"]} | (
            {"findings": r.get("findings")} if t.notebook is not None else {})
    for aud in audiences:
        front = records["pages"].get(f"{aud}/{FRONT}")
        if front is not None and not front["reused"]:
            reads = dict(front["reads"])
            for name, rec in records["pages"].items():
                if name.startswith(f"{aud}/"):
                    reads |= rec.get("reads", {})
            front["reads"] = dict(sorted(reads.items()))
    return records
