"""The pack's top-level index page, rendered from the Jinja templates in ``templates/index/``.

``outputs/<quarter>/index.html`` links to each audience's pack; each audience's own
``index.html`` is its front page (:mod:`pcp_lib.pack.front`), rendered from the same
templates. Everything shown is escaped by the templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pcp_lib.methods.periods import Quarter
from pcp_lib.pack.export import TEMPLATES

__all__ = ["AUDIENCE_LABELS", "environment", "pack_index"]

#: The words that mark each audience's pages.
AUDIENCE_LABELS = {"public": "Public", "restricted": "RESTRICTED: not for publication"}


@cache
def environment() -> Environment:
    """The Jinja environment of the index templates (autoescaped, strict)."""
    return Environment(loader=FileSystemLoader(TEMPLATES / "index"), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def pack_index(quarter: Quarter, audiences: Sequence[str], run_date: str) -> str:
    """The quarter's top-level index page, linking to each audience present."""
    return environment().get_template("pack.html.j2").render(quarter=quarter, audiences=audiences,
                                                             run_date=run_date)
