"""Published contact figures: transcribed with their source, consistent, and reproduced."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.reference.contact_targets import load_targets
from pcp_lib.subjects.contact.published import (
    check_against_published,
    fmt_published,
    is_published,
    load_published,
    load_uplift,
    published_consistency,
    published_volumes,
    published_years,
)
from pcp_lib.subjects.contact.returns import load_monthly
from pcp_lib.subjects.contact.summary import annual_summary

DATA = Path(__file__).resolve().parents[3] / "data"


def test_published_figures_transcribed_with_source():
    annual, change = load_published()
    assert len(annual) == 14 and len(change) == 10
    assert (annual["source"].str.contains("001_b24730b53cda192b.txt")).all()
    got = {(r["channel"], r["measure"], r["year"]): r["number"] for r in annual.to_dict("records")}
    assert got[("999", "offered", 2024)] == 148957 and got[("999", "offered", 2025)] == 202344
    assert got[("101", "answered_2min", 2025)] == Decimal("65.7")
    assert got[("online", "offered", 2025)] == 73441
    assert provenance_of(annual).kind == "published" and provenance_of(change).kind == "published"


def test_published_volumes_and_years_come_from_the_file():
    published = load_published()
    assert published_years(published) == (2024, 2025)
    vols = published_volumes(published)
    assert vols[("999", 2025)] == 202344 and vols[("101", 2024)] == 215670 and len(vols) == 6


def test_published_changes_follow_from_published_figures():
    table = published_consistency(load_published())
    assert len(table) == 10
    assert table["consistent"].all(), table[~table["consistent"]]


def test_sample_reproduces_every_published_figure():
    published = load_published()
    summary = annual_summary(load_monthly("2025-26 Q3"), published_years(published), load_targets())
    check = check_against_published(summary, published)
    assert len(check) == 24
    assert check["match"].all(), check[~check["match"]]


def test_check_finds_a_figure_that_differs(tmp_path):
    """The check is not vacuous: a published figure changed by one call is reported."""
    for folder in ("published", "reference"):
        (tmp_path / folder).mkdir()
    for name in ("contact_annual.csv", "contact_annual_change.csv"):
        text = (DATA / "published" / name).read_text(encoding="utf-8")
        (tmp_path / "published" / name).write_text(text.replace('"148,957"', '"148,958"'), encoding="utf-8")
    published = load_published(tmp_path)
    summary = annual_summary(load_monthly("2025-26 Q3"), (2024, 2025))
    check = check_against_published(summary, published)
    wrong = check[~check["match"]]
    assert wrong[["channel", "what", "published", "computed"]].values.tolist() == [
        ["999", "2024", "148,958", "148,957"]]


def test_unreadable_published_figure_is_a_clear_error(tmp_path):
    (tmp_path / "published").mkdir()
    for name in ("contact_annual.csv", "contact_annual_change.csv"):
        text = (DATA / "published" / name).read_text(encoding="utf-8")
        (tmp_path / "published" / name).write_text(text.replace("95.8%", "about 96%"), encoding="utf-8")
    with pytest.raises(DataError, match=r"contact_annual.csv, row 4, column 'value'"):
        load_published(tmp_path)


def test_uplift_is_published_with_source():
    u = load_uplift()
    assert (u.extra_fte_2024_25, u.extra_fte_2025_26, u.cost) == (26, 20, Decimal(1_200_000))
    assert u.provenance.kind == "published"


def test_formats_as_published():
    assert fmt_published("volume", Decimal(148957)) == "148,957"
    assert fmt_published("rate", Decimal("95.75")) == "95.8%"  # half up, not to even
    assert fmt_published("volume change", 53387) == "+53,387"
    assert fmt_published("percent", Decimal("35.84")) == "+36%"
    assert fmt_published("pp", Decimal("-3.55")) == "-3.6pp"
    assert fmt_published("rate", None) == "n/a"


def test_which_figures_the_report_publishes():
    assert is_published("101", "answered_2min") and is_published("999", "answered_10s")
    assert not is_published("101", "answered_15min") and not is_published("999", "answered_2min")
