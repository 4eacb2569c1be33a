"""报告单: prefilled from the meeting record, edited where the rule allows, signed off by the branch
secretary (review_records on the branch that held the meeting). Refused without a sign-in."""

from __future__ import annotations

import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts.enums import Perm
from dangqun.core import audit, rules
from dangqun.core.errors import DomainError
from dangqun.core.validators import classify_phone, to_halfwidth
from dangqun.orglife import meetings, structure
from dangqun.orglife import rules as keys
from dangqun.orglife.enums import EDITABLE_REPORT_STATUSES, REPORT_TRANSITIONS, AttendanceRole, ReportStatus
from dangqun.orglife.models import Attendance, OrgLifeReport, ReportEvent
from dangqun.orglife.services.common import (
    clean_text,
    is_self,
    require_not_filed,
    require_perm,
    require_quarter_open,
    require_self_or_staff,
    user_or_none,
)

# Fields a rule may open for editing, with their limits; the facts among them are refreshed from
# the meeting record while the report is a draft unless the rule opens them.
FIELD_LIMITS = {
    "post": 100,
    "meeting_content": 5000,
    "speech_summary": 5000,
    "criticism": 5000,
    "rectification": 5000,
    "guidance": 5000,
    "public_summary": 300,
    "meeting_place": 200,
    "host_name": 50,
}
FACT_FIELDS = ("cadre_name", "branch_name", "meeting_org_name", "meeting_title", "meeting_type", "meeting_place",
               "meeting_starts_at", "host_name", "expected_total", "present_total", "signed_in_at", "sign_in_method")  # fmt: skip


# Digits split by spaces or dashes ("137 0000 0300", "0871-65123456") are read as one run.
_DIGIT_GAP_RE = re.compile(r"(?<=[0-9])[\s\-－—–]+(?=[0-9])")
_NUMBER_RUN_RE = re.compile(r"\+?[0-9]+[Xx]?")
_PHONE_WORD_RE = re.compile(r"(电话|手机|座机|热线|联系|tel|phone)\W{0,3}$", re.IGNORECASE)


def personal_numbers(text: str) -> str | None:
    """What kind of personal number the text shows ("mobile", "id", "phone"), or None. The public
    summary is posted for anyone to read (RULES: no ID, no phone)."""
    compact = _DIGIT_GAP_RE.sub("", to_halfwidth(text or ""))
    for match in _NUMBER_RUN_RE.finditer(compact):
        run = match.group().upper()
        digits = run.lstrip("+")
        if len(digits) == 18 and digits[:17].isdigit():
            return "id"  # checksum or not: a mistyped ID number is still someone's ID number
        if len(digits) == 15 and digits.isdigit():
            return "id"
        try:
            kind, _number = classify_phone(run)
        except ValidationError:
            kind = ""
        if kind == "mobile":
            return "mobile"
        if kind or len(digits) >= 10:
            return "phone"
        if len(digits) >= 7 and _PHONE_WORD_RE.search(compact[: match.start()]):
            return "phone"
    return None


def _refuse_personal_numbers(text: str) -> None:
    kind = personal_numbers(text)
    if kind is None:
        return
    label = _labels()["public_summary"]
    messages = {
        "mobile": _("%(f)s会向社会公示，不能包含手机号，请删除。"),
        "id": _("%(f)s会向社会公示，不能包含身份证号，请删除。"),
        "phone": _("%(f)s会向社会公示，不能包含电话号码、证件号等长串数字，请删除。"),
    }
    raise DomainError("personal_number", messages[kind] % {"f": label}, field="public_summary")


def _labels() -> dict[str, str]:
    return {name: str(OrgLifeReport._meta.get_field(name).verbose_name) for name in FIELD_LIMITS}


def editable_fields(report: OrgLifeReport) -> list[str]:
    allowed = rules.value(keys.REPORT_EDITABLE_FIELDS, on=report.meeting_on, org_path=report.cadre_path) or []
    return [name for name in FIELD_LIMITS if name in set(allowed)]


def _facts(attendance: Attendance) -> dict:
    """The report's facts, read now from the meeting record and the scan log."""
    activity, cadre = attendance.activity, attendance.cadre
    sign_in = meetings.sign_in_of(activity, cadre.pk)
    if sign_in is None:
        raise DomainError(
            "not_signed_in",
            _("签到记录中没有%(n)s在“%(t)s”的签到，不能填写报告单。")
            % {"n": cadre.name, "t": activity.title},
            field="activity",
        )
    record = meetings.record_of(activity)
    expected, present = meetings.counts_of(activity, record)
    return {
        "cadre_name": cadre.name,
        "branch_name": structure.own_branch(cadre).name,
        "meeting_org_name": activity.organization.name,
        "meeting_title": activity.title,
        "meeting_type": activity.activity_type.name,
        "meeting_place": activity.place[:200],
        "meeting_starts_at": activity.starts_at,
        "host_name": (record.host_name if record else "")[:50],
        "expected_total": expected,
        "present_total": present,
        "signed_in_at": sign_in.at,
        "sign_in_method": sign_in.method_label[:30],
    }


