"""Where the data live, and which quarters they cover.

Layout of a data folder (``data/`` by default)::

    reference/            metric register, populations, targets, CSP areas ... (rarely change)
    published/            figures transcribed exactly from published papers, with their source
    quarters/<slug>/      one folder per quarter ("2025-26-Q3"): that quarter's returns,
                          one file per return, named for its schema (``metric_values.csv``,
                          ``contact_monthly.csv``, ``csp_spend.csv`` ...), CSV or Excel

A series (say the contact monthly return) is the concatenation of that return over every
quarter folder up to the quarter asked for, so adding a quarter is adding files only.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import DataError, Problem, rel
from .periods import Quarter

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RETURN_SUFFIXES = (".csv", ".xlsx")


def default_data_dir() -> Path:
    """``$PCP_DATA_DIR`` if set, else the project's own ``data/``."""
    env = os.environ.get("PCP_DATA_DIR")
    return Path(env) if env else PROJECT_ROOT / "data"


def resolve_data_dir(data_dir: str | Path | None) -> Path:
    """The data folder to use; a clear error when it does not exist."""
    d = Path(data_dir) if data_dir else default_data_dir()
    if not d.is_dir():
        raise DataError(Problem(file=rel(d), expected="a data folder (with reference/ and quarters/)",
                                got="no such folder"))
    return d


def reference_path(name: str, data_dir: str | Path | None = None) -> Path:
    return resolve_data_dir(data_dir) / "reference" / name


def published_path(name: str, data_dir: str | Path | None = None) -> Path:
    return resolve_data_dir(data_dir) / "published" / name


def quarter_dirs(data_dir: str | Path | None = None) -> dict[Quarter, Path]:
    """Every quarter folder under ``quarters/``, in time order. Folders whose names are not
    quarter slugs are ignored (e.g. ``README.md``)."""
    root = resolve_data_dir(data_dir) / "quarters"
    found: dict[Quarter, Path] = {}
    if root.is_dir():
        for p in root.iterdir():
            if not p.is_dir():
                continue
            try:
                found[Quarter.parse(p.name)] = p
            except ValueError:
                continue
    return dict(sorted(found.items()))


def return_file(folder: Path, name: str) -> Path | None:
    """The file for return ``name`` in a quarter folder (CSV preferred), or None."""
    for suffix in RETURN_SUFFIXES:
        p = folder / f"{name}{suffix}"
        if p.exists():
            return p
    return None


def return_files(name: str, up_to: Quarter | str | None = None,
                 data_dir: str | Path | None = None) -> dict[Quarter, Path]:
    """The files of return ``name`` in every quarter folder up to and including ``up_to``."""
    limit = Quarter.parse(up_to) if up_to is not None else None
    out: dict[Quarter, Path] = {}
    for q, folder in quarter_dirs(data_dir).items():
        if limit is not None and q > limit:
            continue
        f = return_file(folder, name)
        if f is not None:
            out[q] = f
    return out


def latest_with(name: str, up_to: Quarter | str, data_dir: str | Path | None = None) -> Quarter | None:
    """The latest quarter up to ``up_to`` that has return ``name`` (None when there is none)."""
    files = return_files(name, up_to, data_dir)
    return max(files) if files else None


def source_note(path: str | Path) -> str | None:
    """The provenance note of a data file: the text of its sidecar ``<file>.source.txt``."""
    p = Path(path)
    side = p.with_name(p.name + ".source.txt")
    if side.exists():
        return side.read_text(encoding="utf-8").strip()
    return None


def is_synthetic(path: str | Path) -> bool:
    """True when the file's sidecar note starts with "SYNTHETIC" (sample data made by code)."""
    note = source_note(path)
    return bool(note) and note.upper().startswith("SYNTHETIC")
