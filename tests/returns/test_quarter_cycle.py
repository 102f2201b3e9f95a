"""The analyst guide's quarterly cycle for Q4 2025/26, with the mistakes analysts make.

A copy of the tests' own data folder (``tests/fixtures/data``) goes through the guide's steps (``pcp new-quarter``, the rehearsal
fill by ``scripts/fill_quarter_example.py``, ``pcp validate``); then each mistake of issue 21
(items 1-4) is made on its own copy of that quarter, and each must be refused by ``pcp
validate`` and ``pcp run`` alike, or flagged on the page that shows it:

- ``metric_values`` missing, or filled in but left in ``templates/``: a gap, refused; with
  ``--allow-partial`` the front page and the dashboard carry a PARTIAL banner naming it;
- March missing from the contact return: a gap, refused; the contact page compares the
  same months only (never two months against three);
- Q3's action register copied into Q4: last quarter's return sent again, refused; an action
  due by the end of the quarter still "Not started" is a warning;
- 0.0722 typed in a percent-formatted cell (read 7.22% against 72.2%): an implausible move,
  refused unless confirmed in ``confirmations.csv``, and the confirmation is on the page;
- a metric with a value in Q3 and "n/a" now: a warning naming both quarters, and the page
  shows "No data (Q3 2025/26: 7.42)".

Most checks call the gate and the page functions directly (no kernel); one test renders the
public pack of a part quarter (slow).
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA
from openpyxl import load_workbook

from pcp_lib.cli import main
from pcp_lib.front.page import build_front
from pcp_lib.io.completeness import quarter_gaps
from pcp_lib.io.schema import read_table
from pcp_lib.io.stale import moved_on, stale_copy
from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.front import render_front
from pcp_lib.returns.gate import GateRefused, quarter_gate, run_gate
from pcp_lib.returns.validation import all_returns, validate_paths
from pcp_lib.subjects.contact import page as contact_page
from pcp_lib.subjects.dashboard import page as dashboard_page
from pcp_lib.subjects.dashboard.assess import display_table
from pcp_lib.subjects.dtoa import page as dtoa_page

ROOT = Path(__file__).resolve().parents[2]
Q4 = Quarter(2025, 4)
Q4_TEXT = "2025-26 Q4"


@pytest.fixture(scope="module")
def rehearsed(tmp_path_factory) -> Path:
    """The data folder after the guide's steps 1-2 for Q4 2025/26 (new-quarter, then the
    rehearsal fill): a whole, valid quarter."""
    data = tmp_path_factory.mktemp("cycle") / "data"
    shutil.copytree(FIXTURE_DATA, data)
    assert main(["new-quarter", Q4_TEXT, "--data", str(data)]) == 0
    subprocess.run([sys.executable, str(ROOT / "scripts" / "fill_quarter_example.py"), Q4_TEXT, "--data", str(data)],
                   check=True, capture_output=True, text=True)
    return data


@pytest.fixture
def data(rehearsed: Path, tmp_path: Path) -> Path:
    """A copy of the rehearsed data folder, free to spoil."""
    d = tmp_path / "data"
    shutil.copytree(rehearsed, d)
    return d


def folder(data: Path) -> Path:
    return data / "quarters" / Q4.slug


def validate(data: Path, capsys) -> tuple[int, list[str], list[str]]:
    """``pcp validate`` on the Q4 folder: (exit status, error lines, warning lines)."""
    code = main(["validate", str(folder(data)), "--data", str(data)])
    out = capsys.readouterr()
    lines = (out.err + out.out).splitlines()
    return code, [ln for ln in lines if ln.startswith("error:")], [ln for ln in lines if ln.startswith("warning:")]


def run(data: Path, tmp_path: Path, capsys, *extra: str) -> tuple[int, str]:
    """``pcp run`` for Q4 into a fresh output folder: (exit status, stderr). A refused run
    must write nothing at all."""
    out = tmp_path / "out"
    code = main(["run", "--quarter", Q4_TEXT, "--data", str(data), "--out", str(out), "--quiet", "--audience",
                 "public", "--no-pdf", *extra])
    err = capsys.readouterr().err
    if code != 0:
        assert not out.exists() or not any(out.iterdir()), "a refused run wrote nothing"
        assert "Traceback" not in err
    return code, err


def set_latest(data: Path, serial: int, value: object, number_format: str | None = None) -> None:
    """Type ``value`` as the latest value of metric ``serial`` in Q4's metric values workbook."""
    p = folder(data) / "metric_values.xlsx"
    wb = load_workbook(p)
    ws = wb["data"]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == serial and ws.cell(r, 3).value == "latest":
            ws.cell(r, 4).value = value
            if number_format:
                ws.cell(r, 4).number_format = number_format
    wb.save(p)


