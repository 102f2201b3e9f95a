"""Provenance: where a table came from, carried with the table itself.

Every table a loader returns carries one :class:`Provenance` record in
``df.attrs["provenance"]``: the files it was read from, what kind of data they are
(published figures, a Force return, a synthetic sample, counts derived from open data,
reference data), the date the data stand at, and the source note. The page contract
(``pcp_lib.display.page``) reads it to label anything built from synthetic data, so a
SYNTHETIC label never depends on a notebook remembering it.

What a file is comes from its sidecar ``<file>.source.txt``: a note whose first word is
``SYNTHETIC`` marks a generated sample; otherwise the folder says (``published/``,
``derived/``, ``reference/``, ``quarters/``).

Every file described by :func:`of_file` is also noted in a ledger (:func:`files_read`), so a
test can tell which inputs a page really read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pcp_lib.core.errors import rel

__all__ = [
    "KINDS",
    "Kind",
    "Provenance",
    "attach",
    "combine",
    "files_read",
    "generated",
    "has_provenance",
    "is_synthetic",
    "of_file",
    "provenance_of",
    "reset_ledger",
    "series_of",
    "shown_path",
    "source_note",
]

Kind = Literal["published", "return", "synthetic", "derived", "reference"]
KINDS: tuple[str, ...] = ("published", "return", "synthetic", "derived", "reference")
_FOLDER_KIND: dict[str, Kind] = {"published": "published", "derived": "derived", "reference": "reference",
                                 "quarters": "return"}
_ATTR = "provenance"
_LEDGER: list[str] = []


@dataclass(frozen=True)
class Provenance:
    """Where a table came from: files, kind, as-at date and source note.

    ``files`` are paths as shown to people (relative, no user folders) or, for data made
    by code, the generator's name. ``synthetic_files`` names the synthetic ones, so a label
    can say exactly which input is synthetic when a table combines several.
    """

    files: tuple[str, ...]
    kind: Kind
    as_at: date | None = None
    note: str = ""
    synthetic_files: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"provenance kind must be one of {', '.join(KINDS)}; got {self.kind!r}")

    def __copy__(self) -> Provenance:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Provenance:
        """The record itself: it cannot change (frozen; tuples, strings and a date), and pandas
        deep-copies a table's ``attrs`` at every operation on it, so copying it field by field
        took a good share of the time of filtering and grouping a table that carries one."""
        return self

    @property
    def synthetic(self) -> bool:
        return self.kind == "synthetic" or bool(self.synthetic_files)

    @property
    def names(self) -> tuple[str, ...]:
        """The files' names without folders ("contact_monthly.csv"), in order, once each."""
        return tuple(dict.fromkeys(Path(f).name for f in self.files))

    @property
    def synthetic_names(self) -> tuple[str, ...]:
        """Names of the synthetic inputs (file names without folders), once each."""
        return tuple(dict.fromkeys(Path(f).name for f in self.synthetic_files))


def source_note(path: str | Path) -> str | None:
    """The text of a data file's sidecar ``<file>.source.txt`` (None when it has none)."""
    p = Path(path)
    side = p.with_name(p.name + ".source.txt")
    if side.exists():
        return side.read_text(encoding="utf-8").strip()
    return None


def is_synthetic(path: str | Path) -> bool:
    """True when the file's sidecar note starts with "SYNTHETIC" (sample data made by code)."""
    note = source_note(path)
    return note is not None and note.upper().startswith("SYNTHETIC")


def _kind_of(path: Path, note: str | None) -> Kind:
    if note and note.upper().startswith("SYNTHETIC"):
        return "synthetic"
    for part in reversed(path.parent.parts):
        if part in _FOLDER_KIND:
            return _FOLDER_KIND[part]
    return "reference"


def shown_path(path: str | Path) -> str:
    """A data file's path as people see it, the same wherever the code runs: from its data
    folder's kind folder on ("quarters/2025-26-Q3/contact_monthly.csv"), else as ``rel`` shows it."""
    p = Path(path)
    parts = p.parts
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] in _FOLDER_KIND:
            return "/".join(parts[i:])
    return rel(p)


