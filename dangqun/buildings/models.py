"""Office towers and the enterprises in them (入驻单位), with their party-organization coverage."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangqun.core.models import TimeStampedModel


class Building(TimeStampedModel):
    """A tower (楼宇) looked after by a community or street party organization."""

    name = models.CharField(_("楼宇名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="buildings", verbose_name=_("属地党组织")
    )
    property_company = models.CharField(_("物业服务企业"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("楼宇")
        verbose_name_plural = _("楼宇")
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="building_unique_name")]

    def __str__(self) -> str:
        return self.name


class Enterprise(TimeStampedModel):
    """An enterprise in a building. `party_organization` is the branch covering it, if any."""

    name = models.CharField(_("单位名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True)
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="enterprises")
    floor = models.CharField(_("楼层"), max_length=20, blank=True)
    employees = models.PositiveIntegerField(_("员工人数"), default=0)
    is_foreign = models.BooleanField(_("外资企业"), default=False)
    is_fortune_500 = models.BooleanField(_("世界500强"), default=False)
    party_organization = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="covered_enterprises",
        verbose_name=_("覆盖党组织"),
    )

    class Meta:
        verbose_name = _("入驻单位")
        verbose_name_plural = _("入驻单位")
        constraints = [models.UniqueConstraint(fields=["building", "name"], name="enterprise_unique_name")]

    def __str__(self) -> str:
        return self.name
