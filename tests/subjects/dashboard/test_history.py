"""Each metric's path over the quarters (issue 24, item 4), disclosure by quarter (item 5) and the
commentary beside each Red and Amber (item 6), end to end on a three-quarter fixture
(``tests/fixtures/history``: Q1 and Q2 SYNTHETIC, Q3 as the paper) laid over a copy of ``data/``."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from pcp_lib.display.page import render_html
from pcp_lib.subjects.dashboard import page
from pcp_lib.subjects.dashboard.history import metric_history

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests" / "fixtures" / "history"
HISTORY = "Each metric by quarter: what changed since last quarter"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """The project's data with the fixture's three quarters of metric values and its disclosure."""
    d = tmp_path_factory.mktemp("history") / "data"
    shutil.copytree(ROOT / "data", d, ignore=shutil.ignore_patterns("contact_*", "dtoa_*", "csp_*"))
    for q in ("2025-26-Q1", "2025-26-Q2", "2025-26-Q3"):
        for f in (FIXTURE / "quarters" / q).iterdir():
            shutil.copy(f, d / "quarters" / q / f.name)
    shutil.copy(FIXTURE / "reference" / "disclosure.csv", d / "reference" / "disclosure.csv")
    return d


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_history_reads_every_quarter_together(data):
    h = metric_history(data)
    shop = h[h["serial"] == 52]
    assert list(shop["quarter"]) == ["Baseline 2024/25", "Q1 2025/26", "Q2 2025/26",
                                     "Earlier report before Q3 2025/26, quarter not stated", "Q3 2025/26"]
    assert list(shop["value"]) == ["7.60", "7.9", "8.1", "8", "7.42"]
    assert list(shop["synthetic"]) == [False, True, True, False, False]
    assert shop.iloc[3]["source"].startswith("004_2d2b44c158357b88.txt, Panel minutes")
    assert len(h[h["value_kind"] == "baseline"]) == 5, "a baseline repeated in every return is kept once"
    assert list(h.loc[h["serial"] == 7, "disclosure"]) == ["published", "direction only", "withheld", "published"]
    # up to a quarter: nothing after it
    assert set(metric_history(data, "2025-26 Q2")["quarter"]) == {"Baseline 2024/25", "Q1 2025/26", "Q2 2025/26"}


def test_changes_since_last_quarter_prefer_last_quarters_return(data):
    ctx = page.load("2025-26 Q3", data, "restricted")
    changes = page.changes_since_last_quarter(ctx).set_index("serial")
    assert (changes.loc[52, "previous"], changes.loc[52, "latest"]) == ("8.1", "7.42")
    assert changes.loc[52, "previous_period"] == "Q2 2025/26" and changes.loc[52, "synthetic"]
    assert changes.loc[52, "change"] == "-8.4%"  # 8.1 -> 7.42, a percent change for a rate
    assert (changes.loc[52, "rag_before"], changes.loc[52, "rag_after"]) == ("Red", "Amber")
    assert changes.loc[7, "previous"] == "61.2%" and changes.loc[7, "change"] == "-0.8pp"
    assert 25 not in changes.index, "no value, no change"
    public = page.changes_since_last_quarter(page.load("2025-26 Q3", data, "public")).set_index("serial")
    assert 7 not in public.index, "Q2's serial 7 is withheld: no public change from it"


def test_the_page_shows_the_path_labels_synthetic_and_withholds_by_quarter(data):
    out = {}
    for audience in ("public", "restricted"):
        out[audience] = render_html(page.load, page.title, page.SECTIONS, "2025-26 Q3", data, audience)
    public, restricted = _text(out["public"]), _text(out["restricted"])
    section = public.split(HISTORY)[-1]  # the section itself (the opening's findings link to it first)
    assert "Q1 2025/26 (SYNTHETIC sample)" in section and "7.9 (synthetic)" in section
    assert "SYNTHETIC" in section.split("Each headline metric's figures by period")[0], "the chart says so"
    assert "Earlier report before Q3 2025/26, quarter not stated" in section and "004_2d2b44c158357b88.txt" in section
    # serial 7: direction only in Q1, withheld in Q2 (the register's default), published in Q3
    for secret in ("61.9%", "61.2%"):
        assert secret not in out["public"], secret  # text, alt text, attributes
        assert secret in restricted, secret
    assert "60.4%" in public and "62.7%" in public
    table = page.history_table(page.load("2025-26 Q3", data, "public")).set_index("No")
    assert list(table.loc["7"])[1:] == ["62.7%", "withheld (direction only: ↓) (synthetic)", "withheld (synthetic)", "",
                                        "60.4%"]
    assert list(page.history_table(page.load("2025-26 Q3", data, "restricted")).set_index("No").loc["7"])[2] == (
        "61.9% (synthetic)")


def test_commentary_of_a_withheld_metric_never_reaches_the_public_page(data):
    """Q2 2025/26: serial 7 is withheld (the register's default) and Amber with commentary."""
    public = render_html(page.load, page.title, page.SECTIONS, "2025-26 Q2", data, "public")
    restricted = render_html(page.load, page.title, page.SECTIONS, "2025-26 Q2", data, "restricted")
    assert "never public" in restricted and "61.2%" in restricted  # the test could fail
    assert "never public" not in public and "61.2%" not in public
    assert "61.9%" not in public, "Q1's figure, direction only, is withheld too"


def test_commentary_beside_each_red_and_amber(data):
    ctx = page.load("2025-26 Q3", data, "public")
    assert {"commentary", "owner", "next_step"} <= set(ctx.table.columns)
    reds = page.red_metrics(ctx).html(images=False)
    assert "TEST FIXTURE commentary for a Red metric" in reds and "TEST FIXTURE next step" in reds
    assert "no commentary supplied" in _text(reds), "a Red without commentary says so"
    ambers = _text(page.amber_metrics(ctx).html(images=False))
    assert "no commentary supplied" in ambers
    assert "Incidences of shoplifting" in ambers  # 7.60 -> 7.42: Amber, with its commentary column


def test_the_shipped_q3_shows_the_panels_shoplifting_with_its_source():
    """The Panel's 7.6 -> 8 (minutes, point ii) -> 7.42 (Q3 2025/26) on the dashboard."""
    ctx = page.load("2025-26 Q3")
    table = page.history_table(ctx).set_index("No")
    assert list(table.loc["52"])[1:] == ["7.60", "8", "7.42"]
    shown = _text(page.history(ctx).html(images=False))
    assert "004_2d2b44c158357b88.txt, Panel minutes on a Plan Delivery Update, point (ii)" in shown
    assert "'increased from 7.6 to 8'" in shown
