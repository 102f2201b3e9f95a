"""The corpus of broken and awkward returns (tests/returns_corpus, built by its script): each
case through ``pcp validate`` (in-process), checked for its result, message and place; the
accepted ones also read back as the value they mean; a sample through ``pcp run`` over a
good previous pack, which must be left untouched."""

from __future__ import annotations

import datetime  # noqa: F401 - the expected values in cases.json are reprs of dates
import json
import shutil
import subprocess
import sys
import time
from decimal import Decimal  # noqa: F401 - the expected values in cases.json are reprs of Decimals
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.cli import main
from pcp_lib.io.schema import read_table
from pcp_lib.methods.periods import Quarter
from pcp_lib.returns.validation import all_returns

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "returns_corpus"
CASES = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
Q4 = Quarter(2025, 4)
TIMES: dict[str, float] = {}


def _validate(path: Path, capsys) -> tuple[int, list[str]]:
    code = main(["validate", str(path), "--quarter", "2025-26 Q4", "--data", str(FIXTURE_DATA)])
    out = capsys.readouterr()
    return code, [ln for ln in (out.err + out.out).splitlines() if ln.strip()]


def _place(case: dict) -> list[str]:
    parts = [case["file"]]
    if case["sheet"]:
        parts.append(f"sheet {case['sheet']!r}")
    if case["row"] is not None:
        parts.append(f"row {case['row']}")
    if case["column"]:
        parts.append(f"column {case['column']!r}")
    return parts


def test_corpus_is_large_and_covers_every_return_and_format():
    assert len(CASES) >= 40
    assert {c["file"].split(".")[0] for c in CASES} == {"contact_monthly", "dtoa_pathway", "csp_spend",
                                                        "metric_values", "actions"}
    assert {(c["file"].split(".")[0], c["file"].split(".")[1]) for c in CASES} >= {
        (r, e) for r in ("contact_monthly", "dtoa_pathway", "csp_spend", "metric_values") for e in ("csv", "xlsx")}
    assert {c["result"] for c in CASES} == {"accepted", "warning", "refused"}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case, capsys):
    path = CORPUS / case["name"] / case["file"]
    started = time.perf_counter()
    code, lines = _validate(path, capsys)
    TIMES[case["name"]] = time.perf_counter() - started
    errors = [ln for ln in lines if ln.startswith("error:")]
    warnings = [ln for ln in lines if ln.startswith("warning:")]
    assert not any("Traceback" in ln for ln in lines)
    if case["result"] == "refused":
        assert code == 1, lines
        mine = [ln for ln in errors if case["message"] in ln and all(p in ln for p in _place(case))]
        assert mine, (case["message"], _place(case), lines)
        if case["row"] is None:
            assert " row " not in mine[0].split(": expected")[0], mine[0]
    else:
        assert code == 0 and not errors, lines
        if case["result"] == "warning":
            assert any(case["message"] in ln and all(p in ln for p in _place(case)) for ln in warnings), lines
        else:
            assert not warnings, lines
    if case["errors"] is not None:
        assert len(errors) == case["errors"], errors
    if case["read_as"]:
        spec = all_returns()[case["file"].split(".")[0]]
        df = read_table(path, spec.schema, quarter=Q4, problems=[])
        got = df.loc[df["_row"] == case["read_as"]["row"], case["read_as"]["column"]].iloc[0]
        assert got == eval(case["read_as"]["value"]), (got, case["read_as"])  # noqa: S307 - our own manifest


def test_slowest_case_is_fast():
    if not TIMES:
        pytest.skip("run with the cases")
    name, seconds = max(TIMES.items(), key=lambda kv: kv[1])
    print(f"slowest corpus case: {name} {seconds:.2f} s")
    assert seconds < 3, (name, seconds)


def test_the_corpus_is_what_the_script_builds(tmp_path):
    """The committed corpus matches its script (text files byte for byte, the list of files;
    workbooks carry zip timestamps, so only their names are compared)."""
    copy = tmp_path / "corpus"
    res = subprocess.run([sys.executable, str(CORPUS / "build_corpus.py"), str(copy)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    shutil.copy(CORPUS / "build_corpus.py", copy / "build_corpus.py")
    built = {p.relative_to(copy) for p in copy.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    have = {p.relative_to(CORPUS) for p in CORPUS.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert built == have
    for rel_path in sorted(built):
        if rel_path.suffix in (".csv", ".json") and not (CORPUS / rel_path).read_bytes().startswith(b"PK"):
            assert (copy / rel_path).read_bytes() == (CORPUS / rel_path).read_bytes(), rel_path


SAMPLE = ["csp_xlsx_formulas_without_values", "mv_csv_fraction_for_percent", "actions_csv_completed_next_quarter"]


def _pcp(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pcp_lib.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


@pytest.mark.slow
def test_refused_returns_keep_the_previous_pack(tmp_path):
    """A good Q4 pack first; then each sample case dropped into the quarter: pcp run refuses it
    with the message validate gives, and the pack on disk is byte for byte the same."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    q4 = data / "quarters" / "2025-26-Q4"
    for f in q4.glob("*"):
        f.unlink()
    for name in ("contact_monthly", "dtoa_pathway", "csp_spend", "metric_values", "actions"):
        shutil.copy(CORPUS / f"good_{name}_csv" / f"{name}.csv", q4 / f"{name}.csv")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "notebooks" / "10_ok.ipynb", nbs)
    out = tmp_path / "out"
    args = ["run", "--quarter", "2025-26 Q4", "--data", str(data), "--out", str(out), "--notebooks", str(nbs),
            "--quiet", "--audience", "public"]
    first = _pcp(*args)
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in (out / "2025-26-Q4").rglob("*") if p.is_file()}
    assert before
    by_name = {c["name"]: c for c in CASES}
    for name in SAMPLE:
        case = by_name[name]
        stem = case["file"].split(".")[0]
        for f in q4.glob(f"{stem}.*"):
            f.unlink()
        shutil.copy(CORPUS / name / case["file"], q4 / case["file"])
        started = time.perf_counter()
        r = _pcp(*args)
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
        assert case["message"] in r.stderr and f"row {case['row']}" in r.stderr, (name, r.stderr)
        assert time.perf_counter() - started < 60
        assert {p: p.read_bytes() for p in (out / "2025-26-Q4").rglob("*") if p.is_file()} == before, name
        (q4 / case["file"]).unlink()
        shutil.copy(CORPUS / f"good_{stem}_csv" / f"{stem}.csv", q4 / f"{stem}.csv")
