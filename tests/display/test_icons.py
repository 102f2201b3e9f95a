"""The Making Data Count icons: every variation and assurance icon the tool draws, as inline
SVG with a text alternative and the word beside it, distinguishable without colour.

Source: NHS England Making Data Count, "SPC charts - XmR testing" (Single Chart Tool v5.0),
sections "Summary icons - variation" and "Summary icons - assurance", and its colours
(improvement #00B0F0, concern #E46C0A, neither #490092, common cause #A6A6A6).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from pcp_lib.display import icons
from pcp_lib.methods.spc import ASSURANCE_ICONS, VARIATION_ICONS, describe


@pytest.mark.parametrize("code", VARIATION_ICONS + ASSURANCE_ICONS)
def test_every_icon_is_svg_with_its_words(code):
    svg = icons.icon_svg(code)
    root = ET.fromstring(svg)  # well-formed, inline, no external reference
    assert root.tag.endswith("svg") and root.get("role") == "img"
    assert root.get("aria-label") == describe(code)
    assert root.find("{http://www.w3.org/2000/svg}title").text == describe(code)
    assert "href" not in svg and "http://www.w3.org/2000/svg" in svg
    assert describe(code) in icons.icon_html(code)


def test_the_tool_colours():
    assert (icons.BLUE, icons.ORANGE, icons.PURPLE, icons.GREY) == ("#00B0F0", "#E46C0A", "#490092", "#A6A6A6")
    assert icons.BLUE in icons.icon_svg("improvement_high") and icons.ORANGE in icons.icon_svg("concern_low")
    assert icons.PURPLE in icons.icon_svg("neither_high")


def _shape(svg: str) -> tuple[str, str, str]:
    """What survives grey print: the ring (fill white or not, dash pattern) and the glyph."""
    circle = re.search(r"<circle[^>]*>", svg).group(0)
    dash = re.search(r'stroke-dasharray="([^"]*)"', circle)
    glyph = re.search(r">([^<>]+)</text>", svg).group(1)
    return ('fill="#FFFFFF"' in circle, dash.group(1) if dash else "", glyph)


def test_icons_differ_without_colour():
    shapes = {code: _shape(icons.icon_svg(code)) for code in VARIATION_ICONS}
    assert len(set(shapes.values())) == len(VARIATION_ICONS)
    assurance = {code: _shape(icons.icon_svg(code)) for code in ASSURANCE_ICONS}
    assert len(set(assurance.values())) == len(ASSURANCE_ICONS)


def test_no_icon_is_words_only_and_unknown_is_an_error():
    assert "too few points" in icons.icon_html(None) and "<svg" not in icons.icon_html(None)
    assert icons.icon_cell("n/a") == "<td>n/a</td>"
    assert "<svg" in icons.icon_cell("pass") and "will consistently meet the target" in icons.icon_cell("pass")
    assert "concern (higher)" in icons.icon_cell_short("concern_high")
    assert "special cause" not in icons.icon_cell_short("concern_high").split("</svg>")[1]
    with pytest.raises(ValueError):
        icons.icon_svg("blue")
