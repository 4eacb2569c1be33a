"""Catalog data (rules as data): activity types, need categories and the compliance rule set.

Seeded by a data migration from RULES.md §2 (see dangqun/activities/catalog.py); an administrator
may edit the rows, add types or switch a rule off.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangqun.activities.enums import Period, QuorumRule


class NeedCategory(models.Model):
    """A kind of need an activity answers (the seed's 文化娱乐, 社会公益, 技能提高, 人文关怀)."""

    code = models.SlugField(_("代码"), max_length=30, primary_key=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("需求类别")
        verbose_name_plural = _("需求类别")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ActivityType(models.Model):
    """A kind of meeting or event (支部党员大会 … 文体活动).

    `is_meeting` types belong to 三会一课 / organisational life: they take a meeting record
    ("六有") and default to rotating-code sign-in. `quorum` says whether the record computes
    a quorum (RULES.md §2.1).
    """

    code = models.SlugField(_("代码"), max_length=30, primary_key=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    is_meeting = models.BooleanField(_("组织生活会议"), default=False)
    quorum = models.CharField(
        _("法定人数"), max_length=10, choices=QuorumRule.choices, default=QuorumRule.NONE
    )
    default_need = models.ForeignKey(
        NeedCategory, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("默认需求类别")
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(quorum__in=QuorumRule.values), name="acttype_quorum_valid")
        ]

    def __str__(self) -> str:
        return self.name


class ComplianceRule(models.Model):
    """“Each node of these kinds holds N activities of this type per period” (三会一课).

    N comes from `dangqun.core.rules.value(rule_key)` (versioned, tenant-overridable), or from
    `default_count` when the key is not a registered rule. `min_members` limits the rule to nodes
    with at least that many members in their subtree (支委会: only branches with a committee).
    """

    code = models.SlugField(_("代码"), max_length=40, primary_key=True)
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, verbose_name=_("活动类型"))
    period = models.CharField(_("周期"), max_length=10, choices=Period.choices)
    default_count = models.PositiveSmallIntegerField(_("次数"), default=1)
    rule_key = models.CharField(_("规则键"), max_length=80, blank=True)
    org_kinds = models.JSONField(_("适用组织类型"), default=list)
    min_members = models.PositiveSmallIntegerField(_("最少党员数"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("组织生活制度规则")
        verbose_name_plural = _("组织生活制度规则")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(period__in=Period.values), name="comprule_period_valid")
        ]

    def __str__(self) -> str:
        return f"{self.activity_type.name} · {self.get_period_display()}"
