"""The action register, its progress, and the totals the Q3 2025/26 paper publishes
(000_5c38b58c372c3f4f.txt paras 15, 17 and 19): transcribed in data/published with their
source, checked against the paper's own arithmetic and against the register."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.subjects.dashboard.actions import (
    TOTAL_MEASURES,
    PublishedTotals,
    agreement_sentence,
    load_actions,
    load_published_totals,
    paper_arithmetic,
    progress,
    published_totals,
    register_differences,
    status_counts,
)

ROOT = Path(__file__).resolve().parents[3]
Q3 = "2025-26 Q3"


@pytest.fixture(scope="module")
def actions() -> pd.DataFrame:
    return load_actions(Q3)


@pytest.fixture(scope="module")
def q3_totals() -> PublishedTotals:
    p = published_totals(load_published_totals(), Q3)
    assert p is not None
    return p


def test_action_register_matches_published_totals(actions, q3_totals):
    p = progress(actions, Q3).iloc[-1]
    assert (int(p["total_actions"]), int(p["completed_to_date"]), int(p["completed_in_quarter"])) == (127, 33, 14)
    assert int((actions["status"] == "In progress").sum()) == 5
    notes = paper_arithmetic(q3_totals)
    assert len(notes) == 1 and "29%" in notes[0] and "26.0%" in notes[0]
    assert register_differences(actions, Q3, q3_totals) == []


def test_published_totals_are_transcribed_with_their_source(q3_totals):
    table = load_published_totals()
    assert provenance_of(table).kind == "published"
    assert set(table["measure"]) == set(TOTAL_MEASURES)
    assert all("000_5c38b58c372c3f4f.txt" in s and "para" in s for s in table["source"])
    assert (q3_totals.total_actions, q3_totals.completed_to_date, q3_totals.completed_in_quarter,
            q3_totals.in_progress, q3_totals.pct_complete_stated) == (127, 33, 14, 5, Decimal(29))
    assert published_totals(table, "2025-26 Q4") is None  # no paper transcribed for Q4


def test_an_incomplete_quarter_of_totals_is_an_error():
    table = load_published_totals()
    with pytest.raises(DataError, match="in_progress"):
        published_totals(table[table["measure"] != "in_progress"], Q3)


def test_progress_is_numeric_and_carries_the_registers_provenance(actions):
    prog = progress(actions, Q3)
    assert list(prog["quarter"]) == ["Q1 2025/26", "Q2 2025/26", "Q3 2025/26"]
    assert list(prog["completed_to_date"]) == [8, 19, 33]
    assert str(prog["pct_complete"].dtype) == "Float64"
    assert prog["pct_complete"].iloc[-1] == pytest.approx(33 / 127 * 100)
    assert provenance_of(prog) == provenance_of(actions)
    assert dict(status_counts(actions)) == {"Complete": 33, "In progress": 5, "Not started": 89, "Overdue": 0}


def test_agreement_is_claimed_only_when_checked_and_says_the_sample_can_only_agree(actions, q3_totals):
    text = agreement_sentence(actions, Q3, q3_totals)
    assert text.startswith("The register's totals match those published for Q3 2025/26 (127 actions, 33 complete")
    assert provenance_of(actions).synthetic and "is a synthetic sample" in text  # built to match: say so
    assert "not been checked" in agreement_sentence(actions, Q3, None)
    assert "match" not in agreement_sentence(actions, Q3, None)


def test_a_register_that_differs_from_the_paper_says_where(actions, q3_totals):
    fewer = actions[actions["action_id"] != actions.loc[actions["status"] == "Complete", "action_id"].iloc[0]]
    diffs = register_differences(fewer, Q3, q3_totals)
    assert "The register has 126 actions in all; the paper states 127." in diffs
    assert "The register has 32 complete to date; the paper states 33." in diffs
    text = agreement_sentence(fewer, Q3, q3_totals)
    assert text.startswith("The register does not match") and "match those published" not in text


def test_the_paper_agreeing_with_itself_gives_no_note(q3_totals):
    fixed = PublishedTotals(**{**q3_totals.__dict__, "pct_complete_stated": Decimal(26)})
    assert paper_arithmetic(fixed) == []


def test_missing_register_names_the_file(tmp_path):
    shutil.copytree(ROOT / "data" / "reference", tmp_path / "reference")
    (tmp_path / "quarters" / "2025-26-Q3").mkdir(parents=True)
    with pytest.raises(DataError, match="actions.csv"):
        load_actions(Q3, tmp_path)


def test_completion_after_the_quarter_is_an_error(tmp_path):
    folder = tmp_path / "quarters" / "2025-26-Q2"
    folder.mkdir(parents=True)
    text = (ROOT / "data" / "quarters" / "2025-26-Q3" / "actions.csv").read_text(encoding="utf-8")
    (folder / "actions.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="no later than Q2 2025/26"):
        load_actions("2025-26 Q2", tmp_path)
