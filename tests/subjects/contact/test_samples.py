"""Samples never look like returns (issue 22, item 8): on the contact page a chart of the synthetic
monthly sample is credited as a sample in the form of the Force's return, the published tables are
shown as printed (never captioned synthetic), the pattern built into the sample is stated where it is
shown, a month with only some days of call records is marked partial, and a tie is said as a tie."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from conftest import FIXTURE_DATA

from pcp_lib.display.charts.imagecache import CACHE_ENV
from pcp_lib.display.charts.style import SYNTHETIC_COLOUR, chart_title
from pcp_lib.subjects.contact import figures, page
from pcp_lib.subjects.contact.tables import calls_table, days_with_calls


@pytest.fixture(scope="module")
def ctx() -> page.ContactContext:
    return page.load("2025-26 Q3", FIXTURE_DATA)


def test_charts_of_the_sample_are_credited_as_a_sample_in_the_form_of_the_return(ctx, monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)  # the figures themselves, as drawn afresh
    assert ctx.inputs["contact_monthly"].synthetic
    sec = page.rates(ctx)
    figs = [f for f in sec.items if hasattr(f, "texts")]
    assert figs
    for fig in figs:
        texts = " ".join(t.get_text() for t in fig.texts)
        assert "SYNTHETIC sample in the form of the Force monthly contact return" in texts
        assert "Source: Force monthly contact return" not in texts
        stamp = [t for t in fig.texts if t.get_gid() == "pcp-synthetic"]
        assert stamp and stamp[0].get_bbox_patch().get_facecolor()[:3] == pytest.approx(
            tuple(int(SYNTHETIC_COLOUR[i:i + 2], 16) / 255 for i in (1, 3, 5)))
    plt.close("all")


def test_the_published_tables_are_shown_as_printed_and_not_captioned_synthetic(ctx):
    text = page.published(ctx).html(images=False)
    captions = re.findall(r"<caption>(.*?)</caption>", text)
    printed = [c for c in captions if "the published table, as printed" in c]
    assert len(printed) == 3
    assert not any("SYNTHETIC" in c or "not real figures" in c for c in printed)
    assert "92.2%" in text and "+53,387" in text


def test_the_pattern_built_into_the_sample_is_stated_where_it_is_shown(ctx):
    for sec in (page.rates(ctx), page.assurance(ctx)):
        text = sec.html(images=False)
        assert "How the SYNTHETIC sample was built" in text
        assert "near 91% every month from April 2025" in text
    plt.close("all")


def test_a_month_with_some_days_of_calls_is_marked_partial():
    calls = pd.DataFrame({"arrival": pd.to_datetime(["2025-10-06 08:00", "2025-10-31 09:00", "2025-11-02 23:00"])})
    days = days_with_calls(calls)
    assert days == {pd.Timestamp("2025-10-01"): 26, pd.Timestamp("2025-11-01"): 2}
    agg = pd.DataFrame({"month": [pd.Timestamp("2025-10-01"), pd.Timestamp("2025-11-01")], "channel": ["999", "999"],
                        **{c: [1, 1] for c in ("offered", "answered", "answered_10s", "answered_2min",
                                               "answered_15min", "abandoned")}, "asa_s": [1.0, 1.0]})
    assert list(calls_table(agg, days)["month"]) == ["Oct 2025 (partial: 26 of 31 days)",
                                                      "Nov 2025 (partial: 2 of 30 days)"]
    full = {pd.Timestamp("2025-10-01"): 31, pd.Timestamp("2025-11-01"): 30}
    assert list(calls_table(agg, full)["month"]) == ["Oct 2025", "Nov 2025"]


def test_a_tied_peak_is_said_as_a_tie():
    # day 0 = Monday; hour of day; the average week has 70 calls at Mon 09:00 and at Tue 17:00
    profile = pd.DataFrame({"channel": ["999"] * 3, "day": [0, 1, 2], "hour": [9, 17, 3], "calls": [70, 70, 5]})
    fig = figures.calls_heatmap(profile, "999", 1, "test")
    assert chart_title(fig) == "999 calls peak on Mon at 09:00 and Tue at 17:00 (a tie) (70 calls an hour)"
    plt.close(fig)
    one = figures.calls_heatmap(profile.assign(calls=[70, 69, 5]), "999", 1, "test")
    assert chart_title(one) == "999 calls peak on Mon at 09:00 (70 calls an hour)"
    plt.close(one)
