"""Meeting records: edit while draft or returned, attachments checked by content, absences,
votes with quorum, submit once, review by the superior organization; approved records are locked."""

from __future__ import annotations

import os

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.activities import images, quorum
from dangqun.activities.enums import (
    EDITABLE_RECORD_STATUSES,
    MEMBERSHIP_VOTES,
    RECORD_TRANSITIONS,
    AbsenceReason,
    ActivityStatus,
    AttachmentKind,
    QuorumRule,
    RecordStatus,
    VoteKind,
)
from dangqun.activities.models import (
    Absence,
    Activity,
    MeetingRecord,
    MeetingVote,
    RecordAttachment,
    RecordEvent,
)
from dangqun.activities.rules import excludable_absence_labels, excludable_absence_reasons
from dangqun.activities.selectors.records import attendance
from dangqun.activities.services import rollups
from dangqun.activities.services.common import clean_text, require_manage
from dangqun.core import audit, rules
from dangqun.core.errors import DomainError
from dangqun.orgs.models import Organization
from dangqun.people.models import Person

TEXT_FIELDS = {"plan": 20000, "notes": 50000, "minutes": 20000}


def _lock(record: MeetingRecord) -> MeetingRecord:
    return (
        MeetingRecord.objects.select_for_update(of=("self",))
        .select_related("activity", "activity__activity_type")
        .get(pk=record.pk)
    )


def _require_editable(actor, record: MeetingRecord) -> None:
    require_manage(actor, record.activity)
    if record.status == RecordStatus.APPROVED:
        raise DomainError("record_locked", _("记录已审核通过，已锁定，不能再修改。"))
    if record.status not in EDITABLE_RECORD_STATUSES:
        raise DomainError("record_submitted", _("记录已提交审核，审核结果出来前不能修改。"))


def _transition(record: MeetingRecord, target: str, actor, comment: str = "") -> None:
    if target not in RECORD_TRANSITIONS[record.status]:
        if target == RecordStatus.SUBMITTED and record.status == RecordStatus.SUBMITTED:
            raise DomainError("already_submitted", _("记录已提交，请勿重复提交。"))
        raise DomainError(
            "invalid_transition",
            _("记录当前为“%(s)s”，不能改为“%(t)s”。")
            % {"s": record.get_status_display(), "t": RecordStatus(target).label},
        )
    RecordEvent.objects.create(
        record=record,
        from_status=record.status,
        to_status=target,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        comment=comment,
        at=timezone.now(),
    )
    record.status = target


@transaction.atomic
def start_record(*, actor, activity: Activity) -> MeetingRecord:
    """The record of a meeting (created on first use; one per activity)."""
    activity = Activity.objects.select_related("activity_type").get(pk=activity.pk)
    require_manage(actor, activity)
    if not activity.activity_type.is_meeting:
        raise DomainError("not_a_meeting", _("只有组织生活会议需要填写会议记录。"))
    if activity.status == ActivityStatus.CANCELLED:
        raise DomainError("activity_cancelled", _("活动已取消。"))
    record, created = MeetingRecord.objects.get_or_create(
        activity=activity, defaults={"org_path": activity.org_path}
    )
    if created:
        audit.record("activities.record.created", actor=actor, obj=record, org_path=activity.org_path)
    return record


def _person_in_scope(person: Person | None, record: MeetingRecord, field: str) -> None:
    path = record.activity.org_path
    if person is not None and not (person.org_path.startswith(path) or path.startswith(person.org_path)):
        raise DomainError("person_out_of_scope", _("所选人员不属于本组织。"), field=field)


