"""Who a page is for: the two audiences of the pack, in one place.

"public" pages are published (restricted figures withheld); "restricted" pages go to the
OPCC and the Panel's closed session. Every function that takes an audience checks it here,
so a typo ("Public", "restriced") is refused with the same message wherever it is made.
"""

from __future__ import annotations

__all__ = ["AUDIENCES", "check_audience"]

AUDIENCES = ("public", "restricted")


def check_audience(audience: str) -> str:
    """``audience`` if it is one of :data:`AUDIENCES`; else ``ValueError`` naming them."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}; got {audience!r}")
    return audience
