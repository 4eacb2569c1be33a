"""组织生活纪实 of one leading cadre at one meeting."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangqun.orglife.enums import AttendanceRole


class Attendance(models.Model):
    """The 全程纪实 of one cadre at one meeting (RULES.md §2.2 local rule 2).

    Sign-in and photos are read from the meeting record (activities app) whenever shown, never
    copied or guessed; what the cadre adds is kept here: the speech outline (发言提纲, text and/or an
    uploaded file) and, at a contact point, the guidance given. `meeting_on` copies the meeting's
    local date (quarter lists); `org_path` is the meeting's organizer, `cadre_path` the cadre's
    branch. Locked once its quarterly filing is accepted.
    """

    cadre = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="orglife_attendances",
        verbose_name=_("领导干部"),
    )
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.PROTECT, related_name="+", verbose_name=_("会议")
    )
    role = models.CharField(_("参加身份"), max_length=10, choices=AttendanceRole.choices)
    contact_point = models.ForeignKey(
        "orglife.ContactPoint", null=True, blank=True, on_delete=models.PROTECT, related_name="attendances"
    )
    org_path = models.CharField(max_length=255, editable=False)
    cadre_path = models.CharField(max_length=255, editable=False)
    meeting_on = models.DateField(_("会议日期"))
    outline_text = models.TextField(_("发言提纲"), blank=True)
    outline_file = models.FileField(_("发言提纲文件"), upload_to="orglife/outlines/%Y/%m/", blank=True)
    outline_name = models.CharField(_("文件名"), max_length=200, blank=True)
    outline_type = models.CharField(max_length=100, blank=True)
    outline_size = models.PositiveIntegerField(null=True, blank=True)
    outline_sha256 = models.CharField(max_length=64, blank=True)
    guidance = models.TextField(_("指导联系点情况"), blank=True)
    filing = models.ForeignKey(
        "orglife.QuarterlyFiling",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendances",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("组织生活纪实")
        verbose_name_plural = _("组织生活纪实")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "activity"], name="attendance_one_per_meeting"),
            models.CheckConstraint(condition=Q(role__in=AttendanceRole.values), name="attendance_role_valid"),
            models.CheckConstraint(
                condition=(Q(role=AttendanceRole.CONTACT_POINT) & Q(contact_point__isnull=False))
                | (Q(role=AttendanceRole.OWN_BRANCH) & Q(contact_point__isnull=True)),
                name="attendance_contact_iff_role",
            ),
        ]
        indexes = [
            models.Index(fields=["cadre", "meeting_on"], name="attendance_cadre_day"),
            models.Index(fields=["org_path", "meeting_on"], name="attendance_scope_day"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} @ {self.activity_id}"

    @property
    def has_outline(self) -> bool:
        return bool(self.outline_text.strip() or self.outline_file)