@transaction.atomic
def update_record(*, actor, record: MeetingRecord, **fields) -> MeetingRecord:
    """Edit plan, notes, minutes, host and recorder (a Person or a name)."""
    record = _lock(record)
    _require_editable(actor, record)
    changed = {}
    for name, limit in TEXT_FIELDS.items():
        if name in fields:
            value = str(fields[name] or "").strip()
            if len(value) > limit:
                raise DomainError("too_long", _("内容过长（不超过 %(n)d 字）。") % {"n": limit}, field=name)
            if value != getattr(record, name):
                setattr(record, name, value)
                changed[name] = len(value)
    for role, label in (("host", _("主持人")), ("recorder", _("记录人"))):
        if role in fields:
            person = fields[role]
            _person_in_scope(person, record, role)
            setattr(record, role, person)
            changed[role] = person.pk if person else None
            if person is not None:
                setattr(record, f"{role}_name", person.name)
        if f"{role}_name" in fields and fields.get(role) is None:
            name = clean_text(fields[f"{role}_name"], field=f"{role}_name", label=label, max_length=50)
            setattr(record, f"{role}_name", name)
            changed[f"{role}_name"] = name
    record.save()
    if changed:
        audit.record("activities.record.updated", actor=actor, obj=record, data={"changed": changed})
    return record


@transaction.atomic
def add_attachment(
    *, actor, record: MeetingRecord, kind: str, name: str, data: bytes, caption: str = ""
) -> RecordAttachment:
    """A photo (validated, re-encoded without EXIF) or a material (PDF / Office) of the record."""
    record = _lock(record)
    _require_editable(actor, record)
    on = timezone.localdate()
    if kind == AttachmentKind.PHOTO:
        clean = images.clean_photo(
            data,
            max_bytes=rules.value("activities.photo.max_bytes", on=on),
            max_pixels=rules.value("activities.photo.max_pixels", on=on),
        )
    elif kind == AttachmentKind.MATERIAL:
        clean = images.clean_material(data, max_bytes=rules.value("activities.material.max_bytes", on=on))
    else:
        raise DomainError("invalid_kind", _("未知附件类型。"), field="kind")
    original = os.path.basename(name or "")[:150] or "file"
    stem = os.path.splitext(original)[0][:100] or "file"
    caption = clean_text(caption, field="caption", label=_("说明"), max_length=200)
    if RecordAttachment.objects.filter(record=record, sha256=clean.sha256).exists():
        raise DomainError("duplicate_file", _("同一文件已上传过。"), field=kind)
    attachment = RecordAttachment(
        record=record,
        kind=kind,
        original_name=stem + clean.extension,
        content_type=clean.content_type,
        size=len(clean.content),
        sha256=clean.sha256,
        width=clean.width,
        height=clean.height,
        caption=caption,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.file.save(f"{clean.sha256[:32]}{clean.extension}", ContentFile(clean.content), save=False)
    try:
        with transaction.atomic():
            attachment.save()
    except IntegrityError as exc:
        attachment.file.delete(save=False)
        raise DomainError("duplicate_file", _("同一文件已上传过。"), field=kind) from exc
    audit.record(
        "activities.record.attachment_added",
        actor=actor,
        obj=record,
        data={
            "kind": kind,
            "name": attachment.original_name,
            "size": attachment.size,
            "sha256": clean.sha256,
        },
    )
    return attachment


@transaction.atomic
def remove_attachment(*, actor, attachment: RecordAttachment) -> None:
    record = _lock(attachment.record)
    _require_editable(actor, record)
    audit.record(
        "activities.record.attachment_removed",
        actor=actor,
        obj=record,
        data={"name": attachment.original_name},
    )
    stored = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: RecordAttachment.file.field.storage.delete(stored))


