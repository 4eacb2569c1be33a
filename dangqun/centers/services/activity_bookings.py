"""An activity held in a center space reserves it: an ACCEPTED exclusive booking linked to the
activity, kept in step by the activities services (publish → reserve, edit → move, cancel → release).

The same guarantee as every other booking: the space lock and the overlap check of
services/bookings.py (`_locked_space`, `_insert_locked`, `_refusal`), so an activity can never take a
slot somebody else holds, and a booking can never take the activity's slot. A refusal is bookings'
SlotTaken (field `starts_at`, the nearest free slots in `suggestions`). Opening hours and the booking
window of public requests do not apply: the organizer decides when its activity takes place. Only
a center that serves the organizer (same subtree) or the center's own staff may reserve this way.

Callers run inside their own transaction (the activity's row is locked first); a refusal raised
here rolls back the whole change of the activity.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.centers.enums import ACTIVE_STATUSES, BookingMode, BookingStatus, Channel
from dangqun.centers.models import Booking
from dangqun.centers.services.bookings import (
    _Collided,
    _insert_locked,
    _locked_space,
    _Plan,
    _refusal,
    cancel_locked,
)
from dangqun.centers.services.common import may_manage
from dangqun.centers.services.requesters import Requester, actor_label, clean_requester
from dangqun.core.errors import DomainError

MODE = BookingMode.FREE_USE  # exclusive: the activity takes the space alone


def booking_of(activity) -> Booking | None:
    """The active booking that reserves the activity's space, if any."""
    return (
        Booking.objects.filter(activity_id=activity.pk, status__in=ACTIVE_STATUSES)
        .select_related("space", "space__center")
        .order_by("-id")
        .first()
    )


def _locked_bookings(activity) -> list[Booking]:
    return list(
        Booking.objects.select_for_update(of=("self",))
        .filter(activity_id=activity.pk, status__in=ACTIVE_STATUSES)
        .select_related("space", "space__center")
        .order_by("id")
    )


def _fields(actor, activity, space) -> dict:
    fields = clean_requester(
        actor=None,
        center=space.center,
        requester=Requester.of_organization(activity.organization),
        channel=Channel.SYSTEM,
    )
    if getattr(actor, "is_authenticated", False):
        fields["user"] = actor
    fields.update(
        purpose=(_("活动：%(t)s") % {"t": activity.title})[:200],
        status=BookingStatus.ACCEPTED,
        decided_at=timezone.now(),
        decided_by=fields["user"],
        decision_note=_("活动场地"),
        activity=activity,
        idempotency_key=None,
    )
    return fields


def _require_reach(actor, activity, space) -> None:
    """The booking is accepted at once, so only where the center serves the organizer (the center's
    organization is the organizer, above or below it) or for the center's own staff; anyone else
    asks the center through an ordinary booking request."""
    center_path, org_path = space.center.org_path, activity.org_path
    if org_path.startswith(center_path) or center_path.startswith(org_path) or may_manage(actor, center_path):
        return
    raise DomainError(
        "space_out_of_reach",
        _("“%(s)s”属于“%(c)s”，不为本组织安排活动；请先向该服务中心预约场地，再以文字填写地点。")
        % {"s": space.name, "c": space.center.name},
        field="space",
    )


def _insert(actor, activity, now: datetime) -> Booking:
    """Lock the space, check the overlap, insert; SlotTaken (nothing written) when taken."""
    space = _locked_space(activity.space_id)
    if not space.is_active or not space.center.is_active:
        raise DomainError(
            "space_inactive", _("“%(s)s”已停用，不能安排活动。") % {"s": space.name}, field="space"
        )
    _require_reach(actor, activity, space)
    attendees = min(activity.capacity or space.capacity, space.capacity) or 1
    plan = _Plan(activity.starts_at, activity.ends_at)
    fields = _fields(actor, activity, space)
    try:
        with transaction.atomic():  # a savepoint: the exclusion constraint may refuse on PostgreSQL
            created, _none = _insert_locked(
                space, [plan], capacity=space.capacity, mode=MODE, attendees=attendees, skip=False,
                fields=fields, label=actor_label(actor, fields), actor=actor,
            )  # fmt: skip
    except _Collided as exc:
        raise _refusal(space, plan, exc.found[0][1], mode=MODE, attendees=attendees, now=now) from None
    return created[0]


@transaction.atomic
def reserve_for_activity(*, actor, activity, now: datetime | None = None) -> Booking | None:
    """Reserve `activity.space` for [starts_at, ends_at) (None when the activity has no space).
    Idempotent: an activity already holding the same slot keeps its booking."""
    if activity.space_id is None:
        return None
    return move_for_activity(actor=actor, activity=activity, now=now)


@transaction.atomic
def move_for_activity(*, actor, activity, now: datetime | None = None) -> Booking | None:
    """The activity's time or space changed: release its booking and reserve the new slot (one
    transaction: a refusal leaves the old booking in place). No space any more → released."""
    now = now or timezone.now()
    current = _locked_bookings(activity)
    if activity.space_id is None:
        _cancel(actor, current, _("活动不再使用该场地"))
        return None
    for booking in current:
        if (booking.space_id, booking.starts_at, booking.ends_at) == (
            activity.space_id,
            activity.starts_at,
            activity.ends_at,
        ):
            _cancel(actor, [b for b in current if b.pk != booking.pk], _("活动时间或场地已变更"))
            return booking
    _cancel(actor, current, _("活动时间或场地已变更"))
    return _insert(actor, activity, now)


@transaction.atomic
def release_for_activity(*, actor, activity, reason: str = "") -> list[Booking]:
    """The activity was cancelled: free its space."""
    return _cancel(actor, _locked_bookings(activity), reason or _("活动已取消"))


def _cancel(actor, bookings: list[Booking], reason: str) -> list[Booking]:
    return [cancel_locked(actor=actor, booking=booking, reason=str(reason)[:200]) for booking in bookings]
