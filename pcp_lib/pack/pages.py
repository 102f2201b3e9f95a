"""Which notebooks are the pages of the pack, and what each page is called.

In the project's ``notebooks/`` the pack is the notebooks its subjects declare
(:mod:`pcp_lib.subjects.registry`) and no other: a notebook no subject declares (an analyst's
scratch work) is named in a warning and left out, so it can never be published. In any other
folder (a draft pack, ``pcp run --notebooks <folder>``) every notebook is a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import nbformat

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.datastore import PROJECT_ROOT
from pcp_lib.pack.export import notebook_title
from pcp_lib.pack.navigation import Link
from pcp_lib.subjects.registry import declared_notebooks, undeclared_notebooks

__all__ = ["NOTEBOOKS_DIR", "discover_notebooks", "left_out", "pack_pages", "select_only"]

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


def pack_pages(notebooks: list[Path]) -> list[Link]:
    """Every subject page of the pack, in order, titled by its notebook's ``# Title`` (static
    markdown, so known before anything runs: each page's header links to all of them)."""
    # nbformat.v4.reads, not nbformat.read: a title needs no schema validation (0.25 s a pack)
    return [Link(f"{nb.stem}.html", notebook_title(nbformat.v4.reads(nb.read_text(encoding="utf-8")), nb.stem))
            for nb in notebooks]


def select_only(notebooks: list[Path], only: Sequence[str]) -> set[str]:
    """The notebook file names ``--only`` names (by file name or stem); a clear error for a
    name that is not a notebook of the pack."""
    names = {nb.stem: nb.name for nb in notebooks} | {nb.name: nb.name for nb in notebooks}
    unknown = [o for o in only if o not in names]
    if unknown:
        raise ValueError(f"--only {', '.join(unknown)}: not a notebook of the pack; the notebooks are "
                         + ", ".join(nb.stem for nb in notebooks))
    return {names[o] for o in only}