def _refresh_facts(report: OrgLifeReport) -> None:
    open_fields = set(editable_fields(report))
    for name, value in _facts(report.attendance).items():
        if name not in open_fields:
            setattr(report, name, value)


def _transition(
    report: OrgLifeReport, target: str, actor, comment: str = "", now: datetime | None = None
) -> None:
    if target not in REPORT_TRANSITIONS[report.status]:
        raise DomainError(
            "invalid_transition",
            _("报告单当前为“%(s)s”，不能改为“%(t)s”。")
            % {"s": report.get_status_display(), "t": ReportStatus(target).label},
            status=409,
        )
    ReportEvent.objects.create(
        report=report,
        from_status=report.status,
        to_status=target,
        actor=user_or_none(actor),
        comment=comment,
        at=now or timezone.now(),
    )
    report.status = target


def _lock(report: OrgLifeReport) -> OrgLifeReport:
    return (
        OrgLifeReport.objects.select_for_update(of=("self",))
        .select_related(
            "attendance",
            "cadre",
            "cadre__party_profile",
            "cadre__organization",
            "activity",
            "activity__activity_type",
            "activity__organization",
            "filing",
        )  # fmt: skip
        .get(pk=report.pk)
    )


@transaction.atomic
def create_report(*, actor, attendance: Attendance) -> OrgLifeReport:
    """The 报告单 of a 纪实 (created once; a second call returns it). Refused for a meeting type the
    rule does not name, and when the scan log holds no sign-in of the cadre."""
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related(
            "cadre",
            "cadre__organization",
            "cadre__organization__kind",
            "cadre__party_profile",
            "activity",
            "activity__activity_type",
            "activity__organization",
            "filing",
        )  # fmt: skip
        .get(pk=attendance.pk)
    )
    require_self_or_staff(actor, attendance.cadre)
    existing = OrgLifeReport.objects.filter(attendance=attendance).first()
    if existing is not None:
        return existing
    require_not_filed(attendance.filing, what=_("纪实"))
    require_quarter_open(attendance.cadre, attendance.meeting_on, what=_("报告单"))
    activity = attendance.activity
    if not meetings.requires_report(activity):
        raise DomainError(
            "not_report_meeting",
            _("“%(k)s”不需要填写报告单（按规定只有组织生活会等会议需要）。")
            % {"k": activity.activity_type.name},
            field="activity",
        )
    facts = _facts(attendance)
    profile = getattr(attendance.cadre, "party_profile", None)
    record = meetings.record_of(activity)
    report = OrgLifeReport(
        attendance=attendance,
        cadre=attendance.cadre,
        activity=activity,
        org_path=attendance.org_path,
        cadre_path=attendance.cadre_path,
        meeting_on=attendance.meeting_on,
        post=(profile.post if profile else "")[:100],
        meeting_content=(record.minutes if record else "")[:5000],
        speech_summary=attendance.outline_text[:5000],
        guidance=attendance.guidance[:5000] if attendance.role == AttendanceRole.CONTACT_POINT else "",
        **facts,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        return OrgLifeReport.objects.get(attendance=attendance)
    audit.record(
        "orglife.report.created",
        actor=actor,
        obj=report,
        org_path=report.cadre_path,
        data={"cadre": report.cadre_name, "activity": activity.pk, "signed_in_at": report.signed_in_at},
    )
    return report


@transaction.atomic
def update_report(*, actor, report: OrgLifeReport, **fields) -> OrgLifeReport:
    """Change the fields the rule opens; the facts are refreshed from the record (draft only)."""
    report = _lock(report)
    require_self_or_staff(actor, report.cadre)
    require_not_filed(report.filing, what=_("报告单"))
    if report.status not in EDITABLE_REPORT_STATUSES:
        raise DomainError(
            "report_not_editable",
            _("报告单当前为“%(s)s”，不能修改。") % {"s": report.get_status_display()},
            status=409,
        )
    unknown = set(fields) - set(FIELD_LIMITS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    allowed = set(editable_fields(report))
    labels = _labels()
    changed = {}
    for name, value in fields.items():
        if name not in allowed:
            raise DomainError(
                "field_not_editable", _("“%(f)s”取自会议记录，不能修改。") % {"f": labels[name]}, field=name
            )
        text = clean_text(value, field=name, label=labels[name], max_length=FIELD_LIMITS[name])
        if name == "public_summary":
            _refuse_personal_numbers(text)
        if text != getattr(report, name):
            setattr(report, name, text)
            changed[name] = len(text)
    _refresh_facts(report)
    report.save()
    if changed:
        audit.record("orglife.report.updated", actor=actor, obj=report, org_path=report.cadre_path,
                     data={"changed": changed})  # fmt: skip
    return report


def missing_for_submission(report: OrgLifeReport) -> list[str]:
    labels = _labels()
    missing = []
    if not report.speech_summary.strip():
        missing.append(labels["speech_summary"])
    if report.attendance.role == AttendanceRole.CONTACT_POINT and not report.guidance.strip():
        missing.append(labels["guidance"])
    if structure.is_posted_cadre(report.cadre, report.meeting_on) and not report.public_summary.strip():
        missing.append(labels["public_summary"])
    return missing


@transaction.atomic
def submit_report(*, actor, report: OrgLifeReport, now: datetime | None = None) -> OrgLifeReport:
    """Send the report to the branch secretary for sign-off (facts frozen as of now)."""
    now = now or timezone.now()
    report = _lock(report)
    require_self_or_staff(actor, report.cadre)
    require_not_filed(report.filing, what=_("报告单"))
    if report.status == ReportStatus.SUBMITTED:
        raise DomainError("already_submitted", _("报告单已提交，请勿重复提交。"), status=409)
    missing = missing_for_submission(report)
    if missing:
        raise DomainError("report_incomplete", _("报告单不完整，请填写：%(m)s。") % {"m": "、".join(missing)})
    _refuse_personal_numbers(report.public_summary)
    _refresh_facts(report)
    _transition(report, ReportStatus.SUBMITTED, actor, now=now)
    report.submitted_at = now
    report.save()
    audit.record("orglife.report.submitted", actor=actor, obj=report, org_path=report.cadre_path,
                 data={"cadre": report.cadre_name, "meeting": report.meeting_title})  # fmt: skip
    return report


def _require_secretary(actor, report: OrgLifeReport) -> None:
    require_perm(
        actor, Perm.REVIEW_RECORDS, report.org_path,
        _("只有召开会议的党支部书记（或有审核权限的上级）可以签字。"),
    )  # fmt: skip
    if is_self(actor, report.cadre):
        raise DomainError(
            "cannot_sign_own", _("不能为本人的报告单签字，请由支部其他负责人签字。"), status=403
        )


def _signer_name(actor, given: str) -> str:
    if actor is None:
        return given
    person = getattr(actor, "person", None)
    return getattr(person, "name", "") or actor.display_name or actor.get_username()


@transaction.atomic
def sign_off_report(
    *, actor, report: OrgLifeReport, comment: str = "", signer_name: str = "", now: datetime | None = None
) -> OrgLifeReport:
    """The branch secretary signs the report off (`signer_name` only for the system actor)."""
    now = now or timezone.now()
    report = _lock(report)
    _require_secretary(actor, report)
    require_not_filed(report.filing, what=_("报告单"))
    comment = clean_text(comment, field="comment", label=_("支部书记意见"), max_length=500)
    if report.status != ReportStatus.SUBMITTED:
        raise DomainError("not_submitted", _("报告单不在待签字状态。"), status=409)
    name = clean_text(_signer_name(actor, signer_name), field="signer_name", label=_("签字人"), max_length=50,
                      required=True)  # fmt: skip
    _transition(report, ReportStatus.SIGNED_OFF, actor, comment, now=now)
    report.signed_by = user_or_none(actor)
    report.signed_by_name = name
    report.signed_at = now
    report.secretary_comment = comment
    report.save()
    audit.record("orglife.report.signed_off", actor=actor, obj=report, org_path=report.cadre_path,
                 data={"signed_by": name, "comment": comment})  # fmt: skip
    return report


@transaction.atomic
def return_report(
    *, actor, report: OrgLifeReport, comment: str, now: datetime | None = None
) -> OrgLifeReport:
    report = _lock(report)
    _require_secretary(actor, report)
    comment = clean_text(comment, field="comment", label=_("退回意见"), max_length=500, required=True)
    if report.status != ReportStatus.SUBMITTED:
        raise DomainError("not_submitted", _("报告单不在待签字状态。"), status=409)
    _transition(report, ReportStatus.RETURNED, actor, comment, now=now)
    report.secretary_comment = comment
    report.save()
    audit.record("orglife.report.returned", actor=actor, obj=report, org_path=report.cadre_path,
                 data={"comment": comment})  # fmt: skip
    return report


@transaction.atomic
def reopen_report(*, actor, report: OrgLifeReport, now: datetime | None = None) -> OrgLifeReport:
    """Take a signed-off report back to draft (its filing not yet filed, or returned): the signature
    is cleared and must be given again."""
    report = _lock(report)
    require_self_or_staff(actor, report.cadre)
    require_not_filed(report.filing, what=_("报告单"))
    if report.status != ReportStatus.SIGNED_OFF:
        raise DomainError("not_signed_off", _("只有已签字的报告单需要撤回修改。"), status=409)
    _transition(report, ReportStatus.DRAFT, actor, _("撤回修改"), now=now)
    report.signed_by, report.signed_by_name, report.signed_at = None, "", None
    report.save()
    audit.record("orglife.report.reopened", actor=actor, obj=report, org_path=report.cadre_path)
    return report
