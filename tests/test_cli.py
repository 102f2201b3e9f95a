"""The ``pcp`` command: paths printed as the user gave them, what each quarter is missing,
one-line errors, and the dashboard in the terminal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pcp_lib.cli import list_table, main, shown

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_NBS = ROOT / "tests" / "fixtures" / "notebooks"


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    shutil.copytree(ROOT / "data", d)
    return d


def test_shown_keeps_a_given_path_and_shortens_only_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert shown(Path("/tmp/x/2025-26-Q3"), "/tmp/x", "2025-26-Q3") == "/tmp/x/2025-26-Q3"
    assert shown(tmp_path / "out", "./out") == "./out"
    assert shown(tmp_path / "outputs" / "q") == "outputs/q", "a default inside the working folder: relative"
    assert shown(Path("/elsewhere/outputs/q")) == "/elsewhere/outputs/q", "outside it: in full, never cut"


def test_list_says_which_returns_each_quarter_is_missing(data, capsys):
    (data / "quarters" / "2025-26-Q3" / "actions.csv").unlink()
    table = list_table(data).set_index("Quarter")
    assert table.loc["Q3 2025/26", "Complete"] == "1/2"
    assert table.loc["Q3 2025/26", "Missing"] == "actions"
    assert table.loc["Q2 2025/26", "Missing"] == "metric_values, actions"
    assert main(["list", "--data", str(data)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["Quarter", "Folder", "Complete", "Missing", "Returns", "present"]
    q3 = next(line for line in out if line.startswith("Q3 2025/26"))
    assert q3.split()[:5] == ["Q3", "2025/26", "2025-26-Q3", "1/2", "actions"]


def test_list_of_a_data_folder_without_quarters(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["list", "--data", str(tmp_path / "empty")]) == 0
    assert capsys.readouterr().out.strip() == f"No quarter folders in {tmp_path / 'empty'}/quarters"


def test_template_prints_the_path_as_given(tmp_path, capsys):
    out = tmp_path / "x.xlsx"
    assert main(["template", "contact_monthly", "--quarter", "2025-26 Q4", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"✔ template written to {out}"
    assert out.exists()


def test_new_quarter_prints_paths_as_given(data, capsys):
    assert main(["new-quarter", "2026-27 Q4", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    folder = f"{data}/quarters/2026-27-Q4"
    assert out.startswith(f"✔ {folder}/ is ready: fill in the templates in {folder}/templates/")
    assert f"Checklist: {folder}/CHECKLIST.md" in out
    assert (data / "quarters" / "2026-27-Q4" / "CHECKLIST.md").exists()


def test_expected_mistakes_are_one_line_errors(capsys):
    assert main(["template", "no_such_return", "--quarter", "2025-26 Q4"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no_such_return" in err and len(err.strip().splitlines()) == 1
    assert main(["dashboard", "--quarter", "2025-26 Q9"]) == 1
    assert capsys.readouterr().err.startswith("error: ")


def test_dashboard_in_the_terminal(capsys):
    assert main(["dashboard", "--quarter", "2025-26 Q3"]) == 0
    out = capsys.readouterr().out
    assert "Baseline 2024/25" in out and "✔ Green" in out
    assert out.strip().splitlines()[-1] == "Green: 17, Amber: 10, Red: 10, No data: 3"


def test_no_command_prints_help(capsys):
    assert main([]) == 0
    assert "usage: pcp" in capsys.readouterr().out


@pytest.mark.slow
def test_run_prints_the_output_folder_as_given(tmp_path, capsys):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    shutil.copy(FIXTURE_NBS / "10_ok.ipynb", nbs)
    out = tmp_path / "out"
    assert main(["run", "--quarter", "2025-26 Q3", "--out", str(out), "--notebooks", str(nbs), "--quiet",
                 "--audience", "public"]) == 0
    printed = capsys.readouterr().out
    assert f"written to {out}/2025-26-Q3/ in " in printed
    assert printed.strip().endswith(f"Open {out}/2025-26-Q3/index.html")
    assert (out / "2025-26-Q3" / "index.html").exists()
