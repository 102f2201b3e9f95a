"""The agreed RAG rule: boundaries, strings, zero baselines, missing values."""

from decimal import Decimal

import pytest
from conftest import FIXTURE_DATA

from pcp_lib.methods import rag
from pcp_lib.methods.rag import Band, Bands
from pcp_lib.reference.rag_bands import load_bands

# the agreed bands, as the tests' own copy of the reference table (tests/fixtures/data/reference)
BANDS = load_bands(FIXTURE_DATA)


def assess(*args, **kwargs) -> rag.Assessment:
    """The rule with the agreed bands."""
    return rag.assess(*args, bands=BANDS, **kwargs)


def test_exactly_minus_2pp_is_within_and_amber():
    # 19.0% -> 17.0%: exactly -2.0pp, on the boundary, which is inside the range.
    a = assess("Increase", "19.0%", "17.0%", "percent")
    assert (a.rag, a.direction, a.within_tolerance) == ("Amber", "↔", True)
    assert a.change == Decimal("-2.0")


def test_just_past_2pp_is_outside():
    a = assess("Increase", "19.0%", "16.9%", "percent")
    assert (a.rag, a.direction) == ("Red", "↓")


def test_exactly_plus_5_percent_is_within_and_amber():
    a = assess("Increase", 100, 105, "count")
    assert (a.rag, a.within_tolerance) == ("Amber", True)
    assert a.pct_change == Decimal(5)


def test_shoplifting_7_6_to_8_0_on_a_decrease_target_is_red():
    # +0.4 / 7.6 = +5.26%: outside ±5%, against "Decrease".
    a = assess("Decrease", "7.6", "8.0", "rate_per_1000")
    assert (a.rag, a.direction, a.within_tolerance) == ("Red", "↑", False)
    assert "5.3%" in a.reason and "outside" in a.reason


def test_float_inputs_are_read_by_their_digits():
    # 0.1 + 0.2 style float noise must not move a boundary: 2.0 -> 2.1 is exactly +5%.
    assert assess("Decrease", 2.0, 2.1, "value").within_tolerance is True


def test_reason_reads_like_the_example():
    a = assess("Decrease", "7.60", "7.42", "rate_per_1000")
    assert a.reason == "Fell 2.4% (7.60 → 7.42), within the agreed ±5% range."


def test_percent_change_and_pp_change_are_different():
    a = assess("Increase", "65.9%", "72.2%", "percent")
    assert a.change == Decimal("6.3")  # percentage points
    assert round(a.pct_change, 2) == Decimal("9.56")  # relative per cent
    assert "6.3pp" in a.reason


def test_increase_or_maintain_within_range_is_green():
    a = assess("Increase or maintain", 664, 680, "count")  # +2.4%
    assert (a.rag, a.direction) == ("Green", "↔")


def test_baseline_zero():
    assert assess("Increase", 0, 0, "count").rag == "Amber"
    a = assess("Increase", 0, 3, "count")
    assert (a.rag, a.direction, a.pct_change, a.within_tolerance) == ("Green", "↑", None, False)
    assert assess("Decrease", 0, 3, "count").rag == "Red"


def test_yes_no():
    assert assess("Completed Y/N", "Y", "Y", "yes_no").rag == "Green"
    assert assess("Completed Y/N", "Y", "N", "yes_no").rag == "Red"


@pytest.mark.parametrize("baseline,latest,which", [("", "5", "baseline is"), ("5", None, "latest figure is"),
                                                   (None, "", "baseline and latest figures are")])
def test_missing_values_are_no_data_and_say_which(baseline, latest, which):
    a = assess("Decrease", baseline, latest, "count")
    assert a.rag == "No data" and which in a.reason


def test_tolerance_override():
    # 100 -> 108 is +8%: Red by default against Decrease, Amber with a ±10% metric tolerance.
    assert assess("Decrease", 100, 108, "count").rag == "Red"
    assert assess("Decrease", 100, 108, "count", tolerance="10").rag == "Amber"


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="12,3a%"):
        assess("Increase", "12,3a%", "5", "percent")
    with pytest.raises(ValueError, match="unknown unit"):
        assess("Increase", 1, 2, "pcent")
    with pytest.raises(ValueError, match="unknown target"):
        assess("Go up", 1, 2, "count")


def test_reason_rounds_half_up_like_every_figure():
    # 0.8 -> 0.71 is exactly -11.25%: half up (away from zero) gives 11.3, as the change column does.
    assert assess("Decrease", "0.8", "0.71", "rate_per_1000").reason.startswith("Fell 11.3% (0.8 → 0.71)")



def test_the_shipped_bands_are_the_papers():
    # Plan Delivery Update para 8: "+/- 5% or +/- 2pp"
    assert BANDS.by_unit["percent"] == Band(Decimal(2), "pp")
    assert {BANDS.by_unit[u] for u in ("count", "rate_per_1000", "value")} == {Band(Decimal(5), "%")}


def test_a_changed_band_is_the_rule_and_its_words():
    wide = Bands({**BANDS.by_unit, "count": Band(Decimal("7.5"), "%"), "percent": Band(Decimal(3), "pp")})
    a = rag.assess("Decrease", 100, 107, "count", bands=wide)
    assert (a.rag, a.band) == ("Amber", "±7.5%") and "within the agreed ±7.5% range" in a.reason
    b = rag.assess("Increase", "19.0%", "16.5%", "percent", bands=wide)
    assert (b.rag, b.band) == ("Amber", "±3pp")
    text = " ".join(rag.rule_text(wide))
    assert "±3pp (percentage points) for percentages" in text and "±7.5% (relative change) for counts" in text
    assert "19.0% → 16.0%, exactly -3pp" in text
    assert "±2" not in text


def test_the_ranges_in_brief_for_the_front_page():
    assert rag.ranges_text(BANDS, brief=True) == "±2pp for percentages, ±5% for everything else"
    assert rag.ranges_text(BANDS) in " ".join(rag.rule_text(BANDS)), "one sentence of the ranges, in both"
    wide = Bands({**BANDS.by_unit, "count": Band(Decimal("7.5"), "%")})
    assert rag.ranges_text(wide, brief=True) == ("±2pp for percentages, ±7.5% for counts, ±5% for everything else")
    same = Bands({u: Band(Decimal(5), "%") for u in BANDS.by_unit})
    assert rag.ranges_text(same, brief=True) == "±5% for every figure"


def test_a_unit_without_a_band_is_an_error():
    with pytest.raises(ValueError, match="no agreed band for unit 'count'"):
        rag.assess("Decrease", 1, 2, "count", bands=Bands({}))
