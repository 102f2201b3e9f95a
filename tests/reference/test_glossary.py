"""The glossary (issue 25, item 3): every abbreviation the front page may use has its words in
reference data with a source, and the speller spells each out at its first use only."""

from __future__ import annotations

import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.reference.glossary import GLOSSARY_FILE, Speller, abbreviation_pattern, load_glossary

WORDS = {"pp": "percentage points", "CSP": "Community Safety Partnership", "PCC": "Police and Crime Commissioner",
         "OPCC": "Office of the Police and Crime Commissioner", "DToA": "Drug Testing on Arrest"}


def test_the_shipped_glossary_names_what_the_issue_names():
    glossary = load_glossary()
    for abbreviation in ("pp", "SNWLP", "CSP", "DToA", "OPCC", "PCC", "SPC", "PCSO", "RAG"):
        assert glossary[abbreviation], abbreviation
    assert glossary["pp"] == "percentage points" and glossary["SNWLP"] == "Safer North West Leicestershire Partnership"


def test_first_use_only_and_in_the_order_given():
    spell = Speller(dict(WORDS))
    assert spell("Red means ±2pp from the baseline.") == "Red means ±2pp (percentage points) from the baseline."
    assert spell("It fell 3.0pp.") == "It fell 3.0pp.", "once only"
    assert spell("The OPCC's paper and the PCC.") == ("The Office of the Police and Crime Commissioner's (OPCC) paper "
                                                      "and the Police and Crime Commissioner (PCC).")
    assert spell("Nine CSPs and one CSP.") == "Nine Community Safety Partnerships (CSPs) and one CSP."
    assert spell("Drug Testing on Arrest (DToA) pathway; DToA again.") == (
        "Drug Testing on Arrest (DToA) pathway; DToA again."), "already spelled out: left alone"


def test_never_inside_another_word():
    assert abbreviation_pattern("PCC").search("the OPCC") is None
    assert abbreviation_pattern("pp").search("an app appears") is None
    assert abbreviation_pattern("pp").search("-2.3pp") is not None


def test_a_glossary_row_without_its_words_is_refused(tmp_path):
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / GLOSSARY_FILE).write_text("abbreviation,expansion,source\npp,,para 8\n",
                                                        encoding="utf-8")
    with pytest.raises(DataError, match="expansion"):
        load_glossary(tmp_path)
