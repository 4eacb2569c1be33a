"""Invitations: ask a person outside an activity's audience to attend (列席), and take it back.

Used by orglife: a leading cadre is invited to the branch meetings of the contact point he guides.
Attendance decisions read invitations through `registrations.person_may_attend`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dangqun.activities.enums import ActivityStatus
from dangqun.activities.models import Activity, Invitation
from dangqun.activities.services.common import clean_text, lock_activity, require_manage
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.people.models import Person


@transaction.atomic
def invite_person(*, actor, activity: Activity, person: Person, reason: str = "") -> Invitation:
    """Invite `person` to `activity` (actor must manage the activity; None is the system).

    Idempotent: inviting someone already invited returns the existing invitation unchanged.
    Refused for a cancelled activity and for a person whose record is closed.
    """
    activity = lock_activity(activity.pk)
    require_manage(actor, activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise DomainError("activity_cancelled", _("活动已取消，不能邀请。"), field="activity")
    if not isinstance(person, Person) or person.pk is None:
        raise DomainError("person_required", _("请选择被邀请人。"), field="person")
    reason = clean_text(reason, field="reason", label=_("邀请事由"), max_length=200)
    existing = Invitation.objects.filter(activity=activity, person=person).first()
    if existing is not None:
        return existing
    invitation = Invitation.objects.create(
        activity=activity,
        person=person,
        reason=reason,
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        "activities.invitation.created",
        actor=actor,
        obj=activity,
        org_path=activity.org_path,
        data={"person_id": person.pk, "name": person.name, "reason": reason},
    )
    return invitation


@transaction.atomic
def revoke_invitation(*, actor, activity: Activity, person: Person, reason: str = "") -> bool:
    """Take an invitation back; True if there was one. A registration already made stays
    (cancel it separately if needed)."""
    activity = lock_activity(activity.pk)
    require_manage(actor, activity)
    reason = clean_text(reason, field="reason", label=_("撤销原因"), max_length=200)
    deleted, _rows = Invitation.objects.filter(activity=activity, person_id=person.pk).delete()
    if deleted:
        audit.record(
            "activities.invitation.revoked",
            actor=actor,
            obj=activity,
            org_path=activity.org_path,
            data={"person_id": person.pk, "name": person.name, "reason": reason},
        )
    return bool(deleted)


def is_invited(activity: Activity, person: Person) -> bool:
    return Invitation.objects.filter(activity_id=activity.pk, person_id=person.pk).exists()
