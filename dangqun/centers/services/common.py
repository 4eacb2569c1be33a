"""Helpers shared by the centers services: permission checks, text and phone cleaning, time display."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.centers.enums import WEEKDAY_LABELS, WEEKDAYS
from dangqun.core.errors import DomainError
from dangqun.core.validators import classify_phone, normalize_mobile


def may_manage(actor, path: str) -> bool:
    """Staff holding manage_centers on the center's organization (None = the system itself)."""
    return actor is None or permissions.has_perm(actor, Perm.MANAGE_CENTERS, path)


def require_manage(actor, path: str) -> None:
    if not may_manage(actor, path):
        raise DomainError("permission_denied", _("您无权管理该服务中心。"), status=403)


def clean_text(value, *, field: str, label: str, limit: int, required: bool = False) -> str:
    text = ("" if value is None else str(value)).strip()
    if required and not text:
        raise DomainError(f"{field}_required", _("请填写%(label)s。") % {"label": label}, field=field)
    if len(text) > limit:
        raise DomainError(
            f"{field}_too_long",
            _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": limit},
            field=field,
        )
    return text


def clean_mobile(value, *, field: str = "contact_mobile", required: bool = False) -> str:
    text = ("" if value is None else str(value)).strip()
    if not text:
        if required:
            raise DomainError("mobile_required", _("请填写联系手机。"), field=field)
        return ""
    try:
        return normalize_mobile(text)
    except ValidationError as exc:
        raise DomainError("mobile_invalid", " ".join(exc.messages), field=field) from exc


def clean_phone(value, *, field: str = "phone") -> str:
    text = ("" if value is None else str(value)).strip()
    if not text:
        return ""
    try:
        return classify_phone(text)[1]
    except ValidationError as exc:
        raise DomainError("phone_invalid", " ".join(exc.messages), field=field) from exc


def clean_positive(value, *, field: str, label: str, minimum: int = 1, maximum: int = 100_000) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(
            f"{field}_invalid", _("%(label)s必须是整数。") % {"label": label}, field=field
        ) from None
    if number < minimum:
        raise DomainError(
            f"{field}_too_small", _("%(label)s至少为 %(n)d。") % {"label": label, "n": minimum}, field=field
        )
    if number > maximum:
        raise DomainError(
            f"{field}_too_large", _("%(label)s不能超过 %(n)d。") % {"label": label, "n": maximum}, field=field
        )
    return number


def aware(value: datetime, *, field: str, label: str) -> datetime:
    if not isinstance(value, datetime):
        raise DomainError(f"{field}_invalid", _("请填写%(label)s。") % {"label": label}, field=field)
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_current_timezone())
    return value


def format_day(value: datetime) -> str:
    """12月4日（周四） in local time."""
    local = timezone.localtime(value)
    weekday = WEEKDAY_LABELS[WEEKDAYS[local.weekday()]]
    return _("%(m)d月%(d)d日（%(w)s）") % {"m": local.month, "d": local.day, "w": weekday}


def format_when(value: datetime) -> str:
    """12月4日（周四）19:00 in local time."""
    return f"{format_day(value)}{timezone.localtime(value):%H:%M}"


def format_range(starts_at: datetime, ends_at: datetime) -> str:
    """12月4日（周四）19:00–21:00 (the end's date is shown only when it differs)."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    tail = f"{end:%H:%M}" if start.date() == end.date() else format_when(ends_at)
    return f"{format_when(starts_at)}–{tail}"
