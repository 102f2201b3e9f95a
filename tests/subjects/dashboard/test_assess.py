"""The Plan dashboard table: every metric of a quarter with its computed RAG, numeric columns an
analyst can sort, describe and plot, the exact published digits kept beside them, and the
text the pack shows (through pcp_lib.methods.units)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pcp_lib.core.provenance import provenance_of
from pcp_lib.subjects.dashboard.assess import (
    assess_quarter,
    baseline_heading,
    change_text,
    data_quality_notes,
    display_table,
    exceptions_table,
    for_audience,
    headline_summary,
    rag_counts,
    value_text,
)

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def q3() -> pd.DataFrame:
    return assess_quarter("2025-26 Q3")


# Expected RAG for all 40 metrics of Q3 2025/26, worked out by hand from the rule.
# pp = percentage points (percent metrics, ±2pp); % = relative change (others, ±5%).
EXPECTED_Q3_2025_26 = {
    1: "Green",    # Completed Y/N: Y
    2: "Green",    # 65.9% -> 72.2% = +6.3pp > 2, Increase
    3: "Red",      # 13 -> 11 = -15.4%, Increase
    4: "Amber",    # 0 -> 0: within
    5: "Red",      # 9.5 -> 8.6 = -9.5%, Increase
    6: "Green",    # 46.0% -> 63.0% = +17.0pp
    7: "Red",      # 62.7% -> 60.4% = -2.3pp, Increase
    16: "Red",     # 200,000 -> 188,000 = -6.0%, Increase
    24: "Green",   # 664 -> 700 = +5.42% > 5, Increase or maintain
    25: "No data",  # blank
    26: "Green",   # 56.60% -> 59.50% = +2.9pp
    27: "Green",   # 11,545 -> 9,603 = -16.8%, Decrease
    28: "Amber",   # 4.40% -> 4.30% = -0.1pp
    31: "Red",     # 0.004 -> 0.006 = +50%, Decrease
    32: "Green",   # 0.38 -> 0.29 = -23.7%, Decrease
    33: "Green",   # 0.0017 -> 0.0000 = -100%, Decrease
    34: "Red",     # 70 -> 30 = -57.1%, Increase
    35: "Green",   # 0.7 -> 0.59 = -15.7%, Decrease
    36: "Green",   # 0.026 -> 0.021 = -19.2%, Decrease
    41: "Amber",   # 18.96 -> 18.1 = -4.54%: within 5
    42: "Red",     # 80% -> 77.0% = -3.0pp, Increase
    43: "Amber",   # 9.3 -> 9.42 = +1.29%
    48: "Green",   # 0.59 -> 0.49 = -16.9%, Decrease
    49: "No data",  # blank
    52: "Amber",   # 7.60 -> 7.42 = -2.37%
    53: "No data",  # blank (new metric from April 2026)
    54: "Amber",   # 19.0% -> 17.0% = exactly -2.0pp: within
    57: "Red",     # 100 -> 127 = +27%, Reduce
    58: "Amber",   # 100.75 -> 102 = +1.24%
    63: "Green",   # 2.75 -> 2.24 = -18.5%
    64: "Green",   # 6.06 -> 4.93 = -18.6%
    65: "Green",   # 0.8 -> 0.71 = -11.25%
    66: "Amber",   # 0.75 -> 0.78 = +4.0%
    69: "Amber",   # 87.7% -> 89.7% = exactly +2.0pp: within
    70: "Red",     # 75.50% -> 72.1% = -3.4pp, Increase
    71: "Red",     # 97.50% -> 95.00% = -2.5pp, Increase
    76: "Green",   # 45.60% -> 48.30% = +2.7pp
    77: "Green",   # 59.40% -> 62.20% = +2.8pp
    82: "Green",   # 13.9% -> 16.0% = +2.1pp
    83: "Amber",   # 3575 -> 3582 = +0.196%
}


def test_all_40_metrics_of_q3_2025_26():
    df = assess_quarter("2025-26 Q3")
    assert len(df) == 40
    got = dict(zip(df["serial"].astype(int), df["rag"], strict=True))
    assert got == EXPECTED_Q3_2025_26
    assert dict(rag_counts(df)) == {"Green": 17, "Amber": 10, "Red": 10, "No data": 3}


def test_published_arrows_that_disagree_with_the_values():
    df = assess_quarter("2025-26 Q3")
    assert sorted(df.loc[df["direction_mismatch"], "serial"].astype(int)) == [70, 71, 83]


def test_q3_public_table_shows_serial_7_as_the_paper_and_serial_25_as_no_data():
    """Q3 2025/26: the paper (000_..., Appendix 1) prints serial 7, 62.7% -> 60.4%, so the public
    table shows it (Red); serial 25 has no value at all, so it is No data, not withheld."""
    df = for_audience(assess_quarter("2025-26 Q3"), "public").set_index("serial")
    assert (df.loc[7, "baseline_published"], df.loc[7, "latest_published"], df.loc[7, "rag"]) == ("62.7%", "60.4%",
                                                                                                   "Red")
    assert df.loc[7, "disclosure"] == "published" and not df.loc[7, "restricted"]
    assert df.loc[25, "rag"] == "No data" and not df.loc[25, "restricted"]
    assert df.loc[25, "disclosure"] == "withheld", "the register's default, with nothing to withhold"
    assert dict(rag_counts(df.reset_index())) == {"Green": 17, "Amber": 10, "Red": 10, "No data": 3}


def _without_decisions(tmp_path: Path, rows: str | None = None) -> Path:
    """A copy of the data in which the Q3 2025/26 disclosure decisions are ``rows`` (None: no
    disclosure.csv, so the register's defaults: serials 7 and 25 withheld)."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "reference" / "disclosure.csv"
    if rows is None:
        path.unlink()
    else:
        path.write_text("quarter,serial,disclosure,source\n" + rows, encoding="utf-8")
    return data


def test_public_table_withholds_a_metric_withheld_that_quarter(tmp_path):
    df = for_audience(assess_quarter("2025-26 Q3", _without_decisions(tmp_path)), "public")
    withheld = df[df["serial"] == 7]
    text = ["baseline_published", "latest_published", "rag", "reason", "direction", "published_direction"]
    assert (withheld[text] == "Restricted").all().all()
    # numbers derived from them are withheld as missing, so the columns stay numeric
    assert withheld[["baseline", "latest", "change", "pct_change", "pct_change_toward_target"]].isna().all().all()
    assert withheld[["commentary", "owner", "next_step"]].isna().all().all()
    assert str(df["change"].dtype) == "Float64"
    # serial 25, withheld by default too, has no value to withhold: No data
    assert dict(rag_counts(df)) == {"Green": 17, "Amber": 10, "Red": 9, "No data": 3, "Restricted": 1}
    shown = display_table(withheld)
    assert set(shown[["Baseline 2024/25", "Latest", "Change", "Reason"]].to_numpy().ravel()) == {"Restricted"}


def test_direction_only_keeps_the_arrow_and_withholds_the_values(tmp_path):
    data = _without_decisions(tmp_path, '2025-26 Q3,7,direction only,"a test decision"\n')
    full = assess_quarter("2025-26 Q3", data)
    df = for_audience(full, "public").set_index("serial")
    assert df.loc[7, "disclosure"] == "direction only" and df.loc[7, "restricted"]
    assert (df.loc[7, "direction"], df.loc[7, "published_direction"]) == ("↓", "↓")
    assert df.loc[7, "latest_published"] == "Restricted" and df.loc[7, "rag"] == "Restricted"
    assert pd.isna(df.loc[7, "latest"])
    assert for_audience(full, "restricted").set_index("serial").loc[7, "latest_published"] == "60.4%"


def test_a_bad_disclosure_is_a_clear_error(tmp_path):
    from pcp_lib.core.errors import DataError
    data = _without_decisions(tmp_path, '2025-26 Q3,7,partly,"a test decision"\n')
    with pytest.raises(DataError) as err:
        assess_quarter("2025-26 Q3", data)
    said = str(err.value)
    assert "disclosure.csv" in said and "partly" in said and "direction only" in said


def test_approximate_counts_behind_rates():
    df = assess_quarter("2025-26 Q3").set_index("serial")
    # 7.60 per 1,000 x 1,121,800 / 1,000 = 8,525.68 -> 8,526
    assert df.loc[52, "approx_baseline_count"] == 8526
    assert df.loc[52, "approx_latest_count"] == 8324  # 7.42 x 1,121.8 = 8,323.8



def test_numeric_columns_sort_describe_and_plot(q3):
    for c in ("baseline", "latest", "change", "pct_change"):
        assert str(q3[c].dtype) == "Float64", c
    assert str(q3["approx_latest_count"].dtype) == "Int64"
    described = q3[["baseline", "latest", "change", "pct_change"]].describe()
    assert described.loc["count", "baseline"] == 36  # 40 less 2 blank, 1 restricted blank, 1 Y/N
    top = q3.sort_values("pct_change").iloc[0]
    assert int(top["serial"]) == 33 and top["pct_change"] == -100.0  # 0.0017 -> 0.0000
    # the exact digits stay beside the numbers, as published
    r = q3.set_index("serial").loc[26]
    assert (r["baseline_published"], r["latest_published"], r["baseline"]) == ("56.60%", "59.50%", 56.6)


def test_change_is_named_in_its_unit_beside_changes_comparable_across_metrics(q3):
    cols = list(q3.columns)
    at = cols.index("change")
    assert cols[at:at + 4] == ["change", "change_unit", "pct_change", "pct_change_toward_target"]
    r = q3.set_index("serial")
    # 2: 65.9% -> 72.2%, Increase: +6.3 percentage points, +9.6% relative, +9.6% the way the target wants
    assert (r.loc[2, "change_unit"], r.loc[2, "change"]) == ("pp", pytest.approx(6.3))
    assert r.loc[2, "pct_change"] == pytest.approx(6.3 / 65.9 * 100)
    assert r.loc[2, "pct_change_toward_target"] == r.loc[2, "pct_change"]
    # 27: 11,545 -> 9,603 casualties, Decrease: -1,942 of them, -16.8%, which is +16.8% toward the target
    assert r.loc[27, "change_unit"] in ("count", "value") and r.loc[27, "change"] == -1942
    assert r.loc[27, "pct_change_toward_target"] == pytest.approx(1942 / 11545 * 100)
    # 1 (Y/N): no unit, no direction to rank by
    assert pd.isna(r.loc[1, "change_unit"]) and pd.isna(r.loc[1, "pct_change_toward_target"])
    # outside the agreed range, Green and Red are exactly the two signs of the change toward the target
    moved = q3[q3["within_tolerance"].eq(False) & q3["pct_change_toward_target"].notna()]
    assert len(moved) > 10 and set(moved["rag"]) == {"Green", "Red"}
    assert ((moved["rag"] == "Green") == (moved["pct_change_toward_target"] > 0)).all()


def test_the_table_carries_the_provenance_of_its_inputs(q3):
    files = provenance_of(q3).files
    assert files == ("reference/metrics.csv", "quarters/2025-26-Q3/metric_values.csv",
                     "reference/population.csv")


def test_values_and_changes_as_the_pack_shows_them(q3):
    rows = q3.set_index("serial")
    assert value_text(rows.loc[26, "baseline_published"], "percent") == "56.60%"  # its own digits
    assert value_text(rows.loc[33, "latest_published"], "rate_per_1000") == "0.0000"
    assert value_text(rows.loc[83, "baseline_published"], "count") == "3,575"
    assert value_text(None, "count") == "n/a"
    by_serial = {int(r["serial"]): change_text(r) for r in q3.to_dict("records")}
    assert by_serial[2] == "+6.3pp"  # percentage points for a percent metric
    assert by_serial[52] == "-2.4%"  # percent change for a rate
    assert by_serial[4] == "n/a (from zero)"  # 0 -> 0: a percent change from zero is undefined
    assert by_serial[1] == "n/a" and by_serial[49] == "n/a"  # Y/N; missing
    assert by_serial[65] == "-11.3%"  # -11.25% exactly: half up, as published tables round


def test_baseline_heading_comes_from_the_values(q3, tmp_path):
    assert baseline_heading(q3) == "Baseline 2024/25"
    assert "Baseline 2024/25" in display_table(q3).columns
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    folder = data / "quarters" / "2025-26-Q3"
    folder.mkdir(parents=True)
    text = (ROOT / "data" / "quarters" / "2025-26-Q3" / "metric_values.csv").read_text(encoding="utf-8")
    (folder / "metric_values.csv").write_text(text.replace("2024/25,baseline", "2023/24,baseline"),
                                              encoding="utf-8")
    other = assess_quarter("2025-26 Q3", data)
    assert baseline_heading(other) == "Baseline 2023/24"
    assert "Baseline 2023/24" in exceptions_table(other).columns


def test_summary_and_notes(q3, tmp_path):
    public = for_audience(q3, "public")
    lines = headline_summary(public, "Q3 2025/26")
    assert lines[0] == "Of 40 headline metrics for Q3 2025/26: 17 Green, 10 Amber, 10 Red, 3 with no data."
    assert "Staff satisfaction for Force (Annual figure) (-2.3pp)" in lines[1]  # published by the Q3 paper: Red
    withheld = for_audience(assess_quarter("2025-26 Q3", _without_decisions(tmp_path)), "public")
    said = headline_summary(withheld, "Q3 2025/26")
    assert said[0] == "Of 40 headline metrics for Q3 2025/26: 17 Green, 10 Amber, 9 Red, 3 with no data."
    assert said[1] == "1 metric is restricted and withheld from this public version."
    assert "Staff satisfaction for Force" not in " ".join(said)  # withheld, Red
    notes = data_quality_notes(public)
    assert [n.split(" ", 2)[1] for n in notes] == ["70", "71", "83"]
    assert "published arrow ↓ but the values go 3,575 → 3,582 (+0.2%; computed direction ↔)" in notes[-1]


def test_red_exceptions_with_counts_behind_rates(q3):
    reds = exceptions_table(q3, "Red").set_index("No")
    assert reds.loc["31", "Approx. count (baseline → latest)"] == "4 → 7"
    assert reds.loc["3", "Approx. count (baseline → latest)"] == "n/a"  # a count, not a rate
    assert len(reds) == 10
