"""Quarterly returns: templates from the schemas, filled by code, validated, rendered; broken
workbooks each reported at the right place, all in one run; pcp run refusing bad data."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import pcp_cli
from openpyxl import load_workbook

from pcp_lib.returns.quarters import new_quarter, write_template
from pcp_lib.returns.validation import all_returns, validate_paths
from pcp_lib.subjects.dashboard.register import load_values

ROOT = Path(__file__).resolve().parents[2]


def _pcp(*args: str) -> subprocess.CompletedProcess:
    return pcp_cli(*args)  # in this process: no Python started per call


def test_every_return_has_a_template(data, tmp_path):
    returns = all_returns()
    assert "dtoa_pathway" in returns
    for name, spec in returns.items():
        path = write_template(name, "2025-26 Q4", out=tmp_path / f"{name}.xlsx", data_dir=data)
        wb = load_workbook(path)
        assert {"instructions", spec.schema.sheet, "lists"} <= set(wb.sheetnames), name
        ws = wb[spec.schema.sheet]
        assert [c.value for c in ws[1]][: len(spec.schema.columns)] == spec.schema.column_names
        closed = [c for c in spec.schema.columns if c.kind in ("choice", "bool")]
        assert len(ws.data_validations.dataValidation) == len(closed), name
        assert wb["lists"].sheet_state == "hidden"


def test_metric_values_template_has_last_quarter_and_serials(data, tmp_path):
    path = write_template("metric_values", "2025-26 Q4", out=tmp_path / "mv.xlsx", data_dir=data)
    wb = load_workbook(path)
    assert "last quarter" in wb.sheetnames
    serials = [r[0].value for r in wb["data"].iter_rows(min_row=2) if r[0].value is not None]
    assert len(serials) == 80 and serials[0] == 1 and serials[-1] == 83


def _fill_metric_values(path: Path, q3_values) -> None:
    """Fill the template as the performance team would: Q3's figures, with latest moved on."""
    wb = load_workbook(path)
    ws = wb["data"]
    by_key = {(r["serial"], r["value_kind"]): r for r in q3_values.to_dict("records")}
    for row in ws.iter_rows(min_row=2):
        serial, kind = row[0].value, row[2].value
        if serial is None:
            continue
        rec = by_key[(serial, kind)]
        row[3].value = None if rec["value"] is None or str(rec["value"]) == "<NA>" else str(rec["value"])
        if kind == "latest" and serial == 52:
            row[3].value = "8.0"  # shoplifting 7.6 -> 8.0: the Panel's question
        row[4].value = None if str(rec["published_direction"]) == "<NA>" else rec["published_direction"]
        row[5].value = "Filled by test from Q3 2025/26 figures"
    wb.save(path)


@pytest.mark.slow
def test_template_filled_validated_and_rendered(data, tmp_path):
    folder, missing = new_quarter("2025-26 Q4", data_dir=data)
    assert "metric_values" in missing and (folder / "CHECKLIST.md").exists()
    assert (folder / "templates" / "metric_values.xlsx").exists()
    filled = folder / "metric_values.xlsx"
    shutil.copy(folder / "templates" / "metric_values.xlsx", filled)
    _fill_metric_values(filled, load_values("2025-26 Q3", data))
    # the register as at the end of Q4 (last quarter's copied unchanged is refused), and Q4's
    # contact return (Q3 had one, so Q4 must: a series that stops is a gap)
    actions = (data / "quarters" / "2025-26-Q3" / "actions.csv").read_text(encoding="utf-8")
    (folder / "actions.csv").write_text(actions.replace("2025-26 Q4,Not started", "2025-26 Q4,In progress"),
                                        encoding="utf-8")
    contact = (data / "quarters" / "2025-26-Q3" / "contact_monthly.csv").read_text(encoding="utf-8")
    for old, new in (("2025-10", "2026-01"), ("2025-11", "2026-02"), ("2025-12", "2026-03"), ("17717", "17718")):
        contact = contact.replace(old, new)
    (folder / "contact_monthly.csv").write_text(contact, encoding="utf-8")

    r = _pcp("validate", str(folder), "--data", str(data))
    assert r.returncode == 0, r.stderr
    values = load_values("2025-26 Q4", data)
    assert len(values) == 80

    nbs = tmp_path / "nbs"
    nbs.mkdir()
    shutil.copy(ROOT / "notebooks" / "00_pcp_dashboard.ipynb", nbs)
    r = _pcp("run", "--quarter", "2025-26 Q4", "--data", str(data), "--out", str(tmp_path / "out"),
             "--notebooks", str(nbs), "--quiet", "--audience", "public")
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "out" / "2025-26-Q4" / "public" / "00_pcp_dashboard.html").read_text(encoding="utf-8")
    assert "Plan dashboard, Q4 2025/26" in page and "Rose 5.3% (7.60 → 8.0)" in page


