"""公示 (public notice) of an accepted 区级领导 report, and the objections residents file against it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangqun.orglife.enums import NoticeStatus, ObjectionOutcome, ObjectionStatus


class PublicNotice(models.Model):
    """A report posted in the cadre's branch for a period (default 7 days), reached by QR.

    Public disclosure under PIPL §25: only the minimal fields are copied here (name, post,
    meeting, date, summary; never the ID number, phone or photos), with the documented basis,
    the start and end, and the supervision phone. `token` is the unguessable public URL part.
    The take-down job ends it at `ends_at`; the row stays for the staff archive.
    `queue_path` is the organization department whose queue receives objections.
    """

    report = models.OneToOneField("orglife.OrgLifeReport", on_delete=models.PROTECT, related_name="notice")
    token = models.CharField(max_length=48, unique=True)
    branch = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("公示支部")
    )
    org_path = models.CharField(max_length=255, editable=False)
    queue_path = models.CharField(max_length=255, editable=False)
    cadre_name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    branch_name = models.CharField(_("公示支部"), max_length=100)
    meeting_title = models.CharField(_("会议"), max_length=100)
    meeting_type = models.CharField(_("会议类型"), max_length=30)
    meeting_on = models.DateField(_("会议日期"))
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    supervision_phone = models.CharField(_("监督电话"), max_length=30)
    basis = models.TextField(_("公示依据"))
    starts_at = models.DateTimeField(_("公示开始"))
    ends_at = models.DateTimeField(_("公示结束"))
    status = models.CharField(
        _("状态"), max_length=12, choices=NoticeStatus.choices, default=NoticeStatus.POSTED
    )
    taken_down_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="notice_ends_after_start"),
            models.CheckConstraint(condition=Q(status__in=NoticeStatus.values), name="notice_status_valid"),
            models.CheckConstraint(
                condition=Q(status=NoticeStatus.POSTED, taken_down_at__isnull=True)
                | Q(status=NoticeStatus.TAKEN_DOWN, taken_down_at__isnull=False),
                name="notice_taken_down_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "ends_at"], name="notice_status_end"),
            models.Index(fields=["org_path", "starts_at"], name="notice_scope_start"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_name} · {self.meeting_title}"


class Objection(models.Model):
    """An objection to a notice, from a member of the public (anonymous allowed).

    Stored as plain text (rendered escaped everywhere); the submitter's IP is kept only as a keyed
    hash for the rate limit. Goes to the organization department's queue (`queue_path`) with a
    response deadline; answered once with an outcome. `receipt` lets the submitter read the answer.
    """

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    receipt = models.CharField(max_length=32, unique=True)
    queue_path = models.CharField(max_length=255, editable=False)
    text = models.TextField(_("异议内容"))
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    contact = models.CharField(_("联系电话"), max_length=20, blank=True)
    ip_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("提交时间"))
    response_due = models.DateField(_("答复期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    outcome = models.CharField(_("处理结果"), max_length=20, choices=ObjectionOutcome.choices, blank=True)
    response = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ObjectionStatus.values), name="objection_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ObjectionStatus.OPEN, answered_at__isnull=True)
                | Q(status=ObjectionStatus.ANSWERED, answered_at__isnull=False) & ~Q(outcome=""),
                name="objection_answer_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["ip_hash", "created_at"], name="objection_ip_time"),
            models.Index(fields=["queue_path", "status", "response_due"], name="objection_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}: {self.text[:20]}"

    @property
    def is_anonymous(self) -> bool:
        return not (self.name or self.contact)
