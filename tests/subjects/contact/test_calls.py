"""Call-level extracts: read with provenance, aggregated with the monthly return's definitions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.subjects.contact.calls import aggregate_calls, find_extract, read_calls
from pcp_lib.subjects.contact.synthetic import synthetic_calls

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "contact"


def test_aggregate_calls_matches_hand_checked_extract():
    got = aggregate_calls(read_calls(FIX / "calls_small.csv"))
    want = pd.read_csv(FIX / "calls_small.expected.csv", dtype={"channel": str, "asa_s": str})
    assert len(got) == len(want)
    for g, w in zip(got.to_dict("records"), want.to_dict("records"), strict=True):
        assert f"{g['month']:%Y-%m}" == w["month"] and g["channel"] == w["channel"]
        for c in ("offered", "answered", "answered_10s", "answered_2min", "answered_15min", "abandoned"):
            assert g[c] == w[c], (w["month"], w["channel"], c)
        assert g["asa_s"] == Decimal(w["asa_s"])


def test_extract_carries_its_file_provenance():
    prov = provenance_of(read_calls(FIX / "calls_small.csv"))
    assert prov.names == ("calls_small.csv",) and not prov.synthetic


def test_find_extract_prefers_parquet_and_says_none(tmp_path):
    assert find_extract(tmp_path) is None and find_extract(None) is None
    (tmp_path / "contact_calls.csv").write_text("x\n")
    assert find_extract(tmp_path) == tmp_path / "contact_calls.csv"
    (tmp_path / "contact_calls.parquet").write_bytes(b"")
    assert find_extract(tmp_path) == tmp_path / "contact_calls.parquet"


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
    calls = synthetic_calls(date(2025, 10, 30), days=3, seed=7, data_dir=FIXTURE_DATA)
    calls.attrs.clear()  # Parquet cannot store a Provenance record in its metadata
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


def test_the_filled_excel_template_reads_as_the_csv(tmp_path):
    """contact_calls.xlsx (the template new-quarter writes, filled in) is read, after .parquet and
    .csv, and gives the same calls and the same monthly return as the CSV."""
    import csv

    from openpyxl import Workbook

    src = Path(__file__).resolve().parents[2] / "fixtures" / "contact" / "calls_small.csv"
    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    with src.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    wb.save(tmp_path / "contact_calls.XLSX")
    found = find_extract(tmp_path)
    assert found == tmp_path / "contact_calls.XLSX"
    from_excel, from_csv = read_calls(found), read_calls(src)
    pd.testing.assert_frame_equal(aggregate_calls(from_excel), aggregate_calls(from_csv))
    assert list(from_excel["call_id"]) == list(from_csv["call_id"])
