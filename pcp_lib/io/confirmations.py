"""Confirmations: a figure that moved implausibly since last quarter, confirmed as right.

Validation refuses a value that moves implausibly from last quarter (a percentage falling
by more than half, a count changing tenfold): it is usually a keying error (0.0722 typed in
a percent-formatted cell, a figure in thousands). When the figure is right, the person who
checked it says so in ``confirmations.csv`` in the quarter's folder, one row per figure:

    return,item,value,confirmed_by,reason
    metric_values,2,7.22%,"J Smith, Force Performance","New survey method from January; see note 4"

``item`` names the figure within the return (for ``metric_values``, the metric's serial);
``value`` is the value exactly as the return holds it, so a confirmation does not carry over
to a different figure typed later. A confirmed move is then a warning that names who
confirmed it and why, and the page that shows the figure says the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pcp_lib.core.errors import Problem
from pcp_lib.io.schema import Column, Schema, read_table

__all__ = ["CONFIRMATIONS", "CONFIRMATIONS_FILE", "Confirmation", "confirmation_for", "load_confirmations"]

CONFIRMATIONS_FILE = "confirmations.csv"

CONFIRMATIONS = Schema(
    name="confirmations",
    title="confirmations of implausible moves",
    columns=(
        Column("return", "text", "The return the figure is in (e.g. metric_values)"),
        Column("item", "text", "Which figure in that return (for metric_values, the metric's serial)"),
        Column("value", "text", "The value exactly as the return holds it (e.g. 7.22%)"),
        Column("confirmed_by", "text", "Who confirmed the figure is right (name and role)"),
        Column("reason", "text", "Why the figure is right although it moved so much"),
    ),
    key=("return", "item"),
    description="One row per figure confirmed as right although it moved implausibly since last quarter.",
)


@dataclass(frozen=True)
class Confirmation:
    """One confirmed figure: which return and item, its value, who confirmed it and why."""

    ret: str
    item: str
    value: str
    confirmed_by: str
    reason: str

    def sentence(self) -> str:
        """"confirmed by J Smith, Force Performance: New survey method"."""
        return f"confirmed by {self.confirmed_by}: {self.reason}"


def load_confirmations(folder: Path | None, problems: list[Problem] | None = None) -> list[Confirmation]:
    """The confirmations in a quarter folder (none when it has no ``confirmations.csv``).
    With ``problems``, what is wrong with the file is added there instead of raised."""
    if folder is None or not (Path(folder) / CONFIRMATIONS_FILE).is_file():
        return []
    df = read_table(Path(folder) / CONFIRMATIONS_FILE, CONFIRMATIONS, problems=problems)
    return [Confirmation(str(r["return"]).strip(), str(r["item"]).strip(), str(r["value"]).strip(),
                         str(r["confirmed_by"]).strip(), str(r["reason"]).strip()) for r in df.to_dict("records")]


def confirmation_for(confirmations: list[Confirmation], ret: str, item: object, value: object
                     ) -> Confirmation | None:
    """The confirmation of ``value`` for ``item`` of return ``ret`` (None when there is none
    for exactly that value)."""
    for c in confirmations:
        if c.ret == ret and c.item == str(item).strip() and c.value == str(value).strip():
            return c
    return None
