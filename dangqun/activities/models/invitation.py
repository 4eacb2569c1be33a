"""Invitations: a person outside an activity's audience asked to attend it (e.g. a leading cadre at
the branch meeting of the contact point he guides, 双重组织生活)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangqun.activities.models.activity import Activity


class Invitation(models.Model):
    """One person invited to one activity (unique). Every attendance decision honours it:
    `services.registrations.person_may_attend`, member registration, the rotating-code sign-in,
    the paper sheet and hand check-in (through the registration). Revoking deletes the row (the
    audit log keeps both events); a registration already made stays."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="activity_invitations",
        verbose_name=_("被邀请人"),
    )
    reason = models.CharField(_("邀请事由"), max_length=200, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("列席邀请")
        verbose_name_plural = _("列席邀请")
        ordering = ["activity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="invitation_one_per_person")
        ]
        indexes = [models.Index(fields=["person", "activity"], name="invitation_person")]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.activity_id}"
