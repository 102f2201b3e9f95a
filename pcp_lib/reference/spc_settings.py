"""The SPC setting: which special-cause rules (preset) every SPC chart in the pack uses.

Read from ``data/reference/spc_settings.csv`` (one row per setting, with why), so changing the
rules the Panel sees is a reviewed change to reference data, not to code. The presets themselves
(``"mdc"``, ``"nhsr"``) are defined in ``pcp_lib.methods.spc``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import DataError, Problem
from pcp_lib.io.datastore import reference_path
from pcp_lib.io.schema import Column, Schema, read_table
from pcp_lib.methods.spc import PRESETS

__all__ = ["SETTINGS", "SETTINGS_FILE", "load_settings", "spc_preset"]

SETTINGS_FILE = "spc_settings.csv"

SETTINGS = Schema(
    name="spc_settings",
    title="SPC settings",
    columns=(
        Column("setting", "choice", "The setting's name", choices=("preset",)),
        Column("value", "choice", "mdc (Making Data Count tool) or nhsr (NHSRplotthedots)", choices=tuple(PRESETS)),
        Column("description", "text", "What the setting does"),
        Column("source", "text", "Who decided it, and where it is explained"),
    ),
    key=("setting",),
)


def load_settings(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The SPC settings, one row per setting, with their provenance attached."""
    return read_table(reference_path(SETTINGS_FILE, data_dir), SETTINGS)


def spc_preset(settings: pd.DataFrame) -> str:
    """The preset every chart uses ("mdc" or "nhsr"); a clear error when the row is missing."""
    rows = settings[settings["setting"] == "preset"]
    if len(rows) != 1:
        raise DataError(Problem(file=SETTINGS_FILE, column="setting", expected="one row with setting 'preset'",
                                got=f"{len(rows)} rows"))
    return str(rows["value"].iloc[0])
