"""CSP spend inputs: the published table to the penny, the quarterly return's checks, the
series across quarter folders with each position's provenance, and the sample script."""

from __future__ import annotations

import importlib.util
import shutil
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import is_synthetic, provenance_of
from pcp_lib.returns.validation import all_returns, validate_file
from pcp_lib.subjects.csp import (
    CSP_SPEND,
    load_positions,
    load_published,
    load_spend,
    read_position,
    spend_position,
)
from pcp_lib.subjects.csp.spend import drawdown_problems, parse_fy, series_of

from .helpers import AS_AT, DATA, PUBLISHED, ROOT, D, good_rows, write


def test_published_table_is_transcribed_to_the_penny():
    pub = load_published()
    assert list(pub["csp_area"]) == list(PUBLISHED)
    for rec in pub.to_dict("records"):
        a, e, r = (D(x) for x in PUBLISHED[rec["csp_area"]])
        assert (rec["allocation"], rec["expenditure"], rec["remaining"]) == (a, e, r), rec["csp_area"]
        assert all(isinstance(rec[c], Decimal) for c in ("allocation", "expenditure", "remaining"))
        assert rec["remaining"] == rec["allocation"] - rec["expenditure"]
        assert rec["as_at"] == AS_AT and rec["financial_year"] == "2025/26"
    raw = (DATA / "published" / "csp_spend.csv").read_text(encoding="utf-8")
    assert '"£271,818.47"' in raw and "SNWLP" in raw and "Melton Mowbray" in raw and raw.count("Nil") == 3
    assert "001_b24730b53cda192b.txt" in raw
    prov = provenance_of(pub)
    assert prov.kind == "published" and prov.files[0].endswith("published/csp_spend.csv")
    assert not prov.synthetic and "para 27" in prov.note


def test_return_accepts_published_formats_and_aliases(tmp_path):
    rows = good_rows()
    rows[0] = rows[0].replace("Leicester,", "Leicester City,", 1)
    rows[3] = '2025-26,05/01/2026,blaby,52665.76,"£40,405.42",'  # blank remaining is filled
    df = read_position(write(tmp_path, rows))
    assert list(df["csp_area"]) == list(PUBLISHED)
    assert df.loc[3, "remaining"] == D("12260.34")
    assert set(df["financial_year"]) == {"2025/26"}
    assert df.loc[6, "expenditure"] == D("0.00")
    pos = spend_position(df, AS_AT)
    assert pos.iloc[-1]["expenditure"] == D("527792.49")
    assert provenance_of(pos).names == ("csp_spend.csv",)  # the position carries its file's provenance


def test_return_reads_excel(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = CSP_SPEND.sheet
    ws.append(CSP_SPEND.column_names)
    for a, (al, e, _r) in PUBLISHED.items():
        ws.append(["2025/26", "05/01/2026", a, f"£{D(al):,.2f}", float(e), None])
    p = tmp_path / "csp_spend.xlsx"
    wb.save(p)
    df = read_position(p)
    assert sum(df["expenditure"]) == D("527792.49")


@pytest.mark.parametrize("row, column, expected_words", [
    ('2025/26,2026-01-05,Loughborough,"£271,818.47",236492.47,35326.00', "csp_area", ["Loughborough", "Leicester"]),
    ("2025/26,2026-01-05,Leicester,271818.47,271818.48,", "expenditure", ["at most the allocation", "£271,818.48"]),
    ("2025/26,2026-01-05,Leicester,271818.47,236492.47,35326.01", "remaining", ["£35,326.00", "£35,326.01"]),
    ("2025/26,2026-04-01,Leicester,271818.47,236492.47,35326.00", "as_at", ["financial year 2025/26", "01/04/2026"]),
    ("2025/26,2026-01-05,Leicester,271818.47,12;3a,", "expenditure", ["amount of money", "12;3a"]),
    ("2025/27,2026-01-05,Leicester,271818.47,236492.47,", "financial_year", ["financial year like 2025/26"]),
    ("2025/26,2026-01-05,Leicester,271818.47,-5.00,", "expenditure", ["at least 0"]),
])
def test_return_rejects_bad_rows_with_a_clear_message(tmp_path, row, column, expected_words):
    rows = good_rows()
    rows[0] = row
    with pytest.raises(DataError) as exc:
        read_position(write(tmp_path, rows))
    msg = str(exc.value)
    assert "csp_spend.csv" in msg and "row 2" in msg and f"column {column!r}" in msg
    for w in expected_words:
        assert w in msg


def test_return_rejects_a_duplicated_area_even_under_another_name(tmp_path):
    rows = good_rows()
    rows.append("2025/26,2026-01-05,NWL,53776.10,37078.21,16697.89")  # SNWLP again
    with pytest.raises(DataError) as exc:
        read_position(write(tmp_path, rows))
    assert "row 11" in str(exc.value) and "repeats row 4" in str(exc.value)


def test_return_rejects_a_missing_area_and_mixed_dates_and_reports_all_problems(tmp_path):
    rows = good_rows()[:-1]  # no Rutland
    rows[1] = rows[1].replace("2026-01-05", "2026-01-06")
    with pytest.raises(DataError) as exc:
        read_position(write(tmp_path, rows))
    msg = str(exc.value)
    assert "no row for Rutland" in msg and "row 3" in msg and "the same as_at" in msg
    rows = good_rows()
    rows[0] = rows[0].replace("Leicester", "Nowhere")
    rows[1] = "2025/26,2026-01-05,Charnwood,89530.24,89530.25,"
    with pytest.raises(DataError) as exc:
        read_position(write(tmp_path, rows))
    assert len(exc.value.problems) == 2


def test_parse_fy():
    assert parse_fy("2025-26") == parse_fy("2025/2026") == parse_fy("FY 2025/26") == 2025
    with pytest.raises(ValueError, match="consecutive"):
        parse_fy("2025/27")


# ---- the series and the synthetic sample ---------------------------------------------------------
def test_series_is_consistent_with_the_published_position():
    series = load_spend("2025-26 Q4")
    dates = sorted(set(series["as_at"]))
    assert dates == [date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31), AS_AT]
    pub = load_published().set_index("csp_area")
    for area, g in series.groupby("csp_area"):
        g = g.sort_values("as_at")
        exp = list(g["expenditure"])
        assert exp == sorted(exp), area  # never decreasing
        assert all(e <= pub.loc[area, "expenditure"] <= a for e, a in zip(exp, g["allocation"], strict=True))
        assert set(g["allocation"]) == {pub.loc[area, "allocation"]}
        assert exp[-1] == pub.loc[area, "expenditure"]
    assert (series.loc[series["csp_area"] == "Oadby and Wigston", "expenditure"] == 0).all()
    assert series.attrs["warnings"] == []
    for q in ("Q1", "Q2", "Q3"):
        assert is_synthetic(DATA / "quarters" / f"2025-26-{q}" / "csp_spend.csv")
    assert not is_synthetic(DATA / "quarters" / "2025-26-Q4" / "csp_spend.csv")