def drop_month(data: Path, month: str) -> None:
    """Delete every row of ``month`` ("2026-03") from Q4's contact return."""
    p = folder(data) / "contact_monthly.xlsx"
    wb = load_workbook(p)
    ws = wb["data"]
    for r in reversed(range(2, ws.max_row + 1)):
        v = ws.cell(r, 1).value
        if (v.strftime("%Y-%m") if isinstance(v, datetime) else str(v)).startswith(month):
            ws.delete_rows(r)
    wb.save(p)


# ---- the rehearsal itself ---------------------------------------------------------------------


def test_the_rehearsed_quarter_is_whole_and_valid(rehearsed, capsys):
    code, errors, _ = validate(rehearsed, capsys)
    assert code == 0 and not errors
    assert quarter_gaps(list(all_returns().values()), Q4, rehearsed) == []
    for name in ("metric_values", "actions", "contact_monthly"):
        note = (folder(rehearsed) / f"{name}.xlsx.source.txt").read_text(encoding="utf-8")
        assert note.startswith("SYNTHETIC"), name


def test_the_shipped_quarter_passes_the_gate():
    problems, gaps = quarter_gate(Quarter(2025, 3), FIXTURE_DATA)
    assert gaps == [] and not [p for p in problems if p.severity == "error"]


def test_run_runs_exactly_what_validate_runs(data):
    set_latest(data, 2, 0.0722, "0.0%")
    set_latest(data, 52, "n/a")
    drop_month(data, "2026-03")
    problems, _ = quarter_gate(Q4, data, older=False)
    assert problems == validate_paths([folder(data)], data_dir=data)
    assert {p.severity for p in problems} == {"error", "warning"}


# ---- 1. a part quarter ------------------------------------------------------------------------


def test_missing_metric_values_is_refused_by_validate_and_run(data, tmp_path, capsys):
    (folder(data) / "metric_values.xlsx").unlink()
    code, errors, _ = validate(data, capsys)
    assert code == 1
    line = ("error: quarters/2025-26-Q4/metric_values.xlsx: expected the Plan metric values for Q4 2025/26 "
            "(metric_values.xlsx or .csv; a required return); got 'no file'")
    assert errors == [line]
    code, err = run(data, tmp_path, capsys)
    assert code == 1 and line in err.splitlines() and "--allow-partial" in err


def test_metric_values_left_in_templates_is_a_gap(data, capsys):
    done = folder(data) / "metric_values.xlsx"
    shutil.move(done, folder(data) / "templates" / "metric_values.xlsx")  # filled in, saved in the wrong place
    code, errors, _ = validate(data, capsys)
    assert code == 1 and any("metric_values.xlsx: expected the Plan metric values for Q4 2025/26" in e for e in errors)


