"""How a reader moves through the pack, and the one look every page shares.

Every page of an audience's pack (its front page and each subject page) carries the same
header: the pack's title, the quarter, the audience marking, links to every page and the
front page, and the page's own contents; at its foot, previous and next. The header and
footer are Jinja partials (``templates/index/_header.html.j2``, ``_footer.html.j2``) used by
both the index templates and the nbconvert export, so there is one home for each; the
stylesheet (``templates/static/pcp.css``) is inlined into every page, so the pack opens
offline and looks the same on screen, in print and in the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pcp_lib.methods.periods import Quarter

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = ["FRONT", "FRONT_TITLE", "MARKINGS", "PACK_TITLE", "PAPER_FILE", "PDF_FILE", "STYLESHEET", "TEMPLATES",
           "Link", "environment",
           "footer_html", "header_html", "navigation", "short_title", "stylesheet"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
STYLESHEET = TEMPLATES / "static" / "pcp.css"
PACK_TITLE = "Police and Crime Plan performance pack"
#: The marking every page of an audience's pack carries, in its header and in the PDF's.
MARKINGS = {"public": "PUBLIC", "restricted": "RESTRICTED: not for publication"}
#: The files every page of an audience's pack links to, in the same folder: the whole pack as a
#: PDF (pcp_lib.pack.pdf) and the Panel paper in Word (pcp_lib.paper).
PDF_FILE = "pack.pdf"
PAPER_FILE = "paper.docx"
#: Each audience's front page (its index) and how the header names it.
FRONT = "index.html"
FRONT_TITLE = "The quarter at a glance"


@dataclass(frozen=True)
class Link:
    """A page of the pack: its file name (relative to the audience folder) and title."""

    href: str
    title: str


def short_title(title: str) -> str:
    """A page's name in the header's links: its title up to the first colon ("Contact demand:
    999, 101 and ..." is "Contact demand"), so six links fit on a phone's screen and still say
    where each goes; the full title stays on the page, in the footer and in the PDF."""
    return title.split(": ", 1)[0].strip()


@cache
def stylesheet() -> str:
    """The pack's one stylesheet, as text to inline."""
    return STYLESHEET.read_text(encoding="utf-8")


@cache
def environment() -> Environment:
    """The Jinja environment of the pack's own pages (escaping on, every name required),
    with the stylesheet as a global so every template can inline it. (jinja2 is imported here:
    deciding what a run must render, e.g. that nothing changed, renders no page.)"""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(TEMPLATES / "index"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["stylesheet"] = stylesheet()
    return env


def navigation(quarter: Quarter, audience: str | None, pages: Sequence[Link], current: str) -> dict[str, Any]:
    """What the header and footer of page ``current`` show (plain data: it crosses processes
    and goes straight into the templates). ``pages`` are the subject pages in pack order; the
    front page comes first, then each page, so previous and next follow that order.
    ``audience`` None is the quarter's top page, which belongs to no audience."""
    order = [Link(FRONT, FRONT_TITLE), *pages] if audience else []
    hrefs = [p.href for p in order]
    i = hrefs.index(current) if current in hrefs else -1
    prev = order[i - 1] if i > 0 else None
    nxt = order[i + 1] if 0 <= i < len(order) - 1 else None
    return {
        "pack_title": PACK_TITLE, "quarter": quarter.label, "months": quarter.month_names,
        "audience": audience or "", "marking": MARKINGS[audience] if audience else "",
        "front": FRONT, "current": current, "pdf": PDF_FILE, "paper": PAPER_FILE,
        "pages": [{**asdict(p), "short": short_title(p.title)} for p in order],
        "prev": asdict(prev) if prev else None, "next": asdict(nxt) if nxt else None,
    }


def header_html(nav: dict[str, Any], sections: Sequence[tuple[str, str]] = ()) -> str:
    """The page header: ``sections`` are the page's own (anchor id, heading) pairs."""
    return environment().get_template("_header.html.j2").render(nav=nav, sections=list(sections))


def footer_html(nav: dict[str, Any]) -> str:
    """Previous and next, at the foot of the page."""
    return environment().get_template("_footer.html.j2").render(nav=nav)