def of_file(path: str | Path, *, as_at: date | None = None, kind: Kind | None = None) -> Provenance:
    """The provenance of one data file, from its sidecar note and its folder.

    ``kind`` overrides the folder's kind (never a SYNTHETIC note: a sample stays synthetic).
    """
    p = Path(path)
    note = source_note(p)
    found = _kind_of(p, note)
    if kind is not None and found != "synthetic":
        found = kind
    shown = shown_path(p)
    _LEDGER.append(shown)
    return Provenance(files=(shown,), kind=found, as_at=as_at, note=note or "",
                      synthetic_files=(shown,) if found == "synthetic" else ())


def generated(name: str, note: str) -> Provenance:
    """Provenance of data made by code at run time (e.g. simulated call records)."""
    _LEDGER.append(name)
    return Provenance(files=(name,), kind="synthetic", note=note, synthetic_files=(name,))


def series_of(file: str) -> str:
    """The series a file belongs to, whatever its extension (CSV or Excel) and that extension's
    case. A return in a quarter folder (``quarters/2025-26-Q3/contact_monthly.csv``) belongs to
    its return's series, ``quarters/contact_monthly``, whatever its quarter; any other file is a
    series of its own (``published/csp_spend``, not the return of the same name), and so is a
    generator's name."""
    p = Path(file)
    if len(p.parts) >= 3 and p.parts[-3] == "quarters":
        return f"quarters/{p.stem.lower()}"
    if p.suffix.lower() in (".csv", ".xlsx", ".xlsm", ".xls", ".parquet"):
        return p.with_suffix("").as_posix().lower()
    return file


def combine(parts: Iterable[Provenance]) -> Provenance:
    """One record for a table built from several: every file; synthetic if any part is.

    The as-at date: the parts are grouped by series (a return over several quarters is one
    series, see :func:`series_of`); a series stands at its latest period (its files' dates
    are their quarters' ends, so the latest date is the latest quarter), and the table at
    the earliest of its series, since it is no more current than its oldest input. Never from
    comparing file names: a return sent as CSV one quarter and as Excel the next is one series.
    """
    ps = list(parts)
    if not ps:
        raise ValueError("combine() needs at least one provenance record")
    files = tuple(dict.fromkeys(f for p in ps for f in p.files))
    synth = tuple(dict.fromkeys(f for p in ps for f in p.synthetic_files))
    kinds = {p.kind for p in ps}
    kind: Kind = "synthetic" if synth else (ps[0].kind if len(kinds) == 1 else "derived")
    latest: dict[tuple[str, ...], date] = {}
    for p in ps:
        if p.as_at is None:
            continue
        series = tuple(sorted({series_of(f) for f in p.files}))
        latest[series] = max(latest.get(series, p.as_at), p.as_at)
    as_at = min(latest.values()) if latest else None
    notes = "\n".join(dict.fromkeys(p.note for p in ps if p.note))
    return Provenance(files=files, kind=kind, as_at=as_at, note=notes, synthetic_files=synth)


def attach(df: Any, prov: Provenance) -> Any:
    """Put ``prov`` on a table (``df.attrs["provenance"]``) and return the table."""
    df.attrs[_ATTR] = prov
    return df


def has_provenance(obj: Any) -> bool:
    """Whether a table carries a provenance record (:func:`attach`)."""
    return isinstance(getattr(obj, "attrs", {}).get(_ATTR), Provenance)


def provenance_of(obj: Any) -> Provenance:
    """The provenance a table carries; a clear error when a loader forgot to attach it."""
    if isinstance(obj, Provenance):
        return obj
    prov = getattr(obj, "attrs", {}).get(_ATTR)
    if not isinstance(prov, Provenance):
        raise TypeError("this table carries no provenance record: load it with a pcp_lib loader "
                        "(which attaches one) or attach one with pcp_lib.core.provenance.attach")
    return prov


def files_read() -> list[str]:
    """Every file (or generator) described since the last :func:`reset_ledger`, in order."""
    return list(dict.fromkeys(_LEDGER))


def reset_ledger() -> None:
    _LEDGER.clear()
