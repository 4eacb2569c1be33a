"""Email copies of notices, after commit (thin: ids in, idempotent, never raises).

The backend is Django's email framework: `NOTICE_EMAIL_BACKEND` when set, else `EMAIL_BACKEND`
(locmem in tests; console or file in the embedded mode; SMTP in production). Each delivery of a
receipt is emailed at most once (`emailed_count` catches up with `delivery_count` before sending);
a failure is written on the receipt and in the audit log, and the notice stands.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from dangqun.core import audit
from dangqun.core.models import AuditEntry
from dangqun.news.models import Notice, NoticeReceipt

logger = logging.getLogger(__name__)


def _claim(notice_id: int) -> list[NoticeReceipt]:
    """Receipts with a delivery not yet emailed, marked as emailed in one short transaction."""
    with transaction.atomic():
        receipts = list(
            NoticeReceipt.objects.select_for_update()
            .filter(notice_id=notice_id, emailed_count__lt=F("delivery_count"))
            .exclude(recipient__email="")
            .select_related("recipient")
            .order_by("pk")
        )
        if receipts:
            NoticeReceipt.objects.filter(pk__in=[r.pk for r in receipts]).update(
                emailed_count=F("delivery_count"), email_error=""
            )
    return receipts


def _message(notice: Notice, receipt: NoticeReceipt) -> tuple[str, str]:
    user = receipt.recipient
    path = reverse("news:detail", args=[notice.pk])
    lines = [
        _("%(name)s，您好：") % {"name": user.display_name or user.get_username()},
        "",
        _("%(org)s发来%(category)s：%(title)s")
        % {"org": notice.organization.name, "category": notice.get_category_display(), "title": notice.title},
        "",
        notice.body,
        "",
    ]
    if notice.due_date:
        lines.append(_("截止日期：%(d)s") % {"d": notice.due_date.isoformat()})
    if notice.requires_confirmation:
        lines.append(_("这条通知需要您登录党群通点击“确认已读”。"))
    lines.append(_("查看：%(url)s") % {"url": getattr(settings, "SITE_URL", "").rstrip("/") + path})
    subject = _("【党群通】%(title)s") % {"title": notice.title}
    return subject, "\n".join(lines)


def email_notice(notice_id: int) -> int:
    """Email the pending deliveries of one notice; returns how many messages went out."""
    notice = Notice.objects.select_related("organization").filter(pk=notice_id).first()
    if notice is None:
        return 0
    receipts = _claim(notice_id)
    if not receipts:
        return 0
    failed: list[tuple[NoticeReceipt, str]] = []
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        try:
            connection = get_connection(getattr(settings, "NOTICE_EMAIL_BACKEND", None) or None)
            connection.open()
        except Exception as exc:  # noqa: BLE001 — any backend failure is recorded, never raised
            failed = [(r, str(exc)) for r in receipts]
        else:
            try:
                for receipt in receipts:
                    subject, body = _message(notice, receipt)
                    try:
                        EmailMessage(
                            subject, body, to=[receipt.recipient.email], connection=connection
                        ).send()
                        sent += 1
                    except Exception as exc:  # noqa: BLE001
                        failed.append((receipt, str(exc)))
            finally:
                try:
                    connection.close()
                except Exception:  # noqa: BLE001
                    logger.warning("closing the notice email connection failed", exc_info=True)
    if failed:
        _record_failures(notice, failed)
    return sent


def _record_failures(notice: Notice, failed: list[tuple[NoticeReceipt, str]]) -> None:
    logger.warning("notice %s: %d email(s) failed: %s", notice.pk, len(failed), failed[0][1])
    with transaction.atomic():
        for receipt, error in failed:
            NoticeReceipt.objects.filter(pk=receipt.pk).update(email_error=(error or "error")[:200])
        audit.record(
            "news.notice.email_failed",
            obj=notice,
            result=AuditEntry.Result.FAILURE,
            data={
                "recipients": [r.recipient.get_username() for r, _e in failed][:100],
                "count": len(failed),
                "error": failed[0][1][:200],
            },
        )
