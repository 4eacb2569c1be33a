"""Reads on activities: staff lists in scope, public lists (anonymous: minimum fields), a member's
own registrations."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.activities.enums import ActivityStatus, Audience, RegistrationStatus
from dangqun.activities.models import Activity, Invitation, Registration

PUBLIC_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED)


def _with_relations(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    return queryset.select_related(
        "activity_type", "need_category", "organization", "space", "space__center", "series"
    )


def activities_visible_to(user, perm: str = Perm.MANAGE_ACTIVITIES) -> QuerySet[Activity]:
    """Activities of the subtrees where the viewer may manage activities."""
    return _with_relations(Activity.objects.filter(permissions.scope_q(user, perm, "org_path")))


def get_activity_for(user, pk, perm: str = Perm.MANAGE_ACTIVITIES) -> Activity:
    try:
        return activities_visible_to(user, perm).get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_activity_for_record(user, pk) -> Activity:
    """For record pages: managers of the node and reviewers above it."""
    q = permissions.scope_q(user, Perm.MANAGE_ACTIVITIES, "org_path") | permissions.scope_q(
        user, Perm.REVIEW_RECORDS, "org_path"
    )
    try:
        return _with_relations(Activity.objects.filter(q)).get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def public_activities() -> QuerySet[Activity]:
    return _with_relations(Activity.objects.filter(audience=Audience.PUBLIC, status__in=PUBLIC_STATUSES))


def get_public_activity(pk) -> Activity:
    try:
        return public_activities().get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def is_announced(pk) -> bool:
    """Published or finished (a draft or cancelled activity is not announced to anyone)."""
    return Activity.objects.filter(pk=pk, status__in=PUBLIC_STATUSES).exists()


def viewable_activity(user, pk) -> Activity:
    """The public page of an activity: public ones for anyone; members-only ones for their audience
    (and for staff in scope); drafts never."""
    from dangqun.activities.services.registrations import person_may_attend

    try:
        activity = _with_relations(
            Activity.objects.filter(status__in=PUBLIC_STATUSES + (ActivityStatus.CANCELLED,))
        ).get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if activity.audience == Audience.PUBLIC:
        return activity
    if user.is_authenticated:
        if permissions.has_perm(user, Perm.MANAGE_ACTIVITIES, activity.org_path):
            return activity
        person = getattr(user, "person", None)
        if person is not None and person_may_attend(activity, person):
            return activity
    raise Http404


def upcoming_for(user, *, start: datetime, end: datetime, center_id: int | None = None,
                 org_path: str | None = None) -> list[Activity]:  # fmt: skip
    """Published or finished activities between `start` and `end` that `user` may see: the public
    ones, and (logged in) those whose audience includes the viewer's person record."""
    from dangqun.activities.services.registrations import person_may_attend

    rows = _with_relations(
        Activity.objects.filter(status__in=PUBLIC_STATUSES, starts_at__lt=end, ends_at__gt=start)
    )
    if center_id is not None:
        rows = rows.filter(center_id=center_id)
    if org_path is not None:
        rows = rows.filter(org_path__under=org_path)
    person = getattr(user, "person", None) if user is not None and user.is_authenticated else None
    if person is None:
        return list(rows.filter(audience=Audience.PUBLIC).order_by("starts_at", "id")[:200])
    ancestors = [person.org_path[:i] for i in range(4, len(person.org_path) + 1, 4)]
    invited = Invitation.objects.filter(person=person).values("activity_id")
    candidates = rows.filter(
        Q(audience=Audience.PUBLIC) | Q(org_path__in=ancestors) | Q(pk__in=invited)
    ).order_by("starts_at", "id")
    return [a for a in candidates[:200] if a.audience == Audience.PUBLIC or person_may_attend(a, person)]


def my_registrations(user) -> QuerySet[Registration]:
    person = getattr(user, "person", None)
    if person is None:
        return Registration.objects.none()
    return (
        Registration.objects.filter(person=person)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("activity", "activity__organization", "activity__space", "activity__space__center")
        .order_by("-activity__starts_at", "-id")
    )


def registrations_of(activity: Activity) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(activity=activity)
        .select_related("person", "person__party_profile")
        .order_by("status", "waitlist_no", "id")
    )


def invitations_of(activity: Activity) -> QuerySet[Invitation]:
    """People invited to attend (列席) though outside the audience, in invitation order."""
    return (
        Invitation.objects.filter(activity=activity)
        .select_related("person", "person__organization")
        .order_by("id")
    )
