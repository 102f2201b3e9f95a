"""The nine Community Safety Partnerships (CSPs) of LLR and the names papers use for them.

Published tables do not agree on names: the allocations table says "SNWLP" and
"Melton Mowbray", Appendix One says "NWL" and "Leicester City". Every input is matched
against one reference list (``data/reference/csp_areas.csv``: canonical name, the short
name the allocations table prints, accepted aliases, local authority and its ONS code), so
an unknown name is an error that lists the nine, never a silently dropped row.

This module is the one reader of that file: the CSP spend page uses the names, the crime
page the local authority -> CSP lookup (:func:`csp_lookup`). The table it reads carries its
provenance like every other input (:func:`areas_table`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.datastore import PROJECT_ROOT, reference_path
from pcp_lib.io.schema import Column, Schema, read_table

__all__ = [
    "AREAS_FILE",
    "CSP_AREAS",
    "CspArea",
    "alias_pairs",
    "area_names",
    "areas_of",
    "areas_table",
    "canonical",
    "csp_lookup",
    "load_areas",
    "read_areas",
    "short_names",
]

AREAS_FILE = "csp_areas.csv"

CSP_AREAS = Schema(
    name="csp_areas",
    title="CSP areas reference",
    description="One row per Community Safety Partnership: canonical name, the short name the published "
                "allocations table prints, other accepted names (separated by ';'), its local authority and "
                "the authority's ONS code.",
    columns=(
        Column("csp_area", "text", "Canonical name of the CSP"),
        Column("short_name", "text", "The name the published allocations table prints"),
        Column("aliases", "text", "Other names papers use, separated by ';'", required=False),
        Column("local_authority", "text", "The local authority the CSP covers"),
        Column("la_code", "text", "The authority's ONS code"),
        Column("source", "text", "Where the names come from", required=False),
    ),
    key=("csp_area",),
)


@dataclass(frozen=True)
class CspArea:
    """One CSP: its canonical name, the short name published tables print, its aliases."""

    name: str
    short_name: str
    aliases: tuple[str, ...]
    local_authority: str
    la_code: str

    @property
    def variants(self) -> tuple[str, ...]:
        """Every name accepted for this CSP (canonical, short, aliases)."""
        return (self.name, self.short_name, *self.aliases)


def _clash_problems(df: pd.DataFrame, path: Path) -> list[Problem]:
    """A name (any variant, any case) or a local authority that points at two CSPs makes a
    lookup ambiguous: each must belong to one CSP only."""
    out: list[Problem] = []
    owner: dict[str, tuple[str, int]] = {}
    la_owner: dict[str, int] = {}
    for area in areas_of(df):
        row = int(df.loc[df["csp_area"] == area.name, "_row"].iloc[0])
        for v in area.variants:
            key = " ".join(v.split()).lower()
            if key in owner and owner[key][0] != area.name:
                out.append(Problem(file=rel(path), row=row, column="aliases",
                                   expected=f"names used by one CSP only ({v!r} is {owner[key][0]}'s, row "
                                            f"{owner[key][1]})", got=v))
            owner.setdefault(key, (area.name, row))
        if area.local_authority in la_owner:
            out.append(Problem(file=rel(path), row=row, column="local_authority",
                               expected=f"each local authority in one CSP only (already on row "
                                        f"{la_owner[area.local_authority]})", got=area.local_authority))
        la_owner.setdefault(area.local_authority, row)
    return out


def read_areas(path: str | Path) -> pd.DataFrame:
    """The reference list in ``path`` as a table (with its provenance), in file order (the
    order of the published table). A name or local authority given to two CSPs raises
    ``DataError``."""
    p = Path(path)
    df = read_table(p, CSP_AREAS)
    problems = _clash_problems(df, p)
    if problems:
        raise DataError(problems)
    return df


def areas_table(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The reference list of ``data_dir`` (the default data folder when None), read now."""
    return read_areas(reference_path(AREAS_FILE, data_dir))


def areas_of(table: pd.DataFrame) -> tuple[CspArea, ...]:
    """The CSPs of a reference table, in its order."""
    out = []
    for r in table.to_dict("records"):
        aliases = "" if pd.isna(r["aliases"]) else str(r["aliases"])
        out.append(CspArea(str(r["csp_area"]), str(r["short_name"]),
                           tuple(a.strip() for a in aliases.split(";") if a.strip()),
                           str(r["local_authority"]), str(r["la_code"])))
    return tuple(out)


@cache
def _default_areas() -> tuple[CspArea, ...]:
    # The schemas are module constants (templates and ``pcp validate`` are generated from
    # them), so their list of accepted names comes from the project's own reference file.
    return areas_of(read_areas(PROJECT_ROOT / "data" / "reference" / AREAS_FILE))


def load_areas(data_dir: str | Path | None = None) -> tuple[CspArea, ...]:
    """The CSPs from ``data_dir`` (the project's reference list when None)."""
    if data_dir is None:
        return _default_areas()
    return areas_of(areas_table(data_dir))


def csp_lookup(data_dir: str | Path | None = None) -> dict[str, str]:
    """Local authority -> CSP area (the nine LLR CSPs each cover one local authority)."""
    return {a.local_authority: a.name for a in areas_of(areas_table(data_dir))}


def area_names(areas: tuple[CspArea, ...] | None = None) -> tuple[str, ...]:
    """Canonical names in reference order."""
    return tuple(a.name for a in (areas or _default_areas()))


def alias_pairs(areas: tuple[CspArea, ...] | None = None) -> tuple[tuple[str, str], ...]:
    """(accepted variant, canonical name) for a ``choice`` column: short names and aliases."""
    pairs: list[tuple[str, str]] = []
    for a in areas or _default_areas():
        for variant in (a.short_name, *a.aliases):
            if variant.lower() != a.name.lower():
                pairs.append((variant, a.name))
    return tuple(pairs)


def canonical(name: str, areas: tuple[CspArea, ...] | None = None) -> str:
    """The canonical name of ``name`` (any accepted variant, any case); ValueError if unknown."""
    text = " ".join(str(name).split()).lower()
    for a in areas or _default_areas():
        if text in {v.lower() for v in a.variants}:
            return a.name
    raise ValueError(f"{name!r} is not one of the nine CSP areas ({', '.join(area_names(areas))})")


def short_names(areas: tuple[CspArea, ...] | None = None) -> dict[str, str]:
    """Canonical name -> the short name the published allocations table prints."""
    return {a.name: a.short_name for a in areas or _default_areas()}
