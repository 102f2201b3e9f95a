"""Official tables as their publisher lays them out (ONS data tables saved as CSV), read into
the same :class:`~pcp_lib.io.rawtable.RawTable` every return is read into, so
``schema.read_table(path, schema, raw=...)`` parses and checks every cell by the project's
one set of rules and reports a problem at file, row and column.

Why a reader of its own: an ONS worksheet is not a return. Its title, notes and "Link to
Notes page" rows sit above the header; its headings break over lines and carry note markers
("Total recorded crime\\n (excluding fraud) \\n[note 2]"); its names carry notes and trailing
spaces ("Humberside [note 4]", "Dorset "); its numbers are text with thousands separators and
trailing spaces ("94,194 "). Those are the publisher's layout, handled here and nowhere else;
anything else unexpected (a heading not known, a title that is not the table's) is a
``DataError`` naming the file and row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.io.csvfile import decode
from pcp_lib.io.rawtable import RawTable

__all__ = ["NOTE_MARK", "PublishedLayout", "clean_heading", "clean_name", "read_published_csv"]

#: a note marker as ONS writes it inside a heading or a name: "[note 4]"
NOTE_MARK = re.compile(r"\s*\[note \d+\]", re.IGNORECASE)


def clean_heading(text: str) -> str:
    """A heading as compared: note markers dropped, line breaks and runs of spaces made one
    space, case folded ("Total recorded crime\\n (excluding fraud) \\n[note 2]" ->
    "total recorded crime (excluding fraud)")."""
    return re.sub(r"\s+", " ", NOTE_MARK.sub("", text)).strip().lower()


def clean_name(text: str) -> str:
    """A name as meant: note markers and surrounding spaces dropped ("Humberside [note 4]" ->
    "Humberside", "Dorset " -> "Dorset")."""
    return re.sub(r"\s+", " ", NOTE_MARK.sub("", text)).strip()


class PublishedLayout:
    """What a published table is expected to look like.

    ``title_words``: words its title (the first cell of the file) must contain, e.g. ("Table
    P1", "year ending June 2025"), so a file of another table or edition is refused.
    ``first_heading``: the first cell of its header row ("Area Code"), found below the title
    and note rows. ``headings``: each heading as published (cleaned by :func:`clean_heading`)
    -> the schema's column name; a heading not listed is passed on as it is, so the schema
    names it as unexpected. ``names``: the columns whose cells are names (notes and spaces
    dropped)."""

    def __init__(self, title_words: tuple[str, ...], first_heading: str, headings: Mapping[str, str],
                 names: tuple[str, ...] = ()) -> None:
        self.title_words = title_words
        self.first_heading = first_heading
        self.headings = {clean_heading(k): v for k, v in headings.items()}
        self.names = names


def read_published_csv(path: str | Path, layout: PublishedLayout) -> RawTable:
    """The table in ``path`` as a ``RawTable``: header found below the title and note rows,
    headings mapped to schema names, name cells cleaned, every cell stripped of spaces.

    ``DataError`` when the file cannot be read, its title does not name the table and
    edition expected, or no header row starts with ``layout.first_heading``."""
    p = Path(path)
    shown = rel(p)
    text, warnings = decode(p, p.read_bytes())
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataError(Problem(file=shown, expected="a well-formed CSV file", got=str(exc))) from exc
    title = table[0][0] if table and table[0] else ""
    missing = [w for w in layout.title_words if w.lower() not in re.sub(r"\s+", " ", title).lower()]
    if missing:
        raise DataError(Problem(file=shown, row=1, column="title",
                                expected="a title naming " + ", ".join(repr(w) for w in layout.title_words),
                                got=title[:120] or "no title"))
    want = clean_heading(layout.first_heading)
    h = next((i for i, r in enumerate(table) if r and clean_heading(r[0]) == want), None)
    if h is None:
        raise DataError(Problem(file=shown, expected=f"a header row beginning {layout.first_heading!r} "
                                                     "below the title and note rows", got="no such row"))
    header = [layout.headings.get(clean_heading(c), clean_name(c)) for c in table[h]]
    width = len(header)
    while header and header[-1] == "":
        header.pop()
    name_at = {i for i, c in enumerate(header) if c in layout.names}
    rows = [[clean_name(c) if i in name_at else c.strip() for i, c in enumerate(r)] for r in table[h + 1:]]
    return RawTable(header=header, rows=rows, sheet=None, header_row=h + 1, width=width, warnings=warnings)
