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
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.core.provenance import Provenance, attach, combine, provenance_of
from pcp_lib.io.schema import Schema, frame, read_table
from pcp_lib.methods.periods import Quarter

__all__ = [
    "PROJECT_ROOT", "RETURN_SUFFIXES", "default_data_dir", "folder_problems", "last_period", "latest_with",
    "load_quarterly", "published_path", "quarter_dirs", "reference_path", "resolve_data_dir",
    "return_file", "return_files"
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
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
    """Every quarter folder under ``quarters/``, in time order: folders named exactly as a
    quarter's slug ("2025-26-Q3"). Anything else is not read: a near-duplicate
    ("2025-26 Q3", "2025-26-q3") must not shadow the real folder, nor be merged with it
    silently. :func:`folder_problems` names every such folder, and ``pcp validate`` (so
    ``pcp run``) refuses them."""
    root = resolve_data_dir(data_dir) / "quarters"
    found: dict[Quarter, Path] = {}
    if root.is_dir():
        for p in root.iterdir():
            if not p.is_dir():
                continue
            try:
                q = Quarter.parse(p.name)
            except ValueError:
                continue
            if p.name == q.slug:
                found[q] = p
    return dict(sorted(found.items()))


def folder_problems(quarters_root: Path) -> list[Problem]:
    """Every folder under ``quarters/`` that the run would not read as a quarter, by name:
    a quarter written another way ("2025-26 Q4": a near-duplicate when "2025-26-Q4" is there
    too, else a misnamed folder), a folder whose name is not a quarter at all, and a data file
    left in ``quarters/`` itself. Errors: whatever is in them would otherwise go unseen. Hidden
    folders (".ipynb_checkpoints") are passed over."""
    out: list[Problem] = []
    if not quarters_root.is_dir():
        return out
    folders = sorted(p for p in quarters_root.iterdir() if p.is_dir() and not p.name.startswith("."))
    names = {p.name for p in folders}
    for p in folders:
        try:
            q = Quarter.parse(p.name)
        except ValueError:
            q = None
        if q is not None and p.name == q.slug:
            continue
        if q is not None and q.slug in names:
            expected = (f"one folder per quarter: {q.slug} is the folder of {q.label}, so this near-duplicate is "
                        f"not read; move any return in it into {q.slug}/ and delete it")
        elif q is not None:
            expected = (f"a quarter folder named {q.slug} (the name pcp reads for {q.label}); this one is not read: "
                        f"rename it {q.slug}")
        else:
            expected = ("only quarter folders, named like 2025-26-Q4; this folder is not read: rename it as its "
                        "quarter, or move it out of quarters/")
        out.append(Problem(file=rel(p), expected=expected, got=f"a folder named {p.name!r}"))
    for f in sorted(quarters_root.iterdir()):
        if f.is_file() and f.suffix.lower() in (*RETURN_SUFFIXES, ".xls", ".xlsm"):
            out.append(Problem(file=rel(f), got=f"a file named {f.name!r} in quarters/ itself", expected=(
                "each return in its quarter's folder (for example quarters/2025-26-Q4/" + f.name + "): this file "
                         "is not read")))
    return out


def return_file(folder: Path, name: str, suffixes: Sequence[str] = RETURN_SUFFIXES) -> Path | None:
    """The file for return ``name`` in a quarter folder, or None: the first of ``suffixes``
    found (CSV preferred), the extension matched whatever its case (``metric_values.XLSX``)."""
    if not folder.is_dir():
        return None
    found: dict[str, Path] = {}
    for p in sorted(folder.iterdir(), key=lambda p: (p.suffix != p.suffix.lower(), p.name)):  # .csv before .CSV
        if p.is_file() and p.stem == name and p.suffix.lower() in suffixes:
            found.setdefault(p.suffix.lower(), p)
    return next((found[s] for s in suffixes if s in found), None)


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


def load_quarterly(schema: Schema, up_to: Quarter | str | None, data_dir: str | Path | None = None, *,
                   period_column: str, key: Sequence[str] = (),
                   read: Callable[[Path], pd.DataFrame] | None = None) -> pd.DataFrame:
    """A return's series: its file from every quarter folder up to ``up_to``, concatenated.

    This is the one loader of quarterly series (a new quarter is a new file only). Every
    dated row must fall inside its folder's quarter, and each ``(period_column, *key)`` may be
    sent once across all folders; otherwise ``DataError`` names file, row and column. Adds a
    ``quarter`` column (the folder's label), keeps ``_row``, sorts by period then key, and
    attaches the combined provenance of every file read (empty series: no files, a
    provenance of kind "return" with no files). ``read`` reads one file (default
    ``read_table(path, schema)``).
    """
    files = return_files(schema.name, up_to, data_dir)
    frames = []
    problems: list[Problem] = []
    seen: dict[tuple, str] = {}
    provs = []
    for q, path in files.items():
        df = read(path) if read is not None else read_table(path, schema)
        provs.append(provenance_of(df))
        for rec in df.to_dict("records"):
            when, row = rec[period_column], int(rec["_row"])
            day = when.date() if isinstance(when, datetime) else when
            shown = f"{day:%Y-%m}" if period_column == "month" else f"{day:%d/%m/%Y}"
            k = (day, *(rec[c] for c in key))
            if not q.contains(day):
                problems.append(Problem(file=rel(path), row=row, column=period_column,
                                        expected=f"a date in {q.label} ({q.month_names}), the quarter of this "
                                                 "folder", got=shown))
            elif k in seen:
                what = " and ".join([period_column, *key])
                problems.append(Problem(file=rel(path), row=row, column=period_column,
                                        expected=f"each {what} once (already in {seen[k]})",
                                        got=" ".join([shown, *(str(rec[c]) for c in key)])))
            else:
                seen[k] = f"{rel(path)} row {row}"
        frames.append(df.assign(quarter=q.label))
    if problems:
        raise DataError(problems)
    if frames:
        out = pd.concat(frames, ignore_index=True)
        out = out.sort_values([period_column, *key], kind="stable").reset_index(drop=True)
    else:
        out = frame(schema, []).assign(quarter=pd.Series(dtype="string"))
    out["quarter"] = out["quarter"].astype("string")
    return attach(out, combine(provs) if provs else Provenance(files=(), kind="return"))


def last_period(df: pd.DataFrame, column: str = "month") -> date | None:
    """The latest date in a series' ``column`` (None when the series is empty)."""
    if df.empty:
        return None
    v = df[column].max()
    return v.date() if isinstance(v, datetime) else v
