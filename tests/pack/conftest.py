"""Fixtures shared by the pack's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pcp_lib.pack.run import run_pack
from pcp_lib.subjects.dashboard.assess import assess_quarter, display_table

ROOT = Path(__file__).resolve().parents[2]
QUARTER = "2025-26 Q3"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the project's data folder, free to change."""
    d = tmp_path / "data"
    shutil.copytree(ROOT / "data", d)
    return d


@pytest.fixture(scope="session")
def restricted_strings() -> list[str]:
    """Every value, change and reason of the restricted metrics of Q3 2025/26 as the pack
    would show them, less any string a public metric also shows (e.g. "No data: ...")."""
    df = assess_quarter("2025-26 Q3")
    shown = display_table(df[df["restricted"]])
    public = display_table(df[~df["restricted"]])
    out = []
    for col in ("Baseline 2024/25", "Latest", "Change", "Reason"):
        out += [s for s in shown[col] if s and s not in set(public[col])]
    return out


@pytest.fixture(scope="session")
def pack(tmp_path_factory):
    """The full pack for Q3 2025/26 from the shipped data, both audiences, HTML and PDF: the one
    render of this configuration in a test run, shared by every test that reads a rendered pack
    (they are slow). Rendered twice, from scratch into two folders, for the byte-identity check.

    The first render runs with ``PCP_CHECK_LAYOUT=1``: a chart that spills outside its figure
    fails its notebook, so ``r1.ok`` is also the check that every chart fits (the check only
    raises; it changes no byte, which the second render, without it, confirms).

    Session fixtures are per process: the slow tier runs without pytest-xdist (``make test``),
    so this renders once. The render itself runs two notebooks at a time."""
    out1 = tmp_path_factory.mktemp("pack1")
    out2 = tmp_path_factory.mktemp("pack2")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PCP_CHECK_LAYOUT", "1")
        r1 = run_pack(QUARTER, out_dir=out1, progress=False)
    assert r1.ok, r1.failure_report()
    r2 = run_pack(QUARTER, out_dir=out2, progress=False)
    assert r2.ok, r2.failure_report()
    return out1 / "2025-26-Q3", out2 / "2025-26-Q3"
