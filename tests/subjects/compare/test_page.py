"""How LLR compares: the figures the page shows, what it says of comparability, the metrics it
cannot compare, and its findings through the registry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from pcp_lib.display.page import render_html
from pcp_lib.io.datastore import PROJECT_ROOT
from pcp_lib.subjects.compare import page
from pcp_lib.subjects.compare.measures import comparison_table
from pcp_lib.subjects.registry import subject_named


def test_shoplifting_row_beside_england_and_wales_with_rank() -> None:
    ctx = page.load("2025-26 Q3")
    table = comparison_table(ctx.rows, ctx.region)
    shop = table[table["Measure"] == "Shoplifting"].iloc[0]
    assert shop["LLR offences"] == "9,029" and shop["LLR rate"] == "8.05"
    assert shop["Plan serial"] == "52"
    assert shop["LLR 95% interval"] == "7.88–8.22"
    assert shop["England and Wales rate"] == "8.82"  # 525,491 (43 forces) / 59,597,500 x 1,000
    assert shop["East Midlands rate"] == "9.26"  # 45,182 / 4,879,800 x 1,000
    assert shop["LLR's rank of 43 (1 = highest rate)"] == "21"
    assert {"Robbery", "Residential burglary", "Vehicle offences", "Theft from the person", "Stalking and harassment",
            "Violence against the person", "Total recorded crime (excluding fraud)"} <= set(table["Measure"])


def test_rank_counts_forces_with_a_higher_rate() -> None:
    ctx = page.load("2025-26 Q3")
    shop = next(r for r in ctx.rows if r.offence == "shoplifting")
    assert shop.forces == 43 and 1 <= shop.rank <= 43
    peers = {name: rate for name, _, rate, _, _ in shop.peers}
    assert set(peers) == {"Derbyshire", "Leicestershire", "Lincolnshire", "Northamptonshire", "Nottinghamshire"}
    assert str(peers["Leicestershire"]) == str(shop.rate)


def test_page_states_period_comparability_and_uncompared_metrics() -> None:
    html = render_html(page.load, page.title, page.SECTIONS, "2025-26 Q3", audience="public")
    assert "You asked for Q3 2025/26" in html and "year ending June 2025" in html
    assert "not police.uk categories" in html
    assert "Census 2021 usual residents" in html and "not mid-year estimates" in html
    assert "East Midlands forces" in html and "most similar group" in html
    for serial in ("2", "26", "76", "77"):  # the CSEW measures, listed with a reason
        assert f"serial {serial}," in html
    assert "no force-level survey figures" in html
    assert "Neighbourhood Crime" in html and "robbery of personal property only" in html


def test_every_plan_metric_is_compared_or_has_a_reason() -> None:
    ctx = page.load("2025-26 Q3")
    listed = set(ctx.comparators["serial"].dropna().astype(int))
    assert set(ctx.register["serial"].astype(int)) == listed


def test_findings_through_the_registry() -> None:
    subject = subject_named("compare")
    assert subject is not None and subject.notebook == "50_how_llr_compares.ipynb"
    ctx = subject.load("2025-26 Q3")
    found = subject.findings(ctx)
    assert 2 <= len(found) <= 3
    assert "9,029" in found[0].text and "8.05" in found[0].text and "England and Wales" in found[0].text
    assert found[0].period == "year ending June 2025 (not Q3 2025/26)"


def test_replacing_the_peer_group_is_a_data_change(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data)
    peers = pd.DataFrame({"force_code": ["E23000021", "E23000027"], "force_name": ["Leicestershire", "Hertfordshire"],
                          "group": ["Test group", "Test group"], "source": ["a test", "same"]})
    peers.to_csv(data / "reference" / "peer_forces.csv", index=False)
    ctx = page.load("2025-26 Q3", data)
    assert ctx.group == "Test group"
    assert [p[0] for p in ctx.rows[0].peers] == ["Leicestershire", "Hertfordshire"]
