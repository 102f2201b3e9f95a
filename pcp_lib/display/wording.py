"""Small wording helpers shared by the pages' titles and sentences.

Why: a title that names "the" largest or busiest item must say when several share first place
(a tie), in the title and so in the alt text made from it; picking one of them silently
states more than the data show.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import pandas as pd

__all__ = ["and_list", "leaders"]


def leaders(values: pd.Series, *, largest: bool = True) -> list[Hashable]:
    """Every label that shares the largest (or smallest) value, in the Series' order."""
    if values.empty:
        return []
    best = values.max() if largest else values.min()
    return [k for k, v in values.items() if v == best]


def and_list(items: Sequence[object]) -> str:
    """"A", "A and B", "A, B and C"."""
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
