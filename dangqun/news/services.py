"""Writes on notices: send, read, confirm, remind again. Each checks scope and audits.

Other apps call `send_notice` (with actor None from a job, plus a `dedupe_key` so that a repeated
run sends nothing) and `dangqun.news.selectors.recipients_for_organization` to find whom to remind.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.accounts.models import User
from dangqun.core import audit, rules
from dangqun.core.errors import DomainError
from dangqun.news import tasks
from dangqun.news.enums import NoticeCategory
from dangqun.news.models import Notice, NoticeReceipt
from dangqun.news.rules import REMIND_INTERVAL
from dangqun.orgs.models import Organization

TITLE_MAX = 100
BODY_MAX = 5000
LINK_MAX = 300
DEDUPE_KEY_MAX = 120
MAX_RECIPIENTS = 5000
_NAMES_SHOWN = 10


def _require_send(actor, path: str) -> None:
    if actor is not None and not permissions.has_perm(actor, Perm.SEND_NOTICES, path):
        raise DomainError("permission_denied", _("您无权以该组织的名义发送通知。"), status=403)


def _display(user: User) -> str:
    return user.display_name or user.get_username()


def _names(users: list[User]) -> str:
    shown = "、".join(_display(u) for u in users[:_NAMES_SHOWN])
    if len(users) > _NAMES_SHOWN:
        shown += _("等 %(n)d 人") % {"n": len(users)}
    return shown


def clean_link(link: str) -> str:
    """An internal path ("/activities/12/"), never another site: no scheme, no "//host"."""
    link = (link or "").strip()
    if not link:
        return ""
    if (
        not link.startswith("/")
        or link.startswith("//")
        or "\\" in link
        or any(ch.isspace() or ord(ch) < 32 for ch in link)
    ):
        raise DomainError(
            "link_not_internal", _("相关页面必须是本系统内以“/”开头的路径，例如 /activities/。"), field="link"
        )
    if len(link) > LINK_MAX:
        raise DomainError(
            "link_too_long", _("相关页面路径不能超过 %(n)d 个字符。") % {"n": LINK_MAX}, field="link"
        )
    return link


def _clean_content(*, title: str, body: str, category: str, due_date: date | None) -> tuple[str, str]:
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        raise DomainError("title_required", _("请填写标题。"), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError("title_too_long", _("标题不能超过 %(n)d 个字。") % {"n": TITLE_MAX}, field="title")
    if not body:
        raise DomainError("body_required", _("请填写正文。"), field="body")
    if len(body) > BODY_MAX:
        raise DomainError("body_too_long", _("正文不能超过 %(n)d 个字。") % {"n": BODY_MAX}, field="body")
    if category not in NoticeCategory.values:
        raise DomainError("category_invalid", _("通知类别无效。"), field="category")
    if due_date is not None and due_date < timezone.localdate():
        raise DomainError("due_date_past", _("截止日期不能早于今天。"), field="due_date")
    return title, body


def _recipient_ids(recipients: Iterable[User | int]) -> list[int]:
    ids: list[int] = []
    seen: set[int] = set()
    for item in recipients:
        pk = item.pk if isinstance(item, User) else int(item)
        if pk not in seen:
            seen.add(pk)
            ids.append(pk)
    return ids


def _check_recipients(organization: Organization, recipients: Iterable[User | int]) -> list[int]:
    """The recipients' ids, each an active user whose grant or person sits in the subtree."""
    ids = _recipient_ids(recipients)
    if not ids:
        raise DomainError("recipients_required", _("请至少选择一位接收人。"), field="recipients")
    if len(ids) > MAX_RECIPIENTS:
        raise DomainError(
            "too_many_recipients",
            _("一次最多发送给 %(n)d 人，请分批发送。") % {"n": MAX_RECIPIENTS},
            field="recipients",
        )
    users = User.objects.in_bulk(ids)
    if len(users) != len(ids):
        raise DomainError("recipient_unknown", _("有接收人账号不存在。"), field="recipients")
    path = organization.path
    inside = set(
        User.objects.filter(pk__in=ids, is_active=True)
        .filter(
            Q(grants__organization__path__startswith=path, grants__organization__dissolved_at__isnull=True)
            | Q(person__org_path__startswith=path)
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    outside = [users[pk] for pk in ids if pk not in inside]
    if outside:
        raise DomainError(
            "recipient_out_of_scope",
            _("以下接收人不在“%(org)s”及其下级组织范围内（或账号已停用）：%(names)s。")
            % {"org": organization.name, "names": _names(outside)},
            field="recipients",
        )
    return ids


@transaction.atomic
def send_notice(
    *,
    actor,
    organization: Organization,
    title: str,
    body: str,
    recipients: Iterable[User | int],
    requires_confirmation: bool = False,
    category: str = NoticeCategory.NOTICE,
    link: str = "",
    due_date: date | None = None,
    dedupe_key: str | None = None,
    sender: User | None = None,
) -> Notice:
    """Send a notice from `organization` to `recipients` (users inside its subtree).

    `actor` needs send_notices on the organization; None for jobs and the demo, which may name a
    `sender` to show (otherwise the notice shows as sent by the system). With a `dedupe_key`, a
    second call with the same key returns the first notice and sends nothing. Email copies go
    out after commit; an email failure never fails the notice.
    """
    _require_send(actor, organization.path)
    if actor is not None:
        if sender is not None and sender.pk != actor.pk:
            raise DomainError("sender_mismatch", _("发送人必须是操作人本人。"), status=403)
        sender = actor
    key = (dedupe_key or "").strip() or None
    if key is not None:
        if len(key) > DEDUPE_KEY_MAX:
            raise DomainError("dedupe_key_too_long", _("去重键过长。"), field="dedupe_key")
        existing = Notice.objects.filter(dedupe_key=key).first()
        if existing is not None:
            return existing
    title, body = _clean_content(title=title, body=body, category=category, due_date=due_date)
    link = clean_link(link)
    if organization.dissolved_at is not None:
        raise DomainError("org_dissolved", _("发送单位已撤销。"), field="organization")
    ids = _check_recipients(organization, recipients)

    notice = Notice(
        title=title,
        body=body,
        category=category,
        sender=sender,
        organization=organization,
        org_path=organization.path,
        requires_confirmation=bool(requires_confirmation),
        link=link,
        due_date=due_date,
        dedupe_key=key,
        recipient_count=len(ids),
    )
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        if key is None:
            raise
        return Notice.objects.get(dedupe_key=key)  # a concurrent run with the same key won
    now = timezone.now()
    NoticeReceipt.objects.bulk_create(
        [NoticeReceipt(notice=notice, recipient_id=pk, delivered_at=now) for pk in ids], batch_size=500
    )
    audit.record(
        "news.notice.sent",
        actor=actor,
        obj=notice,
        data={
            "title": title,
            "category": category,
            "recipients": len(ids),
            "requires_confirmation": notice.requires_confirmation,
            "sender": sender.get_username() if sender is not None else "",
            "dedupe_key": key or "",
        },
    )
    transaction.on_commit(partial(tasks.email_notice, notice.pk), robust=True)
    return notice


def _locked_receipt(user, notice: Notice) -> NoticeReceipt:
    receipt = (
        NoticeReceipt.objects.select_for_update()
        .filter(notice_id=notice.pk, recipient_id=getattr(user, "pk", None))
        .first()
    )
    if receipt is None:
        raise DomainError("not_found", _("未找到这条通知。"), status=404)
    return receipt


@transaction.atomic
def mark_read(*, user, notice: Notice) -> NoticeReceipt:
    """The recipient opened the notice: unread no more; the first read counts once."""
    receipt = _locked_receipt(user, notice)
    if not receipt.is_unread:
        return receipt
    first_read = receipt.read_at is None
    receipt.is_unread = False
    receipt.read_at = receipt.read_at or timezone.now()
    receipt.save(update_fields=["is_unread", "read_at"])
    if first_read:
        Notice.objects.filter(pk=notice.pk).update(read_count=F("read_count") + 1)
    return receipt


@transaction.atomic
def confirm(*, user, notice: Notice) -> NoticeReceipt:
    """The recipient confirms having read a notice that asks for it (idempotent; audited once)."""
    if not notice.requires_confirmation:
        raise DomainError("confirmation_not_required", _("这条通知不需要确认已读。"))
    receipt = _locked_receipt(user, notice)
    if receipt.confirmed_at is not None:
        return receipt
    now = timezone.now()
    first_read = receipt.read_at is None
    receipt.read_at = receipt.read_at or now
    receipt.confirmed_at = now
    receipt.is_unread = False
    receipt.save(update_fields=["read_at", "confirmed_at", "is_unread"])
    Notice.objects.filter(pk=notice.pk).update(
        confirmed_count=F("confirmed_count") + 1, read_count=F("read_count") + (1 if first_read else 0)
    )
    audit.record(
        "news.notice.confirmed",
        actor=user,
        obj=notice,
        org_path=notice.org_path,
        data={"receipt": receipt.pk, "recipient": user.get_username()},
    )
    return receipt


@transaction.atomic
def remind_pending(*, actor, notice: Notice) -> int:
    """再次提醒: deliver again to those the sender still waits for (unconfirmed, or unread when no
    confirmation is asked); their copy becomes unread and is emailed again. Returns how many."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    _require_send(actor, notice.org_path)
    now = timezone.now()
    minutes = int(rules.value(REMIND_INTERVAL, org_path=notice.org_path))
    if notice.last_reminded_at is not None and now - notice.last_reminded_at < timedelta(minutes=minutes):
        raise DomainError(
            "remind_too_soon", _("刚刚已经提醒过，请 %(n)d 分钟后再试。") % {"n": minutes}, status=409
        )
    pending = NoticeReceipt.objects.filter(notice=notice)
    if notice.requires_confirmation:
        pending = pending.filter(confirmed_at__isnull=True)
    else:
        pending = pending.filter(read_at__isnull=True)
    ids = list(pending.values_list("pk", flat=True))
    if not ids:
        message = (
            _("所有接收人都已确认，无需再次提醒。")
            if notice.requires_confirmation
            else _("所有接收人都已阅读，无需再次提醒。")
        )
        raise DomainError("nothing_to_remind", message, status=409)
    NoticeReceipt.objects.filter(pk__in=ids).update(
        is_unread=True, delivered_at=now, delivery_count=F("delivery_count") + 1
    )
    notice.last_reminded_at = now
    notice.save(update_fields=["last_reminded_at"])
    audit.record("news.notice.reminded", actor=actor, obj=notice, data={"recipients": len(ids)})
    transaction.on_commit(partial(tasks.email_notice, notice.pk), robust=True)
    return len(ids)
