"""Choices of the centers app and the allowed state transitions, as data (a leaf module)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已通过")
    REJECTED = "rejected", _("未通过")
    CANCELLED = "cancelled", _("已取消")


# A pending request already holds its slot (first come, first served); staff then accept or reject.
ACTIVE_STATUSES = (BookingStatus.PENDING, BookingStatus.ACCEPTED)

# Allowed transitions: from → {to}. Rejected and cancelled are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    BookingStatus.PENDING: frozenset(
        {BookingStatus.ACCEPTED, BookingStatus.REJECTED, BookingStatus.CANCELLED}
    ),
    BookingStatus.ACCEPTED: frozenset({BookingStatus.CANCELLED}),
    BookingStatus.REJECTED: frozenset(),
    BookingStatus.CANCELLED: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


class BookingMode(models.TextChoices):
    """The seed's 场地免费使用、借用、合用: the first two take the space alone."""

    FREE_USE = "free_use", _("免费使用")
    BORROW = "borrow", _("借用")
    SHARED = "shared", _("合用")


EXCLUSIVE_MODES = (BookingMode.FREE_USE, BookingMode.BORROW)


class RequesterKind(models.TextChoices):
    ORGANIZATION = "organization", _("组织")
    ENTERPRISE = "enterprise", _("企业")
    PERSON = "person", _("个人")


class Channel(models.TextChoices):
    """Where a request came from."""

    WEB = "web", _("网页")
    PHONE = "phone", _("手机扫码")
    KIOSK = "kiosk", _("办事通大屏")
    DESK = "desk", _("中心前台")
    SYSTEM = "system", _("系统")


WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_LABELS = {
    "mon": _("周一"),
    "tue": _("周二"),
    "wed": _("周三"),
    "thu": _("周四"),
    "fri": _("周五"),
    "sat": _("周六"),
    "sun": _("周日"),
}


class SlotState(models.TextChoices):
    """What one cell of the availability grid shows."""

    FREE = "free", _("空闲")
    SHARED = "shared", _("合用中")
    TAKEN = "taken", _("已占用")
    PENDING = "pending", _("待审核")
    BLACKOUT = "blackout", _("暂停使用")
    CLOSED = "closed", _("不开放")
    PAST = "past", _("已过")
