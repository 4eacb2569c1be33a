"""公示: posted when a 区级领导's filing is accepted, taken down by the job when the period ends (or
early by the department); objections from the public, answered by the organization department."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts.enums import Perm
from dangqun.core import audit, rules
from dangqun.core.errors import DomainError
from dangqun.core.masking import mask_name
from dangqun.core.validators import classify_phone
from dangqun.orglife import rules as keys
from dangqun.orglife import structure
from dangqun.orglife.enums import (
    NOTICE_TRANSITIONS,
    OBJECTION_TRANSITIONS,
    NoticeStatus,
    ObjectionOutcome,
    ObjectionStatus,
)
from dangqun.orglife.models import Objection, OrgLifeReport, PublicNotice, QuarterlyFiling
from dangqun.orglife.services.common import clean_text, require_perm, user_or_none

TOKEN_BYTES = 24  # 192 bits: a notice URL cannot be guessed
NAME_MAX = 50


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def post_notice(*, report: OrgLifeReport, filing: QuarterlyFiling, now: datetime) -> PublicNotice:
    """Post an accepted report in the cadre's branch (called inside the acceptance transaction)."""
    existing = PublicNotice.objects.filter(report=report).first()
    if existing is not None:
        return existing
    today = timezone.localdate(now)
    path = report.cadre_path
    branch = structure.own_branch(report.cadre)
    days = int(rules.value(keys.NOTICE_DAYS, on=today, org_path=path))
    full_name = bool(rules.value(keys.NOTICE_FULL_NAME, on=today, org_path=path))
    notice = PublicNotice.objects.create(
        report=report,
        token=new_token(),
        branch=branch,
        org_path=branch.path,
        queue_path=filing.copy_path or filing.committee_path,
        cadre_name=report.cadre_name if full_name else mask_name(report.cadre_name),
        post=report.post,
        branch_name=branch.name,
        meeting_title=report.meeting_title,
        meeting_type=report.meeting_type,
        meeting_on=report.meeting_on,
        summary=report.public_summary,
        supervision_phone=str(rules.value(keys.NOTICE_PHONE, on=today, org_path=path)),
        basis=str(rules.value(keys.NOTICE_BASIS, on=today, org_path=path)),
        starts_at=now,
        ends_at=now + timedelta(days=days),
    )
    audit.record(
        "orglife.notice.posted",
        obj=notice,
        org_path=notice.org_path,
        data={
            "report": report.pk,
            "filing": filing.pk,
            "starts_at": notice.starts_at,
            "ends_at": notice.ends_at,
        },
    )
    return notice


def _take_down(notice: PublicNotice, actor, now: datetime, reason: str) -> None:
    if NoticeStatus.TAKEN_DOWN not in NOTICE_TRANSITIONS[notice.status]:
        raise DomainError("already_taken_down", _("该公示已撤下。"), status=409)
    notice.status = NoticeStatus.TAKEN_DOWN
    notice.taken_down_at = now
    notice.save(update_fields=["status", "taken_down_at"])
    audit.record("orglife.notice.taken_down", actor=actor, obj=notice, org_path=notice.org_path,
                 data={"reason": reason, "ends_at": notice.ends_at})  # fmt: skip


def take_down_expired(*, now: datetime) -> int:
    """The job: every posted notice whose period has ended comes down. Idempotent."""
    done = 0
    ids = list(
        PublicNotice.objects.filter(status=NoticeStatus.POSTED, ends_at__lte=now)
        .order_by("ends_at", "id")
        .values_list("id", flat=True)[:1000]
    )
    for notice_id in ids:
        with transaction.atomic():
            notice = PublicNotice.objects.select_for_update(of=("self",)).get(pk=notice_id)
            if notice.status == NoticeStatus.POSTED and notice.ends_at <= now:
                _take_down(notice, None, now, "period_ended")
                done += 1
    return done


@transaction.atomic
def take_down_notice(
    *, actor, notice: PublicNotice, reason: str, now: datetime | None = None
) -> PublicNotice:
    """The department takes a notice down before its end (with a reason, audited)."""
    notice = PublicNotice.objects.select_for_update(of=("self",)).get(pk=notice.pk)
    require_perm(actor, Perm.REVIEW_FILINGS, notice.queue_path, _("只有接收异议的组织部门可以提前撤下公示。"))
    reason = clean_text(reason, field="reason", label=_("撤下原因"), max_length=200, required=True)
    _take_down(notice, actor, now or timezone.now(), reason)
    return notice


def is_live(notice: PublicNotice, now: datetime) -> bool:
    return notice.status == NoticeStatus.POSTED and notice.starts_at <= now < notice.ends_at


