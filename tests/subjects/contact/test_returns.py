"""The monthly contact return: schema checks, the one quarterly loader, the committed sample."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.io.schema import read_table
from pcp_lib.subjects.contact.returns import CONTACT_MONTHLY, load_monthly

HEADER = "month,channel,offered,answered,answered_10s,answered_2min,answered_15min,abandoned,asa_s\n"


def test_series_is_every_quarter_file_with_provenance_and_quarter_labels():
    monthly = load_monthly("2025-26 Q3", FIXTURE_DATA)
    assert len(monthly) == 24 * 3
    assert monthly["quarter"].iloc[-1] == "Q3 2025/26" and monthly["quarter"].iloc[0] == "Q4 2023/24"
    prov = provenance_of(monthly)
    assert len(prov.files) == 8 and prov.synthetic and prov.synthetic_names == ("contact_monthly.csv",)
    assert str(monthly["offered"].dtype) == "Int64"


def _bad(tmp_path: Path, body: str) -> str:
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
    with pytest.raises(DataError, match=r"row 2, column 'month': expected a month in Q3 2025/26"):
        load_monthly("2025-26 Q3", data_dir=tmp_path)


def test_monthly_rejects_a_month_sent_twice(tmp_path):
    for slug, month in (("2025-26-Q2", "2025-09"), ("2025-26-Q3", "2025-10")):
        folder = tmp_path / "quarters" / slug
        folder.mkdir(parents=True)
        (folder / "contact_monthly.csv").write_text(HEADER + f"{month},online,10,,,,,,\n{month},online,12,,,,,,\n",
                                                    encoding="utf-8")
    with pytest.raises(DataError, match="one row per month, channel"):
        load_monthly("2025-26 Q3", data_dir=tmp_path)
