"""Weekly hours as data: {"mon": ["09:00", "21:00"], …}; a missing or empty day is closed.

Used for a center's opening hours and a space's bookable hours (empty = the center's hours). A
space can only be booked where both are open, on one local day (no overnight bookings).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.centers.enums import WEEKDAY_LABELS, WEEKDAYS
from dangqun.core.errors import DomainError

DAY_RANGE_DAYS = 3660  # a day asked for more than ten years from today is a typo or a probe


def day_in_range(day: date, today: date | None = None) -> bool:
    """Whether `day` is a day the calendar pages and the API should answer for."""
    today = today or timezone.localdate()
    return abs((day - today).days) <= DAY_RANGE_DAYS


_HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")

Window = tuple[time, time]


def _parse_time(text, *, field: str, day: str) -> time:
    match = _HHMM.match(str(text).strip()) if isinstance(text, str) else None
    if match is None:
        raise DomainError(
            "hours_invalid",
            _("%(day)s的时间“%(value)s”格式不正确，应为 HH:MM（如 09:00）。")
            % {"day": WEEKDAY_LABELS[day], "value": text},
            field=field,
        )
    return time(int(match.group(1)), int(match.group(2)))


def clean_weekly_hours(value, *, field: str) -> dict[str, list[str]]:
    """Normalise weekly hours; raises DomainError naming `field` and the day."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise DomainError("hours_invalid", _("时间表格式不正确。"), field=field)
    unknown = set(value) - set(WEEKDAYS)
    if unknown:
        raise DomainError(
            "hours_invalid",
            _("时间表中有未知的星期：%(keys)s。") % {"keys": "、".join(sorted(unknown))},
            field=field,
        )
    cleaned: dict[str, list[str]] = {}
    for day in WEEKDAYS:
        pair = value.get(day)
        if not pair:
            continue
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise DomainError(
                "hours_invalid",
                _("%(day)s应填写开始和结束两个时间。") % {"day": WEEKDAY_LABELS[day]},
                field=field,
            )
        opens, closes = (_parse_time(p, field=field, day=day) for p in pair)
        if closes <= opens:
            raise DomainError(
                "hours_invalid",
                _("%(day)s的结束时间 %(closes)s 必须晚于开始时间 %(opens)s。")
                % {"day": WEEKDAY_LABELS[day], "opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"},
                field=field,
            )
        cleaned[day] = [f"{opens:%H:%M}", f"{closes:%H:%M}"]
    return cleaned


def window_on(hours: dict, day: date) -> Window | None:
    """The (opens, closes) local times of `day`, or None when closed. `hours` must be clean."""
    pair = (hours or {}).get(WEEKDAYS[day.weekday()])
    if not pair:
        return None
    (oh, om), (ch, cm) = (map(int, p.split(":")) for p in pair)
    return time(oh, om), time(ch, cm)


def intersect(first: Window | None, second: Window | None) -> Window | None:
    if first is None or second is None:
        return None
    opens, closes = max(first[0], second[0]), min(first[1], second[1])
    return (opens, closes) if opens < closes else None


def bookable_window(center_hours: dict, space_hours: dict, day: date) -> Window | None:
    """Where a space may be booked on `day`: its own hours (or the center's) inside the center's."""
    center = window_on(center_hours, day)
    if not space_hours:
        return center
    return intersect(center, window_on(space_hours, day))


def local_bounds(day: date, window: Window) -> tuple[datetime, datetime]:
    """Aware datetimes (current time zone) of a window on a day."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(day, window[0]), tz),
        timezone.make_aware(datetime.combine(day, window[1]), tz),
    )


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Local midnight to the next local midnight."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    end = timezone.make_aware(datetime.combine(date.fromordinal(day.toordinal() + 1), time.min), tz)
    return start, end


def describe(hours: dict) -> list[tuple[str, str]]:
    """[(周一, 09:00–21:00 | 不开放)] for display."""
    rows = []
    for day in WEEKDAYS:
        pair = (hours or {}).get(day)
        rows.append((str(WEEKDAY_LABELS[day]), f"{pair[0]}–{pair[1]}" if pair else _("不开放")))
    return rows
