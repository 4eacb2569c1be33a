"""Writes on centers, spaces, photos and blackout periods. Staff with manage_centers only."""

from __future__ import annotations

import uuid
import warnings
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from dangqun.centers import rules as center_rules
from dangqun.centers.hours import clean_weekly_hours
from dangqun.centers.models import Blackout, Booking, ServiceCenter, Space, SpacePhoto
from dangqun.centers.services.common import (
    aware,
    clean_phone,
    clean_positive,
    clean_text,
    format_range,
    require_manage,
)
from dangqun.core import audit, rules
from dangqun.core.errors import DomainError
from dangqun.orgs.models import Organization

CENTER_FIELDS = (
    "name", "slug", "address", "floor_area_m2", "opening_hours", "phone", "contact_name", "description",
    "is_active", "accepts_group_visits", "visit_capacity", "visit_minutes",
)  # fmt: skip
SPACE_FIELDS = (
    "name", "capacity", "equipment", "description", "bookable", "auto_accept", "allows_sharing",
    "bookable_hours", "slot_minutes", "is_active", "sort_order",
)  # fmt: skip
IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


def _clean_center(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {
        "name": clean_text(data.get("name"), field="name", label=_("中心名称"), limit=100, required=True),
        "slug": clean_text(
            data.get("slug"), field="slug", label=_("网址代码"), limit=60, required=True
        ).lower(),
        "address": clean_text(data.get("address"), field="address", label=_("地址"), limit=200),
        "phone": clean_phone(data.get("phone")),
        "contact_name": clean_text(
            data.get("contact_name"), field="contact_name", label=_("联系人"), limit=50
        ),
        "description": clean_text(data.get("description"), field="description", label=_("简介"), limit=2000),
        "opening_hours": clean_weekly_hours(data.get("opening_hours"), field="opening_hours"),
        "is_active": bool(data.get("is_active", True)),
        "accepts_group_visits": bool(data.get("accepts_group_visits", False)),
    }
    if not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in cleaned["slug"]):
        raise DomainError("slug_invalid", _("网址代码只能使用小写字母、数字和连字符。"), field="slug")
    area = data.get("floor_area_m2")
    cleaned["floor_area_m2"] = (
        None
        if area in (None, "")
        else clean_positive(area, field="floor_area_m2", label=_("面积"), maximum=10**7)
    )
    visits = cleaned["accepts_group_visits"]
    cleaned["visit_capacity"] = clean_positive(
        data.get("visit_capacity") or 0,
        field="visit_capacity",
        label=_("同时参观人数上限"),
        minimum=1 if visits else 0,
    )
    cleaned["visit_minutes"] = clean_positive(
        data.get("visit_minutes") or 90,
        field="visit_minutes",
        label=_("每场参观时长"),
        minimum=15,
        maximum=480,
    )
    return cleaned


def _save_center(center: ServiceCenter, cleaned: dict[str, Any]) -> None:
    for field, value in cleaned.items():
        setattr(center, field, value)
    try:
        with transaction.atomic():
            center.save()
    except IntegrityError as exc:
        raise DomainError(
            "slug_taken", _("网址代码“%(s)s”已被使用。") % {"s": cleaned["slug"]}, field="slug"
        ) from exc


@transaction.atomic
def create_center(*, actor, organization: Organization, data: dict[str, Any]) -> ServiceCenter:
    """A new center run by `organization` (staff need manage_centers on it)."""
    require_manage(actor, organization.path)
    if organization.dissolved_at is not None:
        raise DomainError("org_dissolved", _("主办组织已撤销。"), field="organization")
    cleaned = _clean_center(data)
    center = ServiceCenter(organization=organization, org_path=organization.path)
    _save_center(center, cleaned)
    audit.record("centers.center.created", actor=actor, obj=center, data=cleaned)
    return center


