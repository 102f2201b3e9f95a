"""WCAG 2.2 AA: every page of both audiences checked in headless Chromium with axe-core
(axe-playwright-python): no serious or critical violation; and screenshots of every page at
1280 px and 390 px wide, with nothing wider than the screen. The screenshots are kept in
``$PCP_SCREENSHOTS`` when it is set (to look at them), else in the test's temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

#: The WCAG 2.0, 2.1 and 2.2 A and AA rules, and axe's best practices (reported, not all asserted).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDTHS = (1280, 390)


def _pages(pack_dir: Path) -> list[Path]:
    pages = sorted(pack_dir.rglob("*.html"))
    assert len(pages) >= 13, "the top page, and each audience's front page and subject pages"
    return pages


def test_every_page_has_no_serious_or_critical_axe_violation(pack, chromium):
    from axe_playwright_python.sync_playwright import Axe  # a development dependency

    axe = Axe()
    found: list[str] = []
    checked = 0
    for path in _pages(pack[0]):
        page = chromium.new_page()
        try:
            page.goto(path.as_uri(), wait_until="load")
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            checked += 1
        finally:
            page.close()
        for v in results.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                nodes = "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
                found.append(f"{path.relative_to(pack[0])}: {v['id']} ({v['impact']}) at {nodes}")
    assert checked == len(_pages(pack[0]))
    assert found == []


def test_the_checker_finds_a_serious_violation(chromium, tmp_path):
    """The check above could fail: axe flags grey-on-white text and an image with no alt text."""
    from axe_playwright_python.sync_playwright import Axe

    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
                   '<p style="color:#bbb">faint</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
                   "</main></body></html>", encoding="utf-8")
    page = chromium.new_page()
    page.goto(bad.as_uri())
    ids = {v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")}
    page.close()
    assert {"color-contrast", "image-alt"} <= ids


def test_screenshots_of_every_page_at_desktop_and_phone_width(pack, chromium, tmp_path):
    out = Path(os.environ.get("PCP_SCREENSHOTS") or tmp_path / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    shots = 0
    for width in WIDTHS:
        context = chromium.new_context(viewport={"width": width, "height": 900})
        for path in _pages(pack[0]):
            page = context.new_page()
            page.goto(path.as_uri(), wait_until="load")
            name = path.relative_to(pack[0]).as_posix().replace("/", "_").removesuffix(".html")
            page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
            shots += 1
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} at {width} px is {overflow} px wider than the screen"
            header = page.locator("header.pcp-header")
            assert header.count() == 1 and header.is_visible(), name
            page.close()
        context.close()
    assert shots == len(WIDTHS) * len(_pages(pack[0])) and len(list(out.glob("*.png"))) >= shots
