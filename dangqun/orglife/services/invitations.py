"""A cadre is invited (列席) to the branch meetings of the 基层党建联系点 he guides.

The activities app decides who may register and sign in (`person_may_attend`: the audience, or an
`Invitation`). A contact point's branch meeting is a branch meeting (audience: the branch), so the
cadre is invited through `dangqun.activities.services.invite_person`, with the reason
“基层党建联系点”:

- when a contact point is assigned for a year: to every published meeting of that branch in the
  year that has not ended yet;
- when a meeting of that branch is published (or created published, or moved) while an
  assignment for the meeting's year is in force (a post_save receiver, see receivers.py).

Revoking a contact point takes back the invitations (with this reason) to its meetings that have
not started yet; those of meetings already held stay, like the cadre's 纪实.

The invitation is made by the system (actor None): the department that assigns contact points
does not manage the branch's activities; the assignment itself is audited with its actor.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dangqun.activities.enums import ActivityStatus
from dangqun.activities.models import Activity, Invitation
from dangqun.activities.services import invite_person, revoke_invitation
from dangqun.orglife import meetings
from dangqun.orglife.models import ContactPoint

# Stored as data on the invitation (the activities app shows it), like the rule texts.
REASON = "基层党建联系点"


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def branch_meetings(point: ContactPoint, *, now: datetime) -> QuerySet[Activity]:
    """Published meetings (三会一课 types) held by the contact point's branch in its year, not ended."""
    since, until = _year_bounds(point.year)
    return Activity.objects.filter(
        org_path=point.branch_path,
        activity_type__is_meeting=True,
        status=ActivityStatus.PUBLISHED,
        starts_at__gte=since,
        starts_at__lt=until,
        ends_at__gt=now,
    ).order_by("starts_at", "id")


@transaction.atomic
def invite_to_branch_meetings(point: ContactPoint, *, now: datetime | None = None) -> int:
    """Invite the cadre to the branch's coming meetings of the point's year; the number invited."""
    now = now or timezone.now()
    if point.revoked_at is not None:
        return 0
    invited = 0
    for activity in branch_meetings(point, now=now):
        if not Invitation.objects.filter(activity=activity, person_id=point.cadre_id).exists():
            invite_person(actor=None, activity=activity, person=point.cadre, reason=REASON)
            invited += 1
    return invited


@transaction.atomic
def withdraw_from_branch_meetings(point: ContactPoint, *, now: datetime | None = None) -> int:
    """Take back this reason's invitations to the branch's meetings that have not started yet."""
    now = now or timezone.now()
    still = ContactPoint.objects.filter(
        cadre_id=point.cadre_id, branch_path=point.branch_path, year=point.year, revoked_at__isnull=True
    ).exists()
    if still:  # assigned again meanwhile
        return 0
    withdrawn = 0
    for activity in branch_meetings(point, now=now).filter(starts_at__gt=now):
        invitation = Invitation.objects.filter(activity=activity, person_id=point.cadre_id).first()
        if invitation is None or invitation.reason != REASON:
            continue
        if revoke_invitation(actor=None, activity=activity, person=point.cadre, reason=REASON):
            withdrawn += 1
    return withdrawn


def invite_contact_cadres(activity: Activity) -> int:
    """A meeting of a branch was published: invite the cadres whose contact point it is that year.

    One indexed query when the branch is nobody's contact point (the common case)."""
    if activity.status != ActivityStatus.PUBLISHED:
        return 0
    points = list(
        ContactPoint.objects.filter(
            branch_path=activity.org_path, year=meetings.meeting_day(activity).year, revoked_at__isnull=True
        )
        .select_related("cadre")
        .order_by("id")
    )
    if not points or not activity.activity_type.is_meeting:
        return 0
    invited = 0
    with transaction.atomic():
        for point in points:
            if Invitation.objects.filter(activity_id=activity.pk, person_id=point.cadre_id).exists():
                continue
            invite_person(actor=None, activity=activity, person=point.cadre, reason=REASON)
            invited += 1
    return invited
