"""RAG in black and white: every RAG cell carries its symbol and word, and the fills stay
apart as greys (a greyscale conversion, as a black-and-white print makes), and print as they
show."""

from __future__ import annotations

from itertools import combinations

import pandas as pd
from PIL import Image

from pcp_lib.display.palette import RAG_COLOURS, RAG_SYMBOLS, _luminance, text_on
from pcp_lib.display.report import rag_table

#: How far apart (of 255) any two RAG fills are as greys: enough to tell them apart on paper.
LEAST_GREY_GAP = 35


def _grey(colour: str) -> int:
    """``colour`` as the grey a greyscale print gives it (PIL's ITU-R 601-2 luma conversion)."""
    grey = Image.new("RGB", (1, 1), colour).convert("L").getpixel((0, 0))
    assert isinstance(grey, int)
    return grey


def test_rag_fills_are_distinct_greys():
    greys = {rag: _grey(c) for rag, c in RAG_COLOURS.items()}
    close = [(a, b, greys[a], greys[b]) for a, b in combinations(greys, 2) if abs(greys[a] - greys[b]) < LEAST_GREY_GAP]
    assert close == [], greys


def test_the_check_could_fail_on_the_former_fills():
    former = {"Green": "#28A197", "Amber": "#F46A25", "Red": "#801650", "Restricted": "#3D3D3D"}
    assert abs(_grey(former["Green"]) - _grey(former["Amber"])) < LEAST_GREY_GAP
    assert abs(_grey(former["Red"]) - _grey(former["Restricted"])) < LEAST_GREY_GAP


def test_text_on_every_fill_meets_aa_contrast():
    for colour in RAG_COLOURS.values():
        fg = text_on(colour)
        hi, lo = sorted((_luminance(colour), _luminance(fg)), reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, colour


def test_rag_cells_carry_symbol_and_word_and_print_their_fill():
    rags = [f"{RAG_SYMBOLS[r]} {r}" for r in RAG_COLOURS]
    page = rag_table(pd.DataFrame({"Metric": [f"m{i}" for i in range(len(rags))], "RAG": rags})).data
    for text, colour in zip(rags, RAG_COLOURS.values(), strict=True):
        assert f"background:{colour};" in page and f">{text}</td>" in page
    assert page.count(";print-color-adjust:exact") == len(rags), "fills print (browsers drop backgrounds by default)"
