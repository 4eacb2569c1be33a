"""Helpers every service of the app shares: permission checks, row locks, clean text."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.activities.models import Activity
from dangqun.core.errors import DomainError


def require(actor, perm: str, path: str, message: str | None = None) -> None:
    """`actor` None is the system (seeding, jobs); anyone else needs `perm` on the node."""
    if actor is not None and not permissions.has_perm(actor, perm, path):
        raise DomainError("permission_denied", message or _("您无权管理该组织的活动。"), status=403)


def require_manage(actor, activity: Activity) -> None:
    require(actor, Perm.MANAGE_ACTIVITIES, activity.org_path)


def lock_activity(activity_id: int) -> Activity:
    """The activity's row, locked until the transaction ends (always taken before registrations)."""
    return (
        Activity.objects.select_for_update(of=("self",)).select_related("activity_type").get(pk=activity_id)
    )


def clean_text(value, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    text = " ".join(str(value or "").split()) if max_length <= 200 else str(value or "").strip()
    if required and not text:
        raise DomainError("required", _("请填写%(f)s。") % {"f": label}, field=field)
    if len(text) > max_length:
        raise DomainError(
            "too_long", _("%(f)s不能超过 %(n)d 个字。") % {"f": label, "n": max_length}, field=field
        )
    return text
