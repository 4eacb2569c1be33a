"""Quarter arithmetic: bounds, deadlines and which quarter a date belongs to."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4 or not 2000 <= self.year <= 2100:
            raise ValueError("quarter out of range")

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        month = 3 * self.number
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def due_on(self, due_days: int) -> date:
        return self.last_day + timedelta(days=due_days)

    def opens_on(self, opens_days: int) -> date:
        return self.last_day - timedelta(days=opens_days)

    @property
    def label(self) -> str:
        return _("%(y)d 年第 %(q)d 季度") % {"y": self.year, "q": self.number}

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"


def parse(year, number) -> Quarter | None:
    """A Quarter from query-string values, or None when they are missing or absurd."""
    try:
        return Quarter(int(year), int(number))
    except (TypeError, ValueError):
        return None


def filing_quarter(today: date, opens_days: int | None = None) -> Quarter:
    """The quarter being filed today: this quarter once its filing window has opened, else the last."""
    if opens_days is None:
        from dangqun.core import rules
        from dangqun.orglife.rules import FILING_OPENS_DAYS

        opens_days = int(rules.value(FILING_OPENS_DAYS, on=today))
    current = Quarter.of(today)
    return current if today >= current.opens_on(opens_days) else current.previous()
