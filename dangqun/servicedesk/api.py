"""The service desk over JSON (/api/v1/servicedesk/): public reads for kiosks and phones (catalog,
a request by its tracking token, the wish wall) and the staff queue with the same scope and masking
as the pages. Filing and following by Open311 clients lives at /open311/v2/."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from dangqun.centers.models import ServiceCenter
from dangqun.servicedesk import selectors, states

router = Router(tags=["服务台与心愿墙"])


class ItemOut(Schema):
    code: str
    name: str
    group: str
    description: str
    target_groups: list[str]
    required_materials: list[str]
    promise: str


class NoteOut(Schema):
    at: datetime
    text: str
    status: str


class TrackOut(Schema):
    number: str
    item: str
    center: str
    status: str
    status_description: str
    open: bool
    created_at: datetime
    expected_at: datetime | None
    promise: str
    notes: list[NoteOut]
    rating: int | None
    can_rate: bool
    can_supply: bool


class WishCardOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    state: int
    state_label: str
    wisher: str
    claimer: str
    posted_at: datetime
    fulfilled_at: datetime | None
    thanks: str


class RequestOut(Schema):
    id: int
    number: str
    item: str
    state: str
    state_name: str
    status: str
    is_urgent: bool
    requester_name: str
    requester_mobile: str
    requester_unit: str
    organization: str
    created_at: datetime
    due_at: datetime
    expected_at: datetime | None
    overdue: bool


@router.get("/centers/{slug}/items", response=list[ItemOut], auth=None, summary="中心的服务事项（公开）")
def center_items(request, slug: str):
    center = get_object_or_404(ServiceCenter, slug=slug, is_active=True)
    return [
        {
            "code": i.code,
            "name": i.name,
            "group": i.group,
            "description": i.description,
            "target_groups": i.target_groups,
            "required_materials": i.required_materials,
            "promise": selectors.promise_text(i),
        }
        for i in selectors.catalog_for_center(center)
    ]


@router.get("/centers/{slug}/wall", response=list[WishCardOut], auth=None, summary="心愿墙（公开，最少字段）")
def center_wall(request, slug: str):
    center = get_object_or_404(ServiceCenter, slug=slug, is_active=True)
    return [
        {
            "id": c.id,
            "title": c.title,
            "description": c.description,
            "kind": c.kind,
            "state": c.state,
            "state_label": c.state_label,
            "wisher": c.wisher,
            "claimer": c.claimer,
            "posted_at": c.posted_at,
            "fulfilled_at": c.fulfilled_at,
            "thanks": c.thanks,
        }  # fmt: skip
        for c in selectors.public_wall(center)
    ]


@router.get("/track/{token}", response=TrackOut, auth=None, summary="申请人凭查询码查看办理进度")
def track(request, token: str):
    status = selectors.public_status(selectors.request_for_token(token))
    return {
        "number": status.number,
        "item": status.item_name,
        "center": status.center_name,
        "status": status.status,
        "status_description": status.status_description,
        "open": status.state_kind == "open",
        "created_at": status.created_at,
        "expected_at": status.expected_at,
        "promise": status.promise,
        "notes": [{"at": n.at, "text": n.text, "status": n.state_name} for n in status.notes],
        "rating": status.rating,
        "can_rate": status.can_rate,
        "can_supply": status.can_supply,
    }


@router.get("/requests", response=list[RequestOut], summary="诉求队列（本人管辖范围，手机号按权限脱敏）")
def request_list(request, state: str = "", urgent: bool = False, limit: int = 50):
    limit = max(1, min(limit, 200))
    rows = selectors.requests_visible_to(request.user).order_by("-created_at", "-id")
    if state == "open":
        rows = rows.filter(state_kind="open")
    elif state:
        rows = rows.filter(state=state)
    if urgent:
        rows = rows.filter(is_urgent=True)
    policy = selectors.RequesterPolicy(request.user)
    catalog = states.catalog()
    now = timezone.now()
    page = list(rows[:limit])
    selectors.audit_pii_shown(request.user, page, policy)
    return [_request_out(r, policy, catalog, now) for r in page]


@router.get("/requests/{request_id}", response=RequestOut, summary="诉求详情")
def request_detail(request, request_id: int):
    found = selectors.get_request_for(request.user, request_id)
    policy = selectors.RequesterPolicy(request.user)
    selectors.audit_pii_shown(request.user, [found], policy)
    return _request_out(found, policy, states.catalog(), timezone.now())


def _request_out(r, policy, catalog, now) -> dict:
    info = states.info(r.state, catalog)
    return {
        "id": r.pk,
        "number": r.number,
        "item": r.item.name,
        "state": r.state,
        "state_name": info.name,
        "status": info.public_name,
        "is_urgent": r.is_urgent,
        "requester_name": r.requester_name,
        "requester_mobile": policy.mobile(r),
        "requester_unit": r.requester_unit,
        "organization": r.organization.name,
        "created_at": r.created_at,
        "due_at": r.due_at,
        "expected_at": r.expected_at,
        "overdue": r.state_kind == "open" and r.due_at < now,
    }