def _broken(tmp_path: Path, data: Path, label: str, edit) -> Path:
    folder = tmp_path / "broken" / label / "2025-26-Q4"
    folder.mkdir(parents=True)
    path = folder / "metric_values.xlsx"
    write_template("metric_values", "2025-26 Q4", out=path, data_dir=data)
    _fill_metric_values(path, load_values("2025-26 Q3", data))
    wb = load_workbook(path)
    edit(wb["data"], wb)
    wb.save(path)
    return path


def test_broken_workbooks_each_reported_in_one_run(data, tmp_path):
    def wrong_header(ws, wb):
        ws["D1"].value = "vaule"

    def text_in_number(ws, wb):
        ws["A5"].value = "five"

    def duplicate_row(ws, wb):
        for col in range(1, 7):
            ws.cell(row=7, column=col).value = ws.cell(row=6, column=col).value

    def merged(ws, wb):
        ws.merge_cells("F10:F11")

    def empty_sheet(ws, wb):
        wb.remove(ws)
        wb.create_sheet("data")

    def unknown_serial(ws, wb):
        ws["A9"].value = 99

    cases = {
        "header": (wrong_header, 1, "vaule", "the column name 'value' (the closest expected name)"),
        "number": (text_in_number, 5, "serial", "a whole number"),
        "duplicate": (duplicate_row, 7, None, "this repeats row 6"),
        "merged": (merged, 10, None, "no merged cells"),
        "empty": (empty_sheet, 1, None, "a header row"),
        "serial": (unknown_serial, 9, "serial", "a serial number in the metric register"),
    }
    paths = {k: _broken(tmp_path, data, k, edit) for k, (edit, *_rest) in cases.items()}
    problems = validate_paths(list(paths.values()), data_dir=data)
    for label, (_edit, row, column, expected) in cases.items():
        mine = [p for p in problems if f"broken/{label}/" in str(paths[label]) and p.file and
                Path(p.file).parent.name == "2025-26-Q4" and p.row == row and expected in p.expected]
        assert mine, (label, [str(p) for p in problems])
        if column:
            assert mine[0].column == column
        assert mine[0].sheet == "data"

    r = _pcp("validate", *map(str, paths.values()), "--data", str(data))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.count("error:") >= len(cases)


def _filled_from_csv(tmp_path: Path, data: Path, name: str, label: str, source: Path, edit) -> Path:
    """A return's template filled row by row from a CSV (as a person pasting values would),
    then broken by ``edit(ws)``."""
    import csv

    folder = tmp_path / "broken" / label / "2025-26-Q4"
    folder.mkdir(parents=True)
    path = folder / f"{name}.xlsx"
    write_template(name, "2025-26 Q4", out=path, data_dir=data)
    wb = load_workbook(path)
    ws = wb["data"]
    header = [c.value for c in ws[1]]
    with source.open(encoding="utf-8", newline="") as fh:
        for r, rec in enumerate(csv.DictReader(fh), start=2):
            for i, col in enumerate(header, start=1):
                if col in rec and rec[col] != "":
                    ws.cell(row=r, column=i).value = rec[col]
    edit(ws)
    wb.save(path)
    return path


