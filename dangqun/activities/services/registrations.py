"""Registrations: members from their account, guests with name + mobile; capacity, waiting list,
cancellation with promotion in order. Every write locks the activity row first (fixed order)."""

from __future__ import annotations

import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.activities import passes
from dangqun.activities.enums import (
    REGISTRATION_TRANSITIONS,
    ActivityStatus,
    Audience,
    RegistrationSource,
    RegistrationStatus,
)
from dangqun.activities.models import Activity, Invitation, Registration
from dangqun.activities.services.activities import registrations_open
from dangqun.activities.services.common import lock_activity
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.core.masking import mask_mobile
from dangqun.core.validators import normalize_mobile, to_halfwidth
from dangqun.people.models import PartyMember, Person

_NAME_RE = re.compile(r"^[\u3400-\u9fffA-Za-z·•. ]{2,30}$")


def person_may_attend(activity: Activity, person: Person, *, is_member: bool | None = None) -> bool:
    """Whether `person` may attend: in the activity's audience, or invited to it (Invitation)."""
    if activity.audience == Audience.PUBLIC:
        return True
    return _in_audience(activity, person, is_member) or (
        Invitation.objects.filter(activity_id=activity.pk, person_id=person.pk).exists()
    )


def _in_audience(activity: Activity, person: Person, is_member: bool | None) -> bool:
    if is_member is None:
        is_member = PartyMember.objects.filter(person_id=person.pk).exists()
    if not is_member or not person.org_path.startswith(activity.org_path):
        return False
    if activity.audience == Audience.SUBTREE or person.org_path == activity.org_path:
        return True
    # BRANCH: the organizer itself and its 党小组 (one level down, kind "group").
    return len(person.org_path) == len(activity.org_path) + 4 and person.organization.kind_id == "group"


def _transition(registration: Registration, target: str) -> None:
    if target not in REGISTRATION_TRANSITIONS[registration.status]:
        raise DomainError(
            "invalid_transition",
            _("报名当前为“%(s)s”，不能改为“%(t)s”。")
            % {"s": registration.get_status_display(), "t": RegistrationStatus(target).label},
        )


def _check_open(activity: Activity, now: datetime) -> None:
    if activity.status == ActivityStatus.CANCELLED:
        raise DomainError("activity_cancelled", _("活动已取消。"))
    if activity.status != ActivityStatus.PUBLISHED:
        raise DomainError("registration_closed", _("活动未发布或已结束，不能报名。"))
    if not registrations_open(activity, now):
        opens = activity.registration_opens_at
        if opens is not None and now < opens:
            raise DomainError(
                "registration_not_open",
                _("报名将于 %(t)s 开始。") % {"t": timezone.localtime(opens).strftime("%Y-%m-%d %H:%M")},
            )
        raise DomainError("registration_closed", _("报名已截止。"))


def _seat(activity: Activity, registration: Registration) -> None:
    """Confirm if a seat is free, else put on the waiting list (activity row is locked)."""
    if activity.capacity is None or activity.confirmed_count < activity.capacity:
        registration.status = RegistrationStatus.CONFIRMED
        registration.waitlist_no = None
        activity.confirmed_count += 1
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.waitlist_no = activity.next_waitlist_no
        activity.next_waitlist_no += 1
        activity.waitlist_count += 1
    activity.save(update_fields=["confirmed_count", "waitlist_count", "next_waitlist_no", "updated_at"])


def _new_pass_code() -> str:
    code = passes.new_code()
    while Registration.objects.filter(pass_code=code).exists():  # 31^10 codes: practically never
        code = passes.new_code()
    return code


def _create(activity: Activity, **fields) -> Registration:
    registration = Registration(activity=activity, pass_code=_new_pass_code(), **fields)
    _seat(activity, registration)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:  # the lock makes this unreachable; the constraint is the backstop
        raise DomainError("already_registered", _("您已报名本活动。")) from exc
    return registration


def _reactivate(activity: Activity, registration: Registration, *, actor, source: str) -> Registration:
    if registration.status != RegistrationStatus.CANCELLED:
        raise DomainError("already_registered", _("您已报名本活动，无需重复报名。"))
    registration.cancelled_at = None
    registration.source = source
    registration.registered_by = actor if getattr(actor, "is_authenticated", False) else None
    _seat(activity, registration)
    registration.save()
    return registration


def _audit(action: str, registration: Registration, actor, **extra) -> None:
    data = {"name": registration.name, "status": registration.status, **extra}
    if registration.mobile:
        data["mobile"] = mask_mobile(registration.mobile)
    audit.record(action, actor=actor, obj=registration, org_path=registration.activity.org_path, data=data)


