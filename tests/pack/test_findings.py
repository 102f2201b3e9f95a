"""A page's findings for the front page, taken from the page's own run: its subject named by
the registry, its context found by type, carried as plain data, and giving the same front page as computing them afresh."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.display.page import Finding
from pcp_lib.front.page import build_front, subject_of_page
from pcp_lib.pack.findings import findings_json, from_records, to_records
from pcp_lib.pack.front import render_front
from pcp_lib.pack.run import discover_notebooks
from pcp_lib.subjects.registry import subject_named

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
Q3 = "2025-26 Q3"


def test_records_round_trip_with_the_date():
    f = [Finding("£1.00 spent.", "The quarter asked for", "return (csp_spend.csv)", "Q3 2025/26",
                 date(2025, 12, 31), False),
         Finding("No date.", "Heading", "published", "2025", None, True)]
    records = to_records(f)
    assert json.loads(json.dumps(records)) == records, "plain JSON"
    assert records[0]["as_at"] == "2025-12-31"
    assert from_records(records) == f


def test_the_subject_is_the_registrys_and_its_context_found_by_type_not_name():
    csp = subject_named("csp")
    page = csp.page
    ctx = page.load(Q3, FIXTURE_DATA, "public")
    other = subject_named("dtoa").load(Q3, FIXTURE_DATA, "public")
    got = findings_json({"anything": ctx, "page": page, "n": 3, "other": other}, csp.notebook)
    assert from_records(json.loads(got)) == page.findings(ctx), "the csp notebook's context, not dtoa's"
    assert findings_json({"page": page}, csp.notebook) == "null", "no context: none (the front page computes them)"
    assert findings_json({"a": ctx, "b": page.load(Q3, FIXTURE_DATA, "public")}, csp.notebook) == "null", (
        "two contexts: which one? none")
    assert findings_json({"a": ctx}, "99_scratch.ipynb") == "null", "a notebook of no registered subject: none"


@pytest.mark.slow  # every subject page of the fixture data loaded and its findings computed, twice
@pytest.mark.parametrize("audience", ["public", "restricted"])
def test_the_front_page_from_the_pages_findings_is_the_one_computed_afresh(audience):
    runs = [{"ok": True, "notebook": nb.name, "audience": audience, "title": nb.stem, "html": f"{nb.stem}.html"}
            for nb in discover_notebooks(NOTEBOOKS)]
    given = {}
    for run in runs:
        subject = subject_of_page(NOTEBOOKS / run["notebook"])
        ctx = subject.load(Q3, FIXTURE_DATA, audience)
        given[run["html"]] = from_records(json.loads(findings_json({"ctx": ctx}, run["notebook"])))
    fresh = render_front(build_front(Q3, audience, runs, NOTEBOOKS, FIXTURE_DATA), "2026-01-02")
    assert render_front(build_front(Q3, audience, runs, NOTEBOOKS, FIXTURE_DATA, given=given), "2026-01-02") == fresh
    # and the given findings are the ones used (the front page does not compute its own)
    first = runs[-1]["html"]
    changed = dict(given) | {first: [Finding("A finding from the page's run.", "Heading", "published", "Q3")]}
    front = build_front(Q3, audience, runs, NOTEBOOKS, FIXTURE_DATA, given=changed)
    assert front.pages[-1].findings == changed[first]
