"""Activity counts per organization node and per center, kept in the writer's transaction.

Never COUNT over a subtree per request: the compliance page, the statistics and the big screen
read these rows (a handful per node and month).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangqun.activities.models.catalog import ActivityType


class ActivityRollup(models.Model):
    """Activities held (finished) and recorded, and participants (人次), for one node, month,
    type and need category. `*_direct`: organised by the node itself; `*_total`: its subtree.
    `need_code` is the need category's code or "" (none)."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+")
    need_code = models.CharField(max_length=30, blank=True)
    held_direct = models.IntegerField(default=0)
    held_total = models.IntegerField(default=0)
    recorded_direct = models.IntegerField(default=0)
    recorded_total = models.IntegerField(default=0)
    participants_direct = models.IntegerField(default=0)
    participants_total = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("活动统计")
        verbose_name_plural = _("活动统计")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "month", "activity_type", "need_code"], name="actrollup_unique_key"
            )
        ]
        indexes = [models.Index(fields=["month", "organization"], name="actrollup_month_org")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:%Y-%m} {self.activity_type_id}: {self.held_total}"


class CenterActivityRollup(models.Model):
    """Activities held and participants at one center per month and need category."""

    center = models.ForeignKey("centers.ServiceCenter", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))
    need_code = models.CharField(max_length=30, blank=True)
    held = models.IntegerField(default=0)
    participants = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("服务中心活动统计")
        verbose_name_plural = _("服务中心活动统计")
        constraints = [
            models.UniqueConstraint(fields=["center", "month", "need_code"], name="centerrollup_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.center_id} {self.month:%Y-%m}: {self.held}"


ROLLUP_COUNTERS = ("held", "recorded", "participants")
