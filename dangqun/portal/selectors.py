"""Reads the public pages compose. Everything here returns the minimum a stranger may see.

The centers, service desk and activities apps own their data; this module only narrows their
models to what a phone or the kiosk shows (activities of a center this month, one public activity,
the viewer's own registration).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from dangqun.activities.enums import ActivityStatus
from dangqun.activities.models import Activity
from dangqun.activities.selectors.activities import upcoming_for
from dangqun.centers.hours import day_bounds, window_on
from dangqun.centers.models import ServiceCenter
from dangqun.people.models import Person

SHOWN_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED, ActivityStatus.CANCELLED)


def local_now() -> datetime:
    return timezone.localtime()


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _activities() -> QuerySet[Activity]:
    return Activity.objects.select_related("activity_type", "organization", "space", "center")


def center_activities(center: ServiceCenter, user, *, start: datetime, end: datetime) -> list[Activity]:
    """What `user` may see (the activities app decides: public ones for anyone, members-only ones
    for their audience) of the activities held at the center, or organized by the center's own
    organization without a venue, overlapping [start, end), soonest first."""
    here = upcoming_for(user, start=start, end=end, center_id=center.pk)
    own = [
        a
        for a in upcoming_for(user, start=start, end=end, org_path=center.org_path)
        if a.center_id is None and a.org_path == center.org_path
    ]
    return sorted(here + own, key=lambda a: (a.starts_at, a.pk))


@dataclass(frozen=True)
class CenterAgenda:
    today: list[Activity]
    month: list[Activity]  # after today, to the end of this month


def agenda(center: ServiceCenter, user=None, *, now: datetime | None = None) -> CenterAgenda:
    """Today's activities (still running or to come) and the rest of this month."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    tomorrow = day_bounds(today)[1]
    end = day_bounds(month_end(today))[1]
    rows = center_activities(center, user or AnonymousUser(), start=now, end=max(end, tomorrow))
    return CenterAgenda(
        today=[a for a in rows if a.starts_at < tomorrow],
        month=[a for a in rows if a.starts_at >= tomorrow and a.starts_at < end],
    )


def shown_activity(pk) -> Activity:
    """An activity that exists for the outside world (published, held or cancelled; never a
    draft), whoever its audience: its QR may hang on a meeting room's door."""
    try:
        return _activities().get(pk=pk, status__in=SHOWN_STATUSES)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def person_of(user) -> Person | None:
    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("organization").first()


def hours_today(center: ServiceCenter, day: date | None = None) -> tuple[str, str] | None:
    window = window_on(center.opening_hours, day or timezone.localdate())
    if window is None:
        return None
    return f"{window[0]:%H:%M}", f"{window[1]:%H:%M}"


def grouped_items(items) -> list[tuple[str, list]]:
    """Catalog items grouped by their 分类, groups in the order of their first item."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    return list(groups.items())


def week_days(first: date, days: int = 7) -> list[date]:
    return [first + timedelta(days=i) for i in range(days)]
