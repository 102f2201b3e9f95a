"""The metric register and the quarterly values: validation with clear errors, and the
provenance both carry."""

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA, pcp_cli

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.io.schema import read_table
from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects.dashboard.register import (
    KINDS,
    METRIC_VALUES,
    check_metric_values,
    load_register,
    load_values,
)


def test_register_has_the_40_headline_metrics():
    reg = load_register(data_dir=FIXTURE_DATA)
    assert len(reg) == 40
    assert reg["serial"].min() == 1 and reg["serial"].max() == 83
    assert sorted(reg.loc[reg["restricted"], "serial"].astype(int)) == [7, 25]
    assert set(reg["target"]) == {"Increase", "Decrease", "Reduce", "Increase or maintain", "Completed Y/N"}


def test_each_metric_knows_what_it_is():
    """Issue 22: a statistical kind per serial, from what Appendix 1 publishes (000_5c38b58c372c3f4f.txt)."""
    reg = load_register(data_dir=FIXTURE_DATA)
    kinds = {k: sorted(int(s) for s in reg.loc[reg["kind"] == k, "serial"]) for k in KINDS}
    assert kinds == {
        "count": [27, 34, 57, 58, 83],  # offences, referrals, casualties, collisions, resolutions
        "rate": [31, 32, 33, 35, 36, 41, 43, 48, 49, 52, 53, 63, 64, 65, 66],
        "proportion": [2, 6, 7, 26, 28, 42, 54, 69, 70, 71, 76, 77, 82],
        "quantity": [3, 4, 5, 16, 24, 25],  # places, assets, years, hours, officers, share of hours
        "yes_no": [1],
    }
    q = reg.set_index("serial")["quantity_of"]
    assert q[24] == "a number of officers" and q[16] == "a number of officer hours"
    assert reg.loc[reg["kind"] != "quantity", "quantity_of"].isna().all()


@pytest.fixture
def data_copy(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA / "reference", dst / "reference")
    shutil.copytree(FIXTURE_DATA / "quarters" / "2025-26-Q3", dst / "quarters" / "2025-26-Q3")
    return dst


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unknown_unit_names_row_and_column(data_copy):
    _edit(data_copy / "reference" / "metrics.csv", "Completed Y/N,yes_no", "Completed Y/N,yesno")
    with pytest.raises(DataError) as exc:
        load_register(data_dir=data_copy)
    msg = str(exc.value)
    assert "metrics.csv" in msg and "row 2" in msg and "'unit'" in msg and "'yesno'" in msg


def test_a_kind_that_does_not_fit_its_unit_is_refused(data_copy):
    # serial 2 is published as a percentage: it cannot be a count of events
    _edit(data_copy / "reference" / "metrics.csv", "percent,CSEW,N,,,proportion,", "percent,CSEW,N,,,count,")
    with pytest.raises(DataError) as exc:
        load_register(data_dir=data_copy)
    msg = str(exc.value)
    assert "row 3" in msg and "'kind'" in msg and "a count is published as count or value" in msg


def test_a_quantity_says_what_it_is(data_copy):
    _edit(data_copy / "reference" / "metrics.csv", ",quantity,a number of officers", ",quantity,")
    with pytest.raises(DataError, match=r"row 10, column 'quantity_of'.*'a number of officers'"):
        load_register(data_dir=data_copy)


def test_duplicate_serial(data_copy):
    path = data_copy / "reference" / "metrics.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(lines[1])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 42.*one row per serial"):
        load_register(data_dir=data_copy)


def test_missing_metric_name(data_copy):
    _edit(data_copy / "reference" / "metrics.csv", "Confidence in Police (CSEW)", "")
    with pytest.raises(DataError, match=r"row 3, column 'metric'"):
        load_register(data_dir=data_copy)


def test_malformed_value_names_file_row_column(data_copy):
    _edit(data_copy / "quarters" / "2025-26-Q3" / "metric_values.csv", "65.9%", '"12,3a%"')
    with pytest.raises(DataError) as exc:
        load_values("2025-26 Q3", data_copy)
    assert "metric_values.csv, row 4, column 'value'" in str(exc.value) and "12,3a%" in str(exc.value)


def test_no_values_for_the_quarter(data_copy):
    with pytest.raises(DataError, match="2025-26-Q4"):
        load_values("2025-26 Q4", data_copy)


def _pcp(*args: str) -> subprocess.CompletedProcess:
    return pcp_cli(*args)  # in this process: no Python started per call


def test_cli_bad_input_is_one_line_no_traceback_exit_1(data_copy):
    _edit(data_copy / "quarters" / "2025-26-Q3" / "metric_values.csv", "65.9%", '"12,3a%"')
    r = _pcp("dashboard", "--quarter", "2025-26 Q3", "--data", str(data_copy))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "row 4" in lines[0] and "'value'" in lines[0]


