"""Reads on the organization tree, always inside the viewer's scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.orgs.models import Organization, OrgRollup


def organizations_visible_to(user, perm: str = Perm.VIEW_ORGS) -> QuerySet[Organization]:
    return (
        Organization.objects.filter(permissions.scope_q(user, perm, "path"))
        .select_related("kind", "rollup")
        .order_by("path")
    )


def get_organization_for(user, pk, perm: str = Perm.VIEW_ORGS) -> Organization:
    """The node if the user may see it, else 404 (no hint that it exists)."""
    try:
        return organizations_visible_to(user, perm).get(pk=pk)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def scope_roots(user, perm: str = Perm.VIEW_ORGS) -> QuerySet[Organization]:
    """The top nodes of the viewer's scope (the nodes of their grants, nested ones collapsed)."""
    paths = permissions.scope_paths(user, perm)
    return (
        Organization.objects.filter(path__in=paths, dissolved_at__isnull=True)
        .select_related("kind", "rollup")
        .order_by("path")
    )


def children_of(organization: Organization) -> QuerySet[Organization]:
    return (
        Organization.objects.filter(
            path__under=organization.path,
            depth=organization.depth + 1,
            dissolved_at__isnull=True,
        )
        .select_related("kind", "rollup")
        .order_by("path")
    )


def ancestors_of(organization: Organization) -> list[Organization]:
    paths = organization.ancestor_paths()[:-1]
    return list(Organization.objects.filter(path__in=paths).order_by("depth"))


def subtree_member_count(organization_id: int) -> int:
    """From the rollup row: one primary-key read, whatever the size of the subtree."""
    return OrgRollup.objects.filter(pk=organization_id).values_list("members_total", flat=True).get()


def organizations_by_name(names, *, within: Organization | None = None) -> dict[str, list[Organization]]:
    qs = Organization.objects.filter(name__in=set(names), dissolved_at__isnull=True).select_related("kind")
    if within is not None:
        qs = qs.filter(path__under=within.path)
    found: dict[str, list[Organization]] = {}
    for org in qs:
        found.setdefault(org.name, []).append(org)
    return found
