"""Provenance records: what a file is (from its sidecar note and folder), combining several,
attaching one to a table, and a clear error when a table carries none."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pcp_lib.core.provenance import (
    Provenance,
    attach,
    combine,
    files_read,
    generated,
    is_synthetic,
    of_file,
    provenance_of,
    reset_ledger,
    series_of,
    source_note,
)


def _file(root, rel: str, note: str | None = None):
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    if note is not None:
        p.with_name(p.name + ".source.txt").write_text(note, encoding="utf-8")
    return p


@pytest.mark.parametrize(("rel", "kind"), [
    ("data/published/contact_published.csv", "published"),
    ("data/derived/police_uk_counts.csv", "derived"),
    ("data/reference/population.csv", "reference"),
    ("data/quarters/2025-26-Q3/metric_values.csv", "return"),
    ("elsewhere/loose.csv", "reference"),
])
def test_of_file_kind_comes_from_the_folder(tmp_path, rel, kind):
    prov = of_file(_file(tmp_path, rel, "Source: a published paper, table 3."))
    assert prov.kind == kind and not prov.synthetic and prov.synthetic_files == ()
    assert prov.note == "Source: a published paper, table 3."


def test_a_synthetic_note_beats_the_folder_and_any_override(tmp_path):
    p = _file(tmp_path, "data/quarters/2025-26-Q3/contact_monthly.csv", "SYNTHETIC sample made by scripts/x.py, seed 1")
    assert is_synthetic(p) and source_note(p).startswith("SYNTHETIC")
    prov = of_file(p, kind="published", as_at=date(2025, 12, 31))
    assert prov.kind == "synthetic" and prov.synthetic and prov.synthetic_names == ("contact_monthly.csv",)
    assert prov.as_at == date(2025, 12, 31)


def test_kind_override_applies_to_real_data_and_a_missing_note_is_none(tmp_path):
    p = _file(tmp_path, "data/quarters/2025-26-Q3/metric_values.csv")
    assert source_note(p) is None and not is_synthetic(p)
    assert of_file(p, kind="published").kind == "published"


def test_files_are_shown_without_local_folders(tmp_path):
    prov = of_file(_file(tmp_path, "data/published/x.csv"))
    assert str(tmp_path) not in prov.files[0] and prov.files[0].endswith("published/x.csv")
    assert prov.names == ("x.csv",)


def test_combine_keeps_every_file_marks_synthetic_and_takes_the_oldest_date():
    real = Provenance(files=("data/published/a.csv",), kind="published", as_at=date(2025, 12, 31), note="A")
    sample = Provenance(files=("data/quarters/q/b.csv",), kind="synthetic", as_at=date(2025, 9, 30), note="B",
                        synthetic_files=("data/quarters/q/b.csv",))
    both = combine([real, sample, real])
    assert both.files == ("data/published/a.csv", "data/quarters/q/b.csv")
    assert both.kind == "synthetic" and both.synthetic_names == ("b.csv",)
    assert both.as_at == date(2025, 9, 30) and both.note == "A\nB"
    mixed = combine([real, Provenance(files=("r.csv",), kind="reference")])
    assert mixed.kind == "derived" and not mixed.synthetic and mixed.as_at == date(2025, 12, 31)
    assert combine([real, real]).kind == "published"
    with pytest.raises(ValueError, match="at least one"):
        combine([])


def test_generated_data_is_synthetic_and_noted_in_the_ledger():
    reset_ledger()
    prov = generated("simulated call records", "made by code with seed 7")
    assert prov.kind == "synthetic" and prov.synthetic_names == ("simulated call records",)
    assert files_read() == ["simulated call records"]
    reset_ledger()
    assert files_read() == []


def test_attach_and_provenance_of():
    prov = Provenance(files=("x.csv",), kind="reference")
    df = attach(pd.DataFrame({"a": [1]}), prov)
    assert provenance_of(df) is prov and provenance_of(prov) is prov
    assert provenance_of(df[["a"]]) == prov, "pandas carries attrs through a selection"


def test_provenance_of_a_table_without_one_is_a_clear_error():
    with pytest.raises(TypeError, match="carries no provenance record"):
        provenance_of(pd.DataFrame({"a": [1]}))
    with pytest.raises(TypeError, match="carries no provenance record"):
        provenance_of(pd.DataFrame({"a": [1]}).pipe(lambda d: d.attrs.update(provenance="x.csv") or d))


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind must be one of"):
        Provenance(files=(), kind="guessed")  # type: ignore[arg-type]


def test_a_series_stands_at_its_latest_quarter_a_mix_at_its_oldest_input():
    q2 = Provenance(files=("quarters/2025-26-Q2/x.csv",), kind="return", as_at=date(2025, 9, 30))
    q3 = Provenance(files=("quarters/2025-26-Q3/x.csv",), kind="return", as_at=date(2025, 12, 31))
    other = Provenance(files=("published/y.csv",), kind="published", as_at=date(2026, 1, 5))
    assert combine([q2, q3]).as_at == date(2025, 12, 31)
    assert combine([q3, other]).as_at == date(2025, 12, 31)
    # The series x stands at Q3 whether its quarters come one by one or already combined; the
    # table at the older of x (31/12/2025) and y (05/01/2026).
    assert combine([q2, q3, other]).as_at == date(2025, 12, 31)
    assert combine([combine([q2, q3]), other]).as_at == date(2025, 12, 31)


@pytest.mark.parametrize("old_ext, new_ext", [(".csv", ".xlsx"), (".xlsx", ".csv"), (".csv", ".XLSX")])
def test_a_return_sent_as_csv_then_excel_is_one_series(old_ext, new_ext):
    """Issue 21: csv then xlsx made a series stand at its oldest quarter (file names compared
    with their extensions)."""
    quarters = ["2023-24-Q4", "2024-25-Q1", "2025-26-Q3", "2025-26-Q4"]
    ends = [date(2024, 3, 31), date(2024, 6, 30), date(2025, 12, 31), date(2026, 3, 31)]
    parts = [Provenance(files=(f"quarters/{q}/contact_monthly{new_ext if i == len(quarters) - 1 else old_ext}",),
                        kind="return", as_at=end) for i, (q, end) in enumerate(zip(quarters, ends, strict=True))]
    assert combine(parts).as_at == date(2026, 3, 31)
    assert combine(reversed(parts)).as_at == date(2026, 3, 31), "the order given does not matter"
    other = Provenance(files=("quarters/2025-26-Q4/csp_spend.csv",), kind="return", as_at=date(2026, 3, 31))
    assert combine([*parts[:3], other]).as_at == date(2025, 12, 31), "two returns: the older one's latest"


def test_series_of_names_the_return_not_the_file():
    assert series_of("quarters/2025-26-Q3/csp_spend.csv") == series_of("quarters/2025-26-Q4/csp_spend.XLSX")
    assert series_of("published/csp_spend.csv") != series_of("quarters/2025-26-Q4/csp_spend.csv")
    assert series_of("simulated call records") == "simulated call records"
    assert series_of("contact_monthly.csv") == series_of("contact_monthly.xlsx") != series_of("contact_calls.csv")
