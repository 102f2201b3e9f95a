"""Issue 21, item 7: "as at" dates are right whatever the mix of CSV and Excel files.

Each return is sent as CSV in its older quarters and as Excel in the newest (the analyst
guide's own workflow: old returns shipped as CSV, the new quarter's template filled in Excel),
and the other way round. Before the fix, ``provenance.combine()`` compared file names with
their extensions, so contact data read "as at 31/03/2024" and CSP spend "as at 30/06/2025".
Every return of the registry is covered (a test below says so).
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from pcp_lib.core.provenance import provenance_of
from pcp_lib.io.datastore import quarter_dirs, return_file
from pcp_lib.methods.periods import Quarter
from pcp_lib.returns.validation import all_returns
from pcp_lib.subjects.contact.calls import find_extract, read_calls
from pcp_lib.subjects.contact.returns import load_monthly
from pcp_lib.subjects.csp.spend import load_positions, load_spend
from pcp_lib.subjects.csp.timeline import drawdown_between, drawdown_series
from pcp_lib.subjects.dashboard.actions import load_actions
from pcp_lib.subjects.dashboard.assess import assess_quarter
from pcp_lib.subjects.dashboard.register import load_values
from pcp_lib.subjects.dtoa.pathway import load_pathway

ROOT = Path(__file__).resolve().parents[2]
Q3, Q4 = Quarter(2025, 3), Quarter(2025, 4)


def as_excel(path: Path, name: str) -> Path:
    """The CSV return ``path`` saved as an Excel workbook (its data sheet, as a person would),
    with its source note; the CSV removed."""
    schema = all_returns()[name].schema
    wb = Workbook()
    ws = wb.active
    ws.title = schema.sheet
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    out = path.with_suffix(".xlsx")
    wb.save(out)
    note = path.with_name(path.name + ".source.txt")
    if note.exists():
        note.rename(out.with_name(out.name + ".source.txt"))
    path.unlink()
    return out


def mix(data: Path, name: str, newest: Quarter, order: str) -> None:
    """Files of return ``name`` up to ``newest``: "csv-then-xlsx" makes the newest one Excel,
    "xlsx-then-csv" makes every older one Excel."""
    for q, folder in quarter_dirs(data).items():
        f = return_file(folder, name)
        if f is None or q > newest:
            continue
        if (q == newest) == (order == "csv-then-xlsx"):
            as_excel(f, name)


def _actions_q4(data: Path) -> None:
    """Q4 2025/26's action register: Q3's (only its format matters here)."""
    shutil.copy(data / "quarters" / Q3.slug / "actions.csv", data / "quarters" / Q4.slug / "actions.csv")


def _metric_values_q4(data: Path) -> None:
    rows = (data / "quarters" / Q3.slug / "metric_values.csv").read_text(encoding="utf-8")
    (data / "quarters" / Q4.slug / "metric_values.csv").write_text(rows.replace(Q3.label, Q4.label),
                                                                   encoding="utf-8")


def _calls(data: Path) -> None:
    for q in (Q3, Q4):
        shutil.copy(ROOT / "tests" / "fixtures" / "contact" / "calls_small.csv",
                    data / "quarters" / q.slug / "contact_calls.csv")


def _calls_as_at(data: Path, up_to: Quarter) -> dict[str, date | None]:
    extract = find_extract(quarter_dirs(data)[up_to])
    assert extract is not None
    return {"extract": provenance_of(read_calls(extract)).as_at}


def _csp(data: Path, up_to: Quarter) -> dict[str, date | None]:
    positions = load_positions(up_to, data)
    dates = sorted(positions)
    return {"series": provenance_of(load_spend(up_to, data)).as_at,
            "drawdown series": provenance_of(drawdown_series(positions, up_to.fy)).as_at,
            "drawdown between": provenance_of(drawdown_between(positions[dates[-2]], positions[dates[-1]])).as_at}


#: Per return: how to give it two or more quarters (None: it has them), the newest quarter,
#: and what to read (name -> as-at date of each table built from it).
CASES: dict[str, tuple[Callable[[Path], None] | None, Quarter,
                       Callable[[Path, Quarter], dict[str, date | None]]]] = {
    "contact_monthly": (None, Q3, lambda d, q: {"series": provenance_of(load_monthly(q, d)).as_at}),
    "dtoa_pathway": (None, Q3, lambda d, q: {"series": provenance_of(load_pathway(q, d)).as_at}),
    "csp_spend": (None, Q4, _csp),
    "metric_values": (_metric_values_q4, Q4, lambda d, q: {
        "values": provenance_of(load_values(q, d)).as_at, "dashboard": provenance_of(assess_quarter(q, d)).as_at}),
    "actions": (_actions_q4, Q4,
                lambda d, q: {"register": provenance_of(load_actions(q, d)).as_at}),
    "contact_calls": (_calls, Q4, _calls_as_at),
}


def test_every_return_is_covered():
    assert set(CASES) == set(all_returns())


@pytest.mark.parametrize("order", ["csv-then-xlsx", "xlsx-then-csv"])
@pytest.mark.parametrize("name", list(CASES))
def test_as_at_is_the_newest_quarter_whatever_the_formats(data, name, order):
    prepare, newest, read = CASES[name]
    if prepare is not None:
        prepare(data)
    mix(data, name, newest, order)
    exts = {return_file(f, name, all_returns()[name].suffixes).suffix
            for q, f in quarter_dirs(data).items() if q <= newest and return_file(f, name, (".csv", ".xlsx"))}
    assert exts == {".csv", ".xlsx"}, "the case mixes the formats"
    for table, as_at in read(data, newest).items():
        assert as_at == newest.end, f"{name} {table} ({order}): as at {as_at}, expected {newest.end}"
