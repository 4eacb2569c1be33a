"""Calendar periods of the compliance rules: months, quarters, years (local dates, Asia/Shanghai)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from dangqun.activities.enums import Period
from dangqun.core.dates import add_months

_MONTHS = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}


@dataclass(frozen=True)
class Span:
    """[start, end) in whole days; `end` is the first day after the period."""

    period: str
    start: date

    @property
    def end(self) -> date:
        return add_months(self.start, _MONTHS[self.period])

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def months(self) -> list[date]:
        return [add_months(self.start, i) for i in range(_MONTHS[self.period])]

    @property
    def label(self) -> str:
        if self.period == Period.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.period == Period.QUARTER:
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def next(self) -> Span:
        return Span(self.period, self.end)

    def previous(self) -> Span:
        return Span(self.period, add_months(self.start, -_MONTHS[self.period]))


def month_start(day: date) -> date:
    return day.replace(day=1)


def local_month(moment: datetime) -> date:
    return month_start(timezone.localtime(moment).date())


def span_of(period: str, day: date) -> Span:
    if period == Period.MONTH:
        return Span(period, day.replace(day=1))
    if period == Period.QUARTER:
        return Span(period, date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
    if period == Period.YEAR:
        return Span(period, date(day.year, 1, 1))
    raise ValueError(period)


def spans_within(period: str, outer: Span) -> list[Span]:
    """The spans of `period` that overlap `outer` (a year rule inside a quarter → the year)."""
    spans = []
    span = span_of(period, outer.start)
    while span.start < outer.end:
        spans.append(span)
        span = span.next()
    return spans


def parse_span(text: str | None, *, today: date) -> Span:
    """ "2026-Q2", "2026", "2026-05" → a span; anything else → the current quarter."""
    text = (text or "").strip().upper()
    try:
        if len(text) == 7 and text[4] == "-" and text[5] == "Q" and text[6] in "1234":
            return Span(Period.QUARTER, date(int(text[:4]), (int(text[6]) - 1) * 3 + 1, 1))
        if len(text) == 4 and text.isdigit():
            return Span(Period.YEAR, date(int(text), 1, 1))
        if len(text) == 7 and text[4] == "-" and text[5:].isdigit() and 1 <= int(text[5:]) <= 12:
            return Span(Period.MONTH, date(int(text[:4]), int(text[5:]), 1))
    except ValueError:
        pass
    return span_of(Period.QUARTER, today)


def span_param(span: Span) -> str:
    if span.period == Period.QUARTER:
        return f"{span.start.year}-Q{(span.start.month - 1) // 3 + 1}"
    if span.period == Period.YEAR:
        return str(span.start.year)
    return f"{span.start.year}-{span.start.month:02d}"
