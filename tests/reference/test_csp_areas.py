"""The CSP reference list: one loader (with a schema and provenance), names and aliases, and
the local authority -> CSP lookup the crime page uses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.core.errors import DataError
from pcp_lib.core.provenance import provenance_of
from pcp_lib.reference import csp_areas


def test_areas_reference_and_aliases():
    names = csp_areas.area_names()
    assert len(names) == 9
    for alias, canon in [("SNWLP", "Safer North West Leicestershire Partnership"),
                         ("NWL", "Safer North West Leicestershire Partnership"), ("Melton Mowbray", "Melton"),
                         ("Leicester City", "Leicester"), ("hinckley & bosworth", "Hinckley and Bosworth")]:
        assert csp_areas.canonical(alias) == canon
    with pytest.raises(ValueError, match="nine CSP areas"):
        csp_areas.canonical("Loughborough")
    assert {a.la_code for a in csp_areas.load_areas(FIXTURE_DATA)} >= {"E06000016", "E06000017"}
    assert csp_areas.short_names()["Melton"] == "Melton Mowbray"


def test_the_table_carries_its_provenance():
    df = csp_areas.areas_table(FIXTURE_DATA)
    prov = provenance_of(df)
    assert prov.kind == "reference" and prov.names == ("csp_areas.csv",) and not prov.synthetic
    assert list(df["csp_area"]) == list(csp_areas.area_names())


def test_lookup_from_local_authority_to_csp():
    lookup = csp_areas.csp_lookup(FIXTURE_DATA)
    assert len(lookup) == 9
    assert lookup["North West Leicestershire"] == "Safer North West Leicestershire Partnership"
    assert lookup["Leicester"] == "Leicester" and lookup["Melton"] == "Melton"


def _copy_reference(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE_DATA / "reference", tmp_path / "reference")
    return tmp_path / "reference" / "csp_areas.csv"


def test_a_name_or_authority_given_to_two_csps_is_an_error(tmp_path):
    path = _copy_reference(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Charnwood CSP;", "Charnwood CSP;SNWLP;", 1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        csp_areas.areas_table(tmp_path)
    assert "row 3" in str(exc.value) and "'SNWLP'" in str(exc.value) and "one CSP only" in str(exc.value)
    path.write_text(text.replace(",Rutland,E06000017", ",Melton,E06000017"), encoding="utf-8")
    with pytest.raises(DataError, match="each local authority in one CSP only"):
        csp_areas.csp_lookup(tmp_path)


def test_a_bad_reference_file_names_file_row_and_column(tmp_path):
    path = _copy_reference(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(",E07000130,", ",,", 1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        csp_areas.load_areas(tmp_path)
    assert "csp_areas.csv" in str(exc.value) and "row 3" in str(exc.value) and "'la_code'" in str(exc.value)