@transaction.atomic
def update_center(*, actor, center: ServiceCenter, data: dict[str, Any]) -> ServiceCenter:
    center = ServiceCenter.objects.select_for_update().get(pk=center.pk)
    require_manage(actor, center.org_path)
    before = {f: getattr(center, f) for f in CENTER_FIELDS}
    cleaned = _clean_center({**before, **data})
    _save_center(center, cleaned)
    changes = audit.diff(before, cleaned)
    if changes:
        audit.record("centers.center.updated", actor=actor, obj=center, data={"changes": changes})
    return center


def _clean_space(data: dict[str, Any]) -> dict[str, Any]:
    bookable = bool(data.get("bookable", True))
    cleaned = {
        "name": clean_text(data.get("name"), field="name", label=_("功能区名称"), limit=100, required=True),
        "equipment": clean_text(data.get("equipment"), field="equipment", label=_("设备"), limit=200),
        "description": clean_text(data.get("description"), field="description", label=_("介绍"), limit=2000),
        "bookable": bookable,
        "auto_accept": bool(data.get("auto_accept", False)),
        "allows_sharing": bool(data.get("allows_sharing", False)),
        "bookable_hours": clean_weekly_hours(data.get("bookable_hours"), field="bookable_hours"),
        "is_active": bool(data.get("is_active", True)),
        "capacity": clean_positive(
            data.get("capacity") or 0, field="capacity", label=_("容纳人数"), minimum=1 if bookable else 0
        ),
        "slot_minutes": clean_positive(
            data.get("slot_minutes") or 30, field="slot_minutes", label=_("时段粒度"), minimum=5, maximum=240
        ),
        "sort_order": clean_positive(
            data.get("sort_order") or 0, field="sort_order", label=_("排序"), minimum=0
        ),
    }
    return cleaned


def _save_space(space: Space, cleaned: dict[str, Any]) -> None:
    for field, value in cleaned.items():
        setattr(space, field, value)
    try:
        with transaction.atomic():
            space.save()
    except IntegrityError as exc:
        raise DomainError(
            "name_taken", _("本中心已有名为“%(n)s”的功能区。") % {"n": cleaned["name"]}, field="name"
        ) from exc


@transaction.atomic
def create_space(*, actor, center: ServiceCenter, data: dict[str, Any]) -> Space:
    require_manage(actor, center.org_path)
    cleaned = _clean_space(data)
    space = Space(center=center)
    _save_space(space, cleaned)
    audit.record("centers.space.created", actor=actor, obj=space, org_path=center.org_path, data=cleaned)
    return space


@transaction.atomic
def update_space(*, actor, space: Space, data: dict[str, Any]) -> Space:
    space = Space.objects.select_for_update().select_related("center").get(pk=space.pk)
    require_manage(actor, space.center.org_path)
    before = {f: getattr(space, f) for f in SPACE_FIELDS}
    cleaned = _clean_space({**before, **data})
    _save_space(space, cleaned)
    changes = audit.diff(before, cleaned)
    if changes:
        audit.record(
            "centers.space.updated",
            actor=actor,
            obj=space,
            org_path=space.center.org_path,
            data={"changes": changes},
        )
    return space


