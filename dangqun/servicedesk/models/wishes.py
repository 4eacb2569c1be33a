"""微心愿: small wishes on a center's wall, claimed and fulfilled by verified party members."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangqun.core.models import TimeStampedModel
from dangqun.servicedesk.enums import CLAIMED_STATES, REALISED_STATES, WisherType, WishKind, WishState


class Wish(TimeStampedModel):
    """A wish posted at a center (RULES.md §8.1). The wall shows only the consented short name
    (张* by default) and never a phone. One claim at a time is held by the database: the claim is a
    conditional update from 待认领, and the claimer can never be the wisher (check constraint)."""

    center = models.ForeignKey(
        "centers.ServiceCenter", on_delete=models.PROTECT, related_name="wishes", verbose_name=_("服务中心")
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField(_("心愿"), max_length=60)
    description = models.TextField(_("说明"), blank=True)
    kind = models.CharField(_("类别"), max_length=10, choices=WishKind.choices, default=WishKind.MATERIAL)
    wisher_type = models.CharField(
        _("许愿人类型"), max_length=10, choices=WisherType.choices, default=WisherType.RESIDENT
    )
    wisher_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="wishes"
    )
    wisher_person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="wishes"
    )
    wisher_name = models.CharField(_("许愿人"), max_length=50)
    wisher_mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    consent_name_shown = models.BooleanField(_("同意在心愿墙显示称呼"), default=False)
    shown_name = models.CharField(_("公开称呼"), max_length=10, blank=True)
    state = models.SmallIntegerField(_("状态"), choices=WishState.choices, default=WishState.PENDING)
    reason = models.CharField(_("未通过或取消原因"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimed_wishes",
        verbose_name=_("认领党员"),
    )
    claimed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("实现时间"), null=True, blank=True)
    fulfil_note = models.CharField(_("实现情况"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评价"), null=True, blank=True)
    thanks = models.CharField(_("感谢留言"), max_length=300, blank=True)
    tracking_hash = models.CharField(max_length=64, unique=True, editable=False)
    claim_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("微心愿")
        verbose_name_plural = _("微心愿")
        indexes = [
            models.Index(fields=["center", "state", "-created_at"], name="wish_wall"),
            models.Index(fields=["org_path", "state", "-created_at"], name="wish_scope_state"),
            models.Index(fields=["state", "fulfilled_at"], name="wish_realised"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=WishState.values), name="wish_state_valid"),
            models.CheckConstraint(
                condition=~Q(state__in=CLAIMED_STATES) | Q(claimed_by__isnull=False, claimed_at__isnull=False),
                name="wish_claimed_has_claimer",
            ),
            models.CheckConstraint(
                condition=Q(claimed_by__isnull=True) | Q(wisher_person__isnull=True) | ~Q(claimed_by=F("wisher_person")),
                name="wish_not_claimed_by_wisher",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=REALISED_STATES) | Q(fulfilled_at__isnull=False), name="wish_realised_has_time"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="wish_rating_range"
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title


class WishEvent(models.Model):
    """One step of a wish's life (RULES.md §8.1 transitions), for history and audit."""

    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12)
    from_state = models.SmallIntegerField(null=True, blank=True)
    to_state = models.SmallIntegerField()
    note = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("心愿记录")
        verbose_name_plural = _("心愿记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.wish_id} {self.action}"
