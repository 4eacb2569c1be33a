"""Notices with per-recipient receipts (送达 → 已读 → 已确认) and a pluggable email copy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangqun.news.enums import NoticeCategory, ReceiptState


class Notice(models.Model):
    """A notice sent by an organization node to chosen users inside its subtree.

    `org_path` copies the sending node's path (scope filters for the senders' lists); it follows
    moved subtrees (orgs.signals.subtree_moved). The counters are kept by the services with F()
    updates so that the sent list needs no aggregate; `receipt_summary` recounts from receipts.
    `dedupe_key` makes a job's repeated send idempotent (unique; NULL for ordinary sends).
    """

    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    category = models.CharField(
        _("类别"), max_length=12, choices=NoticeCategory.choices, default=NoticeCategory.NOTICE
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sent_notices",
        verbose_name=_("发送人"),
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="notices", verbose_name=_("发送单位")
    )
    org_path = models.CharField(max_length=255, editable=False)
    requires_confirmation = models.BooleanField(_("需要确认已读"), default=False)
    link = models.CharField(_("相关页面"), max_length=300, blank=True)
    due_date = models.DateField(_("截止日期"), null=True, blank=True)
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    last_reminded_at = models.DateTimeField(_("最近提醒"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("接收人数"), default=0)
    read_count = models.PositiveIntegerField(_("已读人数"), default=0)
    confirmed_count = models.PositiveIntegerField(_("已确认人数"), default=0)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org_path", "created_at"], name="notice_scope_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=NoticeCategory.values), name="notice_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(link="") | (Q(link__startswith="/") & ~Q(link__startswith="//")),
                name="notice_link_internal",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_count__lte=F("read_count")) & Q(read_count__lte=F("recipient_count")),
                name="notice_counts_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def pending_count(self) -> int:
        """Recipients the sender still waits for: unconfirmed, or unread when no confirmation is asked."""
        done = self.confirmed_count if self.requires_confirmation else self.read_count
        return self.recipient_count - done


class NoticeReceipt(models.Model):
    """One recipient's copy of a notice.

    `delivered_at` is the latest delivery (a reminder delivers again and makes the copy unread);
    `read_at` and `confirmed_at` are the first read and the confirmation. `delivery_count` and
    `emailed_count` let the email task send each delivery at most once.
    """

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_receipts"
    )
    delivered_at = models.DateTimeField(_("送达时间"))
    delivery_count = models.PositiveSmallIntegerField(_("送达次数"), default=1)
    is_unread = models.BooleanField(_("未读"), default=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    emailed_count = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(_("邮件发送失败原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("通知回执")
        verbose_name_plural = _("通知回执")
        constraints = [
            models.UniqueConstraint(fields=["notice", "recipient"], name="receipt_unique_recipient"),
            models.CheckConstraint(
                condition=Q(is_unread=True) | Q(read_at__isnull=False), name="receipt_read_has_time"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(read_at__isnull=False),
                name="receipt_confirmed_was_read",
            ),
            models.CheckConstraint(
                condition=Q(emailed_count__lte=F("delivery_count")), name="receipt_emailed_le_delivered"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "is_unread", "delivered_at"], name="receipt_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.recipient_id}"

    @property
    def state(self) -> str:
        if self.confirmed_at is not None:
            return ReceiptState.CONFIRMED
        if self.read_at is not None:
            return ReceiptState.READ
        return ReceiptState.UNREAD

    @property
    def awaits_confirmation(self) -> bool:
        return self.confirmed_at is None and self.notice.requires_confirmation
