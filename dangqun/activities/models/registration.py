"""Registrations: one per person (or guest mobile) per activity, each with its own pass."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangqun.activities.enums import RegistrationSource, RegistrationStatus, ScanMethod
from dangqun.activities.models.activity import Activity


class Registration(models.Model):
    """A place at an activity: a member (person set) or a guest without an account (name + mobile).

    `pass_code` is a random secret from an alphabet without look-alike characters (see
    dangqun/activities/passes.py); the QR on the pass encodes exactly this code.
    `checked_in_at` / `checked_out_at` are set once each by a conditional UPDATE (… WHERE
    checked_in_at IS NULL), so concurrent scans admit a registration exactly once; every scan,
    admitted or refused, is a row in ScanLog. Cancelling and registering again reuses the row.
    `waitlist_no` orders the waiting list (lowest first is promoted when a seat frees).
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activity_registrations",
    )
    name = models.CharField(_("姓名"), max_length=50)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.CONFIRMED
    )
    waitlist_no = models.PositiveIntegerField(_("候补序号"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=RegistrationSource.choices)
    pass_code = models.CharField(_("入场码"), max_length=16, unique=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    checkin_method = models.CharField(_("签到方式"), max_length=10, choices=ScanMethod.choices, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["activity", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(person__isnull=False),
                name="registration_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["activity", "mobile"],
                condition=Q(person__isnull=True),
                name="registration_one_per_guest_mobile",
            ),
            models.UniqueConstraint(
                fields=["activity", "waitlist_no"],
                condition=Q(waitlist_no__isnull=False),
                name="registration_waitlist_order",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(mobile=""), name="registration_guest_has_mobile"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values), name="registration_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status=RegistrationStatus.WAITLISTED) & Q(waitlist_no__isnull=False))
                | (~Q(status=RegistrationStatus.WAITLISTED) & Q(waitlist_no__isnull=True)),
                name="registration_waitlist_no_iff_waiting",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False),
                name="registration_out_after_in",
            ),
        ]
        indexes = [models.Index(fields=["activity", "status", "waitlist_no"], name="registration_waitlist")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.activity_id}"

    @property
    def is_guest(self) -> bool:
        return self.person_id is None
