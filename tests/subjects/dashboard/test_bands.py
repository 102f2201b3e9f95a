"""One home for the RAG rule's numbers (issue 22, item 6): change a band or a metric's tolerance in
reference data and every sentence that states it follows: the reason, the statistical note and
the method text."""

from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.display.page import render_html
from pcp_lib.subjects.dashboard import page
from pcp_lib.subjects.dashboard.evidence import statistical_view

ROOT = Path(__file__).resolve().parents[3]


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    return data


def _edit(path: Path, key: str, match: str, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    hit = [r for r in rows if r[key] == match]
    assert len(hit) == 1
    hit[0][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _sentences(data: Path, serials: list[int]) -> dict[int, tuple[str, str]]:
    ctx = page.load("2025-26 Q3", data, "restricted")
    assert ctx.assessed is not None
    view = statistical_view(ctx.assessed, ctx.population, ctx.series, ctx.shown, rules=ctx.preset or "mdc")
    reasons = ctx.assessed.set_index("serial")["reason"]
    notes = view.set_index("serial")["statistical_note"]
    return {s: (str(reasons[s]), str(notes[s])) for s in serials}


def _method(data: Path) -> str:
    out = render_html(page.load, page.title, page.SECTIONS, "2025-26 Q3", data, "public")
    return html.unescape(re.sub(r"<[^>]+>", " ", out.split("How the RAG is decided", 1)[1]))


@pytest.mark.parametrize("serial", [24, 52])
def test_a_metric_tolerance_of_10_is_stated_in_every_sentence(tmp_path, serial):
    # the issue's case: serial 24 given a tolerance of 10 said "±10%" in its reason but "inside the ±5%
    # band" in its statistical note; serial 52 (shoplifting, a rate) has a note with a test and SPC
    data = _copy(tmp_path)
    _edit(data / "reference" / "metrics.csv", "serial", str(serial), "tolerance", "10")
    reason, note = _sentences(data, [serial])[serial]
    assert "the agreed ±10% range" in reason
    assert "±5%" not in reason and "±5%" not in note
    bands = re.findall(r"(?:inside|outside) the (±[\d.]+(?:%|pp)) band", note)
    assert set(bands) <= {"±10%"}
    if serial == 52:  # 7.60 -> 7.42 is -2.4%: inside either band, and its note says so
        assert bands == ["±10%"]


def test_a_changed_band_in_reference_data_is_the_rule_reasons_notes_and_method(tmp_path):
    data = _copy(tmp_path)
    _edit(data / "reference" / "rag_bands.csv", "unit", "rate_per_1000", "band", "1.5")
    _edit(data / "reference" / "rag_bands.csv", "unit", "percent", "band", "4")
    said = _sentences(data, [52, 2])
    reason, note = said[52]  # shoplifting 7.60 -> 7.42 is -2.4%: outside ±1.5%, the way "Decrease" wants
    assert reason.startswith("Fell 2.4% (7.60 → 7.42), outside the agreed ±1.5% range")
    assert "outside the ±1.5% band" in note
    reason, note = said[2]  # confidence 65.9% -> 72.2%, +6.3pp: still outside ±4pp
    assert "outside the agreed ±4pp range" in reason
    method = _method(data)
    assert "±4pp (percentage points) for percentages" in method
    assert "±1.5% (relative change) for rates per 1,000" in method
    assert "exactly -4pp" in method and "±2pp" not in method


def test_the_shipped_method_text_states_the_papers_bands():
    method = _method(FIXTURE_DATA)
    assert "±2pp (percentage points) for percentages" in method
    assert "±5% (relative change) for rates per 1,000, counts and other figures" in method
