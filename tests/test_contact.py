"""Contact demand: published figures, the monthly sample, call-level aggregation, Erlang models."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DATA, FIXTURES, ROOT
from scipy.stats import poisson

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import is_synthetic
from pcp_lib.io.datastore import return_files
from pcp_lib.subjects.contact import (
    agents_required,
    annual_summary,
    check_against_published,
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_service_level,
    load_monthly,
    load_published,
    load_targets,
    published_table,
)
from pcp_lib.subjects.contact.calls import aggregate_calls, read_calls
from pcp_lib.subjects.contact.summary import (
    CHANGE_PERCENT,
    CHANGE_PP,
    display_table,
    monthly_rates,
    published_consistency,
    quarter_summary,
)
from pcp_lib.subjects.contact.synthetic import _simulate_queue, synthetic_calls

FIX = FIXTURES / "contact"


# ---- published figures ---------------------------------------------------------------------

def test_published_figures_transcribed_with_source():
    annual, change = load_published()
    assert len(annual) == 14 and len(change) == 10
    assert (annual["source"].str.contains("001_b24730b53cda192b.txt")).all()
    got = {(r["channel"], r["measure"], r["year"]): r["number"] for r in annual.to_dict("records")}
    assert got[("999", "offered", 2024)] == 148957 and got[("999", "offered", 2025)] == 202344
    assert got[("101", "answered_2min", 2025)] == Decimal("65.7")
    assert got[("online", "offered", 2025)] == 73441


def test_published_changes_follow_from_published_figures():
    table = published_consistency()
    assert table["consistent"].all(), table[~table["consistent"]]


def test_targets_are_reference_data():
    t = load_targets().set_index(["channel", "measure"])
    assert t.loc[("999", "answered_10s"), "target_pct"] == Decimal(90)
    assert t.loc[("999", "answered_10s"), "scope"] == "national"
    assert t.loc[("101", "answered_15min"), "threshold_s"] == 900
    assert t.loc[("101", "abandoned"), "direction"] == "below"
    assert ("101", "answered_2min") not in t.index  # the published 101 measure has no target


# ---- monthly sample reproduces the published tables ----------------------------------------

@pytest.fixture(scope="module")
def monthly() -> pd.DataFrame:
    return load_monthly("2025-26 Q3")


@pytest.fixture(scope="module")
def summary(monthly) -> pd.DataFrame:
    return annual_summary(monthly, (2024, 2025), load_targets())


def test_sample_reproduces_every_published_figure(summary):
    check = check_against_published(summary)
    assert len(check) == 24
    assert check["match"].all(), check[~check["match"]]


def test_sample_totals_exact(monthly, summary):
    s = summary.set_index(["channel", "measure"])
    assert s.loc[("999", "offered"), "2024"] == 148957
    assert s.loc[("101", "offered"), "change (volume)"] == 107905
    assert s.loc[("online", "offered"), "2025"] == 73441
    # rates within half a unit of the last published place, from the unrounded counts
    assert abs(s.loc[("999", "answered_10s"), "2024"] - Decimal("95.8")) < Decimal("0.05")
    assert abs(s.loc[("101", "abandoned"), "2025"] - Decimal("12.2")) < Decimal("0.05")
    assert abs(s.loc[("999", "answered_10s"), CHANGE_PP] - Decimal("-3.6")) < Decimal("0.05")
    assert round(s.loc[("999", "offered"), CHANGE_PERCENT]) == 36
    assert s.loc[("999", "answered_10s"), CHANGE_PERCENT] is None  # rates change in pp only


def test_published_table_layout(summary):
    t999 = published_table(summary, "999")
    assert t999.iloc[0].tolist() == ["Volume", "148,957", "202,344", "+53,387", "+36%"]
    assert t999.iloc[1].tolist() == ["Answered within 10 secs", "95.8%", "92.2%", "", "-3.6pp"]
    t101 = published_table(summary, "101")
    assert t101.iloc[2].tolist() == ["Abandonment Rate", "9.0%", "12.2%", "", "+3.2pp"]
    online = published_table(summary, "online")
    assert online.iloc[0].tolist() == ["Volume", "49,147", "73,441", "+24,294", "+49%"]


def test_sample_shape_follows_the_report(monthly):
    r = monthly_rates(monthly)
    r999 = r[(r["channel"] == "999") & (r["measure"] == "answered_10s")].set_index("month")["rate_pct"]
    assert (r999 > 90).all()  # para 8: consistently over 90%
    since_april = r999[r999.index >= date(2025, 4, 1)]
    assert len(since_april) == 9 and abs(since_april.mean() - 91) < 0.5  # para 9: around 91%
    r101 = r[(r["channel"] == "101") & (r["measure"] == "answered_15min")].set_index("month")["rate_pct"]
    fy2425 = r101[(r101.index >= date(2024, 4, 1)) & (r101.index <= date(2025, 3, 1))]
    assert len(fy2425) == 12 and (fy2425 >= 75).all()  # para 22: targets met throughout 2024/25


def test_sample_is_labelled_synthetic_and_rebuilds_identically(tmp_path):
    files = return_files("contact_monthly", "2025-26 Q3")
    assert len(files) == 8 and all(is_synthetic(p) for p in files.values())
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_sample_contact", ROOT / "scripts" / "make_sample_contact.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for p in mod.write(tmp_path):
        committed = DATA / p.relative_to(tmp_path)
        assert p.read_bytes() == committed.read_bytes()


def test_quarter_summary_labels_and_coverage(monthly):
    q = quarter_summary(monthly, "2025-26 Q3", load_targets())
    assert q.attrs["labels"] == ("Q3 2024/25", "Q3 2025/26") and q.attrs["complete"]
    beyond = quarter_summary(load_monthly("2027-28 Q1"), "2027-28 Q1")
    assert not beyond.attrs["complete"]
    table = display_table(q)
    assert {"Change (%)", "Change (pp)", "Change (volume)"} <= set(table.columns)
    rate_rows = table[table["Measure"] != "Volume"]
    assert (rate_rows["Change (%)"] == "").all() and rate_rows["Change (pp)"].str.endswith("pp").all()


# ---- malformed monthly returns -------------------------------------------------------------

HEADER = "month,channel,offered,answered,answered_10s,answered_2min,answered_15min,abandoned,asa_s\n"


def _bad(tmp_path: Path, body: str) -> str:
    from pcp_lib.io.schema import read_table
    from pcp_lib.subjects.contact.returns import CONTACT_MONTHLY

    p = tmp_path / "contact_monthly.csv"
    p.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_table(p, CONTACT_MONTHLY)
    return str(exc.value)


def test_monthly_rejects_impossible_counts(tmp_path):
    msg = _bad(tmp_path, "2025-10,999,100,95,90,95,95,10,5.0\n")
    assert "contact_monthly.csv" in msg and "row 2" in msg and "'answered'" in msg and "95 + 10" in msg
    msg = _bad(tmp_path, "2025-10,101,100,80,50,40,70,5,90\n")
    assert "row 2" in msg and "'answered_10s'" in msg and "at most 40" in msg


def test_monthly_rejects_bad_channel_blank_and_text(tmp_path):
    msg = _bad(tmp_path, "2025-10,112,100,95,90,95,95,1,5\n2025-10,999,100,,90,95,95,1,5\n"
                         "2025-10,online,lots,,,,,,\n")
    assert "row 2, column 'channel': expected one of 999, 101, online; got '112'" in msg
    assert "row 3, column 'answered'" in msg and "row 4, column 'offered'" in msg


def test_monthly_rejects_month_in_wrong_quarter_folder(tmp_path):
    folder = tmp_path / "quarters" / "2025-26-Q3"
    folder.mkdir(parents=True)
    (folder / "contact_monthly.csv").write_text(HEADER + "2025-07,online,10,,,,,,\n", encoding="utf-8")
    with pytest.raises(DataError, match="a month in Q3 2025/26"):
        load_monthly("2025-26 Q3", data_dir=tmp_path)


# ---- call-level aggregation ----------------------------------------------------------------

def test_aggregate_calls_matches_hand_checked_extract():
    got = aggregate_calls(read_calls(FIX / "calls_small.csv"))
    want = pd.read_csv(FIX / "calls_small.expected.csv", dtype={"channel": str, "asa_s": str})
    assert len(got) == len(want)
    for g, w in zip(got.to_dict("records"), want.to_dict("records"), strict=True):
        assert f"{g['month']:%Y-%m}" == w["month"] and g["channel"] == w["channel"]
        for c in ("offered", "answered", "answered_10s", "answered_2min", "answered_15min", "abandoned"):
            assert g[c] == w[c], (w["month"], w["channel"], c)
        assert g["asa_s"] == Decimal(w["asa_s"])


def test_short_abandons_excluded_only_when_asked():
    calls = read_calls(FIX / "calls_small.csv")
    got = aggregate_calls(calls, short_abandon_s=5).set_index(["month", "channel"])
    assert got.loc[(date(2025, 10, 1), "999"), "offered"] == 2
    assert got.loc[(date(2025, 10, 1), "999"), "abandoned"] == 0
    assert got.loc[(date(2025, 10, 1), "101"), "abandoned"] == 1  # a 5-minute abandon stays


def test_missing_answer_time_on_answered_call_is_an_error(tmp_path):
    text = (FIX / "calls_small.csv").read_text().replace("2025-10-01 09:00:10,", ",", 1)
    p = tmp_path / "calls.csv"
    p.write_text(text)
    with pytest.raises(DataError) as exc:
        aggregate_calls(read_calls(p))
    msg = str(exc.value)
    assert "calls.csv, row 2, column 'answered_at': expected an answer time, since the call is not flagged" in msg


def test_call_extract_other_errors(tmp_path):
    lines = (FIX / "calls_small.csv").read_text().splitlines()
    lines[3] = lines[3].replace(",,", ",2025-10-02 12:00:01,")  # abandoned but answered
    lines[5] = lines[5].replace("101,", "112,", 1)
    lines[6] = lines[6].replace("2025-10-15 11:21:00", "2025-10-15 10:21:00")  # ends before answer
    lines[8] = lines[8].replace(",N", ",maybe")
    p = tmp_path / "calls.csv"
    p.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as exc:
        read_calls(p)
    assert "row 9, column 'abandoned': expected Y or N; got 'maybe'" in str(exc.value)
    p.write_text("\n".join(lines[:8]) + "\n")
    with pytest.raises(DataError) as exc:
        aggregate_calls(read_calls(p))
    msg = str(exc.value)
    assert "row 4, column 'answered_at': expected a blank answer time" in msg
    assert "row 6, column 'channel': expected 999 or 101; got '112'" in msg
    assert "row 7, column 'ended'" in msg
    p.write_text("call_id,channel,arrival\n1,999,2025-10-01 00:00:00\n")
    with pytest.raises(DataError, match="row 1: expected columns call_id, channel"):
        read_calls(p)


def test_parquet_and_csv_extracts_aggregate_alike(tmp_path):
    calls = synthetic_calls(date(2025, 10, 30), days=3, seed=7)
    calls.to_parquet(tmp_path / "c.parquet", index=False)
    out = calls.copy()
    for c in ("arrival", "answered_at", "ended"):
        out[c] = out[c].dt.strftime("%Y-%m-%d %H:%M:%S.%f").str[:-3]
    out["abandoned"] = np.where(calls["abandoned"], "Y", "N")
    out.to_csv(tmp_path / "c.csv", index=False)
    a = aggregate_calls(read_calls(tmp_path / "c.parquet"))
    b = aggregate_calls(read_calls(tmp_path / "c.csv"))
    pd.testing.assert_frame_equal(a, b)
    assert a["month"].tolist() == [date(2025, 10, 1)] * 2 + [date(2025, 11, 1)] * 2
    assert int(a["offered"].sum()) == len(calls)


def test_synthetic_calls_deterministic_and_sized():
    a = synthetic_calls(n_calls=5000, seed=1)
    b = synthetic_calls(n_calls=5000, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 5000 and a["arrival"].is_monotonic_increasing
    assert (a["abandoned"] == a["answered_at"].isna()).all()
    # 101 is a daytime service: more calls at 10:00 than at 04:00
    hours = a[a["channel"] == "101"]["arrival"].dt.hour
    assert (hours == 10).sum() > 3 * (hours == 4).sum()


# ---- Erlang models -------------------------------------------------------------------------

def test_erlang_c_matches_published_911_call_calc_example():
    """al911.org 'Application note - Erlang C Call Calc' (http://www.al911.org/qos_calc.htm):
    2 call takers, 60-second calls at 30 an hour: "fewer than 8 percent of callers will wait
    more than 10 seconds"; with 20 s of wrap-up (80 s calls) "the QOS falls to 14 percent"."""
    late = 1 - erlang_c_service_level(2, 30, 60, 3600, 10)
    assert late < 0.08 and late == pytest.approx(0.0779, abs=5e-4)
    late = 1 - erlang_c_service_level(2, 30, 80, 3600, 10)
    assert round(late * 100) == 14


def test_agents_required_matches_published_example():
    """jonesthenet.com 'Erlang uplift' (http://www.jonesthenet.com/budgeting/service-levels-erlang/
    erlang-uplift/): 250 calls an hour, AHT 330 s, 80% in 30 s: "Erlang ... thinks we need 28
    advisors" (against 22.9 from workload alone)."""
    assert agents_required(250, 330, 3600, 30, 0.80) == 28
    assert erlang_c_service_level(27, 250, 330, 3600, 30) < 0.80 <= erlang_c_service_level(28, 250, 330, 3600, 30)


def test_agents_required_shrinkage_occupancy_and_scale():
    assert agents_required(250, 330, 3600, 30, 0.80, shrinkage=0.3) == math.ceil(28 / 0.7)
    # an 85% occupancy cap needs at least load / 0.85 = 26.96 -> 27 agents... already met by 28
    assert agents_required(250, 330, 3600, 30, 0.80, max_occupancy=0.85) == 28
    assert agents_required(250, 330, 3600, 30, 0.80, max_occupancy=0.70) == math.ceil(250 * 330 / 3600 / 0.70)
    n = agents_required(20000, 300, 3600, 10, 0.9)  # 1,667 Erlangs: no overflow
    assert 1667 < n < 1800
    assert 0 < erlang_b(2000, 1900) < 1


def test_erlang_c_unstable_load_is_an_error():
    with pytest.raises(ValueError, match="unstable load"):
        erlang_c_service_level(10, 120, 300, 3600, 10)  # 10 Erlangs on 10 agents
    with pytest.raises(ValueError, match="unstable load"):
        erlang_c(5, 7.5)


def test_erlang_a_limits_and_exact_identities():
    # very patient callers: Erlang A tends to Erlang C
    r = erlang_a(11, 100, 180, 1800, 20, 1e8)
    assert r.service_level == pytest.approx(erlang_c_service_level(11, 100, 180, 1800, 20), abs=1e-5)
    assert r.p_wait == pytest.approx(erlang_c(11, 10), abs=1e-5)
    # patience equal to handling time: number in system is Poisson(a) exactly (M/M/inf)
    r = erlang_a(10, 100, 180, 1800, 20, 180)
    assert r.p_wait == pytest.approx(poisson.sf(9, 10), rel=1e-10)
    assert r.p_abandon == pytest.approx(sum(poisson.pmf(k, 10) * (k - 10) for k in range(11, 200)) / 10, rel=1e-9)


def test_erlang_a_stable_when_overloaded_and_monotone():
    r = erlang_a(50, 1000, 288, 3600, 10, 120)  # 80 Erlangs on 50 agents
    assert 0.3 < r.p_abandon < 0.5 and r.occupancy > 0.99 and 0 <= r.service_level < 0.6
    assert r.p_abandon == pytest.approx(1 - 50 / 80, abs=0.03)  # fluid limit: the excess abandons
    sls = [erlang_a(n, 400, 300, 3600, 10, 180).service_level for n in range(30, 50)]
    assert all(b >= a for a, b in zip(sls, sls[1:], strict=False))


def test_erlang_a_agrees_with_queue_simulation():
    """The generator's queue (exact FIFO simulation) and Erlang A describe the same system."""
    rng = np.random.default_rng(42)
    n_calls, lam, aht, pat, agents = 400_000, 40 / 3600, 300.0, 180.0, 3
    arrival = np.cumsum(rng.exponential(1 / lam, n_calls))
    ans, _ = _simulate_queue(arrival, rng.exponential(aht, n_calls), rng.exponential(pat, n_calls), agents)
    wait = ans - arrival
    sim_abandon = np.isnan(ans).mean()
    sim_sl = np.nan_to_num(wait <= 20, nan=0).mean()
    model = erlang_a(agents, 40, aht, 3600, 20, pat)
    assert sim_abandon == pytest.approx(model.p_abandon, abs=0.005)
    assert sim_sl == pytest.approx(model.service_level, abs=0.005)
