"""Service requests (诉求), their history, attachments and ratings, and Open311 clients."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangqun.core.models import TimeStampedModel
from dangqun.servicedesk.enums import Channel, FollowUpState, StateKind


class ServiceRequest(TimeStampedModel):
    """A request for one catalog item, filed at the kiosk, on the phone, by staff or by an Open311
    client. `organization` is the queue that handles it now (a referral moves it); `org_path`
    copies that organization's path for scope. The requester follows it with a tracking token
    whose hash alone is stored."""

    item = models.ForeignKey(
        "servicedesk.ServiceItem",
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("服务事项"),
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("办理组织"),
    )
    org_path = models.CharField(max_length=255, editable=False)
    state = models.CharField(_("状态"), max_length=30)
    state_kind = models.CharField(max_length=6, choices=StateKind.choices, editable=False)
    description = models.TextField(_("诉求内容"))
    description_public = models.BooleanField(_("同意公开诉求内容"), default=False)
    is_urgent = models.BooleanField(_("急难愁"), default=False)
    channel = models.CharField(_("来源"), max_length=10, choices=Channel.choices)
    requester_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
    )
    requester_name = models.CharField(_("联系人"), max_length=50)
    requester_mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    enterprise = models.ForeignKey(
        "buildings.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
        verbose_name=_("所在企业"),
    )
    requester_unit = models.CharField(_("所在单位"), max_length=100, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_requests",
        verbose_name=_("承办人"),
    )
    tracking_hash = models.CharField(max_length=64, unique=True, editable=False)
    due_at = models.DateTimeField(_("承诺办结时间"))
    expected_at = models.DateTimeField(_("预计办结时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("超时上报时间"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalated_requests",
        verbose_name=_("上报至"),
    )
    open311_client = models.ForeignKey(
        "servicedesk.Open311Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    device = models.ForeignKey(
        "accounts.Device",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
        verbose_name=_("登记设备"),
    )

    class Meta:
        verbose_name = _("服务诉求")
        verbose_name_plural = _("服务诉求")
        indexes = [
            models.Index(fields=["org_path", "-created_at", "-id"], name="request_scope_recent"),
            models.Index(fields=["state_kind", "due_at"], name="request_open_due"),
            models.Index(fields=["-created_at", "-id"], name="request_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state_kind__in=StateKind.values), name="request_kind_valid"),
            models.CheckConstraint(condition=~Q(description=""), name="request_description_required"),
            models.CheckConstraint(
                condition=Q(requester_user__isnull=False) | (~Q(requester_name="") & ~Q(requester_mobile="")),
                name="request_requester_known",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.number} {self.item.name}" if self.pk else str(self.item.name)

    @property
    def number(self) -> str:
        """The 受理编号 people read out and Open311's service_request_id."""
        return f"{self.pk:06d}"


class RequestEvent(models.Model):
    """One line of a request's history: a transition or a status note, public or internal."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    note = models.TextField(_("说明"), blank=True)
    is_public = models.BooleanField(_("对申请人公开"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=60, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at", "id"], name="requestevent_history")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action}"


def _attachment_path(instance: RequestAttachment, filename: str) -> str:
    return f"servicedesk/{instance.stored_name}"


class RequestAttachment(models.Model):
    """A file checked by its content (PDF, JPEG or PNG) and stored under a random name."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        RequestEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    file = models.FileField(upload_to=_attachment_path, max_length=120)
    original_name = models.CharField(_("文件名"), max_length=120)
    kind = models.CharField(_("类型"), max_length=4, choices=Kind.choices)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    by_requester = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["pdf", "jpeg", "png"]), name="attachment_kind_valid")
        ]

    def __str__(self) -> str:
        return self.original_name


class Rating(models.Model):
    """The requester's 好差评 of a resolved request: five grades and a comment, once."""

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, primary_key=True, related_name="rating"
    )
    score = models.PositiveSmallIntegerField(_("评分"))
    comment = models.TextField(_("评价内容"), blank=True)
    real_name = models.BooleanField(_("实名评价"), default=True)
    created_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_range")
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.score}"


class RatingFollowUp(models.Model):
    """A negative rating in the supervisor's queue: check, rectify, answer (好差评 整改).
    It belongs to the organization above the one that handled the request."""

    rating = models.OneToOneField(
        Rating, on_delete=models.CASCADE, primary_key=True, related_name="follow_up"
    )
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="follow_ups")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    state = models.CharField(
        _("状态"), max_length=10, choices=FollowUpState.choices, default=FollowUpState.OPEN
    )
    due_on = models.DateField(_("整改答复期限"))
    answer = models.TextField(_("整改与答复"), blank=True)
    visited = models.BooleanField(_("已回访"), default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("差评督办")
        verbose_name_plural = _("差评督办")
        ordering = ["due_on", "request_id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=FollowUpState.values), name="followup_state_valid"),
            models.CheckConstraint(
                condition=Q(state=FollowUpState.OPEN) | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="followup_answered_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}"


class Open311Client(models.Model):
    """A registered Open311 client (api_key holder) of a jurisdiction: it may POST requests for the
    services of centers in `organization`'s subtree. Only a hash of the key is stored."""

    name = models.CharField(_("名称"), max_length=100)
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, editable=False)
    key_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 客户端")
        verbose_name_plural = _("Open311 客户端")

    def __str__(self) -> str:
        return self.name


__all__ = [
    "Open311Client",
    "Rating",
    "RatingFollowUp",
    "RequestAttachment",
    "RequestEvent",
    "ServiceRequest",
]
