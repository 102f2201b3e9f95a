"""The subjects of the pack, declared once: each subject's name, page module (whose
``NOTEBOOK`` names the notebook that shows it) and the quarterly returns it reads.

Everything that needs the list of subjects reads it here: the front page (each page's
``findings(ctx)``), the returns ``pcp validate``, ``pcp template`` and ``pcp new-quarter``
work from, the notebooks ``pcp run`` renders, and the tests of every notebook and page. A
new subject is one line in :data:`SUBJECTS` (CONTRIBUTING.md, "A new subject").

The pack renders the notebooks its subjects declare, in the order of their names, and no
other: a scratch notebook an analyst saves in ``notebooks/`` (which ``make lab`` opens) is
named in a warning and left out, so it can never be published as a page of the pack,
whatever it loads.

This is the one module of ``pcp_lib.subjects`` that imports every subject (the import
contracts in ``pyproject.toml`` let it, and no other); readers call the functions below,
which read :data:`SUBJECTS` when called, so a test can add a subject by replacing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from pcp_lib.display.page import Context, Finding
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.subjects import compare, contact, csp, dashboard, dtoa
from pcp_lib.subjects.compare import page as compare_page
from pcp_lib.subjects.contact import page as contact_page
from pcp_lib.subjects.crime import page as crime_page
from pcp_lib.subjects.csp import page as csp_page
from pcp_lib.subjects.dashboard import page as dashboard_page
from pcp_lib.subjects.dtoa import page as dtoa_page

__all__ = ["SUBJECTS", "Subject", "all_returns", "declared_notebooks", "subject_named", "subject_of_notebook",
           "subject_pages", "subjects", "undeclared_notebooks"]


@dataclass(frozen=True)
class Subject:
    """One subject of the pack: its ``name`` (its package under ``pcp_lib.subjects``), its
    ``page`` module (the page contract: ``NOTEBOOK``, ``TITLE``, ``SECTIONS``, ``load``,
    ``title``, ``findings``) and the quarterly ``returns`` it declares (none for a subject
    that reads only published or derived data)."""

    name: str
    page: ModuleType
    returns: tuple[ReturnSpec, ...] = ()

    @property
    def notebook(self) -> str:
        """The file name of the notebook that shows this subject's page."""
        return str(self.page.NOTEBOOK)

    def load(self, quarter: str, data_dir: str | Path | None = None, audience: str = "public") -> Any:
        """The page's context (its ``load``)."""
        return self.page.load(quarter, data_dir, audience)

    def owns(self, ctx: object) -> bool:
        """Whether ``ctx`` is this page's context (its class is defined in the page module)."""
        return isinstance(ctx, Context) and type(ctx).__module__ == self.page.__name__

    def findings(self, ctx: Any) -> list[Finding]:
        """The page's two or three most important findings, for the front page."""
        return list(self.page.findings(ctx))


#: Every subject of the pack, in notebook order.
SUBJECTS: tuple[Subject, ...] = (
    Subject("dashboard", dashboard_page, dashboard.RETURNS),
    Subject("contact", contact_page, contact.RETURNS),
    Subject("dtoa", dtoa_page, dtoa.RETURNS),
    Subject("csp", csp_page, csp.RETURNS),
    Subject("crime", crime_page),
    Subject("compare", compare_page, compare.RETURNS),
)


def subjects() -> tuple[Subject, ...]:
    """Every subject, in notebook order."""
    return SUBJECTS


def subject_named(name: str | None) -> Subject | None:
    """The subject called ``name`` (None for no such subject: a draft, a page not registered)."""
    return next((s for s in SUBJECTS if s.name == name), None)


def subject_of_notebook(notebook: str | Path) -> Subject | None:
    """The subject whose page the notebook (by file name) shows, or None."""
    name = Path(notebook).name
    return next((s for s in SUBJECTS if s.notebook == name), None)


def subject_pages() -> dict[str, ModuleType]:
    """Each subject's page module, by subject name, in notebook order."""
    return {s.name: s.page for s in SUBJECTS}


def all_returns() -> dict[str, ReturnSpec]:
    """Every quarterly return, by name, as the subjects declare them."""
    return {r.name: r for s in SUBJECTS for r in s.returns}


def declared_notebooks() -> list[str]:
    """The file names of the pack's notebooks, as its subjects declare them, in name order."""
    return sorted(s.notebook for s in SUBJECTS)


def undeclared_notebooks(folder: Path) -> list[Path]:
    """Notebooks in ``folder`` that no subject declares (scratch work, copies): never published."""
    declared = set(declared_notebooks())
    return sorted(p for p in folder.glob("*.ipynb") if p.name not in declared)
