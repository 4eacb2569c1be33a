"""The organization tree: party, mass and social organizations as one materialized path."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from dangqun.orgs.enums import KindCategory


class OrganizationKind(models.Model):
    """A kind of node (党委, 党支部, 工会 …) and where it may stand in the tree — rules as data."""

    code = models.SlugField(_("代码"), max_length=40, primary_key=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    category = models.CharField(_("类别"), max_length=10, choices=KindCategory.choices)
    holds_members = models.BooleanField(_("可直接编入党员"), default=False)
    allowed_at_root = models.BooleanField(_("可作为顶层组织"), default=False)
    allowed_parents = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="allowed_children", verbose_name=_("可隶属于")
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("组织类型")
        verbose_name_plural = _("组织类型")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Organization(MP_Node):
    """A node of the tree. A grant on a node applies to its subtree; subtree = path prefix."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.ForeignKey(OrganizationKind, on_delete=models.PROTECT, verbose_name=_("类型"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    dissolved_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    node_order_by: list[str] = []

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.dissolved_at is None

    def ancestor_paths(self) -> list[str]:
        """Paths of this node and every ancestor, root first."""
        return [self.path[: i * self.steplen] for i in range(1, len(self.path) // self.steplen + 1)]


class OrgRollup(models.Model):
    """Counts for a node and its subtree, kept current in the writer's transaction.

    `*_total` covers the whole subtree; `*_direct` only people registered on the node itself.
    `verify_rollups` recomputes them from the rows and reports (or fixes) any drift.
    """

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="rollup"
    )
    members_direct = models.IntegerField(default=0)
    members_total = models.IntegerField(default=0)
    probationary_total = models.IntegerField(default=0)
    floating_total = models.IntegerField(default=0)
    masses_direct = models.IntegerField(default=0)
    masses_total = models.IntegerField(default=0)
    suborgs_total = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("组织统计")
        verbose_name_plural = _("组织统计")

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.members_total}"


ROLLUP_FIELDS = (
    "members_direct",
    "members_total",
    "probationary_total",
    "floating_total",
    "masses_direct",
    "masses_total",
    "suborgs_total",
)