def test_a_partial_pack_says_so_on_the_front_page_and_the_dashboard(data, tmp_path):
    (folder(data) / "metric_values.xlsx").unlink()
    with pytest.raises(GateRefused):
        run_gate(Q4, data)
    assert run_gate(Q4, data, allow_partial=True) == []  # the gap is printed as a warning, not refused
    dash = dashboard_page.load(Q4_TEXT, data, "public")
    assert dash.partial is not None and dash.partial.startswith("PARTIAL")
    assert "metric_values: no return" in dash.partial and "Q3 2025/26's" in dash.partial
    opening = dashboard_page.title(dash).html(images=False)
    assert "<strong>PARTIAL:</strong> the data for Q4 2025/26 are incomplete: metric_values: no return" in opening
    front = build_front(Q4_TEXT, "public", [], ROOT / "notebooks", data)
    html = render_front(front, "2026-04-01")
    assert '<strong>PARTIAL:</strong> the data for Q4 2025/26 are incomplete: metric_values: no return.' in html
    # no headline taken silently from Q3: the summary names the quarter its values are for
    assert "The latest Plan metric values are for Q3 2025/26." in html
    # 9 Red in public: the fixture data hold no disclosure decision, so serial 7 (Red) is withheld
    assert "9 Red metrics (Q3 2025/26, not Q4 2025/26)" in html and "10 Red" not in html
    best = dashboard_page.findings(dash)[0].text
    assert best.startswith("Since the last figures before Q3 2025/26") and best.endswith("(Q3 2025/26: the latest Plan metric values, "
                                                                     "not Q4 2025/26's).")
    assert contact_page.load(Q4_TEXT, data, "public").partial is None  # an unaffected page: no banner


def test_march_missing_from_the_contact_return_is_refused(data, tmp_path, capsys):
    drop_month(data, "2026-03")
    code, errors, _ = validate(data, capsys)
    line = ("error: quarters/2025-26-Q4/contact_monthly.xlsx, column 'month': expected every month of Q4 2025/26 "
            "(January-March 2026); got 'no March 2026'")
    assert code == 1 and errors == [line]
    code, err = run(data, tmp_path, capsys)
    assert code == 1 and line in err.splitlines()


def test_a_csp_position_as_at_another_quarter_is_refused(data, tmp_path, capsys):
    p = folder(data) / "csp_spend.csv"  # the shipped Q4 position, as at 05/01/2026
    p.write_text(p.read_text(encoding="utf-8").replace("2026-01-05", "2025-12-20"), encoding="utf-8")
    code, errors, _ = validate(data, capsys)
    gap = ("error: quarters/2025-26-Q4/csp_spend.csv, column 'as_at': expected an as-at date within Q4 2025/26 "
           "(01/01/2026 to 31/03/2026); got '20/12/2025'")
    assert code == 1 and gap in errors and len(errors) == 10  # each of the nine rows, and the gap
    code, err = run(data, tmp_path, capsys)
    assert code == 1 and gap in err.splitlines()


def test_a_missing_channel_month_is_named(data, capsys):
    p = folder(data) / "contact_monthly.xlsx"
    wb = load_workbook(p)
    ws = wb["data"]
    for r in reversed(range(2, ws.max_row + 1)):
        if ws.cell(r, 1).value == datetime(2026, 2, 1) and str(ws.cell(r, 2).value) == "101":
            ws.delete_rows(r)
    wb.save(p)
    _, errors, _ = validate(data, capsys)
    assert errors == ["error: quarters/2025-26-Q4/contact_monthly.xlsx, column 'month': expected a row for every "
                      "channel in each month of Q4 2025/26; got 'no February 2026 row for 101'"]


# ---- 2. like for like ---------------------------------------------------------------------------


def test_two_months_are_never_compared_with_three(data):
    drop_month(data, "2026-03")
    ctx = contact_page.load(Q4_TEXT, data, "public")
    assert ctx.partial == "PARTIAL: the data for Q4 2025/26 are incomplete: contact_monthly: no March 2026."
    texts = [f.text for f in contact_page.findings(ctx)]
    volume = [t for t in texts if t.startswith("999 calls")]
    assert volume and all("from" in t and "in Jan–Feb 2025 to" in t and "in Jan–Feb 2026." in t for t in volume)
    assert not any("in Q4 2025/26" in t or "in Q4 2024/25" in t for t in texts)
    section = contact_page.quarter(ctx).html(images=False)
    assert "only the same months of each are compared, Jan–Feb 2026 against Jan–Feb 2025." in section


