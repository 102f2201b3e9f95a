from datetime import date

import pytest

from pcp_lib.methods.periods import Quarter


@pytest.mark.parametrize("text", ["2025-26 Q3", "2025/26 Q3", "Q3 2025/26", "2025-26-Q3", " q3 2025/26 "])
def test_parse_accepts_published_forms(text):
    assert Quarter.parse(text) == Quarter(2025, 3)


def test_q3_is_october_to_december():
    q = Quarter.parse("2025-26 Q3")
    assert (q.start, q.end) == (date(2025, 10, 1), date(2025, 12, 31))
    assert q.label == "Q3 2025/26" and q.slug == "2025-26-Q3"
    assert q.months == [date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)]


def test_q4_is_january_to_march_of_next_calendar_year():
    q = Quarter.parse("2025-26 Q4")
    assert (q.start, q.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert Quarter.parse("2023-24 Q4").end == date(2024, 3, 31)


def test_previous_next_and_ordering():
    q = Quarter.parse("2025-26 Q1")
    assert q.previous() == Quarter(2024, 4)
    assert q.previous().next() == q
    assert q.year_earlier() == Quarter(2024, 1)
    assert sorted([Quarter(2025, 3), Quarter(2024, 4), Quarter(2025, 1)]) == [
        Quarter(2024, 4), Quarter(2025, 1), Quarter(2025, 3)]
    assert Quarter(2025, 3) > Quarter(2025, 2)


def test_containing():
    assert Quarter.containing(date(2026, 1, 5)) == Quarter(2025, 4)
    assert Quarter.containing(date(2025, 4, 1)) == Quarter(2025, 1)
    assert Quarter.containing(date(2025, 3, 31)) == Quarter(2024, 4)


@pytest.mark.parametrize("text", ["2025 Q3", "Q5 2025/26", "2025-27 Q3", "October 2025", "", "2025-26"])
def test_bad_text_is_a_clear_error(text):
    with pytest.raises(ValueError) as exc:
        Quarter.parse(text)
    assert repr(text) in str(exc.value) and "2025-26 Q3" in str(exc.value)
