"""The pack's work, planned before anything runs: one :class:`Task` per page (each notebook,
and the front page) and audience, each with its reuse key (:mod:`pcp_lib.pack.reuse`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.navigation import FRONT, Link, navigation
from pcp_lib.pack.reuse import Basis, page_key

__all__ = ["Task", "plan_tasks"]


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


def plan_tasks(q: Quarter, audiences: list[str], notebooks: list[Path], pages: list[Link], basis: Basis,
               params: dict[str, Any], run_date: str) -> list[Task]:
    """Every page of the pack for every audience, notebooks first, then the front pages (whose
    key covers every notebook and the run date they show)."""
    all_sources = b"".join(nb.read_bytes() for nb in notebooks)
    tasks = [Task(nb.name, aud, page_key(basis, nb.name, aud, nb.read_bytes(), params,
                                         navigation(q, aud, pages, f"{nb.stem}.html")), nb)
             for aud in audiences for nb in notebooks]
    tasks += [Task(FRONT, aud, page_key(basis, FRONT, aud, all_sources, params | {"run_date": run_date},
                                        navigation(q, aud, pages, FRONT))) for aud in audiences]
    return tasks
