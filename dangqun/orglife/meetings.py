"""What orglife reads of the activities app, in one place: meetings, sign-in, records, photos.

Sign-in comes from `activities.selectors.records.sign_in_sheet` (the scan log); attendance counts
from `activities.selectors.records.attendance`; the meeting record and its photos from
`record_of` / `photos_of` there, which check no permission (a cadre reading their own 纪实 at a
contact point holds no activity permission there: orglife's own scope rules apply).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from dangqun.activities.enums import ActivityStatus, RecordStatus, ScanMethod
from dangqun.activities.models import Activity, MeetingRecord, RecordAttachment
from dangqun.activities.selectors import records
from dangqun.activities.selectors.records import attendance, sign_in_sheet
from dangqun.core import rules
from dangqun.orglife import rules as keys

HELD_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED)


@dataclass(frozen=True)
class SignIn:
    at: datetime
    method: str
    method_label: str


def sign_in_of(activity: Activity, person_id: int) -> SignIn | None:
    """The person's admitted sign-in at the meeting, from the scan log; None when there is none."""
    for row in sign_in_sheet(activity):
        if row.person_id == person_id:
            label = str(ScanMethod(row.method).label) if row.method in ScanMethod.values else row.method
            return SignIn(at=row.signed_in_at, method=row.method, method_label=label)
    return None


def signed_in_activity_ids(person_id: int, activity_ids: list[int]) -> set[int]:
    """Of these meetings, those the person signed in at (one query, for lists)."""
    from dangqun.activities.models import Registration

    return set(
        Registration.objects.filter(
            activity_id__in=activity_ids, person_id=person_id, checked_in_at__isnull=False
        ).values_list("activity_id", flat=True)
    )


def record_of(activity: Activity) -> MeetingRecord | None:
    return records.record_of(activity)


def photos_of(record: MeetingRecord | None) -> list[RecordAttachment]:
    return list(records.photos_of(record))


def record_is_recorded(record: MeetingRecord | None) -> bool:
    return record is not None and record.status in (RecordStatus.SUBMITTED, RecordStatus.APPROVED)


def counts_of(activity: Activity, record: MeetingRecord | None) -> tuple[int | None, int | None]:
    """(应到, 实到): the submitted record's snapshot when there is one, else computed now."""
    if record is not None and record.present_total is not None:
        present = record.present_total
    else:
        present = None
    seen = attendance(activity, record)
    expected = len(seen.expected_ids - seen.excused_ids)
    return expected, present if present is not None else seen.present_total


def meeting_day(activity: Activity) -> date:
    return timezone.localtime(activity.starts_at).date()


def requires_report(activity: Activity) -> bool:
    """Whether the rule set names this meeting's type (default: 组织生活会)."""
    types = rules.value(keys.REPORT_MEETING_TYPES, on=meeting_day(activity), org_path=activity.org_path)
    return activity.activity_type_id in set(types or [])


def meetings_at(paths: list[str], start: date, end: date) -> QuerySet[Activity]:
    """Published or held meetings (三会一课 types) organized exactly at these nodes, in [start, end]."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    until = datetime.combine(end, datetime.max.time(), tzinfo=tz)
    return (
        Activity.objects.filter(
            org_path__in=paths,
            activity_type__is_meeting=True,
            status__in=HELD_STATUSES,
            starts_at__gte=since,
            starts_at__lte=until,
        )
        .select_related("activity_type", "organization")
        .order_by("starts_at", "id")
    )
