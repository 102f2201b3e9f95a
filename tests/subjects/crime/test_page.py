"""The crime page under the page contract: every input with its provenance, coverage said
plainly, a note in every section when there is no quarter to show, and a SYNTHETIC label on
exactly the sections built from a synthetic input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.provenance import files_read, reset_ledger
from pcp_lib.display.page import render_html
from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects.crime import page

INPUT_FILES = {"police_uk_monthly_counts": "derived/police_uk_monthly_counts.csv",
               "population": "reference/population.csv", "csp_areas": "reference/csp_areas.csv",
               "spc_settings": "reference/spc_settings.csv",
               "spc_change_points": "reference/spc_change_points.csv",
               "ons_recorded_crime_csp": "derived/ons_recorded_crime_csp_ye_2025-06.csv"}
#: which sections are built from which input
USES = {
    "police_uk_monthly_counts": {"quarter", "spc_llr", "by_area", "forces"},
    "population": {"quarter", "by_area", "official"},
    "csp_areas": {"by_area"},
    "spc_settings": {"quarter", "spc_llr", "by_area"},
    "spc_change_points": {"quarter", "spc_llr", "by_area"},
    "ons_recorded_crime_csp": {"official"},
}


def data_copy(tmp: Path) -> Path:
    for sub in ("reference", "derived"):
        shutil.copytree(FIXTURE_DATA / sub, tmp / sub)
    return tmp


def sections_html(ctx: page.CrimeContext) -> dict[str, str]:
    out = {"title": page.title(ctx).html(images=False)}
    for _, fn in page.SECTIONS:
        out[fn.__name__] = fn(ctx).html(images=False)
    return out


@pytest.fixture(scope="module")
def ctx():
    return page.load("2025-26 Q3", FIXTURE_DATA)


def test_load_names_every_input_it_reads():
    reset_ledger()
    ctx = page.load("2025-26 Q3", FIXTURE_DATA)
    assert set(ctx.inputs) == set(INPUT_FILES)
    for name, file in INPUT_FILES.items():
        assert ctx.inputs[name].files == (file,)
    assert set(INPUT_FILES.values()) == set(files_read())
    assert ctx.inputs["police_uk_monthly_counts"].kind == "derived"
    assert ctx.inputs["ons_recorded_crime_csp"].kind == "published"  # ONS figures reshaped, not police.uk


def test_leads_with_the_latest_full_quarter_and_says_so(ctx):
    assert ctx.asked == Quarter.parse("2025-26 Q3") and ctx.shown == Quarter.parse("2024-25 Q3")
    assert ctx.coverage == [
        "The police.uk data end in December 2024, before the end of Q3 2025/26 (December 2025); figures below "
        "use what is available.",
        "This page leads with Q3 2024/25 (October-December 2024), the latest full quarter in the police.uk data, "
        "instead of Q3 2025/26.",
    ]
    assert set(ctx.groups) == {"LLR", *ctx.csp_areas} and len(ctx.csp_areas) == 9


def test_sections_show_what_the_quarter_holds(ctx):
    parts = sections_html(ctx)
    # on 24 months of police.uk data no change survives the adjustment across the 8 crime measures (issue 22)
    assert ("No evidence of a change (adjusted across the 8 crime measures tested; this is not evidence of no "
            "change, see the intervals): neighbourhood crime, burglary") in parts["quarter"]
    assert "How to read these statistics." in parts["quarter"] and "Benjamini-Hochberg" in parts["quarter"]
    assert "measured on 9 other months against the same month a year earlier (Jan 2024-Sep 2024)" in parts["quarter"]
    assert "p (adjusted, 8 tests)" in parts["quarter"] and "p (adjusted, 40 tests)" in parts["by_area"]
    # no test sentence claims more than the method shows (issue 22): no "significant(ly)" beside the tests
    assert not any("ignificant" in parts[s] for s in ("quarter", "by_area", "forces"))
    assert "LLR, Q3 2024/25 against Q3 2023/24" in parts["quarter"]
    assert parts["spc_llr"].count("<figure") == 8 and parts["by_area"].count("<figure") == 4
    assert parts["forces"].count("<figure") == 2 and "Derbyshire Constabulary" in parts["forces"]
    assert "1,121,800" in parts["quarter"]  # the rate basis, from the population reference
    assert "Open Government Licence" in parts["title"] and "police.uk crime categories" in parts["title"]
    assert "SYNTHETIC" not in "".join(parts.values())


def test_no_quarter_in_the_data_is_a_note_in_every_section():
    ctx = page.load("2022-23 Q1", FIXTURE_DATA)
    assert ctx.shown is None
    assert "no full quarter of data up to Q1 2022/23" in ctx.coverage[0]
    parts = sections_html(ctx)
    for name in ("quarter", "spc_llr", "by_area", "forces"):
        assert "No full quarter of police.uk data up to Q1 2022/23" in parts[name]
        assert "<figure" not in parts[name] and "<table" not in parts[name]
    with pytest.raises(ValueError, match="no full quarter"):
        ctx.shown_quarter()


# the whole page from a copy of the data for each input: the derived counts (charts stamped too) in the
# fast tier, the others in the slow one
@pytest.mark.parametrize("name", [n if n == "police_uk_monthly_counts" else pytest.param(n, marks=pytest.mark.slow)
                                  for n in INPUT_FILES])
def test_synthetic_label_on_exactly_the_sections_using_an_input(tmp_path, name):
    data = data_copy(tmp_path)
    path = data / INPUT_FILES[name]
    path.with_name(path.name + ".source.txt").write_text("SYNTHETIC sample for a test\n", encoding="utf-8")
    parts = sections_html(page.load("2025-26 Q3", data))
    label = f"SYNTHETIC data ({path.name})"
    labelled = {s for s, text in parts.items() if label in text}
    assert labelled == USES[name]
    assert not any("SYNTHETIC" in text for s, text in parts.items() if s not in USES[name] | {"title"})
    assert f"{name} ({path.name}) is SYNTHETIC sample data" in parts["title"]  # the opening says which input
    if name == "police_uk_monthly_counts":  # charts carry the stamp too
        assert 'data-stamp="SYNTHETIC DATA"' in parts["spc_llr"]


@pytest.mark.slow  # the whole page, charts drawn
def test_render_html_renders_the_whole_page(tmp_path):
    html = render_html(page.load, page.title, page.SECTIONS, "2027-28 Q1", FIXTURE_DATA, "restricted")
    assert "leads with Q3 2024/25" in html and "RESTRICTED version" in html
    assert [h for h, _ in page.SECTIONS] == [
        "The quarter against the same quarter a year earlier, and the year to date", "Monthly SPC charts, LLR",
        "By Community Safety Partnership area", "By partnership on official figures", "LLR against Derbyshire",
        "How to read this page"]
    assert "partnerships plus Unassigned sum to Leicestershire" in html and "✔ adds up" in html


def test_findings_state_only_what_survives_the_adjustment(ctx, findings_shown):
    # robbery (raw p 0.021 under the old test) and the rest: none survives across the 8 crime measures
    found = findings_shown(page, ctx)
    assert [f.text for f in found] == [
        "No evidence of a change (adjusted across the 8 crime measures tested; this is not evidence of no change, "
        "see the intervals): neighbourhood crime, burglary, vehicle crime, robbery, theft from the person, "
        "shoplifting, violence and sexual offences, anti-social behaviour.",
        "SPC, latest month, LLR: shoplifting: ▲ special cause: concern (higher); violence and sexual offences: "
        "▼ special cause: improvement (lower)."]
    assert {f.section for f in found} == {page.SECTIONS[0][0]}
    assert {f.basis for f in found} == {"police.uk"}
    assert found[0].period == "Q3 2024/25, the latest full quarter of police.uk data"


def test_findings_without_a_quarter_say_so(tmp_path):
    ctx = page.load("2019-20 Q1", data_copy(tmp_path))
    assert [f.text for f in page.findings(ctx)] == [
        "No full quarter of police.uk data up to Q1 2019/20, so this section has nothing to show."]


def test_spc_summary_shows_the_icons_by_the_preset_in_reference_data():
    # issue 16: the SPC readings table draws the Making Data Count variation icon (inline SVG with its text
    # alternative) beside its words; the rules come from reference/spc_settings.csv
    ctx = page.load("2025-26 Q3", FIXTURE_DATA)
    assert ctx.preset == "mdc"
    assert all(r.rules.name == "mdc" for by_area in ctx.spc.values() for r in by_area.values())
    out = page.spc_llr(ctx).html(images=False)
    assert out.count("<svg") == len(ctx.spc) and 'aria-label="▲ special cause: concern (higher)"' in out
    assert "Making Data Count" not in page.SPC_SUBTITLE  # the chart adds the rules from the preset


def test_the_spc_rules_are_stated_with_the_presets_run_lengths(tmp_path):
    # issue 22, item 7: the crime page said "7 in a row" where the rules use 6; the words now come
    # from the preset in reference data
    ctx = page.load("2025-26 Q3", FIXTURE_DATA)
    text = page.spc_llr(ctx).html(images=False)
    assert "6 or more in a row on one side of the mean" in text and "7 or more" not in text
    assert "No change point is known for these series" in text
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    (data / "reference" / "spc_settings.csv").write_text(
        "setting,value,description,source\npreset,nhsr,NHSRplotthedots rules,a test\n", encoding="utf-8")
    with (data / "reference" / "spc_change_points.csv").open("a", encoding="utf-8") as f:
        f.write("2024-04-01,crime Shoplifting,A test change,a test\n")
    other = page.load("2025-26 Q3", data)
    text = page.spc_llr(other).html(images=False)
    assert "7 or more in a row on one side of the mean" in text and "6 or more" not in text
    assert "Limits are recalculated at the known change points: Shoplifting from April 2024." in text
    assert set(other.spc["Shoplifting"]["LLR"].points["period"]) == {1, 2}
