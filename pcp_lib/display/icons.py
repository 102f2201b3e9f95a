"""The Making Data Count summary icons, as small inline SVG images with their words.

Why: the Panel reads SPC through the icons NHS England's Making Data Count tools draw beside each
measure (variation: common cause; special cause improvement, concern or neither, high or low;
assurance: consistently passing, consistently failing, hit and miss). They are drawn here as
inline SVG, so the pack stays one offline file, each with a text alternative (``<title>`` and
``aria-label``) and always with the word beside it.

Readable in grey: colour (the tool's blue, orange, purple and grey) is never the only cue. The
ring says the kind (improvement and pass: a solid disc; concern and fail: a white disc with a
thick dashed ring; neither: a dotted ring; common cause and hit-or-miss: a thin ring), the glyph
says the direction or the verdict (▲ H higher, ▼ L lower, ∿ common cause, P pass, F fail, ? hit
or miss), and the words say it all.
"""

from __future__ import annotations

import html

from pcp_lib.methods.spc import ASSURANCE_ICONS, VARIATION_ICONS, describe

__all__ = ["BLUE", "GREY", "ICONS", "ORANGE", "PURPLE", "icon_cell", "icon_cell_short", "icon_html", "icon_svg"]

#: the Making Data Count tool's colours (its XmR testing specification, "Special cause")
BLUE, ORANGE, PURPLE, GREY = "#00B0F0", "#E46C0A", "#490092", "#A6A6A6"
#: darker shades for text and rings, so a glyph on white keeps its contrast (WCAG 3:1 for graphics)
_INK = {BLUE: "#005A7A", ORANGE: "#9C4807", PURPLE: PURPLE, GREY: "#595959"}

ICONS = VARIATION_ICONS + ASSURANCE_ICONS

# code -> (colour, ring style, glyph)
_STYLE: dict[str, tuple[str, str, str]] = {
    "common_cause": (GREY, "thin", "∿"),
    "improvement_high": (BLUE, "solid", "▲H"),
    "improvement_low": (BLUE, "solid", "▼L"),
    "concern_high": (ORANGE, "dashed", "▲H"),
    "concern_low": (ORANGE, "dashed", "▼L"),
    "neither_high": (PURPLE, "dotted", "▲H"),
    "neither_low": (PURPLE, "dotted", "▼L"),
    "pass": (BLUE, "solid", "P"),
    "fail": (ORANGE, "dashed", "F"),
    "hit_or_miss": (GREY, "thin", "?"),
}


def icon_svg(code: str, size: int = 28) -> str:
    """One icon as an inline SVG element with its text alternative."""
    if code not in _STYLE:
        raise ValueError(f"unknown SPC icon {code!r}; expected one of {', '.join(ICONS)}")
    colour, ring, glyph = _STYLE[code]
    words = html.escape(describe(code))
    ink = _INK[colour]
    if ring == "solid":
        circle = f'<circle cx="16" cy="16" r="14" fill="{colour}" stroke="{ink}" stroke-width="2"/>'
        text_colour = "#FFFFFF" if colour != BLUE else "#00303F"
    else:
        dash = {"dashed": ' stroke-dasharray="6 3"', "dotted": ' stroke-dasharray="2 2.5"', "thin": ""}[ring]
        width = 1.5 if ring == "thin" else 3.5
        circle = f'<circle cx="16" cy="16" r="13.5" fill="#FFFFFF" stroke="{colour}" stroke-width="{width}"{dash}/>'
        text_colour = ink
    font = 15 if len(glyph) == 1 else 11
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="pcp-icon" role="img" aria-label="{words}" '
            f'width="{size}" height="{size}" viewBox="0 0 32 32" style="vertical-align:middle;flex:none">'
            f"<title>{words}</title>{circle}"
            f'<text x="16" y="16" text-anchor="middle" dominant-baseline="central" font-family="sans-serif" '
            f'font-weight="bold" font-size="{font}" fill="{text_colour}">{html.escape(glyph)}</text></svg>')


def icon_html(code: str | None, short: bool = False) -> str:
    """The icon with its words beside it; with no icon (too few points), the words alone.
    The icon stays beside the first line of its words, and the words wrap within the cell
    (kept on one line, they ran into the next column and made tables wider than the page)."""
    if code is None or code == "":
        return f'<span class="pcp-icon-words">{html.escape(describe(None))}</span>'
    return (f'<span class="pcp-icon-cell" style="display:inline-flex;align-items:center;gap:0.3em">'
            f'{icon_svg(code)} '
            f'<span class="pcp-icon-words">{html.escape(describe(code, short=short))}</span></span>')


def icon_cell(text: str) -> str:
    """A table cell (``report.table(special=...)``): an icon code drawn as the icon with its
    words; any other text (e.g. "too few points for SPC", "n/a") shown as it is."""
    return f"<td>{icon_html(text) if text in ICONS else html.escape(text)}</td>"


def icon_cell_short(text: str) -> str:
    """As ``icon_cell``, with the short words (for wide tables)."""
    return f"<td>{icon_html(text, short=True) if text in ICONS else html.escape(text)}</td>"
