"""Ties are said as ties (issue 22, item 8)."""

from __future__ import annotations

import pandas as pd

from pcp_lib.display.palette import RAG_COLOURS, SYNTHETIC_COLOUR
from pcp_lib.display.report import NOTE_STYLES
from pcp_lib.display.wording import and_list, leaders


def test_leaders_keep_every_tied_label_in_order():
    s = pd.Series({"A": 1, "B": 2, "C": 2, "D": 0})
    assert leaders(s) == ["B", "C"] and leaders(s, largest=False) == ["D"] and leaders(pd.Series(dtype=int)) == []
    assert and_list(["B"]) == "B" and and_list(["B", "C"]) == "B and C" and and_list(["A", "B", "C"]) == "A, B and C"


def test_the_synthetic_stamp_uses_no_rag_colour():
    assert SYNTHETIC_COLOUR not in RAG_COLOURS.values()
    assert NOTE_STYLES["synthetic"][1] == SYNTHETIC_COLOUR
