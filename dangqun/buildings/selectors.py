"""Reads on buildings and enterprises, always inside the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.buildings.models import Building, Enterprise

_COVERED = Q(party_organization__isnull=False, party_organization__dissolved_at__isnull=True)


def buildings_visible_to(user) -> QuerySet[Building]:
    """Buildings whose organization lies in a subtree where the user may view organizations."""
    return (
        Building.objects.filter(permissions.scope_q(user, Perm.VIEW_ORGS, "organization__path"))
        .select_related("organization")
        .annotate(enterprises_total=Count("enterprises"))
        .order_by("organization__path", "name")
    )


def get_building_for(user, pk) -> Building:
    """The building if the user may see it, else 404 (no hint that it exists)."""
    try:
        return buildings_visible_to(user).get(pk=pk)
    except (Building.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def enterprises_of(building: Building) -> QuerySet[Enterprise]:
    return (
        Enterprise.objects.filter(building=building)
        .select_related("party_organization")
        .order_by("floor", "name")
    )


@dataclass(frozen=True)
class CoverageSummary:
    """Party-organization coverage of one building (a dissolved covering org counts as none)."""

    total: int
    covered: int
    uncovered: int
    uncovered_employees: int

    @property
    def coverage_rate(self) -> float:
        return self.covered / self.total if self.total else 0.0


def coverage_summary(building: Building) -> CoverageSummary:
    """One aggregate query over the building's enterprises."""
    row = Enterprise.objects.filter(building=building).aggregate(
        total=Count("pk"),
        covered=Count("pk", filter=_COVERED),
        uncovered_employees=Coalesce(Sum("employees", filter=~_COVERED), 0),
    )
    return CoverageSummary(
        total=row["total"],
        covered=row["covered"],
        uncovered=row["total"] - row["covered"],
        uncovered_employees=row["uncovered_employees"],
    )