def test_each_position_carries_its_own_files_provenance():
    by_date = load_positions("2025-26 Q4")
    assert list(by_date) == [date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31), AS_AT]
    assert [provenance_of(p).synthetic for p in by_date.values()] == [True, True, True, False]
    assert provenance_of(by_date[AS_AT]).files[0].endswith("2025-26-Q4/csp_spend.csv")
    assert provenance_of(by_date[AS_AT]).kind == "return"
    series = series_of(by_date)
    prov = provenance_of(series)
    assert len(prov.files) == 4 and len(prov.synthetic_files) == 3 and prov.synthetic
    assert "attrs" not in series.columns and "synthetic" not in series.columns
    assert set(series.attrs) == {"provenance", "warnings"}
    empty = load_spend("2024-25 Q4")
    assert empty.empty and provenance_of(empty).files == () and not provenance_of(empty).synthetic


def test_drawdown_that_goes_down_is_a_warning():
    series = load_spend("2025-26 Q4")
    i = series.index[(series["csp_area"] == "Leicester") & (series["as_at"] == AS_AT)][0]
    series.loc[i, "expenditure"] = D("1.00")
    found = drawdown_problems(series)
    assert len(found) == 1 and found[0].severity == "warning" and "Leicester" in str(found[0])
    assert "2025-26-Q4/csp_spend.csv" in str(found[0])  # the file the suspect row is in


def test_position_in_the_wrong_quarter_folder_is_rejected(tmp_path):
    shutil.copytree(DATA / "reference", tmp_path / "reference")
    shutil.copytree(DATA / "published", tmp_path / "published")
    folder = tmp_path / "quarters" / "2025-26-Q3"
    folder.mkdir(parents=True)
    write(folder, good_rows())  # as at 05/01/2026: Q4, not Q3
    with pytest.raises(DataError, match="a date in Q3 2025/26"):
        load_spend("2025-26 Q3", tmp_path)


def test_validate_reports_period_and_passes_committed_files(tmp_path):
    assert "csp_spend" in all_returns()
    for q in ("Q1", "Q2", "Q3", "Q4"):
        errs = [p for p in validate_file(DATA / "quarters" / f"2025-26-{q}" / "csp_spend.csv") if p.severity == "error"]
        assert errs == [], q
    folder = tmp_path / "quarters" / "2025-26-Q3"
    folder.mkdir(parents=True)
    shutil.copytree(DATA / "reference", tmp_path / "reference")
    problems = validate_file(write(folder, good_rows()))
    assert any(p.column == "as_at" and "Q3 2025/26" in p.expected for p in problems)


def _load_script():
    spec = importlib.util.spec_from_file_location("make_sample_csp", ROOT / "scripts" / "make_sample_csp.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_script_rebuilds_committed_files_byte_identically(tmp_path):
    shutil.copytree(DATA / "reference", tmp_path / "reference")
    (tmp_path / "published").mkdir()
    for f in ("csp_spend.csv", "csp_appendix_one.txt"):
        shutil.copy(DATA / "published" / f, tmp_path / "published" / f)
    built = _load_script().build(tmp_path)
    assert len(built) == 10
    for path, text in built.items():
        committed = DATA / path.relative_to(tmp_path)
        assert committed.read_text(encoding="utf-8") == text, committed
