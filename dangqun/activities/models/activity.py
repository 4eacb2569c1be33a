"""Activities: one model for meetings (三会一课) and events (沙龙, 道德讲堂, 志愿服务 …)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangqun.activities.enums import ActivityStatus, Audience
from dangqun.activities.models.catalog import ActivityType, NeedCategory
from dangqun.core.models import TimeStampedModel


class ActivitySeries(TimeStampedModel):
    """A named series of activities of one organizer (e.g. 西山区纪委监委 “清风” 主题党日 系列)."""

    name = models.CharField(_("名称"), max_length=100)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="activity_series",
        verbose_name=_("主办组织"),
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    description = models.TextField(_("简介"), blank=True)

    class Meta:
        verbose_name = _("活动系列")
        verbose_name_plural = _("活动系列")
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="series_unique_name")]

    def __str__(self) -> str:
        return self.name


class Activity(TimeStampedModel):
    """A meeting or event of an organizer organization.

    Place: a center space (`space`, and `center` copied from it for per-center lists and counts)
    and/or free text (`place_text`). Sign-in window (`checkin_opens_at` … `checkin_closes_at`) is
    computed from the rules when the activity is saved, so the check-in path reads no rules.
    `confirmed_count` / `waitlist_count` are counters kept under the activity's row lock; the
    database refuses more confirmed registrations than `capacity`.
    `org_path` copies the organizer's tree path (scope filters; follows moved subtrees).
    """

    title = models.CharField(_("名称"), max_length=100)
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, verbose_name=_("类型"))
    need_category = models.ForeignKey(
        NeedCategory, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("需求类别")
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="activities", verbose_name=_("主办组织")
    )
    org_path = models.CharField(max_length=255, editable=False)
    series = models.ForeignKey(
        ActivitySeries,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("所属系列"),
    )
    description = models.TextField(_("内容简介"), blank=True)

    space = models.ForeignKey(
        "centers.Space", null=True, blank=True, on_delete=models.PROTECT, related_name="activities",
        verbose_name=_("场地"),
    )  # fmt: skip
    center = models.ForeignKey(
        "centers.ServiceCenter", null=True, blank=True, on_delete=models.PROTECT, related_name="activities",
        verbose_name=_("党群服务中心"),
    )  # fmt: skip
    place_text = models.CharField(_("地点"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    geofence_m = models.PositiveIntegerField(_("签到范围（米）"), null=True, blank=True)

    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    audience = models.CharField(
        _("参加对象"), max_length=10, choices=Audience.choices, default=Audience.BRANCH
    )
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    registration_opens_at = models.DateTimeField(_("报名开始"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("报名截止"), null=True, blank=True)
    checkin_opens_at = models.DateTimeField(_("签到开始"))
    checkin_closes_at = models.DateTimeField(_("签到截止"))
    rotating_checkin = models.BooleanField(_("动态码签到（防代签）"), default=False)

    status = models.CharField(
        _("状态"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    confirmed_count = models.PositiveIntegerField(_("已报名"), default=0)
    waitlist_count = models.PositiveIntegerField(_("候补"), default=0)
    next_waitlist_no = models.PositiveIntegerField(default=1)
    participants = models.PositiveIntegerField(_("参加人次"), default=0)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["org_path", "starts_at"], name="activity_scope_start"),
            models.Index(fields=["audience", "status", "starts_at"], name="activity_public_start"),
            models.Index(fields=["center", "starts_at"], name="activity_center_start"),
            models.Index(fields=["status", "ends_at"], name="activity_status_end"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(
                condition=Q(status__in=ActivityStatus.values), name="activity_status_valid"
            ),
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="activity_audience_valid"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0), name="activity_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(confirmed_count__lte=F("capacity")),
                name="activity_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(geofence_m__isnull=True) | Q(latitude__isnull=False, longitude__isnull=False),
                name="activity_geofence_has_point",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="activity_registration_window",
            ),
            models.CheckConstraint(
                condition=Q(checkin_closes_at__gt=F("checkin_opens_at")), name="activity_checkin_window"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def place(self) -> str:
        """Where it takes place, for display: the center space and/or the free text."""
        parts = []
        if self.space_id is not None:
            parts.append(str(self.space))
        if self.place_text:
            parts.append(self.place_text)
        return " · ".join(parts)

    @property
    def is_public(self) -> bool:
        return self.audience == Audience.PUBLIC and self.status in (
            ActivityStatus.PUBLISHED,
            ActivityStatus.FINISHED,
        )

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.confirmed_count)
