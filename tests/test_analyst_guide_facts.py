"""What docs/analyst-guide.md says, checked against the tool (fast; the guide's `# step` blocks
are run by the slow ``test_analyst_guide.py``): its table of returns, which are required, its
example messages, the shipped Q4 folder, the dashboard's default audience."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from pcp_lib.cli import build_parser, main
from pcp_lib.core.provenance import source_note
from pcp_lib.returns.validation import all_returns

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "analyst-guide.md").read_text(encoding="utf-8")
TEXT = " ".join(GUIDE.split())


def test_the_table_lists_every_return_and_no_other():
    table = re.findall(r"^\| `(\w+)` \|", GUIDE, re.MULTILINE)
    assert sorted(table) == sorted(all_returns())


def test_the_required_returns_are_the_ones_the_registry_requires():
    required = [n for n, spec in all_returns().items() if spec.required]
    assert required == ["metric_values", "actions"]
    assert "`metric_values` and `actions` are the required returns" in TEXT


def test_the_call_extract_formats_are_the_ones_read():
    from pcp_lib.subjects.contact.calls import EXTRACT_SUFFIXES

    assert EXTRACT_SUFFIXES == (".parquet", ".csv", ".xlsx")
    assert "`contact_calls.parquet`, `.csv` or `.xlsx` (the template filled in), read in that order" in TEXT


def test_the_shipped_q4_folder_is_as_described():
    q4 = ROOT / "data" / "quarters" / "2025-26-Q4"
    assert sorted(p.name for p in q4.iterdir() if not p.name.endswith(".source.txt")) == [
        "csp_spend.csv", "dtoa_pathway.csv"]
    with (q4 / "csp_spend.csv").open(encoding="utf-8") as fh:
        assert {r["as_at"] for r in csv.DictReader(fh)} == {"2026-01-05"}
    assert (source_note(q4 / "csp_spend.csv") or "").startswith("PUBLISHED CSP spend position as at 05/01/2026")
    assert (source_note(q4 / "dtoa_pathway.csv") or "").startswith("SYNTHETIC")
    assert "`csp_spend.csv`, the real CSP position as at 05/01/2026" in TEXT
    assert "`dtoa_pathway.csv`, a SYNTHETIC sample" in TEXT


def test_the_dashboard_is_public_by_default_as_the_guide_says():
    args = build_parser().parse_args(["dashboard", "--quarter", "2025-26 Q3"])
    assert args.audience == "public"
    assert "It is the public version by default" in TEXT and '"■ RESTRICTED"' in TEXT


def test_the_example_messages_are_the_ones_validate_prints(tmp_path, monkeypatch, capsys):
    """The guide's two example lines, produced by the mistakes they describe."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    q4 = data / "quarters" / "2025-26-Q4"
    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    with (data / "quarters" / "2025-26-Q3" / "metric_values.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            ws.append([c.replace("Q3 2025/26", "Q4 2025/26") for c in row])
    ws["A9"] = 99
    assert (ws["A25"].value, ws["C25"].value, ws["D25"].value) == ("27", "latest", "9,603")
    ws["D25"] = "19,000"
    wb.save(q4 / "metric_values.xlsx")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "data/quarters/2025-26-Q4", "--data", "data"]) == 1
    printed = capsys.readouterr().err.splitlines()
    example = re.search(r"for\nexample:\n\n```\n(.*?)```", GUIDE, re.DOTALL)
    assert example is not None
    for line in example.group(1).strip().splitlines():
        assert line in printed, (line, printed)


@pytest.mark.parametrize("said", [
    "rename it 2025-26-Q4", "move any return in it into 2025-26-Q4/ and delete it",
    "pcp run never reads templates/", "one file per return: csp_spend.csv is the one read",
    "NOT READ: name it 2025-26-Q4"])
def test_the_messages_the_guide_quotes_are_in_the_code(said):
    code = " ".join((ROOT / "pcp_lib" / p).read_text(encoding="utf-8")
                    for p in ("io/datastore.py", "returns/templates.py", "returns/validation.py", "cli.py"))
    pattern = re.escape(said).replace("2025\\-26\\-Q4", r"\{[^}]*\}").replace("csp_spend\\.csv", r"\{[^}]*\}")
    assert said in TEXT and re.search(pattern, code), said
