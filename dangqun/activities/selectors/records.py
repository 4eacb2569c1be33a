"""Reads on meeting records: sign-in sheet (from the scan log), attendance and quorum.

The orglife app reads meeting records through these functions (not the tables), so the reading
of "who should attend" and "who was present" stays in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.activities.enums import (
    AttachmentKind,
    Audience,
    Direction,
    ScanResult,
)
from dangqun.activities.models import Activity, MeetingRecord, RecordAttachment, ScanLog
from dangqun.activities.rules import excludable_absence_reasons
from dangqun.orgs.models import Organization
from dangqun.people.enums import MemberStatus
from dangqun.people.models import Person

STEPLEN = Organization.steplen


@dataclass(frozen=True)
class SignInRow:
    registration_id: int
    person_id: int | None
    name: str
    signed_in_at: datetime
    method: str
    signed_out_at: datetime | None


def sign_in_sheet(activity: Activity) -> list[SignInRow]:
    """Everyone admitted, in the order they signed in, read from the scan log (ok entries)."""
    scans = (
        ScanLog.objects.filter(activity=activity, result=ScanResult.OK)
        .select_related("registration")
        .order_by("server_time", "id")
    )
    entries: dict[int, ScanLog] = {}
    exits: dict[int, ScanLog] = {}
    for scan in scans:
        target = entries if scan.direction == Direction.ENTRY else exits
        target.setdefault(scan.registration_id, scan)
    rows = []
    for registration_id, scan in entries.items():
        registration = scan.registration
        exit_scan = exits.get(registration_id)
        rows.append(
            SignInRow(
                registration_id=registration_id,
                person_id=registration.person_id,
                name=registration.name,
                signed_in_at=registration.checked_in_at or scan.server_time,
                method=scan.method,
                signed_out_at=registration.checked_out_at if exit_scan is not None else None,
            )
        )
    rows.sort(key=lambda row: (row.signed_in_at, row.registration_id))
    return rows


def expected_members(activity: Activity) -> QuerySet[Person]:
    """Party members who should attend a meeting: its audience (the organizer and its 党小组, or
    the subtree). A 支委会 expects the committee: members with a party post (党内职务)."""
    path = activity.org_path
    scope = Q(org_path__under=path)
    if activity.audience != Audience.SUBTREE:
        scope = Q(org_path=path) | Q(
            org_path__under=path, organization__kind_id="group", organization__depth=len(path) // STEPLEN + 1
        )
    people = Person.objects.filter(scope, party_profile__isnull=False)
    if activity.activity_type_id == "branch_committee":
        people = people.exclude(party_profile__post="")
    return people


@dataclass
class Attendance:
    """Who should attend, who came; `voting_*` count 正式党员 only (预备党员 have no vote)."""

    expected_ids: set[int] = field(default_factory=set)
    voting_expected_ids: set[int] = field(default_factory=set)
    present_ids: set[int] = field(default_factory=set)
    present_total: int = 0
    excused_ids: set[int] = field(default_factory=set)  # absences not counted as expected

    @property
    def voting_should_attend(self) -> int:
        """Voting members who should attend, less the excused (ill, on duty, abroad)."""
        return len(self.voting_expected_ids - self.excused_ids)

    @property
    def voting_members(self) -> int:
        """Every voting member, excused or not: the base of membership votes (RULES.md §2.1)."""
        return len(self.voting_expected_ids)

    @property
    def voting_present(self) -> int:
        return len(self.voting_expected_ids & self.present_ids)

    @property
    def absent_ids(self) -> set[int]:
        return self.expected_ids - self.present_ids


def attendance(activity: Activity, record: MeetingRecord | None = None) -> Attendance:
    members = list(expected_members(activity).values_list("id", "party_profile__status"))
    present = list(
        activity.registrations.filter(checked_in_at__isnull=False).values_list("person_id", flat=True)
    )
    result = Attendance(
        expected_ids={pk for pk, _status in members},
        voting_expected_ids={pk for pk, status in members if status == MemberStatus.FORMAL},
        present_ids={pk for pk in present if pk is not None},
        present_total=len(present),
    )
    if record is not None and record.pk:
        result.excused_ids = set(
            record.absences.filter(
                counts_as_expected=False, reason__in=excludable_absence_reasons(activity.org_path)
            ).values_list("person_id", flat=True)
        )
    return result


def records_visible_to(user, perm: str = Perm.MANAGE_ACTIVITIES) -> QuerySet[MeetingRecord]:
    return MeetingRecord.objects.filter(permissions.scope_q(user, perm, "org_path")).select_related(
        "activity", "activity__activity_type", "activity__organization"
    )


def records_to_review(user) -> QuerySet[MeetingRecord]:
    """Submitted records of nodes strictly below the viewer's review_records grants."""
    paths = permissions.scope_paths(user, Perm.REVIEW_RECORDS)
    if not paths:
        return MeetingRecord.objects.none()
    q = Q()
    for path in paths:
        q |= Q(org_path__under=path) & ~Q(org_path=path)
    return (
        MeetingRecord.objects.filter(q, status="submitted")
        .select_related("activity", "activity__activity_type", "activity__organization")
        .order_by("submitted_at", "id")
    )


def record_for(user, activity: Activity) -> MeetingRecord | None:
    """The record of an activity the viewer may see (manage or review on its node), else 404."""
    if not (
        permissions.has_perm(user, Perm.MANAGE_ACTIVITIES, activity.org_path)
        or permissions.has_perm(user, Perm.REVIEW_RECORDS, activity.org_path)
    ):
        raise Http404
    return MeetingRecord.objects.filter(activity=activity).first()


def record_of(activity: Activity) -> MeetingRecord | None:
    """The meeting record of `activity`, or None (no permission check: callers check scope)."""
    return MeetingRecord.objects.filter(activity_id=activity.pk).select_related("activity").first()


def photos_of(record: MeetingRecord | None) -> QuerySet[RecordAttachment]:
    """The record's photos (validated, EXIF stripped at upload), in upload order."""
    if record is None or record.pk is None:
        return RecordAttachment.objects.none()
    return RecordAttachment.objects.filter(record=record, kind=AttachmentKind.PHOTO).order_by("id")
