"""Notice categories and a receipt's states, as data (leaf module: imports nothing of the app)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeCategory(models.TextChoices):
    REMINDER = "reminder", _("工作提醒")
    NOTICE = "notice", _("通知")
    ANNOUNCEMENT = "announcement", _("公告")


class ReceiptState(models.TextChoices):
    """What the sender sees per recipient (derived from the receipt's times, never stored)."""

    UNREAD = "unread", _("未读")
    READ = "read", _("已读")
    CONFIRMED = "confirmed", _("已确认")


# Roles whose holders are offered as recipients in the send form (secretaries ticked by default).
RECIPIENT_ROLES = ("secretary", "committee", "org_admin")
DEFAULT_RECIPIENT_ROLES = ("secretary",)
