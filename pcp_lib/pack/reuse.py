"""Re-render only what changed: when a page of the previous pack can be reused as it is.

A page's output is decided by its notebook, the ``pcp_lib`` code, the installed packages,
its parameters (quarter, audience, data folder), the pack's navigation (every page's title),
the reference data (read by the schemas when the code is imported, so before any recording
starts), which files the data folder holds, and the content of the data files it read while
rendering (recorded by :mod:`pcp_lib.pack.reads`). The first seven make the page's **key**,
computed before anything runs; the last are checked file by file against the previous run's
record in ``manifest.json``. A page is reused only when its key is the same, every file it
read has the same SHA-256, and its output file is still the one the manifest recorded (so a
page edited or damaged by hand is rendered again). Everything else is rendered. ``--force``
renders everything. A PDF is reused when the pages it prints and the print engine are the
same.

Adding or removing any data file changes the folder's listing and so every key (a page may
look for a file that was not there before); changing a file's content re-renders only the
pages that read it. The pack is the same whether a page was reused or rendered afresh,
because a page's output is a deterministic function of exactly these inputs.
"""

from __future__ import annotations

import hashlib
import platform
import sys
import sysconfig
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pcp_lib.core import fingerprint
from pcp_lib.core.fingerprint import digest, folder_fingerprint, sha256
from pcp_lib.io.datastore import PROJECT_ROOT

__all__ = ["PACKAGE_DIR", "Basis", "code_fingerprint", "data_listing", "folder_fingerprint", "packages_fingerprint",
           "page_key", "read_changed"]

PACKAGE_DIR = fingerprint.PACKAGE_DIR


def code_fingerprint() -> str:
    """Every file of the ``pcp_lib`` package at :data:`PACKAGE_DIR` (code, templates, stylesheet)."""
    return fingerprint.code_fingerprint(PACKAGE_DIR)


def packages_fingerprint() -> str:
    """Python's version and every installed distribution's name and version, read from the
    names of their metadata folders (``pandas-2.2.3.dist-info``) in the environment's
    site-packages: parsing each one's METADATA instead took half a second. (Not every folder
    on ``sys.path``: its first entry is the working folder or the script's, which differ
    between ``pcp`` and ``python -c``.)"""
    found = []
    for entry in sorted({Path(sysconfig.get_paths()[k]) for k in ("purelib", "platlib")}):
        if entry.is_dir():
            found += [p.name for p in entry.iterdir() if p.suffix in (".dist-info", ".egg-info")]
    return digest([platform.python_version(), sys.version, *sorted(found)])


def data_listing(data_dir: Path) -> list[str]:
    """The relative name of every file in the data folder (not their content)."""
    return sorted(str(p.relative_to(data_dir)) for p in data_dir.rglob("*") if p.is_file())


@dataclass(frozen=True)
class Basis:
    """What every page of a run depends on, computed once per run."""

    code: str
    packages: str
    reference: str
    listing: str

    @classmethod
    def of(cls, data_dir: Path) -> Basis:
        reference = digest([folder_fingerprint(PROJECT_ROOT / "data" / "reference"),
                             folder_fingerprint(data_dir / "reference")])
        return cls(code=code_fingerprint(), packages=packages_fingerprint(), reference=reference,
                   listing=digest(data_listing(data_dir)))


def page_key(basis: Basis, page: str, audience: str, source: bytes, params: Mapping[str, Any],
             nav: Any) -> str:
    """The key of one page for one audience: ``source`` is what it is rendered from (the
    notebook's bytes; for the front page, every notebook's), ``params`` its parameters and
    ``nav`` the pack's navigation as the page shows it."""
    return digest(["page", page, audience, hashlib.sha256(source).hexdigest(), dict(params), nav,
                    basis.code, basis.packages, basis.reference, basis.listing])


def read_changed(reads: Mapping[str, str], data_dir: Path) -> str | None:
    """The first recorded read (``data:`` name -> SHA-256) whose file is gone or differs now,
    or None when all are the same."""
    for name, recorded in reads.items():
        path = data_dir / name.removeprefix("data:")
        if not path.is_file() or sha256(path) != recorded:
            return name
    return None