def ip_hash(ip: str | None) -> str:
    """A keyed hash of the submitter's IP: enough for the rate limit, not the address itself."""
    key = hmac.new(settings.SECRET_KEY.encode(), b"orglife.objection", hashlib.sha256).digest()
    return hmac.new(key, (ip or "unknown").encode(), hashlib.sha256).hexdigest()


def _check_timing(started_at: datetime | None, now: datetime) -> None:
    if started_at is None or started_at > now:
        raise DomainError("form_expired", _("表单已失效，请刷新页面后重新填写。"), field="started")
    elapsed = (now - started_at).total_seconds()
    if elapsed < float(rules.value(keys.OBJECTION_MIN_SECONDS)):
        raise DomainError("too_fast", _("提交过快，请稍等几秒后再提交。"), field="started", status=429)
    if elapsed > float(rules.value(keys.OBJECTION_MAX_AGE)):
        raise DomainError("form_expired", _("表单已失效，请刷新页面后重新填写。"), field="started")


def _clean_contact(contact: str) -> str:
    contact = (contact or "").strip()
    if not contact:
        return ""
    try:
        return classify_phone(contact)[1]
    except ValidationError as exc:
        raise DomainError("invalid_contact", str(exc.messages[0]), field="contact") from None


@transaction.atomic
def file_objection(
    *,
    token: str,
    text: str,
    name: str = "",
    contact: str = "",
    ip: str | None = None,
    honeypot: str = "",
    started_at: datetime | None = None,
    now: datetime | None = None,
) -> Objection:
    """A member of the public objects to a live notice (name and phone optional).

    Refused: a notice that is not live (404/410); a filled honeypot; a form sent faster than a person
    types or too long after it was opened; text empty or over the limit; more than the hourly
    number of objections from one IP. The text is stored as given and always rendered escaped.
    """
    now = now or timezone.now()
    notice = PublicNotice.objects.select_for_update(of=("self",)).filter(token=str(token or "")[:64]).first()
    if notice is None:
        raise DomainError("not_found", _("公示不存在。"), status=404)
    if not is_live(notice, now):
        raise DomainError("notice_ended", _("公示期已结束，不再受理异议。"), status=410)
    if honeypot:
        raise DomainError("rejected", _("提交未通过校验，请刷新页面后重试。"))
    _check_timing(started_at, now)
    limit = int(rules.value(keys.OBJECTION_MAX_CHARS, org_path=notice.org_path))
    text = clean_text(text, field="text", label=_("异议内容"), max_length=limit, required=True)
    name = clean_text(name, field="name", label=_("姓名"), max_length=NAME_MAX)
    contact = _clean_contact(contact)
    hashed = ip_hash(ip)
    recent = Objection.objects.filter(ip_hash=hashed, created_at__gte=now - timedelta(hours=1)).count()
    if recent >= int(rules.value(keys.OBJECTION_PER_IP_HOUR)):
        raise DomainError("rate_limited", _("提交过于频繁，请一小时后再试。"), status=429)
    days = int(
        rules.value(keys.OBJECTION_RESPONSE_DAYS, on=timezone.localdate(now), org_path=notice.queue_path)
    )
    objection = Objection.objects.create(
        notice=notice,
        receipt=secrets.token_urlsafe(12),
        queue_path=notice.queue_path,
        text=text,
        name=name,
        contact=contact,
        ip_hash=hashed,
        created_at=now,
        response_due=timezone.localdate(now) + timedelta(days=days),
    )
    audit.record(
        "orglife.objection.filed",
        obj=objection,
        org_path=notice.queue_path,
        actor_label="public",
        data={"notice": notice.pk, "length": len(text), "anonymous": objection.is_anonymous},
    )
    return objection


@transaction.atomic
def answer_objection(
    *, actor, objection: Objection, outcome: str, response: str, now: datetime | None = None
) -> Objection:
    """The organization department records the outcome and its answer (once)."""
    objection = Objection.objects.select_for_update(of=("self",)).get(pk=objection.pk)
    require_perm(actor, Perm.REVIEW_FILINGS, objection.queue_path, _("只有组织部门可以答复异议。"))
    if ObjectionStatus.ANSWERED not in OBJECTION_TRANSITIONS[objection.status]:
        raise DomainError("already_answered", _("该异议已答复。"), status=409)
    if outcome not in ObjectionOutcome.values:
        raise DomainError("outcome_required", _("请选择处理结果。"), field="outcome")
    response = clean_text(response, field="response", label=_("答复"), max_length=2000, required=True)
    objection.status = ObjectionStatus.ANSWERED
    objection.outcome = outcome
    objection.response = response
    objection.answered_by = user_or_none(actor)
    objection.answered_at = now or timezone.now()
    objection.save()
    audit.record("orglife.objection.answered", actor=actor, obj=objection, org_path=objection.queue_path,
                 data={"outcome": outcome, "late": timezone.localdate(objection.answered_at) > objection.response_due})  # fmt: skip
    return objection
