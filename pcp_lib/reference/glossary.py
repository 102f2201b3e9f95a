"""The abbreviations the pack's public pages use, each with its words: spelled out at first use.

Read from ``data/reference/glossary.csv`` (abbreviation, expansion and where the words come
from), so a new abbreviation is a row added, not code changed. A Panel member reading the
front page should never meet "pp", "SNWLP" or "DToA" unexplained: :class:`Speller` spells
each out the first time a page uses it ("Drug Testing on Arrest (DToA)", or, where the
abbreviation is a unit written against a number, "±2pp (percentage points)"), and leaves
later uses alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pcp_lib.io.datastore import reference_path
from pcp_lib.io.schema import Column, Schema, read_table

__all__ = ["GLOSSARY", "GLOSSARY_FILE", "Speller", "abbreviation_pattern", "load_glossary"]

GLOSSARY_FILE = "glossary.csv"

GLOSSARY = Schema(
    name="glossary",
    title="Abbreviations and their words",
    columns=(
        Column("abbreviation", "text", "The abbreviation as the pages write it (case matters: pp, DToA)"),
        Column("expansion", "text", "The words it stands for, as a reader should first meet them"),
        Column("source", "text", "Where the words come from (seed document and paragraph, or reference file)"),
    ),
    key=("abbreviation",),
)


def load_glossary(data_dir: str | Path | None = None) -> dict[str, str]:
    """The abbreviations and their words, in file order (the file's provenance is on the table
    :func:`read_table` returns; the mapping is what pages spell out)."""
    table: pd.DataFrame = read_table(reference_path(GLOSSARY_FILE, data_dir), GLOSSARY)
    return {str(a): str(e) for a, e in zip(table["abbreviation"], table["expansion"], strict=True)}


def abbreviation_pattern(abbreviation: str) -> re.Pattern[str]:
    """Where ``abbreviation`` is used as a word (or a unit after a number: "2.3pp"), optionally
    plural ("CSPs") or possessive ("OPCC's"), never inside another word ("PCC" is not found in
    "OPCC", "pp" not in "app")."""
    return re.compile(rf"(?<![A-Za-z]){re.escape(abbreviation)}(s?)('s)?(?![A-Za-z])")


@dataclass
class Speller:
    """Spells each abbreviation out at its first use across the texts it is given, in the
    order the page shows them (call it on each text in turn); later uses are left as they are.
    A text that already spells one out ("Drug Testing on Arrest (DToA)") counts as its first use."""

    glossary: dict[str, str]
    seen: set[str] = field(default_factory=set)

    def __call__(self, text: str) -> str:
        found = []
        for abbreviation, words in self.glossary.items():
            if abbreviation in self.seen:
                continue
            match = abbreviation_pattern(abbreviation).search(text)
            if match is not None:
                found.append((match.start(), abbreviation, words, match))
        for _, abbreviation, words, match in sorted(found, key=lambda f: f[0], reverse=True):
            self.seen.add(abbreviation)
            plural, possessive = match.group(1), match.group(2) or ""
            before = text[:match.start()]
            if before.lower().endswith(f"{words} (".lower()) or text[match.end():].startswith(f" ({words}"):
                continue  # already spelled out here
            if before[-1:].isdigit():  # a unit against a number: "±2pp (percentage points)"
                spelled = f"{match.group(0)} ({words})"
            else:
                spelled = f"{words}{plural}{possessive} ({abbreviation}{plural})"
            text = before + spelled + text[match.end():]
        return text
