"""Bookings of spaces (one row per occurrence, grouped by a series) and group visits of a center.

Two active bookings of a space that overlap in time must both be 合用 (shared): on PostgreSQL two
exclusion constraints (btree_gist) hold it for every writer; on SQLite the services take the
database write lock at BEGIN before their overlap check. The sum of attendees of overlapping
shared bookings stays within the space's capacity (checked under the same lock).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangqun.centers.constraints import PostgresExclusionConstraint, TsTzRange
from dangqun.centers.enums import BookingMode, BookingStatus, Channel, RequesterKind
from dangqun.core.models import TimeStampedModel

_ACTIVE = ["pending", "accepted"]  # enums.ACTIVE_STATUSES, spelled out for the migrations


def new_public_code() -> str:
    """The secret in a requester's link (phone bookings have no login)."""
    return secrets.token_urlsafe(12)


class RequesterFields(models.Model):
    """Who asks: an organization, an enterprise, or a person; always a contact name (and mobile)."""

    requester_kind = models.CharField(_("申请方类型"), max_length=12, choices=RequesterKind.choices)
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("申请组织"),
    )  # fmt: skip
    enterprise = models.ForeignKey(
        "buildings.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("申请企业"),
    )  # fmt: skip
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("申请账号"),
    )  # fmt: skip
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_mobile = models.CharField(_("联系手机"), max_length=11, blank=True)
    channel = models.CharField(_("来源"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    public_code = models.CharField(max_length=32, unique=True, default=new_public_code, editable=False)

    class Meta:
        abstract = True

    @property
    def requester_name(self) -> str:
        if self.requester_kind == RequesterKind.ORGANIZATION and self.organization_id:
            return self.organization.name
        if self.requester_kind == RequesterKind.ENTERPRISE and self.enterprise_id:
            return self.enterprise.name
        return self.contact_name


class DecisionFields(models.Model):
    status = models.CharField(
        _("状态"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    class Meta:
        abstract = True


def _requester_check(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(requester_kind=RequesterKind.PERSON.value)
        | Q(requester_kind=RequesterKind.ORGANIZATION.value, organization__isnull=False)
        | Q(requester_kind=RequesterKind.ENTERPRISE.value, enterprise__isnull=False),
        name=f"{prefix}_requester_named",
    )


class BookingSeries(TimeStampedModel):
    """A recurring request (every `interval_weeks` weeks); its occurrences are Booking rows."""

    space = models.ForeignKey("centers.Space", on_delete=models.PROTECT, related_name="series")
    interval_weeks = models.PositiveSmallIntegerField(_("间隔（周）"), default=1)
    requested_count = models.PositiveSmallIntegerField(_("申请次数"))
    skipped_dates = models.JSONField(_("跳过的日期"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("周期预约")
        verbose_name_plural = _("周期预约")

    def __str__(self) -> str:
        return f"{self.space_id}/{self.pk}"


class Booking(RequesterFields, DecisionFields, TimeStampedModel):
    """One booking of a space for one time range (one occurrence of a series)."""

    space = models.ForeignKey("centers.Space", on_delete=models.PROTECT, related_name="bookings")
    org_path = models.CharField(max_length=255, editable=False)
    series = models.ForeignKey(
        BookingSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="occurrences"
    )
    purpose = models.CharField(_("用途"), max_length=200)
    mode = models.CharField(_("使用方式"), max_length=10, choices=BookingMode.choices)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    attendees = models.PositiveIntegerField(_("参加人数"))
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # The activity held in the space (services/activity_bookings.py keeps the two in step).
    activity = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings",
        verbose_name=_("活动"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("场地预约")
        verbose_name_plural = _("场地预约")
        ordering = ["starts_at", "id"]
        indexes = [
            # Overlap checks ask `ends_at > start`: a range scan bounded by the future, not by history.
            models.Index(fields=["space", "ends_at"], name="booking_space_end"),
            models.Index(fields=["org_path", "status", "starts_at"], name="booking_scope_queue"),
            models.Index(fields=["user", "starts_at"], name="booking_user_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_positive_range"),
            models.CheckConstraint(condition=Q(attendees__gte=1), name="booking_attendees_positive"),
            models.CheckConstraint(condition=Q(status__in=BookingStatus.values), name="booking_status_valid"),
            models.CheckConstraint(condition=Q(mode__in=BookingMode.values), name="booking_mode_valid"),
            _requester_check("booking"),
            # Two active exclusive bookings never overlap …
            PostgresExclusionConstraint(
                name="booking_exclusive_no_overlap",
                expressions=[
                    ("space", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=_ACTIVE) & ~Q(mode=BookingMode.SHARED.value),
                violation_error_code="slot_taken",
            ),
            # … and a shared one never overlaps an exclusive one (different modes = one is exclusive,
            # or both are, which the constraint above already refuses).
            PostgresExclusionConstraint(
                name="booking_shared_not_with_exclusive",
                expressions=[
                    ("space", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("mode", RangeOperators.NOT_EQUAL),
                ],
                condition=Q(status__in=_ACTIVE),
                violation_error_code="slot_taken",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose}（{self.starts_at:%Y-%m-%d %H:%M}）"

    @property
    def is_shared(self) -> bool:
        return self.mode == BookingMode.SHARED


class GroupVisit(RequesterFields, DecisionFields, TimeStampedModel):
    """A group's reservation to visit a center (参观), e.g. the 大理经开区 center's 三坊一照壁."""

    center = models.ForeignKey("centers.ServiceCenter", on_delete=models.PROTECT, related_name="visits")
    org_path = models.CharField(max_length=255, editable=False)
    group_name = models.CharField(_("参观团体"), max_length=100)
    visitors = models.PositiveIntegerField(_("参观人数"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    needs_guide = models.BooleanField(_("需要讲解"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("团体参观预约")
        verbose_name_plural = _("团体参观预约")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["center", "ends_at"], name="visit_center_end"),
            models.Index(fields=["org_path", "status", "starts_at"], name="visit_scope_queue"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="visit_positive_range"),
            models.CheckConstraint(condition=Q(visitors__gte=1), name="visit_visitors_positive"),
            models.CheckConstraint(condition=Q(status__in=BookingStatus.values), name="visit_status_valid"),
            _requester_check("visit"),
        ]

    def __str__(self) -> str:
        return f"{self.group_name}（{self.starts_at:%Y-%m-%d %H:%M}）"