def test_drug_testing_compares_the_same_months_only(data):
    p = folder(data) / "dtoa_pathway.csv"  # the shipped Q4 sample
    p.write_text("".join(ln for ln in p.read_text(encoding="utf-8").splitlines(keepends=True)
                         if not ln.startswith("2026-03")), encoding="utf-8")
    ctx = dtoa_page.load(Q4_TEXT, data, "public")
    assert ctx.partial == "PARTIAL: the data for Q4 2025/26 are incomplete: dtoa_pathway: no March 2026."
    text = dtoa_page.quarter(ctx).html(images=False)
    assert "Q4 2025/26 (2 of 3 months)" in text
    assert ("Q4 2025/26 and Q4 2024/25 are not both whole in the data, so only the same months are compared: "
            "against January and February 2025, drug tests a month in January and February 2026 changed by") in text
    assert "Against Q4 2024/25, drug tests" not in text


def test_a_whole_quarter_is_compared_whole(rehearsed):
    ctx = contact_page.load(Q4_TEXT, rehearsed, "public")
    texts = [f.text for f in contact_page.findings(ctx)]
    assert any("in Q4 2024/25 to" in t and t.endswith("in Q4 2025/26.") for t in texts)


# ---- 3. one gate: implausible moves, confirmations, values gone missing ---------------------


def test_a_fraction_typed_for_a_percentage_is_refused(data, tmp_path, capsys):
    set_latest(data, 2, 0.0722, "0.0%")  # shows as 7.2% in Excel; Q3's was 72.2%
    code, errors, _ = validate(data, capsys)
    assert code == 1 and len(errors) == 1
    assert errors[0].startswith("error: quarters/2025-26-Q4/metric_values.xlsx, sheet 'data', row 5, column 'value': "
                                "expected a value near Q3 2025/26's 72.2%: it fell by more than half, which is "
                                "implausible")
    assert "confirmations.csv" in errors[0] and errors[0].endswith("got '7.22%'")
    code, err = run(data, tmp_path, capsys)
    assert code == 1 and errors[0] in err.splitlines()


def test_a_confirmed_move_passes_and_is_shown_with_who_and_why(data, capsys):
    set_latest(data, 2, 0.0722, "0.0%")
    (folder(data) / "confirmations.csv").write_text(
        "return,item,value,confirmed_by,reason\n"
        'metric_values,2,7.22%,"J Smith, OPCC performance lead",The survey question changed in January\n',
        encoding="utf-8")
    code, errors, warnings = validate(data, capsys)
    assert code == 0 and not errors
    assert any("it fell by more than half, confirmed by J Smith, OPCC performance lead: The survey question "
               "changed in January" in w for w in warnings)
    printed = run_gate(Q4, data)  # the run prints the same warning
    assert any("confirmed by J Smith" in str(p) for p in printed)
    assert "warning: " in capsys.readouterr().err
    ctx = dashboard_page.load(Q4_TEXT, data, "public")
    appendix = dashboard_page.appendix(ctx).html(images=False)
    assert ("The figure moved implausibly from Q3 2025/26&#x27;s 72.2% and was confirmed by J Smith, OPCC "
            "performance lead: The survey question changed in January.") in appendix


def test_a_confirmation_of_another_value_does_not_count(data, capsys):
    set_latest(data, 2, 0.0722, "0.0%")
    (folder(data) / "confirmations.csv").write_text(
        "return,item,value,confirmed_by,reason\nmetric_values,2,7.3%,J Smith,checked\n", encoding="utf-8")
    code, errors, _ = validate(data, capsys)
    assert code == 1 and "fell by more than half, which is implausible" in errors[0]


def test_a_count_changing_tenfold_is_refused(data, capsys):
    reg = {int(r["serial"]): r for r in csv.DictReader((FIXTURE_DATA / "reference" / "metrics.csv").open())}
    serial = next(s for s, r in sorted(reg.items()) if r["unit"] == "count")
    wb = load_workbook(folder(data) / "metric_values.xlsx")
    ws = wb["data"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == serial and ws.cell(r, 3).value == "latest")
    before = int(str(ws.cell(row, 4).value).replace(",", ""))
    set_latest(data, serial, f"{before * 11:,}")
    code, errors, _ = validate(data, capsys)
    assert code == 1 and any("rose more than tenfold, which is implausible" in e for e in errors)


