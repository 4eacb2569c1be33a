"""Promised handling times: hours on the clock, or working days (weekends and configured holidays
skipped, 调休 working weekends counted). Deadlines fall at the end of the day, Asia/Shanghai."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dangqun.core import rules
from dangqun.servicedesk import rules as keys
from dangqun.servicedesk.enums import PromiseUnit


def _date_set(key: str, on: date, org_path: str) -> set[date]:
    found = set()
    for raw in rules.value(key, on=on, org_path=org_path) or []:
        try:
            found.add(date.fromisoformat(str(raw)))
        except ValueError:
            continue
    return found


def is_working_day(day: date, *, holidays: set[date], makeup: set[date]) -> bool:
    if day in makeup:
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, *, org_path: str = "") -> date:
    """The `days`-th working day after `start` (the day of filing does not count)."""
    holidays = _date_set(keys.HOLIDAYS, start, org_path)
    makeup = _date_set(keys.MAKEUP_WORKDAYS, start, org_path)
    day = start
    left = max(days, 0)
    while left:
        day += timedelta(days=1)
        if is_working_day(day, holidays=holidays, makeup=makeup):
            left -= 1
    return day


def end_of_day(day: date) -> datetime:
    tz = timezone.get_default_timezone()
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz)


def deadline(start: datetime, value: int | None, unit: str, *, org_path: str = "") -> datetime:
    """When a promise of `value` `unit` made at `start` runs out (the rule default when unset)."""
    if not value:
        value = int(
            rules.value(keys.DEFAULT_PROMISE_WORKING_DAYS, on=timezone.localdate(start), org_path=org_path)
        )
        unit = PromiseUnit.WORKING_DAYS
    if unit == PromiseUnit.HOURS:
        return start + timedelta(hours=value)
    local = timezone.localtime(start).date()
    return end_of_day(add_working_days(local, value, org_path=org_path))