def test_cli_bad_quarter(data_copy):
    r = _pcp("run", "--quarter", "2025 Q9", "--data", str(data_copy))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip().count("\n") == 0 and "2025-26 Q3" in r.stderr


def test_cli_missing_data_folder(tmp_path):
    r = _pcp("run", "--quarter", "2025-26 Q3", "--data", str(tmp_path / "nope"))
    assert r.returncode == 1 and "Traceback" not in r.stderr and "no such folder" in r.stderr


def test_register_and_values_carry_their_provenance():
    reg = load_register(data_dir=FIXTURE_DATA)
    values = load_values("2025-26 Q3", FIXTURE_DATA, register=reg)
    assert provenance_of(reg).files == ("reference/metrics.csv",) and provenance_of(reg).kind == "reference"
    prov = provenance_of(values)
    assert prov.files == ("quarters/2025-26-Q3/metric_values.csv",) and prov.kind == "return"
    assert not prov.synthetic and "path" not in values.attrs


def test_values_marked_synthetic_say_so(data_copy):
    path = data_copy / "quarters" / "2025-26-Q3" / "metric_values.csv"
    path.with_name(path.name + ".source.txt").write_text("SYNTHETIC: a rehearsal.\n", encoding="utf-8")
    prov = provenance_of(load_values("2025-26 Q3", data_copy))
    assert prov.synthetic and prov.synthetic_names == ("metric_values.csv",)


def test_a_big_move_since_last_quarter_is_a_warning(data_copy):
    q3 = data_copy / "quarters" / "2025-26-Q3" / "metric_values.csv"
    q4 = data_copy / "quarters" / "2025-26-Q4"
    q4.mkdir()
    text = q3.read_text(encoding="utf-8").replace("Q3 2025/26", "Q4 2025/26")
    (q4 / "metric_values.csv").write_text(text.replace('"9,603"', '"19,000"'), encoding="utf-8")
    df = read_table(q4 / "metric_values.csv", METRIC_VALUES)
    problems = check_metric_values(df, q4 / "metric_values.csv", Quarter.parse("2025-26 Q4"), data_copy)
    assert [p.severity for p in problems] == ["warning"]
    assert "last quarter's 9,603 (it moved 98%; check it)" in str(problems[0]) and "19,000" in str(problems[0])


# ---- commentary, owner, next step (issue 24, item 6) -----------------------------------------

def _latest_row_of(path: Path, serial: int) -> int:
    """The file's row number (header = 1) of ``serial``'s latest row."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if line.startswith(f"{serial},Q"))


def test_commentary_columns_are_optional_and_read_into_the_table(data_copy):
    path = data_copy / "quarters" / "2025-26-Q3" / "metric_values.csv"
    values = load_values("2025-26 Q3", data_copy)
    latest = values[values["value_kind"] == "latest"].set_index("serial")
    assert latest.loc[34, "owner"] == "PCC" and latest.loc[34, "next_step"].startswith("The PCC has agreed to fund")
    assert latest.loc[57, "commentary"].startswith("The number of casualties, row 57")
    assert latest["commentary"].notna().sum() == 2, "only where the paper gives it (000_..., paras 11 and 12)"
    # a return written before the columns existed still reads: the columns are blank
    import csv
    import io
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(r[:6] for r in rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    assert path.read_text(encoding="utf-8").startswith("serial,period,value_kind,value,published_direction,source\n")
    again = load_values("2025-26 Q3", data_copy)
    assert again["commentary"].isna().all() and len(again) == len(values)


@pytest.mark.parametrize(("serial", "kind", "column", "text", "named", "said"), [
    (2, "baseline", "commentary", "said on a baseline", "commentary", "on the latest row of serial 2"),
    (2, "latest", "owner", "Head of Performance", "commentary", "an owner or next step is given without the commentary"),
    (2, "latest", "commentary", "x" * 1001, "commentary", "at most 1,000 characters of commentary"),
])
def test_commentary_in_the_wrong_place_is_a_clear_error(data_copy, serial, kind, column, text, named, said):
    import csv
    import io
    path = data_copy / "quarters" / "2025-26-Q3" / "metric_values.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    at = next(i for i, r in enumerate(rows) if r[0] == str(serial) and r[2] == kind)
    rows[at][header.index(column)] = text
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_values("2025-26 Q3", data_copy)
    message = str(exc.value)
    assert f"metric_values.csv, row {at + 1}, column '{named}'" in message and said in message


def test_the_template_has_the_commentary_columns(tmp_path):
    from openpyxl import load_workbook
    out = tmp_path / "mv.xlsx"
    r = pcp_cli("template", "metric_values", "--quarter", "2025-26 Q4", "--out", str(out), "--data", str(FIXTURE_DATA))
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out, read_only=True)
    sheet = wb[METRIC_VALUES.sheet]
    header = [c for c in next(sheet.iter_rows(max_row=1, values_only=True)) if c]
    wb.close()
    assert header[-3:] == ["commentary", "owner", "next_step"]
