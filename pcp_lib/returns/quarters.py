"""Setting up a new quarter: templates for every return, a checklist, and completeness.

``pcp new-quarter "2025-26 Q4"`` creates ``data/quarters/2025-26-Q4/`` with a ``templates/``
folder (one Excel workbook per return, last quarter's figures alongside) and ``CHECKLIST.md``
saying what is still missing; run again, it creates only what is missing and names what it
kept (``force`` replaces). Filled templates are saved in the quarter folder under their
return's name; ``pcp validate`` checks them (and points out a filled workbook left in
``templates/``, which the run never reads) and ``pcp run`` renders the pack.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.core.errors import DataError, Problem
from pcp_lib.io.completeness import expected_returns
from pcp_lib.io.datastore import quarter_dirs, resolve_data_dir, return_file
from pcp_lib.io.schema import read_table
from pcp_lib.io.workbook import build_template
from pcp_lib.methods.periods import Quarter
from pcp_lib.returns.templates import blank_rows, record_blank
from pcp_lib.returns.validation import all_returns

__all__ = ["NewQuarter", "completeness", "new_quarter", "write_template"]


def _last_quarter_rows(name: str, q: Quarter, data_dir: Path) -> pd.DataFrame | None:
    folder = quarter_dirs(data_dir).get(q.previous())
    path = return_file(folder, name) if folder else None
    if path is None:
        return None
    df = read_table(path, all_returns()[name].schema, problems=[])
    return df if len(df) else None


def write_template(name: str, quarter: Quarter | str, out: str | Path | None = None,
                   data_dir: str | Path | None = None) -> Path:
    """Write the Excel template for return ``name`` and quarter; return its path."""
    returns = all_returns()
    if name not in returns:
        raise DataError(Problem(file=None, expected="a return named one of " + ", ".join(returns), got=name))
    q = Quarter.parse(quarter)
    data = resolve_data_dir(data_dir)
    spec = returns[name]
    last = _last_quarter_rows(name, q, data)
    path = Path(out) if out else Path(f"{name}-{q.slug}.xlsx")
    notes = [f"Quarter: {q.label} ({q.month_names}). Provided by: {spec.provider}."]
    if last is not None:
        notes.append(f"The sheet 'last quarter' shows {q.previous().label}'s figures for reference.")
    return build_template(spec.schema, path, title=f"{spec.title}: {q.label}", last_quarter=last,
                          prefill=blank_rows(name, q, data), notes=notes)


def completeness(data_dir: str | Path | None = None) -> dict[Quarter, dict[str, bool]]:
    """For each quarter folder, which of the returns it should have are present: the required
    ones and any the previous quarter had (``io.completeness.expected_returns``, the rule
    ``pcp run``'s gate applies), so ``pcp list`` never calls complete a quarter the run refuses."""
    out = {}
    specs = list(all_returns().values())
    for q, folder in quarter_dirs(data_dir).items():
        out[q] = {name: return_file(folder, name, all_returns()[name].suffixes) is not None
                  for name in expected_returns(specs, q, data_dir)}
    return out


@dataclass(frozen=True)
class NewQuarter:
    """What ``new_quarter`` did: the folder, the required returns still missing, and the files
    (templates, checklist) it created, kept as they were, or replaced (``force``)."""

    folder: Path
    missing: list[str]
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Any]:
        """Unpacks as ``folder, missing`` (what ``new_quarter`` returned before it said more)."""
        return iter((self.folder, self.missing))


def new_quarter(quarter: Quarter | str, data_dir: str | Path | None = None, *, force: bool = False) -> NewQuarter:
    """Create what is missing of the quarter's folder: its templates and its checklist.

    Never overwrites: a template or checklist already there (perhaps filled in, or ticked) is
    kept and named, unless ``force``, which replaces them. Returns in the quarter folder are
    never touched."""
    q = Quarter.parse(quarter)
    data = resolve_data_dir(data_dir)
    folder = data / "quarters" / q.slug
    (folder / "templates").mkdir(parents=True, exist_ok=True)
    returns = all_returns()
    created: list[str] = []
    kept: list[str] = []
    replaced: list[str] = []

    def _note(path: Path) -> bool:
        """Whether to write ``path``, noting which list it goes in."""
        shown = path.relative_to(folder).as_posix()
        if not path.exists():
            created.append(shown)
            return True
        (replaced if force else kept).append(shown)
        return force

    for name in returns:
        target = folder / "templates" / f"{name}.xlsx"
        if _note(target):
            record_blank(write_template(name, q, out=target, data_dir=data))
    expected = expected_returns(list(returns.values()), q, data)
    missing = [n for n in expected if return_file(folder, n, returns[n].suffixes) is None]
    checklist = folder / "CHECKLIST.md"
    if _note(checklist):
        lines = [f"# Data checklist: {q.label} ({q.month_names})", "",
                 "Fill in each template in `templates/`, save it in this folder as `<return>.xlsx` (or `.csv`), "
                 "then run `pcp validate` on this folder and `pcp run --quarter \"" + q.label + "\"`.", ""]
        for name, spec in returns.items():
            mark = "x" if return_file(folder, name, spec.suffixes) is not None else " "
            need = f"needed: {expected[name]}" if name in expected else "optional"
            lines.append(f"- [{mark}] `{name}`: {spec.title} (from {spec.provider}; {need})")
        checklist.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return NewQuarter(folder=folder, missing=missing, created=created, kept=kept, replaced=replaced)
