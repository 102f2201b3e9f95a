"""Setting up a new quarter: templates for every return, a checklist, and completeness.

``pcp new-quarter "2025-26 Q4"`` creates ``data/quarters/2025-26-Q4/`` with a ``templates/``
folder (one Excel workbook per return, last quarter's figures alongside) and ``CHECKLIST.md``
saying what is still missing. Filled templates are saved in the quarter folder under their
return's name; ``pcp validate`` checks them and ``pcp run`` renders the pack.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pcp_lib.core.errors import DataError, Problem
from pcp_lib.io.datastore import quarter_dirs, resolve_data_dir, return_file
from pcp_lib.io.schema import read_table
from pcp_lib.io.workbook import build_template
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.returns import all_returns
from pcp_lib.subjects.dashboard.register import load_register

__all__ = ["completeness", "new_quarter", "write_template"]


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
    prefill = None
    if name == "metric_values":

        reg = load_register(data_dir=data)
        prefill = pd.DataFrame(
            [{"serial": s, "period": p, "value_kind": k, "value": None, "published_direction": None,
              "source": ""} for s in reg["serial"] for k, p in (("baseline", "2024/25"), ("latest", q.label))])
    path = Path(out) if out else Path(f"{name}-{q.slug}.xlsx")
    notes = [f"Quarter: {q.label} ({q.month_names}). Provided by: {spec.provider}."]
    if last is not None:
        notes.append(f"The sheet 'last quarter' shows {q.previous().label}'s figures for reference.")
    return build_template(spec.schema, path, title=f"{spec.title}: {q.label}", last_quarter=last,
                          prefill=prefill, notes=notes)


def completeness(data_dir: str | Path | None = None) -> dict[Quarter, dict[str, bool]]:
    """For each quarter folder, which required returns are present."""
    out = {}
    for q, folder in quarter_dirs(data_dir).items():
        out[q] = {name: return_file(folder, name) is not None
                  for name, spec in all_returns().items() if spec.required}
    return out


def new_quarter(quarter: Quarter | str, data_dir: str | Path | None = None) -> tuple[Path, list[str]]:
    """Create the quarter's folder, its templates and checklist; return (folder, missing returns)."""
    q = Quarter.parse(quarter)
    data = resolve_data_dir(data_dir)
    folder = data / "quarters" / q.slug
    (folder / "templates").mkdir(parents=True, exist_ok=True)
    returns = all_returns()
    for name in returns:
        write_template(name, q, out=folder / "templates" / f"{name}.xlsx", data_dir=data)
    missing = [n for n, spec in returns.items() if spec.required and return_file(folder, n) is None]
    lines = [f"# Data checklist: {q.label} ({q.month_names})", "",
             "Fill in each template in `templates/`, save it in this folder as `<return>.xlsx` (or `.csv`), "
             "then run `pcp validate` on this folder and `pcp run --quarter \"" + q.label + "\"`.", ""]
    for name, spec in returns.items():
        mark = "x" if return_file(folder, name) is not None else " "
        lines.append(f"- [{mark}] `{name}`: {spec.title} (from {spec.provider})")
    (folder / "CHECKLIST.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder, missing
