"""Staff check-in: by hand at the door, and a paper sign-in sheet entered after the event.

Both write ScanLog rows (method manual / paper) and an AuditEntry; a check-in entered after the
activity was finished also counts in the participants rollup.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.activities.enums import (
    ActivityStatus,
    Direction,
    RegistrationSource,
    RegistrationStatus,
    ScanMethod,
    ScanResult,
)
from dangqun.activities.models import Activity, Registration, ScanLog
from dangqun.activities.services.activities import late_admission
from dangqun.activities.services.checkin import _admit, record_locked
from dangqun.activities.services.common import clean_text, lock_activity, require_manage
from dangqun.activities.services.registrations import _create, person_may_attend
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.people.models import Person


def _admit_by_staff(
    actor, activity: Activity, registration: Registration, method: str, at: datetime, note: str
) -> str:
    if registration.status == RegistrationStatus.CANCELLED:
        result = ScanResult.CANCELLED
    elif registration.status == RegistrationStatus.WAITLISTED:
        result = ScanResult.CAPACITY_FULL
    elif _admit(registration.pk, Direction.ENTRY, at, method):
        result = ScanResult.OK
    else:
        result = ScanResult.ALREADY_CHECKED_IN
    ScanLog.objects.create(
        activity=activity,
        registration=registration,
        user=actor if getattr(actor, "is_authenticated", False) else None,
        method=method,
        direction=Direction.ENTRY,
        result=result,
        server_time=timezone.now(),
        device_time=at,
        org_path=activity.org_path,
        note=note,
    )
    if result == ScanResult.OK:
        late_admission(activity)
    return result


def _activity_refusal(activity: Activity) -> tuple[str, DomainError] | None:
    """(scan result, error) when the activity takes no check-ins at all, else None."""
    if activity.status == ActivityStatus.CANCELLED:
        return ScanResult.CANCELLED, DomainError("activity_cancelled", _("活动已取消。"))
    if activity.status == ActivityStatus.DRAFT:
        return ScanResult.NOT_OPEN_YET, DomainError("not_published", _("活动尚未发布。"))
    if record_locked(activity):
        return ScanResult.CLOSED, DomainError(
            "record_locked",
            _("本活动的会议记录已提交或已审核通过，签到名单已锁定，不能再补录或手工签到。"),
        )
    return None


def _check_activity(activity: Activity) -> None:
    refusal = _activity_refusal(activity)
    if refusal is not None:
        raise refusal[1]


def _log_refused(actor, activity: Activity, registration: Registration, result: str, note: str) -> None:
    now = timezone.now()
    ScanLog.objects.create(
        activity=activity,
        registration=registration,
        user=actor if getattr(actor, "is_authenticated", False) else None,
        method=ScanMethod.MANUAL,
        direction=Direction.ENTRY,
        result=result,
        server_time=now,
        device_time=now,
        org_path=activity.org_path,
        note=note,
    )


def check_in_by_hand(*, actor, registration: Registration, note: str = "") -> str:
    """Staff admit a registration at the door (forgotten phone, broken scanner). Audited.

    A refused attempt (activity not open yet, record locked, registration cancelled …) is written
    to the scan log and then raised: the row is committed first, so it survives the error.
    """
    error = None
    with transaction.atomic():
        activity = lock_activity(registration.activity_id)
        require_manage(actor, activity)
        note = clean_text(note, field="note", label=_("备注"), max_length=200)
        registration = Registration.objects.get(pk=registration.pk, activity_id=activity.pk)
        now = timezone.now()
        refusal = _activity_refusal(activity)
        if refusal is None and now < activity.checkin_opens_at:
            opens = timezone.localtime(activity.checkin_opens_at).strftime("%Y-%m-%d %H:%M")
            refusal = (
                ScanResult.NOT_OPEN_YET,
                DomainError("not_open_yet", _("签到尚未开始（%(t)s 开放签到）。") % {"t": opens}),
            )
        if refusal is not None:
            result, error = refusal
            _log_refused(actor, activity, registration, result, note)
        else:
            result = _admit_by_staff(actor, activity, registration, ScanMethod.MANUAL, now, note)
            if result not in (ScanResult.OK, ScanResult.ALREADY_CHECKED_IN):
                error = DomainError(result, str(ScanResult(result).label))
        audit.record(
            "activities.checkin.manual",
            actor=actor,
            obj=registration,
            org_path=activity.org_path,
            data={"name": registration.name, "result": result, "note": note},
        )
    if error is not None:
        raise error
    return result


@transaction.atomic
def enter_paper_sheet(
    *, actor, activity: Activity, person_ids: list[int], signed_at: datetime | None = None, note: str = ""
) -> dict[str, int]:
    """Enter who signed the paper sheet: every person must be in the audience; all or nothing.

    Returns {"admitted": n, "already": m}. People without a registration get one (source paper).
    """
    activity = lock_activity(activity.pk)
    require_manage(actor, activity)
    _check_activity(activity)
    note = clean_text(note, field="note", label=_("备注"), max_length=200) or str(_("纸质签到表补录"))
    signed_at = signed_at or activity.starts_at
    if signed_at < activity.checkin_opens_at or signed_at > activity.checkin_closes_at:
        raise DomainError("signed_outside_window", _("签到时间不在本活动的签到时段内。"), field="signed_at")
    wanted = sorted({int(pk) for pk in person_ids})
    if not wanted:
        raise DomainError("nobody", _("请至少选择一人。"), field="person_ids")
    people = {p.pk: p for p in Person.objects.select_related("organization").filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in people]
    outsiders = [
        people[pk].name for pk in wanted if pk in people and not person_may_attend(activity, people[pk])
    ]
    if missing or outsiders:
        raise DomainError(
            "not_invited",
            _("以下人员不在本活动参加范围内：%(n)s") % {"n": "、".join(outsiders) or str(missing)},
            field="person_ids",
        )
    existing = {r.person_id: r for r in Registration.objects.filter(activity=activity, person_id__in=wanted)}
    new_needed = sum(1 for pk in wanted if pk not in existing)
    if activity.capacity is not None and activity.confirmed_count + new_needed > activity.capacity:
        raise DomainError("capacity_full", _("补录人数超过活动名额。"), field="person_ids")
    counts = {"admitted": 0, "already": 0}
    for pk in wanted:
        registration = existing.get(pk)
        if registration is None:
            person = people[pk]
            registration = _create(
                activity,
                person=person,
                name=person.name,
                source=RegistrationSource.PAPER,
                registered_by=actor,
            )
        result = _admit_by_staff(actor, activity, registration, ScanMethod.PAPER, signed_at, note)
        if result == ScanResult.OK:
            counts["admitted"] += 1
        elif result == ScanResult.ALREADY_CHECKED_IN:
            counts["already"] += 1
        else:
            raise DomainError(
                result, _("%(n)s：%(r)s") % {"n": registration.name, "r": ScanResult(result).label}
            )
    audit.record(
        "activities.checkin.paper_sheet",
        actor=actor,
        obj=activity,
        data={"person_ids": wanted, "signed_at": signed_at, "note": note, **counts},
    )
    return counts