def test_a_monthly_count_typed_tenfold_is_refused_unless_confirmed(data, capsys):
    p = folder(data) / "contact_monthly.xlsx"
    wb = load_workbook(p)
    ws = wb["data"]
    assert (ws.cell(2, 1).value, str(ws.cell(2, 2).value)) == (datetime(2026, 1, 1), "999")
    typed = ws.cell(2, 3).value * 10  # a digit too many in January's 999 calls offered
    ws.cell(2, 3).value = typed
    wb.save(p)
    code, errors, _ = validate(data, capsys)
    assert code == 1 and len(errors) == 1
    assert errors[0].startswith("error: quarters/2025-26-Q4/contact_monthly.xlsx, sheet 'data', row 2, column "
                                "'offered': expected about 17,633 a month in Q3 2025/26: it rose more than tenfold")
    assert f"contact_monthly,999 offered 2026-01,{typed},<who>,<why>" in errors[0]
    (folder(data) / "confirmations.csv").write_text(
        f"return,item,value,confirmed_by,reason\ncontact_monthly,999 offered 2026-01,{typed},A Person,"
        "a major incident\n", encoding="utf-8")
    code, errors, warnings = validate(data, capsys)
    assert code == 0 and any("confirmed by A Person: a major incident" in w for w in warnings)
    opening = contact_page.title(contact_page.load(Q4_TEXT, data, "public")).html(images=False)
    assert f"offered {typed}: expected about 17,633 a month in Q3 2025/26: it rose more than tenfold, confirmed " \
           "by A Person: a major incident" in opening


def test_a_value_gone_missing_names_both_quarters_and_the_page_shows_the_old_one(data, capsys):
    set_latest(data, 52, "n/a")
    code, errors, warnings = validate(data, capsys)
    assert code == 0 and not errors
    assert ("warning: quarters/2025-26-Q4/metric_values.xlsx, sheet 'data', row 51, column 'value': expected a latest "
            "value for serial 52 (Incidences of shoplifting (rate per 1000 pop)): Q3 2025/26 had 7.42, Q4 2025/26 "
            "has none; the page will show No data (Q3 2025/26: 7.42); got 'no value'") in warnings
    ctx = dashboard_page.load(Q4_TEXT, data, "public")
    row = display_table(ctx.table[ctx.table["serial"] == 52]).iloc[0]
    assert row["RAG"].endswith("No data") and row["Reason"].startswith("No data (Q3 2025/26: 7.42)")
    assert "No data (Q3 2025/26: 7.42)" in dashboard_page.appendix(ctx).html(images=False)


def test_a_restricted_metric_gone_missing_keeps_its_old_value_off_the_public_page(data):
    reg = {int(r["serial"]): r for r in csv.DictReader((FIXTURE_DATA / "reference" / "metrics.csv").open())}
    serial = next(s for s, r in sorted(reg.items()) if r["restricted"] == "Y")
    set_latest(data, serial, "-")
    public = dashboard_page.load(Q4_TEXT, data, "public").table
    restricted = dashboard_page.load(Q4_TEXT, data, "restricted").table
    assert str(restricted[restricted["serial"] == serial]["reason"].iloc[0]).startswith("No data (Q3 2025/26:")
    assert public[public["serial"] == serial]["reason"].iloc[0] == "Restricted"


# ---- 4. stale copies ------------------------------------------------------------------------------


def test_last_quarters_action_register_is_refused(data, tmp_path, capsys):
    (folder(data) / "actions.xlsx").unlink()
    shutil.copy(data / "quarters" / "2025-26-Q3" / "actions.csv", folder(data) / "actions.csv")
    code, errors, warnings = validate(data, capsys)
    assert code == 1 and len(errors) == 1
    assert errors[0].startswith("error: quarters/2025-26-Q4/actions.csv: expected Q4 2025/26's Action register: "
                                "every row equals Q3 2025/26's in ")
    due = [w for w in warnings if "was due in Q4 2025/26 (this quarter) and is still 'Not started'" in w]
    assert len(due) == 11
    code, err = run(data, tmp_path, capsys)
    assert code == 1 and errors[0] in err.splitlines()


