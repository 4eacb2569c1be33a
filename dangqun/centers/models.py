"""党群服务中心 and their functional spaces (功能区). Bookings and visits live beside them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangqun.core.models import TimeStampedModel


class ServiceCenter(TimeStampedModel):
    """A party–masses service center, run by an organization, open to everyone."""

    name = models.CharField(_("名称"), max_length=100)
    slug = models.SlugField(_("网址代码"), max_length=60, unique=True)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="centers", verbose_name=_("主办组织")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    floor_area_m2 = models.PositiveIntegerField(_("面积（平方米）"), null=True, blank=True)
    opening_hours = models.JSONField(
        _("开放时间"), default=dict, blank=True, help_text=_("按星期：{\"mon\": [\"09:00\", \"21:00\"], …}")
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    description = models.TextField(_("简介"), blank=True)

    class Meta:
        verbose_name = _("党群服务中心")
        verbose_name_plural = _("党群服务中心")

    def __str__(self) -> str:
        return self.name


class Space(TimeStampedModel):
    """A named functional space of a center (休闲吧, 党建图书馆, 党史坊 …)."""

    center = models.ForeignKey(ServiceCenter, on_delete=models.CASCADE, related_name="spaces")
    name = models.CharField(_("名称"), max_length=100)
    capacity = models.PositiveIntegerField(_("容纳人数"), default=0)
    equipment = models.CharField(_("设备"), max_length=200, blank=True)
    description = models.TextField(_("介绍"), blank=True)
    bookable = models.BooleanField(_("可预约"), default=True)
    auto_accept = models.BooleanField(_("自动通过预约"), default=False)
    allows_sharing = models.BooleanField(_("可合用"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("功能区")
        verbose_name_plural = _("功能区")
        ordering = ["center", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["center", "name"], name="space_unique_name")]

    def __str__(self) -> str:
        return f"{self.center.name} · {self.name}"