def check_image(upload) -> tuple[str, str]:
    """(content type, extension) of an uploaded photo, judged by its content, not its name."""
    max_bytes = rules.value(center_rules.PHOTO_MAX_BYTES)
    max_pixels = rules.value(center_rules.PHOTO_MAX_PIXELS)
    if upload is None or not getattr(upload, "size", 0):
        raise DomainError("photo_required", _("请选择照片文件。"), field="photo")
    if upload.size > max_bytes:
        raise DomainError(
            "photo_too_large",
            _("照片不能超过 %(mb)d MB（当前 %(size).1f MB）。")
            % {"mb": max_bytes // (1024 * 1024), "size": upload.size / 1048576},
            field="photo",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                kind = image.format
                width, height = image.size
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError):  # fmt: skip
        raise DomainError(
            "photo_not_image", _("文件不是有效的图片（只接受 JPEG、PNG、WebP）。"), field="photo"
        ) from None
    finally:
        upload.seek(0)
    if kind not in IMAGE_TYPES:
        raise DomainError("photo_type", _("只接受 JPEG、PNG、WebP 图片。"), field="photo")
    if width * height > max_pixels:
        raise DomainError(
            "photo_too_big", _("图片尺寸过大（%(w)d×%(h)d）。") % {"w": width, "h": height}, field="photo"
        )
    return IMAGE_TYPES[kind]


@transaction.atomic
def add_space_photo(*, actor, space: Space, upload, caption: str = "") -> SpacePhoto:
    require_manage(actor, space.center.org_path)
    content_type, extension = check_image(upload)
    caption = clean_text(caption, field="caption", label=_("照片说明"), limit=100)
    photo = SpacePhoto(
        space=space, content_type=content_type, caption=caption, sort_order=space.photos.count()
    )
    photo.image.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    name = photo.image.name
    try:
        photo.save()
    except Exception:
        photo.image.storage.delete(name)
        raise
    audit.record(
        "centers.space.photo_added", actor=actor, obj=space, org_path=space.center.org_path,
        data={"photo": photo.pk, "type": content_type, "size": [photo.width, photo.height]},
    )  # fmt: skip
    return photo


@transaction.atomic
def remove_space_photo(*, actor, photo: SpacePhoto) -> None:
    space = photo.space
    require_manage(actor, space.center.org_path)
    name = photo.image.name
    storage = photo.image.storage
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))
    audit.record(
        "centers.space.photo_removed",
        actor=actor,
        obj=space,
        org_path=space.center.org_path,
        data={"file": name},
    )


@transaction.atomic
def create_blackout(
    *, actor, center: ServiceCenter, space: Space | None, starts_at: datetime, ends_at: datetime, reason: str,
    cancel_affected: bool = False,
) -> tuple[Blackout, list[Booking]]:  # fmt: skip
    """Close a space (or the whole center) for a period. Returns the active bookings inside it;
    with `cancel_affected` they are cancelled, each with the blackout's reason."""
    from dangqun.centers.services.bookings import cancel_locked

    require_manage(actor, center.org_path)
    if space is not None and space.center_id != center.pk:
        raise DomainError("space_elsewhere", _("该功能区不属于本中心。"), field="space")
    starts_at = aware(starts_at, field="starts_at", label=_("开始时间"))
    ends_at = aware(ends_at, field="ends_at", label=_("结束时间"))
    if ends_at <= starts_at:
        raise DomainError("range_invalid", _("结束时间必须晚于开始时间。"), field="ends_at")
    reason = clean_text(reason, field="reason", label=_("暂停原因"), limit=200, required=True)
    spaces = Space.objects.filter(center=center) if space is None else Space.objects.filter(pk=space.pk)
    locked = list(spaces.select_for_update().order_by("pk").values_list("pk", flat=True))  # fixed order
    blackout = Blackout.objects.create(
        center=center, space=space, starts_at=starts_at, ends_at=ends_at, reason=reason
    )
    affected = list(
        Booking.objects.filter(
            space_id__in=locked,
            status__in=("pending", "accepted"),
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        ).select_related("space", "organization", "enterprise")
    )
    audit.record(
        "centers.blackout.created", actor=actor, obj=blackout, org_path=center.org_path,
        data={"space": space.pk if space else None, "range": format_range(starts_at, ends_at), "reason": reason,
              "affected": [b.pk for b in affected], "cancelled": cancel_affected},
    )  # fmt: skip
    if cancel_affected:
        note = _("场地暂停使用：%(r)s") % {"r": reason}
        affected = [cancel_locked(actor=actor, booking=b, reason=note) for b in affected]
    return blackout, affected


@transaction.atomic
def delete_blackout(*, actor, blackout: Blackout) -> None:
    center = blackout.center
    require_manage(actor, center.org_path)
    data = {"range": format_range(blackout.starts_at, blackout.ends_at), "reason": blackout.reason}
    audit.record("centers.blackout.deleted", actor=actor, obj=blackout, org_path=center.org_path, data=data)
    blackout.delete()