@transaction.atomic
def set_absence(
    *,
    actor,
    record: MeetingRecord,
    person: Person,
    reason: str,
    detail: str = "",
    counts_as_expected: bool = True,
) -> Absence:
    record = _lock(record)
    _require_editable(actor, record)
    if reason not in AbsenceReason.values:
        raise DomainError("invalid_reason", _("请选择缺席原因。"), field="reason")
    # Absences that may leave "who should attend" (应到) are a rule (members who cannot attend for a
    # long time); membership votes always count every voting member (RULES.md §2.1, the 10/5 case).
    excludable = excludable_absence_reasons(record.org_path)
    if not counts_as_expected and reason not in excludable:
        raise DomainError(
            "absence_must_count",
            _("只有以下原因不能到会的党员可以不计入应到人数：%(list)s；其他原因和无故缺席都计入应到人数。")
            % {"list": excludable_absence_labels(excludable) or _("（无）")},
            field="counts_as_expected",
        )
    expected = attendance(record.activity, record)
    if person.pk not in expected.expected_ids:
        raise DomainError(
            "not_expected", _("%(n)s不在本次会议应到人员之列。") % {"n": person.name}, field="person"
        )
    if person.pk in expected.present_ids:
        raise DomainError(
            "was_present", _("%(n)s已签到，不能登记为缺席。") % {"n": person.name}, field="person"
        )
    detail = clean_text(detail, field="detail", label=_("说明"), max_length=200)
    absence, _created = Absence.objects.update_or_create(
        record=record,
        person=person,
        defaults={"reason": reason, "detail": detail, "counts_as_expected": counts_as_expected},
    )
    audit.record(
        "activities.record.absence_set",
        actor=actor,
        obj=record,
        data={"person": person.name, "reason": reason, "counts_as_expected": counts_as_expected},
    )
    return absence


@transaction.atomic
def remove_absence(*, actor, absence: Absence) -> None:
    record = _lock(absence.record)
    _require_editable(actor, record)
    audit.record(
        "activities.record.absence_removed", actor=actor, obj=record, data={"person_id": absence.person_id}
    )
    absence.delete()


def _inclusive(record: MeetingRecord) -> bool:
    on = timezone.localtime(record.activity.starts_at).date()
    return bool(rules.value("activities.quorum.ordinary_inclusive", on=on, org_path=record.org_path))


@transaction.atomic
def record_vote(
    *,
    actor,
    record: MeetingRecord,
    kind: str,
    subject: str,
    yes: int,
    no: int = 0,
    abstain: int = 0,
    written_yes: int = 0,
) -> MeetingVote:
    """A vote at a 支部党员大会: quorum and majority per RULES.md §2.1, from the sign-in."""
    record = _lock(record)
    _require_editable(actor, record)
    if record.activity.activity_type.quorum == QuorumRule.NONE:
        raise DomainError("no_votes", _("此类会议不进行表决。"))
    if kind not in VoteKind.values:
        raise DomainError("invalid_kind", _("请选择表决事项类型。"), field="kind")
    subject = clean_text(subject, field="subject", label=_("表决事项"), max_length=200, required=True)
    counts = {"yes": yes, "no": no, "abstain": abstain, "written_yes": written_yes}
    for name, value in counts.items():
        if not isinstance(value, int) or value < 0:
            raise DomainError("invalid_count", _("票数必须是非负整数。"), field=name)
    membership = kind in MEMBERSHIP_VOTES
    if written_yes and not membership:
        raise DomainError(
            "written_not_allowed", _("只有接收、转正等党员身份事项才计入书面意见。"), field="written_yes"
        )
    present = attendance(record.activity, record)
    # Membership votes: the base is every voting member, whatever the excused absences (§2.1).
    should = present.voting_members if membership else present.voting_should_attend
    if yes + no + abstain > present.voting_present:
        raise DomainError(
            "more_votes_than_present",
            _("票数合计 %(v)d 超过实到有表决权党员 %(p)d 人。")
            % {"v": yes + no + abstain, "p": present.voting_present},
            field="yes",
        )
    if yes + no + abstain + written_yes > should:
        raise DomainError("more_votes_than_members", _("票数超过应到有表决权党员人数。"), field="written_yes")
    outcome = quorum.decide(
        membership=membership,
        should_attend=should,
        present=present.voting_present,
        yes=yes,
        written_yes=written_yes,
        inclusive=_inclusive(record),
    )
    vote = MeetingVote.objects.create(
        record=record, kind=kind, subject=subject, quorate=outcome.quorate, passed=outcome.passed, **counts
    )
    audit.record(
        "activities.record.vote_recorded",
        actor=actor,
        obj=record,
        data={"subject": subject, "kind": kind, **counts, "should_attend": should, "passed": outcome.passed},
    )
    return vote


