"""The sentences and chart titles: every number computed from the figures it states."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURE_DATA

from pcp_lib.methods.periods import Quarter
from pcp_lib.subjects.dtoa import narrative, pathway, published

HEADER = "month,identified,tests,positive_tests,ra_booked,ra_attended,ra_wait_days,naloxone,treatment_entries\n"


def test_funnel_title_and_dropoff_sentences():
    ref = published.load_comparison(FIXTURE_DATA)
    enh = published.published_funnel(ref, "enhanced_funding")
    cur = published.published_funnel(ref, "current_provision")
    title = narrative.funnel_title(enh, cur)
    # issue 22, item 10: people never eligible for a test (or whose test was negative) are not drop-outs
    assert title == ("Most eligible people who do not go on are lost before 'Required Assessments attended': 44% now, "
                     "26% with enhanced funding")
    text = narrative.dropoff_sentences(enh, cur, "With enhanced funding", "In Q3 2025")
    assert text[1].startswith("In Q3 2025: the largest drop-out is between 'Required Assessment booked (Referral "
                              "into treatment)' and 'Required Assessments attended': 44% of those eligible (4 a month) "
                              "did not go on.")
    assert ("Not drop-outs: 217 who did not reach 'Drug tests carried out', mostly never eligible (the counts "
            "do not separate the two); 12 not eligible for 'Positive tests'.") in text[1]
    assert "go no further" not in " ".join(text) and "90% of people" not in " ".join(text)
    # the period keeps its capitals inside a sentence ("in Q3 2025", not "in q3 2025")
    assert text[-1].endswith("34% were carried forward with enhanced funding, 10% in Q3 2025 (-24 percentage points).")


def test_pathway_2025_sentences_and_title():
    t = published.pathway_2025_funnel(published.load_pathway_2025(FIXTURE_DATA))
    text = " ".join(narrative.pathway_2025_sentences(t))
    assert "2,915" in text and "3.3%" in text and "76.6%" in text and "2,591 not carried forward" in text
    assert "2,591 not carried forward: not eligible (not drop-outs)" in text
    assert "200 not carried forward: not eligible or did not go on: the counts cannot separate them" in text
    assert "29 not carried forward: did not go on" in text
    # the paper's 2025 pathway: 324 of 2,915 identified were viable testing candidates
    assert narrative.pathway_2025_title(t) == ("3.3% of those identified in 2025 entered treatment;\n"
                                               "only 324 of 2,915 were eligible ('Viable testing candidates'); 23% of "
                                               "those eligible did not go on to 'Entered treatment'")


def test_comparison_sentences_use_the_unit_of_each_measure():
    text = narrative.comparison_sentences(published.comparison_table(published.load_comparison(FIXTURE_DATA)))
    assert "% of Required Assessments attended: fell from 74% with enhanced Home Office funding to 51% in Q3 2025 " \
           "(-23pp)." in text
    assert "Waiting time for Required Assessments: rose from 5 days with enhanced Home Office funding to 7 days in " \
           "Q3 2025 (+2 days)." in text


def test_quarter_sentences_say_what_is_missing():
    before = pathway.load_pathway("2024-25 Q1", FIXTURE_DATA)
    q = Quarter.parse("2024-25 Q1")
    assert narrative.quarter_sentences(before, pathway.quarter_table(before, q), q) == [
        "There are no monthly pathway data for Q1 2024/25."]
    series = pathway.load_pathway("2025-26 Q3", FIXTURE_DATA)
    q = Quarter.parse("2025-26 Q3")
    text = narrative.quarter_sentences(series, pathway.quarter_table(series, q), q)
    assert text[0] == ("Q3 2025/26 (3 of 3 months): 24.0 drug tests and 9.0 Required Assessments booked a month "
                       "on average.")
    assert "no monthly pathway data for Q3 2024/25" in text[1]
    assert text[2] == "The 2025/26 year to date covers 9 months."


def test_quarter_sentences_with_a_year_earlier(tmp_path: Path):
    d = tmp_path / "data"
    for slug, row in {"2024-25-Q3": "2024-10,200,20,10,8,4,6,1,5\n", "2025-26-Q3": "2025-10,241,24,12,9,5,7,1,7\n"}.items():
        (d / "quarters" / slug).mkdir(parents=True)
        (d / "quarters" / slug / "dtoa_pathway.csv").write_text(HEADER + row, encoding="utf-8")
    series = pathway.load_pathway("2025-26 Q3", d)
    q = Quarter.parse("2025-26 Q3")
    text = narrative.quarter_sentences(series, pathway.quarter_table(series, q), q)
    # one month of each quarter: like for like, the same month is compared, and said so
    assert text[1] == ("Q3 2025/26 and Q3 2024/25 are not both whole in the data, so only the same months are "
                       "compared: against October 2024, drug tests a month in October 2025 changed by +20%.")


def test_uplift_before_it_starts_says_nothing_can_be_said():
    mon = pathway.uplift_monitor(pathway.load_pathway("2025-26 Q3", FIXTURE_DATA), published.load_comparison(FIXTURE_DATA))
    text = narrative.uplift_sentences(mon, Quarter.parse("2025-26 Q3"))
    assert len(text) == 1 and "nothing can yet be said" in text[0]


def test_uplift_after_it_starts():
    mon = pathway.uplift_monitor(pathway.load_pathway("2026-27 Q3", FIXTURE_DATA), published.load_comparison(FIXTURE_DATA))
    text = " ".join(narrative.uplift_sentences(mon, Quarter.parse("2026-27 Q3")))
    assert "8 months of data since the uplift" in text and "not by itself that the uplift caused it" in text
    assert "Drug tests carried out:" in text and "a change larger than chance" in text


def test_uplift_title():
    series = pathway.load_pathway("2025-26 Q3", FIXTURE_DATA)
    months = pathway.monthly_intervals(series, "tests")
    assert narrative.uplift_title(months, "Drug tests", {"Q3 2025": 24.0}) == (
        "Drug tests: 24.0 a month in the latest 3 months, before the uplift starts in May 2026")
    assert narrative.uplift_title(months.iloc[0:0], "Drug tests", {}) == "Drug tests: no monthly data"