def test_an_action_due_earlier_still_not_started_is_a_warning(data, capsys):
    rows = read_table(folder(data) / "actions.xlsx", all_returns()["actions"].schema)
    first = rows[rows["due_quarter"] == "2025-26 Q1"].iloc[0]
    wb = load_workbook(folder(data) / "actions.xlsx")
    ws = wb["data"]
    ws.cell(int(first["_row"]), 5).value = "Not started"
    ws.cell(int(first["_row"]), 6).value = None
    wb.save(folder(data) / "actions.xlsx")
    code, errors, warnings = validate(data, capsys)
    assert code == 0 and not errors
    assert any(f"{first['action_id']} was due in Q1 2025/26 (an earlier quarter) and is still 'Not started'" in w
               for w in warnings)


@pytest.mark.parametrize("name", ["contact_monthly", "dtoa_pathway", "csp_spend", "actions", "metric_values"])
def test_every_return_sent_again_with_its_dates_moved_on_is_refused(name, tmp_path):
    """Q3's rows with their months and dates moved on a quarter (and Q3's label read as Q4's)
    are last quarter's return, whatever the return."""
    spec = all_returns()[name]
    q3 = FIXTURE_DATA / "quarters" / "2025-26-Q3" / f"{name}.csv"
    prev = tmp_path / "quarters" / "2025-26-Q3"
    prev.mkdir(parents=True)
    shutil.copy(q3, prev)
    with q3.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    moved = [rows[0]]
    for r in rows[1:]:
        out = []
        for v in r:
            for fmt in ("%Y-%m-%d", "%Y-%m"):
                try:
                    v = moved_on(datetime.strptime(v, fmt)).strftime(fmt)
                    break
                except ValueError:
                    continue
            out.append("Q4 2025/26" if v == "Q3 2025/26" else v)
        moved.append(out)
    here = tmp_path / "quarters" / Q4.slug / f"{name}.csv"
    here.parent.mkdir()
    with here.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(moved)
    problems = validate_paths([here], data_dir=FIXTURE_DATA)
    if name == "metric_values":  # its own check: every latest value equal to Q3's
        assert any("equal Q3 2025/26's" in p.expected for p in problems if p.severity == "error")
        return
    df = read_table(here, spec.schema, quarter=Q4)
    assert [p.got for p in stale_copy(df, here, spec, Q4)] == [f"the same {len(df)} rows"]
    assert any(p.got == f"the same {len(df)} rows" for p in problems if p.severity == "error")


# ---- the pack of a part quarter, rendered -------------------------------------------------------


@pytest.mark.slow
def test_a_partial_pack_is_rendered_with_its_banners(data, tmp_path, capsys):
    """--allow-partial with March missing from the contact return: the front page and the
    contact page carry the banner; no page compares two months with three."""
    drop_month(data, "2026-03")
    code, err = run(data, tmp_path, capsys, "--allow-partial")
    assert code == 0, err
    assert "no March 2026" in err and "--allow-partial: the pages say PARTIAL" in err
    pack = tmp_path / "out" / Q4.slug / "public"
    banner = "<strong>PARTIAL:</strong> the data for Q4 2025/26 are incomplete: contact_monthly: no March 2026."
    front = (pack / "index.html").read_text(encoding="utf-8")
    contact = (pack / "10_contact_demand.html").read_text(encoding="utf-8")
    assert banner in contact and banner in front
    assert "in Jan–Feb 2026" in contact  # the contact page's findings stay on its page (issue 25)
    dashboard = (pack / "00_pcp_dashboard.html").read_text(encoding="utf-8")
    assert "PARTIAL" not in dashboard.replace("pcp-banner", "")  # the dashboard's returns are whole
