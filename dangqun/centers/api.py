"""Centers over JSON: public reads (centers, spaces, availability, free now) and booking writes for
logged-in users (session + CSRF) and kiosks (device token). Refusals: {"code","message","field"};
a taken slot adds "suggestions" (the nearest free ranges)."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import django_auth

from dangqun.accounts.devices import DeviceTokenAuth
from dangqun.accounts.models import Device
from dangqun.buildings.models import Enterprise
from dangqun.centers import selectors
from dangqun.centers.enums import Channel, RequesterKind
from dangqun.centers.hours import day_in_range, describe
from dangqun.centers.models import Booking
from dangqun.centers.services import (
    Requester,
    SeriesConflict,
    SlotTaken,
    cancel_booking,
    may_cancel,
    request_booking,
    request_series,
)
from dangqun.core.errors import DomainError
from dangqun.orgs.models import Organization

router = Router(tags=["服务中心与场地预约"])
_WRITERS = [DeviceTokenAuth(kind=Device.Kind.KIOSK), django_auth]


class CenterOut(Schema):
    id: int
    slug: str
    name: str
    address: str
    floor_area_m2: int | None
    phone: str
    contact_name: str
    opening_hours: list[tuple[str, str]]


class SpaceOut(Schema):
    id: int
    name: str
    capacity: int
    equipment: str
    bookable: bool
    allows_sharing: bool
    auto_accept: bool
    slot_minutes: int


class FreeNowOut(Schema):
    space_id: int
    name: str
    capacity: int
    until: datetime


class SlotOut(Schema):
    start: datetime
    end: datetime
    state: str
    remaining: int


class AvailabilityOut(Schema):
    space_id: int
    day: date
    open: bool
    capacity: int
    slot_minutes: int
    slots: list[SlotOut]
    free: list[tuple[datetime, datetime]]


class BookingIn(Schema):
    space_id: int
    starts_at: datetime
    ends_at: datetime
    mode: str
    purpose: str
    attendees: int
    requester_kind: str = RequesterKind.PERSON
    organization_id: int | None = None
    enterprise_id: int | None = None
    contact_name: str = ""
    contact_mobile: str = ""
    repeat_weeks: int = 1  # > 1: a weekly series of that many occurrences
    skip_conflicts: bool = False
    idempotency_key: str | None = None


class BookingOut(Schema):
    id: int
    space_id: int
    starts_at: datetime
    ends_at: datetime
    mode: str
    status: str
    attendees: int
    purpose: str
    requester: str
    series_id: int | None
    public_code: str


class RangeOut(Schema):
    starts_at: datetime
    ends_at: datetime


class RefusalOut(Schema):
    code: str
    message: str
    field: str | None
    suggestions: list[RangeOut] = []
    dates: list[date] = []


class CancelIn(Schema):
    reason: str = ""
    public_code: str | None = None


def _booking_out(booking: Booking) -> dict:
    return {
        "id": booking.pk,
        "space_id": booking.space_id,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "mode": booking.mode,
        "status": booking.status,
        "attendees": booking.attendees,
        "purpose": booking.purpose,
        "requester": booking.requester_name,
        "series_id": booking.series_id,
        "public_code": booking.public_code,
    }


@router.get("/centers", response=list[CenterOut], auth=None, summary="服务中心列表（公开）")
def centers(request):
    return [
        {**{f: getattr(c, f) for f in ("id", "slug", "name", "address", "floor_area_m2", "phone", "contact_name")},
         "opening_hours": describe(c.opening_hours)}
        for c in selectors.centers_public()
    ]  # fmt: skip


@router.get("/centers/{slug}/spaces", response=list[SpaceOut], auth=None, summary="中心的功能区（公开）")
def spaces(request, slug: str):
    return list(selectors.public_spaces(selectors.get_public_center(slug)))


@router.get(
    "/centers/{slug}/free-now", response=list[FreeNowOut], auth=None, summary="此刻空闲的功能区（大屏）"
)
def free_now(request, slug: str):
    center = selectors.get_public_center(slug)
    return [
        {"space_id": f.space.pk, "name": f.space.name, "capacity": f.space.capacity, "until": f.until}
        for f in selectors.spaces_free_now(center)
    ]


@router.get(
    "/spaces/{space_id}/availability", response=AvailabilityOut, auth=None, summary="功能区某日的时段（公开）"
)
def space_availability(request, space_id: int, day: date | None = None):
    space = selectors.get_bookable_space(space_id)
    day = day or timezone.localdate()
    if not day_in_range(day):
        raise DomainError("day_out_of_range", _("日期超出可查询的范围。"), field="day")
    result = selectors.availability(space, day)
    return {
        "space_id": space.pk,
        "day": result.day,
        "open": result.is_open,
        "capacity": space.capacity,
        "slot_minutes": space.slot_minutes,
        "slots": [
            {"start": s.starts_at, "end": s.ends_at, "state": s.state, "remaining": s.remaining}
            for s in result.slots
        ],
        "free": result.free_ranges(),
    }


def _requester(payload: BookingIn) -> Requester:
    kind = payload.requester_kind
    if kind == RequesterKind.ORGANIZATION:
        organization = (
            Organization.objects.filter(pk=payload.organization_id).first()
            if payload.organization_id
            else None
        )
        if organization is None:
            raise DomainError("organization_required", _("请选择申请组织。"), field="organization")
        return Requester.of_organization(
            organization, name=payload.contact_name, mobile=payload.contact_mobile
        )
    if kind == RequesterKind.ENTERPRISE:
        enterprise = (
            Enterprise.objects.filter(pk=payload.enterprise_id).first() if payload.enterprise_id else None
        )
        if enterprise is None:
            raise DomainError("enterprise_required", _("请选择申请企业。"), field="enterprise")
        return Requester.of_enterprise(enterprise, name=payload.contact_name, mobile=payload.contact_mobile)
    return Requester(kind, name=payload.contact_name, mobile=payload.contact_mobile)


@router.post(
    "/bookings", auth=_WRITERS, response={201: list[BookingOut], 409: RefusalOut},
    summary="预约功能区（登录用户或办事通大屏；repeat_weeks > 1 为每周重复）",
)  # fmt: skip
def create_booking(request, payload: BookingIn):
    device = request.auth if isinstance(request.auth, Device) else None
    actor = None if device is not None else request.user
    common = {  # a single booking reads its space under the service's lock (one query fewer)
        "actor": actor, "space": payload.space_id, "starts_at": payload.starts_at, "ends_at": payload.ends_at,
        "mode": payload.mode, "purpose": payload.purpose, "attendees": payload.attendees,
        "requester": _requester(payload), "channel": Channel.KIOSK if device else Channel.WEB, "device": device,
    }  # fmt: skip
    try:
        if payload.repeat_weeks > 1:
            common["space"] = selectors.get_bookable_space(payload.space_id)
            _series, created = request_series(
                count=payload.repeat_weeks, skip_conflicts=payload.skip_conflicts, **common
            )
        else:
            created = [request_booking(idempotency_key=payload.idempotency_key, **common)]
    except SlotTaken as exc:
        suggestions = [{"starts_at": s, "ends_at": e} for s, e in exc.suggestions]
        return Status(
            409, {"code": exc.code, "message": exc.message, "field": exc.field, "suggestions": suggestions}
        )
    except SeriesConflict as exc:
        dates = [d for d, _text in exc.collisions]
        return Status(409, {"code": exc.code, "message": exc.message, "field": exc.field, "dates": dates})
    return Status(201, [_booking_out(b) for b in created])


@router.get("/bookings/mine", response=list[BookingOut], summary="我的预约")
def mine(request):
    return [_booking_out(b) for b in selectors.my_bookings(request.user)[:200]]


@router.post("/bookings/{booking_id}/cancel", auth=_WRITERS, response=BookingOut, summary="取消一次预约")
def cancel(request, booking_id: int, payload: CancelIn):
    device = request.auth if isinstance(request.auth, Device) else None
    booking = get_object_or_404(
        Booking.objects.select_related("space", "organization", "enterprise"), pk=booking_id
    )
    actor = None if device is not None else request.user
    if not may_cancel(actor, booking, payload.public_code):
        raise Http404  # another's booking: no hint that it exists
    return _booking_out(
        cancel_booking(actor=actor, booking=booking, reason=payload.reason, public_code=payload.public_code)
    )
