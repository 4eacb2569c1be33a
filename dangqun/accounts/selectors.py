"""Reads for the security and audit pages, always inside the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.accounts.models import User
from dangqun.core.models import AuditEntry

# --- audit log --------------------------------------------------------------------------------


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """Entries on the viewer's view_audit subtrees; entries without an org (logins…) only for a
    viewer holding view_audit on a root node."""
    q = permissions.scope_q(user, Perm.VIEW_AUDIT, "org_path")
    if any(permissions.is_root_path(p) for p in permissions.scope_paths(user, Perm.VIEW_AUDIT)):
        q |= Q(org_path="")
    return AuditEntry.objects.filter(q).order_by("-occurred_at", "-id")


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    result: str = ""
    date_from: date | None = None
    date_to: date | None = None
    object_type: str = ""
    object_id: str = ""


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def search_audit_entries(
    user, filters: AuditFilters, *, after: tuple[datetime, int] | None = None, limit: int = 50
) -> tuple[list[AuditEntry], bool]:
    """One page of entries, newest first, keyset on (occurred_at, id); returns (rows, has_more)."""
    qs = audit_entries_visible_to(user)
    if filters.actor:
        qs = qs.filter(actor_label__icontains=filters.actor)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.result:
        qs = qs.filter(result=filters.result)
    if filters.date_from:
        qs = qs.filter(occurred_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(occurred_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if after is not None:
        at, pk = after
        qs = qs.filter(Q(occurred_at__lt=at) | Q(occurred_at=at, id__lt=pk))
    rows = list(qs[: limit + 1])
    return rows[:limit], len(rows) > limit


# --- accounts a security admin looks after ---------------------------------------------------


def users_managed_by(user) -> QuerySet[User]:
    """Users holding a grant inside the viewer's manage_grants subtrees; users without any grant
    only for a viewer holding manage_grants on a root node."""
    paths = permissions.scope_paths(user, Perm.MANAGE_GRANTS)
    if not paths:
        return User.objects.none()
    q = Q()
    for path in paths:
        q |= Q(grants__organization__path__under=path)
    if any(permissions.is_root_path(p) for p in paths):
        q |= Q(grants__isnull=True)
    ids = User.objects.filter(q).values("pk")
    return User.objects.filter(pk__in=ids)


def locked_users_visible_to(user) -> QuerySet[User]:
    return users_managed_by(user).filter(locked_until__gt=timezone.now()).order_by("-locked_until", "pk")


def get_managed_user_for(user, pk) -> User:
    try:
        return users_managed_by(user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
