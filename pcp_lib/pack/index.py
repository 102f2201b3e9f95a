"""The pack's top-level index page, rendered from the Jinja templates in ``templates/index/``.

``outputs/<quarter>/index.html`` links to each audience's pack; each audience's own
``index.html`` is its front page (:mod:`pcp_lib.pack.front`), rendered from the same
templates. Everything shown is escaped by the templates.
"""

from __future__ import annotations

from collections.abc import Sequence

from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.navigation import MARKINGS, environment, navigation

__all__ = ["AUDIENCE_LABELS", "environment", "pack_index"]

#: Each audience's marking (one home: the navigation's, shown in every page's header).
AUDIENCE_LABELS = MARKINGS


def pack_index(quarter: Quarter, audiences: Sequence[str], run_date: str) -> str:
    """The quarter's top-level index page, linking to each audience present."""
    return environment().get_template("pack.html.j2").render(
        quarter=quarter, audiences=audiences, run_date=run_date, nav=navigation(quarter, None, [], "index.html"))
