"""The nine Community Safety Partnerships (CSPs) of LLR and the names papers use for them.

Published tables do not agree on names: the allocations table says "SNWLP" and
"Melton Mowbray", Appendix One says "NWL" and "Leicester City". Every input is matched
against one reference list (``data/reference/csp_areas.csv``: canonical name, the short
name the allocations table prints, accepted aliases, local authority and its ONS code), so
an unknown name is an error that lists the nine, never a silently dropped row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.datastore import PROJECT_ROOT, reference_path

AREAS_FILE = "csp_areas.csv"


@dataclass(frozen=True)
class CspArea:
    """One CSP: its canonical name, the short name published tables print, its aliases."""

    name: str
    short_name: str
    aliases: tuple[str, ...]
    local_authority: str
    la_code: str


def read_areas(path: str | Path) -> tuple[CspArea, ...]:
    """The CSPs in a reference file, in its order (the order of the published table)."""
    p = Path(path)
    if not p.exists():
        raise DataError(Problem(file=rel(p), expected="the CSP reference list to exist", got="no such file"))
    with p.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    out = []
    for n, r in enumerate(rows, start=2):
        try:
            aliases = tuple(a.strip() for a in (r["aliases"] or "").split(";") if a.strip())
            out.append(CspArea(r["csp_area"].strip(), r["short_name"].strip(), aliases,
                               r["local_authority"].strip(), r["la_code"].strip()))
        except (KeyError, AttributeError) as exc:
            raise DataError(Problem(file=rel(p), row=n, expected="columns csp_area, short_name, aliases, "
                                    "local_authority, la_code", got=str(exc))) from exc
    return tuple(out)


@cache
def _default_areas() -> tuple[CspArea, ...]:
    # The schemas are module constants (templates and ``pcp validate`` are generated from
    # them), so their list of accepted names comes from the project's own reference file.
    return read_areas(PROJECT_ROOT / "data" / "reference" / AREAS_FILE)


def load_areas(data_dir: str | Path | None = None) -> tuple[CspArea, ...]:
    """The CSPs from ``data_dir`` (the project's reference list when None)."""
    if data_dir is None:
        return _default_areas()
    return read_areas(reference_path(AREAS_FILE, data_dir))


def csp_lookup(data_dir: str | Path | None = None) -> dict[str, str]:
    """Local authority -> CSP area, in reference order (the nine LLR CSPs each cover one local
    authority). Read from ``data_dir``'s reference list (``$PCP_DATA_DIR`` or the project's
    ``data/`` when None), through the same reader as every other use of the list."""
    return {a.local_authority: a.name for a in read_areas(reference_path(AREAS_FILE, data_dir))}


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
        if text in {a.name.lower(), a.short_name.lower(), *(x.lower() for x in a.aliases)}:
            return a.name
    raise ValueError(f"{name!r} is not one of the nine CSP areas ({', '.join(area_names(areas))})")


def short_names(areas: tuple[CspArea, ...] | None = None) -> dict[str, str]:
    """Canonical name -> the short name the published allocations table prints."""
    return {a.name: a.short_name for a in areas or _default_areas()}
