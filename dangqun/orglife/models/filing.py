"""Quarterly filing (报备) of a cadre's reports and 纪实 with the parent committee."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangqun.orglife.enums import FilingStatus


class QuarterlyFiling(models.Model):
    """One filing per cadre per quarter (a unique constraint: filing twice is refused).

    Filed with `committee` (the nearest 党委/党工委 above the cadre's branch); a 区级领导's filing
    is also copied to `copy_to` (the 区委组织部, found by a rule). Reviewers with review_filings on
    the committee accept it or return it with comments; an accepted filing is locked, with its
    reports and 纪实. `contents` is a snapshot of what was filed (ids and digests), `due_on` the
    deadline in force when it was filed, `late` whether it came after it.
    """

    cadre = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="orglife_filings", verbose_name=_("领导干部")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    status = models.CharField(
        _("状态"), max_length=10, choices=FilingStatus.choices, default=FilingStatus.SUBMITTED
    )
    org_path = models.CharField(max_length=255, editable=False)
    committee = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属党委（党工委）")
    )
    committee_path = models.CharField(max_length=255, editable=False)
    copy_to = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("抄报"),
    )  # fmt: skip
    copy_path = models.CharField(max_length=255, blank=True, editable=False)
    is_district_leader = models.BooleanField(_("区级领导"), default=False)
    cadre_name = models.CharField(_("姓名"), max_length=50)
    note = models.TextField(_("报备说明"), blank=True)
    contents = models.JSONField(_("报备内容"), default=dict, blank=True)
    due_on = models.DateField(_("截止日期"))
    first_submitted_at = models.DateTimeField(_("首次报备时间"))
    submitted_at = models.DateTimeField(_("报备时间"))
    late = models.BooleanField(_("逾期报备"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    accepted_at = models.DateTimeField(_("通过时间"), null=True, blank=True)
    archive_pdf = models.FileField(upload_to="orglife/filings/%Y/", blank=True)
    archive_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("季度报备")
        verbose_name_plural = _("季度报备")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "year", "quarter"], name="filing_one_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="filing_quarter_range"),
            models.CheckConstraint(condition=Q(status__in=FilingStatus.values), name="filing_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=FilingStatus.ACCEPTED) | Q(accepted_at__isnull=False),
                name="filing_accepted_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "quarter", "org_path"], name="filing_quarter_scope"),
            models.Index(fields=["year", "quarter", "copy_path"], name="filing_quarter_copy"),
            models.Index(fields=["status", "submitted_at"], name="filing_status_time"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_name} {self.year}Q{self.quarter}"

    @property
    def is_locked(self) -> bool:
        return self.status == FilingStatus.ACCEPTED


class FilingEvent(models.Model):
    """History of a filing (submitted, returned with comments, submitted again, accepted)."""

    filing = models.ForeignKey(QuarterlyFiling, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, choices=FilingStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"