def _missing_parts(record: MeetingRecord) -> list[str]:
    missing = []
    if not (record.host_id or record.host_name):
        missing.append(str(_("主持人")))
    if not (record.recorder_id or record.recorder_name):
        missing.append(str(_("记录人")))
    if not record.minutes:
        missing.append(str(_("会议纪要")))
    if record.activity.activity_type_id == "theme_day":  # 主题党日 “六有”
        if not record.plan:
            missing.append(str(_("活动计划")))
        if not record.attachments.filter(kind=AttachmentKind.PHOTO).exists():
            missing.append(str(_("活动照片")))
    return missing


@transaction.atomic
def submit_record(*, actor, record: MeetingRecord) -> MeetingRecord:
    """Submit for review (once): attendance and quorum are frozen into the record."""
    record = _lock(record)
    require_manage(actor, record.activity)
    if record.status == RecordStatus.SUBMITTED:
        raise DomainError("already_submitted", _("记录已提交，请勿重复提交。"))
    if record.status == RecordStatus.APPROVED:
        raise DomainError("record_locked", _("记录已审核通过，已锁定。"))
    if record.activity.status != ActivityStatus.FINISHED:
        raise DomainError("meeting_not_finished", _("会议结束后才能提交记录。"))
    missing = _missing_parts(record)
    if missing:
        raise DomainError("record_incomplete", _("记录不完整，请补充：%(m)s。") % {"m": "、".join(missing)})
    present = attendance(record.activity, record)
    record.voting_should_attend = present.voting_should_attend
    record.voting_present = present.voting_present
    record.present_total = present.present_total
    if record.activity.activity_type.quorum == QuorumRule.ORDINARY:
        record.quorum_met = quorum.ordinary_quorate(
            should_attend=present.voting_should_attend,
            present=present.voting_present,
            inclusive=_inclusive(record),
        )
    else:
        record.quorum_met = None
    _transition(record, RecordStatus.SUBMITTED, actor)
    record.submitted_at = timezone.now()
    record.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    record.save()
    # A meeting without a quorum is no valid 党员大会 / 支委会: it does not count as recorded.
    rollups.add(record.activity, recorded=0 if record.quorum_met is False else 1)
    audit.record(
        "activities.record.submitted",
        actor=actor,
        obj=record,
        data={
            "voting_should_attend": record.voting_should_attend,
            "voting_present": record.voting_present,
            "quorum_met": record.quorum_met,
        },
    )
    return record


def superior_path(record: MeetingRecord) -> str:
    return record.org_path[: -Organization.steplen]


@transaction.atomic
def review_record(*, actor, record: MeetingRecord, approve: bool, comment: str = "") -> MeetingRecord:
    """Approve or return a submitted record: only with review_records on the superior node."""
    record = _lock(record)
    parent = superior_path(record)
    if actor is not None and not (parent and permissions.has_perm(actor, Perm.REVIEW_RECORDS, parent)):
        raise DomainError("permission_denied", _("只有上级组织有审核权限的人员才能审核此记录。"), status=403)
    comment = clean_text(comment, field="comment", label=_("审核意见"), max_length=2000)
    if not approve and not comment:
        raise DomainError("comment_required", _("退回时请写明修改意见。"), field="comment")
    target = RecordStatus.APPROVED if approve else RecordStatus.RETURNED
    if record.status != RecordStatus.SUBMITTED:
        raise DomainError("not_submitted", _("记录不在待审核状态。"))
    _transition(record, target, actor, comment)
    record.reviewed_at = timezone.now()
    record.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    record.review_comment = comment
    record.save()
    if not approve and record.quorum_met is not False:
        rollups.add(record.activity, recorded=-1)
    audit.record(f"activities.record.{target}", actor=actor, obj=record, data={"comment": comment})
    return record
