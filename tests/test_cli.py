"""The ``pcp`` command: paths printed as the user gave them, what each quarter is missing,
one-line errors, and the dashboard in the terminal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.cli import list_table, main, shown

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_NBS = ROOT / "tests" / "fixtures" / "notebooks"


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, d)
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
    # expected: the two required returns and the three Q2 2025/26 had (the rule pcp run's gate applies)
    assert table.loc["Q3 2025/26", "Complete"] == "4/5"
    assert table.loc["Q3 2025/26", "Missing"] == "actions"
    assert table.loc["Q2 2025/26", "Missing"] == "metric_values, actions"
    assert main(["list", "--data", str(data)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["Quarter", "Folder", "Complete", "Missing", "Returns", "present", "Problems"]
    q3 = next(line for line in out if line.startswith("Q3 2025/26"))
    assert q3.split()[:5] == ["Q3", "2025/26", "2025-26-Q3", "4/5", "actions"]


def test_list_of_a_data_folder_without_quarters(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["list", "--data", str(tmp_path / "empty")]) == 0
    assert capsys.readouterr().out.strip() == f"No quarter folders in {tmp_path / 'empty'}/quarters"


def test_template_prints_the_path_as_given(tmp_path, capsys):
    out = tmp_path / "x.xlsx"
    assert main(["template", "contact_monthly", "--quarter", "2025-26 Q4", "--out", str(out),
                 "--data", str(FIXTURE_DATA)]) == 0
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


def test_dashboard_in_the_terminal_is_public_by_default(capsys):
    """The tests' own data: no quarter's disclosure decision, so the register's default withholds
    serial 7 (the shipped Q3 2025/26 publishes it, as its paper does: tests/pack/test_run.py)."""
    assert main(["dashboard", "--quarter", "2025-26 Q3", "--data", str(FIXTURE_DATA)]) == 0
    out = capsys.readouterr().out
    assert "Baseline 2024/25" in out and "✔ Green" in out
    assert out.startswith("Public version: 1 restricted metric(s) withheld")
    staff = next(line for line in out.splitlines() if "Staff satisfaction for Force" in line)
    assert "62.7%" not in staff and staff.split()[-2:] == ["■", "Restricted"]
    assert out.strip().splitlines()[-1] == "Green: 17, Amber: 10, Red: 9, No data: 3, Restricted: 1"


def test_dashboard_restricted_shows_restricted_metrics_marked(capsys):
    assert main(["dashboard", "--quarter", "2025-26 Q3", "--audience", "restricted", "--data", str(FIXTURE_DATA)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("RESTRICTED version: contains figures not for publication (1 metric(s) marked")
    staff = next(line for line in out.splitlines() if "Staff satisfaction for Force" in line)
    assert "■ RESTRICTED" in staff and "62.7%" in staff and "60.4%" in staff
    marked = [line for line in out.splitlines()[1:] if "■ RESTRICTED" in line]
    assert len(marked) == 1, "every restricted metric marked, and no other"
    assert out.strip().splitlines()[-1] == "Green: 17, Amber: 10, Red: 10, No data: 3"


def test_dashboard_help_says_public_by_default(capsys):
    with pytest.raises(SystemExit):
        main(["dashboard", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Public by default" in text and "public (default)" in text and "marked ■ RESTRICTED" in text


def test_no_command_prints_help(capsys):
    assert main([]) == 0
    assert "usage: pcp" in capsys.readouterr().out


@pytest.mark.slow
def test_run_prints_the_output_folder_as_given(tmp_path, capsys):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    shutil.copy(FIXTURE_NBS / "10_ok.ipynb", nbs)
    out = tmp_path / "out"
    assert main(["run", "--quarter", "2025-26 Q3", "--data", str(FIXTURE_DATA), "--out", str(out), "--notebooks", str(nbs), "--quiet",
                 "--audience", "public"]) == 0
    printed = capsys.readouterr().out
    assert f"written to {out}/2025-26-Q3/ in " in printed
    assert printed.strip().endswith(f"Open {out}/2025-26-Q3/index.html")
    assert (out / "2025-26-Q3" / "index.html").exists()


def test_run_refuses_a_quarter_with_no_return_and_leaves_the_previous_pack(data, tmp_path, capsys):
    out = tmp_path / "out"
    previous = out / "2030-31-Q1" / "index.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("the previous pack", encoding="utf-8")
    (data / "quarters" / "2030-31-Q1" / "templates").mkdir(parents=True)  # set up by new-quarter, not filled
    assert main(["run", "--quarter", "2030-31 Q1", "--data", str(data), "--out", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert err.startswith("error: no return for Q1 2030/31 in ") and err.count("quarters/2030-31-Q1") == 1
    assert "quarters with data: Q4 2023/24, Q1 2024/25," in err and "Q3 2025/26" in err and "--allow-partial" in err
    assert previous.read_text(encoding="utf-8") == "the previous pack"
    assert sorted(p.name for p in out.iterdir()) == ["2030-31-Q1"], "nothing else was written"


@pytest.mark.slow
def test_allow_partial_renders_a_deliberately_partial_pack(data, tmp_path, capsys):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    shutil.copy(FIXTURE_NBS / "10_ok.ipynb", nbs)
    out = tmp_path / "out"
    assert main(["run", "--quarter", "2030-31 Q1", "--data", str(data), "--out", str(out), "--notebooks", str(nbs),
                 "--quiet", "--audience", "public", "--allow-partial"]) == 0
    front = (out / "2030-31-Q1" / "public" / "index.html").read_text(encoding="utf-8")
    assert "The latest Plan metric values are for Q3 2025/26." in front and 'href="10_ok.html"' in front
