"""The DToA page contract: ``load`` reads every input once with its provenance, each section
names the inputs it is computed from, and the SYNTHETIC label appears exactly where a
synthetic input is used, naming it (one input at a time is marked synthetic)."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.errors import DataError
from pcp_lib.display.page import render_html
from pcp_lib.subjects.dtoa import page

DATA = FIXTURE_DATA  # the tests' own data folder (tests/fixtures/data)
PUBLISHED = ("dtoa_custody_comparison", "dtoa_pathway_2025", "dtoa_cstr_monthly", "dtoa_cstr_totals", "dtoa_funding",
             "dtoa_turning_point_contributions", "dtoa_dashboard_referrals")

#: For each input, the sections computed from it (Q3 2025/26: the monthly return has no
#: 2026/27 months, so the funding chart draws only published levels).
USED_BY = {
    "dtoa_pathway": {"quarter", "dropoffs", "uplift"},
    "dtoa_custody_comparison": {"then_and_now", "dropoffs", "uplift", "funding_history", "data_quality",
                                "closing_note"},
    "dtoa_pathway_2025": {"pathway_2025", "data_quality"},
    "dtoa_cstr_monthly": {"cstr_by_area", "closing_note"},
    "dtoa_cstr_totals": {"cstr_by_area", "closing_note"},
    "dtoa_funding": {"funding_history"},
    "dtoa_turning_point_contributions": {"funding_history"},
    "dtoa_dashboard_referrals": {"data_quality"},
}


def _sections(quarter: str, data_dir: Path | None = FIXTURE_DATA) -> dict[str, str]:
    """The rendered page split by section (``title`` first), keyed by section function."""
    text = render_html(page.load, page.title, page.SECTIONS, quarter, data_dir)
    headings = "|".join(re.escape(f"<h2>{html.escape(h)}</h2>") for h, _ in page.SECTIONS)
    parts = [html.unescape(p) for p in re.split(headings, text)]
    names = ["title", *(fn.__name__ for _, fn in page.SECTIONS)]
    assert len(parts) == len(names)
    return dict(zip(names, parts, strict=True))


def _data_copy(tmp_path: Path, synthetic: str | None) -> Path:
    """The published tables and the monthly return, with only ``synthetic`` marked SYNTHETIC."""
    d = tmp_path / "data"
    shutil.copytree(DATA / "published", d / "published", ignore=shutil.ignore_patterns("*.source.txt"))
    for f in DATA.glob("quarters/*/dtoa_pathway.csv"):
        (d / "quarters" / f.parent.name).mkdir(parents=True)
        shutil.copy(f, d / "quarters" / f.parent.name / f.name)
    if synthetic == "dtoa_pathway":
        for f in d.glob("quarters/*/dtoa_pathway.csv"):
            f.with_name(f.name + ".source.txt").write_text("SYNTHETIC test sample", encoding="utf-8")
    elif synthetic is not None:
        (d / "published" / f"{synthetic}.csv.source.txt").write_text("SYNTHETIC test sample", encoding="utf-8")
    return d


def test_load_reads_every_input_once_with_provenance():
    ctx = page.load("2025-26 Q3", FIXTURE_DATA)
    assert set(ctx.inputs) == set(USED_BY)
    assert ctx.inputs["dtoa_pathway"].synthetic and not ctx.inputs["dtoa_funding"].synthetic
    assert ctx.shown == ctx.asked and ctx.coverage == []
    assert len(ctx.pathway) == 12 and ctx.pathway["month"].max().month == 12


def test_q3_page_shows_the_published_figures_and_labels_the_sample():
    s = _sections("2025-26 Q3")
    for label in ("-14%", "-75%", "-77%", "-79%", "-84%", "-23pp", "+2 days", "-95%", "-68%"):
        assert label in s["then_and_now"]
    assert "✖ no: unit" in s["then_and_now"]
    assert "2,915" in s["pathway_2025"]
    assert "nothing can yet be said" in s["uplift"]
    assert "All 12 published totals equal the sum of their months" in s["cstr_by_area"]
    assert "10% in Q3 2025 (-24 percentage points)" in s["dropoffs"]
    assert "SYNTHETIC sample data" in s["title"]  # the opening says what the sample is
    for name, text in s.items():
        labelled = "SYNTHETIC data (dtoa_pathway.csv)" in text
        assert labelled == (name in USED_BY["dtoa_pathway"]), name
    assert "/work/" not in "".join(s.values())


def test_the_closing_table_has_no_self_comparisons():
    closing = _sections("2025-26 Q3")["closing_note"]
    assert "Funding:" not in closing and "2,915 → 324" not in closing
    assert closing.count("✔ yes") == 20 and closing.count("✖ no") == 1
    assert "nothing independent to check it against" in closing


@pytest.mark.parametrize("name", sorted(USED_BY))
def test_one_synthetic_input_is_labelled_where_it_is_used_and_nowhere_else(tmp_path, name):
    s = _sections("2025-26 Q3", _data_copy(tmp_path, name))
    assert f"{name}.csv) is SYNTHETIC sample data" in s["title"]
    for section, text in s.items():
        if section == "title":
            continue
        assert (f"SYNTHETIC data ({name}.csv)" in text) == (section in USED_BY[name]), section
        assert "SYNTHETIC" not in text or section in USED_BY[name], section


def test_nothing_synthetic_no_label(tmp_path):
    s = _sections("2025-26 Q3", _data_copy(tmp_path, None))
    assert not any("SYNTHETIC" in text for text in s.values())


def test_before_the_data_published_sections_still_show():
    ctx = page.load("2024-25 Q1", FIXTURE_DATA)
    assert ctx.shown is None and ctx.pathway.empty
    assert ctx.coverage == ["There are no DToA custody pathway monthly data up to Q1 2024/25."]
    s = _sections("2024-25 Q1")
    assert "There are no DToA custody pathway monthly data up to Q1 2024/25" in s["title"]
    assert "There are no monthly pathway data for Q1 2024/25." in s["quarter"]
    assert "-23pp" in s["then_and_now"]
    assert "monthly return" not in s["dropoffs"]  # no third funnel without months of the quarter


def test_beyond_the_data_says_where_it_ends_and_labels_the_funding_chart():
    s = _sections("2027-28 Q1")
    assert "December 2026" in s["title"]
    assert "months of data since the uplift began in May 2026" in s["uplift"]
    # 2026/27 activity comes from the (synthetic) monthly return: the funding chart names it
    assert "SYNTHETIC data (dtoa_pathway.csv)" in s["funding_history"]


def test_a_missing_published_file_fails_loudly(tmp_path):
    d = _data_copy(tmp_path, None)
    (d / "published" / "dtoa_funding.csv").unlink()
    with pytest.raises(DataError, match="dtoa_funding.csv"):
        page.load("2025-26 Q3", d)


def test_a_missing_monthly_return_is_said_plainly(tmp_path):
    d = _data_copy(tmp_path, None)
    shutil.rmtree(d / "quarters")
    s = _sections("2025-26 Q3", d)
    assert "There are no DToA custody pathway monthly data up to Q3 2025/26" in s["title"]
    assert "dtoa_pathway: no files up to this quarter" in s["title"]


def test_findings_say_where_the_pathway_loses_most_people(findings_shown):
    loss, weakened, month = findings_shown(page, page.load("2025-26 Q3", FIXTURE_DATA))
    assert loss.text.startswith("In Q3 2025: the largest drop-out is between 'Required Assessment booked (Referral "
                                "into treatment)' and 'Required Assessments attended': 44% of those eligible")
    assert "217 who did not reach 'Drug tests carried out', mostly never eligible" in loss.text
    assert weakened.text.startswith("The step that weakened most is") and "(-24 percentage points)" in weakened.text
    assert loss.section == weakened.section == "Where people drop off"
    assert loss.basis == "published" and not loss.synthetic and loss.as_at is None
    assert loss.when == "Q3 2025 (OPCC Commissioned Services Report, June 2026)"
    assert month.text == "Q3 2025/26 (3 of 3 months): 24.0 drug tests and 9.0 Required Assessments booked a month on average."
    assert month.basis == "SYNTHETIC sample (dtoa_pathway.csv)" and month.section == "The quarter asked for"


def test_findings_without_monthly_data_still_give_the_published_ones():
    found = page.findings(page.load("2023-24 Q1", FIXTURE_DATA))
    assert [f.basis for f in found[:2]] == ["published", "published"]
    assert found[2].text == "There are no monthly pathway data for Q1 2023/24."
