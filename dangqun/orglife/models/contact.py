"""基层党建联系点: a branch a leading cadre guides, assigned per year by the organization department."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ContactPoint(models.Model):
    """One cadre guides one branch during one year (RULES.md §2.2 local rule 1).

    Assigned by a user holding review_filings on the cadre's district node; revoking keeps the row
    (the history stays) and frees the slot. `cadre_path` / `branch_path` copy the tree paths for
    scoped lists and follow moved subtrees.
    """

    cadre = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="orglife_contact_points",
        verbose_name=_("领导干部"),
    )
    branch = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("联系点（党支部）")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    cadre_path = models.CharField(max_length=255, editable=False)
    branch_path = models.CharField(max_length=255, editable=False)
    district_path = models.CharField(max_length=255, editable=False)
    note = models.CharField(_("联系内容"), max_length=200, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("确定时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("基层党建联系点")
        verbose_name_plural = _("基层党建联系点")
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "branch", "year"],
                condition=Q(revoked_at__isnull=True),
                name="contact_point_unique",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="contact_point_year_range"
            ),
        ]
        indexes = [
            models.Index(fields=["cadre", "year"], name="contact_cadre_year"),
            models.Index(fields=["branch_path", "year"], name="contact_branch_year"),
            models.Index(fields=["district_path", "year"], name="contact_district_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.cadre_id} → {self.branch_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
