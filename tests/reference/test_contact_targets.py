"""Contact targets are reference data, read by one loader with provenance."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.reference.contact_targets import load_targets


def test_targets_are_reference_data():
    t = load_targets(FIXTURE_DATA).set_index(["channel", "measure"])
    assert t.loc[("999", "answered_10s"), "target_pct"] == Decimal(90)
    assert t.loc[("999", "answered_10s"), "scope"] == "national"
    assert t.loc[("101", "answered_15min"), "threshold_s"] == 900
    assert t.loc[("101", "abandoned"), "direction"] == "below"
    assert ("101", "answered_2min") not in t.index  # the published 101 measure has no target
    assert t["source"].str.contains("001_b24730b53cda192b.txt").all()


def test_targets_carry_provenance():
    prov = provenance_of(load_targets(FIXTURE_DATA))
    assert prov.kind == "reference" and prov.files == ("reference/contact_targets.csv",)
    assert not prov.synthetic


def test_bad_target_is_a_clear_error(tmp_path):
    (tmp_path / "reference").mkdir()
    text = (FIXTURE_DATA / "reference" / "contact_targets.csv").read_text(encoding="utf-8")
    (tmp_path / "reference" / "contact_targets.csv").write_text(text.replace(",at_least,90,", ",at_least,190,", 1),
                                                              encoding="utf-8")
    with pytest.raises(DataError, match=r"contact_targets.csv, row 2, column 'target_pct'"):
        load_targets(tmp_path)
