"""The permission engine: which subtrees a user holds a permission on.

Every selector narrows its queryset with `scope_q(user, perm, path_field)`; a detail fetch that
misses the scope is a 404, so another street's records cannot be seen or guessed.
"""

from __future__ import annotations

from django.db.models import Q

from dangqun.accounts.enums import ROLE_PERMISSIONS, STAFF_ROLES

_CACHE_ATTR = "_dangqun_grant_paths"
# Materialized-path step of the organization tree (orgs.Organization.steplen; orgs sits above us).
PATH_STEP = 4


def is_root_path(path: str) -> bool:
    return len(path) == PATH_STEP


def _grants(user) -> list[tuple[str, str]]:
    """[(role, org_path)], cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from dangqun.accounts.models import RoleGrant

        cached = list(
            RoleGrant.objects.filter(user=user, organization__dissolved_at__isnull=True).values_list(
                "role", "organization__path"
            )
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_paths(user, perm: str) -> list[str]:
    """Minimal list of tree paths on whose subtrees `user` holds `perm` (nested paths collapsed)."""
    paths = sorted({path for role, path in _grants(user) if perm in ROLE_PERMISSIONS.get(role, ())})
    collapsed: list[str] = []
    for path in paths:
        if not any(path.startswith(kept) for kept in collapsed):
            collapsed.append(path)
    return collapsed


def has_perm(user, perm: str, path: str | None = None) -> bool:
    """Holds `perm` anywhere (path None) or on the node at `path`."""
    paths = scope_paths(user, perm)
    if path is None:
        return bool(paths)
    return any(path.startswith(p) for p in paths)


def scope_q(user, perm: str, path_field: str) -> Q:
    """A Q selecting rows whose `path_field` lies in a subtree where the user holds `perm`."""
    paths = scope_paths(user, perm)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{path_field}__under": path})
    return q


def is_staff_user(user) -> bool:
    return any(role in STAFF_ROLES for role, _path in _grants(user))


def roles_of(user) -> set[str]:
    return {role for role, _path in _grants(user)}
