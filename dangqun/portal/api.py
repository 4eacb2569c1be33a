"""The last mile over JSON (/api/v1/portal/): what a lobby screen or a signage player shows of a
center right now, with the addresses (and QR images) of its phone pages. Public, minimal data."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from ninja import Router, Schema

from dangqun.centers import selectors as centers
from dangqun.portal import selectors
from dangqun.servicedesk import selectors as desk

router = Router(tags=["手机与大屏入口"])


class ActivityOut(Schema):
    id: int
    title: str
    type: str
    organizer: str
    place: str
    starts_at: datetime
    ends_at: datetime
    url: str


class FreeSpaceOut(Schema):
    space_id: int
    name: str
    capacity: int
    until: datetime
    url: str


class ServiceOut(Schema):
    code: str
    name: str
    promise: str
    url: str


class WallOut(Schema):
    open: int
    claimed: int
    realised: int
    url: str


class SummaryOut(Schema):
    slug: str
    name: str
    address: str
    hours_today: list[str]
    phone_url: str
    kiosk_url: str
    qr_url: str
    today: list[ActivityOut]
    free_now: list[FreeSpaceOut]
    services: list[ServiceOut]
    wall: WallOut


@router.get(
    "/centers/{slug}/summary", response=SummaryOut, auth=None, summary="中心此刻的概况（公开，供大屏使用）"
)
def summary(request, slug: str):
    center = centers.get_public_center(slug)

    def url(name: str, *args) -> str:
        return request.build_absolute_uri(reverse(f"portal:{name}", args=args))

    counts = desk.wall_counts(center)
    return {
        "slug": center.slug,
        "name": center.name,
        "address": center.address,
        "hours_today": list(selectors.hours_today(center) or ()),
        "phone_url": url("center", center.slug),
        "kiosk_url": url("kiosk", center.slug),
        "qr_url": url("qr", "center", center.slug),
        "today": [
            {
                "id": a.pk,
                "title": a.title,
                "type": a.activity_type.name,
                "organizer": a.organization.name,
                "place": a.place,
                "starts_at": a.starts_at,
                "ends_at": a.ends_at,
                "url": request.build_absolute_uri(reverse("activities:public", args=[a.pk])),
            }
            for a in selectors.agenda(center).today
        ],
        "free_now": [
            {
                "space_id": row.space.pk,
                "name": row.space.name,
                "capacity": row.space.capacity,
                "until": row.until,
                "url": url("space", row.space.pk),
            }
            for row in centers.spaces_free_now(center)
        ],
        "services": [
            {"code": i.code, "name": i.name, "promise": desk.promise_text(i), "url": url("item", i.code)}
            for i in desk.catalog_for_center(center)
        ],
        "wall": {**counts, "url": url("wall", center.slug)},
    }
