"""Which data files a page read, recorded as it ran, so an unchanged page can be reused.

A page of the pack depends on its notebook, the ``pcp_lib`` code, the installed packages and
its parameters, all known before it runs, and on the data files it reads, known only as it
runs: which returns a page opens depends on the quarter, on what the folder holds and on the
page's own logic. Rather than keep a list by hand that could go stale, Python's audit events
(PEP 578) report every file the process opens (``open``, ``io.open``, ``os.open``, and so
pandas, openpyxl and ``Path.read_text``); a hook keeps those under the data folders while a
page renders. The run hashes them (SHA-256) and records them in the manifest: a page is reused
only while every file it read still has the same content.

The hook runs in the kernel that executes a notebook (started and stopped by
:mod:`pcp_lib.pack.kernels`) and in the worker that builds a front page, and costs a path check
per file opened. It passes over what ``open`` itself refuses (an argument that is not a path, a
path with a NUL); any other exception in it is a bug and breaks the ``open`` it watches, so it is
seen, rather than leaving a read unrecorded (which would let a stale page be reused).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pcp_lib.core.fingerprint import sha256

__all__ = ["start", "stop"]

_ROOTS: tuple[str, ...] = ()
_SEEN: set[str] = set()
_INSTALLED = False


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event != "open" or not _ROOTS:
        return
    try:
        path = args[0]
        if isinstance(path, int) or path is None:  # an already-open descriptor
            return
        text = os.path.realpath(os.fsdecode(path))
        if text.startswith(_ROOTS):
            _SEEN.add(text)
    except (TypeError, ValueError, OSError):
        # not a path, a NUL in it, the working folder gone: the open refuses it itself. Any other
        # error is a bug: raised through the open, where it is seen, not a read left unrecorded.
        return


def start(roots: Iterable[str | Path]) -> None:
    """Start recording the files opened under ``roots`` (forgetting any earlier record)."""
    global _ROOTS, _INSTALLED
    if not _INSTALLED:
        sys.addaudithook(_hook)  # hooks cannot be removed: installed once, switched by _ROOTS
        _INSTALLED = True
    _SEEN.clear()
    _ROOTS = tuple(os.path.join(os.path.realpath(r), "") for r in roots)


def stop() -> dict[str, str]:
    """Stop recording; every regular file opened under the roots since :func:`start`, by
    its absolute path, with its SHA-256 now."""
    global _ROOTS
    _ROOTS = ()  # first: the hashing below opens the files again
    found = {p: sha256(Path(p)) for p in sorted(_SEEN) if os.path.isfile(p)}
    _SEEN.clear()
    return found
