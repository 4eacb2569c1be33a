"""Meeting records (组织生活纪实, "六有"): plan, materials, notes, minutes, photos, sign-in sheet,
absentees with reasons, host and recorder, quorum and votes; reviewed by the superior organization.

Read by the orglife app (leading cadres' 纪实): use selectors.record_for / sign_in_sheet rather than
querying these tables directly, so the rules (who counts as present, quorum) stay in one place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangqun.activities.enums import AbsenceReason, AttachmentKind, RecordStatus, VoteKind
from dangqun.activities.models.activity import Activity


class MeetingRecord(models.Model):
    """The record of one meeting. Editable in draft / returned; submitted → approved | returned by a
    reviewer with review_records on the superior node; approved records are locked.

    The quorum fields are a snapshot taken at submission (who should attend, who was present), so
    an approved record does not change when the roster changes later.
    """

    activity = models.OneToOneField(Activity, on_delete=models.PROTECT, related_name="record")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    host = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("主持人"),
    )
    host_name = models.CharField(_("主持人"), max_length=50, blank=True)
    recorder = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )
    recorder_name = models.CharField(_("记录人"), max_length=50, blank=True)
    plan = models.TextField(_("活动计划"), blank=True)
    notes = models.TextField(_("会议记录"), blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)

    voting_should_attend = models.PositiveIntegerField(_("应到有表决权党员"), null=True, blank=True)
    voting_present = models.PositiveIntegerField(_("实到有表决权党员"), null=True, blank=True)
    present_total = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)
    quorum_met = models.BooleanField(_("达到法定人数"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("审核意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RecordStatus.values), name="record_status_valid")
        ]

    def __str__(self) -> str:
        return f"{self.activity.title} · {self.get_status_display()}"

    @property
    def is_locked(self) -> bool:
        return self.status == RecordStatus.APPROVED


class RecordEvent(models.Model):
    """History of a record's workflow (submitted, returned with comments, approved)."""

    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=RecordStatus.choices)
    to_status = models.CharField(max_length=10, choices=RecordStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class RecordAttachment(models.Model):
    """A photo (re-encoded, EXIF stripped) or a material (PDF, Office file) of a record.

    Files are served only through the record's permission check, never from /media/ directly.
    """

    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类型"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(upload_to="activities/records/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("记录附件")
        verbose_name_plural = _("记录附件")
        ordering = ["kind", "uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["record", "sha256"], name="attachment_unique_content")]

    def __str__(self) -> str:
        return self.original_name


class Absence(models.Model):
    """A member who should have attended and did not, with the reason (请假 …).

    `counts_as_expected` False takes the member out of "who should attend" (长期外出, 出国 …),
    the reading of 应到会 that branches apply; the default keeps them in.
    """

    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="absences")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("缺席原因"), max_length=10, choices=AbsenceReason.choices)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    counts_as_expected = models.BooleanField(_("计入应到人数"), default=True)

    class Meta:
        verbose_name = _("缺席")
        verbose_name_plural = _("缺席")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["record", "person"], name="absence_unique_person")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.reason}"


class MeetingVote(models.Model):
    """A vote at a 支部党员大会 (RULES.md §2.1). `quorate` / `passed` are computed by the service
    from the record's attendance snapshot; written views of absent voting members count only for
    membership votes."""

    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="votes")
    kind = models.CharField(_("表决事项类型"), max_length=15, choices=VoteKind.choices)
    subject = models.CharField(_("表决事项"), max_length=200)
    yes = models.PositiveIntegerField(_("赞成"))
    no = models.PositiveIntegerField(_("反对"), default=0)
    abstain = models.PositiveIntegerField(_("弃权"), default=0)
    written_yes = models.PositiveIntegerField(_("书面赞成"), default=0)
    quorate = models.BooleanField(_("到会人数符合要求"))
    passed = models.BooleanField(_("通过"))

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.subject
