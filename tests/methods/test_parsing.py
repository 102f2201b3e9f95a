from decimal import Decimal

import pytest

from pcp_lib.methods.parsing import (
    excel_decimal,
    is_placeholder,
    money,
    percent_text,
    to_decimal,
    to_yes_no,
)
from pcp_lib.methods.units import fmt_money


@pytest.mark.parametrize("raw,expected", [
    ("65.9%", Decimal("65.9")), ("11,545", Decimal("11545")), ("200,000", Decimal("200000")),
    ("0.0017", Decimal("0.0017")), ("56.60%", Decimal("56.60")), (7.6, Decimal("7.6")), (3575, Decimal(3575)),
])
def test_published_numbers_parse_exactly(raw, expected):
    assert to_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["", None, "  ", float("nan")])
def test_blank_is_missing_not_zero(raw):
    assert to_decimal(raw) is None


@pytest.mark.parametrize("raw", ["12,3a%", "1,23", "abc", "5 %%", "£5"])
def test_malformed_numbers_are_rejected(raw):
    with pytest.raises(ValueError):
        to_decimal(raw)


def test_money_accepts_published_forms_and_keeps_pence():
    assert money("£271,818.47") == Decimal("271818.47")
    assert money("1234.56") == Decimal("1234.56")
    assert money("Nil") == Decimal("0.00")
    with pytest.raises(ValueError):
        money("£1.234")
    assert fmt_money(Decimal("35326.00")) == "£35,326.00"
    assert fmt_money(Decimal("0"), nil=True) == "Nil"


def test_yes_no():
    assert to_yes_no("Y") is True and to_yes_no("n") is False and to_yes_no("") is None
    with pytest.raises(ValueError):
        to_yes_no("maybe")


def test_excel_floats_mean_what_excel_shows():
    assert excel_decimal(12345.670000000002) == Decimal("12345.67") and money(12345.670000000002) == Decimal("12345.67")
    assert excel_decimal(0.1 + 0.2) == Decimal("0.3") and excel_decimal(7.6) == Decimal("7.6")
    assert percent_text(0.659) == "65.9%" and percent_text(1.659) == "165.9%"
    with pytest.raises(ValueError):
        money(12345.674)  # a real fraction of a penny is not residue


def test_placeholders():
    assert is_placeholder("TBC") and is_placeholder("[enter value]") and is_placeholder(" xxx ")
    assert not is_placeholder("value") and not is_placeholder("0") and not is_placeholder(5)
