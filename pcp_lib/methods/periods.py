"""The OPCC's reporting periods: financial years (1 April to 31 March) and their quarters.

Q1 is April-June, Q2 July-September, Q3 October-December, Q4 January-March of the
following calendar year. So "Q3 2025/26" is October-December 2025 and "Q4 2025/26" is
January-March 2026. Every notebook and every folder of the pack is keyed by a ``Quarter``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import total_ordering

__all__ = ["EXAMPLE", "Quarter", "fy_label", "fy_start_year"]

EXAMPLE = '"2025-26 Q3" (or "2025/26 Q3", "Q3 2025/26", "2025-26-Q3")'

_YEAR = r"(?P<y1>\d{4})\s*[-/]\s*(?P<y2>\d{2}|\d{4})"
_Q = r"Q(?P<q>[1-4])"
_PATTERNS = [
    re.compile(rf"^{_YEAR}\s*[-\s]\s*{_Q}$", re.IGNORECASE),  # 2025-26 Q3, 2025-26-Q3
    re.compile(rf"^{_Q}\s+{_YEAR}$", re.IGNORECASE),  # Q3 2025/26
]


def fy_start_year(day: date) -> int:
    """The calendar year in which the financial year containing ``day`` starts."""
    return day.year if day.month >= 4 else day.year - 1


def fy_label(start_year: int) -> str:
    """"2025/26" for the financial year starting 1 April 2025."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


@total_ordering
@dataclass(frozen=True)
class Quarter:
    """A financial-year quarter. ``fy`` is the year the financial year starts (2025 for
    2025/26); ``q`` is 1-4."""

    fy: int
    q: int

    def __post_init__(self) -> None:
        if self.q not in (1, 2, 3, 4):
            raise ValueError(f"quarter number must be 1-4, got {self.q!r}")

    # ---- construction -------------------------------------------------------------
    @classmethod
    def parse(cls, text: str | Quarter) -> Quarter:
        """Read a quarter written the ways OPCC papers write it.

        Accepts "2025-26 Q3", "2025/26 Q3", "Q3 2025/26" and "2025-26-Q3" (the slug).
        Anything else raises ``ValueError`` quoting the text and showing an example.
        """
        if isinstance(text, Quarter):
            return text
        raw = str(text).strip() if text is not None else ""
        for pattern in _PATTERNS:
            m = pattern.match(raw)
            if not m:
                continue
            y1 = int(m["y1"])
            y2 = int(m["y2"])
            expected_y2 = (y1 + 1) % 100 if len(m["y2"]) == 2 else y1 + 1
            if y2 != expected_y2:
                break
            return cls(y1, int(m["q"]))
        raise ValueError(f"{text!r} is not a financial-year quarter; write it like {EXAMPLE}")

    @classmethod
    def containing(cls, day: date) -> Quarter:
        """The quarter a date falls in."""
        fy = fy_start_year(day)
        months_in = (day.month - 4) % 12
        return cls(fy, months_in // 3 + 1)

    # ---- properties ---------------------------------------------------------------
    @property
    def start(self) -> date:
        """First day of the quarter."""
        month = 4 + 3 * (self.q - 1)
        year = self.fy
        if month > 12:
            month -= 12
            year += 1
        return date(year, month, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter."""
        return self.next().start - timedelta(days=1)

    @property
    def months(self) -> list[date]:
        """First day of each of the quarter's three months."""
        s = self.start
        out = []
        for i in range(3):
            m = s.month + i
            y = s.year + (m - 1) // 12
            out.append(date(y, (m - 1) % 12 + 1, 1))
        return out

    @property
    def fy_label(self) -> str:
        return fy_label(self.fy)

    @property
    def label(self) -> str:
        """"Q3 2025/26": how papers name it."""
        return f"Q{self.q} {self.fy_label}"

    @property
    def slug(self) -> str:
        """"2025-26-Q3": used for folder names; sorts in time order."""
        return f"{self.fy}-{(self.fy + 1) % 100:02d}-Q{self.q}"

    @property
    def fy_start(self) -> date:
        return date(self.fy, 4, 1)

    @property
    def fy_end(self) -> date:
        return date(self.fy + 1, 3, 31)

    @property
    def month_names(self) -> str:
        """"October-December 2025"."""
        first, last = self.start, self.end
        if first.year == last.year:
            return f"{first:%B}-{last:%B %Y}"
        return f"{first:%B %Y}-{last:%B %Y}"

    # ---- arithmetic ---------------------------------------------------------------
    def _index(self) -> int:
        return self.fy * 4 + (self.q - 1)

    @classmethod
    def _from_index(cls, i: int) -> Quarter:
        return cls(i // 4, i % 4 + 1)

    def previous(self) -> Quarter:
        return self._from_index(self._index() - 1)

    def next(self) -> Quarter:
        return self._from_index(self._index() + 1)

    def year_earlier(self) -> Quarter:
        """The same quarter a year earlier: what each quarter is compared with."""
        return Quarter(self.fy - 1, self.q)

    def year_to_date(self) -> tuple[date, date]:
        """From 1 April of this financial year to the end of this quarter."""
        return self.fy_start, self.end

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Quarter):
            return NotImplemented
        return self._index() < other._index()

    def __str__(self) -> str:
        return self.label
