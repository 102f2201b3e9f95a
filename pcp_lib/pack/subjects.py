"""The subjects of the pack, declared once: each subject's page module, by the name a
notebook imports it under, and the notebook that shows it.

The pack renders the notebooks its subjects declare (``page.NOTEBOOK``), in the order of
their names, and no other: a scratch notebook an analyst saves in ``notebooks/`` (which
``make lab`` opens) is named in a warning and left out, so it can never be published as a
page of the pack, whatever it loads.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from pcp_lib.subjects.contact import page as contact_page
from pcp_lib.subjects.crime import page as crime_page
from pcp_lib.subjects.csp import page as csp_page
from pcp_lib.subjects.dashboard import page as dashboard_page
from pcp_lib.subjects.dtoa import page as dtoa_page

__all__ = ["SUBJECT_PAGES", "declared_notebooks", "undeclared_notebooks"]

#: The page module of each subject, by the name a notebook imports it under.
SUBJECT_PAGES: dict[str, ModuleType] = {"dashboard": dashboard_page, "contact": contact_page, "dtoa": dtoa_page,
                                        "csp": csp_page, "crime": crime_page}


def declared_notebooks() -> list[str]:
    """The file names of the pack's notebooks, as its subjects declare them, in name order."""
    return sorted(page.NOTEBOOK for page in SUBJECT_PAGES.values())


def undeclared_notebooks(folder: Path) -> list[Path]:
    """Notebooks in ``folder`` that no subject declares (scratch work, copies): never published."""
    declared = set(declared_notebooks())
    return sorted(p for p in folder.glob("*.ipynb") if p.name not in declared)