def test_broken_cross_checks_each_reported_in_one_run(data, tmp_path):
    """Unknown CSP area, a balance that does not reconcile, a month outside the quarter:
    three more workbooks, reported with the rest in the same run."""
    q4_csp = data / "quarters" / "2025-26-Q4" / "csp_spend.csv"
    q3_contact = data / "quarters" / "2025-26-Q3" / "contact_monthly.csv"
    shifted = tmp_path / "contact_q4.csv"
    shifted.write_text(q3_contact.read_text(encoding="utf-8").replace("2025-10,", "2026-01,")
                       .replace("2025-11,", "2026-02,").replace("2025-12,", "2026-03,"), encoding="utf-8")

    def unknown_area(ws):
        ws["C4"].value = "Narnia"

    def unbalanced(ws):
        ws["F5"].value = str(Decimal(ws["F5"].value) + Decimal("0.01"))

    def outside(ws):
        ws["A7"].value = "2025-12"

    paths = {
        "area": _filled_from_csv(tmp_path, data, "csp_spend", "area", q4_csp, unknown_area),
        "balance": _filled_from_csv(tmp_path, data, "csp_spend", "balance", q4_csp, unbalanced),
        "month": _filled_from_csv(tmp_path, data, "contact_monthly", "month", shifted, outside),
    }
    expected = {
        "area": (4, "csp_area", "one of Leicester"),
        "balance": (5, "remaining", "allocation minus expenditure"),
        "month": (7, "month", "a month in Q4 2025/26"),
    }
    # the clean versions validate: only the edit is wrong
    clean = _filled_from_csv(tmp_path, data, "csp_spend", "clean", q4_csp, lambda ws: None)
    assert [str(p) for p in validate_paths([clean], data_dir=data) if p.severity == "error"] == []

    problems = validate_paths(list(paths.values()), data_dir=data)
    for label, (row, column, text) in expected.items():
        mine = [p for p in problems if f"{label}/2025-26-Q4/" in str(p.file).replace("\\", "/")]
        mine = [p for p in mine if p.row == row and p.column == column and text in p.expected]
        assert mine, (label, [str(p) for p in problems])
        assert mine[0].sheet == "data"

    r = _pcp("validate", *map(str, paths.values()), "--data", str(data))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "Narnia" in r.stderr and "2025-12" in r.stderr


def test_plausibility_is_a_warning_not_an_error(data, tmp_path):
    folder = data / "quarters" / "2025-26-Q4"
    folder.mkdir(exist_ok=True)
    path = folder / "metric_values.xlsx"
    write_template("metric_values", "2025-26 Q4", out=path, data_dir=data)
    _fill_metric_values(path, load_values("2025-26 Q3", data))
    wb = load_workbook(path)
    for row in wb["data"].iter_rows(min_row=2):
        if row[0].value == 27 and row[2].value == "latest":
            row[3].value = "19,000"  # from 9,603: +98%
    wb.save(path)
    problems = validate_paths([path], data_dir=data)
    assert [p.severity for p in problems] == ["warning"]
    r = _pcp("validate", str(path), "--data", str(data))
    assert r.returncode == 0 and "warning:" in r.stderr and "moved 98%" in r.stderr


@pytest.mark.slow
def test_pcp_run_refuses_invalid_data_and_keeps_old_pack(data, tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "notebooks" / "10_ok.ipynb", nbs)
    out = tmp_path / "out"
    args = ["run", "--quarter", "2025-26 Q3", "--data", str(data), "--out", str(out), "--notebooks", str(nbs),
            "--quiet"]
    assert _pcp(*args).returncode == 0
    before = {p: p.read_bytes() for p in (out / "2025-26-Q3").rglob("*") if p.is_file()}
    values = data / "quarters" / "2025-26-Q3" / "metric_values.csv"
    values.write_text(values.read_text(encoding="utf-8").replace("11,545", "11.5k", 1), encoding="utf-8")
    r = _pcp(*args)
    assert r.returncode == 1 and "row 24" in r.stderr and "'value'" in r.stderr and "Traceback" not in r.stderr
    assert {p: p.read_bytes() for p in (out / "2025-26-Q3").rglob("*") if p.is_file()} == before
