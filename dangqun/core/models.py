"""Base mixins and the append-only audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One audited event (等保 2.0): who, when, from where, what, on which object, with what result.

    Append-only: nothing in the product updates or deletes a row except the retention purge,
    which refuses to cut below AUDIT_MIN_RETENTION_DAYS.
    """

    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")

    occurred_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    action = models.CharField(_("操作代码"), max_length=80, db_index=True)
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices, default=Result.SUCCESS)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象 ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    org_path = models.CharField(_("组织路径"), max_length=255, blank=True, db_index=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"


class RuleValue(models.Model):
    """An administrator's value for a rule (see core.rules) from a date on; `org_path` empty
    means everywhere, otherwise that organization's subtree (tenant override)."""

    key = models.CharField(_("规则"), max_length=80, db_index=True)
    value = models.JSONField(_("取值"))
    effective_from = models.DateField(_("生效日期"))
    org_path = models.CharField(_("适用组织路径"), max_length=255, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("规则取值")
        verbose_name_plural = _("规则取值")
        ordering = ["key", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.key}={self.value} ({self.effective_from})"


class JobRun(models.Model):
    """When each periodic job last ran, and how it ended (for operators and for `run_jobs`)."""

    name = models.CharField(max_length=80, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_result = models.TextField(blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")

    def __str__(self) -> str:
        return self.name
