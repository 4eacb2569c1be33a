"""The service catalog of each center, and the configurable request states."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangqun.core.models import TimeStampedModel
from dangqun.servicedesk.enums import PromiseUnit, StateKind


class ServiceItem(TimeStampedModel):
    """One service a center offers (政策宣讲, 代办企业登记注册 …): who it is for, what to bring,
    and how long handling is promised to take. `code` is the Open311 service_code.

    `org_path` copies the center's organization path (scope of catalog management and requests).
    """

    center = models.ForeignKey(
        "centers.ServiceCenter",
        on_delete=models.PROTECT,
        related_name="service_items",
        verbose_name=_("服务中心"),
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    code = models.SlugField(_("事项代码"), max_length=60, unique=True)
    name = models.CharField(_("事项名称"), max_length=60)
    group = models.CharField(_("分类"), max_length=40, blank=True)
    description = models.TextField(_("事项说明"), blank=True)
    target_groups = models.JSONField(_("服务对象"), default=list, blank=True)
    required_materials = models.JSONField(_("所需材料"), default=list, blank=True)
    promise_value = models.PositiveSmallIntegerField(_("承诺时限"), null=True, blank=True)
    promise_unit = models.CharField(
        _("时限单位"), max_length=12, choices=PromiseUnit.choices, default=PromiseUnit.WORKING_DAYS
    )
    is_public = models.BooleanField(_("对外公开"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["center", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="serviceitem_unique_name"),
            models.CheckConstraint(
                condition=Q(promise_unit__in=PromiseUnit.values), name="serviceitem_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(promise_value__isnull=True) | Q(promise_value__gt=0),
                name="serviceitem_promise_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RequestState(models.Model):
    """A configured request state: overrides the labels of a built-in state (enums.DEFAULT_STATES)
    or adds a closing state of its own (重复诉求, 不属于本中心职责 …), typed open / fixed / closed."""

    code = models.SlugField(_("状态代码"), max_length=30, primary_key=True)
    name = models.CharField(_("内部名称"), max_length=30)
    public_name = models.CharField(_("对外显示"), max_length=40)
    public_description = models.CharField(_("对外说明"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=6, choices=StateKind.choices)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求状态")
        verbose_name_plural = _("诉求状态")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=StateKind.values), name="requeststate_kind_valid")
        ]

    def __str__(self) -> str:
        return self.name
