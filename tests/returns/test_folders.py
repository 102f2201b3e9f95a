"""Issue 21, items 5 and 6: folders and files you can trust, and a new-quarter that never
overwrites. Each mistake an analyst makes is driven through ``pcp validate``, ``pcp run`` (which
refuses before rendering anything) and ``pcp list``, and the messages are checked word for word
where they matter. Nothing here renders a notebook."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pcp_lib.cli import list_table, main
from pcp_lib.core.provenance import provenance_of
from pcp_lib.io.datastore import folder_problems, quarter_dirs, return_file
from pcp_lib.methods.periods import Quarter
from pcp_lib.returns import templates as templates_module
from pcp_lib.returns.quarters import new_quarter
from pcp_lib.returns.templates import BLANKS_FILE, filled_templates
from pcp_lib.returns.validation import all_returns, validate_paths
from pcp_lib.subjects.dashboard.register import load_values

ROOT = Path(__file__).resolve().parents[2]
Q4 = Quarter(2025, 4)


def _q4_values(folder: Path, data: Path, name: str = "metric_values.csv") -> Path:
    """Q4's metric values: Q3's, relabelled (their content does not matter here)."""
    text = (data / "quarters" / "2025-26-Q3" / "metric_values.csv").read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / name
    out.write_text(text.replace("Q3 2025/26", "Q4 2025/26"), encoding="utf-8")
    return out


def _run(data: Path, tmp_path: Path, capsys) -> tuple[int, str]:
    nbs = tmp_path / "nbs"
    nbs.mkdir(exist_ok=True)
    shutil.copy(ROOT / "tests" / "fixtures" / "notebooks" / "10_ok.ipynb", nbs)
    code = main(["run", "--quarter", "2025-26 Q4", "--data", str(data), "--out", str(tmp_path / "out"),
                 "--notebooks", str(nbs), "--quiet", "--audience", "public", "--no-pdf"])
    return code, capsys.readouterr().err


def _validate(capsys, *args: str) -> tuple[int, str]:
    code = main(["validate", *args])
    out = capsys.readouterr()
    return code, out.err + out.out


# ---- quarter folders named as quarters ------------------------------------------------------------

def test_a_near_duplicate_folder_is_an_error_that_names_it_and_never_shadows(data, tmp_path, capsys):
    dup = data / "quarters" / "2025-26 Q4"
    _q4_values(dup, data)
    assert quarter_dirs(data)[Q4] == data / "quarters" / "2025-26-Q4", "the real folder is read, not the copy"

    code, said = _validate(capsys, str(data / "quarters" / "2025-26-Q4"), "--data", str(data))
    assert code == 1
    assert ("2025-26 Q4: expected one folder per quarter: 2025-26-Q4 is the folder of Q4 2025/26, so this "
            "near-duplicate is not read; move any return in it into 2025-26-Q4/ and delete it; got \"a folder "
            "named '2025-26 Q4'\"") in said

    code, err = _run(data, tmp_path, capsys)
    assert code == 1 and "near-duplicate is not read" in err
    assert not (tmp_path / "out" / "2025-26-Q4").exists(), "refused before anything was rendered"

    table = list_table(data).set_index("Folder")
    assert table.loc["2025-26 Q4", "Problems"] == "NOT READ: a second folder for Q4 2025/26 beside 2025-26-Q4"
    assert table.loc["2025-26 Q4", "Returns present"] == "metric_values"


def test_a_quarter_folder_named_another_way_is_not_read_and_run_says_why(data, tmp_path, capsys):
    (data / "quarters" / "2025-26-Q4").rename(data / "quarters" / "2025-26 q4")
    assert Q4 not in quarter_dirs(data)
    problems = folder_problems(data / "quarters")
    assert [str(p) for p in problems] == [
        "data/quarters/2025-26 q4: expected a quarter folder named 2025-26-Q4 (the name pcp reads for Q4 2025/26); "
        "this one is not read: rename it 2025-26-Q4; got \"a folder named '2025-26 q4'\""]
    code, err = _run(data, tmp_path, capsys)
    assert code == 1 and "rename it 2025-26-Q4" in err, "the folder is named, not 'no return for Q4'"


def test_a_folder_that_is_not_a_quarter_is_an_error_and_listed(data, tmp_path, capsys):
    (data / "quarters" / "Q4 returns").mkdir()
    (data / "quarters" / ".ipynb_checkpoints").mkdir()  # hidden: passed over
    code, said = _validate(capsys, str(data / "quarters" / "2025-26-Q3"), "--data", str(data))
    assert code == 1
    assert ("quarters/Q4 returns: expected only quarter folders, named like 2025-26-Q4; this folder is not read: "
            "rename it as its quarter, or move it out of quarters/") in said
    assert ".ipynb_checkpoints" not in said
    code, err = _run(data, tmp_path, capsys)
    assert code == 1 and "quarters/Q4 returns" in err

    assert main(["list", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "Q4 returns" in line)
    assert row.split()[0] == "-" and "NOT READ: not a quarter" in row
    assert "error: data/quarters/Q4 returns: expected only quarter folders" in out, "in full below the table"


def test_a_return_left_in_quarters_itself_is_an_error(data):
    shutil.copy(data / "quarters" / "2025-26-Q3" / "actions.csv", data / "quarters" / "actions.csv")
    (data / "quarters" / "README.md").write_text("notes", encoding="utf-8")
    (found,) = folder_problems(data / "quarters")
    assert str(found).endswith("quarters/actions.csv: expected each return in its quarter's folder "
                               "(for example quarters/2025-26-Q4/actions.csv): this file is not read; got \"a file named "
                               "'actions.csv' in quarters/ itself\"")


def test_every_good_folder_passes_the_folder_checks(data):
    assert folder_problems(data / "quarters") == []
    assert set(list_table(data)["Problems"]) == {"none"}


# ---- a return's extension in any case --------------------------------------------------------------

def test_an_upper_case_extension_is_read_and_validated(data, capsys):
    folder = data / "quarters" / "2025-26-Q4"
    src = _q4_values(folder, data, "tmp.csv")
    # an Excel workbook saved as .XLSX (as some Windows tools name it)
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    import csv
    with src.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    ws["A3"] = "999"  # a serial not in the register: validation must see this file
    wb.save(folder / "metric_values.XLSX")
    src.unlink()
    assert return_file(folder, "metric_values") == folder / "metric_values.XLSX"
    code, said = _validate(capsys, str(folder), "--data", str(data))
    assert code == 1 and "metric_values.XLSX, sheet 'data', row 3, column 'serial'" in said
    ws["A3"] = 1
    wb.save(folder / "metric_values.XLSX")
    values = load_values("2025-26 Q4", data)
    assert len(values) == 80 and provenance_of(values).names == ("metric_values.XLSX",)
    assert "metric_values" in list_table(data).set_index("Folder").loc["2025-26-Q4", "Returns present"]


def test_two_files_for_one_return_whatever_the_case_are_pointed_out(data):
    folder = data / "quarters" / "2025-26-Q3"
    shutil.copy(folder / "actions.csv", folder / "actions.CSV")
    said = [str(p) for p in validate_paths([folder], data_dir=data)]
    assert any("one file per return: actions.csv is the one read" in s and "actions.CSV" in s for s in said)


# ---- a filled workbook left in templates/ -----------------------------------------------------------

def _fill_one_value(path: Path) -> None:
    wb = load_workbook(path)
    wb["data"]["D2"] = "Y"
    wb.save(path)


def test_a_filled_template_left_in_templates_is_an_error_when_its_return_is_missing(data, tmp_path, capsys):
    folder = new_quarter("2025-26 Q4", data_dir=data).folder
    assert filled_templates(folder, all_returns(), data) == [], "blank templates (metric_values' prefilled serials) are not 'filled'"
    _fill_one_value(folder / "templates" / "metric_values.xlsx")

    code, said = _validate(capsys, str(folder), "--data", str(data))
    assert code == 1
    assert ("templates/metric_values.xlsx: expected a blank template: pcp run never reads templates/, so "
            "metric_values is missing for Q4 2025/26; save this workbook as ") in said
    assert "2025-26-Q4/metric_values.xlsx; got \"1 filled cell(s) on sheet 'data'\"" in said

    code, err = _run(data, tmp_path, capsys)
    assert code == 1 and "pcp run never reads templates/" in err
    assert list_table(data).set_index("Folder").loc["2025-26-Q4", "Problems"] == "1 error(s)"


def test_a_filled_template_beside_its_return_is_a_warning(data):
    folder = new_quarter("2025-26 Q4", data_dir=data).folder
    _q4_values(folder, data)
    _fill_one_value(folder / "templates" / "metric_values.xlsx")
    (found,) = filled_templates(folder, all_returns(), data)
    assert found.severity == "warning" and "pcp run reads" in found.expected and "metric_values.csv" in found.expected


def test_validating_a_file_in_templates_says_the_run_never_reads_it(data, capsys):
    folder = new_quarter("2025-26 Q4", data_dir=data).folder
    (data / "quarters" / "old").mkdir()
    code, said = _validate(capsys, str(folder / "templates" / "actions.xlsx"), "--data", str(data))
    assert "warning: " in said and "pcp run never reads templates/; save it as" in said
    assert code == 1 and "quarters/old: expected only quarter folders" in said, "the folders around it too"


def test_a_template_as_new_quarter_wrote_it_is_blank_without_being_opened(data, monkeypatch):
    folder = new_quarter("2025-26 Q4", data_dir=data).folder
    opened: list[str] = []
    real = templates_module._filled_cells
    monkeypatch.setattr(templates_module, "_filled_cells",
                        lambda path, *a: opened.append(path.name) or real(path, *a))
    assert filled_templates(folder, all_returns(), data) == [] and opened == [], "every template as written"

    _fill_one_value(folder / "templates" / "metric_values.xlsx")
    wb = load_workbook(folder / "templates" / "actions.xlsx")
    wb.save(folder / "templates" / "actions.xlsx")  # saved again unchanged: other bytes, still blank
    (found,) = filled_templates(folder, all_returns(), data)
    assert "metric_values.xlsx" in found.file and sorted(opened) == ["actions.xlsx", "metric_values.xlsx"]

    (folder / "templates" / BLANKS_FILE).write_text("{not json", encoding="utf-8")
    opened.clear()
    (found,) = filled_templates(folder, all_returns(), data)
    assert "metric_values.xlsx" in found.file and len(opened) == 6, "an unreadable record: every template opened"


# ---- new-quarter never overwrites -------------------------------------------------------------------

def test_new_quarter_again_keeps_filled_templates_and_the_ticked_checklist(data, capsys):
    first = new_quarter("2025-26 Q4", data_dir=data)
    assert "CHECKLIST.md" in first.created and first.kept == [] and first.replaced == []
    folder = first.folder
    template = folder / "templates" / "metric_values.xlsx"
    _fill_one_value(template)
    checklist = folder / "CHECKLIST.md"
    ticked = checklist.read_text(encoding="utf-8").replace("- [ ] `metric_values`", "- [x] `metric_values`")
    checklist.write_text(ticked, encoding="utf-8")
    filled = template.read_bytes()

    assert main(["new-quarter", "2025-26 Q4", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert template.read_bytes() == filled and checklist.read_text(encoding="utf-8") == ticked
    assert "kept as they were (nothing is overwritten; --force replaces them with blank ones): " in out
    assert "templates/metric_values.xlsx" in out and "CHECKLIST.md" in out and "created:" not in out

    (folder / "templates" / "actions.xlsx").unlink()
    again = new_quarter("2025-26 Q4", data_dir=data)
    assert again.created == ["templates/actions.xlsx"], "what is missing is created"

    assert main(["new-quarter", "2025-26 Q4", "--data", str(data), "--force"]) == 0
    out = capsys.readouterr().out
    assert "replaced with blank ones (--force): templates/metric_values.xlsx" in out
    assert filled_templates(folder, all_returns(), data) == [] and "- [ ] `metric_values`" in checklist.read_text(encoding="utf-8")


def test_new_quarter_still_unpacks_as_folder_and_missing(data):
    folder, missing = new_quarter("2026-27 Q4", data_dir=data)
    assert folder.name == "2026-27-Q4" and missing == ["metric_values", "actions", "dtoa_pathway"]


@pytest.mark.parametrize("name", ["2025-26 Q4", "2025-26-q4"])
def test_new_quarter_warns_of_a_near_duplicate(data, capsys, name):
    (data / "quarters" / name).mkdir()
    assert main(["new-quarter", "2025-26 Q4", "--data", str(data)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: ") and f"quarters/{name}: expected one folder per quarter" in err
