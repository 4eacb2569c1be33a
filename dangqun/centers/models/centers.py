"""党群服务中心 and their functional spaces (功能区), photos and blackout periods."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangqun.core.models import TimeStampedModel


class ServiceCenter(TimeStampedModel):
    """A party–masses service center, run by an organization, open to everyone.

    `org_path` copies the organization's tree path (staff scope); it follows subtree moves.
    Group visits (参观, e.g. the 大理经开区 center) are reserved per center, `visit_capacity`
    visitors at a time for `visit_minutes`.
    """

    name = models.CharField(_("名称"), max_length=100)
    slug = models.SlugField(_("网址代码"), max_length=60, unique=True)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="centers", verbose_name=_("主办组织")
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    floor_area_m2 = models.PositiveIntegerField(_("面积（平方米）"), null=True, blank=True)
    opening_hours = models.JSONField(
        _("开放时间"), default=dict, blank=True, help_text=_('按星期：{"mon": ["09:00", "21:00"], …}')
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    description = models.TextField(_("简介"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    accepts_group_visits = models.BooleanField(_("接受团体参观预约"), default=False)
    visit_capacity = models.PositiveIntegerField(_("同时参观人数上限"), default=0)
    visit_minutes = models.PositiveSmallIntegerField(_("每场参观时长（分钟）"), default=90)

    class Meta:
        verbose_name = _("党群服务中心")
        verbose_name_plural = _("党群服务中心")
        ordering = ["org_path", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepts_group_visits=False) | Q(visit_capacity__gt=0, visit_minutes__gt=0),
                name="center_visits_need_capacity",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Space(TimeStampedModel):
    """A named functional space of a center (休闲吧, 党建图书馆, 党史坊 …).

    `bookable_hours` empty means the center's opening hours; otherwise the space is bookable where
    both are open. `allows_sharing`: several 合用 bookings in one slot up to `capacity` people.
    """

    center = models.ForeignKey(ServiceCenter, on_delete=models.CASCADE, related_name="spaces")
    name = models.CharField(_("名称"), max_length=100)
    capacity = models.PositiveIntegerField(_("容纳人数"), default=0)
    equipment = models.CharField(_("设备"), max_length=200, blank=True)
    description = models.TextField(_("介绍"), blank=True)
    bookable = models.BooleanField(_("可预约"), default=True)
    auto_accept = models.BooleanField(_("自动通过预约"), default=False)
    allows_sharing = models.BooleanField(_("可合用"), default=False)
    bookable_hours = models.JSONField(
        _("可预约时间"), default=dict, blank=True, help_text=_("留空则同中心开放时间")
    )
    slot_minutes = models.PositiveSmallIntegerField(_("时段粒度（分钟）"), default=30)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("功能区")
        verbose_name_plural = _("功能区")
        ordering = ["center", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="space_unique_name"),
            models.CheckConstraint(
                condition=Q(bookable=False) | Q(capacity__gt=0), name="space_bookable_capacity"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=240), name="space_slot_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center.name} · {self.name}"


def _photo_path(instance: SpacePhoto, filename: str) -> str:
    return f"centers/spaces/{instance.space_id}/{filename}"


class SpacePhoto(models.Model):
    """A photo of a space. Checked by content (Pillow) before it is stored; served by our view."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=_photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=30)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("功能区照片")
        verbose_name_plural = _("功能区照片")
        ordering = ["space", "sort_order", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class Blackout(TimeStampedModel):
    """A period when a space (or, with `space` empty, the whole center) cannot be booked."""

    center = models.ForeignKey(ServiceCenter, on_delete=models.CASCADE, related_name="blackouts")
    space = models.ForeignKey(
        Space,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="blackouts",
        verbose_name=_("功能区"),
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    reason = models.CharField(_("原因"), max_length=200)

    class Meta:
        verbose_name = _("暂停使用时段")
        verbose_name_plural = _("暂停使用时段")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="blackout_positive_range")
        ]
        indexes = [models.Index(fields=["center", "ends_at"], name="blackout_center_end")]

    def __str__(self) -> str:
        return f"{self.reason} {self.starts_at:%Y-%m-%d %H:%M}"
