"""The scan log: every check-in attempt, admitted or refused, from every channel."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangqun.activities.enums import Direction, ScanMethod, ScanResult
from dangqun.activities.models.activity import Activity
from dangqun.activities.models.registration import Registration


class ScanLog(models.Model):
    """One scan (or manual / paper entry) and its machine result code.

    - `device_time` is the scanner's clock (offline scans are uploaded later), `server_time` when
      the server decided; `offline` marks scans uploaded in a batch.
    - `client_nonce` makes device calls idempotent: (device, nonce) — or (user, nonce) for a
      member's own phone — is unique, so a retried request returns the first answer.
    - At most one `ok` per registration and direction (a partial unique index), on top of the
      conditional UPDATE of Registration that decides admission.
    - Check-ins are audited by this log itself; manual and paper entries also write an AuditEntry.
    - `code_hint` keeps only the first characters of an unknown code (passes are secrets).
    The sign-in sheet of a meeting record is read from here (see selectors.sign_in_sheet).
    """

    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.PROTECT, related_name="scans"
    )
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="scans"
    )
    device = models.ForeignKey(
        "accounts.Device", null=True, blank=True, on_delete=models.PROTECT, related_name="activity_scans"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(_("方式"), max_length=10, choices=ScanMethod.choices)
    direction = models.CharField(_("方向"), max_length=5, choices=Direction.choices, default=Direction.ENTRY)
    result = models.CharField(_("结果"), max_length=24, choices=ScanResult.choices)
    code_hint = models.CharField(_("码（前几位）"), max_length=8, blank=True)
    client_nonce = models.CharField(max_length=64, blank=True)
    device_time = models.DateTimeField(_("扫码时间（设备）"), null=True, blank=True)
    server_time = models.DateTimeField(_("服务器时间"))
    offline = models.BooleanField(_("离线补传"), default=False)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("距活动地点（米）"), null=True, blank=True)
    org_path = models.CharField(max_length=255, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("签到记录")
        verbose_name_plural = _("签到记录")
        ordering = ["server_time", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "client_nonce"],
                condition=Q(device__isnull=False) & ~Q(client_nonce=""),
                name="scanlog_device_nonce",
            ),
            models.UniqueConstraint(
                fields=["user", "client_nonce"],
                condition=Q(device__isnull=True, user__isnull=False) & ~Q(client_nonce=""),
                name="scanlog_user_nonce",
            ),
            models.UniqueConstraint(
                fields=["registration", "direction"],
                condition=Q(result=ScanResult.OK),
                name="scanlog_one_ok_per_direction",
            ),
            models.CheckConstraint(condition=Q(result__in=ScanResult.values), name="scanlog_result_valid"),
        ]
        indexes = [
            models.Index(fields=["activity", "server_time"], name="scanlog_activity_time"),
            models.Index(fields=["org_path", "server_time"], name="scanlog_scope_time"),
        ]

    def __str__(self) -> str:
        return f"{self.server_time:%Y-%m-%d %H:%M:%S} {self.result}"
