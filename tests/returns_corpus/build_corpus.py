"""Build the corpus of broken and awkward returns that ``tests/returns/test_returns_corpus.py`` checks.

Each case is one return file, as a force analyst might send it for Q4 2025/26, in its own
folder ``tests/returns_corpus/<case>/``; ``2025-26-Q3/`` beside them holds the good previous
quarter (copied from ``data/``), so cross-checks against last quarter work. ``cases.json``
says what each case should give: accepted (and read as a value), accepted with a warning,
or refused at a named file, sheet, row and column with a named message.

Deterministic (no randomness, fixed workbook dates): run ``python tests/returns_corpus/build_corpus.py``
to rebuild (or ``... build_corpus.py <folder>`` to build elsewhere); the test checks the
committed files match what this script builds.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
ROOT = Path(__file__).resolve().parents[2]
OUT = [HERE]  # where the corpus is written (``build(out)``)
DATA = ROOT / "data"
Q3 = DATA / "quarters" / "2025-26-Q3"
FIXED = datetime(2026, 4, 1, 9, 0, 0)


@dataclass
class Case:
    """What one file should give. ``result``: accepted | warning | refused."""

    name: str
    klass: str
    file: str
    result: str
    message: str = ""
    row: int | None = None
    column: str | None = None
    sheet: str | None = None
    read_as: dict[str, Any] = field(default_factory=dict)  # {"row": n, "column": c, "value": repr}
    errors: int | None = None  # exact number of errors, where one problem must give one message


CASES: list[Case] = []


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def good(name: str) -> list[list[str]]:
    """This quarter's good file of each return (Q4 2025/26), as rows with the header first."""
    if name == "contact_monthly":
        table = rows_of(Q3 / "contact_monthly.csv")
        shift = {"2025-10": "2026-01", "2025-11": "2026-02", "2025-12": "2026-03"}
        out = [table[0], *([shift[r[0]], *r[1:]] for r in table[1:])]
        out[-1][2] = str(int(out[-1][2]) + 1)  # this quarter's own figures: not Q3's moved on (a stale copy)
        return out
    if name == "metric_values":
        table = rows_of(Q3 / "metric_values.csv")
        out = [table[0]]
        for r in table[1:]:
            r = list(r)
            if r[2] == "latest":
                r[1] = "Q4 2025/26"
                if r[0] == "52":
                    r[3] = "8.0"
            out.append(r)
        return out
    if name == "actions":  # as at the end of Q4: the actions due in Q4 no longer "Not started"
        table = rows_of(Q3 / "actions.csv")
        return [table[0], *([*r[:4], "In progress", *r[5:]] if r[3:5] == ["2025-26 Q4", "Not started"] else r
                            for r in table[1:])]
    return rows_of(DATA / "quarters" / "2025-26-Q4" / f"{name}.csv")


def write_csv(path: Path, table: list[list[str]], encoding: str = "utf-8", newline: str = "\n") -> None:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator=newline).writerows(table)
    path.write_bytes(buf.getvalue().encode(encoding))


def typed(v: str) -> Any:
    """A cell as a person typing it into Excel leaves it: numbers become numbers."""
    try:
        return int(v)
    except ValueError:
        pass
    try:
        return float(v)
    except ValueError:
        return None if v == "" else v


def workbook(table: list[list[Any]], sheet: str = "data", formats: dict[str, str] | None = None) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in table:
        ws.append([typed(v) if isinstance(v, str) else v for v in r])
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    return wb


def save(wb: Workbook, path: Path) -> None:
    wb.properties.created = wb.properties.modified = FIXED
    wb.properties.creator = "pcp corpus"
    wb.save(path)


def case(c: Case) -> Path:
    CASES.append(c)
    folder = OUT[0] / c.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder / c.file


def find(table: list[list[str]], **match: str) -> int:
    """Index of the first row whose columns equal ``match`` (the spreadsheet row is index + 1)."""
    head = table[0]
    for i, r in enumerate(table[1:], start=1):
        if all(r[head.index(k)] == v for k, v in match.items()):
            return i
    raise KeyError(match)


def set_cell(table: list[list[str]], i: int, column: str, value: str) -> list[list[str]]:
    out = [list(r) for r in table]
    out[i][table[0].index(column)] = value
    return out


