"""组织生活纪实: started for a meeting at the cadre's own branch or contact point; the cadre adds the
speech outline (text or file) and the guidance given; locked once the quarter's filing is accepted."""

from __future__ import annotations

import os

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dangqun.activities.models import Activity
from dangqun.core import audit, rules
from dangqun.core.errors import DomainError
from dangqun.orglife import meetings, outline_files, structure
from dangqun.orglife import rules as keys
from dangqun.orglife.enums import AttendanceRole
from dangqun.orglife.models import Attendance, ContactPoint
from dangqun.orglife.services.common import (
    clean_text,
    require_not_filed,
    require_quarter_open,
    require_self_or_staff,
    user_or_none,
)
from dangqun.people.models import Person

OUTLINE_MAX = 20000
GUIDANCE_MAX = 5000


def role_at(cadre: Person, activity: Activity) -> tuple[str, ContactPoint | None] | None:
    """(role, contact point) of the cadre at this meeting, or None when it is neither their own
    branch's nor one of their contact points' (for the meeting's year)."""
    if activity.org_path in structure.own_branch_paths(cadre):
        return AttendanceRole.OWN_BRANCH, None
    point = (
        ContactPoint.objects.filter(
            cadre=cadre,
            branch_path=activity.org_path,
            year=meetings.meeting_day(activity).year,
            revoked_at__isnull=True,
        )
        .order_by("id")
        .first()
    )
    if point is not None:
        return AttendanceRole.CONTACT_POINT, point
    return None


def _lock(attendance: Attendance) -> Attendance:
    return (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("cadre", "activity", "activity__activity_type", "filing")
        .get(pk=attendance.pk)
    )


def ensure_attendance(cadre: Person, activity: Activity, *, actor=None) -> tuple[Attendance, bool]:
    """The 纪实 row of a cadre at a meeting (created if missing); the caller checked permissions."""
    found = role_at(cadre, activity)
    if found is None:
        raise DomainError(
            "not_your_meeting",
            _("“%(t)s”不是本人所在支部或本年度联系点的会议。") % {"t": activity.title},
            field="activity",
        )
    role, point = found
    existing = Attendance.objects.filter(cadre=cadre, activity=activity).first()
    if existing is not None:
        return existing, False
    require_quarter_open(cadre, meetings.meeting_day(activity), what=_("纪实"))
    attendance = Attendance(
        cadre=cadre,
        activity=activity,
        role=role,
        contact_point=point,
        org_path=activity.org_path,
        cadre_path=cadre.org_path,
        meeting_on=meetings.meeting_day(activity),
        created_by=user_or_none(actor),
    )
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError:
        return Attendance.objects.get(cadre=cadre, activity=activity), False
    audit.record(
        "orglife.attendance.created",
        actor=actor,
        obj=attendance,
        org_path=cadre.org_path,
        data={"cadre": cadre.name, "activity": activity.pk, "title": activity.title, "role": role},
    )
    return attendance, True


@transaction.atomic
def start_attendance(*, actor, cadre: Person, activity: Activity) -> Attendance:
    """Start (or return) the 纪实 of `cadre` at `activity` (their branch's or a contact point's)."""
    cadre = Person.objects.select_related("organization", "organization__kind", "party_profile").get(
        pk=cadre.pk
    )
    require_self_or_staff(actor, cadre)
    if not structure.is_cadre(cadre):
        raise DomainError("not_cadre", _("只有领导干部需要记录组织生活纪实。"), field="cadre")
    activity = Activity.objects.select_related("activity_type").get(pk=activity.pk)
    if not activity.activity_type.is_meeting:
        raise DomainError("not_a_meeting", _("只有组织生活会议需要记录纪实。"), field="activity")
    if activity.status not in meetings.HELD_STATUSES:
        raise DomainError(
            "meeting_not_held",
            _("会议状态为“%(s)s”，不能记录纪实。") % {"s": activity.get_status_display()},
            field="activity",
        )
    attendance, _created = ensure_attendance(cadre, activity, actor=actor)
    return attendance


@transaction.atomic
def update_attendance(*, actor, attendance: Attendance, outline_text=None, guidance=None) -> Attendance:
    """The cadre's speech outline (text) and, at a contact point, the guidance given."""
    attendance = _lock(attendance)
    require_self_or_staff(actor, attendance.cadre)
    require_not_filed(attendance.filing, what=_("纪实"))
    changed = {}
    if outline_text is not None:
        text = clean_text(outline_text, field="outline_text", label=_("发言提纲"), max_length=OUTLINE_MAX)
        if text != attendance.outline_text:
            attendance.outline_text = text
            changed["outline_text"] = len(text)
    if guidance is not None:
        text = clean_text(guidance, field="guidance", label=_("指导联系点情况"), max_length=GUIDANCE_MAX)
        if text and attendance.role != AttendanceRole.CONTACT_POINT:
            raise DomainError(
                "guidance_only_contact", _("只有在联系点参加的会议才填写指导情况。"), field="guidance"
            )
        if text != attendance.guidance:
            attendance.guidance = text
            changed["guidance"] = len(text)
    if changed:
        attendance.save()
        audit.record("orglife.attendance.updated", actor=actor, obj=attendance, org_path=attendance.cadre_path,
                     data={"changed": changed})  # fmt: skip
    return attendance


@transaction.atomic
def attach_outline(*, actor, attendance: Attendance, name: str, data: bytes) -> Attendance:
    """Upload the outline as a file (replaces an earlier one); checked by content."""
    attendance = _lock(attendance)
    require_self_or_staff(actor, attendance.cadre)
    require_not_filed(attendance.filing, what=_("纪实"))
    limit = rules.value(keys.OUTLINE_MAX_BYTES, org_path=attendance.cadre_path)
    clean = outline_files.clean_outline(data, max_bytes=limit)
    old = attendance.outline_file.name if attendance.outline_file else ""
    stem = os.path.splitext(os.path.basename(name or ""))[0][:100] or "outline"
    attendance.outline_file.save(
        f"{clean.sha256[:32]}{clean.extension}", ContentFile(clean.content), save=False
    )
    attendance.outline_name = stem + clean.extension
    attendance.outline_type = clean.content_type
    attendance.outline_size = len(clean.content)
    attendance.outline_sha256 = clean.sha256
    attendance.save()
    new = attendance.outline_file.name
    storage = attendance.outline_file.storage
    if old and old != new:
        transaction.on_commit(lambda: storage.delete(old))
    audit.record(
        "orglife.attendance.outline_uploaded",
        actor=actor,
        obj=attendance,
        org_path=attendance.cadre_path,
        data={"name": attendance.outline_name, "size": attendance.outline_size, "sha256": clean.sha256},
    )
    return attendance


@transaction.atomic
def remove_outline_file(*, actor, attendance: Attendance) -> Attendance:
    attendance = _lock(attendance)
    require_self_or_staff(actor, attendance.cadre)
    require_not_filed(attendance.filing, what=_("纪实"))
    if not attendance.outline_file:
        return attendance
    stored, storage = attendance.outline_file.name, attendance.outline_file.storage
    audit.record("orglife.attendance.outline_removed", actor=actor, obj=attendance, org_path=attendance.cadre_path,
                 data={"name": attendance.outline_name})  # fmt: skip
    attendance.outline_file = ""
    attendance.outline_name = attendance.outline_type = attendance.outline_sha256 = ""
    attendance.outline_size = None
    attendance.save()
    transaction.on_commit(lambda: storage.delete(stored))
    return attendance
