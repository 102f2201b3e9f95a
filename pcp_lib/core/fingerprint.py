"""Fingerprints: the SHA-256 of a file, of a list of plain values, of a folder, of the code.

One home for "has this changed?": the manifest records files by :func:`sha256`, the pack's
page reuse keys pages by :func:`digest` and :func:`code_fingerprint`, and the chart image
cache keys each chart by what it is drawn from and the code that draws it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["PACKAGE_DIR", "code_fingerprint", "digest", "folder_fingerprint", "sha256"]

#: The ``pcp_lib`` package folder.
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def sha256(path: Path) -> str:
    """The file's SHA-256, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def digest(parts: Iterable[Any]) -> str:
    """SHA-256 of plain values, each as sorted JSON (anything else by its ``str``)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(json.dumps(p, sort_keys=True, default=str).encode())
        h.update(b"\0")
    return h.hexdigest()


def folder_fingerprint(folder: Path, skip: tuple[str, ...] = ("__pycache__",)) -> str:
    """SHA-256 of every file under ``folder`` (relative name and content), in name order."""
    if not folder.is_dir():
        return digest(["absent"])
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not any(s in p.parts for s in skip))
    return digest((str(p.relative_to(folder)), sha256(p)) for p in files)


def code_fingerprint(package_dir: Path | None = None) -> str:
    """Every file of the ``pcp_lib`` package (code, templates, stylesheet)."""
    return folder_fingerprint(package_dir or PACKAGE_DIR)