@transaction.atomic
def register_person(
    *,
    actor,
    activity: Activity,
    person: Person,
    source: str = RegistrationSource.SELF,
    now: datetime | None = None,
) -> Registration:
    """Register a person (a member from their account, or staff registering someone)."""
    now = now or timezone.now()
    activity = lock_activity(activity.pk)
    own = actor is not None and getattr(person, "user_id", None) == actor.pk
    if actor is not None and not own:
        if not permissions.has_perm(actor, Perm.MANAGE_ACTIVITIES, activity.org_path):
            raise DomainError("permission_denied", _("您只能为自己报名。"), status=403)
        source = RegistrationSource.STAFF
    _check_open(activity, now)
    if not person_may_attend(activity, person):
        raise DomainError("not_invited", _("本活动仅限%(a)s参加。") % {"a": activity.get_audience_display()})
    existing = Registration.objects.filter(activity=activity, person=person).first()
    if existing is not None:
        registration = _reactivate(activity, existing, actor=actor, source=source)
    else:
        registration = _create(
            activity,
            person=person,
            name=person.name,
            source=source,
            registered_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    registration.activity = activity
    _audit("activities.registration.created", registration, actor)
    return registration


def clean_guest(name: str, mobile: str) -> tuple[str, str]:
    name = " ".join(to_halfwidth(name or "").split())
    if not name:
        raise DomainError("required", _("请填写姓名。"), field="name")
    if not _NAME_RE.fullmatch(name):
        raise DomainError("invalid_name", _("姓名应为 2–30 个汉字或字母。"), field="name")
    try:
        mobile = normalize_mobile(mobile or "")
    except ValidationError as exc:
        raise DomainError("invalid_mobile", str(exc.messages[0]), field="mobile") from None
    return name, mobile


@transaction.atomic
def register_guest(
    *, activity: Activity, name: str, mobile: str, now: datetime | None = None
) -> Registration:
    """A member of the public registers with name and mobile (public activities only; no account)."""
    now = now or timezone.now()
    name, mobile = clean_guest(name, mobile)
    activity = lock_activity(activity.pk)
    if activity.audience != Audience.PUBLIC:
        raise DomainError("not_public", _("本活动不对公众开放报名。"))
    _check_open(activity, now)
    member_registered = (
        Registration.objects.filter(activity=activity, person__mobile=mobile)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exists()
    )
    if member_registered:  # the same person, registered from her account
        raise DomainError("already_registered", _("该手机号已报名本活动。"), field="mobile")
    existing = Registration.objects.filter(activity=activity, person__isnull=True, mobile=mobile).first()
    if existing is not None:
        if existing.status != RegistrationStatus.CANCELLED:
            raise DomainError("already_registered", _("该手机号已报名本活动。"), field="mobile")
        existing.name = name
        registration = _reactivate(activity, existing, actor=None, source=RegistrationSource.SELF)
    else:
        registration = _create(
            activity, person=None, name=name, mobile=mobile, source=RegistrationSource.SELF
        )
    registration.activity = activity
    _audit("activities.registration.created", registration, None, guest=True)
    return registration


def promote_waitlist(activity: Activity) -> list[Registration]:
    """Fill free seats from the waiting list, lowest number first (activity row already locked)."""
    promoted = []
    while activity.capacity is None or activity.confirmed_count < activity.capacity:
        waiting = (
            Registration.objects.filter(activity=activity, status=RegistrationStatus.WAITLISTED)
            .order_by("waitlist_no")
            .first()
        )
        if waiting is None:
            break
        _transition(waiting, RegistrationStatus.CONFIRMED)
        waiting.status = RegistrationStatus.CONFIRMED
        waiting.waitlist_no = None
        waiting.save(update_fields=["status", "waitlist_no", "updated_at"])
        activity.confirmed_count += 1
        activity.waitlist_count -= 1
        promoted.append(waiting)
    if promoted:
        activity.save(update_fields=["confirmed_count", "waitlist_count", "updated_at"])
        for registration in promoted:
            registration.activity = activity
            _audit("activities.registration.promoted", registration, None)
    return promoted


def may_cancel(actor, registration: Registration, *, pass_code: str = "") -> bool:
    if pass_code and passes.normalize(pass_code) == registration.pass_code:
        return True
    if actor is None:
        return True
    if registration.person_id is not None and registration.person.user_id == actor.pk:
        return True
    return permissions.has_perm(actor, Perm.MANAGE_ACTIVITIES, registration.activity.org_path)


@transaction.atomic
def cancel_registration(*, actor, registration: Registration, pass_code: str = "") -> Registration:
    """Cancel (by the person, by a guest holding the pass, or by staff); a freed seat is promoted."""
    activity = lock_activity(registration.activity_id)
    registration = (
        Registration.objects.select_for_update(of=("self",)).select_related("person").get(pk=registration.pk)
    )
    registration.activity = activity
    if not may_cancel(actor, registration, pass_code=pass_code):
        raise DomainError("permission_denied", _("您无权取消此报名。"), status=403)
    if registration.checked_in_at is not None:
        raise DomainError("already_checked_in", _("已签到，不能取消报名。"))
    if activity.status not in (ActivityStatus.PUBLISHED, ActivityStatus.DRAFT):
        raise DomainError("activity_closed", _("活动已结束或已取消。"))
    _transition(registration, RegistrationStatus.CANCELLED)
    was = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.waitlist_no = None
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "waitlist_no", "cancelled_at", "updated_at"])
    if was == RegistrationStatus.CONFIRMED:
        Activity.objects.filter(pk=activity.pk).update(confirmed_count=F("confirmed_count") - 1)
        activity.confirmed_count -= 1
    else:
        Activity.objects.filter(pk=activity.pk).update(waitlist_count=F("waitlist_count") - 1)
        activity.waitlist_count -= 1
    _audit("activities.registration.cancelled", registration, actor, was=was)
    promote_waitlist(activity)
    return registration
