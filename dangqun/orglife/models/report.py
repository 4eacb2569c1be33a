"""《党员领导干部参加党的组织生活报告单》 and its history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangqun.orglife.enums import ReportStatus


class OrgLifeReport(models.Model):
    """The report form a cadre fills after a 组织生活会 (RULES.md §2.2 local rule 3).

    The facts (meeting, date, place, host, attendance, sign-in) are prefilled from the meeting
    record and refreshed while the report is a draft; the cadre edits the fields the rule
    `orglife.report.editable_fields` allows; the secretary of the branch that held the meeting
    signs it off. Refused without a sign-in in the scan log. Locked once its filing is accepted.
    """

    attendance = models.OneToOneField(
        "orglife.Attendance", on_delete=models.PROTECT, related_name="report", verbose_name=_("纪实")
    )
    cadre = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="orglife_reports", verbose_name=_("领导干部")
    )
    activity = models.ForeignKey("activities.Activity", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, editable=False)
    cadre_path = models.CharField(max_length=255, editable=False)
    meeting_on = models.DateField(_("会议日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )

    # Facts from the meeting record (not editable unless the rule lists them).
    cadre_name = models.CharField(_("姓名"), max_length=50)
    branch_name = models.CharField(_("所在党支部"), max_length=100)
    meeting_org_name = models.CharField(_("召开会议的党组织"), max_length=100)
    meeting_title = models.CharField(_("会议名称"), max_length=100)
    meeting_type = models.CharField(_("会议类型"), max_length=30)
    meeting_place = models.CharField(_("地点"), max_length=200, blank=True)
    meeting_starts_at = models.DateTimeField(_("会议时间"))
    host_name = models.CharField(_("主持人"), max_length=50, blank=True)
    expected_total = models.PositiveIntegerField(_("应到人数"), null=True, blank=True)
    present_total = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)
    signed_in_at = models.DateTimeField(_("签到时间"))
    sign_in_method = models.CharField(_("签到方式"), max_length=30, blank=True)

    # What the cadre writes (editable per rule).
    post = models.CharField(_("职务"), max_length=100, blank=True)
    meeting_content = models.TextField(_("会议主要内容"), blank=True)
    speech_summary = models.TextField(_("个人发言及对照检查情况"), blank=True)
    criticism = models.TextField(_("开展批评与自我批评情况"), blank=True)
    rectification = models.TextField(_("整改措施"), blank=True)
    guidance = models.TextField(_("指导联系点情况"), blank=True)
    public_summary = models.CharField(_("公示摘要"), max_length=300, blank=True)

    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_by_name = models.CharField(_("支部书记"), max_length=50, blank=True)
    signed_at = models.DateTimeField(_("签字时间"), null=True, blank=True)
    secretary_comment = models.CharField(_("支部书记意见"), max_length=500, blank=True)
    filing = models.ForeignKey(
        "orglife.QuarterlyFiling", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("领导干部参加组织生活报告单")
        verbose_name_plural = _("领导干部参加组织生活报告单")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "activity"], name="report_one_per_meeting"),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="report_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.SIGNED_OFF) | Q(signed_at__isnull=False),
                name="report_signed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["cadre", "meeting_on"], name="report_cadre_day"),
            models.Index(fields=["org_path", "status"], name="report_scope_status"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_name} · {self.meeting_title}"


class ReportEvent(models.Model):
    """History of a report's workflow (submitted, signed off, returned, reopened)."""

    report = models.ForeignKey(OrgLifeReport, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=12, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
