"""What a quarterly return is: its name, schema, provider, dating column and extra checks.

Each subject package declares its own returns (``RETURNS`` in its ``__init__``) beside the
loaders that read them; ``pcp_lib.subjects.registry`` gathers them for ``pcp validate``,
``pcp template``, ``pcp new-quarter`` and ``pcp list``. This module is only the shape of
a declaration, so subjects can declare returns without importing anything above them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import Problem
from pcp_lib.io.datastore import RETURN_SUFFIXES
from pcp_lib.io.schema import Schema
from pcp_lib.methods.periods import Quarter

__all__ = ["CrossCheck", "Prefill", "ReturnSpec"]

#: A check beyond the schema: (table, file, quarter of the file, data folder) -> problems.
CrossCheck = Callable[[pd.DataFrame, Path, Quarter | None, Path | None], list[Problem]]
#: The rows a blank template of the return holds already: (quarter, data folder) -> rows.
Prefill = Callable[[Quarter, Path], pd.DataFrame]


@dataclass(frozen=True)
class ReturnSpec:
    """A quarterly return: one file per quarter folder, named ``<name>.csv`` or ``.xlsx``
    (``suffixes``: the extensions read, in order of preference, whatever their case)."""

    name: str
    title: str
    schema: Schema
    provider: str
    period_column: str | None = None  # a month/date column that must fall in the quarter
    cross_check: CrossCheck | None = None
    required: bool = True
    suffixes: tuple[str, ...] = RETURN_SUFFIXES
    #: Rows its Excel template holds before it is filled (None: a blank sheet).
    prefill: Prefill | None = None
    #: Whether validation refuses last quarter's file sent again (``io.stale``); False for a
    #: return whose own cross-check refuses last quarter's values, more strictly.
    stale_check: bool = True
