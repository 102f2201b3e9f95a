"""Sentences: counts with percent changes for volumes, percentage points for rates."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.reference.contact_targets import load_targets
from pcp_lib.subjects.contact.narrative import summary_sentences, volume_sentence
from pcp_lib.subjects.contact.returns import load_monthly
from pcp_lib.subjects.contact.summary import annual_summary


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return summary_sentences(annual_summary(load_monthly("2025-26 Q3", FIXTURE_DATA), (2024, 2025), load_targets(FIXTURE_DATA)))


def test_volume_sentence_counts_and_percent_change():
    s = annual_summary(load_monthly("2025-26 Q3", FIXTURE_DATA), (2024, 2025))
    assert volume_sentence(s, "999") == "999 calls rose 36% (+53,387), from 148,957 in 2024 to 202,344 in 2025."


def test_rate_sentences_in_percentage_points_with_target(lines):
    assert ("92.2% of 999 calls were answered within 10 seconds in 2025, 3.6 percentage points lower than in 2024 "
            "(95.8%); target at least 90% (national): ✔ Met.") in lines
    assert ("65.7% of 101 calls were answered within 2 minutes in 2025, 13.4 percentage points lower than in 2024 "
            "(79.1%) (no target: the 101 target is within 15 minutes).") in lines


def test_only_restricts_to_the_named_figures():
    s = annual_summary(load_monthly("2025-26 Q3", FIXTURE_DATA), (2024, 2025), load_targets(FIXTURE_DATA))
    got = summary_sentences(s, only={("101", "offered"), ("101", "abandoned")})
    assert len(got) == 2 and got[0].startswith("101 calls rose 50% (+107,905)") and "abandoned" in got[1]
