"""Organization tree over JSON, inside the caller's scope."""

from __future__ import annotations

from ninja import Router, Schema

from dangqun.orgs import selectors
from dangqun.orgs.models import Organization

router = Router(tags=["组织"])


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    kind_name: str
    path: str
    depth: int
    members_total: int
    probationary_total: int
    masses_total: int
    suborgs_total: int


def _out(org: Organization) -> dict:
    rollup = org.rollup
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind_id,
        "kind_name": org.kind.name,
        "path": org.path,
        "depth": org.depth,
        "members_total": rollup.members_total,
        "probationary_total": rollup.probationary_total,
        "masses_total": rollup.masses_total,
        "suborgs_total": rollup.suborgs_total,
    }


@router.get("/roots", response=list[OrganizationOut], summary="我可见的顶层组织")
def roots(request):
    return [_out(org) for org in selectors.scope_roots(request.user)]


@router.get("/{org_id}", response=OrganizationOut, summary="组织详情与统计")
def detail(request, org_id: int):
    return _out(selectors.get_organization_for(request.user, org_id))


@router.get("/{org_id}/children", response=list[OrganizationOut], summary="下级组织")
def children(request, org_id: int):
    org = selectors.get_organization_for(request.user, org_id)
    return [_out(child) for child in selectors.children_of(org)]
