"""The contact page contract: labels come from provenance, checks say what they can show,
illustrative figures are labelled on their row, and missing inputs are said, not hidden."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.errors import DataError
from pcp_lib.display.page import render_html
from pcp_lib.subjects.contact import page

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "contact"
INPUT_FILES = ("contact_monthly.csv", "contact_targets.csv", "contact_staffing_assumptions.csv",
               "contact_annual.csv", "contact_annual_change.csv", "contact_uplift.csv", "contact_calls.csv")


def _sections(data_dir: Path | None, quarter: str = "2025-26 Q3") -> dict[str, str]:
    """The page's HTML by section heading ("" for the title block), as ``render_html`` builds it."""
    ctx = page.load(quarter, data_dir, "public")
    out = {"": page.title(ctx).html(images=False)}
    out.update({heading: fn(ctx).html(images=False) for heading, fn in page.SECTIONS})
    return out


@pytest.mark.slow  # the whole page of real data, charts drawn
def test_renders_whole_without_a_kernel():
    html = render_html(page.load, page.title, page.SECTIONS, "2025-26 Q3", FIXTURE_DATA)
    assert [f"<h2>{h}</h2>" in html for h, _ in page.SECTIONS] == [True] * len(page.SECTIONS)


def _data(tmp_path: Path, synthetic: tuple[str, ...] = ()) -> Path:
    """A copy of the data with a call-level extract for Q3 2025/26, where every contact input
    is marked real except those named in ``synthetic``."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    shutil.copy(FIX / "calls_small.csv", data / "quarters" / "2025-26-Q3" / "contact_calls.csv")
    for f in data.rglob("*"):
        if f.name in INPUT_FILES:
            note = "SYNTHETIC test copy." if f.name in synthetic else "Force data (test copy)."
            f.with_name(f.name + ".source.txt").write_text(note, encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def committed() -> dict[str, str]:
    return _sections(FIXTURE_DATA)


def test_check_says_the_sample_was_built_from_the_published_figures(committed):
    text = committed["The published tables"]
    assert "24 of 24 published figures are reproduced exactly from the monthly data" in text
    assert ("The monthly data (contact_monthly.csv) are a SYNTHETIC sample built to add up to these same "
            "published figures, so this check cannot fail except through an error in the code") in text


def test_illustrative_rates_are_not_among_the_published_figures(committed):
    text = committed["The published tables"]
    row = re.search(r"<tr><td>101 \(non-emergency\)</td><td>Answered within 15 minutes</td>.*?</tr>", text)
    assert row is not None
    assert "87.6%" in row.group(0) and "✔ Met" in row.group(0)
    assert "not published: illustrative" in row.group(0)
    # and no headline sentence reports the illustrative 15-minute rate as a published figure
    assert "77.9% of 101 calls were answered within 15 minutes" not in text


def test_simulated_calls_are_an_input_labelled_by_provenance(committed):
    assert "contact_calls: " in committed[""] and "synthetic_calls" in committed[""]
    arrivals = committed["When calls arrive: hour of day by day of week (call-level data)"]
    assert "No call-level extract (contact_calls.parquet, contact_calls.csv or contact_calls.xlsx) was sent for Q3 2025/26" in arrivals
    assert "SYNTHETIC data (pcp_lib.subjects.contact.synthetic.synthetic_calls, contact_staffing_assumptions.csv)" \
        in arrivals
    staffing = committed["Staffing what-if"]
    assert "contact_staffing_assumptions.csv" in re.search(r"SYNTHETIC data \(([^)]*)\)", staffing).group(1)


@pytest.mark.slow  # every section of real data with a call-level extract (the staffing what-if)
def test_real_inputs_carry_no_synthetic_label(tmp_path):
    sections = _sections(_data(tmp_path))
    for heading, text in sections.items():
        assert "SYNTHETIC" not in text, heading
    published = sections["The published tables"]
    assert "24 of 24 published figures are reproduced exactly" in published
    assert "built to add up" not in published and ">not published<" in published
    assert "No call-level extract" not in sections["When calls arrive: hour of day by day of week (call-level data)"]


def test_one_synthetic_input_is_named_exactly_where_it_is_used(tmp_path):
    sections = _sections(_data(tmp_path, synthetic=("contact_targets.csv",)))
    using = {"The quarter", "The published tables", "Each rate by month against its target",
             "Will the targets keep being met? SPC assurance", "Staffing what-if"}
    for heading, text in sections.items():
        if heading in using:
            assert "SYNTHETIC data (contact_targets.csv)" in text, heading
        elif heading:
            assert "SYNTHETIC" not in text, heading
    assert "contact_targets (contact_targets.csv) is SYNTHETIC" in sections[""]


def test_beyond_the_data_shows_the_last_quarter_and_says_so():
    ctx = page.load("2027-28 Q1", FIXTURE_DATA)
    assert ctx.shown is not None and ctx.shown.label == "Q3 2025/26"
    assert any("The contact demand data end in December 2025, before the end of Q1 2027/28" in s
               for s in ctx.coverage)
    assert "The page shows Q3 2025/26, the latest quarter the contact data reach." in ctx.coverage
    assert "Q3 2025/26 against Q3 2024/25." in page.quarter(ctx).html(images=False)


def test_no_monthly_data_says_what_is_missing(tmp_path):
    data = _data(tmp_path)
    for f in (data / "quarters").rglob("contact_*"):
        f.unlink()
    ctx = page.load("2025-26 Q3", data)
    assert ctx.shown is None and ctx.coverage == ["There are no contact demand data up to Q3 2025/26."]
    assert "No contact data up to Q3 2025/26" in page.quarter(ctx).html(images=False)
    assert "do not cover calendar years 2024 and 2025" in page.published(ctx).html(images=False)
    assert "needs two complete calendar years" in page.staffing(ctx).html(images=False)


def test_a_bad_call_extract_fails_loudly_not_silently_simulated(tmp_path):
    data = _data(tmp_path)
    (data / "quarters" / "2025-26-Q3" / "contact_calls.csv").write_text("call_id,channel\n1,999\n", encoding="utf-8")
    with pytest.raises(DataError, match="contact_calls.csv, row 1: expected columns"):
        page.load("2025-26 Q3", data)


def test_findings_say_which_targets_were_met_and_how_demand_changed(findings_shown):
    targets, calls_999, calls_101 = findings_shown(page, page.load("2025-26 Q3", FIXTURE_DATA))
    assert targets.text == (
        "In Q3 2025/26, 2 of 4 contact targets were met (999 calls answered within 10 seconds; 999 calls abandoned); "
        "missed: 101 calls answered within 15 minutes, 71.6% against at least 75% (local); 101 calls abandoned, "
        "14.3% against under 10% (local).")
    assert calls_999.text.startswith("999 calls rose 37% (+14,191)") and calls_101.text.startswith("101 calls rose 47%")
    assert {f.section for f in (targets, calls_999, calls_101)} == {"The quarter"}
    assert targets.basis == "SYNTHETIC sample (contact_monthly.csv)"
    assert targets.when == "Q3 2025/26, data as at 31/12/2025"


def test_findings_on_real_data_name_the_return(tmp_path):
    found = page.findings(page.load("2025-26 Q3", _data(tmp_path)))
    assert {f.basis for f in found} == {"return (contact_monthly.csv)"} and not any(f.synthetic for f in found)


def test_findings_without_data_say_so(tmp_path):
    (only,) = page.findings(page.load("2019-20 Q1", FIXTURE_DATA))
    assert only.text == "No contact data up to Q1 2019/20." and only.section == "The quarter"