def build(out: Path = HERE) -> None:  # noqa: PLR0915 - one case after another
    OUT[0] = out
    out.mkdir(parents=True, exist_ok=True)
    for p in out.iterdir():
        if p.is_dir() and p.name != "__pycache__":
            shutil.rmtree(p)
    prev = out / "2025-26-Q3"
    prev.mkdir()
    for name in ("contact_monthly", "dtoa_pathway", "csp_spend", "metric_values", "actions"):
        shutil.copy(Q3 / f"{name}.csv", prev / f"{name}.csv")
    CASES.clear()
    mv, cm, dt, cs, ac = (good(n) for n in ("metric_values", "contact_monthly", "dtoa_pathway", "csp_spend",
                                             "actions"))
    conf = find(mv, serial="2", value_kind="latest")  # Confidence in Police, 72.2% (Q3)
    crime = find(mv, serial="27", value_kind="latest")  # Neighbourhood crime, a count

    # --- good files: accepted as they are -------------------------------------------------
    for name, table in (("metric_values", mv), ("contact_monthly", cm), ("dtoa_pathway", dt), ("csp_spend", cs),
                        ("actions", ac)):
        write_csv(case(Case(f"good_{name}_csv", "good file", f"{name}.csv", "accepted")), table)
    save(workbook(cs), case(Case("good_csp_spend_xlsx", "good file", "csp_spend.xlsx", "accepted",
                                 read_as={"row": 2, "column": "allocation", "value": "Decimal('271818.47')"})))

    # --- percentages by their meaning ------------------------------------------------------
    wb = workbook(set_cell(mv, conf, "value", "0.722"), formats={f"D{conf + 1}": "0.0%"})
    wb["data"][f"D{conf + 1}"].value = 0.722
    save(wb, case(Case("mv_xlsx_percent_formatted", "percent by meaning", "metric_values.xlsx", "accepted",
                       read_as={"row": conf + 1, "column": "value", "value": "'72.2%'"})))
    write_csv(case(Case("mv_csv_fraction_for_percent", "percent by meaning", "metric_values.csv", "refused",
                        "could mean 0.722% or 72.2% (Q3 2025/26's value was 72.2%)", conf + 1, "value")),
              set_cell(mv, conf, "value", "0.722"))
    write_csv(case(Case("mv_csv_percent_over_100", "percent by meaning", "metric_values.csv", "refused",
                        "a percentage between 0 and 100", conf + 1, "value")), set_cell(mv, conf, "value", "172.2%"))
    wb = workbook(mv, formats={f"D{conf + 1}": "0.0%"})
    wb["data"][f"D{conf + 1}"].value = 1.722
    save(wb, case(Case("mv_xlsx_percent_over_100", "percent by meaning", "metric_values.xlsx", "refused",
                       "a percentage between 0 and 100", conf + 1, "value", "data")))
    write_csv(case(Case("mv_csv_percent_on_a_count", "percent by meaning", "metric_values.csv", "refused",
                        "a number for a count metric, not a percentage", crime + 1, "value")),
              set_cell(mv, crime, "value", "96%"))

    # --- stale or wrong-period data --------------------------------------------------------
    stale = [list(r) for r in mv]
    for r in stale[1:]:
        if r[2] == "latest":
            r[1] = "Q3 2025/26"
    write_csv(case(Case("mv_csv_last_quarters_period", "stale or wrong period", "metric_values.csv", "refused",
                        "Q4 2025/26, the quarter of this folder", 3, "period")), stale)
    copy = rows_of(Q3 / "metric_values.csv")
    for r in copy[1:]:
        if r[2] == "latest":
            r[1] = "Q4 2025/26"
    write_csv(case(Case("mv_csv_last_quarters_figures", "stale or wrong period", "metric_values.csv", "refused",
                        "equal Q3 2025/26's", 3, "value")), copy)
    write_csv(case(Case("contact_csv_last_quarters_file", "stale or wrong period", "contact_monthly.csv",
                        "refused", "a month in Q4 2025/26", 2, "month")), rows_of(Q3 / "contact_monthly.csv"))
    wb = workbook(rows_of(DATA / "quarters" / "2024-25-Q4" / "dtoa_pathway.csv"))
    wb["data"].sheet_state = "hidden"
    tpl = wb.create_sheet("Q4 return", 0)
    tpl.append(dt[0])
    for r in dt[1:]:
        tpl.append([typed(v) for v in r])
    wb.active = 0
    save(wb, case(Case("dtoa_xlsx_hidden_data_sheet", "hidden or extra sheet", "dtoa_pathway.xlsx", "refused",
                       "it is hidden, so the figures you see (on 'Q4 return')", None, None, "data")))
    wb = workbook(cs)
    wb.create_sheet("notes").append(["Leicester figure to be confirmed", 271818.47])
    save(wb, case(Case("csp_xlsx_extra_sheet_with_data", "hidden or extra sheet", "csp_spend.xlsx", "warning",
                       "data only on the sheet 'data'", None, None, "notes")))
    wb = workbook(dt, sheet="Sheet1")
    save(wb, case(Case("dtoa_xlsx_single_sheet_not_named_data", "hidden or extra sheet", "dtoa_pathway.xlsx",
                       "warning", "read the only sheet, 'Sheet1'", None, None, "Sheet1")))
    late = find(ac, status="In progress")
    t = set_cell(set_cell(ac, late, "status", "Complete"), late, "completed_quarter", "2026-27 Q1")
    save(workbook(t), case(Case("actions_xlsx_completed_next_quarter", "stale or wrong period", "actions.xlsx",
                                "refused", "a quarter no later than Q4 2025/26", late + 1, "completed_quarter",
                                "data")))
    write_csv(case(Case("actions_csv_completed_next_quarter", "stale or wrong period", "actions.csv", "refused",
                        "a quarter no later than Q4 2025/26", late + 1, "completed_quarter")), t)
    write_csv(case(Case("csp_csv_as_at_last_quarter", "stale or wrong period", "csp_spend.csv", "refused",
                        "a date in Q4 2025/26", 2, "as_at")),
              [cs[0], *([r[0], "2025-12-31", *r[2:]] for r in cs[1:])])
    blank = [list(r) for r in mv]
    for r in blank[1:]:
        if r[2] == "latest":
            r[3], r[4] = "", ""
    write_csv(case(Case("mv_csv_unfilled_values", "unfilled template", "metric_values.csv", "refused",
                        "every latest value is blank", 3, "value")), blank)
    tpl_rows = [mv[0], *([r[0], r[1], r[2], "", "", ""] for r in mv[1:])]
    save(workbook(tpl_rows), case(Case("mv_xlsx_unfilled_template", "unfilled template", "metric_values.xlsx",
                                       "refused", "blank on every row", 2, "source", "data", errors=1)))
    write_csv(case(Case("actions_csv_placeholder", "unfilled template", "actions.csv", "refused",
                        "not a placeholder left from the template", 2, "action")), set_cell(ac, 1, "action", "TBC"))
    write_csv(case(Case("mv_csv_placeholder_value", "unfilled template", "metric_values.csv", "refused",
                        "not a placeholder", crime + 1, "value")), set_cell(mv, crime, "value", "tbc"))

    # --- formulas --------------------------------------------------------------------------
    wb = workbook(cs)
    ws = wb["data"]
    for r in range(2, len(cs) + 1):
        ws[f"F{r}"] = f"=D{r}-E{r}"
    save(wb, case(Case("csp_xlsx_formulas_without_values", "formula without cached value", "csp_spend.xlsx",
                       "refused", "formulas that were never calculated", 2, None, "data", errors=1)))

    # --- Excel float residue and money -----------------------------------------------------
    wb = workbook(cs)
    wb["data"]["E2"].value = 236492.47000000002
    save(wb, case(Case("csp_xlsx_float_residue", "float residue", "csp_spend.xlsx", "accepted",
                       read_as={"row": 2, "column": "expenditure", "value": "Decimal('236492.47')"})))
    wb = workbook(cs)
    wb["data"]["F2"].value = 35326.004
    save(wb, case(Case("csp_xlsx_fraction_of_a_penny", "float residue", "csp_spend.xlsx", "refused",
                       "an amount of money", 2, "remaining", "data")))
    write_csv(case(Case("csp_csv_fraction_of_a_penny", "float residue", "csp_spend.csv", "refused",
                        "an amount of money", 3, "expenditure")), set_cell(cs, 2, "expenditure", "89530.245"))

    # --- plain CSV as people save it -------------------------------------------------------
    pounds = [cs[0], *([r[0], r[1], r[2], f"£{float(r[3]):,.2f}", *r[4:]] for r in cs[1:])]
    write_csv(case(Case("csp_csv_windows_1252", "CSV encoding", "csp_spend.csv", "warning", "Windows-1252", 2,
                        read_as={"row": 2, "column": "allocation", "value": "Decimal('271818.47')"})),
              pounds, encoding="cp1252")
    write_csv(case(Case("csp_csv_utf8_bom_pounds", "CSV encoding", "csp_spend.csv", "accepted",
                        read_as={"row": 2, "column": "allocation", "value": "Decimal('271818.47')"})),
              pounds, encoding="utf-8-sig", newline="\r\n")
    write_csv(case(Case("actions_csv_utf16", "CSV encoding", "actions.csv", "refused", "UTF-16")), ac,
              encoding="utf-16")
    p = case(Case("csp_csv_unquoted_comma", "CSV field count", "csp_spend.csv", "refused",
                  "7 fields: 2025/26,2026-01-05,Leicester,271,818.47", 2, None, errors=1))
    text = "\n".join(",".join(r) for r in [cs[0], [*cs[1][:3], "271,818.47", cs[1][4], ""], *cs[2:]]) + "\n"
    p.write_text(text, encoding="utf-8")
    short = [list(r) for r in dt]
    short[2] = short[2][:-1]
    write_csv(case(Case("dtoa_csv_short_row", "CSV field count", "dtoa_pathway.csv", "refused",
                        "9 fields like the header line", 3, None, errors=1)), short)
    p = case(Case("contact_csv_semicolons", "CSV separators", "contact_monthly.csv", "refused",
                  "fields separated by semicolons", 1))
    p.write_text("\n".join(";".join(r) for r in cm) + "\n", encoding="utf-8")
    case(Case("contact_csv_empty_file", "not readable", "contact_monthly.csv", "refused", "an empty file")
         ).write_bytes(b"")
    write_csv(case(Case("dtoa_csv_title_above_header", "title or merged cells", "dtoa_pathway.csv", "refused",
                        "they are in row 3; delete rows 1-2", 1)),
              [["DToA pathway return Q4 2025/26"], [], *dt])
    write_csv(case(Case("mv_csv_crlf_and_blank_lines", "CSV as saved", "metric_values.csv", "accepted")),
              [*mv, [""] * 6, [""] * 6], newline="\r\n")

    # --- counts whole and not negative -----------------------------------------------------
    write_csv(case(Case("contact_csv_negative_count", "domain: counts and money", "contact_monthly.csv",
                        "refused", "a whole number of at least 0", 2, "abandoned")), set_cell(cm, 1, "abandoned", "-60"))
    wb = workbook(dt)
    wb["data"]["C2"].value = 23.5
    save(wb, case(Case("dtoa_xlsx_fractional_count", "domain: counts and money", "dtoa_pathway.xlsx", "refused",
                       "a whole number", 2, "tests", "data")))
    write_csv(case(Case("mv_csv_negative_count", "domain: counts and money", "metric_values.csv", "refused",
                        "a number of zero or more for a count metric", crime + 1, "value")),
              set_cell(mv, crime, "value", "-9,603"))
    write_csv(case(Case("csp_csv_negative_money", "domain: counts and money", "csp_spend.csv", "refused",
                        "of at least 0", 2, "expenditure")), set_cell(cs, 1, "expenditure", "-10.00"))

    # --- a file that is not a workbook -----------------------------------------------------
    case(Case("contact_xlsx_png_renamed", "not a workbook", "contact_monthly.xlsx", "refused", "a PNG image")
         ).write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    case(Case("contact_xlsx_empty_file", "not a workbook", "contact_monthly.xlsx", "refused", "an empty file (0 bytes)")
         ).write_bytes(b"")
    buf = io.BytesIO()
    wb = workbook(cm)
    wb.properties.created = wb.properties.modified = FIXED
    wb.save(buf)
    case(Case("contact_xlsx_truncated_download", "not a workbook", "contact_monthly.xlsx", "refused",
              "a damaged or incomplete workbook")).write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    case(Case("csp_xlsx_password_protected", "not a workbook", "csp_spend.xlsx", "refused",
              "a password-protected workbook")).write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"EncryptedPackage" * 8)
    p = case(Case("dtoa_xlsx_csv_renamed", "not a workbook", "dtoa_pathway.xlsx", "refused",
                  "a CSV text file named .xlsx"))
    write_csv(p, dt)
    case(Case("actions_csv_workbook_renamed", "not a workbook", "actions.csv", "refused",
              "an Excel workbook named .csv")).write_bytes(buf.getvalue())

    # --- columns ---------------------------------------------------------------------------
    t = [list(r) for r in cm]
    t[0][3] = "anwsered"
    write_csv(case(Case("contact_csv_misspelled_column", "columns", "contact_monthly.csv", "refused",
                        "the column name 'answered' (the closest expected name)", 1, "anwsered", errors=1)), t)
    t = [list(r) for r in dt]
    t[0] = [h.replace("_", " ").title() for h in t[0]]
    write_csv(case(Case("dtoa_csv_header_in_title_case", "columns", "dtoa_pathway.csv", "accepted",
                        read_as={"row": 2, "column": "ra_wait_days", "value": "Decimal('7.4')"})), t)
    write_csv(case(Case("csp_csv_missing_column", "columns", "csp_spend.csv", "refused",
                        "a column named 'expenditure'", 1, "expenditure", errors=1)), [r[:4] + r[5:] for r in cs])
    write_csv(case(Case("actions_csv_extra_column", "columns", "actions.csv", "refused",
                        "only the template's columns", 1, "owner", errors=1)),
              [[*ac[0], "owner"], *([*r, "OPCC"] for r in ac[1:])])

    # --- one problem, one message ----------------------------------------------------------
    write_csv(case(Case("csp_csv_typo_in_money", "one problem one message", "csp_spend.csv", "refused",
                        "an amount of money", 2, "allocation", errors=1)), set_cell(cs, 1, "allocation", "27l818.47"))
    write_csv(case(Case("csp_csv_unknown_area", "one problem one message", "csp_spend.csv", "refused",
                        "one of Leicester", 4, "csp_area", errors=1)), set_cell(cs, 3, "csp_area", "Narnia"))
    dup = [list(r) for r in dt]
    dup[2][0] = dup[1][0]
    write_csv(case(Case("dtoa_csv_month_twice", "one problem one message", "dtoa_pathway.csv", "refused",
                        "this repeats row 2", 3, "month", errors=1)), dup)

    # --- merged cells and titles in Excel --------------------------------------------------
    wb = workbook(cs)
    wb["data"].merge_cells("A3:A5")
    save(wb, case(Case("csp_xlsx_merged_cells", "title or merged cells", "csp_spend.xlsx", "refused",
                       "no merged cells", 3, None, "data")))
    wb = workbook([["Contact demand return, Q4 2025/26"], [], *cm])
    wb["data"].merge_cells("A1:I1")
    save(wb, case(Case("contact_xlsx_title_above_header", "title or merged cells", "contact_monthly.xlsx",
                       "refused", "they are in row 3", 1, None, "data")))

    # --- dates as Excel means them ---------------------------------------------------------
    wb = workbook(cs)
    for r in range(2, len(cs) + 1):
        wb["data"][f"B{r}"].value = 46027  # 05/01/2026 as a serial: a date cell that lost its format
    save(wb, case(Case("csp_xlsx_date_as_serial", "dates", "csp_spend.xlsx", "accepted",
                       read_as={"row": 2, "column": "as_at", "value": "datetime.date(2026, 1, 5)"})))
    wb = workbook(cm)
    for r in range(2, len(cm) + 1):
        y, m = map(int, cm[r - 1][0].split("-"))
        cell = wb["data"][f"A{r}"]
        cell.value, cell.number_format = datetime(y, m, 1), "mmm-yy"
    save(wb, case(Case("contact_xlsx_months_as_dates", "dates", "contact_monthly.xlsx", "accepted",
                       read_as={"row": 2, "column": "month", "value": "datetime.date(2026, 1, 1)"})))
    write_csv(case(Case("dtoa_csv_month_not_a_month", "dates", "dtoa_pathway.csv", "refused",
                        "a month like 2025-10", 2, "month")), set_cell(dt, 1, "month", "Q4 month 1"))

    # --- bounded: size and number of problems ----------------------------------------------
    junk = [cm[0], *([f"2026-{1 + i % 3:02d}", "999", str(i), "", "", "", "", "", ""] for i in range(2000))]
    write_csv(case(Case("contact_csv_far_too_large", "bounded", "contact_monthly.csv", "refused",
                        "at most 9 rows for a Contact demand monthly return (3 months x 3 channels)", 11, None,
                        errors=1)), junk)
    many = [mv[0], *([str(1000 + i), "Q4 2025/26", "latest", "1", "", "x"] for i in range(300))]
    write_csv(case(Case("mv_csv_three_hundred_problems", "bounded", "metric_values.csv", "refused",
                        "250 more not shown", errors=51)), many)

    (out / "cases.json").write_text(json.dumps([asdict(c) for c in CASES], indent=1, ensure_ascii=False) + "\n",
                                     encoding="utf-8")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    build(target)
    print(f"{len(CASES)} cases written to {target}", file=sys.stderr)
